//! Signed heads over the Merkle tree of the log (`docs/checkpoints.md`): a history rewritten
//! before a head — however consistently rehashed — is found by that head, by a certificate
//! issued before the rewrite, and at open by the head the file kept; proofs verify for every
//! tree size and index, and fail when any byte of them changes.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{TempFile, admin, id};
use ed25519_dalek::Signer;
use proptest::prelude::*;
use std::path::Path;
use volunteer_ledger::merkle::{self, Frontier};
use volunteer_ledger::*;

const SEED: [u8; 32] = [7; 32];

fn t(d: u32, h: u32) -> Timestamp {
    Timestamp::from_local(480, 2015, 6, d, h, 0).unwrap()
}

fn rec(r: &str, d: u32) -> NewRecord {
    NewRecord::new(
        id(r),
        id("V1"),
        id("C1"),
        t(d, 9),
        t(d, 11),
        120,
        "助老服务",
    )
}

/// D > C1, V1 with three records, a signing key: a file ledger, or one in memory.
fn build(mut l: Ledger) -> Ledger {
    l.set_signing_key(&admin(), &SEED).unwrap();
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
    let v = NewVolunteer {
        id: id("V1"),
        name: "张三".into(),
        identity_kind: IdentityKind::ResidentId,
        identity_number: "11010519491231002X".into(),
        home_org: Some(id("C1")),
    };
    l.register_volunteer(&admin(), v).unwrap();
    for (r, d) in [("R1", 1), ("R2", 2), ("R3", 3)] {
        l.add_record(&admin(), rec(r, d)).unwrap();
    }
    l
}

fn config() -> LedgerConfig {
    LedgerConfig::new(id("xuetian"), "学田区", admin())
}

fn clock() -> Clock {
    Clock::Fixed(t(30, 12))
}

fn file_ledger(path: &Path) -> Ledger {
    build(Ledger::create_with_clock(path, config(), clock()).unwrap())
}

fn certificate(l: &mut Ledger) -> Certificate {
    let req = CertificateRequest {
        volunteer: id("V1"),
        period_from: chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap(),
        period_to: chrono::NaiveDate::from_ymd_opt(2015, 12, 31).unwrap(),
        issuing_org: id("C1"),
        responsible_person: "李主任".into(),
        handler: "王干事".into(),
        contact: "0791-12345678".into(),
        notes: String::new(),
    };
    l.issue_certificate(&admin(), req).unwrap()
}

/// An entry's row: seq, time, actor, kind, body, hash.
type LogRow = (i64, i64, String, String, Vec<u8>, Vec<u8>);

/// Rewrites a closed ledger file as a forger who knows `docs/log-format.md` would: the
/// triggers dropped, R1's minutes lowered (still a valid record, so the log replays), and
/// every later entry rehashed — a hash named in a later body (the certificate's) replaced
/// by the new one — with the crate's own canonical encoding. The snapshot is deleted and,
/// unless `keep_head`, the signed head the file kept too.
fn rewrite(path: &Path, keep_head: bool) {
    let c = rusqlite::Connection::open(path).unwrap();
    c.execute_batch("DROP TRIGGER entries_no_update; DELETE FROM snapshot;")
        .unwrap();
    if !keep_head {
        c.execute("DELETE FROM meta WHERE key = 'signed_head'", [])
            .unwrap();
    }
    let rows: Vec<LogRow> = c
        .prepare("SELECT seq, time, actor, kind, body, hash FROM entries ORDER BY seq")
        .unwrap()
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut prev = Hash::ZERO;
    let mut renamed: Vec<(String, String)> = Vec::new();
    let mut forged = false;
    for (seq, time, actor, kind, body, stored) in rows {
        let mut text = String::from_utf8(body).unwrap();
        for (old, new) in &renamed {
            text = text.replace(old.as_str(), new);
        }
        if kind == "record_added" && text.contains("\"R1\"") && !forged {
            // A record's row holds its values in key order: minutes is the sixth.
            let mut values: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
            assert_eq!(values[5], serde_json::json!(120));
            values[5] = serde_json::json!(60);
            text = serde_json::to_string(&values).unwrap();
            forged = true;
        }
        let change: Change = serde_json::from_value(serde_json::json!({
            "kind": kind,
            "body": serde_json::from_str::<serde_json::Value>(&text).unwrap(),
        }))
        .unwrap();
        let actor: ActorId = actor.parse().unwrap();
        let bytes = canonical_bytes(seq as u64, Timestamp(time), &actor, &change, prev);
        let hash = volunteer_ledger::log::hash_bytes(&bytes);
        let old = Hash(stored.try_into().unwrap());
        if old != hash {
            renamed.push((old.to_hex(), hash.to_hex()));
        }
        c.execute(
            "UPDATE entries SET body = ?1, hash = ?2 WHERE seq = ?3",
            rusqlite::params![text.as_bytes(), &hash.0[..], seq],
        )
        .unwrap();
        prev = hash;
    }
    assert!(forged && !renamed.is_empty());
}

#[test]
fn a_consistent_rewrite_passes_verify_but_not_a_head_or_certificate_issued_before_it() {
    let f = TempFile::new("rewrite");
    let mut l = file_ledger(f.path());
    let cert = certificate(&mut l);
    verify_certificate_offline(&cert, &l.public_key().unwrap()).unwrap();
    l.add_record(&admin(), rec("R4", 4)).unwrap();
    let head = l.signed_head().unwrap();
    let total = l.volunteer(&id("V1")).unwrap().total_minutes;
    drop(l);
    rewrite(f.path(), false);

    // What a rewrite got past before: open, verify, the online check of the certificate.
    let forged = Ledger::open(f.path()).unwrap();
    forged.verify().unwrap();
    assert_eq!(
        forged.volunteer(&id("V1")).unwrap().total_minutes,
        total - 60
    );
    let online = forged.verify_certificate(&cert.verification_code).unwrap();
    assert_eq!(online.status, CertificateStatus::Valid);

    // A head kept elsewhere, and the one the certificate carries, both find it.
    for kept in [head, cert.checkpoint.clone().unwrap()] {
        let e = forged.verify_against(&[kept]).unwrap_err();
        assert_eq!(e.code(), "E_CHECKPOINT_MISMATCH", "{e}");
    }
    // The certificate itself is still genuine offline: it proves what the log was.
    verify_certificate_offline(&cert, &forged.public_key().unwrap()).unwrap();
}

#[test]
fn open_refuses_a_rewrite_behind_the_head_the_file_kept() {
    let f = TempFile::new("kept-head");
    let mut l = file_ledger(f.path());
    certificate(&mut l);
    l.signed_head().unwrap();
    drop(l);
    rewrite(f.path(), true);
    let e = Ledger::open(f.path()).unwrap_err();
    assert_eq!(e.code(), "E_CHECKPOINT_MISMATCH", "{e}");
}

#[test]
fn verify_refuses_a_rewrite_before_a_kept_head_shorter_than_the_log() {
    let f = TempFile::new("kept-short");
    let mut l = file_ledger(f.path());
    l.signed_head().unwrap();
    l.add_record(&admin(), rec("R4", 4)).unwrap();
    drop(l);
    rewrite(f.path(), true);
    let forged = Ledger::open(f.path()).unwrap();
    let e = forged.verify().unwrap_err();
    assert_eq!(e.code(), "E_CHECKPOINT_MISMATCH", "{e}");
}

#[test]
fn open_notices_an_edit_of_the_last_entry_in_place() {
    let f = TempFile::new("tail-edit");
    let l = file_ledger(f.path());
    drop(l);
    // Closing wrote a snapshot at the head: before, open replayed nothing and read no entry.
    let c = rusqlite::Connection::open(f.path()).unwrap();
    c.execute_batch(
        "DROP TRIGGER entries_no_update;
         UPDATE entries SET actor = 'forger' WHERE seq = (SELECT max(seq) FROM entries);",
    )
    .unwrap();
    drop(c);
    let e = Ledger::open(f.path()).unwrap_err();
    assert_eq!(e.code(), "E_CHAIN_BROKEN", "{e}");
}

#[test]
fn open_notices_entries_removed_after_the_head_the_file_kept() {
    let f = TempFile::new("cut");
    let mut l = file_ledger(f.path());
    l.signed_head().unwrap();
    drop(l);
    let c = rusqlite::Connection::open(f.path()).unwrap();
    c.execute_batch(
        "DROP TRIGGER entries_no_delete; DELETE FROM snapshot;
         DELETE FROM entries WHERE seq = (SELECT max(seq) FROM entries);",
    )
    .unwrap();
    drop(c);
    let e = Ledger::open(f.path()).unwrap_err();
    assert_eq!(e.code(), "E_CHECKPOINT_MISMATCH", "{e}");
}

#[test]
fn a_rewritten_log_in_memory_is_refused_by_an_earlier_head() {
    let mut l = build(Ledger::in_memory_with_clock(config(), clock()).unwrap());
    let head = l.signed_head().unwrap();
    l.verify_against(std::slice::from_ref(&head)).unwrap();
    // The same changes with R1 at 60 minutes: a chain as valid as the first.
    let mut entries = l.entries().unwrap();
    let mut prev = Hash::ZERO;
    for e in &mut entries {
        if let Change::RecordAdded(r) = &mut e.change
            && r.id.as_str() == "R1"
        {
            r.minutes = 60;
        }
        *e = Entry::new(e.seq, e.time, e.actor.clone(), e.change.clone(), prev);
        prev = e.hash;
    }
    let mut forged = Ledger::from_entries(entries).unwrap();
    forged.verify().unwrap();
    let e = forged
        .verify_against(std::slice::from_ref(&head))
        .unwrap_err();
    assert_eq!(e.code(), "E_CHECKPOINT_MISMATCH", "{e}");
    // Its own heads are of another tree: the earlier one is not extended by them.
    forged.set_signing_key(&admin(), &SEED).unwrap();
    let later = forged.signed_head().unwrap();
    let proof = forged
        .consistency_proof(head.size as u64, later.size as u64)
        .unwrap();
    let e = head.check_extended_by(&later, &proof).unwrap_err();
    assert_eq!(e.code(), "E_CHECKPOINT_MISMATCH");
}

#[test]
fn a_later_head_proves_it_extends_an_earlier_one() {
    let mut l = build(Ledger::in_memory_with_clock(config(), clock()).unwrap());
    let first = l.signed_head().unwrap();
    l.add_record(&admin(), rec("R4", 4)).unwrap();
    let second = l.signed_head().unwrap();
    let key = l.public_key().unwrap();
    first.check(&key).unwrap();
    second.check(&key).unwrap();
    let proof = l
        .consistency_proof(first.size as u64, second.size as u64)
        .unwrap();
    first.check_extended_by(&second, &proof).unwrap();
    l.verify_against(&[first.clone(), second.clone()]).unwrap();
    // And the entries' proofs lead to the head's root.
    let seqs: Vec<u64> = (0..second.size as u64).collect();
    let entries = l.entries().unwrap();
    for (p, e) in l
        .inclusion_proofs(second.size as u64, &seqs)
        .unwrap()
        .iter()
        .zip(&entries)
    {
        second.check_inclusion(&e.hash.to_hex(), p).unwrap();
    }
    // A head of another ledger, or signed by another key, is not taken.
    let other = build(
        Ledger::in_memory_with_clock(
            LedgerConfig::new(id("dongyuan"), "东苑区", admin()),
            clock(),
        )
        .unwrap(),
    )
    .signed_head()
    .unwrap();
    assert_eq!(
        l.verify_against(&[other]).unwrap_err().code(),
        "E_CHECKPOINT_MISMATCH"
    );
    let mut forged = second.clone();
    forged.root_hash = first.root_hash.clone();
    assert_eq!(
        l.verify_against(&[forged]).unwrap_err().code(),
        "E_BAD_SIGNATURE"
    );
}

#[test]
fn a_certificate_proves_its_records_and_refuses_a_proof_that_does_not_lead_to_its_head() {
    let mut l = build(Ledger::in_memory_with_clock(config(), clock()).unwrap());
    let cert = certificate(&mut l);
    let key = l.public_key().unwrap();
    let head = cert.checkpoint.clone().unwrap();
    assert_eq!(
        head.size as u64 + 1,
        l.entry_count(),
        "the head before its own entry"
    );
    assert!(cert.records.iter().all(|r| r.proof.is_some()));
    verify_certificate_offline(&cert, &key).unwrap();
    // Re-signed by the key's holder with a proof of another entry: the signature holds, the
    // proof does not.
    let mut bad = cert.clone();
    let other = bad.records[1].proof.clone();
    bad.records[0].proof = other;
    let signing = ed25519_dalek::SigningKey::from_bytes(&SEED);
    let sig = signing.sign(&certificate_bytes(&bad));
    bad.signature = Hash::hex_of(&sig.to_bytes());
    bad.verification_code = verification_code(&bad.signature);
    let e = verify_certificate_offline(&bad, &key).unwrap_err();
    assert_eq!(e.code(), "E_CHECKPOINT_MISMATCH", "{e}");
    // Any byte of the head changed: its signature no longer holds.
    let json = cert.to_json();
    let altered = json.replacen(&head.root_hash, &"0".repeat(64), 1);
    let altered = Certificate::from_json(&altered).unwrap();
    assert!(verify_certificate_offline(&altered, &key).is_err());
}

#[test]
fn packages_carry_the_issuers_head_and_format_1_packages_still_open() {
    let mut a = build(Ledger::in_memory_with_clock(config(), clock()).unwrap());
    let text = a.export_transfer(&admin(), &id("V1"), None).unwrap();
    let trusted = vec![(id("xuetian"), a.public_key().unwrap())];
    let p = open_package(&text, &trusted).unwrap();
    assert_eq!(p.format, TRANSFER_FORMAT);
    let head = p.checkpoint.clone().unwrap();
    assert!(p.records.iter().all(|r| r.proof.is_some()));
    a.verify_against(&[head]).unwrap();
    // A package without its head is not a format-2 package.
    let bare = text.replacen("\"checkpoint\":{", "\"checkpoinx\":{", 1);
    assert_eq!(
        open_package(&bare, &trusted).unwrap_err().code(),
        "E_TRANSFER_FORMAT"
    );
    // The format-1 package of the shared vectors (before heads) still opens.
    let doc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors/checkpoints.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let v1 = &doc["format_1_package"];
    let trusted = vec![(id("xuetian"), v1["public_key"].as_str().unwrap().to_owned())];
    let p = open_package(v1["text"].as_str().unwrap(), &trusted).unwrap();
    assert_eq!(
        (p.format.as_str(), p.checkpoint.is_none()),
        (TRANSFER_FORMAT_1, true)
    );
}

/// Entry hashes for a tree of `n` leaves.
fn leaves(n: u64) -> Vec<Hash> {
    (0..n)
        .map(|i| volunteer_ledger::log::hash_bytes(&i.to_be_bytes()))
        .collect()
}

fn flipped(h: &Hash, byte: usize, bit: u8) -> Hash {
    let mut b = h.0;
    b[byte % 32] ^= 1 << (bit % 8);
    Hash(b)
}

#[test]
fn inclusion_and_consistency_proofs_verify_for_every_size_and_index_up_to_70() {
    let all = leaves(70);
    let mut f = Frontier::default();
    for n in 1..=70u64 {
        let hs = &all[..n as usize];
        f.push(&hs[n as usize - 1]);
        let root = merkle::root_of(hs);
        assert_eq!(f.root(), root, "n = {n}");
        let targets: Vec<u64> = (0..n).collect();
        let (paths, r) =
            merkle::inclusion_paths(n, &targets, &mut merkle::slice_leaves(hs)).unwrap();
        assert_eq!(r, root);
        for (i, path) in paths.iter().enumerate() {
            assert!(
                merkle::verify_inclusion(i as u64, n, &hs[i], path, &root),
                "{i} of {n}"
            );
            // Another entry at this index does not verify.
            let other = &all[(i + 1) % 70];
            assert!(!merkle::verify_inclusion(i as u64, n, other, path, &root));
        }
        for m in 1..=n {
            let (proof, r) = merkle::consistency_path(m, n, &mut merkle::slice_leaves(hs)).unwrap();
            assert_eq!(r, root);
            let old = merkle::root_of(&hs[..m as usize]);
            assert!(
                merkle::verify_consistency(m, n, &old, &root, &proof),
                "{m} to {n}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_proof_with_any_byte_flipped_fails(
        n in 1u64..=70, i in 0u64..70, m in 1u64..=70, which in 0usize..100, byte in 0usize..32, bit in 0u8..8,
    ) {
        let (i, m) = (i % n, (m - 1) % n + 1);
        let hs = leaves(n);
        let root = merkle::root_of(&hs);
        let (paths, _) = merkle::inclusion_paths(n, &[i], &mut merkle::slice_leaves(&hs)).unwrap();
        let path = &paths[0];
        // Flip a byte of the path, of the entry or of the root.
        let at = which % (path.len() + 2);
        let (mut p, mut entry, mut r) = (path.clone(), hs[i as usize], root);
        match at {
            x if x < path.len() => p[x] = flipped(&p[x], byte, bit),
            x if x == path.len() => entry = flipped(&entry, byte, bit),
            _ => r = flipped(&r, byte, bit),
        }
        prop_assert!(!merkle::verify_inclusion(i, n, &entry, &p, &r));
        let (proof, _) = merkle::consistency_path(m, n, &mut merkle::slice_leaves(&hs)).unwrap();
        let old = merkle::root_of(&hs[..m as usize]);
        let at = which % (proof.len() + 2);
        let (mut p, mut o, mut r) = (proof.clone(), old, root);
        match at {
            x if x < proof.len() => p[x] = flipped(&p[x], byte, bit),
            x if x == proof.len() => o = flipped(&o, byte, bit),
            _ => r = flipped(&r, byte, bit),
        }
        prop_assert!(!merkle::verify_consistency(m, n, &o, &r, &p));
    }
}

/// Records R-k of V1, 14:00–15:00 on each of `n` days from 2006 on (before the clock: make-up
/// records the admin enters).
fn many_records(from: usize, n: usize) -> Vec<NewRecord> {
    let day0 = chrono::NaiveDate::from_ymd_opt(2006, 1, 1).unwrap();
    (from..from + n)
        .map(|k| {
            let day = day0 + chrono::Days::new(k as u64);
            let at = |h| {
                use chrono::Datelike;
                Timestamp::from_local(480, day.year(), day.month(), day.day(), h, 0).unwrap()
            };
            NewRecord::new(
                id(&format!("R-{k}")),
                id("V1"),
                id("C1"),
                at(14),
                at(15),
                60,
                "助老服务",
            )
        })
        .collect()
}

#[test]
fn a_file_ledger_gives_the_proofs_of_reading_its_whole_log_from_its_kept_blocks() {
    let f = TempFile::new("blocks");
    let mut l = file_ledger(f.path());
    // More than two blocks of 1,024 entries, then more after the blocks were learnt.
    for (from, n) in [(0, 2_300), (2_300, 900)] {
        for added in l.add_records(&admin(), many_records(from, n)) {
            added.unwrap();
        }
        let head = l.signed_head().unwrap();
        let size = l.entry_count();
        let seqs = [0, 1, 1023, 1024, 2047, 2048, size / 2, size - 2, size - 1];
        let proofs = l.inclusion_proofs(size, &seqs).unwrap();
        // The same proofs as a ledger in memory reading every entry hash in order gives.
        let entries = l.entries().unwrap();
        let hashes: Vec<String> = entries.iter().map(|e| e.hash.to_hex()).collect();
        let copy = Ledger::from_entries(entries).unwrap();
        assert_eq!(copy.inclusion_proofs(size, &seqs).unwrap(), proofs);
        for (seq, proof) in seqs.iter().zip(&proofs) {
            let hash = &hashes[*seq as usize];
            head.check_inclusion(hash, proof).unwrap();
        }
        // And for an earlier size, as an older head covers.
        let older = l.inclusion_proofs(1500, &[3, 1499]).unwrap();
        assert_eq!(copy.inclusion_proofs(1500, &[3, 1499]).unwrap(), older);
    }
}
