//! Every number a caller passes is checked against its documented range, so that no output —
//! a volunteer's view, summary, stars, a board, a certificate — ever shows a negative or
//! overflowed total, whatever numbers were passed in.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{admin, id};
use proptest::prelude::*;
use volunteer_ledger::*;

const OFFSET: i32 = 480;

fn t(d: u32, h: u32) -> Timestamp {
    Timestamp::from_local(OFFSET, 2015, 6, d, h, 0).unwrap()
}

/// C1 with volunteers V0–V2 and a signing key; the clock at the end of June 2015.
fn ledger() -> Ledger {
    let mut l = Ledger::in_memory(LedgerConfig::new(id("ranges"), "测试区", admin())).unwrap();
    l.set_clock(Clock::Fixed(t(30, 23)));
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
    for v in 0..3 {
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
    l.set_signing_key(&admin(), &[7; 32]).unwrap();
    l
}

fn training(id_: &str, minutes: i32) -> Training {
    Training {
        date: chrono::NaiveDate::from_ymd_opt(2015, 6, 3).unwrap(),
        id: id(id_),
        minutes,
        org: id("C1"),
        title: "急救培训".into(),
        volunteer: id("V0"),
    }
}

#[test]
fn training_minutes_outside_1_to_1440_are_refused() {
    let mut l = ledger();
    for (n, minutes) in [0, -1, -60, i32::MIN, 1441, i32::MAX]
        .into_iter()
        .enumerate()
    {
        let e = l
            .record_training(&admin(), training(&format!("T{n}"), minutes))
            .unwrap_err();
        assert_eq!(e.code(), "E_FIELD", "{minutes}: {e}");
    }
    l.record_training(&admin(), training("T1", 1)).unwrap();
    l.record_training(&admin(), training("T2", 1440)).unwrap();
    assert_eq!(l.volunteer_summary(&id("V0")).unwrap().training.len(), 2);
}

/// Minutes from every corner: small and plausible, zero, negative, and at the types' edges.
fn any_minutes() -> impl Strategy<Value = i64> {
    prop_oneof![
        1i64..600,
        Just(0i64),
        -1_000_000i64..0,
        Just(i64::MIN),
        Just(i64::MAX),
        Just(i64::from(u32::MAX)),
        Just(i64::from(i32::MAX) + 1),
    ]
}

fn any_training_minutes() -> impl Strategy<Value = i32> {
    prop_oneof![
        1i32..1440,
        Just(0),
        -100_000i32..0,
        Just(i32::MIN),
        Just(i32::MAX)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn no_output_shows_a_negative_or_overflowed_total(
        records in proptest::collection::vec((0u32..3, 1u32..29, 0u32..20, 1u32..4, any_minutes()), 0..16),
        trainings in proptest::collection::vec(any_training_minutes(), 0..4),
    ) {
        let mut l = ledger();
        for (n, (v, d, h, len, minutes)) in records.iter().enumerate() {
            let mut r = NewRecord::new(
                id(&format!("R{n}")), id(&format!("V{v}")), id("C1"),
                t(*d, *h), t(*d, h + len), 1, "服务",
            );
            r.minutes = *minutes;
            let _ = l.add_record(&admin(), r);
        }
        for (n, minutes) in trainings.iter().enumerate() {
            let _ = l.record_training(&admin(), training(&format!("T{n}"), *minutes));
        }
        // A day holds at most 1440 minutes: nothing here can add up to more than a month's.
        let most = 31 * 1440;
        for v in 0..3 {
            let vid: VolunteerId = id(&format!("V{v}"));
            let view = l.volunteer(&vid).unwrap();
            prop_assert!((0..=most).contains(&view.total_minutes), "{view:?}");
            let stars = l.star_summary(&vid).unwrap();
            prop_assert!((0..=most).contains(&stars.total_minutes));
            prop_assert!(stars.minutes_to_next.is_none_or(|m| m > 0));
            let summary = l.volunteer_summary(&vid).unwrap();
            for tr in &summary.training {
                prop_assert!((1..=1440).contains(&tr.minutes), "{tr:?}");
            }
            let request = CertificateRequest {
                volunteer: vid.clone(),
                period_from: chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap(),
                period_to: chrono::NaiveDate::from_ymd_opt(2015, 12, 31).unwrap(),
                issuing_org: id("C1"),
                responsible_person: "负责人".into(),
                handler: "经办人".into(),
                contact: "010-1234".into(),
                notes: String::new(),
            };
            match l.issue_certificate_with(&admin(), request, true) {
                Ok(cert) => {
                    prop_assert!((0..=most).contains(&cert.total_minutes));
                    prop_assert_eq!(cert.total_minutes, view.total_minutes);
                    for r in &cert.records {
                        prop_assert!(r.minutes > 0 && r.minutes <= 1440);
                    }
                    for tr in &cert.training {
                        prop_assert!((1..=1440).contains(&tr.minutes), "{tr:?}");
                    }
                }
                // A period without counted service gets no certificate.
                Err(e) => prop_assert!(view.total_minutes == 0, "{e}"),
            }
        }
        for period in ["2015-06", "2015", "all"] {
            let board = l.leaderboard(id(period), &Scope::All, BoardKind::Volunteers, 10).unwrap();
            for e in &board.entries {
                prop_assert!(e.minutes > 0 && e.minutes <= most && e.rank >= 1, "{e:?}");
            }
        }
    }
}

#[test]
fn a_package_record_with_more_minutes_than_its_span_is_refused() {
    let mut l = ledger();
    let r = NewRecord::new(id("R1"), id("V0"), id("C1"), t(2, 9), t(2, 10), 60, "服务");
    l.add_record(&admin(), r).unwrap();
    let text = l.export_transfer(&admin(), &id("V0"), None).unwrap();
    // 1,000 more minutes in a one-hour record, the totals made to agree with them.
    let mut p: serde_json::Value = serde_json::from_str(&text).unwrap();
    let add = |v: &mut serde_json::Value| *v = (v.as_i64().unwrap() + 1000).into();
    let package = &mut p["package"];
    add(&mut package["records"][0]["minutes"]);
    add(&mut package["total_minutes"]);
    add(&mut package["year_totals"][0]["minutes"]);
    let trusted = [(id("ranges"), l.issuer().unwrap().public_key)];
    let e = open_package(&p.to_string(), &trusted).unwrap_err();
    assert_eq!(e.code(), "E_TRANSFER_FORMAT", "{e}");
    assert!(
        e.to_string()
            .contains("more minutes than its start and end"),
        "{e}"
    );
}

#[test]
fn a_ledger_name_longer_than_200_characters_is_refused() {
    let long = "区".repeat(201);
    let e = Ledger::in_memory(LedgerConfig::new(id("x"), long, admin())).unwrap_err();
    assert_eq!(e.code(), "E_FIELD", "{e}");
    let ok = "区".repeat(200);
    Ledger::in_memory(LedgerConfig::new(id("x"), ok, admin())).unwrap();
}
