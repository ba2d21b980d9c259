//! Identity numbers are never stored in clear (`docs/identity.md`): every file a ledger
//! writes is scanned for them; duplicates, key-less opening, erasure, rotation, devices and
//! old logs.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use chrono::NaiveDate;
use common::{TempFile, admin, id};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use volunteer_ledger::*;

const OFFSET: i32 = 480;
/// The numbers registered (valid GB 11643 check digits; a passport).
const NUMBERS: [(&str, IdentityKind); 3] = [
    ("11010519491231002X", IdentityKind::ResidentId),
    ("440524198001010013", IdentityKind::ResidentId),
    ("E98765432", IdentityKind::Passport),
];

fn clock() -> Clock {
    Clock::Fixed(Timestamp::from_local(OFFSET, 2015, 6, 20, 12, 0).unwrap())
}

fn config(ledger: &str) -> LedgerConfig {
    LedgerConfig::new(id(ledger), "学田区", admin())
}

fn setup(l: &mut Ledger) {
    l.set_clock(clock());
    l.register_org(
        &admin(),
        NewOrg {
            id: id("C1"),
            name: "学田社区".into(),
            kind: OrgKind::Community,
            parent: None,
        },
    )
    .unwrap();
}

fn volunteer(v: &str, i: usize) -> NewVolunteer {
    let (number, kind) = NUMBERS[i];
    NewVolunteer {
        id: id(v),
        name: format!("张{v}"),
        identity_kind: kind,
        identity_number: number.to_lowercase(),
        home_org: Some(id("C1")),
    }
}

fn register_all(l: &mut Ledger) {
    for (i, v) in ["V1", "V2", "V3"].iter().enumerate() {
        l.register_volunteer(&admin(), volunteer(v, i)).unwrap();
    }
}

fn request(v: &str) -> CertificateRequest {
    CertificateRequest {
        volunteer: id(v),
        period_from: NaiveDate::from_ymd_opt(2015, 1, 1).unwrap(),
        period_to: NaiveDate::from_ymd_opt(2015, 6, 20).unwrap(),
        issuing_org: id("C1"),
        responsible_person: "李主任".into(),
        handler: "王干事".into(),
        contact: "0791-12345678".into(),
        notes: String::new(),
    }
}

/// Records two hours of service for `v` (once: the same record again is a duplicate).
fn serve(l: &mut Ledger, v: &str) {
    let t = |h| Timestamp::from_local(OFFSET, 2015, 6, 3, h, 0).unwrap();
    let served = NewRecord::new(
        id(&format!("S-{v}")),
        id(v),
        id("C1"),
        t(9),
        t(11),
        120,
        "助老",
    );
    l.add_record(&admin(), served).unwrap();
}

/// Asks for a full certificate of `v` (after making sure they served) and returns the code.
fn certificate_error(l: &mut Ledger, v: &str) -> String {
    serve(l, v);
    l.issue_certificate(&admin(), request(v))
        .unwrap_err()
        .code()
        .to_owned()
}

/// How often the numbers (and their longest runs of digits) occur in these bytes.
fn clear_numbers_in(bytes: &[u8]) -> usize {
    let mut found = 0;
    for (number, _) in NUMBERS {
        let digits = number
            .split(|c: char| !c.is_ascii_digit())
            .max_by_key(|run| run.len())
            .unwrap_or_default()
            .to_owned();
        for needle in [number.to_owned(), number.to_lowercase(), digits] {
            found += bytes
                .windows(needle.len())
                .filter(|w| *w == needle.as_bytes())
                .count();
        }
    }
    found
}

fn files_beside(path: &Path) -> Vec<PathBuf> {
    ["", "-wal", "-shm", ".key"]
        .iter()
        .map(|s| {
            let mut p = path.as_os_str().to_owned();
            p.push(s);
            PathBuf::from(p)
        })
        .filter(|p| p.exists())
        .collect()
}

fn clear_numbers_in_files(path: &Path) -> usize {
    files_beside(path)
        .iter()
        .map(|p| clear_numbers_in(&std::fs::read(p).unwrap()))
        .sum()
}

#[test]
fn no_file_the_ledger_writes_holds_a_registered_number() {
    let file = TempFile::new("sealed");
    let mut l = Ledger::create(file.path(), config("xuetian")).unwrap();
    setup(&mut l);
    l.set_signing_key(&admin(), &[7; 32]).unwrap();
    register_all(&mut l);
    let t = |h| Timestamp::from_local(OFFSET, 2015, 6, 2, h, 0).unwrap();
    l.add_record(
        &admin(),
        NewRecord::new(id("R1"), id("V1"), id("C1"), t(9), t(12), 180, "助老服务"),
    )
    .unwrap();
    // A full certificate still shows the number: it is the one output that must.
    let cert = l.issue_certificate(&admin(), request("V1")).unwrap();
    assert_eq!(cert.identity_number, NUMBERS[0].0);
    // While open: the database and its WAL.
    assert_eq!(clear_numbers_in_files(file.path()), 0);
    let mut outputs: Vec<Vec<u8>> = vec![
        format!("{:?}", l.entries().unwrap()).into_bytes(),
        serde_json::to_vec(&l.entries().unwrap()).unwrap(),
        l.export_transfer(&admin(), &id("V1"), Some(id("B")))
            .unwrap()
            .into_bytes(),
        records_file(
            &l,
            RecordScope::Org(id("C1")),
            Period::parse("2015").unwrap(),
            ExportFormat::Csv,
            Language::Zh,
        )
        .unwrap(),
    ];
    // A device records offline, keeping masks only, and syncs with the server.
    let mut phone = Ledger::in_memory(config("phone-1")).unwrap();
    phone.set_identity_keys(IdentityKeys::MaskOnly);
    setup(&mut phone);
    register_all(&mut phone);
    phone
        .add_record(
            &admin(),
            NewRecord::new(id("R2"), id("V2"), id("C1"), t(13), t(15), 120, "助残服务"),
        )
        .unwrap();
    let server_key = l.issuer().unwrap().public_key;
    phone.trust_sync_server(id("xuetian"), &server_key).unwrap();
    let batch = phone.sync_batch(&admin(), 100).unwrap().to_json();
    let receipt = l.import_sync_json(&admin(), &batch).unwrap().to_json();
    phone
        .apply_sync_receipt(&SyncReceipt::from_json(&receipt).unwrap())
        .unwrap();
    outputs.push(batch.into_bytes());
    outputs.push(receipt.into_bytes());
    outputs.push(format!("{:?}", phone.entries().unwrap()).into_bytes());
    let phone_file = TempFile::new("phone");
    drop(phone.save_as(phone_file.path()).unwrap());
    // A copy without its key, and the closed files with their snapshot.
    let copy = TempFile::new("copy");
    drop(l.save_as(copy.path()).unwrap());
    std::fs::remove_file(format!("{}.key", copy.path().display())).unwrap();
    drop(l);
    for o in &outputs {
        assert_eq!(clear_numbers_in(o), 0);
    }
    for p in [file.path(), copy.path(), phone_file.path()] {
        assert_eq!(clear_numbers_in_files(p), 0, "{}", p.display());
        assert!(!files_beside(p).is_empty());
    }
    // The key-less copy opens, verifies and replays deterministically.
    let c = Ledger::open(copy.path()).unwrap();
    c.verify().unwrap();
    let again = Ledger::from_entries(c.entries().unwrap()).unwrap();
    assert_eq!(again.state_digest(), c.state_digest());
}

#[test]
fn duplicate_identity_is_found_without_the_number() {
    let file = TempFile::new("dup");
    let mut l = Ledger::create(file.path(), config("xuetian")).unwrap();
    setup(&mut l);
    register_all(&mut l);
    let again = |l: &mut Ledger, v: &str, i: usize| {
        let mut nv = volunteer(v, i);
        nv.identity_number = NUMBERS[i].0.to_owned();
        l.register_volunteer(&admin(), nv).unwrap_err().code()
    };
    assert_eq!(again(&mut l, "V9", 0), "E_DUPLICATE_IDENTITY");
    // After a reopen (the index rebuilt from the snapshot, then from the log) and a rotation.
    drop(l);
    let mut l = Ledger::open(file.path()).unwrap();
    l.set_clock(clock());
    assert_eq!(again(&mut l, "V9", 1), "E_DUPLICATE_IDENTITY");
    l.rotate_key().unwrap();
    assert_eq!(again(&mut l, "V9", 2), "E_DUPLICATE_IDENTITY");
    let replayed = Ledger::from_entries(l.entries().unwrap()).unwrap();
    assert_eq!(replayed.state_digest(), l.state_digest());
}

#[test]
fn a_ledger_without_its_key_file_answers_masked_and_refuses_the_full_number() {
    let file = TempFile::new("nokey");
    let mut l = Ledger::create(file.path(), config("xuetian")).unwrap();
    setup(&mut l);
    l.set_signing_key(&admin(), &[7; 32]).unwrap();
    register_all(&mut l);
    drop(l);
    std::fs::remove_file(format!("{}.key", file.path().display())).unwrap();
    let mut l = Ledger::open(file.path()).unwrap();
    l.set_clock(clock());
    l.set_signing_key(&admin(), &[7; 32]).unwrap();
    assert!(!l.has_identity_key());
    l.verify().unwrap();
    let v = l.volunteer(&id("V1")).unwrap();
    assert_eq!(v.masked_identity, "110105********002X");
    assert_eq!(v.masked_name, "张*");
    assert_eq!(certificate_error(&mut l, "V1"), "E_KEY_UNAVAILABLE");
    let count = l.entry_count();
    let refused = l.register_volunteer(&admin(), volunteer("V9", 0).clone());
    // The same document again: a duplicate is only found with the key, so nothing is written.
    assert_eq!(refused.unwrap_err().code(), "E_KEY_UNAVAILABLE");
    assert_eq!(l.entry_count(), count);
}

#[test]
fn erase_refuses_the_certificate_keeps_the_log_and_leaves_no_key() {
    let file = TempFile::new("erase");
    let mut l = Ledger::create(file.path(), config("xuetian")).unwrap();
    setup(&mut l);
    l.set_signing_key(&admin(), &[7; 32]).unwrap();
    register_all(&mut l);
    let head_before = l.entries().unwrap()[..].to_vec();
    assert_eq!(
        l.erase_identity(&id("somebody"), &id("V1"))
            .unwrap_err()
            .code(),
        "E_FORBIDDEN"
    );
    l.erase_identity(&admin(), &id("V1")).unwrap();
    assert_eq!(
        l.erase_identity(&admin(), &id("V1")).unwrap_err().code(),
        "E_IDENTITY_ERASED"
    );
    assert_eq!(certificate_error(&mut l, "V1"), "E_IDENTITY_ERASED");
    assert!(l.volunteer(&id("V1")).unwrap().identity_erased);
    serve(&mut l, "V2");
    l.issue_certificate(&admin(), request("V2")).unwrap();
    // The entries before the erase are untouched and the chain verifies.
    assert_eq!(l.entries().unwrap()[..head_before.len()], head_before[..]);
    l.verify().unwrap();
    // The same document may be registered again (the erased one left the index).
    l.register_volunteer(&admin(), volunteer("V9", 0)).unwrap();
    drop(l);
    let c = rusqlite::Connection::open(file.path()).unwrap();
    let keys: i64 = c
        .query_row(
            "SELECT count(*) FROM identity_keys WHERE volunteer = 'V1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(keys, 0);
    drop(c);
    assert_eq!(clear_numbers_in_files(file.path()), 0);
    let mut l = Ledger::open(file.path()).unwrap();
    l.set_clock(clock());
    l.set_signing_key(&admin(), &[7; 32]).unwrap();
    l.verify().unwrap();
    assert_eq!(certificate_error(&mut l, "V1"), "E_IDENTITY_ERASED");
    let replayed = Ledger::from_entries(l.entries().unwrap()).unwrap();
    assert_eq!(replayed.state_digest(), l.state_digest());
}

#[test]
fn a_rotation_wraps_new_data_keys_under_the_new_key_and_old_ones_stay_readable() {
    let file = TempFile::new("rotate");
    let mut l = Ledger::create(file.path(), config("xuetian")).unwrap();
    setup(&mut l);
    l.register_volunteer(&admin(), volunteer("V1", 0)).unwrap();
    assert_eq!(l.rotate_key().unwrap(), "k2");
    l.register_volunteer(&admin(), volunteer("V2", 1)).unwrap();
    drop(l);
    let l = Ledger::open(file.path()).unwrap();
    for (v, i) in [("V1", 0), ("V2", 1)] {
        let (_, identity) = l.identity_for_certificate(&id(v)).unwrap();
        assert_eq!(identity.number(), NUMBERS[i].0);
    }
    drop(l);
    // The platform keeps only the new key: V2 opens, V1 (wrapped under k1) does not.
    let text = std::fs::read_to_string(format!("{}.key", file.path().display())).unwrap();
    let k2 = text.lines().find_map(|l| l.strip_prefix("k2 ")).unwrap();
    let bytes: Vec<u8> = (0..32)
        .map(|i| u8::from_str_radix(&k2[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    let only_new = Keyring::new("k2", &bytes).unwrap();
    let l =
        Ledger::open_with_keys(file.path(), IdentityKeys::Provider(Arc::new(only_new))).unwrap();
    assert_eq!(
        l.identity_for_certificate(&id("V2")).unwrap().1.number(),
        NUMBERS[1].0
    );
    assert_eq!(
        l.identity_for_certificate(&id("V1")).unwrap_err().code(),
        "E_KEY_UNAVAILABLE"
    );
}

#[cfg(unix)]
#[test]
fn the_key_file_is_made_beside_the_database_for_its_owner_only() {
    use std::os::unix::fs::PermissionsExt;
    let file = TempFile::new("keyfile");
    drop(Ledger::create(file.path(), config("xuetian")).unwrap());
    let meta = std::fs::metadata(format!("{}.key", file.path().display())).unwrap();
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);
}

#[test]
fn a_device_ledger_file_keeps_masks_only_across_a_reopen() {
    let file = TempFile::new("device");
    let mut l =
        Ledger::create_with_keys(file.path(), config("phone-1"), IdentityKeys::MaskOnly).unwrap();
    setup(&mut l);
    l.set_signing_key(&admin(), &[7; 32]).unwrap();
    l.register_volunteer(&admin(), volunteer("V1", 0)).unwrap();
    assert_eq!(certificate_error(&mut l, "V1"), "E_KEY_UNAVAILABLE");
    drop(l);
    let mut l = Ledger::open(file.path()).unwrap();
    l.set_clock(clock());
    l.register_volunteer(&admin(), volunteer("V2", 1)).unwrap();
    assert_eq!(
        l.volunteer(&id("V2")).unwrap().masked_identity,
        "440524********0013"
    );
    drop(l);
    assert_eq!(clear_numbers_in_files(file.path()), 0);
}

#[test]
fn an_old_log_with_numbers_in_clear_is_read_and_its_numbers_still_count() {
    let now = Timestamp::from_local(OFFSET, 2015, 6, 20, 12, 0).unwrap();
    let mut entries: Vec<Entry> = Vec::new();
    let changes = [
        Change::LedgerCreated(Box::new(config("old"))),
        Change::OrgRegistered(NewOrg {
            id: id("C1"),
            name: "学田社区".into(),
            kind: OrgKind::Community,
            parent: None,
        }),
        Change::VolunteerRegistered(volunteer_ledger::vault::Registration::Clear(volunteer(
            "V1", 0,
        ))),
    ];
    for c in changes {
        let prev = entries.last().map_or(Hash::ZERO, |e| e.hash);
        entries.push(Entry::new(entries.len() as u64, now, admin(), c, prev));
    }
    let old_v1 = canonical_bytes(2, now, &admin(), &entries[2].change, entries[1].hash);
    assert!(String::from_utf8(old_v1).unwrap().ends_with(",\"v\":1}"));
    let mut l = Ledger::from_entries(entries).unwrap();
    l.set_clock(clock());
    assert_eq!(
        l.volunteer(&id("V1")).unwrap().masked_identity,
        "110105********002X"
    );
    assert_eq!(
        l.identity_for_certificate(&id("V1")).unwrap().1.number(),
        NUMBERS[0].0
    );
    l.set_identity_keys(IdentityKeys::Provider(Arc::new(
        Keyring::new("k1", &[1; 32]).unwrap(),
    )));
    let dup = l.register_volunteer(&admin(), volunteer("V9", 0));
    assert_eq!(dup.unwrap_err().code(), "E_DUPLICATE_IDENTITY");
    l.register_volunteer(&admin(), volunteer("V2", 1)).unwrap();
    let sealed = l.entries().unwrap().pop().unwrap();
    let bytes = canonical_bytes(
        sealed.seq,
        sealed.time,
        &sealed.actor,
        &sealed.change,
        sealed.prev,
    );
    assert!(String::from_utf8(bytes).unwrap().ends_with(",\"v\":2}"));
    // Read back from a file's snapshot, the number in clear still counts.
    let path = std::env::temp_dir().join(format!("vl-old-v1-{}.vl", std::process::id()));
    let remove = |p: &std::path::Path| {
        for suffix in ["", "-wal", "-shm", ".key"] {
            let mut f = p.as_os_str().to_owned();
            f.push(suffix);
            let _ = std::fs::remove_file(f);
        }
    };
    remove(&path);
    let mut saved = l.save_as(&path).unwrap();
    saved.checkpoint().unwrap();
    drop(saved);
    let keys = IdentityKeys::Provider(Arc::new(Keyring::new("k1", &[1; 32]).unwrap()));
    let mut reopened = Ledger::open_with_keys(&path, keys).unwrap();
    reopened.set_clock(clock());
    let dup = reopened.register_volunteer(&admin(), volunteer("V8", 0));
    assert_eq!(dup.unwrap_err().code(), "E_DUPLICATE_IDENTITY");
    drop(reopened);
    remove(&path);
}
