//! Reading the ledger: its clock and settings, records, volunteers, orgs, teams, stars.

use super::{Clock, Ledger};
use crate::error::{LedgerError, Result};
use crate::ids::{OrgId, RecordId, TeamId, VolunteerId};
use crate::org::{LedgerConfig, NewTeam, Org, VolunteerView};
use crate::policy::Policy;
use crate::rating::{StarSummary, star_summary};
use crate::record::ServiceRecord;
use crate::time::Timestamp;
use chrono::FixedOffset;

impl Ledger {
    /// Sets where "now" comes from.
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
    }

    /// The ledger's current "now".
    pub fn now(&self) -> Timestamp {
        self.clock.now()
    }

    /// The ledger's configuration (id, name, offset, policy, first admin).
    pub fn config(&self) -> &LedgerConfig {
        &self.config
    }

    /// The ledger's policy.
    pub fn policy(&self) -> &Policy {
        &self.config.policy
    }

    /// The ledger's UTC offset.
    pub fn utc_offset(&self) -> FixedOffset {
        self.state.off
    }

    /// A record by id.
    pub fn record(&self, id: &RecordId) -> Result<ServiceRecord> {
        let i = self.state.rec_idx(id)?;
        self.state
            .view_record(i)
            .ok_or_else(|| LedgerError::UnknownRecord { id: id.to_string() })
    }

    /// A volunteer's records, in the order they were added.
    pub fn records_of(&self, volunteer: &VolunteerId) -> Result<Vec<ServiceRecord>> {
        let v = self.state.vol_idx(volunteer)?;
        let list = self
            .state
            .vol(v)
            .map(|v| v.records.clone())
            .unwrap_or_default();
        Ok(list
            .into_iter()
            .filter_map(|i| self.state.view_record(i))
            .collect())
    }

    /// Every record served at `org` or any org below it, in every state, in the order they
    /// were added.
    pub fn records_of_org(&self, org: &OrgId) -> Result<Vec<ServiceRecord>> {
        let inside = self.state.subtree(self.state.org_idx(org)?);
        Ok((0..self.state.records.len())
            .filter_map(|i| u32::try_from(i).ok())
            .filter(|&i| {
                self.state
                    .records
                    .get(i as usize)
                    .is_some_and(|r| inside.get(r.org as usize).copied().unwrap_or(false))
            })
            .filter_map(|i| self.state.view_record(i))
            .collect())
    }

    /// Every record, in the order they were added.
    pub(crate) fn all_records(&self) -> impl Iterator<Item = ServiceRecord> + '_ {
        (0..self.state.records.len())
            .filter_map(|i| u32::try_from(i).ok())
            .filter_map(|i| self.state.view_record(i))
    }

    /// How many records the ledger holds, in every state.
    pub fn record_count(&self) -> usize {
        self.state.records.len()
    }

    /// A volunteer, masked.
    pub fn volunteer(&self, id: &VolunteerId) -> Result<VolunteerView> {
        let (vi, _) = self.state.volunteer_of(id)?;
        self.state
            .volunteer_view(vi)
            .ok_or_else(|| LedgerError::UnknownVolunteer { id: id.to_string() })
    }

    /// An org.
    pub fn org(&self, id: &OrgId) -> Result<Org> {
        self.state.org_of(id).map(|o| o.org.clone())
    }

    /// A team.
    pub fn team(&self, id: &TeamId) -> Result<NewTeam> {
        self.state.team_of(id).map(|t| t.team.clone())
    }

    /// A volunteer's star summary under the ledger's policy.
    pub fn star_summary(&self, volunteer: &VolunteerId) -> Result<StarSummary> {
        let v = self.state.vol_idx(volunteer)?;
        let off = self.state.off;
        let recs = self
            .state
            .vol(v)
            .map(|v| v.records.as_slice())
            .unwrap_or_default();
        let service = recs
            .iter()
            .filter_map(|&i| self.state.records.get(i as usize))
            .filter(|r| r.counted())
            .map(|r| (Timestamp(r.start()).local_date(off), u32::from(r.minutes)));
        let carried = self
            .state
            .keys_and_transfers
            .carried
            .get(&v)
            .into_iter()
            .flatten()
            .map(|r| (r.start.local_date(off), r.counted_minutes()));
        Ok(star_summary(
            &self.config.policy.stars,
            service.chain(carried),
        ))
    }
}
