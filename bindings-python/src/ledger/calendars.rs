//! Working-day calendars: set a year's (a platform admin), ask the one in force, ask a day;
//! and the shipped calendars, outside any ledger.

use super::PyLedger;
use crate::conversions::Int;
use chrono::NaiveDate;
use pyo3::prelude::*;
use volunteer_ledger as vl;

#[pymethods]
impl PyLedger {
    /// Sets (or corrects) a year's working-day calendar: its holidays (放假) and the weekend
    /// days made working days (调休上班), dates in any order. Judges the records added from now
    /// on; records judged before keep their judgement. A platform admin only.
    #[pyo3(signature = (actor, year, holidays, working_days))]
    fn set_calendar(
        &self,
        py: Python<'_>,
        actor: String,
        year: Int,
        holidays: Vec<Bound<'_, PyAny>>,
        working_days: Vec<Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let actor = Self::actor(py, &actor)?;
        let holidays = self.days(&holidays)?;
        let working_days = self.days(&working_days)?;
        let year = year.saturating();
        self.run(py, move |l| {
            l.set_calendar(&actor, year, holidays, working_days)
        })
    }

    /// The working-day calendar in force for a year.
    fn calendar(&self, py: Python<'_>, year: Int) -> PyResult<vl::CalendarYear> {
        let year = year.saturating();
        self.run(py, move |l| Ok(l.calendar(year)))
    }

    /// Whether a day (a date, or a datetime's local day) is a working day by the calendar in
    /// force.
    fn is_working_day(&self, py: Python<'_>, date: &Bound<'_, PyAny>) -> PyResult<bool> {
        let date = self.local_day(date)?;
        self.run(py, move |l| Ok(l.is_working_day(date)))
    }
}

impl PyLedger {
    fn days(&self, values: &[Bound<'_, PyAny>]) -> PyResult<Vec<NaiveDate>> {
        values.iter().map(|v| self.local_day(v)).collect()
    }
}

/// A year of a shipped working-day calendar ('cn-state-council': the State Council's notices,
/// 2015–2026), or None for a name or year it does not hold.
#[pyfunction]
pub(crate) fn shipped_calendar(name: String, year: Int) -> Option<vl::CalendarYear> {
    vl::shipped_calendar(&name, year.saturating())
}
