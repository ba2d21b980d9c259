//! A ledger's identity keys from the constructors' arguments: a key's bytes, a key provider
//! written in Python, or none (mask only).

use crate::errors::bad_field;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use volunteer_ledger as vl;

/// A ledger key provider written in Python: a callable taking a key id and returning that
/// key's 32 bytes, `current` naming the key that wraps new data keys. Whatever the callable
/// does — raises, returns None, something not bytes or bytes of another length — the core
/// sees "no such key" and refuses with E_KEY_UNAVAILABLE; the exception is reported through
/// `sys.unraisablehook`, never raised through the ledger, and nothing panics.
struct PyKeyProvider {
    current: String,
    callable: Py<PyAny>,
}

impl std::fmt::Debug for PyKeyProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PyKeyProvider")
            .field("current", &self.current)
            .finish_non_exhaustive()
    }
}

impl vl::KeyProvider for PyKeyProvider {
    fn current(&self) -> Option<String> {
        Some(self.current.clone())
    }

    fn key(&self, id: &str) -> Option<[u8; 32]> {
        let call = std::panic::AssertUnwindSafe(|| {
            Python::attach(|py| {
                let out = self.callable.bind(py).call1((id,)).and_then(|k| {
                    if k.is_none() {
                        return Ok(None);
                    }
                    let bytes = k.cast::<PyBytes>().map_err(PyErr::from)?.as_bytes();
                    Ok(<[u8; 32]>::try_from(bytes).ok())
                });
                out.unwrap_or_else(|e| {
                    e.write_unraisable(py, Some(self.callable.bind(py)));
                    None
                })
            })
        });
        std::panic::catch_unwind(call).ok().flatten()
    }
}

/// Where a ledger's identity keys come from, from the constructors' arguments: `key` (32
/// bytes, id `key_id`), `key_provider` (a callable, current id `key_id`) or `mask_only`; at
/// most one of them. `None`: the default (a key file beside a ledger file).
pub(crate) fn identity_keys(
    key: Option<Vec<u8>>,
    key_provider: Option<Py<PyAny>>,
    key_id: String,
    mask_only: bool,
) -> vl::Result<Option<vl::IdentityKeys>> {
    let given =
        usize::from(key.is_some()) + usize::from(key_provider.is_some()) + usize::from(mask_only);
    if given > 1 {
        return Err(bad_field(
            "identity keys",
            "key",
            "give at most one of key, key_provider and mask_only",
        ));
    }
    Ok(match (key, key_provider) {
        (Some(bytes), _) => Some(vl::IdentityKeys::Provider(std::sync::Arc::new(
            vl::Keyring::new(&key_id, &bytes)?,
        ))),
        (None, Some(callable)) => Some(vl::IdentityKeys::Provider(std::sync::Arc::new(
            PyKeyProvider {
                current: key_id,
                callable,
            },
        ))),
        (None, None) if mask_only => Some(vl::IdentityKeys::MaskOnly),
        (None, None) => None,
    })
}
