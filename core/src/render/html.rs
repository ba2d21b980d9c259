//! The certificate as a printable, self-contained HTML page (A4), from the default layout or a
//! district's own template, its QR code inline, every string escaped.

use super::template::{DEFAULT_CERTIFICATE_TEMPLATE, render, render_district};
use super::text::certificate_text;
use crate::certificate::Certificate;
use crate::error::Result;

/// Renders a certificate (志愿服务记录证明) as a complete, self-contained HTML5 page to print
/// on A4, from [`DEFAULT_CERTIFICATE_TEMPLATE`]: inline CSS (`@page` A4 with its margins, break
/// rules, a CJK font fallback chain), no scripts, no external resources, the same content as
/// [`certificate_text`], the signature lines of the responsible person (负责人) and the handler
/// (经办人), the seal area, and a QR code as inline SVG.
///
/// Up to about 15 records fit on one page; more continue on pages of their own, each headed by
/// the certificate's number, "第 n 页 共 m 页" and the table's header, the total and the
/// issuer's block printed once, on the last page.
///
/// The QR code holds [`certificate_qr_payload`]: the verify URL with the code when one is
/// given, else a self-contained text naming the certificate and its signed digest. The URL is
/// printed under the code as text, never as a link. If the data is too long for a QR code,
/// the page is printed without one and the code is still shown as text.
///
/// Every string from the certificate and the URL is HTML-escaped (`& < > " '`), so a name such
/// as `<script>` is printed, not run.
///
/// ```
/// use volunteer_ledger::render::certificate_html;
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
/// #     notes: String::new(), number: "ZM-2015-0001".into(), period_from: d(1, 1),
/// #     period_to: d(12, 31), public_key: String::new(), records: vec![],
/// #     responsible_person: "王五".into(), signature: String::new(), total_minutes: 0,
/// #     verification_code: "7KQ2 M9XD".into(), volunteer: "V1".parse()?,
/// # };
/// let page = certificate_html(&c, Some("https://example.invalid/verify"));
/// assert!(page.starts_with("<!DOCTYPE html>"));
/// assert!(page.contains(r#"<html lang="zh-CN">"#));
/// assert!(page.contains("志愿服务记录证明"));
/// assert!(page.contains("https://example.invalid/verify?code=7KQ2%20M9XD"));
/// assert_eq!(page.matches("<svg").count(), 1);
/// # Ok(())
/// # }
/// ```
///
/// [`certificate_text`]: super::certificate_text
/// [`certificate_qr_payload`]: super::certificate_qr_payload
/// [`DEFAULT_CERTIFICATE_TEMPLATE`]: super::DEFAULT_CERTIFICATE_TEMPLATE
pub fn certificate_html(c: &Certificate, verify_url: Option<&str>) -> String {
    // The default layout is ours and renders every certificate; were it ever to fail, the
    // certificate's text is printed instead of nothing.
    render(c, verify_url, DEFAULT_CERTIFICATE_TEMPLATE, None).unwrap_or_else(|_| {
        format!(
            "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
             <title>志愿服务记录证明</title>\n</head>\n<body>\n<pre>{}</pre>\n</body>\n</html>\n",
            escape_html(&certificate_text(c))
        )
    })
}

/// Renders a certificate with a district's own layout: `template` is a Jinja template
/// (minijinja's dialect) that sees the variables of docs/certificate.md (`name`,
/// `identity_number`, `pages`, `records`, `qr_svg` …); [`DEFAULT_CERTIFICATE_TEMPLATE`] is
/// the place to start from.
///
/// Every value is HTML-escaped whatever the template says (there is no `safe` filter and an
/// `{% autoescape false %}` block changes nothing); only the QR code's SVG (`qr_svg`) is
/// inserted as it is. A name the template uses but the certificate does not have is an error,
/// not an empty field.
///
/// Refuses with `E_CERTIFICATE_TEMPLATE` (family input) a template longer than
/// [`MAX_TEMPLATE_BYTES`], one that does not parse, uses an unknown name, filter or function,
/// or does more work than a certificate of this size needs (a bounded number of steps per
/// record); the message names the line and what is wrong, never a value of the certificate.
///
/// ```
/// use volunteer_ledger::render::certificate_html_with_template;
/// # use volunteer_ledger::*;
/// # use chrono::NaiveDate;
/// # fn main() -> Result<()> {
/// # let d = |m, day| NaiveDate::from_ymd_opt(2015, m, day).unwrap();
/// # let c = Certificate {
/// #     checkpoint: None, commendations: vec![], training: vec![],
/// #     contact: "010-12345678".into(), handler: "李四".into(),
/// #     identity_kind: IdentityKind::ResidentId, identity_number: "11010519491231002X".into(),
/// #     issued_on: d(12, 31), issuing_org: "D".parse()?, issuing_org_name: "某区志愿者协会".into(),
/// #     ledger_id: "district".parse()?, ledger_name: "某区".into(), name: "<张三>".into(),
/// #     notes: String::new(), number: "ZM-2015-0001".into(), period_from: d(1, 1),
/// #     period_to: d(12, 31), public_key: String::new(), records: vec![],
/// #     responsible_person: "王五".into(), signature: String::new(), total_minutes: 0,
/// #     verification_code: "7KQ2-M9XD".into(), volunteer: "V1".parse()?,
/// # };
/// let page = certificate_html_with_template(&c, None, "<h1>{{ title_zh }}</h1><p>{{ name }}</p>")?;
/// assert_eq!(page, "<h1>志愿服务记录证明</h1><p>&lt;张三&gt;</p>");
///
/// let bad = certificate_html_with_template(&c, None, "<p>\n{{ nme }}</p>").unwrap_err();
/// assert_eq!(bad.code(), "E_CERTIFICATE_TEMPLATE");
/// assert!(bad.to_string().contains("line 2"));
/// # Ok(())
/// # }
/// ```
///
/// [`DEFAULT_CERTIFICATE_TEMPLATE`]: super::DEFAULT_CERTIFICATE_TEMPLATE
/// [`MAX_TEMPLATE_BYTES`]: super::MAX_TEMPLATE_BYTES
pub fn certificate_html_with_template(
    c: &Certificate,
    verify_url: Option<&str>,
    template: &str,
) -> Result<String> {
    render_district(c, verify_url, template)
}

/// Escapes the five characters that are special in HTML text and attribute values.
pub(super) fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}
