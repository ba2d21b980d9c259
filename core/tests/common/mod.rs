//! What several test files share: id parsing, the admin, and temporary ledger files.

#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use volunteer_ledger::{
    ActorId, Clock, IdentityKind, Ledger, LedgerConfig, NewOrg, NewVolunteer, OrgKind,
};

/// Parses an id (or a period) that the test knows to be well formed.
pub fn id<T: std::str::FromStr>(s: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    s.parse().unwrap()
}

/// The platform admin every test ledger is created by.
pub fn admin() -> ActorId {
    id("admin")
}

/// A fresh path for a ledger file in the temporary directory; the file and its WAL files are
/// removed when this is dropped.
pub struct TempFile(PathBuf);

impl TempFile {
    pub fn new(tag: &str) -> Self {
        use std::sync::atomic::{AtomicU32, Ordering};
        static N: AtomicU32 = AtomicU32::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        Self(std::env::temp_dir().join(format!("vl-test-{tag}-{}-{n}.db", std::process::id())))
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", ".key", ".key.new"] {
            let mut p = self.0.as_os_str().to_owned();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
}

/// Saves `l` into a ledger file and opens it again, from its snapshot and then from its whole
/// log: both give the state of `l` and the same answers to `ask`, which are returned.
pub fn same_from_a_file<T: PartialEq + std::fmt::Debug>(
    l: &Ledger,
    ask: impl Fn(&Ledger) -> T,
) -> T {
    let file = TempFile::new("saved");
    let want = ask(l);
    let saved = l.save_as(file.path()).unwrap();
    assert_eq!(saved.state_digest(), l.state_digest());
    drop(saved);
    let from_snapshot = Ledger::open(file.path()).unwrap();
    assert_eq!(
        from_snapshot.replayed_at_open(),
        0,
        "the snapshot was not used"
    );
    assert_eq!(from_snapshot.state_digest(), l.state_digest());
    assert_eq!(ask(&from_snapshot), want);
    from_snapshot.verify().unwrap();
    drop(from_snapshot);
    rusqlite::Connection::open(file.path())
        .unwrap()
        .execute("DELETE FROM snapshot", [])
        .unwrap();
    let replayed = Ledger::open(file.path()).unwrap();
    assert_eq!(replayed.replayed_at_open(), l.entry_count());
    assert_eq!(replayed.state_digest(), l.state_digest());
    assert_eq!(ask(&replayed), want);
    want
}

/// A ledger file at `path` holding community `C1` and volunteers `V0`, `V1` … (`volunteers`
/// of them, passports `E00000000` …), made on `clock`: what the process tests write into.
pub fn community_file(path: &Path, ledger: &str, volunteers: u32, clock: Clock) -> Ledger {
    let mut l = Ledger::create_with_clock(
        path,
        LedgerConfig::new(id(ledger), "测试区", admin()),
        clock,
    )
    .unwrap();
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
    for v in 0..volunteers {
        l.register_volunteer(
            &admin(),
            NewVolunteer {
                id: id(&format!("V{v}")),
                name: "志愿者".into(),
                identity_kind: IdentityKind::Passport,
                identity_number: format!("E{v:08}"),
                home_org: Some(id("C1")),
            },
        )
        .unwrap();
    }
    l
}

/// A resident identity number with its check digit, born 1980-01-01 plus `n` days.
pub fn identity_number(n: u64) -> String {
    let birth = chrono::NaiveDate::from_ymd_opt(1980, 1, 1).unwrap() + chrono::Days::new(n);
    let body = format!("110105{}{:03}", birth.format("%Y%m%d"), n % 999 + 1);
    let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = body
        .bytes()
        .zip(weights)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{body}{check}")
}
