//! The one error type of the core. Every refusal has a stable machine code (`E_…`) and a
//! message that names the thing at fault and the rule it broke, in English and Chinese.
//! Messages never carry a name or an identity number.

// Its parts: `ledger_error` (the variants and their messages), `codes` and `family` (what the
// bindings match on), `messages` (the two languages, the values by name), `clip` (how long a
// message grows), `numbers` (counts between signed and unsigned), `names` (the stable names of
// unit enums).
mod clip;
mod codes;
mod family;
mod ledger_error;
mod messages;
mod names;
mod numbers;

pub(crate) use clip::Clip;
pub use clip::MESSAGE_MAX_CHARS;
pub use ledger_error::LedgerError;
pub(crate) use names::named_enum;
pub use numbers::non_negative;
pub(crate) use numbers::{count, signed};

use std::fmt;

// `ErrorFamily` is defined here, not in `family`: the module path of a type the bindings take
// from UniFFI is part of their checksums.
/// The family an error belongs to; bindings map each family to one exception class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum ErrorFamily {
    /// A value the caller passed is malformed (an identity number, a period, a field).
    Input,
    /// A service record breaks a rule of the policy.
    Validation,
    /// The actor may not make this change.
    Authorization,
    /// Something named does not exist.
    NotFound,
    /// Something with this id exists already, with other content.
    Conflict,
    /// The change does not fit the current state (confirming a revoked record …).
    State,
    /// The log or a stored thing is damaged or unsupported.
    Integrity,
    /// A policy is malformed.
    Policy,
    /// A ledger file could not be read or written (missing, locked, full disk …).
    Storage,
}

crate::error::named_enum!(ErrorFamily, "error family", {
    Input => "input",
    Validation => "validation",
    Authorization => "authorization",
    NotFound => "not_found",
    Conflict => "conflict",
    State => "state",
    Integrity => "integrity",
    Policy => "policy",
    Storage => "storage",
});

/// The result type of the core.
pub type Result<T, E = LedgerError> = std::result::Result<T, E>;

/// A helper to build [`LedgerError::InvalidField`].
pub(crate) fn invalid_field(
    what: impl fmt::Display,
    field: &str,
    detail: impl Into<String>,
) -> LedgerError {
    LedgerError::InvalidField {
        what: what.to_string(),
        field: field.to_owned(),
        detail: detail.into(),
    }
}

/// What kind of JSON problem, without quoting the text.
pub(crate) fn json_problem(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Io => "unreadable",
        serde_json::error::Category::Syntax => "not JSON",
        serde_json::error::Category::Data => "a field is missing, unknown or of the wrong type",
        serde_json::error::Category::Eof => "cut short",
    }
}

#[cfg(test)]
mod tests;
