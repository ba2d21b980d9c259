//! Where a ledger's identity keys come from when the platform holds them (Android Keystore,
//! iOS Keychain, a KMS): the [`KeyProvider`] callback interface, what it may throw, and its
//! adapter to the core's `KeyProvider`, which takes a throw, a panic or a key of the wrong
//! length as no key.

use std::sync::Arc;

use vl::IdentityKeys;
use volunteer_ledger as vl;

/// What a [`KeyProvider`] callback may throw. Whatever it throws (this or anything else), the
/// ledger treats the key as unavailable: the call that needed it is refused with
/// `E_KEY_UNAVAILABLE`, nothing panics.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum KeyProviderError {
    /// The key cannot be had now (locked keystore, no network to the KMS …).
    #[error("key unavailable: {detail}")]
    Unavailable {
        /// Why, for the platform's own logs (the ledger does not show it).
        detail: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for KeyProviderError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Unavailable { detail: e.reason }
    }
}

/// Where the ledger's identity keys come from, implemented by the platform (Android Keystore,
/// iOS Keychain, a KMS): the core's `KeyProvider` trait as a UniFFI callback interface.
///
/// `current` names the key that wraps new data keys (`null`/`nil` when none is available
/// now); `key` returns the 32 bytes of any key id ever current (`null` for an unknown id), so
/// that data keys wrapped before a rotation stay readable. A key that is not 32 bytes long, a
/// `null`, or a throwing callback all make the ledger refuse what needed the key with
/// `E_KEY_UNAVAILABLE`.
#[uniffi::export(callback_interface)]
pub trait KeyProvider: Send + Sync {
    /// The id of the current key, or none.
    fn current(&self) -> std::result::Result<Option<String>, KeyProviderError>;
    /// The 32 bytes of the key with this id, or none.
    fn key(&self, id: String) -> std::result::Result<Option<Vec<u8>>, KeyProviderError>;
}

/// The foreign provider as the core's `KeyProvider`: a throw, a panic on the way back, or a
/// key of the wrong length becomes `None` (which the core refuses with `E_KEY_UNAVAILABLE`).
struct ForeignKeys(Box<dyn KeyProvider>);

impl std::fmt::Debug for ForeignKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ForeignKeys")
    }
}

impl vl::KeyProvider for ForeignKeys {
    fn current(&self) -> Option<String> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.0.current()))
            .ok()
            .and_then(std::result::Result::ok)
            .flatten()
    }

    fn key(&self, id: &str) -> Option<[u8; vl::vault::KEY_LEN]> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.0.key(id.to_owned())))
            .ok()
            .and_then(std::result::Result::ok)
            .flatten()
            .and_then(|bytes| bytes.try_into().ok())
    }
}

pub(crate) fn provider_keys(provider: Box<dyn KeyProvider>) -> IdentityKeys {
    IdentityKeys::Provider(Arc::new(ForeignKeys(provider)))
}
