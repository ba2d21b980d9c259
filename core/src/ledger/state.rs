//! The replayable state: the orgs, volunteers, teams and records a ledger holds, compactly,
//! with the lookups by id, the snapshot form of the state, and the views built from it.

use super::community_tables::CommunityTables;
use super::encoding::{json_text, offset_seconds, optional_index};
use super::{Ledger, NONE};
use crate::calendar::CalendarYear;
use crate::error::{LedgerError, Result, invalid_field};
use crate::ids::{ActorId, Identity, OrgId, RecordId, TeamId, VolunteerId, mask_name};
use crate::intern::{Interner, Texts};
use crate::log::{CertificateEntry, Hash};
use crate::org::{BoardVisibility, LedgerConfig, NewOrg, NewTeam, VolunteerView};
use crate::policy::Policy;
use crate::ranking::{Board, BoardKind};
use crate::record::{NewRecord, RecordSource, RecordState, ServiceRecord};
use crate::time::{Period, Timestamp, offset};
use crate::transfer::TransferRecord;
use crate::vault::{DocKey, HeldIdentity, Registration};
use chrono::{FixedOffset, NaiveDate};
use hashbrown::{HashMap, HashSet};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::sync::Arc;

/// An org: as it was registered, its id (shared with the boards' keys), and its parent's
/// index ([`NONE`] for a root org).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct OrgNode {
    pub(super) org: NewOrg,
    pub(super) key: Arc<str>,
    pub(super) parent: u32,
}

/// A volunteer: number, the indexes of their records, counted minutes, home org, name and the
/// identity held. Laid out so that what every record's check, application and board reads —
/// number, records, their end, total, home — fills the first cache line (60 of 64 bytes), and
/// name and identity, read by views only, the second: a record touches one line of its
/// volunteer, not two.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[repr(C, align(64))]
pub(super) struct HeldVolunteer {
    /// The volunteer number, shared with the boards' keys.
    pub(super) key: Arc<str>,
    pub(super) records: Vec<u32>,
    /// When the latest of their records (live or not) ends: a record starting on a later day
    /// than that meets none of them, and the checks against them are skipped.
    pub(super) records_end: i64,
    pub(super) total: u64,
    pub(super) home_org: u32,
    pub(super) name: Box<str>,
    pub(super) identity: HeldIdentity,
}

// Two cache lines, the first holding the fields before `name`.
const _: () = assert!(std::mem::size_of::<HeldVolunteer>() == 128);
const _: () = assert!(std::mem::offset_of!(HeldVolunteer, name) == 64);

/// A team: as it was created (its officers among its members), its id (shared with the
/// boards' keys), and its org's index.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct TeamNode {
    pub(super) team: NewTeam,
    pub(super) key: Arc<str>,
    pub(super) org: u32,
}

/// A record, compactly: 36 bytes plus its id and content in shared buffers (a record's index is
/// also the index of its id and of its content).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub(super) struct HeldRecord {
    /// Unix seconds; records lie within 1970–2106 (see `record::EARLIEST`).
    pub(super) start: u32,
    pub(super) dur: u32,
    /// At most the daily cap, itself at most 1440.
    pub(super) minutes: u16,
    pub(super) vol: u32,
    pub(super) org: u32,
    #[serde(with = "optional_index")]
    pub(super) team: u32,
    #[serde(with = "optional_index")]
    pub(super) activity: u32,
    pub(super) recorded_by: u32,
    pub(super) seq: u32,
    /// The state (low 4 bits) and the state before a dispute (high 4 bits).
    pub(super) status: u8,
    /// The source (low 2 bits), make-up (bit 2), confirmed as it was entered (bit 3), needs
    /// a second admin (bit 4).
    pub(super) bits: u8,
}

// The memory figure rests on this size; a new field must earn its bytes.
const _: () = assert!(std::mem::size_of::<HeldRecord>() == 36);

/// How many records of a bulk add are looked up together before they are checked
/// (`State::warm`): measured best of 8, 16 and 64.
pub(super) const WARM_AHEAD: usize = 16;

/// A make-up record (补录): entered after the recording window.
pub(super) const MAKE_UP: u8 = 1 << 2;

/// Confirmed as it was entered, by the organiser who entered it.
pub(super) const CONFIRMED_ON_ENTRY: u8 = 1 << 3;

/// Above the policy's four-eyes threshold: only an admin other than the enterer confirms it.
pub(super) const FOUR_EYES: u8 = 1 << 4;

/// A record state as the four bits a [`HeldRecord`] keeps it in.
pub(super) fn state_code(s: RecordState) -> u8 {
    match s {
        RecordState::Pending => 0,
        RecordState::Confirmed => 1,
        RecordState::Amended => 2,
        RecordState::Revoked => 3,
        RecordState::Disputed => 4,
    }
}

/// The record state four bits hold (see [`state_code`]).
pub(super) fn state_of(code: u8) -> RecordState {
    match code & 15 {
        1 => RecordState::Confirmed,
        2 => RecordState::Amended,
        3 => RecordState::Revoked,
        4 => RecordState::Disputed,
        _ => RecordState::Pending,
    }
}

impl HeldRecord {
    pub(super) fn state(&self) -> RecordState {
        state_of(self.status)
    }
    pub(super) fn prior(&self) -> RecordState {
        state_of(self.status >> 4)
    }
    /// Sets the state and the state before a dispute.
    pub(super) fn set_status(&mut self, state: RecordState, prior: RecordState) {
        self.status = state_code(state) | (state_code(prior) << 4);
    }
    pub(super) fn source_code(&self) -> u8 {
        self.bits & 3
    }
    pub(super) fn make_up(&self) -> bool {
        self.bits & MAKE_UP != 0
    }
    pub(super) fn confirmed_on_entry(&self) -> bool {
        self.bits & CONFIRMED_ON_ENTRY != 0
    }
    pub(super) fn four_eyes(&self) -> bool {
        self.bits & FOUR_EYES != 0
    }
    pub(super) fn counted(&self) -> bool {
        let state = self.state();
        state == RecordState::Confirmed
            || (state == RecordState::Disputed && self.prior() == RecordState::Confirmed)
    }
    pub(super) fn live(&self) -> bool {
        matches!(
            self.state(),
            RecordState::Pending | RecordState::Confirmed | RecordState::Disputed
        )
    }
    pub(super) fn start(&self) -> i64 {
        i64::from(self.start)
    }
    pub(super) fn end(&self) -> i64 {
        self.start() + i64::from(self.dur)
    }
}

/// Rarely set facts of a record, kept aside so the common record stays small.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct RecordNotes {
    /// Who confirmed a record that was pending (an organiser's own record is confirmed by them).
    pub(super) confirmed_by: Option<u32>,
    pub(super) amends: Option<u32>,
    pub(super) superseded_by: Option<u32>,
    pub(super) reason: Option<String>,
}

/// A board's scope by index: everyone, an org and the orgs below it, or a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum ScopeKey {
    All,
    Org(u32),
    Team(u32),
}

/// Which board: its period, scope and kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) struct BoardKey {
    pub(super) period: Period,
    pub(super) scope: ScopeKey,
    pub(super) kind: BoardKind,
}

/// What a check admits: the state a new record starts in.
#[derive(Debug, Clone, Copy)]
pub(super) struct Admit {
    pub(super) state: RecordState,
    pub(super) make_up: bool,
    /// Held pending for a second admin (four eyes).
    pub(super) four_eyes: bool,
    /// For a record: its volunteer's, org's and team's indexes, as the check found them (so
    /// that applying it right after does not look them up again).
    pub(super) at: Option<(u32, u32, u32)>,
}

/// The replayable state. It is also what a file ledger's snapshot holds (postcard-encoded,
/// see `snapshot_bytes`): a field added here is in the snapshot unless it is marked to be
/// rebuilt, and the snapshot test compares a restored state with a replayed one.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(super) struct State {
    #[serde(with = "offset_seconds")]
    pub(super) off: FixedOffset,
    /// As its JSON text, as are the other fields holding the library's public types (their
    /// serde forms leave out defaults or are tagged, which a self-describing format reads
    /// back and postcard cannot); the bulk — records, ids, texts — stays compact.
    #[serde(with = "json_text")]
    pub(super) policy: Policy,
    pub(super) orgs: Vec<OrgNode>,
    pub(super) org_index: HashMap<OrgId, u32>,
    pub(super) vols: Vec<HeldVolunteer>,
    /// Volunteer numbers; a volunteer's index here is their index in `vols`.
    pub(super) vol_ids: Interner,
    /// Registered identity documents, as indexes into `vols`, found by the document's hash.
    /// Rebuilt from `vols` when a snapshot is read.
    #[serde(skip)]
    pub(super) identities: hashbrown::HashTable<u32>,
    /// Whether `identities` ever took a number in clear (a version-1 registration's): when
    /// not, a lookup by number in clear is answered without one. Rebuilt with it.
    #[serde(skip)]
    pub(super) clear_numbers: bool,
    /// How volunteers who are not shown plainly appear on boards (absent: public).
    #[serde(with = "json_text")]
    pub(super) visibility: HashMap<u32, BoardVisibility>,
    pub(super) teams: Vec<TeamNode>,
    pub(super) team_index: HashMap<TeamId, u32>,
    pub(super) actors: Interner,
    pub(super) platform_admins: HashSet<u32>,
    pub(super) org_roles: HashMap<u32, Vec<(u32, bool)>>,
    pub(super) activities: Interner,
    pub(super) record_ids: Interner,
    pub(super) records: Vec<HeldRecord>,
    pub(super) texts: Texts,
    pub(super) notes: HashMap<u32, RecordNotes>,
    /// Boards asked for, kept up to date; a snapshot leaves them out (they are rebuilt when
    /// asked for again).
    #[serde(skip)]
    pub(super) boards: HashMap<BoardKey, Board>,
    #[serde(with = "json_text")]
    pub(super) keys_and_transfers: KeysAndTransfers,
    /// Teams' members over time, projects, activities, training, commendations, reports-in.
    #[serde(with = "json_text")]
    pub(super) community: CommunityTables,
    /// The Merkle frontier of the entries applied (`crate::merkle`): O(log n) hashes that give
    /// the root a signed head names, and the hashes of the entries applied since it was last
    /// asked for, folded in when it is (a signed head, a proof, a snapshot), not on every
    /// append. In the snapshot (folded), so that an open replays nothing for it.
    pub(super) tree: crate::merkle::LazyFrontier,
    /// The working-day calendars set in the log, by year (`calendars`).
    #[serde(with = "json_text")]
    pub(super) calendars: BTreeMap<i32, CalendarYear>,
    /// Phones held, and certificates superseded by corrections of what they showed.
    pub(super) corrections: super::corrections::Corrections,
}

/// Keys, trust, moves, transfers and certificates: rare facts, kept aside.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct KeysAndTransfers {
    pub(super) ledger_id: String,
    /// Every public key the ledger has registered, the current one last (hex).
    pub(super) signing_keys: Vec<String>,
    /// Trusted issuers: (ledger id, public key hex).
    pub(super) trusted: Vec<(crate::ids::LedgerId, String)>,
    pub(super) work_units: HashMap<u32, u32>,
    pub(super) transferred_out: HashSet<u32>,
    /// History carried in from other ledgers, per volunteer.
    pub(super) carried: HashMap<u32, Vec<TransferRecord>>,
    /// (ledger, record) of every carried record, so none is counted twice.
    pub(super) carried_keys: HashSet<(String, String)>,
    /// Hashes of the packages imported.
    pub(super) imported: HashSet<String>,
    pub(super) certificates: Vec<CertificateEntry>,
    pub(super) certificate_codes: HashMap<String, usize>,
    /// When each certificate was issued (the time of its entry), by its place in
    /// `certificates`.
    pub(super) certificate_times: Vec<Timestamp>,
}

/// The context a record's board contribution is judged in.
pub(super) struct RecordContext<'a> {
    pub(super) date: NaiveDate,
    pub(super) ancestors: Vec<u32>,
    pub(super) rec: HeldRecord,
    pub(super) vol: &'a HeldVolunteer,
    pub(super) team_key: Option<&'a Arc<str>>,
    pub(super) hidden: bool,
}

impl State {
    pub(super) fn new(config: &LedgerConfig) -> Result<Self> {
        config.policy.validate()?;
        Ok(Self {
            off: offset(config.utc_offset_minutes)?,
            policy: config.policy.clone(),
            orgs: Vec::new(),
            org_index: HashMap::new(),
            vols: Vec::new(),
            vol_ids: Interner::default(),
            identities: hashbrown::HashTable::new(),
            clear_numbers: false,
            visibility: HashMap::new(),
            teams: Vec::new(),
            team_index: HashMap::new(),
            actors: Interner::default(),
            platform_admins: HashSet::new(),
            org_roles: HashMap::new(),
            activities: Interner::default(),
            record_ids: Interner::default(),
            records: Vec::new(),
            texts: Texts::default(),
            notes: HashMap::new(),
            boards: HashMap::new(),
            keys_and_transfers: KeysAndTransfers {
                ledger_id: config.ledger_id.to_string(),
                ..KeysAndTransfers::default()
            },
            community: CommunityTables::default(),
            tree: crate::merkle::LazyFrontier::default(),
            calendars: BTreeMap::new(),
            corrections: Default::default(),
        })
    }

    /// The state as a snapshot's bytes.
    pub(super) fn snapshot_bytes(&self) -> Vec<u8> {
        // Our own types always encode; an empty snapshot is simply not used.
        postcard::to_allocvec(self).unwrap_or_default()
    }

    /// A state from a snapshot's bytes, or `None` when they do not decode or belong to
    /// another ledger (the caller then replays the whole log).
    pub(super) fn from_snapshot(bytes: &[u8], config: &LedgerConfig) -> Option<Self> {
        let mut state: Self = postcard::from_bytes(bytes).ok()?;
        if state.keys_and_transfers.ledger_id != config.ledger_id.as_str() {
            return None;
        }
        let Self {
            identities,
            vols,
            clear_numbers,
            ..
        } = &mut state;
        identities.reserve(vols.len(), |&j| held_hash(vols, j));
        for (i, v) in vols.iter().enumerate() {
            let i = u32::try_from(i).ok()?;
            if let Some(k) = v.identity.doc_key() {
                *clear_numbers |= matches!(k, DocKey::Clear(..));
                identities.insert_unique(doc_hash(k), i, |&j| held_hash(vols, j));
            }
        }
        Some(state)
    }

    pub(super) fn org_idx(&self, id: &OrgId) -> Result<u32> {
        self.org_index
            .get(id)
            .copied()
            .ok_or_else(|| LedgerError::UnknownOrg { id: id.to_string() })
    }

    pub(super) fn vol_idx(&self, id: &VolunteerId) -> Result<u32> {
        self.vol_ids
            .get(id.as_str())
            .ok_or_else(|| LedgerError::UnknownVolunteer { id: id.to_string() })
    }

    /// The volunteer holding an identity document, if any.
    pub(crate) fn identity_holder(&self, key: DocKey<'_>) -> Option<u32> {
        if matches!(key, DocKey::Clear(..)) && !self.clear_numbers {
            return None;
        }
        self.identities
            .find(doc_hash(key), |&i| {
                self.vols
                    .get(i as usize)
                    .is_some_and(|v| v.identity.doc_key() == Some(key))
            })
            .copied()
    }

    pub(super) fn vol_visibility(&self, v: u32) -> BoardVisibility {
        self.visibility.get(&v).cloned().unwrap_or_default()
    }

    pub(super) fn team_idx(&self, id: &TeamId) -> Result<u32> {
        self.team_index
            .get(id)
            .copied()
            .ok_or_else(|| LedgerError::UnknownTeam { id: id.to_string() })
    }

    pub(super) fn rec_idx(&self, id: &RecordId) -> Result<u32> {
        self.record_ids
            .get(id.as_str())
            .ok_or_else(|| LedgerError::UnknownRecord { id: id.to_string() })
    }

    /// Reads what checking `r` reads first — its volunteer's and its own id's lookups, the
    /// volunteer's entry — and decides nothing. A bulk add calls it for a few records before
    /// checking them, so that their waits on memory overlap instead of coming one after
    /// another (in a big ledger each of these reads misses the caches).
    pub(super) fn warm(&self, r: &NewRecord) {
        let vol = self.vol_ids.get(r.volunteer.as_str());
        let v = vol
            .and_then(|i| self.vol(i))
            .map(|v| (v.records_end, v.total, v.records.last().copied()));
        std::hint::black_box((v, self.record_ids.get(r.id.as_str())));
    }

    pub(super) fn vol(&self, i: u32) -> Option<&HeldVolunteer> {
        self.vols.get(i as usize)
    }

    /// A volunteer by number, with their index (`E_UNKNOWN_VOLUNTEER` for an unknown one).
    pub(super) fn volunteer_of(&self, id: &VolunteerId) -> Result<(u32, &HeldVolunteer)> {
        self.vol_ids
            .get(id.as_str())
            .and_then(|i| self.vol(i).map(|v| (i, v)))
            .ok_or_else(|| LedgerError::UnknownVolunteer { id: id.to_string() })
    }

    /// An org by id (`E_UNKNOWN_ORG` for an unknown one).
    pub(super) fn org_of(&self, id: &OrgId) -> Result<&OrgNode> {
        self.org_index
            .get(id)
            .and_then(|&i| self.orgs.get(i as usize))
            .ok_or_else(|| LedgerError::UnknownOrg { id: id.to_string() })
    }

    /// A team by id (`E_UNKNOWN_TEAM` for an unknown one).
    pub(super) fn team_of(&self, id: &TeamId) -> Result<&TeamNode> {
        self.team_index
            .get(id)
            .and_then(|&i| self.teams.get(i as usize))
            .ok_or_else(|| LedgerError::UnknownTeam { id: id.to_string() })
    }

    pub(super) fn rec(&self, i: u32) -> Result<HeldRecord> {
        self.records
            .get(i as usize)
            .copied()
            .ok_or_else(|| LedgerError::UnknownRecord { id: i.to_string() })
    }

    /// An org and its ancestors, nearest first.
    pub(super) fn ancestors(&self, org: u32) -> Vec<u32> {
        let mut out = Vec::with_capacity(6);
        let mut cur = org;
        while cur != NONE && out.len() <= self.orgs.len() {
            out.push(cur);
            cur = self.orgs.get(cur as usize).map_or(NONE, |o| o.parent);
        }
        out
    }

    /// Minutes carried in from other ledgers.
    pub(super) fn carried_minutes(&self, v: u32) -> u64 {
        self.keys_and_transfers.carried.get(&v).map_or(0, |c| {
            c.iter().map(|r| u64::from(r.counted_minutes())).sum()
        })
    }

    pub(super) fn view_new_record(&self, i: u32) -> Option<NewRecord> {
        let rec = self.records.get(i as usize)?;
        Some(NewRecord {
            id: RecordId::new(self.record_ids.resolve(i)).ok()?,
            volunteer: VolunteerId::new(&*self.vol(rec.vol)?.key).ok()?,
            org: self.orgs.get(rec.org as usize)?.org.id.clone(),
            team: self.teams.get(rec.team as usize).map(|t| t.team.id.clone()),
            activity: if rec.activity == NONE {
                None
            } else {
                crate::ids::ActivityId::new(self.activities.resolve(rec.activity)).ok()
            },
            start: Timestamp(rec.start()),
            end: Timestamp(rec.end()),
            minutes: i64::from(rec.minutes),
            content: self.texts.get(i).to_owned(),
            source: RecordSource::from_code(rec.source_code()),
            paid: false,
            job_duty: false,
            public_benefit: true,
        })
    }

    /// See [`Ledger::state_digest`].
    pub(super) fn digest(&self) -> Hash {
        use sha2::{Digest, Sha256};
        let mut h = Sha256::new();
        for i in 0..self.records.len() {
            if let Some(r) = self.view_record(u32::try_from(i).unwrap_or(u32::MAX)) {
                h.update(serde_json::to_vec(&r).unwrap_or_default());
            }
        }
        for (i, v) in self.vols.iter().enumerate() {
            h.update(v.key.as_bytes());
            h.update(v.total.to_le_bytes());
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            // Name, identity and phone (a correction changes them).
            h.update(v.name.as_bytes());
            h.update(v.identity.mask.as_bytes());
            h.update([u8::from(v.identity.erased)]);
            if let Some(p) = self.corrections.phones.get(&i) {
                h.update(p.mask.as_bytes());
            }
            let vis = self.vol_visibility(i);
            h.update(serde_json::to_vec(&vis).unwrap_or_default());
        }
        for o in &self.orgs {
            h.update(serde_json::to_vec(&o.org).unwrap_or_default());
        }
        for t in &self.teams {
            h.update(serde_json::to_vec(&t.team).unwrap_or_default());
        }
        let mut units: Vec<_> = self.keys_and_transfers.work_units.iter().collect();
        units.sort();
        h.update(format!("{units:?}"));
        self.community.digest(&mut h);
        Hash(h.finalize().into())
    }

    /// A volunteer as every view shows them: masked.
    pub(super) fn volunteer_view(&self, vi: u32) -> Option<VolunteerView> {
        let v = self.vol(vi)?;
        Some(VolunteerView {
            id: VolunteerId::new(&*v.key).ok()?,
            masked_name: mask_name(&v.name),
            identity_kind: v.identity.kind,
            masked_identity: v.identity.mask.to_string(),
            identity_erased: v.identity.erased,
            masked_phone: self.corrections.phones.get(&vi).map(|p| p.mask.clone()),
            home_org: self.orgs.get(v.home_org as usize).map(|o| o.org.id.clone()),
            // Signed for the bindings' Java callers; never near i64::MAX in practice.
            total_minutes: i64::try_from(v.total + self.carried_minutes(vi)).unwrap_or(i64::MAX),
            carried_minutes: i64::try_from(self.carried_minutes(vi)).unwrap_or(i64::MAX),
            visibility: self.vol_visibility(vi),
            work_unit: self
                .keys_and_transfers
                .work_units
                .get(&vi)
                .and_then(|u| self.orgs.get(*u as usize))
                .map(|o| o.org.id.clone()),
            transferred_out: self.keys_and_transfers.transferred_out.contains(&vi),
        })
    }

    pub(super) fn view_record(&self, i: u32) -> Option<ServiceRecord> {
        let rec = self.records.get(i as usize)?;
        let extra = self.notes.get(&i);
        let rid = |x: Option<u32>| x.and_then(|x| RecordId::new(self.record_ids.resolve(x)).ok());
        let actor = |a: u32| {
            if a == NONE {
                None
            } else {
                ActorId::new(self.actors.resolve(a)).ok()
            }
        };
        Some(ServiceRecord {
            record: self.view_new_record(i)?,
            state: rec.state(),
            counted: rec.counted(),
            make_up: rec.make_up(),
            recorded_by: actor(rec.recorded_by)?,
            confirmed_by: match extra.and_then(|e| e.confirmed_by) {
                Some(a) => actor(a),
                None if rec.confirmed_on_entry() => actor(rec.recorded_by),
                None => None,
            },
            four_eyes: rec.four_eyes(),
            amends: rid(extra.and_then(|e| e.amends)),
            superseded_by: rid(extra.and_then(|e| e.superseded_by)),
            reason: extra.and_then(|e| e.reason.clone()),
            entry_seq: i64::from(rec.seq),
        })
    }
}

/// A hash of an identity document's index key, stable within a process: seeded at random
/// once per process, so that no file or input can choose keys that collide.
pub(super) fn doc_hash(key: DocKey<'_>) -> u64 {
    use std::hash::BuildHasher;
    static SEEDED: std::sync::OnceLock<hashbrown::DefaultHashBuilder> = std::sync::OnceLock::new();
    SEEDED.get_or_init(Default::default).hash_one(key)
}

/// The index hash of a volunteer's identity (0 when it is not indexed).
pub(super) fn held_hash(vols: &[HeldVolunteer], i: u32) -> u64 {
    vols.get(i as usize)
        .and_then(|v| v.identity.doc_key())
        .map_or(0, doc_hash)
}

/// The identity a registration holds, as the state keeps it: a version-1 number is
/// validated again (at the entry's local date); a sealed one must have a sealed one's shape.
pub(super) fn held_identity(r: &Registration, today: NaiveDate) -> Result<HeldIdentity> {
    let clear = match r {
        Registration::Clear(v) => Some(Identity::new_at(
            v.identity_kind,
            &v.identity_number,
            today,
        )?),
        Registration::Sealed(_) => None,
    };
    HeldIdentity::of(r, clear.as_ref()).ok_or_else(|| not_sealed(r.id()))
}

/// A registration's sealed identity is not the shape of one.
pub(super) fn not_sealed(id: &crate::ids::VolunteerId) -> crate::error::LedgerError {
    invalid_field(
        "volunteer",
        id.as_str(),
        "identity is not a sealed identity: mask, tag (64 hex digits) and ciphertext",
    )
}

impl Ledger {
    /// Bytes held by the ledger's state — records, their ids, per-volunteer data, every index,
    /// the entry hashes not yet folded into the Merkle tree — counted from the structures'
    /// sizes and capacities, free text (names, contents) and the log aside; cached boards
    /// aside (they exist only for the boards asked for). The memory benchmark reports it per
    /// record next to the measured growth of resident memory.
    pub fn state_bytes(&self) -> usize {
        let s = &self.state;
        let per_volunteer: usize = s
            .vols
            .iter()
            .map(|v| v.records.capacity() * 4 + 16 + v.key.len() + v.identity.heap_bytes())
            .sum::<usize>()
            + s.vols.capacity() * std::mem::size_of::<HeldVolunteer>();
        // hashbrown: one control byte and the value per bucket; buckets = capacity * 8 / 7.
        let table = |cap: usize, value: usize| cap * 8 / 7 * (value + 1);
        s.records.capacity() * std::mem::size_of::<HeldRecord>()
            + s.record_ids.heap_bytes()
            + s.texts.index_bytes()
            + s.vol_ids.heap_bytes()
            + per_volunteer
            + table(s.identities.capacity(), 4)
            + table(
                s.notes.capacity(),
                std::mem::size_of::<(u32, RecordNotes)>(),
            )
            + table(
                s.visibility.capacity(),
                std::mem::size_of::<(u32, BoardVisibility)>(),
            )
            + s.activities.heap_bytes()
            + s.actors.heap_bytes()
            + s.tree.pending_bytes()
    }

    /// A digest of the observable state (every record as viewed, every volunteer's totals):
    /// two ledgers with the same digest answer every query alike. Used to show that replay
    /// rebuilds identical state.
    pub fn state_digest(&self) -> Hash {
        self.state.digest()
    }
}
