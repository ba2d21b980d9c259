//! [`Entry`], one entry of the log, and its hash: the SHA-256 of its canonical bytes.

use super::canonical::{
    canonical_bytes, general_canonical, record_canonical, write_record_canonical,
    write_registration_canonical,
};
use super::change::Change;
use super::stored::append_stored_body;
use crate::hash::{Hash, hash_bytes};
use crate::ids::ActorId;
use crate::time::Timestamp;
use crate::vault::Registration;
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

/// The hash of an entry's content. The canonical bytes of a record or a sealed registration
/// are written into a buffer kept by the thread, so that adding a million of them does not
/// allocate a million times; `body`, if given, gets the entry's stored body
/// ([`append_stored_body`]), taken from the same bytes where they hold it.
fn entry_hash(
    seq: u64,
    time: Timestamp,
    actor: &ActorId,
    change: &Change,
    prev: Hash,
    body: Option<&mut Vec<u8>>,
) -> Hash {
    thread_local! {
        static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let registration = match change {
        Change::VolunteerRegistered(Registration::Sealed(r)) => Some(r),
        _ => None,
    };
    if let Some(r) = registration {
        let hashed = SCRATCH.with(|cell| {
            let mut b = cell.try_borrow_mut().ok()?;
            b.clear();
            let range = write_registration_canonical(&mut b, seq, time, actor, r, prev);
            if let Some(body) = body {
                body.extend_from_slice(b.get(range).unwrap_or_default());
            }
            Some(hash_bytes(&b))
        });
        if let Some(hash) = hashed {
            return hash;
        }
        // The thread's buffer is in use (cannot happen: nothing here calls back).
        return hash_bytes(&canonical_bytes(seq, time, actor, change, prev));
    }
    if let Some(body) = body {
        append_stored_body(body, change);
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
        Self::hashed(seq, time, actor, change, prev, None)
    }

    /// Makes an entry as [`Entry::new`] does, and appends its stored body (what a file ledger
    /// keeps of it, [`append_stored_body`]) to `body`: a sealed registration's encoded once for
    /// both.
    pub(crate) fn new_keeping_body(
        seq: u64,
        time: Timestamp,
        actor: ActorId,
        change: Change,
        prev: Hash,
        body: &mut Vec<u8>,
    ) -> Self {
        Self::hashed(seq, time, actor, change, prev, Some(body))
    }

    fn hashed(
        seq: u64,
        time: Timestamp,
        actor: ActorId,
        change: Change,
        prev: Hash,
        body: Option<&mut Vec<u8>>,
    ) -> Self {
        let hash = entry_hash(seq, time, &actor, &change, prev, body);
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
        entry_hash(
            self.seq,
            self.time,
            &self.actor,
            &self.change,
            self.prev,
            None,
        )
    }
}
