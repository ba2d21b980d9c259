//! Team ratings and excellent volunteers of a ledger, by its policy's table or another.

use super::PyLedger;
use crate::conversions::Int;
use crate::ratings::scoring_table;
use pyo3::prelude::*;
use volunteer_ledger as vl;

#[pymethods]
impl PyLedger {
    /// What a team did in a year: the facts its rating scores.
    fn team_facts(&self, py: Python<'_>, team: String, year: Int) -> PyResult<vl::TeamFacts> {
        self.run(py, move |l| l.team_facts(&team.parse()?, year.saturating()))
    }

    /// A team's star rating for a year by the policy's scoring table.
    fn team_rating(&self, py: Python<'_>, team: String, year: Int) -> PyResult<vl::TeamRating> {
        self.run(py, move |l| {
            l.team_rating(&team.parse()?, year.saturating())
        })
    }

    /// A team's rating for a year by another table: a built-in name ('district',
    /// 'pvsa_group') or a table as a dict (the form `team_scoring(name)` returns).
    fn team_rating_by(
        &self,
        py: Python<'_>,
        team: String,
        year: Int,
        table: &Bound<'_, PyAny>,
    ) -> PyResult<vl::TeamRating> {
        let table = scoring_table(table)?;
        self.run(py, move |l| {
            l.team_rating_by(&team.parse()?, year.saturating(), &table?)
        })
    }

    /// The ratings of every team of a scope for a year, best first (ties by team id).
    #[pyo3(signature = (year, scope = String::from("all")))]
    fn team_ratings(
        &self,
        py: Python<'_>,
        year: Int,
        scope: String,
    ) -> PyResult<Vec<vl::TeamRating>> {
        let list = self.run(py, move |l| {
            l.team_ratings(year.saturating(), &vl::Scope::parse(&scope)?)
        })?;
        Ok(list.into_iter().collect())
    }

    /// The volunteers the policy's rule proposes as excellent (优秀志愿者) for a year in a
    /// scope, each with the reason; street by street, best first.
    #[pyo3(signature = (year, scope = String::from("all")))]
    fn excellent_candidates(
        &self,
        py: Python<'_>,
        year: Int,
        scope: String,
    ) -> PyResult<Vec<vl::ExcellentCandidate>> {
        let list = self.run(py, move |l| {
            l.excellent_candidates(year.saturating(), &vl::Scope::parse(&scope)?)
        })?;
        Ok(list.into_iter().collect())
    }
}
