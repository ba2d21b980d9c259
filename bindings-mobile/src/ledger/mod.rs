//! The [`Ledger`] object: the core ledger behind a mutex, since foreign callers share it across
//! threads, and the lock every method takes. Its methods live in the files beside this one,
//! one concern each: `lifecycle` (made, opened and saved; its keys, clock and configuration),
//! `registry` (orgs, roles, volunteers, teams), `records`, `boards`, `transfers` (the signing
//! key, trusted issuers, transfers and certificates), `sync`, `community` (teams over time,
//! projects, activities, training, commendations, reporting in), `ratings`, `files` (uploads
//! and exports) and `integrity` (the chain, signed heads and proofs).

mod boards;
mod calendars;
mod community;
mod files;
mod integrity;
mod lifecycle;
mod ratings;
mod records;
mod registry;
mod sync;
mod transfers;

use std::sync::{Arc, Mutex, MutexGuard};

use volunteer_ledger as vl;

use crate::errors::{Result, poisoned};

pub use integrity::LogHead;
pub use records::RecordOutcome;

/// A ledger of volunteer service records: the core's `Ledger`, shared safely between threads.
/// Every change names the actor making it; the core authorises it.
#[derive(Debug, uniffi::Object)]
pub struct Ledger {
    inner: Mutex<vl::Ledger>,
}

impl Ledger {
    /// A core ledger behind its lock, as Kotlin and Swift hold it.
    fn wrap(ledger: vl::Ledger) -> Arc<Self> {
        Arc::new(Self {
            inner: Mutex::new(ledger),
        })
    }

    /// The core ledger, or `E_LEDGER_POISONED` if an earlier call panicked while holding it.
    fn lock(&self) -> Result<MutexGuard<'_, vl::Ledger>> {
        self.inner.lock().map_err(|_| poisoned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::POISONED_CODE;
    use crate::errors::LedgerError;
    use crate::tests::ledger;

    #[test]
    fn a_poisoned_ledger_refuses_instead_of_panicking() {
        let l = ledger();
        let l2 = Arc::clone(&l);
        let _ = std::thread::spawn(move || {
            let _guard = l2.inner.lock();
            panic!("poison the lock");
        })
        .join();
        let e = l.head().unwrap_err();
        assert!(matches!(e, LedgerError::Integrity { ref code, .. } if code == POISONED_CODE));
    }
}
