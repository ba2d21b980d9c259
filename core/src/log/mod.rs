//! The append-only, hash-chained entry log. Every change is an [`Entry`]; the ledger's state is
//! a pure function of its entries. The canonical encoding and the hash are written down in
//! `docs/log-format.md` so that another implementation can check a chain.

// Its parts: `change` (what an entry changes), `entry` (an entry and its hash), `canonical`
// (the bytes that are hashed) with `json` (the JSON values it writes by hand), `stored` (an
// entry as a file ledger stores it and reads it back), `verify` (checking a chain).
mod canonical;
mod change;
mod entry;
mod json;
mod stored;
mod verify;

pub(crate) use crate::hash::unhex;
pub use crate::hash::{Hash, hash_bytes};
pub(crate) use canonical::RecordFields;
pub use canonical::{LOG_FORMAT_VERSION, canonical_bytes, entry_version};
pub use change::{
    CertificateEntry, CertifiedRecord, Change, Correction, KeyRegistration, Move, TransferIn,
    TransferOut,
};
pub use entry::Entry;
pub(crate) use stored::{
    append_record_body, append_stored_body, entry_from_canonical, entry_from_stored, stored_body,
};
pub(crate) use verify::check_position;
pub use verify::verify_chain;

use serde::{Deserialize, Serialize};

// `VerifyReport` is defined here, not in `verify`: the module path of a type the bindings take
// from UniFFI is part of their checksums.
/// What a check of the chain (`verify_chain`) found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(
        frozen,
        get_all,
        eq,
        module = "volunteer_ledger",
        name = "VerifyReport"
    )
)]
pub struct VerifyReport {
    /// Entries checked.
    pub entries: i64,
    /// The hash of the last entry (hex), the head a copy can be compared by.
    pub head_hash: String,
}

#[cfg(test)]
mod tests;
