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
//! - Result classes: most are the core's own types, made Python classes by its `python`
//!   feature (`volunteer_ledger::python`); the binding declares only those whose shape is not
//!   a core type's (`result_class!`: times in the ledger's offset, a flattened record, a
//!   tagged outcome).
//!
//! The modules, by concept: `errors` (the exceptions), `conversions` (Python values as the
//! core takes them), `results` (`result_class!`), the binding's own result classes and the
//! module functions of each concept (`records`, `record_results`, `boards`, `transfers`,
//! `certificates`, `sync`, `community`, `ratings`, `uploads`), `sheet_sources` (a sheet's contents: bytes, a path or a file), `frames` (DataFrames of
//! records), `keys` (identity keys) and `ledger` (the `Ledger` class, its methods split by
//! concern).

// First: it declares `result_class!`, which the modules below use.
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
mod progress;
mod ratings;
mod record_results;
mod records;
mod sheet_sources;
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
    vl::python::raise_with(errors::ledger_err);
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("PROFILES", PyTuple::new(py, vl::Policy::PROFILES)?)?;
    m.add(
        "SHIPPED_CALENDARS",
        PyTuple::new(py, vl::SHIPPED_CALENDARS)?,
    )?;
    m.add("ERROR_CODES", PyTuple::new(py, vl::LedgerError::ALL_CODES)?)?;
    let families = vl::ErrorFamily::ALL.iter().map(|f| f.as_str());
    m.add("ERROR_FAMILIES", PyTuple::new(py, families)?)?;
    m.add("TRANSFER_FORMAT", vl::TRANSFER_FORMAT)?;

    m.add("LedgerError", py.get_type::<errors::LedgerError>())?;
    m.add("InputError", errors::InputError::type_object(py)?)?;
    m.add("ValidationError", errors::ValidationError::type_object(py)?)?;
    m.add(
        "AuthorizationError",
        errors::AuthorizationError::type_object(py)?,
    )?;
    m.add("NotFoundError", errors::NotFoundError::type_object(py)?)?;
    m.add("ConflictError", py.get_type::<errors::ConflictError>())?;
    m.add("StateError", py.get_type::<errors::StateError>())?;
    m.add("IntegrityError", py.get_type::<errors::IntegrityError>())?;
    m.add("PolicyError", py.get_type::<errors::PolicyError>())?;
    m.add("StorageError", py.get_type::<errors::StorageError>())?;

    m.add_class::<ledger::PyLedger>()?;
    m.add_class::<vl::Receipt>()?;
    m.add_class::<vl::RecordReceipt>()?;
    m.add_class::<record_results::RecordResults>()?;
    m.add_class::<records::ServiceRecord>()?;
    m.add_class::<vl::VolunteerView>()?;
    m.add_class::<vl::LevelReached>()?;
    m.add_class::<vl::StarSummary>()?;
    m.add_class::<vl::BoardEntry>()?;
    m.add_class::<vl::Leaderboard>()?;
    m.add_class::<vl::Standing>()?;
    m.add_class::<vl::VerifyReport>()?;
    m.add_class::<vl::PeriodInfo>()?;
    m.add_class::<vl::Issuer>()?;
    m.add_class::<vl::TransferRecord>()?;
    m.add_class::<vl::YearTotal>()?;
    m.add_class::<vl::TransferPackage>()?;
    m.add_class::<vl::TransferReceipt>()?;
    m.add_class::<sync::SyncResult>()?;
    m.add_class::<sync::SyncReceipt>()?;
    m.add_class::<vl::SyncRefusal>()?;
    m.add_class::<vl::SyncApplied>()?;
    m.add_class::<vl::SyncStatus>()?;
    m.add_class::<vl::CertificateRecord>()?;
    m.add_class::<vl::Certificate>()?;
    m.add_class::<vl::CertificateCheck>()?;
    m.add_class::<vl::CertificateTraining>()?;
    m.add_class::<vl::CertificateCommendation>()?;
    m.add_class::<vl::Org>()?;
    m.add_class::<vl::NewTeam>()?;
    m.add_class::<vl::MemberPeriod>()?;
    m.add_class::<vl::ProjectView>()?;
    m.add_class::<community::Activity>()?;
    m.add_class::<vl::Training>()?;
    m.add_class::<vl::CalendarYear>()?;
    m.add_class::<vl::Commendation>()?;
    m.add_class::<vl::VolunteerSummary>()?;
    m.add_class::<vl::TeamFacts>()?;
    m.add_class::<vl::CriterionLine>()?;
    m.add_class::<vl::TeamScore>()?;
    m.add_class::<vl::TeamRating>()?;
    m.add_class::<vl::ExcellentCandidate>()?;
    m.add_class::<vl::UnitStaffLine>()?;
    m.add_class::<vl::UnitReport>()?;
    m.add_class::<vl::CommunityVolunteer>()?;
    m.add_class::<vl::Anomaly>()?;
    m.add_class::<vl::RowProblem>()?;
    m.add_class::<vl::ImportReport>()?;
    m.add_class::<vl::AssignedId>()?;
    m.add_class::<vl::RegisterReport>()?;
    m.add_class::<uploads::SheetRecord>()?;
    m.add_class::<uploads::SheetRow>()?;
    m.add_class::<uploads::Sheet>()?;
    m.add_class::<vl::SignedHead>()?;
    m.add_class::<vl::InclusionProof>()?;
    m.add_class::<vl::Warning>()?;

    m.add_function(wrap_pyfunction!(records::_record_fields, m)?)?;
    m.add_function(wrap_pyfunction!(records::validate_identity, m)?)?;
    m.add_function(wrap_pyfunction!(records::mask_name, m)?)?;
    m.add_function(wrap_pyfunction!(records::mask_identity, m)?)?;
    m.add_function(wrap_pyfunction!(boards::period_info, m)?)?;
    m.add_function(wrap_pyfunction!(boards::periods_of, m)?)?;
    m.add_function(wrap_pyfunction!(boards::stars_for_minutes, m)?)?;
    m.add_function(wrap_pyfunction!(boards::rank_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(boards::policy_profile, m)?)?;
    m.add_function(wrap_pyfunction!(ledger::shipped_calendar, m)?)?;
    m.add_function(wrap_pyfunction!(transfers::open_package, m)?)?;
    m.add_function(wrap_pyfunction!(transfers::package_hash, m)?)?;
    m.add_function(wrap_pyfunction!(
        certificates::verify_certificate_offline,
        m
    )?)?;
    m.add_function(wrap_pyfunction!(certificates::certificate_text, m)?)?;
    m.add_function(wrap_pyfunction!(certificates::certificate_html, m)?)?;
    m.add_function(wrap_pyfunction!(
        certificates::certificate_html_with_template,
        m
    )?)?;
    m.add_function(wrap_pyfunction!(certificates::certificate_qr_payload, m)?)?;
    m.add_function(wrap_pyfunction!(certificates::check_certificate_qr, m)?)?;
    m.add(
        "DEFAULT_CERTIFICATE_TEMPLATE",
        vl::render::DEFAULT_CERTIFICATE_TEMPLATE,
    )?;
    m.add_function(wrap_pyfunction!(uploads::read_sheet, m)?)?;
    m.add_function(wrap_pyfunction!(ratings::team_scoring, m)?)?;
    m.add_function(wrap_pyfunction!(ratings::rate_team, m)?)?;
    Ok(())
}
