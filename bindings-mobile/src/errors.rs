//! The refusals Kotlin and Swift receive: [`LedgerError`], one variant per error family of the
//! core, each with the core's stable code, the message in both languages and the error's
//! values by name; the one refusal this binding adds ([`POISONED_CODE`]); and the list of
//! every code the core can return.

use std::collections::HashMap;

use vl::ErrorFamily;
use volunteer_ledger as vl;

use crate::conversions::owned;

/// The code of the one refusal this binding adds: the ledger's lock was poisoned by a panic
/// in an earlier call, so its state can no longer be trusted.
pub const POISONED_CODE: &str = "E_LEDGER_POISONED";

/// Declares [`LedgerError`] from its list of families, written once: the enum, each variant
/// with the same five fields, and the private mappings between a variant and its family
/// (`ErrorParts::into_family`, `LedgerError::parts`). A variant's `code` has the plain doc
/// unless the variant gives its own, as `Family(code = "…")`.
macro_rules! ledger_error {
    (
        $(#[doc = $enum_doc:literal])*
        pub enum LedgerError { $($families:tt)* }
    ) => {
        ledger_error!(@docs [$($enum_doc)*] [] $($families)*);
    };
    // Gives each variant the doc of its `code`, one at a time, then declares them all.
    (@docs $enum_doc:tt [$($done:tt)*]
        $(#[doc = $doc:literal])* $family:ident (code = $code_doc:literal), $($rest:tt)*
    ) => {
        ledger_error!(@docs $enum_doc [$($done)* ([$($doc)*] $family $code_doc)] $($rest)*);
    };
    (@docs $enum_doc:tt [$($done:tt)*] $(#[doc = $doc:literal])* $family:ident, $($rest:tt)*) => {
        ledger_error!(
            @docs $enum_doc [$($done)* ([$($doc)*] $family "The core's stable code.")] $($rest)*
        );
    };
    (@docs [$($enum_doc:literal)*] [$(([$($doc:literal)*] $family:ident $code_doc:literal))*]) => {
        $(#[doc = $enum_doc])*
        #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
        pub enum LedgerError {
            $(
                $(#[doc = $doc])*
                #[error("{code}: {detail}")]
                $family {
                    #[doc = $code_doc]
                    code: String,
                    /// The core's message.
                    detail: String,
                    /// The message in English.
                    message_en: String,
                    /// The message in Chinese, with the same details.
                    message_zh: String,
                    /// The error's values by name (`record`, `actor`, `seq`, `detail` …), as text.
                    fields: HashMap<String, String>,
                },
            )*
        }

        impl ErrorParts {
            fn into_family(self, family: ErrorFamily) -> LedgerError {
                let Self {
                    code,
                    detail,
                    message_en,
                    message_zh,
                    fields,
                } = self;
                match family {
                    $(ErrorFamily::$family => LedgerError::$family {
                        code,
                        detail,
                        message_en,
                        message_zh,
                        fields,
                    },)*
                }
            }
        }

        impl LedgerError {
            /// The family, the code and the messages in English and Chinese, whatever the
            /// variant.
            fn parts(&self) -> (ErrorFamily, &str, &str, &str) {
                match self {
                    $(Self::$family { code, message_en, message_zh, .. } => {
                        (ErrorFamily::$family, code, message_en, message_zh)
                    })*
                }
            }
        }
    };
}

ledger_error! {
    /// Every refusal of the ledger, one variant per error family of the core. `code` is the core's
    /// stable machine code (`E_OVERLAP` …), `detail` the core's message (English and Chinese),
    /// `message_en` and `message_zh` its two halves, `fields` its values by name (the record …).
    ///
    /// Kotlin sees a sealed `LedgerException` with one subclass per family; Swift an error enum.
    pub enum LedgerError {
        /// A value the caller passed is malformed (an identity number, a period, an id, a field).
        Input,
        /// A service record breaks a rule of the policy.
        Validation,
        /// The actor may not make this change.
        Authorization,
        /// Something named does not exist.
        NotFound,
        /// Something with this id exists already, with other content.
        Conflict,
        /// The change does not fit the current state.
        State,
        /// The log or the ledger's state is damaged.
        Integrity(code = "The core's stable code (or `E_LEDGER_POISONED`, see [`POISONED_CODE`])."),
        /// A policy is malformed.
        Policy,
        /// A ledger file could not be opened, read or written; nothing was changed.
        Storage,
    }
}

impl From<vl::LedgerError> for LedgerError {
    fn from(e: vl::LedgerError) -> Self {
        let (message_en, message_zh) = e.messages();
        let parts = ErrorParts {
            code: e.code().to_owned(),
            detail: e.to_string(),
            message_en,
            message_zh,
            fields: e.fields().into_iter().collect(),
        };
        parts.into_family(e.family())
    }
}

/// What every variant of [`LedgerError`] holds.
struct ErrorParts {
    code: String,
    detail: String,
    message_en: String,
    message_zh: String,
    fields: HashMap<String, String>,
}

#[uniffi::export]
impl LedgerError {
    /// The core's stable code, whatever the family (each variant also holds it as `code`).
    pub fn code(&self) -> String {
        self.parts().1.to_owned()
    }

    /// The family of the refusal, as the variant says it.
    pub fn family(&self) -> ErrorFamily {
        self.parts().0
    }

    /// The message in English, whatever the family (each variant also holds it as
    /// `message_en`).
    pub fn message_en(&self) -> String {
        self.parts().2.to_owned()
    }

    /// The message in Chinese, whatever the family (each variant also holds it as
    /// `message_zh`).
    pub fn message_zh(&self) -> String {
        self.parts().3.to_owned()
    }
}

/// What the binding's calls return: a value, or a refusal as Kotlin and Swift receive it.
pub(crate) type Result<T, E = LedgerError> = std::result::Result<T, E>;

/// The refusal of a ledger whose lock an earlier call poisoned by panicking while it held it
/// (`E_LEDGER_POISONED`, family integrity): its state can no longer be trusted.
pub(crate) fn poisoned() -> LedgerError {
    let (en, zh) = (
        "an earlier call failed inside the ledger; its state is no longer trusted",
        "账本先前的操作异常中止，状态不再可信",
    );
    ErrorParts {
        code: POISONED_CODE.to_owned(),
        detail: format!("{en} / {zh}"),
        message_en: en.to_owned(),
        message_zh: zh.to_owned(),
        fields: HashMap::new(),
    }
    .into_family(ErrorFamily::Integrity)
}

/// Every error code the core can return.
#[uniffi::export]
pub fn error_codes() -> Vec<String> {
    owned(vl::LedgerError::ALL_CODES)
}
