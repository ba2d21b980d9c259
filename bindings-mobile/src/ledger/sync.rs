//! Sync: on a device, the server it trusts, the batches it sends and the receipts it applies;
//! on the server, importing a device's batch.

use vl::{SignedHead, SyncApplied, SyncBatch, SyncReceipt, SyncServer, SyncStatus};
use volunteer_ledger as vl;

use super::Ledger;
use crate::conversions::{parse, parse_opt};
use crate::errors::Result;

#[uniffi::export]
impl Ledger {
    /// On a device: sets the sync server it trusts (its ledger id and public key, hex); only
    /// receipts signed by it are applied. Kept beside the log in a ledger file.
    pub fn trust_sync_server(&self, ledger_id: String, public_key: String) -> Result<()> {
        let ledger_id = parse(&ledger_id)?;
        Ok(self.lock()?.trust_sync_server(ledger_id, &public_key)?)
    }

    /// On a device: the sync server it trusts, if one was set.
    pub fn sync_server(&self) -> Result<Option<SyncServer>> {
        Ok(self.lock()?.sync_server().cloned())
    }

    /// On a device: the largest signed head of the sync server's that an applied receipt
    /// carried (none before one): the server's log held every record it acknowledged by then.
    /// Keep or publish it; the server's [`Ledger::verify_against`] shows whether its log still
    /// begins with those entries.
    pub fn sync_server_head(&self) -> Result<Option<SignedHead>> {
        Ok(self.lock()?.sync_server_head().cloned())
    }

    /// On a device: the records `actor` added here that the server has neither acknowledged
    /// nor refused, at most `limit` (1 to 1000), as a sync batch. Writes no log entry;
    /// remembers the batch to check the server's receipt against.
    pub fn sync_batch(&self, actor: String, limit: i32) -> Result<SyncBatch> {
        let actor = parse(&actor)?;
        let limit = vl::error::non_negative("limit", limit.into())?;
        Ok(self.lock()?.sync_batch(&actor, limit)?)
    }

    /// On the server: imports a device's batch as `sender` (the actor the platform
    /// authenticated, who must be the batch's actor: `E_SYNC_ACTOR`). Each record goes through
    /// the same validation and authorisation as any record; each is recorded once, all in one
    /// transaction; then the ledger signs its head (a ledger file keeps it, as
    /// [`Ledger::signed_head`] does). The receipt carries that head and, for every record the
    /// server holds, the proof that its entry is in it, and is signed with this ledger's key
    /// (`E_NO_SIGNING_KEY` without one).
    pub fn import_sync_batch(&self, sender: String, batch: SyncBatch) -> Result<SyncReceipt> {
        let sender = parse(&sender)?;
        Ok(self.lock()?.import_sync_batch(&sender, &batch)?)
    }

    /// As [`Ledger::import_sync_batch`], from the batch's JSON (`E_SYNC_FORMAT`,
    /// `E_SYNC_VERSION` for a batch that does not read; nothing is written then).
    pub fn import_sync_json(&self, sender: String, batch: String) -> Result<SyncReceipt> {
        let sender = parse(&sender)?;
        Ok(self.lock()?.import_sync_json(&sender, &batch)?)
    }

    /// On a device: applies the server's receipt (`sync-receipt@3`), only if signed by the
    /// trusted sync server, with a head the server signed and proofs that lead to it, and
    /// answering a batch this device is waiting on (`E_SYNC_UNSIGNED`, `E_SYNC_NO_SERVER`,
    /// `E_SYNC_UNTRUSTED_SERVER`, `E_BAD_SIGNATURE`, `E_CHECKPOINT_FORMAT`,
    /// `E_CHECKPOINT_MISMATCH`, `E_SYNC_RECEIPT_BATCH`, `E_SYNC_RECEIPT_RECORDS`). Acknowledged
    /// records are not sent again; refused ones neither (see [`Ledger::sync_status`] and
    /// [`Ledger::retry_sync`]). Keeps the largest head ([`Ledger::sync_server_head`]).
    pub fn apply_sync_receipt(&self, receipt: SyncReceipt) -> Result<SyncApplied> {
        Ok(self.lock()?.apply_sync_receipt(&receipt)?)
    }

    /// On a device: records still to send (of `actor`, or of everyone), acknowledged, refused.
    #[uniffi::method(default(actor = None))]
    pub fn sync_status(&self, actor: Option<String>) -> Result<SyncStatus> {
        let actor: Option<vl::ActorId> = parse_opt(actor)?;
        Ok(self.lock()?.sync_status(actor.as_ref()))
    }

    /// On a device: sends a refused record again with the next batch (after its cause was
    /// fixed on the server). Returns whether it had been refused.
    pub fn retry_sync(&self, record: String) -> Result<bool> {
        let record = parse(&record)?;
        Ok(self.lock()?.retry_sync(&record)?)
    }
}
