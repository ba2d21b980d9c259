//! A ledger's life: made in memory or as a file, opened (snapshot and the entries after it,
//! replayed through the rules), batched, checkpointed, saved as another file.

use super::identity;
use super::state::State;
use super::{Clock, Dirty, Ledger, Log, SNAPSHOT_EVERY, detached};
use crate::checkpoint::SignedHead;
use crate::error::{LedgerError, Result};
use crate::ids::{RecordId, VolunteerId};
use crate::log::{Change, Entry, Hash, verify_chain};
use crate::org::LedgerConfig;
use crate::progress::Progress;
use crate::store::Store;
use crate::transfer::open_package;
use crate::vault::{IdentityKeys, Vault};
use crate::warning::Warning;
use std::path::Path;
use std::sync::Arc;

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

    pub(super) fn assemble(config: LedgerConfig, clock: Clock, log: Log, state: State) -> Self {
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
            piping: false,
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
    pub(super) fn create_file(
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
        Self::open_with_progress(path, None, Progress::none())
    }

    /// Opens a ledger file as [`Ledger::open`] does (`keys` `None`: the key file beside it, if
    /// any) or as [`Ledger::open_with_keys`] does (`Some`), telling `progress` the entries
    /// replayed through the rules (see [`Progress`]): none after a clean close, every one
    /// after a crash before the first snapshot.
    pub fn open_with_progress(
        path: impl AsRef<Path>,
        keys: Option<IdentityKeys>,
        mut progress: Progress<'_>,
    ) -> Result<Self> {
        let path = path.as_ref();
        let mut l = Self::load(Store::open(path)?, Clock::System, &mut progress)?;
        match keys {
            Some(keys) => l.vault.keys = Some(keys),
            None => l.take_file_keys(path)?,
        }
        Ok(l)
    }

    pub(super) fn load(
        mut store: Store,
        clock: Clock,
        progress: &mut Progress<'_>,
    ) -> Result<Self> {
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
        let replay = |state: &mut State, from: u64, prev: Hash, progress: &mut Progress<'_>| {
            progress.start(len - from);
            let mut done = 0;
            store.each_entry(from, until, prev, |e| {
                replay_entry(state, &e)?;
                done += 1;
                progress.at(done);
                Ok(())
            })
        };
        let replay_all = |progress: &mut Progress<'_>| -> Result<State> {
            let mut state = State::new(&config)?;
            replay(&mut state, 0, Hash::ZERO, progress)?;
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
            None => (replay_all(progress)?, 0),
            Some((mut state, from, prev)) => match replay(&mut state, from, prev, progress) {
                Ok(()) => (state, from),
                // A snapshot is a cache: one the log does not continue is set aside.
                Err(e) => {
                    warnings.push(Warning::snapshot_ignored(from, &e));
                    (replay_all(progress)?, 0)
                }
            },
        };
        progress.finish(len - from);
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
        self.save_as_with_progress(path, Progress::none())
    }

    /// [`Ledger::save_as`], telling `progress` the entries written (see [`Progress`]).
    pub fn save_as_with_progress(
        &self,
        path: impl AsRef<Path>,
        mut progress: Progress<'_>,
    ) -> Result<Ledger> {
        let path = path.as_ref();
        let entries = self.entries()?;
        let mut store = Store::create(path, self.config.ledger_id.as_str())?;
        let written = (|| -> Result<Ledger> {
            store.begin(0, Hash::ZERO)?;
            progress.start(entries.len() as u64);
            for (done, e) in (1u64..).zip(&entries) {
                store.append(e)?;
                progress.at(done);
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
            progress.finish(entries.len() as u64);
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
    pub(super) fn projections_agree(&self) -> Result<bool> {
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
    pub(super) fn flush(&mut self) -> Result<()> {
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
    pub(super) fn mark_dirty(&mut self, change: &Change) {
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
            Change::VolunteerCorrected(c) => vol(&c.volunteer, d),
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
                if let Ok(p) = open_package(&t.package, &st.keys_and_transfers.trusted) {
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
            | Change::CertificateIssued(_)
            | Change::CalendarSet(_) => {}
        }
    }

    /// A write to the file failed after the change was applied in memory: inside a batch the
    /// batch is marked failed (rolled back at its end); otherwise the transaction is rolled
    /// back and the state read again from the file, so memory and file agree.
    pub(super) fn write_failed(&mut self, e: LedgerError) -> LedgerError {
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
    pub(super) fn reload(&mut self) {
        let log = std::mem::replace(&mut self.log, Log::Detached);
        if let Log::File(store) = log {
            match Self::load(*store, self.clock, &mut Progress::none()) {
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
}

/// How many of the last entries opening a file reads again from their stored bytes, whatever
/// its snapshot covers.
pub(super) const OPEN_TAIL: u64 = 16;

/// Where a file ledger keeps the latest signed head it issued (`meta` table).
pub(super) const KEPT_HEAD: &str = "signed_head";

/// What opening a file checks beyond replaying what the snapshot does not cover: the last
/// [`OPEN_TAIL`] entries against their stored hashes and their predecessors' (an entry edited
/// in place after its snapshot was taken is noticed at open, not only by `verify()`), and the
/// signed head the file kept: signed by a key the log registered, no longer than the log, and
/// at the log's size naming its root and last entry (a rewrite of the tail, rehashed, is
/// noticed too). A kept head shorter than the log is checked by `verify()`, which reads it all.
pub(super) fn check_tail_and_kept_head(
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
    crate::checkpoint::Anchors::new(
        &[&head],
        &config.ledger_id,
        &state.keys_and_transfers.signing_keys,
        len,
    )?;
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

pub(super) fn replay(config: &LedgerConfig, entries: &[Entry]) -> Result<State> {
    let mut state = State::new(config)?;
    for e in entries {
        replay_entry(&mut state, e)?;
    }
    Ok(state)
}

/// Replays one entry through the same checks as when it was made, at its own time.
pub(super) fn replay_entry(state: &mut State, e: &Entry) -> Result<()> {
    let refused = |detail: String| LedgerError::ReplayRefused { seq: e.seq, detail };
    let admit = state
        .check(&e.actor, e.time, &e.change)
        .map_err(|err| refused(format!("{}: {err}", err.code())))?
        .ok_or_else(|| refused("repeats an earlier record".into()))?;
    state
        .apply(e, admit)
        .map_err(|err| refused(err.to_string()))
}
