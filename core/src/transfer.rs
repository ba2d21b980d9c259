//! Transfer packages (转移接续): a volunteer's counted history, signed by the issuing ledger's
//! Ed25519 key, so that another ledger can verify it and continue the count. The format is
//! written down in `docs/transfer-format.md`.

use crate::checkpoint::{InclusionProof, SignedHead};
pub(crate) use crate::error::json_problem;
use crate::error::{LedgerError, Result};
use crate::hash::{hash_bytes, unhex};
use crate::ids::{IdentityKind, LedgerId, OrgId, RecordId, VolunteerId};
use crate::rating::LevelReached;
pub(crate) use crate::signature::{check_signature, hex, sign};
pub use crate::signature::{parse_public_key, public_key_hex};
use crate::time::Timestamp;
use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};

/// The format this version writes: 2 carries the issuer's signed head and an inclusion
/// proof per own record. It still reads format 1 (no head, no proofs): packages issued
/// before, and those in its own log, which replay checks again.
pub const TRANSFER_FORMAT: &str = "volunteer-ledger/transfer@2";
/// The format before signed heads.
pub const TRANSFER_FORMAT_1: &str = "volunteer-ledger/transfer@1";
const FORMAT_PREFIX: &str = "volunteer-ledger/transfer@";

/// The ledger that issued a package or certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(frozen, get_all, eq, module = "volunteer_ledger", name = "Issuer")
)]
#[serde(deny_unknown_fields)]
pub struct Issuer {
    /// The issuing ledger's id.
    pub ledger_id: LedgerId,
    /// Its name.
    pub name: String,
    /// Its Ed25519 public key (64 hex digits).
    pub public_key: String,
}

/// One counted record carried by a package.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(
        frozen,
        get_all,
        eq,
        module = "volunteer_ledger",
        name = "TransferRecord"
    )
)]
#[serde(deny_unknown_fields)]
pub struct TransferRecord {
    /// What was done.
    pub content: String,
    /// When it ended.
    pub end: Timestamp,
    /// The hash of the log entry that recorded it in the ledger where it was served (hex).
    pub entry_hash: String,
    /// The ledger where it was served (for history carried from earlier transfers, not the
    /// package's issuer).
    pub ledger: LedgerId,
    /// Minutes of service.
    pub minutes: i64,
    /// The org where it was served.
    pub org: OrgId,
    /// That org's name.
    pub org_name: String,
    /// For the issuer's own records (format 2): the proof that `entry_hash` is among the
    /// entries the package's `checkpoint` covers. Absent for history carried from earlier
    /// transfers (its proof is against another ledger's head) and in format 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub proof: Option<InclusionProof>,
    /// The record's id in the ledger where it was served.
    pub record: RecordId,
    /// When it started.
    pub start: Timestamp,
}

impl TransferRecord {
    /// The minutes as the ledger counts them: a package's records are checked to hold 1 to
    /// `u32::MAX` minutes when it is opened, so this is exact for every carried record.
    pub(crate) fn counted_minutes(&self) -> u32 {
        u32::try_from(self.minutes).unwrap_or(0)
    }
}

/// Minutes in one calendar year (of the issuing ledger's local time).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(frozen, get_all, eq, module = "volunteer_ledger", name = "YearTotal")
)]
#[serde(deny_unknown_fields)]
pub struct YearTotal {
    /// Minutes.
    pub minutes: i64,
    /// The year.
    pub year: i32,
}

/// A volunteer's history as one ledger certifies it to another. Fields are in sorted order:
/// the signature covers the package's canonical JSON (keys sorted, no whitespace).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(
        frozen,
        get_all,
        eq,
        module = "volunteer_ledger",
        name = "TransferPackage"
    )
)]
#[serde(deny_unknown_fields)]
pub struct TransferPackage {
    /// The issuer's signed head when the package was made (format 2; absent in format 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub checkpoint: Option<SignedHead>,
    /// The ledger it is meant for, if the issuer named one.
    pub destination: Option<LedgerId>,
    /// `volunteer-ledger/transfer@2` (`@1`: packages made before checkpoints, still read).
    pub format: String,
    /// The identity kind.
    pub identity_kind: IdentityKind,
    /// When it was issued.
    pub issued_at: Timestamp,
    /// Who issued it.
    pub issuer: Issuer,
    /// The identity number, masked (first 6 + last 4).
    pub masked_identity: String,
    /// The name, masked.
    pub masked_name: String,
    /// Every counted record, local and carried from earlier transfers, oldest first.
    pub records: Vec<TransferRecord>,
    /// The star level under `star_profile`.
    pub star_level: i32,
    /// The star profile's name.
    pub star_profile: String,
    /// The date each level was reached.
    pub stars_reached: Vec<LevelReached>,
    /// Total minutes of `records`.
    pub total_minutes: i64,
    /// The volunteer number.
    pub volunteer: VolunteerId,
    /// Minutes per year of `records`.
    pub year_totals: Vec<YearTotal>,
}

/// A package and its signature, as it travels: canonical JSON
/// `{"package":{…},"signature":"<128 hex>"}`.
#[derive(Serialize)]
struct SignedRef<'a> {
    package: &'a TransferPackage,
    signature: &'a str,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Signed {
    package: TransferPackage,
    signature: String,
}

/// The canonical bytes of a package (what the signature covers).
pub fn package_bytes(p: &TransferPackage) -> Vec<u8> {
    serde_json::to_vec(p).unwrap_or_default()
}

/// Seals a package: its signed, canonical text.
pub fn seal_package(p: &TransferPackage, key: &SigningKey) -> String {
    let signature = sign(key, &package_bytes(p));
    let signed = SignedRef {
        package: p,
        signature: &signature,
    };
    String::from_utf8(serde_json::to_vec(&signed).unwrap_or_default()).unwrap_or_default()
}

/// The hash of a package's text (hex): how a ledger recognises a package it imported before.
pub fn package_hash(text: &str) -> String {
    hash_bytes(text.as_bytes()).to_hex()
}

/// Opens a package's text: refuses anything that is not exactly the canonical form
/// (`E_TRANSFER_FORMAT`: any altered byte), a future or unknown format (`E_TRANSFER_VERSION`),
/// a package inconsistent with itself (`E_TRANSFER_FORMAT`), an issuer whose public key is not
/// in `trusted` (`E_UNTRUSTED_ISSUER`) and a bad signature (`E_BAD_SIGNATURE`).
///
/// `trusted` lists (ledger id, public key hex) pairs.
pub fn open_package(text: &str, trusted: &[(LedgerId, String)]) -> Result<TransferPackage> {
    let altered = |detail: &str| LedgerError::TransferFormat {
        detail: detail.to_owned(),
    };
    // The version first, so that a future format gets its own answer.
    let value: serde_json::Value = serde_json::from_str(text).map_err(|_| altered("not JSON"))?;
    let format = value
        .get("package")
        .and_then(|p| p.get("format"))
        .and_then(|f| f.as_str());
    match format {
        Some(TRANSFER_FORMAT | TRANSFER_FORMAT_1) => {}
        Some(f) if f.starts_with(FORMAT_PREFIX) => {
            return Err(LedgerError::TransferVersion {
                found: f.chars().take(60).collect(),
            });
        }
        _ => return Err(altered("no volunteer-ledger transfer format")),
    }
    let signed: Signed =
        // The reason, never the content: a package holds personal data.
        serde_json::from_value(value).map_err(|e| altered(&format!("malformed ({})", json_problem(&e))))?;
    let canonical = serde_json::to_vec(&SignedRef {
        package: &signed.package,
        signature: &signed.signature,
    })
    .unwrap_or_default();
    if canonical != text.as_bytes() {
        return Err(altered("not in canonical form (altered?)"));
    }
    let p = signed.package;
    let sum = p
        .records
        .iter()
        .try_fold(0u64, |a, r| a.checked_add(u64::try_from(r.minutes).ok()?));
    // Signed fields (for the bindings' Java callers): a negative one does not add up either.
    if sum != u64::try_from(p.total_minutes).ok() {
        return Err(altered("total_minutes is not the sum of the records"));
    }
    let years = p
        .year_totals
        .iter()
        .try_fold(0u64, |a, y| a.checked_add(u64::try_from(y.minutes).ok()?));
    if years != u64::try_from(p.total_minutes).ok() {
        return Err(altered("year_totals do not add up to total_minutes"));
    }
    if p.records
        .iter()
        .any(|r| unhex::<32>(&r.entry_hash).is_none() || r.end <= r.start)
    {
        return Err(altered("a record has a malformed entry hash or times"));
    }
    // Minutes are signed for the bindings' Java callers; a record's must still fit the u32
    // the ledger counts carried minutes in, and be more than zero.
    if p.records
        .iter()
        .any(|r| r.minutes <= 0 || u32::try_from(r.minutes).is_err())
    {
        return Err(altered("a record's minutes are out of range"));
    }
    // As for every record: no more minutes than the time between its start and end.
    if p.records
        .iter()
        .any(|r| r.minutes > (r.end.0 - r.start.0) / 60)
    {
        return Err(altered(
            "a record has more minutes than its start and end allow",
        ));
    }
    let is_trusted = trusted.iter().any(|(id, key)| {
        *id == p.issuer.ledger_id && key.eq_ignore_ascii_case(&p.issuer.public_key)
    });
    if !is_trusted {
        return Err(LedgerError::UntrustedIssuer {
            ledger: p.issuer.ledger_id.to_string(),
        });
    }
    if p.format == TRANSFER_FORMAT_1 {
        if p.checkpoint.is_some() || p.records.iter().any(|r| r.proof.is_some()) {
            return Err(altered(
                "a format-1 package carries no checkpoint or proofs",
            ));
        }
    } else {
        let own = |r: &TransferRecord| r.ledger == p.issuer.ledger_id;
        match &p.checkpoint {
            Some(h) if h.ledger_id == p.issuer.ledger_id => {}
            _ => {
                return Err(altered(
                    "the issuer's checkpoint is missing or another ledger's",
                ));
            }
        }
        if p.records.iter().any(|r| own(r) != r.proof.is_some()) {
            return Err(altered(
                "an own record lacks its inclusion proof, or a carried one has one",
            ));
        }
    }
    check_signature(&p.issuer.public_key, &package_bytes(&p), &signed.signature)?;
    if let Some(h) = &p.checkpoint {
        h.check(&p.issuer.public_key)?;
        for r in &p.records {
            if let Some(proof) = &r.proof {
                h.check_inclusion(&r.entry_hash, proof)?;
            }
        }
    }
    Ok(p)
}
