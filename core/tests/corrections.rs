//! Corrections of a volunteer (`docs/identity.md`, "Corrections"): a misspelt name, a wrong
//! identity number, a new phone — logged, authorised, sealed; the old values stay in the log;
//! the identity index follows (also after a reopen and a replay); certificates that showed
//! a corrected value are superseded; refusals store nothing and never quote a value.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use chrono::NaiveDate;
use common::{TempFile, admin, id};
use volunteer_ledger::*;

const OFFSET: i32 = 480;
const OLD_NUMBER: &str = "11010519491231002X";
const NEW_NUMBER: &str = "440524198001010013";
const OTHER_NUMBER: &str = "320102199003071239";
const PHONE: &str = "13800138000";

fn clock() -> Clock {
    Clock::Fixed(Timestamp::from_local(OFFSET, 2015, 6, 20, 12, 0).unwrap())
}

fn volunteer(v: &str, name: &str, number: &str) -> NewVolunteer {
    NewVolunteer {
        id: id(v),
        name: name.into(),
        identity_kind: IdentityKind::ResidentId,
        identity_number: number.into(),
        home_org: Some(id("C1")),
    }
}

/// A ledger with community C1 under street S1, V1 (张三, the old number) and V2 (another
/// number), a signing key, and two hours of V1's service.
fn setup(l: &mut Ledger) {
    l.set_clock(clock());
    for (org, kind, parent) in [
        ("S1", OrgKind::Street, None),
        ("C1", OrgKind::Community, Some("S1")),
        ("C2", OrgKind::Community, Some("S1")),
    ] {
        l.register_org(
            &admin(),
            NewOrg {
                id: id(org),
                name: format!("{org}名"),
                kind,
                parent: parent.map(id),
            },
        )
        .unwrap();
    }
    l.set_signing_key(&admin(), &[7; 32]).unwrap();
    l.register_volunteer(&admin(), volunteer("V1", "张三", OLD_NUMBER))
        .unwrap();
    l.register_volunteer(&admin(), volunteer("V2", "李四", OTHER_NUMBER))
        .unwrap();
    let t = |h| Timestamp::from_local(OFFSET, 2015, 6, 3, h, 0).unwrap();
    l.add_record(
        &admin(),
        NewRecord::new(id("R1"), id("V1"), id("C1"), t(9), t(11), 120, "助老"),
    )
    .unwrap();
}

fn request() -> CertificateRequest {
    CertificateRequest {
        volunteer: id("V1"),
        period_from: NaiveDate::from_ymd_opt(2015, 1, 1).unwrap(),
        period_to: NaiveDate::from_ymd_opt(2015, 6, 20).unwrap(),
        issuing_org: id("C1"),
        responsible_person: "李主任".into(),
        handler: "王干事".into(),
        contact: "0791-12345678".into(),
        notes: String::new(),
    }
}

fn fix(
    name: Option<&str>,
    number: Option<&str>,
    phone: Option<&str>,
    reason: &str,
) -> VolunteerCorrection {
    VolunteerCorrection {
        name: name.map(Into::into),
        identity_kind: None,
        identity_number: number.map(Into::into),
        phone: phone.map(Into::into),
        reason: reason.into(),
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// Every file beside a ledger file, read.
fn files(path: &std::path::Path) -> Vec<Vec<u8>> {
    ["", "-wal", "-shm", ".key"]
        .iter()
        .filter_map(|s| std::fs::read(format!("{}{s}", path.display())).ok())
        .collect()
}

#[test]
fn a_corrected_name_and_number_keep_the_old_ones_in_the_log_and_move_the_index() {
    let file = TempFile::new("correct");
    let mut l = Ledger::create(file.path(), LedgerConfig::new(id("L"), "学田区", admin())).unwrap();
    setup(&mut l);
    let before = l.entries().unwrap();
    let receipt = l
        .correct_volunteer(
            &admin(),
            &id("V1"),
            fix(Some("张叁"), Some(NEW_NUMBER), Some(PHONE), "身份证号录错"),
        )
        .unwrap();
    let entries = l.entries().unwrap();
    assert_eq!(
        entries[..before.len()],
        before[..],
        "earlier entries untouched"
    );
    let last = &entries[usize::try_from(receipt.seq).unwrap()];
    assert_eq!(last.change.kind(), "volunteer_corrected");
    let Change::VolunteerCorrected(c) = &last.change else {
        panic!("not a correction")
    };
    assert_eq!(c.name.as_deref(), Some("张叁"));
    assert_eq!(c.identity.as_ref().unwrap().mask, "440524********0013");
    assert_eq!(c.phone.as_ref().unwrap().mask, "138****8000");
    assert_eq!(c.reason, "身份证号录错");
    // The old name and the old number's mask stay in the log; no number or phone in clear.
    let log = format!("{entries:?}");
    assert!(log.contains("张三") && log.contains("110105********002X"));
    for clear in [OLD_NUMBER, NEW_NUMBER, PHONE] {
        assert!(!log.contains(clear), "the log holds a value in clear");
    }
    // Views show the corrected values, masked; the certificate the full new number.
    let v = l.volunteer(&id("V1")).unwrap();
    assert_eq!(v.masked_name, "张*");
    assert_eq!(v.masked_identity, "440524********0013");
    assert_eq!(v.masked_phone.as_deref(), Some("138****8000"));
    assert_eq!(
        l.volunteer_phone(&id("V1")).unwrap().as_deref(),
        Some(PHONE)
    );
    let (name, identity) = l.identity_for_certificate(&id("V1")).unwrap();
    assert_eq!((name.as_str(), identity.number()), ("张叁", NEW_NUMBER));
    // The index follows: the old number is free, the new one held.
    let again = |l: &mut Ledger, v: &str, number: &str| {
        l.register_volunteer(&admin(), volunteer(v, "王五", number))
            .map(|_| ())
            .map_err(|e| e.code().to_owned())
    };
    assert_eq!(
        again(&mut l, "V8", NEW_NUMBER).unwrap_err(),
        "E_DUPLICATE_IDENTITY"
    );
    drop(l);
    for bytes in files(file.path()) {
        for clear in [OLD_NUMBER, NEW_NUMBER, PHONE] {
            assert!(!contains(&bytes, clear), "a file holds a value in clear");
        }
    }
    // After a reopen from the snapshot, then from the whole log.
    for from_log in [false, true] {
        if from_log {
            rusqlite::Connection::open(file.path())
                .unwrap()
                .execute("DELETE FROM snapshot", [])
                .unwrap();
        }
        let mut l = Ledger::open(file.path()).unwrap();
        l.set_clock(clock());
        l.verify().unwrap();
        assert_eq!(
            l.volunteer(&id("V1")).unwrap().masked_identity,
            "440524********0013"
        );
        assert_eq!(
            l.volunteer_phone(&id("V1")).unwrap().as_deref(),
            Some(PHONE)
        );
        assert_eq!(
            again(&mut l, "V8", NEW_NUMBER).unwrap_err(),
            "E_DUPLICATE_IDENTITY"
        );
        let replayed = Ledger::from_entries(l.entries().unwrap()).unwrap();
        assert_eq!(replayed.state_digest(), l.state_digest());
        if from_log {
            again(&mut l, "V9", OLD_NUMBER).unwrap();
        }
    }
    // The projection row is the corrected volunteer, masked.
    let c = rusqlite::Connection::open(file.path()).unwrap();
    let (name, identity): (String, String) = c
        .query_row(
            "SELECT masked_name, masked_identity FROM volunteers WHERE id = 'V1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (name.as_str(), identity.as_str()),
        ("张*", "440524********0013")
    );
    // One data key per volunteer: the old one was replaced.
    let keys: i64 = c
        .query_row(
            "SELECT count(*) FROM identity_keys WHERE volunteer = 'V1'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(keys, 1);
}

#[test]
fn refusals_store_nothing_and_never_quote_a_value() {
    let mut l = Ledger::in_memory(LedgerConfig::new(id("L"), "学田区", admin())).unwrap();
    setup(&mut l);
    l.grant_role(&admin(), &id("rec"), Role::Recorder(id("C1")))
        .unwrap();
    l.grant_role(&admin(), &id("adm2"), Role::OrgAdmin(id("C2")))
        .unwrap();
    let before = (l.entry_count(), l.state_digest());
    let refused = |l: &mut Ledger, actor: &str, v: &str, c: VolunteerCorrection| {
        let e = l.correct_volunteer(&id(actor), &id(v), c).unwrap_err();
        let (zh, en) = e.messages();
        let text = format!("{e} {e:?} {zh} {en} {:?}", e.fields());
        for value in [
            OLD_NUMBER,
            NEW_NUMBER,
            OTHER_NUMBER,
            PHONE,
            "张叁",
            "张三",
            "李四",
        ] {
            assert!(!text.contains(value), "{} quotes a value", e.code());
        }
        e.code().to_owned()
    };
    let cases: Vec<(&str, &str, VolunteerCorrection, &str)> = vec![
        (
            "admin",
            "V1",
            fix(None, Some(OTHER_NUMBER), None, "错"),
            "E_DUPLICATE_IDENTITY",
        ),
        (
            "admin",
            "V1",
            fix(None, Some(OLD_NUMBER), None, "错"),
            "E_FIELD",
        ),
        (
            "admin",
            "V1",
            fix(Some("张三"), None, None, "错"),
            "E_FIELD",
        ),
        ("admin", "V1", fix(None, None, None, "错"), "E_FIELD"),
        ("admin", "V1", fix(Some("张叁"), None, None, " "), "E_FIELD"),
        (
            "admin",
            "V1",
            fix(None, Some("110105194912310020"), None, "错"),
            "E_IDENTITY_CHECKSUM",
        ),
        (
            "admin",
            "V1",
            fix(None, None, Some("138-0013-800x"), "错"),
            "E_FIELD",
        ),
        (
            "admin",
            "V9",
            fix(Some("张叁"), None, None, "错"),
            "E_UNKNOWN_VOLUNTEER",
        ),
        (
            "rec",
            "V1",
            fix(Some("张叁"), None, None, "错"),
            "E_FORBIDDEN",
        ),
        (
            "adm2",
            "V1",
            fix(Some("张叁"), None, None, "错"),
            "E_FORBIDDEN",
        ),
        (
            "V1",
            "V1",
            fix(Some("张叁"), None, None, "错"),
            "E_FORBIDDEN",
        ),
    ];
    for (actor, v, c, code) in cases {
        assert_eq!(refused(&mut l, actor, v, c), code, "{actor} {v}");
        assert_eq!((l.entry_count(), l.state_digest()), before);
    }
    let kind_alone = VolunteerCorrection {
        identity_kind: Some(IdentityKind::Passport),
        ..fix(None, None, None, "错")
    };
    assert_eq!(refused(&mut l, "admin", "V1", kind_alone), "E_FIELD");
    // An unchanged phone, then an erased identity.
    l.correct_volunteer(&admin(), &id("V1"), fix(None, None, Some(PHONE), "新号码"))
        .unwrap();
    let before = (l.entry_count(), l.state_digest());
    let same = fix(None, None, Some("+138 0013 8000"), "错");
    assert_eq!(refused(&mut l, "admin", "V1", same), "E_FIELD");
    assert_eq!((l.entry_count(), l.state_digest()), before);
    l.erase_identity(&admin(), &id("V1")).unwrap();
    let before = (l.entry_count(), l.state_digest());
    for c in [
        fix(None, Some(NEW_NUMBER), None, "错"),
        fix(None, None, Some("13900139000"), "错"),
    ] {
        assert_eq!(refused(&mut l, "admin", "V1", c), "E_IDENTITY_ERASED");
        assert_eq!((l.entry_count(), l.state_digest()), before);
    }
    // A name may still be corrected, by an admin of a street above the home community.
    l.grant_role(&admin(), &id("street"), Role::OrgAdmin(id("S1")))
        .unwrap();
    l.correct_volunteer(
        &id("street"),
        &id("V1"),
        fix(Some("张叁"), None, None, "错字"),
    )
    .unwrap();
    assert_eq!(
        Ledger::from_entries(l.entries().unwrap())
            .unwrap()
            .state_digest(),
        l.state_digest()
    );
}

#[test]
fn certificates_that_showed_a_corrected_value_are_superseded_and_say_why() {
    let mut l = Ledger::in_memory(LedgerConfig::new(id("L"), "学田区", admin())).unwrap();
    setup(&mut l);
    let old = l.issue_certificate(&admin(), request()).unwrap();
    assert_eq!(old.name, "张三");
    let check = l.verify_certificate(&old.verification_code).unwrap();
    assert_eq!(check.status, CertificateStatus::Valid);
    // A phone is not on a certificate: it supersedes nothing.
    l.correct_volunteer(&admin(), &id("V1"), fix(None, None, Some(PHONE), "新号码"))
        .unwrap();
    let check = l.verify_certificate(&old.verification_code).unwrap();
    assert_eq!(check.status, CertificateStatus::Valid);
    l.correct_volunteer(&admin(), &id("V1"), fix(Some("张叁"), None, None, "错字"))
        .unwrap();
    let check = l.verify_certificate(&old.verification_code).unwrap();
    assert_eq!(check.status, CertificateStatus::Superseded);
    assert_eq!(check.corrected, ["name"]);
    assert!(check.changed_records.is_empty());
    let new = l.issue_certificate(&admin(), request()).unwrap();
    assert_eq!(new.name, "张叁");
    l.correct_volunteer(
        &admin(),
        &id("V1"),
        fix(None, Some(NEW_NUMBER), None, "号码"),
    )
    .unwrap();
    let check = l.verify_certificate(&old.verification_code).unwrap();
    assert_eq!(check.corrected, ["name", "identity_number"]);
    let check = l.verify_certificate(&new.verification_code).unwrap();
    assert_eq!(check.status, CertificateStatus::Superseded);
    assert_eq!(check.corrected, ["identity_number"]);
    assert_eq!(check.masked_identity, "440524********0013");
    let newest = l.issue_certificate(&admin(), request()).unwrap();
    assert_eq!(newest.identity_number, NEW_NUMBER);
    let check = l.verify_certificate(&newest.verification_code).unwrap();
    assert_eq!(check.status, CertificateStatus::Valid);
    // The same after a save and both kinds of reopen.
    common::same_from_a_file(&l, |l| {
        [&old, &new, &newest]
            .map(|c| l.verify_certificate(&c.verification_code).unwrap())
            .to_vec()
    });
}

#[test]
fn a_transfer_carries_the_corrected_values() {
    let mut from = Ledger::in_memory(LedgerConfig::new(id("A"), "甲区", admin())).unwrap();
    setup(&mut from);
    from.correct_volunteer(
        &admin(),
        &id("V1"),
        fix(Some("赵六"), Some(NEW_NUMBER), None, "录错"),
    )
    .unwrap();
    let mut to = Ledger::in_memory(LedgerConfig::new(id("B"), "乙区", admin())).unwrap();
    to.set_clock(clock());
    to.register_org(
        &admin(),
        NewOrg {
            id: id("C1"),
            name: "乙社区".into(),
            kind: OrgKind::Community,
            parent: None,
        },
    )
    .unwrap();
    to.register_volunteer(&admin(), volunteer("V1", "赵六", NEW_NUMBER))
        .unwrap();
    to.trust_issuer(&admin(), from.issuer().unwrap()).unwrap();
    let package = from
        .export_transfer(&admin(), &id("V1"), Some(id("B")))
        .unwrap();
    assert!(!package.contains(NEW_NUMBER) && !package.contains(OLD_NUMBER));
    let p = from.transfer_package(&id("V1"), None).unwrap();
    assert_eq!(
        (p.masked_name.as_str(), p.masked_identity.as_str()),
        ("赵*", "440524********0013")
    );
    assert_eq!(
        to.import_transfer(&admin(), &package)
            .unwrap()
            .minutes_added,
        120
    );
}

#[test]
fn a_device_that_keeps_masks_only_corrects_to_masks() {
    let mut phone = Ledger::in_memory(LedgerConfig::new(id("phone-1"), "学田区", admin())).unwrap();
    phone.set_identity_keys(IdentityKeys::MaskOnly);
    setup(&mut phone);
    phone
        .correct_volunteer(
            &admin(),
            &id("V1"),
            fix(None, Some(NEW_NUMBER), Some(PHONE), "录错"),
        )
        .unwrap();
    let log = format!("{:?}", phone.entries().unwrap());
    assert!(!log.contains(NEW_NUMBER) && !log.contains(PHONE));
    let v = phone.volunteer(&id("V1")).unwrap();
    assert_eq!(v.masked_identity, "440524********0013");
    assert_eq!(v.masked_phone.as_deref(), Some("138****8000"));
    assert_eq!(
        phone.volunteer_phone(&id("V1")).unwrap_err().code(),
        "E_KEY_UNAVAILABLE"
    );
}

#[test]
fn a_ledger_without_its_key_corrects_names_only() {
    let file = TempFile::new("correct-nokey");
    let mut l = Ledger::create(file.path(), LedgerConfig::new(id("L"), "学田区", admin())).unwrap();
    setup(&mut l);
    drop(l);
    std::fs::remove_file(format!("{}.key", file.path().display())).unwrap();
    let mut l = Ledger::open(file.path()).unwrap();
    l.set_clock(clock());
    let count = l.entry_count();
    for c in [
        fix(None, Some(NEW_NUMBER), None, "错"),
        fix(None, None, Some(PHONE), "错"),
    ] {
        let e = l.correct_volunteer(&admin(), &id("V1"), c).unwrap_err();
        assert_eq!(e.code(), "E_KEY_UNAVAILABLE");
        assert_eq!(l.entry_count(), count);
    }
    l.correct_volunteer(&admin(), &id("V1"), fix(Some("张叁"), None, None, "错字"))
        .unwrap();
    assert_eq!(l.volunteer(&id("V1")).unwrap().masked_name, "张*");
}
