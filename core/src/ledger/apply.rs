//! Applying a checked change to the state: the one place the state changes, for a new entry
//! and for one replayed alike.

use super::NONE;
use super::checks::id_space_full;
use super::state::{
    Admit, CONFIRMED_ON_ENTRY, FOUR_EYES, HeldRecord, HeldVolunteer, MAKE_UP, OrgNode, State,
    TeamNode, doc_hash, held_hash, held_identity, state_code,
};
use crate::error::{Result, invalid_field};
use crate::ids::{ActorId, RecordId, VolunteerId};
use crate::log::{Change, Entry, Move, TransferIn};
use crate::org::{BoardVisibility, NewOrg, NewTeam, Role};
use crate::ranking::BoardKind;
use crate::record::{NewRecord, RecordState};
use crate::transfer::{TransferRecord, open_package, package_hash};
use crate::vault::{DocKey, HeldIdentity, Registration};
use std::sync::Arc;

impl State {
    /// Applies a checked entry. Cannot fail for an entry that passed `check` against this
    /// state; an internal limit (4 GiB of ids) surfaces as an error before anything changes.
    pub(super) fn apply(&mut self, entry: &Entry, admit: Admit) -> Result<()> {
        self.apply_holding(entry, admit, None)
    }

    /// Applies a checked entry as [`State::apply`] does; a registration's identity as `held`
    /// when given (what its sealing made: the identity its entry's hex spells, not decoded
    /// again).
    pub(super) fn apply_holding(
        &mut self,
        entry: &Entry,
        admit: Admit,
        held: Option<HeldIdentity>,
    ) -> Result<()> {
        let actor = &entry.actor;
        match &entry.change {
            Change::LedgerCreated(c) => {
                let a = self.intern_actor(&c.platform_admin)?;
                self.platform_admins.insert(a);
            }
            Change::OrgRegistered(o) => self.apply_org_registered(o)?,
            Change::RoleGranted { grantee, role } => self.apply_role_granted(grantee, role)?,
            Change::VolunteerRegistered(v) => self.apply_volunteer_registered(v, entry, held)?,
            Change::TeamCreated(t) => self.apply_team_created(t, entry)?,
            Change::RecordAdded(r) => {
                self.push_record(r, actor, entry.seq, admit)?;
            }
            Change::RecordConfirmed { record } => self.apply_record_confirmed(actor, record)?,
            Change::RecordAmended {
                record,
                replacement,
                reason,
            } => self.apply_record_amended(entry, admit, record, replacement, reason)?,
            Change::RecordRevoked { record, reason } => {
                self.apply_record_revoked(record, reason)?
            }
            Change::RecordDisputed { record, reason } => {
                self.apply_record_disputed(record, reason)?
            }
            Change::DisputeResolved { record, note } => {
                self.apply_dispute_resolved(record, note)?
            }
            Change::VisibilitySet {
                volunteer,
                visibility,
            } => self.apply_visibility_set(volunteer, visibility)?,
            Change::SigningKeyRegistered(k) => {
                self.keys_and_transfers
                    .signing_keys
                    .push(k.public_key.to_ascii_lowercase());
            }
            Change::IssuerTrusted(i) => {
                self.keys_and_transfers
                    .trusted
                    .push((i.ledger_id.clone(), i.public_key.to_ascii_lowercase()));
            }
            Change::VolunteerMoved(m) => self.apply_volunteer_moved(m)?,
            Change::IdentityErased { volunteer } => self.apply_identity_erased(volunteer)?,
            Change::VolunteerCorrected(c) => self.apply_volunteer_corrected(c)?,
            Change::TransferredOut(t) => {
                let v = self.vol_idx(&t.volunteer)?;
                self.keys_and_transfers.transferred_out.insert(v);
            }
            Change::TransferredIn(t) => self.apply_transferred_in(t)?,
            Change::CertificateIssued(c) => {
                self.keys_and_transfers
                    .certificate_codes
                    .insert(c.code.clone(), self.keys_and_transfers.certificates.len());
                self.keys_and_transfers.certificates.push(c.clone());
                self.keys_and_transfers.certificate_times.push(entry.time);
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
            | Change::ReportedIn(_) => self.apply_side(entry)?,
            Change::CalendarSet(c) => self.apply_calendar_set(c),
        }
        self.tree.push(&entry.hash);
        Ok(())
    }

    /// An org, below its parent.
    fn apply_org_registered(&mut self, o: &NewOrg) -> Result<()> {
        let parent = match &o.parent {
            Some(p) => self.org_idx(p)?,
            None => NONE,
        };
        let idx = u32::try_from(self.orgs.len()).map_err(|_| id_space_full("orgs"))?;
        self.orgs.push(OrgNode {
            org: o.clone(),
            key: Arc::from(o.id.as_str()),
            parent,
        });
        self.org_index.insert(o.id.clone(), idx);
        Ok(())
    }

    /// A role, kept once.
    fn apply_role_granted(&mut self, grantee: &ActorId, role: &Role) -> Result<()> {
        let a = self.intern_actor(grantee)?;
        match role {
            Role::PlatformAdmin => {
                self.platform_admins.insert(a);
            }
            Role::OrgAdmin(o) | Role::Recorder(o) => {
                let o = self.org_idx(o)?;
                let admin = matches!(role, Role::OrgAdmin(_));
                let roles = self.org_roles.entry(a).or_default();
                if !roles.contains(&(o, admin)) {
                    roles.push((o, admin));
                }
            }
        }
        Ok(())
    }

    /// A volunteer and the identity they hold, indexed by its document.
    fn apply_volunteer_registered(
        &mut self,
        v: &Registration,
        entry: &Entry,
        held: Option<HeldIdentity>,
    ) -> Result<()> {
        let identity = match held {
            Some(held) => held,
            None => held_identity(v, entry.time.local_date(self.off))?,
        };
        let id = v.id().as_str();
        if !self.vol_ids.has_room(id.len()) {
            return Err(id_space_full("volunteers"));
        }
        let home_org = match v.home_org() {
            Some(h) => self.org_idx(h)?,
            None => NONE,
        };
        let idx = self
            .vol_ids
            .intern(id)
            .ok_or_else(|| id_space_full("volunteers"))?;
        let Self {
            identities,
            vols,
            clear_numbers,
            ..
        } = self;
        if let Some(k) = identity.doc_key() {
            *clear_numbers |= matches!(k, DocKey::Clear(..));
            identities.insert_unique(doc_hash(k), idx, |&i| held_hash(vols, i));
        }
        self.vols.push(HeldVolunteer {
            key: Arc::from(id),
            name: v.name().into(),
            identity,
            home_org,
            total: 0,
            records: Vec::new(),
            records_end: 0,
        });
        Ok(())
    }

    /// A team, its officers among its members.
    fn apply_team_created(&mut self, t: &NewTeam, entry: &Entry) -> Result<()> {
        let org = self.org_idx(&t.org)?;
        let idx = u32::try_from(self.teams.len()).map_err(|_| id_space_full("teams"))?;
        let mut team = t.clone();
        for v in std::iter::once(&t.leader).chain(&t.liaisons) {
            if !team.members.contains(v) {
                team.members.push(v.clone());
            }
        }
        self.teams.push(TeamNode {
            team,
            key: Arc::from(t.id.as_str()),
            org,
        });
        self.team_index.insert(t.id.clone(), idx);
        self.team_created(idx, entry)?;
        Ok(())
    }

    /// A record confirmed, and by whom.
    fn apply_record_confirmed(&mut self, actor: &ActorId, record: &RecordId) -> Result<()> {
        let i = self.rec_idx(record)?;
        let a = self.intern_actor(actor)?;
        self.set_state(i, RecordState::Confirmed)?;
        self.notes.entry(i).or_default().confirmed_by = Some(a);
        Ok(())
    }

    /// A record replaced by its amendment; each names the other.
    fn apply_record_amended(
        &mut self,
        entry: &Entry,
        admit: Admit,
        record: &RecordId,
        replacement: &NewRecord,
        reason: &str,
    ) -> Result<()> {
        let old = self.rec_idx(record)?;
        let new = self.push_record(replacement, &entry.actor, entry.seq, admit)?;
        self.set_state(old, RecordState::Amended)?;
        let e = self.notes.entry(old).or_default();
        e.superseded_by = Some(new);
        e.reason = Some(reason.to_owned());
        self.notes.entry(new).or_default().amends = Some(old);
        Ok(())
    }

    /// A record revoked, and why.
    fn apply_record_revoked(&mut self, record: &RecordId, reason: &str) -> Result<()> {
        let i = self.rec_idx(record)?;
        self.set_state(i, RecordState::Revoked)?;
        self.notes.entry(i).or_default().reason = Some(reason.to_owned());
        Ok(())
    }

    /// A record disputed: the state it had is kept for when the dispute is resolved.
    fn apply_record_disputed(&mut self, record: &RecordId, reason: &str) -> Result<()> {
        let i = self.rec_idx(record)?;
        if let Some(rec) = self.records.get_mut(i as usize) {
            let before = rec.state();
            rec.set_status(RecordState::Disputed, before);
        }
        self.notes.entry(i).or_default().reason = Some(reason.to_owned());
        Ok(())
    }

    /// A dispute resolved: the record is back in the state it had.
    fn apply_dispute_resolved(&mut self, record: &RecordId, note: &str) -> Result<()> {
        let i = self.rec_idx(record)?;
        if let Some(rec) = self.records.get_mut(i as usize) {
            let before = rec.prior();
            rec.set_status(before, before);
        }
        if !note.is_empty() {
            self.notes.entry(i).or_default().reason = Some(note.to_owned());
        }
        Ok(())
    }

    /// How a volunteer appears on boards.
    fn apply_visibility_set(
        &mut self,
        volunteer: &VolunteerId,
        visibility: &BoardVisibility,
    ) -> Result<()> {
        let v = self.vol_idx(volunteer)?;
        match visibility {
            BoardVisibility::Public => self.visibility.remove(&v),
            other => self.visibility.insert(v, other.clone()),
        };
        // Visibility decides who is on volunteer boards: rebuild them on next request.
        self.boards.retain(|k, _| k.kind != BoardKind::Volunteers);
        Ok(())
    }

    /// A volunteer's new home org or work unit.
    fn apply_volunteer_moved(&mut self, m: &Move) -> Result<()> {
        let v = self.vol_idx(&m.volunteer)?;
        let home = m.home_org.as_ref().map(|o| self.org_idx(o)).transpose()?;
        let unit = m.work_unit.as_ref().map(|o| self.org_idx(o)).transpose()?;
        if let (Some(h), Some(vol)) = (home, self.vols.get_mut(v as usize)) {
            vol.home_org = h;
        }
        if let Some(u) = unit {
            self.keys_and_transfers.work_units.insert(v, u);
        }
        Ok(())
    }

    /// A volunteer's identity number erased, and out of the index.
    fn apply_identity_erased(&mut self, volunteer: &VolunteerId) -> Result<()> {
        let v = self.vol_idx(volunteer)?;
        let Self {
            identities, vols, ..
        } = self;
        if let Some(k) = vols.get(v as usize).and_then(|x| x.identity.doc_key())
            && let Ok(found) = identities.find_entry(doc_hash(k), |&i| i == v)
        {
            found.remove();
        }
        if let Some(x) = self.vols.get_mut(v as usize) {
            x.identity.erase();
        }
        Ok(())
    }

    /// A package carried in: its records that are not counted here yet.
    fn apply_transferred_in(&mut self, t: &TransferIn) -> Result<()> {
        let p = open_package(&t.package, &self.keys_and_transfers.trusted)?;
        let v = self.vol_idx(&p.volunteer)?;
        self.keys_and_transfers
            .imported
            .insert(package_hash(&t.package));
        self.keys_and_transfers.transferred_out.remove(&v);
        // Service is counted once: see `carry`.
        let kept: Vec<TransferRecord> = self
            .carry(v, &p.records)
            .kept
            .into_iter()
            .cloned()
            .collect();
        for r in kept {
            self.keys_and_transfers
                .carried_keys
                .insert((r.ledger.to_string(), r.record.to_string()));
            self.keys_and_transfers
                .carried
                .entry(v)
                .or_default()
                .push(r);
        }
        Ok(())
    }

    pub(super) fn intern_actor(&mut self, a: &ActorId) -> Result<u32> {
        self.actors
            .intern(a.as_str())
            .ok_or_else(|| id_space_full("actors"))
    }

    pub(super) fn push_record(
        &mut self,
        r: &NewRecord,
        actor: &ActorId,
        seq: u64,
        admit: Admit,
    ) -> Result<u32> {
        let (vol, org, team) = match admit.at {
            Some(at) => at,
            None => (
                self.vol_idx(&r.volunteer)?,
                self.org_idx(&r.org)?,
                match &r.team {
                    Some(t) => self.team_idx(t)?,
                    None => NONE,
                },
            ),
        };
        let activity = match &r.activity {
            Some(a) => self
                .activities
                .intern(a.as_str())
                .ok_or_else(|| id_space_full("activities"))?,
            None => NONE,
        };
        let recorded_by = self.intern_actor(actor)?;
        let dur = u32::try_from(r.end.0 - r.start.0).map_err(|_| {
            invalid_field(
                format!("record {}", r.id),
                "end",
                "the span is longer than 136 years",
            )
        })?;
        // A record's index is also its id's and its content's: check room for both first, so
        // that nothing is half-written.
        if !self.record_ids.has_room(r.id.as_str().len()) || !self.texts.has_room(r.content.len()) {
            return Err(id_space_full("record ids and contents"));
        }
        let idx = self
            .record_ids
            .intern(r.id.as_str())
            .ok_or_else(|| id_space_full("record ids"))?;
        self.texts
            .push(&r.content)
            .ok_or_else(|| id_space_full("record contents"))?;
        let rec = HeldRecord {
            start: u32::try_from(r.start.0).map_err(|_| {
                invalid_field(
                    format!("record {}", r.id),
                    "start",
                    "lies outside 1970–2106",
                )
            })?,
            dur,
            minutes: u16::try_from(r.minutes).map_err(|_| {
                invalid_field(
                    format!("record {}", r.id),
                    "minutes",
                    "is more than a day holds",
                )
            })?,
            vol,
            org,
            team,
            activity,
            recorded_by,
            seq: u32::try_from(seq).unwrap_or(u32::MAX),
            status: state_code(admit.state) | (state_code(admit.state) << 4),
            bits: (r.source.as_code() & 3)
                | if admit.make_up { MAKE_UP } else { 0 }
                | if admit.state == RecordState::Confirmed {
                    CONFIRMED_ON_ENTRY
                } else {
                    0
                }
                | if admit.four_eyes { FOUR_EYES } else { 0 },
        };
        self.records.push(rec);
        if let Some(v) = self.vols.get_mut(vol as usize) {
            // Grow by a quarter, not double: most volunteers hold few records.
            if v.records.len() == v.records.capacity() {
                v.records.reserve_exact((v.records.len() / 4).max(4));
            }
            v.records.push(idx);
            v.records_end = v.records_end.max(rec.end());
        }
        if rec.counted() {
            self.count_rec(rec, i64::from(rec.minutes));
        }
        Ok(idx)
    }

    pub(super) fn set_state(&mut self, i: u32, state: RecordState) -> Result<()> {
        let rec = self.rec(i)?;
        let was = rec.counted();
        if let Some(r) = self.records.get_mut(i as usize) {
            r.set_status(state, state);
        }
        let now = self.rec(i)?.counted();
        if was != now {
            let m = i64::from(rec.minutes);
            self.count(i, if now { m } else { -m });
        }
        Ok(())
    }

    /// A record starts or stops counting: totals and every cached board follow.
    pub(super) fn count(&mut self, i: u32, delta: i64) {
        let Ok(rec) = self.rec(i) else { return };
        self.count_rec(rec, delta);
    }

    /// [`State::count`] for a record at hand. A record just pushed is not read back: its
    /// entry often straddles two cache lines, and reading it back waits until the line being
    /// written to has come from memory.
    pub(super) fn count_rec(&mut self, rec: HeldRecord, delta: i64) {
        if let Some(v) = self.vols.get_mut(rec.vol as usize) {
            v.total = v.total.saturating_add_signed(delta);
        }
        if self.boards.is_empty() {
            return;
        }
        let mut boards = std::mem::take(&mut self.boards);
        if let Some(ctx) = self.rec_ctx(rec) {
            for (key, board) in &mut boards {
                self.count_into(key, board, &ctx, delta);
            }
        }
        self.boards = boards;
    }
}
