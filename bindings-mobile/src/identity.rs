//! Identity numbers and names outside any ledger: validating a number of a kind, and masking
//! a number or a name as a ledger shows them.

use vl::IdentityKind;
use volunteer_ledger as vl;

use crate::errors::Result;

/// Validates an identity number of a kind and returns it normalised (trimmed, upper case).
#[uniffi::export]
pub fn validate_identity(kind: IdentityKind, number: String) -> Result<String> {
    Ok(vl::validate_identity(kind, &number)?)
}

/// Masks an identity number: first 6 and last 4 characters kept (short numbers: first and last).
#[uniffi::export]
pub fn mask_identity(number: String) -> String {
    vl::mask_identity(&number)
}

/// Masks a name: its first character followed by `*`.
#[uniffi::export]
pub fn mask_name(name: String) -> String {
    vl::mask_name(&name)
}
