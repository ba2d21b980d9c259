//! Counts, limits and sequence numbers between the signed integers the bindings use and the
//! unsigned ones the rules count in.

use super::{Result, invalid_field};

/// A count or a sequence number as the signed integer the bindings give Java callers (which
/// have no unsigned types): exact below `i64::MAX`, which no ledger reaches.
pub(crate) fn signed(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A count, limit or sequence number given as a signed integer (as Java callers of the
/// bindings give them) for a rule that needs it unsigned: a negative one, or one beyond
/// `T`'s range, is refused with `E_FIELD` naming `field`.
///
/// ```
/// use volunteer_ledger::error::non_negative;
/// assert_eq!(non_negative::<u32>("limit", 10), Ok(10));
/// assert_eq!(non_negative::<u32>("limit", -1).unwrap_err().code(), "E_FIELD");
/// assert_eq!(non_negative::<u32>("limit", i64::from(u32::MAX) + 1).unwrap_err().code(), "E_FIELD");
/// assert_eq!(non_negative::<u64>("seq", 0), Ok(0));
/// ```
pub fn non_negative<T: TryFrom<i64>>(field: &str, value: i64) -> Result<T> {
    T::try_from(value).map_err(|_| {
        invalid_field(
            "argument",
            field,
            if value < 0 {
                format!("{value} is negative")
            } else {
                format!("{value} is too large")
            },
        )
    })
}

/// A signed number of the policy or of the bindings' types, as the unsigned number a rule
/// counts in; validation refuses negatives before any rule reads them, and a negative one
/// that slipped through counts as zero rather than wrapping around.
pub(crate) fn count(x: impl Into<i64>) -> u64 {
    u64::try_from(x.into()).unwrap_or(0)
}
