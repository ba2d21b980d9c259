//! What a certificate template sees: every value of the certificate as text made safe to print
//! (control and bidirectional characters gone), the records split into pages, the QR code's
//! content. The names are the template variables that docs/certificate.md lists.

use super::clean::{clean_block, clean_line};
use super::pages::{foot_height, paginate, row_height};
use super::qr::{certificate_digest, certificate_qr_payload};
use super::wording::{
    TITLE_EN, TITLE_ZH, date_zh, hours, identity_kind_names, ledger_label, statement,
};
use crate::certificate::Certificate;
use serde::Serialize;

/// The values a certificate template is rendered with.
#[derive(Debug, Serialize)]
pub(super) struct CertificateView {
    pub title_zh: &'static str,
    pub title_en: &'static str,
    pub number: String,
    pub name: String,
    pub identity_kind: String,
    pub identity_kind_zh: &'static str,
    pub identity_kind_en: &'static str,
    pub identity_number: String,
    pub identity_number_masked: String,
    pub volunteer_number: String,
    pub period_from: String,
    pub period_to: String,
    pub period_from_zh: String,
    pub period_to_zh: String,
    pub total_minutes: i64,
    pub total_hours: String,
    pub record_count: usize,
    pub statement_zh: String,
    pub statement_en: String,
    pub records: Vec<RecordView>,
    pub pages: Vec<PageView>,
    pub page_count: usize,
    pub training: Vec<TrainingView>,
    pub commendations: Vec<CommendationView>,
    pub issuing_org_name: String,
    pub responsible_person: String,
    pub handler: String,
    pub contact: String,
    pub issued_on: String,
    pub issued_on_zh: String,
    pub ledger_name: String,
    pub ledger_id: String,
    pub ledger_label: String,
    pub notes: String,
    pub verification_code: String,
    pub verify_url: Option<String>,
    pub qr_payload: String,
    pub qr_is_url: bool,
    pub digest: String,
    pub public_key: String,
}

/// One record as a template row.
#[derive(Debug, Clone, Serialize)]
pub(super) struct RecordView {
    pub index: usize,
    pub record: String,
    pub date: String,
    pub org_name: String,
    pub content: String,
    pub minutes: i64,
    pub hours: String,
}

/// One A4 page: its number, whether it is the first or the last, and its records.
#[derive(Debug, Serialize)]
pub(super) struct PageView {
    pub number: usize,
    pub first: bool,
    pub last: bool,
    pub records: Vec<RecordView>,
}

/// A training session as a template row.
#[derive(Debug, Serialize)]
pub(super) struct TrainingView {
    pub date: String,
    pub title: String,
    pub org_name: String,
    pub hours: String,
}

/// A commendation as a template row.
#[derive(Debug, Serialize)]
pub(super) struct CommendationView {
    pub date: String,
    pub title: String,
    pub org_name: String,
}

impl CertificateView {
    /// The view of a certificate, its QR code holding what
    /// [`certificate_qr_payload`](super::certificate_qr_payload) makes of `verify_url`.
    pub(super) fn new(c: &Certificate, verify_url: Option<&str>) -> Self {
        let total_hours = hours(c.total_minutes.unsigned_abs());
        let (statement_zh, statement_en) = statement(c, &total_hours);
        let (identity_kind_zh, identity_kind_en) = identity_kind_names(c.identity_kind);
        let records: Vec<RecordView> = c
            .records
            .iter()
            .enumerate()
            .map(|(i, r)| RecordView {
                index: i + 1,
                record: clean_line(r.record.as_str()),
                date: r.date.to_string(),
                org_name: clean_line(&r.org_name),
                content: clean_line(&r.content),
                minutes: r.minutes,
                hours: hours(r.minutes.unsigned_abs()),
            })
            .collect();
        let notes = clean_block(&c.notes).trim().to_string();
        let heights: Vec<u32> = records
            .iter()
            .map(|r| row_height(&r.org_name, &r.content))
            .collect();
        let extra = c.training.len() + c.commendations.len();
        let extra = extra + if extra > 0 { 2 } else { 0 };
        let foot = foot_height(notes.lines(), extra);
        let split = paginate(&heights, foot);
        let page_count = split.len();
        let pages = split
            .into_iter()
            .enumerate()
            .map(|(n, rows)| PageView {
                number: n + 1,
                first: n == 0,
                last: n + 1 == page_count,
                records: rows
                    .into_iter()
                    .filter_map(|i| records.get(i).cloned())
                    .collect(),
            })
            .collect();
        let url = verify_url
            .map(|u| clean_line(u.trim()))
            .filter(|u| !u.is_empty());
        let qr_payload = certificate_qr_payload(c, url.as_deref());
        Self {
            title_zh: TITLE_ZH,
            title_en: TITLE_EN,
            number: clean_line(&c.number),
            name: clean_line(&c.name),
            identity_kind: c.identity_kind.to_string(),
            identity_kind_zh,
            identity_kind_en,
            identity_number: clean_line(&c.identity_number),
            identity_number_masked: crate::ids::mask_identity(&clean_line(&c.identity_number)),
            volunteer_number: clean_line(c.volunteer.as_str()),
            period_from: c.period_from.to_string(),
            period_to: c.period_to.to_string(),
            period_from_zh: date_zh(c.period_from),
            period_to_zh: date_zh(c.period_to),
            total_minutes: c.total_minutes,
            total_hours,
            record_count: records.len(),
            statement_zh,
            statement_en,
            records,
            pages,
            page_count,
            training: c
                .training
                .iter()
                .map(|t| TrainingView {
                    date: t.date.to_string(),
                    title: clean_line(&t.title),
                    org_name: clean_line(&t.org_name),
                    hours: hours(t.minutes.unsigned_abs()),
                })
                .collect(),
            commendations: c
                .commendations
                .iter()
                .map(|x| CommendationView {
                    date: x.date.to_string(),
                    title: clean_line(&x.title),
                    org_name: clean_line(&x.org_name),
                })
                .collect(),
            issuing_org_name: clean_line(&c.issuing_org_name),
            responsible_person: clean_line(&c.responsible_person),
            handler: clean_line(&c.handler),
            contact: clean_line(&c.contact),
            issued_on: c.issued_on.to_string(),
            issued_on_zh: date_zh(c.issued_on),
            ledger_name: clean_line(&c.ledger_name),
            ledger_id: clean_line(c.ledger_id.as_str()),
            ledger_label: ledger_label(c),
            notes,
            verification_code: clean_line(&c.verification_code),
            qr_is_url: url.is_some(),
            verify_url: url,
            qr_payload,
            digest: certificate_digest(c),
            public_key: clean_line(&c.public_key),
        }
    }
}
