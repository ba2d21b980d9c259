//! Sync batches and receipts to and from the JSON that travels between a device and its
//! server (`docs/sync-format.md`).

use vl::{SyncBatch, SyncReceipt};
use volunteer_ledger as vl;

use crate::errors::Result;

/// A sync batch as the JSON that travels (`docs/sync-format.md`).
#[uniffi::export]
pub fn sync_batch_to_json(batch: SyncBatch) -> String {
    batch.to_json()
}

/// A sync batch from its JSON: `E_SYNC_FORMAT` (where, never the content) or `E_SYNC_VERSION`.
#[uniffi::export]
pub fn sync_batch_from_json(text: String) -> Result<SyncBatch> {
    Ok(SyncBatch::from_json(&text)?)
}

/// A sync receipt as the JSON that travels back.
#[uniffi::export]
pub fn sync_receipt_to_json(receipt: SyncReceipt) -> String {
    receipt.to_json()
}

/// A sync receipt from its JSON (`volunteer-ledger/sync-receipt@3`): `E_SYNC_FORMAT` or
/// `E_SYNC_VERSION` (an `@2` receipt).
#[uniffi::export]
pub fn sync_receipt_from_json(text: String) -> Result<SyncReceipt> {
    Ok(SyncReceipt::from_json(&text)?)
}
