//! Values between Kotlin or Swift and the core: ids and periods parsed from text with the
//! core's own parsers (so that a malformed one is refused with the core's code, `E_FIELD` or
//! `E_PERIOD`, not as a lift failure), counts and sequence numbers made signed, and the core's
//! fixed names copied out.

use volunteer_ledger as vl;

use crate::errors::{LedgerError, Result};

/// Parses an id or a period with the core's own parser, so a refusal carries the core's code.
pub(crate) fn parse<T: std::str::FromStr<Err = vl::LedgerError>>(text: &str) -> Result<T> {
    text.parse().map_err(LedgerError::from)
}

/// Parses an optional id: `None` stays `None`, a malformed one is refused with `E_FIELD`.
pub(crate) fn parse_opt<T: std::str::FromStr<Err = vl::LedgerError>>(
    text: Option<String>,
) -> Result<Option<T>> {
    text.as_deref().map(parse).transpose()
}

/// A count or a sequence number as the `i64` Kotlin and Swift take (they have no unsigned
/// 64-bit type): exact below `i64::MAX`, which no ledger reaches.
pub(crate) fn signed<T>(n: T) -> i64
where
    i64: TryFrom<T>,
{
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A list of the core's fixed names (profiles, codes) as owned strings.
pub(crate) fn owned(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}
