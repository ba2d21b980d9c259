//! Moves, transfer packages between ledgers, and certificates.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{admin, id, same_from_a_file};

use chrono::NaiveDate;
use proptest::prelude::*;
use volunteer_ledger::*;

const OFFSET: i32 = 480;

fn t(m: u32, d: u32, h: u32) -> Timestamp {
    Timestamp::from_local(OFFSET, 2015, m, d, h, 0).unwrap()
}

/// A district ledger with orgs D > S1 > C1, D > S2 > C2, volunteers V1 and V2, a recorder, a
/// signing key from `seed`, and the clock in December 2015.
fn district(ledger: &str, seed: u8) -> Ledger {
    let mut l = Ledger::in_memory(LedgerConfig::new(
        id(ledger),
        format!("{ledger}区"),
        admin(),
    ))
    .unwrap();
    l.set_clock(Clock::Fixed(t(12, 20, 12)));
    for (o, p, k) in [
        ("D", None, OrgKind::District),
        ("S1", Some("D"), OrgKind::Street),
        ("S2", Some("D"), OrgKind::Street),
        ("C1", Some("S1"), OrgKind::Community),
        ("C2", Some("S2"), OrgKind::Community),
        ("U1", Some("D"), OrgKind::WorkUnit),
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
    l.grant_role(&admin(), &id("rec"), Role::Recorder(id("D")))
        .unwrap();
    for (v, n) in [("V1", "11010519491231002X"), ("V2", "E12345678")] {
        let kind = if n.len() == 18 {
            IdentityKind::ResidentId
        } else {
            IdentityKind::Passport
        };
        l.register_volunteer(
            &admin(),
            NewVolunteer {
                id: id(v),
                name: "王小明".into(),
                identity_kind: kind,
                identity_number: n.into(),
                home_org: Some(id("C1")),
            },
        )
        .unwrap();
    }
    l.set_signing_key(&admin(), &[seed; 32]).unwrap();
    l
}

fn serve(l: &mut Ledger, rid: &str, v: &str, org: &str, m: u32, d: u32, minutes: u32) {
    let r = NewRecord::new(
        id(rid),
        id(v),
        id(org),
        t(m, d, 9),
        t(m, d, 12),
        minutes,
        "助老服务",
    );
    l.add_record(&admin(), r).unwrap();
}

fn trust(l: &mut Ledger, other: &Ledger) {
    l.trust_issuer(&admin(), other.issuer().unwrap()).unwrap();
}

#[test]
fn a_move_keeps_history_and_boards_count_where_served() {
    let mut l = district("A", 1);
    serve(&mut l, "R1", "V1", "C1", 3, 1, 120);
    l.leaderboard(id("2015"), &Scope::Org(id("S1")), BoardKind::Volunteers, 10)
        .unwrap();
    let before = l.star_summary(&id("V1")).unwrap();
    l.move_volunteer(&id("rec"), &id("V1"), Some(id("C2")), Some(id("U1")))
        .unwrap();
    serve(&mut l, "R2", "V1", "C2", 4, 1, 60);
    let v = l.volunteer(&id("V1")).unwrap();
    assert_eq!(
        (v.home_org, v.work_unit, v.total_minutes),
        (Some(id("C2")), Some(id("U1")), 180)
    );
    assert_eq!(
        l.record(&id("R1")).unwrap().record.org,
        id("C1"),
        "past records keep their org"
    );
    let s1 = l
        .leaderboard(id("2015"), &Scope::Org(id("S1")), BoardKind::Volunteers, 10)
        .unwrap();
    let s2 = l
        .leaderboard(id("2015"), &Scope::Org(id("S2")), BoardKind::Volunteers, 10)
        .unwrap();
    assert_eq!((s1.entries[0].minutes, s2.entries[0].minutes), (120, 60));
    assert_eq!(
        l.star_summary(&id("V1")).unwrap().total_minutes,
        before.total_minutes + 60
    );
    // Only an admin or recorder of the destination (or a platform admin) moves a volunteer.
    assert_eq!(
        l.move_volunteer(&id("V1"), &id("V1"), Some(id("C1")), None)
            .unwrap_err()
            .code(),
        "E_FORBIDDEN"
    );
    assert_eq!(
        l.move_volunteer(&id("rec"), &id("V1"), None, None)
            .unwrap_err()
            .code(),
        "E_FIELD"
    );
    let replayed = Ledger::from_entries(l.entries().unwrap()).unwrap();
    assert_eq!(replayed.state_digest(), l.state_digest());
}

#[test]
fn a_transfer_continues_the_count_once_and_not_on_local_boards() {
    let mut a = district("A", 1);
    let mut b = district("B", 2);
    serve(&mut a, "R1", "V1", "C1", 3, 1, 180);
    serve(&mut a, "R2", "V1", "C1", 5, 20, 120);
    trust(&mut b, &a);
    let text = a
        .export_transfer(&admin(), &id("V1"), Some(id("B")))
        .unwrap();
    assert!(a.volunteer(&id("V1")).unwrap().transferred_out);
    assert_eq!(a.record_count(), 2, "the source keeps every record");
    // The source refuses new service for someone who left.
    let r = NewRecord::new(
        id("R3"),
        id("V1"),
        id("C1"),
        t(6, 1, 9),
        t(6, 1, 10),
        60,
        "",
    );
    assert_eq!(
        a.add_record(&admin(), r).unwrap_err().code(),
        "E_TRANSFERRED_OUT"
    );

    let got = b.import_transfer(&admin(), &text).unwrap();
    assert_eq!(
        (got.records_added, got.minutes_added, got.duplicate),
        (2, 300, false)
    );
    let v = b.volunteer(&id("V1")).unwrap();
    assert_eq!((v.total_minutes, v.carried_minutes), (300, 300));
    assert_eq!(b.star_summary(&id("V1")).unwrap().total_minutes, 300);
    assert!(
        b.leaderboard(id("2015"), &Scope::All, BoardKind::Volunteers, 10)
            .unwrap()
            .entries
            .is_empty()
    );
    // The same package again changes nothing.
    let again = b.import_transfer(&admin(), &text).unwrap();
    assert!(again.duplicate);
    assert_eq!(b.volunteer(&id("V1")).unwrap().total_minutes, 300);
    // Replay verifies the package again and rebuilds the same state.
    let replayed = Ledger::from_entries(b.entries().unwrap()).unwrap();
    assert_eq!(replayed.state_digest(), b.state_digest());
    // A file ledger's snapshot keeps the carried history, the trust list and the imports.
    same_from_a_file(&b, |l| {
        (
            l.volunteer(&id("V1")).unwrap(),
            l.star_summary(&id("V1")).unwrap(),
            l.trusted_issuers(),
        )
    });
}

#[test]
fn packages_are_refused_when_untrusted_misdirected_future_or_mismatched() {
    let mut a = district("A", 1);
    let mut b = district("B", 2);
    let mut c = district("C", 3);
    serve(&mut a, "R1", "V1", "C1", 3, 1, 180);
    let text = a
        .export_transfer(&admin(), &id("V1"), Some(id("B")))
        .unwrap();
    assert_eq!(
        b.import_transfer(&admin(), &text).unwrap_err().code(),
        "E_UNTRUSTED_ISSUER"
    );
    trust(&mut c, &a);
    assert_eq!(
        c.import_transfer(&admin(), &text).unwrap_err().code(),
        "E_TRANSFER_DESTINATION"
    );
    // Signed by a key the destination does not trust for that ledger id.
    let mut impostor = district("A", 9);
    serve(&mut impostor, "R1", "V1", "C1", 3, 1, 170);
    let forged = impostor.export_transfer(&admin(), &id("V1"), None).unwrap();
    trust(&mut b, &a);
    assert_eq!(
        b.import_transfer(&admin(), &forged).unwrap_err().code(),
        "E_UNTRUSTED_ISSUER"
    );
    // A future format.
    let future = text.replace("transfer@2", "transfer@3");
    assert_eq!(
        b.import_transfer(&admin(), &future).unwrap_err().code(),
        "E_TRANSFER_VERSION"
    );
    // A volunteer registered here under that number with another identity.
    let register = |l: &mut Ledger, passport: &str| {
        l.register_volunteer(
            &admin(),
            NewVolunteer {
                id: id("V3"),
                name: "赵六".into(),
                identity_kind: IdentityKind::Passport,
                identity_number: passport.into(),
                home_org: Some(id("C1")),
            },
        )
        .unwrap();
    };
    let mut e = district("E", 5);
    trust(&mut e, &a);
    register(&mut e, "E11111111");
    register(&mut a, "E22222222");
    serve(&mut a, "R9", "V3", "C1", 3, 2, 60);
    let v3 = a.export_transfer(&admin(), &id("V3"), None).unwrap();
    assert_eq!(
        e.import_transfer(&admin(), &v3).unwrap_err().code(),
        "E_TRANSFER_IDENTITY"
    );
    // Only an admin or recorder of the volunteer's home org (or a platform admin) imports.
    let mut f = district("F", 6);
    trust(&mut f, &a);
    register(&mut f, "E22222222");
    assert_eq!(
        f.import_transfer(&id("V1"), &v3).unwrap_err().code(),
        "E_FORBIDDEN"
    );
    assert!(!f.import_transfer(&id("rec"), &v3).unwrap().duplicate);
    // The trusted, well-addressed package imports.
    let before = (b.entry_count(), b.state_digest());
    b.import_transfer(&admin(), &text).unwrap();
    assert_ne!((b.entry_count(), b.state_digest()), before);
}

#[test]
fn flipping_any_byte_of_a_package_is_detected() {
    let mut a = district("A", 1);
    let mut b = district("B", 2);
    serve(&mut a, "R1", "V1", "C1", 3, 1, 180);
    serve(&mut a, "R2", "V1", "C1", 4, 1, 60);
    trust(&mut b, &a);
    let text = a
        .export_transfer(&admin(), &id("V1"), Some(id("B")))
        .unwrap();
    let trusted = b.trusted_issuers();
    open_package(&text, &trusted).unwrap();
    let bytes = text.as_bytes();
    for i in 0..bytes.len() {
        for flip in [0x01u8, 0x20, 0x80] {
            let mut altered = bytes.to_vec();
            altered[i] ^= flip;
            let Ok(s) = String::from_utf8(altered) else {
                continue;
            };
            assert!(
                open_package(&s, &trusted).is_err(),
                "byte {i} ^ {flip:#x} went unnoticed"
            );
        }
    }
    let before = (b.entry_count(), b.state_digest());
    let mut altered = text.clone().into_bytes();
    let pos = text.find("\"minutes\":180").unwrap() + 10;
    altered[pos] = b'9';
    let e = b
        .import_transfer(&admin(), &String::from_utf8(altered).unwrap())
        .unwrap_err();
    assert_eq!(e.family(), ErrorFamily::Integrity, "{e}");
    assert_eq!(
        (b.entry_count(), b.state_digest()),
        before,
        "a refusal changes nothing"
    );
}

#[test]
fn round_trip_counts_nothing_twice() {
    let mut a = district("A", 1);
    let mut b = district("B", 2);
    trust(&mut a, &b);
    trust(&mut b, &a);
    serve(&mut a, "R1", "V1", "C1", 3, 1, 180);
    let to_b = a
        .export_transfer(&admin(), &id("V1"), Some(id("B")))
        .unwrap();
    b.import_transfer(&admin(), &to_b).unwrap();
    serve(&mut b, "R1", "V1", "C2", 6, 1, 60); // the same record id, another ledger
    let back = b
        .export_transfer(&admin(), &id("V1"), Some(id("A")))
        .unwrap();
    let got = a.import_transfer(&admin(), &back).unwrap();
    assert_eq!(
        (got.records_added, got.minutes_added),
        (1, 60),
        "A's own record is not carried back"
    );
    let v = a.volunteer(&id("V1")).unwrap();
    assert_eq!(
        (v.total_minutes, v.carried_minutes, v.transferred_out),
        (240, 60, false)
    );
    serve(&mut a, "R5", "V1", "C1", 7, 1, 30);
    assert_eq!(a.volunteer(&id("V1")).unwrap().total_minutes, 270);
}

#[test]
fn certificates_verify_online_and_offline_and_supersede() {
    let mut a = district("A", 1);
    serve(&mut a, "R1", "V1", "C1", 3, 1, 180);
    serve(&mut a, "R2", "V1", "C1", 5, 20, 150);
    serve(&mut a, "R3", "V1", "C1", 12, 1, 60);
    let req = CertificateRequest {
        volunteer: id("V1"),
        period_from: NaiveDate::from_ymd_opt(2015, 1, 1).unwrap(),
        period_to: NaiveDate::from_ymd_opt(2015, 6, 30).unwrap(),
        issuing_org: id("C1"),
        responsible_person: "李主任".into(),
        handler: "张干事".into(),
        contact: "0755-12345678".into(),
        notes: "".into(),
    };
    assert_eq!(
        a.issue_certificate(&id("rec"), req.clone())
            .unwrap_err()
            .code(),
        "E_FORBIDDEN"
    );
    let cert = a.issue_certificate(&admin(), req).unwrap();
    assert_eq!((cert.records.len(), cert.total_minutes), (2, 330));
    assert_eq!(
        (cert.name.as_str(), cert.identity_number.as_str()),
        ("王小明", "11010519491231002X")
    );
    assert!(cert.number.starts_with("A-2015-"));
    let check = a
        .verify_certificate(&cert.verification_code.to_lowercase())
        .unwrap();
    assert_eq!(check.status, CertificateStatus::Valid);
    assert_eq!(
        (check.masked_name.as_str(), check.masked_identity.as_str()),
        ("王*", "110105********002X")
    );
    let shown = serde_json::to_string(&check).unwrap();
    assert!(
        !shown.contains("王小明") && !shown.contains("11010519491231002X"),
        "{shown}"
    );
    verify_certificate_offline(&cert, &a.public_key().unwrap()).unwrap();
    assert_eq!(
        verify_certificate_offline(&cert, &"00".repeat(32))
            .unwrap_err()
            .code(),
        "E_UNTRUSTED_ISSUER"
    );
    // Any altered field or byte of the certificate is detected offline.
    let json = serde_json::to_string(&cert).unwrap();
    let bytes = json.as_bytes();
    let mut detected = 0;
    for i in 0..bytes.len() {
        let mut altered = bytes.to_vec();
        altered[i] ^= 0x01;
        let Ok(s) = String::from_utf8(altered) else {
            detected += 1; // not UTF-8: no JSON reader takes it
            continue;
        };
        match serde_json::from_str::<Certificate>(&s) {
            Err(_) => detected += 1,
            Ok(c) if c == cert => {
                panic!("byte {i}: an altered text read back as the same certificate")
            }
            Ok(c) => {
                assert!(
                    verify_certificate_offline(&c, &a.public_key().unwrap()).is_err(),
                    "byte {i}"
                );
                detected += 1;
            }
        }
    }
    assert_eq!(detected, bytes.len(), "every flipped byte is caught");
    // Revoking a certified record supersedes the certificate.
    a.revoke_record(&admin(), &id("R2"), "核实有误").unwrap();
    let check = a.verify_certificate(&cert.verification_code).unwrap();
    assert_eq!(
        (check.status, check.changed_records.clone()),
        (CertificateStatus::Superseded, vec![id("R2")])
    );
    assert_eq!(
        a.verify_certificate("0000-0000-0000-0000")
            .unwrap_err()
            .code(),
        "E_UNKNOWN_CERTIFICATE"
    );
    let replayed = Ledger::from_entries(a.entries().unwrap()).unwrap();
    assert_eq!(
        replayed
            .verify_certificate(&cert.verification_code)
            .unwrap(),
        check
    );
    same_from_a_file(&a, |l| {
        l.verify_certificate(&cert.verification_code).unwrap()
    });
}

#[test]
fn without_a_key_nothing_is_signed() {
    let mut l = Ledger::in_memory(LedgerConfig::new(id("X"), "X", admin())).unwrap();
    l.register_org(
        &admin(),
        NewOrg {
            id: id("D"),
            name: "D".into(),
            kind: OrgKind::District,
            parent: None,
        },
    )
    .unwrap();
    l.register_volunteer(
        &admin(),
        NewVolunteer {
            id: id("V1"),
            name: "王".into(),
            identity_kind: IdentityKind::Passport,
            identity_number: "E1234567".into(),
            home_org: Some(id("D")),
        },
    )
    .unwrap();
    assert_eq!(
        l.export_transfer(&admin(), &id("V1"), None)
            .unwrap_err()
            .code(),
        "E_NO_SIGNING_KEY"
    );
    assert_eq!(
        l.set_signing_key(&admin(), &[1; 31]).unwrap_err().code(),
        "E_FIELD"
    );
    assert_eq!(
        l.set_signing_key(&id("nobody"), &[1; 32])
            .unwrap_err()
            .code(),
        "E_FORBIDDEN"
    );
    l.set_signing_key(&admin(), &[1; 32]).unwrap();
    assert!(
        l.set_signing_key(&admin(), &[1; 32]).unwrap().duplicate,
        "giving the same key again writes nothing"
    );
}

#[test]
fn carried_service_that_overlaps_local_service_is_reported_and_counted_once() {
    let mut a = district("A", 1);
    let mut b = district("B", 2);
    // The same morning served twice over: once in A (9–12), once in B (10–12) — an error of
    // one of the two, or hours typed twice; and one record of A's that B has nothing against.
    serve(&mut a, "R1", "V1", "C1", 3, 1, 120);
    serve(&mut a, "R2", "V1", "C1", 3, 2, 60);
    let r = NewRecord::new(
        id("B1"),
        id("V1"),
        id("C1"),
        t(3, 1, 10),
        t(3, 1, 12),
        120,
        "巡逻",
    );
    b.add_record(&admin(), r).unwrap();
    trust(&mut b, &a);
    let text = a.export_transfer(&admin(), &id("V1"), None).unwrap();
    let got = b.import_transfer(&admin(), &text).unwrap();
    assert_eq!((got.records_added, got.minutes_added), (1, 60));
    assert_eq!(got.overlapping, ["R1@A"]);
    assert_eq!(got.minutes_overlapping, 120);
    let v = b.volunteer(&id("V1")).unwrap();
    assert_eq!((v.total_minutes, v.carried_minutes), (180, 60));
    // Replaying the log sorts the package the same way.
    let replayed = Ledger::from_entries(b.entries().unwrap()).unwrap();
    assert_eq!(replayed.state_digest(), b.state_digest());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Conservation: whatever the history, moves and transfers, the hours a volunteer holds
    /// after equal the hours before, and no record is counted twice anywhere.
    #[test]
    fn hours_are_conserved_across_moves_and_transfers(
        minutes in proptest::collection::vec(1u32..180, 1..12),
        hops in proptest::collection::vec(0usize..3, 1..6),
        moves in proptest::collection::vec(any::<bool>(), 0..4),
    ) {
        let mut ledgers = [district("A", 1), district("B", 2), district("C", 3)];
        for i in 0..3 {
            for j in 0..3 {
                if i != j {
                    let issuer = ledgers[j].issuer().unwrap();
                    ledgers[i].trust_issuer(&admin(), issuer).unwrap();
                }
            }
        }
        for (k, m) in minutes.iter().enumerate() {
            serve(&mut ledgers[0], &format!("R{k}"), "V1", "C1", 1 + (k as u32 % 11), 1 + k as u32, *m);
        }
        let total: i64 = minutes.iter().map(|m| i64::from(*m)).sum();
        let mut here = 0usize;
        let mut next_record = 100;
        for (step, to) in hops.iter().enumerate() {
            if let Some(true) = moves.get(step) {
                ledgers[here].move_volunteer(&admin(), &id("V1"), Some(id("C2")), None).unwrap();
            }
            if *to == here {
                continue;
            }
            let text = ledgers[here].export_transfer(&admin(), &id("V1"), None).unwrap();
            let before = ledgers[here].volunteer(&id("V1")).unwrap().total_minutes;
            ledgers[*to].import_transfer(&admin(), &text).unwrap();
            // Twice: nothing more.
            ledgers[*to].import_transfer(&admin(), &text).unwrap();
            let after = ledgers[*to].volunteer(&id("V1")).unwrap();
            prop_assert_eq!(after.total_minutes, before, "hop {} → {}", here, to);
            prop_assert_eq!(ledgers[*to].star_summary(&id("V1")).unwrap().total_minutes, before);
            here = *to;
            // Some service in the new place, which travels on too.
            serve(&mut ledgers[here], &format!("R{next_record}"), "V1", "C2", 12, 1 + (step as u32), 30);
            next_record += 1;
        }
        let held = ledgers[here].volunteer(&id("V1")).unwrap().total_minutes;
        prop_assert_eq!(held, total + 30 * (next_record - 100) as i64);
        // No record is counted twice: the package a ledger would issue now lists each once.
        let p = ledgers[here].transfer_package(&id("V1"), None).unwrap();
        let mut keys: Vec<(String, String)> = p.records.iter().map(|r| (r.ledger.to_string(), r.record.to_string())).collect();
        let n = keys.len();
        keys.sort();
        keys.dedup();
        prop_assert_eq!(keys.len(), n);
        prop_assert_eq!(p.total_minutes, held);
    }
    /// Overlapping histories: whatever service a volunteer has in two ledgers, some of it at
    /// the same time, the receiving ledger counts no two records whose times overlap, every
    /// record of the package is either carried in or reported as overlapping, and a further
    /// transfer conserves what the receiver holds.
    #[test]
    fn overlapping_service_is_never_counted_twice(
        here in proptest::collection::vec((1u32..8, 8u32..18, 1u32..4), 1..10),
        there in proptest::collection::vec((1u32..8, 8u32..18, 1u32..4), 0..10),
    ) {
        let mut ledgers = [district("A", 1), district("B", 2), district("C", 3)];
        let issuer = |l: &Ledger| l.issuer().unwrap();
        let (ia, ib) = (issuer(&ledgers[0]), issuer(&ledgers[1]));
        ledgers[1].trust_issuer(&admin(), ia).unwrap();
        ledgers[2].trust_issuer(&admin(), ib).unwrap();
        // Service on days 1–7 of March, from an hour for 1–3 hours; a ledger refuses what
        // overlaps its own records, so each ledger's own history is clean.
        for (k, (ledger, days)) in [(0, &here), (1, &there)].into_iter().enumerate() {
            for (n, (d, h, len)) in days.iter().enumerate() {
                let r = NewRecord::new(
                    id(&format!("R{k}-{n}")), id("V1"), id("C1"),
                    t(3, *d, *h), t(3, *d, h + len), len * 60, "服务",
                );
                let _ = ledgers[ledger].add_record(&admin(), r);
            }
        }
        let sent = ledgers[0].transfer_package(&id("V1"), None).unwrap();
        let text = ledgers[0].export_transfer(&admin(), &id("V1"), None).unwrap();
        let got = ledgers[1].import_transfer(&admin(), &text).unwrap();
        prop_assert_eq!(got.records_added as usize + got.overlapping.len(), sent.records.len());
        prop_assert_eq!(got.minutes_added + got.minutes_overlapping, sent.total_minutes);
        let again = ledgers[1].import_transfer(&admin(), &text).unwrap();
        prop_assert!(again.duplicate);
        // What B counts: no two records overlap, and the total is their sum.
        let held = ledgers[1].transfer_package(&id("V1"), None).unwrap();
        for (i, x) in held.records.iter().enumerate() {
            for y in held.records.iter().skip(i + 1) {
                prop_assert!(
                    !(x.start < y.end && y.start < x.end),
                    "{}@{} and {}@{} overlap", x.record, x.ledger, y.record, y.ledger
                );
            }
        }
        let total = ledgers[1].volunteer(&id("V1")).unwrap().total_minutes;
        prop_assert_eq!(held.total_minutes, total);
        // And on to C: C holds what B held.
        let text = ledgers[1].export_transfer(&admin(), &id("V1"), None).unwrap();
        let got = ledgers[2].import_transfer(&admin(), &text).unwrap();
        prop_assert!(got.overlapping.is_empty());
        prop_assert_eq!(ledgers[2].volunteer(&id("V1")).unwrap().total_minutes, total);
    }
}
