//! Manual upload (手动记录上传): CSV and xlsx sheets read, validated and added to a ledger.
//!
//! `VL_WRITE_SAMPLES=1 cargo test -p volunteer-ledger --test import write_samples` writes the
//! sample sheets of `examples/data/` (`upload_sample.xlsx`, `upload_sample_gbk.csv`).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use std::path::PathBuf;
use volunteer_ledger::import::{
    E_UPLOAD_DATE, E_UPLOAD_DURATION, E_UPLOAD_TIME, Field, ImportOptions, ImportReport,
    RowProblem, SheetFormat, TextEncoding, read_sheet, upload,
};
use volunteer_ledger::*;

const OFFSET: i32 = 480;

fn id<T: std::str::FromStr>(s: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    s.parse().unwrap()
}

fn admin() -> ActorId {
    id("admin")
}

fn t(m: u32, d: u32, h: u32, min: u32) -> Timestamp {
    Timestamp::from_local(OFFSET, 2015, m, d, h, min).unwrap()
}

/// Names and identity numbers of the small test ledger: none may appear in any message.
const PEOPLE: &[(&str, &str, &str)] = &[
    ("V1", "张三丰", "11010519491231002X"),
    ("V2", "李四光", "360502198912010016"),
    ("V3", "王五", "360502195809020028"),
];

/// Orgs D > C1, D > C2; volunteers V1–V3; the clock on 2015-06-30.
fn small_ledger() -> Ledger {
    let mut l = Ledger::in_memory(LedgerConfig::new(id("test"), "测试区", admin())).unwrap();
    l.set_clock(Clock::Fixed(t(6, 30, 12, 0)));
    for (o, p, k) in [
        ("D", None, OrgKind::District),
        ("C1", Some("D"), OrgKind::Community),
        ("C2", Some("D"), OrgKind::Community),
    ] {
        l.register_org(
            &admin(),
            NewOrg {
                id: id(o),
                name: format!("{o}名"),
                kind: k,
                parent: p.map(id),
            },
        )
        .unwrap();
    }
    for (v, name, number) in PEOPLE {
        l.register_volunteer(
            &admin(),
            NewVolunteer {
                id: id(v),
                name: (*name).into(),
                identity_kind: IdentityKind::ResidentId,
                identity_number: (*number).into(),
                home_org: Some(id("C1")),
            },
        )
        .unwrap();
    }
    l
}

fn up(l: &mut Ledger, bytes: &[u8], dry_run: bool) -> ImportReport {
    upload(
        l,
        &admin(),
        bytes,
        &ImportOptions::default(),
        dry_run,
        Progress::none(),
    )
    .unwrap()
}

fn codes(r: &ImportReport) -> Vec<(i32, Option<&str>, &str)> {
    r.rejected
        .iter()
        .map(|p| (p.row, p.column.as_deref(), p.code.as_str()))
        .collect()
}

fn assert_no_personal_data(problems: &[RowProblem], people: &[(String, String)]) {
    for p in problems {
        for (name, number) in people {
            for m in [&p.message_en, &p.message_zh] {
                assert!(!m.contains(name.as_str()), "row {}: name in {m}", p.row);
                assert!(
                    !m.contains(number.as_str()),
                    "row {}: identity in {m}",
                    p.row
                );
                // Not even the first 6 or last 4 of the number, nor the birth date part.
                assert!(
                    !m.contains(&number[6..14]),
                    "row {}: birth date in {m}",
                    p.row
                );
            }
        }
    }
}

fn people() -> Vec<(String, String)> {
    PEOPLE
        .iter()
        .map(|(_, n, i)| ((*n).to_owned(), (*i).to_owned()))
        .collect()
}

const CLEAN: &str = "志愿者编号,组织编号,服务日期,开始时间,结束时间,服务时长(小时),服务内容
V1,C1,2015-06-02,9:00,11:30,2.5,助老
V2,C1,2015/6/2,09:00:00,11:00:00,2,助老
V3,C2,2015年6月3日,9时30分,11时,,清扫
";

// ---------------------------------------------------------------------------------------------
// Reading CSV

#[test]
fn csv_with_bom_and_header_below_a_title() {
    let body = "学田社区志愿服务记录表,,,,,,\n填表人：某某,,,,,,\n\n\
                序号,姓名,志愿者编号,服务日期,开始时间,结束时间,服务时长（小时）,组织编号\n\
                1,张三丰,V1,2015-06-02,9:00,11:30,2.5,C1\n\
                ,,,,,,,\n,,,,,,,\n";
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(body.as_bytes());
    let sheet = read_sheet(&bytes, &ImportOptions::default()).unwrap();
    assert_eq!(sheet.header_row, 4);
    assert_eq!(sheet.rows.len(), 1, "blank trailing rows are ignored");
    assert_eq!(sheet.rows[0].row, 5);
    assert_eq!(
        sheet.header_of(Field::Hours).as_deref(),
        Some("服务时长（小时）")
    );
    assert_eq!(sheet.columns[0], ("序号".to_owned(), Field::Other));
    let r = sheet.rows[0].record.clone().unwrap();
    assert_eq!(r.id.as_str(), format!("{}-5", &sheet.fingerprint[..16]));
    assert_eq!(r.source, RecordSource::Import);
    assert_eq!(
        (r.start, r.end, r.minutes),
        (t(6, 2, 9, 0), t(6, 2, 11, 30), 150)
    );
    assert_eq!(sheet.fingerprint.len(), 64);
}

#[test]
fn english_headers_and_span_when_no_duration() {
    let csv = "Volunteer ID,Org,Date,Start,End,Content,Record ID\n\
               V1,C1,2015-06-02,9:00,10:45,reading,R-7\n";
    let sheet = read_sheet(csv.as_bytes(), &ImportOptions::default()).unwrap();
    let r = sheet.rows[0].record.clone().unwrap();
    assert_eq!(r.minutes, 105);
    assert_eq!(r.id.as_str(), "R-7", "the sheet's own record id wins");
    assert_eq!(r.content, "reading");
}

#[test]
fn every_date_time_and_duration_form_in_one_sheet() {
    let csv = "志愿者编号,组织编号,服务日期,开始时间,结束时间,服务时长(小时)
V1,C1,2015-06-02,9:00,10:00,1
V1,C1,2015/6/3,09:00:00,10:00:00,0.5
V1,C1,2015年6月4日,9时30分,11时,1.25
V1,C1,20150605,0.375,0.5,1.99
V1,C1,42162,9点,10点半,1.5小时
V1,C1,２０１５－０６－０８,９：００,１０：３０,１．５
V1,C1,2015-06-09,上午9:00,下午1:00,240分钟
V1,C1,,2015-06-10 09:00,2015-06-10 10:00,
";
    let sheet = read_sheet(csv.as_bytes(), &ImportOptions::default()).unwrap();
    let got: Vec<(Timestamp, Timestamp, u32)> = sheet
        .rows
        .iter()
        .map(|r| {
            let r = r.record.clone().unwrap();
            (r.start, r.end, u32::try_from(r.minutes).unwrap())
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (t(6, 2, 9, 0), t(6, 2, 10, 0), 60),
            (t(6, 3, 9, 0), t(6, 3, 10, 0), 30),
            (t(6, 4, 9, 30), t(6, 4, 11, 0), 75),
            (t(6, 5, 9, 0), t(6, 5, 12, 0), 119),
            (t(6, 7, 9, 0), t(6, 7, 10, 30), 90),
            (t(6, 8, 9, 0), t(6, 8, 10, 30), 90),
            (t(6, 9, 9, 0), t(6, 9, 13, 0), 240),
            (t(6, 10, 9, 0), t(6, 10, 10, 0), 60),
        ]
    );
}

#[test]
fn gbk_csv_is_detected_and_can_be_stated() {
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(CLEAN);
    assert!(!unmappable);
    assert!(std::str::from_utf8(&gbk).is_err());
    let mut l = small_ledger();
    let r = up(&mut l, &gbk, false);
    assert_eq!(
        (r.rows, r.accepted, r.rejected.len()),
        (3, 3, 0),
        "{:?}",
        r.rejected
    );
    let stated = ImportOptions {
        encoding: TextEncoding::Gbk,
        ..ImportOptions::default()
    };
    let sheet = read_sheet(&gbk, &stated).unwrap();
    assert_eq!(sheet.rows.len(), 3);
    assert_eq!(
        sheet.rows[2].record.as_ref().unwrap().content,
        "清扫",
        "Chinese text decoded"
    );
    let wrong = ImportOptions {
        encoding: TextEncoding::Utf8,
        ..ImportOptions::default()
    };
    let e = read_sheet(&gbk, &wrong).unwrap_err();
    assert_eq!(e.code(), "E_FIELD");
    assert!(e.to_string().contains("E_UPLOAD_ENCODING"));
}

#[test]
fn default_org_fills_a_missing_org_column() {
    let csv = "志愿者编号,服务日期,开始时间,结束时间\nV1,2015-06-02,9:00,10:00\n";
    let e = read_sheet(csv.as_bytes(), &ImportOptions::default()).unwrap_err();
    assert!(e.to_string().contains("E_UPLOAD_HEADER"), "{e}");
    let opts = ImportOptions {
        default_org: Some(id("C2")),
        ..ImportOptions::default()
    };
    let sheet = read_sheet(csv.as_bytes(), &opts).unwrap();
    assert_eq!(sheet.rows[0].record.as_ref().unwrap().org.as_str(), "C2");
}

#[test]
fn sheets_without_usable_headers_are_refused() {
    for csv in [
        "a,b,c\n1,2,3\n",
        "",
        "姓名,证件号码,服务日期\n张三丰,11010519491231002X,2015-06-02\n",
    ] {
        let e = read_sheet(csv.as_bytes(), &ImportOptions::default()).unwrap_err();
        assert_eq!(e.code(), "E_FIELD");
        assert!(e.to_string().contains("E_UPLOAD_HEADER"), "{e}");
        assert!(!e.to_string().contains("张三丰"));
    }
}

#[test]
fn a_bad_utc_offset_is_refused() {
    let opts = ImportOptions {
        utc_offset_minutes: 15 * 60,
        ..ImportOptions::default()
    };
    assert_eq!(
        read_sheet(CLEAN.as_bytes(), &opts).unwrap_err().code(),
        "E_FIELD"
    );
}

// ---------------------------------------------------------------------------------------------
// Reading xlsx

/// A workbook with a title row, the header on row 3, dates as Excel date cells and as plain
/// serial numbers, times as fractions of a day.
fn test_workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    let time_fmt = Format::new().set_num_format("hh:mm");
    let ws = wb.add_worksheet();
    ws.set_name("说明").unwrap();
    ws.write_string(0, 0, "填写说明：每行一条服务记录").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("服务记录").unwrap();
    ws.write_string(0, 0, "学田社区志愿服务记录表").unwrap();
    let headers = [
        "姓名",
        "身份证号",
        "志愿者编号",
        "服务日期",
        "开始时间",
        "结束时间",
        "服务时长(小时)",
        "组织编号",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    // Row 4: a date cell and time cells.
    ws.write_string(3, 0, "张三丰").unwrap();
    ws.write_string(3, 1, "11010519491231002X").unwrap();
    ws.write_string(3, 2, "V1").unwrap();
    ws.write_datetime_with_format(
        3,
        3,
        ExcelDateTime::from_ymd(2015, 6, 2).unwrap(),
        &date_fmt,
    )
    .unwrap();
    ws.write_datetime_with_format(3, 4, ExcelDateTime::from_hms(9, 0, 0).unwrap(), &time_fmt)
        .unwrap();
    ws.write_datetime_with_format(3, 5, ExcelDateTime::from_hms(11, 30, 0).unwrap(), &time_fmt)
        .unwrap();
    ws.write_number(3, 6, 2.5).unwrap();
    ws.write_string(3, 7, "C1").unwrap();
    // Row 5: the date as a plain serial number, times as plain fractions, no duration.
    ws.write_string(4, 0, "李四光").unwrap();
    ws.write_string(4, 2, "V2").unwrap();
    ws.write_number(4, 3, 42157.0).unwrap();
    ws.write_number(4, 4, 14.0 / 24.0).unwrap();
    ws.write_number(4, 5, 15.5 / 24.0).unwrap();
    ws.write_string(4, 7, "C1").unwrap();
    // Row 6: numeric text serial, text times, a bad duration.
    ws.write_string(5, 2, "V3").unwrap();
    ws.write_string(5, 3, "42158").unwrap();
    ws.write_string(5, 4, "9:00").unwrap();
    ws.write_string(5, 5, "10:00").unwrap();
    ws.write_string(5, 6, "一小时").unwrap();
    ws.write_string(5, 7, "C2").unwrap();
    // Row 8, after a blank row: a total row, ignored.
    ws.write_string(7, 0, "合计").unwrap();
    ws.write_number(7, 6, 3.5).unwrap();
    wb.save_to_buffer().unwrap()
}

#[test]
fn xlsx_with_date_cells_serials_and_time_fractions() {
    let bytes = test_workbook();
    let opts = ImportOptions {
        sheet: Some("服务记录".into()),
        ..ImportOptions::default()
    };
    let sheet = read_sheet(&bytes, &opts).unwrap();
    assert_eq!(sheet.header_row, 3);
    assert_eq!(
        sheet.rows.iter().map(|r| r.row).collect::<Vec<_>>(),
        vec![4, 5, 6]
    );
    let r4 = sheet.rows[0].record.clone().unwrap();
    assert_eq!(
        (r4.start, r4.end, r4.minutes),
        (t(6, 2, 9, 0), t(6, 2, 11, 30), 150)
    );
    let r5 = sheet.rows[1].record.clone().unwrap();
    assert_eq!(
        (r5.start, r5.end, r5.minutes),
        (t(6, 2, 14, 0), t(6, 2, 15, 30), 90)
    );
    let p6 = sheet.rows[2].record.clone().unwrap_err();
    assert_eq!(
        (p6.row, p6.column.as_deref(), p6.code.as_str()),
        (6, Some("服务时长(小时)"), E_UPLOAD_DURATION)
    );
    // The first sheet is only instructions: no header there.
    let e = read_sheet(&bytes, &ImportOptions::default()).unwrap_err();
    assert!(e.to_string().contains("E_UPLOAD_HEADER"));
    let missing = ImportOptions {
        sheet: Some("没有".into()),
        ..ImportOptions::default()
    };
    assert_eq!(read_sheet(&bytes, &missing).unwrap_err().code(), "E_FIELD");
    // Stating the format wrongly is an error, not a panic.
    let as_csv = ImportOptions {
        format: Some(SheetFormat::Csv),
        ..ImportOptions::default()
    };
    assert!(read_sheet(&bytes, &as_csv).is_err());
}

#[test]
fn xlsx_upload_then_again_adds_nothing() {
    let bytes = test_workbook();
    let opts = ImportOptions {
        sheet: Some("服务记录".into()),
        ..ImportOptions::default()
    };
    let mut l = small_ledger();
    let first = upload(&mut l, &admin(), &bytes, &opts, false, Progress::none()).unwrap();
    assert_eq!((first.rows, first.accepted, first.duplicates), (3, 2, 0));
    let len = l.entry_count();
    let again = upload(&mut l, &admin(), &bytes, &opts, false, Progress::none()).unwrap();
    assert_eq!(
        (again.accepted, again.duplicates, again.rejected.len()),
        (0, 2, 1)
    );
    assert_eq!(l.entry_count(), len);
}

// ---------------------------------------------------------------------------------------------
// Upload

#[test]
fn reupload_adds_nothing() {
    let mut l = small_ledger();
    let first = up(&mut l, CLEAN.as_bytes(), false);
    assert_eq!((first.rows, first.accepted, first.duplicates), (3, 3, 0));
    assert!(first.rejected.is_empty(), "{:?}", first.rejected);
    let (len, digest) = (l.entry_count(), l.state_digest());
    let again = up(&mut l, CLEAN.as_bytes(), false);
    assert_eq!(again.duplicates, again.rows);
    assert_eq!((again.accepted, again.rejected.len()), (0, 0));
    assert_eq!(again.fingerprint, first.fingerprint);
    assert_eq!((l.entry_count(), l.state_digest()), (len, digest));
    let rec = l
        .record(&id(&format!("{}-2", &first.fingerprint[..16])))
        .unwrap();
    assert_eq!(rec.record.source, RecordSource::Import);
    assert_eq!(rec.state, RecordState::Confirmed);
}

#[test]
fn dry_run_leaves_the_ledger_as_it_was() {
    let mut l = small_ledger();
    let (len, digest) = (l.entry_count(), l.state_digest());
    let dry = up(&mut l, CLEAN.as_bytes(), true);
    assert!(dry.dry_run);
    assert_eq!(dry.accepted, 3);
    assert_eq!((l.entry_count(), l.state_digest()), (len, digest));
    assert_eq!(l.record_count(), 0);
    let real = up(&mut l, CLEAN.as_bytes(), false);
    assert!(!real.dry_run);
    assert_eq!(
        (real.accepted, real.rejected.clone()),
        (dry.accepted, dry.rejected)
    );
    assert_eq!(l.record_count(), 3);
}

#[test]
fn row_problems_name_row_column_and_code_but_no_person() {
    let csv = "序号,姓名,身份证号,志愿者编号,组织编号,服务日期,开始时间,结束时间,服务时长(小时)
1,张三丰,11010519491231002X,V1,C1,2015-06-02,9:00,11:00,2
2,李四光,360502198912010016,V9,C1,2015-06-02,9:00,11:00,2
3,王五,360502195809020028,V3,C1,2015-06-02,14:00,12:00,2
4,王五,360502195809020028,V3,C1,2015-06-03,14:00,16:00,3.5
5,李四光,360502198912010016,V2,C1,2015-02-30,9:00,11:00,2
6,张三丰,11010519491231002X,V1,C1,2015-06-02,10:00,12:00,2
7,李四光,360502198912010016,V2,C1,2015-06-04,,,2
8,李四光,360502198912010016,,C1,2015-06-05,9:00,10:00,1
9,李四光,360502198912010016,V2,C1,2015-06-06,9:00,10:00,两小时
10,李四光,360502198912010016,V2,C9,2015-06-07,9:00,10:00,1
11,李四光,360502198912010016,V2,C1,2015-06-08,25:00,26:00,1
12,李四光,360502198912010016,V2,C1,2015-07-08,9:00,10:00,1
13,李四光,360502198912010016,V2,C1,2015-06-09,9:00,10:00,0
14,李四光,360502198912010016,V2,C1,11010519491231002X,9:00,10:00,1
15,李四光,360502198912010016,V2,C1,2015-06-10,张三丰,10:00,1
";
    let mut l = small_ledger();
    let r = up(&mut l, csv.as_bytes(), false);
    assert_eq!(r.rows, 15);
    // Rows 2 and 9: row 9 names its volunteer by identity number only, matched on upload.
    assert_eq!(r.accepted, 2);
    assert_eq!(
        codes(&r),
        vec![
            (3, Some("志愿者编号"), "E_UNKNOWN_VOLUNTEER"),
            (4, Some("结束时间"), "E_END_NOT_AFTER_START"),
            (5, Some("服务时长(小时)"), "E_MINUTES_EXCEED_SPAN"),
            (6, Some("服务日期"), E_UPLOAD_DATE),
            (7, Some("开始时间"), "E_OVERLAP"),
            (8, Some("开始时间"), E_UPLOAD_TIME),
            (10, Some("服务时长(小时)"), E_UPLOAD_DURATION),
            (11, Some("组织编号"), "E_UNKNOWN_ORG"),
            (12, Some("开始时间"), E_UPLOAD_TIME),
            (13, Some("结束时间"), "E_FUTURE"),
            (14, Some("服务时长(小时)"), "E_ZERO_MINUTES"),
            (15, Some("服务日期"), E_UPLOAD_DATE),
            (16, Some("开始时间"), E_UPLOAD_TIME),
        ]
    );
    for p in &r.rejected {
        assert!(!p.message_en.is_empty() && !p.message_zh.is_empty());
        assert!(
            p.message_zh
                .chars()
                .any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
        );
        assert!(!p.message_en.contains(" / "), "{}", p.message_en);
    }
    assert!(r.rejected[3].message_en.contains("'2015-02-30'"));
    assert_no_personal_data(&r.rejected, &people());
    // The same problems come from read_sheet for the rows it can judge alone.
    let sheet = read_sheet(csv.as_bytes(), &ImportOptions::default()).unwrap();
    let alone: Vec<i32> = sheet
        .rows
        .iter()
        .filter_map(|r| r.record.as_ref().err().map(|p| p.row))
        .collect();
    assert_eq!(alone, vec![6, 8, 9, 10, 12, 15, 16]);
}

#[test]
fn progress_every_thousand_rows_and_at_the_end() {
    let mut csv = String::from("志愿者编号,组织编号,服务日期,开始时间,结束时间\n");
    for i in 0..2500 {
        csv.push_str(&format!("X{i},C1,2015-06-02,9:00,10:00\n"));
    }
    let mut l = small_ledger();
    let mut calls = Vec::new();
    let r = upload(
        &mut l,
        &admin(),
        csv.as_bytes(),
        &ImportOptions::default(),
        true,
        Progress::to(&mut |done, total| calls.push((done, total))),
    )
    .unwrap();
    assert_eq!(r.rows, 2500);
    assert_eq!(r.rejected.len(), 2500);
    assert_eq!(
        calls,
        vec![(0, 2500), (1000, 2500), (2000, 2500), (2500, 2500)]
    );
    let mut calls = Vec::new();
    upload(
        &mut l,
        &admin(),
        CLEAN.as_bytes(),
        &ImportOptions::default(),
        true,
        Progress::to(&mut |done, total| calls.push((done, total))),
    )
    .unwrap();
    assert_eq!(calls, vec![(0, 3), (3, 3)]);
}

#[test]
fn garbage_is_an_error_not_a_panic() {
    for bytes in [
        &b"PK\x03\x04garbage"[..],
        b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1",
        b"\xFF\xFE\x00",
        b"\x81",
        b"\"unterminated",
    ] {
        assert!(read_sheet(bytes, &ImportOptions::default()).is_err());
    }
}

/// A workbook whose cell reference overflows a row number (`A99999999999`, found by the fuzzer
/// in a mangled file) makes calamine 0.38 panic where overflow is checked; the reader refuses
/// it as an unreadable workbook instead.
#[test]
fn a_cell_reference_that_overflows_is_a_damaged_workbook() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/xlsx-cell-row-overflows.xlsx"
    ))
    .unwrap();
    let e = read_sheet(&bytes, &ImportOptions::default()).unwrap_err();
    // Refused as any damaged workbook is.
    let garbage = read_sheet(b"PK\x03\x04garbage", &ImportOptions::default()).unwrap_err();
    assert_eq!(e.code(), garbage.code(), "{e}");
    assert!(e.to_string().contains("E_UPLOAD_ENCODING"), "{e}");
    let mut l = small_ledger();
    let before = l.state_digest();
    assert!(
        upload(
            &mut l,
            &admin(),
            &bytes,
            &ImportOptions::default(),
            false,
            Progress::none()
        )
        .is_err()
    );
    assert_eq!(l.state_digest(), before);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn read_sheet_never_panics_on_random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = read_sheet(&bytes, &ImportOptions::default());
        let mut zip = b"PK\x03\x04".to_vec();
        zip.extend_from_slice(&bytes);
        let _ = read_sheet(&zip, &ImportOptions::default());
    }

    #[test]
    fn read_sheet_never_panics_on_sheet_like_text(
        cells in proptest::collection::vec(
            prop_oneof![
                Just("志愿者编号".to_owned()), Just("服务日期".to_owned()), Just("开始时间".to_owned()),
                Just("结束时间".to_owned()), Just("服务时长".to_owned()), Just("组织编号".to_owned()),
                Just(",".to_owned()), Just("\n".to_owned()), Just("\"".to_owned()),
                "[0-9:：年月日时分点半./\\-]{0,12}", "\\PC{0,6}",
            ],
            0..120,
        )
    ) {
        let text: String = cells.concat();
        if let Ok(sheet) = read_sheet(text.as_bytes(), &ImportOptions::default()) {
            for r in sheet.rows {
                if let Ok(rec) = r.record {
                    prop_assert_eq!(rec.source, RecordSource::Import);
                }
            }
        }
    }

    /// Whatever hours are written, the minutes are the hours × 60 rounded to the nearest minute.
    #[test]
    fn hours_round_to_the_nearest_minute(cents in 1u32..2400) {
        let hours = format!("{}.{:02}", cents / 100, cents % 100);
        let csv = format!(
            "志愿者编号,组织编号,服务日期,开始时间,结束时间,服务时长(小时)\nV1,C1,2015-06-02,0:00,24:00,{hours}\n"
        );
        let sheet = read_sheet(csv.as_bytes(), &ImportOptions::default()).unwrap();
        let want = (f64::from(cents) * 0.6).round() as i64;
        prop_assert_eq!(sheet.rows[0].record.as_ref().unwrap().minutes, want);
    }
}

// ---------------------------------------------------------------------------------------------
// The sample sheets of examples/data

fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/data")
}

struct Person {
    id: String,
    name: String,
    identity: String,
    home: String,
}

fn sample_people() -> Vec<Person> {
    let mut r = csv::Reader::from_path(data_dir().join("volunteers.csv")).unwrap();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            Person {
                id: rec[0].to_owned(),
                name: rec[1].to_owned(),
                identity: rec[3].to_owned(),
                home: rec[4].to_owned(),
            }
        })
        .collect()
}

/// The sample district (orgs of district.json, volunteers of volunteers.csv), clock 2015-07-03.
fn district_ledger() -> Ledger {
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data_dir().join("district.json")).unwrap())
            .unwrap();
    let mut l = Ledger::in_memory(LedgerConfig::new(
        id(json["ledger"]["id"].as_str().unwrap()),
        json["ledger"]["name"].as_str().unwrap(),
        admin(),
    ))
    .unwrap();
    l.set_clock(Clock::Fixed(t(7, 3, 12, 0)));
    for o in json["orgs"].as_array().unwrap() {
        l.register_org(
            &admin(),
            NewOrg {
                id: id(o["id"].as_str().unwrap()),
                name: o["name"].as_str().unwrap().into(),
                kind: id(o["kind"].as_str().unwrap()),
                parent: o["parent"].as_str().map(id),
            },
        )
        .unwrap();
    }
    for p in sample_people() {
        l.register_volunteer(
            &admin(),
            NewVolunteer {
                id: id(&p.id),
                name: p.name,
                identity_kind: IdentityKind::ResidentId,
                identity_number: p.identity,
                home_org: Some(id(&p.home)),
            },
        )
        .unwrap();
    }
    l
}

const SAMPLE_HEADERS: [&str; 12] = [
    "序号",
    "姓名",
    "身份证号",
    "志愿者编号",
    "活动名称",
    "服务日期",
    "开始时间",
    "结束时间",
    "服务时长(小时)",
    "服务内容",
    "组织编号",
    "备注",
];

/// The hand-kept rows: (volunteer, activity, date, start, end, hours, content, org, notes).
/// Five carry a deliberate mistake (see the notes column of each).
const SAMPLE_ROWS: &[[&str; 9]] = &[
    [
        "XT00001",
        "重阳敬老",
        "2015-06-06",
        "9:00",
        "11:30",
        "2.5",
        "陪伴独居老人聊天",
        "C0101",
        "",
    ],
    [
        "XT00002",
        "重阳敬老",
        "2015/6/6",
        "9:00",
        "11:30",
        "2",
        "打扫老人住所",
        "C0101",
        "路上半小时不计",
    ],
    [
        "XT00010",
        "社区环境整治",
        "2015年6月13日",
        "8:30",
        "11:30",
        "3",
        "清理楼道小广告",
        "C0101",
        "",
    ],
    [
        "XT00012",
        "社区环境整治",
        "20150613",
        "8:30",
        "11:00",
        "",
        "清理楼道小广告",
        "C0101",
        "时长按起止时间",
    ],
    [
        "XT00004",
        "文明交通劝导",
        "2015-06-13",
        "07:30",
        "09:30",
        "2",
        "路口文明劝导",
        "C0102",
        "",
    ],
    [
        "XT09999",
        "文明交通劝导",
        "2015-06-13",
        "7:30",
        "9:30",
        "2",
        "路口文明劝导",
        "C0102",
        "编号写错",
    ],
    [
        "XT00007",
        "社区义诊",
        "2015-06-20",
        "14:00",
        "12:00",
        "2",
        "协助义诊登记",
        "C0103",
        "起止写反",
    ],
    [
        "XT00008",
        "社区义诊",
        "2015-06-20",
        "14:00",
        "16:00",
        "3.5",
        "协助义诊登记",
        "C0103",
        "时长超过起止",
    ],
    [
        "XT00003",
        "书屋整理",
        "2015-02-30",
        "9:00",
        "11:00",
        "2",
        "社区书屋图书整理",
        "C0303",
        "日期不存在",
    ],
    [
        "XT00001",
        "四点半课堂",
        "2015-06-20",
        "15:00",
        "17:00",
        "2",
        "辅导小学生作业",
        "C0101",
        "",
    ],
    [
        "XT00001",
        "四点半课堂",
        "2015-06-20",
        "16:30",
        "18:00",
        "1.5",
        "辅导小学生作业",
        "C0101",
        "与上一行重叠",
    ],
    [
        "XT00011",
        "书屋整理",
        "２０１５－０６－２７",
        "９：００",
        "１１：００",
        "２",
        "社区书屋图书整理",
        "C0303",
        "全角数字",
    ],
    [
        "XT00013",
        "防汛值守",
        "2015-06-27",
        "20:00",
        "22:30",
        "2.5",
        "夜间防汛巡查",
        "C0303",
        "",
    ],
    [
        "XT00014",
        "助残服务",
        "2015-06-28",
        "9时30分",
        "11时30分",
        "2",
        "陪同残疾人就医",
        "C0302",
        "",
    ],
    [
        "XT00015",
        "助残服务",
        "2015-06-28",
        "09:30:00",
        "11:30:00",
        "1.75",
        "陪同残疾人就医",
        "C0302",
        "",
    ],
];

/// (Excel row, column, code) of the deliberate mistakes; the header is on row 3.
const SAMPLE_REJECTS: &[(i32, &str, &str)] = &[
    (9, "志愿者编号", "E_UNKNOWN_VOLUNTEER"),
    (10, "结束时间", "E_END_NOT_AFTER_START"),
    (11, "服务时长(小时)", "E_MINUTES_EXCEED_SPAN"),
    (12, "服务日期", E_UPLOAD_DATE),
    (14, "开始时间", "E_OVERLAP"),
];

fn sample_cells(people: &[Person]) -> Vec<[String; 12]> {
    SAMPLE_ROWS
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let p = people.iter().find(|p| p.id == r[0]);
            let (name, identity) = p.map_or(("周某某", "360502199001011234"), |p| {
                (p.name.as_str(), p.identity.as_str())
            });
            [
                (i + 1).to_string(),
                name.into(),
                identity.into(),
                r[0].into(),
                r[1].into(),
                r[2].into(),
                r[3].into(),
                r[4].into(),
                r[5].into(),
                r[6].into(),
                r[7].into(),
                r[8].into(),
            ]
        })
        .collect()
}

const SAMPLE_TITLE: &str = "学田区2015年6月志愿服务记录（手工登记）";
const SAMPLE_FILLER: &str = "填表单位：学田街道  填表日期：2015年7月2日";

/// The sample as CSV text: title, filler line, header on row 3, the rows, a blank row, a total
/// row and blank trailing rows, as Excel writes them.
fn sample_csv() -> String {
    let people = sample_people();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let blank = [""; 12];
    let mut title = blank;
    title[0] = SAMPLE_TITLE;
    w.write_record(title).unwrap();
    let mut filler = blank;
    filler[0] = SAMPLE_FILLER;
    w.write_record(filler).unwrap();
    w.write_record(SAMPLE_HEADERS).unwrap();
    for row in sample_cells(&people) {
        w.write_record(&row).unwrap();
    }
    w.write_record(blank).unwrap();
    let mut total = blank;
    total[0] = "合计";
    total[8] = "31.25";
    w.write_record(total).unwrap();
    w.write_record(blank).unwrap();
    w.write_record(blank).unwrap();
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

fn sample_gbk_csv() -> Vec<u8> {
    let text = sample_csv();
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&text);
    assert!(!unmappable);
    bytes.into_owned()
}

/// The sample as a workbook: ISO dates as Excel date cells, `H:MM` times as time cells,
/// hours as numbers; every other cell as the text written by hand.
fn sample_xlsx() -> Vec<u8> {
    let people = sample_people();
    let mut wb = Workbook::new();
    let date_fmt = Format::new().set_num_format("yyyy-mm-dd");
    let time_fmt = Format::new().set_num_format("h:mm");
    let ws = wb.add_worksheet();
    ws.set_name("6月服务记录").unwrap();
    ws.write_string(0, 0, SAMPLE_TITLE).unwrap();
    ws.write_string(1, 0, SAMPLE_FILLER).unwrap();
    for (c, h) in SAMPLE_HEADERS.iter().enumerate() {
        ws.write_string(2, c as u16, *h).unwrap();
    }
    let iso_date = |s: &str| {
        let p: Vec<&str> = s.split('-').collect();
        (p.len() == 3 && p[0].len() == 4)
            .then(|| {
                ExcelDateTime::from_ymd(p[0].parse().ok()?, p[1].parse().ok()?, p[2].parse().ok()?)
                    .ok()
            })
            .flatten()
    };
    let clock = |s: &str| {
        let (h, m) = s.split_once(':')?;
        if m.contains(':') {
            return None;
        }
        ExcelDateTime::from_hms(h.parse().ok()?, m.parse().ok()?, 0).ok()
    };
    for (i, row) in sample_cells(&people).iter().enumerate() {
        let r = 3 + i as u32;
        for (c, v) in row.iter().enumerate() {
            let c16 = c as u16;
            match c {
                0 => {
                    ws.write_number(r, c16, v.parse::<f64>().unwrap()).unwrap();
                }
                5 if iso_date(v).is_some() => {
                    ws.write_datetime_with_format(r, c16, iso_date(v).unwrap(), &date_fmt)
                        .unwrap();
                }
                6 | 7 if clock(v).is_some() => {
                    ws.write_datetime_with_format(r, c16, clock(v).unwrap(), &time_fmt)
                        .unwrap();
                }
                8 if v.parse::<f64>().is_ok() => {
                    ws.write_number(r, c16, v.parse::<f64>().unwrap()).unwrap();
                }
                _ if v.is_empty() => {}
                _ => {
                    ws.write_string(r, c16, v).unwrap();
                }
            }
        }
    }
    let total_row = 3 + SAMPLE_ROWS.len() as u32 + 1;
    ws.write_string(total_row, 0, "合计").unwrap();
    ws.write_formula(total_row, 8, "=SUM(I4:I18)").unwrap();
    wb.save_to_buffer().unwrap()
}

fn check_sample(bytes: &[u8], what: &str) {
    let mut l = district_ledger();
    let (len, digest) = (l.entry_count(), l.state_digest());
    let dry = up(&mut l, bytes, true);
    assert_eq!((l.entry_count(), l.state_digest()), (len, digest), "{what}");
    let r = up(&mut l, bytes, false);
    assert_eq!(r.rows, SAMPLE_ROWS.len() as i32, "{what}");
    let got: Vec<(i32, &str, &str)> = r
        .rejected
        .iter()
        .map(|p| (p.row, p.column.as_deref().unwrap_or(""), p.code.as_str()))
        .collect();
    assert_eq!(got, SAMPLE_REJECTS, "{what}");
    assert_eq!(r.accepted, r.rows - SAMPLE_REJECTS.len() as i32, "{what}");
    assert_eq!(
        (dry.accepted, dry.rejected.clone()),
        (r.accepted, r.rejected.clone())
    );
    let people: Vec<(String, String)> = sample_people()
        .into_iter()
        .map(|p| (p.name, p.identity))
        .collect();
    assert_no_personal_data(&r.rejected, &people);
    let again = up(&mut l, bytes, false);
    assert_eq!(
        (again.accepted, again.duplicates),
        (0, r.accepted),
        "{what}"
    );
    l.verify().unwrap();
}

#[test]
fn sample_csv_in_gbk_imports_with_its_five_mistakes() {
    check_sample(&sample_gbk_csv(), "gbk csv");
}

#[test]
fn sample_xlsx_imports_with_its_five_mistakes() {
    check_sample(&sample_xlsx(), "xlsx");
}

#[test]
fn committed_samples_import_with_their_five_mistakes() {
    for name in ["upload_sample.xlsx", "upload_sample_gbk.csv"] {
        let path = data_dir().join(name);
        let bytes = std::fs::read(&path)
            .unwrap_or_else(|e| panic!("{}: {e}; run with VL_WRITE_SAMPLES=1", path.display()));
        check_sample(&bytes, name);
    }
}

#[test]
fn write_samples() {
    if std::env::var("VL_WRITE_SAMPLES").as_deref() != Ok("1") {
        return;
    }
    std::fs::write(data_dir().join("upload_sample_gbk.csv"), sample_gbk_csv()).unwrap();
    std::fs::write(data_dir().join("upload_sample.xlsx"), sample_xlsx()).unwrap();
}

// ---------------------------------------------------------------------------------------------
// What messages never say

/// A sheet whose volunteer number column holds an identity number, as CSV and as xlsx.
fn identity_in_the_volunteer_column() -> Vec<(&'static str, Vec<u8>)> {
    let csv = "志愿者编号,组织编号,服务日期,开始时间,结束时间,记录编号\n\
               11010519491231002X,C1,2015-06-02,9:00,10:00,\n\
               V1,C1,2015-06-02,9:00,10:00,110105194912310021\n\
               V1,C1,2015-06-02,9:30,10:30,\n";
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (r, line) in csv.lines().enumerate() {
        for (c, v) in line.split(',').enumerate() {
            sheet.write_string(r as u32, c as u16, v).unwrap();
        }
    }
    vec![
        ("csv", csv.as_bytes().to_vec()),
        ("xlsx", book.save_to_buffer().unwrap()),
    ]
}

#[test]
fn an_identity_number_in_the_volunteer_column_never_comes_back() {
    for (what, bytes) in identity_in_the_volunteer_column() {
        let mut l = small_ledger();
        let report = up(&mut l, &bytes, true);
        assert_eq!(
            codes(&report),
            vec![
                (2, Some("志愿者编号"), "E_UNKNOWN_VOLUNTEER"),
                (4, Some("开始时间"), "E_OVERLAP")
            ],
            "{what}"
        );
        for p in &report.rejected {
            for m in [&p.message_en, &p.message_zh] {
                assert!(!m.contains("11010519491231002"), "{what}: {m}");
                assert!(!m.contains("19491231"), "{what}: {m}");
            }
        }
        assert_no_personal_data(&report.rejected, &people());
    }
}

#[test]
fn a_megabyte_value_makes_no_long_message() {
    let big = "9".repeat(1 << 20);
    let csv =
        format!("志愿者编号,组织编号,服务日期,开始时间,结束时间\n{big},C1,2015-06-02,9:00,10:00\n");
    let e = read_sheet(csv.as_bytes(), &ImportOptions::default()).unwrap_err();
    assert_eq!(e.code(), "E_UPLOAD_TOO_LARGE");
    assert!(e.to_string().chars().count() <= 500, "{e}");
    assert!(!e.to_string().contains("9999999999"), "{e}");
    // Long, but within a cell's limit: each row's messages stay short.
    let long = "9".repeat(30_000);
    let csv = format!(
        "志愿者编号,组织编号,服务日期,开始时间,结束时间,活动名称,记录编号\n\
         {long},C1,2015-06-02,9:00,10:00,,\nV1,{long},2015-06-02,9:00,10:00,,\n\
         V1,C1,{long},9:00,10:00,,\nV1,C1,2015-06-02,{long},10:00,,\n\
         V1,C1,2015-06-02,9:00,10:00,{long},\nV1,C1,2015-06-02,9:00,10:00,,{long}\n"
    );
    let mut l = small_ledger();
    let report = up(&mut l, csv.as_bytes(), true);
    assert_eq!(report.rejected.len(), 6);
    for p in &report.rejected {
        for m in [&p.message_en, &p.message_zh] {
            assert!(
                m.chars().count() <= 500,
                "row {}: {} characters",
                p.row,
                m.len()
            );
        }
    }
    let opts = ImportOptions {
        sheet: Some(big),
        ..ImportOptions::default()
    };
    let e = read_sheet(&test_workbook(), &opts).unwrap_err();
    assert!(e.to_string().chars().count() <= 500);
    assert!(e.to_string().contains("E_UPLOAD_HEADER"), "{e}");
}

#[test]
fn a_report_lists_the_first_refused_rows_and_counts_them_all() {
    let n = volunteer_ledger::sheet_limits::MAX_REPORTED_PROBLEMS + 25;
    let mut csv = String::from("志愿者编号,组织编号,服务日期,开始时间,结束时间\n");
    for _ in 0..n {
        csv.push_str("V1,C1,not-a-date,09:00,10:00\n");
    }
    let mut l = Ledger::in_memory(LedgerConfig::new(id("t"), "测试区", admin())).unwrap();
    // Read as the ledger takes the rows, and read whole (a quoted field).
    for text in [csv.clone(), csv.replacen("V1,", "\"V1\",", 1)] {
        let report = upload(
            &mut l,
            &admin(),
            text.as_bytes(),
            &ImportOptions::default(),
            true,
            Progress::none(),
        )
        .unwrap();
        assert_eq!(report.rows as usize, n);
        assert_eq!(report.refused as usize, n);
        assert_eq!(
            report.rejected.len(),
            volunteer_ledger::sheet_limits::MAX_REPORTED_PROBLEMS
        );
        assert_eq!(report.rejected[0].row, 2, "the first rows are listed");
        let sheet = read_sheet(text.as_bytes(), &ImportOptions::default()).unwrap();
        assert_eq!(sheet.rows.len() + sheet.unlisted_problems as usize, n);
    }
}
