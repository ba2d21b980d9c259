//! SHA-256 digests as the log, the Merkle tree, transfer packages and sealed identities spell
//! them: [`Hash`](struct@Hash), the digest of canonical bytes ([`hash_bytes`]) and the one hex spelling the
//! canonical forms accept (`unhex`). A layer under the log and everything that signs or
//! hashes.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// A SHA-256 digest.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Hash(pub [u8; 32]);

impl Hash {
    /// The all-zero hash that the first entry names as its predecessor.
    pub const ZERO: Self = Self([0; 32]);

    /// Lower-case hex, 64 characters.
    pub fn to_hex(&self) -> String {
        Self::hex_of(&self.0)
    }

    /// Lower-case hex of any bytes.
    pub fn hex_of(bytes: &[u8]) -> String {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let digit = |n: u8| DIGITS.get(usize::from(n & 15)).copied().unwrap_or(b'0');
        let mut s = Vec::with_capacity(2 * bytes.len());
        for b in bytes {
            s.extend_from_slice(&[digit(b >> 4), digit(*b)]);
        }
        String::from_utf8(s).unwrap_or_default()
    }

    /// Parses 64 hex characters.
    pub fn from_hex(s: &str) -> Option<Self> {
        unhex::<32>(s).map(Self)
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl fmt::Display for Hash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_hex())
    }
}

impl Serialize for Hash {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for Hash {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Self::from_hex(&s).ok_or_else(|| serde::de::Error::custom("expected 64 hex characters"))
    }
}

/// Bytes from exactly `2 * N` lower-case hex digits (the only spelling the canonical forms
/// use, so that no byte of a signed text can change without changing what it says).
pub(crate) fn unhex<const N: usize>(s: &str) -> Option<[u8; N]> {
    if s.len() != 2 * N {
        return None;
    }
    let mut out = [0u8; N];
    for (o, pair) in out.iter_mut().zip(s.as_bytes().chunks_exact(2)) {
        *o = hex_pair(pair)?;
    }
    Some(out)
}

/// The byte two lower-case hex digits spell.
pub(crate) fn hex_pair(pair: &[u8]) -> Option<u8> {
    let nibble = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    };
    match pair {
        [hi, lo] => Some(nibble(*hi)? << 4 | nibble(*lo)?),
        _ => None,
    }
}

/// The hash of canonical bytes.
pub fn hash_bytes(bytes: &[u8]) -> Hash {
    Hash(Sha256::digest(bytes).into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_what_is_not_lower_case_hex() {
        let bytes: Vec<u8> = (0..=255).collect();
        let hex = Hash::hex_of(&bytes);
        assert_eq!(hex.len(), 512);
        assert!(hex.starts_with("000102") && hex.ends_with("fdfeff"));
        for (i, pair) in hex.as_bytes().chunks_exact(2).enumerate() {
            assert_eq!(hex_pair(pair), Some(i as u8));
        }
        let h = hash_bytes(b"x");
        assert_eq!(Hash::from_hex(&h.to_hex()), Some(h));
        let upper = h.to_hex().to_uppercase();
        assert!(upper != h.to_hex() && Hash::from_hex(&upper).is_none());
        for bad in ["0g", "g0", " 1", "1", "", "0:", "/0", "`a"] {
            assert_eq!(hex_pair(bad.as_bytes()), None, "{bad:?}");
        }
        assert!(unhex::<2>("0102").is_some() && unhex::<2>("010").is_none());
    }
}
