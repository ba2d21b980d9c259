//! Record sheets as people keep them: volunteers named by identity number (matched by the
//! register's keyed hash), orgs by name, and a corrected sheet uploaded again.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use volunteer_ledger::import::{
    E_UPLOAD_AMBIGUOUS, E_UPLOAD_MISMATCH, ImportOptions, ImportReport, upload,
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

fn t(m: u32, d: u32, h: u32) -> Timestamp {
    Timestamp::from_local(480, 2015, m, d, h, 0).unwrap()
}

const PEOPLE: &[(&str, &str, &str)] = &[
    ("V1", "张三丰", "11010519491231002X"),
    ("V2", "李四光", "360502198912010016"),
    ("V3", "王五", "360502195809020028"),
];

/// District D with communities 学田街道 (C1), 和平社区 (C2) and a second 和平社区 (C3).
fn ledger() -> Ledger {
    let mut l = Ledger::in_memory(LedgerConfig::new(id("m"), "测试区", admin())).unwrap();
    l.set_clock(Clock::Fixed(t(6, 30, 12)));
    for (o, name, parent, kind) in [
        ("D", "测试区", None, OrgKind::District),
        ("C1", "学田街道", Some("D"), OrgKind::Community),
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
    for (v, name, number) in PEOPLE {
        let vol = NewVolunteer {
            id: id(v),
            name: (*name).into(),
            identity_kind: IdentityKind::ResidentId,
            identity_number: (*number).into(),
            home_org: Some(id("C1")),
        };
        l.register_volunteer(&admin(), vol).unwrap();
    }
    l
}

fn up(l: &mut Ledger, csv: &str, opts: &ImportOptions, dry_run: bool) -> ImportReport {
    upload(l, &admin(), csv.as_bytes(), opts, dry_run, Progress::none()).unwrap()
}

fn codes(r: &ImportReport) -> Vec<(i32, &str)> {
    r.rejected
        .iter()
        .map(|p| (p.row, p.code.as_str()))
        .collect()
}

fn assert_no_personal_data(r: &ImportReport) {
    for p in &r.rejected {
        for (_, name, number) in PEOPLE {
            for m in [&p.message_en, &p.message_zh] {
                assert!(!m.contains(name) && !m.contains(number), "{m}");
            }
        }
    }
}

/// The same rows, once named by identity number and org name, once by number and org id;
/// quoted (read whole) and unquoted (streamed) alike.
#[test]
fn a_sheet_naming_people_by_identity_number_and_orgs_by_name_is_matched() {
    let by_identity = "姓名,证件类型,证件号码,所属组织,服务日期,开始时间,结束时间\n\
        张三丰,居民身份证,11010519491231002x,学田街道,2015-06-02,9:00,11:00\n\
        李 四光,,360502198912010016, 学田街道 ,2015-06-02,9:00,10:30\n";
    let by_number = "志愿者编号,组织编号,服务日期,开始时间,结束时间\n\
        V1,C1,2015-06-02,9:00,11:00\nV2,C1,2015-06-02,9:00,10:30\n";
    let quoted = by_identity.replace("学田街道,", "\"学田街道\",");
    let opts = ImportOptions::default();
    let mut want = ledger();
    let r = up(&mut want, by_number, &opts, false);
    assert_eq!((r.accepted, r.refused), (2, 0));
    for sheet in [by_identity, quoted.as_str()] {
        let mut l = ledger();
        let r = up(&mut l, sheet, &opts, false);
        assert_eq!((r.accepted, r.refused), (2, 0), "{r:?}");
        for v in ["V1", "V2"] {
            let mine = l.volunteer_summary(&id(v)).unwrap();
            let theirs = want.volunteer_summary(&id(v)).unwrap();
            assert_eq!(
                mine.volunteer.total_minutes, theirs.volunteer.total_minutes,
                "{v}"
            );
        }
        assert_eq!(
            l.volunteer_summary(&id("V1"))
                .unwrap()
                .volunteer
                .total_minutes,
            120
        );
    }
}

#[test]
fn names_that_disagree_unknown_numbers_and_shared_org_names_are_reported_not_guessed() {
    let csv = "姓名,证件号码,组织,服务日期,开始时间,结束时间\n\
        张三丰,11010519491231002X,C1,2015-06-02,9:00,11:00\n\
        张三,11010519491231002X,C1,2015-06-03,9:00,11:00\n\
        王五,110105194912310021,C1,2015-06-03,9:00,11:00\n\
        王五,110105198001010016,C1,2015-06-03,9:00,11:00\n\
        王五,360502195809020028,和平社区,2015-06-03,9:00,11:00\n\
        王五,360502195809020028,不存在街道,2015-06-04,9:00,11:00\n\
        王五,360502195809020028,学田街道,2015-06-05,9:00,11:00\n\
        李四光,,C1,2015-06-05,9:00,11:00\n";
    let mut l = ledger();
    let before = l.state_digest();
    let dry = up(&mut l, csv, &ImportOptions::default(), true);
    assert_eq!(l.state_digest(), before, "a dry run writes nothing");
    let r = up(&mut l, csv, &ImportOptions::default(), false);
    assert_eq!(dry.rejected, r.rejected);
    assert_eq!(r.accepted, 2, "{r:?}");
    assert_eq!(
        codes(&r),
        vec![
            (3, E_UPLOAD_MISMATCH),
            (4, "E_IDENTITY_CHECKSUM"),
            (5, "E_UNKNOWN_VOLUNTEER"),
            (6, E_UPLOAD_AMBIGUOUS),
            (7, "E_UNKNOWN_ORG"),
            (9, "E_UPLOAD_MISSING"),
        ]
    );
    assert_eq!(r.rejected[0].column.as_deref(), Some("姓名"));
    assert_eq!(r.rejected[2].column.as_deref(), Some("证件号码"));
    assert_eq!(r.rejected[3].column.as_deref(), Some("组织"));
    assert_no_personal_data(&r);
}

#[test]
fn a_ledger_without_its_key_cannot_match_sealed_numbers() {
    let dir = tempdir();
    let path = dir.join("device.vl");
    let l = ledger();
    l.save_as(&path).unwrap();
    drop(l);
    std::fs::remove_file(key_file_of(&path)).unwrap();
    let mut l = Ledger::open(&path).unwrap();
    l.set_clock(Clock::Fixed(t(6, 30, 12)));
    let csv = "姓名,证件号码,组织编号,服务日期,开始时间,结束时间\n\
        张三丰,11010519491231002X,C1,2015-06-02,9:00,11:00\n";
    let r = up(&mut l, csv, &ImportOptions::default(), false);
    assert_eq!(codes(&r), vec![(2, "E_KEY_UNAVAILABLE")]);
    let _ = std::fs::remove_dir_all(dir);
}

fn tempdir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "vl-matching-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const FIRST: &str = "志愿者编号,组织编号,服务日期,开始时间,结束时间,服务时长(小时),服务内容\n\
    V1,C1,2015-06-02,9:00,11:00,2,扫街\n\
    V2,C1,2015-06-02,9:00,11:00,2,扫街\n\
    V3,C1,2015-06-02,9:00,11:00,2,扫街\n";

/// The sheet edited: V2's hours corrected, V3's content reworded, a row added for V1.
const CORRECTED: &str = "志愿者编号,组织编号,服务日期,开始时间,结束时间,服务时长(小时),服务内容\n\
    V1,C1,2015-06-02,9:00,11:00,2,扫街\n\
    V2,C1,2015-06-02,9:00,11:00,1.5,扫街\n\
    V3,C1,2015-06-02,9:00,11:00,2,清扫街道\n\
    V1,C1,2015-06-03,9:00,10:00,1,扫街\n";

#[test]
fn a_corrected_sheet_again_records_only_what_is_new_and_refuses_what_changed() {
    let mut l = ledger();
    let opts = ImportOptions::default();
    assert_eq!(up(&mut l, FIRST, &opts, false).accepted, 3);
    let len = l.head().0;
    let r = up(&mut l, CORRECTED, &opts, false);
    // Rows 2 and 4 hold the service recorded before (content aside): duplicates.
    assert_eq!((r.accepted, r.duplicates, r.amended), (1, 2, 0), "{r:?}");
    assert_eq!(codes(&r), vec![(3, "E_OVERLAP")]);
    assert_eq!(l.head().0, len + 1);
    assert_eq!(
        l.volunteer_summary(&id("V2"))
            .unwrap()
            .volunteer
            .total_minutes,
        120
    );
}

#[test]
fn a_corrected_sheet_amends_what_changed_when_asked() {
    let mut l = ledger();
    assert_eq!(
        up(&mut l, FIRST, &ImportOptions::default(), false).accepted,
        3
    );
    let opts = ImportOptions {
        amend_changed: true,
        ..ImportOptions::default()
    };
    let r = up(&mut l, CORRECTED, &opts, false);
    assert_eq!((r.accepted, r.duplicates, r.amended), (1, 2, 1), "{r:?}");
    assert!(r.rejected.is_empty(), "{r:?}");
    assert_eq!(
        l.volunteer_summary(&id("V2"))
            .unwrap()
            .volunteer
            .total_minutes,
        90
    );
    let amended: Vec<_> = l
        .entries()
        .unwrap()
        .into_iter()
        .filter(|e| matches!(e.change, Change::RecordAmended { .. }))
        .collect();
    assert_eq!(amended.len(), 1);
    // Again: every row is recorded now.
    let again = up(&mut l, CORRECTED, &opts, false);
    assert_eq!((again.accepted, again.duplicates, again.amended), (0, 4, 0));
    l.verify().unwrap();
}

#[test]
fn an_amendment_from_a_sheet_is_authorised_as_any_amendment() {
    let mut l = ledger();
    let first = FIRST.replace("V2,C1", "V2,C2");
    assert_eq!(
        up(&mut l, &first, &ImportOptions::default(), false).accepted,
        3
    );
    // A recorder of C1 may record C1's service, but not amend C2's record of V2.
    let recorder: ActorId = id("rec1");
    l.grant_role(&admin(), &recorder, Role::Recorder(id("C1")))
        .unwrap();
    let opts = ImportOptions {
        amend_changed: true,
        ..ImportOptions::default()
    };
    let r = upload(
        &mut l,
        &recorder,
        CORRECTED.as_bytes(),
        &opts,
        false,
        Progress::none(),
    )
    .unwrap();
    assert_eq!((r.accepted, r.duplicates, r.amended), (1, 2, 0), "{r:?}");
    assert_eq!(codes(&r), vec![(3, "E_FORBIDDEN")]);
    assert_eq!(
        l.volunteer_summary(&id("V2"))
            .unwrap()
            .volunteer
            .total_minutes,
        120
    );
}
