//! Typed identifiers, identity documents and masking.
//!
//! A person's public key is the volunteer number ([`VolunteerId`]); an identity number is
//! validated at registration and stored, but leaves the core only masked
//! ([`mask_identity`], [`mask_name`]) except on a certificate.

use crate::error::{LedgerError, Result, invalid_field};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Checks and wraps an id: 1–64 characters, no control characters, no leading or
            /// trailing whitespace.
            pub fn new(id: impl Into<String>) -> Result<Self> {
                let id = id.into();
                check_id($what, &id)?;
                Ok(Self(id))
            }
            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
            /// Checks the id again: ids that arrive through a binding's type conversion are
            /// wrapped unchecked and checked here, by the ledger, so that a bad one is refused
            /// with the core's error rather than a conversion failure.
            pub fn check(&self) -> Result<()> {
                check_id($what, &self.0)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = LedgerError;
            fn try_from(s: String) -> Result<Self> {
                Self::new(s)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl std::str::FromStr for $name {
            type Err = LedgerError;
            fn from_str(s: &str) -> Result<Self> {
                Self::new(s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = LedgerError;
            fn try_from(s: &str) -> Result<Self> {
                Self::new(s)
            }
        }

        #[cfg(feature = "uniffi")]
        uniffi::custom_type!($name, String, {
            lower: |id| id.0,
            // Unchecked here: the ledger checks every id of a change (`check`) and refuses a
            // bad one with E_FIELD, where a failed conversion could only be an internal error.
            try_lift: |s| Ok($name(s)),
        });
    };
}

fn check_id(what: &str, id: &str) -> Result<()> {
    // Nearly every id is short ASCII: one pass. (For ASCII, the control characters are
    // below 0x20 and 0x7f, and every whitespace but the space is one of them.)
    if id.len() <= 64
        && !id.starts_with(' ')
        && !id.ends_with(' ')
        && id.bytes().all(|b| (0x20..0x7f).contains(&b))
        && !id.is_empty()
    {
        return Ok(());
    }
    if id.is_empty() {
        return Err(invalid_field(what, "id", "is empty"));
    }
    if id.chars().count() > 64 {
        return Err(invalid_field(what, "id", "is longer than 64 characters"));
    }
    if id.chars().any(char::is_control) || id.trim() != id {
        return Err(invalid_field(
            what,
            "id",
            "holds control characters or surrounding spaces",
        ));
    }
    Ok(())
}

string_id!(
    /// A volunteer number (志愿者编号): the public key of a person in every ledger.
    VolunteerId, "volunteer"
);
string_id!(
    /// An organisation's id (district, street, community, neighbourhood, work unit …).
    OrgId, "org"
);
string_id!(
    /// A volunteer team's id (志愿服务队).
    TeamId, "team"
);
string_id!(
    /// An activity's id (活动).
    ActivityId, "activity"
);
string_id!(
    /// A service project's id (服务项目), published by an org and claimed by a team.
    ProjectId, "project"
);
string_id!(
    /// A training session attended (培训情况), recorded like service.
    TrainingId, "training"
);
string_id!(
    /// A commendation received (表彰奖励).
    CommendationId, "commendation"
);
string_id!(
    /// A service record's id. Clients may make their own (a phone offline, a sheet row's key),
    /// so sending the same record twice records it once.
    RecordId, "record"
);
string_id!(
    /// A ledger's id (one district's or platform's ledger).
    LedgerId, "ledger"
);
string_id!(
    /// Whoever makes a change: an admin account, a recorder, or a volunteer (whose actor id is
    /// their volunteer number).
    ActorId, "actor"
);

impl ActorId {
    /// The actor that a volunteer acts as: the same text as their volunteer number.
    pub fn of_volunteer(v: &VolunteerId) -> Self {
        Self(v.0.clone())
    }
}

/// The kind of an identity document (证件类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum IdentityKind {
    /// Resident identity card (居民身份证), GB 11643: 18 characters with a check digit.
    /// Also the residence permits for Hong Kong, Macau and Taiwan residents (港澳台居民居住证),
    /// which use the same number format.
    ResidentId,
    /// Passport (护照): 5–17 letters and digits.
    Passport,
    /// Mainland travel permit for Hong Kong and Macau residents (港澳居民来往内地通行证):
    /// `H` or `M` followed by 8 or 10 digits.
    HkMacauPermit,
    /// Mainland travel permit for Taiwan residents (台湾居民来往大陆通行证): 8 or 10 digits.
    TaiwanPermit,
}

crate::error::named_enum!(IdentityKind, "identity", {
    ResidentId => "resident_id",
    Passport => "passport",
    HkMacauPermit => "hk_macau_permit",
    TaiwanPermit => "taiwan_permit",
});

/// A validated identity document: its kind and its normalised number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Identity {
    kind: IdentityKind,
    number: Box<str>,
}

impl Identity {
    /// Validates and normalises an identity number of the given kind.
    ///
    /// Resident ids: 18 characters, 17 digits and a check character (`0`–`9` or `X`; a lower
    /// case `x` is accepted and stored upper case), a real birth date, and the GB 11643 check
    /// digit. Refuses with `E_IDENTITY_FORMAT`, `E_IDENTITY_BIRTH_DATE` or
    /// `E_IDENTITY_CHECKSUM`; messages never repeat the number.
    ///
    /// ```
    /// use volunteer_ledger::{Identity, IdentityKind};
    /// let id = Identity::new(IdentityKind::ResidentId, "11010519491231002x").unwrap();
    /// assert_eq!(id.number(), "11010519491231002X");
    /// assert_eq!(id.masked(), "110105********002X");
    /// assert_eq!(
    ///     Identity::new(IdentityKind::ResidentId, "110105194912310021").unwrap_err().code(),
    ///     "E_IDENTITY_CHECKSUM"
    /// );
    /// ```
    pub fn new(kind: IdentityKind, number: &str) -> Result<Self> {
        Self::new_at(kind, number, chrono::Utc::now().date_naive())
    }

    /// As [`Identity::new`], with "today" given: the ledger passes the local date of the change,
    /// so that replaying a log anywhere, at any time, judges a birth date the same way.
    pub fn new_at(kind: IdentityKind, number: &str, today: NaiveDate) -> Result<Self> {
        let number = validate_identity_at(kind, number, today)?.into_boxed_str();
        Ok(Self { kind, number })
    }

    /// The kind of document.
    pub fn kind(&self) -> IdentityKind {
        self.kind
    }

    /// The full number. Only certificates may show it; everything else uses [`Self::masked`].
    pub fn number(&self) -> &str {
        &self.number
    }

    /// The number masked for display: first 6 and last 4 characters kept.
    pub fn masked(&self) -> String {
        mask_identity(&self.number)
    }

    /// The birth date held in a resident id number.
    pub fn birth_date(&self) -> Option<NaiveDate> {
        match self.kind {
            IdentityKind::ResidentId => birth_date_of(&self.number).ok(),
            _ => None,
        }
    }
}

/// The GB 11643 weights of the first 17 digits.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each remainder 0..=10.
const CHECK_CHARS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

/// The GB 11643 check character of the first 17 digits, or `None` if they are not 17 digits.
///
/// ```
/// assert_eq!(volunteer_ledger::resident_id_check_char("11010519491231002"), Some('X'));
/// ```
pub fn resident_id_check_char(first17: &str) -> Option<char> {
    if first17.len() != 17 || !first17.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = first17
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    CHECK_CHARS.get((sum % 11) as usize).copied()
}

fn birth_date_of(number: &str) -> Result<NaiveDate> {
    let part = |r: std::ops::Range<usize>| number.get(r).and_then(|s| s.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (part(6..10), part(10..12), part(12..14)) else {
        return Err(LedgerError::IdentityBirthDate {
            detail: "not digits".into(),
        });
    };
    let year = i32::try_from(y).unwrap_or(0);
    if year < 1900 {
        return Err(LedgerError::IdentityBirthDate {
            detail: "year before 1900".into(),
        });
    }
    NaiveDate::from_ymd_opt(year, m, d).ok_or_else(|| LedgerError::IdentityBirthDate {
        detail: "no such calendar date".into(),
    })
}

/// Validates an identity number of a kind and returns it normalised (trimmed, upper case).
/// A birth date later than today (in UTC) is refused as not real.
pub fn validate_identity(kind: IdentityKind, number: &str) -> Result<String> {
    validate_identity_at(kind, number, chrono::Utc::now().date_naive())
}

/// As [`validate_identity`], with "today" given.
pub fn validate_identity_at(kind: IdentityKind, number: &str, today: NaiveDate) -> Result<String> {
    let n: String = number.trim().to_ascii_uppercase();
    let fmt_err = |detail: &str| LedgerError::IdentityFormat {
        kind: kind.as_str().to_owned(),
        detail: detail.to_owned(),
    };
    let alnum = n.bytes().all(|b| b.is_ascii_alphanumeric());
    match kind {
        IdentityKind::ResidentId => {
            if n.len() != 18 || !n.is_ascii() {
                return Err(fmt_err("must be 18 characters"));
            }
            let (body, check) = n.split_at(17);
            if !body.bytes().all(|b| b.is_ascii_digit()) {
                return Err(fmt_err("the first 17 characters must be digits"));
            }
            if !check.bytes().all(|b| b.is_ascii_digit() || b == b'X') {
                return Err(fmt_err("the last character must be a digit or X"));
            }
            let birth = birth_date_of(&n)?;
            if birth > today {
                return Err(LedgerError::IdentityBirthDate {
                    detail: "lies in the future".into(),
                });
            }
            if resident_id_check_char(body).map(String::from).as_deref() != Some(check) {
                return Err(LedgerError::IdentityChecksum);
            }
        }
        IdentityKind::Passport => {
            if !(5..=17).contains(&n.len()) || !alnum {
                return Err(fmt_err("must be 5 to 17 letters and digits"));
            }
        }
        IdentityKind::HkMacauPermit => {
            let rest = n.strip_prefix('H').or_else(|| n.strip_prefix('M'));
            let ok = rest.is_some_and(|r| {
                (r.len() == 8 || r.len() == 10) && r.bytes().all(|b| b.is_ascii_digit())
            });
            if !ok {
                return Err(fmt_err("must be H or M followed by 8 or 10 digits"));
            }
        }
        IdentityKind::TaiwanPermit => {
            if !(n.len() == 8 || n.len() == 10) || !n.bytes().all(|b| b.is_ascii_digit()) {
                return Err(fmt_err("must be 8 or 10 digits"));
            }
        }
    }
    Ok(n)
}

/// Masks a name for display: its first character followed by `*`.
///
/// ```
/// assert_eq!(volunteer_ledger::mask_name("张三丰"), "张*");
/// assert_eq!(volunteer_ledger::mask_name(""), "*");
/// ```
pub fn mask_name(name: &str) -> String {
    let mut out: String = name.trim().chars().take(1).collect();
    out.push('*');
    out
}

/// Masks an identity number: the first 6 and last 4 characters stay, the rest become `*`.
/// Numbers of 10 characters or fewer keep only their first and last character.
///
/// ```
/// assert_eq!(volunteer_ledger::mask_identity("11010519491231002X"), "110105********002X");
/// assert_eq!(volunteer_ledger::mask_identity("E12345678"), "E*******8");
/// ```
pub fn mask_identity(number: &str) -> String {
    let n = number.chars().count();
    let (head, tail) = if n > 10 {
        (6, 4)
    } else if n > 2 {
        (1, 1)
    } else {
        (0, 0)
    };
    let mut masked = String::with_capacity(number.len());
    for (i, c) in number.chars().enumerate() {
        masked.push(if i < head || i >= n - tail { c } else { '*' });
    }
    masked
}

/// Age in whole years on a date, from a birth date.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> i32 {
    let mut age = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        age -= 1;
    }
    age
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_of_the_standard_example() {
        assert_eq!(resident_id_check_char("11010519491231002"), Some('X'));
        assert!(Identity::new(IdentityKind::ResidentId, "11010519491231002X").is_ok());
    }

    #[test]
    fn lower_case_x_is_normalised() {
        let id = Identity::new(IdentityKind::ResidentId, " 11010519491231002x ").unwrap();
        assert_eq!(id.number(), "11010519491231002X");
    }

    #[test]
    fn bad_birth_dates_are_refused() {
        // 1949-02-30 does not exist; fix the check digit so only the date is wrong.
        let body = "11010519490230002";
        let n = format!("{body}{}", resident_id_check_char(body).unwrap());
        assert_eq!(
            Identity::new(IdentityKind::ResidentId, &n)
                .unwrap_err()
                .code(),
            "E_IDENTITY_BIRTH_DATE"
        );
    }

    #[test]
    fn other_kinds_are_format_checked() {
        assert!(Identity::new(IdentityKind::HkMacauPermit, "H12345678").is_ok());
        assert!(Identity::new(IdentityKind::HkMacauPermit, "X12345678").is_err());
        assert!(Identity::new(IdentityKind::TaiwanPermit, "12345678").is_ok());
        assert!(Identity::new(IdentityKind::Passport, "E1234").is_ok());
        assert!(Identity::new(IdentityKind::Passport, "E12-34").is_err());
    }

    #[test]
    fn error_messages_do_not_repeat_the_number() {
        let e = Identity::new(IdentityKind::ResidentId, "110105194912310021").unwrap_err();
        assert!(!e.to_string().contains("110105194912310021"));
    }

    #[test]
    fn ids_refuse_empty_and_control_characters() {
        assert_eq!(VolunteerId::new("").unwrap_err().code(), "E_FIELD");
        assert!(VolunteerId::new("a\nb").is_err());
        assert!(VolunteerId::new(" V1").is_err());
        assert!(VolunteerId::new("V1").is_ok());
    }
}
