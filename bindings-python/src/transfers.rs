//! Transfers (转移接续) without a ledger: opening a package, and its hash.

use crate::errors::check;
use pyo3::prelude::*;
use volunteer_ledger as vl;

/// Opens a transfer package's text without importing it: refuses anything altered
/// (E_TRANSFER_FORMAT, E_BAD_SIGNATURE), an unknown format version (E_TRANSFER_VERSION) and an
/// issuer not in `trusted` (E_UNTRUSTED_ISSUER), a list of (ledger id, public key) pairs.
/// Times in the result are in UTC.
#[pyfunction]
pub(crate) fn open_package(
    py: Python<'_>,
    text: String,
    trusted: Vec<(String, String)>,
) -> PyResult<vl::TransferPackage> {
    let opened = py.detach(move || {
        let trusted = trusted
            .into_iter()
            .map(|(id, key)| Ok((id.parse()?, key)))
            .collect::<vl::Result<Vec<(vl::LedgerId, String)>>>()?;
        vl::open_package(&text, &trusted)
    });
    check(py, opened)
}

/// The hash (hex) of a transfer package's text: how a ledger recognises a package it
/// imported before.
#[pyfunction]
pub(crate) fn package_hash(text: &str) -> String {
    vl::package_hash(text)
}
