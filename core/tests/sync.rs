//! Offline recording and sync between a device ledger and a server ledger.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{admin, id};

use ed25519_dalek::{Signer, SigningKey};
use proptest::prelude::*;
use volunteer_ledger::*;

const OFFSET: i32 = 480;

/// The seed of the server ledger's signing key.
const SERVER_SEED: [u8; 32] = [7; 32];

/// The server's public key, which every device of these tests trusts.
fn server_key() -> String {
    transfer::public_key_hex(&SigningKey::from_bytes(&SERVER_SEED))
}

fn t(d: u32, h: u32) -> Timestamp {
    Timestamp::from_local(OFFSET, 2015, 6, d, h, 0).unwrap()
}

fn rec() -> ActorId {
    id("rec")
}

/// A ledger with org D > C1, recorder `rec` of C1, volunteers V1 and V2, clock 2015-06-12
/// (every record of June 1–12 lies within the 10-working-day window).
/// The server and the phone are set up alike; each is its own ledger with its own id. The
/// ledger `district` (the server) has the signing key of [`SERVER_SEED`]; every ledger trusts
/// it as its sync server.
fn ledger(ledger_id: &str) -> Ledger {
    district(Ledger::in_memory(LedgerConfig::new(id(ledger_id), "某区", admin())).unwrap())
}

/// The district of [`ledger`] in `l`.
fn district(mut l: Ledger) -> Ledger {
    l.set_clock(Clock::Fixed(t(12, 12)));
    for (o, p, k) in [
        ("D", None, OrgKind::District),
        ("C1", Some("D"), OrgKind::Community),
    ] {
        let org = NewOrg {
            id: id(o),
            name: format!("{o}名"),
            kind: k,
            parent: p.map(id),
        };
        l.register_org(&admin(), org).unwrap();
    }
    l.grant_role(&admin(), &rec(), Role::Recorder(id("C1")))
        .unwrap();
    for (v, n) in [("V1", "11010519491231002X"), ("V2", "E12345678")] {
        let kind = if n.len() == 18 {
            IdentityKind::ResidentId
        } else {
            IdentityKind::Passport
        };
        let vol = NewVolunteer {
            id: id(v),
            name: "王小明".into(),
            identity_kind: kind,
            identity_number: n.into(),
            home_org: Some(id("C1")),
        };
        l.register_volunteer(&admin(), vol).unwrap();
    }
    if l.config().ledger_id.as_str() == "district" {
        l.set_signing_key(&admin(), &SERVER_SEED).unwrap();
    }
    l.trust_sync_server(id("district"), &server_key()).unwrap();
    l
}

/// A volunteer registered on the phone only, in the first scenario.
fn v9() -> NewVolunteer {
    NewVolunteer {
        id: id("V9"),
        name: "赵六".into(),
        identity_kind: IdentityKind::Passport,
        identity_number: "E99999999".into(),
        home_org: Some(id("C1")),
    }
}

fn record(rid: &str, vol: &str, day: u32) -> NewRecord {
    NewRecord::new(
        id(rid),
        id(vol),
        id("C1"),
        t(day, 9),
        t(day, 11),
        120,
        "助老服务",
    )
}

/// Sends a batch over the "network" as JSON and brings the receipt back as JSON.
fn sync_once(phone: &mut Ledger, server: &mut Ledger, limit: u32) -> (SyncReceipt, SyncApplied) {
    let batch = phone.sync_batch(&rec(), limit).unwrap().to_json();
    let receipt = server.import_sync_json(&rec(), &batch).unwrap().to_json();
    let receipt = SyncReceipt::from_json(&receipt).unwrap();
    let applied = phone.apply_sync_receipt(&receipt).unwrap();
    (receipt, applied)
}

fn outcomes(r: &SyncReceipt) -> Vec<(String, &'static str)> {
    r.results
        .iter()
        .map(|x| {
            let what = match x {
                SyncResult::Accepted { .. } => "accepted",
                SyncResult::AlreadyHad { .. } => "already_had",
                SyncResult::Refused { .. } => "refused",
            };
            (x.record().to_string(), what)
        })
        .collect()
}

/// How many entries of a ledger's log recorded each record id.
fn recorded_times(l: &Ledger, rid: &str) -> usize {
    l.entries()
        .unwrap()
        .iter()
        .filter(|e| matches!(&e.change, Change::RecordAdded(r) if r.id.as_str() == rid))
        .count()
}

#[test]
fn a_phone_records_offline_and_syncs_to_the_server() {
    let (mut server, mut phone) = (ledger("district"), ledger("phone-1"));
    // Registered on the phone only: the server does not know this volunteer.
    phone.register_volunteer(&admin(), v9()).unwrap();
    for (r, v, d) in [
        ("R1", "V1", 2),
        ("R2", "V2", 2),
        ("R3", "V1", 3),
        ("R9", "V9", 4),
    ] {
        phone.add_record(&rec(), record(r, v, d)).unwrap();
    }
    assert_eq!(phone.sync_status(Some(&rec())).unsent, 4);

    let before = server.head().0;
    let (receipt, applied) = sync_once(&mut phone, &mut server, 100);
    assert_eq!(receipt.ledger.as_str(), "district");
    assert_eq!(receipt.device.as_str(), "phone-1");
    assert_eq!(
        outcomes(&receipt),
        [
            ("R1".into(), "accepted"),
            ("R2".into(), "accepted"),
            ("R3".into(), "accepted"),
            ("R9".into(), "refused")
        ]
    );
    assert_eq!(server.head().0, before + 3);
    assert_eq!(server.volunteer(&id("V1")).unwrap().total_minutes, 240);
    assert_eq!(
        server.record(&id("R1")).unwrap().state,
        RecordState::Confirmed
    );

    // The receipt carries the server's entry hashes; the phone keeps them.
    let SyncResult::Accepted {
        seq, entry_hash, ..
    } = &receipt.results[0]
    else {
        panic!("{receipt:?}")
    };
    assert_eq!(
        &server.entries().unwrap()[*seq as usize].hash.to_hex(),
        entry_hash
    );
    assert_eq!(
        phone.synced_entry_hash(&id("R1")).as_ref(),
        Some(entry_hash)
    );

    // The refusal: the core's code, both languages, no personal data.
    let SyncResult::Refused {
        code,
        message_en,
        message_zh,
        ..
    } = &receipt.results[3]
    else {
        panic!("{receipt:?}")
    };
    assert_eq!(code, "E_UNKNOWN_VOLUNTEER");
    assert!(
        message_en.contains("V9") && message_en.is_ascii(),
        "{message_en}"
    );
    assert!(message_zh.contains("未注册"), "{message_zh}");
    for m in [message_en, message_zh] {
        assert!(!m.contains("赵") && !m.contains("E99999999"), "{m}");
    }

    assert_eq!(applied.acknowledged, 3);
    assert_eq!(applied.refused.len(), 1);
    // Nothing is left to send: the refused record is reported, not resent forever.
    assert!(phone.sync_batch(&rec(), 100).unwrap().records.is_empty());
    let status = phone.sync_status(None);
    assert_eq!((status.unsent, status.acknowledged), (0, 3));
    assert_eq!(status.refused[0].record.as_str(), "R9");
    assert_eq!(status.refused[0].code, "E_UNKNOWN_VOLUNTEER");

    // Once the server knows the volunteer, the phone may send it again.
    server.register_volunteer(&admin(), v9()).unwrap();
    assert!(phone.retry_sync(&id("R9")).unwrap());
    assert!(!phone.retry_sync(&id("R9")).unwrap());
    let (receipt, _) = sync_once(&mut phone, &mut server, 100);
    assert_eq!(outcomes(&receipt), [("R9".into(), "accepted")]);
    let status = phone.sync_status(None);
    assert_eq!(
        (status.unsent, status.acknowledged, status.refused.len()),
        (0, 4, 0)
    );
    server.verify().unwrap();
}

#[test]
fn a_batch_sent_twice_records_each_record_once() {
    let (mut server, mut phone) = (ledger("district"), ledger("phone-1"));
    phone.add_record(&rec(), record("R1", "V1", 2)).unwrap();
    phone.add_record(&rec(), record("R2", "V2", 2)).unwrap();
    let batch = phone.sync_batch(&rec(), 100).unwrap().to_json();

    let first = server.import_sync_json(&rec(), &batch).unwrap();
    let head = server.head();
    // The receipt was lost: the phone sends the same batch again.
    let again = server.import_sync_json(&rec(), &batch).unwrap();
    assert_eq!(server.head(), head, "nothing written the second time");
    assert_eq!(
        outcomes(&again),
        [("R1".into(), "already_had"), ("R2".into(), "already_had")]
    );
    // "Already had" names the entry that first recorded it.
    for (a, b) in first.results.iter().zip(&again.results) {
        let (
            SyncResult::Accepted {
                seq: s1,
                entry_hash: h1,
                ..
            },
            SyncResult::AlreadyHad {
                seq: s2,
                entry_hash: h2,
                ..
            },
        ) = (a, b)
        else {
            panic!("{a:?} {b:?}")
        };
        assert_eq!((s1, h1), (s2, h2));
    }
    // Both receipts applied, in either order: each record acknowledged once.
    let applied = phone.apply_sync_receipt(&again).unwrap();
    assert_eq!(applied.acknowledged, 2);
    let applied = phone.apply_sync_receipt(&first).unwrap();
    assert_eq!((applied.acknowledged, applied.ignored), (0, 2));
    assert_eq!(recorded_times(&server, "R1"), 1);
    assert_eq!(recorded_times(&server, "R2"), 1);
}

#[test]
fn a_half_sent_batch_sent_again_records_each_record_once() {
    let (mut server, mut phone) = (ledger("district"), ledger("phone-1"));
    for d in 1..=4 {
        phone
            .add_record(&rec(), record(&format!("R{d}"), "V1", d))
            .unwrap();
    }
    let mut batch = phone.sync_batch(&rec(), 100).unwrap();
    assert_eq!(batch.records.len(), 4);
    // The connection broke after the server had taken the first two records; no receipt came.
    batch.records.truncate(2);
    server.import_sync_batch(&rec(), &batch).unwrap();

    let (receipt, applied) = sync_once(&mut phone, &mut server, 100);
    assert_eq!(
        outcomes(&receipt),
        [
            ("R1".into(), "already_had"),
            ("R2".into(), "already_had"),
            ("R3".into(), "accepted"),
            ("R4".into(), "accepted")
        ]
    );
    assert_eq!(applied.acknowledged, 4);
    for d in 1..=4 {
        assert_eq!(recorded_times(&server, &format!("R{d}")), 1);
    }
    assert_eq!(server.volunteer(&id("V1")).unwrap().total_minutes, 480);
}

#[test]
fn batches_respect_their_limit_and_the_receipt_empties_the_outbox() {
    let (mut server, mut phone) = (ledger("district"), ledger("phone-1"));
    for d in 1..=5 {
        phone
            .add_record(&rec(), record(&format!("R{d}"), "V2", d))
            .unwrap();
    }
    let (r, _) = sync_once(&mut phone, &mut server, 2);
    assert_eq!(outcomes(&r).len(), 2);
    assert_eq!(phone.sync_status(Some(&rec())).unsent, 3);
    let (r, _) = sync_once(&mut phone, &mut server, 2);
    assert_eq!(r.results[0].record().as_str(), "R3");
    let (r, _) = sync_once(&mut phone, &mut server, 2);
    assert_eq!(outcomes(&r), [("R5".into(), "accepted")]);
    assert_eq!(phone.sync_status(None).unsent, 0);
    for limit in [0, MAX_BATCH_RECORDS + 1] {
        assert_eq!(
            phone.sync_batch(&rec(), limit).unwrap_err().code(),
            "E_FIELD"
        );
    }
}

#[test]
fn the_server_authorises_the_sender_never_the_device() {
    let (mut server, mut phone) = (ledger("district"), ledger("phone-1"));
    // On the phone, its own admin made `helper` a recorder; the server never did.
    phone
        .grant_role(&admin(), &id("helper"), Role::Recorder(id("C1")))
        .unwrap();
    phone
        .add_record(&id("helper"), record("H1", "V1", 5))
        .unwrap();
    phone.add_record(&rec(), record("R1", "V2", 5)).unwrap();

    // Only the helper's records are in the helper's batch.
    let batch = phone.sync_batch(&id("helper"), 100).unwrap();
    assert_eq!(batch.records.len(), 1);
    let json = batch.to_json();

    // Sent under another actor's session: refused whole, nothing written.
    let head = server.head();
    let e = server.import_sync_json(&rec(), &json).unwrap_err();
    assert_eq!(e.code(), "E_SYNC_ACTOR");
    assert_eq!(e.family(), ErrorFamily::Authorization);
    assert_eq!(server.head(), head);

    // Sent by the helper: the server's own roles decide, record by record.
    let receipt = server.import_sync_json(&id("helper"), &json).unwrap();
    let SyncResult::Refused { code, .. } = &receipt.results[0] else {
        panic!("{receipt:?}")
    };
    assert_eq!(code, "E_FORBIDDEN");
    assert_eq!(server.head(), head);
    phone.apply_sync_receipt(&receipt).unwrap();
    assert_eq!(phone.sync_status(Some(&id("helper"))).unsent, 0);
    assert_eq!(phone.sync_status(Some(&rec())).unsent, 1);

    // A volunteer's own report syncs as the volunteer and waits on the server.
    phone.add_record(&id("V1"), record("S1", "V1", 6)).unwrap();
    let batch = phone.sync_batch(&id("V1"), 100).unwrap().to_json();
    let receipt = server.import_sync_json(&id("V1"), &batch).unwrap();
    assert!(
        matches!(
            &receipt.results[0],
            SyncResult::Accepted {
                state: RecordState::Pending,
                ..
            }
        ),
        "{receipt:?}"
    );
}

#[test]
fn the_server_judges_time_by_its_own_clock() {
    let (mut server, mut phone) = (ledger("district"), ledger("phone-1"));
    phone.add_record(&rec(), record("R1", "V1", 2)).unwrap();
    // The phone stayed offline for a month: on the server the record is a make-up now, which a
    // recorder may enter but only an org admin confirms.
    server.set_clock(Clock::Fixed(
        Timestamp::from_local(OFFSET, 2015, 7, 20, 12, 0).unwrap(),
    ));
    let (receipt, _) = sync_once(&mut phone, &mut server, 10);
    assert!(
        matches!(
            &receipt.results[0],
            SyncResult::Accepted {
                state: RecordState::Pending,
                make_up: true,
                ..
            }
        ),
        "{receipt:?}"
    );
}

#[test]
fn records_withdrawn_on_the_device_before_sync_are_not_sent() {
    let (mut server, mut phone) = (ledger("district"), ledger("phone-1"));
    phone.add_record(&rec(), record("R1", "V1", 2)).unwrap();
    phone.add_record(&rec(), record("R2", "V1", 3)).unwrap();
    phone.revoke_record(&rec(), &id("R1"), "录错了").unwrap();
    let (receipt, _) = sync_once(&mut phone, &mut server, 10);
    assert_eq!(outcomes(&receipt), [("R2".into(), "accepted")]);
    assert!(server.record(&id("R1")).is_err());
}

#[test]
fn bad_batches_and_receipts_are_refused_whole() {
    let (mut server, mut phone) = (ledger("district"), ledger("phone-1"));
    phone.add_record(&rec(), record("R1", "V1", 2)).unwrap();
    let good = phone.sync_batch(&rec(), 10).unwrap().to_json();
    let head = server.head();
    for (text, code) in [
        ("", "E_SYNC_FORMAT"),
        ("not json", "E_SYNC_FORMAT"),
        ("[]", "E_SYNC_FORMAT"),
        (&good[..good.len() / 2], "E_SYNC_FORMAT"),
        (
            &good.replace("sync-batch@2", "sync-batch@9"),
            "E_SYNC_VERSION",
        ),
        (&good.replace("\"device\"", "\"devise\""), "E_SYNC_FORMAT"),
        (&good.replace("\"R1\"", "\"\""), "E_SYNC_FORMAT"),
        (&good.replace("\"entry\"", "\"by hand\""), "E_SYNC_FORMAT"),
    ] {
        let e = server.import_sync_json(&rec(), text).unwrap_err();
        assert_eq!(e.code(), code, "{text}: {e}");
        assert_eq!(e.family(), ErrorFamily::Input);
        assert_eq!(server.head(), head);
    }
    // Too many records.
    let mut big = phone.sync_batch(&rec(), 10).unwrap();
    big.records = vec![record("R1", "V1", 2); MAX_BATCH_RECORDS as usize + 1];
    let e = server.import_sync_json(&rec(), &big.to_json()).unwrap_err();
    assert_eq!(e.code(), "E_SYNC_FORMAT");
    assert_eq!(server.head(), head);

    // A receipt for another device changes nothing on this one.
    let mut other = ledger("phone-2");
    other.add_record(&rec(), record("R1", "V1", 2)).unwrap();
    let batch = other.sync_batch(&rec(), 10).unwrap();
    let receipt = server.import_sync_batch(&rec(), &batch).unwrap();
    let e = phone.apply_sync_receipt(&receipt).unwrap_err();
    assert_eq!(e.code(), "E_SYNC_DEVICE");
    assert_eq!(phone.sync_status(None).unsent, 1);
    for version in ["receipt@4", "receipt@2"] {
        let e =
            SyncReceipt::from_json(&receipt.to_json().replace("receipt@3", version)).unwrap_err();
        assert_eq!(e.code(), "E_SYNC_VERSION");
    }
}

/// One delivery attempt: a batch of at most `limit`, of which the server receives the first
/// `cut` records (all if `cut` is larger), `times` times; the receipt reaches the phone or not.
#[derive(Debug, Clone)]
struct Attempt {
    limit: u32,
    cut: usize,
    times: usize,
    receipt_arrives: bool,
}

fn attempt() -> impl Strategy<Value = Attempt> {
    (1u32..6, 0usize..7, 1usize..3, any::<bool>()).prop_map(|(limit, cut, times, arrives)| {
        Attempt {
            limit,
            cut,
            times,
            receipt_arrives: arrives,
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// However batches are split, cut short, repeated or their receipts lost, every record the
    /// phone made is recorded on the server exactly once, and the phone ends with nothing to send.
    #[test]
    fn any_split_or_repetition_records_each_record_once(
        vols in prop::collection::vec(prop::bool::ANY, 1..12),
        attempts in prop::collection::vec(attempt(), 0..8),
    ) {
        let (mut server, mut phone) = (ledger("district"), ledger("phone-1"));
        let n = vols.len();
        for (i, v1) in vols.iter().enumerate() {
            let vol = if *v1 { "V1" } else { "V2" };
            phone.add_record(&rec(), record(&format!("R{i}"), vol, i as u32 + 1)).unwrap();
        }
        for a in &attempts {
            let mut batch = phone.sync_batch(&rec(), a.limit).unwrap();
            let cut_short = a.cut < batch.records.len();
            batch.records.truncate(a.cut);
            let mut receipt = None;
            for _ in 0..a.times {
                receipt = Some(server.import_sync_json(&rec(), &batch.to_json()).unwrap());
            }
            if let (true, Some(r)) = (a.receipt_arrives, receipt) {
                // A receipt for a batch cut short answers a batch the phone did not make (unless
                // it made that one too): it is refused and changes nothing; any other applies.
                let before = phone.sync_state().clone();
                match phone.apply_sync_receipt(&SyncReceipt::from_json(&r.to_json()).unwrap()) {
                    Ok(_) => {}
                    Err(e) => {
                        prop_assert!(cut_short, "{e}");
                        prop_assert_eq!(e.code(), "E_SYNC_RECEIPT_BATCH");
                        prop_assert_eq!(phone.sync_state(), &before);
                    }
                }
            }
        }
        // Then the connection holds until the phone has nothing left to send.
        let mut rounds = 0;
        while phone.sync_status(Some(&rec())).unsent > 0 {
            let (r, _) = sync_once(&mut phone, &mut server, 3);
            prop_assert!(r.results.iter().all(SyncResult::acknowledged));
            rounds += 1;
            prop_assert!(rounds <= n);
        }
        for i in 0..n {
            prop_assert_eq!(recorded_times(&server, &format!("R{i}")), 1);
        }
        prop_assert_eq!(server.record_count(), n);
        prop_assert_eq!(phone.sync_status(None).acknowledged as usize, n);
        let minutes = server.volunteer(&id("V1")).unwrap().total_minutes
            + server.volunteer(&id("V2")).unwrap().total_minutes;
        prop_assert_eq!(minutes, 120 * n as i64);
    }

    /// Whatever bytes arrive as a batch, the parser and the import refuse with a code or
    /// import what they can; they never panic, and a refusal writes nothing.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = SyncBatch::from_bytes(&bytes);
        let _ = SyncReceipt::from_json(&String::from_utf8_lossy(&bytes));
        let mut server = ledger("district");
        let head = server.head();
        if let Err(e) = server.import_sync_json(&rec(), &String::from_utf8_lossy(&bytes)) {
            prop_assert!(e.code().starts_with("E_SYNC_"), "{}", e.code());
            prop_assert_eq!(server.head(), head);
        }
    }

    /// A valid batch with one byte changed, removed or inserted: refused whole with a stable
    /// code, or imported with each record at most once.
    #[test]
    fn altered_batches_never_panic(pos in any::<prop::sample::Index>(), byte in any::<u8>(), how in 0u8..3) {
        let (mut server, mut phone) = (ledger("district"), ledger("phone-1"));
        phone.add_record(&rec(), record("R1", "V1", 2)).unwrap();
        phone.add_record(&rec(), record("R2", "V2", 3)).unwrap();
        let mut bytes = phone.sync_batch(&rec(), 10).unwrap().to_json().into_bytes();
        let i = pos.index(bytes.len());
        match how {
            0 => bytes[i] = byte,
            1 => { bytes.remove(i); }
            _ => bytes.insert(i, byte),
        }
        let head = server.head();
        match SyncBatch::from_bytes(&bytes) {
            Err(e) => {
                prop_assert!(["E_SYNC_FORMAT", "E_SYNC_VERSION"].contains(&e.code()), "{}", e.code());
                prop_assert_eq!(server.head(), head);
            }
            Ok(batch) => {
                if let Ok(receipt) = server.import_sync_batch(&rec(), &batch) {
                    prop_assert_eq!(receipt.results.len(), batch.records.len());
                }
                for r in ["R1", "R2"] {
                    prop_assert!(recorded_times(&server, r) <= 1);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// A genuine receipt with one byte changed, removed or inserted: refused (and the phone is
    /// as it was), or it still says what the server signed.
    #[test]
    fn altered_receipts_are_refused_or_say_what_the_server_signed(
        pos in any::<prop::sample::Index>(), byte in any::<u8>(), how in 0u8..3,
    ) {
        let (mut server, mut phone, batch) = phone_with_a_batch();
        let genuine = server.import_sync_batch(&rec(), &batch).unwrap();
        let mut bytes = genuine.to_json().into_bytes();
        let i = pos.index(bytes.len());
        match how {
            0 => bytes[i] = byte,
            1 => { bytes.remove(i); }
            _ => bytes.insert(i, byte),
        }
        let before = phone.sync_state().clone();
        let applied = SyncReceipt::from_json(&String::from_utf8_lossy(&bytes))
            .and_then(|r| phone.apply_sync_receipt(&r));
        match applied {
            Err(e) => {
                prop_assert!(e.code().starts_with("E_SYNC_") || e.code() == "E_BAD_SIGNATURE", "{}", e.code());
                prop_assert_eq!(phone.sync_state(), &before);
                prop_assert_eq!(phone.sync_status(None).unsent, 1);
            }
            Ok(_) => {
                let SyncResult::Accepted { entry_hash, .. } = &genuine.results[0] else {
                    panic!("{genuine:?}")
                };
                let kept = phone.synced_entry_hash(&id("R1"));
                prop_assert_eq!(kept.as_ref(), Some(entry_hash));
                prop_assert_eq!(phone.sync_status(None).unsent, 0);
            }
        }
    }
}

#[test]
fn a_phone_keeping_a_ledger_file_remembers_what_it_synced_after_a_restart() {
    let file = common::TempFile::new("phone");
    let path = file.path();
    let config = LedgerConfig::new(id("phone-2"), "某区", admin());
    let mut phone = district(Ledger::create(path, config).unwrap());
    let mut server = ledger("district");
    phone.register_volunteer(&admin(), v9()).unwrap();
    for (r, v, d) in [("R1", "V1", 2), ("R9", "V9", 4)] {
        phone.add_record(&rec(), record(r, v, d)).unwrap();
    }
    sync_once(&mut phone, &mut server, 100);
    phone.add_record(&rec(), record("R2", "V2", 5)).unwrap();
    drop(phone);

    // After the restart only R2 is still to send; R9's refusal is remembered, and retrying it
    // is remembered too.
    let mut phone = Ledger::open(path).unwrap();
    let status = phone.sync_status(Some(&rec()));
    assert_eq!((status.unsent, status.acknowledged), (1, 1));
    assert_eq!(status.refused.len(), 1);
    assert!(phone.synced_entry_hash(&id("R1")).is_some());
    assert!(phone.retry_sync(&id("R9")).unwrap());
    drop(phone);
    let phone = Ledger::open(path).unwrap();
    assert_eq!(phone.sync_status(Some(&rec())).unsent, 2);
}

/// The phone's records R1 (by `rec`) and the batch that carries them, made on the phone.
fn phone_with_a_batch() -> (Ledger, Ledger, SyncBatch) {
    let (server, mut phone) = (ledger("district"), ledger("phone-1"));
    phone.add_record(&rec(), record("R1", "V1", 2)).unwrap();
    let batch = phone.sync_batch(&rec(), 10).unwrap();
    (server, phone, batch)
}

/// Signs a receipt by hand, with any key, as a forger (or a broken server) would.
fn signed_with(mut receipt: SyncReceipt, seed: [u8; 32]) -> SyncReceipt {
    let key = SigningKey::from_bytes(&seed);
    receipt.public_key = transfer::public_key_hex(&key);
    let signature = key.sign(&receipt_bytes(&receipt)).to_bytes();
    receipt.signature = signature.iter().map(|b| format!("{b:02x}")).collect();
    receipt
}

/// Applies a receipt that must be refused with `code`, and checks the phone is as it was and
/// still sends R1.
fn refused_and_still_sent(phone: &mut Ledger, receipt: &SyncReceipt, code: &str) {
    let before = phone.sync_state().clone();
    let e = phone.apply_sync_receipt(receipt).unwrap_err();
    assert_eq!(e.code(), code, "{e}");
    assert!(LedgerError::ALL_CODES.contains(&e.code()));
    assert_eq!(phone.sync_state(), &before);
    let status = phone.sync_status(None);
    assert_eq!((status.unsent, status.acknowledged), (1, 0));
    assert!(status.refused.is_empty());
    let again = phone.sync_batch(&rec(), 10).unwrap();
    assert_eq!(again.records[0].id.as_str(), "R1");
}

#[test]
fn forged_receipts_are_refused_and_the_phone_still_sends_the_record() {
    let (mut server, mut phone, batch) = phone_with_a_batch();
    let genuine = server.import_sync_batch(&rec(), &batch).unwrap();
    // What a forger wants the phone to believe: R1 refused, so that it is never sent again.
    let refusal = SyncResult::Refused {
        record: id("R1"),
        code: "E_FORBIDDEN".into(),
        message_en: "forbidden".into(),
        message_zh: "无权".into(),
    };
    let forged = SyncReceipt {
        results: vec![refusal.clone()],
        public_key: String::new(),
        signature: String::new(),
        ..genuine.clone()
    };

    // Made by hand, with no signature.
    refused_and_still_sent(&mut phone, &forged, "E_SYNC_UNSIGNED");
    // In the old, unsigned format.
    let old = format!(
        r#"{{"format":"volunteer-ledger/sync-receipt@1","ledger":"district","device":"phone-1","actor":"rec","results":[{}]}}"#,
        serde_json::to_string(&refusal).unwrap()
    );
    let e = SyncReceipt::from_json(&old).unwrap_err();
    assert_eq!(e.code(), "E_SYNC_UNSIGNED", "{e}");
    let old = SyncReceipt {
        format: "volunteer-ledger/sync-receipt@1".into(),
        ..forged.clone()
    };
    refused_and_still_sent(&mut phone, &old, "E_SYNC_UNSIGNED");
    // Signed by another key, which names itself.
    refused_and_still_sent(
        &mut phone,
        &signed_with(forged.clone(), [9; 32]),
        "E_SYNC_UNTRUSTED_SERVER",
    );
    // Signed by another key, claiming the server's.
    let mut claims = signed_with(forged.clone(), [9; 32]);
    claims.public_key = server_key();
    refused_and_still_sent(&mut phone, &claims, "E_BAD_SIGNATURE");
    // Signed by the server's key but naming another ledger.
    let elsewhere = signed_with(
        SyncReceipt {
            ledger: id("city"),
            ..forged.clone()
        },
        SERVER_SEED,
    );
    refused_and_still_sent(&mut phone, &elsewhere, "E_SYNC_UNTRUSTED_SERVER");
    // The genuine receipt, edited after signing: the result, the batch, the device's actor.
    let edited = SyncReceipt {
        results: vec![refusal.clone()],
        ..genuine.clone()
    };
    refused_and_still_sent(&mut phone, &edited, "E_BAD_SIGNATURE");
    let json = genuine.to_json();
    let accepted_hash = match &genuine.results[0] {
        SyncResult::Accepted { entry_hash, .. } => entry_hash.clone(),
        other => panic!("{other:?}"),
    };
    let edited = json.replace(&accepted_hash, &"0".repeat(64));
    refused_and_still_sent(
        &mut phone,
        &SyncReceipt::from_json(&edited).unwrap(),
        "E_BAD_SIGNATURE",
    );
    let edited = json.replace("\"confirmed\"", "\"pending\"");
    refused_and_still_sent(
        &mut phone,
        &SyncReceipt::from_json(&edited).unwrap(),
        "E_BAD_SIGNATURE",
    );

    // The honest receipt still works, after all of these.
    let applied = phone.apply_sync_receipt(&genuine).unwrap();
    assert_eq!(applied.acknowledged, 1);
    assert!(phone.sync_batch(&rec(), 10).unwrap().records.is_empty());
    assert_eq!(
        phone.synced_entry_hash(&id("R1")).as_deref(),
        Some(accepted_hash.as_str())
    );
}

/// The proof of a result the server acknowledged.
fn proof_of(result: &mut SyncResult) -> &mut InclusionProof {
    match result {
        SyncResult::Accepted { proof, .. } | SyncResult::AlreadyHad { proof, .. } => proof,
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_receipt_proves_offline_that_the_server_log_holds_the_records() {
    let (mut server, mut phone) = (ledger("district"), ledger("phone-1"));
    for (r, day) in [("R1", 2), ("R2", 3), ("R3", 4)] {
        phone.add_record(&rec(), record(r, "V1", day)).unwrap();
    }
    let first = phone.sync_batch(&rec(), 2).unwrap();
    let receipt = server.import_sync_batch(&rec(), &first).unwrap();
    phone.apply_sync_receipt(&receipt).unwrap();
    // The second batch carries R3, and R2 again (as a lost receipt would make it): had.
    let mut second = phone.sync_batch(&rec(), 10).unwrap();
    second.records.push(record("R2", "V1", 3));
    let receipt = server.import_sync_batch(&rec(), &second).unwrap();
    assert_eq!(
        outcomes(&receipt),
        [("R3".into(), "accepted"), ("R2".into(), "already_had")]
    );

    // What anyone holding the receipt can check without the server: the head is the server's,
    // and every acknowledged entry is among those the head covers.
    let head = &receipt.head;
    assert_eq!(head.ledger_id.as_str(), "district");
    assert_eq!(head.size.unsigned_abs(), server.entry_count());
    head.check(&server_key()).unwrap();
    for result in &receipt.results {
        let (SyncResult::Accepted {
            seq,
            entry_hash,
            proof,
            ..
        }
        | SyncResult::AlreadyHad {
            seq,
            entry_hash,
            proof,
            ..
        }) = result
        else {
            panic!("{result:?}")
        };
        assert_eq!(proof.index, *seq);
        head.check_inclusion(entry_hash, proof).unwrap();
    }
    // The server kept the head it signed; the phone keeps the largest it was given.
    assert_eq!(server.kept_signed_head().unwrap(), None); // in memory: nothing is kept
    // That receipt answers a batch the phone did not make (R2 was added on the way).
    let e = phone.apply_sync_receipt(&receipt).unwrap_err();
    assert_eq!(e.code(), "E_SYNC_RECEIPT_BATCH");
    let waiting = phone.sync_batch(&rec(), 10).unwrap();
    assert_eq!(waiting.records.len(), 1);
    let receipt = server.import_sync_batch(&rec(), &waiting).unwrap();
    phone.apply_sync_receipt(&receipt).unwrap();
    assert_eq!(phone.sync_server_head(), Some(&receipt.head));
    // Later, the server shows that its log still begins with what the phone was told.
    let kept = phone.sync_server_head().unwrap().clone();
    server.add_record(&rec(), record("R9", "V2", 5)).unwrap();
    server.verify_against(&[kept]).unwrap();
}

#[test]
fn a_receipt_whose_proofs_do_not_lead_to_its_head_is_refused() {
    let (mut server, mut phone, batch) = phone_with_a_batch();
    let genuine = server.import_sync_batch(&rec(), &batch).unwrap();

    // A server (or whoever holds its key) that says it recorded R1 under another entry hash:
    // signed with the right key, but the entry is not in the log its head covers.
    let mut lie = genuine.clone();
    if let SyncResult::Accepted { entry_hash, .. } = &mut lie.results[0] {
        *entry_hash = "ab".repeat(32);
    }
    refused_and_still_sent(
        &mut phone,
        &signed_with(lie, SERVER_SEED),
        "E_CHECKPOINT_MISMATCH",
    );
    // A proof for another entry than the one the result names.
    let mut lie = genuine.clone();
    proof_of(&mut lie.results[0]).index -= 1;
    refused_and_still_sent(
        &mut phone,
        &signed_with(lie, SERVER_SEED),
        "E_CHECKPOINT_MISMATCH",
    );
    // A path with a hash changed, or cut short.
    let mut lie = genuine.clone();
    proof_of(&mut lie.results[0]).path[0] = "cd".repeat(32);
    refused_and_still_sent(
        &mut phone,
        &signed_with(lie, SERVER_SEED),
        "E_CHECKPOINT_MISMATCH",
    );
    let mut lie = genuine.clone();
    proof_of(&mut lie.results[0]).path.pop();
    refused_and_still_sent(
        &mut phone,
        &signed_with(lie, SERVER_SEED),
        "E_CHECKPOINT_MISMATCH",
    );
    let mut lie = genuine.clone();
    proof_of(&mut lie.results[0]).path = vec!["zz".into()];
    refused_and_still_sent(
        &mut phone,
        &signed_with(lie, SERVER_SEED),
        "E_CHECKPOINT_FORMAT",
    );
    // A head from before the record was written (it does not cover the entry).
    let mut older = ledger("district");
    older.set_signing_key(&admin(), &SERVER_SEED).unwrap();
    let mut lie = genuine.clone();
    lie.head = older.signed_head().unwrap();
    refused_and_still_sent(
        &mut phone,
        &signed_with(lie, SERVER_SEED),
        "E_CHECKPOINT_MISMATCH",
    );
    // A head signed by another key (the receipt re-signed with the server's), or altered.
    let mut stranger = ledger("district");
    stranger.set_signing_key(&admin(), &[9; 32]).unwrap();
    let mut lie = genuine.clone();
    lie.head = stranger.signed_head().unwrap();
    refused_and_still_sent(
        &mut phone,
        &signed_with(lie, SERVER_SEED),
        "E_SYNC_UNTRUSTED_SERVER",
    );
    let mut lie = genuine.clone();
    lie.head.size += 1;
    refused_and_still_sent(
        &mut phone,
        &signed_with(lie, SERVER_SEED),
        "E_BAD_SIGNATURE",
    );
    // Another ledger's head under the server's key.
    let mut city = ledger("city");
    city.set_signing_key(&admin(), &SERVER_SEED).unwrap();
    let mut lie = genuine.clone();
    lie.head = city.signed_head().unwrap();
    refused_and_still_sent(
        &mut phone,
        &signed_with(lie, SERVER_SEED),
        "E_SYNC_UNTRUSTED_SERVER",
    );
    // The head is signed over: swapping it after the receipt was signed breaks the signature.
    server.add_record(&rec(), record("R9", "V2", 5)).unwrap();
    let mut lie = genuine.clone();
    lie.head = server.signed_head().unwrap();
    assert_ne!(lie.head, genuine.head);
    refused_and_still_sent(&mut phone, &lie, "E_BAD_SIGNATURE");

    phone.apply_sync_receipt(&genuine).unwrap();
    assert!(phone.sync_batch(&rec(), 10).unwrap().records.is_empty());
}

#[test]
fn a_file_server_keeps_the_head_its_receipt_carries_and_refuses_a_batch_inside_a_batch() {
    let file = common::TempFile::new("server");
    let path = file.path();
    let config = LedgerConfig::new(id("district"), "某区", admin());
    let mut server = district(Ledger::create(path, config).unwrap());
    let mut phone = ledger("phone-1");
    phone.add_record(&rec(), record("R1", "V1", 2)).unwrap();
    let batch = phone.sync_batch(&rec(), 10).unwrap();
    let len = server.entry_count();
    let inside = server
        .batch(|l| l.import_sync_batch(&rec(), &batch))
        .unwrap()
        .unwrap_err();
    assert_eq!(inside.code(), "E_FIELD", "{inside}");
    assert_eq!(server.entry_count(), len);
    let receipt = server.import_sync_batch(&rec(), &batch).unwrap();
    assert_eq!(
        server.kept_signed_head().unwrap(),
        Some(receipt.head.clone())
    );
    phone.apply_sync_receipt(&receipt).unwrap();
    drop(server);
    let reopened = Ledger::open(path).unwrap();
    reopened.verify_against(&[receipt.head]).unwrap();
}

#[test]
fn a_signed_receipt_for_another_batch_is_refused() {
    let (mut server, mut phone, batch) = phone_with_a_batch();
    // Someone else sends a batch naming this phone and its record, as an actor without a role
    // on the server, and replays the server's signed refusal to the phone.
    let theirs = SyncBatch {
        actor: id("mallory"),
        ..batch.clone()
    };
    let refusal = server.import_sync_batch(&id("mallory"), &theirs).unwrap();
    assert!(matches!(refusal.results[0], SyncResult::Refused { .. }));
    refused_and_still_sent(&mut phone, &refusal, "E_SYNC_RECEIPT_BATCH");
    // A receipt for the batch the phone made, cut short on the way.
    let cut = SyncBatch {
        records: vec![],
        ..batch.clone()
    };
    let short = server.import_sync_batch(&rec(), &cut).unwrap();
    refused_and_still_sent(&mut phone, &short, "E_SYNC_RECEIPT_BATCH");
    // The receipt for the phone's own batch applies.
    let receipt = server.import_sync_batch(&rec(), &batch).unwrap();
    assert_eq!(phone.apply_sync_receipt(&receipt).unwrap().acknowledged, 1);
}

#[test]
fn a_signed_receipt_whose_results_are_not_the_batch_records_is_refused() {
    let (mut server, mut phone, batch) = phone_with_a_batch();
    phone.add_record(&rec(), record("R2", "V2", 3)).unwrap();
    let genuine = server.import_sync_batch(&rec(), &batch).unwrap();
    // Signed with the server's own key, bound to the phone's batch, but about R2, which the
    // batch did not carry.
    let mut other = genuine.results[0].clone();
    if let SyncResult::Accepted { record, .. } = &mut other {
        *record = id("R2");
    }
    let wrong = |results: Vec<SyncResult>| {
        signed_with(
            SyncReceipt {
                results,
                ..genuine.clone()
            },
            SERVER_SEED,
        )
    };
    for results in [
        vec![other.clone()],
        vec![genuine.results[0].clone(), other],
        vec![],
    ] {
        let receipt = wrong(results);
        let before = phone.sync_state().clone();
        let e = phone.apply_sync_receipt(&receipt).unwrap_err();
        assert_eq!(e.code(), "E_SYNC_RECEIPT_RECORDS", "{e}");
        assert_eq!(phone.sync_state(), &before);
        assert_eq!(phone.sync_status(None).unsent, 2);
    }
    // Another actor than the batch's.
    let receipt = signed_with(
        SyncReceipt {
            actor: id("mallory"),
            ..genuine.clone()
        },
        SERVER_SEED,
    );
    let e = phone.apply_sync_receipt(&receipt).unwrap_err();
    assert_eq!(e.code(), "E_SYNC_RECEIPT_RECORDS", "{e}");
    assert_eq!(phone.apply_sync_receipt(&genuine).unwrap().acknowledged, 1);
}

#[test]
fn an_old_refusal_cannot_be_replayed_after_a_retry() {
    let (mut server, mut phone) = (ledger("district"), ledger("phone-1"));
    phone
        .grant_role(&admin(), &id("helper"), Role::Recorder(id("C1")))
        .unwrap();
    phone
        .add_record(&id("helper"), record("H1", "V1", 5))
        .unwrap();
    let first = phone.sync_batch(&id("helper"), 10).unwrap();
    let refusal = server.import_sync_batch(&id("helper"), &first).unwrap();
    assert_eq!(phone.apply_sync_receipt(&refusal).unwrap().refused.len(), 1);

    // The server grants the role; the phone retries. The new batch carries the same record
    // but is a new batch: the old refusal, replayed, changes nothing.
    server
        .grant_role(&admin(), &id("helper"), Role::Recorder(id("C1")))
        .unwrap();
    assert!(phone.retry_sync(&id("H1")).unwrap());
    let second = phone.sync_batch(&id("helper"), 10).unwrap();
    assert_ne!(second.number, first.number);
    assert_ne!(batch_hash(&second), batch_hash(&first));
    let replayed = phone.apply_sync_receipt(&refusal).unwrap();
    assert_eq!((replayed.refused.len(), replayed.ignored), (0, 1));
    assert_eq!(phone.sync_status(None).unsent, 1);
    assert!(phone.sync_status(None).refused.is_empty());

    let accepted = server.import_sync_batch(&id("helper"), &second).unwrap();
    assert_eq!(phone.apply_sync_receipt(&accepted).unwrap().acknowledged, 1);
    assert_eq!(phone.sync_status(None).unsent, 0);
}

#[test]
fn a_server_without_a_signing_key_cannot_answer_a_batch() {
    let mut server = ledger("city");
    let mut phone = ledger("phone-1");
    phone.add_record(&rec(), record("R1", "V1", 2)).unwrap();
    let batch = phone.sync_batch(&rec(), 10).unwrap();
    let head = server.head();
    let e = server.import_sync_batch(&rec(), &batch).unwrap_err();
    assert_eq!(e.code(), "E_NO_SIGNING_KEY");
    assert_eq!(server.head(), head, "nothing written");
    assert!(server.record(&id("R1")).is_err());
}

#[test]
fn a_device_applies_receipts_only_once_it_trusts_a_server() {
    let (mut server, mut phone) = (ledger("district"), ledger("phone-1"));
    // A phone that has not been told its server (its sync state is a fresh one).
    phone.restore_sync_state(SyncState::default()).unwrap();
    assert!(phone.sync_server().is_none());
    phone.add_record(&rec(), record("R1", "V1", 2)).unwrap();
    let batch = phone.sync_batch(&rec(), 10).unwrap();
    let receipt = server.import_sync_batch(&rec(), &batch).unwrap();
    let e = phone.apply_sync_receipt(&receipt).unwrap_err();
    assert_eq!(e.code(), "E_SYNC_NO_SERVER", "{e}");
    assert_eq!(phone.sync_status(None).unsent, 1);
    let e = phone
        .trust_sync_server(id("district"), "not a key")
        .unwrap_err();
    assert_eq!(e.code(), "E_FIELD");
    phone
        .trust_sync_server(id("district"), &server_key().to_uppercase())
        .unwrap();
    assert_eq!(phone.sync_server().unwrap().public_key, server_key());
    assert_eq!(phone.apply_sync_receipt(&receipt).unwrap().acknowledged, 1);
}

#[test]
fn a_record_with_a_key_the_format_does_not_know_is_refused_naming_it() {
    let (mut server, mut phone) = (ledger("district"), ledger("phone-1"));
    phone.add_record(&rec(), record("R1", "V1", 2)).unwrap();
    phone.add_record(&rec(), record("R2", "V2", 3)).unwrap();
    let good = phone.sync_batch(&rec(), 10).unwrap().to_json();
    let head = server.head();
    // The second record, with an extra key and with a misspelt one beside the right one.
    let second = good.rfind("{\"activity\"").unwrap();
    for (key, extra) in [
        ("minutes_x", "\"minutes_x\":5,"),
        ("pubic_benefit", "\"pubic_benefit\":true,"),
    ] {
        let mut text = good.clone();
        text.insert_str(second + 1, extra);
        let e = server.import_sync_json(&rec(), &text).unwrap_err();
        assert_eq!(e.code(), "E_SYNC_FORMAT", "{e}");
        let message = e.to_string();
        assert!(
            message.contains(key) && message.contains("record 2 (R2)"),
            "{message}"
        );
        assert_eq!(server.head(), head, "nothing written");
        assert!(server.record(&id("R1")).is_err());
        assert_eq!(
            SyncBatch::from_json(&text).unwrap_err().code(),
            "E_SYNC_FORMAT"
        );
    }
    // A long key is shown cut short.
    let mut text = good.clone();
    text.insert_str(second + 1, &format!("\"{}\":1,", "k".repeat(500)));
    let message = SyncBatch::from_json(&text).unwrap_err().to_string();
    assert!(!message.contains(&"k".repeat(41)), "{message}");
    // The batch itself may not carry unknown keys either.
    let text = good.replacen("{\"format\"", "{\"extra\":1,\"format\"", 1);
    assert_eq!(
        SyncBatch::from_json(&text).unwrap_err().code(),
        "E_SYNC_FORMAT"
    );
    assert_eq!(
        server
            .import_sync_json(&rec(), &good)
            .unwrap()
            .results
            .len(),
        2
    );
}
