//! The certificate as plain text: the fields aligned under Chinese and English labels, and a
//! table of records whose columns stay aligned with CJK text.

use super::clean::{clean_block, clean_line};
use super::columns::{display_width, pad_left, pad_right, wrap};
use super::wording::{TITLE_EN, TITLE_ZH, hours, identity_kind_label, ledger_label, statement};
use crate::certificate::Certificate;

/// The widest an org name or a content may be in the text table, in terminal columns, before
/// it wraps onto the next line.
const ORG_COLUMN_MAX: usize = 24;
const CONTENT_COLUMN_MAX: usize = 32;

/// Renders a certificate (志愿服务记录证明) as plain text: Chinese headings with English after
/// them, the fields aligned, a table of records whose columns stay aligned with CJK text (a
/// Chinese character counts as two columns; long org names and contents wrap within their
/// column), and the lines the responsible person and the handler sign on beside the seal's
/// place, as on the printed page.
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
/// assert!(text.starts_with("志愿服务记录证明 / Certificate of Volunteer Service Record"));
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
    let head = person_fields(c);
    let tail = issuer_fields(c);
    let label_width = head
        .iter()
        .chain(tail.iter())
        .map(|(label, _)| display_width(label))
        .max()
        .unwrap_or(0);

    for (label, value) in &head {
        field(&mut out, label_width, label, value);
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
    training_and_commendations(&mut out, c);
    issuer_lines(&mut out, c, &tail, label_width);
    out.push('\n');
    signature_lines(&mut out);
    out
}

/// The lines the responsible person and the handler sign on, and the seal's place: the
/// certificate is valid with both signatures and the issuing org's seal.
fn signature_lines(out: &mut String) {
    let labels = [
        "负责人（签字）/ Responsible person (signature)",
        "经办人（签字）/ Handler (signature)",
    ];
    let width = labels.iter().map(|l| display_width(l)).max().unwrap_or(0);
    for label in labels {
        push_line(
            out,
            &format!("{}  ____________________", pad_right(label, width)),
        );
    }
    out.push('\n');
    push_line(out, "出具单位（盖章）/ Seal of the issuing org");
}

/// The volunteer's fields, labelled: number, name, identity, volunteer number and period.
fn person_fields(c: &Certificate) -> [(&'static str, String); 6] {
    [
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
    ]
}

/// The issuer's fields, labelled, then the notes (filled in by [`issuer_lines`]) and the
/// verification code.
fn issuer_fields(c: &Certificate) -> [(&'static str, String); 8] {
    [
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
    ]
}

/// One field: its label padded to `label_width`, then the value.
fn field(out: &mut String, label_width: usize, label: &str, value: &str) {
    push_line(out, &format!("{}  {value}", pad_right(label, label_width)));
}

/// The training and commendations the certificate shows, each list only when it has any.
fn training_and_commendations(out: &mut String, c: &Certificate) {
    if !c.training.is_empty() {
        push_line(out, "培训情况 / Training");
        for t in &c.training {
            push_line(
                out,
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
        push_line(out, "表彰奖励 / Commendations");
        for x in &c.commendations {
            push_line(
                out,
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
}

/// The issuer's fields; the notes' lines after the first are indented under the value.
fn issuer_lines(out: &mut String, c: &Certificate, tail: &[(&str, String)], label_width: usize) {
    for (label, value) in tail {
        if label.starts_with("备注") {
            let notes = clean_block(&c.notes);
            let mut lines = notes
                .lines()
                .map(str::trim_end)
                .filter(|l| !l.trim().is_empty());
            match lines.next() {
                None => field(out, label_width, label, "无 / None"),
                Some(first) => {
                    field(out, label_width, label, first);
                    // Continuation lines are indented under the value, so no line of a note
                    // can pass for a field of its own.
                    for line in lines {
                        push_line(out, &format!("{}  {line}", " ".repeat(label_width)));
                    }
                }
            }
        } else {
            field(out, label_width, label, value);
        }
    }
}

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

/// Appends a line and its newline.
fn push_line(out: &mut String, line: &str) {
    out.push_str(line);
    out.push('\n');
}
