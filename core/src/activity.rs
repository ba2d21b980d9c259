//! Teams' members over time, service projects (服务项目), activities (活动) with their
//! evaluations and complaints, training (培训) and commendations (表彰奖励), reporting in
//! (报到): the data these add to a volunteer's record and a team's year. The rules that use
//! them live on the [`crate::Ledger`]; the log bodies here declare their fields in sorted
//! order, as every log body does (`docs/log-format.md`).

use crate::ids::{
    ActivityId, ActorId, CommendationId, OrgId, ProjectId, RecordId, TeamId, TrainingId,
    VolunteerId,
};
use crate::org::VolunteerView;
use crate::rating::StarSummary;
use crate::team_rating::{TeamFacts, TeamScore};
use crate::time::Timestamp;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A volunteer joins or leaves a team on a date (the body of `team_member_joined` and
/// `team_member_left`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Membership {
    /// The local date it takes effect (joining: the first day in; leaving: the last day in).
    pub date: NaiveDate,
    /// The team.
    pub team: TeamId,
    /// The volunteer.
    pub volunteer: VolunteerId,
}

/// One stretch of a volunteer's membership of a team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(
        frozen,
        get_all,
        eq,
        module = "volunteer_ledger",
        name = "MemberPeriod"
    )
)]
pub struct MemberPeriod {
    /// The volunteer.
    pub volunteer: VolunteerId,
    /// The first day in the team.
    pub joined: NaiveDate,
    /// The last day in the team, if they have left.
    pub left: Option<NaiveDate>,
}

/// A service project (服务项目) an org publishes, for a team to claim (认领项目).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewProject {
    /// Its category (助老, 环保, 文明引导 …).
    pub category: String,
    /// Its id.
    pub id: ProjectId,
    /// Its name.
    pub name: String,
    /// The org that publishes it.
    pub org: OrgId,
}

/// A team claims a project: the project's activities from then on belong to the team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ProjectClaim {
    /// The project.
    pub project: ProjectId,
    /// The team claiming it.
    pub team: TeamId,
}

/// A project as queries return it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(frozen, eq, module = "volunteer_ledger", name = "Project")
)]
pub struct ProjectView {
    /// The project as published.
    pub project: NewProject,
    /// The team that claimed it, if any.
    pub claimed_by: Option<TeamId>,
}

/// An activity (活动) to create: an org's, optionally a team's and a project's, with a planned
/// start and end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct NewActivity {
    /// The planned end.
    pub end: Timestamp,
    /// Its id (records name it).
    pub id: ActivityId,
    /// Its name.
    pub name: String,
    /// The organising org.
    pub org: OrgId,
    /// The service project it belongs to, if any.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub project: Option<ProjectId>,
    /// The planned start.
    pub start: Timestamp,
    /// The organising team, if any (for a claimed project's activity: the claiming team,
    /// given or not).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub team: Option<TeamId>,
}

/// Who gave an evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum EvaluationSource {
    /// The people served (服务对象), as the org collected it.
    Recipient,
    /// The organising org itself.
    Org,
}

crate::error::named_enum!(EvaluationSource, "evaluation source", {
    Recipient => "recipient",
    Org => "org",
});

/// An evaluation of an activity, 1 to 5.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Evaluation {
    /// The activity.
    pub activity: ActivityId,
    /// 1 (poor) to 5 (excellent).
    pub score: i32,
    /// Who gave it.
    pub source: EvaluationSource,
}

/// A complaint about an activity, and, when it names one, about a volunteer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Complaint {
    /// The activity.
    pub activity: ActivityId,
    /// What it says (no names: the volunteer is named by number).
    pub reason: String,
    /// The volunteer it is about, if any.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub volunteer: Option<VolunteerId>,
}

/// An activity as queries return it: its team as resolved, its records and what recipients
/// and the org thought of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ActivityView {
    /// The activity (its `team` is the team it belongs to, a claimed project's included).
    pub activity: NewActivity,
    /// The project's category, if it has a project.
    pub category: Option<String>,
    /// Its records, in every state, in the order they were added.
    pub records: Vec<RecordId>,
    /// Counted minutes of its records.
    pub counted_minutes: i64,
    /// How many evaluations it has.
    pub evaluations: i32,
    /// Their average in tenths (45 is 4.5), if any.
    pub average_evaluation_tenths: Option<i32>,
    /// How many complaints it has.
    pub complaints: i32,
}

/// A training session a volunteer attended (培训情况): recorded like service, by the org that
/// ran it; it is not service and adds no service hours.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(frozen, get_all, eq, module = "volunteer_ledger", name = "Training")
)]
pub struct Training {
    /// The local date.
    pub date: NaiveDate,
    /// Its id.
    pub id: TrainingId,
    /// Its length in minutes.
    pub minutes: i32,
    /// The org that ran it.
    pub org: OrgId,
    /// What it was.
    pub title: String,
    /// Who attended.
    pub volunteer: VolunteerId,
}

/// A commendation a volunteer received (表彰奖励), recorded by an admin of the awarding org.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(
        frozen,
        get_all,
        eq,
        module = "volunteer_ledger",
        name = "Commendation"
    )
)]
pub struct Commendation {
    /// The local date of the award.
    pub date: NaiveDate,
    /// Its id.
    pub id: CommendationId,
    /// The awarding org.
    pub org: OrgId,
    /// What it was (`2015年度优秀志愿者`).
    pub title: String,
    /// Who received it.
    pub volunteer: VolunteerId,
}

/// A volunteer reports in (报到) at their residential community from their work unit: both
/// manage them from then on (双向管理).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ReportIn {
    /// The community reported to.
    pub community: OrgId,
    /// The local date.
    pub date: NaiveDate,
    /// The volunteer.
    pub volunteer: VolunteerId,
    /// Their work unit.
    pub work_unit: OrgId,
}

/// The whole of a volunteer's record as the Ministry's rules define it: basic information,
/// service, training, commendations, evaluations and complaints received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(
        frozen,
        get_all,
        eq,
        module = "volunteer_ledger",
        name = "VolunteerSummary"
    )
)]
pub struct VolunteerSummary {
    /// Basic information, masked, with total minutes.
    pub volunteer: VolunteerView,
    /// Star level and progress.
    pub stars: StarSummary,
    /// Training attended, oldest first.
    pub training: Vec<Training>,
    /// Commendations received, oldest first.
    pub commendations: Vec<Commendation>,
    /// Evaluations of the activities they served in (with a counted record).
    pub evaluations: i32,
    /// Their average in tenths, if any.
    pub average_evaluation_tenths: Option<i32>,
    /// Complaints that name them.
    pub complaints_received: i32,
    /// The teams they are in now.
    pub teams: Vec<TeamId>,
    /// The community they reported in at, if they did.
    pub reported_in: Option<OrgId>,
}

/// A team's rating for a year: the facts gathered from the ledger and the score by a table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(frozen, get_all, eq, module = "volunteer_ledger", name = "TeamRating")
)]
pub struct TeamRating {
    /// The team.
    pub team: TeamId,
    /// Its name.
    pub team_name: String,
    /// The rating year.
    pub year: i32,
    /// What the team did.
    pub facts: TeamFacts,
    /// The score, stars and breakdown.
    pub score: TeamScore,
}

/// An excellent-volunteer candidate (优秀志愿者候选人) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(
        frozen,
        get_all,
        eq,
        module = "volunteer_ledger",
        name = "ExcellentCandidate"
    )
)]
pub struct ExcellentCandidate {
    /// The volunteer.
    pub volunteer: VolunteerId,
    /// Their masked name.
    pub masked_name: String,
    /// The street of their home org, if it lies under one.
    pub street: Option<OrgId>,
    /// Counted minutes in the year.
    pub year_minutes: i64,
    /// Stars held at the end of the year.
    pub star_level: i32,
    /// Their place in the street by minutes in the year (competition ranking).
    pub rank_in_street: i32,
    /// Why, in English.
    pub reason_en: String,
    /// Why, in Chinese.
    pub reason_zh: String,
}

/// One of a work unit's staff in the unit's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(
        frozen,
        get_all,
        eq,
        module = "volunteer_ledger",
        name = "UnitStaffLine"
    )
)]
pub struct UnitStaffLine {
    /// The volunteer.
    pub volunteer: VolunteerId,
    /// Their masked name.
    pub masked_name: String,
    /// Counted minutes in the period (0 for those who served none).
    pub minutes: i64,
    /// Their star level now.
    pub star_level: i32,
    /// The community they reported in at, if any.
    pub community: Option<OrgId>,
    /// Its name.
    pub community_name: Option<String>,
}

/// A work unit's report of its staff's service for a period (双向管理).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(frozen, get_all, eq, module = "volunteer_ledger", name = "UnitReport")
)]
pub struct UnitReport {
    /// The unit.
    pub unit: OrgId,
    /// The period, as written (`2015`, `2015-06` …).
    pub period: String,
    /// Every staff member, by volunteer number; those with no service included.
    pub staff: Vec<UnitStaffLine>,
    /// How many of them served in the period.
    pub served: i32,
    /// Their minutes together.
    pub total_minutes: i64,
}

/// A volunteer as their community sees them: living there, or reported in there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(
        frozen,
        get_all,
        eq,
        module = "volunteer_ledger",
        name = "CommunityVolunteer"
    )
)]
pub struct CommunityVolunteer {
    /// The volunteer.
    pub volunteer: VolunteerId,
    /// Their masked name.
    pub masked_name: String,
    /// Their work unit, if any.
    pub work_unit: Option<OrgId>,
    /// Whether they are here because they reported in (报到) rather than by home org.
    pub reported_in: bool,
}

/// What an anomaly flag is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum AnomalyKind {
    /// A volunteer's day holds more minutes than the policy flags.
    DayMinutes,
    /// One actor entered many records in a short time.
    Burst,
    /// A record was entered long after its service.
    LateEntry,
    /// An actor recorded service for themselves.
    SelfRecorded,
}

crate::error::named_enum!(AnomalyKind, "anomaly kind", {
    DayMinutes => "day_minutes",
    Burst => "burst",
    LateEntry => "late_entry",
    SelfRecorded => "self_recorded",
});

/// A flag for a person to look at: not a refusal (the record stands until someone revokes it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(frozen, get_all, eq, module = "volunteer_ledger", name = "Anomaly")
)]
pub struct Anomaly {
    /// What kind.
    pub kind: AnomalyKind,
    /// The record it points at (for a burst: the first of the burst).
    pub record: Option<RecordId>,
    /// The volunteer concerned, if one.
    pub volunteer: Option<VolunteerId>,
    /// The actor concerned, if one.
    pub actor: Option<ActorId>,
    /// The local day concerned.
    pub day: NaiveDate,
    /// Why, in English (ids and numbers only, no names).
    pub reason_en: String,
    /// Why, in Chinese.
    pub reason_zh: String,
}
