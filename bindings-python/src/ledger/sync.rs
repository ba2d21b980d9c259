//! Sync: on a device, its server, its batches and the receipts it applies; on the server,
//! importing a device's batch.

use super::PyLedger;
use crate::conversions::opt_id;
use crate::errors::check;
use crate::sync::SyncReceipt;
use pyo3::prelude::*;
use volunteer_ledger as vl;

#[pymethods]
impl PyLedger {
    /// On a device: sets the sync server it trusts (its ledger id and public key, hex); only
    /// receipts signed by it are applied. Kept beside the log in a ledger file.
    fn trust_sync_server(
        &self,
        py: Python<'_>,
        ledger_id: String,
        public_key: String,
    ) -> PyResult<()> {
        let ledger_id: vl::LedgerId = check(py, ledger_id.parse())?;
        self.run(py, move |l| l.trust_sync_server(ledger_id, &public_key))
    }

    /// On a device: the sync server it trusts, as (ledger id, public key), or None.
    fn sync_server(&self, py: Python<'_>) -> PyResult<Option<(String, String)>> {
        self.run(py, |l| {
            Ok(l.sync_server()
                .map(|s| (s.ledger_id.to_string(), s.public_key.clone())))
        })
    }

    /// On a device: the largest signed head of the sync server's that an applied receipt
    /// carried (None before one): the server's log held every record it acknowledged by then.
    /// Keep or publish it; the server's `verify_against([head])` shows whether its log still
    /// begins with those entries.
    fn sync_server_head(&self, py: Python<'_>) -> PyResult<Option<vl::SignedHead>> {
        self.run(py, |l| Ok(l.sync_server_head().cloned()))
    }

    /// On a device: the records `actor` added here that the server has neither acknowledged
    /// nor refused, at most `limit` (1 to 1000), as the sync batch's JSON. Writes no log
    /// entry; remembers the batch to check the server's receipt against.
    #[pyo3(signature = (actor, limit = 1000))]
    fn sync_batch(&self, py: Python<'_>, actor: String, limit: u32) -> PyResult<String> {
        let actor = Self::actor(py, &actor)?;
        self.run(py, move |l| {
            l.sync_batch(&actor, limit).map(|b| b.to_json())
        })
    }

    /// On the server: imports a device's sync batch (its JSON) as `sender`, the actor the
    /// platform authenticated, who must be the batch's actor (E_SYNC_ACTOR). Each record goes
    /// through the same validation and authorisation as any record, and is recorded once.
    /// The records are written in one transaction, then the ledger signs its head (a ledger
    /// file keeps it, as `signed_head` does): the receipt carries that head and, for every
    /// record the server holds, the proof that its entry is in it. The receipt is signed with
    /// this ledger's key (StateError E_NO_SIGNING_KEY without one). Send `receipt.json` back
    /// to the device.
    fn import_sync_batch(
        &self,
        py: Python<'_>,
        sender: String,
        batch: String,
    ) -> PyResult<SyncReceipt> {
        let sender = Self::actor(py, &sender)?;
        self.run(py, move |l| l.import_sync_json(&sender, &batch))
            .map(SyncReceipt::from)
    }

    /// On a device: applies the server's receipt (its JSON, 'volunteer-ledger/sync-receipt@3';
    /// '@2' is refused with E_SYNC_VERSION), only if signed by the trusted sync server, with a
    /// head the server signed and proofs that lead to it, and answering a batch this device is
    /// waiting on (E_SYNC_UNSIGNED, E_SYNC_NO_SERVER, E_SYNC_UNTRUSTED_SERVER, E_BAD_SIGNATURE,
    /// E_CHECKPOINT_FORMAT, E_CHECKPOINT_MISMATCH, E_SYNC_RECEIPT_BATCH,
    /// E_SYNC_RECEIPT_RECORDS). Acknowledged records are not sent again; refused ones neither
    /// (see `sync_status` and `retry_sync`). Keeps the largest head (`sync_server_head`).
    fn apply_sync_receipt(&self, py: Python<'_>, receipt: String) -> PyResult<vl::SyncApplied> {
        self.run(py, move |l| {
            let receipt = vl::SyncReceipt::from_json(&receipt)?;
            l.apply_sync_receipt(&receipt)
        })
    }

    /// On a device: records still to send (of `actor`, or of everyone), acknowledged, refused.
    #[pyo3(signature = (actor = None))]
    fn sync_status(&self, py: Python<'_>, actor: Option<String>) -> PyResult<vl::SyncStatus> {
        let actor: Option<vl::ActorId> = check(py, opt_id(actor))?;
        self.run(py, move |l| Ok(l.sync_status(actor.as_ref())))
    }

    /// On a device: sends a refused record again with the next batch (after its cause was
    /// fixed on the server). Returns whether it had been refused.
    fn retry_sync(&self, py: Python<'_>, record: String) -> PyResult<bool> {
        let record = Self::record_id(py, &record)?;
        self.run(py, move |l| l.retry_sync(&record))
    }
}
