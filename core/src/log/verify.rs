//! Checking a chain: where each kind may stand, and [`verify_chain`] with what it found.

use super::VerifyReport;
use super::change::Change;
use super::entry::Entry;
use crate::error::{LedgerError, Result};
use crate::hash::Hash;

/// The rule on where a kind may stand: entry 0, and only entry 0, creates the ledger.
pub(crate) fn check_position(e: &Entry) -> std::result::Result<(), &'static str> {
    match (e.seq, &e.change) {
        (0, Change::LedgerCreated(_)) => Ok(()),
        (0, _) => Err("the first entry must create the ledger"),
        (_, Change::LedgerCreated(_)) => Err("only the first entry may create the ledger"),
        _ => Ok(()),
    }
}

/// Checks a chain: sequence numbers from 0 without gaps, each entry's `prev` the hash of the
/// one before, each hash the SHA-256 of the entry's canonical bytes. Refuses with
/// `E_CHAIN_BROKEN` naming the first entry at fault.
pub fn verify_chain(entries: &[Entry]) -> Result<VerifyReport> {
    let mut prev = Hash::ZERO;
    for (i, e) in entries.iter().enumerate() {
        let broken = |detail: &str| LedgerError::ChainBroken {
            seq: i as u64,
            detail: detail.to_owned(),
        };
        if e.seq != i as u64 {
            return Err(broken("sequence number out of order"));
        }
        if e.prev != prev {
            return Err(broken("does not name the previous entry's hash"));
        }
        if e.computed_hash() != e.hash {
            return Err(broken("content does not match its hash"));
        }
        check_position(e).map_err(broken)?;
        prev = e.hash;
    }
    Ok(VerifyReport {
        entries: entries.len() as i64,
        head_hash: prev.to_hex(),
    })
}
