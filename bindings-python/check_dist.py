#!/usr/bin/env python3
"""Checks what bindings-python/dist.sh built, before anyone installs it:

    python check_dist.py WHEEL SDIST AUDITWHEEL_SHOW_OUTPUT

- the wheel is abi3 for x86_64 (file name and its WHEEL file) and `auditwheel show` finds it
  consistent with manylinux2014 (glibc 2.17) or an older policy;
- the wheel holds the package, its stubs and py.typed, the native module (without debug
  information: the dist profile), and the LICENSE text in .dist-info/licenses;
- the metadata (the wheel's METADATA and the sdist's PKG-INFO) is complete: summary, readme
  as Markdown, License-Expression and License-File, Requires-Python, the extras pandas,
  polars and arrow, the classifiers a user filters on;
- the sdist holds what a build from it needs: pyproject.toml, the readme, LICENSE, the
  binding's and the core's manifests and sources, Cargo.lock;
- no placeholder URL in the metadata, the readme or any manifest of either.

Exits 1 with every failure listed. Runs on the tools' Python (3.9+), standard library only.
"""

from __future__ import annotations

import email.parser
import re
import sys
import tarfile
import zipfile
from email.message import Message
from pathlib import Path

# Classifier prefixes the metadata must carry (a user filters PyPI on these).
CLASSIFIERS = (
    "Development Status :: ",
    "Natural Language :: Chinese (Simplified)",
    "Operating System :: POSIX :: Linux",
    "Programming Language :: Python :: 3",
    "Programming Language :: Python :: 3.9",
    "Topic :: ",
)
EXTRAS = ("pandas", "polars", "arrow")
# What a placeholder address looks like: reserved example domains, angle-bracket stand-ins.
PLACEHOLDER = re.compile(
    r"example\.(invalid|com|org|net)|\.invalid\b|<(repository|repo|project)[-_ ]?url>|"
    r"\bTODO\b|\bFIXME\b|your[-_]?(org|name|user)",
    re.IGNORECASE,
)
# The newest glibc a manylinux2014 wheel may need.
MANYLINUX2014 = (2, 17)


def metadata_problems(where: str, text: str) -> list[str]:
    meta: Message = email.parser.Parser().parsestr(text)
    problems = []
    for field in ("Name", "Version", "Summary", "Requires-Python", "License-Expression"):
        if not meta.get(field):
            problems.append(f"{where}: no {field}")
    if meta.get("License-Expression") not in (None, "Apache-2.0"):
        problems.append(f"{where}: License-Expression is {meta.get('License-Expression')!r}")
    if "LICENSE" not in (meta.get_all("License-File") or []):
        problems.append(f"{where}: no License-File: LICENSE")
    if not (meta.get("Description-Content-Type") or "").startswith("text/markdown"):
        problems.append(f"{where}: the readme is not given as text/markdown")
    if "pip install" not in (meta.get_payload() or ""):
        problems.append(f"{where}: the long description is not the readme (no install line)")
    extras = set(meta.get_all("Provides-Extra") or [])
    problems += [f"{where}: no extra {e!r}" for e in EXTRAS if e not in extras]
    classifiers = meta.get_all("Classifier") or []
    for wanted in CLASSIFIERS:
        if not any(c == wanted or (wanted.endswith(" ") and c.startswith(wanted)) for c in classifiers):
            problems.append(f"{where}: no classifier {wanted.strip()!r}")
    problems += placeholder_problems(where, text)
    return problems


def placeholder_problems(where: str, text: str) -> list[str]:
    return [f"{where}: placeholder {m.group(0)!r}" for m in PLACEHOLDER.finditer(text)]


def wheel_problems(wheel: Path) -> list[str]:
    problems = []
    # name-version-python-abi-platform.whl
    parts = wheel.name[: -len(".whl")].split("-")
    if len(parts) != 5 or parts[3] != "abi3" or not parts[2].startswith("cp3"):
        problems.append(f"{wheel.name}: not an abi3 wheel for CPython 3")
    if len(parts) == 5 and not all(p.endswith("_x86_64") for p in parts[4].split(".")):
        problems.append(f"{wheel.name}: not tagged for x86_64 only")
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        dist_info = sorted({n.split("/")[0] for n in names if n.split("/")[0].endswith(".dist-info")})
        if len(dist_info) != 1:
            return problems + [f"{wheel.name}: {len(dist_info)} .dist-info directories"]
        info = dist_info[0]
        for needed in (
            "volunteer_ledger/__init__.py",
            "volunteer_ledger/__init__.pyi",
            "volunteer_ledger/py.typed",
            "volunteer_ledger/_frames.py",
            f"{info}/licenses/LICENSE",
        ):
            if needed not in names:
                problems.append(f"{wheel.name}: no {needed}")
        native = "volunteer_ledger/_native.abi3.so"
        if native not in names:
            problems.append(f"{wheel.name}: no {native}")
        # The dist profile leaves out debug information (a section's name goes with it).
        elif b".debug_info\x00" in z.read(native):
            problems.append(f"{wheel.name}: {native} carries debug information (not the dist profile?)")
        if f"{info}/licenses/LICENSE" in names:
            if b"Apache License" not in z.read(f"{info}/licenses/LICENSE"):
                problems.append(f"{wheel.name}: its LICENSE is not the Apache License text")
        tags = [line.split(":", 1)[1].strip() for line in z.read(f"{info}/WHEEL").decode().splitlines()
                if line.startswith("Tag:")]
        if not tags or not all("-abi3-" in t for t in tags):
            problems.append(f"{wheel.name}: WHEEL tags {tags} are not all abi3")
        problems += metadata_problems(f"{wheel.name} METADATA", z.read(f"{info}/METADATA").decode())
    return problems


def sdist_problems(sdist: Path) -> list[str]:
    problems = []
    with tarfile.open(sdist) as t:
        members = {m.name: m for m in t.getmembers()}
        tops = {n.split("/")[0] for n in members}
        if len(tops) != 1:
            return [f"{sdist.name}: {len(tops)} top directories"]
        top = tops.pop()
        rel = {n[len(top) + 1 :]: m for n, m in members.items() if n != top}

        def text(name: str) -> str:
            f = t.extractfile(rel[name])
            return f.read().decode("utf-8") if f else ""

        # The binding's manifest sits beside pyproject.toml or under bindings-python/; the
        # core comes along as a path dependency (under core/ or a local dependency folder).
        for needed in ("pyproject.toml", "PKG-INFO", "Cargo.lock"):
            if needed not in rel:
                problems.append(f"{sdist.name}: no {needed}")
        for pattern, what in (
            (r"(.*/)?LICENSE", "LICENSE"),
            (r"(.*/)?README\.md", "the readme"),
            (r"(.*/)?core/Cargo\.toml", "the core's Cargo.toml"),
            (r"(.*/)?core/src/lib\.rs", "the core's src/lib.rs"),
            (r"(.*/)?bindings-python/src/lib\.rs|src/lib\.rs", "the binding's src/lib.rs"),
            (r"(.*/)?python/volunteer_ledger/__init__\.pyi", "the stubs"),
        ):
            if not any(re.fullmatch(pattern, n) for n in rel):
                problems.append(f"{sdist.name}: no {what}")
        core_sources = [n for n in rel if re.fullmatch(r"(.*/)?core/src/.+\.rs", n)]
        if len(core_sources) < 20:
            problems.append(f"{sdist.name}: only {len(core_sources)} of the core's sources")
        licence = [n for n in rel if re.fullmatch(r"(.*/)?LICENSE", n) and rel[n].isfile()]
        if licence and "Apache License" not in text(licence[0]):
            problems.append(f"{sdist.name}: its LICENSE is not the Apache License text")
        if "PKG-INFO" in rel:
            problems += metadata_problems(f"{sdist.name} PKG-INFO", text("PKG-INFO"))
        for name in rel:
            if re.fullmatch(r"(.*/)?(Cargo\.toml|pyproject\.toml|README\.md)", name) and rel[name].isfile():
                problems += placeholder_problems(f"{sdist.name} {name}", text(name))
    return problems


def auditwheel_problems(report: str) -> list[str]:
    """`auditwheel show` says which platform tag the wheel is consistent with; that tag's glibc
    must be no newer than manylinux2014's (2.17)."""
    tags = re.findall(
        r'(?:consistent\s+with\s+the\s+following\s+platform\s+tag:|constrains\s+the\s+platform\s+tag\s+to)\s+"([^"]+)"',
        report,
    )
    if not tags:
        return [f"auditwheel show named no platform tag:\n{report}"]
    problems = []
    for tag in tags:
        m = re.fullmatch(r"manylinux_(\d+)_(\d+)_x86_64", tag)
        legacy = {"manylinux1_x86_64": (2, 5), "manylinux2010_x86_64": (2, 12), "manylinux2014_x86_64": (2, 17)}
        glibc = (int(m.group(1)), int(m.group(2))) if m else legacy.get(tag)
        if glibc is None or glibc > MANYLINUX2014:
            problems.append(f"auditwheel show: the wheel is {tag}, not manylinux2014-compatible")
    return problems


def auditwheel_tag(report: str) -> str:
    found = re.findall(r'platform\s+tag(?::|\s+to)\s+"([^"]+)"', report)
    return found[-1] if found else "?"


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    wheel, sdist, report = Path(argv[1]), Path(argv[2]), Path(argv[3]).read_text(encoding="utf-8")
    problems = auditwheel_problems(report) + wheel_problems(wheel) + sdist_problems(sdist)
    for p in problems:
        print(f"check_dist.py: {p}", file=sys.stderr)
    if not problems:
        tag = auditwheel_tag(report)
        print(f"check_dist.py: {wheel.name} ({tag}, abi3) and {sdist.name}: metadata, licence and contents complete")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
