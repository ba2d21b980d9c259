//! Sync between a device's ledger and its server: what became of each record of a batch,
//! the server's signed receipt, what applying it did, and where a device stands.

use crate::signed_heads::{InclusionProof, SignedHead};
use pyo3::prelude::*;
use volunteer_ledger as vl;

result_class!(
    /// What became of one record of a sync batch on the server.
    SyncResult as "SyncResult" {
        /// The record id.
        record: String,
        /// 'accepted', 'already_had' or 'refused'.
        outcome: String,
        /// The server's entry that recorded it (None if refused).
        seq: Option<u64>,
        /// That entry's hash, hex (None if refused).
        entry_hash: Option<String>,
        /// Its state on the server (None if refused).
        state: Option<String>,
        /// Whether the server counts it as a make-up record (None unless accepted now).
        make_up: Option<bool>,
        /// The refusal's code (None unless refused).
        code: Option<String>,
        /// The refusal in English, no personal data (None unless refused).
        message_en: Option<String>,
        /// The refusal in Chinese, no personal data (None unless refused).
        message_zh: Option<String>,
        /// The proof that entry `seq` is among those the receipt's `head` covers (None if
        /// refused).
        proof: Option<InclusionProof>,
    }
);

result_class!(
    /// The server's answer to a sync batch; `json` is what goes back to the device.
    SyncReceipt as "SyncReceipt" {
        /// The server ledger's id.
        ledger: String,
        /// The device the batch came from.
        device: String,
        /// The actor the batch was imported as.
        actor: String,
        /// The SHA-256 (hex) of the batch it answers.
        batch: String,
        /// One result per record of the batch, in order.
        results: Vec<SyncResult>,
        /// The server's signed head once the batch was recorded: every acknowledged result's
        /// proof leads to it. The device keeps the largest (`Ledger.sync_server_head`).
        head: SignedHead,
        /// The server's public key (hex) the receipt is signed with.
        public_key: String,
        /// The receipt as JSON ('volunteer-ledger/sync-receipt@3', signed).
        json: String,
    }
);

result_class!(
    /// A record the server refused, as the device keeps it (not sent again).
    SyncRefusal as "SyncRefusal" {
        /// The record id.
        record: String,
        /// The server's code.
        code: String,
        /// The server's message in English.
        message_en: String,
        /// The server's message in Chinese.
        message_zh: String,
    }
);

result_class!(
    /// What applying a sync receipt did on the device.
    SyncApplied as "SyncApplied" {
        /// Records newly acknowledged by the server.
        acknowledged: u32,
        /// Records newly refused; they will not be sent again.
        refused: Vec<SyncRefusal>,
        /// Results applied before, or about records this ledger never recorded.
        ignored: u32,
    }
);

result_class!(
    /// Where a device ledger stands with its server.
    SyncStatus as "SyncStatus" {
        /// Records still to send.
        unsent: u32,
        /// Records the server has acknowledged.
        acknowledged: u32,
        /// Records the server refused, oldest refusal first.
        refused: Vec<SyncRefusal>,
    }
);

impl From<vl::SyncResult> for SyncResult {
    fn from(r: vl::SyncResult) -> Self {
        let none = Self {
            record: r.record().to_string(),
            outcome: String::new(),
            seq: None,
            entry_hash: None,
            state: None,
            make_up: None,
            code: None,
            message_en: None,
            message_zh: None,
            proof: None,
        };
        match r {
            vl::SyncResult::Accepted {
                seq,
                entry_hash,
                state,
                make_up,
                proof,
                ..
            } => Self {
                outcome: "accepted".into(),
                seq: Some(seq.unsigned_abs()),
                entry_hash: Some(entry_hash),
                state: Some(state.as_str().to_owned()),
                make_up: Some(make_up),
                proof: Some(proof.into()),
                ..none
            },
            vl::SyncResult::AlreadyHad {
                seq,
                entry_hash,
                state,
                proof,
                ..
            } => Self {
                outcome: "already_had".into(),
                seq: Some(seq.unsigned_abs()),
                entry_hash: Some(entry_hash),
                state: Some(state.as_str().to_owned()),
                proof: Some(proof.into()),
                ..none
            },
            vl::SyncResult::Refused {
                code,
                message_en,
                message_zh,
                ..
            } => Self {
                outcome: "refused".into(),
                code: Some(code),
                message_en: Some(message_en),
                message_zh: Some(message_zh),
                ..none
            },
        }
    }
}

impl From<vl::SyncReceipt> for SyncReceipt {
    fn from(r: vl::SyncReceipt) -> Self {
        let json = r.to_json();
        Self {
            ledger: r.ledger.to_string(),
            device: r.device.to_string(),
            actor: r.actor.to_string(),
            batch: r.batch,
            results: r.results.into_iter().map(SyncResult::from).collect(),
            head: r.head.into(),
            public_key: r.public_key,
            json,
        }
    }
}

impl From<vl::SyncRefusal> for SyncRefusal {
    fn from(r: vl::SyncRefusal) -> Self {
        Self {
            record: r.record.to_string(),
            code: r.code,
            message_en: r.message_en,
            message_zh: r.message_zh,
        }
    }
}

pub(crate) fn refusals(list: Vec<vl::SyncRefusal>) -> Vec<SyncRefusal> {
    list.into_iter().map(SyncRefusal::from).collect()
}
