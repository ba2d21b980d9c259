//! Stars and boards of a ledger: a volunteer's stars, leaderboards now and as of an earlier
//! entry, and a volunteer's standing.

use super::PyLedger;
use crate::conversions::Int;
use crate::errors::check;
use pyo3::prelude::*;
use volunteer_ledger as vl;

#[pymethods]
impl PyLedger {
    /// A volunteer's star summary under the ledger's policy.
    fn star_summary(&self, py: Python<'_>, volunteer: String) -> PyResult<vl::StarSummary> {
        let v: vl::VolunteerId = check(py, volunteer.parse())?;
        self.run(py, move |l| l.star_summary(&v))
    }

    /// The top `limit` lines of a leaderboard, always current. `period`: '2015-W23', '2015-06',
    /// '2015' or 'all'; `scope`: 'all', 'org:<id>' or 'team:<id>'; `kind`: volunteers, teams or
    /// orgs.
    #[pyo3(
        signature = (period, scope = String::from("all"), kind = String::from("volunteers"), limit = Int(100)),
        text_signature = "($self, period, scope='all', kind='volunteers', limit=100)"
    )]
    fn leaderboard(
        &self,
        py: Python<'_>,
        period: String,
        scope: String,
        kind: String,
        limit: Int,
    ) -> PyResult<vl::Leaderboard> {
        self.run(py, move |l| {
            let kind = vl::BoardKind::parse(&kind)?;
            l.leaderboard(
                vl::Period::parse(&period)?,
                &vl::Scope::parse(&scope)?,
                kind,
                vl::error::non_negative("limit", limit.0)?,
            )
        })
    }

    /// A leaderboard as it stood just after log entry `seq` (the log up to it is replayed), so
    /// a board published earlier is shown again exactly.
    #[pyo3(
        signature = (seq, period, scope = String::from("all"), kind = String::from("volunteers"), limit = Int(100)),
        text_signature = "($self, seq, period, scope='all', kind='volunteers', limit=100)"
    )]
    fn leaderboard_as_of(
        &self,
        py: Python<'_>,
        seq: Int,
        period: String,
        scope: String,
        kind: String,
        limit: Int,
    ) -> PyResult<vl::Leaderboard> {
        self.run(py, move |l| {
            let kind = vl::BoardKind::parse(&kind)?;
            l.leaderboard_as_of(
                seq.0,
                vl::Period::parse(&period)?,
                &vl::Scope::parse(&scope)?,
                kind,
                vl::error::non_negative("limit", limit.0)?,
            )
        })
    }

    /// A volunteer's place on the volunteers' board of a period and scope, and the change since
    /// the previous period. A volunteer hidden from boards has minutes but no rank.
    #[pyo3(
        signature = (volunteer, period, scope = String::from("all")),
        text_signature = "($self, volunteer, period, scope='all')"
    )]
    fn standing(
        &self,
        py: Python<'_>,
        volunteer: String,
        period: String,
        scope: String,
    ) -> PyResult<vl::Standing> {
        self.run(py, move |l| {
            l.standing(
                &volunteer.parse()?,
                vl::Period::parse(&period)?,
                &vl::Scope::parse(&scope)?,
            )
        })
    }
}
