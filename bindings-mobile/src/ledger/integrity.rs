//! Whether a ledger's log holds: its head, the check of the whole chain, signed heads and the
//! check against heads signed before, and the inclusion and consistency proofs that others
//! check a head with.

use vl::{InclusionProof, SignedHead, VerifyReport};
use volunteer_ledger as vl;

use super::Ledger;
use crate::conversions::signed;
use crate::errors::Result;
use crate::progress::{ProgressListener, with_progress};

/// The newest entry of a ledger's log: its sequence number and hash (64 lower-case hex).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LogHead {
    /// The entry's sequence number (0 is the entry that created the ledger).
    pub seq: i64,
    /// The entry's SHA-256 hash, hex.
    pub hash: String,
}

#[uniffi::export]
impl Ledger {
    /// The sequence number and hash of the newest log entry.
    pub fn head(&self) -> Result<LogHead> {
        let (seq, hash) = self.lock()?.head();
        Ok(LogHead {
            seq: signed(seq),
            hash: hash.to_hex(),
        })
    }

    /// Checks the whole hash chain (`E_CHAIN_BROKEN` names the first entry at fault).
    pub fn verify(&self) -> Result<VerifyReport> {
        Ok(self.lock()?.verify()?)
    }

    /// `verify`, telling `progress` the entries checked (`0` of the total, every 1000, the
    /// end).
    pub fn verify_with_progress(
        &self,
        progress: Box<dyn ProgressListener>,
    ) -> Result<VerifyReport> {
        let ledger = self.lock()?;
        Ok(with_progress(Some(progress), |p| {
            ledger.verify_with_progress(&[], p)
        })?)
    }

    /// Signs the log's head (entry count, Merkle root, last hash, time) with the ledger's key
    /// (`E_NO_SIGNING_KEY` without one); a ledger file keeps the latest. Hand it to whoever
    /// should be able to tell later whether the history was rewritten.
    pub fn signed_head(&self) -> Result<SignedHead> {
        Ok(self.lock()?.signed_head()?)
    }

    /// `verify` plus every head's root and last entry at its size (and the head the file
    /// kept): a history removed or rewritten before a head is `E_CHECKPOINT_MISMATCH`.
    pub fn verify_against(&self, heads: Vec<SignedHead>) -> Result<VerifyReport> {
        Ok(self.lock()?.verify_against(&heads)?)
    }

    /// The latest signed head a ledger file kept (`None` in memory or before any).
    pub fn kept_signed_head(&self) -> Result<Option<SignedHead>> {
        Ok(self.lock()?.kept_signed_head()?)
    }

    /// Inclusion proofs of log entries `seqs` in the tree of the first `size` entries.
    pub fn inclusion_proofs(&self, size: i64, seqs: Vec<i64>) -> Result<Vec<InclusionProof>> {
        let size = vl::error::non_negative("size", size)?;
        let seqs = seqs
            .into_iter()
            .map(|s| vl::error::non_negative("seq", s))
            .collect::<Result<Vec<u64>, _>>()?;
        Ok(self.lock()?.inclusion_proofs(size, &seqs)?)
    }

    /// The consistency proof (hex) that the first `from` entries are a prefix of the first
    /// `to`, as `signedHeadCheckExtendedBy` takes it.
    pub fn consistency_proof(&self, from: i64, to: i64) -> Result<Vec<String>> {
        let from = vl::error::non_negative("from", from)?;
        let to = vl::error::non_negative("to", to)?;
        Ok(self.lock()?.consistency_proof(from, to)?)
    }
}
