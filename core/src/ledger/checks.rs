//! The checks a change passes before it is applied: well-formed ids, texts within their limits,
//! and the rules of each family of changes (the ledger and its orgs, volunteers, keys and
//! trust, transfers, certificates; records in `record_checks`, teams and activities in
//! `side_changes`).

use super::own::OwnAction;
use super::state::{Admit, State, held_identity};
use crate::error::{LedgerError, Result, invalid_field};
use crate::ids::{ActorId, OrgId, TeamId, VolunteerId};
use crate::log::{Change, unhex};
use crate::org::{BoardVisibility, Role};
use crate::record::{NewRecord, RecordState};
use crate::time::Timestamp;
use crate::transfer::{open_package, package_hash, parse_public_key};

impl State {
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
        let ok = Some(Admit::confirmed());
        let forbid = |action: &str, rule: &str| LedgerError::Forbidden {
            actor: actor.to_string(),
            action: action.to_owned(),
            rule: rule.to_owned(),
        };
        match change {
            Change::LedgerCreated(c) => {
                if !self.orgs.is_empty() || !self.platform_admins.is_empty() {
                    return Err(LedgerError::ChainBroken {
                        seq: 0,
                        detail: "ledger created twice".into(),
                    });
                }
                c.policy.validate()?;
                check_text("ledger", c.ledger_id.as_str(), "name", &c.name, 200, false)?;
                Ok(ok)
            }
            Change::OrgRegistered(o) => {
                check_text("org", &o.id.to_string(), "name", &o.name, 200, false)?;
                if self.org_index.contains_key(&o.id) {
                    return Err(LedgerError::Duplicate {
                        what: "org".into(),
                        id: o.id.to_string(),
                    });
                }
                match &o.parent {
                    None if !self.is_platform_admin(actor) => Err(forbid(
                        "register a root org",
                        "only a platform admin registers a root org",
                    )),
                    Some(p) => {
                        let p = self.org_idx(p)?;
                        if self.is_org_admin(actor, p) {
                            Ok(ok)
                        } else {
                            Err(forbid(
                                "register an org",
                                "only an admin of the parent org registers orgs below it",
                            ))
                        }
                    }
                    None => Ok(ok),
                }
            }
            Change::RoleGranted { role, .. } => match role {
                Role::PlatformAdmin if self.is_platform_admin(actor) => Ok(ok),
                Role::PlatformAdmin => Err(forbid(
                    "grant platform admin",
                    "only a platform admin grants it",
                )),
                Role::OrgAdmin(o) | Role::Recorder(o) => {
                    let o = self.org_idx(o)?;
                    if self.is_org_admin(actor, o) {
                        Ok(ok)
                    } else {
                        Err(forbid(
                            "grant an org role",
                            "only an admin of the org or above appoints its admins and recorders",
                        ))
                    }
                }
            },
            Change::VolunteerRegistered(v) => {
                let id = v.id();
                if self.vol_ids.get(id.as_str()).is_some() {
                    return Err(LedgerError::Duplicate {
                        what: "volunteer".into(),
                        id: id.to_string(),
                    });
                }
                check_text("volunteer", id.as_str(), "name", v.name(), 100, false)?;
                let held = held_identity(v, now.local_date(self.off))?;
                if let Some(k) = held.doc_key()
                    && self.identity_holder(k).is_some()
                {
                    return Err(LedgerError::DuplicateIdentity { id: id.to_string() });
                }
                let allowed = match v.home_org() {
                    Some(h) => {
                        let h = self.org_idx(h)?;
                        self.is_platform_admin(actor) || self.has_org_role(actor, h, false)
                    }
                    None => self.is_platform_admin(actor),
                };
                if allowed {
                    Ok(ok)
                } else {
                    Err(forbid(
                        "register a volunteer",
                        "only a platform admin, or an admin or recorder of the home org, registers volunteers",
                    ))
                }
            }
            Change::TeamCreated(t) => {
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
                if self.is_org_admin(actor, org) {
                    Ok(ok)
                } else {
                    Err(forbid(
                        "create a team",
                        "only an admin of the team's org or above creates teams",
                    ))
                }
            }
            Change::RecordAdded(r) => {
                if let Some(existing) = self.record_ids.get(r.id.as_str()) {
                    // Only someone who could record it learns that it exists.
                    self.may_record(actor, r)?;
                    return if self.view_new_record(existing).as_ref() == Some(r) {
                        Ok(None)
                    } else {
                        Err(LedgerError::RecordIdConflict {
                            record: r.id.to_string(),
                        })
                    };
                }
                self.check_new_record(actor, now, r, None).map(Some)
            }
            Change::RecordConfirmed { record } => {
                let i = self.rec_idx(record)?;
                let rec = self.rec(i)?;
                if rec.state() != RecordState::Pending {
                    return Err(self.bad_state(record, rec, "confirm"));
                }
                self.record_volunteer_here(rec)?;
                if self.actors.resolve(rec.recorded_by) == actor.as_str() {
                    return Err(LedgerError::SelfConfirm {
                        record: record.to_string(),
                    });
                }
                self.not_own_record(actor, record.as_str(), rec, OwnAction::Confirm)?;
                if !self.is_organiser(actor, rec.org, rec.team) {
                    return Err(forbid(
                        "confirm a record",
                        "only the organising org's recorders or admins, or the organising team's leader or liaisons, confirm records",
                    ));
                }
                if rec.four_eyes() && !self.is_org_admin(actor, rec.org) {
                    return Err(LedgerError::FourEyes {
                        record: record.to_string(),
                        minutes: u32::from(rec.minutes),
                        threshold: self.policy.fraud.four_eyes_minutes,
                    });
                }
                if rec.make_up() && !self.is_org_admin(actor, rec.org) {
                    return Err(LedgerError::MakeUpNeedsOrgAdmin {
                        record: record.to_string(),
                        window: self.policy.recording_window_working_days,
                    });
                }
                Ok(ok)
            }
            Change::RecordAmended {
                record,
                replacement,
                reason,
            } => {
                let i = self.rec_idx(record)?;
                let rec = self.rec(i)?;
                if !rec.counted() {
                    return Err(self.bad_state(record, rec, "amend"));
                }
                check_text("record", record.as_str(), "reason", reason, 500, false)?;
                if replacement.volunteer.as_str() != self.vol(rec.vol).map_or("", |v| &*v.key) {
                    return Err(invalid_field(
                        format!("record {}", replacement.id),
                        "volunteer",
                        "an amendment keeps the volunteer of the record it replaces",
                    ));
                }
                if self.record_ids.get(replacement.id.as_str()).is_some() {
                    return Err(LedgerError::Duplicate {
                        what: "record".into(),
                        id: replacement.id.to_string(),
                    });
                }
                self.not_own_record(actor, record.as_str(), rec, OwnAction::Amend)?;
                if !(self.is_platform_admin(actor) || self.has_org_role(actor, rec.org, false)) {
                    return Err(forbid(
                        "amend a record",
                        "only the organising org's recorders or admins amend records",
                    ));
                }
                self.check_new_record(actor, now, replacement, Some(i))
                    .map(Some)
            }
            Change::RecordRevoked { record, reason } => {
                let i = self.rec_idx(record)?;
                let rec = self.rec(i)?;
                if !rec.live() {
                    return Err(self.bad_state(record, rec, "revoke"));
                }
                check_text("record", record.as_str(), "reason", reason, 500, false)?;
                if !(self.is_platform_admin(actor) || self.has_org_role(actor, rec.org, false)) {
                    return Err(forbid(
                        "revoke a record",
                        "only the organising org's recorders or admins revoke records",
                    ));
                }
                Ok(ok)
            }
            Change::RecordDisputed { record, reason } => {
                let i = self.rec_idx(record)?;
                let rec = self.rec(i)?;
                if !matches!(rec.state(), RecordState::Pending | RecordState::Confirmed) {
                    return Err(self.bad_state(record, rec, "dispute"));
                }
                check_text("record", record.as_str(), "reason", reason, 500, false)?;
                let is_volunteer = self.vol(rec.vol).is_some_and(|v| &*v.key == actor.as_str());
                let involved = is_volunteer
                    || self.actors.resolve(rec.recorded_by) == actor.as_str()
                    || self.is_organiser(actor, rec.org, rec.team);
                if !involved {
                    return Err(forbid(
                        "dispute a record",
                        "only the volunteer, the recorder or the organiser disputes a record",
                    ));
                }
                Ok(ok)
            }
            Change::DisputeResolved { record, note } => {
                let i = self.rec_idx(record)?;
                let rec = self.rec(i)?;
                if rec.state() != RecordState::Disputed {
                    return Err(self.bad_state(record, rec, "resolve a dispute of"));
                }
                self.record_volunteer_here(rec)?;
                check_text("record", record.as_str(), "note", note, 500, true)?;
                self.not_own_record(actor, record.as_str(), rec, OwnAction::Resolve)?;
                if !self.is_org_admin(actor, rec.org) {
                    return Err(forbid(
                        "resolve a dispute",
                        "only an admin of the organising org or above resolves disputes",
                    ));
                }
                Ok(ok)
            }
            Change::VisibilitySet {
                volunteer,
                visibility,
            } => {
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
                if actor.as_str() == volunteer.as_str() || self.is_platform_admin(actor) {
                    Ok(ok)
                } else {
                    Err(forbid(
                        "set board visibility",
                        "only the volunteer or a platform admin chooses how they appear",
                    ))
                }
            }
            Change::SigningKeyRegistered(k) => {
                parse_public_key(&k.public_key)?;
                if !self.is_platform_admin(actor) {
                    return Err(forbid(
                        "register a signing key",
                        "only a platform admin sets the ledger's key",
                    ));
                }
                Ok(ok)
            }
            Change::IssuerTrusted(i) => {
                parse_public_key(&i.public_key)?;
                check_text("issuer", i.ledger_id.as_str(), "name", &i.name, 200, false)?;
                if !self.is_platform_admin(actor) {
                    return Err(forbid(
                        "trust an issuer",
                        "only a platform admin keeps the trust list",
                    ));
                }
                Ok(ok)
            }
            Change::VolunteerMoved(m) => {
                let v = self.vol_idx(&m.volunteer)?;
                self.still_here(v, &m.volunteer)?;
                if m.home_org.is_none() && m.work_unit.is_none() {
                    return Err(invalid_field(
                        format!("move of {}", m.volunteer),
                        "home_org",
                        "a move names a new home org, a new work unit, or both",
                    ));
                }
                // The org that holds the volunteer now lets them go, and every org the move
                // names must be the actor's to receive people into: nobody takes another
                // org's volunteer, nor hands their own to an org that did not ask.
                let mut allowed = self.holds_volunteer(actor, v);
                for o in [&m.home_org, &m.work_unit].into_iter().flatten() {
                    let o = self.org_idx(o)?;
                    allowed &= self.has_org_role(actor, o, false);
                }
                allowed |= self.is_platform_admin(actor);
                if allowed {
                    Ok(ok)
                } else {
                    Err(forbid(
                        "move a volunteer",
                        "only a platform admin, or an admin or recorder of both the volunteer's current home org and every org they move to, moves a volunteer",
                    ))
                }
            }
            Change::IdentityErased { volunteer } => {
                let v = self.vol_idx(volunteer)?;
                self.may_manage(actor, v, "erase a volunteer's identity number")?;
                if self.vol(v).is_some_and(|x| x.identity.erased) {
                    return Err(LedgerError::IdentityErased {
                        volunteer: volunteer.to_string(),
                    });
                }
                Ok(ok)
            }
            Change::TransferredOut(t) => {
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
                Ok(ok)
            }
            Change::TransferredIn(t) => {
                let p = open_package(&t.package, &self.travel.trusted)?;
                let v = self.vol_idx(&p.volunteer)?;
                self.may_manage(actor, v, "import a transfer")?;
                if self.travel.imported.contains(&package_hash(&t.package)) {
                    return Ok(None);
                }
                if let Some(d) = &p.destination
                    && d.as_str() != self.travel.ledger_id
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
                Ok(ok)
            }
            Change::CertificateIssued(c) => {
                self.vol_idx(&c.volunteer)?;
                let org = self.org_idx(&c.issuing_org)?;
                if self.travel.signing_keys.is_empty() {
                    return Err(LedgerError::NoSigningKey);
                }
                if self.travel.certificate_codes.contains_key(&c.code) {
                    return Err(LedgerError::Duplicate {
                        what: "certificate".into(),
                        id: c.number.clone(),
                    });
                }
                for r in &c.records {
                    self.rec_idx(&r.record)?;
                }
                if !self.is_org_admin(actor, org) {
                    return Err(forbid(
                        "issue a certificate",
                        "only an admin of the issuing org or above issues certificates",
                    ));
                }
                // Nobody certifies their own hours, even as an admin of the issuing org.
                if actor.as_str() == c.volunteer.as_str() {
                    let first = c.records.first().map(|r| r.record.to_string());
                    return Err(
                        OwnAction::Certify.refused(first.unwrap_or_else(|| c.number.clone()))
                    );
                }
                Ok(ok)
            }
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
        }
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
    }
}

pub(super) fn full(what: &str) -> LedgerError {
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
