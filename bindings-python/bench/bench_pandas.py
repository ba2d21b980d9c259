#!/usr/bin/env python3
"""Figures for the Python binding (a benchmark, not a test): from a pandas DataFrame of
1,000,000 service records,

1. bulk add: ``Ledger.add_records(actor, frame)`` into an in-memory ledger, records per second
   (target >= 500,000/s);
2. bulk registration: ``Ledger.register_volunteers(actor, frame)`` of 100,000 volunteers into a
   file ledger (one transaction), volunteers per second (target >= 100,000/s);
3. boards: the weekly, monthly and yearly top-100 volunteer boards read from the ledger, against
   the same three boards computed with pandas groupby + rank on the same frame (target: the
   ledger >= 5x faster). Both must give the same top-100 (rank, volunteer, minutes) before
   anything is timed.

Medians of several runs, printed as a table. Run with a release build: ``make bench-python``.

    python bench_pandas.py [--records 1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from datetime import datetime
from typing import Any, Callable

import numpy as np
import pandas as pd

import volunteer_ledger as vl
from volunteer_ledger import _frames

ADMIN = "admin"
STREETS = 5
COMMUNITIES_PER_STREET = 4
NOW = datetime(2016, 1, 1, 8)  # naive: the ledger's +08:00
PERIODS = ("2015-W50", "2015-12", "2015")


def make_frame(records: int, volunteers: int, seed: int = 2015) -> pd.DataFrame:
    """`records` records of `volunteers` volunteers in 2015, none overlapping another of the
    same volunteer (each volunteer's k-th record is on its own day), 30 to 240 minutes each,
    naive local datetimes."""
    rng = np.random.default_rng(seed)
    n = records
    vol = np.arange(n) % volunteers
    k = np.arange(n) // volunteers
    per = -(-n // volunteers)
    spacing = max(1, 365 // per)
    day = (k * spacing + rng.integers(0, spacing, n)) % 365
    minutes = rng.integers(1, 9, n) * 30
    start = (
        np.datetime64("2015-01-01T00:00")
        + day.astype("timedelta64[D]")
        + rng.integers(7 * 60, 15 * 60, n).astype("timedelta64[m]")
    )
    communities = STREETS * COMMUNITIES_PER_STREET
    return pd.DataFrame(
        {
            "id": [f"R{i:07d}" for i in range(n)],
            "volunteer": [f"V{v:06d}" for v in vol],
            "org": [f"C{v % communities:02d}" for v in vol],
            "start": start,
            "end": start + minutes.astype("timedelta64[m]"),
            "minutes": minutes,
            "content": "服务",
        }
    )


def district(volunteers: int) -> vl.Ledger:
    l = vl.Ledger.in_memory("bench", "基准区", ADMIN)
    l.set_clock(datetime(2015, 1, 1, 0))
    l.register_org(ADMIN, id="D", name="基准区", kind="district")
    for s in range(STREETS):
        l.register_org(ADMIN, id=f"S{s}", name=f"街道{s}", kind="street", parent="D")
        for c in range(COMMUNITIES_PER_STREET):
            n = s * COMMUNITIES_PER_STREET + c
            l.register_org(ADMIN, id=f"C{n:02d}", name=f"社区{n}", kind="community", parent=f"S{s}")
    communities = STREETS * COMMUNITIES_PER_STREET
    for v in range(volunteers):
        l.register_volunteer(
            ADMIN,
            id=f"V{v:06d}",
            name="志愿者",
            identity_kind="passport",
            identity_number=f"E{10000000 + v}",
            home_org=f"C{v % communities:02d}",
        )
    l.set_clock(NOW)
    return l


def register_frame(volunteers: int) -> pd.DataFrame:
    communities = STREETS * COMMUNITIES_PER_STREET
    return pd.DataFrame(
        {
            "id": [f"V{v:06d}" for v in range(volunteers)],
            "name": "志愿者",
            "identity_kind": "passport",
            "identity_number": [f"E{10000000 + v}" for v in range(volunteers)],
            "home_org": [f"C{v % communities:02d}" for v in range(volunteers)],
        }
    )


def register_time(frame: pd.DataFrame, runs: int) -> float:
    """The median time of `register_volunteers(frame)` into a new file ledger of the district's
    tree (made before the clock starts)."""
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as d:
            l = vl.Ledger.create(os.path.join(d, "register.vl"), "bench", "基准区", ADMIN)
            l.set_clock(datetime(2015, 1, 1, 0))
            l.register_org(ADMIN, id="D", name="基准区", kind="district")
            for s in range(STREETS):
                l.register_org(ADMIN, id=f"S{s}", name=f"街道{s}", kind="street", parent="D")
                for c in range(COMMUNITIES_PER_STREET):
                    n = s * COMMUNITIES_PER_STREET + c
                    l.register_org(ADMIN, id=f"C{n:02d}", name=f"社区{n}", kind="community", parent=f"S{s}")
            t0 = time.perf_counter()
            answers = l.register_volunteers(ADMIN, frame)
            times.append(time.perf_counter() - t0)
            assert all(isinstance(a, vl.Receipt) for a in answers), answers[:3]
            l.close()
    return statistics.median(times)


def pandas_boards(df: pd.DataFrame) -> list[list[tuple[int, str, int]]]:
    """The three top-100 boards with pandas: filter the period (local time, ISO weeks), sum
    minutes per volunteer, rank most minutes first with ties sharing the best rank (1, 2, 2,
    4), ties listed by volunteer id."""
    start = df["start"]
    iso = start.dt.isocalendar()
    masks = [
        (iso["year"] == 2015) & (iso["week"] == 50),
        (start.dt.year == 2015) & (start.dt.month == 12),
        start.dt.year == 2015,
    ]
    boards = []
    for mask in masks:
        sums = df.loc[mask].groupby("volunteer", sort=False)["minutes"].sum()
        ranks = sums.rank(method="min", ascending=False).astype("int64")
        top = (
            pd.DataFrame({"minutes": sums, "rank": ranks})
            .reset_index()
            .sort_values(["rank", "volunteer"])
            .head(100)
        )
        boards.append(
            list(zip(top["rank"].tolist(), top["volunteer"].tolist(), top["minutes"].tolist()))
        )
    return boards


def ledger_boards(l: vl.Ledger) -> list[list[tuple[int, str, int]]]:
    out = []
    for period in PERIODS:
        board = l.leaderboard(period, limit=100)
        out.append([(e.rank, e.id or "", e.minutes) for e in board.entries])
    return out


def median_time(f: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        f()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--volunteers", type=int, default=50_000)
    parser.add_argument("--register", type=int, default=100_000, help="volunteers registered in bulk")
    parser.add_argument("--runs", type=int, default=3, help="bulk-add runs (boards: 5x as many)")
    args = parser.parse_args()
    n = args.records
    print(f"volunteer_ledger {vl.__version__}, pandas {pd.__version__}, Python "
          f"{platform.python_version()}, {os.cpu_count()} CPUs ({platform.machine()})")
    df = make_frame(n, args.volunteers)

    # ---- bulk add -----------------------------------------------------------------------
    add_times, add_cpu, convert_times = [], [], []
    ledger = None
    for _ in range(args.runs):
        ledger = district(args.volunteers)
        t0 = time.perf_counter()
        _frames.record_columns(df, 480)
        convert_times.append(time.perf_counter() - t0)
        t0, c0 = time.perf_counter(), time.process_time()
        results = ledger.add_records(ADMIN, df)
        add_times.append(time.perf_counter() - t0)
        add_cpu.append(time.process_time() - c0)
        assert results.refused == 0 and results.added == n, results.refusals()[:3]
        del results
    assert ledger is not None
    add = statistics.median(add_times)
    cpu = statistics.median(add_cpu)
    convert = statistics.median(convert_times)

    # ---- bulk registration ----------------------------------------------------------------
    register = register_time(register_frame(args.register), args.runs)

    # ---- boards -------------------------------------------------------------------------
    mine, theirs = ledger_boards(ledger), pandas_boards(df)
    for period, a, b in zip(PERIODS, mine, theirs):
        assert len(a) == 100 and a == b, f"{period}: the boards differ"
    board_runs = 5 * args.runs
    t_ledger = median_time(lambda: ledger_boards(ledger), board_runs)
    t_pandas = median_time(lambda: pandas_boards(df), board_runs)

    rows = [
        ("bulk add, DataFrame -> in-memory ledger", f"{add:.2f} s", f"{n / add:,.0f} records/s", ">= 500,000/s"),
        ("  the same, CPU time of this process", f"{cpu:.2f} s", f"{n / cpu:,.0f} records/CPU-s", ""),
        ("  of which the frame -> columns step", f"{convert:.2f} s", f"{n / convert:,.0f} records/s", ""),
        (f"register_volunteers, DataFrame -> file ledger ({args.register:,})", f"{register:.2f} s", f"{args.register / register:,.0f} volunteers/s", ">= 100,000/s"),
        ("3 top-100 boards (week, month, year), ledger", f"{t_ledger * 1e3:.3f} ms", "", ""),
        ("same 3 boards, pandas groupby + rank", f"{t_pandas * 1e3:.1f} ms", f"ledger {t_pandas / t_ledger:,.0f}x faster", ">= 5x"),
    ]
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average at the end: {load:.1f} (wall time above CPU time means shared cores)")
    print(f"\n{n:,} records of {args.volunteers:,} volunteers; medians of {args.runs} (bulk add) "
          f"and {board_runs} (boards) runs; boards checked equal first\n")
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)))


if __name__ == "__main__":
    main()
