//! Teams over time, projects, activities, training, commendations and reporting in, and the
//! views of them: a volunteer's summary, a unit's report, a community's volunteers, anomaly
//! flags.

use vl::{
    ActivityView, Anomaly, Commendation, CommunityVolunteer, Complaint, Evaluation, MemberPeriod,
    Membership, NewActivity, NewProject, Period, ProjectClaim, ProjectView, ReportIn, Training,
    UnitReport, VolunteerSummary,
};
use volunteer_ledger as vl;

use super::Ledger;
use crate::conversions::parse;
use crate::errors::Result;

#[uniffi::export]
impl Ledger {
    /// Admits a volunteer to a team from a date (the team's leader, liaisons, or an admin of
    /// its org or above).
    pub fn join_team(&self, actor: String, membership: Membership) -> Result<()> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.join_team(&actor, membership)?)
    }

    /// Records a volunteer leaving a team; the date is their last day in it. The leader and
    /// liaisons cannot leave (`E_OFFICER_LEAVES`).
    pub fn leave_team(&self, actor: String, membership: Membership) -> Result<()> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.leave_team(&actor, membership)?)
    }

    /// A team's members over time, one line per stretch of membership.
    pub fn team_members(&self, team: String) -> Result<Vec<MemberPeriod>> {
        let team = parse(&team)?;
        Ok(self.lock()?.team_members(&team)?)
    }

    /// Publishes a service project (服务项目) of an org, for a team to claim.
    pub fn publish_project(&self, actor: String, project: NewProject) -> Result<()> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.publish_project(&actor, project)?)
    }

    /// A team claims a project (认领项目), once and for good.
    pub fn claim_project(&self, actor: String, claim: ProjectClaim) -> Result<()> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.claim_project(&actor, claim)?)
    }

    /// A project and the team that claimed it.
    pub fn project(&self, id: String) -> Result<ProjectView> {
        let id = parse(&id)?;
        Ok(self.lock()?.project(&id)?)
    }

    /// Creates an activity (活动) with its planned start and end.
    pub fn create_activity(&self, actor: String, activity: NewActivity) -> Result<()> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.create_activity(&actor, activity)?)
    }

    /// Records an evaluation (1–5) of an activity, as its org collected it.
    pub fn evaluate_activity(&self, actor: String, evaluation: Evaluation) -> Result<()> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.evaluate_activity(&actor, evaluation)?)
    }

    /// Records a complaint about an activity (and a volunteer, if it names one).
    pub fn record_complaint(&self, actor: String, complaint: Complaint) -> Result<()> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.record_complaint(&actor, complaint)?)
    }

    /// An activity: its team as resolved, its records, evaluations and complaints.
    pub fn activity(&self, id: String) -> Result<ActivityView> {
        let id = parse(&id)?;
        Ok(self.lock()?.activity(&id)?)
    }

    /// Records training (培训) a volunteer attended; it adds no service hours.
    pub fn record_training(&self, actor: String, training: Training) -> Result<()> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.record_training(&actor, training)?)
    }

    /// Records a commendation (表彰奖励) a volunteer received.
    pub fn record_commendation(&self, actor: String, commendation: Commendation) -> Result<()> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.record_commendation(&actor, commendation)?)
    }

    /// The whole of a volunteer's record: basic information, stars, training, commendations,
    /// evaluations and complaints, teams, where they reported in.
    pub fn volunteer_summary(&self, volunteer: String) -> Result<VolunteerSummary> {
        let volunteer = parse(&volunteer)?;
        Ok(self.lock()?.volunteer_summary(&volunteer)?)
    }

    /// Records a volunteer reporting in (报到) at a community from their work unit.
    pub fn report_in(&self, actor: String, report: ReportIn) -> Result<()> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.report_in(&actor, report)?)
    }

    /// A work unit's report of its staff's service in a period (`2015`, `2015-06` …).
    pub fn unit_report(&self, unit: String, period: String) -> Result<UnitReport> {
        let (unit, period) = (parse(&unit)?, parse::<Period>(&period)?);
        Ok(self.lock()?.unit_report(&unit, period)?)
    }

    /// A community's volunteers: living there, or reported in there.
    pub fn community_volunteers(&self, community: String) -> Result<Vec<CommunityVolunteer>> {
        let community = parse(&community)?;
        Ok(self.lock()?.community_volunteers(&community)?)
    }

    /// Anomaly flags of a period, for a person to look at: they refuse and change nothing.
    pub fn anomalies(&self, period: String) -> Result<Vec<Anomaly>> {
        let period: Period = parse(&period)?;
        Ok(self.lock()?.anomalies(period)?)
    }
}
