//! The register and hand-kept sheets into a file ledger, side by side in one run:
//!
//! - **register**: a volunteer sheet of `VL_BENCH_VOLUNTEERS` rows (100,000 by default: 姓名,
//!   证件号码, 所属组织 by name; no volunteer numbers, so each is made) uploaded by
//!   `upload_volunteers` (one transaction), the same sheet with a 手机 column (each phone kept
//!   as a second entry), beside `register_volunteers` of the same people and beside registering
//!   one at a time (a transaction each, `VL_BENCH_SINGLE` of them: 1,000);
//! - **matched**: a record sheet of `VL_BENCH_ROWS` rows (100,000) naming each volunteer by
//!   姓名 + 证件号码 and the org by name, beside the same rows naming them by volunteer number
//!   and org id, each uploaded into a copy of the ledger the register sheet made.
//!
//! Each figure is the median of `VL_BENCH_RUNS` runs (3 by default), in rows per second. Run
//! with `cargo bench -p volunteer-ledger --bench register` (part of `make bench-criterion`).

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use volunteer_ledger::import::{ImportOptions, upload, upload_volunteers};
use volunteer_ledger::*;

const OFFSET: i32 = 480;

fn id<T: std::str::FromStr>(s: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    s.parse().unwrap()
}

fn env(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

fn remove(path: &Path) {
    for suffix in ["", "-wal", "-shm", ".key"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn clock() -> Clock {
    Clock::Fixed(Timestamp::from_local(OFFSET, 2016, 1, 10, 0, 0).unwrap())
}

/// A resident identity number for person `v`: a birth date from 1950 on and a check digit.
fn identity_number(v: usize) -> String {
    let birth = chrono::NaiveDate::from_ymd_opt(1950, 1, 1).unwrap()
        + chrono::Days::new((v / 999 % 18_000) as u64);
    let body = format!("110105{}{:03}", birth.format("%Y%m%d"), v % 999 + 1);
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(weights)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body}{check}")
}

fn community(v: usize) -> String {
    format!("C{}-{}", v % 5, (v / 5) % 10)
}

/// A ledger file with a district of 5 streets × 10 communities, no volunteers.
fn tree(path: &Path) -> Ledger {
    let admin: ActorId = id("admin");
    let config = LedgerConfig::new(id("bench"), "基准区", admin.clone());
    let mut l = Ledger::create_with_clock(path, config, clock()).unwrap();
    l.batch(|l| {
        let org = |i: &str, p: Option<&str>, k| NewOrg {
            id: id(i),
            name: format!("{i}社区"),
            kind: k,
            parent: p.map(id),
        };
        l.register_org(&admin, org("D", None, OrgKind::District))
            .unwrap();
        for s in 0..5 {
            let street = format!("S{s}");
            l.register_org(&admin, org(&street, Some("D"), OrgKind::Street))
                .unwrap();
            for c in 0..10 {
                let name = format!("C{s}-{c}");
                l.register_org(&admin, org(&name, Some(&street), OrgKind::Community))
                    .unwrap();
            }
        }
    })
    .unwrap();
    l
}

/// The volunteer sheet: person v, named 志愿者v, at their community by name, with a mobile
/// number if `phones` (each kept as a second entry, a correction).
fn register_sheet(vols: usize, phones: bool) -> Vec<u8> {
    let mut s = String::from(if phones {
        "姓名,证件号码,所属组织,手机\n"
    } else {
        "姓名,证件号码,所属组织\n"
    });
    for v in 0..vols {
        s.push_str(&format!(
            "志愿者{v},{},{}社区",
            identity_number(v),
            community(v)
        ));
        if phones {
            s.push_str(&format!(",139{v:08}"));
        }
        s.push('\n');
    }
    s.into_bytes()
}

fn people(vols: usize) -> Vec<NewVolunteer> {
    (0..vols)
        .map(|v| NewVolunteer {
            id: id(&format!("V{:08}", v + 1)),
            name: format!("志愿者{v}"),
            identity_kind: IdentityKind::ResidentId,
            identity_number: identity_number(v),
            home_org: Some(id(&community(v))),
        })
        .collect()
}

/// A record sheet of `rows` rows over `vols` volunteers: by identity number and org name, or
/// by volunteer number (as the register sheet made them) and org id.
fn record_sheet(rows: usize, vols: usize, by_identity: bool) -> Vec<u8> {
    let jan1 = chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
    let mut s = String::from(if by_identity {
        "姓名,证件号码,组织,服务日期,开始时间,结束时间,服务时长(小时)\n"
    } else {
        "志愿者编号,组织,服务日期,开始时间,结束时间,服务时长(小时)\n"
    });
    for k in 0..rows {
        let (v, n) = (k % vols, k / vols);
        let day = jan1 + chrono::Days::new(((n * 37 + v % 37) % 365) as u64);
        let who = if by_identity {
            format!("志愿者{v},{},{}社区", identity_number(v), community(v))
        } else {
            format!("V{:08},{}", v + 1, community(v))
        };
        s.push_str(&format!("{who},{day},09:00,12:00,2\n"));
    }
    s.into_bytes()
}

/// Runs `f` `runs` times on a fresh copy of the tree ledger at `file`; the median time.
fn timed(dir: &Path, runs: usize, base: Option<&Path>, mut f: impl FnMut(&mut Ledger)) -> Duration {
    let file = dir.join("run.vl");
    let times = (0..runs)
        .map(|_| {
            remove(&file);
            let mut l = match base {
                Some(b) => {
                    std::fs::copy(b, &file).unwrap();
                    std::fs::copy(key_file_of(b), key_file_of(&file)).unwrap();
                    let mut l = Ledger::open(&file).unwrap();
                    l.set_clock(clock());
                    l
                }
                None => tree(&file),
            };
            let start = Instant::now();
            f(&mut l);
            start.elapsed()
        })
        .collect();
    remove(&file);
    median(times)
}

fn per_second(n: usize, d: Duration) -> f64 {
    n as f64 / d.as_secs_f64()
}

fn main() {
    let vols = env("VL_BENCH_VOLUNTEERS", 100_000);
    let single = env("VL_BENCH_SINGLE", 1_000).min(vols);
    let rows = env("VL_BENCH_ROWS", 100_000);
    let runs = env("VL_BENCH_RUNS", 3).max(1);
    let dir = std::env::temp_dir().join(format!("vl-bench-register-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let admin: ActorId = id("admin");
    let opts = ImportOptions::default();

    let sheet = register_sheet(vols, false);
    let by_sheet = timed(&dir, runs, None, |l| {
        let r = upload_volunteers(l, &admin, &sheet, &opts, false, Progress::none()).unwrap();
        assert_eq!(r.accepted as usize, vols, "{:?}", r.rejected.first());
    });
    let with_phones = register_sheet(vols, true);
    let by_sheet_with_phones = timed(&dir, runs, None, |l| {
        let r = upload_volunteers(l, &admin, &with_phones, &opts, false, Progress::none()).unwrap();
        assert_eq!(r.accepted as usize, vols, "{:?}", r.rejected.first());
        assert!(r.rejected.is_empty(), "{:?}", r.rejected.first());
    });
    let by_call = timed(&dir, runs, None, |l| {
        let out = l.register_volunteers(&admin, people(vols)).unwrap();
        assert!(out.iter().all(Result::is_ok));
    });
    let one_by_one = timed(&dir, runs, None, |l| {
        for v in people(single) {
            l.register_volunteer(&admin, v).unwrap();
        }
    });
    println!(
        "register {vols} volunteers into a file ledger: sheet {:.0}/s ({:.3} s), \
         the sheet with a phone each {:.0}/s ({:.3} s), register_volunteers {:.0}/s, \
         one transaction each {:.0}/s ({single} of them)",
        per_second(vols, by_sheet),
        by_sheet.as_secs_f64(),
        per_second(vols, by_sheet_with_phones),
        by_sheet_with_phones.as_secs_f64(),
        per_second(vols, by_call),
        per_second(single, one_by_one),
    );

    // The ledger the register sheet made, for the record sheets.
    let base = dir.join("base.vl");
    remove(&base);
    let mut l = tree(&base);
    upload_volunteers(&mut l, &admin, &sheet, &opts, false, Progress::none()).unwrap();
    drop(l);
    let mut figures = Vec::new();
    for by_identity in [false, true] {
        let csv = record_sheet(rows, vols, by_identity);
        let d = timed(&dir, runs, Some(&base), |l| {
            let r = upload(l, &admin, &csv, &opts, false, Progress::none()).unwrap();
            assert_eq!(r.accepted as usize, rows, "{:?}", r.rejected.first());
        });
        figures.push(d);
    }
    println!(
        "record sheet of {rows} rows into a file ledger: by volunteer number {:.0}/s ({:.3} s), \
         by identity number and org name {:.0}/s ({:.3} s), ratio {:.2}",
        per_second(rows, figures[0]),
        figures[0].as_secs_f64(),
        per_second(rows, figures[1]),
        figures[1].as_secs_f64(),
        figures[1].as_secs_f64() / figures[0].as_secs_f64(),
    );
    remove(&base);
    let _ = std::fs::remove_dir_all(PathBuf::from(&dir));
}
