//! The register as sheets: volunteers and the org tree uploaded, matched, re-uploaded.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use volunteer_ledger::import::{
    E_UPLOAD_AMBIGUOUS, E_UPLOAD_MISMATCH, E_UPLOAD_MISSING, E_UPLOAD_ORG_KIND, E_UPLOAD_PHONE,
    ImportOptions, RegisterReport, upload_orgs, upload_volunteers,
};
use volunteer_ledger::*;

fn id<T: std::str::FromStr>(s: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    s.parse().unwrap()
}

fn admin() -> ActorId {
    id("admin")
}

/// District D with communities 学田街道 (C1), 和平社区 (C2) and a second 和平社区 (C3).
fn ledger() -> Ledger {
    let mut l = Ledger::in_memory(LedgerConfig::new(id("r"), "测试区", admin())).unwrap();
    for (o, name, parent, kind) in [
        ("D", "测试区", None, OrgKind::District),
        ("C1", "学田街道", Some("D"), OrgKind::Street),
        ("C2", "和平社区", Some("D"), OrgKind::Community),
        ("C3", "和平社区", Some("C1"), OrgKind::Community),
    ] {
        let org = NewOrg {
            id: id(o),
            name: name.into(),
            kind,
            parent: parent.map(id),
        };
        l.register_org(&admin(), org).unwrap();
    }
    l
}

const VOLUNTEERS: &str = "姓名,证件类型,证件号码,志愿者编号,所属组织,手机\n\
    张三丰,居民身份证,11010519491231002X,V1,学田街道,138 0013 8000\n\
    李四光,,360502198912010016,,C2,\n\
    王五,身份证,360502195809020028,,学田街道,+86 13900139000\n";

const PEOPLE: &[&str] = &[
    "张三丰",
    "李四光",
    "王五",
    "赵六",
    "11010519491231002X",
    "360502198912010016",
    "360502195809020028",
    "13800138000",
];

fn vols(l: &mut Ledger, sheet: &[u8], dry_run: bool) -> RegisterReport {
    upload_volunteers(
        l,
        &admin(),
        sheet,
        &ImportOptions::default(),
        dry_run,
        Progress::none(),
    )
    .unwrap()
}

fn codes(r: &RegisterReport) -> Vec<(i32, Option<&str>, &str)> {
    r.rejected
        .iter()
        .map(|p| (p.row, p.column.as_deref(), p.code.as_str()))
        .collect()
}

fn assert_no_personal_data(r: &RegisterReport) {
    for p in &r.rejected {
        for m in [&p.message_en, &p.message_zh] {
            for s in PEOPLE {
                assert!(!m.contains(s), "{m}");
            }
        }
    }
}

#[test]
fn a_volunteer_sheet_registers_everyone_and_again_adds_nothing() {
    let mut l = ledger();
    let before = l.state_digest();
    let dry = vols(&mut l, VOLUNTEERS.as_bytes(), true);
    assert_eq!(l.state_digest(), before, "a dry run writes nothing");
    let r = vols(&mut l, VOLUNTEERS.as_bytes(), false);
    assert_eq!(
        (r.rows, r.accepted, r.duplicates, r.refused),
        (3, 3, 0, 0),
        "{r:?}"
    );
    assert_eq!(dry.assigned, r.assigned);
    let made: Vec<(i32, &str)> = r.assigned.iter().map(|a| (a.row, a.id.as_str())).collect();
    assert_eq!(made, vec![(3, "V00000002"), (4, "V00000003")]);
    let v1 = l.volunteer_summary(&id("V1")).unwrap().volunteer;
    assert_eq!(v1.home_org, Some(id("C1")));
    assert_eq!(v1.masked_identity, "110105********002X");
    let v2 = l.volunteer_summary(&id("V00000002")).unwrap().volunteer;
    assert_eq!(v2.home_org, Some(id("C2")));
    // The phones the sheet gives are kept, masked and sealed; a row without one has none.
    assert_eq!(v1.masked_phone.as_deref(), Some("138****8000"));
    assert_eq!(v2.masked_phone, None);
    let v3 = l.volunteer_summary(&id("V00000003")).unwrap().volunteer;
    assert_eq!(v3.masked_phone.as_deref(), Some("139****9000"));
    // Again: everyone is registered; nothing is written.
    let head = l.head();
    let again = vols(&mut l, VOLUNTEERS.as_bytes(), false);
    assert_eq!(
        (again.accepted, again.duplicates, again.refused),
        (0, 3, 0),
        "{again:?}"
    );
    assert_eq!(l.head(), head);
    l.verify().unwrap();
}

#[test]
fn english_headers_gbk_and_xlsx_read_as_the_utf8_sheet() {
    let english = "Name,ID type,Identity number,Volunteer number,Home org,Phone\n\
        张三丰,resident_id,11010519491231002X,V1,学田街道,13800138000\n\
        李四光,,360502198912010016,,C2,\n\
        王五,身份证,360502195809020028,,学田街道,13900139000\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(VOLUNTEERS);
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    for (r, line) in VOLUNTEERS.lines().enumerate() {
        for (c, cell) in line.split(',').enumerate() {
            ws.write_string(r as u32, c as u16, cell).unwrap();
        }
    }
    let xlsx = book.save_to_buffer().unwrap();
    let mut want = ledger();
    vols(&mut want, VOLUNTEERS.as_bytes(), false);
    for sheet in [english.as_bytes(), &gbk, &xlsx] {
        let mut l = ledger();
        let r = vols(&mut l, sheet, false);
        assert_eq!((r.accepted, r.refused), (3, 0), "{r:?}");
        for v in ["V1", "V00000002", "V00000003"] {
            let mine = l.volunteer_summary(&id(v)).unwrap().volunteer;
            let theirs = want.volunteer_summary(&id(v)).unwrap().volunteer;
            assert_eq!(mine, theirs);
        }
    }
}

#[test]
fn each_bad_row_is_reported_with_its_column_and_naming_no_one() {
    let mut l = ledger();
    vols(&mut l, VOLUNTEERS.as_bytes(), false);
    let sheet = "姓名,证件类型,证件号码,志愿者编号,所属组织,手机\n\
        赵六,,110105194912310021,,C1,\n\
        ,,110105198001010016,,C1,\n\
        赵六,驾驶证,110105198001010016,,C1,\n\
        赵六,,110105198001010016,,和平社区,\n\
        赵六,,110105198001010016,,不存在街道,\n\
        赵六,,110105198001010016,,C1,12345\n\
        张三,,11010519491231002X,,C1,\n\
        张三丰,,11010519491231002X,V9,C1,\n\
        赵六,,110105198001010016,V1,C1,\n\
        赵六,,110105198001010016,,C1,\n";
    let r = vols(&mut l, sheet.as_bytes(), false);
    assert_eq!(
        codes(&r),
        vec![
            (2, Some("证件号码"), "E_IDENTITY_CHECKSUM"),
            (3, Some("姓名"), E_UPLOAD_MISSING),
            (4, Some("证件类型"), "E_UPLOAD_IDENTITY_KIND"),
            (5, Some("所属组织"), E_UPLOAD_AMBIGUOUS),
            (6, Some("所属组织"), "E_UNKNOWN_ORG"),
            (7, Some("手机"), E_UPLOAD_PHONE),
            (8, Some("姓名"), E_UPLOAD_MISMATCH),
            (9, Some("证件号码"), "E_DUPLICATE_IDENTITY"),
            (10, Some("志愿者编号"), "E_DUPLICATE"),
        ]
    );
    assert_eq!((r.accepted, r.refused), (1, 9));
    assert_no_personal_data(&r);
}

#[test]
fn a_recorder_registers_only_below_their_org() {
    let mut l = ledger();
    let recorder: ActorId = id("rec");
    l.grant_role(&admin(), &recorder, Role::Recorder(id("C2")))
        .unwrap();
    let r = upload_volunteers(
        &mut l,
        &recorder,
        VOLUNTEERS.as_bytes(),
        &ImportOptions::default(),
        false,
        Progress::none(),
    )
    .unwrap();
    assert_eq!(r.accepted, 1, "{r:?}");
    assert_eq!(
        codes(&r),
        vec![
            (2, Some("所属组织"), "E_FORBIDDEN"),
            (4, Some("所属组织"), "E_FORBIDDEN"),
        ]
    );
}

#[test]
fn a_file_ledger_takes_the_sheet_in_one_transaction() {
    let dir = std::env::temp_dir().join(format!("vl-register-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("d.vl");
    let l = ledger();
    l.save_as(&path).unwrap();
    drop(l);
    let mut l = Ledger::open(&path).unwrap();
    let r = vols(&mut l, VOLUNTEERS.as_bytes(), false);
    assert_eq!(r.accepted, 3);
    drop(l);
    let l = Ledger::open(&path).unwrap();
    assert_eq!(
        l.volunteer_summary(&id("V00000003"))
            .unwrap()
            .volunteer
            .home_org,
        Some(id("C1"))
    );
    l.verify().unwrap();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_org_tree_sheet_builds_the_tree_and_again_adds_nothing() {
    let mut l = ledger();
    let sheet = "名称,类型,上级组织,组织编号\n\
        光明街道,街道,D,S1\n\
        光明一社区,社区,光明街道,\n\
        光明二社区,community,S1,\n\
        和平邻里,邻里,和平社区,\n\
        未知社区,社区,不存在,\n\
        某单位,公司,D,\n\
        ,社区,D,\n";
    let r = upload_orgs(
        &mut l,
        &admin(),
        sheet.as_bytes(),
        &ImportOptions::default(),
        false,
        Progress::none(),
    )
    .unwrap();
    assert_eq!((r.rows, r.accepted), (7, 3), "{r:?}");
    let made: Vec<(i32, &str)> = r.assigned.iter().map(|a| (a.row, a.id.as_str())).collect();
    assert_eq!(made, vec![(3, "O00000006"), (4, "O00000007")]);
    assert_eq!(
        codes(&r),
        vec![
            (5, Some("上级组织"), E_UPLOAD_AMBIGUOUS),
            (6, Some("上级组织"), "E_UNKNOWN_ORG"),
            (7, Some("类型"), E_UPLOAD_ORG_KIND),
            (8, Some("名称"), E_UPLOAD_MISSING),
        ]
    );
    let head = l.head();
    let again = upload_orgs(
        &mut l,
        &admin(),
        sheet.as_bytes(),
        &ImportOptions::default(),
        false,
        Progress::none(),
    )
    .unwrap();
    assert_eq!((again.accepted, again.duplicates, again.refused), (0, 3, 4));
    assert_eq!(l.head(), head);
    // The new orgs are in the tree: a volunteer sheet names them.
    let v = "姓名,证件号码,所属组织\n王五,360502195809020028,光明二社区\n";
    let r = vols(&mut l, v.as_bytes(), false);
    assert_eq!(r.accepted, 1, "{r:?}");
    let home = l
        .volunteer_summary(&id("V00000001"))
        .unwrap()
        .volunteer
        .home_org;
    assert_eq!(home, Some(id("O00000007")));
}

/// The same rows with every name quoted: read whole (a quote rules out the second thread).
fn quoted(plain: &str) -> String {
    plain
        .lines()
        .map(|line| match line.split_once(',') {
            Some((name, rest)) => format!("\"{name}\",{rest}\n"),
            None => format!("{line}\n"),
        })
        .collect()
}

/// A register sheet's report and the ledger it left, the file's fingerprint aside.
fn registered(text: &str, dry_run: bool) -> String {
    let mut l = ledger();
    let r = upload_volunteers(
        &mut l,
        &admin(),
        text.as_bytes(),
        &ImportOptions::default(),
        dry_run,
        Progress::none(),
    )
    .map(|mut r| {
        r.fingerprint.clear();
        r
    });
    if let Err(e) = &r {
        // A refused sheet: the same refusal, whichever way it was read.
        return e.code().to_string();
    }
    format!("{r:?} {}", l.state_digest())
}

proptest::proptest! {
    /// A quote-free register sheet, read on a second thread while its rows are registered,
    /// answers as the same rows read whole first: the same report (rows, refusals, duplicates,
    /// made numbers) and the same ledger.
    #[test]
    fn a_register_sheet_read_aside_answers_as_one_read_whole(
        rows in proptest::collection::vec(
            (
                "(张三|李四|合计|)",
                proptest::sample::select(vec![
                    "11010519491231002X",
                    "360502198912010016",
                    "360502195809020028",
                    "360502195809020027",
                    "",
                ]),
                "(V[1-3]|)",
                "(学田街道|和平社区|C2|C9|)",
            ),
            0..16,
        ),
        numbers in proptest::bool::ANY,
        blank_lines in proptest::collection::vec(0usize..16, 0..3),
        dry_run in proptest::bool::ANY,
    ) {
        let mut text = String::from(if numbers {
            "姓名,证件号码,志愿者编号,所属组织\n"
        } else {
            "姓名,证件号码,所属组织\n"
        });
        for (i, (name, number, volunteer, org)) in rows.iter().enumerate() {
            if blank_lines.contains(&i) {
                text.push('\n');
            }
            if numbers {
                text.push_str(&format!("{name},{number},{volunteer},{org}\n"));
            } else {
                text.push_str(&format!("{name},{number},{org}\n"));
            }
        }
        let plain = registered(&text, dry_run);
        proptest::prop_assert_eq!(&plain, &registered(&quoted(&text), dry_run));
    }
}
