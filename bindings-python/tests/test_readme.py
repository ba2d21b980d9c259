"""Every code block of README.md names its language, and every Python block runs as written.

- ```python blocks run here, each in a directory of its own holding the files it names
  (`district.db`, the month's sheet, `check-ins.xlsx`: made from examples/data), with the
  names the README leaves to the reader given: `vl` (the first block's
  `import volunteer_ledger as vl`, which the later blocks read on from, as in a notebook),
  `keystore_bytes` (a platform's 32-byte key) and `kms` (whose `fetch(id)` returns it). A
  `print(...)  # shown` line must print what its comment shows (`...` stands for anything).
- ```rust blocks run as doctests of the core (core/src/lib.rs includes the README).
- ```kotlin and ```swift blocks are fragments of an app: the bindings' own tests cover those
  calls (bindings-mobile/kotlin; Swift is never compiled here), so they are not run.
- ```sh blocks are commands of the build (make, pip, cargo, git): not run.
- ```text blocks are output and file trees.

A bare fence would be compiled by rustdoc as Rust, so every block must name its language."""

from __future__ import annotations

import csv
import json
import re
import shutil
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import volunteer_ledger as vl

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DATA = ROOT / "examples" / "data"
LANGUAGES = {"rust", "python", "kotlin", "swift", "sh", "text"}
FENCE = re.compile(r"^```(\S*)\s*$")


def blocks() -> list[tuple[int, str, str]]:
    """(line of the opening fence, language, code) of every fenced block, in order."""
    found: list[tuple[int, str, str]] = []
    opened: tuple[int, str] | None = None
    body: list[str] = []
    for n, line in enumerate(README.read_text(encoding="utf-8").splitlines(), start=1):
        m = FENCE.match(line)
        if opened is None and m:
            opened, body = (n, m.group(1)), []
        elif opened is not None and line.strip() == "```":
            found.append((opened[0], opened[1], "\n".join(body) + "\n"))
            opened = None
        elif opened is not None:
            body.append(line)
    assert opened is None, f"README.md:{opened[0] if opened else 0}: a block is never closed"
    return found


PYTHON = [(line, code) for line, lang, code in blocks() if lang == "python"]


def test_every_block_names_a_known_language() -> None:
    for line, lang, _ in blocks():
        assert lang in LANGUAGES, f"README.md:{line}: ```{lang} is not one of {sorted(LANGUAGES)}"


def test_the_python_and_rust_blocks_are_found() -> None:
    langs = [lang for _, lang, _ in blocks()]
    assert len(PYTHON) >= 3 and "rust" in langs


def district_file(path: Path) -> None:
    """The sample district of examples/data in a ledger file, kept by `district-admin`."""
    doc = json.loads((DATA / "district.json").read_text(encoding="utf-8"))
    with vl.Ledger.create(path, doc["ledger"]["id"], doc["ledger"]["name"], "district-admin") as l:
        l.set_clock(datetime(2015, 1, 1, 8))
        for o in doc["orgs"]:
            l.register_org("district-admin", **o)
        with open(DATA / "volunteers.csv", encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f):
                l.register_volunteer("district-admin", **row)  # type: ignore[arg-type]


def check_ins(path: Path) -> None:
    """1,200 check-in rows of July 2015: 1,180 good ones, 12 sent twice, 8 of a volunteer
    nobody registered, as the README's comment counts them."""
    pd = pytest.importorskip("pandas")
    pytest.importorskip("openpyxl")
    with open(DATA / "volunteers.csv", encoding="utf-8", newline="") as f:
        people = [(r["id"], r["home_org"]) for r in csv.DictReader(f)]
    rows: list[dict[str, Any]] = []
    for k in range(1180):
        volunteer, org = people[k % len(people)]
        start = datetime(2015, 7, 1 + k // len(people), 9)
        rows.append(dict(id=f"CI{k:04}", volunteer=volunteer, org=org, start=start,
                         end=start + timedelta(hours=2), minutes=120))
    rows += rows[:12]
    for k in range(8):
        start = datetime(2015, 7, 20 + k, 9)
        rows.append(dict(id=f"CX{k}", volunteer="XT99999", org="C0101", start=start,
                         end=start + timedelta(hours=2), minutes=120))
    pd.DataFrame(rows).to_excel(path, index=False)


class Kms:
    """A platform's key service: the same 32 bytes for every key id."""

    def __init__(self, key: bytes) -> None:
        self.key = key

    def fetch(self, key_id: str) -> bytes:
        return self.key


def givens(code: str, here: Path) -> dict[str, Any]:
    """The files a block names, made in `here`, and the names it leaves to the reader."""
    if 'Ledger.open("district.db")' in code:
        district_file(here / "district.db")
    if "学田街道.csv" in code:
        shutil.copy(DATA / "upload_sample_gbk.csv", here / "2015-06 学田街道.csv")
    if "check-ins.xlsx" in code:
        check_ins(here / "check-ins.xlsx")
    key = bytes(range(32))
    return {"__name__": "__readme__", "vl": vl, "keystore_bytes": key, "kms": Kms(key)}


def shown(code: str) -> list[str]:
    """What the block's `print(...)  # shown` lines say they print."""
    return [
        line.split("#", 1)[1].strip()
        for line in code.splitlines()
        if line.lstrip().startswith("print(") and "#" in line
    ]


def matches(got: str, want: str) -> bool:
    pattern = ".*".join(re.escape(part) for part in re.split(r"\.\.\.|…", want))
    return re.fullmatch(pattern, got) is not None


@pytest.mark.parametrize(("line", "code"), PYTHON, ids=[f"README.md:{n}" for n, _ in PYTHON])
def test_python_block_runs_as_written(
    line: int, code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    namespace = givens(code, tmp_path)
    exec(compile(code, f"README.md:{line}", "exec"), namespace)
    out = capsys.readouterr().out.splitlines()
    want = shown(code)
    assert len(out) == len(want), f"README.md:{line} printed {out}, its comments show {want}"
    for got, w in zip(out, want):
        assert matches(got, w), f"README.md:{line}: printed {got!r}, the comment shows {w!r}"
