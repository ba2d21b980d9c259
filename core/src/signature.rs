//! Ed25519 signatures as the ledger spells them: keys and signatures in lower-case hex over
//! canonical bytes. Transfer packages, certificates, signed heads and sync receipts are signed
//! and checked with these.

use crate::error::{LedgerError, Result};
use crate::hash::{Hash, unhex};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};

/// Hex of bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    Hash::hex_of(bytes)
}

/// The public key of a signing key, as hex.
pub fn public_key_hex(key: &SigningKey) -> String {
    hex(key.verifying_key().as_bytes())
}

/// Parses a public key written as 64 hex digits.
pub fn parse_public_key(s: &str) -> Result<VerifyingKey> {
    unhex::<32>(s)
        .and_then(|b| VerifyingKey::from_bytes(&b).ok())
        .ok_or_else(|| {
            crate::error::invalid_field(
                "issuer",
                "public_key",
                "is not an Ed25519 public key (64 hex digits)",
            )
        })
}

/// Signs canonical bytes; the signature as hex.
pub(crate) fn sign(key: &SigningKey, bytes: &[u8]) -> String {
    hex(&key.sign(bytes).to_bytes())
}

/// Checks a hex signature over bytes with a public key.
pub(crate) fn check_signature(public_key: &str, bytes: &[u8], signature: &str) -> Result<()> {
    let key = parse_public_key(public_key)?;
    let sig = unhex::<64>(signature).map(|b| Signature::from_bytes(&b));
    match sig {
        Some(sig) if key.verify(bytes, &sig).is_ok() => Ok(()),
        _ => Err(LedgerError::BadSignature),
    }
}
