//! Working-day calendars (工作日历): which days are public holidays (放假) and which weekend
//! days are working days (调休上班), year by year. A ledger's calendar in force for a year is,
//! in this order:
//!
//! 1. the calendar an admin last set for that year (a logged `calendar_set` change);
//! 2. otherwise the shipped calendar its policy names (`calendar = "cn-state-council"`: the
//!    State Council's notices 2015–2026, `core/data/calendars/`), together with the policy's
//!    own `holidays` and `extra_working_days` of that year.
//!
//! A day is a working day when the calendar makes it one (调休), else when it is Monday to
//! Friday and not a holiday.
//!
//! ```
//! use volunteer_ledger::{CalendarYear, shipped_calendar};
//! let y2024 = shipped_calendar("cn-state-council", 2024).unwrap();
//! let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
//! assert!(y2024.working_days.contains(&day("2024-02-04"))); // a Sunday, 调休上班
//! assert!(y2024.holidays.contains(&day("2024-02-12")));     // 春节
//! assert!(shipped_calendar("cn-state-council", 2030).is_none());
//! let bad = CalendarYear { year: 2024, holidays: vec![day("2025-01-01")], working_days: vec![] };
//! assert_eq!(bad.check().unwrap_err().code(), "E_FIELD");
//! ```

mod shipped;

pub use shipped::{SHIPPED_CALENDARS, shipped_calendar};

use crate::error::{Result, invalid_field};
use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The most holidays a year's calendar may list (the State Council's run to about 35, weekend
/// days included).
pub const MAX_HOLIDAYS: usize = 60;
/// The most weekend days a year's calendar may make working days (the State Council's run to 8).
pub const MAX_WORKING_DAYS: usize = 30;
/// The years a calendar may be set for.
pub const CALENDAR_YEARS: std::ops::RangeInclusive<i32> = 1970..=2100;

/// One year's working-day calendar: its public holidays and the weekend days made working
/// days (调休上班). The body of a `calendar_set` entry, and the answer to "which calendar is in
/// force for this year". Both lists in date order, each date once, all in `year`. Fields in
/// sorted order (a log body).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(
        frozen,
        get_all,
        eq,
        module = "volunteer_ledger",
        name = "CalendarYear"
    )
)]
#[serde(deny_unknown_fields)]
pub struct CalendarYear {
    /// The days off (放假), weekend days within a holiday period included.
    pub holidays: Vec<NaiveDate>,
    /// Saturdays and Sundays that are working days (调休上班).
    pub working_days: Vec<NaiveDate>,
    /// The calendar year.
    pub year: i32,
}

impl CalendarYear {
    /// A year's calendar from lists in any order: sorted, each date once (a list longer than
    /// its bound is left as it is, for `CalendarYear::check` to refuse). Checks nothing.
    pub fn new(year: i32, mut holidays: Vec<NaiveDate>, mut working_days: Vec<NaiveDate>) -> Self {
        if holidays.len() <= MAX_HOLIDAYS {
            holidays.sort_unstable();
            holidays.dedup();
        }
        if working_days.len() <= MAX_WORKING_DAYS {
            working_days.sort_unstable();
            working_days.dedup();
        }
        Self {
            holidays,
            working_days,
            year,
        }
    }

    /// Checks the calendar: a year in 1970–2100, at most 60 holidays and 30 working days,
    /// every date in the year, each list in date order without repeats, no day both a holiday
    /// and a working day, and every working day a Saturday or Sunday. `E_FIELD` naming the
    /// year, the list and the date at fault.
    pub fn check(&self) -> Result<()> {
        let y = self.year;
        let what = || format!("calendar {y}");
        if !CALENDAR_YEARS.contains(&y) {
            return Err(invalid_field(
                what(),
                "year",
                "must be 1970 to 2100 / 年份须在 1970 至 2100 之间",
            ));
        }
        for (field, days, max) in [
            ("holidays", &self.holidays, MAX_HOLIDAYS),
            ("working_days", &self.working_days, MAX_WORKING_DAYS),
        ] {
            if days.len() > max {
                return Err(invalid_field(
                    what(),
                    field,
                    format!("lists {} days, more than {max} / 超过 {max} 天", days.len()),
                ));
            }
            if let Some(d) = days.iter().find(|d| d.year() != y) {
                return Err(invalid_field(
                    what(),
                    field,
                    format!("{d} is not in {y} / {d} 不在 {y} 年内"),
                ));
            }
            if let Some(w) = days.windows(2).find(|w| w.first() >= w.get(1)) {
                let d = w.get(1).copied().unwrap_or_default();
                return Err(invalid_field(
                    what(),
                    field,
                    format!("{d} is repeated or out of date order / {d} 重复或未按日期排序"),
                ));
            }
        }
        if let Some(d) = self
            .working_days
            .iter()
            .find(|d| self.holidays.binary_search(d).is_ok())
        {
            return Err(invalid_field(
                what(),
                "working_days",
                format!("{d} is also a holiday / {d} 同时被列为节假日"),
            ));
        }
        if let Some(d) = self.working_days.iter().find(|d| !is_weekend(**d)) {
            return Err(invalid_field(
                what(),
                "working_days",
                format!(
                    "{d} is not a Saturday or Sunday: only a weekend day is made a working day / {d} 不是周六或周日，只有周末可调为工作日"
                ),
            ));
        }
        Ok(())
    }

    /// Whether a day of this year is a working day by this calendar.
    fn is_working_day(&self, d: NaiveDate) -> bool {
        if self.working_days.binary_search(&d).is_ok() {
            return true;
        }
        !is_weekend(d) && self.holidays.binary_search(&d).is_err()
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The calendar a ledger judges by: the shipped calendar its policy names, the policy's own
/// holiday lists and recording window (`Policy::working_calendar`), and the years set in its
/// log since. Borrowed, to be asked and dropped.
pub(crate) struct WorkingCalendar<'a> {
    shipped: Option<&'a str>,
    holidays: &'a [NaiveDate],
    extra_working_days: &'a [NaiveDate],
    window: i32,
    logged: Option<&'a BTreeMap<i32, CalendarYear>>,
}

impl<'a> WorkingCalendar<'a> {
    /// A calendar of a shipped calendar's name, a policy's own lists and its recording window
    /// in working days (validated 0 to 366).
    pub(crate) fn new(
        shipped: Option<&'a str>,
        holidays: &'a [NaiveDate],
        extra_working_days: &'a [NaiveDate],
        window: i32,
    ) -> Self {
        Self {
            shipped,
            holidays,
            extra_working_days,
            window,
            logged: None,
        }
    }

    /// This calendar with the years set in a ledger's log, which replace it for their years.
    pub(crate) fn with_logged(self, logged: &'a BTreeMap<i32, CalendarYear>) -> Self {
        Self {
            logged: Some(logged),
            ..self
        }
    }

    fn logged_year(&self, y: i32) -> Option<&'a CalendarYear> {
        self.logged.and_then(|l| l.get(&y))
    }

    fn shipped_year(&self, y: i32) -> Option<&'static CalendarYear> {
        self.shipped.and_then(|name| shipped::shipped_year(name, y))
    }

    /// Whether a day is a working day.
    pub(crate) fn is_working_day(&self, d: NaiveDate) -> bool {
        if let Some(c) = self.logged_year(d.year()) {
            return c.is_working_day(d);
        }
        let shipped = self.shipped_year(d.year());
        if self.extra_working_days.contains(&d)
            || shipped.is_some_and(|c| c.working_days.binary_search(&d).is_ok())
        {
            return true;
        }
        !is_weekend(d)
            && !self.holidays.contains(&d)
            && shipped.is_none_or(|c| c.holidays.binary_search(&d).is_err())
    }

    /// The calendar in force for a year.
    pub(crate) fn year(&self, y: i32) -> CalendarYear {
        if let Some(c) = self.logged_year(y) {
            return c.clone();
        }
        let in_year = |days: &[NaiveDate]| -> Vec<NaiveDate> {
            days.iter().copied().filter(|d| d.year() == y).collect()
        };
        let mut holidays = in_year(self.holidays);
        let mut working = in_year(self.extra_working_days);
        if let Some(c) = self.shipped_year(y) {
            holidays.extend_from_slice(&c.holidays);
            working.extend_from_slice(&c.working_days);
        }
        // A policy day listed both ways is a working day (as `is_working_day` judges it).
        holidays.retain(|d| !working.contains(d));
        CalendarYear::new(y, holidays, working)
    }

    /// How many holidays the calendar holds for a year's days, besides the policy's own.
    fn year_holiday_count(&self, y: i32) -> usize {
        match self.logged_year(y) {
            Some(c) => c.holidays.len(),
            None => self.shipped_year(y).map_or(0, |c| c.holidays.len()),
        }
    }

    /// The last day of a window of `n` working days after `day` (the day itself not counted).
    pub(crate) fn deadline(&self, day: NaiveDate, n: u32) -> NaiveDate {
        let mut d = day;
        let mut left = n;
        // Bounded: a year of holidays cannot stop the walk for more than 366 days per working day.
        let mut guard = 0u32;
        while left > 0 && guard < n.saturating_add(1).saturating_mul(366) {
            let Some(next) = d.succ_opt() else { break };
            d = next;
            guard += 1;
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Whether service ending on `served` and recorded on `today` falls after the policy's
    /// window of working days: a make-up record (补录).
    pub(crate) fn is_make_up(&self, served: NaiveDate, today: NaiveDate) -> bool {
        // The deadline lies at least `window` days after the service. Were it on or after
        // `today`, the days up to `today` would hold at most `window` working days, two
        // weekend days in any seven and the holidays of the years between:
        // days ≤ (window + holidays + 2) × 7/5. Beyond that it is a make-up without walking
        // the calendar; a service five years or more before is walked (the walk stops at the
        // deadline, a few weeks on).
        let window = i64::from(self.window.max(0));
        let days = (today - served).num_days();
        if days <= window {
            return false;
        }
        let (first, last) = (served.year(), today.year());
        if last.saturating_sub(first) <= 4 {
            let holidays = (first..=last)
                .map(|y| self.year_holiday_count(y))
                .sum::<usize>()
                .saturating_add(self.holidays.len());
            let holidays = i64::try_from(holidays).unwrap_or(i64::MAX / 8);
            if days > (window + holidays + 2) * 7 / 5 + 1 {
                return true;
            }
        }
        // Validated: 0 to 366.
        let n = u32::try_from(self.window).unwrap_or(0);
        today > self.deadline(served, n)
    }
}

#[cfg(test)]
mod tests;
