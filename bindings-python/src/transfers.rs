//! Transfers (转移接续): a volunteer's history as one ledger certifies it to another — the
//! issuer, the package and its records, what importing it did — and opening a package
//! without a ledger.

use crate::boards::LevelReached;
use crate::errors::check;
use crate::signed_heads::{InclusionProof, SignedHead};
use chrono::{DateTime, FixedOffset, Offset, Utc};
use pyo3::prelude::*;
use volunteer_ledger as vl;

result_class!(
    /// A ledger as the issuer of transfer packages and certificates.
    Issuer as "Issuer" {
        /// The ledger id.
        ledger_id: String,
        /// The ledger's name.
        name: String,
        /// Its Ed25519 public key (64 hex digits).
        public_key: String,
    }
);

result_class!(
    /// One counted record carried by a transfer package.
    TransferRecord as "TransferRecord" {
        /// The ledger where it was served.
        ledger: String,
        /// The record's id in that ledger.
        record: String,
        /// The org where it was served.
        org: String,
        /// That org's name.
        org_name: String,
        /// When it started (UTC).
        start: DateTime<FixedOffset>,
        /// When it ended (UTC).
        end: DateTime<FixedOffset>,
        /// Minutes of service.
        minutes: u32,
        /// What was done.
        content: String,
        /// The hash (hex) of the log entry that recorded it where it was served.
        entry_hash: String,
        /// The proof that the entry is among those the package's `checkpoint` covers (None
        /// in a package made before signed heads).
        proof: Option<InclusionProof>,
    }
);

result_class!(
    /// Minutes in one calendar year (the issuing ledger's local time).
    YearTotal as "YearTotal" {
        /// The year.
        year: i32,
        /// Minutes.
        minutes: u64,
    }
);

result_class!(
    /// A transfer package, opened: a volunteer's history as one ledger certifies it to another.
    TransferPackage as "TransferPackage" {
        /// The format, 'volunteer-ledger/transfer@2' ('@1' for packages made before signed heads).
        format: String,
        /// Who issued it.
        issuer: Issuer,
        /// The ledger it is meant for, if the issuer named one.
        destination: Option<String>,
        /// When it was issued (UTC).
        issued_at: DateTime<FixedOffset>,
        /// The volunteer number.
        volunteer: String,
        /// The name, masked.
        masked_name: String,
        /// resident_id, passport, hk_macau_permit or taiwan_permit.
        identity_kind: String,
        /// The identity number, masked.
        masked_identity: String,
        /// Total minutes of `records`.
        total_minutes: u64,
        /// Minutes per year of `records`.
        year_totals: Vec<YearTotal>,
        /// The star profile's name.
        star_profile: String,
        /// The star level under `star_profile`.
        star_level: u8,
        /// When each level was reached.
        stars_reached: Vec<LevelReached>,
        /// Every counted record, oldest first.
        records: Vec<TransferRecord>,
        /// The issuer's signed head when it issued the package (None for '@1' packages).
        checkpoint: Option<SignedHead>,
    }
);

result_class!(
    /// What importing a transfer package did.
    TransferReceipt as "TransferReceipt" {
        /// The volunteer number.
        volunteer: String,
        /// The package's hash (hex).
        package_hash: String,
        /// Records carried in (those not here already).
        records_added: u32,
        /// Their minutes.
        minutes_added: u64,
        /// Carried records set aside because their time overlaps service the volunteer
        /// already has here (`record@ledger`): never counted twice.
        overlapping: Vec<String>,
        /// Their minutes.
        minutes_overlapping: u64,
        /// The log entry that imported it (for a duplicate: the head).
        seq: u64,
        /// The package had been imported before: nothing changed.
        duplicate: bool,
    }
);

impl From<vl::Issuer> for Issuer {
    fn from(i: vl::Issuer) -> Self {
        Self {
            ledger_id: i.ledger_id.to_string(),
            name: i.name,
            public_key: i.public_key,
        }
    }
}

impl From<vl::TransferPackage> for TransferPackage {
    /// Times in UTC: a package read outside a ledger has no local offset.
    fn from(p: vl::TransferPackage) -> Self {
        let utc = Utc.fix();
        Self {
            format: p.format,
            issuer: p.issuer.into(),
            destination: p.destination.map(|d| d.to_string()),
            issued_at: p.issued_at.to_datetime(utc),
            volunteer: p.volunteer.to_string(),
            masked_name: p.masked_name,
            identity_kind: p.identity_kind.as_str().to_owned(),
            masked_identity: p.masked_identity,
            total_minutes: p.total_minutes.unsigned_abs(),
            year_totals: p
                .year_totals
                .into_iter()
                .map(|y| YearTotal {
                    year: y.year,
                    minutes: y.minutes.unsigned_abs(),
                })
                .collect(),
            star_profile: p.star_profile,
            star_level: u8::try_from(p.star_level).unwrap_or(u8::MAX),
            stars_reached: p
                .stars_reached
                .into_iter()
                .map(|r| LevelReached {
                    level: u8::try_from(r.level).unwrap_or(u8::MAX),
                    date: r.date,
                })
                .collect(),
            records: p
                .records
                .into_iter()
                .map(|r| TransferRecord {
                    ledger: r.ledger.to_string(),
                    record: r.record.to_string(),
                    org: r.org.to_string(),
                    org_name: r.org_name,
                    start: r.start.to_datetime(utc),
                    end: r.end.to_datetime(utc),
                    minutes: u32::try_from(r.minutes).unwrap_or(u32::MAX),
                    content: r.content,
                    entry_hash: r.entry_hash,
                    proof: r.proof.map(Into::into),
                })
                .collect(),
            checkpoint: p.checkpoint.map(Into::into),
        }
    }
}

impl From<vl::TransferReceipt> for TransferReceipt {
    fn from(r: vl::TransferReceipt) -> Self {
        Self {
            volunteer: r.volunteer.to_string(),
            package_hash: r.package_hash,
            records_added: r.records_added.unsigned_abs(),
            minutes_added: r.minutes_added.unsigned_abs(),
            overlapping: r.overlapping,
            minutes_overlapping: r.minutes_overlapping.unsigned_abs(),
            seq: r.seq.unsigned_abs(),
            duplicate: r.duplicate,
        }
    }
}

nested_dict_value!(Issuer);

/// Opens a transfer package's text without importing it: refuses anything altered
/// (E_TRANSFER_FORMAT, E_BAD_SIGNATURE), an unknown format version (E_TRANSFER_VERSION) and an
/// issuer not in `trusted` (E_UNTRUSTED_ISSUER), a list of (ledger id, public key) pairs.
/// Times in the result are in UTC.
#[pyfunction]
pub(crate) fn open_package(
    py: Python<'_>,
    text: String,
    trusted: Vec<(String, String)>,
) -> PyResult<TransferPackage> {
    let opened = py.detach(move || {
        let trusted = trusted
            .into_iter()
            .map(|(id, key)| Ok((id.parse()?, key)))
            .collect::<vl::Result<Vec<(vl::LedgerId, String)>>>()?;
        vl::open_package(&text, &trusted)
    });
    check(py, opened).map(TransferPackage::from)
}

/// The hash (hex) of a transfer package's text: how a ledger recognises a package it
/// imported before.
#[pyfunction]
pub(crate) fn package_hash(text: &str) -> String {
    vl::package_hash(text)
}
