//! Team ratings and excellent volunteers of a ledger, by its policy's scoring table or another.

use vl::{ExcellentCandidate, Scope, TeamFacts, TeamRating, TeamScoring};
use volunteer_ledger as vl;

use super::Ledger;
use crate::conversions::parse;
use crate::errors::Result;

#[uniffi::export]
impl Ledger {
    /// What a team did in a year: the facts its rating is computed from.
    pub fn team_facts(&self, team: String, year: i32) -> Result<TeamFacts> {
        let team = parse(&team)?;
        Ok(self.lock()?.team_facts(&team, year)?)
    }

    /// A team's rating (服务队星级评定) for a year by the policy's scoring table.
    pub fn team_rating(&self, team: String, year: i32) -> Result<TeamRating> {
        let team = parse(&team)?;
        Ok(self.lock()?.team_rating(&team, year)?)
    }

    /// A team's rating for a year by another table (`E_POLICY` if the table is malformed).
    pub fn team_rating_by(
        &self,
        team: String,
        year: i32,
        table: TeamScoring,
    ) -> Result<TeamRating> {
        let team = parse(&team)?;
        Ok(self.lock()?.team_rating_by(&team, year, &table)?)
    }

    /// The ratings of every team in a scope for a year, by the policy's table.
    pub fn team_ratings(&self, year: i32, scope: Scope) -> Result<Vec<TeamRating>> {
        Ok(self.lock()?.team_ratings(year, &scope)?)
    }

    /// The excellent-volunteer candidates (优秀志愿者候选人) of a year in a scope, with why.
    pub fn excellent_candidates(&self, year: i32, scope: Scope) -> Result<Vec<ExcellentCandidate>> {
        Ok(self.lock()?.excellent_candidates(year, &scope)?)
    }
}
