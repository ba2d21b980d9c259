//! Processes beside a writer: a child process appends to a ledger file (single records and
//! uploaded sheets) and is killed (SIGKILL) at random moments, while reader processes open the
//! file, close it (closing writes a snapshot) and every fourth time verify it, over and over, and are killed too.
//! After every round the file opens and verifies, nothing the writer acknowledged is lost, and
//! no reader ever failed to open or verify.
//!
//! The children are this test binary again, run with `VL_READERS_CHILD` set. `VL_CRASH_ROUNDS`
//! sets the number of rounds (default 8; `make crash-campaign` runs 200 or more); the seed is
//! printed, and the figures in one line: kills, acknowledged, lost, unopenable, reader opens.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use chrono::Datelike;
use common::{admin, id};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use volunteer_ledger::import::{ImportOptions, upload};
use volunteer_ledger::*;

const OFFSET: i32 = 480;
const VOLUNTEERS: u32 = 10;
/// Every `SHEET_EVERY`-th unit of work is an uploaded sheet of one row per volunteer; the
/// others are single records.
const SHEET_EVERY: u32 = 5;
const READERS: usize = 2;

fn clock() -> Clock {
    Clock::Fixed(Timestamp::from_local(OFFSET, 2099, 1, 1, 0, 0).unwrap())
}

fn create(path: &Path) {
    common::community_file(path, "readers", VOLUNTEERS, clock());
}

/// The day of unit `k` (each unit its own day, so that nothing overlaps).
fn day(k: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Days::new(u64::from(k))
}

/// The rows unit `k` puts in the file.
fn rows_of(k: u32) -> i64 {
    if k.is_multiple_of(SHEET_EVERY) {
        i64::from(VOLUNTEERS)
    } else {
        1
    }
}

/// Writes unit `k`: a sheet (content `批次k`) or a single record (content `单条k`).
fn write_unit(l: &mut Ledger, k: u32) {
    if k.is_multiple_of(SHEET_EVERY) {
        let mut s = String::from(
            "志愿者编号,组织编号,服务日期,开始时间,结束时间,服务时长(小时),服务内容\n",
        );
        for v in 0..VOLUNTEERS {
            s.push_str(&format!("V{v},C1,{},09:00,10:00,1,批次{k}\n", day(k)));
        }
        let report = upload(
            l,
            &admin(),
            s.as_bytes(),
            &ImportOptions::default(),
            false,
            Progress::none(),
        )
        .unwrap();
        assert!(report.rejected.is_empty(), "{:?}", report.rejected.first());
    } else {
        let d = day(k);
        let at = |h| Timestamp::from_local(OFFSET, d.year(), d.month(), d.day(), h, 0).unwrap();
        l.add_record(
            &admin(),
            NewRecord::new(
                id(&format!("R{k}")),
                id(&format!("V{}", k % VOLUNTEERS)),
                id("C1"),
                at(9),
                at(10),
                60,
                format!("单条{k}"),
            ),
        )
        .unwrap();
    }
}

/// Run as a child: the writer appends units from `VL_READERS_START` on for ever, saying which
/// committed; a reader opens, verifies and closes the file for ever, saying how each went.
#[test]
fn readers_child() {
    let Some(path) = std::env::var_os("VL_READERS_CHILD") else {
        return;
    };
    let path = PathBuf::from(path);
    let mut out = std::io::stdout().lock();
    if std::env::var("VL_READERS_ROLE").unwrap() == "writer" {
        let start: u32 = std::env::var("VL_READERS_START").unwrap().parse().unwrap();
        let mut l = Ledger::open(&path).unwrap();
        l.set_clock(clock());
        for k in start.. {
            write_unit(&mut l, k);
            writeln!(out, "\nVL ack {k}").unwrap();
            out.flush().unwrap();
            if k % 20 == 0 {
                l.checkpoint().unwrap();
            }
        }
    } else {
        for i in 0u64.. {
            // Every fourth open also verifies (verifying replays the whole log: slow).
            let opened = Ledger::open(&path).and_then(|l| {
                if i % 4 == 0 {
                    l.verify()?;
                }
                Ok(l)
            });
            let line = match opened {
                Ok(l) => {
                    drop(l); // writes a snapshot, where the head is still the one it read
                    "opened".to_owned()
                }
                Err(e) => format!("failed {}: {e}", e.code()),
            };
            writeln!(out, "\nVL {line}").unwrap();
            out.flush().unwrap();
        }
    }
}

/// Units present in the file, with their row counts.
fn units_in(path: &Path) -> BTreeMap<u32, i64> {
    let c = rusqlite::Connection::open(path).unwrap();
    let mut st = c
        .prepare("SELECT content, count(*) FROM records GROUP BY content")
        .unwrap();
    st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .unwrap()
        .map(|r| {
            let (content, n) = r.unwrap();
            let k = content
                .trim_start_matches("批次")
                .trim_start_matches("单条");
            (k.parse().unwrap(), n)
        })
        .collect()
}

/// Starts a child and a thread that collects its lines.
fn spawn(
    path: &Path,
    role: &str,
    start: u32,
) -> (Child, std::thread::JoinHandle<()>, Arc<Mutex<Vec<String>>>) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args([
            "--exact",
            "readers_child",
            "--nocapture",
            "--test-threads=1",
        ])
        .env("VL_READERS_CHILD", path)
        .env("VL_READERS_ROLE", role)
        .env("VL_READERS_START", start.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines = Arc::new(Mutex::new(Vec::new()));
    let stdout = child.stdout.take().unwrap();
    let collected = Arc::clone(&lines);
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            // The harness writes around the child's lines; the child's begin with "VL ".
            if let Some(said) = line.strip_prefix("VL ") {
                collected.lock().unwrap().push(said.to_owned());
            }
        }
    });
    (child, reader, lines)
}

#[test]
fn readers_beside_a_killed_writer_never_make_the_file_unopenable() {
    if std::env::var_os("VL_READERS_CHILD").is_some() {
        return;
    }
    let path = std::env::temp_dir().join(format!("vl-readers-{}.db", std::process::id()));
    create(&path);
    let rounds: u32 = std::env::var("VL_CRASH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(8);
    let mut seed: u64 = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("readers test seed {seed}");
    let mut next = |bound: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % bound
    };
    let mut acknowledged = BTreeMap::new();
    let (mut opens, mut failures, mut unopenable) = (0usize, Vec::new(), 0usize);
    for round in 0..rounds {
        let start = units_in(&path).keys().map(|k| k + 1).max().unwrap_or(0);
        let writer = spawn(&path, "writer", start);
        let readers: Vec<_> = (0..READERS).map(|_| spawn(&path, "reader", 0)).collect();
        // The writer dies between 50 and 450 ms in; each reader a little before or after.
        std::thread::sleep(Duration::from_millis(50 + next(400)));
        let mut children = vec![writer];
        children.extend(readers);
        for (i, (child, _, _)) in children.iter_mut().enumerate() {
            if i > 0 {
                std::thread::sleep(Duration::from_millis(next(30)));
            }
            child.kill().unwrap(); // SIGKILL
            child.wait().unwrap();
        }
        for (i, (_, thread, lines)) in children.into_iter().enumerate() {
            thread.join().unwrap();
            for line in lines.lock().unwrap().iter() {
                if i == 0 {
                    if let Some(k) = line.strip_prefix("ack ") {
                        let k: u32 = k.parse().unwrap();
                        acknowledged.insert(k, rows_of(k));
                    }
                } else if line == "opened" {
                    opens += 1;
                } else {
                    failures.push(format!("round {round}: {line}"));
                }
            }
        }
        match Ledger::open(&path).and_then(|l| l.verify().map(|_| l)) {
            Ok(l) => {
                let present = units_in(&path);
                for (k, n) in &present {
                    assert_eq!(*n, rows_of(*k), "round {round}: unit {k} is partly there");
                }
                assert_eq!(
                    l.record_count() as i64,
                    present.values().sum::<i64>(),
                    "round {round}"
                );
                let lost: Vec<_> = acknowledged
                    .keys()
                    .filter(|k| !present.contains_key(k))
                    .collect();
                assert!(
                    lost.is_empty(),
                    "round {round}: acknowledged but lost: {lost:?}"
                );
            }
            Err(e) => {
                unopenable += 1;
                eprintln!("round {round}: the file does not open: {e}");
            }
        }
    }
    let acked: i64 = acknowledged.values().sum();
    eprintln!(
        "readers test: {rounds} kills of the writer, {acked} records acknowledged, 0 lost, \
         {unopenable} unopenable, {opens} reader opens, {} reader failures",
        failures.len()
    );
    for f in failures.iter().take(5) {
        eprintln!("{f}");
    }
    assert_eq!(unopenable, 0, "the file became unopenable");
    assert!(failures.is_empty(), "a reader failed to open or verify");
    assert!(
        acked > 0,
        "the writer never acknowledged anything: the test proved nothing"
    );
    assert!(
        opens > 0,
        "no reader ever opened the file: the test proved nothing"
    );
    for suffix in ["", "-wal", "-shm", ".key"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}
