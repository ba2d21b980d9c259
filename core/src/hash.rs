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
        let mut s = String::with_capacity(2 * bytes.len());
        for &b in bytes {
            let [hi, lo] = HEX_PAIRS.get(usize::from(b)).copied().unwrap_or([b'0'; 2]);
            s.push(char::from(hi));
            s.push(char::from(lo));
        }
        s
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

/// Each byte's two lower-case hex digits.
#[allow(clippy::indexing_slicing)]
const HEX_PAIRS: [[u8; 2]; 256] = {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut t = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = [DIGITS[i >> 4], DIGITS[i & 15]];
        i += 1;
    }
    t
};

/// Each byte's value as a lower-case hex digit, or `NOT_HEX`. Built when the crate is
/// compiled: an index out of range would fail the build, not a run.
#[allow(clippy::indexing_slicing)]
const NIBBLES: [u8; 256] = {
    let mut t = [NOT_HEX; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};
const NOT_HEX: u8 = 0xff;

/// The byte two lower-case hex digits spell.
pub(crate) fn hex_pair(pair: &[u8]) -> Option<u8> {
    match pair {
        [hi, lo] => {
            let nibble = |b: u8| NIBBLES.get(usize::from(b)).copied().unwrap_or(NOT_HEX);
            let (hi, lo) = (nibble(*hi), nibble(*lo));
            (hi < 16 && lo < 16).then_some(hi << 4 | lo)
        }
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
        // Every pair of bytes: a value exactly for two lower-case hex digits.
        let digit = |b: u8| {
            char::from(b)
                .to_digit(16)
                .filter(|_| !b.is_ascii_uppercase())
        };
        for hi in 0..=255u8 {
            for lo in 0..=255u8 {
                let expected = digit(hi).zip(digit(lo)).map(|(h, l)| (h * 16 + l) as u8);
                assert_eq!(hex_pair(&[hi, lo]), expected, "{hi} {lo}");
            }
        }
    }
}
