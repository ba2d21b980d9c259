//! Signed heads (签名检查点) and inclusion proofs: a ledger's signed statement of its log's
//! size, Merkle root and last entry, and the proof that an entry is among those it covers.

use crate::errors::check;
use crate::results::{DictValue, ToDict};
use chrono::{DateTime, FixedOffset, Offset, Utc};
use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyString};
use volunteer_ledger as vl;

/// A ledger's signed head (签名检查点): "my log holds `size` entries, the last is `head_hash`,
/// the Merkle root of their hashes is `root_hash`", signed with the ledger's Ed25519 key
/// (docs/checkpoints.md). Publish its `to_json()`; whoever keeps it can later have the ledger
/// prove, with `Ledger.verify_against([head])`, that its log still begins with those entries.
#[pyclass(frozen, eq, module = "volunteer_ledger", name = "SignedHead")]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct SignedHead {
    /// 'volunteer-ledger/signed-head@1'.
    #[pyo3(get)]
    format: String,
    /// The hash (hex) of the last entry, entry `size - 1`.
    #[pyo3(get)]
    head_hash: String,
    /// The ledger whose log it is.
    #[pyo3(get)]
    ledger_id: String,
    /// The ledger's Ed25519 public key (hex).
    #[pyo3(get)]
    public_key: String,
    /// The Merkle root (hex) of the first `size` entry hashes.
    #[pyo3(get)]
    root_hash: String,
    /// The Ed25519 signature (hex) over `signed_bytes()`.
    #[pyo3(get)]
    signature: String,
    /// How many entries the log held.
    #[pyo3(get)]
    size: u64,
    /// When it was signed (UTC).
    #[pyo3(get)]
    time: DateTime<FixedOffset>,
    /// The core's head, as signed or read.
    pub(crate) inner: vl::SignedHead,
}

impl From<vl::SignedHead> for SignedHead {
    fn from(h: vl::SignedHead) -> Self {
        Self {
            format: h.format.clone(),
            head_hash: h.head_hash.clone(),
            ledger_id: h.ledger_id.to_string(),
            public_key: h.public_key.clone(),
            root_hash: h.root_hash.clone(),
            signature: h.signature.clone(),
            size: h.size.unsigned_abs(),
            time: h.time.to_datetime(Utc.fix()),
            inner: h,
        }
    }
}

impl ToDict for SignedHead {
    fn dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        macro_rules! put {
            ($($field:ident),*) => {$( d.set_item(stringify!($field), self.$field.dict_value(py)?)?; )*};
        }
        put!(
            format, head_hash, ledger_id, public_key, root_hash, signature, size, time
        );
        Ok(d)
    }
}

#[pymethods]
impl SignedHead {
    /// Reads a signed head from its JSON (as `to_json()` writes it). Raises IntegrityError
    /// (E_CHECKPOINT_FORMAT) for text that is not one; whether it is genuine is for `check`.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        Ok(check(py, vl::SignedHead::from_json(text))?.into())
    }

    /// The head as canonical JSON (keys sorted, no whitespace): the form to publish.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The exact bytes the signature covers (canonical JSON of every field but `signature`).
    fn signed_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.signed_bytes())
    }

    /// Checks its format and its signature against a public key the caller trusts (hex).
    /// Raises AuthorizationError E_UNTRUSTED_ISSUER when the head names another key,
    /// IntegrityError E_BAD_SIGNATURE or E_CHECKPOINT_FORMAT.
    fn check(&self, py: Python<'_>, trusted_public_key: &str) -> PyResult<()> {
        check(py, self.inner.check(trusted_public_key))
    }

    /// Checks that the entry whose hash is `entry_hash` (hex) stands at `proof.index` among
    /// the entries this head covers (check the head itself with `check`). Raises
    /// IntegrityError E_CHECKPOINT_MISMATCH when the proof does not lead to the signed root,
    /// E_CHECKPOINT_FORMAT when it does not read.
    fn check_inclusion(
        &self,
        py: Python<'_>,
        entry_hash: &str,
        proof: PyRef<'_, InclusionProof>,
    ) -> PyResult<()> {
        let proof = vl::InclusionProof {
            index: i64::try_from(proof.index).unwrap_or(i64::MAX),
            path: proof.path.clone(),
        };
        check(py, self.inner.check_inclusion(entry_hash, &proof))
    }

    /// The attributes as a plain dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.dict(py)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "SignedHead(ledger_id={}, size={}, root_hash={}, time={})",
            PyString::new(py, &self.ledger_id).repr()?,
            self.size,
            PyString::new(py, &self.root_hash).repr()?,
            self.time.into_bound_py_any(py)?.repr()?,
        ))
    }
}

result_class!(
    /// The proof that a log entry is one of those a signed head covers: the entry's index
    /// (its seq) and the RFC 9162 inclusion path, leaf to root (docs/checkpoints.md).
    InclusionProof as "InclusionProof" {
        /// The entry's seq: its leaf's index.
        index: u64,
        /// The sibling hashes (hex) from the leaf up.
        path: Vec<String>,
    }
);

impl From<vl::InclusionProof> for InclusionProof {
    fn from(p: vl::InclusionProof) -> Self {
        Self {
            index: p.index.unsigned_abs(),
            path: p.path,
        }
    }
}

nested_dict_value!(SignedHead, InclusionProof);
