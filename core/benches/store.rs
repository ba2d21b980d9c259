//! The file ledger against the physical limit of its store, side by side in one run:
//!
//! - **upload**: a CSV sheet of `VL_BENCH_ROWS` rows (1,000,000 by default) uploaded into a
//!   file ledger (read, every row validated, logged, projected, one transaction) vs the same
//!   CSV read and inserted into a bare SQLite table with the same fields, in one transaction,
//!   with the same durability (WAL, `synchronous = FULL`);
//! - **reopen**: opening the resulting file ledger, from its snapshot and from the whole log.
//!
//! Each figure is the median of `VL_BENCH_RUNS` runs (3 by default). Run with `make bench`.
//! `VL_BENCH_ONLY=memory` uploads into an in-memory ledger once (and times `read_sheet` alone
//! first); `VL_BENCH_ONLY=read_sheet` times `read_sheet` alone, `VL_BENCH_RUNS` times;
//! `VL_BENCH_ONLY=sync` times a server file ledger of the uploaded sheet answering sync
//! batches (signed head and inclusion proofs) beside writing the same records with
//! `add_records`.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use volunteer_ledger::import::{ImportOptions, upload};
use volunteer_ledger::*;

const OFFSET: i32 = 480;

fn id<T: std::str::FromStr>(s: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    s.parse().unwrap()
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn remove(path: &Path) {
    for suffix in ["", "-wal", "-shm", ".key"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}

/// Copies the key file of the ledger file `from` beside the ledger file `to`.
fn copy_key_file(from: &Path, to: &Path) {
    std::fs::copy(key_file_of(from), key_file_of(to)).unwrap();
}

/// A copy of the base ledger file at `file`, opened, its clock set after the sheet's year.
fn copy_of(base: &Path, file: &Path) -> Ledger {
    std::fs::copy(base, file).unwrap();
    copy_key_file(base, file);
    let mut l = Ledger::open(file).unwrap();
    l.set_clock(Clock::Fixed(
        Timestamp::from_local(OFFSET, 2016, 1, 10, 0, 0).unwrap(),
    ));
    l
}

/// The sheet uploaded by the district's admin.
fn upload_all(l: &mut Ledger, csv_bytes: &[u8]) -> volunteer_ledger::import::ImportReport {
    upload(
        l,
        &id("admin"),
        csv_bytes,
        &ImportOptions::default(),
        false,
        Progress::none(),
    )
    .unwrap()
}

/// CPU seconds (user + system) this process has used, from /proc (0 where there is none).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or_default();
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15 of the line; after the name they are 11th and 12th.
    (ticks(11) + ticks(12)) / 100.0
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

/// The time this thread has run on a CPU (Linux only): on a shared machine, a steadier figure
/// than the wall clock.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

fn community(v: usize) -> String {
    format!("C{}-{}", v % 5, (v / 5) % 10)
}

/// A ledger file with a district of 5 streets × 10 communities and `vols` volunteers.
fn base_ledger(path: &Path, vols: usize) {
    let admin: ActorId = id("admin");
    let mut l = Ledger::create_with_clock(
        path,
        LedgerConfig::new(id("bench"), "基准区", admin.clone()),
        Clock::Fixed(Timestamp::from_local(OFFSET, 2016, 1, 10, 0, 0).unwrap()),
    )
    .unwrap();
    l.batch(|l| {
        let org = |i: String, p: Option<String>, k| NewOrg {
            id: id(&i),
            name: format!("{i}名"),
            kind: k,
            parent: p.map(|p| id(&p)),
        };
        l.register_org(&admin, org("D".into(), None, OrgKind::District))
            .unwrap();
        for s in 0..5 {
            l.register_org(
                &admin,
                org(format!("S{s}"), Some("D".into()), OrgKind::Street),
            )
            .unwrap();
            for c in 0..10 {
                l.register_org(
                    &admin,
                    org(
                        format!("C{s}-{c}"),
                        Some(format!("S{s}")),
                        OrgKind::Community,
                    ),
                )
                .unwrap();
            }
        }
        for v in 0..vols {
            l.register_volunteer(
                &admin,
                NewVolunteer {
                    id: id(&format!("V{v:06}")),
                    name: "志愿者".into(),
                    identity_kind: IdentityKind::Passport,
                    identity_number: format!("E{v:08}"),
                    home_org: Some(id(&community(v))),
                },
            )
            .unwrap();
        }
    })
    .unwrap();
}

/// The sheet: volunteer v's n-th row on day 37n + v % 37 of 2015, 09:00–12:00, 1–2.5 hours.
fn sheet(rows: usize, vols: usize) -> Vec<u8> {
    let jan1 = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
    let mut s = String::with_capacity(rows * 64);
    s.push_str("志愿者编号,组织编号,服务日期,开始时间,结束时间,服务时长(小时),服务内容\n");
    for k in 0..rows {
        let (v, n) = (k % vols, k / vols);
        let day = jan1 + chrono::Days::new(((n * 37 + v % 37) % 365) as u64);
        let hours = ["1", "1.5", "2", "2.5"][k % 4];
        s.push_str(&format!(
            "V{v:06},{},{day},09:00,12:00,{hours},社区服务\n",
            community(v)
        ));
    }
    s.into_bytes()
}

/// The baseline: the same CSV read and inserted into a plain table with the same fields.
fn bare_sqlite(path: &Path, csv_bytes: &[u8]) -> usize {
    let mut c = rusqlite::Connection::open(path).unwrap();
    c.execute_batch(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
         CREATE TABLE records (volunteer TEXT, org TEXT, service_date TEXT, start TEXT,
                               \"end\" TEXT, hours REAL, content TEXT);",
    )
    .unwrap();
    let tx = c.transaction().unwrap();
    let mut n = 0;
    {
        let mut st = tx
            .prepare("INSERT INTO records VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
            .unwrap();
        let mut reader = csv::Reader::from_reader(csv_bytes);
        for row in reader.records() {
            let row = row.unwrap();
            let hours: f64 = row[5].parse().unwrap();
            st.execute(rusqlite::params![
                &row[0], &row[1], &row[2], &row[3], &row[4], hours, &row[6]
            ])
            .unwrap();
            n += 1;
        }
    }
    tx.commit().unwrap();
    n
}

fn main() {
    // `cargo bench` passes `--bench`; nothing else is taken from the command line.
    let rows = env("VL_BENCH_ROWS", 1_000_000);
    let runs = env("VL_BENCH_RUNS", 3).max(1);
    let vols = (rows / 10).max(1);
    // `VL_BENCH_ONLY=read_sheet`: reading the sheet alone, `VL_BENCH_RUNS` times, with no
    // ledger to build first — the quick loop for work on the reader.
    if std::env::var("VL_BENCH_ONLY").as_deref() == Ok("read_sheet") {
        let csv_bytes = sheet(rows, vols);
        let (mut times, mut cpu_times) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            let (t, cpu) = (Instant::now(), thread_cpu());
            let sheet = volunteer_ledger::import::read_sheet(&csv_bytes, &ImportOptions::default())
                .unwrap();
            times.push(t.elapsed());
            let cpu = thread_cpu().zip(cpu).map(|(b, a)| b - a);
            cpu_times.extend(cpu);
            assert_eq!(sheet.rows.len(), rows);
            eprintln!(
                "read_sheet alone: {:.2} s for {} rows{}",
                times.last().unwrap().as_secs_f64(),
                sheet.rows.len(),
                cpu.map(|c| format!(" ({:.2} s on the CPU)", c.as_secs_f64()))
                    .unwrap_or_default()
            );
        }
        let per_row = |d: Duration| d.as_secs_f64() * 1e6 / rows as f64;
        let wall = median(times);
        eprint!(
            "read_sheet median of {runs}: {:.2} s ({:.2} µs per row)",
            wall.as_secs_f64(),
            per_row(wall)
        );
        if cpu_times.len() == runs {
            let cpu = median(cpu_times);
            eprint!(
                "; on the CPU {:.2} s ({:.2} µs per row)",
                cpu.as_secs_f64(),
                per_row(cpu)
            );
        }
        eprintln!();
        return;
    }
    let dir: PathBuf = std::env::temp_dir().join(format!("vl-bench-store-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let base = dir.join("base.db");
    base_ledger(&base, vols);
    let csv_bytes = sheet(rows, vols);
    eprintln!(
        "store bench: {rows} rows ({} MB of CSV), {vols} volunteers, {runs} runs each",
        csv_bytes.len() / 1_000_000
    );

    let admin: ActorId = id("admin");
    // `VL_BENCH_ONLY=memory`: the in-memory upload alone, for profiling the rules.
    if std::env::var("VL_BENCH_ONLY").as_deref() == Ok("memory") {
        let entries = Ledger::open(&base).unwrap().entries().unwrap();
        let mut l = Ledger::from_entries(entries).unwrap();
        l.set_clock(Clock::Fixed(
            Timestamp::from_local(OFFSET, 2016, 1, 10, 0, 0).unwrap(),
        ));
        let t = Instant::now();
        let sheet =
            volunteer_ledger::import::read_sheet(&csv_bytes, &ImportOptions::default()).unwrap();
        eprintln!(
            "read_sheet alone: {:.2} s for {} rows",
            t.elapsed().as_secs_f64(),
            sheet.rows.len()
        );
        drop(sheet);
        let t = Instant::now();
        let (mut last, mut rows_seen) = (Instant::now(), 0u64);
        upload(
            &mut l,
            &admin,
            &csv_bytes,
            &ImportOptions::default(),
            false,
            Progress::to(&mut |done, _| {
                if done - rows_seen >= 100_000 {
                    eprintln!(
                        "{done} rows: {:.2} s for the last {}",
                        last.elapsed().as_secs_f64(),
                        done - rows_seen
                    );
                    (last, rows_seen) = (Instant::now(), done);
                }
            }),
        )
        .unwrap();
        eprintln!("in memory: {:.2} s", t.elapsed().as_secs_f64());
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    // `VL_BENCH_ONLY=add`: the rules alone — `add_records` of the sheet's records, already
    // read, into a ledger in memory (what a binding's bulk add costs in the core).
    if std::env::var("VL_BENCH_ONLY").as_deref() == Ok("add") {
        let entries = Ledger::open(&base).unwrap().entries().unwrap();
        let sheet =
            volunteer_ledger::import::read_sheet(&csv_bytes, &ImportOptions::default()).unwrap();
        let records: Vec<NewRecord> = sheet
            .rows
            .into_iter()
            .filter_map(|r| r.record.ok())
            .collect();
        for _ in 0..runs {
            let mut l = Ledger::from_entries(entries.clone()).unwrap();
            l.set_clock(Clock::Fixed(
                Timestamp::from_local(OFFSET, 2016, 1, 10, 0, 0).unwrap(),
            ));
            let batch = records.clone();
            let (t, cpu) = (Instant::now(), cpu_seconds());
            let results = l.add_records(&admin, batch);
            let (wall, cpu) = (t.elapsed().as_secs_f64(), cpu_seconds() - cpu);
            assert!(results.iter().all(|r| r.is_ok()));
            eprintln!(
                "add_records in memory: {:.2} s wall ({:.2} µs/record), {cpu:.2} s CPU",
                wall,
                wall * 1e6 / records.len() as f64
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    if std::env::var("VL_BENCH_ONLY").as_deref() == Ok("sync") {
        sync_figures(&dir, &base, &csv_bytes, runs);
        let _ = std::fs::remove_dir_all(&dir);
        return;
    }
    // `VL_BENCH_ONLY=file`: one upload into a file ledger, with the CPU time it took.
    if std::env::var("VL_BENCH_ONLY").as_deref() == Ok("file") {
        let file = dir.join("ledger.db");
        let mut l = copy_of(&base, &file);
        let (t, cpu) = (Instant::now(), cpu_seconds());
        let report = upload_all(&mut l, &csv_bytes);
        eprintln!(
            "file upload: {:.2} s wall, {:.2} s CPU, {} accepted",
            t.elapsed().as_secs_f64(),
            cpu_seconds() - cpu,
            report.accepted
        );
        drop(l);
        if std::env::var_os("VL_BENCH_KEEP").is_some() {
            eprintln!("kept: {}", file.display());
        } else {
            let _ = std::fs::remove_dir_all(&dir);
        }
        return;
    }
    let (mut ledger_times, mut bare_times) = (Vec::new(), Vec::new());
    let ledger_file = dir.join("ledger.db");
    for run in 0..runs {
        // Side by side: the baseline and the ledger in turn, each on a fresh file.
        let bare = dir.join("bare.db");
        remove(&bare);
        let t = Instant::now();
        assert_eq!(bare_sqlite(&bare, &csv_bytes), rows);
        bare_times.push(t.elapsed());
        remove(&bare);

        remove(&ledger_file);
        let mut l = copy_of(&base, &ledger_file);
        let t = Instant::now();
        let report = upload_all(&mut l, &csv_bytes);
        ledger_times.push(t.elapsed());
        assert_eq!(
            report.accepted as usize,
            rows,
            "{:?}",
            report.rejected.first()
        );
        eprintln!(
            "run {}: bare SQLite {:.2} s, upload into the file ledger {:.2} s",
            run + 1,
            bare_times.last().unwrap().as_secs_f64(),
            ledger_times.last().unwrap().as_secs_f64()
        );
        let t = Instant::now();
        // The upload committed its snapshot: closing frees the state and closes SQLite.
        drop(l);
        if run == 0 {
            eprintln!("closing the ledger: {:.2} s", t.elapsed().as_secs_f64());
        }
    }
    let (up, bare) = (median(ledger_times), median(bare_times));

    // The rules alone: the same upload into the same ledger held in memory.
    let mut mem_times = Vec::new();
    for _ in 0..runs {
        let entries = Ledger::open(&base).unwrap().entries().unwrap();
        let mut l = Ledger::from_entries(entries).unwrap();
        l.set_clock(Clock::Fixed(
            Timestamp::from_local(OFFSET, 2016, 1, 10, 0, 0).unwrap(),
        ));
        let t = Instant::now();
        let report = upload(
            &mut l,
            &admin,
            &csv_bytes,
            &ImportOptions::default(),
            false,
            Progress::none(),
        )
        .unwrap();
        mem_times.push(t.elapsed());
        assert_eq!(report.accepted as usize, rows);
    }
    let mem = median(mem_times);

    let mut reopen = Vec::new();
    let mut digest = None;
    for _ in 0..runs {
        let t = Instant::now();
        let l = Ledger::open(&ledger_file).unwrap();
        reopen.push(t.elapsed());
        assert_eq!(l.record_count(), rows);
        digest.get_or_insert(l.state_digest());
        drop(l); // nothing new since its snapshot: closing writes nothing
    }
    let reopen = median(reopen);
    {
        let c = rusqlite::Connection::open(&ledger_file).unwrap();
        c.execute("DELETE FROM snapshot", []).unwrap();
    }
    let t = Instant::now();
    let l = Ledger::open(&ledger_file).unwrap();
    let full = t.elapsed();
    assert_eq!(Some(l.state_digest()), digest);
    drop(l);
    let size = std::fs::metadata(&ledger_file)
        .map(|m| m.len())
        .unwrap_or(0);

    println!();
    println!("| {rows} rows (median of {runs})                  | seconds | ratio |");
    println!("|---|---:|---:|");
    println!(
        "| bare SQLite: read CSV, insert, one transaction | {:.2} | 1.00 |",
        bare.as_secs_f64()
    );
    println!(
        "| volunteer-ledger upload into a file ledger       | {:.2} | {:.2} |",
        up.as_secs_f64(),
        up.as_secs_f64() / bare.as_secs_f64()
    );
    println!(
        "| the same upload into a ledger in memory (the rules alone) | {:.2} | {:.2} |",
        mem.as_secs_f64(),
        mem.as_secs_f64() / bare.as_secs_f64()
    );
    println!(
        "| reopen the file ledger (snapshot + tail)         | {:.2} |  |",
        reopen.as_secs_f64()
    );
    println!(
        "| reopen without a snapshot (whole log replayed)   | {:.2} |  |",
        full.as_secs_f64()
    );
    println!("file size: {:.0} bytes/record", size as f64 / rows as f64);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Records of 4 January 2016 for the first `n` volunteers, one each, in the `k`-th slot of the
/// day (none overlaps the sheet's, which are of 2015, nor another round's).
fn sync_records(k: u32, n: usize) -> Vec<NewRecord> {
    // Every 20 minutes from 08:00, 15 minutes long: 40 rounds fit in the day.
    let at = |m: u32| Timestamp::from_local(OFFSET, 2016, 1, 4, 8 + m / 60, m % 60).unwrap();
    let (start, end) = (at(k * 20), at(k * 20 + 15));
    (0..n)
        .map(|v| {
            NewRecord::new(
                id(&format!("S{k}-{v}")),
                id(&format!("V{v:06}")),
                id(&community(v)),
                start,
                end,
                15,
                "同步服务",
            )
        })
        .collect()
}

/// `VL_BENCH_ONLY=sync`: the file ledger of the whole sheet answers a sync batch of 1 and of
/// 100 records (one transaction, a signed head, an inclusion proof per record), beside
/// `add_records` of as many records (one transaction, no receipt): the price of the receipt.
fn sync_figures(dir: &Path, base: &Path, csv_bytes: &[u8], runs: usize) {
    let admin: ActorId = id("admin");
    let file = dir.join("server.db");
    let mut l = copy_of(base, &file);
    upload_all(&mut l, csv_bytes);
    l.set_signing_key(&admin, &[7; 32]).unwrap();
    let entries = l.entry_count();
    let t = Instant::now();
    l.inclusion_proofs(entries, &[0, entries - 1]).unwrap();
    println!(
        "first proofs of a file ledger of {entries} entries (learns its blocks' roots): {:.0} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let mut round = 0u32;
    let runs = runs.min(10);
    for n in [1usize, 100] {
        let (mut sync_times, mut add_times, mut bytes) = (Vec::new(), Vec::new(), 0);
        for _ in 0..runs {
            let batch = SyncBatch {
                format: SYNC_BATCH_FORMAT.to_owned(),
                device: id("phone-1"),
                actor: admin.clone(),
                number: i64::from(round),
                records: sync_records(round, n),
            };
            let t = Instant::now();
            let receipt = l.import_sync_batch(&admin, &batch).unwrap();
            sync_times.push(t.elapsed());
            bytes = receipt.to_json().len();
            assert!(receipt.results.iter().all(SyncResult::acknowledged));
            let records = sync_records(round + 1, n);
            let t = Instant::now();
            let added = l.add_records(&admin, records);
            add_times.push(t.elapsed());
            assert!(added.iter().all(Result::is_ok));
            round += 2;
        }
        let (sync, add) = (median(sync_times), median(add_times));
        println!(
            "sync batch of {n} into a file ledger of {entries} entries: {:.1} ms \
             (add_records of as many: {:.1} ms); receipt {bytes} bytes",
            sync.as_secs_f64() * 1e3,
            add.as_secs_f64() * 1e3
        );
    }
}
