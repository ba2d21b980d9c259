//! Service certificates (志愿服务证明): the certificate as the volunteer holds it, its
//! records, training and commendations, what checking its code shows, and checking and
//! rendering it without a ledger.

use crate::errors::check;
use crate::results::{DictValue, ToDict};
use crate::signed_heads::{InclusionProof, SignedHead};
use chrono::NaiveDate;
use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};
use volunteer_ledger as vl;

result_class!(
    /// One service record on a certificate.
    CertificateRecord as "CertificateRecord" {
        /// The record's id.
        record: String,
        /// The local date of the service.
        date: NaiveDate,
        /// The org where the service was done.
        org_name: String,
        /// Minutes of service.
        minutes: u32,
        /// What was done (服务内容).
        content: String,
        /// The hash (hex) of the log entry that recorded it.
        entry_hash: String,
        /// The proof that the entry is among those the certificate's `checkpoint` covers
        /// (None on a certificate issued before signed heads).
        proof: Option<InclusionProof>,
    }
);

result_class!(
    /// What checking a certificate's verification code shows: only what it must, masked.
    CertificateCheck as "CertificateCheck" {
        /// 'valid', or 'superseded' when a record on it was later amended or revoked.
        status: String,
        /// The certificate number.
        number: String,
        /// The volunteer number.
        volunteer: String,
        /// The name, masked.
        masked_name: String,
        /// resident_id, passport, hk_macau_permit or taiwan_permit.
        identity_kind: String,
        /// The identity number, masked.
        masked_identity: String,
        /// The first day covered.
        period_from: NaiveDate,
        /// The last day covered.
        period_to: NaiveDate,
        /// Total minutes on the certificate.
        total_minutes: u64,
        /// The issuing org's name.
        issuing_org_name: String,
        /// The issue date.
        issued_on: NaiveDate,
        /// The records that no longer stand as certified (amended or revoked).
        changed_records: Vec<String>,
    }
);

result_class!(
    /// A training on a certificate.
    CertificateTraining as "CertificateTraining" {
        /// Its title.
        title: String,
        /// The day.
        date: NaiveDate,
        /// Its length in minutes.
        minutes: i64,
        /// The org that gave it.
        org_name: String,
    }
);

result_class!(
    /// A commendation on a certificate.
    CertificateCommendation as "CertificateCommendation" {
        /// Its title.
        title: String,
        /// The day.
        date: NaiveDate,
        /// The org that gave it.
        org_name: String,
    }
);

/// A service certificate (志愿服务证明) as the volunteer holds it: full name and identity
/// number (as the certificate rules require), the counted records of the period, the issuer's
/// signature and the verification code. `to_json()` is its canonical form (the one the shared
/// vectors use); `Certificate.from_json(text)` reads it back, for checking offline with
/// `verify_certificate_offline`. Its repr names the certificate, not the person.
#[pyclass(frozen, eq, module = "volunteer_ledger", name = "Certificate")]
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Certificate {
    /// The certificate number (证明编号).
    #[pyo3(get)]
    number: String,
    /// The volunteer number.
    #[pyo3(get)]
    volunteer: String,
    /// The volunteer's full name.
    #[pyo3(get)]
    name: String,
    /// resident_id, passport, hk_macau_permit or taiwan_permit.
    #[pyo3(get)]
    identity_kind: String,
    /// The identity number, in full.
    #[pyo3(get)]
    identity_number: String,
    /// The first day covered.
    #[pyo3(get)]
    period_from: NaiveDate,
    /// The last day covered.
    #[pyo3(get)]
    period_to: NaiveDate,
    /// Total minutes of the records.
    #[pyo3(get)]
    total_minutes: u64,
    /// The counted records in the period.
    #[pyo3(get)]
    records: Vec<CertificateRecord>,
    /// With `with_training_and_commendations`: the training attended in the period.
    #[pyo3(get)]
    training: Vec<CertificateTraining>,
    /// With `with_training_and_commendations`: the commendations received in the period.
    #[pyo3(get)]
    commendations: Vec<CertificateCommendation>,
    /// The issuing org.
    #[pyo3(get)]
    issuing_org: String,
    /// The issuing org's name.
    #[pyo3(get)]
    issuing_org_name: String,
    /// Its responsible person (负责人).
    #[pyo3(get)]
    responsible_person: String,
    /// The handler (经办人).
    #[pyo3(get)]
    handler: String,
    /// The contact (联系方式).
    #[pyo3(get)]
    contact: String,
    /// Notes (备注).
    #[pyo3(get)]
    notes: String,
    /// The issue date.
    #[pyo3(get)]
    issued_on: NaiveDate,
    /// The issuing ledger.
    #[pyo3(get)]
    ledger_id: String,
    /// The issuing ledger's name.
    #[pyo3(get)]
    ledger_name: String,
    /// The issuer's Ed25519 public key (hex).
    #[pyo3(get)]
    public_key: String,
    /// The Ed25519 signature (hex) over the other fields.
    #[pyo3(get)]
    signature: String,
    /// The code anyone can check it by (验证码).
    #[pyo3(get)]
    verification_code: String,
    /// The issuer's signed head before the certificate's entry, which every record's `proof`
    /// is checked against (None on a certificate issued before signed heads).
    #[pyo3(get)]
    checkpoint: Option<SignedHead>,
    /// The core's certificate, as issued or read: what is verified and rendered.
    pub(crate) inner: vl::Certificate,
}

impl From<vl::Certificate> for Certificate {
    fn from(c: vl::Certificate) -> Self {
        Self {
            number: c.number.clone(),
            volunteer: c.volunteer.to_string(),
            name: c.name.clone(),
            identity_kind: c.identity_kind.as_str().to_owned(),
            identity_number: c.identity_number.clone(),
            period_from: c.period_from,
            period_to: c.period_to,
            total_minutes: c.total_minutes.unsigned_abs(),
            records: c
                .records
                .iter()
                .map(|r| CertificateRecord {
                    record: r.record.to_string(),
                    date: r.date,
                    org_name: r.org_name.clone(),
                    minutes: u32::try_from(r.minutes).unwrap_or(u32::MAX),
                    content: r.content.clone(),
                    entry_hash: r.entry_hash.clone(),
                    proof: r.proof.clone().map(Into::into),
                })
                .collect(),
            training: c
                .training
                .iter()
                .map(|t| CertificateTraining {
                    title: t.title.clone(),
                    date: t.date,
                    minutes: t.minutes,
                    org_name: t.org_name.clone(),
                })
                .collect(),
            commendations: c
                .commendations
                .iter()
                .map(|m| CertificateCommendation {
                    title: m.title.clone(),
                    date: m.date,
                    org_name: m.org_name.clone(),
                })
                .collect(),
            issuing_org: c.issuing_org.to_string(),
            issuing_org_name: c.issuing_org_name.clone(),
            responsible_person: c.responsible_person.clone(),
            handler: c.handler.clone(),
            contact: c.contact.clone(),
            notes: c.notes.clone(),
            issued_on: c.issued_on,
            ledger_id: c.ledger_id.to_string(),
            ledger_name: c.ledger_name.clone(),
            public_key: c.public_key.clone(),
            signature: c.signature.clone(),
            verification_code: c.verification_code.clone(),
            checkpoint: c.checkpoint.clone().map(Into::into),
            inner: c,
        }
    }
}

impl ToDict for Certificate {
    fn dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        macro_rules! put {
            ($($field:ident),*) => {$( d.set_item(stringify!($field), self.$field.dict_value(py)?)?; )*};
        }
        put!(
            number,
            volunteer,
            name,
            identity_kind,
            identity_number,
            period_from,
            period_to,
            total_minutes,
            records,
            training,
            commendations,
            issuing_org,
            issuing_org_name,
            responsible_person,
            handler,
            contact,
            notes,
            issued_on,
            ledger_id,
            ledger_name,
            public_key,
            signature,
            verification_code,
            checkpoint
        );
        Ok(d)
    }
}

#[pymethods]
impl Certificate {
    /// Reads a certificate from its JSON (as `to_json()` writes it). Raises IntegrityError
    /// (E_CERTIFICATE_FORMAT) for text that is not a certificate; whether it is genuine is for
    /// `verify_certificate_offline` or `Ledger.verify_certificate` to say.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        Ok(check(py, vl::Certificate::from_json(text))?.into())
    }

    /// The certificate as canonical JSON (keys sorted, no whitespace): the form the holder
    /// keeps and `from_json` reads.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The attributes as a plain dict; the records become dicts too.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.dict(py)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Certificate(number={}, volunteer={}, period_from={}, period_to={}, \
             total_minutes={}, issuing_org={}, verification_code={})",
            PyString::new(py, &self.number).repr()?,
            PyString::new(py, &self.volunteer).repr()?,
            self.period_from.into_bound_py_any(py)?.repr()?,
            self.period_to.into_bound_py_any(py)?.repr()?,
            self.total_minutes,
            PyString::new(py, &self.issuing_org).repr()?,
            PyString::new(py, &self.verification_code).repr()?,
        ))
    }
}

impl From<vl::CertificateCheck> for CertificateCheck {
    fn from(c: vl::CertificateCheck) -> Self {
        Self {
            status: c.status.as_str().to_owned(),
            number: c.number,
            volunteer: c.volunteer.to_string(),
            masked_name: c.masked_name,
            identity_kind: c.identity_kind.as_str().to_owned(),
            masked_identity: c.masked_identity,
            period_from: c.period_from,
            period_to: c.period_to,
            total_minutes: c.total_minutes.unsigned_abs(),
            issuing_org_name: c.issuing_org_name,
            issued_on: c.issued_on,
            changed_records: c.changed_records.iter().map(ToString::to_string).collect(),
        }
    }
}

/// Checks a certificate offline against the public key of an issuer the checker trusts.
/// Returns None if it is genuine; raises AuthorizationError (E_UNTRUSTED_ISSUER) for another
/// key and IntegrityError (E_BAD_SIGNATURE) for an altered certificate.
#[pyfunction]
pub(crate) fn verify_certificate_offline(
    py: Python<'_>,
    certificate: &Certificate,
    public_key: &str,
) -> PyResult<()> {
    check(
        py,
        vl::verify_certificate_offline(&certificate.inner, public_key),
    )
}

/// A certificate as plain text, in Chinese and English.
#[pyfunction]
pub(crate) fn certificate_text(certificate: &Certificate) -> String {
    vl::render::certificate_text(&certificate.inner)
}

/// A certificate as a self-contained HTML page, in Chinese and English; with `verify_url`,
/// the page carries that link and a QR code of it with the verification code.
#[pyfunction]
#[pyo3(signature = (certificate, verify_url = None))]
pub(crate) fn certificate_html(certificate: &Certificate, verify_url: Option<&str>) -> String {
    vl::render::certificate_html(&certificate.inner, verify_url)
}
