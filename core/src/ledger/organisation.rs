//! The ledger's organisation: orgs, roles, teams, how volunteers appear on boards, and moving
//! a volunteer to another home org or work unit.

use super::{Ledger, Receipt};
use crate::error::Result;
use crate::ids::{ActorId, OrgId, VolunteerId};
use crate::log::{Change, Move};
use crate::org::{BoardVisibility, NewOrg, NewTeam, Role};

impl Ledger {
    /// Registers an org. A root org needs a platform admin; an org below a parent needs an
    /// admin of the parent (or above).
    pub fn register_org(&mut self, actor: &ActorId, org: NewOrg) -> Result<Receipt> {
        self.commit(actor, Change::OrgRegistered(org)).map(|r| r.0)
    }

    /// Grants a role. Platform admins grant any role; an org admin appoints admins and
    /// recorders for their subtree.
    pub fn grant_role(
        &mut self,
        actor: &ActorId,
        grantee: &ActorId,
        role: Role,
    ) -> Result<Receipt> {
        self.commit(
            actor,
            Change::RoleGranted {
                grantee: grantee.clone(),
                role,
            },
        )
        .map(|r| r.0)
    }

    /// Creates a team of registered volunteers under an org.
    pub fn create_team(&mut self, actor: &ActorId, team: NewTeam) -> Result<Receipt> {
        self.commit(actor, Change::TeamCreated(team)).map(|r| r.0)
    }

    /// Chooses how a volunteer appears on public boards.
    pub fn set_visibility(
        &mut self,
        actor: &ActorId,
        volunteer: &VolunteerId,
        visibility: BoardVisibility,
    ) -> Result<Receipt> {
        let change = Change::VisibilitySet {
            volunteer: volunteer.clone(),
            visibility,
        };
        self.commit(actor, change).map(|r| r.0)
    }

    /// Moves a volunteer to a new home community and/or work unit. Their history stays with
    /// them; past records keep the org where they were served.
    pub fn move_volunteer(
        &mut self,
        actor: &ActorId,
        volunteer: &VolunteerId,
        home_org: Option<OrgId>,
        work_unit: Option<OrgId>,
    ) -> Result<Receipt> {
        let change = Change::VolunteerMoved(Move {
            home_org,
            volunteer: volunteer.clone(),
            work_unit,
        });
        self.commit(actor, change).map(|r| r.0)
    }
}
