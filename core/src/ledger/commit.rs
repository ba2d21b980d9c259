//! Committing a change: check it, write its entry, apply it, in one step, and catch up first
//! with entries another process wrote to the same file.

use super::identity;
use super::lifecycle::replay_entry;
use super::state::Admit;
use super::{Ledger, Log, Receipt};
use crate::error::{LedgerError, Result};
use crate::ids::ActorId;
use crate::log::{Change, Entry, Hash};
use crate::store::{Admitted, Begun};
use crate::time::Timestamp;

impl Ledger {
    /// Runs `f` beside the writing thread of this file ledger's open batch (one that has not
    /// failed): what `f` sends is written there, and the entries' tree is folded there. While
    /// `f` runs the ledger has no log of its own, so any other change is refused (`E_STORAGE`)
    /// rather than applied unwritten. `f` gives its result and, if applying failed, the error
    /// that fails the batch (the writer's own error, when it has one, says more). Without such
    /// a batch `f` is given no sender and deals with its failures itself.
    pub(super) fn through_writer<R>(
        &mut self,
        f: impl FnOnce(&mut Self, Option<&mut dyn FnMut(&Admitted) -> bool>) -> (R, Option<LedgerError>),
    ) -> R {
        if !matches!(&self.log, Log::File(s) if s.batch && s.batch_failed.is_none()) {
            return f(self, None).0;
        }
        let mut store = match std::mem::replace(&mut self.log, Log::Detached) {
            Log::File(store) => store,
            other => {
                self.log = other;
                return f(self, None).0;
            }
        };
        let offset = self.state.off;
        let tree = self.state.tree.frontier().clone();
        self.piping = true;
        let ((out, failed), written) = store.piped(offset, tree, |send| f(self, Some(send)));
        self.piping = false;
        match (failed, written) {
            // The writer folded the entries it wrote: their tree is not folded again.
            (None, Ok(tree)) => {
                let adopted = self.state.tree.adopt(tree);
                debug_assert!(adopted, "the writer folds every admitted entry");
            }
            (_, Err(e)) | (Some(e), Ok(_)) => store.batch_failed = Some(e),
        }
        self.log = Log::File(store);
        out
    }

    pub(super) fn commit(
        &mut self,
        actor: &ActorId,
        change: Change,
    ) -> Result<(Receipt, Option<Admit>)> {
        self.commit_keyed(actor, change, identity::KeyWrite::None)
    }

    /// As `commit`, writing or destroying a volunteer's data key in the same transaction as
    /// the entry (a file ledger's key table; a ledger in memory keeps it in its vault).
    pub(super) fn commit_keyed(
        &mut self,
        actor: &ActorId,
        change: Change,
        key: identity::KeyWrite,
    ) -> Result<(Receipt, Option<Admit>)> {
        if self.piping {
            return Err(LedgerError::Storage {
                path: String::new(),
                detail: "a bulk add is writing; no other change can be made until it ends".into(),
                detail_zh: "批量写入进行中，结束前不能进行其他更改".into(),
            });
        }
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
    pub(super) fn begin_write(&mut self) -> Result<bool> {
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
    pub(super) fn catch_up(&mut self, head: u64) -> Result<()> {
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
    pub(super) fn entry_hash(&self, seq: u32) -> Option<Hash> {
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

    pub(super) fn duplicate_receipt(&self, change: &Change) -> Receipt {
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
}
