//! Who and what a ledger knows: orgs, roles, volunteers (registered, moved, shown on boards
//! or not) and teams as created.

use super::PyLedger;
use crate::conversions::{ids, opt_id, role_of, visibility_of};
use crate::errors::check;
use pyo3::prelude::*;
use volunteer_ledger as vl;

#[pymethods]
impl PyLedger {
    /// Registers an org. `kind`: district, street, community, neighbourhood, block, work_unit,
    /// volunteer_org or other. A root org (no parent) needs a platform admin.
    #[pyo3(signature = (actor, *, id, name, kind, parent = None))]
    fn register_org(
        &self,
        py: Python<'_>,
        actor: String,
        id: String,
        name: String,
        kind: String,
        parent: Option<String>,
    ) -> PyResult<vl::Receipt> {
        let actor = Self::actor(py, &actor)?;
        let org = check(
            py,
            (|| -> vl::Result<vl::NewOrg> {
                Ok(vl::NewOrg {
                    id: id.parse()?,
                    name,
                    kind: vl::OrgKind::parse(&kind)?,
                    parent: opt_id(parent)?,
                })
            })(),
        )?;
        self.run(py, move |l| l.register_org(&actor, org))
    }

    /// Grants a role: 'platform_admin' (no org), or 'org_admin' / 'recorder' of `org`.
    #[pyo3(signature = (actor, grantee, role, org = None))]
    fn grant_role(
        &self,
        py: Python<'_>,
        actor: String,
        grantee: String,
        role: String,
        org: Option<String>,
    ) -> PyResult<vl::Receipt> {
        let actor = Self::actor(py, &actor)?;
        let grantee = Self::actor(py, &grantee)?;
        let role = check(py, role_of(&role, org))?;
        self.run(py, move |l| l.grant_role(&actor, &grantee, role))
    }

    /// Registers a volunteer, validating the identity number. `identity_kind`: resident_id,
    /// passport, hk_macau_permit or taiwan_permit.
    #[pyo3(signature = (actor, *, id, name, identity_kind, identity_number, home_org = None))]
    #[allow(clippy::too_many_arguments)]
    fn register_volunteer(
        &self,
        py: Python<'_>,
        actor: String,
        id: String,
        name: String,
        identity_kind: String,
        identity_number: String,
        home_org: Option<String>,
    ) -> PyResult<vl::Receipt> {
        let actor = Self::actor(py, &actor)?;
        let volunteer = check(
            py,
            (|| -> vl::Result<vl::NewVolunteer> {
                Ok(vl::NewVolunteer {
                    id: id.parse()?,
                    name,
                    identity_kind: vl::IdentityKind::parse(&identity_kind)?,
                    identity_number,
                    home_org: opt_id(home_org)?,
                })
            })(),
        )?;
        self.run(py, move |l| l.register_volunteer(&actor, volunteer))
    }

    /// Corrects a registered volunteer's name, identity number or phone, with a reason (kept
    /// in the log, as the values before are). A new number is validated and sealed as at
    /// registration (`identity_kind` defaults to the kind held); certificates that showed a
    /// corrected name or number then check as superseded. A platform admin, or an admin of
    /// the volunteer's home org or above. Raises E_DUPLICATE_IDENTITY for a number someone
    /// else holds, E_IDENTITY_ERASED for a number or phone of an erased identity, E_FIELD for
    /// an unchanged or empty correction; no message quotes a value.
    #[pyo3(signature = (
        actor, volunteer, *, name = None, identity_kind = None, identity_number = None,
        phone = None, reason
    ))]
    #[allow(clippy::too_many_arguments)]
    fn correct_volunteer(
        &self,
        py: Python<'_>,
        actor: String,
        volunteer: String,
        name: Option<String>,
        identity_kind: Option<String>,
        identity_number: Option<String>,
        phone: Option<String>,
        reason: String,
    ) -> PyResult<vl::Receipt> {
        let actor = Self::actor(py, &actor)?;
        let (volunteer, correction) = check(
            py,
            (|| -> vl::Result<(vl::VolunteerId, vl::VolunteerCorrection)> {
                let identity_kind = identity_kind
                    .map(|k| vl::IdentityKind::parse(&k))
                    .transpose()?;
                Ok((
                    volunteer.parse()?,
                    vl::VolunteerCorrection {
                        name,
                        identity_kind,
                        identity_number,
                        phone,
                        reason,
                    },
                ))
            })(),
        )?;
        self.run(py, move |l| {
            l.correct_volunteer(&actor, &volunteer, correction)
        })
    }

    /// A volunteer's phone number in full, to reach them (None when none is held; views show
    /// it masked). Raises E_KEY_UNAVAILABLE without the keys that open it.
    fn volunteer_phone(&self, py: Python<'_>, volunteer: String) -> PyResult<Option<String>> {
        let volunteer: vl::VolunteerId = check(py, volunteer.parse())?;
        self.run(py, move |l| l.volunteer_phone(&volunteer))
    }

    /// Creates a team (服务队) of registered volunteers under an org.
    #[pyo3(
        signature = (actor, *, id, org, name, leader, liaisons = Vec::new(), members = Vec::new()),
        text_signature = "($self, actor, *, id, org, name, leader, liaisons=(), members=())"
    )]
    #[allow(clippy::too_many_arguments)]
    fn create_team(
        &self,
        py: Python<'_>,
        actor: String,
        id: String,
        org: String,
        name: String,
        leader: String,
        liaisons: Vec<String>,
        members: Vec<String>,
    ) -> PyResult<vl::Receipt> {
        let actor = Self::actor(py, &actor)?;
        let team = check(
            py,
            (|| -> vl::Result<vl::NewTeam> {
                Ok(vl::NewTeam {
                    id: id.parse()?,
                    org: org.parse()?,
                    name,
                    leader: leader.parse()?,
                    liaisons: ids(liaisons)?,
                    members: ids(members)?,
                })
            })(),
        )?;
        self.run(py, move |l| l.create_team(&actor, team))
    }

    /// Moves a volunteer to a new home community and/or work unit. Their history stays with
    /// them; past records keep the org where they were served.
    #[pyo3(signature = (actor, volunteer, *, home_org = None, work_unit = None))]
    fn move_volunteer(
        &self,
        py: Python<'_>,
        actor: String,
        volunteer: String,
        home_org: Option<String>,
        work_unit: Option<String>,
    ) -> PyResult<vl::Receipt> {
        let actor = Self::actor(py, &actor)?;
        let (volunteer, home_org, work_unit) = check(
            py,
            (|| -> vl::Result<(vl::VolunteerId, Option<vl::OrgId>, Option<vl::OrgId>)> {
                Ok((volunteer.parse()?, opt_id(home_org)?, opt_id(work_unit)?))
            })(),
        )?;
        self.run(py, move |l| {
            l.move_volunteer(&actor, &volunteer, home_org, work_unit)
        })
    }

    /// Chooses how a volunteer appears on public boards: mode 'public', 'hidden', or
    /// 'pseudonym' (with `pseudonym`, the name shown).
    #[pyo3(signature = (actor, volunteer, mode, pseudonym = None))]
    fn set_visibility(
        &self,
        py: Python<'_>,
        actor: String,
        volunteer: String,
        mode: String,
        pseudonym: Option<String>,
    ) -> PyResult<vl::Receipt> {
        let actor = Self::actor(py, &actor)?;
        let volunteer: vl::VolunteerId = check(py, volunteer.parse())?;
        let visibility = check(py, visibility_of(&mode, pseudonym))?;
        self.run(py, move |l| {
            l.set_visibility(&actor, &volunteer, visibility)
        })
    }

    /// An org as registered.
    fn org(&self, py: Python<'_>, id: String) -> PyResult<vl::Org> {
        self.run(py, move |l| l.org(&id.parse()?))
    }

    /// A team as created (its members over time: `team_members`).
    fn team(&self, py: Python<'_>, id: String) -> PyResult<vl::NewTeam> {
        self.run(py, move |l| l.team(&id.parse()?))
    }

    /// A volunteer, masked.
    fn volunteer(&self, py: Python<'_>, id: String) -> PyResult<vl::VolunteerView> {
        let id: vl::VolunteerId = check(py, id.parse())?;
        self.run(py, move |l| l.volunteer(&id))
    }
}
