//! Working-day calendars: set a year's (a platform admin), ask the one in force, ask a day;
//! and the shipped calendars, outside any ledger.

use chrono::NaiveDate;
use vl::CalendarYear;
use volunteer_ledger as vl;

use super::Ledger;
use crate::conversions::{owned, parse};
use crate::errors::Result;

// A calendar day as an argument: the core's conversion (`LocalDate` in Kotlin, a date string
// underneath), not a second one here.
uniffi::use_remote_type!(volunteer_ledger::chrono::NaiveDate);

#[uniffi::export]
impl Ledger {
    /// Sets (or corrects) a year's working-day calendar: its holidays (放假) and the weekend
    /// days made working days (调休上班), in any order. Judges the records added from now on;
    /// records judged before keep their judgement. A platform admin only.
    pub fn set_calendar(
        &self,
        actor: String,
        year: i32,
        holidays: Vec<NaiveDate>,
        working_days: Vec<NaiveDate>,
    ) -> Result<()> {
        let actor = parse(&actor)?;
        Ok(self
            .lock()?
            .set_calendar(&actor, year, holidays, working_days)?)
    }

    /// The working-day calendar in force for a year.
    pub fn calendar(&self, year: i32) -> Result<CalendarYear> {
        Ok(self.lock()?.calendar(year))
    }

    /// Whether a local date is a working day by the calendar in force.
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool> {
        Ok(self.lock()?.is_working_day(date))
    }
}

/// A year of a shipped working-day calendar (`cn-state-council`: the State Council's notices,
/// 2015–2026), or null for a name or year it does not hold.
#[uniffi::export]
pub fn shipped_calendar(name: String, year: i32) -> Option<CalendarYear> {
    vl::shipped_calendar(&name, year)
}

/// The names of the shipped working-day calendars.
#[uniffi::export]
pub fn shipped_calendar_names() -> Vec<String> {
    owned(vl::SHIPPED_CALENDARS)
}
