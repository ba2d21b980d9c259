#!/usr/bin/env python3
"""The core's layout rule that a machine can check: no import loops between the modules of
`core/src` (a module is a top-level file or folder; `ledger/` and everything in it is one).

A module uses another when its code (comments, its `mod tests` and its `tests.rs` files aside) names
`crate::<other>`. Prints each loop with the uses that make it and exits 1 if there is one.

    python3 tools/check_layout.py [core/src]
"""

from __future__ import annotations

import os
import re
import sys

USE = re.compile(r"crate::(\w+)")
USE_GROUP = re.compile(r"use crate::\{([^}]*)\}")
TESTS = re.compile(r"#\[cfg\(test\)\]\s*mod tests")


def uses(root: str) -> dict[str, set[str]]:
    """Each module of `root` and the modules it uses."""
    found: dict[str, set[str]] = {}
    for folder, _, files in os.walk(root):
        for name in files:
            # Tests may use anything: a folder's `tests.rs` is its `mod tests`.
            if not name.endswith(".rs") or name == "tests.rs":
                continue
            path = os.path.join(folder, name)
            module = os.path.relpath(path, root).split(os.sep)[0].removesuffix(".rs")
            if module in ("lib", "main"):
                continue
            with open(path, encoding="utf-8") as f:
                code = TESTS.split(f.read())[0]
            code = "\n".join(line for line in code.splitlines() if not line.strip().startswith("//"))
            names = set(USE.findall(code))
            for group in USE_GROUP.findall(code):
                names |= {part.strip().split("::")[0] for part in group.split(",") if part.strip()}
            found.setdefault(module, set()).update(names - {module})
    return {m: {n for n in used if n in found} for m, used in found.items()}


def loops(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                out.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def main() -> int:
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "core", "src")
    graph = uses(root)
    found = loops(graph)
    for group in found:
        print(f"import loop between {', '.join(group)}:")
        for m in group:
            print(f"  {m} uses {', '.join(sorted(graph[m] & set(group)))}")
    print(f"check_layout: {len(graph)} modules, {len(found)} import loops")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
