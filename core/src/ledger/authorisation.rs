//! Who may do what: platform admins, org admins and recorders (of an org or any org above it),
//! team leaders and liaisons, and the volunteer themselves. Every refusal goes through
//! [`authorise`] (`E_FORBIDDEN`, naming the action and the rule); the rules that hold whatever
//! the roles (nobody certifies their own hours) are in `own`.
//!
//! The matrix, one action a line ("above" = an admin or recorder of an org above counts too;
//! "org admin" includes platform admins):
//!
//! - register a root org: a platform admin (`may_register_org`);
//! - register an org below another: an admin of its parent org or above (`may_register_org`);
//! - grant platform admin: a platform admin (`may_grant_platform_admin`);
//! - grant an org admin or recorder role: an admin of that org or above (`may_grant_org_role`);
//! - register a volunteer: a platform admin, or an admin or recorder of their home org or above;
//!   one without a home org, a platform admin only (`may_register_volunteer`);
//! - create a team: an admin of the team's org or above (`may_create_team`);
//! - set board visibility: the volunteer or a platform admin (`may_set_visibility`);
//! - register the ledger's signing key: a platform admin (`may_register_signing_key`);
//! - trust another ledger as an issuer: a platform admin (`may_trust_issuer`);
//! - set a year's working-day calendar: a platform admin (`may_set_calendar`);
//! - move a volunteer: a platform admin, or an admin or recorder of both the org that holds them
//!   now and every org they move to (`may_move_volunteer`);
//! - correct a volunteer's name, identity number or phone: a platform admin, or an admin of
//!   their current home org or above (`may_correct_volunteer`);
//! - erase an identity number, transfer out, import a transfer: whoever holds the volunteer, a
//!   platform admin or an admin or recorder of their current home org or above (`may_manage`);
//! - record service: an organiser (the org's recorders or admins or above, the organising team's
//!   leader or liaisons, a platform admin), or the volunteer, pending (`may_record`);
//! - confirm a record: an organiser, never its recorder nor its volunteer; an org admin for a
//!   make-up record or one held for four eyes (`may_confirm_record`);
//! - amend or revoke a counted record: a platform admin, or the organising org's recorders or
//!   admins or above; never one's own (`may_change_record`);
//! - dispute a record: its volunteer, its recorder, or an organiser (`may_dispute_record`);
//! - resolve a dispute: an admin of the organising org or above, never of one's own record
//!   (`may_resolve_dispute`);
//! - issue a certificate: an admin of the issuing org or above, never to oneself
//!   (`may_issue_certificate`);
//! - publish a project, record a commendation: an admin of the org or above (`projects`,
//!   `commendations`);
//! - claim a project, admit a team member: the team's leader or liaisons, or an admin of its org
//!   or above; a member leaving, the volunteer too (`projects`, `teams`);
//! - create an activity: an organiser (`activities`); evaluate it or record a complaint, record
//!   training: the org's recorders or admins or above (`activities`, `training`);
//! - record a report-in: the volunteer, or whoever holds them (`reporting_in`).

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
        authorise(
            actor,
            self.is_organiser(actor, org, team) || actor.as_str() == r.volunteer.as_str(),
            &format!("record service in record {}", r.id),
            "who organises records: only the organising org's recorders or admins, the organising team's leader or liaisons, or the volunteer (pending) record service",
        )
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
        authorise(
            actor,
            self.is_platform_admin(actor) || self.has_org_role(actor, org, false),
            &format!("{verb} a record"),
            &format!("only the organising org's recorders or admins {verb} records"),
        )
    }

    /// Platform admins, and admins or recorders of the volunteer's current home org (or
    /// above): not their work unit's, which anyone who reports them in or moves them names.
    /// Erasing an identity number, transferring out and importing a transfer take this.
    pub(super) fn may_manage(&self, actor: &ActorId, v: u32, action: &str) -> Result<()> {
        authorise(
            actor,
            self.holds_volunteer(actor, v),
            action,
            "only a platform admin, or an admin or recorder of the volunteer's current home org or above, may",
        )
    }

    /// A volunteer's name, identity number or phone is corrected by a platform admin or an
    /// admin of their current home org or above (not a recorder: a correction rewrites who
    /// the records are of).
    pub(super) fn may_correct_volunteer(&self, actor: &ActorId, v: u32) -> Result<()> {
        let home = self.vol(v).map_or(NONE, |x| x.home_org);
        authorise(
            actor,
            self.is_platform_admin(actor) || (home != NONE && self.has_org_role(actor, home, true)),
            "correct a volunteer",
            "only a platform admin, or an admin of the volunteer's current home org or above, corrects a volunteer's name, identity number or phone",
        )
    }

    /// A root org (`parent` none) is registered by a platform admin, an org below another by an
    /// admin of its parent or above.
    pub(super) fn may_register_org(&self, actor: &ActorId, parent: Option<u32>) -> Result<()> {
        match parent {
            None => authorise(
                actor,
                self.is_platform_admin(actor),
                "register a root org",
                "only a platform admin registers a root org",
            ),
            Some(p) => authorise(
                actor,
                self.is_org_admin(actor, p),
                "register an org",
                "only an admin of the parent org registers orgs below it",
            ),
        }
    }

    /// Platform admins appoint platform admins.
    pub(super) fn may_grant_platform_admin(&self, actor: &ActorId) -> Result<()> {
        authorise(
            actor,
            self.is_platform_admin(actor),
            "grant platform admin",
            "only a platform admin grants it",
        )
    }

    /// An admin of `org` or above appoints its admins and recorders.
    pub(super) fn may_grant_org_role(&self, actor: &ActorId, org: u32) -> Result<()> {
        authorise(
            actor,
            self.is_org_admin(actor, org),
            "grant an org role",
            "only an admin of the org or above appoints its admins and recorders",
        )
    }

    /// A volunteer is registered by a platform admin or by an admin or recorder of their home
    /// org (or above); one without a home org by a platform admin only.
    pub(super) fn may_register_volunteer(&self, actor: &ActorId, home: Option<u32>) -> Result<()> {
        authorise(
            actor,
            self.is_platform_admin(actor)
                || home.is_some_and(|h| self.has_org_role(actor, h, false)),
            "register a volunteer",
            "only a platform admin, or an admin or recorder of the home org, registers volunteers",
        )
    }

    /// A team is created by an admin of its org or above.
    pub(super) fn may_create_team(&self, actor: &ActorId, org: u32) -> Result<()> {
        authorise(
            actor,
            self.is_org_admin(actor, org),
            "create a team",
            "only an admin of the team's org or above creates teams",
        )
    }

    /// How a volunteer appears on boards is chosen by them or a platform admin.
    pub(super) fn may_set_visibility(
        &self,
        actor: &ActorId,
        volunteer: &VolunteerId,
    ) -> Result<()> {
        authorise(
            actor,
            actor.as_str() == volunteer.as_str() || self.is_platform_admin(actor),
            "set board visibility",
            "only the volunteer or a platform admin chooses how they appear",
        )
    }

    /// The ledger's signing key is set by a platform admin.
    pub(super) fn may_register_signing_key(&self, actor: &ActorId) -> Result<()> {
        authorise(
            actor,
            self.is_platform_admin(actor),
            "register a signing key",
            "only a platform admin sets the ledger's key",
        )
    }

    /// Another ledger's key is trusted by a platform admin.
    pub(super) fn may_trust_issuer(&self, actor: &ActorId) -> Result<()> {
        authorise(
            actor,
            self.is_platform_admin(actor),
            "trust an issuer",
            "only a platform admin keeps the trust list",
        )
    }

    /// A year's working-day calendar is set by a platform admin: it decides which records
    /// are make-ups across the whole ledger.
    pub(super) fn may_set_calendar(&self, actor: &ActorId) -> Result<()> {
        authorise(
            actor,
            self.is_platform_admin(actor),
            "set a working-day calendar",
            "only a platform admin sets the ledger's calendar",
        )
    }

    /// Volunteer `v` moved to the orgs `to` (a new home org, work unit, or both). The org that
    /// holds the volunteer now lets them go, and every org the move names must be the actor's to
    /// receive people into: nobody takes another org's volunteer, nor hands their own to an org
    /// that did not ask. A platform admin moves anyone.
    pub(super) fn may_move_volunteer(&self, actor: &ActorId, v: u32, to: &[u32]) -> Result<()> {
        authorise(
            actor,
            self.is_platform_admin(actor)
                || (self.holds_volunteer(actor, v)
                    && to.iter().all(|&o| self.has_org_role(actor, o, false))),
            "move a volunteer",
            "only a platform admin, or an admin or recorder of both the volunteer's current home org and every org they move to, moves a volunteer",
        )
    }

    /// A certificate is issued by an admin of the issuing org or above (and never to
    /// themselves: see `own`).
    pub(super) fn may_issue_certificate(&self, actor: &ActorId, org: u32) -> Result<()> {
        authorise(
            actor,
            self.is_org_admin(actor, org),
            "issue a certificate",
            "only an admin of the issuing org or above issues certificates",
        )
    }

    /// A pending record is confirmed by an organiser of it (whether they are its recorder or
    /// volunteer, and whether it needs an org admin, is checked apart).
    pub(super) fn may_confirm_record(&self, actor: &ActorId, rec: HeldRecord) -> Result<()> {
        authorise(
            actor,
            self.is_organiser(actor, rec.org, rec.team),
            "confirm a record",
            "only the organising org's recorders or admins, or the organising team's leader or liaisons, confirm records",
        )
    }

    /// A record is disputed by someone involved in it: its volunteer, its recorder or an
    /// organiser.
    pub(super) fn may_dispute_record(&self, actor: &ActorId, rec: HeldRecord) -> Result<()> {
        authorise(
            actor,
            self.is_own(actor, rec)
                || self.actors.resolve(rec.recorded_by) == actor.as_str()
                || self.is_organiser(actor, rec.org, rec.team),
            "dispute a record",
            "only the volunteer, the recorder or the organiser disputes a record",
        )
    }

    /// A dispute is resolved by an admin of the organising org or above.
    pub(super) fn may_resolve_dispute(&self, actor: &ActorId, rec: HeldRecord) -> Result<()> {
        authorise(
            actor,
            self.is_org_admin(actor, rec.org),
            "resolve a dispute",
            "only an admin of the organising org or above resolves disputes",
        )
    }
}

/// Lets an actor do an action when `allowed`; refuses them otherwise (`E_FORBIDDEN`), naming
/// the action and the rule that decides it. The one way the core refuses for want of a role.
pub(super) fn authorise(actor: &ActorId, allowed: bool, action: &str, rule: &str) -> Result<()> {
    if allowed {
        Ok(())
    } else {
        Err(LedgerError::Forbidden {
            actor: actor.to_string(),
            action: action.to_owned(),
            rule: rule.to_owned(),
        })
    }
}
