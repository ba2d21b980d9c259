//! Python binding of volunteer-ledger (the package `volunteer_ledger`, native module
//! `volunteer_ledger._native`).
//!
//! Thin by design: this crate converts arguments and results and maps errors. Every rule —
//! validation, authorisation, ranking, stars — lives in the core crate `volunteer-ledger`.
//!
//! - Times: a timezone-aware `datetime` is an instant; a naive one is read in the ledger's UTC
//!   offset. Results carry `datetime`s in the ledger's offset (a package opened by
//!   `open_package`, outside any ledger, in UTC). The core keeps whole seconds.
//! - Errors: every core error raises a subclass of `volunteer_ledger.LedgerError`, one per
//!   error family, with the core's stable `code`, its `family` name and its message.
//! - The core `Ledger` sits in a `Mutex`; every call locks it with the GIL released, so long
//!   calls (`verify`, `leaderboard_as_of`) let other Python threads run.
//!
//! The modules, by concept: `errors` (the exceptions), `conversions` (Python values as the
//! core takes them), `results` (what every result class shares), the result classes and
//! module functions of each concept (`records`, `record_results`, `boards`, `transfers`,
//! `certificates`, `signed_heads`, `sync`, `community`, `ratings`, `uploads`), `frames`
//! (DataFrames), `keys` (identity keys) and `ledger` (the `Ledger` class, its methods split
//! by concern).

// First: it declares `result_class!` and `nested_dict_value!`, which the modules below use.
#[macro_use]
mod results;

mod boards;
mod certificates;
mod community;
mod conversions;
mod errors;
mod frames;
mod keys;
mod ledger;
mod ratings;
mod record_results;
mod records;
mod signed_heads;
mod sync;
mod transfers;
mod uploads;

use pyo3::prelude::*;
use pyo3::types::PyTuple;
use volunteer_ledger as vl;

/// Native part of the `volunteer_ledger` package; import `volunteer_ledger` instead.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("PROFILES", PyTuple::new(py, vl::Policy::PROFILES)?)?;
    m.add("ERROR_CODES", PyTuple::new(py, vl::LedgerError::ALL_CODES)?)?;
    m.add("TRANSFER_FORMAT", vl::TRANSFER_FORMAT)?;

    m.add("LedgerError", py.get_type::<errors::LedgerError>())?;
    m.add("InputError", py.get_type::<errors::InputError>())?;
    m.add("ValidationError", py.get_type::<errors::ValidationError>())?;
    m.add(
        "AuthorizationError",
        py.get_type::<errors::AuthorizationError>(),
    )?;
    m.add("NotFoundError", py.get_type::<errors::NotFoundError>())?;
    m.add("ConflictError", py.get_type::<errors::ConflictError>())?;
    m.add("StateError", py.get_type::<errors::StateError>())?;
    m.add("IntegrityError", py.get_type::<errors::IntegrityError>())?;
    m.add("PolicyError", py.get_type::<errors::PolicyError>())?;
    m.add("StorageError", py.get_type::<errors::StorageError>())?;

    m.add_class::<ledger::PyLedger>()?;
    m.add_class::<records::Receipt>()?;
    m.add_class::<records::RecordReceipt>()?;
    m.add_class::<record_results::RecordResults>()?;
    m.add_class::<records::ServiceRecord>()?;
    m.add_class::<records::VolunteerView>()?;
    m.add_class::<boards::LevelReached>()?;
    m.add_class::<boards::StarSummary>()?;
    m.add_class::<boards::BoardEntry>()?;
    m.add_class::<boards::Leaderboard>()?;
    m.add_class::<boards::Standing>()?;
    m.add_class::<records::VerifyReport>()?;
    m.add_class::<boards::PeriodInfo>()?;
    m.add_class::<transfers::Issuer>()?;
    m.add_class::<transfers::TransferRecord>()?;
    m.add_class::<transfers::YearTotal>()?;
    m.add_class::<transfers::TransferPackage>()?;
    m.add_class::<transfers::TransferReceipt>()?;
    m.add_class::<sync::SyncResult>()?;
    m.add_class::<sync::SyncReceipt>()?;
    m.add_class::<sync::SyncRefusal>()?;
    m.add_class::<sync::SyncApplied>()?;
    m.add_class::<sync::SyncStatus>()?;
    m.add_class::<certificates::CertificateRecord>()?;
    m.add_class::<certificates::Certificate>()?;
    m.add_class::<certificates::CertificateCheck>()?;
    m.add_class::<certificates::CertificateTraining>()?;
    m.add_class::<certificates::CertificateCommendation>()?;
    m.add_class::<community::Org>()?;
    m.add_class::<community::Team>()?;
    m.add_class::<community::MemberPeriod>()?;
    m.add_class::<community::Project>()?;
    m.add_class::<community::Activity>()?;
    m.add_class::<community::Training>()?;
    m.add_class::<community::Commendation>()?;
    m.add_class::<community::VolunteerSummary>()?;
    m.add_class::<ratings::TeamFacts>()?;
    m.add_class::<ratings::CriterionLine>()?;
    m.add_class::<ratings::TeamScore>()?;
    m.add_class::<ratings::TeamRating>()?;
    m.add_class::<ratings::ExcellentCandidate>()?;
    m.add_class::<community::UnitStaffLine>()?;
    m.add_class::<community::UnitReport>()?;
    m.add_class::<community::CommunityVolunteer>()?;
    m.add_class::<community::Anomaly>()?;
    m.add_class::<uploads::RowProblem>()?;
    m.add_class::<uploads::ImportReport>()?;
    m.add_class::<uploads::SheetRecord>()?;
    m.add_class::<uploads::SheetRow>()?;
    m.add_class::<uploads::Sheet>()?;
    m.add_class::<signed_heads::SignedHead>()?;
    m.add_class::<signed_heads::InclusionProof>()?;
    m.add_class::<records::Warning>()?;

    m.add_function(wrap_pyfunction!(records::validate_identity, m)?)?;
    m.add_function(wrap_pyfunction!(records::mask_name, m)?)?;
    m.add_function(wrap_pyfunction!(records::mask_identity, m)?)?;
    m.add_function(wrap_pyfunction!(boards::period_info, m)?)?;
    m.add_function(wrap_pyfunction!(boards::periods_of, m)?)?;
    m.add_function(wrap_pyfunction!(boards::stars_for_minutes, m)?)?;
    m.add_function(wrap_pyfunction!(boards::rank_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(boards::policy_profile, m)?)?;
    m.add_function(wrap_pyfunction!(transfers::open_package, m)?)?;
    m.add_function(wrap_pyfunction!(transfers::package_hash, m)?)?;
    m.add_function(wrap_pyfunction!(
        certificates::verify_certificate_offline,
        m
    )?)?;
    m.add_function(wrap_pyfunction!(certificates::certificate_text, m)?)?;
    m.add_function(wrap_pyfunction!(certificates::certificate_html, m)?)?;
    m.add_function(wrap_pyfunction!(uploads::read_sheet, m)?)?;
    m.add_function(wrap_pyfunction!(ratings::team_scoring, m)?)?;
    m.add_function(wrap_pyfunction!(ratings::rate_team, m)?)?;
    Ok(())
}
