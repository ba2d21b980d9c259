//! Periods, scopes, stars and boards outside any ledger: a period or a scope parsed, the
//! periods an instant falls in, the stars of a bare total, a leaderboard as a file, and
//! (id, minutes) pairs ranked.

use vl::{
    ExportFormat, Language, Leaderboard, Period, PeriodInfo, Scope, StarProfile, StarSummary,
    Timestamp,
};
use volunteer_ledger as vl;

use crate::conversions::signed;
use crate::errors::Result;

/// An (id, minutes) pair to rank with [`rank_pairs`].
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RankPair {
    /// The id (volunteer, team, org …).
    pub id: String,
    /// Its minutes (a negative number is refused with `E_FIELD`).
    pub minutes: i64,
}

/// A ranked line from [`rank_pairs`].
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RankedPair {
    /// Standard competition rank (1, 2, 2, 4).
    pub rank: i32,
    /// The id.
    pub id: String,
    /// Its minutes.
    pub minutes: i64,
}

/// Parses a period (`2015-W23`, `2015-06`, `2015`, `all`) and describes it.
#[uniffi::export]
pub fn period_info(text: String) -> Result<PeriodInfo> {
    Ok(vl::period_info(&text)?)
}

/// Parses a board scope written `all`, `org:<id>` or `team:<id>`.
#[uniffi::export]
pub fn parse_scope(text: String) -> Result<Scope> {
    Ok(Scope::parse(&text)?)
}

/// The week, month and year an instant falls in, at a UTC offset in minutes east.
#[uniffi::export]
pub fn periods_of(instant: Timestamp, offset_minutes: i32) -> Result<Vec<Period>> {
    Ok(vl::periods_of(instant, offset_minutes)?)
}

/// The star summary of a bare total of minutes under a star profile (no dates); negative
/// minutes are refused (`E_FIELD`).
#[uniffi::export]
pub fn stars_for_minutes(profile: StarProfile, minutes: i64) -> Result<StarSummary> {
    let minutes = vl::error::non_negative("minutes", minutes)?;
    Ok(vl::stars_for_minutes(&profile, minutes))
}

/// A leaderboard as a file's bytes (xlsx or CSV): rank, id, name, hours and minutes.
#[uniffi::export]
pub fn leaderboard_file(
    board: Leaderboard,
    format: ExportFormat,
    language: Language,
) -> Result<Vec<u8>> {
    Ok(vl::leaderboard_file(&board, format, language)?)
}

/// Ranks (id, minutes) pairs: most minutes first, ties by id, standard competition ranks;
/// zero minutes are not ranked; negative minutes are refused (`E_FIELD`).
#[uniffi::export]
pub fn rank_pairs(pairs: Vec<RankPair>) -> Result<Vec<RankedPair>> {
    let pairs = pairs
        .into_iter()
        .map(|p| Ok((p.id, vl::error::non_negative("minutes", p.minutes)?)))
        .collect::<Result<_>>()?;
    Ok(vl::rank_pairs(pairs)
        .into_iter()
        .map(|(rank, id, minutes)| RankedPair {
            rank: i32::try_from(rank).unwrap_or(i32::MAX),
            id,
            minutes: signed(minutes),
        })
        .collect())
}
