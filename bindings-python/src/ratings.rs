//! Team ratings (服务队星级评定) and excellent volunteers: what a team did in a year, how a
//! scoring table scores it, the candidates the policy proposes, and scoring without a ledger.

use crate::conversions::{json_text, opt_string};
use crate::errors::{bad_field, check};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use volunteer_ledger as vl;

result_class!(
    /// What a team did in a year: the facts a scoring table rates.
    TeamFacts as "TeamFacts" {
        /// Members with counted service in the year.
        active_members: i32,
        /// Complaints against its activities.
        complaints: i32,
        /// Evaluations of its activities.
        evaluations: i32,
        /// The sum of their scores.
        evaluation_points: i32,
        /// Months with an activity on the first Saturday (the monthly service day).
        first_saturday_months: i32,
        /// Members at the end of the year.
        members: i32,
        /// The fewest counted minutes of any member in the year.
        min_member_minutes: i64,
        /// Months with an activity.
        months_active: i32,
        /// Counted minutes of members in its activities.
        total_minutes: i64,
    }
);

result_class!(
    /// One criterion of a team's score: what was measured and the points it gave.
    CriterionLine as "CriterionLine" {
        /// The metric measured (months_active, total_hours …).
        metric: String,
        /// scaled, at_least, requirement or penalty.
        mode: String,
        /// The measured value, in the metric's unit.
        value: i64,
        /// The value that gives full marks (or the threshold).
        target: i64,
        /// Points given (negative for a penalty).
        points: i32,
        /// The criterion's weight.
        weight: i32,
        /// Whether the target was met.
        met: bool,
        /// The line in English.
        text_en: String,
        /// The line in Chinese.
        text_zh: String,
    }
);

result_class!(
    /// A score by a scoring table: points, stars, level name and the breakdown.
    TeamScore as "TeamScore" {
        /// The scoring table's name.
        scoring: String,
        /// Points out of 100.
        score: i32,
        /// Stars awarded (0 for none).
        stars: i32,
        /// The level's name (bronze …), if the table names levels.
        level_name: Option<String>,
        /// One line per criterion, in the table's order.
        lines: Vec<CriterionLine>,
        /// The result in a sentence, English.
        summary_en: String,
        /// The result in a sentence, Chinese.
        summary_zh: String,
    }
);

result_class!(
    /// A team's star rating (服务队星级评定) for a year.
    TeamRating as "TeamRating" {
        /// The team id.
        team: String,
        /// The team's name.
        team_name: String,
        /// The year rated.
        year: i32,
        /// What the team did.
        facts: TeamFacts,
        /// How the table scores it.
        score: TeamScore,
    }
);

result_class!(
    /// A volunteer the policy's rule proposes as excellent (优秀志愿者) for a year, with why.
    ExcellentCandidate as "ExcellentCandidate" {
        /// The volunteer number.
        volunteer: String,
        /// The name, masked.
        masked_name: String,
        /// Their street, if their home org lies under one.
        street: Option<String>,
        /// Counted minutes in the year.
        year_minutes: i64,
        /// Stars held at the end of the year.
        star_level: i32,
        /// Their place in the street by minutes in the year.
        rank_in_street: i32,
        /// Why, in English.
        reason_en: String,
        /// Why, in Chinese.
        reason_zh: String,
    }
);

impl From<vl::TeamFacts> for TeamFacts {
    fn from(f: vl::TeamFacts) -> Self {
        Self {
            active_members: f.active_members,
            complaints: f.complaints,
            evaluations: f.evaluations,
            evaluation_points: f.evaluation_points,
            first_saturday_months: f.first_saturday_months,
            members: f.members,
            min_member_minutes: f.min_member_minutes,
            months_active: f.months_active,
            total_minutes: f.total_minutes,
        }
    }
}

impl From<&TeamFacts> for vl::TeamFacts {
    fn from(f: &TeamFacts) -> Self {
        Self {
            active_members: f.active_members,
            complaints: f.complaints,
            evaluations: f.evaluations,
            evaluation_points: f.evaluation_points,
            first_saturday_months: f.first_saturday_months,
            members: f.members,
            min_member_minutes: f.min_member_minutes,
            months_active: f.months_active,
            total_minutes: f.total_minutes,
        }
    }
}

impl From<vl::TeamScore> for TeamScore {
    fn from(s: vl::TeamScore) -> Self {
        Self {
            scoring: s.scoring,
            score: s.score,
            stars: s.stars,
            level_name: s.level_name,
            lines: s
                .lines
                .into_iter()
                .map(|l| CriterionLine {
                    metric: l.metric.as_str().to_owned(),
                    mode: l.mode.as_str().to_owned(),
                    value: l.value,
                    target: l.target,
                    points: l.points,
                    weight: l.weight,
                    met: l.met,
                    text_en: l.text_en,
                    text_zh: l.text_zh,
                })
                .collect(),
            summary_en: s.summary_en,
            summary_zh: s.summary_zh,
        }
    }
}

impl From<vl::TeamRating> for TeamRating {
    fn from(r: vl::TeamRating) -> Self {
        Self {
            team: r.team.to_string(),
            team_name: r.team_name,
            year: r.year,
            facts: r.facts.into(),
            score: r.score.into(),
        }
    }
}

impl From<vl::ExcellentCandidate> for ExcellentCandidate {
    fn from(c: vl::ExcellentCandidate) -> Self {
        Self {
            volunteer: c.volunteer.to_string(),
            masked_name: c.masked_name,
            street: opt_string(c.street),
            year_minutes: c.year_minutes,
            star_level: c.star_level,
            rank_in_street: c.rank_in_street,
            reason_en: c.reason_en,
            reason_zh: c.reason_zh,
        }
    }
}

nested_dict_value!(TeamFacts, TeamScore);

/// A team scoring table: a built-in name, or a dict in the form `team_scoring` returns. A
/// Python error (a value json cannot write) is raised; the core's refusal is returned.
pub(crate) fn scoring_table(table: &Bound<'_, PyAny>) -> PyResult<vl::Result<vl::TeamScoring>> {
    if let Ok(name) = table.extract::<String>() {
        return Ok(vl::TeamScoring::profile(&name));
    }
    let text = json_text(table)?;
    Ok(serde_json::from_str::<vl::TeamScoring>(&text)
        .map_err(|e| vl::LedgerError::Policy {
            detail: format!("the team scoring table does not read: {e}"),
        })
        .and_then(|t| t.validate().map(|()| t)))
}

/// A built-in team scoring table ('district', 'pvsa_group') as a dict: the form
/// `rate_team` and `Ledger.team_rating_by` take, to copy and change.
#[pyfunction]
pub(crate) fn team_scoring<'py>(py: Python<'py>, name: String) -> PyResult<Bound<'py, PyAny>> {
    let table = check(py, vl::TeamScoring::profile(&name))?;
    let text = serde_json::to_string(&table)
        .map_err(|e| PyRuntimeError::new_err(format!("team scoring table: {e}")))?;
    py.import("json")?.call_method1("loads", (text,))
}

/// Scores a team's facts by a table (a built-in name or a dict): points, stars, level name
/// and the breakdown. `facts` is a TeamFacts or a dict with its attributes.
#[pyfunction]
pub(crate) fn rate_team(
    py: Python<'_>,
    table: &Bound<'_, PyAny>,
    facts: &Bound<'_, PyAny>,
) -> PyResult<TeamScore> {
    let table = check(py, scoring_table(table)?)?;
    let facts: vl::TeamFacts = match facts.cast::<TeamFacts>() {
        Ok(f) => f.get().into(),
        Err(_) => {
            let text = json_text(facts)?;
            check(
                py,
                serde_json::from_str(&text)
                    .map_err(|e| bad_field("team facts", "facts", format!("do not read: {e}"))),
            )?
        }
    };
    Ok(check(py, vl::rate_team_checked(&table, &facts))?.into())
}
