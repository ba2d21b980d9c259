//! Every call that can take seconds tells its progress callback `0` of its total, every
//! thousand units, and its end — and does exactly what the same call without one does.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use volunteer_ledger::import::{ImportOptions, upload, upload_orgs, upload_volunteers};
use volunteer_ledger::*;

mod common;
use common::{TempFile, admin, community_file, id};

const OFFSET: i32 = 480;

fn t(day: u32, hour: u32) -> Timestamp {
    Timestamp::from_local(OFFSET, 2015, 6, day, hour, 0).unwrap()
}

fn clock() -> Clock {
    Clock::Fixed(t(30, 12))
}

/// The calls a run of `f` made to its progress callback.
fn reported(f: impl FnOnce(Progress<'_>)) -> Vec<(u64, u64)> {
    let mut calls = Vec::new();
    f(Progress::to(&mut |done, total| calls.push((done, total))));
    calls
}

/// What a call over `total` units reports: its start, each thousand, its end.
fn every_thousand(total: u64) -> Vec<(u64, u64)> {
    let mut want = vec![(0, total)];
    want.extend(
        (1..)
            .map(|k| k * PROGRESS_EVERY)
            .take_while(|&d| d < total)
            .map(|d| (d, total)),
    );
    want.push((total, total));
    want
}

/// One record for each of `n` volunteers, `V0` … (of a community file with that many), ids
/// `<prefix>0` …, in the hour from `from` (8 to 13) plus the volunteer's number modulo 5.
fn records(n: u32, prefix: &str, from: u32) -> Vec<NewRecord> {
    (0..n)
        .map(|v| {
            let (day, hour) = (1 + v % 28, from + v % 5);
            let rid = id(&format!("{prefix}{v}"));
            let vol = id(&format!("V{v}"));
            NewRecord::new(
                rid,
                vol,
                id("C1"),
                t(day, hour),
                t(day, hour + 1),
                60,
                "巡逻",
            )
        })
        .collect()
}

fn people(from: u32, n: u32) -> Vec<NewVolunteer> {
    (from..from + n)
        .map(|v| NewVolunteer {
            id: id(&format!("V{v}")),
            name: "志愿者".into(),
            identity_kind: IdentityKind::Passport,
            identity_number: format!("E{v:08}"),
            home_org: Some(id("C1")),
        })
        .collect()
}

#[test]
fn bulk_adds_and_registrations_report_and_do_what_they_do_without() {
    let file = TempFile::new("progress-bulk");
    // The file ledger tells its progress (its writes go through the writing thread); a copy
    // of its state (a clone, which writes nowhere) makes the same calls without.
    let mut told = community_file(file.path(), "progress", 2500, clock());
    let mut plain = told.clone();
    // Registrations seal identity numbers with drawn nonces: the same draws in both.
    plain.set_fixed_entropy([9; 32]);
    told.set_fixed_entropy([9; 32]);

    let want = plain.add_records(&admin(), records(2500, "R", 8));
    let mut got = Vec::new();
    let calls = reported(|p| {
        got = told.add_records_with_progress(&admin(), records(2500, "R", 8), p);
    });
    assert_eq!(calls, every_thousand(2500));
    assert!(format!("{got:?}") == format!("{want:?}"), "answers differ");
    assert!(got.iter().all(Result::is_ok));

    // Records that come through an iterator of unknown length: the caller says how many.
    let more = records(2500, "S", 14).into_iter();
    let calls = reported(|p| {
        let added = told.add_records_from(&admin(), more.filter(|_| true), p.expecting(2500));
        assert!(
            added.iter().all(Result::is_ok),
            "{:?}",
            added.iter().find(|r| r.is_err())
        );
    });
    assert_eq!(calls, every_thousand(2500));
    plain.add_records_from(&admin(), records(2500, "S", 14), Progress::none());
    assert_eq!(plain.state_digest(), told.state_digest());

    let want = plain
        .register_volunteers(&admin(), people(2500, 1200))
        .unwrap();
    let mut got = Vec::new();
    let calls = reported(|p| {
        got = told
            .register_volunteers_with_progress(&admin(), people(2500, 1200), p)
            .unwrap();
    });
    assert_eq!(calls, every_thousand(1200));
    assert!(format!("{got:?}") == format!("{want:?}"), "answers differ");
    assert_eq!(plain.state_digest(), told.state_digest());
}

#[test]
fn a_copy_an_open_that_replays_and_a_check_report_their_entries() {
    let config = LedgerConfig::new(id("progress"), "测试区", admin());
    let mut l = Ledger::in_memory_with_clock(config, clock()).unwrap();
    l.register_org(
        &admin(),
        NewOrg {
            id: id("C1"),
            name: "社区".into(),
            kind: OrgKind::Community,
            parent: None,
        },
    )
    .unwrap();
    l.register_volunteers(&admin(), people(0, 1500)).unwrap();
    let entries = l.entry_count();
    assert!(entries > 1500);

    let calls = reported(|p| {
        l.verify_with_progress(&[], p).unwrap();
    });
    assert_eq!(calls, every_thousand(entries));

    let file = TempFile::new("progress-copy");
    let mut saved = None;
    let calls = reported(|p| saved = Some(l.save_as_with_progress(file.path(), p).unwrap()));
    assert_eq!(calls, every_thousand(entries));
    let saved = saved.unwrap();
    assert_eq!(saved.state_digest(), l.state_digest());
    let calls = reported(|p| {
        saved.verify_with_progress(&[], p).unwrap();
    });
    assert_eq!(calls, every_thousand(entries));
    drop(saved);

    // A clean close left a snapshot: nothing to replay.
    let calls = reported(|p| {
        let opened = Ledger::open_with_progress(file.path(), None, p).unwrap();
        assert_eq!(opened.replayed_at_open(), 0);
    });
    assert_eq!(calls, every_thousand(0));
    // Without it, every entry is replayed through the rules.
    rusqlite::Connection::open(file.path())
        .unwrap()
        .execute("DELETE FROM snapshot", [])
        .unwrap();
    let calls = reported(|p| {
        let opened = Ledger::open_with_progress(file.path(), None, p).unwrap();
        assert_eq!(opened.replayed_at_open(), entries);
        assert_eq!(opened.state_digest(), l.state_digest());
    });
    assert_eq!(calls, every_thousand(entries));
}

#[test]
fn sheets_report_their_rows() {
    let file = TempFile::new("progress-sheets");
    let mut l = community_file(file.path(), "progress", 1100, clock());
    let mut sheet = String::from("志愿者编号,组织编号,服务日期,开始时间,结束时间,记录编号\n");
    for v in 0..1100 {
        sheet.push_str(&format!(
            "V{v},C1,2015-06-{:02},9:00,10:00,R{v}\n",
            1 + v % 28
        ));
    }
    let opts = ImportOptions::default();
    let calls = reported(|p| {
        let report = upload(&mut l, &admin(), sheet.as_bytes(), &opts, false, p).unwrap();
        assert_eq!(report.accepted, 1100, "{:?}", report.rejected.first());
    });
    assert_eq!(calls, every_thousand(1100));

    let mut sheet = String::from("姓名,证件类型,证件号码,志愿者编号,所属组织\n");
    for v in 1100..3100 {
        sheet.push_str(&format!("志愿者,护照,E{v:08},V{v},C1\n"));
    }
    let calls = reported(|p| {
        let report =
            upload_volunteers(&mut l, &admin(), sheet.as_bytes(), &opts, false, p).unwrap();
        assert_eq!(report.accepted, 2000, "{:?}", report.rejected.first());
    });
    assert_eq!(calls, every_thousand(2000));

    let mut sheet = String::from("名称,类型,上级组织\n");
    for o in 0..1001 {
        sheet.push_str(&format!("第{o}社区,社区,C1\n"));
    }
    let calls = reported(|p| {
        let report = upload_orgs(&mut l, &admin(), sheet.as_bytes(), &opts, true, p).unwrap();
        assert_eq!(report.rows, 1001);
    });
    assert_eq!(calls, every_thousand(1001));
}
