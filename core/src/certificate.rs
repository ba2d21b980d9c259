//! Service record certificates (志愿服务记录证明): what a certificate says, and the answer a
//! verification gives. Issuing and verifying live on the [`crate::Ledger`]; rendering (the
//! printed page, its QR code) in [`crate::render`].

use crate::checkpoint::{InclusionProof, SignedHead};
use crate::ids::{IdentityKind, LedgerId, OrgId, RecordId, VolunteerId};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One service record on a certificate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(
        frozen,
        get_all,
        eq,
        module = "volunteer_ledger",
        name = "CertificateRecord"
    )
)]
#[serde(deny_unknown_fields)]
pub struct CertificateRecord {
    /// The record's content (服务内容).
    pub content: String,
    /// The local date of the service.
    pub date: NaiveDate,
    /// The hash of the log entry that recorded it (hex).
    pub entry_hash: String,
    /// Minutes of service.
    pub minutes: i64,
    /// The org where the service was done.
    pub org_name: String,
    /// The proof that the entry is among those the certificate's `checkpoint` covers (absent
    /// from certificates issued before checkpoints existed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub proof: Option<InclusionProof>,
    /// The record's id.
    pub record: RecordId,
}

/// A training session on a certificate (when the certificate is asked to show training).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(
        frozen,
        get_all,
        eq,
        module = "volunteer_ledger",
        name = "CertificateTraining"
    )
)]
#[serde(deny_unknown_fields)]
pub struct CertificateTraining {
    /// The local date.
    pub date: NaiveDate,
    /// Its length in minutes.
    pub minutes: i64,
    /// The org that ran it.
    pub org_name: String,
    /// What it was.
    pub title: String,
}

/// A commendation on a certificate (when the certificate is asked to show commendations).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(
        frozen,
        get_all,
        eq,
        module = "volunteer_ledger",
        name = "CertificateCommendation"
    )
)]
#[serde(deny_unknown_fields)]
pub struct CertificateCommendation {
    /// The local date.
    pub date: NaiveDate,
    /// The awarding org.
    pub org_name: String,
    /// What it was.
    pub title: String,
}

/// A service certificate as the volunteer holds it. It carries the full name and identity
/// number, as the 2015 certificate rules require; every verification answer is masked.
/// Fields are in sorted order: the signature covers the canonical JSON of every field but
/// `signature` (keys sorted, as in the log).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(frozen, get_all, eq, module = "volunteer_ledger", name = "Certificate")
)]
#[serde(deny_unknown_fields)]
pub struct Certificate {
    /// The issuing ledger's signed head just before the certificate was issued: every
    /// record's entry is proven to be among its entries, so whoever keeps the certificate can
    /// show later that the ledger's history was rewritten (absent from certificates issued
    /// before checkpoints existed, which still verify as before).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub checkpoint: Option<SignedHead>,
    /// Commendations received in the period, when asked for (absent from the JSON when none,
    /// so that certificates without them read and sign as before).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub commendations: Vec<CertificateCommendation>,
    /// The issuing contact (联系方式).
    pub contact: String,
    /// The handler (经办人).
    pub handler: String,
    /// The identity kind.
    pub identity_kind: IdentityKind,
    /// The identity number, in full.
    pub identity_number: String,
    /// The issue date.
    pub issued_on: NaiveDate,
    /// The issuing org.
    pub issuing_org: OrgId,
    /// The issuing org's name.
    pub issuing_org_name: String,
    /// The issuing ledger.
    pub ledger_id: LedgerId,
    /// The issuing ledger's name.
    pub ledger_name: String,
    /// The volunteer's full name.
    pub name: String,
    /// Notes (备注).
    pub notes: String,
    /// The certificate number (证明编号).
    pub number: String,
    /// The first day covered.
    pub period_from: NaiveDate,
    /// The last day covered.
    pub period_to: NaiveDate,
    /// The issuer's Ed25519 public key (hex), for offline verification.
    pub public_key: String,
    /// The counted records in the period.
    pub records: Vec<CertificateRecord>,
    /// The org's responsible person (负责人).
    pub responsible_person: String,
    /// Ed25519 signature (hex) over the canonical JSON of all other fields.
    pub signature: String,
    /// Total minutes of the records.
    pub total_minutes: i64,
    /// Training attended in the period, when asked for (absent from the JSON when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub training: Vec<CertificateTraining>,
    /// The code anyone can check the certificate by (验证码).
    pub verification_code: String,
    /// The volunteer number.
    pub volunteer: VolunteerId,
}

impl Certificate {
    /// The certificate as JSON (keys sorted): the form a holder keeps to have it checked
    /// offline with [`crate::verify_certificate_offline`].
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads a certificate from its JSON. Refuses malformed JSON or unknown fields with
    /// `E_CERTIFICATE_FORMAT`; the message names the line and column, never the content.
    pub fn from_json(text: &str) -> crate::Result<Self> {
        serde_json::from_str(text).map_err(|e| crate::LedgerError::CertificateFormat {
            detail: format!(
                "{} at line {} column {}",
                crate::transfer::json_problem(&e),
                e.line(),
                e.column()
            ),
        })
    }
}

crate::error::named_enum!(CertificateStatus, "certificate status", {
    Valid => "valid",
    Superseded => "superseded",
});

/// How a certificate checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum CertificateStatus {
    /// Issued by this ledger, and every record on it still stands as it was.
    Valid,
    /// Issued by this ledger, but a record on it was later amended or revoked, or the
    /// volunteer's name or identity number it shows was later corrected.
    Superseded,
}

/// What a verification shows: only what it must, masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(
        frozen,
        get_all,
        eq,
        module = "volunteer_ledger",
        name = "CertificateCheck"
    )
)]
pub struct CertificateCheck {
    /// The status.
    pub status: CertificateStatus,
    /// The certificate number.
    pub number: String,
    /// The volunteer number.
    pub volunteer: VolunteerId,
    /// The name, masked.
    pub masked_name: String,
    /// The identity kind.
    pub identity_kind: IdentityKind,
    /// The identity number, masked.
    pub masked_identity: String,
    /// The first day covered.
    pub period_from: NaiveDate,
    /// The last day covered.
    pub period_to: NaiveDate,
    /// Total minutes on the certificate.
    pub total_minutes: i64,
    /// The issuing org's name.
    pub issuing_org_name: String,
    /// The issue date.
    pub issued_on: NaiveDate,
    /// The records that no longer stand as certified (amended or revoked), if superseded.
    pub changed_records: Vec<RecordId>,
    /// What the certificate shows of the volunteer that was corrected after it was issued
    /// (`name`, `identity_number`), if superseded.
    pub corrected: Vec<String>,
}
