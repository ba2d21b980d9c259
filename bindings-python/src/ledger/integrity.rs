//! Whether a ledger's log holds: the chain check, signed heads and the check against heads
//! signed before, replaying the log into a new ledger, the state digest and the head.

use super::PyLedger;
use crate::progress::PyProgress;
use pyo3::prelude::*;
use std::sync::Mutex;
use volunteer_ledger as vl;

#[pymethods]
impl PyLedger {
    /// Checks the whole hash chain; raises IntegrityError (E_CHAIN_BROKEN) naming the first
    /// entry at fault. `progress(done, total)` is told the entries checked.
    #[pyo3(signature = (*, progress = None))]
    fn verify(&self, py: Python<'_>, progress: Option<Py<PyAny>>) -> PyResult<vl::VerifyReport> {
        let progress = PyProgress::new(progress);
        let report = self.run(py, |l| progress.with(|p| l.verify_with_progress(&[], p)));
        progress.finish(report)
    }

    /// As `verify()`, and checks the log against signed heads this ledger issued earlier:
    /// each must be signed by a key its log registered (E_UNTRUSTED_ISSUER, E_BAD_SIGNATURE)
    /// and the log must still hold its entries, with the same root and last entry at its size
    /// (IntegrityError E_CHECKPOINT_MISMATCH otherwise).
    #[pyo3(signature = (heads, *, progress = None))]
    fn verify_against(
        &self,
        py: Python<'_>,
        heads: Vec<PyRef<'_, vl::SignedHead>>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<vl::VerifyReport> {
        let heads: Vec<vl::SignedHead> = heads.iter().map(|h| (**h).clone()).collect();
        let progress = PyProgress::new(progress);
        let report = self.run(py, |l| progress.with(|p| l.verify_with_progress(&heads, p)));
        progress.finish(report)
    }

    /// Signs the log's head (entry count, Merkle root, last entry hash, time) with the
    /// ledger's key — StateError E_NO_SIGNING_KEY without one — and a ledger file keeps the
    /// latest (`kept_signed_head`), so that opening and verifying it check it. Publish its
    /// `to_json()`; `verify_against` later proves the log still begins with those entries.
    fn signed_head(&self, py: Python<'_>) -> PyResult<vl::SignedHead> {
        self.run(py, vl::Ledger::signed_head)
    }

    /// The latest signed head the ledger file kept (None in memory, or before one).
    fn kept_signed_head(&self, py: Python<'_>) -> PyResult<Option<vl::SignedHead>> {
        self.run(py, |l| l.kept_signed_head())
    }

    /// A new ledger rebuilt from a copy of this one's log: every entry is checked and replayed
    /// through the same rules, at its own time. The copy runs on the system clock. Raises
    /// IntegrityError if the log does not replay.
    fn replay(&self, py: Python<'_>) -> PyResult<Self> {
        let ledger = self.run(py, |l| vl::Ledger::from_entries(l.entries()?))?;
        Ok(Self {
            inner: Mutex::new(Some(ledger)),
            off: self.off,
        })
    }

    /// A digest (hex) of the observable state: two ledgers with the same digest answer every
    /// query alike (a replayed copy has the digest of the original).
    fn state_digest(&self, py: Python<'_>) -> PyResult<String> {
        self.run(py, |l| Ok(l.state_digest().to_hex()))
    }

    /// The sequence number and hash (hex) of the newest log entry.
    fn head(&self, py: Python<'_>) -> PyResult<(u64, String)> {
        self.run(py, |l| {
            let (seq, hash) = l.head();
            Ok((seq, hash.to_hex()))
        })
    }
}
