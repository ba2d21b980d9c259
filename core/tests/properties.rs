//! Properties that must hold for any sequence of changes (proptest).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::too_many_arguments
)]

mod common;

use common::{TempFile, admin, id};
use proptest::prelude::*;
use std::collections::HashMap;
use volunteer_ledger::*;

const OFFSET: i32 = 480;

/// D → S1 → C1, D → S2 → C2; volunteers V0..V7 living in C1 or C2; team T1 at C1 led by V0;
/// recorder rec at D. The clock is fixed at 2015-03-01.
fn district() -> Ledger {
    district_on(Ledger::in_memory_with_clock)
}

/// The same district in a new ledger file.
fn district_file(path: &std::path::Path) -> Ledger {
    district_on(|config, clock| Ledger::create_with_clock(path, config, clock))
}

/// The same ledger key and entropy for every ledger of these properties, so that a file ledger
/// and one in memory seal the same registration into the same bytes.
fn same_keys(l: &mut Ledger) {
    let keys = Keyring::new("k1", &[9u8; 32]).unwrap();
    l.set_identity_keys(IdentityKeys::Provider(std::sync::Arc::new(keys)));
    l.set_fixed_entropy([5u8; 32]);
}

fn district_on(make: impl FnOnce(LedgerConfig, Clock) -> Result<Ledger>) -> Ledger {
    let mut l = make(
        LedgerConfig::new(id("p"), "测试区", admin()),
        Clock::Fixed(Timestamp::from_local(OFFSET, 2015, 3, 1, 0, 0).unwrap()),
    )
    .unwrap();
    same_keys(&mut l);
    let org = |i: &str, p: Option<&str>, k| NewOrg {
        id: id(i),
        name: format!("{i}名"),
        kind: k,
        parent: p.map(id),
    };
    for o in [
        org("D", None, OrgKind::District),
        org("S1", Some("D"), OrgKind::Street),
        org("S2", Some("D"), OrgKind::Street),
        org("C1", Some("S1"), OrgKind::Community),
        org("C2", Some("S2"), OrgKind::Community),
    ] {
        l.register_org(&admin(), o).unwrap();
    }
    l.grant_role(&admin(), &id("rec"), Role::Recorder(id("D")))
        .unwrap();
    for v in 0..8 {
        let body = format!("110105198{v}0101{v:03}");
        let n = format!("{body}{}", resident_id_check_char(&body).unwrap());
        l.register_volunteer(
            &admin(),
            NewVolunteer {
                id: id(&format!("V{v}")),
                name: format!("志愿者{v}"),
                identity_kind: IdentityKind::ResidentId,
                identity_number: n,
                home_org: Some(id(if v % 2 == 0 { "C1" } else { "C2" })),
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
            members: vec![id("V1"), id("V2")],
        },
    )
    .unwrap();
    l
}

#[derive(Debug, Clone)]
enum Op {
    Add {
        vol: u8,
        org: u8,
        team: bool,
        day: u8,
        hour: u8,
        span_h: u8,
        minutes: u16,
        by_self: u8,
    },
    Confirm(u8),
    Revoke(u8),
    Amend(u8, u16),
    Dispute(u8),
    Resolve(u8),
    Resend(u8),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0u8..8, 0u8..5, any::<bool>(), 0u8..60, 0u8..22, 1u8..4, 1u16..300, 0u8..4).prop_map(
            |(vol, org, team, day, hour, span_h, minutes, by_self)| Op::Add { vol, org, team, day, hour, span_h, minutes, by_self }
        ),
        2 => any::<u8>().prop_map(Op::Confirm),
        1 => any::<u8>().prop_map(Op::Revoke),
        1 => (any::<u8>(), 1u16..200).prop_map(|(r, m)| Op::Amend(r, m)),
        1 => any::<u8>().prop_map(Op::Dispute),
        1 => any::<u8>().prop_map(Op::Resolve),
        1 => any::<u8>().prop_map(Op::Resend),
    ]
}

const ORGS: [&str; 5] = ["D", "S1", "S2", "C1", "C2"];

struct Run {
    ledger: Ledger,
    made: Vec<NewRecord>,
    next: u32,
}

impl Run {
    fn pick(&self, i: u8) -> Option<RecordId> {
        if self.made.is_empty() {
            return None;
        }
        Some(self.made[usize::from(i) % self.made.len()].id.clone())
    }

    fn record(
        &mut self,
        vol: u8,
        org: u8,
        team: bool,
        day: u8,
        hour: u8,
        span_h: u8,
        minutes: u16,
    ) -> NewRecord {
        self.next += 1;
        let start = Timestamp::from_local(OFFSET, 2014, 12, 20, u32::from(hour), 0).unwrap();
        let start = Timestamp(start.0 + i64::from(day) * 86_400);
        let end = Timestamp(start.0 + i64::from(span_h) * 3600);
        let mut r = NewRecord::new(
            id(&format!("R{}", self.next)),
            id(&format!("V{vol}")),
            id(ORGS[usize::from(org)]),
            start,
            end,
            u32::from(minutes).min(u32::from(span_h) * 60),
            "服务",
        );
        if team {
            r.team = Some(id("T1"));
        }
        r
    }

    fn apply(&mut self, op: &Op) {
        let before = (self.ledger.entry_count(), self.ledger.state_digest());
        let rec = admin();
        let result: Result<()> = match op.clone() {
            Op::Add {
                vol,
                org,
                team,
                day,
                hour,
                span_h,
                minutes,
                by_self,
            } => {
                let r = self.record(vol, org, team, day, hour, span_h, minutes);
                let actor = match by_self {
                    0 => ActorId::of_volunteer(&r.volunteer),
                    1 => id("rec"),
                    _ => admin(),
                };
                let out = self.ledger.add_record(&actor, r.clone()).map(|_| ());
                if out.is_ok() {
                    self.made.push(r);
                }
                out
            }
            Op::Confirm(i) => match self.pick(i) {
                Some(r) => self
                    .ledger
                    .confirm_record(&id(if i % 2 == 0 { "rec" } else { "admin" }), &r)
                    .map(|_| ()),
                None => Ok(()),
            },
            Op::Revoke(i) => match self.pick(i) {
                Some(r) => self.ledger.revoke_record(&rec, &r, "撤销").map(|_| ()),
                None => Ok(()),
            },
            Op::Amend(i, m) => match self.pick(i) {
                Some(r) => {
                    let old = self.made.iter().find(|x| x.id == r).cloned().unwrap();
                    self.next += 1;
                    let mut new = old.clone();
                    new.id = id(&format!("R{}", self.next));
                    new.minutes = i64::from(m).min((old.end.0 - old.start.0) / 60);
                    let out = self
                        .ledger
                        .amend_record(&rec, &r, new.clone(), "更正")
                        .map(|_| ());
                    if out.is_ok() {
                        self.made.push(new);
                    }
                    out
                }
                None => Ok(()),
            },
            Op::Dispute(i) => match self.pick(i) {
                Some(r) => self.ledger.dispute_record(&rec, &r, "申诉").map(|_| ()),
                None => Ok(()),
            },
            Op::Resolve(i) => match self.pick(i) {
                Some(r) => self.ledger.resolve_dispute(&rec, &r, "").map(|_| ()),
                None => Ok(()),
            },
            Op::Resend(i) => match self.pick(i) {
                Some(r) => {
                    let original = self.made.iter().find(|x| x.id == r).cloned().unwrap();
                    let out = self.ledger.add_record(&id("rec"), original);
                    // Re-sending is a no-op whatever state the record is in now.
                    let receipt = out.unwrap();
                    assert!(receipt.duplicate);
                    assert_eq!(
                        (self.ledger.entry_count(), self.ledger.state_digest()),
                        before
                    );
                    Ok(())
                }
                None => Ok(()),
            },
        };
        if result.is_err() {
            // A refusal leaves the ledger exactly as it was.
            assert_eq!(
                (self.ledger.entry_count(), self.ledger.state_digest()),
                before,
                "{op:?}"
            );
        }
    }
}

fn ancestors(l: &Ledger, org: &OrgId) -> Vec<OrgId> {
    let mut out = vec![org.clone()];
    let mut cur = l.org(org).unwrap().parent;
    while let Some(p) = cur {
        cur = l.org(&p).unwrap().parent;
        out.push(p);
    }
    out
}

/// The board computed the slow way, from every counted record.
fn brute_force(l: &Ledger, period: Period, scope: &Scope) -> Vec<(u32, String, u64)> {
    let mut minutes: HashMap<String, u64> = HashMap::new();
    for v in 0..8 {
        let vid: VolunteerId = id(&format!("V{v}"));
        for r in l.records_of(&vid).unwrap() {
            let d = r.record.start.local_date(l.utc_offset());
            let in_scope = match scope {
                Scope::All => true,
                Scope::Org(o) => ancestors(l, &r.record.org).contains(o),
                Scope::Team(t) => r.record.team.as_ref() == Some(t),
            };
            if r.counted && period.contains(d) && in_scope {
                *minutes.entry(vid.to_string()).or_default() += r.record.minutes.unsigned_abs();
            }
        }
    }
    rank_pairs(minutes.into_iter().collect())
}

fn boards() -> Vec<(Period, Scope)> {
    vec![
        (id("2015-W01"), Scope::All),
        (id("2015-01"), Scope::Org(id("S1"))),
        (id("2014-12"), Scope::Org(id("C2"))),
        (id("2015"), Scope::Team(id("T1"))),
        (Period::All, Scope::All),
    ]
}

fn view(b: &Leaderboard) -> Vec<(u32, String, u64)> {
    b.entries
        .iter()
        .map(|e| {
            (
                u32::try_from(e.rank).unwrap(),
                e.id.clone().unwrap(),
                u64::try_from(e.minutes).unwrap(),
            )
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn ledger_properties(ops in proptest::collection::vec(op(), 1..80)) {
        let mut run = Run { ledger: district(), made: Vec::new(), next: 0 };
        // Ask for the boards first, so that they are kept current through every change.
        for (p, s) in boards() {
            run.ledger.leaderboard(p, &s, BoardKind::Volunteers, 1000).unwrap();
        }
        for op in &ops {
            run.apply(op);
            // Short boards read after every change: their cached lines must follow each one.
            for (p, s) in boards().into_iter().take(2) {
                let top = run.ledger.leaderboard(p, &s, BoardKind::Volunteers, 3).unwrap();
                let mut want = brute_force(&run.ledger, p, &s);
                want.truncate(3);
                prop_assert_eq!(view(&top), want, "{:?}", op);
            }
        }
        let l = &mut run.ledger;
        if std::env::var_os("VL_PROP_STATS").is_some() {
            let counted: usize = (0..8).map(|v| l.records_of(&id(&format!("V{v}"))).unwrap().iter().filter(|r| r.counted).count()).sum();
            eprintln!("ops {} entries {} records {} counted {}", ops.len(), l.entry_count(), l.record_count(), counted);
        }
        // A leaderboard equals a brute-force sort of the counted records.
        for (p, s) in boards() {
            let live = l.leaderboard(p, &s, BoardKind::Volunteers, 1000).unwrap();
            prop_assert_eq!(view(&live), brute_force(l, p, &s), "{} {}", p, s);
        }
        // A volunteer's total equals the sum of their counted records.
        for v in 0..8 {
            let vid: VolunteerId = id(&format!("V{v}"));
            let sum: i64 = l.records_of(&vid).unwrap().iter().filter(|r| r.counted).map(|r| r.record.minutes).sum();
            prop_assert_eq!(l.volunteer(&vid).unwrap().total_minutes, sum);
            prop_assert_eq!(l.star_summary(&vid).unwrap().total_minutes, sum);
        }
        // Replaying the log gives the same state, and the chain verifies.
        l.verify().unwrap();
        let replayed = Ledger::from_entries(l.entries().unwrap()).unwrap();
        prop_assert_eq!(replayed.state_digest(), l.state_digest());
        // Boards as of the last entry equal the live ones.
        let last = l.head().0;
        for (p, s) in boards() {
            let then = l.leaderboard_as_of(i64::try_from(last).unwrap(), p, &s, BoardKind::Volunteers, 1000).unwrap();
            prop_assert_eq!(view(&then), view(&l.leaderboard(p, &s, BoardKind::Volunteers, 1000).unwrap()));
        }
    }

    /// A file ledger behaves exactly as one in memory, through any changes and any reopening
    /// (from its snapshot, or from the whole log when the snapshot is gone), and its
    /// projection tables say what its queries say.
    #[test]
    fn a_file_ledger_is_the_ledger_in_memory(
        ops in proptest::collection::vec(op(), 1..60),
        reopen_at in proptest::collection::vec(0usize..60, 0..3),
        drop_snapshot in any::<bool>(),
    ) {
        let file = TempFile::new("same");
        let path = file.path().to_path_buf();
        let mut mem = Run { ledger: district(), made: Vec::new(), next: 0 };
        let mut file = Run { ledger: district_file(&path), made: Vec::new(), next: 0 };
        let clock = Clock::Fixed(Timestamp::from_local(OFFSET, 2015, 3, 1, 0, 0).unwrap());
        for (i, op) in ops.iter().enumerate() {
            mem.apply(op);
            file.apply(op);
            if reopen_at.contains(&i) {
                file.ledger = Ledger::open(&path).unwrap();
                file.ledger.set_clock(clock);
                same_keys(&mut file.ledger);
            }
            prop_assert_eq!(file.ledger.state_digest(), mem.ledger.state_digest(), "{:?}", op);
        }
        prop_assert_eq!(file.ledger.entries().unwrap(), mem.ledger.entries().unwrap());
        prop_assert_eq!(file.ledger.verify().unwrap(), mem.ledger.verify().unwrap());
        drop(file);
        if drop_snapshot {
            let c = rusqlite::Connection::open(&path).unwrap();
            c.execute("DELETE FROM snapshot", []).unwrap();
        }
        let l = Ledger::open(&path).unwrap();
        // Closed cleanly: read from its snapshot, unless that was deleted.
        let replayed = if drop_snapshot { mem.ledger.entry_count() } else { 0 };
        prop_assert_eq!(l.replayed_at_open(), replayed);
        prop_assert_eq!(l.state_digest(), mem.ledger.state_digest());
        prop_assert_eq!(l.head(), mem.ledger.head());
        // The records table holds every record as the ledger shows it.
        let c = rusqlite::Connection::open(&path).unwrap();
        // The ledger's own writes (replacing rows as records change) never look like hand edits.
        let edited: i64 = c.query_row("SELECT count(*) FROM meta WHERE key = 'projections_edited'", [], |r| r.get(0)).unwrap();
        prop_assert_eq!(edited, 0);
        let mut st = c.prepare("SELECT id, state, minutes, counted, volunteer FROM records ORDER BY entry_seq, id").unwrap();
        let rows: Vec<(String, String, u32, bool, String)> = st
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)))
            .unwrap()
            .map(|r| r.unwrap())
            .collect();
        prop_assert_eq!(rows.len(), l.record_count());
        for (rid, state, minutes, counted, vol) in rows {
            let r = l.record(&id(&rid)).unwrap();
            prop_assert_eq!((state.as_str(), minutes, counted, vol.as_str()),
                (r.state.as_str(), u32::try_from(r.record.minutes).unwrap(), r.counted, r.record.volunteer.as_str()));
        }
        for v in 0..8 {
            let vid: VolunteerId = id(&format!("V{v}"));
            let total: i64 = c.query_row("SELECT total_minutes FROM volunteers WHERE id = ?1", [vid.as_str()], |r| r.get(0)).unwrap();
            prop_assert_eq!(total as i64, l.volunteer(&vid).unwrap().total_minutes);
        }
        drop(st);
        drop((c, l));
    }

    #[test]
    fn amending_then_revoking_leaves_no_trace(minutes in 1u32..180, new_minutes in 1u32..180) {
        let mut l = district();
        l.set_clock(Clock::Fixed(Timestamp::from_local(OFFSET, 2015, 2, 12, 0, 0).unwrap()));
        let v: VolunteerId = id("V3");
        let t = |h| Timestamp::from_local(OFFSET, 2015, 2, 10, h, 0).unwrap();
        l.leaderboard(id("2015-02"), &Scope::All, BoardKind::Volunteers, 10).unwrap();
        let before = l.volunteer(&v).unwrap().total_minutes;
        l.add_record(&id("rec"), NewRecord::new(id("A"), v.clone(), id("C2"), t(9), t(12), minutes, "")).unwrap();
        l.amend_record(&id("rec"), &id("A"), NewRecord::new(id("B"), v.clone(), id("C2"), t(9), t(12), new_minutes, ""), "更正").unwrap();
        prop_assert_eq!(l.volunteer(&v).unwrap().total_minutes, before + i64::from(new_minutes));
        l.revoke_record(&id("rec"), &id("B"), "撤销").unwrap();
        prop_assert_eq!(l.volunteer(&v).unwrap().total_minutes, before);
        prop_assert!(l.leaderboard(id("2015-02"), &Scope::All, BoardKind::Volunteers, 10).unwrap().entries.is_empty());
        prop_assert_eq!(l.star_summary(&v).unwrap().total_minutes, before);
    }

    #[test]
    fn arbitrary_text_never_panics(s in ".{0,40}", n in any::<u32>(), a in any::<i64>(), b in any::<i64>()) {
        // Whatever a caller passes, the core answers with a value or an error.
        let _ = Period::parse(&s);
        let _ = Scope::parse(&s);
        for k in [IdentityKind::ResidentId, IdentityKind::Passport, IdentityKind::HkMacauPermit, IdentityKind::TaiwanPermit] {
            let _ = Identity::new(k, &s);
        }
        let _ = mask_identity(&s);
        let _ = mask_name(&s);
        let _ = Policy::from_toml(&s);
        let _ = Policy::from_json(&s);
        let mut l = district();
        let before = (l.entry_count(), l.state_digest());
        if let (Ok(rid), Ok(vid)) = (RecordId::new(s.clone()), VolunteerId::new(s.clone())) {
            let r = NewRecord::new(rid, vid, id("C1"), Timestamp(a), Timestamp(b), n, s.clone());
            if l.add_record(&id("rec"), r).is_err() {
                prop_assert_eq!((l.entry_count(), l.state_digest()), before);
            }
        }
        let _ = l.leaderboard_as_of(i64::from(n), Period::All, &Scope::All, BoardKind::Orgs, n);
        let _ = Timestamp(a).to_rfc3339(l.utc_offset());
    }
}

#[test]
fn tampering_is_found_by_verify_and_refused_by_replay() {
    let mut l = district();
    let t = |h| Timestamp::from_local(OFFSET, 2015, 2, 10, h, 0).unwrap();
    l.add_record(
        &id("rec"),
        NewRecord::new(id("A"), id("V1"), id("C2"), t(9), t(12), 120, ""),
    )
    .unwrap();
    l.add_record(
        &id("rec"),
        NewRecord::new(id("B"), id("V2"), id("C1"), t(9), t(12), 60, ""),
    )
    .unwrap();
    let good = l.entries().unwrap();
    let n = good.len();

    // Change a record's minutes: its hash no longer matches.
    let mut bad = good.clone();
    if let Change::RecordAdded(r) = &mut bad[n - 2].change {
        r.minutes = 180;
    }
    let e = Ledger::from_entries(bad.clone()).unwrap_err();
    assert_eq!(
        (
            e.code(),
            matches!(e, LedgerError::ChainBroken { seq, .. } if seq == (n - 2) as u64)
        ),
        ("E_CHAIN_BROKEN", true)
    );

    // Recompute that entry's hash: now the next entry's link breaks.
    bad[n - 2].hash = bad[n - 2].computed_hash();
    let e = verify_chain(&bad).unwrap_err();
    assert!(
        matches!(e, LedgerError::ChainBroken { seq, .. } if seq == (n - 1) as u64),
        "{e}"
    );

    // Drop an entry: the sequence breaks.
    let mut gap = good.clone();
    gap.remove(3);
    assert_eq!(verify_chain(&gap).unwrap_err().code(), "E_CHAIN_BROKEN");

    // Rewrite the whole chain consistently around a forged change: the hashes hold, but
    // replay refuses an entry its own rules reject (an unauthorised actor).
    let mut forged = good.clone();
    forged[n - 1].actor = id("stranger");
    let mut prev = forged[n - 2].hash;
    for e in forged.iter_mut().skip(n - 1) {
        e.prev = prev;
        e.hash = e.computed_hash();
        prev = e.hash;
    }
    verify_chain(&forged).unwrap();
    assert_eq!(
        Ledger::from_entries(forged).unwrap_err().code(),
        "E_REPLAY_REFUSED"
    );

    // The untouched log replays.
    assert_eq!(
        Ledger::from_entries(good).unwrap().state_digest(),
        l.state_digest()
    );
}

#[test]
fn a_published_board_can_be_shown_again_as_of_its_entry() {
    let mut l = district();
    l.set_clock(Clock::Fixed(
        Timestamp::from_local(OFFSET, 2015, 2, 12, 0, 0).unwrap(),
    ));
    let t = |d, h| Timestamp::from_local(OFFSET, 2015, 2, d, h, 0).unwrap();
    l.add_record(
        &id("rec"),
        NewRecord::new(id("A"), id("V1"), id("C2"), t(9, 9), t(9, 12), 120, ""),
    )
    .unwrap();
    l.add_record(
        &id("rec"),
        NewRecord::new(id("B"), id("V2"), id("C1"), t(10, 9), t(10, 12), 60, ""),
    )
    .unwrap();
    let published = l
        .leaderboard(id("2015-02"), &Scope::All, BoardKind::Volunteers, 10)
        .unwrap();
    let seq = published.as_of_seq;
    l.add_record(
        &id("rec"),
        NewRecord::new(id("C"), id("V2"), id("C1"), t(11, 9), t(11, 12), 180, ""),
    )
    .unwrap();
    l.revoke_record(&id("rec"), &id("A"), "撤销").unwrap();
    let now = l
        .leaderboard(id("2015-02"), &Scope::All, BoardKind::Volunteers, 10)
        .unwrap();
    assert_eq!(view(&now), vec![(1, "V2".into(), 240)]);
    let again = l
        .leaderboard_as_of(seq, id("2015-02"), &Scope::All, BoardKind::Volunteers, 10)
        .unwrap();
    assert_eq!(again, published);
    // Sequence numbers are signed for the bindings' Java callers; a negative one is E_FIELD.
    let e = l
        .leaderboard_as_of(-1, id("2015-02"), &Scope::All, BoardKind::Volunteers, 10)
        .unwrap_err();
    assert_eq!(e.code(), "E_FIELD", "{e}");
    assert_eq!(
        l.leaderboard_as_of(9999, Period::All, &Scope::All, BoardKind::Volunteers, 1)
            .unwrap_err()
            .code(),
        "E_UNKNOWN_ENTRY"
    );
}

#[test]
fn messages_never_carry_personal_data() {
    let mut l = district();
    let e = l
        .register_volunteer(
            &admin(),
            NewVolunteer {
                id: id("X1"),
                name: "王小明".into(),
                identity_kind: IdentityKind::ResidentId,
                identity_number: "11010519491231002X".into(),
                home_org: Some(id("C1")),
            },
        )
        .unwrap();
    let dup = l.register_volunteer(
        &admin(),
        NewVolunteer {
            id: id("X2"),
            name: "王小明".into(),
            identity_kind: IdentityKind::ResidentId,
            identity_number: "11010519491231002x".into(),
            home_org: Some(id("C1")),
        },
    );
    let msg = dup.unwrap_err().to_string();
    assert!(
        !msg.contains("王小明") && !msg.contains("11010519491231002"),
        "{msg}"
    );
    assert!(!e.duplicate);
    let v = l.volunteer(&id("X1")).unwrap();
    assert_eq!(
        (v.masked_name.as_str(), v.masked_identity.as_str()),
        ("王*", "110105********002X")
    );
}
