//! Signed heads and Merkle proofs outside any ledger: a head to and from its JSON, the bytes
//! its signature covers, the checks of a head, of an entry's inclusion and of a later head
//! extending it; and the Merkle root and proof checks of RFC 9162 over hashes given as hex.

use vl::{Hash, InclusionProof, SignedHead};
use volunteer_ledger as vl;

use crate::errors::Result;

/// A signed head as its JSON (keys sorted): the form to keep or publish.
#[uniffi::export]
pub fn signed_head_to_json(head: SignedHead) -> String {
    head.to_json()
}

/// A signed head from its JSON; `E_CHECKPOINT_FORMAT` if the text is not one.
#[uniffi::export]
pub fn signed_head_from_json(text: String) -> Result<SignedHead> {
    Ok(SignedHead::from_json(&text)?)
}

/// Exactly the bytes a head's signature covers (`docs/checkpoints.md`).
#[uniffi::export]
pub fn signed_head_signed_bytes(head: SignedHead) -> Vec<u8> {
    head.signed_bytes()
}

/// Checks a head against the public key (hex) of the ledger the checker trusts:
/// `E_CHECKPOINT_FORMAT`, `E_UNTRUSTED_ISSUER`, `E_BAD_SIGNATURE`.
#[uniffi::export]
pub fn signed_head_check(head: SignedHead, public_key: String) -> Result<()> {
    Ok(head.check(&public_key)?)
}

/// Checks that the entry hashed `entry_hash` stands at `proof.index` among the head's
/// entries: `E_CHECKPOINT_FORMAT`, `E_CHECKPOINT_MISMATCH`.
#[uniffi::export]
pub fn signed_head_check_inclusion(
    head: SignedHead,
    entry_hash: String,
    proof: InclusionProof,
) -> Result<()> {
    Ok(head.check_inclusion(&entry_hash, &proof)?)
}

/// Checks that `later` extends `head` by the consistency `proof` (hex):
/// `E_CHECKPOINT_MISMATCH` if the log was rewritten in between.
#[uniffi::export]
pub fn signed_head_check_extended_by(
    head: SignedHead,
    later: SignedHead,
    proof: Vec<String>,
) -> Result<()> {
    Ok(head.check_extended_by(&later, &proof)?)
}

/// Hashes given as hex, each 64 digits, or `E_CHECKPOINT_FORMAT`.
fn hashes(hex: &[String]) -> Result<Vec<Hash>> {
    hex.iter()
        .map(|h| {
            Hash::from_hex(h).ok_or_else(|| {
                vl::LedgerError::CheckpointFormat {
                    detail: "a hash is not 64 hex digits".into(),
                }
                .into()
            })
        })
        .collect()
}

fn one_hash(hex: &str) -> Result<Hash> {
    Ok(hashes(&[hex.to_owned()])?.remove(0))
}

/// The Merkle root (RFC 9162) of a list of entry hashes (hex), as signed heads hold it.
#[uniffi::export]
pub fn merkle_root(entry_hashes: Vec<String>) -> Result<String> {
    Ok(vl::merkle::root_of(&hashes(&entry_hashes)?).to_hex())
}

/// Whether `path` shows entry `entry_hash` at `index` in the tree of `size` entries with
/// `root` (RFC 9162 §2.1.3.2).
#[uniffi::export]
pub fn merkle_verify_inclusion(
    index: i64,
    size: i64,
    entry_hash: String,
    path: Vec<String>,
    root: String,
) -> Result<bool> {
    let index = vl::error::non_negative("index", index)?;
    let size = vl::error::non_negative("size", size)?;
    Ok(vl::merkle::verify_inclusion(
        index,
        size,
        &one_hash(&entry_hash)?,
        &hashes(&path)?,
        &one_hash(&root)?,
    ))
}

/// Whether `proof` shows the tree of `n` entries with `root_n` extends the tree of `m`
/// with `root_m` (RFC 9162 §2.1.4.2).
#[uniffi::export]
pub fn merkle_verify_consistency(
    m: i64,
    n: i64,
    root_m: String,
    root_n: String,
    proof: Vec<String>,
) -> Result<bool> {
    let m = vl::error::non_negative("m", m)?;
    let n = vl::error::non_negative("n", n)?;
    Ok(vl::merkle::verify_consistency(
        m,
        n,
        &one_hash(&root_m)?,
        &one_hash(&root_n)?,
        &hashes(&proof)?,
    ))
}
