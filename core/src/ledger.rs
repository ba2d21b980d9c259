//! The ledger: the aggregate that checks and applies entries and answers queries.
//!
//! Every change goes through one path: `check` (validation and authorisation against the
//! current state, with the entry's actor and time) then `apply`. Replaying a log runs the same
//! path, so the state is a pure function of the entries.

use crate::certificate::{Certificate, CertificateCheck, CertificateRecord, CertificateStatus};
use crate::checkpoint::{InclusionProof, SignedHead};
use crate::error::{LedgerError, Result, invalid_field};
use crate::ids::{ActorId, Identity, OrgId, RecordId, TeamId, VolunteerId, mask_name};
use crate::intern::{Interner, Texts};
use crate::log::{
    CertificateEntry, CertifiedRecord, Change, Entry, Hash, KeyRegistration, Move, TransferIn,
    TransferOut, VerifyReport, check_position, hash_bytes, unhex, verify_chain,
};
use crate::org::{BoardVisibility, LedgerConfig, NewOrg, NewTeam, Org, Role, VolunteerView};
use crate::policy::Policy;
use crate::ranking::{
    Board, BoardEntry, BoardKind, BoardTally, Leaderboard, Scope, Standing, Tally,
};
use crate::rating::{StarSummary, star_summary};
use crate::record::{
    NewRecord, RecordSource, RecordState, ServiceRecord, check_record, is_make_up,
};
use crate::store::{Begun, Store};
use crate::time::{Period, Timestamp, offset};
use crate::transfer::{
    Issuer, TRANSFER_FORMAT, TransferPackage, TransferRecord, YearTotal, open_package,
    package_hash, parse_public_key, seal_package,
};
use crate::vault::{DocKey, HeldIdentity, Keyring, Registration, Vault};
use crate::warning::Warning;
use chrono::{FixedOffset, NaiveDate};
use hashbrown::{HashMap, HashSet};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::Arc;

mod activities;
mod anomalies;
mod carry;
mod commendations;
mod excellent_volunteers;
mod identity;
pub use identity::key_file_of;
mod own;
mod projects;
mod reporting_in;
mod side;
mod side_changes;
mod sync;
mod team_ratings;
mod teams;
mod training;
mod volunteer_summary;

use own::OwnAction;
use side::Side;

const NONE: u32 = u32::MAX;

/// Where the ledger's "now" comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum Clock {
    /// The system clock (the default).
    #[default]
    System,
    /// A fixed instant: tests, and historical uploads recorded "as of" their day.
    Fixed(Timestamp),
}

impl Clock {
    /// The current instant of this clock.
    pub fn now(self) -> Timestamp {
        match self {
            Self::System => Timestamp::now(),
            Self::Fixed(t) => t,
        }
    }
}

/// What a change added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct Receipt {
    /// The entry's sequence number (for a duplicate: the entry that first recorded it).
    pub seq: i64,
    /// The entry's hash (hex).
    pub hash: String,
    /// The change had been made before, so nothing was written.
    pub duplicate: bool,
}

/// What adding a record did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RecordReceipt {
    /// The record.
    pub record: RecordId,
    /// Its state now.
    pub state: RecordState,
    /// Whether it is a make-up record (补录).
    pub make_up: bool,
    /// The entry that added it.
    pub seq: i64,
    /// It had been recorded before with the same content: nothing was written.
    pub duplicate: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct OrgNode {
    org: NewOrg,
    key: Arc<str>,
    parent: u32,
}

/// A volunteer. Laid out so that what every record's check, application and board reads —
/// number, records, their end, total, home — fills the first cache line (60 of 64 bytes),
/// and name and identity, read by views only, the second: a record touches one line of its
/// volunteer, not two.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[repr(C, align(64))]
struct Vol {
    /// The volunteer number, shared with the boards' keys.
    key: Arc<str>,
    records: Vec<u32>,
    /// When the latest of their records (live or not) ends: a record starting on a later day
    /// than that meets none of them, and the checks against them are skipped.
    records_end: i64,
    total: u64,
    home_org: u32,
    name: Box<str>,
    identity: HeldIdentity,
}

// Two cache lines, the first holding the fields before `name`.
const _: () = assert!(std::mem::size_of::<Vol>() == 128);
const _: () = assert!(std::mem::offset_of!(Vol, name) == 64);

#[derive(Debug, Clone, Serialize, Deserialize)]
struct TeamNode {
    team: NewTeam,
    key: Arc<str>,
    org: u32,
}

/// A record, compactly: 36 bytes plus its id and content in shared buffers (a record's index is
/// also the index of its id and of its content).
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
struct Rec {
    /// Unix seconds; records lie within 1970–2106 (see `record::EARLIEST`).
    start: u32,
    dur: u32,
    /// At most the daily cap, itself at most 1440.
    minutes: u16,
    vol: u32,
    org: u32,
    #[serde(with = "optional_index")]
    team: u32,
    #[serde(with = "optional_index")]
    activity: u32,
    recorded_by: u32,
    seq: u32,
    /// The state (low 4 bits) and the state before a dispute (high 4 bits).
    status: u8,
    /// The source (low 2 bits), make-up (bit 2), confirmed as it was entered (bit 3), needs
    /// a second admin (bit 4).
    bits: u8,
}

// The memory figure rests on this size; a new field must earn its bytes.
const _: () = assert!(std::mem::size_of::<Rec>() == 36);

/// How many records of a bulk add are looked up together before they are checked
/// (`State::warm`): measured best of 8, 16 and 64.
const WARM_AHEAD: usize = 16;

const MAKE_UP: u8 = 1 << 2;
const CONFIRMED_ON_ENTRY: u8 = 1 << 3;
/// Above the policy's four-eyes threshold: only an admin other than the enterer confirms it.
const FOUR_EYES: u8 = 1 << 4;

fn state_code(s: RecordState) -> u8 {
    match s {
        RecordState::Pending => 0,
        RecordState::Confirmed => 1,
        RecordState::Amended => 2,
        RecordState::Revoked => 3,
        RecordState::Disputed => 4,
    }
}

fn state_of(code: u8) -> RecordState {
    match code & 15 {
        1 => RecordState::Confirmed,
        2 => RecordState::Amended,
        3 => RecordState::Revoked,
        4 => RecordState::Disputed,
        _ => RecordState::Pending,
    }
}

impl Rec {
    fn state(&self) -> RecordState {
        state_of(self.status)
    }
    fn prior(&self) -> RecordState {
        state_of(self.status >> 4)
    }
    /// Sets the state and the state before a dispute.
    fn set_status(&mut self, state: RecordState, prior: RecordState) {
        self.status = state_code(state) | (state_code(prior) << 4);
    }
    fn source_code(&self) -> u8 {
        self.bits & 3
    }
    fn make_up(&self) -> bool {
        self.bits & MAKE_UP != 0
    }
    fn confirmed_on_entry(&self) -> bool {
        self.bits & CONFIRMED_ON_ENTRY != 0
    }
    fn four_eyes(&self) -> bool {
        self.bits & FOUR_EYES != 0
    }
    fn counted(&self) -> bool {
        let state = self.state();
        state == RecordState::Confirmed
            || (state == RecordState::Disputed && self.prior() == RecordState::Confirmed)
    }
    fn live(&self) -> bool {
        matches!(
            self.state(),
            RecordState::Pending | RecordState::Confirmed | RecordState::Disputed
        )
    }
    fn start(&self) -> i64 {
        i64::from(self.start)
    }
    fn end(&self) -> i64 {
        self.start() + i64::from(self.dur)
    }
}

/// Rarely set facts of a record, kept aside so the common record stays small.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Extra {
    /// Who confirmed a record that was pending (an organiser's own record is confirmed by them).
    confirmed_by: Option<u32>,
    amends: Option<u32>,
    superseded_by: Option<u32>,
    reason: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum ScopeKey {
    All,
    Org(u32),
    Team(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct BoardKey {
    period: Period,
    scope: ScopeKey,
    kind: BoardKind,
}

/// What a check admits: the state a new record starts in.
#[derive(Debug, Clone, Copy)]
struct Admit {
    state: RecordState,
    make_up: bool,
    /// Held pending for a second admin (four eyes).
    four_eyes: bool,
    /// For a record: its volunteer's, org's and team's indexes, as the check found them (so
    /// that applying it right after does not look them up again).
    at: Option<(u32, u32, u32)>,
}

/// The replayable state. It is also what a file ledger's snapshot holds (postcard-encoded,
/// see `snapshot_bytes`): a field added here is in the snapshot unless it is marked to be
/// rebuilt, and the snapshot test compares a restored state with a replayed one.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct State {
    #[serde(with = "offset_seconds")]
    off: FixedOffset,
    /// As its JSON text, as are the other fields holding the library's public types (their
    /// serde forms leave out defaults or are tagged, which a self-describing format reads
    /// back and postcard cannot); the bulk — records, ids, texts — stays compact.
    #[serde(with = "json_text")]
    policy: Policy,
    orgs: Vec<OrgNode>,
    org_index: HashMap<OrgId, u32>,
    vols: Vec<Vol>,
    /// Volunteer numbers; a volunteer's index here is their index in `vols`.
    vol_ids: Interner,
    /// Registered identity documents, as indexes into `vols`, found by the document's hash.
    /// Rebuilt from `vols` when a snapshot is read.
    #[serde(skip)]
    identities: hashbrown::HashTable<u32>,
    /// How volunteers who are not shown plainly appear on boards (absent: public).
    #[serde(with = "json_text")]
    visibility: HashMap<u32, BoardVisibility>,
    teams: Vec<TeamNode>,
    team_index: HashMap<TeamId, u32>,
    actors: Interner,
    platform_admins: HashSet<u32>,
    org_roles: HashMap<u32, Vec<(u32, bool)>>,
    activities: Interner,
    record_ids: Interner,
    records: Vec<Rec>,
    texts: Texts,
    extras: HashMap<u32, Extra>,
    /// Boards asked for, kept up to date; a snapshot leaves them out (they are rebuilt when
    /// asked for again).
    #[serde(skip)]
    boards: HashMap<BoardKey, Board>,
    #[serde(with = "json_text")]
    travel: Travel,
    /// Teams' members over time, projects, activities, training, commendations, reports-in.
    #[serde(with = "json_text")]
    side: Side,
    /// The Merkle frontier of the entries applied (`crate::merkle`): O(log n) hashes that give
    /// the root a signed head names, and the hashes of the entries applied since it was last
    /// asked for, folded in when it is (a signed head, a proof, a snapshot), not on every
    /// append. In the snapshot (folded), so that an open replays nothing for it.
    tree: crate::merkle::LazyFrontier,
}

/// A value as its JSON text inside a snapshot.
mod json_text {
    use serde::{Deserialize, Deserializer, Serialize, Serializer, de::DeserializeOwned};

    pub(super) fn serialize<T: Serialize, S: Serializer>(v: &T, s: S) -> Result<S::Ok, S::Error> {
        let text = serde_json::to_string(v).map_err(serde::ser::Error::custom)?;
        s.serialize_str(&text)
    }

    pub(super) fn deserialize<'de, T: DeserializeOwned, D: Deserializer<'de>>(
        d: D,
    ) -> Result<T, D::Error> {
        let text = String::deserialize(d)?;
        serde_json::from_str(&text).map_err(serde::de::Error::custom)
    }
}

/// An index that may be [`NONE`], in a snapshot as one more than itself (`NONE` as 0): one
/// byte instead of five for a record without a team or an activity.
mod optional_index {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(i: &u32, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(i.wrapping_add(1))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u32, D::Error> {
        u32::deserialize(d).map(|i| i.wrapping_sub(1))
    }
}

/// A UTC offset as its seconds east of UTC.
mod offset_seconds {
    use chrono::FixedOffset;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(o: &FixedOffset, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(o.local_minus_utc())
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<FixedOffset, D::Error> {
        let secs = i32::deserialize(d)?;
        FixedOffset::east_opt(secs).ok_or_else(|| serde::de::Error::custom("offset out of range"))
    }
}

/// Keys, trust, moves, transfers and certificates: rare facts, kept aside.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Travel {
    ledger_id: String,
    /// Every public key the ledger has registered, the current one last (hex).
    signing_keys: Vec<String>,
    /// Trusted issuers: (ledger id, public key hex).
    trusted: Vec<(crate::ids::LedgerId, String)>,
    work_units: HashMap<u32, u32>,
    transferred_out: HashSet<u32>,
    /// History carried in from other ledgers, per volunteer.
    carried: HashMap<u32, Vec<TransferRecord>>,
    /// (ledger, record) of every carried record, so none is counted twice.
    carried_keys: HashSet<(String, String)>,
    /// Hashes of the packages imported.
    imported: HashSet<String>,
    certificates: Vec<CertificateEntry>,
    certificate_codes: HashMap<String, usize>,
    /// When each certificate was issued (the time of its entry), by its place in
    /// `certificates`.
    certificate_times: Vec<Timestamp>,
}

/// The context a record's board contribution is judged in.
struct RecCtx<'a> {
    date: NaiveDate,
    ancestors: Vec<u32>,
    rec: Rec,
    vol: &'a Vol,
    team_key: Option<&'a Arc<str>>,
    hidden: bool,
}

impl State {
    fn new(config: &LedgerConfig) -> Result<Self> {
        config.policy.validate()?;
        Ok(Self {
            off: offset(config.utc_offset_minutes)?,
            policy: config.policy.clone(),
            orgs: Vec::new(),
            org_index: HashMap::new(),
            vols: Vec::new(),
            vol_ids: Interner::default(),
            identities: hashbrown::HashTable::new(),
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
            extras: HashMap::new(),
            boards: HashMap::new(),
            travel: Travel {
                ledger_id: config.ledger_id.to_string(),
                ..Travel::default()
            },
            side: Side::default(),
            tree: crate::merkle::LazyFrontier::default(),
        })
    }

    /// The state as a snapshot's bytes.
    fn snapshot_bytes(&self) -> Vec<u8> {
        // Our own types always encode; an empty snapshot is simply not used.
        postcard::to_allocvec(self).unwrap_or_default()
    }

    /// A state from a snapshot's bytes, or `None` when they do not decode or belong to
    /// another ledger (the caller then replays the whole log).
    fn from_snapshot(bytes: &[u8], config: &LedgerConfig) -> Option<Self> {
        let mut state: Self = postcard::from_bytes(bytes).ok()?;
        if state.travel.ledger_id != config.ledger_id.as_str() {
            return None;
        }
        let Self {
            identities, vols, ..
        } = &mut state;
        for (i, v) in vols.iter().enumerate() {
            let i = u32::try_from(i).ok()?;
            if let Some(k) = v.identity.doc_key() {
                identities.insert_unique(doc_hash(k), i, |&j| held_hash(vols, j));
            }
        }
        Some(state)
    }

    // ---- lookups -------------------------------------------------------------------------

    fn org_idx(&self, id: &OrgId) -> Result<u32> {
        self.org_index
            .get(id)
            .copied()
            .ok_or_else(|| LedgerError::UnknownOrg { id: id.to_string() })
    }
    fn vol_idx(&self, id: &VolunteerId) -> Result<u32> {
        self.vol_ids
            .get(id.as_str())
            .ok_or_else(|| LedgerError::UnknownVolunteer { id: id.to_string() })
    }
    /// The volunteer holding an identity document, if any.
    pub(crate) fn identity_holder(&self, key: DocKey<'_>) -> Option<u32> {
        self.identities
            .find(doc_hash(key), |&i| {
                self.vols
                    .get(i as usize)
                    .is_some_and(|v| v.identity.doc_key() == Some(key))
            })
            .copied()
    }

    fn vol_visibility(&self, v: u32) -> BoardVisibility {
        self.visibility.get(&v).cloned().unwrap_or_default()
    }

    fn team_idx(&self, id: &TeamId) -> Result<u32> {
        self.team_index
            .get(id)
            .copied()
            .ok_or_else(|| LedgerError::UnknownTeam { id: id.to_string() })
    }
    fn rec_idx(&self, id: &RecordId) -> Result<u32> {
        self.record_ids
            .get(id.as_str())
            .ok_or_else(|| LedgerError::UnknownRecord { id: id.to_string() })
    }
    /// Reads what checking `r` reads first — its volunteer's and its own id's lookups, the
    /// volunteer's entry — and decides nothing. A bulk add calls it for a few records before
    /// checking them, so that their waits on memory overlap instead of coming one after
    /// another (in a big ledger each of these reads misses the caches).
    fn warm(&self, r: &NewRecord) {
        let vol = self.vol_ids.get(r.volunteer.as_str());
        let v = vol
            .and_then(|i| self.vol(i))
            .map(|v| (v.records_end, v.total, v.records.last().copied()));
        std::hint::black_box((v, self.record_ids.get(r.id.as_str())));
    }
    fn vol(&self, i: u32) -> Option<&Vol> {
        self.vols.get(i as usize)
    }
    fn rec(&self, i: u32) -> Result<Rec> {
        self.records
            .get(i as usize)
            .copied()
            .ok_or_else(|| LedgerError::UnknownRecord { id: i.to_string() })
    }

    /// An org and its ancestors, nearest first.
    fn ancestors(&self, org: u32) -> Vec<u32> {
        let mut out = Vec::with_capacity(6);
        let mut cur = org;
        while cur != NONE && out.len() <= self.orgs.len() {
            out.push(cur);
            cur = self.orgs.get(cur as usize).map_or(NONE, |o| o.parent);
        }
        out
    }

    // ---- authorisation -------------------------------------------------------------------

    fn is_platform_admin(&self, actor: &ActorId) -> bool {
        self.actors
            .get(actor.as_str())
            .is_some_and(|a| self.platform_admins.contains(&a))
    }

    /// Whether the actor is an org admin (or, unless `admin_only`, a recorder) of `org` or of
    /// any org above it.
    fn has_org_role(&self, actor: &ActorId, org: u32, admin_only: bool) -> bool {
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

    fn is_org_admin(&self, actor: &ActorId, org: u32) -> bool {
        self.is_platform_admin(actor) || self.has_org_role(actor, org, true)
    }

    fn is_team_officer(&self, actor: &ActorId, team: u32) -> bool {
        self.teams.get(team as usize).is_some_and(|t| {
            t.team.leader.as_str() == actor.as_str()
                || t.team.liaisons.iter().any(|l| l.as_str() == actor.as_str())
        })
    }

    /// "Who organises records": the org's recorders and admins (or those above), the
    /// organising team's leader and liaisons, and platform admins.
    /// A team's leader and liaisons organise only for their team's org and below.
    fn is_organiser(&self, actor: &ActorId, org: u32, team: u32) -> bool {
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
    fn may_record(&self, actor: &ActorId, r: &NewRecord) -> Result<()> {
        let org = self.org_idx(&r.org)?;
        let team = match &r.team {
            Some(t) => self.team_idx(t)?,
            None => NONE,
        };
        self.may_record_at(actor, r, org, team)
    }

    /// As [`State::may_record`], with the org and team already looked up.
    fn may_record_at(&self, actor: &ActorId, r: &NewRecord, org: u32, team: u32) -> Result<()> {
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
    fn record_volunteer_here(&self, rec: Rec) -> Result<()> {
        match self.vol(rec.vol) {
            Some(v) if self.travel.transferred_out.contains(&rec.vol) => {
                Err(LedgerError::TransferredOut {
                    volunteer: v.key.to_string(),
                })
            }
            _ => Ok(()),
        }
    }

    // ---- checks --------------------------------------------------------------------------

    fn check(&self, actor: &ActorId, now: Timestamp, change: &Change) -> Result<Option<Admit>> {
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

    /// Refuses a volunteer who has transferred out.
    fn still_here(&self, v: u32, id: &VolunteerId) -> Result<()> {
        if self.travel.transferred_out.contains(&v) {
            return Err(LedgerError::TransferredOut {
                volunteer: id.to_string(),
            });
        }
        Ok(())
    }

    /// Platform admins, and admins or recorders of the volunteer's current home org (or
    /// above): not their work unit's, which anyone who reports them in or moves them names.
    fn may_manage(&self, actor: &ActorId, v: u32, action: &str) -> Result<()> {
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

    /// Minutes carried in from other ledgers.
    fn carried_minutes(&self, v: u32) -> u64 {
        self.travel.carried.get(&v).map_or(0, |c| {
            c.iter().map(|r| u64::from(r.counted_minutes())).sum()
        })
    }

    fn bad_state(&self, record: &RecordId, rec: Rec, action: &str) -> LedgerError {
        LedgerError::InvalidState {
            record: record.to_string(),
            state: rec.state().as_str().to_owned(),
            action: action.to_owned(),
        }
    }

    /// Validation and authorisation of a new record (or an amendment replacing `replacing`).
    fn check_new_record(
        &self,
        actor: &ActorId,
        now: Timestamp,
        r: &NewRecord,
        replacing: Option<u32>,
    ) -> Result<Admit> {
        check_record(r, &self.policy, now)?;
        let vol = self.vol_idx(&r.volunteer)?;
        self.still_here(vol, &r.volunteer)?;
        let org = self.org_idx(&r.org)?;
        let team = match &r.team {
            Some(t) => self.team_idx(t)?,
            None => NONE,
        };
        self.may_record_at(actor, r, org, team)?;
        let organiser = self.is_organiser(actor, org, team);
        let is_self = actor.as_str() == r.volunteer.as_str();
        self.check_against_others(r, vol, org, replacing)?;
        let make_up = is_make_up(r, &self.policy, self.off, now);
        self.check_record_activity(r, org, team, make_up)?;
        // Against bought hours: a large record waits for a second admin (four eyes).
        let threshold = self.policy.fraud.four_eyes_minutes;
        let four_eyes = threshold > 0 && r.minutes > i64::from(threshold);
        // An organiser's record is confirmed as entered, but never one about themselves:
        // nobody certifies their own hours.
        let state =
            if organiser && !is_self && !four_eyes && (!make_up || self.is_org_admin(actor, org)) {
                RecordState::Confirmed
            } else {
                RecordState::Pending
            };
        Ok(Admit {
            state,
            make_up,
            four_eyes,
            at: Some((vol, org, team)),
        })
    }

    /// The checks against the volunteer's other live records: overlap, daily cap, check-in
    /// pairs (`vol` and `org` are the record's volunteer and org).
    fn check_against_others(
        &self,
        r: &NewRecord,
        vol: u32,
        org: u32,
        replacing: Option<u32>,
    ) -> Result<()> {
        let Some(v) = self.vol(vol) else {
            return Ok(());
        };
        // Local days as numbers: the same day as `local_date`, without the calendar.
        let secs = i64::from(self.off.local_minus_utc());
        let day_of = |t: i64| (t + secs).div_euclid(86_400);
        let day = day_of(r.start.0);
        let activity = r
            .activity
            .as_ref()
            .and_then(|a| self.activities.get(a.as_str()));
        let mut day_total = u64::try_from(r.minutes).unwrap_or(0);
        let mut pairs = 0u32;
        // Records kept in time order (the usual bulk add) all end before this one's day
        // begins: none overlaps it or shares its day.
        let unmet = v.records_end <= day * 86_400 - secs;
        for &ri in if unmet { &[][..] } else { &v.records[..] } {
            if Some(ri) == replacing {
                continue;
            }
            let Some(o) = self.records.get(ri as usize) else {
                continue;
            };
            if !o.live() {
                continue;
            }
            if o.start() < r.end.0 && r.start.0 < o.end() {
                return Err(LedgerError::Overlap {
                    record: r.id.to_string(),
                    other: self.record_ids.resolve(ri).to_owned(),
                });
            }
            if day_of(o.start()) == day {
                day_total += u64::from(o.minutes);
                let same_activity = match r.activity {
                    Some(_) => activity.is_some() && o.activity == activity.unwrap_or(NONE),
                    None => o.activity == NONE && o.org == org,
                };
                if r.source == RecordSource::CheckIn
                    && o.source_code() == RecordSource::CheckIn.as_code()
                    && same_activity
                {
                    pairs += 1;
                }
            }
        }
        // Service carried in from other ledgers takes its time too.
        for c in self.travel.carried.get(&vol).into_iter().flatten() {
            if c.start < r.end && r.start < c.end {
                return Err(LedgerError::Overlap {
                    record: r.id.to_string(),
                    other: format!("{}@{}", c.record, c.ledger),
                });
            }
            if day_of(c.start.0) == day {
                day_total += u64::from(c.counted_minutes());
            }
        }
        if day_total > crate::error::count(self.policy.daily_cap_minutes) {
            return Err(LedgerError::DailyCap {
                record: r.id.to_string(),
                day: r.start.local_date(self.off).to_string(),
                total: day_total,
                cap: self.policy.daily_cap_minutes,
            });
        }
        if r.source == RecordSource::CheckIn
            && i64::from(pairs) >= i64::from(self.policy.checkin_pairs_per_day)
        {
            return Err(LedgerError::CheckInLimit {
                record: r.id.to_string(),
                day: r.start.local_date(self.off).to_string(),
                limit: self.policy.checkin_pairs_per_day,
            });
        }
        Ok(())
    }

    // ---- apply ---------------------------------------------------------------------------

    /// Applies a checked entry. Cannot fail for an entry that passed `check` against this
    /// state; an internal limit (4 GiB of ids) surfaces as an error before anything changes.
    fn apply(&mut self, entry: &Entry, admit: Admit) -> Result<()> {
        let actor = &entry.actor;
        match &entry.change {
            Change::LedgerCreated(c) => {
                let a = self.intern_actor(&c.platform_admin)?;
                self.platform_admins.insert(a);
            }
            Change::OrgRegistered(o) => {
                let parent = match &o.parent {
                    Some(p) => self.org_idx(p)?,
                    None => NONE,
                };
                let idx = u32::try_from(self.orgs.len()).map_err(|_| full("orgs"))?;
                self.orgs.push(OrgNode {
                    org: o.clone(),
                    key: Arc::from(o.id.as_str()),
                    parent,
                });
                self.org_index.insert(o.id.clone(), idx);
            }
            Change::RoleGranted { grantee, role } => {
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
            }
            Change::VolunteerRegistered(v) => {
                let identity = held_identity(v, entry.time.local_date(self.off))?;
                let id = v.id().as_str();
                if !self.vol_ids.has_room(id.len()) {
                    return Err(full("volunteers"));
                }
                let home_org = match v.home_org() {
                    Some(h) => self.org_idx(h)?,
                    None => NONE,
                };
                let idx = self.vol_ids.intern(id).ok_or_else(|| full("volunteers"))?;
                let Self {
                    identities, vols, ..
                } = self;
                if let Some(k) = identity.doc_key() {
                    identities.insert_unique(doc_hash(k), idx, |&i| held_hash(vols, i));
                }
                self.vols.push(Vol {
                    key: Arc::from(id),
                    name: v.name().into(),
                    identity,
                    home_org,
                    total: 0,
                    records: Vec::new(),
                    records_end: 0,
                });
            }
            Change::TeamCreated(t) => {
                let org = self.org_idx(&t.org)?;
                let idx = u32::try_from(self.teams.len()).map_err(|_| full("teams"))?;
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
            }
            Change::RecordAdded(r) => {
                self.push_record(r, actor, entry.seq, admit)?;
            }
            Change::RecordConfirmed { record } => {
                let i = self.rec_idx(record)?;
                let a = self.intern_actor(actor)?;
                self.set_state(i, RecordState::Confirmed)?;
                self.extras.entry(i).or_default().confirmed_by = Some(a);
            }
            Change::RecordAmended {
                record,
                replacement,
                reason,
            } => {
                let old = self.rec_idx(record)?;
                let new = self.push_record(replacement, actor, entry.seq, admit)?;
                self.set_state(old, RecordState::Amended)?;
                let e = self.extras.entry(old).or_default();
                e.superseded_by = Some(new);
                e.reason = Some(reason.clone());
                self.extras.entry(new).or_default().amends = Some(old);
            }
            Change::RecordRevoked { record, reason } => {
                let i = self.rec_idx(record)?;
                self.set_state(i, RecordState::Revoked)?;
                self.extras.entry(i).or_default().reason = Some(reason.clone());
            }
            Change::RecordDisputed { record, reason } => {
                let i = self.rec_idx(record)?;
                if let Some(rec) = self.records.get_mut(i as usize) {
                    let before = rec.state();
                    rec.set_status(RecordState::Disputed, before);
                }
                self.extras.entry(i).or_default().reason = Some(reason.clone());
            }
            Change::DisputeResolved { record, note } => {
                let i = self.rec_idx(record)?;
                if let Some(rec) = self.records.get_mut(i as usize) {
                    let before = rec.prior();
                    rec.set_status(before, before);
                }
                if !note.is_empty() {
                    self.extras.entry(i).or_default().reason = Some(note.clone());
                }
            }
            Change::VisibilitySet {
                volunteer,
                visibility,
            } => {
                let v = self.vol_idx(volunteer)?;
                match visibility {
                    BoardVisibility::Public => self.visibility.remove(&v),
                    other => self.visibility.insert(v, other.clone()),
                };
                // Visibility decides who is on volunteer boards: rebuild them on next request.
                self.boards.retain(|k, _| k.kind != BoardKind::Volunteers);
            }
            Change::SigningKeyRegistered(k) => {
                self.travel
                    .signing_keys
                    .push(k.public_key.to_ascii_lowercase());
            }
            Change::IssuerTrusted(i) => {
                self.travel
                    .trusted
                    .push((i.ledger_id.clone(), i.public_key.to_ascii_lowercase()));
            }
            Change::VolunteerMoved(m) => {
                let v = self.vol_idx(&m.volunteer)?;
                let home = m.home_org.as_ref().map(|o| self.org_idx(o)).transpose()?;
                let unit = m.work_unit.as_ref().map(|o| self.org_idx(o)).transpose()?;
                if let (Some(h), Some(vol)) = (home, self.vols.get_mut(v as usize)) {
                    vol.home_org = h;
                }
                if let Some(u) = unit {
                    self.travel.work_units.insert(v, u);
                }
            }
            Change::IdentityErased { volunteer } => {
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
            }
            Change::TransferredOut(t) => {
                let v = self.vol_idx(&t.volunteer)?;
                self.travel.transferred_out.insert(v);
            }
            Change::TransferredIn(t) => {
                let p = open_package(&t.package, &self.travel.trusted)?;
                let v = self.vol_idx(&p.volunteer)?;
                self.travel.imported.insert(package_hash(&t.package));
                self.travel.transferred_out.remove(&v);
                // Service is counted once: see `carry`.
                let kept: Vec<TransferRecord> = self
                    .carry(v, &p.records)
                    .kept
                    .into_iter()
                    .cloned()
                    .collect();
                for r in kept {
                    self.travel
                        .carried_keys
                        .insert((r.ledger.to_string(), r.record.to_string()));
                    self.travel.carried.entry(v).or_default().push(r);
                }
            }
            Change::CertificateIssued(c) => {
                self.travel
                    .certificate_codes
                    .insert(c.code.clone(), self.travel.certificates.len());
                self.travel.certificates.push(c.clone());
                self.travel.certificate_times.push(entry.time);
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
        }
        self.tree.push(&entry.hash);
        Ok(())
    }

    fn intern_actor(&mut self, a: &ActorId) -> Result<u32> {
        self.actors.intern(a.as_str()).ok_or_else(|| full("actors"))
    }

    fn push_record(
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
                .ok_or_else(|| full("activities"))?,
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
            return Err(full("record ids and contents"));
        }
        let idx = self
            .record_ids
            .intern(r.id.as_str())
            .ok_or_else(|| full("record ids"))?;
        self.texts
            .push(&r.content)
            .ok_or_else(|| full("record contents"))?;
        let rec = Rec {
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

    fn set_state(&mut self, i: u32, state: RecordState) -> Result<()> {
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
    fn count(&mut self, i: u32, delta: i64) {
        let Ok(rec) = self.rec(i) else { return };
        self.count_rec(rec, delta);
    }

    /// [`State::count`] for a record at hand. A record just pushed is not read back: its
    /// entry often straddles two cache lines, and reading it back waits until the line being
    /// written to has come from memory.
    fn count_rec(&mut self, rec: Rec, delta: i64) {
        if let Some(v) = self.vols.get_mut(rec.vol as usize) {
            v.total = v.total.saturating_add_signed(delta);
        }
        if self.boards.is_empty() {
            return;
        }
        let mut boards = std::mem::take(&mut self.boards);
        if let Some(ctx) = self.rec_ctx(rec) {
            for (key, board) in &mut boards {
                self.feed(key, board, &ctx, delta);
            }
        }
        self.boards = boards;
    }

    fn rec_ctx(&self, rec: Rec) -> Option<RecCtx<'_>> {
        Some(RecCtx {
            date: Timestamp(rec.start()).local_date(self.off),
            ancestors: self.ancestors(rec.org),
            rec,
            vol: self.vol(rec.vol)?,
            team_key: self.teams.get(rec.team as usize).map(|t| &t.key),
            hidden: self.visibility.get(&rec.vol) == Some(&BoardVisibility::Hidden),
        })
    }

    /// Adds a record's minutes to a board if the board counts it.
    fn feed(&self, key: &BoardKey, board: &mut impl Tally, c: &RecCtx<'_>, delta: i64) {
        if !key.period.contains(c.date) {
            return;
        }
        let in_scope = match key.scope {
            ScopeKey::All => true,
            ScopeKey::Org(o) => c.ancestors.contains(&o),
            ScopeKey::Team(t) => c.rec.team == t,
        };
        if !in_scope {
            return;
        }
        match key.kind {
            BoardKind::Volunteers => {
                if !c.hidden {
                    board.add(c.rec.vol, &c.vol.key, delta);
                }
            }
            BoardKind::Teams => {
                if let Some(t) = c.team_key {
                    board.add(c.rec.team, t, delta);
                }
            }
            BoardKind::Orgs => {
                let child = match key.scope {
                    ScopeKey::All => c.ancestors.last().copied(),
                    ScopeKey::Org(o) => c
                        .ancestors
                        .iter()
                        .position(|a| *a == o)
                        .and_then(|p| p.checked_sub(1))
                        .and_then(|p| c.ancestors.get(p).copied()),
                    ScopeKey::Team(_) => None,
                };
                if let Some(ch) = child.and_then(|ch| self.orgs.get(ch as usize).map(|o| (ch, o))) {
                    board.add(ch.0, &ch.1.key, delta);
                }
            }
        }
    }

    fn scope_key(&self, scope: &Scope) -> Result<ScopeKey> {
        Ok(match scope {
            Scope::All => ScopeKey::All,
            Scope::Org(o) => ScopeKey::Org(self.org_idx(o)?),
            Scope::Team(t) => ScopeKey::Team(self.team_idx(t)?),
        })
    }

    fn build_board(&self, key: &BoardKey) -> Board {
        let mut board = BoardTally::default();
        // The period as instants: [local midnight of its first day, that of the day after its
        // last). A start in it is a start on one of its local days, found with two integer
        // comparisons instead of a date conversion per record of the ledger.
        let midnight = |d: NaiveDate| {
            d.and_time(chrono::NaiveTime::MIN).and_utc().timestamp()
                - i64::from(self.off.local_minus_utc())
        };
        let range = key
            .period
            .date_range()
            .map(|(first, last)| (midnight(first), last.succ_opt().map_or(i64::MAX, midnight)));
        for rec in self.records.iter().filter(|r| r.counted()) {
            if let Some((from, until)) = range {
                let start = rec.start();
                if start < from || start >= until {
                    continue;
                }
            }
            if let Some(ctx) = self.rec_ctx(*rec) {
                self.feed(key, &mut board, &ctx, i64::from(rec.minutes));
            }
        }
        board.into_board()
    }

    fn render(
        &self,
        key: &BoardKey,
        board: &Board,
        scope: &Scope,
        limit: u32,
        as_of_seq: u64,
    ) -> Leaderboard {
        let entries = match &board.rendered {
            Some(r) if r.limit == limit => r.lines.clone(),
            _ => self.lines(key, board, limit),
        };
        Leaderboard {
            period: key.period,
            scope: scope.clone(),
            kind: key.kind,
            as_of_seq: crate::error::signed(as_of_seq),
            ranked: i32::try_from(board.len()).unwrap_or(i32::MAX),
            entries,
        }
    }

    fn lines(&self, key: &BoardKey, board: &Board, limit: u32) -> crate::ranking::BoardLines {
        board
            .top(limit as usize)
            .into_iter()
            .map(|(rank, e, minutes)| {
                let (id, name) = match key.kind {
                    BoardKind::Volunteers => match self.vol(e) {
                        Some(v) => match self.visibility.get(&e) {
                            Some(BoardVisibility::Pseudonym { name }) => (None, name.clone()),
                            _ => (Some(v.key.to_string()), mask_name(&v.name)),
                        },
                        None => (None, String::new()),
                    },
                    BoardKind::Teams => self
                        .teams
                        .get(e as usize)
                        .map_or((None, String::new()), |t| {
                            (Some(t.team.id.to_string()), t.team.name.clone())
                        }),
                    BoardKind::Orgs => self
                        .orgs
                        .get(e as usize)
                        .map_or((None, String::new()), |o| {
                            (Some(o.org.id.to_string()), o.org.name.clone())
                        }),
                };
                BoardEntry {
                    rank: i32::try_from(rank).unwrap_or(i32::MAX),
                    id,
                    name,
                    minutes: crate::error::signed(minutes),
                }
            })
            .collect::<Vec<_>>()
            .into()
    }

    fn view_new_record(&self, i: u32) -> Option<NewRecord> {
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
    fn digest(&self) -> Hash {
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
            let vis = self.vol_visibility(u32::try_from(i).unwrap_or(u32::MAX));
            h.update(serde_json::to_vec(&vis).unwrap_or_default());
        }
        for o in &self.orgs {
            h.update(serde_json::to_vec(&o.org).unwrap_or_default());
        }
        for t in &self.teams {
            h.update(serde_json::to_vec(&t.team).unwrap_or_default());
        }
        let mut units: Vec<_> = self.travel.work_units.iter().collect();
        units.sort();
        h.update(format!("{units:?}"));
        self.side.digest(&mut h);
        Hash(h.finalize().into())
    }

    /// A volunteer as every view shows them: masked.
    fn volunteer_view(&self, vi: u32) -> Option<VolunteerView> {
        let v = self.vol(vi)?;
        Some(VolunteerView {
            id: VolunteerId::new(&*v.key).ok()?,
            masked_name: mask_name(&v.name),
            identity_kind: v.identity.kind,
            masked_identity: v.identity.mask.to_string(),
            identity_erased: v.identity.erased,
            home_org: self.orgs.get(v.home_org as usize).map(|o| o.org.id.clone()),
            // Signed for the bindings' Java callers; never near i64::MAX in practice.
            total_minutes: i64::try_from(v.total + self.carried_minutes(vi)).unwrap_or(i64::MAX),
            carried_minutes: i64::try_from(self.carried_minutes(vi)).unwrap_or(i64::MAX),
            visibility: self.vol_visibility(vi),
            work_unit: self
                .travel
                .work_units
                .get(&vi)
                .and_then(|u| self.orgs.get(*u as usize))
                .map(|o| o.org.id.clone()),
            transferred_out: self.travel.transferred_out.contains(&vi),
        })
    }

    fn view_record(&self, i: u32) -> Option<ServiceRecord> {
        let rec = self.records.get(i as usize)?;
        let extra = self.extras.get(&i);
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

/// Every id a change names must be well formed (see [`VolunteerId::check`]).
fn check_ids(actor: &ActorId, change: &Change) -> Result<()> {
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

/// A hash of an identity document's index key, stable within a process.
fn doc_hash(key: DocKey<'_>) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(key)
}

/// The index hash of a volunteer's identity (0 when it is not indexed).
fn held_hash(vols: &[Vol], i: u32) -> u64 {
    vols.get(i as usize)
        .and_then(|v| v.identity.doc_key())
        .map_or(0, doc_hash)
}

/// The identity a registration holds, as the state keeps it: a version-1 number is
/// validated again (at the entry's local date); a sealed one must have a sealed one's shape.
fn held_identity(r: &Registration, today: NaiveDate) -> Result<HeldIdentity> {
    let clear = match r {
        Registration::Clear(v) => Some(Identity::new_at(
            v.identity_kind,
            &v.identity_number,
            today,
        )?),
        Registration::Sealed(_) => None,
    };
    HeldIdentity::of(r, clear.as_ref()).ok_or_else(|| {
        invalid_field(
            "volunteer",
            r.id().as_str(),
            "identity is not a sealed identity: mask, tag (64 hex digits) and ciphertext",
        )
    })
}

/// The bytes a certificate's signature covers: its canonical JSON (keys sorted) with the
/// signature and the verification code empty.
pub fn certificate_bytes(c: &Certificate) -> Vec<u8> {
    let blank = Certificate {
        signature: String::new(),
        verification_code: String::new(),
        ..c.clone()
    };
    serde_json::to_vec(&blank).unwrap_or_default()
}

/// The verification code of a signature: the first 8 bytes of its SHA-256, in upper-case hex,
/// in four groups (`XXXX-XXXX-XXXX-XXXX`).
pub fn verification_code(signature: &str) -> String {
    let h = hash_bytes(signature.as_bytes())
        .to_hex()
        .to_ascii_uppercase();
    let h = h.get(..16).unwrap_or("");
    format!(
        "{}-{}-{}-{}",
        &h.get(..4).unwrap_or(""),
        &h.get(4..8).unwrap_or(""),
        &h.get(8..12).unwrap_or(""),
        &h.get(12..16).unwrap_or("")
    )
}

fn normalise_code(code: &str) -> String {
    let raw: String = code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(16)
        .collect::<String>()
        .to_ascii_uppercase();
    verification_code_from_raw(&raw)
}

fn verification_code_from_raw(raw: &str) -> String {
    format!(
        "{}-{}-{}-{}",
        raw.get(..4).unwrap_or(""),
        raw.get(4..8).unwrap_or(""),
        raw.get(8..12).unwrap_or(""),
        raw.get(12..16).unwrap_or("")
    )
}

/// Checks a certificate offline, against the public key of an issuer the checker trusts:
/// the key must be the certificate's, the signature must cover its content, and the code must
/// be the signature's (`E_UNTRUSTED_ISSUER`, `E_BAD_SIGNATURE`). A certificate that carries
/// the issuer's signed head (every one issued since signed heads exist) must carry a head of
/// its own ledger signed by the same key, and an inclusion proof per record that leads to the
/// head's root (`E_CHECKPOINT_FORMAT`, `E_CHECKPOINT_MISMATCH`): keep the head
/// ([`Certificate::checkpoint`]) to show later, with [`Ledger::verify_against`], that the
/// ledger's history was not rewritten. Certificates issued before carry neither and are
/// checked as before.
pub fn verify_certificate_offline(c: &Certificate, trusted_public_key: &str) -> Result<()> {
    if !c.public_key.eq_ignore_ascii_case(trusted_public_key) {
        return Err(LedgerError::UntrustedIssuer {
            ledger: c.ledger_id.to_string(),
        });
    }
    crate::transfer::check_signature(&c.public_key, &certificate_bytes(c), &c.signature)?;
    if verification_code(&c.signature) != c.verification_code {
        return Err(LedgerError::BadSignature);
    }
    let Some(head) = &c.checkpoint else {
        if c.records.iter().any(|r| r.proof.is_some()) {
            return Err(LedgerError::CheckpointFormat {
                detail: "the certificate's records carry proofs but it carries no head".into(),
            });
        }
        return Ok(());
    };
    if head.ledger_id != c.ledger_id {
        return Err(LedgerError::CheckpointMismatch {
            size: u64::try_from(head.size).unwrap_or(0),
            detail: "the certificate's head is another ledger's".into(),
        });
    }
    head.check(&c.public_key)?;
    for r in &c.records {
        let proof = r
            .proof
            .as_ref()
            .ok_or_else(|| LedgerError::CheckpointFormat {
                detail: format!("record {} carries no inclusion proof", r.record),
            })?;
        head.check_inclusion(&r.entry_hash, proof)?;
    }
    Ok(())
}

/// What importing a transfer package did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct TransferReceipt {
    /// The volunteer.
    pub volunteer: VolunteerId,
    /// The package's hash (hex).
    pub package_hash: String,
    /// Records carried in (those not here already).
    pub records_added: i32,
    /// Their minutes.
    pub minutes_added: i64,
    /// Carried records not carried in because their time overlaps service the volunteer
    /// already has here (a live local record, service carried in earlier, or an earlier record
    /// of the package): `record@ledger`, in the package's order. They are never counted twice.
    pub overlapping: Vec<String>,
    /// Their minutes.
    pub minutes_overlapping: i64,
    /// The entry that imported it (for a duplicate: the head).
    pub seq: i64,
    /// The package had been imported before: nothing changed.
    pub duplicate: bool,
}

/// What a certificate is asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CertificateRequest {
    /// The volunteer.
    pub volunteer: VolunteerId,
    /// The first day covered.
    pub period_from: NaiveDate,
    /// The last day covered.
    pub period_to: NaiveDate,
    /// The issuing org.
    pub issuing_org: OrgId,
    /// Its responsible person (负责人).
    pub responsible_person: String,
    /// The handler (经办人).
    pub handler: String,
    /// The contact (联系方式).
    pub contact: String,
    /// Notes (备注).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub notes: String,
}

fn full(what: &str) -> LedgerError {
    invalid_field("ledger", what, "the ledger's 4 GiB id space is full")
}

fn check_text(
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

/// Where a ledger's entries live.
#[derive(Debug)]
enum Log {
    /// In memory: tests, and phones that keep no file.
    Memory(Vec<Entry>),
    /// In a ledger file (see `docs/schema.md`).
    File(Box<Store>),
    /// Nowhere: a copy made with `clone()` of a file ledger, for a dry run.
    Detached,
    /// A file ledger whose write failed and whose file could not be read back: every
    /// further change is refused with this error; open the file again.
    Failed(LedgerError),
}

/// What changed in the current transaction, for the projection tables (indexes into the
/// state's tables; written once each at commit).
#[derive(Debug, Default, Clone)]
struct Dirty {
    orgs: Vec<u32>,
    teams: Vec<u32>,
    vols: Vec<u32>,
    records: Vec<u32>,
}

impl Dirty {
    /// Every org, team, volunteer and record: what a rebuild of the projections writes.
    fn everything(st: &State) -> Self {
        let all = |n: usize| (0..n).filter_map(|i| u32::try_from(i).ok()).collect();
        Self {
            orgs: all(st.orgs.len()),
            teams: all(st.teams.len()),
            vols: all(st.vols.len()),
            records: all(st.records.len()),
        }
    }
}

/// A file ledger writes a snapshot of its state when it is closed, or when this many entries
/// were added since the last one, so that reopening replays little.
const SNAPSHOT_EVERY: u64 = 200_000;

/// A ledger of volunteer service records: an append-only hash-chained log and the state it
/// implies. See the crate documentation for an example.
///
/// Cloning a file ledger gives a copy in memory that writes nowhere (what a dry run needs);
/// its `entries()` are refused.
#[derive(Debug)]
pub struct Ledger {
    config: LedgerConfig,
    clock: Clock,
    log: Log,
    /// The number of entries, and the hash of the last one.
    len: u64,
    last: Hash,
    state: State,
    /// The secret half of the ledger's key; never in the log, given again after a reopen.
    signing_key: Option<ed25519_dalek::SigningKey>,
    dirty: Dirty,
    /// The entry the file's snapshot was taken after (file ledgers).
    snapshot_len: u64,
    /// How many entries opening the file replayed (the rest came from its snapshot).
    replayed_at_open: u64,
    /// What opening the file noticed and worked around (a snapshot set aside, say).
    warnings: Vec<Warning>,
    /// What a device ledger remembers of its syncs (`crate::sync`); not part of the log.
    pub(crate) sync: crate::sync::SyncState,
    /// The keys of identity numbers (`docs/identity.md`); never in the log.
    vault: Vault,
    /// The keyring this library made itself, and the key file it lives in (file ledgers).
    own_keys: Option<(Keyring, Option<std::path::PathBuf>)>,
}

impl Clone for Ledger {
    fn clone(&self) -> Self {
        let log = match &self.log {
            Log::Memory(v) => Log::Memory(v.clone()),
            Log::File(_) | Log::Detached => Log::Detached,
            Log::Failed(e) => Log::Failed(e.clone()),
        };
        Self {
            config: self.config.clone(),
            clock: self.clock,
            log,
            len: self.len,
            last: self.last,
            state: self.state.clone(),
            signing_key: self.signing_key.clone(),
            dirty: Dirty::default(),
            snapshot_len: self.snapshot_len,
            replayed_at_open: self.replayed_at_open,
            warnings: self.warnings.clone(),
            sync: self.sync.clone(),
            vault: self.vault.clone(),
            own_keys: self.own_keys.clone(),
        }
    }
}

impl Drop for Ledger {
    fn drop(&mut self) {
        // Best effort: a missing snapshot only makes the next open replay more.
        let _ = self.checkpoint();
    }
}

fn detached() -> LedgerError {
    LedgerError::Storage {
        path: "(copy)".into(),
        detail: "a copy of a file ledger keeps no log; read the entries from the ledger itself"
            .into(),
        detail_zh: "文件账本的副本不保存日志；请从账本本身读取条目".into(),
    }
}

impl Ledger {
    /// A new ledger held in memory. Its first entry records `config` and makes
    /// `config.platform_admin` a platform admin.
    pub fn in_memory(config: LedgerConfig) -> Result<Self> {
        Self::in_memory_with_clock(config, Clock::System)
    }

    /// As [`Ledger::in_memory`], with the clock set before the first entry is made (so that
    /// a ledger made for a test or a fixed vector has a reproducible log from entry 0).
    pub fn in_memory_with_clock(config: LedgerConfig, clock: Clock) -> Result<Self> {
        let state = State::new(&config)?;
        let mut ledger = Self::assemble(config.clone(), clock, Log::Memory(Vec::new()), state)
            .with_memory_key()?;
        let admin = config.platform_admin.clone();
        ledger.commit(&admin, Change::LedgerCreated(Box::new(config)))?;
        Ok(ledger)
    }

    fn assemble(config: LedgerConfig, clock: Clock, log: Log, state: State) -> Self {
        Self {
            config,
            clock,
            log,
            len: 0,
            last: Hash::ZERO,
            state,
            signing_key: None,
            dirty: Dirty::default(),
            snapshot_len: 0,
            replayed_at_open: 0,
            warnings: Vec::new(),
            sync: crate::sync::SyncState::default(),
            vault: Vault::default(),
            own_keys: None,
        }
    }

    /// Creates a ledger file at `path` (one SQLite file, see `docs/schema.md`) whose first
    /// entry records `config`, and its key file beside it (`<path>.key`, mode 0600; see
    /// `docs/identity.md`). Refuses a path where a file or its key file exists (`E_STORAGE`).
    pub fn create(path: impl AsRef<Path>, config: LedgerConfig) -> Result<Self> {
        Self::create_with_clock(path, config, Clock::System)
    }

    /// As [`Ledger::create`], with the clock set before the first entry is made.
    pub fn create_with_clock(
        path: impl AsRef<Path>,
        config: LedgerConfig,
        clock: Clock,
    ) -> Result<Self> {
        Self::create_file(path.as_ref(), config, clock, true)
    }

    /// Creates a ledger file, and its key file when `key_file`.
    fn create_file(
        path: &Path,
        config: LedgerConfig,
        clock: Clock,
        key_file: bool,
    ) -> Result<Self> {
        let state = State::new(&config)?;
        let store = Store::create(path, config.ledger_id.as_str())?;
        let mut ledger = Self::assemble(config.clone(), clock, Log::File(Box::new(store)), state);
        let admin = config.platform_admin.clone();
        // A key file already there refuses the creation and stays as it was.
        let mut made_key_file = None;
        let made = (|| {
            let keys = if key_file {
                Some(Self::new_key_file(path)?)
            } else {
                None
            };
            made_key_file = keys.as_ref().map(|(_, f)| f.clone());
            ledger.commit(&admin, Change::LedgerCreated(Box::new(config)))?;
            Ok(keys)
        })();
        match made {
            Ok(keys) => {
                if let Some((ring, file)) = keys {
                    ledger.vault.keys =
                        Some(crate::vault::IdentityKeys::Provider(Arc::new(ring.clone())));
                    ledger.own_keys = Some((ring, Some(file)));
                }
                Ok(ledger)
            }
            Err(e) => {
                // Leave no half-made file behind: nothing was there before.
                ledger.log = Log::Detached;
                drop(ledger);
                crate::store::remove_files(path);
                if let Some(f) = made_key_file {
                    let _ = std::fs::remove_file(f);
                }
                Err(e)
            }
        }
    }

    /// Opens a ledger file. Its state is read from the snapshot the file holds and the
    /// entries after it (each checked against its hash and replayed through the rules), or,
    /// without a usable snapshot, from the whole log. Projection tables that disagree with
    /// the log are rebuilt. A file from a newer version of this library is refused
    /// (`E_SCHEMA_VERSION`), a file that is no ledger too (`E_NOT_A_LEDGER`); neither is
    /// written to. The signing key is not in the file: give it again with
    /// [`Ledger::set_signing_key`].
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        let mut l = Self::load(Store::open(path.as_ref())?, Clock::System)?;
        l.take_file_keys(path.as_ref())?;
        Ok(l)
    }

    fn load(mut store: Store, clock: Clock) -> Result<Self> {
        // Everything is read as of one moment: another process may commit meanwhile.
        store.begin_read()?;
        let (len, last) = store.head()?;
        let mut first = None;
        store.each_entry(0, Some(0), Hash::ZERO, |e| {
            first = Some(e);
            Ok(())
        })?;
        let Some(Entry {
            change: Change::LedgerCreated(config),
            ..
        }) = first
        else {
            return Err(LedgerError::NotALedger {
                path: store.path().to_owned(),
                detail: "its log does not start by creating a ledger".into(),
            });
        };
        // Only the entries up to the head read above: another process may append meanwhile,
        // and the state must be exactly the one the head (len, last) names.
        let until = Some(len.saturating_sub(1));
        let replay_all = || -> Result<State> {
            let mut state = State::new(&config)?;
            store.each_entry(0, until, Hash::ZERO, |e| replay_entry(&mut state, &e))?;
            Ok(state)
        };
        let snap = store.snapshot()?.and_then(|(seq, hash, data)| {
            let usable = seq < len && store.entry_hash(seq) == Some(hash);
            let state = usable
                .then(|| State::from_snapshot(&data, &config))
                .flatten()?;
            Some((state, seq + 1, hash))
        });
        let mut warnings = Vec::new();
        let (state, from) = match snap {
            None => (replay_all()?, 0),
            Some((mut state, from, prev)) => {
                match store.each_entry(from, until, prev, |e| replay_entry(&mut state, &e)) {
                    Ok(()) => (state, from),
                    // A snapshot is a cache: one the log does not continue is set aside.
                    Err(e) => {
                        warnings.push(Warning::snapshot_ignored(from, &e));
                        (replay_all()?, 0)
                    }
                }
            }
        };
        check_tail_and_kept_head(&store, &config, &state, len, last)?;
        let tag_key_id = store.meta(identity::TAG_KEY_META)?;
        let mut ledger = Self::assemble(*config, clock, Log::File(Box::new(store)), state);
        ledger.vault.tag_key_id = tag_key_id;
        ledger.len = len;
        ledger.last = last;
        ledger.snapshot_len = from;
        ledger.replayed_at_open = len - from;
        ledger.warnings = warnings;
        if let Log::File(store) = &ledger.log {
            // Sync state that does not read is dropped: the device only sends again, and the
            // server answers "already had".
            ledger.sync = store
                .meta("sync_state")?
                .and_then(|json| serde_json::from_str(&json).ok())
                .unwrap_or_default();
        }
        let agree = ledger.projections_agree()?;
        if let Log::File(store) = &mut ledger.log {
            store.end_read()?;
        }
        if !agree {
            ledger.rebuild_projections()?;
        }
        // (A rebuild of the projections just above may have written one already.)
        if len - ledger.snapshot_len > SNAPSHOT_EVERY / 4 {
            ledger.checkpoint()?;
        }
        Ok(ledger)
    }

    /// Writes this ledger — its whole log, its projections and a snapshot — into a new ledger
    /// file at `path`, and returns the file ledger (same state, same clock; give the signing key
    /// again). For a ledger kept in memory that should now live in a file, and for copies.
    /// Refuses a path where a file exists (`E_STORAGE`) and leaves no file when it fails.
    pub fn save_as(&self, path: impl AsRef<Path>) -> Result<Ledger> {
        let path = path.as_ref();
        let entries = self.entries()?;
        let mut store = Store::create(path, self.config.ledger_id.as_str())?;
        let written = (|| -> Result<Ledger> {
            store.begin(0, Hash::ZERO)?;
            for e in &entries {
                store.append(e)?;
            }
            let mut l = Self::assemble(
                self.config.clone(),
                self.clock,
                Log::File(Box::new(store)),
                self.state.clone(),
            );
            l.len = self.len;
            l.last = self.last;
            self.copy_identity_keys(&mut l)?;
            l.keep_sync_state(self.sync.clone())?;
            l.dirty = Dirty::everything(&l.state);
            l.flush()?;
            l.checkpoint()?;
            self.copy_key_file(&mut l, path)?;
            Ok(l)
        })();
        if written.is_err() {
            crate::store::remove_files(path);
        }
        written
    }

    /// How many entries opening this ledger file replayed through the rules; the state of
    /// the others was read from the file's snapshot. After a clean close it is 0; after a
    /// crash, the entries made since the last snapshot. 0 for a ledger in memory.
    pub fn replayed_at_open(&self) -> u64 {
        self.replayed_at_open
    }

    /// What opening this ledger file noticed and worked around, each with a stable code: a
    /// snapshot that the log does not continue is set aside and the whole log replayed
    /// (`W_SNAPSHOT_IGNORED`; [`Ledger::replayed_at_open`] then counts every entry). Empty
    /// for a ledger in memory and for a clean open.
    pub fn open_warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// The path of a file ledger (`None` in memory).
    pub fn path(&self) -> Option<&str> {
        match &self.log {
            Log::File(s) => Some(s.path()),
            _ => None,
        }
    }

    /// Writes a snapshot of the state into a file ledger, so that the next open replays only
    /// what comes after it. Done by itself on close and every 200,000 entries; a snapshot is a
    /// cache, never the truth: it is checked against the log when read. Does nothing in memory,
    /// when the file's snapshot is current already, nor inside [`Ledger::batch`] (whose commit
    /// writes one when it is due).
    pub fn checkpoint(&mut self) -> Result<()> {
        let Log::File(store) = &mut self.log else {
            return Ok(());
        };
        if self.len == self.snapshot_len || store.in_transaction() {
            return Ok(());
        }
        self.state.tree.settle();
        let data = self.state.snapshot_bytes();
        if data.is_empty() {
            return Ok(());
        }
        // Written only inside a write transaction that found the file's head to be the one
        // the state was taken at: a snapshot labelled with another head would make the next
        // open replay entries on a state that holds them already. Another process wrote since
        // this ledger looked: its snapshot is not written (that process writes its own).
        if !store.begin_at_head(self.len, self.last)? {
            return Ok(());
        }
        let written = store
            .put_snapshot(self.len - 1, self.last, &data)
            .and_then(|()| store.commit_plain());
        if let Err(e) = written {
            store.rollback();
            return Err(e);
        }
        self.snapshot_len = self.len;
        Ok(())
    }

    /// Whether the projection tables hold what the state says: they reflect the last entry,
    /// nobody updated or deleted their rows by hand (their triggers note it), and their row
    /// counts agree (rows added by hand).
    fn projections_agree(&self) -> Result<bool> {
        let Log::File(store) = &self.log else {
            return Ok(true);
        };
        if store.projected_seq()? != self.len as i64 - 1 || store.projections_edited()? {
            return Ok(false);
        }
        let st = &self.state;
        let n = |x: usize| i64::try_from(x).unwrap_or(i64::MAX);
        let want = crate::store::ProjectionCounts {
            orgs: n(st.orgs.len()),
            volunteers: n(st.vols.len()),
            teams: n(st.teams.len()),
            records: n(st.records.len()),
        };
        Ok(store.projection_counts()? == want)
    }

    /// Rewrites every projection table of a file ledger from the state (one transaction).
    /// Opening a file does this by itself when they disagree with the log; call it after
    /// editing the tables by hand. Does nothing in memory.
    pub fn rebuild_projections(&mut self) -> Result<()> {
        // Of the file's latest state: entries another process appended are replayed first.
        self.begin_write()?;
        let Log::File(store) = &mut self.log else {
            return Ok(());
        };
        if let Err(e) = store.clear_projections() {
            store.rollback();
            return Err(e);
        }
        self.dirty = Dirty::everything(&self.state);
        self.flush()
    }

    /// Writes the projection rows of what changed and commits the open transaction; on a
    /// failure the transaction is rolled back. When a snapshot is due (every
    /// [`SNAPSHOT_EVERY`] entries, outside a batch's inner commits) it is written into the same
    /// transaction — one commit, and the snapshot reaches the file with the entries it
    /// reflects — and encoded on a second thread while this one writes the rows.
    fn flush(&mut self) -> Result<()> {
        let Log::File(store) = &mut self.log else {
            self.dirty = Dirty::default();
            return Ok(());
        };
        let mut d = std::mem::take(&mut self.dirty);
        for v in [&mut d.orgs, &mut d.teams, &mut d.vols, &mut d.records] {
            v.sort_unstable();
            v.dedup();
        }
        let st = &self.state;
        let snapshot_due =
            self.len > 0 && self.len >= self.snapshot_len + SNAPSHOT_EVERY && !store.batch;
        let (written, snapshot) = std::thread::scope(|s| {
            let encoder = snapshot_due.then(|| {
                std::thread::Builder::new()
                    .name("vl-snapshot".into())
                    .spawn_scoped(s, || st.snapshot_bytes())
            });
            let written = (|| -> Result<()> {
                for &i in &d.orgs {
                    if let Some(o) = st.orgs.get(i as usize) {
                        store.put_org(&o.org)?;
                    }
                }
                for &i in &d.teams {
                    if let Some(t) = st.teams.get(i as usize) {
                        store.put_team(&t.team)?;
                    }
                }
                store.put_volunteers(
                    d.vols
                        .iter()
                        .filter_map(|&i| st.volunteer_view(i).map(|v| (i, v))),
                )?;
                for &i in &d.records {
                    if let Some(r) = st.view_record(i) {
                        let date = r.record.start.local_date(st.off).to_string();
                        store.put_record(i, &r, &date)?;
                    }
                }
                Ok(())
            })();
            // A thread that could not start or stopped: encoded here instead. An empty
            // snapshot is simply not written (the next open replays).
            let snapshot = encoder.map(|spawned| {
                spawned
                    .ok()
                    .and_then(|h| h.join().ok())
                    .unwrap_or_else(|| st.snapshot_bytes())
            });
            (written, snapshot)
        });
        let snapshot = snapshot.filter(|data| !data.is_empty());
        let written = written.and_then(|()| match &snapshot {
            Some(data) => store.put_snapshot(self.len - 1, self.last, data),
            None => Ok(()),
        });
        if let Err(e) = written {
            store.rollback();
            return Err(e);
        }
        store.commit(self.len as i64 - 1)?;
        if snapshot.is_some() {
            self.snapshot_len = self.len;
            // The snapshot's encoding folded the tree (on its thread): kept, not done again.
            self.state.tree.settle();
        }
        Ok(())
    }

    /// Notes what an applied entry changed, for the projections.
    fn mark_dirty(&mut self, change: &Change) {
        let st = &self.state;
        let d = &mut self.dirty;
        let record = |id: &RecordId, d: &mut Dirty| {
            if let Ok(i) = st.rec_idx(id) {
                d.records.push(i);
                if let Some(r) = st.records.get(i as usize) {
                    d.vols.push(r.vol);
                }
            }
        };
        let vol = |id: &VolunteerId, d: &mut Dirty| d.vols.extend(st.vol_idx(id).ok());
        match change {
            Change::OrgRegistered(o) => d.orgs.extend(st.org_idx(&o.id).ok()),
            Change::TeamCreated(t) => d.teams.extend(st.team_idx(&t.id).ok()),
            Change::VolunteerRegistered(v) => vol(v.id(), d),
            Change::IdentityErased { volunteer } => vol(volunteer, d),
            Change::RecordAdded(r) => record(&r.id, d),
            Change::RecordConfirmed { record: id }
            | Change::RecordRevoked { record: id, .. }
            | Change::RecordDisputed { record: id, .. }
            | Change::DisputeResolved { record: id, .. } => record(id, d),
            Change::RecordAmended {
                record: id,
                replacement,
                ..
            } => {
                record(id, d);
                record(&replacement.id, d);
            }
            Change::VisibilitySet { volunteer, .. } => vol(volunteer, d),
            Change::VolunteerMoved(m) => vol(&m.volunteer, d),
            Change::TransferredOut(t) => vol(&t.volunteer, d),
            Change::TransferredIn(t) => {
                if let Ok(p) = open_package(&t.package, &st.travel.trusted) {
                    vol(&p.volunteer, d);
                }
            }
            Change::TeamMemberJoined(m) | Change::TeamMemberLeft(m) => {
                d.teams.extend(st.team_idx(&m.team).ok());
            }
            Change::ReportedIn(r) => vol(&r.volunteer, d),
            Change::ProjectPublished(_)
            | Change::ProjectClaimed(_)
            | Change::ActivityCreated(_)
            | Change::ActivityEvaluated(_)
            | Change::ComplaintRecorded(_)
            | Change::TrainingRecorded(_)
            | Change::CommendationRecorded(_)
            | Change::LedgerCreated(_)
            | Change::RoleGranted { .. }
            | Change::SigningKeyRegistered(_)
            | Change::IssuerTrusted(_)
            | Change::CertificateIssued(_) => {}
        }
    }

    /// A write to the file failed after the change was applied in memory: inside a batch the
    /// batch is marked failed (rolled back at its end); otherwise the transaction is rolled
    /// back and the state read again from the file, so memory and file agree.
    fn write_failed(&mut self, e: LedgerError) -> LedgerError {
        match &mut self.log {
            Log::File(store) if store.batch => {
                store.batch_failed = Some(e.clone());
            }
            Log::File(store) => {
                store.rollback();
                self.reload();
            }
            _ => {}
        }
        e
    }

    /// Makes `sync` the ledger's sync state, writing it into a ledger file first.
    pub(crate) fn keep_sync_state(&mut self, sync: crate::sync::SyncState) -> Result<()> {
        if let Log::File(store) = &mut self.log {
            let json = serde_json::to_string(&sync).map_err(|e| LedgerError::Storage {
                path: store.path().to_owned(),
                detail: format!("cannot encode the sync state: {e}"),
                detail_zh: format!("无法编码同步状态：{e}"),
            })?;
            store.put_meta("sync_state", &json)?;
        }
        self.sync = sync;
        Ok(())
    }

    /// Whether a [`Ledger::batch`] of a ledger file is open (its entries are not committed).
    pub(crate) fn in_batch(&self) -> bool {
        matches!(&self.log, Log::File(store) if store.batch || store.in_transaction())
    }

    /// The key a server ledger signs its sync receipts with, if it has one.
    pub(crate) fn sync_signing_key(&self) -> Option<&ed25519_dalek::SigningKey> {
        self.signing_key.as_ref()
    }

    /// Reads the state again from the file (after a failed write).
    fn reload(&mut self) {
        let log = std::mem::replace(&mut self.log, Log::Detached);
        if let Log::File(store) = log {
            match Self::load(*store, self.clock) {
                Ok(mut fresh) => {
                    fresh.signing_key = self.signing_key.take();
                    fresh.vault.keys = self.vault.keys.take();
                    fresh.own_keys = self.own_keys.take();
                    *self = fresh;
                }
                Err(e) => self.log = Log::Failed(e),
            }
        }
    }

    /// Runs `f` as one transaction of a file ledger: every change it makes reaches the file
    /// together, or none does (a failed write rolls all of them back, the state is read again
    /// from the file, and the write's `E_STORAGE` error is returned). In memory, `f` simply
    /// runs. A refusal of a single change inside `f` ends nothing: that change is not made,
    /// the others are. Uploads and [`Ledger::add_records`] are batches already; use this to
    /// register many volunteers or orgs at once (one disk sync instead of one per change).
    pub fn batch<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> Result<T> {
        let Log::File(store) = &self.log else {
            return Ok(f(self));
        };
        if store.batch {
            return Ok(f(self));
        }
        self.begin_write()?;
        let Log::File(store) = &mut self.log else {
            return Err(detached());
        };
        store.batch = true;
        let out = f(self);
        let Log::File(store) = &mut self.log else {
            return Err(detached());
        };
        store.batch = false;
        if let Some(e) = store.batch_failed.take() {
            store.rollback();
            self.reload();
            return Err(e);
        }
        if let Err(e) = self.flush() {
            self.reload();
            return Err(e);
        }
        Ok(out)
    }

    /// Rebuilds a ledger from its log: checks the chain, then replays every entry through the
    /// same validation and authorisation as when it was made, at the entry's own time.
    /// Refuses a broken chain (`E_CHAIN_BROKEN`) or an entry its rules reject
    /// (`E_REPLAY_REFUSED`).
    pub fn from_entries(entries: Vec<Entry>) -> Result<Self> {
        verify_chain(&entries)?;
        let Some(Change::LedgerCreated(config)) = entries.first().map(|e| &e.change) else {
            return Err(LedgerError::ChainBroken {
                seq: 0,
                detail: "the log is empty".into(),
            });
        };
        let config = LedgerConfig::clone(config);
        let state = replay(&config, &entries)?;
        let (len, last) = (
            entries.len() as u64,
            entries.last().map_or(Hash::ZERO, |e| e.hash),
        );
        let mut ledger = Self::assemble(config, Clock::System, Log::Memory(entries), state);
        ledger.len = len;
        ledger.last = last;
        Ok(ledger)
    }

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

    fn commit(&mut self, actor: &ActorId, change: Change) -> Result<(Receipt, Option<Admit>)> {
        self.commit_keyed(actor, change, identity::KeyWrite::None)
    }

    /// As `commit`, writing or destroying a volunteer's data key in the same transaction as
    /// the entry (a file ledger's key table; a ledger in memory keeps it in its vault).
    fn commit_keyed(
        &mut self,
        actor: &ActorId,
        change: Change,
        key: identity::KeyWrite,
    ) -> Result<(Receipt, Option<Admit>)> {
        match &self.log {
            Log::Failed(e) => return Err(e.clone()),
            Log::File(store) => {
                if let Some(e) = &store.batch_failed {
                    return Err(e.clone());
                }
            }
            Log::Memory(_) | Log::Detached => {}
        }
        // A file ledger checks the change against the file's latest state: the transaction
        // opens (catching up with other processes' entries) before the check.
        let opened = self.begin_write()?;
        let now = self.clock.now();
        let checked = self.state.check(actor, now, &change);
        let admit = match checked {
            Ok(Some(admit)) => admit,
            Ok(None) | Err(_) => {
                if opened && let Log::File(store) = &mut self.log {
                    store.rollback();
                }
                return checked.map(|_| (self.duplicate_receipt(&change), None));
            }
        };
        let seq = self.len;
        let entry = Entry::new(seq, now, actor.clone(), change, self.last);
        if let Log::File(store) = &mut self.log {
            // Nothing is applied yet: a failure here leaves memory and file as they were.
            if let Err(e) = store.append(&entry) {
                return Err(self.write_failed(e));
            }
            if let Err(e) = key.write(store) {
                return Err(self.write_failed(e));
            }
        }
        if let Err(e) = self.state.apply(&entry, admit) {
            return Err(self.write_failed(e));
        }
        self.len += 1;
        self.last = entry.hash;
        let receipt = Receipt {
            seq: crate::error::signed(seq),
            hash: entry.hash.to_hex(),
            duplicate: false,
        };
        key.keep(&mut self.vault, matches!(self.log, Log::File(_)));
        match &mut self.log {
            Log::Memory(log) => log.push(entry),
            Log::File(store) => {
                let batch = store.batch;
                self.mark_dirty(&entry.change);
                if !batch && let Err(e) = self.flush() {
                    return Err(self.write_failed(e));
                }
            }
            Log::Detached | Log::Failed(_) => {}
        }
        Ok((receipt, Some(admit)))
    }

    /// Opens a file ledger's write transaction unless one is open (`true` when this call
    /// opened it; always `false` in memory). Entries another process appended since this
    /// ledger last looked are replayed first, inside the transaction, so that what is written
    /// next builds on the file's head; a file whose log does not continue this ledger's is
    /// refused (`E_STORAGE`).
    fn begin_write(&mut self) -> Result<bool> {
        let Log::File(store) = &mut self.log else {
            return Ok(false);
        };
        if store.in_transaction() {
            return Ok(false);
        }
        match store.begin(self.len, self.last)? {
            Begun::Current => Ok(true),
            Begun::Behind { head } => self.catch_up(head).map(|()| true),
        }
    }

    /// Replays the file's entries from this ledger's head up to `head` (the count), inside the
    /// open write transaction. If one does not replay, the transaction is rolled back and the
    /// ledger read again from the file.
    fn catch_up(&mut self, head: u64) -> Result<()> {
        let Log::File(store) = &mut self.log else {
            return Ok(());
        };
        let (state, len, last) = (&mut self.state, &mut self.len, &mut self.last);
        let read = store.each_entry(*len, Some(head - 1), *last, |e| {
            replay_entry(state, &e)?;
            *len += 1;
            *last = e.hash;
            Ok(())
        });
        if let Err(e) = read {
            store.rollback();
            self.reload();
            return Err(e);
        }
        Ok(())
    }

    /// The hash of an entry, if the ledger can still read it.
    fn entry_hash(&self, seq: u32) -> Option<Hash> {
        self.hash_of_entry(u64::from(seq))
    }

    /// When an entry was made, if the ledger can still read it.
    pub(crate) fn entry_time(&self, seq: u32) -> Option<Timestamp> {
        match &self.log {
            Log::Memory(log) => log.get(seq as usize).map(|e| e.time),
            Log::File(store) => store.entry_time(u64::from(seq)),
            Log::Detached | Log::Failed(_) => None,
        }
    }

    /// The hash of an entry by its seq, if the ledger can still read it.
    pub(crate) fn hash_of_entry(&self, seq: u64) -> Option<Hash> {
        if seq + 1 == self.len {
            return Some(self.last);
        }
        match &self.log {
            Log::Memory(log) => log.get(usize::try_from(seq).ok()?).map(|e| e.hash),
            Log::File(store) => store.entry_hash(seq),
            Log::Detached | Log::Failed(_) => None,
        }
    }

    fn duplicate_receipt(&self, change: &Change) -> Receipt {
        let seq = match change {
            Change::RecordAdded(r) => self
                .state
                .record_ids
                .get(r.id.as_str())
                .and_then(|i| self.state.records.get(i as usize))
                .map_or(0, |r| u64::from(r.seq)),
            _ => 0,
        };
        let hash = u32::try_from(seq)
            .ok()
            .and_then(|s| self.entry_hash(s))
            .map(|h| h.to_hex())
            .unwrap_or_default();
        Receipt {
            seq: crate::error::signed(seq),
            hash,
            duplicate: true,
        }
    }

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

    /// Adds a service record. An organiser's record is confirmed at once (谁记录谁证明), unless
    /// it is a make-up record and the organiser is not an org admin; a volunteer's own report
    /// stays pending. Sending a record id again with the same content changes nothing
    /// (`duplicate` is set); with other content it is refused (`E_RECORD_ID_CONFLICT`).
    pub fn add_record(&mut self, actor: &ActorId, record: NewRecord) -> Result<RecordReceipt> {
        let id = record.id.clone();
        let (receipt, admit) = self.commit(actor, Change::RecordAdded(record))?;
        Ok(self.record_receipt(id, receipt, admit))
    }

    fn record_receipt(
        &self,
        id: RecordId,
        receipt: Receipt,
        admit: Option<Admit>,
    ) -> RecordReceipt {
        let (state, make_up) = match admit {
            Some(a) => (a.state, a.make_up),
            None => self
                .state
                .record_ids
                .get(id.as_str())
                .and_then(|i| self.state.records.get(i as usize))
                .map_or((RecordState::Pending, false), |r| (r.state(), r.make_up())),
        };
        RecordReceipt {
            record: id,
            state,
            make_up,
            seq: receipt.seq,
            duplicate: receipt.duplicate,
        }
    }

    /// Makes room for the records of these ids that the ledger does not hold yet (a bulk add
    /// or an upload of a sheet read whole knows them all), so the tables grow once instead of
    /// doubling their way there — and such a sheet uploaded again reserves nothing. (An upload
    /// that reads its rows as it goes reserves room for every row: see `import::upload`.)
    pub(crate) fn reserve_records<'a>(&mut self, ids: impl Iterator<Item = &'a RecordId>) {
        let more = ids
            .filter(|id| self.state.record_ids.get(id.as_str()).is_none())
            .count();
        self.reserve_records_for(more);
    }

    /// Adds many records, each on its own (one refusal does not stop the others); the results
    /// are in input order. A file ledger writes them in one transaction: if that write fails,
    /// none of them is kept and every result is that error.
    pub fn add_records(
        &mut self,
        actor: &ActorId,
        records: Vec<NewRecord>,
    ) -> Vec<Result<RecordReceipt>> {
        self.reserve_records(records.iter().map(|r| &r.id));
        self.add_records_from(actor, records)
    }

    /// [`Ledger::add_records`] for records that arrive as they are made (a binding converting
    /// its caller's columns on another thread, say): the same answers, in input order. Call
    /// [`Ledger::reserve_records_for`] first when the count is known. Records are taken from
    /// `records` a few at a time (16) ahead of being checked; if a file ledger's write fails,
    /// the answer is that error for every record taken, and the rest are not taken.
    pub fn add_records_from(
        &mut self,
        actor: &ActorId,
        records: impl IntoIterator<Item = NewRecord>,
    ) -> Vec<Result<RecordReceipt>> {
        let mut records = Some(records.into_iter());
        let mut seen = 0;
        let out = self.batch(|l| {
            let Some(records) = records.take() else {
                return Vec::new();
            };
            let mut results: Vec<Option<Result<RecordReceipt>>> =
                Vec::with_capacity(records.size_hint().0);
            let counted = records.enumerate().inspect(|(i, _)| seen = i + 1);
            l.add_records_each(actor, counted, &mut |i, r| {
                if results.len() <= i {
                    results.resize(i + 1, None);
                }
                if let Some(slot) = results.get_mut(i) {
                    *slot = Some(r);
                }
            });
            results
        });
        match out {
            Ok(mut results) => {
                results.resize(seen, None);
                results
                    .into_iter()
                    .map(|r| r.unwrap_or_else(|| Err(detached())))
                    .collect()
            }
            // Refused before it began (the file could not be written): every record is
            // answered with that error, none silently dropped.
            Err(e) => {
                let untaken = records.map_or(0, Iterator::count);
                vec![Err(e); seen + untaken]
            }
        }
    }

    /// Makes room for `n` more records (as a `Vec` reserves), so that a bulk add of a known
    /// size grows the ledger's tables once.
    pub fn reserve_records_for(&mut self, n: usize) {
        self.state.records.reserve(n);
        self.state.record_ids.reserve(n);
        self.state.texts.reserve(n);
        if let Log::Memory(log) = &mut self.log {
            log.reserve(n);
        }
    }

    /// Adds records as [`Ledger::add_record`] would, one after the other, and hands each
    /// result to `each` with the tag it came with — not always in order: a duplicate's
    /// receipt comes at the end. Inside a batch of a file ledger the entries and record rows
    /// are written by a second thread while this one applies the rules (a failed write fails
    /// the batch, which then rolls back as any batch does); otherwise each is committed as
    /// usual.
    pub(crate) fn add_records_each(
        &mut self,
        actor: &ActorId,
        records: impl Iterator<Item = (usize, NewRecord)>,
        each: &mut dyn FnMut(usize, Result<RecordReceipt>),
    ) {
        let mut duplicates = Vec::new();
        match &self.log {
            Log::File(s) if s.batch && s.batch_failed.is_none() => {
                let Log::File(mut store) = std::mem::replace(&mut self.log, Log::Detached) else {
                    return;
                };
                let offset = self.state.off;
                let (failed, written) = store.piped(offset, |send| {
                    self.admit_records(actor, records, each, &mut duplicates, &mut |l, a| {
                        // The volunteer's totals changed: their row is written at the end.
                        l.dirty.vols.push(a.vol);
                        send(&a)
                    })
                });
                if let Some(e) = failed.err().or(written.err()) {
                    store.batch_failed = Some(e);
                }
                self.log = Log::File(store);
            }
            Log::Memory(_) | Log::Detached => {
                let kept =
                    self.admit_records(actor, records, each, &mut duplicates, &mut |l, a| {
                        if let Log::Memory(log) = &mut l.log {
                            log.push(a.entry);
                        }
                        true
                    });
                if let Err(e) = kept {
                    // Applied in part (an internal limit): as `commit` leaves it.
                    self.log = Log::Failed(e);
                }
            }
            Log::File(_) | Log::Failed(_) => {
                for (i, r) in records {
                    each(i, self.add_record(actor, r));
                }
            }
        }
        // Every entry is in the log now: a duplicate's entry can be read.
        for (i, change) in duplicates {
            let Change::RecordAdded(r) = &change else {
                continue;
            };
            let receipt = self.duplicate_receipt(&change);
            each(i, Ok(self.record_receipt(r.id.clone(), receipt, None)));
        }
    }

    /// The rules of a bulk add, record after record, as `commit` applies them: each admitted
    /// entry goes to `keep` (which says whether to go on), each refusal to `each`, each
    /// duplicate to `duplicates` (answered once the log holds every entry). Fails only when
    /// applying an admitted entry fails (an internal limit), leaving the state changed in
    /// part: the caller must read it again.
    fn admit_records(
        &mut self,
        actor: &ActorId,
        records: impl Iterator<Item = (usize, NewRecord)>,
        each: &mut dyn FnMut(usize, Result<RecordReceipt>),
        duplicates: &mut Vec<(usize, Change)>,
        keep: &mut dyn FnMut(&mut Self, crate::store::Admitted) -> bool,
    ) -> Result<()> {
        // Records are taken a few at a time and looked up together first (`State::warm`).
        let mut records = records.fuse();
        let mut window = std::collections::VecDeque::with_capacity(WARM_AHEAD);
        loop {
            if window.is_empty() {
                window.extend(records.by_ref().take(WARM_AHEAD));
                for (_, r) in &window {
                    self.state.warm(r);
                }
            }
            let Some((i, r)) = window.pop_front() else {
                break;
            };
            let now = self.clock.now();
            let change = Change::RecordAdded(r);
            let admit = match self.state.check(actor, now, &change) {
                Ok(Some(admit)) => admit,
                Ok(None) => {
                    duplicates.push((i, change));
                    continue;
                }
                Err(e) => {
                    each(i, Err(e));
                    continue;
                }
            };
            let seq = self.len;
            let entry = Entry::new(seq, now, actor.clone(), change, self.last);
            self.state.apply(&entry, admit)?;
            self.len += 1;
            self.last = entry.hash;
            let Change::RecordAdded(r) = &entry.change else {
                continue;
            };
            // A new record takes the next index (`push_record`).
            let n = u32::try_from(self.state.records.len().saturating_sub(1)).unwrap_or(NONE);
            debug_assert_eq!(self.state.rec_idx(&r.id).ok(), Some(n));
            // The volunteer as the check found it (the record just pushed is not read back:
            // see `State::count_rec`).
            let vol = match admit.at {
                Some((vol, ..)) => vol,
                None => self
                    .state
                    .records
                    .get(n as usize)
                    .map_or(NONE, |rec| rec.vol),
            };
            each(
                i,
                Ok(RecordReceipt {
                    record: r.id.clone(),
                    state: admit.state,
                    make_up: admit.make_up,
                    seq: crate::error::signed(seq),
                    duplicate: false,
                }),
            );
            let admitted = crate::store::Admitted {
                entry,
                n,
                vol,
                state: admit.state,
                make_up: admit.make_up,
            };
            if !keep(self, admitted) {
                break;
            }
        }
        Ok(())
    }

    /// Confirms a pending record. Refuses the person who entered it (`E_SELF_CONFIRM`), anyone
    /// but the organiser (`E_FORBIDDEN`), and a make-up record confirmed by anyone but an org
    /// admin (`E_MAKEUP_NEEDS_ORG_ADMIN`).
    pub fn confirm_record(&mut self, actor: &ActorId, record: &RecordId) -> Result<Receipt> {
        self.commit(
            actor,
            Change::RecordConfirmed {
                record: record.clone(),
            },
        )
        .map(|r| r.0)
    }

    /// Replaces a counted record by a corrected one for the same volunteer; the old record
    /// stays, marked amended and linked to its replacement.
    pub fn amend_record(
        &mut self,
        actor: &ActorId,
        record: &RecordId,
        replacement: NewRecord,
        reason: &str,
    ) -> Result<RecordReceipt> {
        let id = replacement.id.clone();
        let change = Change::RecordAmended {
            record: record.clone(),
            replacement,
            reason: reason.to_owned(),
        };
        let (receipt, admit) = self.commit(actor, change)?;
        Ok(self.record_receipt(id, receipt, admit))
    }

    /// Revokes a record with a reason; it stays in the ledger and stops counting.
    pub fn revoke_record(
        &mut self,
        actor: &ActorId,
        record: &RecordId,
        reason: &str,
    ) -> Result<Receipt> {
        self.commit(
            actor,
            Change::RecordRevoked {
                record: record.clone(),
                reason: reason.to_owned(),
            },
        )
        .map(|r| r.0)
    }

    /// Disputes a record (申诉): the volunteer, its recorder or its organiser may.
    pub fn dispute_record(
        &mut self,
        actor: &ActorId,
        record: &RecordId,
        reason: &str,
    ) -> Result<Receipt> {
        self.commit(
            actor,
            Change::RecordDisputed {
                record: record.clone(),
                reason: reason.to_owned(),
            },
        )
        .map(|r| r.0)
    }

    /// Resolves a dispute: the record returns to its state before it. To change the record,
    /// an org admin amends or revokes it instead.
    pub fn resolve_dispute(
        &mut self,
        actor: &ActorId,
        record: &RecordId,
        note: &str,
    ) -> Result<Receipt> {
        self.commit(
            actor,
            Change::DisputeResolved {
                record: record.clone(),
                note: note.to_owned(),
            },
        )
        .map(|r| r.0)
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

    // ---- keys, moves, transfers, certificates ------------------------------------------------

    /// Gives the ledger its Ed25519 signing key (from the platform's secret store; the seed
    /// never enters the log). The first time a key is given, its public half is registered in
    /// the log by a platform admin; giving a registered key again (after a reopen) writes
    /// nothing.
    pub fn set_signing_key(&mut self, actor: &ActorId, seed: &[u8]) -> Result<Receipt> {
        let seed: [u8; 32] = seed
            .try_into()
            .map_err(|_| invalid_field("ledger", "signing_key", "must be 32 bytes"))?;
        let key = ed25519_dalek::SigningKey::from_bytes(&seed);
        let public_key = crate::transfer::public_key_hex(&key);
        let receipt = if self.state.travel.signing_keys.last() == Some(&public_key) {
            let (seq, hash) = self.head();
            Receipt {
                seq: crate::error::signed(seq),
                hash: hash.to_hex(),
                duplicate: true,
            }
        } else {
            let change = Change::SigningKeyRegistered(KeyRegistration { public_key });
            self.commit(actor, change)?.0
        };
        self.signing_key = Some(key);
        Ok(receipt)
    }

    /// The ledger's current public key (hex), if it has one.
    pub fn public_key(&self) -> Option<String> {
        self.state.travel.signing_keys.last().cloned()
    }

    /// The ledger as an issuer: id, name and current public key.
    pub fn issuer(&self) -> Result<Issuer> {
        Ok(Issuer {
            ledger_id: self.config.ledger_id.clone(),
            name: self.config.name.clone(),
            public_key: self.public_key().ok_or(LedgerError::NoSigningKey)?,
        })
    }

    /// Trusts another ledger to issue transfer packages (a platform admin keeps the list).
    pub fn trust_issuer(&mut self, actor: &ActorId, issuer: Issuer) -> Result<Receipt> {
        self.commit(actor, Change::IssuerTrusted(issuer))
            .map(|r| r.0)
    }

    /// The trusted issuers: (ledger id, public key hex).
    pub fn trusted_issuers(&self) -> Vec<(crate::ids::LedgerId, String)> {
        self.state.travel.trusted.clone()
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

    /// Issues a signed transfer package for a volunteer leaving for another ledger, and marks
    /// them as transferred out (every record stays here for audit). Returns the package's
    /// text, to hand to the destination.
    pub fn export_transfer(
        &mut self,
        actor: &ActorId,
        volunteer: &VolunteerId,
        destination: Option<crate::ids::LedgerId>,
    ) -> Result<String> {
        let key = self.signing_key.clone().ok_or(LedgerError::NoSigningKey)?;
        let mut package = self.transfer_package(volunteer, destination.clone())?;
        // The head it is made at, and where each of this ledger's own records' entries is in it.
        let checkpoint = self.sign_head(&key)?;
        let own: Vec<u64> = package
            .records
            .iter()
            .filter(|r| r.ledger == self.config.ledger_id)
            .map(|r| {
                self.state
                    .rec_idx(&r.record)
                    .ok()
                    .and_then(|i| self.state.records.get(i as usize))
                    .map_or(u64::MAX, |rec| u64::from(rec.seq))
            })
            .collect();
        let mut proofs = self.inclusion_proofs(self.len, &own)?.into_iter();
        for r in package
            .records
            .iter_mut()
            .filter(|r| r.ledger == self.config.ledger_id)
        {
            r.proof = proofs.next();
        }
        package.checkpoint = Some(checkpoint);
        let text = seal_package(&package, &key);
        let change = Change::TransferredOut(TransferOut {
            destination,
            package_hash: package_hash(&text),
            volunteer: volunteer.clone(),
        });
        self.commit(actor, change)?;
        if let Some(head) = &package.checkpoint {
            // Best effort, as for certificates: the package carries the head.
            let _ = self.keep_head(head);
        }
        Ok(text)
    }

    /// The package a volunteer's history makes now (unsigned): every counted record here and
    /// every record carried in earlier, per-year totals and stars.
    pub fn transfer_package(
        &self,
        volunteer: &VolunteerId,
        destination: Option<crate::ids::LedgerId>,
    ) -> Result<TransferPackage> {
        let v = self.state.vol_idx(volunteer)?;
        let vol = self
            .state
            .vol(v)
            .ok_or_else(|| LedgerError::UnknownVolunteer {
                id: volunteer.to_string(),
            })?;
        let off = self.state.off;
        let mut records: Vec<TransferRecord> = vol
            .records
            .iter()
            .filter_map(|&i| self.state.records.get(i as usize).map(|r| (i, r)))
            .filter(|(_, r)| r.counted())
            .filter_map(|(i, r)| {
                let org = self.state.orgs.get(r.org as usize)?;
                Some(TransferRecord {
                    content: self.state.texts.get(i).to_owned(),
                    end: Timestamp(r.end()),
                    entry_hash: self.entry_hash(r.seq)?.to_hex(),
                    ledger: self.config.ledger_id.clone(),
                    minutes: i64::from(r.minutes),
                    org: org.org.id.clone(),
                    org_name: org.org.name.clone(),
                    proof: None,
                    record: RecordId::new(self.state.record_ids.resolve(i)).ok()?,
                    start: Timestamp(r.start()),
                })
            })
            .collect();
        records.extend(
            self.state
                .travel
                .carried
                .get(&v)
                .into_iter()
                .flatten()
                // A carried record's proof is against its own ledger's head, which does not
                // travel on: only the issuer's own records are proven (`export_transfer`).
                .map(|r| TransferRecord {
                    proof: None,
                    ..r.clone()
                }),
        );
        records
            .sort_by(|a, b| (a.start, &a.ledger, &a.record).cmp(&(b.start, &b.ledger, &b.record)));
        let mut years: std::collections::BTreeMap<i32, i64> = std::collections::BTreeMap::new();
        for r in &records {
            *years
                .entry(chrono::Datelike::year(&r.start.local_date(off)))
                .or_default() += r.minutes;
        }
        let stars = self.star_summary(volunteer)?;
        Ok(TransferPackage {
            checkpoint: None,
            destination,
            format: TRANSFER_FORMAT.to_owned(),
            identity_kind: vol.identity.kind,
            issued_at: self.clock.now(),
            issuer: self.issuer()?,
            masked_identity: vol.identity.mask.to_string(),
            masked_name: mask_name(&vol.name),
            total_minutes: records.iter().map(|r| r.minutes).sum(),
            records,
            star_level: stars.level,
            star_profile: self.config.policy.stars.name.clone(),
            stars_reached: stars.reached,
            volunteer: volunteer.clone(),
            year_totals: years
                .into_iter()
                .map(|(year, minutes)| YearTotal { minutes, year })
                .collect(),
        })
    }

    /// Imports a transfer package: verifies its form, its issuer (on the trust list), its
    /// signature and its destination, matches its volunteer with the one registered here (by
    /// volunteer number and masked identity), then carries its history in. The volunteer's
    /// totals and stars include it; this ledger's boards do not (that service was not done
    /// here). Importing the same package again changes nothing.
    pub fn import_transfer(&mut self, actor: &ActorId, package: &str) -> Result<TransferReceipt> {
        let p = open_package(package, &self.state.travel.trusted)?;
        // What the import will carry in, sorted as applying it will sort it (on the state
        // before it; an unknown volunteer is refused by the check below).
        let sorted = self
            .state
            .vol_idx(&p.volunteer)
            .ok()
            .map(|v| self.state.carry(v, &p.records));
        let minutes = |rs: &[&TransferRecord]| {
            rs.iter()
                .map(|r| u64::from(r.counted_minutes()))
                .sum::<u64>()
        };
        let (records_added, minutes_added, overlapping, minutes_overlapping) = match &sorted {
            Some(c) => (
                c.kept.len() as u32,
                minutes(&c.kept),
                c.overlapping
                    .iter()
                    .map(|r| format!("{}@{}", r.record, r.ledger))
                    .collect(),
                minutes(&c.overlapping),
            ),
            None => (0, 0, Vec::new(), 0),
        };
        let (receipt, admit) = self.commit(
            actor,
            Change::TransferredIn(TransferIn {
                package: package.to_owned(),
            }),
        )?;
        let fresh = admit.is_some();
        Ok(TransferReceipt {
            volunteer: p.volunteer,
            package_hash: package_hash(package),
            records_added: if fresh {
                i32::try_from(records_added).unwrap_or(i32::MAX)
            } else {
                0
            },
            minutes_added: if fresh {
                crate::error::signed(minutes_added)
            } else {
                0
            },
            overlapping: if fresh { overlapping } else { Vec::new() },
            minutes_overlapping: if fresh {
                crate::error::signed(minutes_overlapping)
            } else {
                0
            },
            seq: receipt.seq,
            duplicate: !fresh,
        })
    }

    /// Issues a service certificate (志愿服务证明) for a volunteer's counted records in a period,
    /// signed by the ledger's key, and records it in the log so that its code can be checked.
    pub fn issue_certificate(
        &mut self,
        actor: &ActorId,
        req: CertificateRequest,
    ) -> Result<Certificate> {
        self.issue_certificate_with(actor, req, false)
    }

    /// As [`Ledger::issue_certificate`]; with `with_training_and_commendations`, the
    /// certificate also lists the training attended and the commendations received in the
    /// period that the issuing org (or one below it) recorded.
    pub fn issue_certificate_with(
        &mut self,
        actor: &ActorId,
        req: CertificateRequest,
        with_training_and_commendations: bool,
    ) -> Result<Certificate> {
        let key = self.signing_key.clone().ok_or(LedgerError::NoSigningKey)?;
        if req.period_to < req.period_from {
            return Err(invalid_field(
                "certificate",
                "period_to",
                "is before period_from",
            ));
        }
        for (field, text, max) in [
            ("responsible_person", &req.responsible_person, 50),
            ("handler", &req.handler, 50),
            ("contact", &req.contact, 100),
            ("notes", &req.notes, 1000),
        ] {
            if text.chars().count() > max || text.chars().any(|c| c.is_control() && c != '\n') {
                return Err(invalid_field(
                    "certificate",
                    field,
                    format!("is longer than {max} characters or holds control characters"),
                ));
            }
        }
        let v = self.state.vol_idx(&req.volunteer)?;
        let org = self.org(&req.issuing_org)?;
        let vol = self
            .state
            .vol(v)
            .ok_or_else(|| LedgerError::UnknownVolunteer {
                id: req.volunteer.to_string(),
            })?;
        let off = self.state.off;
        let issuing = self.state.org_idx(&req.issuing_org)?;
        if !self.state.is_org_admin(actor, issuing) {
            return Err(LedgerError::Forbidden {
                actor: actor.to_string(),
                action: "issue a certificate".into(),
                rule: "only an admin of the issuing org or above issues certificates".into(),
            });
        }
        // Who records certifies (谁记录谁证明): an org certifies the service done in its subtree.
        let (seqs, mut records): (Vec<u64>, Vec<CertificateRecord>) = vol
            .records
            .iter()
            .filter_map(|&i| self.state.records.get(i as usize).map(|r| (i, r)))
            .filter(|(_, r)| r.counted() && self.state.ancestors(r.org).contains(&issuing))
            .filter_map(|(i, r)| {
                let date = Timestamp(r.start()).local_date(off);
                if date < req.period_from || date > req.period_to {
                    return None;
                }
                let record = CertificateRecord {
                    content: self.state.texts.get(i).to_owned(),
                    date,
                    entry_hash: self.entry_hash(r.seq)?.to_hex(),
                    minutes: i64::from(r.minutes),
                    org_name: self.state.orgs.get(r.org as usize)?.org.name.clone(),
                    proof: None,
                    record: RecordId::new(self.state.record_ids.resolve(i)).ok()?,
                };
                Some((u64::from(r.seq), record))
            })
            .unzip();
        if records.is_empty() {
            return Err(invalid_field(
                format!("certificate for {}", req.volunteer),
                "period",
                "holds no counted service at the issuing org or below",
            ));
        }
        // The head before the certificate's own entry, and where each record's entry is in it.
        let checkpoint = self.sign_head(&key)?;
        let proofs = self.inclusion_proofs(self.len, &seqs)?;
        for (r, p) in records.iter_mut().zip(proofs) {
            r.proof = Some(p);
        }
        let issued_on = self.clock.now().local_date(off);
        let number = format!(
            "{}-{}-{:06}",
            self.config.ledger_id,
            chrono::Datelike::year(&issued_on),
            self.state.travel.certificates.len() + 1
        );
        let (training, commendations) = if with_training_and_commendations {
            self.training_and_commendations(v, issuing, req.period_from, req.period_to)
        } else {
            (Vec::new(), Vec::new())
        };
        let org_name = |o: &OrgId| self.org(o).map(|x| x.name).unwrap_or_default();
        let training = training
            .into_iter()
            .map(|t| crate::certificate::CertificateTraining {
                date: t.date,
                minutes: i64::from(t.minutes),
                org_name: org_name(&t.org),
                title: t.title,
            })
            .collect();
        let commendations = commendations
            .into_iter()
            .map(|c| crate::certificate::CertificateCommendation {
                date: c.date,
                org_name: org_name(&c.org),
                title: c.title,
            })
            .collect();
        // The one output that needs the full number: refused without the keys that open it.
        let identity = self.full_identity(v)?;
        let mut cert = Certificate {
            checkpoint: Some(checkpoint),
            commendations,
            training,
            contact: req.contact,
            handler: req.handler,
            identity_kind: identity.kind(),
            identity_number: identity.number().to_owned(),
            issued_on,
            issuing_org: org.id.clone(),
            issuing_org_name: org.name.clone(),
            ledger_id: self.config.ledger_id.clone(),
            ledger_name: self.config.name.clone(),
            name: vol.name.to_string(),
            notes: req.notes,
            number,
            period_from: req.period_from,
            period_to: req.period_to,
            public_key: crate::transfer::public_key_hex(&key),
            total_minutes: records.iter().map(|r| r.minutes).sum(),
            records,
            responsible_person: req.responsible_person,
            signature: String::new(),
            verification_code: String::new(),
            volunteer: req.volunteer,
        };
        let bytes = certificate_bytes(&cert);
        cert.signature = crate::transfer::sign(&key, &bytes);
        cert.verification_code = verification_code(&cert.signature);
        let entry = CertificateEntry {
            code: cert.verification_code.clone(),
            digest: hash_bytes(&bytes).to_hex(),
            issuing_org: cert.issuing_org.clone(),
            number: cert.number.clone(),
            period_from: cert.period_from,
            period_to: cert.period_to,
            records: cert
                .records
                .iter()
                .map(|r| CertifiedRecord {
                    entry_hash: r.entry_hash.clone(),
                    record: r.record.clone(),
                })
                .collect(),
            total_minutes: cert.total_minutes.unsigned_abs(),
            volunteer: cert.volunteer.clone(),
        };
        self.commit(actor, Change::CertificateIssued(entry))?;
        if let Some(head) = &cert.checkpoint {
            // Best effort: the head is in the certificate its holder keeps; the file's copy
            // only lets open() and verify() check it too.
            let _ = self.keep_head(head);
        }
        Ok(cert)
    }

    /// Checks a certificate by its verification code against this ledger (online). Shows only
    /// what it must, masked; a certificate one of whose records was later amended or revoked
    /// checks as superseded.
    pub fn verify_certificate(&self, code: &str) -> Result<CertificateCheck> {
        let norm = normalise_code(code);
        let c = self
            .state
            .travel
            .certificate_codes
            .get(&norm)
            .and_then(|i| self.state.travel.certificates.get(*i))
            .ok_or_else(|| LedgerError::UnknownCertificate {
                code: code.chars().take(40).collect(),
            })?;
        let v = self.state.vol_idx(&c.volunteer)?;
        let vol = self
            .state
            .vol(v)
            .ok_or_else(|| LedgerError::UnknownVolunteer {
                id: c.volunteer.to_string(),
            })?;
        let changed_records: Vec<RecordId> = c
            .records
            .iter()
            .filter(|r| {
                let still = self.state.rec_idx(&r.record).ok().and_then(|i| {
                    let rec = self.state.records.get(i as usize)?;
                    let hash = self.entry_hash(rec.seq)?.to_hex();
                    Some(rec.counted() && hash == r.entry_hash)
                });
                still != Some(true)
            })
            .map(|r| r.record.clone())
            .collect();
        Ok(CertificateCheck {
            status: if changed_records.is_empty() {
                CertificateStatus::Valid
            } else {
                CertificateStatus::Superseded
            },
            number: c.number.clone(),
            volunteer: c.volunteer.clone(),
            masked_name: mask_name(&vol.name),
            identity_kind: vol.identity.kind,
            masked_identity: vol.identity.mask.to_string(),
            period_from: c.period_from,
            period_to: c.period_to,
            total_minutes: crate::error::signed(c.total_minutes),
            issuing_org_name: self.org(&c.issuing_org).map(|o| o.name).unwrap_or_default(),
            issued_on: self
                .state
                .travel
                .certificate_codes
                .get(&c.code)
                .and_then(|&i| self.state.travel.certificate_times.get(i))
                .map_or(c.period_to, |t| t.local_date(self.state.off)),
            changed_records,
        })
    }

    // ---- queries -------------------------------------------------------------------------

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
        let root = self.state.org_idx(org)?;
        // Parents are registered before their children, so one pass in order finds the subtree.
        let mut inside = vec![false; self.state.orgs.len()];
        for (i, o) in self.state.orgs.iter().enumerate() {
            let here =
                i == root as usize || inside.get(o.parent as usize).copied().unwrap_or(false);
            if let Some(slot) = inside.get_mut(i) {
                *slot = here;
            }
        }
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
        let vi = self.state.vol_idx(id)?;
        self.state
            .volunteer_view(vi)
            .ok_or_else(|| LedgerError::UnknownVolunteer { id: id.to_string() })
    }

    /// An org.
    pub fn org(&self, id: &OrgId) -> Result<Org> {
        let i = self.state.org_idx(id)?;
        self.state
            .orgs
            .get(i as usize)
            .map(|o| o.org.clone())
            .ok_or_else(|| LedgerError::UnknownOrg { id: id.to_string() })
    }

    /// A team.
    pub fn team(&self, id: &TeamId) -> Result<NewTeam> {
        let i = self.state.team_idx(id)?;
        self.state
            .teams
            .get(i as usize)
            .map(|t| t.team.clone())
            .ok_or_else(|| LedgerError::UnknownTeam { id: id.to_string() })
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
            .travel
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

    /// The top `limit` of a leaderboard, always current. The first request for a (period,
    /// scope, kind) builds its board from the records; after that every change keeps it
    /// current, so later requests cost only the lines read.
    pub fn leaderboard(
        &mut self,
        period: Period,
        scope: &Scope,
        kind: BoardKind,
        limit: u32,
    ) -> Result<Leaderboard> {
        let key = BoardKey {
            period,
            scope: self.state.scope_key(scope)?,
            kind,
        };
        self.ensure_board(key);
        let seq = self.len.saturating_sub(1);
        let empty = Board::default();
        let board = self.state.boards.get(&key).unwrap_or(&empty);
        let fresh = !matches!(&board.rendered, Some(r) if r.limit == limit);
        let out = self.state.render(&key, board, scope, limit, seq);
        if fresh && let Some(b) = self.state.boards.get_mut(&key) {
            b.rendered = Some(crate::ranking::Rendered {
                limit,
                lines: out.entries.clone(),
            });
        }
        Ok(out)
    }

    fn ensure_board(&mut self, key: BoardKey) {
        if !self.state.boards.contains_key(&key) {
            let board = self.state.build_board(&key);
            self.state.boards.insert(key, board);
        }
    }

    /// A leaderboard as it stood just after entry `seq`: the log up to that entry is replayed
    /// and the board computed from it, so a board published earlier is shown again exactly.
    /// `seq` is signed, as [`Receipt::seq`] and [`Leaderboard::as_of_seq`] are; a negative
    /// one is refused with `E_FIELD`.
    pub fn leaderboard_as_of(
        &self,
        seq: i64,
        period: Period,
        scope: &Scope,
        kind: BoardKind,
        limit: u32,
    ) -> Result<Leaderboard> {
        let seq: u64 = crate::error::non_negative("seq", seq)?;
        let len = self.len;
        if seq >= len {
            return Err(LedgerError::UnknownEntry { seq, len });
        }
        let state = match &self.log {
            Log::Memory(log) => replay(
                &self.config,
                log.get(..=usize::try_from(seq).unwrap_or(usize::MAX))
                    .unwrap_or_default(),
            )?,
            Log::File(store) => {
                let mut state = State::new(&self.config)?;
                store.each_entry(0, Some(seq), Hash::ZERO, |e| replay_entry(&mut state, &e))?;
                state
            }
            Log::Detached => return Err(detached()),
            Log::Failed(e) => return Err(e.clone()),
        };
        let key = BoardKey {
            period,
            scope: state.scope_key(scope)?,
            kind,
        };
        let board = state.build_board(&key);
        Ok(state.render(&key, &board, scope, limit, seq))
    }

    /// A volunteer's place on the board of a period and scope, and the change since the
    /// previous period. A volunteer hidden from boards has minutes but no rank.
    pub fn standing(
        &mut self,
        volunteer: &VolunteerId,
        period: Period,
        scope: &Scope,
    ) -> Result<Standing> {
        let v = self.state.vol_idx(volunteer)?;
        let sk = self.state.scope_key(scope)?;
        let key = BoardKey {
            period,
            scope: sk,
            kind: BoardKind::Volunteers,
        };
        self.ensure_board(key);
        let (mut minutes, rank, ranked) = self
            .state
            .boards
            .get(&key)
            .map(|b| {
                let (m, r) = b.rank_of(v);
                (m, r, u32::try_from(b.len()).unwrap_or(u32::MAX))
            })
            .unwrap_or((0, None, 0));
        if rank.is_none() {
            // Hidden volunteers are not on the board; count their minutes directly.
            minutes = self.minutes_in(v, &key);
        }
        let previous_rank = match period.previous() {
            Some(p) => {
                let pk = BoardKey {
                    period: p,
                    scope: sk,
                    kind: BoardKind::Volunteers,
                };
                self.ensure_board(pk);
                self.state.boards.get(&pk).and_then(|b| b.rank_of(v).1)
            }
            None => None,
        };
        let places_up = match (rank, previous_rank) {
            (Some(r), Some(p)) => Some(i64::from(p) - i64::from(r)),
            _ => None,
        };
        Ok(Standing {
            volunteer: volunteer.clone(),
            period,
            scope: scope.clone(),
            minutes: crate::error::signed(minutes),
            rank: rank.map(|r| i32::try_from(r).unwrap_or(i32::MAX)),
            ranked: i32::try_from(ranked).unwrap_or(i32::MAX),
            previous_rank: previous_rank.map(|r| i32::try_from(r).unwrap_or(i32::MAX)),
            places_up,
        })
    }

    fn minutes_in(&self, v: u32, key: &BoardKey) -> u64 {
        let recs = self
            .state
            .vol(v)
            .map(|v| v.records.as_slice())
            .unwrap_or_default();
        let mut board = Board::default();
        let vis_key = BoardKey {
            kind: BoardKind::Volunteers,
            ..*key
        };
        for &i in recs {
            let Some(rec) = self.state.records.get(i as usize).filter(|r| r.counted()) else {
                continue;
            };
            if let Some(mut ctx) = self.state.rec_ctx(*rec) {
                // Count as if visible, for the volunteer's own eyes.
                ctx.hidden = false;
                self.state
                    .feed(&vis_key, &mut board, &ctx, i64::from(rec.minutes));
            }
        }
        board.rank_of(v).0
    }

    /// The log, oldest entry first (a file ledger reads it from its file, checking each
    /// entry's hash). It holds personal data in full (it is the truth a certificate is issued
    /// from): keep it inside the platform, as you would the database.
    pub fn entries(&self) -> Result<Vec<Entry>> {
        match &self.log {
            Log::Memory(log) => Ok(log.clone()),
            Log::File(store) => {
                let mut out = Vec::with_capacity(usize::try_from(self.len).unwrap_or(0));
                store.each_entry(0, None, Hash::ZERO, |e| {
                    out.push(e);
                    Ok(())
                })?;
                Ok(out)
            }
            Log::Detached => Err(detached()),
            Log::Failed(e) => Err(e.clone()),
        }
    }

    /// How many entries the log holds.
    pub fn entry_count(&self) -> u64 {
        self.len
    }

    /// The sequence number and hash of the newest entry.
    pub fn head(&self) -> (u64, Hash) {
        (self.len.saturating_sub(1), self.last)
    }

    /// Checks the whole chain (`E_CHAIN_BROKEN` names the first entry at fault). A file
    /// ledger checks the chain on disk: every stored entry's bytes against its hash and the
    /// next entry's link, that the file ends where this ledger does, and — since the state
    /// was read from a snapshot the chain does not cover — that replaying the whole log
    /// through the rules gives the state this ledger holds.
    ///
    /// The signed head a ledger file kept (the latest it issued) is checked too, as
    /// [`Ledger::verify_against`] checks heads given to it.
    pub fn verify(&self) -> Result<VerifyReport> {
        self.verify_against(&[])
    }

    /// As [`Ledger::verify`], and checks the log against signed heads this ledger issued
    /// earlier — kept by a certificate's or package's holder, another ledger, the district's
    /// website: each must be signed with a key this ledger's log registered
    /// (`E_UNTRUSTED_ISSUER`, `E_BAD_SIGNATURE`), and the log must still hold at least its
    /// entries, with the same Merkle root and last entry at its size. A history removed or
    /// rewritten before any of them, however consistently rehashed, is refused
    /// (`E_CHECKPOINT_MISMATCH`).
    pub fn verify_against(&self, heads: &[SignedHead]) -> Result<VerifyReport> {
        let kept = self.kept_signed_head()?;
        let mut all: Vec<&SignedHead> = heads.iter().collect();
        all.extend(kept.as_ref());
        let mut anchors = crate::checkpoint::Anchors::new(
            &all,
            &self.config.ledger_id,
            &self.state.travel.signing_keys,
            self.len,
        )?;
        let report = match &self.log {
            Log::Memory(log) => {
                let report = verify_chain(log)?;
                for e in log {
                    anchors.push(&e.hash)?;
                }
                report
            }
            Log::File(store) => {
                let (mut n, mut head) = (0u64, Hash::ZERO);
                let mut state = State::new(&self.config)?;
                // The entries this ledger holds: another process may have appended more since
                // (they are checked when this ledger catches up with them, or by that process).
                let until = Some(self.len.saturating_sub(1));
                store.each_entry(0, until, Hash::ZERO, |e| {
                    check_position(&e).map_err(|d| LedgerError::ChainBroken {
                        seq: e.seq,
                        detail: d.into(),
                    })?;
                    replay_entry(&mut state, &e)?;
                    anchors.push(&e.hash)?;
                    n += 1;
                    head = e.hash;
                    Ok(())
                })?;
                if (n, head) != (self.len, self.last) {
                    return Err(LedgerError::ChainBroken {
                        seq: n.min(self.len),
                        detail: "the file's log does not hold this ledger's entries (it ends \
                                 before them, or another entry stands where its last one was)"
                            .into(),
                    });
                }
                if state.digest() != self.state.digest() {
                    return Err(LedgerError::ChainBroken {
                        seq: self.snapshot_len.saturating_sub(1),
                        detail: "the state read from the file's snapshot is not what its log \
                                 replays to: reopen after deleting the snapshot row"
                            .into(),
                    });
                }
                VerifyReport {
                    entries: crate::error::signed(n),
                    head_hash: head.to_hex(),
                }
            }
            Log::Detached => return Err(detached()),
            Log::Failed(e) => return Err(e.clone()),
        };
        if &anchors.tree != self.state.tree.frontier() {
            return Err(LedgerError::ChainBroken {
                seq: self.snapshot_len.saturating_sub(1),
                detail: "the Merkle tree held (read from the file's snapshot) is not the log's: \
                         reopen after deleting the snapshot row"
                    .into(),
            });
        }
        Ok(report)
    }

    /// The latest signed head a ledger file kept (`None` in memory, or before one was issued).
    pub fn kept_signed_head(&self) -> Result<Option<SignedHead>> {
        match &self.log {
            Log::File(store) => store
                .meta(KEPT_HEAD)?
                .map(|t| SignedHead::from_json(&t))
                .transpose(),
            _ => Ok(None),
        }
    }

    /// Signs the log's head — its entry count, the Merkle root of its entry hashes, its last
    /// entry's hash, the time — with the ledger's key (`E_NO_SIGNING_KEY` without one), and a
    /// ledger file keeps it (the latest one), so that opening and verifying the file check it.
    /// Publish it (the district's website, other ledgers): anyone who holds it can later show,
    /// with [`Ledger::verify_against`], whether the log still begins with those entries.
    /// Named apart from [`Ledger::checkpoint`], which writes a snapshot. Refused inside a
    /// [`Ledger::batch`] (`E_FIELD`): its entries are not committed yet.
    pub fn signed_head(&mut self) -> Result<SignedHead> {
        let key = self.signing_key.clone().ok_or(LedgerError::NoSigningKey)?;
        self.state.tree.settle();
        let head = self.sign_head(&key)?;
        self.keep_head(&head)?;
        Ok(head)
    }

    fn sign_head(&self, key: &ed25519_dalek::SigningKey) -> Result<SignedHead> {
        if let Log::File(store) = &self.log
            && store.in_transaction()
        {
            return Err(invalid_field(
                "signed head",
                "batch",
                "cannot be issued inside a batch: the entries it would cover are not committed yet",
            ));
        }
        if self.state.tree.size() != self.len {
            return Err(LedgerError::ChainBroken {
                seq: self.len.saturating_sub(1),
                detail: "the Merkle tree held does not end at the log's head (a snapshot out of \
                         step?): run verify() and reopen"
                    .into(),
            });
        }
        Ok(SignedHead::sign(
            self.config.ledger_id.clone(),
            self.len,
            self.last,
            self.state.tree.root(),
            self.clock.now(),
            key,
        ))
    }

    /// Keeps a signed head in a ledger file (its own small write; nothing in memory).
    fn keep_head(&mut self, head: &SignedHead) -> Result<()> {
        if let Log::File(store) = &mut self.log {
            store.put_meta(KEPT_HEAD, &head.to_json())?;
        }
        Ok(())
    }

    /// Runs `f` with a reader of the entry hashes from entry 0 on.
    fn with_leaves<R>(
        &self,
        f: impl FnOnce(&mut crate::merkle::Leaves<'_>) -> Result<R>,
    ) -> Result<R> {
        match &self.log {
            Log::Memory(log) => {
                let mut it = log.iter();
                let mut next = || {
                    it.next()
                        .map(|e| e.hash)
                        .ok_or_else(|| LedgerError::ChainBroken {
                            seq: log.len() as u64,
                            detail: "the log ends before the Merkle tree does".into(),
                        })
                };
                f(&mut next)
            }
            Log::File(store) => store.with_hashes(f),
            Log::Detached => Err(detached()),
            Log::Failed(e) => Err(e.clone()),
        }
    }

    /// The inclusion proofs of the entries `seqs` among the first `size` entries (what a
    /// signed head of that size covers), in the order of `seqs`: for a sync receipt, a
    /// certificate, a package. A ledger file learns the Merkle roots of its blocks of 1,024
    /// entries the first time (reading every stored hash once) and keeps them, so that later
    /// proofs read only the blocks of `seqs` and the last one; in memory the hashes are read
    /// in order, holding O(log n) of them. Refuses a `size` of 0 or beyond the log (`E_FIELD`) and an entry at
    /// or beyond `size` (`E_UNKNOWN_ENTRY`); at the log's own size, the hashes read must give
    /// the root the ledger holds (`E_CHAIN_BROKEN`), so no proof is handed out that its head
    /// would not bear.
    pub fn inclusion_proofs(&self, size: u64, seqs: &[u64]) -> Result<Vec<InclusionProof>> {
        if size == 0 || size > self.len {
            return Err(invalid_field(
                "inclusion proof",
                "size",
                format!("must be 1 to {} (the log's entries)", self.len),
            ));
        }
        if let Some(&seq) = seqs.iter().find(|&&s| s >= size) {
            return Err(LedgerError::UnknownEntry { seq, len: size });
        }
        let (paths, root) = match &self.log {
            Log::File(store) => store.inclusion_paths(size, seqs)?,
            _ => self.with_leaves(|next| crate::merkle::inclusion_paths(size, seqs, next))?,
        };
        if size == self.len && root != self.state.tree.root() {
            return Err(LedgerError::ChainBroken {
                seq: size - 1,
                detail: "the stored entry hashes do not give the Merkle root the ledger holds"
                    .into(),
            });
        }
        Ok(seqs
            .iter()
            .zip(paths)
            .map(|(&seq, path)| InclusionProof {
                index: crate::error::signed(seq),
                path: path.iter().map(Hash::to_hex).collect(),
            })
            .collect())
    }

    /// The consistency proof (hex, RFC 9162 §2.1.4) that the first `to` entries extend the
    /// first `from`: what shows the holder of a head of `from` entries that a head of `to`
    /// entries continues it ([`SignedHead::check_extended_by`]). Refuses `from` of 0, `from`
    /// after `to`, or `to` beyond the log (`E_FIELD`).
    pub fn consistency_proof(&self, from: u64, to: u64) -> Result<Vec<String>> {
        if from == 0 || from > to || to > self.len {
            return Err(invalid_field(
                "consistency proof",
                "from",
                format!(
                    "must satisfy 1 <= from <= to <= {} (the log's entries)",
                    self.len
                ),
            ));
        }
        let (path, _) = self.with_leaves(|next| crate::merkle::consistency_path(from, to, next))?;
        Ok(path.iter().map(Hash::to_hex).collect())
    }

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
            + s.vols.capacity() * std::mem::size_of::<Vol>();
        // hashbrown: one control byte and the value per bucket; buckets = capacity * 8 / 7.
        let table = |cap: usize, value: usize| cap * 8 / 7 * (value + 1);
        s.records.capacity() * std::mem::size_of::<Rec>()
            + s.record_ids.heap_bytes()
            + s.texts.index_bytes()
            + s.vol_ids.heap_bytes()
            + per_volunteer
            + table(s.identities.capacity(), 4)
            + table(s.extras.capacity(), std::mem::size_of::<(u32, Extra)>())
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

/// How many of the last entries opening a file reads again from their stored bytes, whatever
/// its snapshot covers.
const OPEN_TAIL: u64 = 16;

/// Where a file ledger keeps the latest signed head it issued (`meta` table).
const KEPT_HEAD: &str = "signed_head";

/// What opening a file checks beyond replaying what the snapshot does not cover: the last
/// [`OPEN_TAIL`] entries against their stored hashes and their predecessors' (an entry edited
/// in place after its snapshot was taken is noticed at open, not only by `verify()`), and the
/// signed head the file kept: signed by a key the log registered, no longer than the log, and
/// at the log's size naming its root and last entry (a rewrite of the tail, rehashed, is
/// noticed too). A kept head shorter than the log is checked by `verify()`, which reads it all.
fn check_tail_and_kept_head(
    store: &Store,
    config: &LedgerConfig,
    state: &State,
    len: u64,
    last: Hash,
) -> Result<()> {
    let tail = len.saturating_sub(OPEN_TAIL);
    let prev = match tail {
        0 => Hash::ZERO,
        n => store
            .entry_hash(n - 1)
            .ok_or_else(|| LedgerError::ChainBroken {
                seq: n - 1,
                detail: "the stored hash is missing or not 32 bytes".into(),
            })?,
    };
    store.each_entry(tail, Some(len.saturating_sub(1)), prev, |_| Ok(()))?;
    let Some(text) = store.meta(KEPT_HEAD)? else {
        return Ok(());
    };
    let head = SignedHead::from_json(&text)?;
    crate::checkpoint::Anchors::new(&[&head], &config.ledger_id, &state.travel.signing_keys, len)?;
    if head.count()? == len && (head.root()? != state.tree.root() || head.head()? != last) {
        return Err(LedgerError::CheckpointMismatch {
            size: len,
            detail: "the log was rewritten after this file signed its head (its root or last \
                     entry differs)"
                .into(),
        });
    }
    Ok(())
}

fn replay(config: &LedgerConfig, entries: &[Entry]) -> Result<State> {
    let mut state = State::new(config)?;
    for e in entries {
        replay_entry(&mut state, e)?;
    }
    Ok(state)
}

/// Replays one entry through the same checks as when it was made, at its own time.
fn replay_entry(state: &mut State, e: &Entry) -> Result<()> {
    let refused = |detail: String| LedgerError::ReplayRefused { seq: e.seq, detail };
    let admit = state
        .check(&e.actor, e.time, &e.change)
        .map_err(|err| refused(format!("{}: {err}", err.code())))?
        .ok_or_else(|| refused("repeats an earlier record".into()))?;
    state
        .apply(e, admit)
        .map_err(|err| refused(err.to_string()))
}
