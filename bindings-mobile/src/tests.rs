//! Tests of the binding through its Rust surface: refusals keep the core's code and family,
//! malformed ids and periods are input errors, transfers and certificates, a bulk add, and
//! identity keys lent by the platform or kept as masks only.

use std::sync::Arc;

use vl::{
    BoardKind, Clock, IdentityKind, NewOrg, NewRecord, NewVolunteer, Receipt, Scope, Timestamp,
};
use volunteer_ledger as vl;

use super::*;
use crate::errors::Result;

/// A ledger in memory, `L`, whose platform admin is `admin`.
pub(crate) fn ledger() -> Arc<Ledger> {
    let cfg = default_ledger_config("L".into(), "某区".into(), "admin".into()).unwrap();
    Ledger::in_memory(cfg).unwrap()
}

#[test]
fn core_errors_keep_their_code_and_family() {
    let e = period_info("2015-13".into()).unwrap_err();
    assert!(
        matches!(e, LedgerError::Input { ref code, .. } if code == "E_PERIOD"),
        "{e:?}"
    );
    let e = policy_profile("nowhere".into()).unwrap_err();
    assert!(
        matches!(e, LedgerError::Policy { ref code, .. } if code == "E_POLICY"),
        "{e:?}"
    );
}

#[test]
fn every_family_answers_its_code_family_and_both_messages() {
    let e = policy_profile("nowhere".into()).unwrap_err();
    let LedgerError::Policy {
        ref code,
        ref message_en,
        ref message_zh,
        ..
    } = e
    else {
        panic!("{e:?}")
    };
    assert_eq!(
        (e.code(), e.family(), e.message_en(), e.message_zh()),
        (
            code.clone(),
            vl::ErrorFamily::Policy,
            message_en.clone(),
            message_zh.clone()
        )
    );
    assert!(
        message_en.contains("nowhere") && message_zh.contains("nowhere"),
        "{e:?}"
    );
    let poisoned = crate::errors::poisoned();
    assert_eq!(poisoned.code(), POISONED_CODE);
    assert_eq!(poisoned.family(), vl::ErrorFamily::Integrity);
    assert!(
        poisoned.message_zh().contains("不再可信") && poisoned.message_en().contains("no longer")
    );
}

#[test]
fn malformed_ids_and_periods_are_input_errors() {
    let l = ledger();
    let e = l.record(String::new()).unwrap_err();
    assert!(
        matches!(e, LedgerError::Input { ref code, .. } if code == "E_FIELD"),
        "{e:?}"
    );
    let e = l
        .leaderboard("2015-W54".into(), Scope::All, BoardKind::Volunteers, 10)
        .unwrap_err();
    assert!(
        matches!(e, LedgerError::Input { ref code, .. } if code == "E_PERIOD"),
        "{e:?}"
    );
    let e = l.star_summary("V404".into()).unwrap_err();
    assert!(matches!(e, LedgerError::NotFound { ref code, .. } if code == "E_UNKNOWN_VOLUNTEER"));
}

#[test]
fn transfer_and_certificate_refusals_keep_their_code() {
    let e = certificate_from_json("{\"name\":\"张三\"".into()).unwrap_err();
    assert!(
        matches!(e, LedgerError::Integrity { ref code, ref detail, .. } if code == "E_CERTIFICATE_FORMAT" && !detail.contains("张三")),
        "{e:?}"
    );
    let bad = TrustedIssuer {
        ledger_id: String::new(),
        public_key: "00".into(),
    };
    let e = open_package("{}".into(), vec![bad]).unwrap_err();
    assert!(
        matches!(e, LedgerError::Input { ref code, .. } if code == "E_FIELD"),
        "{e:?}"
    );
    let e = open_package("not json".into(), vec![]).unwrap_err();
    assert!(
        matches!(e, LedgerError::Integrity { ref code, .. } if code == "E_TRANSFER_FORMAT"),
        "{e:?}"
    );
    let l = ledger();
    assert_eq!(l.public_key().unwrap(), None);
    let e = l.issuer().unwrap_err();
    assert!(
        matches!(e, LedgerError::State { ref code, .. } if code == "E_NO_SIGNING_KEY"),
        "{e:?}"
    );
    let e = l.set_signing_key("admin".into(), vec![1; 31]).unwrap_err();
    assert!(
        matches!(e, LedgerError::Input { ref code, .. } if code == "E_FIELD"),
        "{e:?}"
    );
    l.set_signing_key("admin".into(), vec![1; 32]).unwrap();
    let issuer = l.issuer().unwrap();
    l.trust_issuer("admin".into(), issuer.clone()).unwrap();
    assert_eq!(
        l.trusted_issuers().unwrap(),
        vec![TrustedIssuer {
            ledger_id: "L".into(),
            public_key: issuer.public_key
        }]
    );
}

#[test]
fn bulk_add_reports_each_record() {
    let l = ledger();
    let admin = "admin".to_owned();
    l.set_clock(Clock::Fixed(
        Timestamp::from_local(480, 2015, 6, 20, 12, 0).unwrap(),
    ))
    .unwrap();
    register(&l).unwrap();
    let t = |h| Timestamp::from_local(480, 2015, 6, 2, h, 0).unwrap();
    let rec = |id: &str, m| {
        NewRecord::new(
            id.parse().unwrap(),
            "V1".parse().unwrap(),
            "D".parse().unwrap(),
            t(9),
            t(12),
            m,
            "",
        )
    };
    let out = l
        .add_records(admin, vec![rec("R1", 180), rec("R2", 0)])
        .unwrap();
    assert!(matches!(out[0], RecordOutcome::Added { .. }));
    assert!(matches!(
        &out[1],
        RecordOutcome::Refused { error: LedgerError::Validation { code, .. } } if code == "E_ZERO_MINUTES"
    ));
    assert_eq!(l.head().unwrap().seq, 3);
}

/// A provider answering as told: a key of `len` bytes, or a throw.
struct Lender {
    len: usize,
    throws: bool,
}

impl KeyProvider for Lender {
    fn current(&self) -> std::result::Result<Option<String>, KeyProviderError> {
        Ok(Some("k1".into()))
    }
    fn key(&self, _id: String) -> std::result::Result<Option<Vec<u8>>, KeyProviderError> {
        if self.throws {
            return Err(KeyProviderError::Unavailable {
                detail: "keystore locked".into(),
            });
        }
        Ok(Some(vec![7; self.len]))
    }
}

/// Registers org D and volunteer V1 as `admin`: what the volunteer's registration returned.
fn register(l: &Ledger) -> Result<Receipt> {
    let org = NewOrg {
        id: "D".parse().unwrap(),
        name: "某区".into(),
        kind: vl::OrgKind::District,
        parent: None,
    };
    l.register_org("admin".into(), org).unwrap();
    l.register_volunteer(
        "admin".into(),
        NewVolunteer {
            id: "V1".parse().unwrap(),
            name: "张三".into(),
            identity_kind: IdentityKind::ResidentId,
            identity_number: "11010519491231002X".into(),
            home_org: None,
        },
    )
}

#[test]
fn a_wrong_length_or_throwing_provider_is_key_unavailable() {
    for (len, throws) in [(31, false), (33, false), (0, false), (32, true)] {
        let l = ledger();
        l.set_key_provider(Box::new(Lender { len, throws }))
            .unwrap();
        let e = register(&l).unwrap_err();
        assert!(
            matches!(e, LedgerError::State { ref code, .. } if code == "E_KEY_UNAVAILABLE"),
            "{len} {throws}: {e:?}"
        );
        // The ledger is not poisoned: it still answers.
        l.head().unwrap();
    }
    let l = ledger();
    l.set_key_provider(Box::new(Lender {
        len: 32,
        throws: false,
    }))
    .unwrap();
    register(&l).unwrap();
    assert!(l.has_identity_key().unwrap());
}

#[test]
fn a_device_ledger_registers_without_a_key() {
    let cfg = default_ledger_config("L".into(), "某区".into(), "admin".into()).unwrap();
    let l = Ledger::in_memory_device(cfg).unwrap();
    assert!(!l.has_identity_key().unwrap());
    register(&l).unwrap();
    assert_eq!(
        l.volunteer("V1".into()).unwrap().masked_identity,
        "110105********002X"
    );
}
