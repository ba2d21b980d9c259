//! The file ledger (`Ledger::create`, `Ledger::open`): what it refuses, what it repairs, and
//! that a failed write leaves file and memory as they were.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use chrono::Datelike;
use common::{TempFile, admin, id};
use std::path::Path;
use volunteer_ledger::import::{ImportOptions, upload};
use volunteer_ledger::*;

const OFFSET: i32 = 480;

fn t(m: u32, d: u32, h: u32) -> Timestamp {
    Timestamp::from_local(OFFSET, 2015, m, d, h, 0).unwrap()
}

fn clock() -> Clock {
    Clock::Fixed(t(6, 30, 12))
}

/// D > C1; volunteers V1, V2; two records.
fn small(path: &Path) -> Ledger {
    let mut l = Ledger::create_with_clock(
        path,
        LedgerConfig::new(id("test"), "测试区", admin()),
        clock(),
    )
    .unwrap();
    for (o, p, k) in [
        ("D", None, OrgKind::District),
        ("C1", Some("D"), OrgKind::Community),
    ] {
        l.register_org(
            &admin(),
            NewOrg {
                id: id(o),
                name: format!("{o}名"),
                kind: k,
                parent: p.map(id),
            },
        )
        .unwrap();
    }
    for (v, name, number) in [
        ("V1", "张三丰", "11010519491231002X"),
        ("V2", "李四光", "360502198912010016"),
    ] {
        l.register_volunteer(
            &admin(),
            NewVolunteer {
                id: id(v),
                name: name.into(),
                identity_kind: IdentityKind::ResidentId,
                identity_number: number.into(),
                home_org: Some(id("C1")),
            },
        )
        .unwrap();
    }
    for (r, v, d) in [("R1", "V1", 1), ("R2", "V2", 2)] {
        l.add_record(
            &admin(),
            NewRecord::new(id(r), id(v), id("C1"), t(6, d, 9), t(6, d, 11), 120, "巡逻"),
        )
        .unwrap();
    }
    l
}

fn file_bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

#[test]
fn a_ledger_with_hidden_and_pseudonymous_volunteers_reopens_from_its_snapshot() {
    let f = TempFile::new("visibility");
    let mut l = small(f.path());
    l.set_visibility(&admin(), &id("V1"), BoardVisibility::Hidden)
        .unwrap();
    l.set_visibility(
        &admin(),
        &id("V2"),
        BoardVisibility::Pseudonym {
            name: "热心市民".into(),
        },
    )
    .unwrap();
    let board = |l: &mut Ledger| {
        l.leaderboard(
            "2015-06".parse().unwrap(),
            &Scope::All,
            BoardKind::Volunteers,
            10,
        )
        .unwrap()
        .entries
    };
    let (digest, lines) = (l.state_digest(), board(&mut l));
    drop(l);
    let mut l = Ledger::open(f.path()).unwrap();
    assert_eq!(
        l.replayed_at_open(),
        0,
        "the snapshot holds the visibilities"
    );
    assert_eq!(l.state_digest(), digest);
    assert_eq!(board(&mut l), lines);
}

#[test]
fn reopening_gives_the_same_ledger_and_sql_tools_can_read_it() {
    let f = TempFile::new("reopen");
    let mut l = small(f.path());
    l.set_visibility(
        &admin(),
        &id("V2"),
        BoardVisibility::Pseudonym {
            name: "小蜜蜂".into(),
        },
    )
    .unwrap();
    let board = l
        .leaderboard(
            "2015-06".parse().unwrap(),
            &Scope::All,
            BoardKind::Volunteers,
            10,
        )
        .unwrap();
    let (digest, head) = (l.state_digest(), l.head());
    assert_eq!(l.path(), Some(f.path().to_str().unwrap()));
    drop(l);

    let mut l = Ledger::open(f.path()).unwrap();
    assert_eq!(l.replayed_at_open(), 0, "a clean close leaves a snapshot");
    assert_eq!((l.state_digest(), l.head()), (digest, head));
    assert_eq!(
        l.verify().unwrap().entries,
        i64::try_from(head.0).unwrap() + 1
    );
    let again = l
        .leaderboard(
            "2015-06".parse().unwrap(),
            &Scope::All,
            BoardKind::Volunteers,
            10,
        )
        .unwrap();
    assert_eq!(again.entries, board.entries);
    assert!(again.entries.iter().any(|e| e.name == "小蜜蜂"));

    // Plain SQL over the projections, while the ledger is open (WAL: readers never block).
    let c = rusqlite::Connection::open(f.path()).unwrap();
    let total: i64 = c
        .query_row(
            "SELECT sum(minutes) FROM records WHERE counted AND service_date LIKE '2015-06-%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(total, 240);
    let (name, identity): (String, String) = c
        .query_row(
            "SELECT masked_name, masked_identity FROM volunteers WHERE id = 'V1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    // Personal data leaves the core masked, in the projections too.
    assert!(!name.contains("三丰") && name.starts_with('张'), "{name}");
    assert!(!identity.contains("19491231"), "{identity}");
    let orgs: i64 = c
        .query_row("SELECT count(*) FROM orgs", [], |r| r.get(0))
        .unwrap();
    assert_eq!(orgs, 2);
    // The log's bodies parse with json_extract, as docs/schema.md says: a record's values in
    // key order (its id fourth), any other entry's body object.
    let ids: Vec<(String, String)> = c
        .prepare(
            "SELECT json_extract(e.body, '$[3]'), r.id FROM entries e \
             JOIN records r ON r.entry_seq = e.seq WHERE e.kind = 'record_added' ORDER BY r.n",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap();
    assert_eq!(ids.len(), 2);
    assert!(
        ids.iter().all(|(logged, projected)| logged == projected),
        "{ids:?}"
    );
    let org: String = c
        .query_row(
            "SELECT json_extract(body, '$.id') FROM entries WHERE kind = 'org_registered'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(org, "D");
}

#[test]
fn a_projection_edited_by_hand_is_rebuilt_from_the_log() {
    let f = TempFile::new("rebuild");
    drop(small(f.path()));
    let c = rusqlite::Connection::open(f.path()).unwrap();
    c.execute(
        "UPDATE records SET minutes = 999, counted = 1 WHERE id = 'R1'",
        [],
    )
    .unwrap();
    c.execute("DELETE FROM volunteers WHERE id = 'V2'", [])
        .unwrap();
    let l = Ledger::open(f.path()).unwrap();
    let edited = |c: &rusqlite::Connection| -> i64 {
        c.query_row(
            "SELECT count(*) FROM meta WHERE key = 'projections_edited'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(edited(&c), 0, "the rebuild clears the note");
    let minutes: i64 = c
        .query_row("SELECT minutes FROM records WHERE id = 'R1'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let v2: i64 = c
        .query_row("SELECT count(*) FROM volunteers WHERE id = 'V2'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!((minutes, v2), (120, 1));
    assert_eq!(l.record(&id("R1")).unwrap().record.minutes, 120);
    drop(l);
    // An edit that keeps every count and every minute is found too, and so is a row added.
    c.execute("UPDATE records SET content = '改过' WHERE id = 'R2'", [])
        .unwrap();
    drop(Ledger::open(f.path()).unwrap());
    let content: String = c
        .query_row("SELECT content FROM records WHERE id = 'R2'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(content, "巡逻");
    c.execute(
        "INSERT INTO orgs VALUES ('FAKE', '假组织', 'community', NULL)",
        [],
    )
    .unwrap();
    drop(Ledger::open(f.path()).unwrap());
    let fake: i64 = c
        .query_row("SELECT count(*) FROM orgs WHERE id = 'FAKE'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!((fake, edited(&c)), (0, 0));
}

#[test]
fn the_log_in_the_file_is_append_only_and_checked() {
    let f = TempFile::new("tamper");
    drop(small(f.path()));
    let c = rusqlite::Connection::open(f.path()).unwrap();
    // The triggers refuse casual edits of the truth.
    let edit = c.execute("UPDATE entries SET actor = 'x' WHERE seq = 5", []);
    assert!(edit.is_err());
    assert!(c.execute("DELETE FROM entries WHERE seq = 5", []).is_err());
    // A determined edit (triggers dropped, 120 minutes made 720) is found: by verify(), and
    // by open() when the entry lies after the snapshot. A record's row holds its values in
    // key order (docs/schema.md): minutes is the sixth.
    c.execute_batch("DROP TRIGGER entries_no_update; DELETE FROM snapshot;")
        .unwrap();
    let bytes: Vec<u8> = c
        .query_row(
            "SELECT body FROM entries WHERE kind = 'record_added' LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let mut values: Vec<serde_json::Value> = serde_json::from_slice(&bytes).unwrap();
    assert_eq!(values[5], serde_json::json!(120));
    values[5] = serde_json::json!(720);
    let forged = serde_json::to_vec(&values).unwrap();
    c.execute(
        "UPDATE entries SET body = ?1 WHERE kind = 'record_added' AND body = ?2",
        rusqlite::params![forged, bytes],
    )
    .unwrap();
    let e = Ledger::open(f.path()).unwrap_err();
    assert_eq!(e.code(), "E_CHAIN_BROKEN", "{e}");
}

#[test]
fn verify_finds_a_forged_entry_and_a_forged_snapshot_behind_a_good_open() {
    let f = TempFile::new("forged");
    drop(small(f.path()));
    // A forged snapshot (another ledger's state under this head) does not get past verify():
    // verify() rebuilds the state from the log and compares.
    let other = TempFile::new("other");
    let mut o = small(other.path());
    o.add_record(
        &admin(),
        NewRecord::new(
            id("R3"),
            id("V1"),
            id("C1"),
            t(6, 5, 9),
            t(6, 5, 11),
            120,
            "多出来的",
        ),
    )
    .unwrap();
    drop(o);
    let oc = rusqlite::Connection::open(other.path()).unwrap();
    let data: Vec<u8> = oc
        .query_row("SELECT data FROM snapshot", [], |r| r.get(0))
        .unwrap();
    let c = rusqlite::Connection::open(f.path()).unwrap();
    c.execute("UPDATE snapshot SET data = ?1", [data]).unwrap();
    let l = Ledger::open(f.path()).unwrap();
    assert_eq!(
        l.replayed_at_open(),
        0,
        "the forged snapshot was not even read"
    );
    assert_ne!(
        l.record(&id("R3")).ok(),
        None,
        "the forged state is what was opened"
    );
    let e = l.verify().unwrap_err();
    assert_eq!(e.code(), "E_CHAIN_BROKEN", "{e}");
    assert!(e.to_string().contains("snapshot"), "{e}");
}

#[test]
fn a_newer_schema_is_refused_and_left_untouched() {
    let f = TempFile::new("newer");
    drop(small(f.path()));
    {
        let c = rusqlite::Connection::open(f.path()).unwrap();
        c.execute_batch("PRAGMA user_version = 99; PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
    }
    let before = file_bytes(f.path());
    let e = Ledger::open(f.path()).unwrap_err();
    assert_eq!(e.code(), "E_SCHEMA_VERSION");
    assert_eq!(e.family(), ErrorFamily::Integrity);
    assert!(
        e.to_string().contains("99") && e.to_string().contains("升级"),
        "{e}"
    );
    assert_eq!(file_bytes(f.path()), before);
}

#[test]
fn files_that_are_no_ledger_are_refused_and_left_untouched() {
    let garbage = TempFile::new("garbage");
    std::fs::write(garbage.path(), "姓名,证件号码\n张三,1\n".repeat(200)).unwrap();
    let e = Ledger::open(garbage.path()).unwrap_err();
    assert_eq!(e.code(), "E_NOT_A_LEDGER", "{e}");
    assert_eq!(
        std::fs::read_to_string(garbage.path()).unwrap(),
        "姓名,证件号码\n张三,1\n".repeat(200)
    );

    let other = TempFile::new("otherdb");
    {
        let c = rusqlite::Connection::open(other.path()).unwrap();
        c.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let before = file_bytes(other.path());
    let e = Ledger::open(other.path()).unwrap_err();
    assert_eq!(e.code(), "E_NOT_A_LEDGER", "{e}");
    assert_eq!(file_bytes(other.path()), before);

    let missing = TempFile::new("missing");
    let e = Ledger::open(missing.path()).unwrap_err();
    assert_eq!((e.code(), e.family()), ("E_STORAGE", ErrorFamily::Storage));
    assert!(!missing.path().exists());
}

#[test]
fn create_never_overwrites_and_leaves_nothing_when_refused() {
    let f = TempFile::new("exists");
    std::fs::write(f.path(), b"keep me").unwrap();
    let e = Ledger::create(f.path(), LedgerConfig::new(id("x"), "区", admin())).unwrap_err();
    assert_eq!(e.code(), "E_STORAGE");
    assert_eq!(file_bytes(f.path()), b"keep me");

    // A config the rules refuse (a clock outside 1970–2106) makes no file.
    let g = TempFile::new("refused");
    let e = Ledger::create_with_clock(
        g.path(),
        LedgerConfig::new(id("x"), "区", admin()),
        Clock::Fixed(Timestamp(-10)),
    )
    .unwrap_err();
    assert_ne!(e.code(), "E_STORAGE");
    assert!(!g.path().exists());
}

#[test]
fn a_second_writer_catches_up_instead_of_forking_the_chain() {
    let f = TempFile::new("writers");
    let mut a = small(f.path());
    let mut b = Ledger::open(f.path()).unwrap();
    b.set_clock(clock());
    a.set_visibility(&admin(), &id("V1"), BoardVisibility::Hidden)
        .unwrap();
    // b writes after a did: it first replays a's entry, then appends on the file's head.
    b.set_visibility(&admin(), &id("V2"), BoardVisibility::Hidden)
        .unwrap();
    assert_eq!(b.entry_count(), a.entry_count() + 1);
    assert_eq!(
        b.volunteer(&id("V1")).unwrap().visibility,
        BoardVisibility::Hidden
    );
    // And a, in turn, catches up with b before its own next write.
    a.add_record(
        &admin(),
        NewRecord::new(
            id("R3"),
            id("V1"),
            id("C1"),
            t(6, 3, 9),
            t(6, 3, 10),
            60,
            "巡逻",
        ),
    )
    .unwrap();
    assert_eq!(a.entry_count(), b.entry_count() + 1);
    a.verify().unwrap();
    drop((a, b));
    let l = Ledger::open(f.path()).unwrap();
    for v in ["V1", "V2"] {
        assert_eq!(
            l.volunteer(&id(v)).unwrap().visibility,
            BoardVisibility::Hidden
        );
    }
    assert_eq!(l.record_count(), 3);
    l.verify().unwrap();
}

/// Uploads a sheet as the admin, with the default options and no progress callback.
fn upload_sheet(l: &mut Ledger, bytes: &[u8], dry_run: bool) -> Result<import::ImportReport> {
    upload(
        l,
        &admin(),
        bytes,
        &ImportOptions::default(),
        dry_run,
        Progress::none(),
    )
}

/// A sheet of `n` rows for V1 and V2, one a day from 1 June 2015.
fn sheet(n: u32) -> Vec<u8> {
    let mut s =
        String::from("志愿者编号,组织编号,服务日期,开始时间,结束时间,服务时长(小时),服务内容\n");
    for i in 0..n {
        let day = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap()
            + chrono::Days::new(u64::from(i / 2));
        s.push_str(&format!(
            "V{},C1,{day},{},{},1,上传\n",
            1 + i % 2,
            if i % 2 == 0 { "13:00" } else { "15:00" },
            if i % 2 == 0 { "14:00" } else { "16:00" },
        ));
    }
    s.into_bytes()
}

#[test]
fn an_upload_whose_write_fails_leaves_file_and_memory_as_they_were() {
    let f = TempFile::new("failwrite");
    let mut l = small(f.path());
    let (digest, head) = (l.state_digest(), l.head());
    // Make the file refuse the 6th record row of the next transaction, as a full disk would.
    {
        let c = rusqlite::Connection::open(f.path()).unwrap();
        c.execute_batch(
            "CREATE TRIGGER full_disk BEFORE INSERT ON records
             WHEN (SELECT count(*) FROM records) >= 7
             BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
        )
        .unwrap();
    }
    let e = upload_sheet(&mut l, &sheet(20), false).unwrap_err();
    assert_eq!(e.code(), "E_STORAGE", "{e}");
    assert!(e.to_string().contains("disk is full"), "{e}");
    assert_eq!((l.state_digest(), l.head()), (digest, head));
    l.verify().unwrap();
    // The ledger goes on: once the disk has room, the same sheet goes in whole.
    {
        let c = rusqlite::Connection::open(f.path()).unwrap();
        c.execute_batch("DROP TRIGGER full_disk").unwrap();
    }
    let report = upload_sheet(&mut l, &sheet(20), false).unwrap();
    assert_eq!(report.accepted, 20, "{report:?}");
    drop(l);
    let l = Ledger::open(f.path()).unwrap();
    assert_eq!(l.record_count(), 22);
}

#[test]
fn a_dry_run_on_a_file_ledger_writes_nothing() {
    let f = TempFile::new("dry");
    let mut l = small(f.path());
    l.checkpoint().unwrap();
    let c = rusqlite::Connection::open(f.path()).unwrap();
    let count = |c: &rusqlite::Connection| -> i64 {
        c.query_row("SELECT count(*) FROM entries", [], |r| r.get(0))
            .unwrap()
    };
    let before = count(&c);
    let report = upload_sheet(&mut l, &sheet(10), true).unwrap();
    assert_eq!(report.accepted, 10);
    assert_eq!(count(&c), before);
    assert_eq!(l.record_count(), 2);
    // A copy keeps no log: asking it for one is an error, not an empty list.
    let copy = l.clone();
    assert_eq!(copy.entries().unwrap_err().code(), "E_STORAGE");
    assert_eq!(copy.state_digest(), l.state_digest());
}

#[test]
fn boards_as_of_an_entry_read_the_log_from_the_file() {
    let f = TempFile::new("asof");
    let mut l = small(f.path());
    let june: Period = "2015-06".parse().unwrap();
    let then = i64::try_from(l.head().0).unwrap();
    let before = l
        .leaderboard(june, &Scope::All, BoardKind::Volunteers, 10)
        .unwrap();
    l.revoke_record(&admin(), &id("R1"), "录错").unwrap();
    drop(l);
    let l = Ledger::open(f.path()).unwrap();
    let shown = l
        .leaderboard_as_of(then, june, &Scope::All, BoardKind::Volunteers, 10)
        .unwrap();
    assert_eq!(shown.entries, before.entries);
    assert_eq!(
        l.leaderboard_as_of(99, june, &Scope::All, BoardKind::Volunteers, 10)
            .unwrap_err()
            .code(),
        "E_UNKNOWN_ENTRY"
    );
}

#[test]
fn a_large_upload_is_one_transaction_and_survives_reopening() {
    let f = TempFile::new("bulk");
    let mut l = small(f.path());
    // 1250 days of service: entered years later by the platform admin (make-up records).
    l.set_clock(Clock::Fixed(
        Timestamp::from_local(OFFSET, 2019, 1, 1, 0, 0).unwrap(),
    ));
    let mut calls = Vec::new();
    let report = upload(
        &mut l,
        &admin(),
        &sheet(2500),
        &ImportOptions::default(),
        false,
        Progress::to(&mut |done, total| calls.push((done, total))),
    )
    .unwrap();
    assert_eq!(report.accepted, 2500, "{:?}", report.rejected.first());
    assert_eq!(calls.last(), Some(&(2500, 2500)));
    let again = upload_sheet(&mut l, &sheet(2500), false).unwrap();
    assert_eq!((again.accepted, again.duplicates), (0, 2500));
    let digest = l.state_digest();
    drop(l);
    let l = Ledger::open(f.path()).unwrap();
    assert_eq!(l.state_digest(), digest);
    assert_eq!(l.record_count(), 2502);
}

/// A copy of the version-1 fixture.
fn schema_1_copy(tag: &str) -> TempFile {
    let f = TempFile::new(tag);
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/ledger-schema-1.db"
    );
    std::fs::copy(fixture, f.path()).unwrap();
    f
}

/// A file written by schema version 1 (whole canonical bytes per row, `tests/fixtures`, made
/// by the Python example of 0.1 before the change) opens, is upgraded in one transaction, and
/// holds the same chain: the same head hash, every entry checked.
#[test]
fn a_version_1_file_is_upgraded_with_its_chain_intact() {
    let f = schema_1_copy("schema1");
    let head = "968eb7d72b1fcda627634fd785c7e1fc78c41190cf42da1bebccb43094df4254";
    let l = Ledger::open(f.path()).unwrap();
    assert_eq!((l.entry_count(), l.record_count()), (341, 10));
    let report = l.verify().unwrap();
    assert_eq!((report.entries, report.head_hash.as_str()), (341, head));
    drop(l);
    let c = rusqlite::Connection::open(f.path()).unwrap();
    let version: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 2);
    let old: i64 = c
        .query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'entries_1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(old, 0);
    drop(c);
    let again = Ledger::open(f.path()).unwrap();
    assert_eq!(again.verify().unwrap().head_hash, head);
}

/// A version-1 file whose chain does not hold is refused and left byte for byte as it was.
#[test]
fn a_broken_version_1_file_is_not_upgraded() {
    let f = schema_1_copy("schema1-broken");
    {
        let c = rusqlite::Connection::open(f.path()).unwrap();
        c.execute_batch(
            "PRAGMA journal_mode = DELETE; DROP TRIGGER entries_no_update;
             UPDATE entries SET canonical = replace(canonical, '\"minutes\":105', '\"minutes\":999')
             WHERE seq = (SELECT max(seq) FROM entries WHERE kind = 'record_added');",
        )
        .unwrap();
    }
    let before = std::fs::read(f.path()).unwrap();
    let e = Ledger::open(f.path()).unwrap_err();
    assert_eq!(e.code(), "E_CHAIN_BROKEN", "{e}");
    let c = rusqlite::Connection::open(f.path()).unwrap();
    let version: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1);
    drop(c);
    assert_eq!(std::fs::read(f.path()).unwrap().len(), before.len());
}

/// A bulk add into a file writes on a second thread: its answers are still in input order and
/// the same as in memory — duplicates (of earlier records and of records earlier in the same
/// call), refusals and all — and the file then holds what the memory ledger holds.
#[test]
fn a_bulk_add_into_a_file_answers_as_in_memory() {
    let f = TempFile::new("bulk");
    let mut file = small(f.path());
    let mut mem = Ledger::from_entries(file.entries().unwrap()).unwrap();
    mem.set_clock(clock());
    let r = |rid: &str, v: &str, d: u32, h: u32| {
        NewRecord::new(
            id(rid),
            id(v),
            id("C1"),
            t(6, d, h),
            t(6, d, h + 1),
            60,
            "巡逻",
        )
    };
    let batch = vec![
        NewRecord::new(
            id("R1"),
            id("V1"),
            id("C1"),
            t(6, 1, 9),
            t(6, 1, 11),
            120,
            "巡逻",
        ),
        r("B1", "V1", 10, 9),
        r("B2", "V1", 10, 9), // overlaps B1
        r("B1", "V1", 10, 9), // B1 again, same content
        r("B3", "V2", 11, 8),
        r("B3", "V2", 11, 14), // same id, other content
        r("B4", "V9", 11, 8),  // no such volunteer
    ];
    let mut streamed = Ledger::from_entries(file.entries().unwrap()).unwrap();
    streamed.set_clock(clock());
    let a = file.add_records(&admin(), batch.clone());
    // Records that arrive one by one, their number unknown (no size hint): the same answers.
    let c = streamed.add_records_from(
        &admin(),
        batch.clone().into_iter().filter(|_| true),
        Progress::none(),
    );
    let b = mem.add_records(&admin(), batch);
    let show = |v: &[Result<RecordReceipt>]| {
        v.iter()
            .map(|r| match r {
                Ok(r) => format!("{} {:?} {} {}", r.record, r.state, r.seq, r.duplicate),
                Err(e) => e.code().to_owned(),
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(show(&a), show(&b));
    assert_eq!(show(&c), show(&b));
    assert_eq!(streamed.state_digest(), mem.state_digest());
    assert_eq!(
        show(&a)
            .iter()
            .map(|s| s.split(' ').next().unwrap_or_default())
            .collect::<Vec<_>>(),
        [
            "R1",
            "B1",
            "E_OVERLAP",
            "B1",
            "B3",
            "E_RECORD_ID_CONFLICT",
            "E_UNKNOWN_VOLUNTEER"
        ]
    );
    assert_eq!(file.state_digest(), mem.state_digest());
    drop(file);
    let again = Ledger::open(f.path()).unwrap();
    assert_eq!(again.state_digest(), mem.state_digest());
    assert_eq!(again.record_count(), 4);
    again.verify().unwrap();
}

/// A batch that takes the ledger 200,000 entries past its last snapshot commits one with its
/// entries, in the batch's own transaction: a process killed right after it (no close)
/// reopens without replaying anything.
#[test]
fn a_big_batch_commits_a_snapshot_with_its_entries() {
    let f = TempFile::new("big-batch");
    let mut l = small(f.path());
    l.set_clock(Clock::Fixed(
        Timestamp::from_local(OFFSET, 2016, 1, 10, 0, 0).unwrap(),
    ));
    l.batch(|l| {
        for v in 0..1000 {
            l.register_volunteer(
                &admin(),
                NewVolunteer {
                    id: id(&format!("P{v:04}")),
                    name: "志愿者".into(),
                    identity_kind: IdentityKind::Passport,
                    identity_number: format!("E{v:08}"),
                    home_org: Some(id("C1")),
                },
            )
            .unwrap();
        }
    })
    .unwrap();
    let jan1 = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
    let records: Vec<NewRecord> = (0..200_000u32)
        .map(|k| {
            let (v, day) = (k % 1000, jan1 + chrono::Days::new(u64::from(k / 1000)));
            let at = |h| Timestamp::from_local(OFFSET, 2015, day.month(), day.day(), h, 0).unwrap();
            NewRecord::new(
                id(&format!("B{k}")),
                id(&format!("P{v:04}")),
                id("C1"),
                at(9),
                at(10),
                60,
                "巡逻",
            )
        })
        .collect();
    assert!(l.add_records(&admin(), records).iter().all(|r| r.is_ok()));
    let (digest, head) = (l.state_digest(), l.head());
    let c = rusqlite::Connection::open(f.path()).unwrap();
    let seq: i64 = c
        .query_row("SELECT seq FROM snapshot", [], |r| r.get(0))
        .unwrap();
    assert_eq!(u64::try_from(seq).unwrap(), head.0);
    // Killed: no close, no snapshot written on the way out.
    std::mem::forget(l);
    let l = Ledger::open(f.path()).unwrap();
    assert_eq!(l.replayed_at_open(), 0);
    assert_eq!((l.state_digest(), l.head()), (digest, head));
}

/// `checkpoint()` inside a batch writes nothing and is not taken for a snapshot: the close
/// after the batch still writes one, and the next open replays nothing.
#[test]
fn a_checkpoint_inside_a_batch_leaves_the_snapshot_to_the_close() {
    let f = TempFile::new("checkpoint-in-batch");
    drop(small(f.path()));
    let mut l = Ledger::open(f.path()).unwrap();
    l.set_clock(clock());
    l.batch(|l| {
        l.add_record(
            &admin(),
            NewRecord::new(
                id("R3"),
                id("V1"),
                id("C1"),
                t(6, 3, 9),
                t(6, 3, 10),
                60,
                "巡逻",
            ),
        )
        .unwrap();
        l.checkpoint().unwrap();
    })
    .unwrap();
    let digest = l.state_digest();
    drop(l);
    let l = Ledger::open(f.path()).unwrap();
    assert_eq!(l.replayed_at_open(), 0);
    assert_eq!(l.state_digest(), digest);
}

/// Single changes, each its own commit, keep the WAL file at about 8 MiB however large the
/// pages: it is copied into the file and reused once it holds that much.
#[test]
fn single_commits_keep_the_wal_small() {
    let f = TempFile::new("wal-size");
    let mut l = small(f.path());
    for day in 0..400u64 {
        let date = chrono::NaiveDate::from_ymd_opt(2014, 1, 1).unwrap() + chrono::Days::new(day);
        let at =
            |h| Timestamp::from_local(OFFSET, date.year(), date.month(), date.day(), h, 0).unwrap();
        l.add_record(
            &admin(),
            NewRecord::new(
                id(&format!("S{day}")),
                id("V1"),
                id("C1"),
                at(9),
                at(10),
                60,
                "巡逻",
            ),
        )
        .unwrap();
    }
    let mut wal = f.path().as_os_str().to_owned();
    wal.push("-wal");
    let size = std::fs::metadata(&wal).unwrap().len();
    assert!(size < 12 << 20, "the WAL holds {size} bytes");
    drop(l);
}

/// Every row of a table, in key order, as SQLite holds it.
fn table_rows(c: &rusqlite::Connection, sql: &str) -> Vec<Vec<rusqlite::types::Value>> {
    let mut st = c.prepare(sql).unwrap();
    let n = st.column_count();
    st.query_map([], |r| (0..n).map(|i| r.get(i)).collect())
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
}

/// The rows a bulk add writes on its second thread are the rows the ledger writes for the same
/// records when it rebuilds its projections from the log — every column, the make-up, pending
/// and confirmed states, other sources, texts that JSON must escape — and its log rows are
/// what `verify` reads back.
#[test]
fn a_bulk_add_writes_the_rows_a_rebuild_writes() {
    let f = TempFile::new("bulk-rows");
    let mut l = small(f.path());
    let at = |d: chrono::NaiveDate, h: u32| {
        Timestamp::from_local(OFFSET, d.year(), d.month(), d.day(), h, 0).unwrap()
    };
    l.create_team(
        &admin(),
        NewTeam {
            id: id("T1"),
            org: id("C1"),
            name: "巡逻队".into(),
            leader: id("V1"),
            liaisons: vec![],
            members: vec![id("V2")],
        },
    )
    .unwrap();
    let (first, last) = (
        chrono::NaiveDate::from_ymd_opt(2014, 10, 1).unwrap(),
        chrono::NaiveDate::from_ymd_opt(2015, 6, 29).unwrap(),
    );
    l.create_activity(
        &admin(),
        NewActivity {
            id: id("A1"),
            name: "巡逻".into(),
            org: id("C1"),
            project: None,
            team: Some(id("T1")),
            start: at(first, 0),
            end: at(last, 23),
        },
    )
    .unwrap();
    let mut records = Vec::new();
    for i in 0..1500u32 {
        // Per volunteer, four one-hour records a day: from October 2014 (make-up records,
        // long after the fact), the last fifty each in the second half of June (on time).
        let k = i / 2;
        let day = if k < 700 {
            chrono::NaiveDate::from_ymd_opt(2014, 10, 1).unwrap()
                + chrono::Days::new(u64::from(k / 4))
        } else {
            chrono::NaiveDate::from_ymd_opt(2015, 6, 16).unwrap()
                + chrono::Days::new(u64::from((k - 700) / 4))
        };
        let h = 8 + (k % 4) * 2;
        let mut r = NewRecord::new(
            id(&format!("K{i}")),
            id(if i % 2 == 0 { "V1" } else { "V2" }),
            id("C1"),
            at(day, h),
            at(day, h + 1),
            30 + i % 31,
            format!("内容 \"{i}\"\\\n\t{}", "长".repeat((i % 7) as usize)),
        );
        r.source = [
            RecordSource::Entry,
            RecordSource::Import,
            RecordSource::CheckIn,
        ][i as usize % 3];
        // Some with a team, some with the team's activity too, the rest with neither.
        if i % 4 != 0 {
            r.team = Some(id("T1"));
        }
        if i % 4 == 3 {
            r.activity = Some(id("A1"));
        }
        records.push(r);
    }
    // Nine hours: above the four-eyes threshold, it waits for a second admin.
    let day = chrono::NaiveDate::from_ymd_opt(2015, 4, 15).unwrap();
    records.push(NewRecord::new(
        id("LONG"),
        id("V1"),
        id("C1"),
        at(day, 8),
        at(day, 17),
        540,
        "长",
    ));
    let answers = l.add_records(&admin(), records);
    assert!(
        answers.iter().all(|a| a.is_ok()),
        "{:?}",
        answers.iter().find(|a| a.is_err())
    );
    drop(l);
    let c = rusqlite::Connection::open(f.path()).unwrap();
    let records_sql = "SELECT * FROM records ORDER BY n";
    let written = table_rows(&c, records_sql);
    assert_eq!(written.len(), 1503);
    // Column 11 is the state, 13 whether it is a make-up record, 14 the source.
    let kinds: std::collections::BTreeSet<String> = written
        .iter()
        .map(|row| format!("{:?} {:?} {:?}", row[11], row[13], row[14]))
        .collect();
    assert_eq!(kinds.len(), 7, "{kinds:?}");
    // Columns 4 and 5: the team and the activity.
    let teams: std::collections::BTreeSet<String> = written
        .iter()
        .map(|row| format!("{:?} {:?}", row[4], row[5]))
        .collect();
    assert_eq!(teams.len(), 3, "{teams:?}");
    // A hand edit makes the next open rebuild every projection row from the log.
    c.execute("UPDATE records SET content = '改过' WHERE n = 7", [])
        .unwrap();
    let l = Ledger::open(f.path()).unwrap();
    l.verify().unwrap();
    drop(l);
    assert_eq!(table_rows(&c, records_sql), written);
}

/// The POSIX locks this process holds on a file, as Linux lists them.
#[cfg(target_os = "linux")]
fn locks_held_on(path: &Path) -> Vec<String> {
    use std::os::unix::fs::MetadataExt;
    let meta = std::fs::metadata(path).unwrap();
    // Linux's device number, as /proc/locks writes it: major:minor in hex.
    let dev = meta.dev();
    let (major, minor) = (
        ((dev >> 8) & 0xfff) | ((dev >> 32) & !0xfff),
        (dev & 0xff) | ((dev >> 12) & !0xff),
    );
    let file = format!("{major:02x}:{minor:02x}:{}", meta.ino());
    let pid = std::process::id().to_string();
    std::fs::read_to_string("/proc/locks")
        .unwrap()
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            // "1: POSIX  ADVISORY  READ 444 fe:00:9978184 128 128": type, pid, device:inode, range.
            let on_file = f.get(5) == Some(&file.as_str());
            (f.get(4) == Some(&pid.as_str()) && on_file).then(|| f[3..].join(" "))
        })
        .collect()
}

/// A bulk add (its writing thread, its early syncs) leaves SQLite's locks on the ledger's file
/// as they were: closing any descriptor of a file drops every POSIX lock the process holds on
/// it, SQLite's included, so the ledger never opens and closes its database file around a
/// bulk add (the one descriptor it holds lives as long as the file's stores: see the next test).
/// (Inside a batch SQLite holds a shared lock on the file, which a bulk add used to drop.)
#[cfg(target_os = "linux")]
#[test]
fn a_bulk_add_keeps_the_ledgers_lock_on_its_file() {
    let f = TempFile::new("lock");
    let mut l = small(f.path());
    let records: Vec<NewRecord> = (0..200u32)
        .map(|i| {
            let d = 1 + i / 8;
            let h = 8 + i % 8;
            NewRecord::new(
                id(&format!("L{i}")),
                id("V2"),
                id("C1"),
                Timestamp::from_local(OFFSET, 2015, 4, d, h, 0).unwrap(),
                Timestamp::from_local(OFFSET, 2015, 4, d, h, 30).unwrap(),
                30,
                "巡逻",
            )
        })
        .collect();
    let (before, after) = l
        .batch(|l| {
            let before = locks_held_on(f.path());
            assert!(l.add_records(&admin(), records).iter().all(|r| r.is_ok()));
            (before, locks_held_on(f.path()))
        })
        .unwrap();
    locks_kept_and_reopens(f.path(), l, (before, after), 202);
}

/// The locks SQLite held on the file in a batch (some) are the ones it still held at the
/// batch's end; closed, the file opens again with `records` records and verifies.
#[cfg(target_os = "linux")]
fn locks_kept_and_reopens(
    path: &Path,
    l: Ledger,
    (before, after): (Vec<String>, Vec<String>),
    records: usize,
) {
    assert!(
        !before.is_empty(),
        "SQLite holds a lock on the file in a batch"
    );
    assert_eq!(after, before);
    drop(l);
    let again = Ledger::open(path).unwrap();
    assert_eq!(again.record_count(), records);
    again.verify().unwrap();
}

/// Two ledgers of one file in one process: closing one leaves the other's locks on the file
/// as they were. (The store holds one descriptor of the file for its early syncs, shared by
/// every store of the file and closed with the last: a descriptor of its own, closed with it,
/// would drop every lock the process holds on the file.)
#[cfg(target_os = "linux")]
#[test]
fn closing_a_second_ledger_of_the_file_keeps_the_firsts_locks() {
    let f = TempFile::new("two");
    let mut l = small(f.path());
    let other = Ledger::open(f.path()).unwrap();
    assert_eq!(other.record_count(), 2);
    let path = f.path().to_owned();
    let (before, after) = l
        .batch(move |l| {
            let record = NewRecord::new(
                id("T1"),
                id("V2"),
                id("C1"),
                t(5, 2, 9),
                t(5, 2, 10),
                60,
                "巡逻",
            );
            l.add_record(&admin(), record).unwrap();
            let before = locks_held_on(&path);
            drop(other);
            (before, locks_held_on(&path))
        })
        .unwrap();
    locks_kept_and_reopens(f.path(), l, (before, after), 3);
}

#[test]
fn a_new_snapshot_reuses_the_pages_of_the_one_it_replaces() {
    let f = TempFile::new("snapshot-pages");
    let mut l = common::community_file(f.path(), "test", 3000, clock());
    l.checkpoint().unwrap();
    let c = rusqlite::Connection::open(f.path()).unwrap();
    let pages = |c: &rusqlite::Connection, what: &str| -> i64 {
        c.query_row(&format!("PRAGMA {what}"), [], |r| r.get(0))
            .unwrap()
    };
    let old: i64 = c
        .query_row("SELECT length(data) FROM snapshot", [], |r| r.get(0))
        .unwrap();
    let old_pages = old / pages(&c, "page_size");
    assert!(
        old_pages >= 4,
        "a snapshot of {old} bytes is too small to tell"
    );
    for v in 3000..3500 {
        l.register_volunteer(
            &admin(),
            NewVolunteer {
                id: id(&format!("V{v}")),
                name: "志愿者".into(),
                identity_kind: IdentityKind::Passport,
                identity_number: format!("E{v:08}"),
                home_org: Some(id("C1")),
            },
        )
        .unwrap();
    }
    l.checkpoint().unwrap();
    drop(l);
    c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE)").unwrap();
    // Freed while the new one was written, the old pages hold the new snapshot: the file does
    // not keep a free list the size of the old snapshot.
    let free = pages(&c, "freelist_count");
    assert!(
        free < old_pages,
        "{free} free pages; the old snapshot had {old_pages}"
    );
}
