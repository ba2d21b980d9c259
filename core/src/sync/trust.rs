//! How a device knows a sync receipt is its server's answer to a batch it sent: the server
//! signs every receipt with its ledger's Ed25519 key (the key transfer packages and
//! certificates are signed with) over the receipt's canonical JSON, the receipt names the
//! SHA-256 of the batch it answers, and the device keeps the hashes of the batches it is
//! waiting on an answer for. Pure functions: the [`crate::Ledger`] applies them.

use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};

use super::{SyncBatch, SyncReceipt, SyncResult};
use crate::checkpoint::SignedHead;
use crate::error::{LedgerError, Result};
use crate::ids::{ActorId, LedgerId, RecordId};
use crate::log::hash_bytes;
use crate::transfer::{check_signature, parse_public_key, public_key_hex, sign};

/// The sync server a device ledger trusts: only receipts signed as this ledger, with this key,
/// are applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[serde(deny_unknown_fields)]
pub struct SyncServer {
    /// The server ledger's id (what its receipts name as `ledger`).
    pub ledger_id: LedgerId,
    /// Its Ed25519 public key (64 hex digits), as [`crate::Ledger::public_key`] gives it.
    pub public_key: String,
}

impl SyncServer {
    /// Checks the id and that the key is an Ed25519 public key; the key is kept in lower case.
    pub(crate) fn checked(ledger_id: LedgerId, public_key: &str) -> Result<Self> {
        ledger_id.check()?;
        let key = parse_public_key(&public_key.to_ascii_lowercase()).map_err(|_| {
            crate::error::invalid_field(
                "sync server",
                "public_key",
                "is not an Ed25519 public key (64 hex digits)",
            )
        })?;
        Ok(Self {
            ledger_id,
            public_key: crate::transfer::hex(key.as_bytes()),
        })
    }
}

/// A batch the device made and waits on an answer for: its hash, its number, its actor and
/// its records' ids in order (what the receipt's results must be).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct SentBatch {
    pub(crate) hash: String,
    pub(crate) number: i64,
    pub(crate) actor: ActorId,
    pub(crate) records: Vec<RecordId>,
}

impl SentBatch {
    pub(crate) fn of(batch: &SyncBatch) -> Self {
        Self {
            hash: batch_hash(batch),
            number: batch.number,
            actor: batch.actor.clone(),
            records: batch.records.iter().map(|r| r.id.clone()).collect(),
        }
    }
}

/// The SHA-256 (hex) of a batch's canonical bytes: its JSON as [`SyncBatch::to_json`] writes
/// it. The server hashes the batch it read, so whitespace and key order on the way do not
/// matter; any other change does.
pub fn batch_hash(batch: &SyncBatch) -> String {
    hash_bytes(batch.to_json().as_bytes()).to_hex()
}

/// What a receipt's signature covers: every field but `signature`, keys sorted.
#[derive(Serialize)]
struct SignedPart<'a> {
    actor: &'a ActorId,
    batch: &'a str,
    device: &'a LedgerId,
    format: &'a str,
    head: &'a SignedHead,
    ledger: &'a LedgerId,
    public_key: &'a str,
    results: &'a [SyncResult],
}

/// The bytes a receipt's signature covers: its canonical JSON without `signature` (keys of the
/// receipt sorted, each result as [`SyncReceipt::to_json`] writes it, no whitespace).
pub fn receipt_bytes(r: &SyncReceipt) -> Vec<u8> {
    let part = SignedPart {
        actor: &r.actor,
        batch: &r.batch,
        device: &r.device,
        format: &r.format,
        head: &r.head,
        ledger: &r.ledger,
        public_key: &r.public_key,
        results: &r.results,
    };
    serde_json::to_vec(&part).unwrap_or_default()
}

/// Signs a receipt with the server's key: sets its `public_key` and `signature`.
pub(crate) fn seal(receipt: &mut SyncReceipt, key: &SigningKey) {
    receipt.public_key = public_key_hex(key);
    receipt.signature = sign(key, &receipt_bytes(receipt));
}

/// Checks that a receipt is signed, by `server`, and not altered since: `E_SYNC_UNSIGNED`,
/// `E_SYNC_UNTRUSTED_SERVER`, `E_BAD_SIGNATURE`.
pub(crate) fn check_sealed(receipt: &SyncReceipt, server: &SyncServer) -> Result<()> {
    if receipt.signature.is_empty() || receipt.public_key.is_empty() {
        return Err(LedgerError::SyncUnsigned {
            detail: "it has no signature or no public key".to_owned(),
        });
    }
    if receipt.ledger != server.ledger_id
        || !receipt.public_key.eq_ignore_ascii_case(&server.public_key)
    {
        return Err(LedgerError::SyncUntrustedServer {
            ledger: receipt.ledger.to_string(),
        });
    }
    check_signature(
        &server.public_key,
        &receipt_bytes(receipt),
        &receipt.signature,
    )
}

/// Checks that a receipt's head is the trusted server's own signed head (`E_CHECKPOINT_FORMAT`,
/// `E_SYNC_UNTRUSTED_SERVER`, `E_BAD_SIGNATURE`) and that the entry of every record it
/// acknowledges is in it: the proof is for the result's `seq` and leads from its entry hash to
/// the head's root (`E_CHECKPOINT_MISMATCH`). What a device holds then shows, offline, that the
/// server's log held its records.
pub(crate) fn check_anchored(receipt: &SyncReceipt, server: &SyncServer) -> Result<()> {
    let head = &receipt.head;
    if head.ledger_id != server.ledger_id {
        return Err(LedgerError::SyncUntrustedServer {
            ledger: head.ledger_id.to_string(),
        });
    }
    head.check(&server.public_key).map_err(|e| match e {
        LedgerError::UntrustedIssuer { ledger } => LedgerError::SyncUntrustedServer { ledger },
        other => other,
    })?;
    for result in &receipt.results {
        let (seq, entry_hash, proof) = match result {
            SyncResult::Accepted {
                seq,
                entry_hash,
                proof,
                ..
            }
            | SyncResult::AlreadyHad {
                seq,
                entry_hash,
                proof,
                ..
            } => (*seq, entry_hash, proof),
            SyncResult::Refused { .. } => continue,
        };
        if proof.index != seq {
            return Err(LedgerError::CheckpointMismatch {
                size: head.size.unsigned_abs(),
                detail: format!(
                    "record {}: the proof is for entry {}, the result names entry {seq}",
                    result.record(),
                    proof.index
                ),
            });
        }
        head.check_inclusion(entry_hash, proof)?;
    }
    Ok(())
}

/// Checks that a receipt answers exactly `sent`: its actor, and one result per record, in
/// order (`E_SYNC_RECEIPT_RECORDS`).
pub(crate) fn check_answers(receipt: &SyncReceipt, sent: &SentBatch) -> Result<()> {
    let wrong = |detail: String| LedgerError::SyncReceiptRecords {
        batch: sent.hash.clone(),
        detail,
    };
    if receipt.actor != sent.actor {
        return Err(wrong(format!(
            "names actor {}, the batch was sent by {}",
            receipt.actor, sent.actor
        )));
    }
    if receipt.results.len() != sent.records.len() {
        return Err(wrong(format!(
            "has {} results for the batch's {} records",
            receipt.results.len(),
            sent.records.len()
        )));
    }
    for (i, (result, id)) in receipt.results.iter().zip(&sent.records).enumerate() {
        if result.record() != id {
            return Err(wrong(format!(
                "answers record {} at position {}, where the batch has record {id}",
                result.record(),
                i + 1
            )));
        }
    }
    Ok(())
}
