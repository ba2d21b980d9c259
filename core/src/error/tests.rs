//! The messages' bounds, halves and fields, for every variant.

use super::clip::TEXT;
use super::*;

/// Every variant, each text in it `h`.
fn every_variant(h: &str) -> Vec<LedgerError> {
    let h = h.to_owned();
    vec![
        LedgerError::IdentityFormat {
            kind: h.clone(),
            detail: h.clone(),
        },
        LedgerError::IdentityChecksum,
        LedgerError::IdentityBirthDate { detail: h.clone() },
        LedgerError::InvalidPeriod {
            text: h.clone(),
            detail: h.clone(),
        },
        LedgerError::InvalidField {
            what: h.clone(),
            field: h.clone(),
            detail: h.clone(),
        },
        LedgerError::EndNotAfterStart { record: h.clone() },
        LedgerError::MinutesExceedSpan {
            record: h.clone(),
            minutes: i64::MAX,
            span: i64::MAX,
        },
        LedgerError::ZeroMinutes { record: h.clone() },
        LedgerError::Future { record: h.clone() },
        LedgerError::Overlap {
            record: h.clone(),
            other: h.clone(),
        },
        LedgerError::DailyCap {
            record: h.clone(),
            day: h.clone(),
            total: u64::MAX,
            cap: i32::MAX,
        },
        LedgerError::CheckInLimit {
            record: h.clone(),
            day: h.clone(),
            limit: i32::MAX,
        },
        LedgerError::PaidService { record: h.clone() },
        LedgerError::JobDuty { record: h.clone() },
        LedgerError::NotPublicBenefit { record: h.clone() },
        LedgerError::MakeUpNeedsOrgAdmin {
            record: h.clone(),
            window: i32::MAX,
        },
        LedgerError::Forbidden {
            actor: h.clone(),
            action: h.clone(),
            rule: h.clone(),
        },
        LedgerError::SelfConfirm { record: h.clone() },
        LedgerError::UnknownVolunteer { id: h.clone() },
        LedgerError::UnknownOrg { id: h.clone() },
        LedgerError::UnknownTeam { id: h.clone() },
        LedgerError::UnknownRecord { id: h.clone() },
        LedgerError::UnknownEntry {
            seq: u64::MAX,
            len: u64::MAX,
        },
        LedgerError::Duplicate {
            what: h.clone(),
            id: h.clone(),
        },
        LedgerError::DuplicateIdentity { id: h.clone() },
        LedgerError::RecordIdConflict { record: h.clone() },
        LedgerError::InvalidState {
            record: h.clone(),
            state: h.clone(),
            action: h.clone(),
        },
        LedgerError::ChainBroken {
            seq: u64::MAX,
            detail: h.clone(),
        },
        LedgerError::ReplayRefused {
            seq: u64::MAX,
            detail: h.clone(),
        },
        LedgerError::Storage {
            path: h.clone(),
            detail: h.clone(),
            detail_zh: h.clone(),
        },
        LedgerError::SchemaVersion {
            path: h.clone(),
            found: i64::MAX,
            supported: i64::MAX,
        },
        LedgerError::NotALedger {
            path: h.clone(),
            detail: h.clone(),
        },
        LedgerError::TransferFormat { detail: h.clone() },
        LedgerError::TransferVersion { found: h.clone() },
        LedgerError::UntrustedIssuer { ledger: h.clone() },
        LedgerError::BadSignature,
        LedgerError::NoSigningKey,
        LedgerError::TransferIdentity {
            volunteer: h.clone(),
        },
        LedgerError::TransferDestination {
            destination: h.clone(),
        },
        LedgerError::TransferredOut {
            volunteer: h.clone(),
        },
        LedgerError::SyncFormat {
            what: h.clone(),
            detail: h.clone(),
        },
        LedgerError::SyncVersion { found: h.clone() },
        LedgerError::SyncActor {
            actor: h.clone(),
            sender: h.clone(),
        },
        LedgerError::SyncDevice {
            device: h.clone(),
            this: h.clone(),
        },
        LedgerError::CertificateFormat { detail: h.clone() },
        LedgerError::CertificateTemplate {
            line: u64::MAX,
            detail: h.clone(),
            detail_zh: h.clone(),
        },
        LedgerError::UnknownCertificate { code: h.clone() },
        LedgerError::AlreadyMember {
            team: h.clone(),
            volunteer: h.clone(),
        },
        LedgerError::NotMember {
            team: h.clone(),
            volunteer: h.clone(),
        },
        LedgerError::OfficerLeaves {
            team: h.clone(),
            volunteer: h.clone(),
        },
        LedgerError::TeamOrg {
            what: h.clone(),
            team: h.clone(),
            org: h.clone(),
        },
        LedgerError::UnknownActivity { id: h.clone() },
        LedgerError::UnknownProject { id: h.clone() },
        LedgerError::ProjectClaimed {
            project: h.clone(),
            team: h.clone(),
        },
        LedgerError::ProjectTeam {
            activity: h.clone(),
            project: h.clone(),
            team: h.clone(),
        },
        LedgerError::ActivityMismatch {
            record: h.clone(),
            activity: h.clone(),
            field: h.clone(),
        },
        LedgerError::MakeUpExceedsActivity {
            record: h.clone(),
            activity: h.clone(),
            minutes: i64::MAX,
            planned: i64::MAX,
        },
        LedgerError::EvaluationScore {
            activity: h.clone(),
            score: i32::MAX,
        },
        LedgerError::OrgKind {
            org: h.clone(),
            expected: h.clone(),
            expected_zh: h.clone(),
        },
        LedgerError::FourEyes {
            record: h.clone(),
            minutes: u32::MAX,
            threshold: i32::MAX,
        },
        LedgerError::OwnRecord {
            record: h.clone(),
            action: h.clone(),
            action_zh: h.clone(),
        },
        LedgerError::UploadTooLarge {
            what: h.clone(),
            what_zh: h.clone(),
            limit: u64::MAX,
        },
        LedgerError::SyncUnsigned { detail: h.clone() },
        LedgerError::SyncNoServer,
        LedgerError::KeyUnavailable { what: h.clone() },
        LedgerError::IdentityErased {
            volunteer: h.clone(),
        },
        LedgerError::CheckpointMismatch {
            size: u64::MAX,
            detail: h.clone(),
        },
        LedgerError::CheckpointFormat { detail: h.clone() },
        LedgerError::SyncUntrustedServer { ledger: h.clone() },
        LedgerError::SyncReceiptBatch { batch: h.clone() },
        LedgerError::SyncReceiptRecords {
            batch: h.clone(),
            detail: h.clone(),
        },
        LedgerError::Policy { detail: h.clone() },
    ]
}

#[test]
fn every_message_is_bounded_whatever_its_values() {
    for h in [
        "x".repeat(1 << 20),
        "志".repeat(300_000),
        "a b ".repeat(100_000),
    ] {
        let all = every_variant(&h);
        let mut codes: Vec<&str> = all.iter().map(LedgerError::code).collect();
        let mut want = LedgerError::ALL_CODES.to_vec();
        codes.sort_unstable();
        want.sort_unstable();
        assert_eq!(codes, want, "every variant is tried");
        for e in &all {
            let m = e.to_string();
            assert!(
                m.chars().count() <= MESSAGE_MAX_CHARS,
                "{}: {} characters",
                e.code(),
                m.chars().count()
            );
        }
    }
}

#[test]
fn every_message_has_an_english_and_a_chinese_half_with_the_same_details() {
    let value = "Qx7";
    let cjk = |c: char| ('\u{4E00}'..='\u{9FFF}').contains(&c);
    let mut wrong = Vec::new();
    for e in every_variant(value) {
        let (en, zh) = e.messages();
        let fits = !en.chars().any(cjk)
            && zh.chars().next().is_some_and(cjk)
            && e.to_string() == format!("{en} / {zh}")
            && zh.matches(value).count() >= en.matches(value).count();
        if !fits {
            wrong.push(format!("{}: {en:?} / {zh:?}", e.code()));
        }
    }
    // The English half has no Chinese; the Chinese half begins in Chinese (so that the two
    // are told apart) and gives every detail the English half gives.
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn fields_name_each_value_of_an_error_and_cut_long_ones() {
    let e = LedgerError::Overlap {
        record: "R1".into(),
        other: "R0".into(),
    };
    let fields = e.fields();
    assert_eq!(fields.get("record").map(String::as_str), Some("R1"));
    assert_eq!(fields.get("other").map(String::as_str), Some("R0"));
    assert_eq!(fields.len(), 2);
    assert!(LedgerError::IdentityChecksum.fields().is_empty());
    let e = LedgerError::UnknownEntry { seq: 7, len: 3 };
    assert_eq!(e.fields().get("seq").map(String::as_str), Some("7"));
    for e in every_variant(&"x".repeat(1 << 16)) {
        assert!(
            e.fields().values().all(|v| v.chars().count() <= TEXT),
            "{}",
            e.code()
        );
    }
}

#[test]
fn short_values_are_shown_whole_and_long_ones_cut_with_an_ellipsis() {
    let id = "V".repeat(64);
    let e = LedgerError::UnknownVolunteer { id: id.clone() };
    assert_eq!(
        e.to_string(),
        format!("volunteer {id} is not registered / 志愿者 {id} 未注册")
    );
    let e = LedgerError::UnknownVolunteer { id: "V".repeat(65) };
    let cut = format!("{}…", "V".repeat(63));
    assert_eq!(
        e.to_string(),
        format!("volunteer {cut} is not registered / 志愿者 {cut} 未注册")
    );
    assert_eq!(Clip(&"志愿者编号", 3).to_string(), "志愿…");
    assert_eq!(Clip(&"志愿者", 3).to_string(), "志愿者");
    assert_eq!(Clip(&12345, 3).to_string(), "12…");
}
