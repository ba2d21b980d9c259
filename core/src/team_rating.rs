//! Team star ratings (服务队星级评定) by a published scoring table (评分表), as pure functions:
//! what a team did in a year ([`TeamFacts`]) scored criterion by criterion into points out of
//! 100 and star levels ([`TeamScore`]).

use crate::error::{LedgerError, Result, count};
use serde::{Deserialize, Serialize};

/// What a criterion of a team scoring table measures, for one team and one year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum TeamMetric {
    /// Months with at least one held activity (cap in months).
    MonthsActive,
    /// Months with a held activity on their first Saturday, the monthly service day (cap in
    /// months).
    FirstSaturdayMonths,
    /// Total counted hours of members in the team's activities (cap in hours).
    TotalHours,
    /// Total hours divided by the active members (cap in hours).
    HoursPerActiveMember,
    /// Members with counted service in the team's activities (cap in members).
    ActiveMembers,
    /// Active members as a share of the year's members (cap in percent).
    ActiveShare,
    /// Average evaluation of the team's activities (cap in tenths: 45 is 4.5 of 5).
    AverageEvaluation,
    /// Complaints about the team's activities (cap in complaints).
    Complaints,
    /// The fewest hours any member of the year served with the team (cap in hours).
    MinMemberHours,
}

crate::error::named_enum!(TeamMetric, "team metric", {
    MonthsActive => "months_active",
    FirstSaturdayMonths => "first_saturday_months",
    TotalHours => "total_hours",
    HoursPerActiveMember => "hours_per_active_member",
    ActiveMembers => "active_members",
    ActiveShare => "active_share",
    AverageEvaluation => "average_evaluation",
    Complaints => "complaints",
    MinMemberHours => "min_member_hours",
});

/// How a criterion turns its measure into points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum CriterionMode {
    /// `weight × min(value, cap) / cap`, rounded down: full points at the cap.
    Scaled,
    /// `weight` points when the value reaches the cap, none below.
    AtLeast,
    /// Counts against: `weight × min(value, cap) / cap` points taken off, rounded down.
    Against,
    /// No points; a value below the cap means no stars at all (a condition of the award).
    Required,
}

crate::error::named_enum!(CriterionMode, "criterion mode", {
    Scaled => "scaled",
    AtLeast => "at_least",
    Against => "against",
    Required => "required",
});

/// One line of a scoring table: what is measured, how, its weight and its cap.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct Criterion {
    /// The cap, in the metric's unit (see [`TeamMetric`]).
    pub cap: i32,
    /// What is measured.
    pub metric: TeamMetric,
    /// How it scores.
    pub mode: CriterionMode,
    /// Its points (0 for a `required` criterion).
    pub weight: i32,
}

impl Criterion {
    /// A criterion: what it measures, how it scores, its weight and its cap.
    pub const fn new(metric: TeamMetric, mode: CriterionMode, weight: i32, cap: i32) -> Self {
        Self {
            cap,
            metric,
            mode,
            weight,
        }
    }
}

/// A published team scoring table (评分表): criteria whose points add up to 100, and the scores
/// at which each star level is reached. Profiles: `district` (the default: activity
/// regularity, service time, reach and quality) and `pvsa_group` (the US President's Volunteer
/// Service Award for groups: 200/500/1000 h with every member at least 25 h), which shows that
/// award rules used elsewhere are data for the same engine.
///
/// ```
/// use volunteer_ledger::{TeamFacts, TeamScoring, rate_team};
/// let facts = TeamFacts { months_active: 12, first_saturday_months: 12, total_minutes: 600 * 60,
///     members: 20, active_members: 20, min_member_minutes: 30 * 60, evaluations: 10,
///     evaluation_points: 50, complaints: 0 };
/// let r = rate_team(&TeamScoring::district(), &facts);
/// assert_eq!((r.score, r.stars), (100, 5));
/// let g = rate_team(&TeamScoring::pvsa_group(), &facts);
/// assert_eq!((g.stars, g.level_name.as_deref()), (2, Some("silver")));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct TeamScoring {
    /// The criteria, in the order the breakdown lists them.
    pub criteria: Vec<Criterion>,
    /// Optional names of the levels (`bronze`, `silver`, `gold`), one per threshold.
    pub level_names: Vec<String>,
    /// The table's name (`district`, `pvsa_group` …).
    pub name: String,
    /// The score (0–100) each star level needs, strictly increasing: the first is 1 star.
    pub star_thresholds: Vec<i32>,
}

impl Default for TeamScoring {
    fn default() -> Self {
        Self::district()
    }
}

impl TeamScoring {
    /// The district's table: regularity 35, service time 25, reach 20, quality 20 points;
    /// complaints take up to 20 off; 30/45/60/75/90 points for 1–5 stars.
    pub fn district() -> Self {
        use CriterionMode::{Against, Scaled};
        use TeamMetric as M;
        let c = Criterion::new;
        Self {
            name: "district".into(),
            criteria: vec![
                c(M::MonthsActive, Scaled, 20, 12),
                c(M::FirstSaturdayMonths, Scaled, 15, 12),
                c(M::TotalHours, Scaled, 15, 500),
                c(M::HoursPerActiveMember, Scaled, 10, 20),
                c(M::ActiveMembers, Scaled, 10, 20),
                c(M::ActiveShare, Scaled, 10, 80),
                c(M::AverageEvaluation, Scaled, 20, 45),
                c(M::Complaints, Against, 20, 5),
            ],
            star_thresholds: vec![30, 45, 60, 75, 90],
            level_names: Vec::new(),
        }
    }

    /// PVSA group awards: bronze 200 h, silver 500 h, gold 1000 h in the year, each only if
    /// every member served at least 25 h.
    pub fn pvsa_group() -> Self {
        use CriterionMode::{AtLeast, Required};
        use TeamMetric as M;
        let c = Criterion::new;
        Self {
            name: "pvsa_group".into(),
            criteria: vec![
                c(M::MinMemberHours, Required, 0, 25),
                c(M::TotalHours, AtLeast, 34, 200),
                c(M::TotalHours, AtLeast, 33, 500),
                c(M::TotalHours, AtLeast, 33, 1000),
            ],
            star_thresholds: vec![34, 67, 100],
            level_names: vec!["bronze".into(), "silver".into(), "gold".into()],
        }
    }

    /// The names of the built-in tables.
    pub const PROFILES: &'static [&'static str] = &["district", "pvsa_group"];

    /// A built-in table by name.
    pub fn profile(name: &str) -> Result<Self> {
        match name {
            "district" => Ok(Self::district()),
            "pvsa_group" => Ok(Self::pvsa_group()),
            _ => Err(LedgerError::Policy {
                detail: format!(
                    "no team scoring table named '{name}'; known: {}",
                    Self::PROFILES.join(", ")
                ),
            }),
        }
    }

    /// Whether this is the default table (so that a policy holding it writes nothing for it).
    pub fn is_default(&self) -> bool {
        *self == Self::default()
    }

    /// Checks the table: 1–20 criteria, caps above zero, the points of the criteria that add
    /// (scaled, at least) summing to 100, `required` criteria weighing nothing, 1–10 strictly
    /// increasing thresholds within 1–100, and as many level names as thresholds (or none).
    pub fn validate(&self) -> Result<()> {
        let bad = |d: String| {
            Err(LedgerError::Policy {
                detail: format!("team_rating: {d}"),
            })
        };
        if self.name.trim().is_empty() {
            return bad("name is empty".into());
        }
        if self.criteria.is_empty() || self.criteria.len() > 20 {
            return bad("criteria must hold 1 to 20 criteria".into());
        }
        let mut adding = 0u64;
        for c in &self.criteria {
            if c.cap <= 0 {
                return bad(format!("the cap of {} is not above zero", c.metric));
            }
            if !(0..=100).contains(&c.weight) {
                return bad(format!("the weight of {} is not within 0–100", c.metric));
            }
            match c.mode {
                CriterionMode::Required if c.weight != 0 => {
                    return bad(format!("required criterion {} must weigh 0", c.metric));
                }
                CriterionMode::Scaled | CriterionMode::AtLeast => adding += count(c.weight),
                _ => {}
            }
        }
        if adding != 100 {
            return bad(format!(
                "the scaled and at_least weights add up to {adding}, not 100"
            ));
        }
        let t = &self.star_thresholds;
        if t.is_empty() || t.len() > 10 {
            return bad("star_thresholds must hold 1 to 10 levels".into());
        }
        if t.first().is_some_and(|x| *x <= 0)
            || t.iter().any(|x| *x > 100)
            || t.windows(2).any(|w| w.first() >= w.get(1))
        {
            return bad("star_thresholds must lie within 1–100, strictly increasing".into());
        }
        if !self.level_names.is_empty() && self.level_names.len() != t.len() {
            return bad("level_names must name every level, or none".into());
        }
        Ok(())
    }
}

/// What a team did in a year, as the scoring measures it. The ledger's `team_rating` gathers
/// these; given directly, they rate a team without a ledger.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(frozen, get_all, eq, module = "volunteer_ledger", name = "TeamFacts")
)]
pub struct TeamFacts {
    /// Members with counted service in the team's activities in the year.
    pub active_members: i32,
    /// Complaints about the team's activities of the year.
    pub complaints: i32,
    /// Evaluations of the team's activities of the year.
    pub evaluations: i32,
    /// The sum of their scores (1–5 each).
    pub evaluation_points: i32,
    /// Months with a held activity on the month's first Saturday.
    pub first_saturday_months: i32,
    /// Members at any time of the year.
    pub members: i32,
    /// The fewest minutes any member of the year served with the team (0 without members).
    pub min_member_minutes: i64,
    /// Months with at least one held activity.
    pub months_active: i32,
    /// Counted minutes of members in the team's activities.
    pub total_minutes: i64,
}

impl TeamFacts {
    /// The measure of a metric in the unit its cap is compared in, scaled so that no
    /// fraction is lost: minutes for hours (the cap × 60), tenths for evaluations, percent
    /// for shares. Returns (value, cap in the same unit).
    fn measure(&self, metric: TeamMetric, cap: i32) -> (u64, u64) {
        let cap = count(cap);
        let per = |a: u64, b: i32| a.checked_div(count(b)).unwrap_or(0);
        match metric {
            TeamMetric::MonthsActive => (count(self.months_active), cap),
            TeamMetric::FirstSaturdayMonths => (count(self.first_saturday_months), cap),
            TeamMetric::TotalHours => (count(self.total_minutes), cap * 60),
            TeamMetric::HoursPerActiveMember => (
                per(count(self.total_minutes), self.active_members),
                cap * 60,
            ),
            TeamMetric::ActiveMembers => (count(self.active_members), cap),
            TeamMetric::ActiveShare => (per(count(self.active_members) * 100, self.members), cap),
            TeamMetric::AverageEvaluation => (
                per(count(self.evaluation_points) * 10, self.evaluations),
                cap,
            ),
            TeamMetric::Complaints => (count(self.complaints), cap),
            TeamMetric::MinMemberHours => (count(self.min_member_minutes), cap * 60),
        }
    }

    /// Checks that no fact is negative (they are signed for the bindings' Java callers):
    /// `E_FIELD` naming the first that is. Facts from [`crate::Ledger::team_facts`] always
    /// pass; [`rate_team`] counts a negative fact as zero.
    pub fn validate(&self) -> Result<()> {
        let signed = [
            ("active_members", i64::from(self.active_members)),
            ("complaints", i64::from(self.complaints)),
            ("evaluations", i64::from(self.evaluations)),
            ("evaluation_points", i64::from(self.evaluation_points)),
            (
                "first_saturday_months",
                i64::from(self.first_saturday_months),
            ),
            ("members", i64::from(self.members)),
            ("min_member_minutes", self.min_member_minutes),
            ("months_active", i64::from(self.months_active)),
            ("total_minutes", self.total_minutes),
        ];
        match signed.iter().find(|(_, v)| *v < 0) {
            Some((field, v)) => Err(crate::error::invalid_field(
                "team facts",
                field,
                format!("{v} is negative"),
            )),
            None => Ok(()),
        }
    }
}

/// One criterion of a rating, with its measure, points and the words a team leader reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(
        frozen,
        get_all,
        eq,
        module = "volunteer_ledger",
        name = "CriterionLine"
    )
)]
pub struct CriterionLine {
    /// What was measured.
    pub metric: TeamMetric,
    /// How it scored.
    pub mode: CriterionMode,
    /// The measure, in the metric's counting unit (minutes for hours, tenths for evaluations,
    /// percent for shares).
    pub value: i64,
    /// The cap in the same unit.
    pub target: i64,
    /// Points gained (negative when taken off).
    pub points: i32,
    /// Points available (for `against`: the most taken off).
    pub weight: i32,
    /// For `at_least` and `required`: whether the cap was reached; otherwise whether the
    /// criterion is at its best (full points, or nothing taken off).
    pub met: bool,
    /// In English.
    pub text_en: String,
    /// In Chinese.
    pub text_zh: String,
}

/// A team's score by a table: out of 100, the stars it earns, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(frozen, get_all, eq, module = "volunteer_ledger", name = "TeamScore")
)]
pub struct TeamScore {
    /// The table used.
    pub scoring: String,
    /// Points out of 100.
    pub score: i32,
    /// Stars earned (0 below the first threshold or when a required criterion is not met).
    pub stars: i32,
    /// The level's name, when the table names its levels.
    pub level_name: Option<String>,
    /// Every criterion, in the table's order.
    pub lines: Vec<CriterionLine>,
    /// One sentence, in English.
    pub summary_en: String,
    /// One sentence, in Chinese.
    pub summary_zh: String,
}

/// Hours with one decimal, rounded down, from minutes (no floats).
pub(crate) fn hours_text(minutes: u64) -> String {
    format!("{}.{}", minutes / 60, minutes % 60 / 6)
}

/// The measure in words (English, Chinese).
fn measure_text(metric: TeamMetric, value: u64, facts: &TeamFacts) -> (String, String) {
    match metric {
        TeamMetric::MonthsActive => (
            format!("months with an activity: {value} of 12"),
            format!("有活动的月份：{value} 个月（共 12 个月）"),
        ),
        TeamMetric::FirstSaturdayMonths => (
            format!("months with an activity on the first Saturday (monthly service day): {value}"),
            format!("每月第一个星期六（集中服务日）有活动的月份：{value} 个月"),
        ),
        TeamMetric::TotalHours => (
            format!("total service hours of members: {} h", hours_text(value)),
            format!("队员服务总时长：{} 小时", hours_text(value)),
        ),
        TeamMetric::HoursPerActiveMember => (
            format!("hours per active member: {} h", hours_text(value)),
            format!("活跃队员人均服务时长：{} 小时", hours_text(value)),
        ),
        TeamMetric::ActiveMembers => (
            format!("active members: {value}"),
            format!("活跃队员：{value} 人"),
        ),
        TeamMetric::ActiveShare => (
            format!(
                "members active: {value}% ({} of {})",
                facts.active_members, facts.members
            ),
            format!(
                "活跃队员占比：{value}%（{}/{} 人）",
                facts.active_members, facts.members
            ),
        ),
        TeamMetric::AverageEvaluation if facts.evaluations == 0 => {
            ("no evaluations yet".into(), "暂无评价".into())
        }
        TeamMetric::AverageEvaluation => (
            format!(
                "average evaluation: {}.{} of 5 ({} evaluations)",
                value / 10,
                value % 10,
                facts.evaluations
            ),
            format!(
                "平均评价：{}.{} 分（满分 5 分，共 {} 条）",
                value / 10,
                value % 10,
                facts.evaluations
            ),
        ),
        TeamMetric::Complaints => (format!("complaints: {value}"), format!("投诉：{value} 件")),
        TeamMetric::MinMemberHours => (
            format!("fewest hours of any member: {} h", hours_text(value)),
            format!("队员最少服务时长：{} 小时", hours_text(value)),
        ),
    }
}

/// The cap in words (English, Chinese).
fn cap_text(metric: TeamMetric, cap: i32) -> (String, String) {
    match metric {
        TeamMetric::MonthsActive | TeamMetric::FirstSaturdayMonths => {
            (format!("{cap} months"), format!("{cap} 个月"))
        }
        TeamMetric::TotalHours | TeamMetric::HoursPerActiveMember | TeamMetric::MinMemberHours => {
            (format!("{cap} h"), format!("{cap} 小时"))
        }
        TeamMetric::ActiveMembers => (format!("{cap} members"), format!("{cap} 人")),
        TeamMetric::ActiveShare => (format!("{cap}%"), format!("{cap}%")),
        TeamMetric::AverageEvaluation => (
            format!("{}.{}", cap / 10, cap % 10),
            format!("{}.{} 分", cap / 10, cap % 10),
        ),
        TeamMetric::Complaints => (format!("{cap} complaints"), format!("{cap} 件")),
    }
}

/// [`rate_team`] for a table and facts that come from outside the ledger (a binding's caller):
/// refuses a malformed table (`E_POLICY`) or a negative fact (`E_FIELD`) before rating.
pub fn rate_team_checked(table: &TeamScoring, facts: &TeamFacts) -> Result<TeamScore> {
    table.validate()?;
    facts.validate()?;
    Ok(rate_team(table, facts))
}

/// Rates a team's year by a scoring table: each criterion's points, the score (clamped to
/// 0–100), the stars, and every line in words. A pure function: the shared vectors
/// (`tests/vectors/team_rating.json`) pin it for every language.
pub fn rate_team(table: &TeamScoring, facts: &TeamFacts) -> TeamScore {
    let mut total: i64 = 0;
    let mut required_met = true;
    let mut lines = Vec::with_capacity(table.criteria.len());
    for c in &table.criteria {
        let (line, points, reached) = criterion_line(c, facts);
        if c.mode == CriterionMode::Required && !reached {
            required_met = false;
        }
        total += points;
        lines.push(line);
    }
    let score = u32::try_from(total.clamp(0, 100)).unwrap_or(0);
    let stars = if required_met {
        u8::try_from(
            table
                .star_thresholds
                .iter()
                .filter(|t| i64::from(**t) <= i64::from(score))
                .count(),
        )
        .unwrap_or(u8::MAX)
    } else {
        0
    };
    let level_name = usize::from(stars)
        .checked_sub(1)
        .and_then(|i| table.level_names.get(i))
        .cloned();
    let (summary_en, summary_zh) =
        summary_text(table, score, stars, required_met, level_name.as_deref());
    TeamScore {
        scoring: table.name.clone(),
        score: i32::try_from(score).unwrap_or(i32::MAX),
        stars: i32::from(stars),
        level_name,
        lines,
        summary_en,
        summary_zh,
    }
}

/// Scores one criterion: its line, its points (negative when taken off) and whether its cap
/// was reached.
fn criterion_line(c: &Criterion, facts: &TeamFacts) -> (CriterionLine, i64, bool) {
    let (value, target) = facts.measure(c.metric, c.cap);
    let reached = target > 0 && value >= target;
    let share = |w: i32| -> i64 {
        (count(w) * value.min(target))
            .checked_div(target)
            .and_then(|x| i64::try_from(x).ok())
            .unwrap_or(0)
    };
    let points = match c.mode {
        CriterionMode::Scaled => share(c.weight),
        CriterionMode::AtLeast if reached => i64::from(c.weight),
        CriterionMode::AtLeast | CriterionMode::Required => 0,
        CriterionMode::Against => -share(c.weight),
    };
    let met = match c.mode {
        CriterionMode::Scaled => points == i64::from(c.weight),
        CriterionMode::AtLeast | CriterionMode::Required => reached,
        CriterionMode::Against => points == 0,
    };
    let (m_en, m_zh) = measure_text(c.metric, value, facts);
    let (r_en, r_zh) = points_text(c, points, reached);
    let line = CriterionLine {
        metric: c.metric,
        mode: c.mode,
        value: crate::error::signed(value),
        target: crate::error::signed(target),
        points: i32::try_from(points).unwrap_or(0),
        weight: c.weight,
        met,
        text_en: format!("{m_en} — {r_en}"),
        text_zh: format!("{m_zh}——{r_zh}"),
    };
    (line, points, reached)
}

/// What a criterion's points are, in words (English, Chinese).
fn points_text(c: &Criterion, points: i64, reached: bool) -> (String, String) {
    let (c_en, c_zh) = cap_text(c.metric, c.cap);
    let w = c.weight;
    match c.mode {
        CriterionMode::Scaled => (
            format!("{points} of {w} points (full marks at {c_en})"),
            format!("得 {points} 分（满分 {w} 分，{c_zh}即满分）"),
        ),
        CriterionMode::AtLeast if reached => (
            format!("{c_en} reached: {w} points"),
            format!("达到 {c_zh}：得 {w} 分"),
        ),
        CriterionMode::AtLeast => (
            format!("below {c_en}: 0 of {w} points"),
            format!("未达到 {c_zh}：0 分（满分 {w} 分）"),
        ),
        CriterionMode::Against => (
            format!("{} points off (at most {w}, at {c_en})", -points),
            format!("扣 {} 分（{c_zh}及以上扣 {w} 分）", -points),
        ),
        CriterionMode::Required if reached => (
            format!("requirement of {c_en} met"),
            format!("达到 {c_zh}的要求"),
        ),
        CriterionMode::Required => (
            format!("requirement of {c_en} not met: no stars"),
            format!("未达到 {c_zh}的要求：不予评星"),
        ),
    }
}

/// The rating in one sentence (English, Chinese): the score, and the stars or why there are
/// none.
fn summary_text(
    table: &TeamScoring,
    score: u32,
    stars: u8,
    required_met: bool,
    level_name: Option<&str>,
) -> (String, String) {
    let named = level_name.map(|n| format!(" ({n})")).unwrap_or_default();
    let named_zh = level_name.map(|n| format!("（{n}）")).unwrap_or_default();
    match (stars, required_met) {
        (0, false) => (
            format!("{score} of 100 points, but a requirement is not met: no stars"),
            format!("得分 {score}（满分 100），但未达到评定要求：不予评星"),
        ),
        (0, true) => (
            format!(
                "{score} of 100 points: below the {} points of one star",
                table.star_thresholds.first().copied().unwrap_or(0)
            ),
            format!(
                "得分 {score}（满分 100），未达到一星所需的 {} 分",
                table.star_thresholds.first().copied().unwrap_or(0)
            ),
        ),
        (s, _) => (
            format!(
                "{score} of 100 points: {s} star{}{named}",
                if s == 1 { "" } else { "s" }
            ),
            format!("得分 {score}（满分 100）：{s} 星级{named_zh}"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_tables_are_valid_and_bad_ones_are_refused() {
        for name in TeamScoring::PROFILES {
            TeamScoring::profile(name).unwrap().validate().unwrap();
        }
        let mut t = TeamScoring::district();
        t.criteria[0].weight = 19;
        assert_eq!(t.validate().unwrap_err().code(), "E_POLICY");
        let mut t = TeamScoring::pvsa_group();
        t.criteria[0].weight = 1;
        assert!(t.validate().is_err());
        let mut t = TeamScoring::district();
        t.star_thresholds = vec![50, 40];
        assert!(t.validate().is_err());
        assert!(TeamScoring::profile("nowhere").is_err());
    }

    #[test]
    fn a_required_criterion_not_met_leaves_no_stars() {
        let facts = TeamFacts {
            members: 3,
            active_members: 3,
            total_minutes: 1200 * 60,
            min_member_minutes: 24 * 60,
            ..TeamFacts::default()
        };
        let r = rate_team(&TeamScoring::pvsa_group(), &facts);
        assert_eq!((r.score, r.stars, r.level_name), (100, 0, None));
        assert!(!r.lines[0].met);
        let r = rate_team(
            &TeamScoring::pvsa_group(),
            &TeamFacts {
                min_member_minutes: 25 * 60,
                ..facts
            },
        );
        assert_eq!((r.stars, r.level_name.as_deref()), (3, Some("gold")));
    }

    #[test]
    fn complaints_take_points_off_down_to_zero() {
        let facts = TeamFacts {
            complaints: 9,
            months_active: 1,
            ..TeamFacts::default()
        };
        let r = rate_team(&TeamScoring::district(), &facts);
        // 1 month of 12 scores 20 × 1 / 12 = 1 point; 9 complaints (cap 5) take 20 off.
        assert_eq!(r.lines[0].points, 1);
        assert_eq!(r.lines[7].points, -20);
        assert_eq!((r.score, r.stars), (0, 0));
    }
}
