//! What every form of a certificate says in the same words: the title, the sentence that
//! certifies, hours, dates in Chinese, and the labels of an identity kind and of the issuing
//! ledger.

use super::clean::clean_line;
use crate::certificate::Certificate;
use crate::ids::IdentityKind;
use chrono::{Datelike, NaiveDate};

/// Title of the certificate, Chinese then English: the title the 2020 rules give it.
pub(super) const TITLE_ZH: &str = "志愿服务记录证明";
pub(super) const TITLE_EN: &str = "Certificate of Volunteer Service Record";

/// The sentence that certifies the service, in Chinese and in English.
pub(super) fn statement(c: &Certificate, total: &str) -> (String, String) {
    let name = clean_line(&c.name);
    (
        format!(
            "兹证明 {name} 于 {} 至 {} 期间参加志愿服务，累计服务时长 {total} 小时。特此证明。",
            date_zh(c.period_from),
            date_zh(c.period_to)
        ),
        format!(
            "This is to certify that {name} performed {total} hours of volunteer service \
             from {} to {}.",
            c.period_from, c.period_to
        ),
    )
}

/// A date as Chinese documents write it: `2015年1月1日`.
pub(super) fn date_zh(d: NaiveDate) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// Minutes as hours with one decimal, rounded down (150 → "2.5", 119 → "1.9").
pub(super) fn hours(minutes: u64) -> String {
    let tenths = u128::from(minutes) * 10 / 60;
    format!("{}.{}", tenths / 10, tenths % 10)
}

/// The Chinese and English names of an identity kind.
pub(super) fn identity_kind_names(kind: IdentityKind) -> (&'static str, &'static str) {
    match kind {
        IdentityKind::ResidentId => ("居民身份证", "Resident ID card"),
        IdentityKind::Passport => ("护照", "Passport"),
        IdentityKind::HkMacauPermit => (
            "港澳居民来往内地通行证",
            "Mainland Travel Permit for Hong Kong and Macao Residents",
        ),
        IdentityKind::TaiwanPermit => (
            "台湾居民来往大陆通行证",
            "Mainland Travel Permit for Taiwan Residents",
        ),
    }
}

/// The Chinese and English name of an identity kind, e.g. `居民身份证 / Resident ID card`.
pub(super) fn identity_kind_label(kind: IdentityKind) -> String {
    let (zh, en) = identity_kind_names(kind);
    format!("{zh} / {en}")
}

/// The issuing ledger's name and id, e.g. `某区 (district)`.
pub(super) fn ledger_label(c: &Certificate) -> String {
    format!(
        "{} ({})",
        clean_line(&c.ledger_name),
        clean_line(c.ledger_id.as_str())
    )
}
