use super::shipped::{cn_state_council_text, parse};
use super::*;
use crate::policy::Policy;

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn shipped() -> Policy {
    Policy::mca()
}

#[test]
fn the_shipped_file_reads_and_holds_2015_to_2026() {
    let years = parse(cn_state_council_text()).unwrap();
    assert_eq!(
        years.keys().copied().collect::<Vec<_>>(),
        (2015..=2026).collect::<Vec<_>>()
    );
    for (y, c) in &years {
        assert_eq!(c.year, *y);
        c.check().unwrap();
        assert_eq!(shipped_calendar("cn-state-council", *y).as_ref(), Some(c));
    }
    assert_eq!(shipped_calendar("cn-state-council", 2014), None);
    assert_eq!(shipped_calendar("elsewhere", 2024), None);
}

#[test]
fn known_days_of_each_year() {
    let p = shipped();
    let cal = p.working_calendar();
    // (working days, days off) of each notice, weekends made working and weekdays off first.
    let cases: &[(&[&str], &[&str])] = &[
        (
            &[
                "2015-01-04",
                "2015-02-15",
                "2015-02-28",
                "2015-09-06",
                "2015-10-10",
            ],
            &[
                "2015-01-02",
                "2015-02-18",
                "2015-02-24",
                "2015-04-06",
                "2015-06-22",
                "2015-09-03",
                "2015-09-04",
                "2015-10-07",
            ],
        ),
        (
            &[
                "2016-02-06",
                "2016-02-14",
                "2016-06-12",
                "2016-09-18",
                "2016-10-08",
                "2016-10-09",
            ],
            &[
                "2016-02-08",
                "2016-02-12",
                "2016-04-04",
                "2016-05-02",
                "2016-06-10",
                "2016-09-16",
                "2016-10-07",
            ],
        ),
        (
            &[
                "2017-01-22",
                "2017-02-04",
                "2017-04-01",
                "2017-05-27",
                "2017-09-30",
            ],
            &[
                "2017-01-02",
                "2017-01-27",
                "2017-02-02",
                "2017-04-03",
                "2017-05-29",
                "2017-10-06",
            ],
        ),
        (
            &[
                "2018-02-11",
                "2018-02-24",
                "2018-04-08",
                "2018-04-28",
                "2018-09-29",
                "2018-09-30",
                "2018-12-29",
            ],
            &[
                "2018-02-16",
                "2018-04-06",
                "2018-04-30",
                "2018-06-18",
                "2018-09-24",
                "2018-10-05",
                "2018-12-31",
            ],
        ),
        (
            &[
                "2019-02-02",
                "2019-02-03",
                "2019-04-28",
                "2019-05-05",
                "2019-09-29",
                "2019-10-12",
            ],
            &[
                "2019-01-01",
                "2019-02-08",
                "2019-04-05",
                "2019-05-02",
                "2019-05-03",
                "2019-06-07",
                "2019-09-13",
            ],
        ),
        (
            &[
                "2020-01-19",
                "2020-04-26",
                "2020-05-09",
                "2020-06-28",
                "2020-09-27",
                "2020-10-10",
            ],
            &[
                "2020-01-24",
                "2020-01-31",
                "2020-04-06",
                "2020-05-05",
                "2020-06-26",
                "2020-10-08",
            ],
        ),
        (
            &[
                "2021-02-07",
                "2021-02-20",
                "2021-04-25",
                "2021-05-08",
                "2021-09-18",
                "2021-09-26",
                "2021-10-09",
            ],
            &[
                "2021-02-11",
                "2021-04-05",
                "2021-05-04",
                "2021-06-14",
                "2021-09-20",
                "2021-10-07",
            ],
        ),
        (
            &[
                "2022-01-29",
                "2022-01-30",
                "2022-04-02",
                "2022-04-24",
                "2022-05-07",
                "2022-10-08",
                "2022-10-09",
            ],
            &[
                "2022-01-03",
                "2022-01-31",
                "2022-04-04",
                "2022-05-04",
                "2022-06-03",
                "2022-09-12",
                "2022-10-07",
            ],
        ),
        (
            &[
                "2023-01-28",
                "2023-01-29",
                "2023-04-23",
                "2023-05-06",
                "2023-06-25",
                "2023-10-07",
                "2023-10-08",
            ],
            &[
                "2023-01-02",
                "2023-01-27",
                "2023-04-05",
                "2023-05-03",
                "2023-06-23",
                "2023-09-29",
                "2023-10-06",
            ],
        ),
        (
            &[
                "2024-02-04",
                "2024-02-18",
                "2024-04-07",
                "2024-04-28",
                "2024-05-11",
                "2024-09-14",
                "2024-09-29",
                "2024-10-12",
            ],
            &[
                "2024-01-01",
                "2024-02-12",
                "2024-02-16",
                "2024-04-04",
                "2024-05-03",
                "2024-06-10",
                "2024-09-16",
                "2024-10-07",
            ],
        ),
        (
            &[
                "2025-01-26",
                "2025-02-08",
                "2025-04-27",
                "2025-09-28",
                "2025-10-11",
            ],
            &[
                "2025-01-01",
                "2025-01-28",
                "2025-02-04",
                "2025-04-04",
                "2025-05-05",
                "2025-06-02",
                "2025-10-08",
            ],
        ),
        (
            &[
                "2026-01-04",
                "2026-02-14",
                "2026-02-28",
                "2026-05-09",
                "2026-09-20",
                "2026-10-10",
            ],
            &[
                "2026-01-02",
                "2026-02-16",
                "2026-02-23",
                "2026-04-06",
                "2026-05-05",
                "2026-06-19",
                "2026-09-25",
                "2026-10-07",
            ],
        ),
    ];
    for (working, off) in cases {
        for d in *working {
            assert!(cal.is_working_day(day(d)), "{d} should be a working day");
        }
        for d in *off {
            assert!(!cal.is_working_day(day(d)), "{d} should be a day off");
        }
    }
    // 2024's Spring Festival: 02-10..02-17 off, both Sundays around it worked.
    for d in 10..=17 {
        assert!(!cal.is_working_day(NaiveDate::from_ymd_opt(2024, 2, d).unwrap()));
    }
    // 2025's: 01-28..02-04 off.
    let mut d = day("2025-01-28");
    while d <= day("2025-02-04") {
        assert!(!cal.is_working_day(d), "{d}");
        d = d.succ_opt().unwrap();
    }
    // 2020: the extended Spring Festival (to 02-02) is kept: Saturday 02-01 is no longer
    // worked, and Monday 02-03 is.
    assert!(!cal.is_working_day(day("2020-02-01")));
    assert!(cal.is_working_day(day("2020-02-03")));
    // 2019: Labour Day as changed in March 2019 (05-01..05-04, Sundays 04-28 and 05-05 worked).
    assert!(!cal.is_working_day(day("2019-05-02")));
    // An ordinary weekday and weekend.
    assert!(cal.is_working_day(day("2024-03-05")) && !cal.is_working_day(day("2024-03-09")));
}

#[test]
fn every_year_has_about_a_month_of_holidays() {
    for y in 2015..=2026 {
        let c = shipped_calendar("cn-state-council", y).unwrap();
        assert!(
            (25..=40).contains(&c.holidays.len()),
            "{y}: {}",
            c.holidays.len()
        );
        assert!(
            (4..=9).contains(&c.working_days.len()),
            "{y}: {}",
            c.working_days.len()
        );
    }
}

#[test]
fn a_logged_year_replaces_the_shipped_one_and_the_policy_lists() {
    let mut p = shipped();
    p.holidays.push(day("2024-03-05"));
    let mut logged = BTreeMap::new();
    let with = p.working_calendar().with_logged(&logged);
    assert!(!with.is_working_day(day("2024-03-05")));
    assert!(!with.is_working_day(day("2024-02-12")));
    assert!(with.year(2024).holidays.contains(&day("2024-03-05")));
    logged.insert(
        2024,
        CalendarYear::new(2024, vec![day("2024-03-06")], vec![]),
    );
    let with = p.working_calendar().with_logged(&logged);
    assert!(with.is_working_day(day("2024-03-05")));
    assert!(with.is_working_day(day("2024-02-12")));
    assert!(!with.is_working_day(day("2024-03-06")));
    assert!(!with.is_working_day(day("2024-02-04"))); // no longer a 调休 Sunday
    // Other years keep the shipped calendar.
    assert!(!with.is_working_day(day("2025-01-28")));
}

#[test]
fn a_calendar_is_checked() {
    let ok = CalendarYear::new(2027, vec![day("2027-02-08")], vec![day("2027-02-20")]);
    ok.check().unwrap();
    let unsorted = CalendarYear {
        holidays: vec![day("2027-02-09"), day("2027-02-08")],
        working_days: vec![],
        year: 2027,
    };
    assert_eq!(unsorted.check().unwrap_err().code(), "E_FIELD");
    // Too long a list is left unsorted by `new`, and refused by its length.
    let many: Vec<NaiveDate> = (0..=60)
        .map(|n| day("2027-12-31") - chrono::Days::new(n))
        .collect();
    let err = CalendarYear::new(2027, many, vec![]).check().unwrap_err();
    assert!(err.to_string().contains("more than 60"), "{err}");
}
