//! Commendations (表彰奖励): the awards a volunteer received, recorded by the awarding org.

use super::authorisation::authorise;
use super::{Ledger, State};
use crate::activity::Commendation;
use crate::error::Result;
use crate::ids::ActorId;
use crate::log::Change;
use crate::time::Timestamp;

impl State {
    /// A new commendation of a volunteer still here, with a title, on a day not in the future,
    /// recorded by an admin of the awarding org or above.
    pub(super) fn check_commendation(
        &self,
        actor: &ActorId,
        now: Timestamp,
        c: &Commendation,
    ) -> Result<()> {
        let taken = self.community.commendation_ids.contains(&c.id);
        let org = self.check_training_or_commendation(
            "commendation",
            c.id.as_str(),
            taken,
            &c.volunteer,
            &c.org,
            &c.title,
        )?;
        self.not_in_future(format!("commendation {}", c.id), c.date, now)?;
        authorise(
            actor,
            self.is_org_admin(actor, org),
            "record a commendation",
            "only an admin of the awarding org or above records its commendations",
        )
    }

    /// Keeps a commendation beside its volunteer.
    pub(super) fn apply_commendation(&mut self, c: &Commendation) -> Result<()> {
        let v = self.vol_idx(&c.volunteer)?;
        self.community.commendation_ids.insert(c.id.clone());
        self.community.commendations.push((v, c.clone()));
        Ok(())
    }
}

impl Ledger {
    /// Records a commendation a volunteer received, by an admin of the awarding org.
    pub fn record_commendation(
        &mut self,
        actor: &ActorId,
        commendation: Commendation,
    ) -> Result<()> {
        self.commit(actor, Change::CommendationRecorded(commendation))
            .map(|_| ())
    }
}
