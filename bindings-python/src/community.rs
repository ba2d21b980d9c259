//! An activity as the ledger shows it, times in the ledger's offset (the community's other
//! results — orgs, teams, projects, training, reports, anomalies — are the core's classes).

use chrono::{DateTime, FixedOffset};
use volunteer_ledger as vl;

result_class!(
    /// An activity (活动): what was planned, and what its records and evaluations show.
    Activity as "Activity" {
        /// The activity id.
        id: vl::ActivityId,
        /// Its name.
        name: String,
        /// The organising org.
        org: vl::OrgId,
        /// The organising team, if any.
        team: Option<vl::TeamId>,
        /// The project it belongs to, if any.
        project: Option<vl::ProjectId>,
        /// When it starts (in the ledger's offset).
        start: DateTime<FixedOffset>,
        /// When it ends (in the ledger's offset).
        end: DateTime<FixedOffset>,
        /// Its project's category, if it has a project.
        category: Option<String>,
        /// The records of its service, in the order they were added.
        records: Vec<vl::RecordId>,
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

impl Activity {
    pub(crate) fn new(a: vl::ActivityView, off: FixedOffset) -> Self {
        let n = a.activity;
        Self {
            id: n.id,
            name: n.name,
            org: n.org,
            team: n.team,
            project: n.project,
            start: n.start.to_datetime(off),
            end: n.end.to_datetime(off),
            category: a.category,
            records: a.records,
            counted_minutes: a.counted_minutes,
            evaluations: a.evaluations,
            average_evaluation_tenths: a.average_evaluation_tenths,
            complaints: a.complaints,
        }
    }
}
