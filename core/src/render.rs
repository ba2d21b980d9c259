//! Rendering certificates (志愿服务证明) as plain text and as a printable HTML page with a QR code
//! (SVG).
//!
//! Both forms carry the same content, in the order of the 2015 certificate rules: number, the
//! volunteer's full name and identity (in full: this is the certificate the volunteer holds),
//! volunteer number, the period, each record's date, org, content and hours, the total, the
//! issuing org with its responsible person (负责人), handler (经办人) and contact (联系方式), the
//! issue date, notes (备注) and the verification code (验证码).
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

use crate::certificate::Certificate;
use crate::ids::IdentityKind;
use qrcode::QrCode;
use qrcode::render::svg;

/// Title of the certificate, Chinese then English.
const TITLE_ZH: &str = "志愿服务证明";
const TITLE_EN: &str = "Volunteer Service Certificate";

/// The widest an org name or a content may be in the text table, in terminal columns, before
/// it wraps onto the next line.
const ORG_COLUMN_MAX: usize = 24;
const CONTENT_COLUMN_MAX: usize = 32;

/// Renders a certificate as plain text: Chinese headings with English after them, the fields
/// aligned, and a table of records whose columns stay aligned with CJK text (a Chinese
/// character counts as two columns; long org names and contents wrap within their column).
///
/// The text shows the identity number in full, as the certificate the volunteer holds must;
/// do not use it for anything that is shown to others (a verification answer is masked).
///
/// ```
/// use volunteer_ledger::render::certificate_text;
/// # use volunteer_ledger::*;
/// # use chrono::NaiveDate;
/// # fn main() -> Result<()> {
/// # let d = |m, day| NaiveDate::from_ymd_opt(2015, m, day).unwrap();
/// # let c = Certificate {
/// #     checkpoint: None, commendations: vec![], training: vec![],
/// #     contact: "010-12345678".into(), handler: "李四".into(),
/// #     identity_kind: IdentityKind::Passport, identity_number: "E12345678".into(),
/// #     issued_on: d(12, 31), issuing_org: "D".parse()?, issuing_org_name: "某区志愿者协会".into(),
/// #     ledger_id: "district".parse()?, ledger_name: "某区".into(), name: "张三".into(),
/// #     notes: String::new(), number: "ZM-2015-0001".into(), period_from: d(1, 1),
/// #     period_to: d(12, 31), public_key: String::new(),
/// #     records: vec![CertificateRecord {
/// #         content: "助老服务".into(), date: d(6, 2), entry_hash: String::new(),
/// #         minutes: 150, org_name: "某社区".into(), proof: None, record: "R1".parse()?,
/// #     }],
/// #     responsible_person: "王五".into(), signature: String::new(), total_minutes: 150,
/// #     verification_code: "7KQ2-M9XD".into(), volunteer: "V1".parse()?,
/// # };
/// let text = certificate_text(&c);
/// assert!(text.starts_with("志愿服务证明 / Volunteer Service Certificate"));
/// assert!(text.contains("护照 / Passport"));
/// assert!(text.contains("E12345678"));
/// assert!(text.contains("2.5 小时 / hours"));
/// # Ok(())
/// # }
/// ```
pub fn certificate_text(c: &Certificate) -> String {
    let mut out = String::new();
    let title = format!("{TITLE_ZH} / {TITLE_EN}");
    push_line(&mut out, &title);
    push_line(&mut out, &"=".repeat(display_width(&title)));
    out.push('\n');

    let total = hours(c.total_minutes.unsigned_abs());
    let head: [(&str, String); 6] = [
        ("证明编号 / No.", clean_line(&c.number)),
        ("姓名 / Name", clean_line(&c.name)),
        ("证件类型 / ID type", identity_kind_label(c.identity_kind)),
        ("证件号码 / ID number", clean_line(&c.identity_number)),
        (
            "志愿者编号 / Volunteer No.",
            clean_line(c.volunteer.as_str()),
        ),
        (
            "服务期间 / Period",
            format!("{} 至 / to {}", c.period_from, c.period_to),
        ),
    ];
    let tail: [(&str, String); 8] = [
        ("出具单位 / Issuing org", clean_line(&c.issuing_org_name)),
        (
            "负责人 / Responsible person",
            clean_line(&c.responsible_person),
        ),
        ("经办人 / Handler", clean_line(&c.handler)),
        ("联系方式 / Contact", clean_line(&c.contact)),
        ("出具日期 / Issue date", c.issued_on.to_string()),
        ("出具平台 / Issuing ledger", ledger_label(c)),
        ("备注 / Notes", String::new()),
        (
            "验证码 / Verification code",
            clean_line(&c.verification_code),
        ),
    ];
    let label_width = head
        .iter()
        .chain(tail.iter())
        .map(|(label, _)| display_width(label))
        .max()
        .unwrap_or(0);
    let field = |out: &mut String, label: &str, value: &str| {
        push_line(out, &format!("{}  {value}", pad_right(label, label_width)));
    };

    for (label, value) in &head {
        field(&mut out, label, value);
    }
    out.push('\n');

    let (zh, en) = statement(c, &total);
    push_line(&mut out, &zh);
    push_line(&mut out, &en);
    out.push('\n');

    push_line(&mut out, "服务记录 / Service records");
    records_table(&mut out, c);
    push_line(
        &mut out,
        &format!(
            "合计 / Total: {total} 小时 / hours ({} 分钟 / minutes)",
            c.total_minutes
        ),
    );
    out.push('\n');
    if !c.training.is_empty() {
        push_line(&mut out, "培训情况 / Training");
        for t in &c.training {
            push_line(
                &mut out,
                &format!(
                    "  {}  {}  {} 小时 / hours  {}",
                    t.date,
                    clean_line(&t.title),
                    hours(t.minutes.unsigned_abs()),
                    clean_line(&t.org_name)
                ),
            );
        }
        out.push('\n');
    }
    if !c.commendations.is_empty() {
        push_line(&mut out, "表彰奖励 / Commendations");
        for x in &c.commendations {
            push_line(
                &mut out,
                &format!(
                    "  {}  {}  {}",
                    x.date,
                    clean_line(&x.title),
                    clean_line(&x.org_name)
                ),
            );
        }
        out.push('\n');
    }

    for (label, value) in &tail {
        if label.starts_with("备注") {
            let notes = clean_block(&c.notes);
            let mut lines = notes
                .lines()
                .map(str::trim_end)
                .filter(|l| !l.trim().is_empty());
            match lines.next() {
                None => field(&mut out, label, "无 / None"),
                Some(first) => {
                    field(&mut out, label, first);
                    // Continuation lines are indented under the value, so no line of a note
                    // can pass for a field of its own.
                    for line in lines {
                        push_line(&mut out, &format!("{}  {line}", " ".repeat(label_width)));
                    }
                }
            }
        } else {
            field(&mut out, label, value);
        }
    }
    out.push('\n');
    push_line(&mut out, "（盖章）/ (Seal)");
    out
}

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
pub fn certificate_html(c: &Certificate, verify_url: Option<&str>) -> String {
    let e = |s: &str| escape_html(&clean_line(s));
    let total = hours(c.total_minutes.unsigned_abs());
    let mut out = String::with_capacity(16 * 1024);

    out.push_str("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<title>{TITLE_ZH} / {TITLE_EN} — {}</title>\n<style>\n{CSS}</style>\n</head>\n",
        e(&c.number)
    ));
    out.push_str("<body>\n<main class=\"sheet\">\n");
    out.push_str(&format!(
        "<h1>{TITLE_ZH}<span class=\"en\">{TITLE_EN}</span></h1>\n\
         <p class=\"number\">证明编号 / No. <span class=\"value\">{}</span></p>\n",
        e(&c.number)
    ));

    out.push_str("<table class=\"fields\">\n");
    let row = |out: &mut String, zh: &str, en: &str, value: &str| {
        out.push_str(&format!(
            "<tr><th>{zh}<span class=\"en\">{en}</span></th><td>{value}</td></tr>\n"
        ));
    };
    row(&mut out, "姓名", "Name", &e(&c.name));
    row(
        &mut out,
        "证件类型",
        "ID type",
        &escape_html(&identity_kind_label(c.identity_kind)),
    );
    row(&mut out, "证件号码", "ID number", &e(&c.identity_number));
    row(
        &mut out,
        "志愿者编号",
        "Volunteer No.",
        &e(c.volunteer.as_str()),
    );
    row(
        &mut out,
        "服务期间",
        "Period",
        &format!("{} 至 / to {}", c.period_from, c.period_to),
    );
    out.push_str("</table>\n");

    let (zh, en) = statement(c, &total);
    out.push_str(&format!(
        "<p class=\"statement\">{}<br><span class=\"en\">{}</span></p>\n",
        escape_html(&zh),
        escape_html(&en)
    ));

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
            e(&r.org_name),
            e(&r.content),
            hours(r.minutes.unsigned_abs())
        ));
    }
    out.push_str(&format!(
        "</tbody>\n<tfoot><tr><th colspan=\"3\">合计 <span class=\"en\">Total</span></th>\
         <td class=\"num\">{total}<span class=\"en\">{} 分钟 / minutes</span></td></tr></tfoot>\n\
         </table>\n",
        c.total_minutes
    ));

    out.push_str("<table class=\"fields issuer\">\n");
    row(&mut out, "出具单位", "Issuing org", &e(&c.issuing_org_name));
    row(
        &mut out,
        "负责人",
        "Responsible person",
        &e(&c.responsible_person),
    );
    row(&mut out, "经办人", "Handler", &e(&c.handler));
    row(&mut out, "联系方式", "Contact", &e(&c.contact));
    row(&mut out, "出具日期", "Issue date", &c.issued_on.to_string());
    row(
        &mut out,
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
    row(
        &mut out,
        "备注",
        "Notes",
        &format!("<div class=\"notes\">{notes}</div>"),
    );
    out.push_str("</table>\n");

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

    out.push_str("<p class=\"seal\">（盖章）<span class=\"en\">(Seal)</span></p>\n");
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

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

/// The table of records in the text form, with aligned, wrapping columns.
fn records_table(out: &mut String, c: &Certificate) {
    const HEADERS: [&str; 4] = [
        "日期 / Date",
        "服务组织 / Org",
        "服务内容 / Content",
        "小时 / Hours",
    ];
    let rows: Vec<[String; 4]> = c
        .records
        .iter()
        .map(|r| {
            [
                r.date.to_string(),
                clean_line(&r.org_name),
                clean_line(&r.content),
                hours(r.minutes.unsigned_abs()),
            ]
        })
        .collect();
    let width_of = |col: usize, cap: usize| {
        let header = HEADERS.get(col).map_or(0, |h| display_width(h));
        let cells = rows
            .iter()
            .filter_map(|r| r.get(col))
            .map(|s| display_width(s))
            .max()
            .unwrap_or(0);
        header.max(cells.min(cap))
    };
    let widths = [
        width_of(0, usize::MAX),
        width_of(1, ORG_COLUMN_MAX),
        width_of(2, CONTENT_COLUMN_MAX),
        width_of(3, usize::MAX),
    ];
    let [w_date, w_org, w_content, w_hours] = widths;
    let [h_date, h_org, h_content, h_hours] = HEADERS;
    push_line(
        out,
        &format!(
            "{}  {}  {}  {}",
            pad_right(h_date, w_date),
            pad_right(h_org, w_org),
            pad_right(h_content, w_content),
            pad_left(h_hours, w_hours)
        ),
    );
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    push_line(out, &rule.join("  "));
    if rows.is_empty() {
        push_line(out, "无 / None");
    }
    for [date, org, content, hrs] in &rows {
        let org = wrap(org, w_org);
        let content = wrap(content, w_content);
        let height = org.len().max(content.len()).max(1);
        for i in 0..height {
            let first = i == 0;
            let cell = |lines: &Vec<String>| lines.get(i).cloned().unwrap_or_default();
            let line = format!(
                "{}  {}  {}  {}",
                pad_right(if first { date } else { "" }, w_date),
                pad_right(&cell(&org), w_org),
                pad_right(&cell(&content), w_content),
                pad_left(if first { hrs } else { "" }, w_hours)
            );
            push_line(out, line.trim_end());
        }
    }
    push_line(out, &rule.join("  "));
}

/// The sentence that certifies the service, in Chinese and in English.
fn statement(c: &Certificate, total: &str) -> (String, String) {
    let name = clean_line(&c.name);
    (
        format!(
            "兹证明 {name} 于 {} 至 {} 期间参加志愿服务，累计服务时长 {total} 小时。特此证明。",
            c.period_from, c.period_to
        ),
        format!(
            "This is to certify that {name} performed {total} hours of volunteer service \
             from {} to {}.",
            c.period_from, c.period_to
        ),
    )
}

/// Minutes as hours with one decimal, rounded down (150 → "2.5", 119 → "1.9").
fn hours(minutes: u64) -> String {
    let tenths = u128::from(minutes) * 10 / 60;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// The Chinese and English name of an identity kind, e.g. `居民身份证 / Resident ID card`.
fn identity_kind_label(kind: IdentityKind) -> String {
    let (zh, en) = match kind {
        IdentityKind::ResidentId => ("居民身份证", "Resident ID card"),
        IdentityKind::Passport => ("护照", "Passport"),
        IdentityKind::HkMacauPermit => (
            "港澳居民来往内地通行证",
            "Mainland Travel Permit for Hong Kong and Macao Residents",
        ),
        IdentityKind::TaiwanPermit => (
            "台湾居民来往大陆通行证",
            "Mainland Travel Permit for Taiwan Residents",
        ),
    };
    format!("{zh} / {en}")
}

/// The issuing ledger's name and id, e.g. `某区 (district)`.
fn ledger_label(c: &Certificate) -> String {
    format!(
        "{} ({})",
        clean_line(&c.ledger_name),
        clean_line(c.ledger_id.as_str())
    )
}

/// Whether a character reorders text around it (bidirectional controls), which could make a
/// printed field read differently from what it holds.
fn is_bidi_control(ch: char) -> bool {
    matches!(ch, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A single-line field: control characters (newlines included) become spaces, bidirectional
/// controls are dropped.
fn clean_line(s: &str) -> String {
    s.chars()
        .filter(|ch| !is_bidi_control(*ch))
        .map(|ch| if ch.is_control() { ' ' } else { ch })
        .collect()
}

/// A multi-line field (notes): like [`clean_line`] but line breaks are kept (as `\n`).
fn clean_block(s: &str) -> String {
    s.replace("\r\n", "\n")
        .chars()
        .filter(|ch| !is_bidi_control(*ch))
        .map(|ch| {
            if ch != '\n' && ch.is_control() {
                ' '
            } else {
                ch
            }
        })
        .collect()
}

/// Escapes the five characters that are special in HTML text and attribute values.
fn escape_html(s: &str) -> String {
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
fn percent_encode(s: &str) -> String {
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

/// How many terminal columns a character takes: two for East Asian wide and fullwidth
/// characters (CJK, Hangul, fullwidth forms, most emoji), none for combining marks and
/// zero-width characters, one otherwise.
fn char_width(ch: char) -> usize {
    match u32::from(ch) {
        0x0300..=0x036F | 0x200B..=0x200D | 0xFE00..=0xFE0F | 0x20E3 => 0,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// How many terminal columns a string takes.
fn display_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// `s` followed by spaces to `width` columns.
fn pad_right(s: &str, width: usize) -> String {
    let pad = width.saturating_sub(display_width(s));
    format!("{s}{}", " ".repeat(pad))
}

/// Spaces then `s`, to `width` columns.
fn pad_left(s: &str, width: usize) -> String {
    let pad = width.saturating_sub(display_width(s));
    format!("{}{s}", " ".repeat(pad))
}

/// Breaks `s` into lines of at most `width` columns (at least one character a line), without
/// splitting a character; CJK text has no spaces to break at, so this breaks anywhere.
fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for ch in s.chars() {
        let w = char_width(ch);
        if used + w > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line).trim_end().to_string());
            used = 0;
            if ch == ' ' {
                continue;
            }
        }
        line.push(ch);
        used += w;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Appends a line and its newline.
fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::certificate::CertificateRecord;
    use chrono::NaiveDate;

    fn date(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2015, m, d).unwrap()
    }

    fn record(
        id: &str,
        m: u32,
        d: u32,
        org: &str,
        content: &str,
        minutes: u32,
    ) -> CertificateRecord {
        CertificateRecord {
            content: content.into(),
            date: date(m, d),
            entry_hash: "ab".repeat(32),
            minutes: i64::from(minutes),
            org_name: org.into(),
            proof: None,
            record: id.parse().unwrap(),
        }
    }

    fn sample() -> Certificate {
        Certificate {
            checkpoint: None,
            commendations: vec![],
            training: vec![],
            contact: "010-12345678".into(),
            handler: "李四".into(),
            identity_kind: IdentityKind::ResidentId,
            identity_number: "11010519491231002X".into(),
            issued_on: date(12, 31),
            issuing_org: "D".parse().unwrap(),
            issuing_org_name: "某区志愿者协会".into(),
            ledger_id: "district".parse().unwrap(),
            ledger_name: "某区志愿服务平台".into(),
            name: "欧阳娜娜".into(),
            notes: "本证明仅用于证明志愿服务经历。".into(),
            number: "ZM-2015-000123".into(),
            period_from: date(1, 1),
            period_to: date(12, 31),
            public_key: "cd".repeat(32),
            records: vec![
                record("R1", 3, 5, "某社区居委会", "助老服务", 150),
                record(
                    "R2",
                    6,
                    2,
                    "某街道新时代文明实践所",
                    "社区垃圾分类宣传与入户指导，协助整理回收站点并登记居民参与情况",
                    100,
                ),
                record("R3", 9, 1, "Library", "Reading to children", 45),
            ],
            responsible_person: "王五".into(),
            signature: "ef".repeat(64),
            total_minutes: 295,
            verification_code: "7KQ2-M9XD".into(),
            volunteer: "V0001".parse().unwrap(),
        }
    }

    #[test]
    fn hours_are_tenths_rounded_down() {
        assert_eq!(hours(150), "2.5");
        assert_eq!(hours(0), "0.0");
        assert_eq!(hours(119), "1.9");
        assert_eq!(hours(120), "2.0");
        assert_eq!(hours(100), "1.6");
        assert_eq!(hours(5), "0.0");
        assert_eq!(hours(6), "0.1");
        assert_eq!(hours(6000), "100.0");
        assert_eq!(hours(u64::MAX), "307445734561825860.2");
    }

    #[test]
    fn text_holds_every_field_in_full() {
        let c = sample();
        let text = certificate_text(&c);
        println!("{text}");
        assert!(text.starts_with("志愿服务证明 / Volunteer Service Certificate\n"));
        for needle in [
            "ZM-2015-000123",
            "欧阳娜娜",
            "11010519491231002X",
            "居民身份证",
            "V0001",
            "2015-01-01 至 / to 2015-12-31",
            "某区志愿者协会",
            "王五",
            "李四",
            "010-12345678",
            "本证明仅用于证明志愿服务经历。",
            "7KQ2-M9XD",
            "助老服务",
            "2015-03-05",
            "合计 / Total: 4.9 小时 / hours (295 分钟 / minutes)",
        ] {
            assert!(text.contains(needle), "missing {needle}");
        }
        // Each record's hours, right-aligned at the end of its line.
        let line_of = |date: &str| text.lines().find(|l| l.starts_with(date)).unwrap();
        assert!(line_of("2015-03-05").ends_with(" 2.5"));
        assert!(line_of("2015-06-02").ends_with(" 1.6"));
        assert!(line_of("2015-09-01").ends_with(" 0.7"));
        for label in [
            "证明编号 / No.",
            "姓名 / Name",
            "证件类型 / ID type",
            "负责人 / Responsible person",
            "经办人 / Handler",
            "联系方式 / Contact",
            "出具日期 / Issue date",
            "备注 / Notes",
            "验证码 / Verification code",
        ] {
            assert!(text.contains(label), "missing {label}");
        }
    }

    #[test]
    fn text_columns_align_with_cjk() {
        let text = certificate_text(&sample());
        let lines: Vec<&str> = text.lines().collect();
        let header = lines
            .iter()
            .position(|l| l.starts_with("日期 / Date"))
            .unwrap();
        let rule = lines[header + 1];
        let width = display_width(rule);
        // Every row line of the table that carries hours ends at the rule's last column, and no
        // line of the table is wider than the rule.
        let mut i = header + 2;
        while !lines[i].starts_with('-') {
            assert!(display_width(lines[i]) <= width, "too wide: {}", lines[i]);
            if lines[i].starts_with("2015-") {
                assert_eq!(display_width(lines[i]), width, "not aligned: {}", lines[i]);
            }
            i += 1;
        }
        // The long content wrapped onto continuation lines, kept in its column.
        assert!(i - header - 2 > 3);
        // The field labels align: values start in the same column.
        let col = |prefix: &str| {
            let l = lines.iter().find(|l| l.starts_with(prefix)).unwrap();
            let v = l.find("  ").unwrap();
            let rest = &l[v..];
            display_width(&l[..v]) + (rest.len() - rest.trim_start().len())
        };
        assert_eq!(col("姓名"), col("志愿者编号"));
        assert_eq!(col("证明编号"), col("验证码"));
    }

    #[test]
    fn text_does_not_let_data_forge_lines() {
        let mut c = sample();
        c.name = "张三\n验证码 / Verification code  FAKE".into();
        c.notes = "第一行\n验证码 / Verification code  FAKE\r\n".into();
        c.records[0].content = "a\u{202E}txt.exe".into();
        let text = certificate_text(&c);
        assert!(
            !text
                .lines()
                .any(|l| l.starts_with("验证码 / Verification code  FAKE"))
        );
        assert!(!text.contains('\u{202E}'));
        assert_eq!(text.lines().filter(|l| l.starts_with("验证码")).count(), 1);
        // Notes keep their lines, indented.
        assert!(text.lines().any(|l| l.starts_with(' ') && l.trim_start() == "验证码 / Verification code  FAKE"));
    }

    #[test]
    fn text_with_no_records_or_notes() {
        let mut c = sample();
        c.records.clear();
        c.notes = "  ".into();
        c.total_minutes = 0;
        c.identity_kind = IdentityKind::TaiwanPermit;
        let text = certificate_text(&c);
        assert!(text.contains("台湾居民来往大陆通行证"));
        assert!(text.contains("合计 / Total: 0.0 小时"));
        assert!(
            text.lines()
                .any(|l| l.starts_with("备注 / Notes") && l.ends_with("无 / None"))
        );
    }

    #[test]
    fn identity_kinds_have_chinese_names() {
        assert!(identity_kind_label(IdentityKind::ResidentId).starts_with("居民身份证 / "));
        assert!(identity_kind_label(IdentityKind::Passport).starts_with("护照 / "));
        assert!(
            identity_kind_label(IdentityKind::HkMacauPermit)
                .starts_with("港澳居民来往内地通行证 / ")
        );
        assert!(
            identity_kind_label(IdentityKind::TaiwanPermit)
                .starts_with("台湾居民来往大陆通行证 / ")
        );
    }

    #[test]
    fn html_is_a_complete_page_with_one_qr() {
        let c = sample();
        let page = certificate_html(&c, None);
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"zh-CN\">"));
        assert!(page.contains("<meta charset=\"utf-8\">"));
        assert!(page.contains("@media print") && page.contains("size: A4"));
        assert!(page.trim_end().ends_with("</html>"));
        assert_eq!(page.matches("<svg").count(), 1);
        assert_eq!(page.matches("</svg>").count(), 1);
        assert!(!page.contains("<?xml"));
        assert!(!page.contains("<script"));
        // Self-contained: nothing is fetched, nothing links out.
        for external in ["src=", "href", "url(", "@import", "<link", "https:"] {
            assert!(!page.contains(external), "found {external}");
        }
        for needle in [
            "ZM-2015-000123",
            "欧阳娜娜",
            "11010519491231002X",
            "居民身份证",
            "V0001",
            "2.5",
            "1.6",
            "0.7",
            ">4.9<",
            "王五",
            "李四",
            "010-12345678",
            "7KQ2-M9XD",
            "本证明仅用于证明志愿服务经历。",
            "某区志愿者协会",
        ] {
            assert!(page.contains(needle), "missing {needle}");
        }
        // Balanced tables and rows.
        assert_eq!(
            page.matches("<table").count(),
            page.matches("</table>").count()
        );
        assert_eq!(page.matches("<tr>").count(), page.matches("</tr>").count());
    }

    #[test]
    fn html_escapes_every_user_string() {
        let attack = "<script>alert(1)</script>";
        let mut c = sample();
        c.name = attack.into();
        c.number = format!("N{attack}");
        c.handler = attack.into();
        c.responsible_person = attack.into();
        c.contact = "\"'><img src=x onerror=alert(1)>".into();
        c.issuing_org_name = attack.into();
        c.ledger_name = attack.into();
        c.notes = format!("{attack}\n&amp;");
        c.verification_code = attack.into();
        c.records[0].org_name = attack.into();
        c.records[0].content = attack.into();
        let page = certificate_html(&c, Some("https://example.invalid/v?x=\"<script>"));
        assert!(!page.contains("<script"), "raw <script> in page");
        assert!(!page.contains("<img"));
        assert!(!page.contains("\"'>"));
        assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(page.contains("&quot;&#39;&gt;&lt;img src=x onerror=alert(1)&gt;"));
        assert!(page.contains("&amp;amp;"));
        // The only tags are the page's own.
        assert_eq!(page.matches("<svg").count(), 1);
    }

    #[test]
    fn html_qr_encodes_the_verify_url() {
        let mut c = sample();
        c.verification_code = "AB 12/+&".into();
        let page = certificate_html(&c, Some("https://example.invalid/verify"));
        assert!(page.contains("https://example.invalid/verify?code=AB%2012%2F%2B%26"));
        let page = certificate_html(&c, Some("https://example.invalid/verify?lang=zh"));
        assert!(page.contains("https://example.invalid/verify?lang=zh&amp;code=AB%2012%2F%2B%26"));
        // The QR is the one made from that URL.
        let svg = qr_svg("https://example.invalid/verify?lang=zh&code=AB%2012%2F%2B%26").unwrap();
        let inline = &svg[svg.find("<svg").unwrap()..];
        assert!(page.contains(inline));
    }

    #[test]
    fn html_without_qr_when_too_long() {
        let mut c = sample();
        c.verification_code = "x".repeat(4000);
        let page = certificate_html(&c, None);
        assert_eq!(page.matches("<svg").count(), 0);
        assert!(page.contains("(no QR code)"));
        assert!(page.contains(&c.verification_code));
    }

    #[test]
    fn qr_svg_renders_and_refuses_too_long() {
        let svg = qr_svg("7KQ2-M9XD").unwrap();
        assert!(svg.starts_with("<?xml") || svg.starts_with("<svg"));
        assert!(svg.contains("<svg") && svg.ends_with("</svg>"));
        // 4-pixel modules with a 4-module quiet zone: version 1 is 21 modules, 29 with the zone.
        assert!(svg.contains("width=\"116\""), "{svg}");
        assert!(qr_svg(&"x".repeat(5000)).is_none());
        assert!(qr_svg("").is_some());
        assert!(qr_svg("志愿服务").is_some());
    }

    #[test]
    fn percent_encoding_and_escaping() {
        assert_eq!(percent_encode("Az09-._~"), "Az09-._~");
        assert_eq!(percent_encode("a b?&=#志"), "a%20b%3F%26%3D%23%E5%BF%97");
        assert_eq!(escape_html("&<>\"'x"), "&amp;&lt;&gt;&quot;&#39;x");
    }

    #[test]
    fn width_and_wrap() {
        assert_eq!(display_width("志愿 ab"), 7);
        assert_eq!(display_width("（）"), 4);
        assert_eq!(wrap("志愿服务记录", 5), vec!["志愿", "服务", "记录"]);
        assert_eq!(wrap("", 5), vec![""]);
        assert_eq!(wrap("abc def", 4), vec!["abc", "def"]);
        for line in wrap("社区垃圾分类宣传与入户指导 and some English", 9) {
            assert!(display_width(&line) <= 9);
        }
    }
}
