//! Signed heads (签名检查点): a ledger's statement "my log holds `size` entries, the last one
//! is `head_hash`, and the Merkle tree of their hashes has root `root_hash`", signed with the
//! ledger's Ed25519 key as its transfer packages and certificates are. Whoever keeps one can
//! later prove that the ledger's log still begins with exactly those entries: a history
//! rewritten before it, however consistently rehashed, no longer has that root.
//!
//! Named *signed head*, not checkpoint, in the API: [`crate::Ledger::checkpoint`] writes a
//! snapshot of the state, which is another thing. The format is `docs/checkpoints.md`.

use crate::error::{LedgerError, Result};
use crate::hash::Hash;
use crate::ids::LedgerId;
use crate::merkle;
use crate::time::Timestamp;
use serde::{Deserialize, Serialize};

/// The format this version writes and reads.
pub const SIGNED_HEAD_FORMAT: &str = "volunteer-ledger/signed-head@1";

/// A ledger's signed statement of its log's head. Fields are in sorted order: the signature
/// covers the canonical JSON of every field but `signature` (keys sorted, no whitespace).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(frozen, get_all, eq, module = "volunteer_ledger", name = "SignedHead")
)]
#[serde(deny_unknown_fields)]
pub struct SignedHead {
    /// `volunteer-ledger/signed-head@1`.
    pub format: String,
    /// The hash of the last entry (hex): entry `size - 1`.
    pub head_hash: String,
    /// The ledger whose log it is.
    pub ledger_id: LedgerId,
    /// The ledger's Ed25519 public key (hex), as registered in its log.
    pub public_key: String,
    /// The Merkle root of the first `size` entry hashes (hex; RFC 9162's tree).
    pub root_hash: String,
    /// Ed25519 signature (hex) over the canonical JSON of the other fields.
    pub signature: String,
    /// How many entries the log held (at least 1: entry 0 creates the ledger).
    pub size: i64,
    /// When it was signed (the ledger's clock).
    pub time: Timestamp,
}

/// The signed fields, in sorted order.
#[derive(Serialize)]
struct Unsigned<'a> {
    format: &'a str,
    head_hash: &'a str,
    ledger_id: &'a LedgerId,
    public_key: &'a str,
    root_hash: &'a str,
    size: i64,
    time: Timestamp,
}

/// A proof that an entry is one of the entries a signed head covers: the entry's `index`
/// (its seq) and the RFC 9162 inclusion path, leaf to root, as hex.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(
        frozen,
        get_all,
        eq,
        module = "volunteer_ledger",
        name = "InclusionProof"
    )
)]
#[serde(deny_unknown_fields)]
pub struct InclusionProof {
    /// The entry's seq: its leaf's index.
    pub index: i64,
    /// The sibling hashes from the leaf up (hex).
    pub path: Vec<String>,
}

fn mismatch(size: i64, detail: impl Into<String>) -> LedgerError {
    LedgerError::CheckpointMismatch {
        size: u64::try_from(size).unwrap_or(0),
        detail: detail.into(),
    }
}

fn malformed(detail: &str) -> LedgerError {
    LedgerError::CheckpointFormat {
        detail: detail.to_owned(),
    }
}

/// Hashes written as hex, each 64 lower-case digits.
fn hashes(path: &[String]) -> Option<Vec<Hash>> {
    path.iter().map(|h| Hash::from_hex(h)).collect()
}

impl SignedHead {
    /// The canonical bytes the signature covers.
    pub fn signed_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(&Unsigned {
            format: &self.format,
            head_hash: &self.head_hash,
            ledger_id: &self.ledger_id,
            public_key: &self.public_key,
            root_hash: &self.root_hash,
            size: self.size,
            time: self.time,
        })
        .unwrap_or_default()
    }

    /// Signs a head with the ledger's key (what [`crate::Ledger::signed_head`] does).
    pub(crate) fn sign(
        ledger_id: LedgerId,
        size: u64,
        head: Hash,
        root: Hash,
        time: Timestamp,
        key: &ed25519_dalek::SigningKey,
    ) -> Self {
        let mut h = Self {
            format: SIGNED_HEAD_FORMAT.to_owned(),
            head_hash: head.to_hex(),
            ledger_id,
            public_key: crate::signature::public_key_hex(key),
            root_hash: root.to_hex(),
            signature: String::new(),
            size: crate::error::signed(size),
            time,
        };
        h.signature = crate::signature::sign(key, &h.signed_bytes());
        h
    }

    /// The head as JSON (keys sorted): the form to keep or publish.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a head from its JSON. Refuses malformed JSON or unknown fields
    /// (`E_CHECKPOINT_FORMAT`).
    pub fn from_json(text: &str) -> Result<Self> {
        serde_json::from_str(text).map_err(|e| {
            malformed(&format!(
                "{} at line {} column {}",
                crate::error::json_problem(&e),
                e.line(),
                e.column()
            ))
        })
    }

    /// The root as a hash.
    pub(crate) fn root(&self) -> Result<Hash> {
        Hash::from_hex(&self.root_hash).ok_or_else(|| malformed("root_hash is not 64 hex digits"))
    }

    /// The last entry's hash.
    pub(crate) fn head(&self) -> Result<Hash> {
        Hash::from_hex(&self.head_hash).ok_or_else(|| malformed("head_hash is not 64 hex digits"))
    }

    /// The size as a count.
    pub(crate) fn count(&self) -> Result<u64> {
        u64::try_from(self.size)
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| malformed("size is not a positive count"))
    }

    /// Checks the head against the public key of the ledger the checker trusts: its own
    /// fields (`E_CHECKPOINT_FORMAT`), the key (`E_UNTRUSTED_ISSUER`) and the signature
    /// (`E_BAD_SIGNATURE`). Says nothing about any log: see
    /// [`crate::Ledger::verify_against`].
    pub fn check(&self, trusted_public_key: &str) -> Result<()> {
        if self.format != SIGNED_HEAD_FORMAT {
            return Err(malformed("format is not volunteer-ledger/signed-head@1"));
        }
        self.count()?;
        self.root()?;
        self.head()?;
        if !self.public_key.eq_ignore_ascii_case(trusted_public_key) {
            return Err(LedgerError::UntrustedIssuer {
                ledger: self.ledger_id.to_string(),
            });
        }
        crate::signature::check_signature(&self.public_key, &self.signed_bytes(), &self.signature)
    }

    /// Checks that the entry whose hash is `entry_hash` (hex) stands at `proof.index` among
    /// the entries this head covers (the head itself is checked with [`SignedHead::check`]).
    /// Refuses a malformed proof (`E_CHECKPOINT_FORMAT`) and one that does not lead to the
    /// signed root (`E_CHECKPOINT_MISMATCH`).
    pub fn check_inclusion(&self, entry_hash: &str, proof: &InclusionProof) -> Result<()> {
        let size = self.count()?;
        let root = self.root()?;
        let index = u64::try_from(proof.index)
            .ok()
            .filter(|&i| i < size)
            .ok_or_else(|| {
                mismatch(
                    self.size,
                    format!("entry {} lies outside the head", proof.index),
                )
            })?;
        let entry = Hash::from_hex(entry_hash)
            .ok_or_else(|| malformed("an entry hash is not 64 hex digits"))?;
        // A path is never longer than the tree is deep: no allocation sized by the input.
        if proof.path.len() > 64 {
            return Err(malformed(
                "an inclusion path is longer than any tree is deep",
            ));
        }
        let path =
            hashes(&proof.path).ok_or_else(|| malformed("a path hash is not 64 hex digits"))?;
        if !merkle::verify_inclusion(index, size, &entry, &path, &root) {
            return Err(mismatch(
                self.size,
                format!("entry {index}'s inclusion proof does not lead to the signed root"),
            ));
        }
        Ok(())
    }

    /// Checks that `later` extends this head: the same ledger, at least as many entries, and
    /// `proof` (hex, RFC 9162 §2.1.4) shows that its first `self.size` entries are this
    /// head's. Both heads' signatures are checked by the caller ([`SignedHead::check`]).
    /// Refuses with `E_CHECKPOINT_MISMATCH`.
    pub fn check_extended_by(&self, later: &SignedHead, proof: &[String]) -> Result<()> {
        let (m, n) = (self.count()?, later.count()?);
        if self.ledger_id != later.ledger_id {
            return Err(mismatch(
                later.size,
                "the heads belong to different ledgers",
            ));
        }
        if proof.len() > 130 {
            return Err(malformed(
                "a consistency proof is longer than any tree is deep",
            ));
        }
        let path = hashes(proof).ok_or_else(|| malformed("a proof hash is not 64 hex digits"))?;
        if !merkle::verify_consistency(m, n, &self.root()?, &later.root()?, &path) {
            return Err(mismatch(
                self.size,
                format!(
                    "the head of {n} entries does not extend the head of {m}: the log was rewritten"
                ),
            ));
        }
        Ok(())
    }
}

/// Signed heads a log is checked against while it is read from entry 0 on: each must be the
/// ledger's own, signed with a key its log registered, no longer than the log, and name the
/// root and last entry the log has at its size.
pub(crate) struct Anchors {
    /// (size, root, last entry) of each head, smallest first.
    want: Vec<(u64, Hash, Hash)>,
    at: usize,
    /// The tree of the entries read so far.
    pub(crate) tree: merkle::Frontier,
}

impl Anchors {
    /// Checks each head by itself (owner, key, signature, size against the log's `len`).
    pub(crate) fn new(
        heads: &[&SignedHead],
        ledger_id: &LedgerId,
        registered_keys: &[String],
        len: u64,
    ) -> Result<Self> {
        let mut want = Vec::with_capacity(heads.len());
        for h in heads {
            if h.ledger_id != *ledger_id {
                return Err(mismatch(h.size, "the head is another ledger's"));
            }
            if !registered_keys
                .iter()
                .any(|k| k.eq_ignore_ascii_case(&h.public_key))
            {
                return Err(LedgerError::UntrustedIssuer {
                    ledger: h.ledger_id.to_string(),
                });
            }
            h.check(&h.public_key)?;
            let n = h.count()?;
            if n > len {
                return Err(mismatch(
                    h.size,
                    format!(
                        "the log holds {len} entries, fewer than the head: entries were removed"
                    ),
                ));
            }
            want.push((n, h.root()?, h.head()?));
        }
        want.sort_unstable_by_key(|w| w.0);
        Ok(Self {
            want,
            at: 0,
            tree: merkle::Frontier::default(),
        })
    }

    /// Takes the next entry's hash; refuses when a head of this size names another root or
    /// another last entry.
    pub(crate) fn push(&mut self, entry: &Hash) -> Result<()> {
        self.tree.push(entry);
        while let Some(&(n, root, head)) = self.want.get(self.at) {
            if n != self.tree.size() {
                break;
            }
            if root != self.tree.root() || head != *entry {
                return Err(mismatch(
                    crate::error::signed(n),
                    "the entries up to it were rewritten (its root or last entry differs)",
                ));
            }
            self.at += 1;
        }
        Ok(())
    }
}
