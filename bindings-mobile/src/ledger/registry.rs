//! Who and what a ledger knows: orgs, roles, volunteers (registered, moved, shown on boards or
//! not) and teams as created.

use vl::{
    BoardVisibility, NewOrg, NewTeam, NewVolunteer, Receipt, Role, VolunteerCorrection,
    VolunteerView,
};
use volunteer_ledger as vl;

use super::Ledger;
use crate::conversions::{parse, parse_opt};
use crate::errors::Result;

#[uniffi::export]
impl Ledger {
    /// Registers an org (a root org needs a platform admin, others an admin of the parent).
    pub fn register_org(&self, actor: String, org: NewOrg) -> Result<Receipt> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.register_org(&actor, org)?)
    }

    /// Grants a role to an actor.
    pub fn grant_role(&self, actor: String, grantee: String, role: Role) -> Result<Receipt> {
        let (actor, grantee) = (parse(&actor)?, parse(&grantee)?);
        Ok(self.lock()?.grant_role(&actor, &grantee, role)?)
    }

    /// Registers a volunteer, validating the identity number.
    pub fn register_volunteer(&self, actor: String, volunteer: NewVolunteer) -> Result<Receipt> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.register_volunteer(&actor, volunteer)?)
    }

    /// Corrects a registered volunteer's name, identity number or phone, with a reason: the
    /// values before stay in the log, a new number is sealed as at registration, and
    /// certificates that showed a corrected name or number check as superseded. A platform
    /// admin, or an admin of the volunteer's home org or above.
    pub fn correct_volunteer(
        &self,
        actor: String,
        volunteer: String,
        correction: VolunteerCorrection,
    ) -> Result<Receipt> {
        let (actor, volunteer) = (parse(&actor)?, parse(&volunteer)?);
        Ok(self
            .lock()?
            .correct_volunteer(&actor, &volunteer, correction)?)
    }

    /// A volunteer's phone number in full, to reach them (`null` when none is held; views
    /// show it masked). `E_KEY_UNAVAILABLE` without the keys that open it.
    pub fn volunteer_phone(&self, volunteer: String) -> Result<Option<String>> {
        let volunteer = parse(&volunteer)?;
        Ok(self.lock()?.volunteer_phone(&volunteer)?)
    }

    /// Creates a team of registered volunteers under an org.
    pub fn create_team(&self, actor: String, team: NewTeam) -> Result<Receipt> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.create_team(&actor, team)?)
    }

    /// Moves a volunteer to a new home community and/or work unit; their history stays with
    /// them and past records keep the org where they were served.
    #[uniffi::method(default(home_org = None, work_unit = None))]
    pub fn move_volunteer(
        &self,
        actor: String,
        volunteer: String,
        home_org: Option<String>,
        work_unit: Option<String>,
    ) -> Result<Receipt> {
        let (actor, volunteer) = (parse(&actor)?, parse(&volunteer)?);
        let (home_org, work_unit) = (parse_opt(home_org)?, parse_opt(work_unit)?);
        Ok(self
            .lock()?
            .move_volunteer(&actor, &volunteer, home_org, work_unit)?)
    }

    /// Chooses how a volunteer appears on public boards.
    pub fn set_visibility(
        &self,
        actor: String,
        volunteer: String,
        visibility: BoardVisibility,
    ) -> Result<Receipt> {
        let (actor, volunteer) = (parse(&actor)?, parse(&volunteer)?);
        Ok(self
            .lock()?
            .set_visibility(&actor, &volunteer, visibility)?)
    }

    /// A volunteer, personal data masked.
    pub fn volunteer(&self, id: String) -> Result<VolunteerView> {
        let id = parse(&id)?;
        Ok(self.lock()?.volunteer(&id)?)
    }

    /// An org.
    pub fn org(&self, id: String) -> Result<NewOrg> {
        let id = parse(&id)?;
        Ok(self.lock()?.org(&id)?)
    }

    /// A team.
    pub fn team(&self, id: String) -> Result<NewTeam> {
        let id = parse(&id)?;
        Ok(self.lock()?.team(&id)?)
    }
}
