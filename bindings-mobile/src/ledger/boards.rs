//! Stars and boards of a ledger: a volunteer's stars, leaderboards now and as of an earlier
//! entry, and a volunteer's standing.

use vl::{BoardKind, Leaderboard, Period, Scope, Standing, StarSummary};
use volunteer_ledger as vl;

use super::Ledger;
use crate::conversions::parse;
use crate::errors::Result;

#[uniffi::export]
impl Ledger {
    /// A volunteer's star summary under the ledger's policy.
    pub fn star_summary(&self, volunteer: String) -> Result<StarSummary> {
        let volunteer = parse(&volunteer)?;
        Ok(self.lock()?.star_summary(&volunteer)?)
    }

    /// The top `limit` lines of a leaderboard (period `2015-W23`, `2015-06`, `2015` or `all`);
    /// a negative limit is refused (`E_FIELD`).
    pub fn leaderboard(
        &self,
        period: String,
        scope: Scope,
        kind: BoardKind,
        limit: i32,
    ) -> Result<Leaderboard> {
        let (period, limit) = board_args(&period, limit)?;
        Ok(self.lock()?.leaderboard(period, &scope, kind, limit)?)
    }

    /// A leaderboard as it stood just after log entry `seq`.
    pub fn leaderboard_as_of(
        &self,
        seq: i64,
        period: String,
        scope: Scope,
        kind: BoardKind,
        limit: i32,
    ) -> Result<Leaderboard> {
        let (period, limit) = board_args(&period, limit)?;
        Ok(self
            .lock()?
            .leaderboard_as_of(seq, period, &scope, kind, limit)?)
    }

    /// A volunteer's place on the board of a period and scope, and the change since the
    /// previous period.
    pub fn standing(&self, volunteer: String, period: String, scope: Scope) -> Result<Standing> {
        let (volunteer, period) = (parse(&volunteer)?, parse::<Period>(&period)?);
        Ok(self.lock()?.standing(&volunteer, period, &scope)?)
    }
}

/// A board's period and limit as the core takes them: a malformed period is refused with
/// `E_PERIOD`, a negative limit with `E_FIELD`.
fn board_args(period: &str, limit: i32) -> Result<(Period, u32)> {
    let period = parse(period)?;
    let limit = vl::error::non_negative("limit", limit.into())?;
    Ok((period, limit))
}
