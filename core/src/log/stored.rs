//! An entry as a file ledger stores it (`docs/schema.md`) and reads it back: the stored body,
//! and the entry rebuilt from its canonical bytes or its row, hashed and checked.

use super::canonical::{Body, RecordFields, entry_version, record_body};
use super::change::Change;
use super::entry::Entry;
use super::json::{int, text};
use crate::hash::Hash;
use crate::ids::ActorId;
use crate::record::NewRecord;
use crate::time::Timestamp;
use crate::vault::Registration;
use serde::Deserialize;

/// The content of an entry as its canonical bytes hold it.
#[derive(Deserialize)]
struct Canonical {
    actor: ActorId,
    #[serde(flatten)]
    change: Change,
    prev: Hash,
    seq: u64,
    time: Timestamp,
    v: u32,
}

/// Reads an entry back from its canonical bytes (as a file ledger stores them), hashing
/// them. Refuses bytes that do not parse, another format version, and bytes that are not
/// the canonical form of what they hold (so the hash is the hash of exactly this entry).
pub(crate) fn entry_from_canonical(bytes: &[u8]) -> std::result::Result<Entry, String> {
    let c: Canonical =
        serde_json::from_slice(bytes).map_err(|e| format!("stored bytes do not parse: {e}"))?;
    if c.v != entry_version(&c.change) {
        return Err(format!(
            "log format version {} is not supported for a {} entry",
            c.v,
            c.change.kind()
        ));
    }
    let (entry, again) = Entry::with_canonical(c.seq, c.time, c.actor, c.change, c.prev);
    if again != bytes {
        return Err("stored bytes are not in canonical form".into());
    }
    Ok(entry)
}

/// The body of an entry as a file ledger stores it (`docs/schema.md`): the canonical JSON of
/// the body; for `record_added` — nearly every entry of a big ledger — its values alone, a
/// JSON array in key order, less than half the bytes.
pub(crate) fn stored_body(change: &Change) -> Vec<u8> {
    let mut b = Vec::with_capacity(128);
    append_stored_body(&mut b, change);
    b
}

/// Appends an entry's stored body (as [`stored_body`] makes it) to `b`.
pub(crate) fn append_stored_body(b: &mut Vec<u8>, change: &Change) {
    match change {
        Change::RecordAdded(r) => record_body(b, &RecordFields::from(r), false),
        _ => {
            let from = b.len();
            // Our own types always serialise (string keys, no floats).
            if serde_json::to_writer(&mut *b, &Body(change)).is_err() {
                b.truncate(from);
            }
        }
    }
}

/// Appends a `record_added` entry's stored body (as [`stored_body`] makes it) to `b`.
pub(crate) fn append_record_body(b: &mut Vec<u8>, r: &RecordFields<'_>) {
    record_body(b, r, false);
}

/// Reads an entry back from a file ledger's row, given the previous entry's hash: the
/// canonical bytes are rebuilt from the row and hashed. Refuses a row that does not parse,
/// and one not stored in exactly the form [`stored_body`] writes.
pub(crate) fn entry_from_stored(
    seq: u64,
    time: Timestamp,
    actor: &str,
    kind: &str,
    body: &[u8],
    prev: Hash,
) -> std::result::Result<Entry, String> {
    if kind == "record_added" {
        // serde reads a struct from an array in the order its fields are declared — the
        // sorted order of the keys; the check below refuses an object or any other form.
        let record: NewRecord = serde_json::from_slice(body)
            .map_err(|e| format!("stored record does not parse: {e}"))?;
        let actor = ActorId::new(actor).map_err(|e| format!("stored actor: {e}"))?;
        let change = Change::RecordAdded(record);
        if stored_body(&change) != body {
            return Err("stored record is not in canonical form".into());
        }
        return Ok(Entry::new(seq, time, actor, change, prev));
    }
    let mut b = Vec::with_capacity(body.len() + 200);
    b.extend_from_slice(b"{\"actor\":");
    text(&mut b, actor);
    b.extend_from_slice(b",\"body\":");
    b.extend_from_slice(body);
    b.extend_from_slice(b",\"kind\":");
    text(&mut b, kind);
    b.extend_from_slice(b",\"prev\":\"");
    b.extend_from_slice(prev.to_hex().as_bytes());
    b.extend_from_slice(b"\",\"seq\":");
    int(&mut b, seq);
    b.extend_from_slice(b",\"time\":");
    int(&mut b, time.0);
    b.extend_from_slice(b",\"v\":");
    // Only a registration's version depends on its body (sealed or in clear); a correction
    // is always version 2.
    let sealed = kind == "volunteer_corrected"
        || (kind == "volunteer_registered"
            && matches!(
                serde_json::from_slice::<Registration>(body),
                Ok(Registration::Sealed(_))
            ));
    int(&mut b, if sealed { 2 } else { 1 });
    b.push(b'}');
    entry_from_canonical(&b)
}
