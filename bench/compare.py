"""make bench: volunteer-ledger beside DuckDB, SQLite, pandas and polars on the same data.

Reads the generated data directory and the ledger's JSON (timings and answers, written by
`vl-bench run`), runs the alternatives, checks that every top-100 board of every alternative
agrees exactly with the ledger's (ids, minutes, ranks) and only then prints the table.

    python bench/compare.py DATA_DIR LEDGER_JSON [--runs N]

What the ledger's boards are (core/src/ranking.rs): per ISO week, calendar month and year of
the record's local service date, the confirmed minutes per volunteer, volunteers hidden from
boards left out, most minutes first, ties by volunteer number, standard competition ranks
(1, 2, 2, 4), the first 100 lines.
"""

import csv
import datetime as dt
import json
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time

import duckdb
import pandas as pd
import polars as pl

TOP = 100


def median(xs):
    return statistics.median(xs)


def timed(fn, runs):
    out, times = None, []
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return out, times


def to_boards(rows):
    """(period, rank, id, minutes) rows in board order -> {period: [[rank, id, minutes]]}."""
    boards = {}
    for p, r, v, m in rows:
        boards.setdefault(str(p), []).append([int(r), str(v), int(m)])
    return boards


def check(name, got, want):
    if got == want:
        return
    missing = sorted(set(want) - set(got))[:3]
    extra = sorted(set(got) - set(want))[:3]
    for p in sorted(want):
        if p in got and got[p] != want[p]:
            diff = next(i for i, (a, b) in enumerate(zip(got[p], want[p])) if a != b) if any(
                a != b for a, b in zip(got[p], want[p])) else min(len(got[p]), len(want[p]))
            sys.exit(f"FAIL {name}: board {p} differs at line {diff + 1}: "
                     f"got {got[p][diff:diff + 2]}, the ledger has {want[p][diff:diff + 2]}")
    sys.exit(f"FAIL {name}: boards missing {missing}, extra {extra}")


# ---- periods ------------------------------------------------------------------------------

def period_range(p):
    """'2025-W52' / '2025-12' / '2025' -> (first day, last day) as ISO strings."""
    if "-W" in p:
        y, w = p.split("-W")
        a = dt.date.fromisocalendar(int(y), int(w), 1)
        return a.isoformat(), (a + dt.timedelta(days=6)).isoformat()
    if "-" in p:
        y, m = map(int, p.split("-"))
        a = dt.date(y, m, 1)
        b = dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)
        return a.isoformat(), b.isoformat()
    return f"{p}-01-01", f"{p}-12-31"


# ---- DuckDB -------------------------------------------------------------------------------

DUCK_READ = """
CREATE OR REPLACE TABLE records AS
  SELECT "志愿者编号" AS volunteer, "服务日期"::DATE AS day, "服务时长(分钟)"::BIGINT AS minutes
  FROM read_csv('{csv}', header = true, all_varchar = true);
CREATE OR REPLACE TABLE hidden AS
  SELECT "志愿者编号" AS volunteer FROM read_csv('{vols}', header = true, all_varchar = true)
  WHERE "排行榜显示" = 'hidden';
"""

# Every board in one statement: minutes per (period, volunteer) from the three period keys of
# each record (the SQL before RANKED), ranked within each period and cut at 100 lines.
RANKED = """
  ) WHERE volunteer NOT IN (SELECT volunteer FROM hidden)
  GROUP BY period, volunteer
), ranked AS (
  SELECT period, volunteer, m,
         RANK() OVER (PARTITION BY period ORDER BY m DESC) AS rk,
         ROW_NUMBER() OVER (PARTITION BY period ORDER BY m DESC, volunteer) AS rn
  FROM per
)
SELECT period, rk, volunteer, m FROM ranked WHERE rn <= 100 ORDER BY period, rn
"""

DUCK_ALL = """
WITH per AS (
  SELECT period, volunteer, SUM(minutes) AS m FROM (
    SELECT strftime(day, '%G-W%V') AS period, volunteer, minutes FROM records
    UNION ALL SELECT strftime(day, '%Y-%m'), volunteer, minutes FROM records
    UNION ALL SELECT strftime(day, '%Y'), volunteer, minutes FROM records
""" + RANKED

ONE_BOARD = """
SELECT rk, volunteer, m FROM (
  SELECT volunteer, m, RANK() OVER (ORDER BY m DESC) AS rk FROM (
    SELECT volunteer, SUM(minutes) AS m FROM records
    WHERE day BETWEEN {lo} AND {hi} AND volunteer NOT IN (SELECT volunteer FROM hidden)
    GROUP BY volunteer))
ORDER BY m DESC, volunteer LIMIT 100
"""


def duck_all(csv_path, vols_path):
    c = duckdb.connect()
    c.execute(DUCK_READ.format(csv=csv_path, vols=vols_path))
    return to_boards(c.execute(DUCK_ALL).fetchall())


# ---- SQLite -------------------------------------------------------------------------------

# The ISO week in any SQLite: the Thursday of the date's week decides its year and number.
SQLITE_ALL = """
WITH per AS (
  SELECT period, volunteer, SUM(minutes) AS m FROM (
    SELECT strftime('%Y', thu) || '-W' || printf('%02d', (CAST(strftime('%j', thu) AS INTEGER) - 1) / 7 + 1)
             AS period, volunteer, minutes
      FROM (SELECT date(day, '-3 days', 'weekday 4') AS thu, volunteer, minutes FROM records)
    UNION ALL SELECT substr(day, 1, 7), volunteer, minutes FROM records
    UNION ALL SELECT substr(day, 1, 4), volunteer, minutes FROM records
""" + RANKED


def sqlite_load(c, csv_path, vols_path):
    c.execute("CREATE TABLE records (volunteer TEXT, day TEXT, minutes INTEGER)")
    c.execute("CREATE TABLE hidden (volunteer TEXT PRIMARY KEY)")
    with open(csv_path, newline="", encoding="utf-8") as f:
        r = csv.reader(f)
        h = next(r)
        iv, idy, im = h.index("志愿者编号"), h.index("服务日期"), h.index("服务时长(分钟)")
        c.executemany("INSERT INTO records VALUES (?, ?, ?)",
                      ((row[iv], row[idy], int(row[im])) for row in r))
    with open(vols_path, newline="", encoding="utf-8") as f:
        r = csv.DictReader(f)
        c.executemany("INSERT INTO hidden VALUES (?)",
                      ((row["志愿者编号"],) for row in r if row["排行榜显示"] == "hidden"))


def sqlite_all(csv_path, vols_path):
    c = sqlite3.connect(":memory:")
    sqlite_load(c, csv_path, vols_path)
    return to_boards(c.execute(SQLITE_ALL).fetchall())


# ---- pandas -------------------------------------------------------------------------------

def pandas_read(csv_path, vols_path):
    df = pd.read_csv(csv_path, usecols=["志愿者编号", "服务日期", "服务时长(分钟)"],
                     dtype={"志愿者编号": str, "服务日期": str, "服务时长(分钟)": "int64"})
    df.columns = ["volunteer", "day", "minutes"]
    vols = pd.read_csv(vols_path, usecols=["志愿者编号", "排行榜显示"], dtype=str)
    hidden = set(vols.loc[vols["排行榜显示"] == "hidden", "志愿者编号"])
    df["day"] = pd.to_datetime(df["day"], format="%Y-%m-%d")
    return df, hidden


def pandas_rank(per):
    """per: columns period, volunteer, m -> the top-100 boards."""
    per = per.sort_values(["period", "m", "volunteer"], ascending=[True, False, True])
    per["rk"] = per.groupby("period")["m"].rank(method="min", ascending=False).astype("int64")
    top = per.groupby("period", sort=False).head(TOP)
    return to_boards(zip(top["period"], top["rk"], top["volunteer"], top["m"]))


def pandas_all(csv_path, vols_path):
    df, hidden = pandas_read(csv_path, vols_path)
    df = df[~df["volunteer"].isin(hidden)]
    iso = df["day"].dt.isocalendar()
    keys = [
        iso["year"].astype(str) + "-W" + iso["week"].astype(str).str.zfill(2),
        df["day"].dt.strftime("%Y-%m"),
        df["day"].dt.strftime("%Y"),
    ]
    parts = []
    for k in keys:
        g = df.groupby([k.rename("period"), df["volunteer"]])["minutes"].sum()
        parts.append(g.rename("m").reset_index())
    return pandas_rank(pd.concat(parts, ignore_index=True))


# ---- polars -------------------------------------------------------------------------------

def polars_read(csv_path, vols_path):
    df = pl.read_csv(csv_path, columns=["志愿者编号", "服务日期", "服务时长(分钟)"],
                     schema_overrides={"志愿者编号": pl.Utf8, "服务日期": pl.Utf8,
                                       "服务时长(分钟)": pl.Int64})
    df = df.rename({"志愿者编号": "volunteer", "服务日期": "day", "服务时长(分钟)": "minutes"})
    df = df.with_columns(pl.col("day").str.to_date("%Y-%m-%d"))
    vols = pl.read_csv(vols_path, columns=["志愿者编号", "排行榜显示"], infer_schema=False)
    hidden = vols.filter(pl.col("排行榜显示") == "hidden")["志愿者编号"]
    return df, hidden


def polars_rank(per):
    per = per.with_columns(pl.col("m").rank("min", descending=True).over("period").alias("rk"))
    top = (per.sort(["period", "m", "volunteer"], descending=[False, True, False])
              .group_by("period", maintain_order=True).head(TOP))
    return to_boards(top.select(["period", "rk", "volunteer", "m"]).iter_rows())


def polars_all(csv_path, vols_path):
    df, hidden = polars_read(csv_path, vols_path)
    df = df.filter(~pl.col("volunteer").is_in(hidden.to_list()))
    week = (pl.col("day").dt.iso_year().cast(pl.Utf8) + "-W"
            + pl.col("day").dt.week().cast(pl.Utf8).str.zfill(2))
    parts = [
        df.group_by([k.alias("period"), "volunteer"]).agg(pl.col("minutes").sum().alias("m"))
        for k in (week, pl.col("day").dt.strftime("%Y-%m"), pl.col("day").dt.strftime("%Y"))
    ]
    return polars_rank(pl.concat(parts))


# ---- fresh leaderboard ----------------------------------------------------------------------

def fresh_duckdb(csv_path, vols_path, appended, periods, runs):
    c = duckdb.connect()
    c.execute(DUCK_READ.format(csv=csv_path, vols=vols_path))
    ranges = [period_range(p) for p in periods]

    def step(a):
        c.execute("INSERT INTO records VALUES (?, ?::DATE, ?)", [a["volunteer"], a["date"], a["minutes"]])
        return {p: [[int(r), v, int(m)] for r, v, m in
                    c.execute(ONE_BOARD.format(lo=f"DATE '{lo}'", hi=f"DATE '{hi}'")).fetchall()]
                for p, (lo, hi) in zip(periods, ranges)}
    return run_fresh(step, appended, runs)


def fresh_sqlite(csv_path, vols_path, appended, periods, runs):
    c = sqlite3.connect(":memory:")
    sqlite_load(c, csv_path, vols_path)
    # The index a careful user would add: by day, covering the board's columns.
    c.execute("CREATE INDEX records_day ON records (day, volunteer, minutes)")
    ranges = [period_range(p) for p in periods]

    def step(a):
        c.execute("INSERT INTO records VALUES (?, ?, ?)", (a["volunteer"], a["date"], a["minutes"]))
        return {p: [[int(r), v, int(m)] for r, v, m in
                    c.execute(ONE_BOARD.format(lo=f"'{lo}'", hi=f"'{hi}'")).fetchall()]
                for p, (lo, hi) in zip(periods, ranges)}
    return run_fresh(step, appended, runs)


def fresh_pandas(csv_path, vols_path, appended, periods, runs):
    df, hidden = pandas_read(csv_path, vols_path)
    ranges = [(pd.Timestamp(lo), pd.Timestamp(hi)) for lo, hi in map(period_range, periods)]
    state = {"df": df}

    def step(a):
        row = pd.DataFrame({"volunteer": [a["volunteer"]], "day": [pd.Timestamp(a["date"])],
                            "minutes": [a["minutes"]]})
        d = state["df"] = pd.concat([state["df"], row], ignore_index=True)
        out = {}
        for p, (lo, hi) in zip(periods, ranges):
            sel = d[(d["day"] >= lo) & (d["day"] <= hi) & ~d["volunteer"].isin(hidden)]
            g = sel.groupby("volunteer")["minutes"].sum().rename("m").reset_index()
            g = g.sort_values(["m", "volunteer"], ascending=[False, True])
            g["rk"] = g["m"].rank(method="min", ascending=False).astype("int64")
            g = g.head(TOP)
            out[p] = [[int(r), v, int(m)] for r, v, m in zip(g["rk"], g["volunteer"], g["m"])]
        return out
    return run_fresh(step, appended, runs)


def fresh_polars(csv_path, vols_path, appended, periods, runs):
    df, hidden = polars_read(csv_path, vols_path)
    hidden = hidden.to_list()
    ranges = [tuple(dt.date.fromisoformat(x) for x in period_range(p)) for p in periods]
    state = {"df": df}

    def step(a):
        row = pl.DataFrame({"volunteer": [a["volunteer"]],
                            "day": [dt.date.fromisoformat(a["date"])],
                            "minutes": [a["minutes"]]}, schema=state["df"].schema)
        d = state["df"] = state["df"].vstack(row)
        out = {}
        for p, (lo, hi) in zip(periods, ranges):
            g = (d.lazy().filter(pl.col("day").is_between(lo, hi) & ~pl.col("volunteer").is_in(hidden))
                  .group_by("volunteer").agg(pl.col("minutes").sum().alias("m"))
                  .with_columns(pl.col("m").rank("min", descending=True).alias("rk"))
                  .sort(["m", "volunteer"], descending=[True, False]).head(TOP).collect())
            out[p] = [[int(r), v, int(m)] for r, v, m in g.select(["rk", "volunteer", "m"]).iter_rows()]
        return out
    return run_fresh(step, appended, runs)


def run_fresh(step, appended, runs):
    first, times = None, []
    for i, a in enumerate(appended[:max(runs, 1)]):
        t = time.perf_counter()
        out = step(a)
        times.append(time.perf_counter() - t)
        if i == 0:
            first = out
    return first, times


# ---- upload -------------------------------------------------------------------------------

def pandas_to_sql(sheet_path, runs):
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory(dir=os.environ.get("TMPDIR")) as d:
            path = os.path.join(d, "to_sql.db")
            t = time.perf_counter()
            df = pd.read_csv(sheet_path, dtype=str, keep_default_na=False)
            df["服务时长(分钟)"] = df["服务时长(分钟)"].astype("int64")
            c = sqlite3.connect(path)
            c.execute("PRAGMA journal_mode = WAL")
            c.execute("PRAGMA synchronous = FULL")
            n = df.to_sql("records", c, index=False)
            c.commit()
            c.close()
            times.append(time.perf_counter() - t)
            assert n == len(df), "to_sql wrote another number of rows"
    return times


# ---- the table ----------------------------------------------------------------------------

def fmt_time(s):
    if s < 1e-3:
        return f"{s * 1e6:.1f} µs"
    if s < 1:
        return f"{s * 1e3:.1f} ms"
    return f"{s:.2f} s"


def machine():
    model = "?"
    try:
        with open("/proc/cpuinfo") as f:
            model = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = "?"
    try:
        with open("/proc/meminfo") as f:
            kb = int(next(line.split()[1] for line in f if line.startswith("MemTotal")))
            mem = f"{kb / 2**20:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    return (f"{os.cpu_count()} cores ({model}), {mem}; Python {platform.python_version()}, "
            f"DuckDB {duckdb.__version__}, SQLite {sqlite3.sqlite_version}, pandas {pd.__version__}, "
            f"polars {pl.__version__}")


def main():
    data, ledger_json = sys.argv[1], sys.argv[2]
    runs = int(sys.argv[sys.argv.index("--runs") + 1]) if "--runs" in sys.argv else 3
    with open(ledger_json) as f:
        L = json.load(f)
    csv_path = os.path.join(data, "records.csv")
    vols_path = os.path.join(data, "volunteers.csv")
    want_all = L["all_boards"]["boards"]
    fresh = L["fresh"]
    want_fresh = fresh["boards_after_first"]

    print(f"bench: {L['records']:,} records, {L['meta']['volunteers']:,} volunteers, "
          f"{len(want_all)} boards; {runs} runs each", file=sys.stderr)

    results = {}
    # Fresh leaderboard: the same appends, the boards after the first one checked.
    for name, fn in [("DuckDB", fresh_duckdb), ("SQLite", fresh_sqlite),
                     ("pandas", fresh_pandas), ("polars", fresh_polars)]:
        got, times = fn(csv_path, vols_path, fresh["appended"], fresh["periods"], max(runs, 5))
        check(f"fresh {name}", got, want_fresh)
        results[("fresh", name)] = times
        print(f"  fresh {name}: {fmt_time(median(times))} (boards agree)", file=sys.stderr)

    # All boards from scratch, each reading the CSV.
    for name, fn in [("DuckDB", duck_all), ("SQLite", sqlite_all),
                     ("pandas", pandas_all), ("polars", polars_all)]:
        got, times = timed(lambda: fn(csv_path, vols_path), runs)
        check(f"all boards {name}", got, want_all)
        results[("all", name)] = times
        print(f"  all boards {name}: {fmt_time(median(times))} (all {len(got)} boards agree)",
              file=sys.stderr)

    # Upload: the ledger's sheet (the first 1,000,000 rows) through pandas into SQLite.
    rows = L["upload"]["rows"]
    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8",
                                     dir=os.environ.get("TMPDIR")) as f:
        with open(csv_path, encoding="utf-8") as src:
            for i, line in enumerate(src):
                if i > rows:
                    break
                f.write(line)
        sheet_path = f.name
    try:
        results[("upload", "pandas")] = pandas_to_sql(sheet_path, runs)
    finally:
        os.unlink(sheet_path)

    # Every answer agreed: the table.
    m = {k: median(v) for k, v in results.items()}
    fresh_ledger = median(fresh["times_s"])
    fastest = min(m[("fresh", n)] for n in ("DuckDB", "SQLite", "pandas", "polars"))
    print()
    print(f"volunteer-ledger bench: size {L['meta']['size']}, {L['records']:,} records, "
          f"{L['meta']['volunteers']:,} volunteers, {len(want_all)} boards "
          f"({sum(1 for p in want_all if '-W' in p)} weeks, "
          f"{sum(1 for p in want_all if '-W' not in p and '-' in p)} months, "
          f"{sum(1 for p in want_all if '-' not in p)} years); seed {L['meta']['seed']}")
    print(f"machine: {machine()}")
    print("every top-100 board of every tool below agreed exactly with the ledger's (ids, minutes, ranks)")
    print()
    print("| fresh leaderboard: append one record, then the top-100 week, month and year boards | median | alternative ÷ ledger |")
    print("|---|---:|---:|")
    print(f"| volunteer-ledger (Rust, in process, in memory; median of {len(fresh['times_s'])}) "
          f"| {fmt_time(fresh_ledger)} | 1 |")
    for n, how in [("DuckDB", "INSERT + 3 × GROUP BY/RANK(), in memory"),
                   ("SQLite", "INSERT + 3 × GROUP BY/RANK(), in memory, index on day"),
                   ("pandas", "concat + 3 × filter/groupby/rank"),
                   ("polars", "vstack + 3 × filter/group_by/rank")]:
        v = m[("fresh", n)]
        print(f"| {n} ({how}) | {fmt_time(v)} | {v / fresh_ledger:,.0f}× |")
    print()
    duck = m[("all", "DuckDB")]
    print("| all boards from scratch (every week, month and year) | median | ÷ DuckDB |")
    print("|---|---:|---:|")
    f_file, f_csv = median(L["all_boards"]["from_file_s"]), median(L["all_boards"]["from_csv_s"])
    print(f"| volunteer-ledger, from the file ledger (open + every board) | {fmt_time(f_file)} | {f_file / duck:.2f} |")
    print(f"| volunteer-ledger, from the CSV (upload into a ledger in memory + every board) | {fmt_time(f_csv)} | {f_csv / duck:.2f} |")
    for n in ("DuckDB", "SQLite", "pandas", "polars"):
        v = m[("all", n)]
        print(f"| {n} (read the CSV + one GROUP BY/RANK() over all periods) | {fmt_time(v)} | {v / duck:.2f} |")
    print()
    up = L["upload"]
    bare = median(up["bare_sqlite_s"])
    print(f"| upload: a {rows:,}-row sheet into a SQLite file (WAL, synchronous FULL) | median | ÷ bare SQLite |")
    print("|---|---:|---:|")
    print(f"| bare SQLite inserts (Rust, rusqlite, one transaction) | {fmt_time(bare)} | 1.00 |")
    lu = median(up["ledger_s"])
    print(f"| volunteer-ledger upload into a file ledger (every rule, log, projections; one transaction) | {fmt_time(lu)} | {lu / bare:.2f} |")
    pu = m[("upload", "pandas")]
    print(f"| pandas read_csv + to_sql | {fmt_time(pu)} | {pu / bare:.2f} |")
    print()
    mem = L["memory"]
    print("| the file ledger | |")
    print("|---|---:|")
    print(f"| reopen (snapshot + tail), median | {fmt_time(median(L['reopen_s']))} |")
    print(f"| close after the upload (frees the state; the snapshot was committed with the upload), median | {fmt_time(median(up['close_s']))} |")
    print(f"| memory: the state, per record | {mem['state_bytes_per_record']:.0f} bytes |")
    print(f"| memory: resident growth on open, per record | {mem['rss_growth_per_record']:.0f} bytes |")
    print(f"| file size per record | {mem['file_bytes_per_record']:.0f} bytes |")
    print()
    print(f"figures: fresh leaderboard {fastest / fresh_ledger:,.0f}× faster than the fastest alternative "
          f"(target ≥ 1000×); all boards from the file {f_file / duck:.2f}× DuckDB, from the CSV "
          f"{f_csv / duck:.2f}× (target ≤ 1); upload {lu / bare:.2f}× bare SQLite (target ≤ 3)")


if __name__ == "__main__":
    main()
