//! The ledger's side of `make bench`: timings and answers as JSON on stdout, for
//! `bench/compare.py` to check against and set beside DuckDB, SQLite, pandas and polars.

use crate::generator::{CHUNK, OFFSET, admin, clock, copy_ledger_file, remove_db};
use chrono::{Days, NaiveDate};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;
use volunteer_ledger::import::{ImportOptions, upload};
use volunteer_ledger::*;

type Boards = BTreeMap<String, Vec<(i32, String, i64)>>;
type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn rss_bytes() -> usize {
    std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<usize>().ok())
        .map_or(0, |p| p * 4096)
}

fn secs(t: Instant) -> f64 {
    t.elapsed().as_secs_f64()
}

/// The CPU time of this process (every thread, user and system) in seconds, from
/// `/proc/self/stat` (clock ticks of 1/100 s); 0 where there is none. Beside the wall-clock
/// figures, for machines shared with other work, where a figure's wall time says little.
fn cpu_secs() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .map_or(Vec::new(), |(_, rest)| rest.split_whitespace().collect());
    let tick = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (tick(11) + tick(12)) / 100.0
}

/// Every week, month and year holding a day of the data, in order.
fn periods(first: NaiveDate, last: NaiveDate) -> Vec<Period> {
    let mut out = Vec::new();
    let mut d = first;
    while d <= last {
        for p in [Period::week_of(d), Period::month_of(d), Period::year_of(d)] {
            if !out.contains(&p) {
                out.push(p);
            }
        }
        d = d.checked_add_days(Days::new(1)).unwrap_or(NaiveDate::MAX);
    }
    out
}

fn lines(b: &Leaderboard) -> Vec<(i32, String, i64)> {
    b.entries
        .iter()
        .map(|e| (e.rank, e.id.clone().unwrap_or_default(), e.minutes))
        .collect()
}

fn all_boards(l: &mut Ledger, ps: &[Period]) -> Res<Boards> {
    let mut out = Boards::new();
    for p in ps {
        let b = l.leaderboard(*p, &Scope::All, BoardKind::Volunteers, 100)?;
        if !b.entries.is_empty() {
            out.insert(p.to_string(), lines(&b));
        }
    }
    Ok(out)
}

/// The sheet cut into uploads of at most `CHUNK` rows, each under the header.
fn chunks(sheet: &[u8]) -> Vec<Vec<u8>> {
    let body_start = sheet
        .iter()
        .position(|&b| b == b'\n')
        .map_or(sheet.len(), |i| i + 1);
    let (head, body) = sheet.split_at(body_start);
    let mut out = Vec::new();
    let mut rest = body;
    while !rest.is_empty() {
        let mut end = 0;
        let mut rows = 0;
        while end < rest.len() && rows < CHUNK {
            end = rest[end..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(rest.len(), |i| end + i + 1);
            rows += 1;
        }
        let mut c = head.to_vec();
        c.extend_from_slice(&rest[..end]);
        out.push(c);
        rest = &rest[end..];
    }
    out
}

fn upload_all(l: &mut Ledger, sheet: &[u8]) -> Res<u64> {
    let mut accepted = 0;
    for c in chunks(sheet) {
        let r = upload(
            l,
            &admin(),
            &c,
            &ImportOptions::default(),
            false,
            Progress::none(),
        )?;
        if !r.rejected.is_empty() {
            return Err(format!("rows refused: {:?}", r.rejected.first()).into());
        }
        accepted += u64::try_from(r.accepted).unwrap_or(0);
    }
    Ok(accepted)
}

/// The baseline of the upload: the same CSV read and inserted into a plain SQLite table with
/// the same fields, one transaction, the durability of the file ledger (WAL, synchronous FULL),
/// as `core/benches/store.rs` does.
fn bare_sqlite(path: &Path, sheet: &[u8]) -> Res<usize> {
    let mut c = rusqlite::Connection::open(path)?;
    c.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
         CREATE TABLE records (record_id TEXT, volunteer TEXT, name TEXT, org TEXT, team TEXT,
                               service_date TEXT, start TEXT, \"end\" TEXT, minutes INTEGER,
                               content TEXT);",
    )?;
    let tx = c.transaction()?;
    let mut n = 0;
    {
        let mut st = tx.prepare("INSERT INTO records VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)")?;
        let mut reader = csv::Reader::from_reader(sheet);
        for row in reader.records() {
            let row = row?;
            let f = |i: usize| row.get(i).unwrap_or("");
            let minutes: i64 = f(8).parse()?;
            st.execute(rusqlite::params![
                f(0),
                f(1),
                f(2),
                f(3),
                f(4),
                f(5),
                f(6),
                f(7),
                minutes,
                f(9)
            ])?;
            n += 1;
        }
    }
    tx.commit()?;
    Ok(n)
}

/// The CPU time of each run of the figures that take seconds.
#[derive(Default)]
struct Cpu {
    reopen: Vec<f64>,
    from_file: Vec<f64>,
    from_csv: Vec<f64>,
    upload: Vec<f64>,
}

fn median(v: &[f64]) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v.get(v.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Runs the ledger's side and returns the JSON. `only`, when given, names the figures to time
/// (comma-separated: `reopen`, `file`, `csv`, `fresh`, `upload`), for profiling one of them;
/// the others are left empty.
pub fn run(
    dir: &Path,
    runs: usize,
    fresh_iters: usize,
    alt_fresh: usize,
    only: Option<&str>,
) -> Res<Value> {
    let want = |figure: &str| only.is_none_or(|o| o.split(',').any(|f| f == figure));
    let meta: Value = serde_json::from_slice(&std::fs::read(dir.join("meta.json"))?)?;
    let first: NaiveDate = meta["first_day"].as_str().unwrap_or("").parse()?;
    let last: NaiveDate = meta["last_day"].as_str().unwrap_or("").parse()?;
    let volunteers = meta["volunteers"].as_u64().unwrap_or(1) as usize;
    let ps = periods(first, last);
    let ledger_file = dir.join("ledger.db");
    let csv_path = dir.join("records.csv");

    // Reopen, and the memory the opened ledger holds.
    let mut cpu = Cpu::default();
    let mut reopen = Vec::new();
    let (mut state_bytes, mut rss_growth, mut records) = (0, 0, 0);
    for i in 0..if want("reopen") { runs } else { 0 } {
        let rss0 = rss_bytes();
        let (t, c) = (Instant::now(), cpu_secs());
        let l = Ledger::open(&ledger_file)?;
        reopen.push(secs(t));
        cpu.reopen.push(cpu_secs() - c);
        if i == 0 {
            rss_growth = rss_bytes().saturating_sub(rss0);
            state_bytes = l.state_bytes();
            records = l.record_count();
        }
    }
    eprintln!(
        "ledger: reopen {:.3} s (cpu {:.2} s)",
        median(&reopen),
        median(&cpu.reopen)
    );

    // All boards from the file ledger: open + every board.
    let mut from_file = Vec::new();
    let mut boards = Boards::new();
    for _ in 0..if want("file") { runs } else { 0 } {
        let (t, c) = (Instant::now(), cpu_secs());
        let mut l = Ledger::open(&ledger_file)?;
        boards = all_boards(&mut l, &ps)?;
        from_file.push(secs(t));
        cpu.from_file.push(cpu_secs() - c);
    }
    eprintln!(
        "ledger: all {} boards from the file {:.2} s (cpu {:.2} s)",
        boards.len(),
        median(&from_file),
        median(&cpu.from_file)
    );

    // All boards from the CSV: upload into a ledger in memory holding the register, then
    // every board. The register (orgs, teams, volunteers) is there before the clock starts.
    let mut from_csv = Vec::new();
    let csv_runs = if want("csv") { runs } else { 0 };
    let base = if csv_runs > 0 {
        Ledger::from_entries(Ledger::open(dir.join("base.db"))?.entries()?)?
    } else {
        Ledger::in_memory(LedgerConfig::new("linjiang".parse()?, "-", admin()))?
    };
    for _ in 0..csv_runs {
        let mut l = base.clone();
        l.set_clock(Clock::Fixed(clock()));
        let (t, c) = (Instant::now(), cpu_secs());
        let sheet = std::fs::read(&csv_path)?;
        upload_all(&mut l, &sheet)?;
        let b = all_boards(&mut l, &ps)?;
        from_csv.push(secs(t));
        cpu.from_csv.push(cpu_secs() - c);
        if want("file") && b != boards {
            return Err("the boards from the CSV differ from the file ledger's".into());
        }
    }
    eprintln!(
        "ledger: all boards from the CSV {:.2} s (cpu {:.2} s)",
        median(&from_csv),
        median(&cpu.from_csv)
    );

    // Fresh leaderboard: a live ledger in memory with its three boards of the week of
    // 22 December 2025 asked for once; then each append (22:00–22:30, 30 minutes, at the
    // district) is followed by reading the three top-100 boards.
    let mut l = if want("fresh") {
        Ledger::from_entries(Ledger::open(&ledger_file)?.entries()?)?
    } else {
        Ledger::in_memory(LedgerConfig::new("linjiang".parse()?, "-", admin()))?
    };
    l.set_clock(Clock::Fixed(clock()));
    let monday = NaiveDate::from_ymd_opt(2025, 12, 22).unwrap_or_default();
    let fresh_ps = vec![
        Period::week_of(monday),
        Period::month_of(monday),
        Period::year_of(monday),
    ];
    for p in fresh_ps.iter().filter(|_| want("fresh")) {
        l.leaderboard(*p, &Scope::All, BoardKind::Volunteers, 100)?;
    }
    let append = |k: usize| -> Res<(NewRecord, Value)> {
        let v = (k * 7919 + 13) % volunteers;
        let day = monday
            .checked_add_days(Days::new((k % 7) as u64))
            .unwrap_or_default();
        let start = Timestamp::from_local(OFFSET, 2025, 12, 22 + (k % 7) as u32, 22, 0)?;
        let r = NewRecord::new(
            format!("F{k:09}").parse()?,
            crate::generator::volunteer_id(v).parse()?,
            "D".parse()?,
            start,
            Timestamp(start.0 + 1800),
            30,
            "晚间巡逻",
        );
        Ok((
            r,
            json!({"volunteer": crate::generator::volunteer_id(v), "date": day.to_string(), "minutes": 30}),
        ))
    };
    let mut fresh_times = Vec::with_capacity(fresh_iters);
    let mut appended = Vec::new();
    let mut first_boards = Boards::new();
    let admin = admin();
    let fresh_n = if want("fresh") {
        fresh_iters.min(volunteers)
    } else {
        0
    };
    for k in 0..fresh_n {
        let (r, j) = append(k)?;
        if k < alt_fresh {
            appended.push(j);
        }
        let t = Instant::now();
        l.add_record(&admin, r)?;
        let mut got = Vec::with_capacity(3);
        for p in &fresh_ps {
            got.push(l.leaderboard(*p, &Scope::All, BoardKind::Volunteers, 100)?);
        }
        fresh_times.push(t.elapsed().as_secs_f64());
        if k == 0 {
            for (p, b) in fresh_ps.iter().zip(&got) {
                first_boards.insert(p.to_string(), lines(b));
            }
        }
    }
    drop(l);
    eprintln!(
        "ledger: fresh leaderboard {:.1} µs (median of {})",
        median(&fresh_times) * 1e6,
        fresh_times.len()
    );

    // Upload: the first 1,000,000 rows (or all) into a file ledger holding the register,
    // beside bare SQLite inserts of the same rows.
    let sheet = std::fs::read(&csv_path)?;
    let sheet = chunks(&sheet).into_iter().next().unwrap_or_default();
    let rows = sheet.iter().filter(|&&b| b == b'\n').count() - 1;
    let tmp = std::env::temp_dir().join(format!("vl-bench-upload-{}", std::process::id()));
    std::fs::create_dir_all(&tmp)?;
    let (mut up, mut bare, mut close) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..if want("upload") { runs } else { 0 } {
        let b = tmp.join("bare.db");
        remove_db(&b);
        let t = Instant::now();
        let n = bare_sqlite(&b, &sheet)?;
        bare.push(secs(t));
        remove_db(&b);
        if n != rows {
            return Err("bare SQLite inserted another number of rows".into());
        }
        let f = tmp.join("up.db");
        remove_db(&f);
        copy_ledger_file(&dir.join("base.db"), &f)?;
        let mut l = Ledger::open(&f)?;
        l.set_clock(Clock::Fixed(clock()));
        let (t, c) = (Instant::now(), cpu_secs());
        let n = upload_all(&mut l, &sheet)?;
        up.push(secs(t));
        cpu.upload.push(cpu_secs() - c);
        if n as usize != rows {
            return Err("the upload accepted another number of rows".into());
        }
        let t = Instant::now();
        drop(l);
        close.push(secs(t));
        remove_db(&f);
    }
    let _ = std::fs::remove_dir_all(&tmp);
    eprintln!(
        "upload of {rows} rows: ledger {:.2} s (cpu {:.2} s), bare SQLite {:.2} s",
        median(&up),
        median(&cpu.upload),
        median(&bare)
    );

    Ok(json!({
        "meta": meta,
        "runs": runs,
        "records": records,
        "periods": ps.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
        "reopen_s": reopen,
        "memory": {
            "state_bytes_per_record": state_bytes as f64 / records.max(1) as f64,
            "rss_growth_per_record": rss_growth as f64 / records.max(1) as f64,
            "file_bytes_per_record": std::fs::metadata(&ledger_file).map_or(0, |m| m.len()) as f64 / records.max(1) as f64,
        },
        "all_boards": {"from_file_s": from_file, "from_csv_s": from_csv, "boards": boards},
        "fresh": {
            "periods": fresh_ps.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
            "times_s": fresh_times,
            "appended": appended,
            "boards_after_first": first_boards,
        },
        "upload": {"rows": rows, "ledger_s": up, "close_s": close, "bare_sqlite_s": bare},
        "cpu_s": {"reopen": cpu.reopen, "from_file": cpu.from_file, "from_csv": cpu.from_csv, "upload": cpu.upload},
    }))
}
