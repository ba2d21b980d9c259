//! The certificate as a printable, self-contained HTML page (A4), its QR code inline, every
//! string escaped.

use super::clean::{clean_block, clean_line};
use super::qr::qr_svg;
use super::wording::{TITLE_EN, TITLE_ZH, hours, identity_kind_label, ledger_label, statement};
use crate::certificate::Certificate;

/// Renders a certificate as a complete, self-contained HTML5 page to print on A4: inline CSS
/// (with `@page` and `@media print` rules), no scripts, no external resources, the same content
/// as [`certificate_text`], and a QR code as inline SVG.
///
/// The QR code encodes the verification code alone, or, when `verify_url` is given,
/// `{verify_url}?code={code}` with the code percent-encoded (`&code=` if the URL already has a
/// query). The URL is printed under the code as text, never as a link. If the data is too long
/// for a QR code, the page is printed without one and the code is still shown as text.
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
/// assert!(page.contains("https://example.invalid/verify?code=7KQ2%20M9XD"));
/// assert_eq!(page.matches("<svg").count(), 1);
/// # Ok(())
/// # }
/// ```
///
/// [`certificate_text`]: super::certificate_text
pub fn certificate_html(c: &Certificate, verify_url: Option<&str>) -> String {
    let total = hours(c.total_minutes.unsigned_abs());
    let mut out = String::with_capacity(16 * 1024);
    heading_html(&mut out, c);
    person_html(&mut out, c);

    let (zh, en) = statement(c, &total);
    out.push_str(&format!(
        "<p class=\"statement\">{}<br><span class=\"en\">{}</span></p>\n",
        escape_html(&zh),
        escape_html(&en)
    ));

    records_html(&mut out, c, &total);
    issuer_html(&mut out, c);
    verification_html(&mut out, c, verify_url);

    out.push_str("<p class=\"seal\">（盖章）<span class=\"en\">(Seal)</span></p>\n");
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// A string from the certificate on one line, escaped.
fn escaped(s: &str) -> String {
    escape_html(&clean_line(s))
}

/// One row of a table of fields: the label in Chinese over English, then the value.
fn field_row(out: &mut String, zh: &str, en: &str, value: &str) {
    out.push_str(&format!(
        "<tr><th>{zh}<span class=\"en\">{en}</span></th><td>{value}</td></tr>\n"
    ));
}

/// The page's head (title and stylesheet), the sheet's title and the certificate's number.
fn heading_html(out: &mut String, c: &Certificate) {
    out.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<title>{TITLE_ZH} / {TITLE_EN} — {}</title>\n<style>\n{CSS}</style>\n</head>\n",
        escaped(&c.number)
    ));
    out.push_str("<body>\n<main class=\"sheet\">\n");
    out.push_str(&format!(
        "<h1>{TITLE_ZH}<span class=\"en\">{TITLE_EN}</span></h1>\n\
         <p class=\"number\">证明编号 / No. <span class=\"value\">{}</span></p>\n",
        escaped(&c.number)
    ));
}

/// The volunteer's fields: name, identity, volunteer number and the period.
fn person_html(out: &mut String, c: &Certificate) {
    out.push_str("<table class=\"fields\">\n");
    field_row(out, "姓名", "Name", &escaped(&c.name));
    field_row(
        out,
        "证件类型",
        "ID type",
        &escape_html(&identity_kind_label(c.identity_kind)),
    );
    field_row(out, "证件号码", "ID number", &escaped(&c.identity_number));
    field_row(
        out,
        "志愿者编号",
        "Volunteer No.",
        &escaped(c.volunteer.as_str()),
    );
    field_row(
        out,
        "服务期间",
        "Period",
        &format!("{} 至 / to {}", c.period_from, c.period_to),
    );
    out.push_str("</table>\n");
}

/// The table of service records with its total.
fn records_html(out: &mut String, c: &Certificate, total: &str) {
    out.push_str(
        "<h2>服务记录 <span class=\"en\">Service records</span></h2>\n\
         <table class=\"records\">\n<thead><tr>\
         <th>日期<span class=\"en\">Date</span></th>\
         <th>服务组织<span class=\"en\">Organisation</span></th>\
         <th>服务内容<span class=\"en\">Content</span></th>\
         <th class=\"num\">时长（小时）<span class=\"en\">Hours</span></th>\
         </tr></thead>\n<tbody>\n",
    );
    if c.records.is_empty() {
        out.push_str("<tr><td colspan=\"4\" class=\"none\">无 / None</td></tr>\n");
    }
    for r in &c.records {
        out.push_str(&format!(
            "<tr><td class=\"date\">{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>\n",
            r.date,
            escaped(&r.org_name),
            escaped(&r.content),
            hours(r.minutes.unsigned_abs())
        ));
    }
    out.push_str(&format!(
        "</tbody>\n<tfoot><tr><th colspan=\"3\">合计 <span class=\"en\">Total</span></th>\
         <td class=\"num\">{total}<span class=\"en\">{} 分钟 / minutes</span></td></tr></tfoot>\n\
         </table>\n",
        c.total_minutes
    ));
}

/// The issuer's fields: org, people, contact, date, ledger and the notes.
fn issuer_html(out: &mut String, c: &Certificate) {
    out.push_str("<table class=\"fields issuer\">\n");
    field_row(
        out,
        "出具单位",
        "Issuing org",
        &escaped(&c.issuing_org_name),
    );
    field_row(
        out,
        "负责人",
        "Responsible person",
        &escaped(&c.responsible_person),
    );
    field_row(out, "经办人", "Handler", &escaped(&c.handler));
    field_row(out, "联系方式", "Contact", &escaped(&c.contact));
    field_row(out, "出具日期", "Issue date", &c.issued_on.to_string());
    field_row(
        out,
        "出具平台",
        "Issuing ledger",
        &escape_html(&ledger_label(c)),
    );
    let notes = escape_html(clean_block(&c.notes).trim());
    let notes = if notes.is_empty() {
        "无 / None".to_string()
    } else {
        notes
    };
    field_row(
        out,
        "备注",
        "Notes",
        &format!("<div class=\"notes\">{notes}</div>"),
    );
    out.push_str("</table>\n");
}

/// The QR code (when the data fits one), the verification code and where to check it.
fn verification_html(out: &mut String, c: &Certificate, verify_url: Option<&str>) {
    let code = clean_line(&c.verification_code);
    let qr_data = match verify_url {
        Some(url) => {
            let url = clean_line(url.trim());
            let sep = if url.contains('?') { '&' } else { '?' };
            format!("{url}{sep}code={}", percent_encode(&code))
        }
        None => code.clone(),
    };
    out.push_str("<section class=\"verify\">\n");
    match qr_svg(&qr_data) {
        Some(svg) => {
            // The XML declaration belongs to a standalone file, not to a page.
            let inline = svg.find("<svg").and_then(|i| svg.get(i..)).unwrap_or(&svg);
            out.push_str(&format!("<div class=\"qr\">{inline}</div>\n"));
        }
        None => out.push_str("<div class=\"qr none\">（无二维码）<br>(no QR code)</div>\n"),
    }
    out.push_str(&format!(
        "<div class=\"code\"><p>验证码 <span class=\"en\">Verification code</span></p>\
         <p class=\"value\">{}</p>\n",
        escape_html(&code)
    ));
    if verify_url.is_some() {
        out.push_str(&format!(
            "<p class=\"url\">扫码或访问以下地址核验 / Scan or visit to verify:<br>{}</p>\n",
            escape_html(&qr_data)
        ));
    } else {
        out.push_str("<p class=\"url\">凭验证码向出具平台核验 / Check this code with the issuing ledger.</p>\n");
    }
    out.push_str("</div>\n</section>\n");
}

/// The print stylesheet: A4, black on white, Chinese first with English in smaller type.
const CSS: &str = r#"@page { size: A4; margin: 16mm 18mm; }
* { box-sizing: border-box; }
html { background: #e8e8e8; }
body { margin: 0; color: #000;
  font-family: "Songti SC", "SimSun", "Noto Serif CJK SC", "Source Han Serif SC", serif;
  font-size: 11pt; line-height: 1.5; }
.sheet { width: 210mm; min-height: 297mm; margin: 8mm auto; padding: 16mm 18mm;
  background: #fff; box-shadow: 0 0 4mm rgba(0,0,0,.25); }
.en { display: block; font-family: "Helvetica Neue", Arial, sans-serif; font-size: 8pt;
  color: #444; font-weight: normal; }
h1 { text-align: center; font-size: 22pt; letter-spacing: .3em; margin: 0 0 2mm; }
h1 .en { font-size: 11pt; letter-spacing: .05em; }
h2 { font-size: 12pt; margin: 6mm 0 2mm; }
h2 .en { display: inline; }
.number { text-align: right; margin: 0 0 4mm; }
.number .value { font-family: monospace; font-size: 11pt; }
table { width: 100%; border-collapse: collapse; }
.fields th { width: 34mm; text-align: left; vertical-align: top; font-weight: bold;
  padding: 1mm 2mm 1mm 0; }
.fields td { padding: 1mm 0; vertical-align: top; overflow-wrap: anywhere; }
.statement { margin: 5mm 0; text-indent: 2em; }
.statement .en { text-indent: 0; font-size: 9pt; }
.records th, .records td { border: 0.3mm solid #000; padding: 1mm 2mm; vertical-align: top;
  overflow-wrap: anywhere; }
.records thead th { background: #f0f0f0; text-align: left; }
.records .date { white-space: nowrap; }
.records .num { text-align: right; white-space: nowrap; }
.records tfoot th { text-align: right; }
.records .none { text-align: center; color: #444; }
.records tr { break-inside: avoid; page-break-inside: avoid; }
.issuer { margin-top: 6mm; }
.notes { white-space: pre-wrap; }
.verify { display: flex; align-items: center; gap: 6mm; margin-top: 8mm;
  break-inside: avoid; page-break-inside: avoid; }
.qr svg { width: 32mm; height: 32mm; display: block; }
.qr.none { width: 32mm; text-align: center; font-size: 9pt; color: #444; }
.code p { margin: 0 0 1mm; }
.code .value { font-family: monospace; font-size: 14pt; letter-spacing: .1em; }
.code .url { font-size: 8pt; color: #444; overflow-wrap: anywhere; }
.seal { text-align: right; margin: 10mm 10mm 0 0; }
.seal .en { display: inline; }
@media print {
  html { background: none; }
  .sheet { width: auto; min-height: 0; margin: 0; padding: 0; box-shadow: none; }
  thead { display: table-header-group; }
}
"#;

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
