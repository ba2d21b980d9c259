"""The example scripts of examples/python, run as a user runs them (so they cannot rot),
writing into a temporary directory."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "python"
MONTHLY = EXAMPLES / "monthly_upload.py"


def run(*args: str, block_matplotlib: bool = False) -> subprocess.CompletedProcess[str]:
    if block_matplotlib:
        code = (
            "import runpy, sys; sys.modules['matplotlib'] = None; "
            f"sys.argv = [{str(MONTHLY)!r}, *sys.argv[1:]]; "
            f"runpy.run_path({str(MONTHLY)!r}, run_name='__main__')"
        )
        cmd = [sys.executable, "-W", "error", "-c", code, *args]
    else:
        cmd = [sys.executable, "-W", "error", str(MONTHLY), *args]
    done = subprocess.run(cmd, capture_output=True, text=True, encoding="utf-8", timeout=300)
    assert done.returncode == 0, done.stderr
    # Nothing on stderr but tqdm's progress bars, when tqdm is installed (unit: rows).
    bars = [line for line in re.split(r"[\r\n]+", done.stderr) if line.strip()]
    assert all("row/s" in line or "it/s" in line for line in bars), done.stderr
    return done


def test_monthly_upload_prints_rejects_publishes_and_draws(tmp_path: Path) -> None:
    first = run("--out", str(tmp_path), "--month", "2015-06")
    assert "10 added" in first.stdout and "5 rejected" in first.stdout
    assert "E_UNKNOWN_VOLUNTEER" in first.stdout and "第   9 行" in first.stdout
    board = tmp_path / "leaderboard-2015-06.xlsx"
    assert board.read_bytes()[:2] == b"PK"
    # Run again on the same ledger file: every row is there already.
    again = run("--out", str(tmp_path))
    assert "0 added" in again.stdout and "10 already there" in again.stdout
    pytest.importorskip("matplotlib")
    chart = tmp_path / "street-hours.png"
    assert chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_monthly_upload_without_matplotlib_skips_the_chart(tmp_path: Path) -> None:
    done = run("--out", str(tmp_path), block_matplotlib=True)
    assert "the chart is skipped" in done.stdout
    assert not (tmp_path / "street-hours.png").exists()
    assert (tmp_path / "leaderboard-2015-06.xlsx").exists()


def test_monthly_upload_takes_an_xlsx_sheet(tmp_path: Path) -> None:
    xlsx = EXAMPLES.parent / "data" / "upload_sample.xlsx"
    done = run("--out", str(tmp_path), str(xlsx), block_matplotlib=True)
    assert "upload_sample.xlsx: 15 rows, 10 added" in done.stdout
