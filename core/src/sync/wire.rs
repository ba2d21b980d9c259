//! A sync batch as it arrives: every key of every record must be one the format knows. A key
//! the reader does not know (`"minutes_x": 5`, a misspelt `"minuts"`) is refused, naming the
//! key and the record, rather than dropped: the device meant something by it.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde::de::IgnoredAny;

use super::SyncBatch;
use crate::error::{LedgerError, Result};
use crate::ids::{ActorId, LedgerId};
use crate::record::NewRecord;

/// The longest piece of an unknown key quoted in a message, in characters.
const KEY_SHOWN: usize = 40;

/// A batch as read: the batch's own keys are checked by serde, each record's by
/// [`WireBatch::into_batch`].
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct WireBatch {
    format: String,
    device: LedgerId,
    actor: ActorId,
    number: i64,
    records: Vec<WireRecord>,
}

/// A record with whatever keys it had beyond a record's.
#[derive(Deserialize)]
struct WireRecord {
    #[serde(flatten)]
    record: NewRecord,
    #[serde(flatten)]
    unknown: BTreeMap<String, IgnoredAny>,
}

impl WireBatch {
    /// The batch, or `E_SYNC_FORMAT` naming the first record (position and id) with a key a
    /// record does not have, and that key (its first 40 characters, escaped).
    pub(super) fn into_batch(self) -> Result<SyncBatch> {
        let mut records = Vec::with_capacity(self.records.len());
        for (i, r) in self.records.into_iter().enumerate() {
            if let Some(key) = r.unknown.keys().next() {
                let shown: String = key.chars().take(KEY_SHOWN).collect();
                let more = if shown.len() < key.len() { "…" } else { "" };
                return Err(LedgerError::SyncFormat {
                    what: "sync batch".to_owned(),
                    detail: format!(
                        "record {} ({}) has the key {shown:?}{more}, which a record does not have",
                        i + 1,
                        r.record.id
                    ),
                });
            }
            records.push(r.record);
        }
        Ok(SyncBatch {
            format: self.format,
            device: self.device,
            actor: self.actor,
            number: self.number,
            records,
        })
    }
}
