//! Rendering certificates (志愿服务记录证明) as plain text and as a printable A4 HTML page with
//! a QR code (SVG), from a template a district can replace.
//!
//! Both forms carry the same content, in the order of the certificate rules (the 2015 guidance
//! and the 2020 《志愿服务记录与证明出具办法（试行）》): number, the volunteer's full name and
//! identity (in full: this is the certificate the volunteer holds), volunteer number, the
//! period, each record's date, org, content and hours, the total, the issuing org with its
//! contact, the issue date, notes (备注), the signature lines of the responsible person (负责人)
//! and the handler (经办人), the seal area (盖章) and the verification code (验证码).
//!
//! Hours are minutes / 60 shown with one decimal, rounded *down*, so that a certificate never
//! shows more service than was recorded (119 minutes is 1.9 hours, not 2.0). The total is taken
//! from [`Certificate::total_minutes`], the signed figure, and is shown in minutes as well.
//!
//! Every string on a certificate came from someone's input. The HTML escapes all of it; both
//! forms replace control characters and bidirectional-override characters, so that a content
//! or a note cannot break a line into a forged field or reorder what is printed around it.
//!
//! ```
//! use volunteer_ledger::render::{certificate_html, certificate_text};
//! # use volunteer_ledger::*;
//! # use chrono::NaiveDate;
//! # fn main() -> Result<()> {
//! # let d = |m, day| NaiveDate::from_ymd_opt(2015, m, day).unwrap();
//! # let c = Certificate {
//! #     checkpoint: None, commendations: vec![], training: vec![],
//! #     contact: "010-12345678".into(), handler: "李四".into(),
//! #     identity_kind: IdentityKind::ResidentId, identity_number: "11010519491231002X".into(),
//! #     issued_on: d(12, 31), issuing_org: "D".parse()?, issuing_org_name: "某区志愿者协会".into(),
//! #     ledger_id: "district".parse()?, ledger_name: "某区".into(), name: "张三".into(),
//! #     notes: String::new(), number: "ZM-2015-0001".into(), period_from: d(1, 1),
//! #     period_to: d(12, 31), public_key: String::new(),
//! #     records: vec![CertificateRecord {
//! #         content: "助老服务".into(), date: d(6, 2), entry_hash: String::new(),
//! #         minutes: 150, org_name: "某社区".into(), proof: None, record: "R1".parse()?,
//! #     }],
//! #     responsible_person: "王五".into(), signature: String::new(), total_minutes: 150,
//! #     verification_code: "7KQ2-M9XD".into(), volunteer: "V1".parse()?,
//! # };
//! // `c` is a Certificate, as issued by the ledger.
//! let text = certificate_text(&c);
//! assert!(text.contains("11010519491231002X") && text.contains("2.5"));
//!
//! let page = certificate_html(&c, Some("https://example.invalid/verify"));
//! assert!(page.starts_with("<!DOCTYPE html>") && page.contains("<svg"));
//! # Ok(())
//! # }
//! ```
//!
//! [`Certificate::total_minutes`]: crate::certificate::Certificate::total_minutes

// Its parts: `text` and `html` (the two forms), `template` (the HTML from a Jinja template,
// the default one in `certificate.html`), `view` (the values a template sees), `pages` (the
// records split into A4 pages), `qr` (the QR code and what it holds), `wording` (what both
// forms say), `clean` (input made safe to print), `columns` (terminal columns).
mod clean;
mod columns;
mod html;
mod pages;
mod qr;
mod template;
mod text;
mod view;
mod wording;

pub use html::{certificate_html, certificate_html_with_template};
pub use qr::{CERTIFICATE_QR_TAG, certificate_qr_payload, check_certificate_qr, qr_svg};
pub use template::{DEFAULT_CERTIFICATE_TEMPLATE, MAX_TEMPLATE_BYTES};
pub use text::certificate_text;

#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
#[cfg(test)]
mod tests;
