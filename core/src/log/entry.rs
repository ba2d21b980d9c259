//! [`Entry`], one entry of the log, and its hash: the SHA-256 of its canonical bytes.

use super::canonical::{
    canonical_bytes, general_canonical, record_canonical, write_record_canonical,
};
use super::change::Change;
use crate::hash::{Hash, hash_bytes};
use crate::ids::ActorId;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Position in the log, from 0.
    pub seq: u64,
    /// When it was made (the ledger's clock).
    pub time: Timestamp,
    /// Who made it.
    pub actor: ActorId,
    /// What it changes.
    #[serde(flatten)]
    pub change: Change,
    /// The hash of the entry before (all zero for the first).
    pub prev: Hash,
    /// SHA-256 over the canonical encoding of everything above.
    pub hash: Hash,
}

/// The hash of an entry's content. A record's canonical bytes are written into a buffer
/// kept by the thread, so that adding a million records does not allocate a million times.
fn entry_hash(seq: u64, time: Timestamp, actor: &ActorId, change: &Change, prev: Hash) -> Hash {
    thread_local! {
        static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    match change {
        Change::RecordAdded(r) => SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut b) => {
                b.clear();
                write_record_canonical(&mut b, seq, time, actor, r, prev);
                hash_bytes(&b)
            }
            Err(_) => hash_bytes(&record_canonical(seq, time, actor, r, prev)),
        }),
        _ => hash_bytes(&general_canonical(seq, time, actor, change, prev)),
    }
}

impl Entry {
    /// Makes an entry, hashing its content.
    pub fn new(seq: u64, time: Timestamp, actor: ActorId, change: Change, prev: Hash) -> Self {
        let hash = entry_hash(seq, time, &actor, &change, prev);
        Self {
            seq,
            time,
            actor,
            change,
            prev,
            hash,
        }
    }

    /// Makes an entry and returns its canonical bytes too (what a file ledger stores).
    pub(crate) fn with_canonical(
        seq: u64,
        time: Timestamp,
        actor: ActorId,
        change: Change,
        prev: Hash,
    ) -> (Self, Vec<u8>) {
        let bytes = canonical_bytes(seq, time, &actor, &change, prev);
        let entry = Self {
            seq,
            time,
            actor,
            change,
            prev,
            hash: hash_bytes(&bytes),
        };
        (entry, bytes)
    }

    /// Recomputes the hash from the content.
    pub fn computed_hash(&self) -> Hash {
        entry_hash(self.seq, self.time, &self.actor, &self.change, self.prev)
    }
}
