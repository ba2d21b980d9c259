//! Offline recording and sync (离线记录与同步): a device ledger (a phone) records while
//! offline with client-made record ids, sends what the server has not acknowledged as a
//! [`SyncBatch`], and applies the server's [`SyncReceipt`]. The format is written down in
//! `docs/sync-format.md`.
//!
//! The server imports a batch through [`crate::Ledger::add_record`], with the same validation and
//! authorisation as any record, as the actor the platform authenticated — never as whoever the
//! device says. Because a record id is recorded once, a batch sent twice, or cut short and sent
//! again, records each record once.
//!
//! ```
//! use volunteer_ledger::*;
//!
//! let admin: ActorId = "admin".parse()?;
//! let setup = |ledger: &str| -> Result<Ledger> {
//!     let mut l = Ledger::in_memory(LedgerConfig::new(ledger.parse()?, "某区", admin.clone()))?;
//!     l.set_clock(Clock::Fixed(Timestamp::from_local(480, 2015, 6, 3, 12, 0)?));
//!     l.register_org(&admin, NewOrg { id: "D".parse()?, name: "某区".into(), kind: OrgKind::District, parent: None })?;
//!     l.register_volunteer(&admin, NewVolunteer {
//!         id: "V1".parse()?, name: "张三".into(), identity_kind: IdentityKind::ResidentId,
//!         identity_number: "11010519491231002X".into(), home_org: Some("D".parse()?),
//!     })?;
//!     Ok(l)
//! };
//! let (mut server, mut phone) = (setup("district")?, setup("phone-1")?);
//! // The server signs its receipts; the phone applies only receipts signed with that key.
//! server.set_signing_key(&admin, &[7; 32])?;
//! let key = server.public_key().unwrap_or_default();
//! phone.trust_sync_server("district".parse()?, &key)?;
//! let t = |h| Timestamp::from_local(480, 2015, 6, 2, h, 0);
//! phone.add_record(&admin, NewRecord::new("R1".parse()?, "V1".parse()?, "D".parse()?, t(9)?, t(12)?, 180, "助老服务"))?;
//!
//! let batch = phone.sync_batch(&admin, 100)?.to_json();          // travels to the server
//! let receipt = server.import_sync_json(&admin, &batch)?.to_json(); // and back
//! phone.apply_sync_receipt(&SyncReceipt::from_json(&receipt)?)?;
//! assert!(phone.sync_batch(&admin, 100)?.records.is_empty());     // nothing left to send
//! assert_eq!(server.volunteer(&"V1".parse()?)?.total_minutes, 180);
//! # Ok::<(), LedgerError>(())
//! ```

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::checkpoint::{InclusionProof, SignedHead};
use crate::error::{LedgerError, Result};
use crate::ids::{ActorId, LedgerId, RecordId};
use crate::record::{NewRecord, RecordState};

pub(crate) mod trust;
mod wire;

use trust::SentBatch;
pub use trust::{SyncServer, batch_hash, receipt_bytes};

/// The batch format this version writes and reads.
pub const SYNC_BATCH_FORMAT: &str = "volunteer-ledger/sync-batch@2";
/// The receipt format this version writes and reads.
pub const SYNC_RECEIPT_FORMAT: &str = "volunteer-ledger/sync-receipt@3";
/// The unsigned receipt format of earlier versions: refused (`E_SYNC_UNSIGNED`).
const UNSIGNED_RECEIPT_FORMAT: &str = "volunteer-ledger/sync-receipt@1";
/// How many batches a device waits on answers for at once; making another forgets the oldest
/// (its records are sent again, and a late receipt for it is refused).
pub const MAX_WAITING_BATCHES: usize = 8;
/// How many answered batches a device remembers, so that a receipt applied again is ignored.
pub(crate) const MAX_ANSWERED_BATCHES: usize = 32;
/// The most records one batch (and so one receipt) may hold.
pub const MAX_BATCH_RECORDS: u32 = 1000;
/// The largest batch or receipt text read, in bytes (a full batch is well under 1 MiB).
pub const MAX_SYNC_BYTES: usize = 4 << 20;

/// New records one actor made on a device, as they travel to the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct SyncBatch {
    /// `volunteer-ledger/sync-batch@2`.
    pub format: String,
    /// The device ledger's id (make it unique per installation, e.g. `phone-<uuid>`).
    pub device: LedgerId,
    /// Who recorded every record of the batch on the device. The server imports the batch only
    /// from this actor, as the platform authenticated them.
    pub actor: ActorId,
    /// The batch's number on the device: a new one after every receipt applied, so that a
    /// batch is never the same bytes as one answered before and an old receipt cannot pass for
    /// the answer to a new batch.
    pub number: i64,
    /// The records, in the order they were recorded on the device.
    pub records: Vec<NewRecord>,
}

/// What became of one record of a batch on the server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(tag = "outcome", rename_all = "snake_case", deny_unknown_fields)]
pub enum SyncResult {
    /// Recorded now.
    Accepted {
        /// The record.
        record: RecordId,
        /// The server's entry that recorded it.
        seq: i64,
        /// That entry's hash (hex).
        entry_hash: String,
        /// Its state on the server (pending if, say, it is a make-up by a non-admin).
        state: RecordState,
        /// Whether the server counts it as a make-up record (补录).
        make_up: bool,
        /// The proof that entry `seq` is among those the receipt's `head` covers.
        proof: InclusionProof,
    },
    /// The server had it already, with the same content: nothing was written.
    AlreadyHad {
        /// The record.
        record: RecordId,
        /// The server's entry that first recorded it.
        seq: i64,
        /// That entry's hash (hex).
        entry_hash: String,
        /// Its state on the server now.
        state: RecordState,
        /// The proof that entry `seq` is among those the receipt's `head` covers.
        proof: InclusionProof,
    },
    /// Refused by the server's rules: nothing was written for it.
    Refused {
        /// The record.
        record: RecordId,
        /// The core's stable code (`E_OVERLAP`, `E_FORBIDDEN` …).
        code: String,
        /// The message in English (no personal data).
        message_en: String,
        /// The message in Chinese (no personal data).
        message_zh: String,
    },
}

impl SyncResult {
    /// The record this result is about.
    pub fn record(&self) -> &RecordId {
        match self {
            Self::Accepted { record, .. }
            | Self::AlreadyHad { record, .. }
            | Self::Refused { record, .. } => record,
        }
    }

    /// Whether the server holds the record (accepted now or before).
    pub fn acknowledged(&self) -> bool {
        !matches!(self, Self::Refused { .. })
    }
}

/// The server's answer to a batch: one result per record, in the batch's order, bound to the
/// batch by its hash and signed by the server ledger's key, with the server's signed head
/// after the batch and, for each record it holds, the proof that its entry is in that head. A
/// device applies only a receipt signed by the server it trusts that answers a batch it is
/// waiting on, and whose proofs lead to the head.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct SyncReceipt {
    /// `volunteer-ledger/sync-receipt@3`.
    pub format: String,
    /// The server ledger's id.
    pub ledger: LedgerId,
    /// The device the batch came from.
    pub device: LedgerId,
    /// The actor the batch was imported as.
    pub actor: ActorId,
    /// The SHA-256 (hex) of the batch's canonical bytes ([`batch_hash`]).
    pub batch: String,
    /// One result per record of the batch, in order.
    pub results: Vec<SyncResult>,
    /// The server's signed head once the batch was recorded: the log every acknowledged
    /// record's proof leads into. Keep it to show later that the server still holds them
    /// ([`crate::Ledger::verify_against`] on the server).
    pub head: SignedHead,
    /// The server's Ed25519 public key (64 hex digits); empty if unsigned.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub public_key: String,
    /// The Ed25519 signature (128 hex digits) over [`receipt_bytes`]; empty if unsigned.
    #[serde(default)]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub signature: String,
}

/// A record the server refused, as the device keeps it: it is not sent again unless the
/// ledger's `retry_sync` is asked to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(frozen, get_all, eq, module = "volunteer_ledger", name = "SyncRefusal")
)]
#[serde(deny_unknown_fields)]
pub struct SyncRefusal {
    /// The record.
    pub record: RecordId,
    /// The server's code.
    pub code: String,
    /// The server's message in English.
    pub message_en: String,
    /// The server's message in Chinese.
    pub message_zh: String,
}

/// What applying a receipt did on the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(frozen, get_all, eq, module = "volunteer_ledger", name = "SyncApplied")
)]
pub struct SyncApplied {
    /// Records the server now holds that the device had not known to be acknowledged.
    pub acknowledged: i32,
    /// Records newly refused by this receipt; they will not be sent again.
    pub refused: Vec<SyncRefusal>,
    /// Results already applied before, or about records this ledger never recorded.
    pub ignored: i32,
}

/// Where a device ledger stands with its server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(frozen, get_all, eq, module = "volunteer_ledger", name = "SyncStatus")
)]
pub struct SyncStatus {
    /// Records still to send (of the actor asked about, or of everyone).
    pub unsent: i32,
    /// Records the server has acknowledged.
    pub acknowledged: i32,
    /// Records the server refused, oldest refusal first.
    pub refused: Vec<SyncRefusal>,
}

/// What a device ledger remembers of its syncs: the server it trusts, the batches it waits on
/// answers for, which records the server acknowledged and which it refused. It is not part of
/// the log (it says nothing about service, only about delivery); a file store keeps it beside
/// the log. Losing it is safe: every record is sent again, and the server answers "already
/// had" (the trusted server must be set again).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SyncState {
    /// Record id → the server's entry hash.
    pub(crate) acknowledged: BTreeMap<String, String>,
    /// Record id → the refusal, with the order it arrived in.
    pub(crate) refused: BTreeMap<String, (u64, SyncRefusal)>,
    /// How many refusals have arrived (orders `refused`).
    pub(crate) refusals_seen: u64,
    /// The server whose signed receipts this device applies.
    #[serde(default)]
    pub(crate) server: Option<SyncServer>,
    /// The number the next batch gets.
    #[serde(default)]
    pub(crate) next_batch: i64,
    /// The batches made and not yet answered, oldest first (at most [`MAX_WAITING_BATCHES`]).
    #[serde(default)]
    pub(crate) waiting: Vec<SentBatch>,
    /// Hashes of batches whose receipt was applied, oldest first.
    #[serde(default)]
    pub(crate) answered: Vec<String>,
    /// The largest signed head of the server's a receipt applied here carried.
    #[serde(default)]
    pub(crate) server_head: Option<SignedHead>,
}

impl SyncState {
    pub(crate) fn settled(&self, record: &str) -> bool {
        self.acknowledged.contains_key(record) || self.refused.contains_key(record)
    }

    pub(crate) fn refusals(&self) -> Vec<SyncRefusal> {
        let mut list: Vec<_> = self.refused.values().collect();
        list.sort_by_key(|(order, _)| *order);
        list.into_iter().map(|(_, r)| r.clone()).collect()
    }
}

/// Reads a batch or receipt: size, JSON, then the format's name and version, then the fields.
fn read<T: serde::de::DeserializeOwned>(
    bytes: &[u8],
    what: &str,
    check: impl Fn(&str) -> Result<()>,
) -> Result<T> {
    let bad = |detail: String| LedgerError::SyncFormat {
        what: what.to_owned(),
        detail,
    };
    if bytes.len() > MAX_SYNC_BYTES {
        return Err(bad(format!("is larger than {MAX_SYNC_BYTES} bytes")));
    }
    #[derive(Deserialize)]
    struct Probe {
        format: String,
    }
    let json_error = |e: serde_json::Error| {
        bad(format!(
            "{} (line {}, column {})",
            crate::transfer::json_problem(&e),
            e.line(),
            e.column()
        ))
    };
    let probe: Probe = serde_json::from_slice(bytes).map_err(json_error)?;
    check(&probe.format)?;
    serde_json::from_slice(bytes).map_err(json_error)
}

pub(crate) fn check_format(found: &str, what: &str, format: &str) -> Result<()> {
    if found == format {
        return Ok(());
    }
    // The same format in another version is a version problem; anything else is not a batch.
    let kind = format.rsplit_once('@').map_or(format, |(k, _)| k);
    if found.strip_prefix(kind).is_some_and(|v| v.starts_with('@')) {
        Err(LedgerError::SyncVersion {
            found: found.chars().take(60).collect(),
        })
    } else {
        Err(LedgerError::SyncFormat {
            what: what.to_owned(),
            detail: format!("the format is not {format}"),
        })
    }
}

pub(crate) fn check_size(what: &str, n: usize) -> Result<()> {
    if n > MAX_BATCH_RECORDS as usize {
        Err(LedgerError::SyncFormat {
            what: what.to_owned(),
            detail: format!("holds more than {MAX_BATCH_RECORDS} records"),
        })
    } else {
        Ok(())
    }
}

/// A receipt's format: `@1` receipts are unsigned (`E_SYNC_UNSIGNED`), not merely old.
pub(crate) fn check_receipt_format(found: &str) -> Result<()> {
    if found == UNSIGNED_RECEIPT_FORMAT {
        return Err(LedgerError::SyncUnsigned {
            detail: format!("{UNSIGNED_RECEIPT_FORMAT} receipts carry no signature"),
        });
    }
    check_format(found, "sync receipt", SYNC_RECEIPT_FORMAT)
}

impl SyncBatch {
    /// Reads a batch from its JSON. Refuses anything else with `E_SYNC_FORMAT` (the message says
    /// where, never what, except the name of a key a record does not have) or
    /// `E_SYNC_VERSION`; never panics, whatever the bytes.
    pub fn from_json(text: &str) -> Result<Self> {
        Self::from_bytes(text.as_bytes())
    }

    /// As [`SyncBatch::from_json`], from bytes (which must be UTF-8 JSON).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self> {
        let wire: wire::WireBatch = read(bytes, "sync batch", |f| {
            check_format(f, "sync batch", SYNC_BATCH_FORMAT)
        })?;
        let batch = wire.into_batch()?;
        check_size("sync batch", batch.records.len())?;
        Ok(batch)
    }

    /// The batch as JSON (keys in declaration order, no whitespace).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl SyncReceipt {
    /// Reads a receipt from its JSON (`E_SYNC_FORMAT`, `E_SYNC_VERSION`, and
    /// `E_SYNC_UNSIGNED` for an unsigned `sync-receipt@1`). Reading checks no signature:
    /// [`crate::Ledger::apply_sync_receipt`] does.
    pub fn from_json(text: &str) -> Result<Self> {
        let receipt: Self = read(text.as_bytes(), "sync receipt", check_receipt_format)?;
        check_size("sync receipt", receipt.results.len())?;
        Ok(receipt)
    }

    /// The receipt as JSON (keys in declaration order, no whitespace).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_apart_from_versions() {
        let e = SyncBatch::from_json(r#"{"format":"volunteer-ledger/sync-batch@1"}"#).unwrap_err();
        assert_eq!(e.code(), "E_SYNC_VERSION");
        let e = SyncBatch::from_json(r#"{"format":"volunteer-ledger/transfer@1"}"#).unwrap_err();
        assert_eq!(e.code(), "E_SYNC_FORMAT");
        let e =
            SyncBatch::from_json(r#"{"format":"volunteer-ledger/sync-receipt@1"}"#).unwrap_err();
        assert_eq!(e.code(), "E_SYNC_FORMAT");
        let e = SyncBatch::from_json("{\"format\":").unwrap_err();
        assert_eq!(e.code(), "E_SYNC_FORMAT");
        assert!(e.to_string().contains("cut short"), "{e}");
    }

    #[test]
    fn a_refusal_message_names_no_person() {
        let e = SyncBatch::from_json(
            r#"{"format":"volunteer-ledger/sync-batch@2","device":"p","actor":"a","number":0,"records":[{"name":"张三丰"}]}"#,
        )
        .unwrap_err();
        assert_eq!(e.code(), "E_SYNC_FORMAT");
        assert!(!e.to_string().contains("张三丰"), "{e}");
    }
}
