//! Stars, boards and periods: a star summary and the levels reached, a leaderboard and its
//! lines, a volunteer's standing, a period described, and the functions that answer these
//! without a ledger (a bare total's stars, ranking pairs, built-in policy profiles).

use crate::conversions::{Int, offset_of, timestamp};
use crate::errors::{bad_field, check};
use crate::frames::frame_of;
use chrono::NaiveDate;
use pyo3::prelude::*;
use volunteer_ledger as vl;

result_class!(
    /// When a star level was reached.
    LevelReached as "LevelReached" {
        /// The level, 1 for one star.
        level: u8,
        /// The local date of the service that reached it.
        date: NaiveDate,
    }
);

result_class!(
    /// A star standing: level, when each level was reached, and what is left to the next.
    StarSummary as "StarSummary" {
        /// Cumulative counted minutes.
        total_minutes: u64,
        /// Stars held.
        level: u8,
        /// When each level held was reached, lowest first (empty for a bare total).
        reached: Vec<LevelReached>,
        /// The next level, or None at the top.
        next_level: Option<u8>,
        /// Minutes still needed for the next level, or None at the top.
        minutes_to_next: Option<u64>,
    }
);

result_class!(
    /// One line of a leaderboard.
    BoardEntry as "BoardEntry" {
        /// Standard competition rank (1, 2, 2, 4).
        rank: u32,
        /// Volunteer number, team id or org id; None for a volunteer under a pseudonym.
        id: Option<String>,
        /// Masked name, pseudonym, team name or org name.
        name: String,
        /// Confirmed minutes in the period and scope.
        minutes: u64,
    }
);

result_class!(
    /// A leaderboard: the top lines of a period, scope and kind.
    Leaderboard as "Leaderboard" {
        /// The period ('2015-W23', '2015-06', '2015' or 'all').
        period: String,
        /// The scope ('all', 'org:<id>' or 'team:<id>').
        scope: String,
        /// volunteers, teams or orgs.
        kind: String,
        /// The log entry the board is as of.
        as_of_seq: u64,
        /// How many are ranked, beyond the lines shown.
        ranked: u32,
        /// The top lines, best first; ties by id.
        entries: Vec<BoardEntry>,
    }
    methods {
        /// The lines as a pandas DataFrame (rank, id, name, minutes); needs pandas.
        fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            frame_of(py, &self.entries, BoardEntry::FIELDS)
        }
    }
);

result_class!(
    /// A volunteer's place on a board, and the change since the previous period.
    Standing as "Standing" {
        /// The volunteer number.
        volunteer: String,
        /// The period.
        period: String,
        /// The scope.
        scope: String,
        /// Their minutes in the period and scope.
        minutes: u64,
        /// Their rank, or None (no minutes, or hidden from boards).
        rank: Option<u32>,
        /// How many are ranked.
        ranked: u32,
        /// Their rank in the previous period, if any.
        previous_rank: Option<u32>,
        /// Places gained since the previous period (positive is up), if both ranks exist.
        places_up: Option<i64>,
    }
);

result_class!(
    /// A period described: its canonical text, kind, first and last local day, neighbours.
    PeriodInfo as "PeriodInfo" {
        /// The canonical text.
        text: String,
        /// week, month, year or all.
        kind: String,
        /// The first local date (None for 'all').
        first_day: Option<NaiveDate>,
        /// The last local date (None for 'all').
        last_day: Option<NaiveDate>,
        /// The period before (None for 'all').
        previous: Option<String>,
        /// The period after (None for 'all').
        next: Option<String>,
    }
);

impl From<vl::StarSummary> for StarSummary {
    fn from(s: vl::StarSummary) -> Self {
        Self {
            total_minutes: s.total_minutes.unsigned_abs(),
            level: u8::try_from(s.level).unwrap_or(u8::MAX),
            reached: s
                .reached
                .into_iter()
                .map(|r| LevelReached {
                    level: u8::try_from(r.level).unwrap_or(u8::MAX),
                    date: r.date,
                })
                .collect(),
            next_level: s.next_level.and_then(|l| u8::try_from(l).ok()),
            minutes_to_next: s.minutes_to_next.map(i64::unsigned_abs),
        }
    }
}

impl From<vl::Leaderboard> for Leaderboard {
    fn from(b: vl::Leaderboard) -> Self {
        Self {
            period: b.period.to_string(),
            scope: b.scope.to_string(),
            kind: b.kind.as_str().to_owned(),
            as_of_seq: b.as_of_seq.unsigned_abs(),
            ranked: b.ranked.unsigned_abs(),
            entries: b
                .entries
                .into_iter()
                .map(|e| BoardEntry {
                    rank: e.rank.unsigned_abs(),
                    id: e.id,
                    name: e.name,
                    minutes: e.minutes.unsigned_abs(),
                })
                .collect(),
        }
    }
}

impl From<vl::Standing> for Standing {
    fn from(s: vl::Standing) -> Self {
        Self {
            volunteer: s.volunteer.to_string(),
            period: s.period.to_string(),
            scope: s.scope.to_string(),
            minutes: s.minutes.unsigned_abs(),
            rank: s.rank.map(i32::unsigned_abs),
            ranked: s.ranked.unsigned_abs(),
            previous_rank: s.previous_rank.map(i32::unsigned_abs),
            places_up: s.places_up,
        }
    }
}

impl From<vl::PeriodInfo> for PeriodInfo {
    fn from(p: vl::PeriodInfo) -> Self {
        Self {
            text: p.text,
            kind: p.kind,
            first_day: p.first_day,
            last_day: p.last_day,
            previous: p.previous,
            next: p.next,
        }
    }
}

nested_dict_value!(StarSummary);

/// Parses a period ('2015-W23', '2015-06', '2015', 'all') and describes it.
#[pyfunction]
pub(crate) fn period_info(py: Python<'_>, text: String) -> PyResult<PeriodInfo> {
    check(py, vl::period_info(&text)).map(PeriodInfo::from)
}

/// The [week, month, year] periods an instant falls in at a UTC offset (minutes east). A
/// naive datetime is read in that offset.
#[pyfunction]
#[pyo3(signature = (instant, offset_minutes = Int(480)))]
pub(crate) fn periods_of(
    py: Python<'_>,
    instant: &Bound<'_, PyAny>,
    offset_minutes: Int,
) -> PyResult<Vec<String>> {
    let off = offset_of(py, offset_minutes)?;
    let t = timestamp(instant, off, "instant")?;
    let periods = check(py, vl::periods_of(t, offset_minutes.saturating()))?;
    Ok(periods.iter().map(ToString::to_string).collect())
}

/// The star summary of a bare total of minutes under a built-in policy profile ('mca',
/// 'beijing'): level, next level and minutes still needed.
#[pyfunction]
pub(crate) fn stars_for_minutes(
    py: Python<'_>,
    profile: String,
    minutes: u64,
) -> PyResult<StarSummary> {
    let policy = check(py, vl::Policy::profile(&profile))?;
    Ok(vl::stars_for_minutes(&policy.stars, minutes).into())
}

/// Ranks (id, minutes) pairs: most minutes first, ties by id, standard competition ranks
/// (1, 2, 2, 4); zero minutes are not ranked. Returns (rank, id, minutes) tuples.
#[pyfunction]
pub(crate) fn rank_pairs(py: Python<'_>, pairs: Vec<(String, u64)>) -> Vec<(u32, String, u64)> {
    py.detach(move || vl::rank_pairs(pairs))
}

/// A built-in policy profile as text, `format` 'toml' (default) or 'json'.
#[pyfunction]
#[pyo3(signature = (name, format = String::from("toml")), text_signature = "(name, format='toml')")]
pub(crate) fn policy_profile(py: Python<'_>, name: String, format: String) -> PyResult<String> {
    let text = vl::Policy::profile(&name).and_then(|p| match format.as_str() {
        "toml" => p.to_toml(),
        "json" => p.to_json(),
        other => Err(bad_field(
            "policy",
            "format",
            format!("'{other}' is not toml or json"),
        )),
    });
    check(py, text)
}
