//! What a ledger is set up with, outside any ledger: a configuration with the defaults, the
//! built-in policy profiles and team scoring tables, a team's rating by a table, and the
//! default options of an upload.

use vl::{ImportOptions, LedgerConfig, Policy, TeamFacts, TeamScore, TeamScoring};
use volunteer_ledger as vl;

use crate::conversions::{owned, parse};
use crate::errors::Result;

/// A ledger configuration with the defaults: UTC+08:00 and the `mca` policy.
#[uniffi::export]
pub fn default_ledger_config(
    ledger_id: String,
    name: String,
    platform_admin: String,
) -> Result<LedgerConfig> {
    Ok(LedgerConfig::new(
        parse(&ledger_id)?,
        name,
        parse(&platform_admin)?,
    ))
}

/// A built-in policy profile by name (`mca`, `beijing`); `E_POLICY` for an unknown name.
#[uniffi::export]
pub fn policy_profile(name: String) -> Result<Policy> {
    Ok(Policy::profile(&name)?)
}

/// The names of the built-in policy profiles.
#[uniffi::export]
pub fn policy_profile_names() -> Vec<String> {
    owned(Policy::PROFILES)
}

/// A built-in team scoring table by name (`district`, `pvsa_group`); `E_POLICY` otherwise.
#[uniffi::export]
pub fn team_scoring_profile(name: String) -> Result<TeamScoring> {
    Ok(TeamScoring::profile(&name)?)
}

/// The names of the built-in team scoring tables.
#[uniffi::export]
pub fn team_scoring_profile_names() -> Vec<String> {
    owned(TeamScoring::PROFILES)
}

/// Rates a team's facts by a table: score, stars, level name and the breakdown in English and
/// Chinese. `E_POLICY` for a malformed table, `E_FIELD` for a negative fact (the core's pure
/// `rate_team` assumes both valid).
#[uniffi::export]
pub fn rate_team(table: TeamScoring, facts: TeamFacts) -> Result<TeamScore> {
    Ok(vl::rate_team_checked(&table, &facts)?)
}

/// How to read an uploaded sheet, by default: format and encoding detected, UTC+08:00, no
/// default org, the first worksheet.
#[uniffi::export]
pub fn default_import_options() -> ImportOptions {
    ImportOptions::default()
}
