//! The exchange export: every data set, scoped to an org subtree and a period, personal data
//! masked, dates and times as Excel date cells, and the CSV zip with the same columns.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use calamine::{Data, Reader, Xlsx};
use std::io::{Cursor, Read};
use volunteer_ledger::export::{EXCHANGE_SETS, ExchangeSet, exchange_headers};
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

fn at(d: u32, h: u32, m: u32) -> Timestamp {
    Timestamp::from_local(OFFSET, 2015, 6, d, h, m).unwrap()
}

fn day(d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2015, 6, d).unwrap()
}

/// Full names and identity numbers registered: only their masked forms may leave.
const PEOPLE: [(&str, &str, &str, &str); 4] = [
    ("V0", "张三丰", "11010519800101001", "C1"),
    ("V1", "李四", "11010519810101002", "C1"),
    ("V2", "王五", "11010519820101003", "S2"),
    ("V3", "赵六", "11010519830101004", "S2"),
];

fn identity(body: &str) -> String {
    format!("{body}{}", resident_id_check_char(body).unwrap())
}

/// D → S1 → C1, D → S2. V0, V1 live in C1; V2, V3 in S2. In S1's subtree: team T1 (C1, led
/// by V0, with V1), project P1 (S1, claimed by T1), activity A1 (C1, P1, 06-02 09:00–12:00)
/// evaluated 5 by recipients and 4 by the org, records R1 (V0, A1) and R2 (V2, crossing
/// midnight), training TR1 (V0), commendation CM1 (V1). Outside it: R9 (V3 at S2), activity A2
/// at S2 with an evaluation, training TR9 at S2.
fn district() -> Ledger {
    let mut l = Ledger::in_memory(LedgerConfig::new(id("p"), "测试区", admin())).unwrap();
    l.set_clock(Clock::Fixed(at(20, 12, 0)));
    for (o, p, k) in [
        ("D", None, OrgKind::District),
        ("S1", Some("D"), OrgKind::Street),
        ("S2", Some("D"), OrgKind::Street),
        ("C1", Some("S1"), OrgKind::Community),
    ] {
        let org = NewOrg {
            id: id(o),
            name: format!("{o}街"),
            kind: k,
            parent: p.map(id),
        };
        l.register_org(&admin(), org).unwrap();
    }
    for (v, name, body, home) in PEOPLE {
        let vol = NewVolunteer {
            id: id(v),
            name: name.into(),
            identity_kind: IdentityKind::ResidentId,
            identity_number: identity(body),
            home_org: Some(id(home)),
        };
        l.register_volunteer(&admin(), vol).unwrap();
    }
    let team = NewTeam {
        id: id("T1"),
        org: id("C1"),
        name: "一队".into(),
        leader: id("V0"),
        liaisons: vec![id("V1")],
        members: vec![],
    };
    l.create_team(&admin(), team).unwrap();
    let project = NewProject {
        category: "助老".into(),
        id: id("P1"),
        name: "敬老".into(),
        org: id("S1"),
    };
    l.publish_project(&admin(), project).unwrap();
    l.claim_project(
        &admin(),
        ProjectClaim {
            project: id("P1"),
            team: id("T1"),
        },
    )
    .unwrap();
    for (a, org, project) in [("A1", "C1", Some(id("P1"))), ("A2", "S2", None)] {
        let activity = NewActivity {
            end: at(2, 12, 0),
            id: id(a),
            name: format!("{a}活动"),
            org: id(org),
            project,
            start: at(2, 9, 0),
            team: None,
        };
        l.create_activity(&admin(), activity).unwrap();
    }
    for (a, score, source) in [
        ("A1", 5, EvaluationSource::Recipient),
        ("A1", 4, EvaluationSource::Org),
        ("A2", 1, EvaluationSource::Org),
    ] {
        l.evaluate_activity(
            &admin(),
            Evaluation {
                activity: id(a),
                score,
                source,
            },
        )
        .unwrap();
    }
    let mut r1 = NewRecord::new(
        id("R1"),
        id("V0"),
        id("C1"),
        at(2, 9, 0),
        at(2, 12, 0),
        170,
        "助老服务",
    );
    r1.activity = Some(id("A1"));
    r1.team = Some(id("T1"));
    l.add_record(&admin(), r1).unwrap();
    let r2 = NewRecord::new(
        id("R2"),
        id("V2"),
        id("C1"),
        at(3, 22, 0),
        at(4, 1, 0),
        180,
        "夜间巡逻",
    );
    l.add_record(&admin(), r2).unwrap();
    let r9 = NewRecord::new(
        id("R9"),
        id("V3"),
        id("S2"),
        at(5, 9, 0),
        at(5, 10, 0),
        60,
        "外区",
    );
    l.add_record(&admin(), r9).unwrap();
    for (t, v, org) in [("TR1", "V0", "S1"), ("TR9", "V3", "S2")] {
        let training = Training {
            date: day(1),
            id: id(t),
            minutes: 90,
            org: id(org),
            title: "急救培训".into(),
            volunteer: id(v),
        };
        l.record_training(&admin(), training).unwrap();
    }
    let commendation = Commendation {
        date: day(5),
        id: id("CM1"),
        org: id("S1"),
        title: "优秀志愿者".into(),
        volunteer: id("V1"),
    };
    l.record_commendation(&admin(), commendation).unwrap();
    l
}

/// Every sheet of a workbook: its name and its cells as calamine reads them.
fn sheets(bytes: &[u8]) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut book = Xlsx::new(Cursor::new(bytes.to_vec())).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|n| {
            let range = book.worksheet_range(&n).unwrap();
            (n, range.rows().map(<[Data]>::to_vec).collect())
        })
        .collect()
}

fn text(c: &Data) -> String {
    match c {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

/// A date cell as `2015-06-02` or `2015-06-02 09:00`; panics on anything else.
fn date_cell(c: &Data) -> String {
    let Data::DateTime(dt) = c else {
        panic!("a date cell, not {c:?}");
    };
    let (y, m, d, hh, mm, _, _) = dt.to_ymd_hms_milli();
    if dt.as_f64().fract() == 0.0 {
        format!("{y:04}-{m:02}-{d:02}")
    } else {
        format!("{y:04}-{m:02}-{d:02} {hh:02}:{mm:02}")
    }
}

/// The data rows of a sheet (after the title and header rows), by first cell.
fn row<'a>(rows: &'a [Vec<Data>], key: &str) -> &'a [Data] {
    rows.iter()
        .skip(2)
        .find(|r| text(&r[0]) == key)
        .unwrap_or_else(|| panic!("no row {key}"))
}

fn keys(rows: &[Vec<Data>]) -> Vec<String> {
    rows.iter().skip(2).map(|r| text(&r[0])).collect()
}

fn assert_only_masked(all_text: &str) {
    for (_, name, body, _) in PEOPLE {
        assert!(!all_text.contains(name), "full name {name} leaked");
        assert!(
            !all_text.contains(&identity(body)),
            "identity number leaked"
        );
    }
}

#[test]
fn the_workbook_has_every_data_set_with_typed_cells() {
    let l = district();
    let bytes = exchange_file(
        &l,
        &id("S1"),
        id("2015-06"),
        ExportFormat::Xlsx,
        Language::Zh,
    )
    .unwrap();
    let book = sheets(&bytes);
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "志愿者",
            "志愿服务队",
            "志愿服务项目",
            "志愿服务记录",
            "培训情况",
            "表彰奖励情况",
            "评价情况"
        ]
    );
    for ((_, rows), set) in book.iter().zip(EXCHANGE_SETS) {
        let header: Vec<String> = rows[1].iter().map(text).collect();
        assert_eq!(header, exchange_headers(set, Language::Zh), "{set:?}");
        assert!(
            text(&rows[0][0]).contains("组织 S1 S1街 及下级"),
            "{set:?} title"
        );
    }
    let all: String = book
        .iter()
        .flat_map(|(_, r)| r.iter().flatten().map(text))
        .collect();
    assert_only_masked(&all);

    let [
        vols,
        teams,
        projects,
        records,
        training,
        commendations,
        evaluations,
    ] = book
        .iter()
        .map(|(_, r)| r.as_slice())
        .collect::<Vec<_>>()
        .try_into()
        .unwrap();
    // Volunteers of the subtree and V2, who served in it; not V3.
    assert_eq!(keys(vols), ["V0", "V1", "V2"]);
    let v0 = row(vols, "V0");
    assert_eq!(text(&v0[1]), "张*");
    assert_eq!(text(&v0[2]), "居民身份证");
    assert_eq!(text(&v0[3]), mask_identity(&identity(PEOPLE[0].2)));
    assert_eq!((text(&v0[4]), text(&v0[5])), ("C1".into(), "C1街".into()));
    assert_eq!(v0[7], Data::Float(2.83));
    assert_eq!(v0[8], Data::Float(170.0));

    let t1 = row(teams, "T1");
    assert_eq!(text(&t1[4]), "V0");
    assert_eq!(text(&t1[5]), "V1");
    assert_eq!(t1[6], Data::Float(2.0), "leader and liaison are members");
    assert_eq!(date_cell(&t1[7]), "2015-06-20");

    assert_eq!(keys(projects), ["P1"]);
    assert_eq!(text(&row(projects, "P1")[5]), "T1");

    assert_eq!(keys(records), ["R1", "R2"]);
    let r2 = row(records, "R2");
    assert_eq!(date_cell(&r2[7]), "2015-06-03 22:00");
    assert_eq!(date_cell(&r2[8]), "2015-06-04 01:00");
    assert_eq!(r2[9], Data::Float(3.0));
    assert_eq!(r2[10], Data::Float(180.0));
    assert_eq!(text(&r2[12]), "已确认");
    assert_eq!(text(&row(records, "R1")[6]), "A1");

    assert_eq!(keys(training), ["TR1"]);
    let tr1 = row(training, "TR1");
    assert_eq!(date_cell(&tr1[4]), "2015-06-01");
    assert_eq!(tr1[5], Data::Float(1.5));

    assert_eq!(keys(commendations), ["CM1"]);
    assert_eq!(date_cell(&row(commendations, "CM1")[4]), "2015-06-05");

    let scores: Vec<(String, Data, String)> = evaluations
        .iter()
        .skip(2)
        .map(|r| (text(&r[0]), r[8].clone(), text(&r[9])))
        .collect();
    assert_eq!(
        scores,
        [
            ("A1".into(), Data::Float(5.0), "服务对象".into()),
            ("A1".into(), Data::Float(4.0), "组织".into())
        ]
    );
    assert_eq!(date_cell(&evaluations[2][6]), "2015-06-02 09:00");
    assert_eq!(
        text(&evaluations[2][4]),
        "T1",
        "a claimed project's activity is the team's"
    );
}

#[test]
fn the_period_selects_dated_facts_and_keeps_the_register() {
    let l = district();
    let bytes = exchange_file(
        &l,
        &id("S1"),
        id("2015-05"),
        ExportFormat::Xlsx,
        Language::En,
    )
    .unwrap();
    let book = sheets(&bytes);
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    let keys_en: Vec<&str> = EXCHANGE_SETS.iter().map(|s| s.as_str()).collect();
    assert_eq!(names, keys_en);
    assert_eq!(
        keys(&book[0].1),
        ["V0", "V1"],
        "the subtree's own volunteers stay"
    );
    assert_eq!(keys(&book[1].1), ["T1"]);
    for set in [3, 4, 5, 6] {
        assert_eq!(
            book[set].1.len(),
            2,
            "{}: title and header only",
            names[set]
        );
    }
    let header: Vec<String> = book[3].1[1].iter().map(text).collect();
    assert_eq!(
        header,
        exchange_headers(ExchangeSet::ServiceRecords, Language::En)
    );
}

fn unzip(bytes: &[u8]) -> Vec<(String, String)> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let name = f.name().unwrap().into_owned();
            let mut b = Vec::new();
            f.read_to_end(&mut b).unwrap();
            assert!(b.starts_with(b"\xEF\xBB\xBF"), "{name} has a BOM");
            (name, String::from_utf8(b[3..].to_vec()).unwrap())
        })
        .collect()
}

#[test]
fn the_csv_zip_has_a_file_per_data_set() {
    let l = district();
    let bytes = exchange_file(&l, &id("D"), Period::All, ExportFormat::Csv, Language::En).unwrap();
    let files = unzip(&bytes);
    let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "volunteers.csv",
            "teams.csv",
            "projects.csv",
            "service_records.csv",
            "training.csv",
            "commendations.csv",
            "evaluations.csv"
        ]
    );
    for ((_, body), set) in files.iter().zip(EXCHANGE_SETS) {
        let first = body.split("\r\n").next().unwrap();
        assert_eq!(first, exchange_headers(set, Language::En).join(","));
    }
    let all: String = files.iter().map(|(_, b)| b.as_str()).collect();
    assert_only_masked(&all);
    let records = &files[3].1;
    assert!(records.contains("R2,V2,王*,C1,C1街,,,2015-06-03 22:00,2015-06-04 01:00,3.00,180,夜间巡逻,confirmed,yes,yes,entry,admin,admin,,18\r\n"));
    assert_eq!(records.lines().count(), 4, "the whole district: R1, R2, R9");
    // Recorded after the window (the clock is 06-20): make-ups, as the records file says.
    assert!(
        files[4]
            .1
            .contains("TR9,V3,赵*,急救培训,2015-06-01,1.50,90,S2,S2街")
    );
    // The same ledger gives the same bytes.
    let again = exchange_file(&l, &id("D"), Period::All, ExportFormat::Csv, Language::En).unwrap();
    assert_eq!(bytes, again);
}

#[test]
fn an_unknown_org_is_refused() {
    let l = district();
    let e = exchange_file(
        &l,
        &id("nowhere"),
        Period::All,
        ExportFormat::Xlsx,
        Language::Zh,
    );
    assert_eq!(e.unwrap_err().code(), "E_UNKNOWN_ORG");
}
