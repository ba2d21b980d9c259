//! Spreadsheet export: exact CSV headers and rows in both languages, masking, the BOM, and
//! XLSX read back with calamine.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use calamine::{Data, Reader, Xlsx};
use std::io::Cursor;
use volunteer_ledger::export::{
    ExportFormat, Language, RecordScope, leaderboard_file, records_file,
};
use volunteer_ledger::*;

const OFFSET: i32 = 480;
const BOM: &[u8] = b"\xEF\xBB\xBF";

fn id<T: std::str::FromStr>(s: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    s.parse().unwrap()
}

fn admin() -> ActorId {
    id("admin")
}

fn at(d: u32, h: u32, m: u32) -> Timestamp {
    Timestamp::from_local(OFFSET, 2015, 6, d, h, m).unwrap()
}

/// Full names and identity numbers registered: none may appear in any export.
const PEOPLE: [(&str, &str, &str); 3] = [
    ("V0", "张三丰", "11010519800101001"),
    ("V1", "李四", "11010519810101002"),
    ("V2", "王五", "11010519820101003"),
];

fn identity(body: &str) -> String {
    format!("{body}{}", resident_id_check_char(body).unwrap())
}

/// D → S1 → C1, D → S2 → C2; V0..V2; team T1 (一队) at C1 led by V0. Clock: 2015-06-10.
///
/// June 2015:
/// - R1  V0 at C1, T1, A1, 06-02 09:00–12:00, 180 min — amended by R1a (170 min)
/// - R2  V1 at C2, 06-03 14:00–15:30, 90 min, content that looks like a formula
/// - R3  V0 at S1, 06-05 08:00–09:00, 50 min, content with a comma and quotes — revoked
/// - R5  V1 at C1, 06-06 10:00–11:00, 60 min, reported by V1 — pending
/// - R7  V2 at C2, 06-08 22:00 – 06-09 01:00, 120 min (crosses midnight)
///
/// and R4, V2 at C1 on 2015-05-29 (outside June).
fn district() -> Ledger {
    let mut l = Ledger::in_memory(LedgerConfig::new(id("p"), "测试区", admin())).unwrap();
    l.set_clock(Clock::Fixed(at(10, 12, 0)));
    for (o, p, k) in [
        ("D", None, OrgKind::District),
        ("S1", Some("D"), OrgKind::Street),
        ("S2", Some("D"), OrgKind::Street),
        ("C1", Some("S1"), OrgKind::Community),
        ("C2", Some("S2"), OrgKind::Community),
    ] {
        let org = NewOrg {
            id: id(o),
            name: format!("{o}社区"),
            kind: k,
            parent: p.map(id),
        };
        l.register_org(&admin(), org).unwrap();
    }
    for (v, name, body) in PEOPLE {
        l.register_volunteer(
            &admin(),
            NewVolunteer {
                id: id(v),
                name: name.into(),
                identity_kind: IdentityKind::ResidentId,
                identity_number: identity(body),
                home_org: Some(id("C1")),
            },
        )
        .unwrap();
    }
    l.create_team(
        &admin(),
        NewTeam {
            id: id("T1"),
            org: id("C1"),
            name: "一队".into(),
            leader: id("V0"),
            liaisons: vec![],
            members: vec![id("V1")],
        },
    )
    .unwrap();

    let mut r1 = NewRecord::new(
        id("R1"),
        id("V0"),
        id("C1"),
        at(2, 9, 0),
        at(2, 12, 0),
        180,
        "助老服务",
    );
    r1.team = Some(id("T1"));
    r1.activity = Some(id("A1"));
    l.add_record(&admin(), r1.clone()).unwrap();
    let r1a = NewRecord {
        id: id("R1a"),
        minutes: 170,
        ..r1
    };
    l.amend_record(&admin(), &id("R1"), r1a, "时长核减")
        .unwrap();

    let r2 = NewRecord::new(
        id("R2"),
        id("V1"),
        id("C2"),
        at(3, 14, 0),
        at(3, 15, 30),
        90,
        "=HYPERLINK(\"http://x\")",
    );
    l.add_record(&admin(), r2).unwrap();

    let r3 = NewRecord::new(
        id("R3"),
        id("V0"),
        id("S1"),
        at(5, 8, 0),
        at(5, 9, 0),
        50,
        "清扫, \"社区\"",
    );
    l.add_record(&admin(), r3).unwrap();
    l.revoke_record(&admin(), &id("R3"), "重复").unwrap();

    let may = |h| Timestamp::from_local(OFFSET, 2015, 5, 29, h, 0).unwrap();
    let r4 = NewRecord::new(id("R4"), id("V2"), id("C1"), may(9), may(10), 60, "五月");
    l.add_record(&admin(), r4).unwrap();

    let r5 = NewRecord::new(
        id("R5"),
        id("V1"),
        id("C1"),
        at(6, 10, 0),
        at(6, 11, 0),
        60,
        "自报",
    );
    let receipt = l.add_record(&ActorId::of_volunteer(&id("V1")), r5).unwrap();
    assert_eq!(receipt.state, RecordState::Pending);

    let r7 = NewRecord::new(
        id("R7"),
        id("V2"),
        id("C2"),
        at(8, 22, 0),
        at(9, 1, 0),
        120,
        "夜间巡逻",
    );
    l.add_record(&admin(), r7).unwrap();
    l
}

fn text(bytes: &[u8]) -> String {
    assert!(bytes.starts_with(BOM), "CSV starts with a UTF-8 BOM");
    String::from_utf8(bytes[BOM.len()..].to_vec()).unwrap()
}

fn lines(bytes: &[u8]) -> Vec<String> {
    let t = text(bytes);
    assert!(t.ends_with("\r\n"), "CRLF line ends");
    t.split_terminator("\r\n").map(str::to_owned).collect()
}

/// No full name and no identity number (whole or masked) anywhere in the bytes.
fn assert_no_personal_data(bytes: &[u8]) {
    let haystack = String::from_utf8_lossy(bytes);
    for (_, name, body) in PEOPLE {
        let number = identity(body);
        assert!(!haystack.contains(name), "full name {name} leaked");
        assert!(!haystack.contains(&number), "identity number leaked");
        assert!(
            !haystack.contains(&mask_identity(&number)),
            "masked identity leaked"
        );
    }
}

/// Every cell of the only sheet of an XLSX file, as text (numbers as Rust prints them).
fn xlsx_cells(bytes: &[u8]) -> (String, Vec<Vec<String>>, Vec<Vec<Data>>) {
    assert!(bytes.starts_with(b"PK"), "an XLSX file is a zip");
    let mut book = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    let names = book.sheet_names();
    assert_eq!(names.len(), 1);
    let range = book.worksheet_range(&names[0]).unwrap();
    assert_eq!(range.start(), Some((0, 0)));
    let raw: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
    let shown = raw
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| match c {
                    Data::Empty => String::new(),
                    Data::DateTime(dt) => shown_date(dt),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    (names[0].clone(), shown, raw)
}

/// An Excel date cell as its date (`2015-06-02`) or date and time (`2015-06-02 09:00`).
fn shown_date(dt: &calamine::ExcelDateTime) -> String {
    let (y, m, d, hh, mm, ss, _) = dt.to_ymd_hms_milli();
    if dt.as_f64().fract() == 0.0 {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        assert_eq!(ss, 0, "times are whole minutes");
        format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}")
    }
}

/// The number format of a cell, read from the workbook's styles: calamine tells a date cell
/// from a number but not which date format it shows.
fn number_format_of(bytes: &[u8], sheet_xml: &str, cell: &str) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).unwrap();
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let sheet = read(sheet_xml);
    let styles = read("xl/styles.xml");
    let at = sheet.find(&format!("<c r=\"{cell}\"")).unwrap();
    let tag = &sheet[at..at + sheet[at..].find('>').unwrap()];
    let style: usize = tag
        .split("s=\"")
        .nth(1)
        .map_or(0, |t| t[..t.find('"').unwrap()].parse().unwrap());
    let xfs = &styles[styles.find("<cellXfs").unwrap()..];
    let xf = xfs.split("<xf ").nth(style + 1).unwrap();
    let id = xf.split("numFmtId=\"").nth(1).unwrap();
    let id = &id[..id.find('"').unwrap()];
    let fmt = styles
        .split("<numFmt ")
        .skip(1)
        .find(|f| f.contains(&format!("numFmtId=\"{id}\"")))
        .unwrap();
    let code = fmt.split("formatCode=\"").nth(1).unwrap();
    code[..code.find('"').unwrap()].to_owned()
}

fn assert_xlsx_has_no_personal_data(cells: &[Vec<String>]) {
    for (_, name, body) in PEOPLE {
        let number = identity(body);
        for c in cells.iter().flatten() {
            assert!(!c.contains(name), "full name {name} leaked");
            assert!(!c.contains(&number), "identity number leaked");
            assert!(
                !c.contains(&mask_identity(&number)),
                "masked identity leaked"
            );
        }
    }
}

const BOARD_ZH: &str = "名次,志愿者编号,姓名(脱敏),服务时长(小时),服务时长(分钟)";
const BOARD_EN: &str = "Rank,Id,Name,Hours,Minutes";
const RECORDS_ZH: &str = "记录编号,志愿者编号,姓名,组织编号,组织名称,服务队编号,活动,服务日期,开始时间,\
结束时间,服务时长(小时),服务时长(分钟),服务内容,状态,是否计入,补录,来源";
const RECORDS_EN: &str = "Record ID,Volunteer ID,Name,Org ID,Org name,Team ID,Activity,Date,Start,End,\
Hours,Minutes,Content,State,Counted,Make-up,Source";

#[test]
fn leaderboard_csv_in_chinese_and_english() {
    let mut l = district();
    let board = l
        .leaderboard(id("2015-06"), &Scope::All, BoardKind::Volunteers, 10)
        .unwrap();
    let zh = leaderboard_file(&board, ExportFormat::Csv, Language::Zh).unwrap();
    assert_eq!(
        lines(&zh),
        [
            BOARD_ZH,
            "1,V0,张*,2.83,170",
            "2,V2,王*,2.00,120",
            "3,V1,李*,1.50,90"
        ]
    );
    assert_no_personal_data(&zh);

    let en = leaderboard_file(&board, ExportFormat::Csv, Language::En).unwrap();
    assert_eq!(lines(&en)[0], BOARD_EN);
    assert_eq!(lines(&en)[1..], lines(&zh)[1..]);
    assert_eq!(Language::default(), Language::Zh);
}

#[test]
fn team_and_org_boards_name_their_id_column_and_pseudonyms_have_no_id() {
    let mut l = district();
    let teams = l
        .leaderboard(id("2015-06"), &Scope::All, BoardKind::Teams, 10)
        .unwrap();
    let t = lines(&leaderboard_file(&teams, ExportFormat::Csv, Language::Zh).unwrap());
    assert_eq!(
        t,
        [
            "名次,服务队,名称,服务时长(小时),服务时长(分钟)",
            "1,T1,一队,2.83,170"
        ]
    );

    let orgs = l
        .leaderboard(id("2015"), &Scope::Org(id("D")), BoardKind::Orgs, 10)
        .unwrap();
    let o = lines(&leaderboard_file(&orgs, ExportFormat::Csv, Language::Zh).unwrap());
    assert_eq!(
        o,
        [
            "名次,组织,名称,服务时长(小时),服务时长(分钟)",
            "1,S1,S1社区,3.83,230",
            "2,S2,S2社区,3.50,210"
        ]
    );

    l.set_visibility(
        &ActorId::of_volunteer(&id("V1")),
        &id("V1"),
        BoardVisibility::Pseudonym {
            name: "小蜜蜂".into(),
        },
    )
    .unwrap();
    let board = l
        .leaderboard(id("2015-06"), &Scope::All, BoardKind::Volunteers, 10)
        .unwrap();
    let csv = lines(&leaderboard_file(&board, ExportFormat::Csv, Language::En).unwrap());
    assert_eq!(csv[3], "3,,小蜜蜂,1.50,90");
}

#[test]
fn leaderboard_xlsx_reads_back() {
    let mut l = district();
    let board = l
        .leaderboard(id("2015-06"), &Scope::All, BoardKind::Volunteers, 10)
        .unwrap();
    let bytes = leaderboard_file(&board, ExportFormat::Xlsx, Language::Zh).unwrap();
    let (sheet, cells, raw) = xlsx_cells(&bytes);
    assert_eq!(sheet, "2015-06 月排行榜");
    assert!(cells[0][0].starts_with("2015-06 月排行榜（范围：全部；志愿者；"));
    assert_eq!(cells[1], BOARD_ZH.split(',').collect::<Vec<_>>());
    assert_eq!(cells[2], ["1", "V0", "张*", "2.83", "170"]);
    // Numbers are numbers, ids and names are text.
    assert_eq!(raw[2][0], Data::Float(1.0));
    assert_eq!(raw[2][1], Data::String("V0".into()));
    assert_eq!(raw[2][3], Data::Float(2.83));
    assert_eq!(raw[2][4], Data::Float(170.0));
    assert_eq!(cells.len(), 5);
    assert_xlsx_has_no_personal_data(&cells);

    let en = leaderboard_file(&board, ExportFormat::Xlsx, Language::En).unwrap();
    let (sheet, cells, _) = xlsx_cells(&en);
    assert_eq!(sheet, "2015-06 monthly leaderboard");
    assert_eq!(cells[1], BOARD_EN.split(',').collect::<Vec<_>>());

    let all = l
        .leaderboard(
            Period::All,
            &Scope::Team(id("T1")),
            BoardKind::Volunteers,
            10,
        )
        .unwrap();
    let (sheet, cells, _) =
        xlsx_cells(&leaderboard_file(&all, ExportFormat::Xlsx, Language::Zh).unwrap());
    assert_eq!(sheet, "累计排行榜");
    assert!(cells[0][0].contains("服务队 T1"));
}

#[test]
fn volunteer_records_csv() {
    let l = district();
    let zh = records_file(
        &l,
        RecordScope::Volunteer(id("V0")),
        id("2015-06"),
        ExportFormat::Csv,
        Language::Zh,
    )
    .unwrap();
    assert_eq!(
        lines(&zh),
        [
            RECORDS_ZH,
            "R1,V0,张*,C1,C1社区,T1,A1,2015-06-02,09:00,12:00,3.00,180,助老服务,已更正,否,否,录入",
            "R1a,V0,张*,C1,C1社区,T1,A1,2015-06-02,09:00,12:00,2.83,170,助老服务,已确认,是,否,录入",
            "R3,V0,张*,S1,S1社区,,,2015-06-05,08:00,09:00,0.83,50,\"清扫, \"\"社区\"\"\",已撤销,否,否,录入",
        ]
    );
    assert_no_personal_data(&zh);

    let en = records_file(
        &l,
        RecordScope::Volunteer(id("V0")),
        id("2015-06"),
        ExportFormat::Csv,
        Language::En,
    )
    .unwrap();
    let en = lines(&en);
    assert_eq!(en[0], RECORDS_EN);
    assert_eq!(
        en[2],
        "R1a,V0,张*,C1,C1社区,T1,A1,2015-06-02,09:00,12:00,2.83,170,助老服务,confirmed,yes,no,entry"
    );

    // The period is the local date of the start: May holds only R4.
    let may = records_file(
        &l,
        RecordScope::Volunteer(id("V2")),
        id("2015-05"),
        ExportFormat::Csv,
        Language::Zh,
    )
    .unwrap();
    let may = lines(&may);
    assert_eq!(may.len(), 2);
    assert!(may[1].starts_with("R4,V2,王*,C1,C1社区,,,2015-05-29,09:00,10:00,1.00,60,"));
}

#[test]
fn org_records_cover_the_subtree_in_every_state() {
    let l = district();
    let csv = records_file(
        &l,
        RecordScope::Org(id("S1")),
        id("2015-06"),
        ExportFormat::Csv,
        Language::Zh,
    )
    .unwrap();
    let rows = lines(&csv);
    let ids: Vec<&str> = rows[1..]
        .iter()
        .map(|r| r.split(',').next().unwrap())
        .collect();
    assert_eq!(ids, ["R1", "R1a", "R3", "R5"]);
    assert_eq!(
        rows[4],
        "R5,V1,李*,C1,C1社区,,,2015-06-06,10:00,11:00,1.00,60,自报,待确认,否,否,录入"
    );

    let s2 = lines(
        &records_file(
            &l,
            RecordScope::Org(id("S2")),
            Period::All,
            ExportFormat::Csv,
            Language::Zh,
        )
        .unwrap(),
    );
    // A formula-like content is defused; an end on the next day carries its date.
    assert_eq!(
        s2[1..],
        [
            "R2,V1,李*,C2,C2社区,,,2015-06-03,14:00,15:30,1.50,90,\"'=HYPERLINK(\"\"http://x\"\")\",已确认,是,否,录入",
            "R7,V2,王*,C2,C2社区,,,2015-06-08,22:00,2015-06-09 01:00,2.00,120,夜间巡逻,已确认,是,否,录入",
        ]
    );

    let whole = lines(
        &records_file(
            &l,
            RecordScope::Org(id("D")),
            Period::All,
            ExportFormat::Csv,
            Language::Zh,
        )
        .unwrap(),
    );
    assert_eq!(whole.len() - 1, l.record_count());
    assert_no_personal_data(&csv);

    let week = lines(
        &records_file(
            &l,
            RecordScope::Org(id("D")),
            id("2015-W23"),
            ExportFormat::Csv,
            Language::Zh,
        )
        .unwrap(),
    );
    // 2015-W23 is 06-01 .. 06-07.
    assert_eq!(week.len() - 1, 5);
}

#[test]
fn unknown_scopes_are_refused() {
    let l = district();
    let v = records_file(
        &l,
        RecordScope::Volunteer(id("nobody")),
        Period::All,
        ExportFormat::Csv,
        Language::Zh,
    );
    assert_eq!(v.unwrap_err().code(), "E_UNKNOWN_VOLUNTEER");
    let o = records_file(
        &l,
        RecordScope::Org(id("nowhere")),
        Period::All,
        ExportFormat::Xlsx,
        Language::Zh,
    );
    assert_eq!(o.unwrap_err().code(), "E_UNKNOWN_ORG");
}

#[test]
fn records_xlsx_reads_back() {
    let l = district();
    let bytes = records_file(
        &l,
        RecordScope::Org(id("D")),
        id("2015-06"),
        ExportFormat::Xlsx,
        Language::Zh,
    )
    .unwrap();
    let (sheet, cells, raw) = xlsx_cells(&bytes);
    assert_eq!(sheet, "服务记录 2015-06");
    assert_eq!(cells[0][0], "志愿服务记录 2015-06（组织 D D社区 及下级）");
    assert_eq!(cells[1], RECORDS_ZH.split(',').collect::<Vec<_>>());
    let r1a = cells.iter().find(|r| r[0] == "R1a").unwrap();
    assert_eq!(
        r1a,
        &[
            "R1a",
            "V0",
            "张*",
            "C1",
            "C1社区",
            "T1",
            "A1",
            "2015-06-02",
            "2015-06-02 09:00",
            "2015-06-02 12:00",
            "2.83",
            "170",
            "助老服务",
            "已确认",
            "是",
            "否",
            "录入"
        ]
    );
    let row = raw
        .iter()
        .find(|r| r[0] == Data::String("R1a".into()))
        .unwrap();
    // Dates and times are Excel date cells, not text, each with its date format.
    for (col, shown) in [
        (7, "2015-06-02"),
        (8, "2015-06-02 09:00"),
        (9, "2015-06-02 12:00"),
    ] {
        let Data::DateTime(dt) = &row[col] else {
            panic!("column {col} is a date cell, not {:?}", row[col]);
        };
        assert!(!dt.is_duration());
        assert_eq!(shown_date(dt), shown);
    }
    let r1a_row = 1 + cells.iter().position(|r| r[0] == "R1a").unwrap();
    let sheet1 = "xl/worksheets/sheet1.xml";
    assert_eq!(
        number_format_of(&bytes, sheet1, &format!("H{r1a_row}")),
        "yyyy-mm-dd"
    );
    assert_eq!(
        number_format_of(&bytes, sheet1, &format!("I{r1a_row}")),
        "yyyy-mm-dd hh:mm"
    );
    assert_eq!(
        number_format_of(&bytes, sheet1, &format!("J{r1a_row}")),
        "yyyy-mm-dd hh:mm"
    );
    // A record past midnight ends on the next day's date.
    let r7 = cells.iter().find(|r| r[0] == "R7").unwrap();
    assert_eq!(
        (r7[8].as_str(), r7[9].as_str()),
        ("2015-06-08 22:00", "2015-06-09 01:00")
    );
    assert_eq!(row[10], Data::Float(2.83));
    assert_eq!(row[11], Data::Float(170.0));
    // XLSX cells are typed: a formula-like content stays as written.
    let r2 = cells.iter().find(|r| r[0] == "R2").unwrap();
    assert_eq!(r2[12], "=HYPERLINK(\"http://x\")");
    assert_eq!(cells.len() - 2, 6);
    assert_xlsx_has_no_personal_data(&cells);

    let en = records_file(
        &l,
        RecordScope::Volunteer(id("V1")),
        Period::All,
        ExportFormat::Xlsx,
        Language::En,
    )
    .unwrap();
    let (sheet, cells, _) = xlsx_cells(&en);
    assert_eq!(sheet, "Records all time");
    assert_eq!(cells[0][0], "Service records all time (volunteer V1 李*)");
    assert_eq!(cells[1], RECORDS_EN.split(',').collect::<Vec<_>>());
    assert_eq!(cells[2][13], "confirmed");
    assert_eq!(cells[3][13], "pending");
}

#[test]
fn an_empty_export_still_has_its_header() {
    let l = district();
    let csv = records_file(
        &l,
        RecordScope::Volunteer(id("V0")),
        id("2016"),
        ExportFormat::Csv,
        Language::Zh,
    )
    .unwrap();
    assert_eq!(lines(&csv), [RECORDS_ZH]);
    let xlsx = records_file(
        &l,
        RecordScope::Volunteer(id("V0")),
        id("2016"),
        ExportFormat::Xlsx,
        Language::Zh,
    )
    .unwrap();
    let (_, cells, _) = xlsx_cells(&xlsx);
    assert_eq!(cells.len(), 2);
}
