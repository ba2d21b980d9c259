//! Working-day calendars (工作日历) in a ledger: a platform admin sets or corrects a year's
//! calendar as a logged change, which judges the records added after it; records judged
//! before keep their judgement (a pending make-up stays one, a record recorded in time stays
//! so). The calendar in force for a year, and the rules of a calendar, are in
//! [`crate::calendar`].

use super::{Admit, Ledger, State};
use crate::calendar::{CalendarYear, WorkingCalendar};
use crate::error::Result;
use crate::ids::ActorId;
use crate::log::Change;
use chrono::NaiveDate;

impl State {
    /// The calendar the ledger judges by now: its policy's and the years set in its log.
    pub(super) fn working_calendar(&self) -> WorkingCalendar<'_> {
        self.policy.working_calendar().with_logged(&self.calendars)
    }

    /// A well-formed year's calendar, set by a platform admin.
    pub(super) fn check_calendar_set(
        &self,
        actor: &ActorId,
        c: &CalendarYear,
    ) -> Result<Option<Admit>> {
        c.check()?;
        self.may_set_calendar(actor)?;
        Ok(Some(Admit::confirmed()))
    }

    /// The year's calendar replaces the one in force for that year, from this entry on.
    pub(super) fn apply_calendar_set(&mut self, c: &CalendarYear) {
        self.calendars.insert(c.year, c.clone());
    }
}

impl Ledger {
    /// Sets (or corrects) a year's working-day calendar: its public holidays (放假) and the
    /// weekend days made working days (调休上班), in any order. It replaces, for that year,
    /// the shipped calendar and the policy's own lists, and judges the records added from now
    /// on; records already judged (pending make-ups, confirmed records) are not judged again.
    /// A platform admin only (`E_FORBIDDEN`); `E_FIELD` for a calendar that is not one (a date
    /// outside the year, a day both a holiday and a working day, a working day that is not a
    /// Saturday or Sunday, more than 60 holidays or 30 working days), and nothing is written.
    ///
    /// ```
    /// use volunteer_ledger::{Ledger, LedgerConfig};
    /// let admin = "admin".parse().unwrap();
    /// let mut l = Ledger::in_memory(LedgerConfig::new("L".parse().unwrap(), "某区", admin)).unwrap();
    /// let day = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
    /// let admin = "admin".parse().unwrap();
    /// l.set_calendar(&admin, 2027, vec![day("2027-02-08")], vec![day("2027-02-20")]).unwrap();
    /// assert_eq!(l.calendar(2027).holidays, [day("2027-02-08")]);
    /// let err = l.set_calendar(&admin, 2027, vec![], vec![day("2027-02-22")]).unwrap_err();
    /// assert_eq!(err.code(), "E_FIELD"); // a Monday cannot be made a working day
    /// ```
    pub fn set_calendar(
        &mut self,
        actor: &ActorId,
        year: i32,
        holidays: Vec<NaiveDate>,
        working_days: Vec<NaiveDate>,
    ) -> Result<()> {
        let calendar = CalendarYear::new(year, holidays, working_days);
        self.commit(actor, Change::CalendarSet(calendar))
            .map(|_| ())
    }

    /// The working-day calendar in force for a year: the one last set for it in the log, or
    /// else the shipped calendar the policy names with the policy's own holiday lists. A year
    /// nothing covers has empty lists (Monday to Friday are its working days).
    pub fn calendar(&self, year: i32) -> CalendarYear {
        self.state.working_calendar().year(year)
    }

    /// Whether a local date is a working day by the calendar in force.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        self.state.working_calendar().is_working_day(date)
    }
}
