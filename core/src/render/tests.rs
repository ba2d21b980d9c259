//! Both forms of a sample certificate, the QR code, and the helpers they share.

use super::columns::{display_width, wrap};
use super::html::escape_html;
use super::qr::percent_encode;
use super::wording::{hours, identity_kind_label};
use super::*;
use crate::certificate::Certificate;
use crate::certificate::CertificateRecord;
use crate::ids::IdentityKind;
use chrono::NaiveDate;

fn date(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2015, m, d).unwrap()
}

fn record(id: &str, m: u32, d: u32, org: &str, content: &str, minutes: u32) -> CertificateRecord {
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
    assert!(text.starts_with("志愿服务记录证明 / Certificate of Volunteer Service Record\n"));
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
    assert!(
        text.lines()
            .any(|l| l.starts_with(' ') && l.trim_start() == "验证码 / Verification code  FAKE")
    );
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
        identity_kind_label(IdentityKind::HkMacauPermit).starts_with("港澳居民来往内地通行证 / ")
    );
    assert!(
        identity_kind_label(IdentityKind::TaiwanPermit).starts_with("台湾居民来往大陆通行证 / ")
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

#[test]
fn the_default_layout_renders_within_a_districts_bounds() {
    // The default layout is also a valid district template, within the work a district's
    // template is allowed, and gives the same page.
    let mut c = sample();
    for i in 0..60 {
        c.records
            .push(record(&format!("X{i}"), 10, 1, "某社区", "助老服务", 60));
    }
    let own = certificate_html_with_template(&c, None, DEFAULT_CERTIFICATE_TEMPLATE);
    let own = match own {
        Ok(page) => page,
        Err(e) => panic!("{e}"),
    };
    assert_eq!(own, certificate_html(&c, None));
}

/// A sample certificate with `n` records of one line each.
fn with_records(n: usize) -> Certificate {
    let mut c = sample();
    c.records = (0..n)
        .map(|i| {
            record(
                &format!("R{i}"),
                1 + (i as u32 % 12),
                1,
                "某社区",
                "助老服务",
                60,
            )
        })
        .collect();
    c.total_minutes = 60 * n as i64;
    c
}

/// The page numbers a page prints, in order.
fn page_numbers(page: &str) -> Vec<String> {
    page.match_indices("第 ")
        .filter_map(|(i, _)| page[i..].split_once(" 页 <").map(|(s, _)| s.to_string()))
        .filter(|s| s.contains("共"))
        .collect()
}

#[test]
fn up_to_fifteen_records_print_on_one_page() {
    for n in [0, 1, 2, 15, 16] {
        let page = certificate_html(&with_records(n), None);
        assert_eq!(page_numbers(&page), vec!["第 1 页 共 1"], "{n} records");
        assert_eq!(page.matches("<section class=\"page\">").count(), 1);
    }
    // Two long contents among fifteen still fit.
    let mut c = with_records(15);
    c.records[3].content = "社区垃圾分类宣传与入户指导，协助整理回收站点并登记居民参与情况".into();
    c.records[9].content = c.records[3].content.clone();
    assert_eq!(
        page_numbers(&certificate_html(&c, None)),
        vec!["第 1 页 共 1"]
    );
}

#[test]
fn more_records_continue_on_numbered_pages_with_the_total_once() {
    let c = with_records(40);
    let page = certificate_html(&c, None);
    assert_eq!(page_numbers(&page), vec!["第 1 页 共 2", "第 2 页 共 2"]);
    // The table's header on every page, the volunteer's fields on the first, the total, the
    // signatures, the seal and the QR code once, on the last.
    assert_eq!(page.matches("<thead>").count(), 2);
    assert_eq!(page.matches("证件号码 <span").count(), 1);
    assert_eq!(page.matches("合计 <span").count(), 1);
    assert_eq!(page.matches("负责人（签字）").count(), 1);
    assert_eq!(page.matches("经办人（签字）").count(), 1);
    assert_eq!(page.matches("class=\"seal\"").count(), 1);
    assert_eq!(page.matches("<svg").count(), 1);
    assert!(page.find("合计 <span").unwrap() > page.rfind("<section").unwrap());
    // Every record once, in order.
    let mut at = 0;
    for i in 1..=40 {
        let cell = format!("<td class=\"idx\">{i}</td>");
        let found = page[at..].find(&cell).expect("every record is printed");
        at += found + cell.len();
    }
    assert!(!page[at..].contains("<td class=\"idx\">"));
}

#[test]
fn the_seal_never_stands_alone_on_a_page() {
    for n in 1..=200 {
        let split = super::pages::paginate(&vec![66; n], 860);
        assert!(split.last().is_some_and(|p| !p.is_empty()), "{n} rows");
        assert_eq!(split.concat(), (0..n).collect::<Vec<_>>());
    }
    for n in [16, 17, 29, 30, 31, 45, 66, 67] {
        let page = certificate_html(&with_records(n), None);
        let last = &page[page.rfind("<section").unwrap()..];
        assert!(last.contains("<td class=\"idx\">"), "{n} records");
        assert!(last.contains("class=\"seal\""));
    }
    // Pages follow what fits: a page of the middle holds more than the first.
    let split = super::pages::paginate(&[64; 200], 900);
    assert!(split.len() > 5 && split[1].len() > split[0].len());
    assert_eq!(split.iter().map(Vec::len).sum::<usize>(), 200);
    // A row taller than a page still goes somewhere, and nothing loops.
    let split = super::pages::paginate(&[100_000, 64, 100_000], 900);
    assert_eq!(split.concat(), vec![0, 1, 2]);
    assert_eq!(super::pages::paginate(&[], 900), vec![Vec::<usize>::new()]);
}

#[test]
fn the_page_declares_a4_and_a_cjk_font_chain() {
    let page = certificate_html(&sample(), None);
    assert!(page.contains("@page { size: A4; margin: 12mm 15mm; }"));
    assert!(page.contains("break-after: page"));
    for font in [
        "Noto Sans CJK SC",
        "Source Han Sans SC",
        "Microsoft YaHei",
        "PingFang SC",
        "SimSun",
        "WenQuanYi Micro Hei",
    ] {
        assert!(page.contains(&format!("\"{font}\"")), "{font}");
    }
    assert!(page.contains("志愿服务记录证明") && !page.contains("志愿服务证明"));
}

#[test]
fn the_qr_is_a_url_or_a_text_naming_the_signed_certificate() {
    let c = sample();
    let text = certificate_qr_payload(&c, None);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], CERTIFICATE_QR_TAG);
    assert_eq!(lines[1], "ledger=district");
    assert_eq!(lines[2], "no=ZM-2015-000123");
    assert_eq!(lines[3], "code=7KQ2-M9XD");
    let digest = crate::hash::hash_bytes(&crate::ledger::certificate_bytes(&c)).to_hex();
    assert_eq!(lines[4], format!("digest={digest}"));
    assert_eq!(lines[5], format!("key={}", "cd".repeat(32)));
    assert_eq!(lines.len(), 6);
    // The page's QR code is that text, and says so.
    let page = certificate_html(&c, None);
    let svg = qr_svg(&text).unwrap();
    assert!(page.contains(&svg[svg.find("<svg").unwrap()..]));
    // An empty URL is no URL.
    assert_eq!(certificate_qr_payload(&c, Some("  ")), text);
    // A value that is not plain ASCII is percent-encoded: every scanner reads it the same.
    let mut odd = c.clone();
    odd.number = "证明 1\n".into();
    assert!(certificate_qr_payload(&odd, None).contains("\nno=%E8%AF%81%E6%98%8E%201%0A\n"));
    assert!(certificate_qr_payload(&odd, None).is_ascii());

    check_certificate_qr(&c, &text).unwrap();
    check_certificate_qr(&c, &format!("{text}\n")).unwrap();
    for (changed, why) in [
        (text.replace("VLCERT/1", "VLCERT/2"), "tag"),
        (text.replace("code=7KQ2-M9XD", "code=7KQ2-M9XE"), "code"),
        (text.replace(&digest, &"0".repeat(64)), "digest"),
        (
            text.lines().take(5).collect::<Vec<_>>().join("\n"),
            "fields",
        ),
        (String::new(), "empty"),
        (
            "https://example.invalid/verify?code=7KQ2-M9XD".into(),
            "url",
        ),
    ] {
        let e = check_certificate_qr(&c, &changed).unwrap_err();
        assert_eq!(e.code(), "E_CERTIFICATE_FORMAT", "{why}");
        assert!(!e.to_string().contains("7KQ2"), "{why}: {e}");
    }
    // Another certificate (any signed field changed) has another digest.
    let mut other = c.clone();
    other.records[0].minutes += 1;
    assert!(check_certificate_qr(&other, &text).is_err());
}

#[test]
fn a_districts_template_renders_escaped_and_its_errors_name_the_line() {
    let mut c = sample();
    c.name = "<b>张三</b>".into();
    let page = certificate_html_with_template(
        &c,
        Some("https://example.invalid/v"),
        "{% for p in pages %}{% for r in p.records %}{{ r.index }}:{{ r.hours }};{% endfor %}{% endfor %}\
         |{{ name }}|{{ identity_number_masked }}|{{ qr_payload }}|{{ qr_is_url }}|{{ page_count }}",
    )
    .unwrap();
    assert_eq!(
        page,
        "1:2.5;2:1.6;3:0.7;|&lt;b&gt;张三&lt;/b&gt;|110105********002X|\
         https://example.invalid/v?code=7KQ2-M9XD|True|1"
    );
    // No way around the escaping: no `safe` filter, and autoescape blocks change nothing.
    let e = certificate_html_with_template(&c, None, "{{ name|safe }}").unwrap_err();
    assert_eq!(e.code(), "E_CERTIFICATE_TEMPLATE");
    let page = certificate_html_with_template(
        &c,
        None,
        "{% autoescape false %}{{ name }}{% endautoescape %}",
    )
    .unwrap();
    assert_eq!(page, "&lt;b&gt;张三&lt;/b&gt;");
    // Only the QR code comes in as markup.
    let page = certificate_html_with_template(&c, None, "{{ qr_svg }}").unwrap();
    assert!(page.starts_with("<svg"));

    for (template, line, what) in [
        ("<p>\n\n{% if name %}\n", 3, "syntax error"),
        ("<p>{{ name }}</p>\n<p>{{ nmae }}</p>", 2, "undefined name"),
        ("\n\n{{ name|shout }}", 3, "unknown filter"),
        (
            "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
            1,
            "too much work",
        ),
        ("{% include 'other.html' %}", 1, "unknown statement include"),
    ] {
        let e = certificate_html_with_template(&c, None, template).unwrap_err();
        assert_eq!(e.code(), "E_CERTIFICATE_TEMPLATE", "{template}");
        assert_eq!(e.family(), crate::ErrorFamily::Input);
        let msg = e.to_string();
        assert!(msg.contains(&format!("line {line}:")), "{msg}");
        assert!(msg.contains(&format!("第 {line} 行")), "{msg}");
        assert!(msg.contains(what), "{msg}");
        assert!(!msg.contains("张三") && !msg.contains("002X"), "{msg}");
        assert_eq!(e.fields()["line"], line.to_string());
    }
    let huge = "x".repeat(MAX_TEMPLATE_BYTES + 1);
    let e = certificate_html_with_template(&c, None, &huge).unwrap_err();
    assert_eq!(e.code(), "E_CERTIFICATE_TEMPLATE");
    assert!(e.to_string().contains("line 0"));
}

#[test]
fn text_has_the_signature_lines_and_the_seal() {
    let text = certificate_text(&sample());
    let sign = |label: &str| {
        text.lines()
            .find(|l| l.starts_with(label))
            .unwrap_or_else(|| panic!("no {label}"))
            .to_string()
    };
    assert!(sign("负责人（签字）").ends_with("____________________"));
    assert!(sign("经办人（签字）").ends_with("____________________"));
    assert_eq!(
        display_width(&sign("负责人（签字）")),
        display_width(&sign("经办人（签字）"))
    );
    assert!(
        text.trim_end()
            .ends_with("出具单位（盖章）/ Seal of the issuing org")
    );
}

#[test]
fn the_fuzz_targets_sample_certificate_reads() {
    // fuzz/fuzz_targets/texts.rs renders templates over this certificate: it must read.
    let src = include_str!("../../../fuzz/fuzz_targets/texts.rs");
    let json = src
        .split_once("const SAMPLE: &str = r#\"")
        .and_then(|(_, rest)| rest.split_once("\"#;"))
        .map(|(json, _)| json)
        .unwrap();
    let c: Certificate = serde_json::from_str(json).unwrap();
    assert_eq!(c.records.len(), 1);
}
