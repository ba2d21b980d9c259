//! Teams over time, projects and activities, evaluations and complaints, training
//! and commendations, team ratings, excellent volunteers, reporting in, four eyes and anomaly
//! flags. Every refusal is checked to leave the ledger as it was.

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

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2015, m, d).unwrap()
}

fn t(m: u32, d: u32, h: u32) -> Timestamp {
    Timestamp::from_local(480, 2015, m, d, h, 0).unwrap()
}

/// D > S1 > {C1, C2}, D > S2 > C3, D > U1 (a work unit). Volunteers V0–V2 live in C1, V3 in
/// C2, V4 and V5 in C3. Team T1 at C1 (leader V0, member V1), T2 at C3 (leader V4). Actors:
/// rec1 recorder of C1, adm1 and adm2 admins of S1, unitrec recorder of U1. Made on
/// 2015-01-01 (the teams' members join that day); the clock then stands at 2015-12-31 noon.
fn district() -> Ledger {
    district_with(Policy::mca())
}

fn district_with(policy: Policy) -> Ledger {
    let clock = Clock::Fixed(t(1, 1, 8));
    let mut config = LedgerConfig::new(id("L"), "学田区", admin());
    config.policy = policy;
    let mut l = Ledger::in_memory_with_clock(config, clock).unwrap();
    for (o, p, kind) in [
        ("D", None, OrgKind::District),
        ("S1", Some("D"), OrgKind::Street),
        ("S2", Some("D"), OrgKind::Street),
        ("C1", Some("S1"), OrgKind::Community),
        ("C2", Some("S1"), OrgKind::Community),
        ("C3", Some("S2"), OrgKind::Community),
        ("U1", Some("D"), OrgKind::WorkUnit),
    ] {
        l.register_org(
            &admin(),
            NewOrg {
                id: id(o),
                name: format!("{o}名"),
                kind,
                parent: p.map(id),
            },
        )
        .unwrap();
    }
    for (a, role) in [
        ("rec1", Role::Recorder(id("C1"))),
        ("adm1", Role::OrgAdmin(id("S1"))),
        ("adm2", Role::OrgAdmin(id("S1"))),
        ("unitrec", Role::Recorder(id("U1"))),
    ] {
        l.grant_role(&admin(), &id(a), role).unwrap();
    }
    for (v, home) in [
        (0, "C1"),
        (1, "C1"),
        (2, "C1"),
        (3, "C2"),
        (4, "C3"),
        (5, "C3"),
    ] {
        l.register_volunteer(
            &admin(),
            NewVolunteer {
                id: id(&format!("V{v}")),
                name: format!("志愿者{v}"),
                identity_kind: IdentityKind::Passport,
                identity_number: format!("E1000000{v}"),
                home_org: Some(id(home)),
            },
        )
        .unwrap();
    }
    for (team, org, leader, members) in [("T1", "C1", "V0", vec!["V1"]), ("T2", "C3", "V4", vec![])]
    {
        l.create_team(
            &admin(),
            NewTeam {
                id: id(team),
                org: id(org),
                name: format!("{team}队"),
                leader: id(leader),
                liaisons: vec![],
                members: members.into_iter().map(id).collect(),
            },
        )
        .unwrap();
    }
    l.set_clock(Clock::Fixed(t(12, 31, 12)));
    l
}

/// Sets the clock to a moment and back to the year's end afterwards.
fn at<R>(l: &mut Ledger, now: Timestamp, f: impl FnOnce(&mut Ledger) -> R) -> R {
    l.set_clock(Clock::Fixed(now));
    let r = f(l);
    l.set_clock(Clock::Fixed(t(12, 31, 12)));
    r
}

/// Asserts a refusal with its code, and that it wrote nothing and changed nothing.
fn refused<T: std::fmt::Debug>(
    l: &mut Ledger,
    code: &str,
    f: impl FnOnce(&mut Ledger) -> Result<T>,
) -> LedgerError {
    let before = (l.entry_count(), l.state_digest());
    let err = f(l).unwrap_err();
    assert_eq!(err.code(), code, "{err}");
    assert!(LedgerError::ALL_CODES.contains(&err.code()));
    assert!(err.to_string().contains(" / "), "bilingual: {err}");
    let text = err.to_string();
    assert!(
        (0..6).all(|v| !text.contains(&format!("志愿者{v}"))),
        "no names: {err}"
    );
    assert_eq!((l.entry_count(), l.state_digest()), before, "{code}");
    err
}

fn member(team: &str, v: &str, date: NaiveDate) -> Membership {
    Membership {
        date,
        team: id(team),
        volunteer: id(v),
    }
}

fn activity(
    a: &str,
    org: &str,
    team: Option<&str>,
    start: Timestamp,
    end: Timestamp,
) -> NewActivity {
    NewActivity {
        end,
        id: id(a),
        name: format!("{a}活动"),
        org: id(org),
        project: None,
        start,
        team: team.map(id),
    }
}

fn record(
    r: &str,
    v: &str,
    org: &str,
    team: Option<&str>,
    act: Option<&str>,
    start: Timestamp,
    minutes: u32,
) -> NewRecord {
    let mut rec = NewRecord::new(
        id(r),
        id(v),
        id(org),
        start,
        Timestamp(start.0 + i64::from(minutes) * 60),
        minutes,
        "服务",
    );
    rec.team = team.map(id);
    rec.activity = act.map(id);
    rec
}

#[test]
fn members_join_and_leave_on_dates_and_may_be_in_several_teams() {
    let mut l = district();
    let v0: ActorId = id("V0");
    l.join_team(&v0, member("T1", "V2", day(3, 1))).unwrap();
    l.join_team(&admin(), member("T2", "V2", day(4, 1)))
        .unwrap();
    l.leave_team(&id("V2"), member("T1", "V2", day(6, 30)))
        .unwrap();
    l.join_team(&v0, member("T1", "V2", day(9, 1))).unwrap();
    let periods: Vec<_> = l
        .team_members(&id("T1"))
        .unwrap()
        .into_iter()
        .filter(|p| p.volunteer.as_str() == "V2")
        .map(|p| (p.joined, p.left))
        .collect();
    assert_eq!(
        periods,
        vec![(day(3, 1), Some(day(6, 30))), (day(9, 1), None)]
    );
    let s = l.volunteer_summary(&id("V2")).unwrap();
    assert_eq!(s.teams, vec![id::<TeamId>("T1"), id("T2")]);

    refused(&mut l, "E_ALREADY_MEMBER", |l| {
        l.join_team(&v0, member("T1", "V2", day(10, 1)))
    });
    refused(&mut l, "E_NOT_MEMBER", |l| {
        l.leave_team(&v0, member("T1", "V3", day(10, 1)))
    });
    refused(&mut l, "E_OFFICER_LEAVES", |l| {
        l.leave_team(&admin(), member("T1", "V0", day(10, 1)))
    });
    refused(&mut l, "E_FIELD", |l| {
        l.join_team(
            &v0,
            member("T1", "V3", NaiveDate::from_ymd_opt(2016, 1, 2).unwrap()),
        )
    });
    refused(&mut l, "E_FIELD", |l| {
        l.leave_team(&v0, member("T1", "V2", day(8, 1)))
    });
    refused(&mut l, "E_FORBIDDEN", |l| {
        l.join_team(&id("V3"), member("T1", "V3", day(10, 1)))
    });
    refused(&mut l, "E_UNKNOWN_TEAM", |l| {
        l.join_team(&admin(), member("T9", "V3", day(10, 1)))
    });
    // Leaving and joining again the same day is refused: the new stretch starts after.
    l.leave_team(&v0, member("T2", "V2", day(10, 1)))
        .unwrap_err();
    l.leave_team(&admin(), member("T2", "V2", day(10, 1)))
        .unwrap();
    refused(&mut l, "E_FIELD", |l| {
        l.join_team(&admin(), member("T2", "V2", day(10, 1)))
    });
    let replayed = Ledger::from_entries(l.entries().unwrap()).unwrap();
    assert_eq!(replayed.state_digest(), l.state_digest());
}

#[test]
fn a_claimed_project_gives_its_activities_to_the_team() {
    let mut l = district();
    let project = NewProject {
        category: "助老".into(),
        id: id("P1"),
        name: "银龄陪伴".into(),
        org: id("S1"),
    };
    refused(&mut l, "E_FORBIDDEN", |l| {
        l.publish_project(&id("rec1"), project.clone())
    });
    l.publish_project(&id("adm1"), project.clone()).unwrap();
    refused(&mut l, "E_DUPLICATE", |l| {
        l.publish_project(&admin(), project)
    });
    let claim = |team: &str| ProjectClaim {
        project: id("P1"),
        team: id(team),
    };
    refused(&mut l, "E_TEAM_ORG", |l| {
        l.claim_project(&id("V4"), claim("T2"))
    });
    refused(&mut l, "E_FORBIDDEN", |l| {
        l.claim_project(&id("V1"), claim("T1"))
    });
    l.claim_project(&id("V0"), claim("T1")).unwrap();
    refused(&mut l, "E_PROJECT_CLAIMED", |l| {
        l.claim_project(&admin(), claim("T1"))
    });
    refused(&mut l, "E_UNKNOWN_PROJECT", |l| {
        l.claim_project(
            &admin(),
            ProjectClaim {
                project: id("P9"),
                team: id("T1"),
            },
        )
    });
    assert_eq!(l.project(&id("P1")).unwrap().claimed_by, Some(id("T1")));

    let mut a = activity("A1", "C1", None, t(6, 6, 9), t(6, 6, 12));
    a.project = Some(id("P1"));
    let mut other_team = a.clone();
    other_team.team = Some(id("T2"));
    refused(&mut l, "E_PROJECT_TEAM", |l| {
        l.create_activity(&admin(), other_team)
    });
    let mut outside = a.clone();
    outside.org = id("C3");
    refused(&mut l, "E_FIELD", |l| l.create_activity(&admin(), outside));
    let mut bad_times = a.clone();
    bad_times.end = bad_times.start;
    refused(&mut l, "E_FIELD", |l| {
        l.create_activity(&admin(), bad_times)
    });
    refused(&mut l, "E_FORBIDDEN", |l| {
        l.create_activity(&id("V1"), a.clone())
    });
    // The leader of the claiming team creates it, and it is the team's.
    l.create_activity(&id("V0"), a.clone()).unwrap();
    refused(&mut l, "E_DUPLICATE", |l| l.create_activity(&admin(), a));
    let view = l.activity(&id("A1")).unwrap();
    assert_eq!(view.activity.team, Some(id("T1")));
    assert_eq!(view.category.as_deref(), Some("助老"));
    // A team organises at its own org and below only.
    refused(&mut l, "E_TEAM_ORG", |l| {
        l.create_activity(
            &admin(),
            activity("A2", "C1", Some("T2"), t(6, 6, 9), t(6, 6, 12)),
        )
    });
    refused(&mut l, "E_UNKNOWN_ACTIVITY", |l| l.activity(&id("A9")));
}

#[test]
fn records_of_an_activity_are_its_org_and_team_and_make_ups_fit_its_plan() {
    let mut l = district();
    l.create_activity(
        &admin(),
        activity("A1", "C1", Some("T1"), t(6, 6, 9), t(6, 6, 11)),
    )
    .unwrap();
    refused(&mut l, "E_ACTIVITY_MISMATCH", |l| {
        l.add_record(
            &admin(),
            record("R1", "V1", "C2", Some("T1"), Some("A1"), t(6, 6, 9), 60),
        )
    });
    refused(&mut l, "E_ACTIVITY_MISMATCH", |l| {
        l.add_record(
            &admin(),
            record("R1", "V1", "C1", None, Some("A1"), t(6, 6, 9), 60),
        )
    });
    // Recorded on the day, a record may be longer than planned (the service ran over) …
    let r = at(&mut l, t(6, 6, 20), |l| {
        l.add_record(
            &id("V0"),
            record("R1", "V1", "C1", Some("T1"), Some("A1"), t(6, 6, 9), 150),
        )
    })
    .unwrap();
    assert_eq!((r.state, r.make_up), (RecordState::Confirmed, false));
    // … but a make-up record may not claim more than the activity's planned two hours.
    let e = refused(&mut l, "E_MAKEUP_EXCEEDS_ACTIVITY", |l| {
        l.add_record(
            &admin(),
            record("R2", "V2", "C1", Some("T1"), Some("A1"), t(6, 6, 9), 121),
        )
    });
    assert!(e.to_string().contains("R2") && e.to_string().contains("A1"));
    let r = l
        .add_record(
            &admin(),
            record("R2", "V2", "C1", Some("T1"), Some("A1"), t(6, 6, 9), 120),
        )
        .unwrap();
    assert!(r.make_up);
    let view = l.activity(&id("A1")).unwrap();
    assert_eq!(view.records, vec![id::<RecordId>("R1"), id("R2")]);
    assert_eq!(view.counted_minutes, 270);
    // An activity never registered is a tag, as before: no checks, nobody's activity.
    l.add_record(
        &admin(),
        record("R3", "V3", "C2", None, Some("free"), t(6, 7, 9), 60),
    )
    .unwrap();
}

#[test]
fn evaluations_and_complaints_are_the_organising_orgs_to_record() {
    let mut l = district();
    l.create_activity(
        &admin(),
        activity("A1", "C1", Some("T1"), t(6, 6, 9), t(6, 6, 11)),
    )
    .unwrap();
    let eval = |score| Evaluation {
        activity: id("A1"),
        score,
        source: EvaluationSource::Recipient,
    };
    for bad in [0, 6] {
        refused(&mut l, "E_EVALUATION_SCORE", |l| {
            l.evaluate_activity(&id("rec1"), eval(bad))
        });
    }
    refused(&mut l, "E_FORBIDDEN", |l| {
        l.evaluate_activity(&id("V0"), eval(5))
    });
    refused(&mut l, "E_UNKNOWN_ACTIVITY", |l| {
        l.evaluate_activity(
            &id("rec1"),
            Evaluation {
                activity: id("A9"),
                score: 4,
                source: EvaluationSource::Org,
            },
        )
    });
    l.evaluate_activity(&id("rec1"), eval(5)).unwrap();
    l.evaluate_activity(&id("adm1"), eval(4)).unwrap();
    let complaint = Complaint {
        activity: id("A1"),
        reason: "迟到半小时".into(),
        volunteer: Some(id("V1")),
    };
    refused(&mut l, "E_FORBIDDEN", |l| {
        l.record_complaint(&id("V0"), complaint.clone())
    });
    refused(&mut l, "E_FIELD", |l| {
        l.record_complaint(
            &id("rec1"),
            Complaint {
                reason: " ".into(),
                ..complaint.clone()
            },
        )
    });
    l.record_complaint(&id("rec1"), complaint).unwrap();
    let view = l.activity(&id("A1")).unwrap();
    assert_eq!(
        (
            view.evaluations,
            view.average_evaluation_tenths,
            view.complaints
        ),
        (2, Some(45), 1)
    );
    assert_eq!(
        l.volunteer_summary(&id("V1")).unwrap().complaints_received,
        1
    );
}

#[test]
fn training_and_commendations_are_in_the_summary_and_on_certificates_when_asked() {
    let mut l = district();
    l.set_signing_key(&admin(), &[7; 32]).unwrap();
    l.add_record(
        &admin(),
        record("R1", "V1", "C1", None, None, t(5, 2, 9), 120),
    )
    .unwrap();
    let training = Training {
        date: day(4, 1),
        id: id("TR1"),
        minutes: 90,
        org: id("C1"),
        title: "急救培训".into(),
        volunteer: id("V1"),
    };
    refused(&mut l, "E_FORBIDDEN", |l| {
        l.record_training(&id("V0"), training.clone())
    });
    refused(&mut l, "E_FIELD", |l| {
        l.record_training(
            &id("rec1"),
            Training {
                minutes: 0,
                ..training.clone()
            },
        )
    });
    l.record_training(&id("rec1"), training.clone()).unwrap();
    refused(&mut l, "E_DUPLICATE", |l| {
        l.record_training(&admin(), training)
    });
    let commendation = Commendation {
        date: day(12, 1),
        id: id("CM1"),
        org: id("S1"),
        title: "2015年度优秀志愿者".into(),
        volunteer: id("V1"),
    };
    refused(&mut l, "E_FORBIDDEN", |l| {
        l.record_commendation(&id("rec1"), commendation.clone())
    });
    l.record_commendation(&id("adm1"), commendation.clone())
        .unwrap();
    refused(&mut l, "E_DUPLICATE", |l| {
        l.record_commendation(&admin(), commendation)
    });
    let s = l.volunteer_summary(&id("V1")).unwrap();
    assert_eq!((s.training.len(), s.commendations.len()), (1, 1));
    // Training is not service.
    assert_eq!(s.volunteer.total_minutes, 120);

    let req = CertificateRequest {
        volunteer: id("V1"),
        period_from: day(1, 1),
        period_to: day(12, 31),
        issuing_org: id("S1"),
        responsible_person: "王五".into(),
        handler: "李四".into(),
        contact: "010".into(),
        notes: String::new(),
    };
    let plain = l.issue_certificate(&id("adm1"), req.clone()).unwrap();
    assert!(plain.training.is_empty() && plain.commendations.is_empty());
    assert!(!plain.to_json().contains("training"));
    let full = l.issue_certificate_with(&id("adm1"), req, true).unwrap();
    assert_eq!(full.training[0].title, "急救培训");
    assert_eq!(full.commendations[0].org_name, "S1名");
    let text = volunteer_ledger::render::certificate_text(&full);
    assert!(text.contains("急救培训") && text.contains("2015年度优秀志愿者"));
    verify_certificate_offline(&full, &l.public_key().unwrap()).unwrap();
    // A certificate read back from its JSON checks the same.
    let back = Certificate::from_json(&full.to_json()).unwrap();
    assert_eq!(back, full);
    same_from_a_file(&l, |l| l.volunteer_summary(&id("V1")).unwrap());
}

#[test]
fn a_unit_lists_its_staff_and_the_community_sees_them() {
    let mut l = district();
    let report = |v: &str, community: &str, unit: &str| ReportIn {
        community: id(community),
        date: day(3, 1),
        volunteer: id(v),
        work_unit: id(unit),
    };
    refused(&mut l, "E_ORG_KIND", |l| {
        l.report_in(&admin(), report("V1", "S1", "U1"))
    });
    refused(&mut l, "E_ORG_KIND", |l| {
        l.report_in(&admin(), report("V1", "C1", "C2"))
    });
    // Another volunteer reports nobody in; a unit's recorder takes nobody from their home
    // org (C1): V1 reports themselves in (报到), or C1's side records it.
    refused(&mut l, "E_FORBIDDEN", |l| {
        l.report_in(&id("V3"), report("V1", "C1", "U1"))
    });
    refused(&mut l, "E_FORBIDDEN", |l| {
        l.report_in(&id("unitrec"), report("V1", "C2", "U1"))
    });
    l.report_in(&id("V1"), report("V1", "C2", "U1")).unwrap();
    l.report_in(&id("rec1"), report("V2", "C1", "U1")).unwrap();
    l.add_record(
        &admin(),
        record("R1", "V1", "C2", None, None, t(5, 2, 9), 120),
    )
    .unwrap();
    l.add_record(
        &admin(),
        record("R2", "V1", "C2", None, None, t(7, 2, 9), 60),
    )
    .unwrap();
    let r = l.unit_report(&id("U1"), id("2015-05")).unwrap();
    let lines: Vec<_> = r
        .staff
        .iter()
        .map(|s| {
            (
                s.volunteer.as_str(),
                s.minutes,
                s.community.as_ref().map(OrgId::as_str),
            )
        })
        .collect();
    assert_eq!(lines, vec![("V1", 120, Some("C2")), ("V2", 0, Some("C1"))]);
    assert_eq!((r.served, r.total_minutes), (1, 120));
    assert_eq!(
        l.unit_report(&id("U1"), id("2015")).unwrap().total_minutes,
        180
    );
    let c2 = l.community_volunteers(&id("C2")).unwrap();
    let seen: Vec<_> = c2
        .iter()
        .map(|c| (c.volunteer.as_str(), c.reported_in, c.masked_name.as_str()))
        .collect();
    assert_eq!(seen, vec![("V1", true, "志*"), ("V3", false, "志*")]);
    assert_eq!(l.volunteer(&id("V1")).unwrap().work_unit, Some(id("U1")));
    same_from_a_file(&l, |l| l.unit_report(&id("U1"), id("2015")).unwrap());
}

#[test]
fn a_large_entry_waits_for_a_second_admin() {
    let mut l = district();
    let r = at(&mut l, t(6, 2, 20), |l| {
        l.add_record(
            &id("adm1"),
            record("R1", "V1", "C1", None, None, t(6, 2, 8), 540),
        )
    })
    .unwrap();
    assert_eq!(r.state, RecordState::Pending);
    assert!(l.record(&id("R1")).unwrap().four_eyes);
    let e = refused(&mut l, "E_FOUR_EYES", |l| {
        l.confirm_record(&id("rec1"), &id("R1"))
    });
    assert!(e.to_string().contains("540") && e.to_string().contains("480"));
    refused(&mut l, "E_SELF_CONFIRM", |l| {
        l.confirm_record(&id("adm1"), &id("R1"))
    });
    l.confirm_record(&id("adm2"), &id("R1")).unwrap();
    let rec = l.record(&id("R1")).unwrap();
    assert!(rec.counted && rec.confirmed_by == Some(id("adm2")));
    // At the threshold a record is confirmed as entered.
    let r = l
        .add_record(
            &id("adm1"),
            record("R2", "V2", "C1", None, None, t(6, 3, 8), 480),
        )
        .unwrap();
    assert_eq!(r.state, RecordState::Confirmed);
    let replayed = Ledger::from_entries(l.entries().unwrap()).unwrap();
    assert_eq!(replayed.state_digest(), l.state_digest());
}

#[test]
fn anomalies_are_flagged_with_reasons() {
    let mut l = district();
    // Self: V0 reports their own service.
    at(&mut l, t(3, 2, 20), |l| {
        l.add_record(
            &id("V0"),
            record("S1", "V0", "C1", None, None, t(3, 2, 9), 60),
        )
    })
    .unwrap();
    // Late: entered on 2015-12-31 for a service in March.
    l.add_record(
        &admin(),
        record("L1", "V1", "C1", None, None, t(3, 3, 9), 60),
    )
    .unwrap();
    // A long day: 660 minutes over two records.
    at(&mut l, t(3, 4, 22), |l| {
        l.add_record(
            &admin(),
            record("D1", "V2", "C1", None, None, t(3, 4, 6), 420),
        )?;
        l.add_record(
            &admin(),
            record("D2", "V2", "C1", None, None, t(3, 4, 14), 240),
        )
    })
    .unwrap();
    // A burst: 31 records typed in by one admin within a minute.
    for i in 0..31u32 {
        let when = Timestamp(t(4, 30, 20).0 + i64::from(i));
        at(&mut l, when, |l| {
            let v = format!("V{}", 3 + i % 3);
            let start = Timestamp::from_local(480, 2015, 4, 1 + i / 3 % 28, 9, 0).unwrap();
            l.add_record(
                &admin(),
                record(&format!("B{i}"), &v, "C2", None, None, start, 30),
            )
        })
        .unwrap();
    }
    let flags = l.anomalies(id("2015")).unwrap();
    let kinds = |k: AnomalyKind| -> Vec<String> {
        flags
            .iter()
            .filter(|f| f.kind == k)
            .map(|f| f.record.as_ref().unwrap().to_string())
            .collect()
    };
    assert_eq!(kinds(AnomalyKind::SelfRecorded), vec!["S1"]);
    assert_eq!(kinds(AnomalyKind::DayMinutes), vec!["D2"]);
    assert_eq!(kinds(AnomalyKind::Burst), vec!["B0"]);
    let late = kinds(AnomalyKind::LateEntry);
    assert!(late.contains(&"L1".to_string()) && !late.contains(&"S1".to_string()));
    for f in &flags {
        assert!(!f.reason_en.is_empty() && !f.reason_zh.is_empty());
        for v in 0..6 {
            let name = format!("志愿者{v}");
            assert!(!f.reason_en.contains(&name) && !f.reason_zh.contains(&name));
        }
    }
    // A file ledger reads the entry times from its file: the same flags.
    same_from_a_file(&l, |l| l.anomalies(id("2015")).unwrap());
    let burst = flags.iter().find(|f| f.kind == AnomalyKind::Burst).unwrap();
    assert!(
        burst.reason_en.contains("31 records"),
        "{}",
        burst.reason_en
    );
    // Only a month's service is looked at for a month.
    assert!(
        l.anomalies(id("2015-03"))
            .unwrap()
            .iter()
            .all(|f| f.kind != AnomalyKind::Burst)
    );
}

/// T1's 2015: activities on the first Saturdays of June and July (6 June, 4 July) and on
/// 20 July; V0 and V1 serve; V2 (not a member) serves too and does not count for the team;
/// V1 leaves on 31 July and serves again on 2 August, which does not count either.
fn rated_year() -> Ledger {
    let mut l = district();
    for (a, m, d) in [("A1", 6, 6), ("A2", 7, 4), ("A3", 7, 20), ("A4", 8, 2)] {
        l.create_activity(
            &admin(),
            activity(a, "C1", Some("T1"), t(m, d, 9), t(m, d, 12)),
        )
        .unwrap();
    }
    l.leave_team(&admin(), member("T1", "V1", day(7, 31)))
        .unwrap();
    for (r, v, a, m, d, minutes) in [
        ("R1", "V0", "A1", 6, 6, 180),
        ("R2", "V1", "A1", 6, 6, 120),
        ("R3", "V2", "A1", 6, 6, 180),
        ("R4", "V0", "A2", 7, 4, 180),
        ("R5", "V1", "A3", 7, 20, 60),
        ("R6", "V1", "A4", 8, 2, 60),
    ] {
        l.add_record(
            &admin(),
            record(r, v, "C1", Some("T1"), Some(a), t(m, d, 9), minutes),
        )
        .unwrap();
    }
    for score in [5, 4, 4] {
        l.evaluate_activity(
            &id("rec1"),
            Evaluation {
                activity: id("A1"),
                score,
                source: EvaluationSource::Recipient,
            },
        )
        .unwrap();
    }
    l.record_complaint(
        &id("rec1"),
        Complaint {
            activity: id("A2"),
            reason: "未按时开始".into(),
            volunteer: None,
        },
    )
    .unwrap();
    l
}

#[test]
fn a_team_is_rated_by_the_published_table_with_its_breakdown() {
    let l = rated_year();
    let r = l.team_rating(&id("T1"), 2015).unwrap();
    let f = &r.facts;
    assert_eq!(
        (
            f.months_active,
            f.first_saturday_months,
            f.members,
            f.active_members
        ),
        (3, 2, 2, 2)
    );
    assert_eq!(f.total_minutes, 180 + 120 + 180 + 60);
    assert_eq!(f.min_member_minutes, 180);
    assert_eq!(
        (f.evaluations, f.evaluation_points, f.complaints),
        (3, 13, 1)
    );
    // By hand: months 20×3/12 = 5; first Saturdays 15×2/12 = 2; hours 15×540/30000 = 0;
    // per member 10×270/1200 = 2; active 10×2/20 = 1; share 100% ≥ 80% = 10;
    // evaluation 43 tenths: 20×43/45 = 19; one complaint of 5: −20×1/5 = −4. Total 35.
    let points: Vec<i32> = r.score.lines.iter().map(|l| l.points).collect();
    assert_eq!(points, vec![5, 2, 0, 2, 1, 10, 19, -4]);
    assert_eq!((r.score.score, r.score.stars), (35, 1));
    assert!(r.score.lines[0].text_en.contains("3 of 12"));
    assert!(r.score.lines[6].text_zh.contains("4.3"));
    // The same year by the PVSA group table: 9 h is far from 200 h.
    let g = l
        .team_rating_by(&id("T1"), 2015, &TeamScoring::pvsa_group())
        .unwrap();
    assert_eq!((g.score.score, g.score.stars), (0, 0));
    // The street's teams, best first.
    let all = l.team_ratings(2015, &Scope::Org(id("S1"))).unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(l.team_ratings(2015, &Scope::All).unwrap().len(), 2);
    assert_eq!(l.team_rating(&id("T1"), 2014).unwrap().score.score, 0);
    // A file ledger keeps memberships, activities and evaluations: the same ratings.
    let rated = same_from_a_file(&l, |l| l.team_ratings(2015, &Scope::All).unwrap());
    assert_eq!(rated.len(), 2);
}

#[test]
fn excellent_volunteers_follow_the_policy_rule_with_reasons() {
    let mut policy = Policy::mca();
    policy.excellent = ExcellentRule {
        min_year_hours: 5,
        min_star_level: 0,
        top_per_street: 1,
    };
    let mut l = district_with(policy);
    // V0 and V1 tie with 6 h each in S1 (both kept: top 1 with a tie); V2 has 10 h but one
    // revoked record; V4 has 5 h in S2; 4 h in 2014 do not count for 2015.
    let mut n = 0;
    let mut add = |l: &mut Ledger, v: &str, m: u32, hours: u32| {
        n += 1;
        let r = format!("R{n}");
        let start = Timestamp::from_local(480, 2015, m, 10, 8, 0).unwrap();
        l.add_record(&admin(), record(&r, v, "C1", None, None, start, hours * 60))
            .unwrap();
        r
    };
    add(&mut l, "V0", 3, 6);
    add(&mut l, "V1", 4, 6);
    add(&mut l, "V2", 5, 8);
    let bad = add(&mut l, "V2", 6, 2);
    add(&mut l, "V4", 7, 5);
    l.revoke_record(&admin(), &id(&bad), "重复录入").unwrap();
    let start = Timestamp::from_local(480, 2014, 6, 10, 8, 0).unwrap();
    l.set_clock(Clock::Fixed(
        Timestamp::from_local(480, 2014, 6, 11, 8, 0).unwrap(),
    ));
    l.add_record(&admin(), record("OLD", "V4", "C1", None, None, start, 240))
        .unwrap();
    let got = l.excellent_candidates(2015, &Scope::All).unwrap();
    let seen: Vec<_> = got
        .iter()
        .map(|c| {
            (
                c.volunteer.as_str(),
                c.street.as_ref().map(OrgId::as_str),
                c.year_minutes,
                c.rank_in_street,
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            ("V0", Some("S1"), 360, 1),
            ("V1", Some("S1"), 360, 1),
            ("V4", Some("S2"), 300, 1)
        ]
    );
    assert!(got[2].reason_en.contains("5.0 h in 2015") && got[2].reason_zh.contains("S2名"));
    let s1 = l.excellent_candidates(2015, &Scope::Org(id("S2"))).unwrap();
    assert_eq!(s1.len(), 1);
}

// ---- properties ------------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Adding an activity with a confirmed record never lowers a team's points on the
    /// regularity criteria (months with an activity, first-Saturday months).
    #[test]
    fn a_confirmed_activity_never_lowers_regularity(
        days in proptest::collection::vec(0u32..365, 0..12),
        extra in 0u32..365,
    ) {
        let mut l = district();
        let mut held = 0;
        let add = |l: &mut Ledger, k: usize, doy: u32| -> bool {
            let date = day(1, 1) + chrono::Days::new(u64::from(doy));
            let (m, d) = (chrono::Datelike::month(&date), chrono::Datelike::day(&date));
            let a = format!("A{k}");
            l.create_activity(&admin(), activity(&a, "C1", Some("T1"), t(m, d, 9), t(m, d, 12))).unwrap();
            l.add_record(&admin(), record(&format!("R{k}"), "V0", "C1", Some("T1"), Some(&a), t(m, d, 9), 120)).is_ok()
        };
        for (k, d) in days.iter().enumerate() {
            held += usize::from(add(&mut l, k, *d));
        }
        let regularity = |l: &Ledger| -> Vec<i32> {
            l.team_rating(&id("T1"), 2015).unwrap().score.lines.iter()
                .filter(|x| matches!(x.metric, TeamMetric::MonthsActive | TeamMetric::FirstSaturdayMonths))
                .map(|x| x.points)
                .collect()
        };
        let before = regularity(&l);
        let confirmed = add(&mut l, 99, extra);
        let after = regularity(&l);
        prop_assert!(held <= days.len());
        if confirmed {
            for (b, a) in before.iter().zip(&after) {
                prop_assert!(a >= b, "{before:?} → {after:?}");
            }
        } else {
            prop_assert_eq!(before, after);
        }
    }

    /// A team's hours are the sum of its members' counted records in the team's activities
    /// (members on the day of the service), whatever else happens around them.
    #[test]
    fn a_teams_hours_are_its_members_counted_records_in_its_activities(
        ops in proptest::collection::vec((0u8..6, 0u8..4, 0u32..300, 30u32..180, 0u8..10), 1..40),
        leave in 0u32..300,
    ) {
        let mut l = district();
        for (k, a) in ["A0", "A1", "A2"].iter().enumerate() {
            let team = if k == 2 { None } else { Some("T1") };
            let d = day(1, 1) + chrono::Days::new(10 + 20 * k as u64);
            let (m, dd) = (chrono::Datelike::month(&d), chrono::Datelike::day(&d));
            l.create_activity(&admin(), activity(a, "C1", team, t(m, dd, 6), t(m, dd, 9))).unwrap();
        }
        l.join_team(&admin(), member("T1", "V2", day(1, 1))).unwrap();
        l.leave_team(&admin(), member("T1", "V2", day(1, 1) + chrono::Days::new(u64::from(leave)))).unwrap();
        for (i, (v, a, doy, minutes, what)) in ops.iter().enumerate() {
            let date = day(1, 1) + chrono::Days::new(u64::from(*doy));
            let (m, d) = (chrono::Datelike::month(&date), chrono::Datelike::day(&date));
            let start = t(m, d, 6);
            let (team, act) = match a {
                0 | 1 => (Some("T1"), Some(format!("A{a}"))),
                2 => (None, Some("A2".to_string())),
                _ => (Some("T1"), None),
            };
            let r = format!("R{i}");
            let rec = record(&r, &format!("V{v}"), "C1", team, act.as_deref(), start, (*minutes).min(180));
            if l.add_record(&admin(), rec).is_ok() && *what == 0 {
                l.revoke_record(&admin(), &id(&r), "错录").unwrap();
            }
        }
        // Independently, from the public API.
        let periods = l.team_members(&id("T1")).unwrap();
        let team_activities: Vec<ActivityId> = ["A0", "A1", "A2"].iter()
            .map(|a| id::<ActivityId>(a))
            .filter(|a| l.activity(a).unwrap().activity.team == Some(id("T1")))
            .collect();
        let mut expected = 0i64;
        for v in 0..6 {
            let vid: VolunteerId = id(&format!("V{v}"));
            for r in l.records_of(&vid).unwrap() {
                let date = r.record.start.local_date(l.utc_offset());
                let in_team_activity = r.record.activity.as_ref().is_some_and(|a| team_activities.contains(a));
                let was_member = periods.iter().any(|p| p.volunteer == vid && p.joined <= date && p.left.is_none_or(|x| date <= x));
                if r.counted && in_team_activity && was_member && chrono::Datelike::year(&date) == 2015 {
                    expected += r.record.minutes;
                }
            }
        }
        prop_assert_eq!(l.team_facts(&id("T1"), 2015).unwrap().total_minutes, expected);
        let replayed = Ledger::from_entries(l.entries().unwrap()).unwrap();
        prop_assert_eq!(replayed.state_digest(), l.state_digest());
    }

    /// Any community change (teams, projects, activities, training …), with arbitrary arguments, is either accepted or refused
    /// with nothing written and nothing changed.
    #[test]
    fn a_refused_change_leaves_the_state_unchanged(
        ops in proptest::collection::vec((0u8..7, 0u8..8, 0u8..4, 0u16..400, 0u8..7), 1..30),
    ) {
        let mut l = district();
        l.create_activity(&admin(), activity("A0", "C1", Some("T1"), t(6, 6, 9), t(6, 6, 12))).unwrap();
        let actors = ["admin", "rec1", "adm1", "V0", "V1", "V4", "unitrec", "nobody"];
        let teams = ["T1", "T2", "T9", "T1"];
        let orgs = ["C1", "C2", "C3", "S1", "U1", "D", "X"];
        for (kind, a, tm, n, o) in ops {
            let actor: ActorId = id(actors[usize::from(a)]);
            let v = format!("V{}", n % 7);
            let date = day(1, 1) + chrono::Days::new(u64::from(n));
            let org = orgs[usize::from(o)];
            let before = (l.entry_count(), l.state_digest());
            let result = match kind {
                0 => l.join_team(&actor, member(teams[usize::from(tm)], &v, date)),
                1 => l.leave_team(&actor, member(teams[usize::from(tm)], &v, date)),
                2 => l.evaluate_activity(&actor, Evaluation { activity: id(if tm == 3 { "A9" } else { "A0" }), score: i32::from(n % 8) - 1, source: EvaluationSource::Org }),
                3 => l.record_training(&actor, Training { date, id: id(&format!("TR{}", n % 5)), minutes: i32::from(n) * 4 - 8, org: id(org), title: "培训".into(), volunteer: id(&v) }),
                4 => l.report_in(&actor, ReportIn { community: id(org), date, volunteer: id(&v), work_unit: id(orgs[usize::from(tm)]) }),
                5 => l.create_activity(&actor, activity(&format!("A{}", n % 5), org, Some(teams[usize::from(tm)]), t(6, 6, 9), Timestamp(t(6, 6, 9).0 + i64::from(n) * 60))),
                _ => l.add_record(&actor, record(&format!("R{n}"), &v, org, Some("T1"), Some("A0"), t(6, 6, 9), u32::from(n) + 1)).map(|_| ()),
            };
            match result {
                // A record sent again with the same content writes nothing.
                Ok(()) => prop_assert!(l.entry_count() <= before.0 + 1),
                Err(e) => {
                    prop_assert!(LedgerError::ALL_CODES.contains(&e.code()));
                    prop_assert_eq!((l.entry_count(), l.state_digest()), before);
                }
            }
        }
        let replayed = Ledger::from_entries(l.entries().unwrap()).unwrap();
        prop_assert_eq!(replayed.state_digest(), l.state_digest());
    }
}
