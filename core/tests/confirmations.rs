//! Confirming many records at once: each on its own, in input order, one transaction.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod common;

use common::{TempFile, admin, community_file, id};
use volunteer_ledger::{ActorId, Clock, Ledger, NewRecord, RecordState, Timestamp};

fn at(day: u32, hour: u32) -> Timestamp {
    Timestamp::from_local(480, 2015, 6, day, hour, 0).unwrap()
}

/// Volunteer `v`'s own report of a morning's service: it stays pending.
fn reported(l: &mut Ledger, rid: &str, v: &str, day: u32) {
    let r = NewRecord::new(
        id(rid),
        id(v),
        id("C1"),
        at(day, 9),
        at(day, 10),
        60,
        "服务",
    );
    let actor: ActorId = id(v);
    let receipt = l.add_record(&actor, r).unwrap();
    assert_eq!(receipt.state, RecordState::Pending);
}

#[test]
fn each_record_is_confirmed_or_refused_on_its_own_in_input_order_in_one_transaction() {
    let file = TempFile::new("confirmations");
    let mut l = community_file(file.path(), "L1", 3, Clock::Fixed(at(30, 12)));
    reported(&mut l, "P0", "V0", 1);
    reported(&mut l, "P1", "V1", 1);
    reported(&mut l, "P2", "V2", 2);
    let before = l.entry_count();
    let names: Vec<_> = ["P0", "NOPE", "P1", "P1"].iter().map(|r| id(r)).collect();
    let got = l.confirm_records(&admin(), &names).unwrap();
    let codes: Vec<_> = got
        .iter()
        .map(|r| r.as_ref().err().map(|e| e.code()))
        .collect();
    assert_eq!(
        codes,
        [
            None,
            Some("E_UNKNOWN_RECORD"),
            None,
            Some("E_INVALID_STATE")
        ]
    );
    assert_eq!(l.entry_count(), before + 2);
    for (rid, state) in [
        ("P0", RecordState::Confirmed),
        ("P1", RecordState::Confirmed),
        ("P2", RecordState::Pending),
    ] {
        assert_eq!(l.record(&id(rid)).unwrap().state, state, "{rid}");
    }
    // What was written is what a reopened file holds.
    let digest = l.state_digest();
    drop(l);
    let reopened = Ledger::open(file.path()).unwrap();
    assert_eq!(reopened.state_digest(), digest);
    assert_eq!(
        reopened.record(&id("P0")).unwrap().state,
        RecordState::Confirmed
    );
}

#[test]
fn a_volunteer_confirms_none_of_their_own_reports_and_nothing_changes() {
    let file = TempFile::new("confirmations-own");
    let mut l = community_file(file.path(), "L1", 2, Clock::Fixed(at(30, 12)));
    reported(&mut l, "P0", "V0", 1);
    let (before, digest) = (l.entry_count(), l.state_digest());
    let got = l.confirm_records(&id("V0"), &[id("P0")]).unwrap();
    assert_eq!(got.len(), 1);
    assert!(got[0].is_err());
    assert_eq!(l.entry_count(), before);
    assert_eq!(l.state_digest(), digest);
    assert!(l.confirm_records(&admin(), &[]).unwrap().is_empty());
}
