//! Sync between a device's ledger and its server: what became of each record of a batch, and
//! the server's signed receipt (what applying it did, and where a device stands, are the
//! core's classes).

use volunteer_ledger as vl;

result_class!(
    /// What became of one record of a sync batch on the server.
    SyncResult as "SyncResult" {
        /// The record id.
        record: vl::RecordId,
        /// 'accepted', 'already_had' or 'refused'.
        outcome: String,
        /// The server's entry that recorded it (None if refused).
        seq: Option<i64>,
        /// That entry's hash, hex (None if refused).
        entry_hash: Option<String>,
        /// Its state on the server (None if refused).
        state: Option<vl::RecordState>,
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
        proof: Option<vl::InclusionProof>,
    }
);

result_class!(
    /// The server's answer to a sync batch; `json` is what goes back to the device.
    SyncReceipt as "SyncReceipt" {
        /// The server ledger's id.
        ledger: vl::LedgerId,
        /// The device the batch came from.
        device: vl::LedgerId,
        /// The actor the batch was imported as.
        actor: vl::ActorId,
        /// The SHA-256 (hex) of the batch it answers.
        batch: String,
        /// One result per record of the batch, in order.
        results: Vec<SyncResult>,
        /// The server's signed head once the batch was recorded: every acknowledged result's
        /// proof leads to it. The device keeps the largest (`Ledger.sync_server_head`).
        head: vl::SignedHead,
        /// The server's public key (hex) the receipt is signed with.
        public_key: String,
        /// The receipt as JSON ('volunteer-ledger/sync-receipt@3', signed).
        json: String,
    }
);

impl From<vl::SyncResult> for SyncResult {
    fn from(r: vl::SyncResult) -> Self {
        let none = Self {
            record: r.record().clone(),
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
                seq: Some(seq),
                entry_hash: Some(entry_hash),
                state: Some(state),
                make_up: Some(make_up),
                proof: Some(proof),
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
                seq: Some(seq),
                entry_hash: Some(entry_hash),
                state: Some(state),
                proof: Some(proof),
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
            ledger: r.ledger,
            device: r.device,
            actor: r.actor,
            batch: r.batch,
            results: r.results.into_iter().map(SyncResult::from).collect(),
            head: r.head,
            public_key: r.public_key,
            json,
        }
    }
}
