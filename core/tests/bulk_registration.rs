//! Many volunteers registered at once into a file ledger: what the writing thread writes is
//! what registering one at a time writes, and it reads back.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::{Path, PathBuf};
use std::sync::Arc;
use volunteer_ledger::import::{ImportOptions, upload_volunteers};
use volunteer_ledger::*;

mod common;
use common::{admin, id, identity_number};

fn dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("vl-bulk-reg-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn fixed() -> Clock {
    Clock::Fixed(Timestamp::from_local(480, 2024, 3, 1, 9, 0).unwrap())
}

fn keys() -> IdentityKeys {
    IdentityKeys::Provider(Arc::new(Keyring::new("k1", &[7; 32]).unwrap()))
}

/// A file ledger with platform keys, a fixed clock and fixed entropy, and orgs D > C1.
fn file_ledger(path: &Path) -> Ledger {
    let config = LedgerConfig::new(id("bulk"), "测试区", admin());
    let mut l = Ledger::create_with_keys(path, config, keys()).unwrap();
    l.set_clock(fixed());
    l.set_fixed_entropy([9; 32]);
    for (o, parent, kind) in [
        ("D", None, OrgKind::District),
        ("C1", Some("D"), OrgKind::Community),
    ] {
        let org = NewOrg {
            id: id(o),
            name: format!("{o}组织"),
            kind,
            parent: parent.map(id),
        };
        l.register_org(&admin(), org).unwrap();
    }
    l
}

/// 40 people, and among them: a second registration of person 3's identity, an unknown org,
/// a volunteer number given twice and an invalid identity number.
fn people() -> Vec<NewVolunteer> {
    let mut v: Vec<NewVolunteer> = (0..40)
        .map(|n| NewVolunteer {
            id: id(&format!("V{n}")),
            name: format!("志愿者{n}"),
            identity_kind: IdentityKind::ResidentId,
            identity_number: identity_number(n),
            home_org: Some(id("C1")),
        })
        .collect();
    v[10].identity_number = identity_number(3);
    v[20].home_org = Some(id("NOWHERE"));
    v[30].id = id("V5");
    v[35].identity_number = "110105198001010011".into();
    v
}

fn codes(results: &[Result<Receipt>]) -> Vec<Option<&'static str>> {
    results
        .iter()
        .map(|r| r.as_ref().err().map(LedgerError::code))
        .collect()
}

/// Each change in the log after the ledger's creation, as its canonical JSON.
fn changes(l: &Ledger) -> Vec<String> {
    l.entries()
        .unwrap()
        .iter()
        .skip(1)
        .map(|e| serde_json::to_string(&e.change).unwrap())
        .collect()
}

/// Every row of a ledger file's volunteers projection, in index order, each column as text.
fn volunteer_rows(path: &Path) -> Vec<Vec<String>> {
    let c = rusqlite::Connection::open(path).unwrap();
    let mut st = c.prepare("SELECT * FROM volunteers ORDER BY n").unwrap();
    let columns = st.column_count();
    let rows = st
        .query_map([], |r| {
            (0..columns)
                .map(|i| {
                    Ok(match r.get_ref(i)? {
                        rusqlite::types::ValueRef::Null => "NULL".to_owned(),
                        rusqlite::types::ValueRef::Integer(n) => n.to_string(),
                        rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t).into(),
                        other => format!("{other:?}"),
                    })
                })
                .collect()
        })
        .unwrap();
    rows.collect::<rusqlite::Result<_>>().unwrap()
}

#[test]
fn a_bulk_registration_writes_what_registering_one_at_a_time_writes() {
    let d = dir("same");
    let (bulk_path, single_path) = (d.join("bulk.vl"), d.join("single.vl"));
    let mut bulk = file_ledger(&bulk_path);
    let bulk_results = bulk.register_volunteers(&admin(), people()).unwrap();
    let mut single = file_ledger(&single_path);
    let single_results: Vec<_> = people()
        .into_iter()
        .map(|v| single.register_volunteer(&admin(), v))
        .collect();

    let refused = codes(&bulk_results);
    assert_eq!(refused, codes(&single_results));
    assert_eq!(refused[10], Some("E_DUPLICATE_IDENTITY"));
    assert_eq!(refused[20], Some("E_UNKNOWN_ORG"));
    assert_eq!(refused[30], Some("E_DUPLICATE"));
    assert_eq!(refused[35], Some("E_IDENTITY_CHECKSUM"));
    assert_eq!(refused.iter().filter(|c| c.is_none()).count(), 36);
    assert_eq!(changes(&bulk), changes(&single));
    let seqs = |r: &[Result<Receipt>]| -> Vec<i64> { r.iter().flatten().map(|r| r.seq).collect() };
    assert_eq!(seqs(&bulk_results), seqs(&single_results));
    drop((bulk, single));
    // The projection rows the writing thread wrote are those the single path wrote.
    let projected = volunteer_rows(&bulk_path);
    assert_eq!(projected.len(), 36);
    assert_eq!(projected, volunteer_rows(&single_path));

    // Read back from the file: the chain verifies, and each number opens with the data key
    // the writing thread kept.
    let l = Ledger::open_with_keys(&bulk_path, keys()).unwrap();
    l.verify().unwrap();
    for (n, v) in people().into_iter().enumerate() {
        if refused[n].is_none() {
            let (_, identity) = l.identity_for_certificate(&v.id).unwrap();
            assert_eq!(identity.number(), v.identity_number);
        }
    }
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn the_tag_key_a_bulk_registration_chose_is_kept_across_a_rotation() {
    let d = dir("tag");
    let path = d.join("own.vl");
    let config = LedgerConfig::new(id("bulk"), "测试区", admin());
    let mut l = Ledger::create(&path, config).unwrap();
    let org = NewOrg {
        id: id("D"),
        name: "测试区".into(),
        kind: OrgKind::District,
        parent: None,
    };
    l.register_org(&admin(), org).unwrap();
    // The first registrations of the ledger: they choose the key the tags are derived from.
    let mut first = people();
    first.truncate(5);
    for v in &mut first {
        v.home_org = Some(id("D"));
    }
    let results = l.register_volunteers(&admin(), first).unwrap();
    assert!(results.iter().all(Result::is_ok));
    l.rotate_key().unwrap();
    drop(l);

    // After the rotation, tags are still derived from the first key: the same person is
    // found, however the ledger was reopened.
    let mut l = Ledger::open(&path).unwrap();
    let again = NewVolunteer {
        id: id("V-again"),
        name: "志愿者0".into(),
        identity_kind: IdentityKind::ResidentId,
        identity_number: identity_number(0),
        home_org: Some(id("D")),
    };
    let e = l.register_volunteer(&admin(), again).unwrap_err();
    assert_eq!(e.code(), "E_DUPLICATE_IDENTITY");
    let _ = std::fs::remove_dir_all(d);
}

#[test]
fn a_register_sheet_without_phones_reads_back_from_the_file() {
    let d = dir("sheet");
    let path = d.join("sheet.vl");
    let mut l = file_ledger(&path);
    let mut sheet = String::from("姓名,证件号码,所属组织\n");
    for n in 0..25 {
        sheet.push_str(&format!("志愿者{n},{},C1\n", identity_number(n)));
    }
    let opts = ImportOptions::default();
    let r = upload_volunteers(
        &mut l,
        &admin(),
        sheet.as_bytes(),
        &opts,
        false,
        Progress::none(),
    )
    .unwrap();
    assert_eq!((r.accepted, r.refused), (25, 0));
    drop(l);
    let mut l = Ledger::open_with_keys(&path, keys()).unwrap();
    l.verify().unwrap();
    let (_, identity) = l.identity_for_certificate(&id("V00000025")).unwrap();
    assert_eq!(identity.number(), identity_number(24));
    // The same sheet again adds nothing: the tags written are found.
    let r = upload_volunteers(
        &mut l,
        &admin(),
        sheet.as_bytes(),
        &opts,
        false,
        Progress::none(),
    )
    .unwrap();
    assert_eq!((r.accepted, r.duplicates), (0, 25));
    let _ = std::fs::remove_dir_all(d);
}

/// A sheet long enough that the writing thread hands pages to the WAL before the commit: when
/// the write fails after that, nothing of the sheet is kept, in the file or in memory; once the
/// disk has room, the sheet goes in whole.
#[test]
fn a_long_sheet_whose_write_fails_after_pages_went_to_the_wal_leaves_nothing() {
    const ROWS: u64 = 10_000;
    let d = dir("long");
    let path = d.join("long.vl");
    let mut l = file_ledger(&path);
    let (digest, head) = (l.state_digest(), l.head());
    let mut sheet = String::from("姓名,证件号码,所属组织\n");
    for n in 0..ROWS {
        sheet.push_str(&format!("志愿者{n},{},C1\n", identity_number(n)));
    }
    // The file refuses the 9,500th volunteer's row, as a full disk would.
    let trigger = "CREATE TRIGGER full_disk BEFORE INSERT ON volunteers WHEN NEW.n >= 9499
         BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;";
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch(trigger)
        .unwrap();
    let opts = ImportOptions::default();
    let e = upload_volunteers(
        &mut l,
        &admin(),
        sheet.as_bytes(),
        &opts,
        false,
        Progress::none(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "E_STORAGE", "{e}");
    assert_eq!((l.state_digest(), l.head()), (digest, head));
    drop(l);
    let mut l = Ledger::open_with_keys(&path, keys()).unwrap();
    l.set_clock(fixed());
    assert_eq!((l.state_digest(), l.head()), (digest, head));
    assert!(volunteer_rows(&path).is_empty());
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute_batch("DROP TRIGGER full_disk")
        .unwrap();
    let r = upload_volunteers(
        &mut l,
        &admin(),
        sheet.as_bytes(),
        &opts,
        false,
        Progress::none(),
    )
    .unwrap();
    assert_eq!(r.accepted, ROWS as i32);
    drop(l);
    let l = Ledger::open_with_keys(&path, keys()).unwrap();
    l.verify().unwrap();
    assert_eq!(volunteer_rows(&path).len(), ROWS as usize);
    let (_, identity) = l.identity_for_certificate(&id("V00010000")).unwrap();
    assert_eq!(identity.number(), identity_number(ROWS - 1));
    let _ = std::fs::remove_dir_all(d);
}
