//! Working-day calendars: the shipped State Council calendar judges the recording window of the
//! built-in profiles; a year's calendar set later by a platform admin judges only the records
//! added after it; bad calendars are refused with nothing written; the log replays the same.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use chrono::NaiveDate;
use common::{TempFile, admin, id};
use volunteer_ledger::*;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn at(d: &str, h: u32) -> Timestamp {
    let d = day(d);
    use chrono::Datelike;
    Timestamp::from_local(480, d.year(), d.month(), d.day(), h, 0).unwrap()
}

/// A ledger with org C1, a recorder of it, and volunteers V0..V3, its clock at `now`.
fn ledger(policy: Policy, now: &str) -> Ledger {
    let mut config = LedgerConfig::new(id("L"), "某区", admin());
    config.policy = policy;
    let mut l = Ledger::in_memory_with_clock(config, Clock::Fixed(at("2024-01-02", 9))).unwrap();
    setup(&mut l);
    l.set_clock(Clock::Fixed(at(now, 10)));
    l
}

fn setup(l: &mut Ledger) {
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
    l.grant_role(&admin(), &id("rec"), Role::Recorder(id("C1")))
        .unwrap();
    for v in 0..4 {
        l.register_volunteer(
            &admin(),
            NewVolunteer {
                id: id(&format!("V{v}")),
                name: "王".into(),
                identity_kind: IdentityKind::Passport,
                identity_number: format!("E1000000{v}"),
                home_org: Some(id("C1")),
            },
        )
        .unwrap();
    }
}

fn service(rid: &str, volunteer: &str, date: &str) -> NewRecord {
    NewRecord::new(
        id(rid),
        id(volunteer),
        id("C1"),
        at(date, 9),
        at(date, 11),
        120,
        "助老服务",
    )
}

fn without_shipped_calendar() -> Policy {
    Policy {
        calendar: None,
        ..Policy::mca()
    }
}

#[test]
fn service_before_the_spring_festival_is_on_time_by_the_shipped_calendar() {
    // Friday 2024-02-09 is the last working day before the Spring Festival (02-10..02-17 off,
    // Sunday 02-18 worked). Entered on Monday 02-26 it is the 7th working day after by the
    // State Council's calendar, the 11th by weekdays alone.
    let mut shipped = ledger(Policy::mca(), "2024-02-26");
    let r = shipped
        .add_record(&id("rec"), service("R1", "V0", "2024-02-09"))
        .unwrap();
    assert!(!r.make_up);
    assert_eq!(r.state, RecordState::Confirmed);
    let mut plain = ledger(without_shipped_calendar(), "2024-02-26");
    let r = plain
        .add_record(&id("rec"), service("R1", "V0", "2024-02-09"))
        .unwrap();
    assert!(r.make_up);
    assert_eq!(r.state, RecordState::Pending);
    // 2025: Monday 01-27 before the holiday (01-28..02-04, Saturday 02-08 worked), entered on
    // Wednesday 02-12: 7th working day by the calendar, 12th by weekdays.
    for (policy, make_up) in [(Policy::mca(), false), (without_shipped_calendar(), true)] {
        let mut l = ledger(policy, "2025-02-12");
        let r = l
            .add_record(&id("rec"), service("R2", "V1", "2025-01-27"))
            .unwrap();
        assert_eq!(r.make_up, make_up);
    }
    // Entered the first working day after the festival (Sunday 2024-02-18), on time in both.
    for policy in [Policy::mca(), without_shipped_calendar()] {
        let mut l = ledger(policy, "2024-02-18");
        let r = l
            .add_record(&id("rec"), service("R3", "V2", "2024-02-09"))
            .unwrap();
        assert!(!r.make_up);
    }
}

#[test]
fn the_calendar_in_force_is_the_shipped_one_unless_a_year_is_set() {
    let l = ledger(Policy::mca(), "2024-03-01");
    let c = l.calendar(2024);
    assert_eq!(c, shipped_calendar("cn-state-council", 2024).unwrap());
    assert!(l.is_working_day(day("2024-02-04")) && l.is_working_day(day("2024-02-18")));
    assert!(!l.is_working_day(day("2024-02-12")) && !l.is_working_day(day("2024-02-10")));
    // A year nothing covers: weekdays only.
    assert_eq!(l.calendar(2031), CalendarYear::new(2031, vec![], vec![]));
    // A ledger without the shipped calendar has its policy's own days.
    let mut p = without_shipped_calendar();
    p.holidays = vec![day("2024-06-10"), day("2023-01-02")];
    let l = ledger(p, "2024-03-01");
    assert_eq!(l.calendar(2024).holidays, [day("2024-06-10")]);
    assert!(l.is_working_day(day("2024-02-12")));
}

#[test]
fn a_calendar_set_later_judges_only_the_records_added_after_it() {
    let mut l = ledger(without_shipped_calendar(), "2024-02-26");
    let before = l
        .add_record(&id("rec"), service("R1", "V0", "2024-02-09"))
        .unwrap();
    assert!(before.make_up);
    let c = shipped_calendar("cn-state-council", 2024).unwrap();
    // Only a platform admin sets it.
    let err = l
        .set_calendar(&id("rec"), 2024, c.holidays.clone(), c.working_days.clone())
        .unwrap_err();
    assert_eq!(err.code(), "E_FORBIDDEN");
    l.set_calendar(&admin(), 2024, c.holidays.clone(), c.working_days.clone())
        .unwrap();
    assert_eq!(l.calendar(2024), c);
    // The record judged before stays a pending make-up; the same service added now is not one.
    let r1 = l.record(&id("R1")).unwrap();
    assert!(r1.make_up);
    assert_eq!(r1.state, RecordState::Pending);
    let after = l
        .add_record(&id("rec"), service("R2", "V1", "2024-02-09"))
        .unwrap();
    assert!(!after.make_up);
    assert_eq!(after.state, RecordState::Confirmed);
    // A correction replaces the year: with no holidays at all, R3 is a make-up again, and R2
    // keeps its judgement.
    l.set_calendar(&admin(), 2024, vec![], vec![]).unwrap();
    let r3 = l
        .add_record(&id("rec"), service("R3", "V2", "2024-02-09"))
        .unwrap();
    assert!(r3.make_up);
    assert!(!l.record(&id("R2")).unwrap().make_up);
    // The log replays to the same state, judgements and calendar included.
    let replayed = Ledger::from_entries(l.entries().unwrap()).unwrap();
    assert_eq!(replayed.state_digest(), l.state_digest());
    for r in ["R1", "R2", "R3"] {
        assert_eq!(replayed.record(&id(r)).unwrap(), l.record(&id(r)).unwrap());
    }
    assert_eq!(replayed.calendar(2024), l.calendar(2024));
    l.verify().unwrap();
}

#[test]
fn bad_calendars_are_refused_and_leave_the_ledger_untouched() {
    let mut l = ledger(Policy::mca(), "2024-03-01");
    let (len, digest, before) = (l.entry_count(), l.state_digest(), l.calendar(2027));
    let many: Vec<NaiveDate> = (1..=61)
        .map(|n| day("2027-01-01") + chrono::Days::new(n))
        .collect();
    let cases: Vec<(i32, Vec<NaiveDate>, Vec<NaiveDate>, &str)> = vec![
        (2027, vec![day("2026-12-31")], vec![], "holidays"),
        (2027, vec![], vec![day("2028-01-01")], "working_days"),
        (
            2027,
            vec![day("2027-02-06")],
            vec![day("2027-02-06")],
            "working_days",
        ),
        (2027, vec![], vec![day("2027-02-08")], "working_days"), // a Monday
        (2027, many, vec![], "holidays"),
        (1969, vec![], vec![], "year"),
        (2101, vec![], vec![], "year"),
    ];
    for (year, holidays, working, field) in cases {
        let err = l
            .set_calendar(&admin(), year, holidays, working)
            .unwrap_err();
        assert_eq!(err.code(), "E_FIELD", "{err}");
        match &err {
            LedgerError::InvalidField { field: f, .. } => assert_eq!(f, field, "{err}"),
            other => panic!("{other}"),
        }
    }
    assert_eq!(
        l.set_calendar(&id("nobody"), 2027, vec![], vec![])
            .unwrap_err()
            .code(),
        "E_FORBIDDEN"
    );
    assert_eq!(
        (l.entry_count(), l.state_digest(), l.calendar(2027)),
        (len, digest, before)
    );
    // Given out of order and repeated, a calendar is kept in order, each date once.
    l.set_calendar(
        &admin(),
        2027,
        vec![day("2027-02-09"), day("2027-02-08"), day("2027-02-09")],
        vec![],
    )
    .unwrap();
    assert_eq!(
        l.calendar(2027).holidays,
        [day("2027-02-08"), day("2027-02-09")]
    );
}

#[test]
fn a_file_ledger_keeps_its_calendars_across_opening_again() {
    let f = TempFile::new("calendars");
    let mut config = LedgerConfig::new(id("L"), "某区", admin());
    config.policy = without_shipped_calendar();
    let mut l =
        Ledger::create_with_clock(f.path(), config, Clock::Fixed(at("2024-01-02", 9))).unwrap();
    setup(&mut l);
    l.set_calendar(
        &admin(),
        2027,
        vec![day("2027-02-08")],
        vec![day("2027-02-20")],
    )
    .unwrap();
    let digest = l.state_digest();
    drop(l);
    let l = Ledger::open(f.path()).unwrap();
    assert_eq!(l.calendar(2027).working_days, [day("2027-02-20")]);
    assert_eq!(l.state_digest(), digest);
    l.verify().unwrap();
}

#[test]
fn a_log_made_without_calendars_replays_with_the_same_judgements() {
    // A ledger whose policy names no calendar (as every policy written before calendars):
    // its records are judged by weekdays and the policy's own lists, before and after replay.
    let mut l = ledger(without_shipped_calendar(), "2025-02-12");
    let r = l
        .add_record(&id("rec"), service("R1", "V0", "2025-01-27"))
        .unwrap();
    assert!(r.make_up);
    let entries = l.entries().unwrap();
    let json = serde_json::to_string(&entries[0].change).unwrap();
    assert!(!json.contains("calendar"), "{json}");
    let replayed = Ledger::from_entries(entries).unwrap();
    assert!(replayed.record(&id("R1")).unwrap().make_up);
    assert_eq!(replayed.state_digest(), l.state_digest());
}
