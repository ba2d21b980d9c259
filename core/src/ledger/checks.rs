//! The checks a change passes before it is applied: well-formed ids, texts within their limits,
//! and the rules of each family of changes (the ledger and its orgs, volunteers, keys and
//! trust, transfers, certificates; records in `record_checks`, teams and activities in
//! `community_changes`).

use super::own::not_own_certificate;
use super::state::{Admit, State, held_identity, not_sealed};
use crate::error::{LedgerError, Result, invalid_field};
use crate::ids::{ActorId, OrgId, TeamId, VolunteerId};
use crate::log::{CertificateEntry, Change, KeyRegistration, Move, TransferIn, TransferOut, unhex};
use crate::org::{BoardVisibility, LedgerConfig, NewOrg, NewTeam, Role};
use crate::record::NewRecord;
use crate::time::Timestamp;
use crate::transfer::{Issuer, open_package, package_hash, parse_public_key};
use crate::vault::{DocKey, HeldIdentity, Registration};

impl State {
    /// Whether `actor` may make `change` at `now`, and in what state a new record starts:
    /// the ids are well formed, the clock is in range, and the rules of the change's family
    /// hold.
    pub(super) fn check(
        &self,
        actor: &ActorId,
        now: Timestamp,
        change: &Change,
    ) -> Result<Option<Admit>> {
        check_ids(actor, change)?;
        if !(crate::record::EARLIEST..=crate::record::LATEST).contains(&now.0) {
            return Err(invalid_field(
                "entry",
                "time",
                "the ledger's clock lies outside 1970–2106",
            ));
        }
        match change {
            Change::LedgerCreated(c) => self.check_ledger_created(c),
            Change::OrgRegistered(o) => self.check_org_registered(actor, o),
            Change::RoleGranted { role, .. } => self.check_role_granted(actor, role),
            Change::VolunteerRegistered(v) => self.check_volunteer_registered(actor, now, v),
            Change::TeamCreated(t) => self.check_team_created(actor, t),
            Change::RecordAdded(r) => self.check_record_added(actor, now, r),
            Change::RecordConfirmed { record } => self.check_record_confirmed(actor, record),
            Change::RecordAmended {
                record,
                replacement,
                reason,
            } => self.check_record_amended(actor, now, record, replacement, reason),
            Change::RecordRevoked { record, reason } => {
                self.check_record_revoked(actor, record, reason)
            }
            Change::RecordDisputed { record, reason } => {
                self.check_record_disputed(actor, record, reason)
            }
            Change::DisputeResolved { record, note } => {
                self.check_dispute_resolved(actor, record, note)
            }
            Change::VisibilitySet {
                volunteer,
                visibility,
            } => self.check_visibility_set(actor, volunteer, visibility),
            Change::SigningKeyRegistered(k) => self.check_signing_key(actor, k),
            Change::IssuerTrusted(i) => self.check_issuer_trusted(actor, i),
            Change::VolunteerMoved(m) => self.check_volunteer_moved(actor, m),
            Change::IdentityErased { volunteer } => self.check_identity_erased(actor, volunteer),
            Change::VolunteerCorrected(c) => self.check_volunteer_corrected(actor, c),
            Change::TransferredOut(t) => self.check_transferred_out(actor, t),
            Change::TransferredIn(t) => self.check_transferred_in(actor, t),
            Change::CertificateIssued(c) => self.check_certificate_issued(actor, c),
            Change::TeamMemberJoined(_)
            | Change::TeamMemberLeft(_)
            | Change::ProjectPublished(_)
            | Change::ProjectClaimed(_)
            | Change::ActivityCreated(_)
            | Change::ActivityEvaluated(_)
            | Change::ComplaintRecorded(_)
            | Change::TrainingRecorded(_)
            | Change::CommendationRecorded(_)
            | Change::ReportedIn(_) => self.check_side(actor, now, change),
            Change::CalendarSet(c) => self.check_calendar_set(actor, c),
        }
    }

    /// The first entry, once: its policy and name.
    fn check_ledger_created(&self, c: &LedgerConfig) -> Result<Option<Admit>> {
        if !self.orgs.is_empty() || !self.platform_admins.is_empty() {
            return Err(LedgerError::ChainBroken {
                seq: 0,
                detail: "ledger created twice".into(),
            });
        }
        c.policy.validate()?;
        check_text("ledger", c.ledger_id.as_str(), "name", &c.name, 200, false)?;
        admitted()
    }

    /// A root org is registered by a platform admin, an org below another by an admin of its
    /// parent.
    fn check_org_registered(&self, actor: &ActorId, o: &NewOrg) -> Result<Option<Admit>> {
        check_text("org", &o.id.to_string(), "name", &o.name, 200, false)?;
        if self.org_index.contains_key(&o.id) {
            return Err(LedgerError::Duplicate {
                what: "org".into(),
                id: o.id.to_string(),
            });
        }
        let parent = o.parent.as_ref().map(|p| self.org_idx(p)).transpose()?;
        self.may_register_org(actor, parent)?;
        admitted()
    }

    /// Platform admins appoint platform admins; an admin of an org or above appoints its admins
    /// and recorders.
    fn check_role_granted(&self, actor: &ActorId, role: &Role) -> Result<Option<Admit>> {
        match role {
            Role::PlatformAdmin => self.may_grant_platform_admin(actor)?,
            Role::OrgAdmin(o) | Role::Recorder(o) => {
                let o = self.org_idx(o)?;
                self.may_grant_org_role(actor, o)?;
            }
        }
        admitted()
    }

    /// A new volunteer number and identity document, registered by a platform admin or by an
    /// admin or recorder of the home org.
    fn check_volunteer_registered(
        &self,
        actor: &ActorId,
        now: Timestamp,
        v: &Registration,
    ) -> Result<Option<Admit>> {
        let id = v.id();
        if self.vol_ids.get(id.as_str()).is_some() {
            return Err(LedgerError::Duplicate {
                what: "volunteer".into(),
                id: id.to_string(),
            });
        }
        check_text("volunteer", id.as_str(), "name", v.name(), 100, false)?;
        let today = now.local_date(self.off);
        let duplicate = match v {
            // Only the tag is needed here: the ciphertext is decoded as the entry is applied.
            Registration::Sealed(s) => {
                let tag = HeldIdentity::sealed_tag(&s.identity).ok_or_else(|| not_sealed(id))?;
                tag.is_some_and(|t| {
                    let key = DocKey::Tag(s.identity.kind, &t);
                    self.identity_holder(key).is_some()
                })
            }
            Registration::Clear(_) => {
                let held = held_identity(v, today)?;
                held.doc_key()
                    .is_some_and(|k| self.identity_holder(k).is_some())
            }
        };
        if duplicate {
            return Err(LedgerError::DuplicateIdentity { id: id.to_string() });
        }
        let home = v.home_org().map(|h| self.org_idx(h)).transpose()?;
        self.may_register_volunteer(actor, home)?;
        admitted()
    }

    /// A new team, its officers and members registered volunteers, created by an admin of its org
    /// or above.
    fn check_team_created(&self, actor: &ActorId, t: &NewTeam) -> Result<Option<Admit>> {
        if self.team_index.contains_key(&t.id) {
            return Err(LedgerError::Duplicate {
                what: "team".into(),
                id: t.id.to_string(),
            });
        }
        check_text("team", t.id.as_str(), "name", &t.name, 200, false)?;
        let org = self.org_idx(&t.org)?;
        for v in std::iter::once(&t.leader)
            .chain(&t.liaisons)
            .chain(&t.members)
        {
            self.vol_idx(v)?;
        }
        self.may_create_team(actor, org)?;
        admitted()
    }

    /// How a volunteer appears on boards, chosen by them or a platform admin.
    fn check_visibility_set(
        &self,
        actor: &ActorId,
        volunteer: &VolunteerId,
        visibility: &BoardVisibility,
    ) -> Result<Option<Admit>> {
        self.vol_idx(volunteer)?;
        if let BoardVisibility::Pseudonym { name } = visibility {
            check_text(
                "volunteer",
                volunteer.as_str(),
                "pseudonym",
                name,
                40,
                false,
            )?;
        }
        self.may_set_visibility(actor, volunteer)?;
        admitted()
    }

    /// The ledger's signing key, set by a platform admin.
    fn check_signing_key(&self, actor: &ActorId, k: &KeyRegistration) -> Result<Option<Admit>> {
        parse_public_key(&k.public_key)?;
        self.may_register_signing_key(actor)?;
        admitted()
    }

    /// Another ledger's key trusted, by a platform admin.
    fn check_issuer_trusted(&self, actor: &ActorId, i: &Issuer) -> Result<Option<Admit>> {
        parse_public_key(&i.public_key)?;
        check_text("issuer", i.ledger_id.as_str(), "name", &i.name, 200, false)?;
        self.may_trust_issuer(actor)?;
        admitted()
    }

    /// A volunteer moved to another home org or work unit.
    fn check_volunteer_moved(&self, actor: &ActorId, m: &Move) -> Result<Option<Admit>> {
        let v = self.vol_idx(&m.volunteer)?;
        self.still_here(v, &m.volunteer)?;
        if m.home_org.is_none() && m.work_unit.is_none() {
            return Err(invalid_field(
                format!("move of {}", m.volunteer),
                "home_org",
                "a move names a new home org, a new work unit, or both",
            ));
        }
        let to = [&m.home_org, &m.work_unit]
            .into_iter()
            .flatten()
            .map(|o| self.org_idx(o))
            .collect::<Result<Vec<_>>>()?;
        self.may_move_volunteer(actor, v, &to)?;
        admitted()
    }

    /// A volunteer's identity number erased, once.
    fn check_identity_erased(
        &self,
        actor: &ActorId,
        volunteer: &VolunteerId,
    ) -> Result<Option<Admit>> {
        let v = self.vol_idx(volunteer)?;
        self.may_manage(actor, v, "erase a volunteer's identity number")?;
        if self.vol(v).is_some_and(|x| x.identity.erased) {
            return Err(LedgerError::IdentityErased {
                volunteer: volunteer.to_string(),
            });
        }
        admitted()
    }

    /// A volunteer transferred out to another ledger.
    fn check_transferred_out(&self, actor: &ActorId, t: &TransferOut) -> Result<Option<Admit>> {
        let v = self.vol_idx(&t.volunteer)?;
        self.still_here(v, &t.volunteer)?;
        if unhex::<32>(&t.package_hash).is_none() {
            return Err(invalid_field(
                "transfer",
                "package_hash",
                "is not 64 hex digits",
            ));
        }
        self.may_manage(actor, v, "transfer a volunteer out")?;
        admitted()
    }

    /// A package from a trusted ledger, for this ledger and a volunteer with the same identity
    /// (one imported before is admitted without effect).
    fn check_transferred_in(&self, actor: &ActorId, t: &TransferIn) -> Result<Option<Admit>> {
        let p = open_package(&t.package, &self.keys_and_transfers.trusted)?;
        let v = self.vol_idx(&p.volunteer)?;
        self.may_manage(actor, v, "import a transfer")?;
        if self
            .keys_and_transfers
            .imported
            .contains(&package_hash(&t.package))
        {
            return Ok(None);
        }
        if let Some(d) = &p.destination
            && d.as_str() != self.keys_and_transfers.ledger_id
        {
            return Err(LedgerError::TransferDestination {
                destination: d.to_string(),
            });
        }
        let vol = self.vol(v).ok_or_else(|| LedgerError::UnknownVolunteer {
            id: p.volunteer.to_string(),
        })?;
        if vol.identity.kind != p.identity_kind || *vol.identity.mask != p.masked_identity {
            return Err(LedgerError::TransferIdentity {
                volunteer: p.volunteer.to_string(),
            });
        }
        admitted()
    }

    /// A certificate issued by an admin of the issuing org or above, never to themselves.
    fn check_certificate_issued(
        &self,
        actor: &ActorId,
        c: &CertificateEntry,
    ) -> Result<Option<Admit>> {
        self.vol_idx(&c.volunteer)?;
        let org = self.org_idx(&c.issuing_org)?;
        if self.keys_and_transfers.signing_keys.is_empty() {
            return Err(LedgerError::NoSigningKey);
        }
        if self
            .keys_and_transfers
            .certificate_codes
            .contains_key(&c.code)
        {
            return Err(LedgerError::Duplicate {
                what: "certificate".into(),
                id: c.number.clone(),
            });
        }
        for r in &c.records {
            self.rec_idx(&r.record)?;
        }
        self.may_issue_certificate(actor, org)?;
        not_own_certificate(actor, c)?;
        admitted()
    }
}

/// Every id a change names must be well formed (see [`VolunteerId::check`]).
pub(super) fn check_ids(actor: &ActorId, change: &Change) -> Result<()> {
    fn record(r: &NewRecord) -> Result<()> {
        r.id.check()?;
        r.volunteer.check()?;
        r.org.check()?;
        r.team.as_ref().map_or(Ok(()), TeamId::check)?;
        r.activity
            .as_ref()
            .map_or(Ok(()), crate::ids::ActivityId::check)
    }
    actor.check()?;
    match change {
        Change::LedgerCreated(c) => {
            c.ledger_id.check()?;
            c.platform_admin.check()
        }
        Change::OrgRegistered(o) => {
            o.id.check()?;
            o.parent.as_ref().map_or(Ok(()), OrgId::check)
        }
        Change::RoleGranted { grantee, role } => {
            grantee.check()?;
            match role {
                Role::PlatformAdmin => Ok(()),
                Role::OrgAdmin(o) | Role::Recorder(o) => o.check(),
            }
        }
        Change::VolunteerRegistered(v) => {
            v.id().check()?;
            v.home_org().map_or(Ok(()), OrgId::check)
        }
        Change::IdentityErased { volunteer } => volunteer.check(),
        Change::VolunteerCorrected(c) => c.volunteer.check(),
        Change::TeamCreated(t) => {
            t.id.check()?;
            t.org.check()?;
            std::iter::once(&t.leader)
                .chain(&t.liaisons)
                .chain(&t.members)
                .try_for_each(VolunteerId::check)
        }
        Change::RecordAdded(r) => record(r),
        Change::RecordAmended {
            record: id,
            replacement,
            ..
        } => {
            id.check()?;
            record(replacement)
        }
        Change::RecordConfirmed { record }
        | Change::RecordRevoked { record, .. }
        | Change::RecordDisputed { record, .. }
        | Change::DisputeResolved { record, .. } => record.check(),
        Change::VisibilitySet { volunteer, .. } => volunteer.check(),
        Change::SigningKeyRegistered(_) | Change::TransferredIn(_) => Ok(()),
        Change::IssuerTrusted(i) => i.ledger_id.check(),
        Change::VolunteerMoved(m) => {
            m.volunteer.check()?;
            [&m.home_org, &m.work_unit]
                .into_iter()
                .flatten()
                .try_for_each(OrgId::check)
        }
        Change::TransferredOut(t) => {
            t.volunteer.check()?;
            t.destination
                .as_ref()
                .map_or(Ok(()), crate::ids::LedgerId::check)
        }
        Change::CertificateIssued(c) => {
            c.volunteer.check()?;
            c.issuing_org.check()?;
            c.records.iter().try_for_each(|r| r.record.check())
        }
        Change::TeamMemberJoined(m) | Change::TeamMemberLeft(m) => {
            m.team.check()?;
            m.volunteer.check()
        }
        Change::ProjectPublished(p) => {
            p.id.check()?;
            p.org.check()
        }
        Change::ProjectClaimed(c) => {
            c.project.check()?;
            c.team.check()
        }
        Change::ActivityCreated(a) => {
            a.id.check()?;
            a.org.check()?;
            a.project
                .as_ref()
                .map_or(Ok(()), crate::ids::ProjectId::check)?;
            a.team.as_ref().map_or(Ok(()), TeamId::check)
        }
        Change::ActivityEvaluated(e) => e.activity.check(),
        Change::ComplaintRecorded(c) => {
            c.activity.check()?;
            c.volunteer.as_ref().map_or(Ok(()), VolunteerId::check)
        }
        Change::TrainingRecorded(t) => {
            t.id.check()?;
            t.org.check()?;
            t.volunteer.check()
        }
        Change::CommendationRecorded(c) => {
            c.id.check()?;
            c.org.check()?;
            c.volunteer.check()
        }
        Change::ReportedIn(r) => {
            r.community.check()?;
            r.volunteer.check()?;
            r.work_unit.check()
        }
        Change::CalendarSet(_) => Ok(()),
    }
}

pub(super) fn id_space_full(what: &str) -> LedgerError {
    invalid_field("ledger", what, "the ledger's 4 GiB id space is full")
}

pub(super) fn check_text(
    what: &str,
    id: &str,
    field: &str,
    text: &str,
    max: usize,
    may_be_empty: bool,
) -> Result<()> {
    let at = || format!("{what} {id}");
    if !may_be_empty && text.trim().is_empty() {
        return Err(invalid_field(at(), field, "is empty"));
    }
    if text.chars().count() > max {
        return Err(invalid_field(
            at(),
            field,
            format!("is longer than {max} characters"),
        ));
    }
    if text.chars().any(char::is_control) {
        return Err(invalid_field(at(), field, "holds control characters"));
    }
    Ok(())
}

/// A change admitted as it is (a record says what state it starts in instead).
pub(super) fn admitted() -> Result<Option<Admit>> {
    Ok(Some(Admit::confirmed()))
}
