//! Teams over time, projects, activities, training, commendations and reporting in, and the
//! views of them: a volunteer's summary, a unit's report, a community's volunteers, anomalies.

use super::PyLedger;
use crate::community::Activity;
use crate::conversions::{Int, opt_id, timestamp};
use pyo3::prelude::*;
use volunteer_ledger as vl;

#[pymethods]
impl PyLedger {
    /// Records that a volunteer joined a team on a day (a date, or a datetime's local day).
    #[pyo3(signature = (actor, *, team, volunteer, date))]
    fn join_team(
        &self,
        py: Python<'_>,
        actor: String,
        team: String,
        volunteer: String,
        date: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let m = self.membership(py, team, volunteer, date)?;
        let actor = Self::actor(py, &actor)?;
        self.run(py, move |l| l.join_team(&actor, m))
    }

    /// Records that a volunteer left a team on a day.
    #[pyo3(signature = (actor, *, team, volunteer, date))]
    fn leave_team(
        &self,
        py: Python<'_>,
        actor: String,
        team: String,
        volunteer: String,
        date: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let m = self.membership(py, team, volunteer, date)?;
        let actor = Self::actor(py, &actor)?;
        self.run(py, move |l| l.leave_team(&actor, m))
    }

    /// A team's members over time, each with the day they joined and (if so) left.
    fn team_members(&self, py: Python<'_>, team: String) -> PyResult<Vec<vl::MemberPeriod>> {
        self.run(py, move |l| l.team_members(&team.parse()?))
    }

    /// Publishes a service project (服务项目) of an org.
    #[pyo3(signature = (actor, *, id, org, name, category))]
    fn publish_project(
        &self,
        py: Python<'_>,
        actor: String,
        id: String,
        org: String,
        name: String,
        category: String,
    ) -> PyResult<()> {
        let actor = Self::actor(py, &actor)?;
        self.run(py, move |l| {
            let project = vl::NewProject {
                category,
                id: id.parse()?,
                name,
                org: org.parse()?,
            };
            l.publish_project(&actor, project)
        })
    }

    /// A team claims a published project (认领).
    #[pyo3(signature = (actor, *, project, team))]
    fn claim_project(
        &self,
        py: Python<'_>,
        actor: String,
        project: String,
        team: String,
    ) -> PyResult<()> {
        let actor = Self::actor(py, &actor)?;
        self.run(py, move |l| {
            let claim = vl::ProjectClaim {
                project: project.parse()?,
                team: team.parse()?,
            };
            l.claim_project(&actor, claim)
        })
    }

    /// A project, and the team that claimed it.
    fn project(&self, py: Python<'_>, id: String) -> PyResult<vl::ProjectView> {
        self.run(py, move |l| l.project(&id.parse()?))
    }

    /// Creates an activity (活动) of an org, optionally of a team and a project.
    #[pyo3(signature = (actor, *, id, org, name, start, end, team = None, project = None))]
    #[allow(clippy::too_many_arguments)]
    fn create_activity(
        &self,
        py: Python<'_>,
        actor: String,
        id: String,
        org: String,
        name: String,
        start: &Bound<'_, PyAny>,
        end: &Bound<'_, PyAny>,
        team: Option<String>,
        project: Option<String>,
    ) -> PyResult<()> {
        let actor = Self::actor(py, &actor)?;
        let start = timestamp(start, self.off, "start")?;
        let end = timestamp(end, self.off, "end")?;
        self.run(py, move |l| {
            let activity = vl::NewActivity {
                end,
                id: id.parse()?,
                name,
                org: org.parse()?,
                project: opt_id(project)?,
                start,
                team: opt_id(team)?,
            };
            l.create_activity(&actor, activity)
        })
    }

    /// Records an evaluation of an activity, `score` 1 to 5, `source` 'recipient' (the people
    /// served) or 'org'.
    #[pyo3(signature = (actor, *, activity, score, source = String::from("recipient")))]
    fn evaluate_activity(
        &self,
        py: Python<'_>,
        actor: String,
        activity: String,
        score: Int,
        source: String,
    ) -> PyResult<()> {
        let actor = Self::actor(py, &actor)?;
        self.run(py, move |l| {
            let evaluation = vl::Evaluation {
                activity: activity.parse()?,
                score: score.saturating(),
                source: vl::EvaluationSource::parse(&source)?,
            };
            l.evaluate_activity(&actor, evaluation)
        })
    }

    /// Records a complaint against an activity, naming a volunteer or not.
    #[pyo3(signature = (actor, *, activity, reason, volunteer = None))]
    fn record_complaint(
        &self,
        py: Python<'_>,
        actor: String,
        activity: String,
        reason: String,
        volunteer: Option<String>,
    ) -> PyResult<()> {
        let actor = Self::actor(py, &actor)?;
        self.run(py, move |l| {
            let complaint = vl::Complaint {
                activity: activity.parse()?,
                reason,
                volunteer: opt_id(volunteer)?,
            };
            l.record_complaint(&actor, complaint)
        })
    }

    /// An activity: what was planned, its records, evaluations and complaints.
    fn activity(&self, py: Python<'_>, id: String) -> PyResult<Activity> {
        let a = self.run(py, move |l| l.activity(&id.parse()?))?;
        Ok(Activity::new(a, self.off))
    }

    /// Records a training (培训) a volunteer attended (not service time).
    #[pyo3(signature = (actor, *, id, volunteer, org, title, date, minutes))]
    #[allow(clippy::too_many_arguments)]
    fn record_training(
        &self,
        py: Python<'_>,
        actor: String,
        id: String,
        volunteer: String,
        org: String,
        title: String,
        date: &Bound<'_, PyAny>,
        minutes: Int,
    ) -> PyResult<()> {
        let actor = Self::actor(py, &actor)?;
        let date = self.local_day(date)?;
        self.run(py, move |l| {
            let training = vl::Training {
                date,
                id: id.parse()?,
                minutes: minutes.saturating(),
                org: org.parse()?,
                title,
                volunteer: volunteer.parse()?,
            };
            l.record_training(&actor, training)
        })
    }

    /// Records a commendation (表彰奖励) of a volunteer.
    #[pyo3(signature = (actor, *, id, volunteer, org, title, date))]
    #[allow(clippy::too_many_arguments)]
    fn record_commendation(
        &self,
        py: Python<'_>,
        actor: String,
        id: String,
        volunteer: String,
        org: String,
        title: String,
        date: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let actor = Self::actor(py, &actor)?;
        let date = self.local_day(date)?;
        self.run(py, move |l| {
            let commendation = vl::Commendation {
                date,
                id: id.parse()?,
                org: org.parse()?,
                title,
                volunteer: volunteer.parse()?,
            };
            l.record_commendation(&actor, commendation)
        })
    }

    /// Records that a volunteer of a work unit reported in (报到) to a community.
    #[pyo3(signature = (actor, *, volunteer, community, work_unit, date))]
    fn report_in(
        &self,
        py: Python<'_>,
        actor: String,
        volunteer: String,
        community: String,
        work_unit: String,
        date: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let actor = Self::actor(py, &actor)?;
        let date = self.local_day(date)?;
        self.run(py, move |l| {
            let report = vl::ReportIn {
                community: community.parse()?,
                date,
                volunteer: volunteer.parse()?,
                work_unit: work_unit.parse()?,
            };
            l.report_in(&actor, report)
        })
    }

    /// Everything about a volunteer's service: stars, training, commendations, evaluations.
    fn volunteer_summary(
        &self,
        py: Python<'_>,
        volunteer: String,
    ) -> PyResult<vl::VolunteerSummary> {
        self.run(py, move |l| l.volunteer_summary(&volunteer.parse()?))
    }

    /// A work unit's report of its staff's service in their communities for a period.
    fn unit_report(
        &self,
        py: Python<'_>,
        unit: String,
        period: String,
    ) -> PyResult<vl::UnitReport> {
        self.run(py, move |l| {
            l.unit_report(&unit.parse()?, vl::Period::parse(&period)?)
        })
    }

    /// The volunteers who live in, or reported in to, a community.
    fn community_volunteers(
        &self,
        py: Python<'_>,
        community: String,
    ) -> PyResult<Vec<vl::CommunityVolunteer>> {
        self.run(py, move |l| l.community_volunteers(&community.parse()?))
    }

    /// What the anti-fraud checks flag in a period, for a person to look at.
    fn anomalies(&self, py: Python<'_>, period: String) -> PyResult<Vec<vl::Anomaly>> {
        self.run(py, move |l| l.anomalies(vl::Period::parse(&period)?))
    }
}
