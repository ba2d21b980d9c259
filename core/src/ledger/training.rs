//! Training (培训情况): the sessions a volunteer attended, recorded by the org that ran them.
//! Training is not service: it adds no service hours.

use super::authorisation::authorise;
use super::{Ledger, State};
use crate::activity::Training;
use crate::error::{Result, invalid_field};
use crate::ids::ActorId;
use crate::log::Change;
use crate::time::Timestamp;

impl State {
    /// A new training session of a volunteer still here, with a title, 1 to 1440 minutes, on a
    /// day not in the future, recorded by the recorders or admins of the org that ran it (or
    /// above).
    pub(super) fn check_training(
        &self,
        actor: &ActorId,
        now: Timestamp,
        t: &Training,
    ) -> Result<()> {
        let taken = self.community.training_ids.contains(&t.id);
        let org = self.check_training_or_commendation(
            "training",
            t.id.as_str(),
            taken,
            &t.volunteer,
            &t.org,
            &t.title,
        )?;
        if !(1..=24 * 60).contains(&t.minutes) {
            return Err(invalid_field(
                format!("training {}", t.id),
                "minutes",
                "must be 1 to 1440",
            ));
        }
        self.not_in_future(format!("training {}", t.id), t.date, now)?;
        authorise(
            actor,
            self.is_platform_admin(actor) || self.has_org_role(actor, org, false),
            "record training",
            "only the recorders or admins of the org that ran it (or above) record training",
        )
    }

    /// Keeps a training session beside its volunteer.
    pub(super) fn apply_training(&mut self, t: &Training) -> Result<()> {
        let v = self.vol_idx(&t.volunteer)?;
        self.community.training_ids.insert(t.id.clone());
        self.community.training.push((v, t.clone()));
        Ok(())
    }
}

impl Ledger {
    /// Records a training session a volunteer attended, by the recorders or admins of the org
    /// that ran it. It is not service: it adds no service hours.
    pub fn record_training(&mut self, actor: &ActorId, training: Training) -> Result<()> {
        self.commit(actor, Change::TrainingRecorded(training))
            .map(|_| ())
    }
}
