//! The ledger's side of offline sync (离线记录与同步): a device ledger makes batches of what
//! the server has not acknowledged and applies the server's receipts; a server ledger imports
//! batches as the authenticated sender and answers with signed, anchored receipts. The formats
//! and the checks of a receipt are in [`crate::sync`]; `docs/sync-format.md` writes them down.

use super::Ledger;
use crate::checkpoint::SignedHead;
use crate::error::{LedgerError, Result, invalid_field};
use crate::ids::{ActorId, LedgerId, RecordId};
use crate::record::{NewRecord, RecordState};
use crate::sync::trust::{self, SentBatch, SyncServer, batch_hash};
use crate::sync::{
    MAX_ANSWERED_BATCHES, MAX_BATCH_RECORDS, MAX_WAITING_BATCHES, SYNC_BATCH_FORMAT,
    SYNC_RECEIPT_FORMAT, SyncApplied, SyncBatch, SyncReceipt, SyncRefusal, SyncResult, SyncState,
    SyncStatus, check_format, check_receipt_format, check_size,
};

fn live(state: RecordState) -> bool {
    matches!(
        state,
        RecordState::Pending | RecordState::Confirmed | RecordState::Disputed
    )
}

impl Ledger {
    /// Sets the sync server this device ledger trusts: its ledger id and Ed25519 public key
    /// (64 hex digits, the server's [`Ledger::public_key`]). Only receipts signed as that
    /// ledger with that key are applied. Kept in the sync state (beside the log in a ledger
    /// file); setting it again replaces it. `E_FIELD` for a key that is not one.
    pub fn trust_sync_server(&mut self, ledger: LedgerId, public_key: &str) -> Result<()> {
        let server = SyncServer::checked(ledger, public_key)?;
        let mut sync = self.sync.clone();
        sync.server = Some(server);
        self.keep_sync_state(sync)
    }

    /// The sync server this device ledger trusts, if one was set.
    pub fn sync_server(&self) -> Option<&SyncServer> {
        self.sync.server.as_ref()
    }

    /// The records still to send for `actor`, at most `limit` (1 to [`MAX_BATCH_RECORDS`]), in
    /// the order they were recorded. A batch carries the records the actor *added* on this
    /// ledger that are still live here (pending, confirmed or disputed) and that the server has
    /// neither acknowledged nor refused. Confirmations, amendments and revocations made on the
    /// device do not travel: make them on the server. The log is not written; the sync state
    /// remembers the batch (its hash and record ids) to check the receipt against, and asking
    /// twice gives the same batch until a receipt is applied.
    pub fn sync_batch(&mut self, actor: &ActorId, limit: u32) -> Result<SyncBatch> {
        if !(1..=MAX_BATCH_RECORDS).contains(&limit) {
            return Err(invalid_field(
                "sync batch",
                "limit",
                format!("must be 1 to {MAX_BATCH_RECORDS}"),
            ));
        }
        actor.check()?;
        let records = self.unsent(Some(actor)).take(limit as usize).collect();
        let batch = SyncBatch {
            format: SYNC_BATCH_FORMAT.to_owned(),
            device: self.config().ledger_id.clone(),
            actor: actor.clone(),
            number: self.sync.next_batch,
            records,
        };
        let sent = SentBatch::of(&batch);
        if !self.sync.waiting.iter().any(|w| w.hash == sent.hash) {
            let mut sync = self.sync.clone();
            if sync.waiting.len() >= MAX_WAITING_BATCHES {
                sync.waiting.remove(0);
            }
            sync.waiting.push(sent);
            self.keep_sync_state(sync)?;
        }
        Ok(batch)
    }

    /// Records added on this ledger (by `actor`, or by anyone) that are still to send: in the
    /// order they were added, not amendments (an amendment is made on the server), live here.
    fn unsent<'a>(&'a self, actor: Option<&'a ActorId>) -> impl Iterator<Item = NewRecord> + 'a {
        self.all_records()
            .filter(move |r| actor.is_none_or(|a| &r.recorded_by == a))
            .filter(|r| r.amends.is_none() && live(r.state))
            .filter(|r| !self.sync.settled(r.record.id.as_str()))
            .map(|r| r.record)
    }

    /// Imports a device's batch on the server, as `sender` — the actor the platform
    /// authenticated, who must be the batch's actor (`E_SYNC_ACTOR`, nothing written). Each
    /// record goes through [`Ledger::add_record`] as `sender`: the same validation and
    /// authorisation as any record, whatever the device decided. A refused record does not
    /// stop the others; a record the server has already is answered "already had". The
    /// receipt has one result per record, in order, names the batch's hash and is signed with
    /// this ledger's key: a ledger without one cannot answer (`E_NO_SIGNING_KEY`, nothing
    /// written). The records are written in one transaction; then the ledger signs its head
    /// (and a ledger file keeps it, as [`Ledger::signed_head`] does), and the receipt carries
    /// that head and, for every record the server holds, the inclusion proof of its entry.
    /// Refused inside a [`Ledger::batch`] (`E_FIELD`, nothing written): the head must cover
    /// committed entries.
    pub fn import_sync_batch(
        &mut self,
        sender: &ActorId,
        batch: &SyncBatch,
    ) -> Result<SyncReceipt> {
        check_format(&batch.format, "sync batch", SYNC_BATCH_FORMAT)?;
        check_size("sync batch", batch.records.len())?;
        sender.check()?;
        batch.device.check()?;
        if &batch.actor != sender {
            return Err(LedgerError::SyncActor {
                actor: batch.actor.to_string(),
                sender: sender.to_string(),
            });
        }
        let key = self
            .sync_signing_key()
            .cloned()
            .ok_or(LedgerError::NoSigningKey)?;
        // The receipt's head must cover the batch's entries once they are committed, so the
        // batch cannot run inside a caller's batch (refused before anything is written).
        if self.in_batch() {
            return Err(invalid_field(
                "sync batch",
                "batch",
                "cannot be imported inside a batch: the receipt's signed head must cover \
                 committed entries",
            ));
        }
        // One transaction for the batch's records (a refused record does not end it).
        let added = self.batch(|l| {
            batch
                .records
                .iter()
                .map(|r| l.add_record(sender, r.clone()))
                .collect::<Vec<_>>()
        })?;
        let head = self.signed_head()?;
        let size = head.size.unsigned_abs();
        let seqs: Vec<u64> = added
            .iter()
            .filter_map(|r| r.as_ref().ok().map(|r| r.seq.unsigned_abs()))
            .collect();
        let mut proofs = self.inclusion_proofs(size, &seqs)?.into_iter();
        let mut results = Vec::with_capacity(added.len());
        for (record, outcome) in batch.records.iter().zip(added) {
            let record = record.id.clone();
            results.push(match outcome {
                Ok(r) => {
                    let seq = r.seq.unsigned_abs();
                    let entry_hash = self
                        .hash_of_entry(seq)
                        .map(|h| h.to_hex())
                        .unwrap_or_default();
                    let proof = proofs.next().ok_or_else(|| LedgerError::ChainBroken {
                        seq,
                        detail: "no inclusion proof for a record just recorded".into(),
                    })?;
                    if r.duplicate {
                        SyncResult::AlreadyHad {
                            record,
                            seq: r.seq,
                            entry_hash,
                            state: r.state,
                            proof,
                        }
                    } else {
                        SyncResult::Accepted {
                            record,
                            seq: r.seq,
                            entry_hash,
                            state: r.state,
                            make_up: r.make_up,
                            proof,
                        }
                    }
                }
                Err(e) => {
                    let (message_en, message_zh) = e.messages();
                    SyncResult::Refused {
                        record,
                        code: e.code().to_owned(),
                        message_en,
                        message_zh,
                    }
                }
            });
        }
        let mut receipt = SyncReceipt {
            format: SYNC_RECEIPT_FORMAT.to_owned(),
            ledger: self.config().ledger_id.clone(),
            device: batch.device.clone(),
            actor: batch.actor.clone(),
            batch: batch_hash(batch),
            results,
            head,
            public_key: String::new(),
            signature: String::new(),
        };
        trust::seal(&mut receipt, &key);
        Ok(receipt)
    }

    /// As [`Ledger::import_sync_batch`], from the batch's JSON: a malformed batch is refused
    /// whole (`E_SYNC_FORMAT`, `E_SYNC_VERSION`) before anything is written.
    pub fn import_sync_json(&mut self, sender: &ActorId, batch: &str) -> Result<SyncReceipt> {
        let batch = SyncBatch::from_json(batch)?;
        self.import_sync_batch(sender, &batch)
    }

    /// Applies the server's receipt on the device: acknowledged records are not sent again, and
    /// neither are refused ones (they are kept, with the server's code and message, in
    /// [`Ledger::sync_status`], until [`Ledger::retry_sync`]). The log is not touched: delivery
    /// says nothing about the service.
    ///
    /// Only the trusted server's answer to a batch this device is waiting on is applied; anything
    /// else changes nothing and is refused: a receipt for another device (`E_SYNC_DEVICE`),
    /// before a server is trusted (`E_SYNC_NO_SERVER`), unsigned or `sync-receipt@1`
    /// (`E_SYNC_UNSIGNED`), signed as another ledger or with another key
    /// (`E_SYNC_UNTRUSTED_SERVER`), altered after signing (`E_BAD_SIGNATURE`), whose head is
    /// not the server's or whose proofs do not lead to it (`E_CHECKPOINT_FORMAT`,
    /// `E_SYNC_UNTRUSTED_SERVER`, `E_BAD_SIGNATURE`, `E_CHECKPOINT_MISMATCH`), for a batch this
    /// device did not make or no longer waits on (`E_SYNC_RECEIPT_BATCH`), or whose results
    /// are not the batch's records (`E_SYNC_RECEIPT_RECORDS`). Applying a receipt again
    /// changes nothing more (every result is counted as ignored).
    pub fn apply_sync_receipt(&mut self, receipt: &SyncReceipt) -> Result<SyncApplied> {
        check_receipt_format(&receipt.format)?;
        check_size("sync receipt", receipt.results.len())?;
        let this = &self.config().ledger_id;
        if &receipt.device != this {
            return Err(LedgerError::SyncDevice {
                device: receipt.device.to_string(),
                this: this.to_string(),
            });
        }
        let server = self.sync.server.as_ref().ok_or(LedgerError::SyncNoServer)?;
        trust::check_sealed(receipt, server)?;
        trust::check_anchored(receipt, server)?;
        let mut applied = SyncApplied {
            acknowledged: 0,
            refused: Vec::new(),
            ignored: 0,
        };
        if self.sync.answered.contains(&receipt.batch) {
            applied.ignored = i32::try_from(receipt.results.len()).unwrap_or(i32::MAX);
            return Ok(applied);
        }
        let sent = self
            .sync
            .waiting
            .iter()
            .find(|w| w.hash == receipt.batch)
            .ok_or_else(|| LedgerError::SyncReceiptBatch {
                batch: receipt.batch.chars().take(64).collect(),
            })?;
        trust::check_answers(receipt, sent)?;
        // Worked on a copy, kept (in a ledger file) and only then made current, so a failed
        // write leaves the device as it was.
        let mut sync = self.sync.clone();
        // This batch and every batch made before its answer are settled: their receipts can no
        // longer be applied, and the next batch gets a new number, so no batch made from now on
        // has the bytes of one answered before.
        let number = sent.number;
        sync.waiting.retain(|w| w.number > number);
        sync.next_batch = sync.next_batch.max(number.saturating_add(1));
        if sync.answered.len() >= MAX_ANSWERED_BATCHES {
            sync.answered.remove(0);
        }
        sync.answered.push(receipt.batch.clone());
        if sync
            .server_head
            .as_ref()
            .is_none_or(|kept| kept.size < receipt.head.size)
        {
            sync.server_head = Some(receipt.head.clone());
        }
        for result in &receipt.results {
            let id = result.record();
            let known = self.record(id).is_ok();
            let key = id.as_str();
            match result {
                _ if !known || sync.acknowledged.contains_key(key) => applied.ignored += 1,
                SyncResult::Accepted { entry_hash, .. }
                | SyncResult::AlreadyHad { entry_hash, .. } => {
                    // The server holds it: that settles any earlier refusal too.
                    sync.refused.remove(key);
                    sync.acknowledged.insert(key.to_owned(), entry_hash.clone());
                    applied.acknowledged += 1;
                }
                SyncResult::Refused { .. } if sync.refused.contains_key(key) => {
                    applied.ignored += 1;
                }
                SyncResult::Refused {
                    record,
                    code,
                    message_en,
                    message_zh,
                } => {
                    let refusal = SyncRefusal {
                        record: record.clone(),
                        code: code.clone(),
                        message_en: message_en.clone(),
                        message_zh: message_zh.clone(),
                    };
                    let order = sync.refusals_seen;
                    sync.refusals_seen += 1;
                    sync.refused
                        .insert(key.to_owned(), (order, refusal.clone()));
                    applied.refused.push(refusal);
                }
            }
        }
        self.keep_sync_state(sync)?;
        Ok(applied)
    }

    /// Where this device ledger stands: records still to send (of `actor`, or everyone's),
    /// acknowledged, and refused.
    pub fn sync_status(&self, actor: Option<&ActorId>) -> SyncStatus {
        SyncStatus {
            unsent: i32::try_from(self.unsent(actor).count()).unwrap_or(i32::MAX),
            acknowledged: i32::try_from(self.sync.acknowledged.len()).unwrap_or(i32::MAX),
            refused: self.sync.refusals(),
        }
    }

    /// Puts a refused record back among those to send (after the cause was fixed on the
    /// server — a role granted, a volunteer registered). Returns whether it had been refused.
    pub fn retry_sync(&mut self, record: &RecordId) -> Result<bool> {
        let mut sync = self.sync.clone();
        let was = sync.refused.remove(record.as_str()).is_some();
        if was {
            self.keep_sync_state(sync)?;
        }
        Ok(was)
    }

    /// The largest signed head of the sync server's that an applied receipt carried: the
    /// server's log held every record it acknowledged by then. Keep or publish it; the server's
    /// [`Ledger::verify_against`] shows whether its log still begins with those entries.
    pub fn sync_server_head(&self) -> Option<&SignedHead> {
        self.sync.server_head.as_ref()
    }

    /// The server's entry hash for a record it acknowledged, if it has.
    pub fn synced_entry_hash(&self, record: &RecordId) -> Option<String> {
        self.sync.acknowledged.get(record.as_str()).cloned()
    }

    /// What the ledger remembers of its syncs, for a store to keep beside the log.
    pub fn sync_state(&self) -> &SyncState {
        &self.sync
    }

    /// Restores what a store kept of the ledger's syncs (a file ledger keeps and restores
    /// its own; this is for a ledger in memory whose platform keeps it elsewhere).
    pub fn restore_sync_state(&mut self, state: SyncState) -> Result<()> {
        self.keep_sync_state(state)
    }
}
