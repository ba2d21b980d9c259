#!/usr/bin/env python3
"""A data-staff month: upload the month's hand-kept sheets, print the rejected rows, publish
the month's leaderboard to Excel and draw hours per street per month to a PNG.

    python examples/python/monthly_upload.py --out out/ --month 2015-06 sheet1.csv sheet2.xlsx

The ledger file (``--ledger``, default ``OUT/district.db``) is opened, or created with the
sample district of ``examples/data`` when it does not exist. With no sheet given, the
sample GBK sheet of ``examples/data`` is uploaded. Every figure comes from the ledger (the
core's rules); this script only moves files and draws. matplotlib is optional: without it
the chart is skipped with a message. tqdm is optional too: with it, uploads show a bar.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Callable, Optional, Sequence

import volunteer_ledger as vl

DATA = Path(__file__).resolve().parents[1] / "data"
UPLOADER = "district-admin"


def open_or_create(path: Path) -> vl.Ledger:
    """The district's ledger file, created from the sample district the first time."""
    if path.exists():
        return vl.Ledger.open(path)
    doc = json.loads((DATA / "district.json").read_text(encoding="utf-8"))
    ledger = vl.Ledger.create(path, doc["ledger"]["id"], doc["ledger"]["name"], UPLOADER)
    # The sample district is set up as of New Year's Day 2015; naive datetimes are +08:00.
    from datetime import datetime

    ledger.set_clock(datetime(2015, 1, 1, 8))
    for org in doc["orgs"]:
        ledger.register_org(UPLOADER, **org)
    with open(DATA / "volunteers.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            ledger.register_volunteer(
                UPLOADER,
                id=row["id"],
                name=row["name"],
                identity_kind=row["identity_kind"],  # type: ignore[arg-type]
                identity_number=row["identity_number"],
                home_org=row["home_org"] or None,
            )
    ledger.set_clock(None)
    return ledger


def progress_bar(name: str) -> tuple[Callable[[int, int], None], Callable[[], None]]:
    """A progress callback for an upload, and what to call when it is done: a tqdm bar when
    tqdm is installed, a line of text otherwise."""
    try:
        from tqdm import tqdm  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        def report(done: int, total: int) -> None:
            if done == total:
                print(f"  {name}: {done} rows read")

        return report, lambda: None
    bar = tqdm(desc=name, unit="row")

    def update(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    return update, bar.close


def upload_sheets(ledger: vl.Ledger, sheets: Sequence[Path]) -> list[vl.ImportReport]:
    """Uploads each sheet and prints what was refused, row by row, in Chinese and English."""
    reports = []
    for sheet in sheets:
        on_progress, done = progress_bar(sheet.name)
        report = ledger.upload(UPLOADER, sheet.read_bytes(), progress=on_progress)
        done()
        print(
            f"{sheet.name}: {report.rows} rows, {report.accepted} added "
            f"({report.pending} to confirm), {report.duplicates} already there, "
            f"{len(report.rejected)} rejected"
        )
        for p in report.rejected:
            print(f"  第 {p.row:>3} 行  {p.column or '-':<10} {p.code:<24} {p.message_zh}")
            print(f"  row {p.row:>3}  {'':<10} {'':<24} {p.message_en}")
        reports.append(report)
    return reports


def publish_board(ledger: vl.Ledger, month: str, out: Path) -> Path:
    """The month's top-100 volunteers as an Excel file (names masked by the core)."""
    path = out / f"leaderboard-{month}.xlsx"
    path.write_bytes(ledger.export_leaderboard(month, format="xlsx", language="zh"))
    board = ledger.leaderboard(month, limit=3)
    top = ", ".join(f"{e.rank}. {e.name} {e.minutes / 60:.1f} h" for e in board.entries)
    print(f"published {path.name}: {board.ranked} volunteers ranked; top: {top}")
    return path


def street_hours(ledger: vl.Ledger, months: Sequence[str]) -> dict[str, list[float]]:
    """Hours per street per month: the core's org boards of the district (each street with
    the minutes served in its subtree)."""
    district = "D"
    hours: dict[str, list[float]] = {}
    for i, month in enumerate(months):
        board = ledger.leaderboard(month, scope=f"org:{district}", kind="orgs", limit=1000)
        for e in board.entries:
            hours.setdefault(e.name, [0.0] * len(months))[i] = e.minutes / 60
    return hours


def draw_chart(hours: dict[str, list[float]], months: Sequence[str], out: Path) -> Optional[Path]:
    """A bar chart of hours per street per month, or None (with a message) without
    matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: the chart is skipped (pip install matplotlib)")
        return None
    plt.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "WenQuanYi Zen Hei", "DejaVu Sans"]
    fig, ax = plt.subplots(figsize=(8, 4))
    width = 0.8 / max(len(hours), 1)
    for n, (street, values) in enumerate(sorted(hours.items())):
        xs = [i + n * width for i in range(len(months))]
        # Labels by position: a font without CJK glyphs would otherwise warn.
        ax.bar(xs, values, width, label=f"street {n + 1}")
    ax.set_xticks([i + 0.4 - width / 2 for i in range(len(months))], list(months))
    ax.set_ylabel("hours")
    ax.set_title("Hours per street per month")
    ax.legend()
    path = out / "street-hours.png"
    fig.savefig(path, dpi=100)
    plt.close(fig)
    print(f"drew {path.name}: " + "; ".join(f"street {n + 1} = {s}" for n, s in enumerate(sorted(hours))))
    return path


def months_to(month: str) -> list[str]:
    """The months of `month`'s year up to it ('2015-01' … '2015-06'), by the core's periods."""
    info = vl.period_info(month)
    months = [info.text]
    while info.previous is not None and info.previous.startswith(month[:4]):
        info = vl.period_info(info.previous)
        months.insert(0, info.text)
    return months


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("sheets", nargs="*", type=Path, help="CSV or XLSX sheets of the month")
    parser.add_argument("--month", default="2015-06", help="the month, such as 2015-06")
    parser.add_argument("--out", type=Path, default=Path("out"), help="where files go")
    parser.add_argument("--ledger", type=Path, help="the ledger file (default OUT/district.db)")
    args = parser.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    sheets = args.sheets or [DATA / "upload_sample_gbk.csv"]
    with open_or_create(args.ledger or out / "district.db") as ledger:
        upload_sheets(ledger, sheets)
        publish_board(ledger, args.month, out)
        months = months_to(args.month)
        draw_chart(street_hours(ledger, months), months, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
