//! The changes the community tables hold — team membership, projects, activities with their
//! evaluations and complaints, training, commendations, reports-in — each handed to the file of
//! its concept to be checked and applied. They take the ledger's one write path (`check`, then
//! `apply`), so replay checks every one of them again.

use super::{Admit, State};
use crate::error::{Result, invalid_field};
use crate::ids::ActorId;
use crate::log::{Change, Entry};
use crate::record::RecordState;
use crate::time::Timestamp;

impl State {
    /// Validation and authorisation of a change the community tables hold (see `check`).
    pub(super) fn check_side(
        &self,
        actor: &ActorId,
        now: Timestamp,
        change: &Change,
    ) -> Result<Option<Admit>> {
        match change {
            Change::TeamMemberJoined(m) => self.check_join(actor, now, m),
            Change::TeamMemberLeft(m) => self.check_leave(actor, now, m),
            Change::ProjectPublished(p) => self.check_project(actor, p),
            Change::ProjectClaimed(c) => self.check_claim(actor, c),
            Change::ActivityCreated(a) => self.check_activity(actor, a),
            Change::ActivityEvaluated(e) => self.check_evaluation(actor, e),
            Change::ComplaintRecorded(c) => self.check_complaint(actor, c),
            Change::TrainingRecorded(t) => self.check_training(actor, now, t),
            Change::CommendationRecorded(c) => self.check_commendation(actor, now, c),
            Change::ReportedIn(r) => self.check_report_in(actor, now, r),
            _ => Err(invalid_field(
                "entry",
                "kind",
                "must be a change of team membership, a project, an activity, an evaluation, a \
                 complaint, training, a commendation or a report-in / 须为入队、退队、服务项目、\
                 活动、服务评价、投诉、培训、表彰或报到的变更",
            )),
        }?;
        Ok(Some(Admit::confirmed()))
    }

    /// Applies a checked change the side tables hold.
    pub(super) fn apply_side(&mut self, entry: &Entry) -> Result<()> {
        match &entry.change {
            Change::TeamMemberJoined(m) => self.apply_join(m),
            Change::TeamMemberLeft(m) => self.apply_leave(m),
            Change::ProjectPublished(p) => self.apply_project(p),
            Change::ProjectClaimed(c) => self.apply_claim(c),
            Change::ActivityCreated(a) => self.apply_activity(a),
            Change::ActivityEvaluated(e) => self.apply_evaluation(e),
            Change::ComplaintRecorded(c) => self.apply_complaint(c),
            Change::TrainingRecorded(t) => self.apply_training(t),
            Change::CommendationRecorded(c) => self.apply_commendation(c),
            Change::ReportedIn(r) => self.apply_report_in(r),
            _ => Ok(()),
        }
    }
}

impl Admit {
    /// A change that is simply accepted.
    pub(super) fn confirmed() -> Self {
        Self {
            state: RecordState::Confirmed,
            make_up: false,
            four_eyes: false,
            at: None,
        }
    }
}
