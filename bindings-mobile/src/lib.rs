//! The Kotlin and Swift binding of volunteer-ledger, through UniFFI (proc-macro, library mode).
//!
//! Thin by design: the data types (`NewRecord`, `Leaderboard`, `StarSummary` …) are the core's
//! own, derived for UniFFI behind the core's `uniffi` feature. This crate adds only what cannot
//! live in the core: the [`Ledger`] object (the core ledger behind a mutex, since foreign
//! callers share it across threads), the [`LedgerError`] exception family, a few small records
//! for what the core returns as tuples ([`LogHead`], [`TrustedIssuer`], [`RankedPair`]), and
//! free functions that forward to the core's pure rules, and the [`KeyProvider`] callback
//! interface through which the platform lends the ledger its identity keys. No rule lives here.
//!
//! Ids and periods are taken as strings and parsed here, so that a malformed one is refused
//! with the core's code (`E_FIELD`, `E_PERIOD`) as a [`LedgerError`], not as a lift failure.
//!
//! The modules, by concept: `errors` (the exception family), `conversions` (values between
//! the foreign side and the core), `keys` (the platform's key provider), `ledger` (the
//! [`Ledger`] object, its methods split by concern in the files of that folder), and the free
//! functions of each concept: `policy`, `identity`, `boards`, `transfers` (with certificates),
//! `sync` and `signed_heads`.

// The error is what Kotlin and Swift receive (code, both messages, the values by name): it is
// lowered into a buffer at the boundary on the rare refusal, so its size costs nothing that
// boxing it would save.
#![allow(clippy::result_large_err)]

mod boards;
mod conversions;
mod errors;
mod identity;
mod keys;
mod ledger;
mod policy;
mod progress;
mod signed_heads;
mod sync;
#[cfg(test)]
mod tests;
mod transfers;

pub use boards::{
    RankPair, RankedPair, leaderboard_file, parse_scope, period_info, periods_of, rank_pairs,
    stars_for_minutes,
};
pub use errors::{LedgerError, POISONED_CODE, error_codes};
pub use identity::{mask_identity, mask_name, validate_identity};
pub use keys::{KeyProvider, KeyProviderError};
pub use ledger::{Ledger, LogHead, RecordOutcome};
pub use policy::{
    default_import_options, default_ledger_config, policy_profile, policy_profile_names, rate_team,
    team_scoring_profile, team_scoring_profile_names,
};
pub use progress::{ProgressListener, ProgressListenerError};
pub use signed_heads::{
    merkle_root, merkle_verify_consistency, merkle_verify_inclusion, signed_head_check,
    signed_head_check_extended_by, signed_head_check_inclusion, signed_head_from_json,
    signed_head_signed_bytes, signed_head_to_json,
};
pub use sync::{
    sync_batch_from_json, sync_batch_to_json, sync_receipt_from_json, sync_receipt_to_json,
};
pub use transfers::{
    TrustedIssuer, certificate_from_json, certificate_html, certificate_html_with_template,
    certificate_qr_payload, certificate_text, certificate_to_json, check_certificate_qr,
    default_certificate_template, open_package, package_hash, verify_certificate_offline,
};

uniffi::setup_scaffolding!();
