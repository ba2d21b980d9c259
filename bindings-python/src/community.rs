//! Orgs, teams and the community: orgs and teams, membership over time, projects and
//! activities, training and commendations, a volunteer's summary, a work unit's report of
//! its staff reporting in (报到), a community's volunteers, and anomalies to look at.

use crate::boards::StarSummary;
use crate::conversions::{opt_string, strings};
use crate::frames::frame_of;
use crate::records::VolunteerView;
use chrono::{DateTime, FixedOffset, NaiveDate};
use pyo3::prelude::*;
use volunteer_ledger as vl;

result_class!(
    /// An org as registered.
    Org as "Org" {
        /// The org id.
        id: String,
        /// Its name.
        name: String,
        /// district, street, community, neighbourhood, block, work_unit, volunteer_org or other.
        kind: String,
        /// The org above it, or None for a root.
        parent: Option<String>,
    }
);

result_class!(
    /// A team (服务队) as created: its leader, liaisons and members at creation (members over
    /// time: `Ledger.team_members`).
    Team as "Team" {
        /// The team id.
        id: String,
        /// The org it belongs to.
        org: String,
        /// Its name.
        name: String,
        /// The leader (队长).
        leader: String,
        /// The liaisons (联络员).
        liaisons: Vec<String>,
        /// The members listed at creation.
        members: Vec<String>,
    }
);

result_class!(
    /// A volunteer's membership of a team: when they joined and, if they did, left.
    MemberPeriod as "MemberPeriod" {
        /// The volunteer number.
        volunteer: String,
        /// The day they joined.
        joined: NaiveDate,
        /// The day they left, or None while a member.
        left: Option<NaiveDate>,
    }
);

result_class!(
    /// A service project (服务项目) an org published, and the team that claimed it.
    Project as "Project" {
        /// The project id.
        id: String,
        /// The publishing org.
        org: String,
        /// Its name.
        name: String,
        /// Its category (such as 'elderly care').
        category: String,
        /// The team that claimed it, if any.
        claimed_by: Option<String>,
    }
);

result_class!(
    /// An activity (活动): what was planned, and what its records and evaluations show.
    Activity as "Activity" {
        /// The activity id.
        id: String,
        /// Its name.
        name: String,
        /// The organising org.
        org: String,
        /// The organising team, if any.
        team: Option<String>,
        /// The project it belongs to, if any.
        project: Option<String>,
        /// When it starts (in the ledger's offset).
        start: DateTime<FixedOffset>,
        /// When it ends (in the ledger's offset).
        end: DateTime<FixedOffset>,
        /// Its project's category, if it has a project.
        category: Option<String>,
        /// The records of its service, in the order they were added.
        records: Vec<String>,
        /// Counted minutes of those records.
        counted_minutes: i64,
        /// How many evaluations it received.
        evaluations: i32,
        /// Their average in tenths of a point (45 is 4.5), if any.
        average_evaluation_tenths: Option<i32>,
        /// How many complaints were recorded against it.
        complaints: i32,
    }
);

result_class!(
    /// A training (培训) a volunteer attended.
    Training as "Training" {
        /// The training id.
        id: String,
        /// The volunteer number.
        volunteer: String,
        /// The org that gave it.
        org: String,
        /// Its title.
        title: String,
        /// The day.
        date: NaiveDate,
        /// Its length in minutes (not service time).
        minutes: i32,
    }
);

result_class!(
    /// A commendation (表彰奖励) a volunteer received.
    Commendation as "Commendation" {
        /// The commendation id.
        id: String,
        /// The volunteer number.
        volunteer: String,
        /// The org that gave it.
        org: String,
        /// Its title.
        title: String,
        /// The day.
        date: NaiveDate,
    }
);

result_class!(
    /// Everything the ledger knows about a volunteer's service, masked.
    VolunteerSummary as "VolunteerSummary" {
        /// The volunteer, masked.
        volunteer: VolunteerView,
        /// Their star summary.
        stars: StarSummary,
        /// Trainings attended, oldest first.
        training: Vec<Training>,
        /// Commendations received, oldest first.
        commendations: Vec<Commendation>,
        /// Evaluations of activities they served in.
        evaluations: i32,
        /// Their average in tenths of a point, if any.
        average_evaluation_tenths: Option<i32>,
        /// Complaints naming them.
        complaints_received: i32,
        /// The teams they are a member of now.
        teams: Vec<String>,
        /// The community they reported in to (报到), if any.
        reported_in: Option<String>,
    }
);

result_class!(
    /// One staff member of a unit's report.
    UnitStaffLine as "UnitStaffLine" {
        /// The volunteer number.
        volunteer: String,
        /// The name, masked.
        masked_name: String,
        /// Counted minutes in the period.
        minutes: i64,
        /// Stars held.
        star_level: i32,
        /// The community they reported in to, if any.
        community: Option<String>,
        /// Its name.
        community_name: Option<String>,
    }
);

result_class!(
    /// A work unit's (机关/事业单位) report of its staff's service in their communities.
    UnitReport as "UnitReport" {
        /// The unit.
        unit: String,
        /// The period.
        period: String,
        /// One line per staff member who reported in, by volunteer number.
        staff: Vec<UnitStaffLine>,
        /// How many served in the period.
        served: i32,
        /// Their counted minutes in the period.
        total_minutes: i64,
    }
    methods {
        /// The staff lines as a pandas DataFrame; needs pandas.
        fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            frame_of(py, &self.staff, UnitStaffLine::FIELDS)
        }
    }
);

result_class!(
    /// A volunteer who lives in, or reported in to, a community.
    CommunityVolunteer as "CommunityVolunteer" {
        /// The volunteer number.
        volunteer: String,
        /// The name, masked.
        masked_name: String,
        /// Their work unit, if any.
        work_unit: Option<String>,
        /// Whether they reported in to this community (报到).
        reported_in: bool,
    }
);

result_class!(
    /// Something the anti-fraud checks flag for a person to look at (not a refusal).
    Anomaly as "Anomaly" {
        /// day_minutes, burst, late_entry or self_recorded.
        kind: String,
        /// The record, if the flag is about one.
        record: Option<String>,
        /// The volunteer, if the flag is about one.
        volunteer: Option<String>,
        /// The actor, if the flag is about one.
        actor: Option<String>,
        /// The local day.
        day: NaiveDate,
        /// Why, in English.
        reason_en: String,
        /// Why, in Chinese.
        reason_zh: String,
    }
);

impl From<vl::MemberPeriod> for MemberPeriod {
    fn from(m: vl::MemberPeriod) -> Self {
        Self {
            volunteer: m.volunteer.to_string(),
            joined: m.joined,
            left: m.left,
        }
    }
}

impl From<vl::ProjectView> for Project {
    fn from(p: vl::ProjectView) -> Self {
        Self {
            id: p.project.id.to_string(),
            org: p.project.org.to_string(),
            name: p.project.name,
            category: p.project.category,
            claimed_by: opt_string(p.claimed_by),
        }
    }
}

impl Activity {
    pub(crate) fn new(a: vl::ActivityView, off: FixedOffset) -> Self {
        let n = a.activity;
        Self {
            id: n.id.to_string(),
            name: n.name,
            org: n.org.to_string(),
            team: opt_string(n.team),
            project: opt_string(n.project),
            start: n.start.to_datetime(off),
            end: n.end.to_datetime(off),
            category: a.category,
            records: strings(a.records),
            counted_minutes: a.counted_minutes,
            evaluations: a.evaluations,
            average_evaluation_tenths: a.average_evaluation_tenths,
            complaints: a.complaints,
        }
    }
}

impl From<vl::Training> for Training {
    fn from(t: vl::Training) -> Self {
        Self {
            id: t.id.to_string(),
            volunteer: t.volunteer.to_string(),
            org: t.org.to_string(),
            title: t.title,
            date: t.date,
            minutes: t.minutes,
        }
    }
}

impl From<vl::Commendation> for Commendation {
    fn from(c: vl::Commendation) -> Self {
        Self {
            id: c.id.to_string(),
            volunteer: c.volunteer.to_string(),
            org: c.org.to_string(),
            title: c.title,
            date: c.date,
        }
    }
}

impl From<vl::VolunteerSummary> for VolunteerSummary {
    fn from(s: vl::VolunteerSummary) -> Self {
        Self {
            volunteer: s.volunteer.into(),
            stars: s.stars.into(),
            training: s.training.into_iter().map(Training::from).collect(),
            commendations: s
                .commendations
                .into_iter()
                .map(Commendation::from)
                .collect(),
            evaluations: s.evaluations,
            average_evaluation_tenths: s.average_evaluation_tenths,
            complaints_received: s.complaints_received,
            teams: strings(s.teams),
            reported_in: opt_string(s.reported_in),
        }
    }
}

impl From<vl::UnitReport> for UnitReport {
    fn from(r: vl::UnitReport) -> Self {
        Self {
            unit: r.unit.to_string(),
            period: r.period,
            staff: r
                .staff
                .into_iter()
                .map(|s| UnitStaffLine {
                    volunteer: s.volunteer.to_string(),
                    masked_name: s.masked_name,
                    minutes: s.minutes,
                    star_level: s.star_level,
                    community: opt_string(s.community),
                    community_name: s.community_name,
                })
                .collect(),
            served: r.served,
            total_minutes: r.total_minutes,
        }
    }
}

impl From<vl::CommunityVolunteer> for CommunityVolunteer {
    fn from(c: vl::CommunityVolunteer) -> Self {
        Self {
            volunteer: c.volunteer.to_string(),
            masked_name: c.masked_name,
            work_unit: opt_string(c.work_unit),
            reported_in: c.reported_in,
        }
    }
}

impl From<vl::Anomaly> for Anomaly {
    fn from(a: vl::Anomaly) -> Self {
        Self {
            kind: a.kind.as_str().to_owned(),
            record: opt_string(a.record),
            volunteer: opt_string(a.volunteer),
            actor: opt_string(a.actor),
            day: a.day,
            reason_en: a.reason_en,
            reason_zh: a.reason_zh,
        }
    }
}
