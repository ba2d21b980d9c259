//! Regression tests for holes a review found: each names the scenario it closes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use chrono::NaiveDate;
use volunteer_ledger::*;

fn id<T: std::str::FromStr>(s: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    s.parse().unwrap()
}

fn admin() -> ActorId {
    id("admin")
}

fn t(m: u32, d: u32, h: u32) -> Timestamp {
    Timestamp::from_local(480, 2015, m, d, h, 0).unwrap()
}

/// D > S1 > C1, D > S2 > C2; volunteers V0..V3 at C1; team T1 at C1 led by V0 with V1;
/// recorder "rec" of C1 who is also volunteer V2 ("V2" holds a recorder role); key set.
fn district(name: &str, seed: u8) -> Ledger {
    let clock = Clock::Fixed(t(6, 20, 12));
    let mut l =
        Ledger::in_memory_with_clock(LedgerConfig::new(id(name), name, admin()), clock).unwrap();
    for (o, p) in [
        ("D", None),
        ("S1", Some("D")),
        ("S2", Some("D")),
        ("C1", Some("S1")),
        ("C2", Some("S2")),
    ] {
        l.register_org(
            &admin(),
            NewOrg {
                id: id(o),
                name: o.into(),
                kind: OrgKind::Community,
                parent: p.map(id),
            },
        )
        .unwrap();
    }
    for v in 0..4 {
        l.register_volunteer(
            &admin(),
            NewVolunteer {
                id: id(&format!("V{v}")),
                name: "王".into(),
                identity_kind: IdentityKind::Passport,
                identity_number: format!("E{seed}000000{v}"),
                home_org: Some(id("C1")),
            },
        )
        .unwrap();
    }
    l.create_team(
        &admin(),
        NewTeam {
            id: id("T1"),
            org: id("C1"),
            name: "一队".into(),
            leader: id("V0"),
            liaisons: vec![],
            members: vec![id("V1")],
        },
    )
    .unwrap();
    l.grant_role(&admin(), &id("rec"), Role::Recorder(id("C1")))
        .unwrap();
    l.grant_role(&admin(), &id("V2"), Role::Recorder(id("C1")))
        .unwrap();
    l.grant_role(&admin(), &id("rec2"), Role::Recorder(id("C2")))
        .unwrap();
    l.set_signing_key(&admin(), &[seed; 32]).unwrap();
    l
}

fn rec(rid: &str, v: &str, org: &str, d: u32, minutes: u32) -> NewRecord {
    NewRecord::new(
        id(rid),
        id(v),
        id(org),
        t(6, d, 9),
        t(6, d, 12),
        minutes,
        "服务",
    )
}

#[test]
fn a_clock_or_entry_time_past_2106_is_refused_not_a_panic() {
    let mut l = district("A", 1);
    l.set_clock(Clock::Fixed(Timestamp(8_210_266_876_799)));
    assert_eq!(
        l.add_record(&admin(), rec("R1", "V1", "C1", 10, 60))
            .unwrap_err()
            .code(),
        "E_FIELD"
    );
    l.set_clock(Clock::Fixed(t(6, 20, 12)));
    l.add_record(&admin(), rec("R1", "V1", "C1", 10, 60))
        .unwrap();
    // A rehashed log with an entry far in the future replays to a refusal.
    let mut log = l.entries().unwrap();
    let last = log.len() - 1;
    log[last].time = Timestamp(8_210_266_876_799);
    log[last].hash = log[last].computed_hash();
    assert_eq!(
        Ledger::from_entries(log).unwrap_err().code(),
        "E_REPLAY_REFUSED"
    );
    let cfg = LedgerConfig {
        utc_offset_minutes: i32::MIN,
        ..LedgerConfig::new(id("X"), "X", admin())
    };
    assert_eq!(Ledger::in_memory(cfg).unwrap_err().code(), "E_FIELD");
}

#[test]
fn nobody_certifies_their_own_hours() {
    let mut l = district("A", 1);
    // The team leader records their own service for the team: it waits for someone else.
    let mut own = rec("R1", "V0", "C1", 10, 60);
    own.team = Some(id("T1"));
    assert_eq!(
        l.add_record(&id("V0"), own).unwrap().state,
        RecordState::Pending
    );
    // A recorder who is also a volunteer: the same.
    assert_eq!(
        l.add_record(&id("V2"), rec("R2", "V2", "C1", 10, 60))
            .unwrap()
            .state,
        RecordState::Pending
    );
    l.confirm_record(&id("rec"), &id("R2")).unwrap();
}

#[test]
fn a_team_leader_organises_only_at_the_team_org() {
    let mut l = district("A", 1);
    let mut far = rec("R1", "V3", "C2", 10, 60);
    far.team = Some(id("T1"));
    assert_eq!(
        l.add_record(&id("V0"), far).unwrap_err().code(),
        "E_FORBIDDEN"
    );
    let mut near = rec("R2", "V3", "C1", 10, 60);
    near.team = Some(id("T1"));
    assert_eq!(
        l.add_record(&id("V0"), near).unwrap().state,
        RecordState::Confirmed
    );
}

#[test]
fn a_certificate_covers_only_service_at_the_issuing_org() {
    let mut l = district("A", 1);
    l.add_record(&admin(), rec("R1", "V1", "C1", 10, 60))
        .unwrap();
    l.grant_role(&admin(), &id("admin-C2"), Role::OrgAdmin(id("C2")))
        .unwrap();
    let req = |org: &str| CertificateRequest {
        volunteer: id("V1"),
        period_from: NaiveDate::from_ymd_opt(2015, 1, 1).unwrap(),
        period_to: NaiveDate::from_ymd_opt(2015, 12, 31).unwrap(),
        issuing_org: id(org),
        responsible_person: "甲".into(),
        handler: "乙".into(),
        contact: "1".into(),
        notes: "".into(),
    };
    let before = l.entry_count();
    assert_eq!(
        l.issue_certificate(&id("admin-C2"), req("C2"))
            .unwrap_err()
            .code(),
        "E_FIELD"
    );
    assert_eq!(l.entry_count(), before);
    assert_eq!(
        l.issue_certificate(&admin(), req("S1"))
            .unwrap()
            .total_minutes,
        60
    );
}

#[test]
fn an_overflowing_package_is_refused_not_a_panic() {
    let mut a = district("A", 1);
    a.add_record(&admin(), rec("R1", "V1", "C1", 10, 60))
        .unwrap();
    let mut p = a.transfer_package(&id("V1"), None).unwrap();
    p.year_totals = vec![
        YearTotal {
            minutes: i64::MAX,
            year: 2015,
        },
        YearTotal {
            minutes: 61,
            year: 2016,
        },
    ];
    let text = transfer::seal_package(&p, &ed25519_dalek::SigningKey::from_bytes(&[1; 32]));
    let trusted = vec![(id("A"), a.public_key().unwrap())];
    assert_eq!(
        open_package(&text, &trusted).unwrap_err().code(),
        "E_TRANSFER_FORMAT"
    );
    // Minutes are signed for the bindings: negative year totals that add up are refused too.
    p.year_totals = vec![
        YearTotal {
            minutes: -1,
            year: 2015,
        },
        YearTotal {
            minutes: 61,
            year: 2016,
        },
    ];
    let negative = transfer::seal_package(&p, &ed25519_dalek::SigningKey::from_bytes(&[1; 32]));
    assert_eq!(
        open_package(&negative, &trusted).unwrap_err().code(),
        "E_TRANSFER_FORMAT"
    );
    // A malformed field's error names the problem, not the content.
    let leaky = text.replace("\"star_level\":0", "\"star_level\":\"王小明\"");
    let e = open_package(&leaky, &trusted).unwrap_err();
    assert!(!e.to_string().contains("王小明"), "{e}");
}

#[test]
fn a_move_needs_a_role_on_every_org_it_names() {
    let mut l = district("A", 1);
    let e = l
        .move_volunteer(&id("rec2"), &id("V1"), Some(id("C2")), Some(id("C1")))
        .unwrap_err();
    assert_eq!(e.code(), "E_FORBIDDEN");
    // The receiving side alone does not take a volunteer from their current home (C1).
    let e = l
        .move_volunteer(&id("rec2"), &id("V1"), Some(id("C2")), None)
        .unwrap_err();
    assert_eq!(e.code(), "E_FORBIDDEN");
    l.grant_role(&admin(), &id("recd"), Role::Recorder(id("D")))
        .unwrap();
    l.move_volunteer(&id("recd"), &id("V1"), Some(id("C2")), None)
        .unwrap();
}

#[test]
fn hours_left_with_the_package_stay_left() {
    let mut a = district("A", 1);
    a.add_record(&admin(), rec("R1", "V1", "C1", 10, 60))
        .unwrap();
    a.add_record(&id("V1"), rec("R2", "V1", "C1", 11, 120))
        .unwrap(); // pending self-report
    a.export_transfer(&admin(), &id("V1"), None).unwrap();
    assert_eq!(
        a.confirm_record(&id("rec"), &id("R2")).unwrap_err().code(),
        "E_TRANSFERRED_OUT"
    );
}

#[test]
fn carried_service_blocks_overlapping_local_service() {
    let mut a = district("A", 1);
    let mut b = district("B", 2);
    b.trust_issuer(&admin(), a.issuer().unwrap()).unwrap();
    b.register_volunteer(
        &admin(),
        NewVolunteer {
            id: id("W1"),
            name: "李".into(),
            identity_kind: IdentityKind::Passport,
            identity_number: "E77777777".into(),
            home_org: Some(id("C1")),
        },
    )
    .unwrap();
    a.register_volunteer(
        &admin(),
        NewVolunteer {
            id: id("W1"),
            name: "李".into(),
            identity_kind: IdentityKind::Passport,
            identity_number: "E77777777".into(),
            home_org: Some(id("C1")),
        },
    )
    .unwrap();
    a.add_record(&admin(), rec("R1", "W1", "C1", 15, 180))
        .unwrap();
    let text = a
        .export_transfer(&admin(), &id("W1"), Some(id("B")))
        .unwrap();
    b.import_transfer(&admin(), &text).unwrap();
    assert_eq!(
        b.add_record(&admin(), rec("X1", "W1", "C1", 15, 180))
            .unwrap_err()
            .code(),
        "E_OVERLAP"
    );
}

#[test]
fn birth_dates_are_judged_at_the_time_of_the_change() {
    // A resident id born 2016-01-01, registered on a ledger whose clock says 2015.
    let body = "11010520160101123";
    let n = format!("{body}{}", resident_id_check_char(body).unwrap());
    let mut l = district("A", 1);
    let e = l
        .register_volunteer(
            &admin(),
            NewVolunteer {
                id: id("B1"),
                name: "新".into(),
                identity_kind: IdentityKind::ResidentId,
                identity_number: n,
                home_org: Some(id("C1")),
            },
        )
        .unwrap_err();
    assert_eq!(e.code(), "E_IDENTITY_BIRTH_DATE");
}

#[test]
fn strangers_learn_nothing_from_resending() {
    let mut l = district("A", 1);
    l.add_record(&admin(), rec("R1", "V1", "C1", 10, 60))
        .unwrap();
    assert_eq!(
        l.add_record(&id("stranger"), rec("R1", "V1", "C1", 10, 60))
            .unwrap_err()
            .code(),
        "E_FORBIDDEN"
    );
    assert!(
        l.add_record(&id("rec"), rec("R1", "V1", "C1", 10, 60))
            .unwrap()
            .duplicate
    );
}

#[test]
fn negative_minutes_are_refused_as_a_field_not_stored() {
    // Minutes are signed (i64) so that Java callers of the bindings can write them; a negative
    // number is refused with E_FIELD before anything else, and zero keeps E_ZERO_MINUTES.
    let mut l = district("A", 1);
    let before = (l.entry_count(), l.state_digest());
    let mut r = rec("R1", "V1", "C1", 10, 60);
    r.minutes = -60;
    let e = l.add_record(&admin(), r.clone()).unwrap_err();
    assert_eq!(e.code(), "E_FIELD", "{e}");
    assert!(
        e.to_string().contains("minutes") && e.to_string().contains(" / "),
        "{e}"
    );
    assert_eq!(
        check_record(&r, &Policy::mca(), t(6, 20, 12))
            .unwrap_err()
            .code(),
        "E_FIELD"
    );
    r.minutes = 0;
    assert_eq!(
        l.add_record(&admin(), r.clone()).unwrap_err().code(),
        "E_ZERO_MINUTES"
    );
    r.minutes = i64::MAX;
    assert_eq!(
        l.add_record(&admin(), r).unwrap_err().code(),
        "E_MINUTES_EXCEED_SPAN"
    );
    assert_eq!((l.entry_count(), l.state_digest()), before);
    // A log body with negative minutes, rehashed, does not replay.
    l.add_record(&admin(), rec("R1", "V1", "C1", 10, 60))
        .unwrap();
    let mut log = l.entries().unwrap();
    let last = log.len() - 1;
    let body = serde_json::to_string(&log[last].change).unwrap();
    assert!(body.contains("\"minutes\":60"), "{body}");
    log[last].change =
        serde_json::from_str(&body.replace("\"minutes\":60", "\"minutes\":-60")).unwrap();
    log[last].hash = log[last].computed_hash();
    assert_eq!(
        Ledger::from_entries(log).unwrap_err().code(),
        "E_REPLAY_REFUSED"
    );
}

#[test]
fn negative_team_facts_and_tables_are_refused() {
    // Team facts and scoring tables are signed for the bindings' Java callers.
    let facts = TeamFacts {
        months_active: 12,
        total_minutes: 600 * 60,
        ..TeamFacts::default()
    };
    assert!(facts.validate().is_ok());
    let bad = TeamFacts {
        total_minutes: -1,
        ..facts.clone()
    };
    let e = bad.validate().unwrap_err();
    assert_eq!(e.code(), "E_FIELD");
    assert!(e.to_string().contains("total_minutes"), "{e}");
    // The pure function counts a negative fact as nothing, never as a bonus or a panic.
    let table = TeamScoring::district();
    assert_eq!(rate_team(&table, &bad).lines[2].points, 0);
    let against = TeamFacts {
        complaints: -5,
        ..facts
    };
    assert_eq!(rate_team(&table, &against).lines[7].points, 0);
    // Facts and tables from outside (the bindings' callers) are checked before rating.
    assert_eq!(
        rate_team_checked(&table, &bad).unwrap_err().code(),
        "E_FIELD"
    );
    let mut broken = TeamScoring::district();
    broken.criteria[0].cap = 0;
    assert_eq!(
        rate_team_checked(&broken, &against.clone())
            .unwrap_err()
            .code(),
        "E_POLICY"
    );
    let good = TeamFacts {
        complaints: 0,
        ..against.clone()
    };
    assert_eq!(
        rate_team_checked(&table, &good).unwrap(),
        rate_team(&table, &good)
    );
    for (cap, weight) in [(0, 20), (-12, 20), (12, -20), (12, 101)] {
        let mut t = TeamScoring::district();
        t.criteria[0].cap = cap;
        t.criteria[0].weight = weight;
        assert_eq!(
            t.validate().unwrap_err().code(),
            "E_POLICY",
            "{cap} {weight}"
        );
    }
    let mut t = TeamScoring::district();
    t.star_thresholds = vec![-30, 45, 60, 75, 90];
    assert_eq!(t.validate().unwrap_err().code(), "E_POLICY");
}

#[test]
fn negative_policy_numbers_are_refused() {
    // A policy's numbers are signed for the bindings' Java callers; each keeps its range.
    let cases: [fn(&mut Policy); 9] = [
        |p| p.stars.thresholds_hours = vec![-100, 300],
        |p| p.daily_cap_minutes = -1,
        |p| p.checkin_pairs_per_day = -1,
        |p| p.recording_window_working_days = -1,
        |p| p.clock_skew_seconds = -1,
        |p| p.excellent.min_star_level = -1,
        |p| p.excellent.top_per_street = -1,
        |p| p.fraud.four_eyes_minutes = -1,
        |p| p.fraud.late_entry_days = -1,
    ];
    for (i, change) in cases.iter().enumerate() {
        let mut p = Policy::mca();
        change(&mut p);
        assert_eq!(p.validate().unwrap_err().code(), "E_POLICY", "case {i}");
        let mut cfg = LedgerConfig::new(id("X"), "X", admin());
        cfg.policy = p;
        assert_eq!(
            Ledger::in_memory(cfg).unwrap_err().code(),
            "E_POLICY",
            "case {i}"
        );
    }
    let mut off = Policy::mca();
    off.fraud.four_eyes_minutes = 0;
    off.validate().unwrap();
}
