//! Keys and trust, and proof that the log is whole: the ledger's signing key and trusted
//! issuers, verifying the chain (against signed heads too), signed heads, inclusion and
//! consistency proofs.

use super::lifecycle::{KEPT_HEAD, replay_entry};
use super::state::State;
use super::{Ledger, Log, Receipt, detached};
use crate::checkpoint::{InclusionProof, SignedHead};
use crate::error::{LedgerError, Result, invalid_field};
use crate::ids::ActorId;
use crate::log::{
    Change, Entry, Hash, KeyRegistration, VerifyReport, check_position, verify_chain,
};
use crate::progress::Progress;
use crate::transfer::Issuer;

impl Ledger {
    /// Gives the ledger its Ed25519 signing key (from the platform's secret store; the seed
    /// never enters the log). The first time a key is given, its public half is registered in
    /// the log by a platform admin; giving a registered key again (after a reopen) writes
    /// nothing.
    pub fn set_signing_key(&mut self, actor: &ActorId, seed: &[u8]) -> Result<Receipt> {
        let seed: [u8; 32] = seed
            .try_into()
            .map_err(|_| invalid_field("ledger", "signing_key", "must be 32 bytes"))?;
        let key = ed25519_dalek::SigningKey::from_bytes(&seed);
        let public_key = crate::transfer::public_key_hex(&key);
        let receipt = if self.state.keys_and_transfers.signing_keys.last() == Some(&public_key) {
            let (seq, hash) = self.head();
            Receipt {
                seq: crate::error::signed(seq),
                hash: hash.to_hex(),
                duplicate: true,
            }
        } else {
            let change = Change::SigningKeyRegistered(KeyRegistration { public_key });
            self.commit(actor, change)?.0
        };
        self.signing_key = Some(key);
        Ok(receipt)
    }

    /// The ledger's current public key (hex), if it has one.
    pub fn public_key(&self) -> Option<String> {
        self.state.keys_and_transfers.signing_keys.last().cloned()
    }

    /// The ledger as an issuer: id, name and current public key.
    pub fn issuer(&self) -> Result<Issuer> {
        Ok(Issuer {
            ledger_id: self.config.ledger_id.clone(),
            name: self.config.name.clone(),
            public_key: self.public_key().ok_or(LedgerError::NoSigningKey)?,
        })
    }

    /// Trusts another ledger to issue transfer packages (a platform admin keeps the list).
    pub fn trust_issuer(&mut self, actor: &ActorId, issuer: Issuer) -> Result<Receipt> {
        self.commit(actor, Change::IssuerTrusted(issuer))
            .map(|r| r.0)
    }

    /// The trusted issuers: (ledger id, public key hex).
    pub fn trusted_issuers(&self) -> Vec<(crate::ids::LedgerId, String)> {
        self.state.keys_and_transfers.trusted.clone()
    }

    /// The log, oldest entry first (a file ledger reads it from its file, checking each
    /// entry's hash). It holds personal data in full (it is the truth a certificate is issued
    /// from): keep it inside the platform, as you would the database.
    pub fn entries(&self) -> Result<Vec<Entry>> {
        match &self.log {
            Log::Memory(log) => Ok(log.clone()),
            Log::File(store) => {
                let mut out = Vec::with_capacity(usize::try_from(self.len).unwrap_or(0));
                store.each_entry(0, None, Hash::ZERO, |e| {
                    out.push(e);
                    Ok(())
                })?;
                Ok(out)
            }
            Log::Detached => Err(detached()),
            Log::Failed(e) => Err(e.clone()),
        }
    }

    /// How many entries the log holds.
    pub fn entry_count(&self) -> u64 {
        self.len
    }

    /// The sequence number and hash of the newest entry.
    pub fn head(&self) -> (u64, Hash) {
        (self.len.saturating_sub(1), self.last)
    }

    /// Checks the whole chain (`E_CHAIN_BROKEN` names the first entry at fault). A file
    /// ledger checks the chain on disk: every stored entry's bytes against its hash and the
    /// next entry's link, that the file ends where this ledger does, and — since the state
    /// was read from a snapshot the chain does not cover — that replaying the whole log
    /// through the rules gives the state this ledger holds.
    ///
    /// The signed head a ledger file kept (the latest it issued) is checked too, as
    /// [`Ledger::verify_against`] checks heads given to it.
    pub fn verify(&self) -> Result<VerifyReport> {
        self.verify_against(&[])
    }

    /// As [`Ledger::verify`], and checks the log against signed heads this ledger issued
    /// earlier — kept by a certificate's or package's holder, another ledger, the district's
    /// website: each must be signed with a key this ledger's log registered
    /// (`E_UNTRUSTED_ISSUER`, `E_BAD_SIGNATURE`), and the log must still hold at least its
    /// entries, with the same Merkle root and last entry at its size. A history removed or
    /// rewritten before any of them, however consistently rehashed, is refused
    /// (`E_CHECKPOINT_MISMATCH`).
    pub fn verify_against(&self, heads: &[SignedHead]) -> Result<VerifyReport> {
        self.verify_with_progress(heads, Progress::none())
    }

    /// [`Ledger::verify_against`] (`heads` empty: [`Ledger::verify`]), telling `progress` the
    /// entries checked (see [`Progress`]).
    pub fn verify_with_progress(
        &self,
        heads: &[SignedHead],
        mut progress: Progress<'_>,
    ) -> Result<VerifyReport> {
        progress.start(self.len);
        let kept = self.kept_signed_head()?;
        let mut all: Vec<&SignedHead> = heads.iter().collect();
        all.extend(kept.as_ref());
        let mut anchors = crate::checkpoint::Anchors::new(
            &all,
            &self.config.ledger_id,
            &self.state.keys_and_transfers.signing_keys,
            self.len,
        )?;
        let report = match &self.log {
            Log::Memory(log) => {
                let report = verify_chain(log)?;
                for (done, e) in (1u64..).zip(log) {
                    anchors.push(&e.hash)?;
                    progress.at(done);
                }
                report
            }
            Log::File(store) => {
                let (mut n, mut head) = (0u64, Hash::ZERO);
                let mut state = State::new(&self.config)?;
                // The entries this ledger holds: another process may have appended more since
                // (they are checked when this ledger catches up with them, or by that process).
                let until = Some(self.len.saturating_sub(1));
                store.each_entry(0, until, Hash::ZERO, |e| {
                    check_position(&e).map_err(|d| LedgerError::ChainBroken {
                        seq: e.seq,
                        detail: d.into(),
                    })?;
                    replay_entry(&mut state, &e)?;
                    anchors.push(&e.hash)?;
                    n += 1;
                    head = e.hash;
                    progress.at(n);
                    Ok(())
                })?;
                if (n, head) != (self.len, self.last) {
                    return Err(LedgerError::ChainBroken {
                        seq: n.min(self.len),
                        detail: "the file's log does not hold this ledger's entries (it ends \
                                 before them, or another entry stands where its last one was)"
                            .into(),
                    });
                }
                if state.digest() != self.state.digest() {
                    return Err(LedgerError::ChainBroken {
                        seq: self.snapshot_len.saturating_sub(1),
                        detail: "the state read from the file's snapshot is not what its log \
                                 replays to: reopen after deleting the snapshot row"
                            .into(),
                    });
                }
                VerifyReport {
                    entries: crate::error::signed(n),
                    head_hash: head.to_hex(),
                }
            }
            Log::Detached => return Err(detached()),
            Log::Failed(e) => return Err(e.clone()),
        };
        if &anchors.tree != self.state.tree.frontier() {
            return Err(LedgerError::ChainBroken {
                seq: self.snapshot_len.saturating_sub(1),
                detail: "the Merkle tree held (read from the file's snapshot) is not the log's: \
                         reopen after deleting the snapshot row"
                    .into(),
            });
        }
        progress.finish(self.len);
        Ok(report)
    }

    /// The latest signed head a ledger file kept (`None` in memory, or before one was issued).
    pub fn kept_signed_head(&self) -> Result<Option<SignedHead>> {
        match &self.log {
            Log::File(store) => store
                .meta(KEPT_HEAD)?
                .map(|t| SignedHead::from_json(&t))
                .transpose(),
            _ => Ok(None),
        }
    }

    /// Signs the log's head — its entry count, the Merkle root of its entry hashes, its last
    /// entry's hash, the time — with the ledger's key (`E_NO_SIGNING_KEY` without one), and a
    /// ledger file keeps it (the latest one), so that opening and verifying the file check it.
    /// Publish it (the district's website, other ledgers): anyone who holds it can later show,
    /// with [`Ledger::verify_against`], whether the log still begins with those entries.
    /// Named apart from [`Ledger::checkpoint`], which writes a snapshot. Refused inside a
    /// [`Ledger::batch`] (`E_FIELD`): its entries are not committed yet.
    pub fn signed_head(&mut self) -> Result<SignedHead> {
        let key = self.signing_key.clone().ok_or(LedgerError::NoSigningKey)?;
        self.state.tree.settle();
        let head = self.sign_head(&key)?;
        self.keep_head(&head)?;
        Ok(head)
    }

    pub(super) fn sign_head(&self, key: &ed25519_dalek::SigningKey) -> Result<SignedHead> {
        if let Log::File(store) = &self.log
            && store.in_transaction()
        {
            return Err(invalid_field(
                "signed head",
                "batch",
                "cannot be issued inside a batch: the entries it would cover are not committed yet",
            ));
        }
        if self.state.tree.size() != self.len {
            return Err(LedgerError::ChainBroken {
                seq: self.len.saturating_sub(1),
                detail: "the Merkle tree held does not end at the log's head (a snapshot out of \
                         step?): run verify() and reopen"
                    .into(),
            });
        }
        Ok(SignedHead::sign(
            self.config.ledger_id.clone(),
            self.len,
            self.last,
            self.state.tree.root(),
            self.clock.now(),
            key,
        ))
    }

    /// Keeps a signed head in a ledger file (its own small write; nothing in memory).
    pub(super) fn keep_head(&mut self, head: &SignedHead) -> Result<()> {
        if let Log::File(store) = &mut self.log {
            store.put_meta(KEPT_HEAD, &head.to_json())?;
        }
        Ok(())
    }

    /// Runs `f` with a reader of the entry hashes from entry 0 on.
    pub(super) fn with_leaves<R>(
        &self,
        f: impl FnOnce(&mut crate::merkle::Leaves<'_>) -> Result<R>,
    ) -> Result<R> {
        match &self.log {
            Log::Memory(log) => {
                let mut it = log.iter();
                let mut next = || {
                    it.next()
                        .map(|e| e.hash)
                        .ok_or_else(|| LedgerError::ChainBroken {
                            seq: log.len() as u64,
                            detail: "the log ends before the Merkle tree does".into(),
                        })
                };
                f(&mut next)
            }
            Log::File(store) => store.with_hashes(f),
            Log::Detached => Err(detached()),
            Log::Failed(e) => Err(e.clone()),
        }
    }

    /// The inclusion proofs of the entries `seqs` among the first `size` entries (what a
    /// signed head of that size covers), in the order of `seqs`: for a sync receipt, a
    /// certificate, a package. A ledger file learns the Merkle roots of its blocks of 1,024
    /// entries the first time (reading every stored hash once) and keeps them, so that later
    /// proofs read only the blocks of `seqs` and the last one; in memory the hashes are read
    /// in order, holding O(log n) of them. Refuses a `size` of 0 or beyond the log (`E_FIELD`) and an entry at
    /// or beyond `size` (`E_UNKNOWN_ENTRY`); at the log's own size, the hashes read must give
    /// the root the ledger holds (`E_CHAIN_BROKEN`), so no proof is handed out that its head
    /// would not bear.
    pub fn inclusion_proofs(&self, size: u64, seqs: &[u64]) -> Result<Vec<InclusionProof>> {
        if size == 0 || size > self.len {
            return Err(invalid_field(
                "inclusion proof",
                "size",
                format!("must be 1 to {} (the log's entries)", self.len),
            ));
        }
        if let Some(&seq) = seqs.iter().find(|&&s| s >= size) {
            return Err(LedgerError::UnknownEntry { seq, len: size });
        }
        let (paths, root) = match &self.log {
            Log::File(store) => store.inclusion_paths(size, seqs)?,
            _ => self.with_leaves(|next| crate::merkle::inclusion_paths(size, seqs, next))?,
        };
        if size == self.len && root != self.state.tree.root() {
            return Err(LedgerError::ChainBroken {
                seq: size - 1,
                detail: "the stored entry hashes do not give the Merkle root the ledger holds"
                    .into(),
            });
        }
        Ok(seqs
            .iter()
            .zip(paths)
            .map(|(&seq, path)| InclusionProof {
                index: crate::error::signed(seq),
                path: path.iter().map(Hash::to_hex).collect(),
            })
            .collect())
    }

    /// The consistency proof (hex, RFC 9162 §2.1.4) that the first `to` entries extend the
    /// first `from`: what shows the holder of a head of `from` entries that a head of `to`
    /// entries continues it ([`SignedHead::check_extended_by`]). Refuses `from` of 0, `from`
    /// after `to`, or `to` beyond the log (`E_FIELD`).
    pub fn consistency_proof(&self, from: u64, to: u64) -> Result<Vec<String>> {
        if from == 0 || from > to || to > self.len {
            return Err(invalid_field(
                "consistency proof",
                "from",
                format!(
                    "must satisfy 1 <= from <= to <= {} (the log's entries)",
                    self.len
                ),
            ));
        }
        let (path, _) = self.with_leaves(|next| crate::merkle::consistency_path(from, to, next))?;
        Ok(path.iter().map(Hash::to_hex).collect())
    }
}
