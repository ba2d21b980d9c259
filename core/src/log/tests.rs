//! The canonical form against its definition for every kind, and the hash over it.

use super::canonical::general_canonical;
use super::*;
use crate::activity::{
    Commendation, Complaint, Evaluation, Membership, NewActivity, NewProject, ProjectClaim,
    ReportIn, Training,
};
use crate::ids::*;
use crate::org::*;
use crate::policy::Policy;
use crate::record::NewRecord;
use crate::time::Timestamp;
use crate::vault::Registration;

/// The canonical form by definition: the entry as a JSON object with every object's keys
/// sorted (serde_json's `Value` keeps them in a `BTreeMap`).
fn reference(seq: u64, time: Timestamp, actor: &ActorId, change: &Change, prev: Hash) -> Vec<u8> {
    let tagged = serde_json::to_value(change).unwrap();
    let mut obj = serde_json::Map::new();
    obj.insert("actor".into(), serde_json::to_value(actor).unwrap());
    obj.insert(
        "body".into(),
        tagged
            .get("body")
            .cloned()
            .unwrap_or(serde_json::Value::Null),
    );
    obj.insert("kind".into(), tagged["kind"].clone());
    obj.insert("prev".into(), serde_json::to_value(prev).unwrap());
    obj.insert("seq".into(), seq.into());
    obj.insert("time".into(), time.0.into());
    obj.insert("v".into(), entry_version(change).into());
    serde_json::to_vec(&serde_json::Value::Object(obj)).unwrap()
}

fn every_kind() -> Vec<Change> {
    let id = |s: &str| s.parse::<RecordId>().unwrap();
    let mut record = NewRecord::new(
        id("R1"),
        "V1".parse().unwrap(),
        "O1".parse().unwrap(),
        Timestamp(1_433_206_800),
        Timestamp(1_433_214_000),
        120,
        "助老 \"服务\"\n第二行",
    );
    record.team = Some("T1".parse().unwrap());
    record.activity = Some("A1".parse().unwrap());
    let mut policy = Policy::beijing();
    policy
        .holidays
        .push(chrono::NaiveDate::from_ymd_opt(2015, 6, 20).unwrap());
    let mut config = LedgerConfig::new("L".parse().unwrap(), "某区", "admin".parse().unwrap());
    config.policy = policy;
    // A policy whose newer sections differ from their defaults, so that they are written.
    let mut custom = LedgerConfig::new("L2".parse().unwrap(), "另一区", "admin".parse().unwrap());
    custom.policy.team_rating = crate::team_rating::TeamScoring::pvsa_group();
    custom.policy.fraud.four_eyes_minutes = 240;
    custom.policy.excellent.top_per_street = 3;
    vec![
        Change::LedgerCreated(Box::new(config)),
        Change::LedgerCreated(Box::new(custom)),
        Change::OrgRegistered(NewOrg {
            id: "O1".parse().unwrap(),
            name: "学田社区".into(),
            kind: OrgKind::Community,
            parent: None,
        }),
        Change::RoleGranted {
            grantee: "r".parse().unwrap(),
            role: Role::Recorder("O1".parse().unwrap()),
        },
        Change::RoleGranted {
            grantee: "p".parse().unwrap(),
            role: Role::PlatformAdmin,
        },
        // A version-1 registration (the number in clear, as older logs hold it) and a
        // version-2 one (sealed), a device's (mask only) too.
        Change::VolunteerRegistered(Registration::Clear(NewVolunteer {
            id: "V1".parse().unwrap(),
            name: "张三".into(),
            identity_kind: IdentityKind::ResidentId,
            identity_number: "11010519491231002X".into(),
            home_org: Some("O1".parse().unwrap()),
        })),
        Change::VolunteerRegistered(Registration::Sealed(crate::vault::SealedRegistration {
            id: "V2".parse().unwrap(),
            name: "李四".into(),
            home_org: None,
            identity: crate::vault::SealedIdentity {
                kind: IdentityKind::ResidentId,
                mask: "110105********002X".into(),
                sealed: Some(crate::vault::Ciphertext {
                    ciphertext: "ab".repeat(34),
                    nonce: "cd".repeat(24),
                }),
                tag: Some("ef".repeat(32)),
            },
        })),
        Change::VolunteerRegistered(Registration::Sealed(crate::vault::SealedRegistration {
            id: "V3".parse().unwrap(),
            name: "王五".into(),
            home_org: None,
            identity: crate::vault::SealedIdentity {
                kind: IdentityKind::Passport,
                mask: "E*******8".into(),
                sealed: None,
                tag: None,
            },
        })),
        Change::IdentityErased {
            volunteer: "V2".parse().unwrap(),
        },
        Change::VolunteerCorrected(Correction {
            identity: Some(crate::vault::SealedIdentity {
                kind: IdentityKind::ResidentId,
                mask: "440524********0013".into(),
                sealed: Some(crate::vault::Ciphertext {
                    ciphertext: "ab".repeat(34),
                    nonce: "cd".repeat(24),
                }),
                tag: Some("ef".repeat(32)),
            }),
            name: Some("张叁".into()),
            phone: Some(crate::vault::SealedPhone {
                mask: "138****8000".into(),
                sealed: Some(crate::vault::Ciphertext {
                    ciphertext: "01".repeat(27),
                    nonce: "02".repeat(24),
                }),
            }),
            reason: "身份证号录错".into(),
            volunteer: "V1".parse().unwrap(),
        }),
        Change::VolunteerCorrected(Correction {
            identity: None,
            name: Some("李\"四\"".into()),
            phone: None,
            reason: "错字".into(),
            volunteer: "V2".parse().unwrap(),
        }),
        Change::TeamCreated(NewTeam {
            id: "T1".parse().unwrap(),
            org: "O1".parse().unwrap(),
            name: "一队".into(),
            leader: "V1".parse().unwrap(),
            liaisons: vec![],
            members: vec!["V1".parse().unwrap()],
        }),
        Change::RecordAdded(record.clone()),
        Change::RecordConfirmed { record: id("R1") },
        Change::RecordAmended {
            record: id("R1"),
            replacement: record,
            reason: "更正".into(),
        },
        Change::RecordRevoked {
            record: id("R1"),
            reason: "撤销".into(),
        },
        Change::RecordDisputed {
            record: id("R1"),
            reason: "申诉".into(),
        },
        Change::DisputeResolved {
            record: id("R1"),
            note: "".into(),
        },
        Change::VisibilitySet {
            volunteer: "V1".parse().unwrap(),
            visibility: BoardVisibility::Pseudonym {
                name: "小蜜蜂".into(),
            },
        },
        Change::VisibilitySet {
            volunteer: "V1".parse().unwrap(),
            visibility: BoardVisibility::Hidden,
        },
        Change::SigningKeyRegistered(KeyRegistration {
            public_key: "ab".repeat(32),
        }),
        Change::IssuerTrusted(crate::transfer::Issuer {
            ledger_id: "L2".parse().unwrap(),
            name: "另一区".into(),
            public_key: "cd".repeat(32),
        }),
        Change::VolunteerMoved(Move {
            home_org: Some("O1".parse().unwrap()),
            volunteer: "V1".parse().unwrap(),
            work_unit: None,
        }),
        Change::TransferredOut(TransferOut {
            destination: Some("L2".parse().unwrap()),
            package_hash: "ef".repeat(32),
            volunteer: "V1".parse().unwrap(),
        }),
        Change::TransferredIn(TransferIn {
            package: "{\"package\":{}}".into(),
        }),
        Change::CertificateIssued(CertificateEntry {
            code: "ABCD-EF01".into(),
            digest: "01".repeat(32),
            issuing_org: "O1".parse().unwrap(),
            number: "L-2015-000001".into(),
            period_from: chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap(),
            period_to: chrono::NaiveDate::from_ymd_opt(2015, 12, 31).unwrap(),
            records: vec![CertifiedRecord {
                entry_hash: "02".repeat(32),
                record: id("R1"),
            }],
            total_minutes: 120,
            volunteer: "V1".parse().unwrap(),
        }),
        Change::TeamMemberJoined(Membership {
            date: day(2015, 6, 1),
            team: "T1".parse().unwrap(),
            volunteer: "V1".parse().unwrap(),
        }),
        Change::TeamMemberLeft(Membership {
            date: day(2015, 7, 1),
            team: "T1".parse().unwrap(),
            volunteer: "V1".parse().unwrap(),
        }),
        Change::ProjectPublished(NewProject {
            category: "助老".into(),
            id: "P1".parse().unwrap(),
            name: "银龄陪伴".into(),
            org: "O1".parse().unwrap(),
        }),
        Change::ProjectClaimed(ProjectClaim {
            project: "P1".parse().unwrap(),
            team: "T1".parse().unwrap(),
        }),
        Change::ActivityCreated(NewActivity {
            end: Timestamp(1_433_214_000),
            id: "A1".parse().unwrap(),
            name: "六月集中服务日".into(),
            org: "O1".parse().unwrap(),
            project: Some("P1".parse().unwrap()),
            start: Timestamp(1_433_206_800),
            team: None,
        }),
        Change::ActivityEvaluated(Evaluation {
            activity: "A1".parse().unwrap(),
            score: 5,
            source: crate::activity::EvaluationSource::Recipient,
        }),
        Change::ComplaintRecorded(Complaint {
            activity: "A1".parse().unwrap(),
            reason: "迟到".into(),
            volunteer: Some("V1".parse().unwrap()),
        }),
        Change::TrainingRecorded(Training {
            date: day(2015, 5, 1),
            id: "TR1".parse().unwrap(),
            minutes: 90,
            org: "O1".parse().unwrap(),
            title: "急救培训".into(),
            volunteer: "V1".parse().unwrap(),
        }),
        Change::CommendationRecorded(Commendation {
            date: day(2015, 12, 1),
            id: "C1".parse().unwrap(),
            org: "O1".parse().unwrap(),
            title: "优秀志愿者".into(),
            volunteer: "V1".parse().unwrap(),
        }),
        Change::ReportedIn(ReportIn {
            community: "O1".parse().unwrap(),
            date: day(2015, 3, 1),
            volunteer: "V1".parse().unwrap(),
            work_unit: "U1".parse().unwrap(),
        }),
        Change::CalendarSet(crate::calendar::CalendarYear {
            holidays: vec![day(2027, 2, 6), day(2027, 2, 7)],
            working_days: vec![day(2027, 2, 20)],
            year: 2027,
        }),
    ]
}

fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

use proptest::prelude::*;

proptest! {
    /// The direct writer of `record_added` entries gives exactly the general form, for
    /// any free text (quotes, backslashes, control characters, Chinese) and any values.
    #[test]
    fn record_canonical_is_the_general_form(
        content in ".*",
        escapes in proptest::collection::vec(0u8..0x20, 0..4),
        id in "[A-Za-z0-9][A-Za-z0-9_.:-]{0,20}",
        start in any::<i64>(),
        end in any::<i64>(),
        minutes in any::<i64>(),
        seq in any::<u64>(),
        time in any::<i64>(),
        flags in any::<[bool; 5]>(),
        prev in any::<[u8; 32]>(),
    ) {
        let mut content = content;
        content.extend(escapes.iter().map(|&c| char::from(c)));
        content.push_str("\"\\/");
        let r = NewRecord {
            activity: flags[3].then(|| "A1".parse().unwrap()),
            content,
            end: Timestamp(end),
            id: id.parse().unwrap(),
            job_duty: flags[0],
            minutes,
            org: "C1".parse().unwrap(),
            paid: flags[1],
            public_benefit: flags[2],
            source: crate::record::RecordSource::Import,
            start: Timestamp(start),
            team: flags[4].then(|| "T1".parse().unwrap()),
            volunteer: "V1".parse().unwrap(),
        };
        let actor: ActorId = "admin".parse().unwrap();
        let c = Change::RecordAdded(r);
        prop_assert_eq!(
            canonical_bytes(seq, Timestamp(time), &actor, &c, Hash(prev)),
            general_canonical(seq, Timestamp(time), &actor, &c, Hash(prev))
        );
    }

    /// The direct writer of sealed `volunteer_registered` entries gives exactly the general
    /// form (any name, a home org or none, sealed or a mask only), and the stored body kept
    /// with the hash is the one a file ledger stores.
    #[test]
    fn registration_canonical_is_the_general_form(
        name in ".*",
        escapes in proptest::collection::vec(0u8..0x20, 0..4),
        id in "[A-Za-z0-9][A-Za-z0-9_.:-]{0,20}",
        mask in "[0-9A-Z*]{1,32}",
        hex in "[0-9a-f]{0,80}",
        seq in any::<u64>(),
        time in any::<i64>(),
        flags in any::<[bool; 2]>(),
        kind in 0usize..4,
        prev in any::<[u8; 32]>(),
    ) {
        let mut name = name;
        name.extend(escapes.iter().map(|&c| char::from(c)));
        name.push_str("\"\\/");
        let kinds = [
            IdentityKind::ResidentId,
            IdentityKind::Passport,
            IdentityKind::HkMacauPermit,
            IdentityKind::TaiwanPermit,
        ];
        let sealed = flags[1].then(|| crate::vault::Ciphertext {
            ciphertext: hex.clone(),
            nonce: hex.chars().rev().collect(),
        });
        let r = crate::vault::SealedRegistration {
            home_org: flags[0].then(|| "C1".parse().unwrap()),
            id: id.parse().unwrap(),
            identity: crate::vault::SealedIdentity {
                kind: kinds[kind],
                mask,
                tag: sealed.as_ref().map(|_| hex.clone()),
                sealed,
            },
            name,
        };
        let actor: ActorId = "admin".parse().unwrap();
        let c = Change::VolunteerRegistered(Registration::Sealed(r));
        let general = general_canonical(seq, Timestamp(time), &actor, &c, Hash(prev));
        prop_assert_eq!(
            &canonical_bytes(seq, Timestamp(time), &actor, &c, Hash(prev)),
            &general
        );
        let mut body = b"kept".to_vec();
        let e = Entry::new_keeping_body(seq, Timestamp(time), actor, c, Hash(prev), &mut body);
        prop_assert_eq!(e.hash, hash_bytes(&general));
        prop_assert_eq!(&body[4..], &stored_body(&e.change)[..]);
    }
}

#[test]
fn canonical_form_is_sorted_json() {
    let actor: ActorId = "admin".parse().unwrap();
    let kinds = every_kind();
    let names: std::collections::HashSet<&str> = kinds.iter().map(Change::kind).collect();
    assert_eq!(names.len(), 31, "every kind of change is covered");
    for (i, c) in kinds.iter().enumerate() {
        let fast = canonical_bytes(i as u64, Timestamp(1_433_300_000), &actor, c, Hash([7; 32]));
        let slow = reference(i as u64, Timestamp(1_433_300_000), &actor, c, Hash([7; 32]));
        assert_eq!(
            String::from_utf8(fast).unwrap(),
            String::from_utf8(slow).unwrap()
        );
    }
}

#[test]
fn an_entry_hash_is_the_sha256_of_its_canonical_bytes() {
    let actor: ActorId = "admin".parse().unwrap();
    // Twice over, so that the thread's scratch buffer is reused with leftovers in it.
    for _ in 0..2 {
        for (i, c) in every_kind().into_iter().enumerate() {
            let bytes = canonical_bytes(
                i as u64,
                Timestamp(1_433_300_000),
                &actor,
                &c,
                Hash([9; 32]),
            );
            let e = Entry::new(
                i as u64,
                Timestamp(1_433_300_000),
                actor.clone(),
                c,
                Hash([9; 32]),
            );
            assert_eq!(
                e.hash,
                Hash(<sha2::Sha256 as sha2::Digest>::digest(&bytes).into())
            );
            assert_eq!(e.computed_hash(), e.hash);
        }
    }
}

#[test]
fn entries_stay_small_to_move() {
    // A bulk add moves every entry several times: a large kind belongs in a Box.
    assert!(
        std::mem::size_of::<Change>() <= 256,
        "{}",
        std::mem::size_of::<Change>()
    );
}

#[test]
fn hex_round_trips() {
    let h = hash_bytes(b"abc");
    assert_eq!(
        h.to_hex(),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    assert_eq!(Hash::from_hex(&h.to_hex()), Some(h));
    assert_eq!(Hash::from_hex("zz"), None);
}
