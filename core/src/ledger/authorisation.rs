//! Who may do what: platform admins, org admins and recorders (of an org or any org above it),
//! team leaders and liaisons, and the volunteer themselves.

use super::NONE;
use super::state::{HeldRecord, State};
use crate::error::{LedgerError, Result};
use crate::ids::{ActorId, VolunteerId};
use crate::record::NewRecord;

impl State {
    pub(super) fn is_platform_admin(&self, actor: &ActorId) -> bool {
        self.actors
            .get(actor.as_str())
            .is_some_and(|a| self.platform_admins.contains(&a))
    }

    /// Whether the actor is an org admin (or, unless `admin_only`, a recorder) of `org` or of
    /// any org above it.
    pub(super) fn has_org_role(&self, actor: &ActorId, org: u32, admin_only: bool) -> bool {
        let Some(a) = self.actors.get(actor.as_str()) else {
            return false;
        };
        let Some(roles) = self.org_roles.get(&a) else {
            return false;
        };
        let anc = self.ancestors(org);
        roles
            .iter()
            .any(|&(o, admin)| (admin || !admin_only) && anc.contains(&o))
    }

    pub(super) fn is_org_admin(&self, actor: &ActorId, org: u32) -> bool {
        self.is_platform_admin(actor) || self.has_org_role(actor, org, true)
    }

    pub(super) fn is_team_officer(&self, actor: &ActorId, team: u32) -> bool {
        self.teams.get(team as usize).is_some_and(|t| {
            t.team.leader.as_str() == actor.as_str()
                || t.team.liaisons.iter().any(|l| l.as_str() == actor.as_str())
        })
    }

    /// "Who organises records": the org's recorders and admins (or those above), the
    /// organising team's leader and liaisons, and platform admins.
    /// A team's leader and liaisons organise only for their team's org and below.
    pub(super) fn is_organiser(&self, actor: &ActorId, org: u32, team: u32) -> bool {
        self.is_platform_admin(actor)
            || self.has_org_role(actor, org, false)
            || (team != NONE
                && self.is_team_officer(actor, team)
                && self
                    .teams
                    .get(team as usize)
                    .is_some_and(|t| self.ancestors(org).contains(&t.org)))
    }

    /// Whether the actor could record this record (as organiser or as the volunteer).
    pub(super) fn may_record(&self, actor: &ActorId, r: &NewRecord) -> Result<()> {
        let org = self.org_idx(&r.org)?;
        let team = match &r.team {
            Some(t) => self.team_idx(t)?,
            None => NONE,
        };
        self.may_record_at(actor, r, org, team)
    }

    /// As [`State::may_record`], with the org and team already looked up.
    pub(super) fn may_record_at(
        &self,
        actor: &ActorId,
        r: &NewRecord,
        org: u32,
        team: u32,
    ) -> Result<()> {
        if self.is_organiser(actor, org, team) || actor.as_str() == r.volunteer.as_str() {
            Ok(())
        } else {
            Err(LedgerError::Forbidden {
                actor: actor.to_string(),
                action: format!("record service in record {}", r.id),
                rule: "who organises records: only the organising org's recorders or admins, the organising team's leader or liaisons, or the volunteer (pending) record service".into(),
            })
        }
    }

    /// Refuses changes to the counting of a record whose volunteer has transferred out: their
    /// hours left with the package.
    pub(super) fn record_volunteer_here(&self, rec: HeldRecord) -> Result<()> {
        match self.vol(rec.vol) {
            Some(v) if self.keys_and_transfers.transferred_out.contains(&rec.vol) => {
                Err(LedgerError::TransferredOut {
                    volunteer: v.key.to_string(),
                })
            }
            _ => Ok(()),
        }
    }

    /// Refuses a volunteer who has transferred out.
    pub(super) fn still_here(&self, v: u32, id: &VolunteerId) -> Result<()> {
        if self.keys_and_transfers.transferred_out.contains(&v) {
            return Err(LedgerError::TransferredOut {
                volunteer: id.to_string(),
            });
        }
        Ok(())
    }

    /// A counted record is amended or revoked (`verb`) only by a platform admin or the
    /// organising org's recorders or admins (`E_FORBIDDEN` otherwise).
    pub(super) fn may_change_record(&self, actor: &ActorId, org: u32, verb: &str) -> Result<()> {
        if self.is_platform_admin(actor) || self.has_org_role(actor, org, false) {
            return Ok(());
        }
        Err(forbidden(
            actor,
            &format!("{verb} a record"),
            &format!("only the organising org's recorders or admins {verb} records"),
        ))
    }

    /// Platform admins, and admins or recorders of the volunteer's current home org (or
    /// above): not their work unit's, which anyone who reports them in or moves them names.
    pub(super) fn may_manage(&self, actor: &ActorId, v: u32, action: &str) -> Result<()> {
        if self.holds_volunteer(actor, v) {
            Ok(())
        } else {
            Err(LedgerError::Forbidden {
                actor: actor.to_string(),
                action: action.to_owned(),
                rule: "only a platform admin, or an admin or recorder of the volunteer's current home org or above, may".into(),
            })
        }
    }
}

/// Refuses an action the actor's roles do not allow, naming the rule that decides it.
pub(super) fn forbidden(actor: &ActorId, action: &str, rule: &str) -> LedgerError {
    LedgerError::Forbidden {
        actor: actor.to_string(),
        action: action.to_owned(),
        rule: rule.to_owned(),
    }
}
