//! The figures of the core ledger (criterion):
//! - append one record, then read the top-100 boards of its week, month and year;
//! - the same read alone, and the append alone;
//! - memory of the ledger's state per record.
//!
//! Size with `VL_BENCH_RECORDS` (default 1,000,000 records over 100,000 volunteers).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::too_many_arguments
)]

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use volunteer_ledger::*;

const OFFSET: i32 = 480;

fn id<T: std::str::FromStr>(s: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    s.parse().expect("bench ids are valid")
}

fn rss_bytes() -> Option<usize> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: usize = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// A district of 5 streets × 10 communities, `vols` volunteers and `records` confirmed records
/// of 1–3 hours spread over 2015, 09:00–12:00 (each volunteer's records on distinct days).
fn build(records: usize, vols: usize) -> Ledger {
    let admin: ActorId = id("admin");
    let mut l =
        Ledger::in_memory(LedgerConfig::new(id("bench"), "基准区", admin.clone())).expect("ledger");
    l.set_clock(Clock::Fixed(
        Timestamp::from_local(OFFSET, 2016, 1, 10, 0, 0).expect("time"),
    ));
    let org = |i: String, p: Option<String>, k| NewOrg {
        id: id(&i),
        name: format!("{i}名"),
        kind: k,
        parent: p.map(|p| id(&p)),
    };
    l.register_org(&admin, org("D".into(), None, OrgKind::District))
        .expect("org");
    for s in 0..5 {
        l.register_org(
            &admin,
            org(format!("S{s}"), Some("D".into()), OrgKind::Street),
        )
        .expect("org");
        for c in 0..10 {
            l.register_org(
                &admin,
                org(
                    format!("C{s}-{c}"),
                    Some(format!("S{s}")),
                    OrgKind::Community,
                ),
            )
            .expect("org");
        }
    }
    for v in 0..vols {
        let body = format!(
            "3101151985{:02}{:02}{:03}",
            1 + v % 12,
            1 + v % 28,
            v % 1000
        );
        let n = format!(
            "{body}{}",
            resident_id_check_char(&body).expect("17 digits")
        );
        // Identity numbers must be unique: passports for all but the first thousand.
        let (kind, number) = if v < 1000 {
            (IdentityKind::ResidentId, n)
        } else {
            (IdentityKind::Passport, format!("E{v:08}"))
        };
        l.register_volunteer(
            &admin,
            NewVolunteer {
                id: id(&format!("V{v:06}")),
                name: "志愿者".into(),
                identity_kind: kind,
                identity_number: number,
                home_org: Some(id(&format!("C{}-{}", v % 5, (v / 5) % 10))),
            },
        )
        .expect("volunteer");
    }
    let start = Timestamp::from_local(OFFSET, 2015, 1, 1, 9, 0)
        .expect("time")
        .0;
    for k in 0..records {
        let v = k % vols;
        let round = k / vols; // the volunteer's n-th record: on day 37n + v % 37 of the year
        let day = (round * 37 + v % 37) % 365;
        let s = start + (day as i64) * 86_400;
        let minutes = 60 + (k * 37 % 120) as u32;
        let r = NewRecord::new(
            id(&format!("R{k:08}")),
            id(&format!("V{v:06}")),
            id(&format!("C{}-{}", v % 5, (v / 5) % 10)),
            Timestamp(s),
            Timestamp(s + 3 * 3600),
            minutes,
            "",
        );
        l.add_record(&admin, r).expect("record");
    }
    l
}

fn bench(c: &mut Criterion) {
    let records: usize = std::env::var("VL_BENCH_RECORDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let vols = (records / 10).max(1);
    let mut l = build(records, vols);
    // Resident memory of the state alone: rebuild it by replaying a copy of the log that is
    // already in memory, and measure how much the process grows.
    let log = l.entries().expect("log");
    let log_bytes: usize = log
        .iter()
        .map(|e| canonical_bytes(e.seq, e.time, &e.actor, &e.change, e.prev).len())
        .sum();
    let rss0 = rss_bytes().unwrap_or(0);
    let replayed = Ledger::from_entries(log).expect("replay");
    let rss1 = rss_bytes().unwrap_or(0);
    eprintln!(
        "memory: {records} records, {vols} volunteers; the state (records, ids, indexes, volunteers; free text and the log aside) \
         counts {:.1} bytes/record; rebuilding it from a log in memory grew resident memory by {:.1} bytes/record \
         (names, contents and allocator overhead included); the log's canonical form is {:.1} bytes/record",
        replayed.state_bytes() as f64 / records as f64,
        rss1.saturating_sub(rss0) as f64 / records as f64,
        log_bytes as f64 / records as f64,
    );
    drop(replayed);

    // Appends go anywhere in 2015, outside the 09:00–12:00 of the built records and within
    // the daily cap (4015 free slots per volunteer); every week, month and year board of 2015
    // is built first, so that no timing includes a first build.
    let admin: ActorId = id("admin");
    let jan1 = Timestamp::from_local(OFFSET, 2015, 1, 1, 0, 0)
        .expect("time")
        .0;
    let periods = |t: Timestamp| periods_of(t, OFFSET).expect("periods");
    for d in (0..365).step_by(7).chain([364]) {
        for p in periods(Timestamp(jan1 + d * 86_400)) {
            l.leaderboard(p, &Scope::All, BoardKind::Volunteers, 100)
                .expect("board");
        }
    }
    let mut k: usize = 0;
    let mut next_record = || {
        k += 1;
        let v = k % vols;
        let slot = k / vols;
        let day = ((slot * 37 + v) % 365) as i64;
        let hour = [6, 7, 8, 13, 14, 15, 16, 17, 18, 19, 20][(slot / 365) % 11];
        let s = jan1 + day * 86_400 + hour * 3600;
        NewRecord::new(
            id(&format!("B{k:09}")),
            id(&format!("V{v:06}")),
            id(&format!("C{}-{}", v % 5, (v / 5) % 10)),
            Timestamp(s),
            Timestamp(s + 3000),
            45,
            "",
        )
    };

    let mut g = c.benchmark_group("ledger");
    let sample = l.entries().expect("log").last().cloned().expect("an entry");
    g.bench_function("hash_one_record_entry", |b| {
        b.iter(|| {
            black_box(Entry::new(
                sample.seq,
                sample.time,
                sample.actor.clone(),
                sample.change.clone(),
                sample.prev,
            ))
        })
    });
    g.bench_function("append_then_top100_week_month_year", |b| {
        b.iter(|| {
            let r = next_record();
            let t = r.start;
            l.add_record(&admin, r).expect("append");
            for p in periods(t) {
                black_box(
                    l.leaderboard(p, &Scope::All, BoardKind::Volunteers, 100)
                        .expect("board"),
                );
            }
        })
    });
    g.bench_function("append_only", |b| {
        b.iter(|| {
            l.add_record(&admin, next_record()).expect("append");
        })
    });
    let p: Vec<Period> = periods(Timestamp(jan1 + 160 * 86_400));
    g.bench_function("top100_week_month_year_read", |b| {
        b.iter(|| {
            for p in &p {
                black_box(
                    l.leaderboard(*p, &Scope::All, BoardKind::Volunteers, 100)
                        .expect("board"),
                );
            }
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(30).measurement_time(std::time::Duration::from_secs(5));
    targets = bench
}
criterion_main!(benches);
