//! Volunteer star levels (星级) from cumulative confirmed hours, as pure functions. Team star
//! ratings (服务队星级评定) are in [`crate::team_rating`], re-exported here.

use crate::policy::StarProfile;
pub use crate::team_rating::{
    Criterion, CriterionLine, CriterionMode, TeamFacts, TeamMetric, TeamScore, TeamScoring,
    rate_team, rate_team_checked,
};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// When a level was reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(
        frozen,
        get_all,
        eq,
        module = "volunteer_ledger",
        name = "LevelReached"
    )
)]
pub struct LevelReached {
    /// The local date of the service that reached it.
    pub date: NaiveDate,
    /// The level, 1 for one star.
    pub level: i32,
}

/// A volunteer's star standing: level, the date each level was reached, and what is left
/// to the next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(frozen, get_all, eq, module = "volunteer_ledger", name = "StarSummary")
)]
pub struct StarSummary {
    /// Cumulative counted minutes.
    pub total_minutes: i64,
    /// Stars held, 0 to the profile's top level.
    pub level: i32,
    /// The date each level held was reached, lowest first.
    pub reached: Vec<LevelReached>,
    /// The next level, if any.
    pub next_level: Option<i32>,
    /// Minutes still needed for the next level, if any.
    pub minutes_to_next: Option<i64>,
}

/// Computes a star summary from a volunteer's counted service, given as (local date,
/// minutes) pairs in any order. Levels are reached on the date of the service whose
/// cumulative total first meets the threshold, counting service in date order.
///
/// ```
/// use volunteer_ledger::{StarProfile, star_summary};
/// use chrono::NaiveDate;
/// let d = |m, day| NaiveDate::from_ymd_opt(2015, m, day).unwrap();
/// let s = star_summary(&StarProfile::mca(), [(d(6, 2), 90 * 60), (d(7, 1), 20 * 60)]);
/// assert_eq!(s.level, 1);
/// assert_eq!(s.reached[0].date, d(7, 1));
/// assert_eq!(s.minutes_to_next, Some((300 - 110) * 60));
/// ```
pub fn star_summary(
    profile: &StarProfile,
    service: impl IntoIterator<Item = (NaiveDate, u32)>,
) -> StarSummary {
    let mut items: Vec<(NaiveDate, u32)> = service.into_iter().collect();
    items.sort_unstable();
    let thresholds: Vec<u64> = profile.thresholds_minutes().collect();
    let mut total = 0u64;
    let mut reached = Vec::new();
    for (date, minutes) in items {
        total += u64::from(minutes);
        while let Some(t) = thresholds.get(reached.len()) {
            if total < *t {
                break;
            }
            reached.push(LevelReached {
                level: i32::from(level_u8(reached.len() + 1)),
                date,
            });
        }
    }
    let level = level_u8(reached.len());
    let next = thresholds.get(reached.len()).copied();
    summary(total, level, reached, next)
}

/// A star summary in the signed types the bindings' Java callers need (minutes as `i64`,
/// levels as `i32`); totals beyond `i64::MAX` minutes (never reached) are shown as the maximum.
fn summary(total: u64, level: u8, reached: Vec<LevelReached>, next: Option<u64>) -> StarSummary {
    let signed = |m: u64| i64::try_from(m).unwrap_or(i64::MAX);
    StarSummary {
        total_minutes: signed(total),
        level: i32::from(level),
        reached,
        next_level: next.map(|_| i32::from(level) + 1),
        minutes_to_next: next.map(|t| signed(t - total)),
    }
}

/// The star summary of a bare total of minutes (no dates): level, next level and what is left.
pub fn stars_for_minutes(profile: &StarProfile, minutes: u64) -> StarSummary {
    let level = level_for_minutes(profile, minutes);
    let next = profile.thresholds_minutes().nth(usize::from(level));
    summary(minutes, level, Vec::new(), next)
}

/// The level for a cumulative total of minutes.
pub fn level_for_minutes(profile: &StarProfile, minutes: u64) -> u8 {
    level_u8(
        profile
            .thresholds_minutes()
            .take_while(|t| *t <= minutes)
            .count(),
    )
}

fn level_u8(n: usize) -> u8 {
    u8::try_from(n).unwrap_or(u8::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn thresholds_are_inclusive() {
        let p = StarProfile::mca();
        assert_eq!(level_for_minutes(&p, 100 * 60 - 1), 0);
        assert_eq!(level_for_minutes(&p, 100 * 60), 1);
        assert_eq!(level_for_minutes(&p, 1500 * 60), 5);
        assert_eq!(level_for_minutes(&p, 100_000 * 60), 5);
    }

    #[test]
    fn one_record_can_reach_several_levels() {
        let d = NaiveDate::from_ymd_opt(2015, 6, 2).unwrap();
        let s = star_summary(&StarProfile::beijing(), [(d, 250 * 60)]);
        assert_eq!(s.level, 2);
        assert_eq!(s.reached.len(), 2);
        assert_eq!(s.minutes_to_next, Some(250 * 60));
    }

    proptest! {
        #[test]
        fn stars_never_decrease_as_hours_grow(a in 0u64..200_000, b in 0u64..200_000) {
            let p = StarProfile::mca();
            let (lo, hi) = (a.min(b), a.max(b));
            prop_assert!(level_for_minutes(&p, lo) <= level_for_minutes(&p, hi));
        }
    }
}
