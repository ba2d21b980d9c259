//! Crash safety of the file ledger: a child process uploads sheets into a ledger file and is
//! killed (SIGKILL) at random moments, many times. After each kill the file opens, its chain
//! verifies, every sheet is wholly there or wholly absent, and nothing a child reported as
//! committed is lost.
//!
//! The child is this test binary again, run with `VL_CRASH_CHILD` set (see `crash_child`).
//! `VL_CRASH_ROUNDS` sets the number of kills (default 20); the seed is printed.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::admin;
use std::collections::BTreeSet;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use volunteer_ledger::import::{ImportOptions, upload};
use volunteer_ledger::*;

const OFFSET: i32 = 480;
/// Rows per sheet: ten volunteers, ten days.
const ROWS: u32 = 100;

/// Late enough that every sheet's service lies in the past.
fn clock() -> Clock {
    Clock::Fixed(Timestamp::from_local(OFFSET, 2099, 1, 1, 0, 0).unwrap())
}

fn create(path: &Path) {
    common::community_file(path, "crash", 10, clock());
}

/// Sheet `k`: ten days from 2000-01-01 + 10k days, each volunteer one hour a day; its content
/// names the sheet, so the rows of each sheet can be counted in the file.
fn sheet(k: u32) -> Vec<u8> {
    let first = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap();
    let mut s =
        String::from("志愿者编号,组织编号,服务日期,开始时间,结束时间,服务时长(小时),服务内容\n");
    for i in 0..ROWS {
        let day = first + chrono::Days::new(u64::from(k * 10 + i / 10));
        s.push_str(&format!("V{},C1,{day},09:00,10:00,1,批次{k}\n", i % 10));
    }
    s.into_bytes()
}

/// Run as a child: upload sheets from `VL_CRASH_START` on, for ever, saying which committed.
#[test]
fn crash_child() {
    let Some(path) = std::env::var_os("VL_CRASH_CHILD") else {
        return;
    };
    let start: u32 = std::env::var("VL_CRASH_START").unwrap().parse().unwrap();
    let mut l = Ledger::open(PathBuf::from(path)).unwrap();
    l.set_clock(clock());
    let mut out = std::io::stdout().lock();
    for k in start.. {
        let report = upload(
            &mut l,
            &admin(),
            &sheet(k),
            &ImportOptions::default(),
            false,
            Progress::none(),
        )
        .unwrap();
        assert!(report.rejected.is_empty(), "{:?}", report.rejected.first());
        writeln!(out, "committed {k}").unwrap();
        out.flush().unwrap();
        if k % 3 == 0 {
            l.checkpoint().unwrap();
        }
    }
}

/// Sheets present in the file, with their row counts.
fn sheets_in(path: &Path) -> Vec<(u32, i64)> {
    let c = rusqlite::Connection::open(path).unwrap();
    let mut st = c
        .prepare("SELECT content, count(*) FROM records GROUP BY content")
        .unwrap();
    st.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))
        .unwrap()
        .map(|r| {
            let (content, n) = r.unwrap();
            (content.trim_start_matches("批次").parse().unwrap(), n)
        })
        .collect()
}

#[test]
fn killed_uploads_leave_whole_sheets_and_lose_nothing_committed() {
    if std::env::var_os("VL_CRASH_CHILD").is_some() {
        return;
    }
    let path = std::env::temp_dir().join(format!("vl-crash-{}.db", std::process::id()));
    create(&path);
    let rounds: u32 = std::env::var("VL_CRASH_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let mut seed: u64 = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos() as u64
        | 1;
    eprintln!("crash test seed {seed}");
    let mut committed = BTreeSet::new();
    let mut unreported = 0;
    for round in 0..rounds {
        let next = sheets_in(&path).iter().map(|s| s.0 + 1).max().unwrap_or(0);
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
            .env("VL_CRASH_CHILD", &path)
            .env("VL_CRASH_START", next.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let lines = Arc::new(Mutex::new(Vec::new()));
        let reader = {
            let lines = Arc::clone(&lines);
            let stdout = child.stdout.take().unwrap();
            std::thread::spawn(move || {
                for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                    if let Some(k) = line.strip_prefix("committed ") {
                        lines.lock().unwrap().push(k.parse::<u32>().unwrap());
                    }
                }
            })
        };
        // xorshift: a kill between 20 and 420 ms after the start (opening takes some of it).
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(20 + seed % 400));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        reader.join().unwrap();
        committed.extend(lines.lock().unwrap().iter().copied());

        let l = Ledger::open(&path).unwrap_or_else(|e| panic!("round {round}: {e}"));
        l.verify().unwrap_or_else(|e| panic!("round {round}: {e}"));
        let present = sheets_in(&path);
        for &(k, n) in &present {
            assert_eq!(
                n,
                i64::from(ROWS),
                "round {round}: sheet {k} is partly there"
            );
        }
        let present: BTreeSet<u32> = present.iter().map(|s| s.0).collect();
        assert!(
            committed.is_subset(&present),
            "round {round}: committed {:?} but the file holds {:?}",
            committed.difference(&present).collect::<Vec<_>>(),
            present
        );
        assert_eq!(l.record_count(), present.len() * ROWS as usize);
        // Killed after its COMMIT, before it said so: whole, and kept.
        unreported = present.difference(&committed).count();
    }
    eprintln!(
        "crash test: {rounds} kills, {} sheets reported committed, {unreported} more whole in the file (killed between commit and report)",
        committed.len()
    );
    assert!(
        !committed.is_empty(),
        "no child ever committed a sheet: the test proved nothing"
    );
    for suffix in ["", "-wal", "-shm", ".key"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}
