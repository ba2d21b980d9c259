//! QR codes as SVG, and what a certificate's QR code holds: the verify URL with the code, or a
//! self-contained text that names the certificate and the digest its signature covers.

use super::clean::clean_line;
use crate::certificate::Certificate;
use qrcode::QrCode;
use qrcode::render::svg;

/// The first line of a certificate's QR text when no verify URL is given: what it is and the
/// version of its format.
pub const CERTIFICATE_QR_TAG: &str = "VLCERT/1";

/// Renders `data` as a QR code in SVG (error correction level M, 4-pixel modules, the standard
/// 4-module quiet zone), as a standalone SVG document (it starts with an XML declaration). Use
/// it for the verification code or URL of a certificate; [`certificate_html`] embeds it.
///
/// Returns `None` if the data is too long for any QR code (over about 2,300 bytes at this
/// error correction level).
///
/// ```
/// use volunteer_ledger::render::qr_svg;
/// let svg = qr_svg("https://example.invalid/verify?code=7KQ2-M9XD").unwrap();
/// assert!(svg.starts_with("<?xml") && svg.contains("<svg") && svg.ends_with("</svg>"));
/// assert!(qr_svg(&"x".repeat(5000)).is_none());
/// ```
///
/// [`certificate_html`]: super::certificate_html
pub fn qr_svg(data: &str) -> Option<String> {
    let code = QrCode::new(data.as_bytes()).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .quiet_zone(true)
            .module_dimensions(4, 4)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build(),
    )
}

/// What a certificate's QR code holds, always something a verifier can act on.
///
/// With `verify_url`: `{verify_url}?code={code}` (`&code=` when the URL already has a query),
/// the verification code percent-encoded; the verifier's page checks the code against the
/// ledger (`Ledger::verify_certificate`).
///
/// Without: a text of ASCII lines, each value percent-encoded (RFC 3986 unreserved
/// characters kept), so that it reads the same on every scanner:
///
/// ```text
/// VLCERT/1
/// ledger=<ledger id>
/// no=<certificate number>
/// code=<verification code>
/// digest=<SHA-256 (hex) of the bytes the issuer signed, as the ledger's log records it>
/// key=<the issuer's Ed25519 public key (hex)>
/// ```
///
/// A verifier checks it offline with the holder's certificate file: the file must verify
/// against a trusted key (`verify_certificate_offline`) and [`check_certificate_qr`] must find
/// that the text names that very certificate; online, the code checks against the ledger,
/// whose log records the same digest.
///
/// ```
/// use volunteer_ledger::render::{CERTIFICATE_QR_TAG, certificate_qr_payload};
/// # use volunteer_ledger::*;
/// # use chrono::NaiveDate;
/// # fn main() -> Result<()> {
/// # let d = |m, day| NaiveDate::from_ymd_opt(2015, m, day).unwrap();
/// # let c = Certificate {
/// #     checkpoint: None, commendations: vec![], training: vec![],
/// #     contact: "010-12345678".into(), handler: "李四".into(),
/// #     identity_kind: IdentityKind::ResidentId, identity_number: "11010519491231002X".into(),
/// #     issued_on: d(12, 31), issuing_org: "D".parse()?, issuing_org_name: "某区志愿者协会".into(),
/// #     ledger_id: "district".parse()?, ledger_name: "某区".into(), name: "张三".into(),
/// #     notes: String::new(), number: "district-2015-000001".into(), period_from: d(1, 1),
/// #     period_to: d(12, 31), public_key: "ab".repeat(32), records: vec![],
/// #     responsible_person: "王五".into(), signature: String::new(), total_minutes: 0,
/// #     verification_code: "7KQ2-M9XD-0000-0000".into(), volunteer: "V1".parse()?,
/// # };
/// let url = certificate_qr_payload(&c, Some("https://example.invalid/verify"));
/// assert_eq!(url, "https://example.invalid/verify?code=7KQ2-M9XD-0000-0000");
///
/// let text = certificate_qr_payload(&c, None);
/// assert!(text.starts_with(CERTIFICATE_QR_TAG));
/// assert!(text.contains("\nno=district-2015-000001\ncode=7KQ2-M9XD-0000-0000\ndigest="));
/// assert!(text.is_ascii() && !text.contains("张三"));
/// # Ok(())
/// # }
/// ```
pub fn certificate_qr_payload(c: &Certificate, verify_url: Option<&str>) -> String {
    let code = clean_line(&c.verification_code);
    match verify_url.map(str::trim).filter(|u| !u.is_empty()) {
        Some(url) => {
            let url = clean_line(url);
            let sep = if url.contains('?') { '&' } else { '?' };
            format!("{url}{sep}code={}", percent_encode(&code))
        }
        None => qr_fields(c)
            .iter()
            .fold(String::from(CERTIFICATE_QR_TAG), |mut out, (k, v)| {
                out.push('\n');
                out.push_str(k);
                out.push('=');
                out.push_str(&percent_encode(v));
                out
            }),
    }
}

/// The named values the QR text carries, in its order.
fn qr_fields(c: &Certificate) -> [(&'static str, String); 5] {
    [
        ("ledger", c.ledger_id.to_string()),
        ("no", c.number.clone()),
        ("code", c.verification_code.clone()),
        ("digest", certificate_digest(c)),
        ("key", c.public_key.to_ascii_lowercase()),
    ]
}

/// The SHA-256 (hex) of the bytes a certificate's signature covers: the digest the issuing
/// ledger's log records for it.
pub(super) fn certificate_digest(c: &Certificate) -> String {
    crate::hash::hash_bytes(&crate::ledger::certificate_bytes(c)).to_hex()
}

/// Checks that a QR text made by [`certificate_qr_payload`] without a verify URL names this
/// certificate: the same ledger, number, code, public key and signed digest. Together with
/// `verify_certificate_offline` (is the file genuine?) this shows that a printed page and the
/// file its holder keeps are the same certificate, without the network.
///
/// Refuses, with `E_CERTIFICATE_FORMAT` (the message names the field, never its value), a
/// text that is not such a QR text or names another certificate.
///
/// ```
/// use volunteer_ledger::render::{certificate_qr_payload, check_certificate_qr};
/// # use volunteer_ledger::*;
/// # use chrono::NaiveDate;
/// # fn main() -> Result<()> {
/// # let d = |m, day| NaiveDate::from_ymd_opt(2015, m, day).unwrap();
/// # let c = Certificate {
/// #     checkpoint: None, commendations: vec![], training: vec![],
/// #     contact: "010-12345678".into(), handler: "李四".into(),
/// #     identity_kind: IdentityKind::ResidentId, identity_number: "11010519491231002X".into(),
/// #     issued_on: d(12, 31), issuing_org: "D".parse()?, issuing_org_name: "某区志愿者协会".into(),
/// #     ledger_id: "district".parse()?, ledger_name: "某区".into(), name: "张三".into(),
/// #     notes: String::new(), number: "district-2015-000001".into(), period_from: d(1, 1),
/// #     period_to: d(12, 31), public_key: "ab".repeat(32), records: vec![],
/// #     responsible_person: "王五".into(), signature: String::new(), total_minutes: 0,
/// #     verification_code: "7KQ2-M9XD-0000-0000".into(), volunteer: "V1".parse()?,
/// # };
/// let qr = certificate_qr_payload(&c, None);
/// check_certificate_qr(&c, &qr)?;
/// let mut other = c.clone();
/// other.total_minutes = 600;
/// assert_eq!(check_certificate_qr(&other, &qr).unwrap_err().code(), "E_CERTIFICATE_FORMAT");
/// # Ok(())
/// # }
/// ```
pub fn check_certificate_qr(c: &Certificate, payload: &str) -> crate::Result<()> {
    let refuse = |detail: String| crate::LedgerError::CertificateFormat { detail };
    let mut lines = payload.trim_end().lines();
    if lines.next().map(str::trim_end) != Some(CERTIFICATE_QR_TAG) {
        return Err(refuse(format!(
            "the QR text does not start with {CERTIFICATE_QR_TAG}"
        )));
    }
    let rest: Vec<&str> = lines.map(str::trim_end).collect();
    let want = qr_fields(c);
    if rest.len() != want.len() {
        return Err(refuse(format!(
            "the QR text has {} fields, {} expected",
            rest.len().min(1000),
            want.len()
        )));
    }
    for (line, (name, value)) in rest.iter().zip(want.iter()) {
        let expected = format!("{name}={}", percent_encode(value));
        if *line != expected {
            return Err(refuse(format!(
                "the QR text's field '{name}' is not this certificate's"
            )));
        }
    }
    Ok(())
}

/// Percent-encodes a query value: every byte but the unreserved characters of RFC 3986.
pub(super) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
