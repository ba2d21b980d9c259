//! The ledger: the aggregate that checks and applies entries and answers queries.
//!
//! Every change goes through one path: `check` (validation and authorisation against the
//! current state, with the entry's actor and time) then `apply`. Replaying a log runs the same
//! path, so the state is a pure function of the entries.
//!
//! This file holds the [`Ledger`] type and what it is made of; each concern has a file of its
//! own:
//!
//! - its life and its writes: `lifecycle` (create, open, replay, batch, checkpoint, save as)
//!   and `commit` (check, write and apply one change);
//! - its state: `state` (the tables, their lookups, the views built from them, the snapshot
//!   form), `encoding` (how a snapshot writes a few of its fields), `community_tables` (teams over time,
//!   projects, activities, training, commendations, reports-in);
//! - who may do what: `authorisation` (roles) and `own` (rules that hold whatever the roles);
//! - the checks of a change and their application, by family: `checks` (the ledger, orgs,
//!   volunteers, keys and trust, transfers, certificates), `record_checks` (records), `apply`,
//!   and `community_changes` with the file of each community concept;
//! - what a caller does: `organisation`, `identity`, `corrections`, `records` (with
//!   `confirmations`, many at once), `teams`, `projects`,
//!   `activities`, `training`, `commendations`, `reporting_in`, `transfers` (with `carry`),
//!   `certificates`, `sync`, `verification` (keys, signed heads, proofs);
//! - what a caller reads: `queries`, `boards`, `volunteer_summary`, `team_ratings`,
//!   `excellent_volunteers`, `anomalies`, `exchange_data` (what an exchange export holds).

use crate::error::LedgerError;
use crate::ids::RecordId;
use crate::log::{Entry, Hash};
use crate::org::LedgerConfig;
use crate::record::RecordState;
use crate::store::Store;
use crate::time::Timestamp;
use crate::vault::{Keyring, Vault};
use crate::warning::Warning;
use serde::{Deserialize, Serialize};

pub(crate) use exchange_data::ExchangeData;

mod activities;
mod anomalies;
mod carry;
mod commendations;
mod excellent_volunteers;
mod exchange_data;
mod identity;
pub use identity::key_file_of;
mod community_changes;
mod community_tables;
mod own;
mod projects;
mod reporting_in;
mod sync;
mod team_ratings;
mod teams;
mod training;
mod volunteer_summary;

mod apply;
mod authorisation;
mod boards;
mod calendars;
mod certificates;
mod checks;
mod commit;
mod confirmations;
mod corrections;
mod encoding;
mod lifecycle;
mod organisation;
mod queries;
mod record_checks;
mod recorded_again;
mod records;
mod register_index;
mod registrations;
mod state;
mod transfers;
mod verification;

pub use certificates::{
    CertificateRequest, certificate_bytes, verification_code, verify_certificate_offline,
};
pub(crate) use recorded_again::Overlaps;
pub(crate) use register_index::{OrgLookup, OrgNames, RegisterIndex};
pub(crate) use registrations::RegistrationPipe;
pub use transfers::TransferReceipt;

use checks::{check_text, id_space_full};
use state::{Admit, HeldRecord, HeldVolunteer, State};

/// The index of nothing: no parent org, no team, no activity.
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
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(frozen, get_all, eq, module = "volunteer_ledger", name = "Receipt")
)]
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
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(
        frozen,
        get_all,
        eq,
        module = "volunteer_ledger",
        name = "RecordReceipt"
    )
)]
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
    /// A writing thread holds the file while a bulk add runs: no other change may be made.
    piping: bool,
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
            piping: false,
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
