//! Several ledgers on one file (in one process here; `readers.rs` runs processes): a ledger
//! that another wrote behind catches up before it writes or answers that it cannot — never an
//! empty answer — and nothing another ledger does to the file makes it unopenable.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{TempFile, admin, id};
use std::path::Path;
use volunteer_ledger::*;

const OFFSET: i32 = 480;

fn t(d: u32, h: u32) -> Timestamp {
    Timestamp::from_local(OFFSET, 2015, 6, d, h, 0).unwrap()
}

fn clock() -> Clock {
    Clock::Fixed(t(30, 12))
}

fn record(r: &str, d: u32) -> NewRecord {
    NewRecord::new(id(r), id("V1"), id("C1"), t(d, 9), t(d, 10), 60, "巡逻")
}

/// C1 with volunteer V1, as a file.
fn create(path: &Path) -> Ledger {
    let mut l = Ledger::create_with_clock(
        path,
        LedgerConfig::new(id("writers"), "测试区", admin()),
        clock(),
    )
    .unwrap();
    l.register_org(
        &admin(),
        NewOrg {
            id: id("C1"),
            name: "社区".into(),
            kind: OrgKind::Community,
            parent: None,
        },
    )
    .unwrap();
    l.register_volunteer(
        &admin(),
        NewVolunteer {
            id: id("V1"),
            name: "张三".into(),
            identity_kind: IdentityKind::ResidentId,
            identity_number: "11010519491231002X".into(),
            home_org: Some(id("C1")),
        },
    )
    .unwrap();
    l
}

fn open(path: &Path) -> Ledger {
    let mut l = Ledger::open(path).unwrap();
    l.set_clock(clock());
    l
}

#[test]
fn a_bulk_add_on_a_file_written_since_it_opened_catches_up_and_answers_every_record() {
    let f = TempFile::new("stale-bulk");
    let mut a = create(f.path());
    let mut b = open(f.path());
    a.add_record(&admin(), record("R1", 1)).unwrap();
    let results = b.add_records(&admin(), vec![record("R2", 2), record("R3", 3)]);
    assert_eq!(results.len(), 2, "every record gets an answer");
    for r in &results {
        assert!(r.is_ok(), "{r:?}");
    }
    assert_eq!(b.record_count(), 3, "b holds a's record and its own");
    // A record that overlaps a's is refused on b: b checks against the file's latest state.
    let overlapping = b.add_records(&admin(), vec![record("R9", 1)]);
    assert_eq!(overlapping[0].as_ref().unwrap_err().code(), "E_OVERLAP");
    drop((a, b));
    let l = Ledger::open(f.path()).unwrap();
    assert_eq!(l.record_count(), 3);
    l.verify().unwrap();
}

#[test]
fn a_writer_whose_file_no_longer_continues_its_log_is_refused_and_keeps_its_state() {
    let f = TempFile::new("cut-back");
    let mut a = create(f.path());
    a.add_record(&admin(), record("R1", 1)).unwrap();
    let (digest, count) = (a.state_digest(), a.entry_count());
    // The file's last entry is taken away behind the ledger's back.
    let c = rusqlite::Connection::open(f.path()).unwrap();
    c.execute_batch(
        "DROP TRIGGER IF EXISTS entries_no_delete;
         DELETE FROM entries WHERE seq = (SELECT max(seq) FROM entries);",
    )
    .unwrap();
    drop(c);
    let results = a.add_records(&admin(), vec![record("R2", 2), record("R3", 3)]);
    assert_eq!(results.len(), 2, "no silently empty answer");
    for r in &results {
        assert_eq!(r.as_ref().unwrap_err().code(), "E_STORAGE", "{r:?}");
    }
    let e = a.add_record(&admin(), record("R4", 4)).unwrap_err();
    assert_eq!(e.code(), "E_STORAGE");
    assert_eq!((a.state_digest(), a.entry_count()), (digest, count));
}

#[test]
fn verify_beside_a_writer_reports_no_broken_chain() {
    let f = TempFile::new("verify-beside");
    let mut a = create(f.path());
    let b = open(f.path());
    for d in 1..=5 {
        a.add_record(&admin(), record(&format!("R{d}"), d)).unwrap();
        // b's entries are a prefix of the file's: its chain holds.
        let report = b.verify().unwrap();
        assert_eq!(report.entries as u64, b.entry_count());
    }
    a.verify().unwrap();
}

#[test]
fn a_snapshot_the_log_does_not_continue_is_set_aside_with_a_warning() {
    let f = TempFile::new("bad-snapshot");
    let mut a = create(f.path());
    a.add_record(&admin(), record("R1", 1)).unwrap();
    a.checkpoint().unwrap();
    // The snapshot holds R1's entry but is labelled one entry behind it: replaying the entry
    // after the label on it repeats R1 (what a snapshot taken beside a writer once did).
    let (len, _) = a.head();
    drop(a);
    let c = rusqlite::Connection::open(f.path()).unwrap();
    c.execute(
        "UPDATE snapshot SET seq = ?1, hash = (SELECT hash FROM entries WHERE seq = ?1)",
        [len as i64 - 1],
    )
    .unwrap();
    drop(c);
    let l = Ledger::open(f.path()).unwrap();
    assert_eq!(l.record_count(), 1);
    assert_eq!(
        l.replayed_at_open(),
        l.entry_count(),
        "the whole log replayed"
    );
    let codes: Vec<&str> = l.open_warnings().iter().map(|w| w.code.as_str()).collect();
    assert_eq!(codes, ["W_SNAPSHOT_IGNORED"]);
    l.verify().unwrap();
    drop(l);
    // Closing wrote a good snapshot: the next open uses it and warns of nothing.
    let l = Ledger::open(f.path()).unwrap();
    assert!(l.open_warnings().is_empty());
    assert_eq!(l.replayed_at_open(), 0);
}

#[test]
fn a_ledger_that_fell_behind_writes_no_snapshot_on_close() {
    let f = TempFile::new("behind-close");
    let mut a = create(f.path());
    a.checkpoint().unwrap();
    a.add_record(&admin(), record("R1", 1)).unwrap();
    let b = open(f.path()); // replays R1: its snapshot would be newer than the file's
    assert_eq!(b.replayed_at_open(), 1);
    a.add_record(&admin(), record("R2", 2)).unwrap();
    a.checkpoint().unwrap();
    // b's state is one entry behind the file's head: closing it must not replace a's newer
    // snapshot with its own.
    drop(b);
    drop(a);
    let l = Ledger::open(f.path()).unwrap();
    assert!(l.open_warnings().is_empty());
    assert_eq!(l.replayed_at_open(), 0, "a's snapshot is the one kept");
    assert_eq!(l.record_count(), 2);
}
