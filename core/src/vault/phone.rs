//! A volunteer's phone number: personal data kept like the identity number — its mask, and
//! its ciphertext under the volunteer's data key — never in clear at rest or in messages
//! (`docs/identity.md`, "Corrections").

use super::{Ciphertext, KEY_LEN, NONCE_LEN, Vault, aad, open_bytes, seal_bytes, unhex_vec};
use crate::error::{LedgerError, Result, invalid_field};
use crate::hash::Hash;
use serde::{Deserialize, Serialize};

/// The most digits a phone number holds (ITU E.164: 15).
const MAX_DIGITS: usize = 15;
/// The fewest (a short local number).
const MIN_DIGITS: usize = 5;

/// A phone number as an entry holds it: its mask and, except on a device ledger that keeps
/// masks only, its ciphertext under the volunteer's data key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedPhone {
    /// The number masked (first 3 + last 4 digits for 8 digits or more, the last 2 otherwise).
    pub mask: String,
    /// The normalised number under XChaCha20-Poly1305 with the volunteer's data key (associated
    /// data `ledger ‖ 0x00 ‖ volunteer ‖ 0x00 ‖ "phone"`); `None` on a device ledger.
    pub sealed: Option<Ciphertext>,
}

impl SealedPhone {
    /// Whether it has a sealed phone's shape: a mask of digits and `*`, hex ciphertext.
    pub(crate) fn well_formed(&self) -> bool {
        let n = self.mask.chars().count();
        let mask_ok = (MIN_DIGITS..=MAX_DIGITS).contains(&n)
            && self.mask.chars().all(|c| c.is_ascii_digit() || c == '*');
        let sealed_ok = self.sealed.as_ref().is_none_or(|c| {
            c.nonce.len() == 2 * NONCE_LEN
                && unhex_vec(&c.nonce).is_some()
                && unhex_vec(&c.ciphertext).is_some()
        });
        mask_ok && sealed_ok
    }
}

/// A phone number as written (spaces, `-`, `(`, `)` and a leading `+` allowed) reduced to its
/// digits, 5 to 15 of them. The refusal never quotes the number.
pub(crate) fn normalise_phone(what: &str, written: &str) -> Result<String> {
    if written.len() > 64 {
        return Err(invalid_field(what, "phone", "is longer than 64 characters"));
    }
    let trimmed = written.trim();
    let body = trimmed.strip_prefix('+').unwrap_or(trimmed);
    let mut digits = String::with_capacity(body.len());
    for c in body.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '(' | ')' => {}
            _ => {
                return Err(invalid_field(
                    what,
                    "phone",
                    "holds a character other than digits, spaces, '-', '(', ')' and a leading '+'",
                ));
            }
        }
    }
    if !(MIN_DIGITS..=MAX_DIGITS).contains(&digits.len()) {
        return Err(invalid_field(what, "phone", "does not hold 5 to 15 digits"));
    }
    Ok(digits)
}

/// A normalised phone number masked: first 3 and last 4 digits kept when it has 8 or more,
/// only the last 2 otherwise.
pub(crate) fn mask_phone(digits: &str) -> String {
    let n = digits.len();
    let (head, tail) = if n >= 8 { (3, 4) } else { (0, 2) };
    digits
        .char_indices()
        .map(|(i, c)| {
            if i < head || i >= n.saturating_sub(tail) {
                c
            } else {
                '*'
            }
        })
        .collect()
}

fn phone_aad(ledger: &str, volunteer: &str) -> Vec<u8> {
    aad(&[ledger.as_bytes(), volunteer.as_bytes(), b"phone"])
}

impl Vault {
    /// Seals a normalised phone number under a data key (a device without one keeps the mask
    /// only), its nonce drawn for `round`.
    pub(crate) fn seal_phone(
        &self,
        ledger: &str,
        volunteer: &str,
        digits: &str,
        data_key: Option<&[u8; KEY_LEN]>,
        round: &str,
    ) -> Result<SealedPhone> {
        let mask = mask_phone(digits);
        let Some(key) = data_key else {
            return Ok(SealedPhone { mask, sealed: None });
        };
        let nonce = self.draw::<NONCE_LEN>(volunteer, "phone nonce", round)?;
        let ct = seal_bytes(
            key,
            &nonce,
            digits.as_bytes(),
            &phone_aad(ledger, volunteer),
        )?;
        Ok(SealedPhone {
            mask,
            sealed: Some(Ciphertext {
                ciphertext: Hash::hex_of(&ct),
                nonce: Hash::hex_of(&nonce),
            }),
        })
    }

    /// A sealed phone opened with the volunteer's data key (`E_KEY_UNAVAILABLE` when it does
    /// not open).
    pub(crate) fn open_phone(
        ledger: &str,
        volunteer: &str,
        phone: &SealedPhone,
        data_key: &[u8; KEY_LEN],
    ) -> Result<String> {
        let missing = || LedgerError::KeyUnavailable {
            what: "data key of the volunteer's phone".into(),
        };
        let c = phone.sealed.as_ref().ok_or_else(missing)?;
        let bytes = open_bytes(
            data_key,
            &unhex_vec(&c.nonce).ok_or_else(missing)?,
            &unhex_vec(&c.ciphertext).ok_or_else(missing)?,
            &phone_aad(ledger, volunteer),
        )
        .ok_or_else(missing)?;
        String::from_utf8(bytes).map_err(|_| missing())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_are_normalised_masked_and_never_quoted() {
        assert_eq!(
            normalise_phone("v", "+86 138-0013-8000").unwrap(),
            "8613800138000"
        );
        assert_eq!(mask_phone("13800138000"), "138****8000");
        assert_eq!(mask_phone("123456"), "****56");
        for bad in ["1380013800x", "12", "1234567890123456"] {
            let e = normalise_phone("v", bad).unwrap_err();
            assert_eq!(e.code(), "E_FIELD");
            assert!(!e.to_string().contains(bad));
        }
    }

    #[test]
    fn a_sealed_phone_opens_only_for_its_volunteer() {
        let v = Vault::default();
        let key = [9u8; KEY_LEN];
        let p = v
            .seal_phone("L", "V1", "13800138000", Some(&key), "")
            .unwrap();
        assert!(p.well_formed() && p.mask == "138****8000");
        assert!(!format!("{p:?}").contains("13800138000"));
        assert_eq!(
            Vault::open_phone("L", "V1", &p, &key).unwrap(),
            "13800138000"
        );
        assert!(Vault::open_phone("L", "V2", &p, &key).is_err());
        let device = v.seal_phone("L", "V1", "13800138000", None, "").unwrap();
        assert_eq!(device.sealed, None);
    }
}
