//! The core's result types as Python classes (feature `python`, for the Python binding): each
//! is a frozen class with read-only attributes (`#[pyclass(get_all)]` on the type itself, so
//! that no binding keeps a copy of it), and here its `to_dict()`, `__repr__` and the few
//! methods a class has beyond its attributes. Conversions only: ids, names, periods and
//! enums become `str`, timestamps aware `datetime`s in UTC. No rule lives here.
//!
//! Python classes must get their methods in the crate that defines them, so they are here;
//! every other part of the binding (functions, the `Ledger` class, the exceptions, the
//! classes whose shape is not the core's) is in `bindings-python`.

use crate::activity::{ProjectView, VolunteerSummary};
use crate::certificate::Certificate;
use crate::checkpoint::{InclusionProof, SignedHead};
use crate::error::LedgerError;
use crate::org::{BoardVisibility, VolunteerView};
use crate::ranking::BoardLines;
use crate::time::Timestamp;
use chrono::{Offset, Utc};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString};
use std::convert::Infallible;
use std::sync::OnceLock;

// ---- the core's values as Python values ---------------------------------------------------

/// Ids, names, periods, scopes and unit enums as `str`: their text form (`Display`).
macro_rules! as_text {
    ($($t:ty),* $(,)?) => {$(
        impl<'py> IntoPyObject<'py> for &$t {
            type Target = PyString;
            type Output = Bound<'py, PyString>;
            type Error = Infallible;
            fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Infallible> {
                Ok(PyString::new(py, &self.to_string()))
            }
        }
        impl<'py> IntoPyObject<'py> for $t {
            type Target = PyString;
            type Output = Bound<'py, PyString>;
            type Error = Infallible;
            fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Infallible> {
                (&self).into_pyobject(py)
            }
        }
    )*};
}

as_text!(
    crate::ActivityId,
    crate::ActorId,
    crate::CommendationId,
    crate::LedgerId,
    crate::OrgId,
    crate::ProjectId,
    crate::RecordId,
    crate::TeamId,
    crate::TrainingId,
    crate::VolunteerId,
    crate::AnomalyKind,
    crate::BoardKind,
    crate::CertificateStatus,
    crate::CriterionMode,
    crate::IdentityKind,
    crate::OrgKind,
    crate::RecordSource,
    crate::RecordState,
    crate::TeamMetric,
    crate::Period,
    crate::Scope,
);

/// A timestamp as an aware `datetime` in UTC (the classes whose times are in a ledger's offset
/// are the binding's own).
impl<'py> IntoPyObject<'py> for &Timestamp {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;
    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.to_datetime(Utc.fix()).into_pyobject(py)?.into_any())
    }
}

/// The lines of a board as a list.
impl<'py> IntoPyObject<'py> for &BoardLines {
    type Target = PyAny;
    type Output = Bound<'py, PyAny>;
    type Error = PyErr;
    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.to_vec().into_pyobject(py)
    }
}

/// A volunteer's board visibility as its mode ('public', 'pseudonym' or 'hidden'); the
/// pseudonym is an attribute of its own.
impl<'py> IntoPyObject<'py> for &BoardVisibility {
    type Target = PyString;
    type Output = Bound<'py, PyString>;
    type Error = Infallible;
    fn into_pyobject(self, py: Python<'py>) -> Result<Self::Output, Infallible> {
        Ok(PyString::new(py, self.mode()))
    }
}

/// How a core error becomes a Python exception: the binding's exception classes, set once
/// when its module is made ([`raise_with`]); a RuntimeError before that.
static RAISE: OnceLock<fn(Python<'_>, &LedgerError) -> PyErr> = OnceLock::new();

/// Sets how a core error becomes a Python exception (the binding does, once).
pub fn raise_with(raise: fn(Python<'_>, &LedgerError) -> PyErr) {
    let _ = RAISE.set(raise);
}

fn check<T>(py: Python<'_>, result: crate::Result<T>) -> PyResult<T> {
    result.map_err(|e| match RAISE.get() {
        Some(raise) => raise(py, &e),
        None => PyRuntimeError::new_err(e.to_string()),
    })
}

// ---- what every result class has ----------------------------------------------------------

/// A result's attributes as a plain dict, in the order `fields` names them; nested results
/// (anything with a `to_dict`) become dicts, lists item by item.
pub fn to_dict<'py>(result: &Bound<'py, PyAny>, fields: &[&str]) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(result.py());
    for field in fields {
        d.set_item(field, plain(result.getattr(*field)?)?)?;
    }
    Ok(d)
}

fn plain(value: Bound<'_, PyAny>) -> PyResult<Bound<'_, PyAny>> {
    if let Ok(list) = value.cast::<PyList>() {
        let items = list.iter().map(plain).collect::<PyResult<Vec<_>>>()?;
        return Ok(PyList::new(value.py(), items)?.into_any());
    }
    if value.is_none() || value.is_instance_of::<PyString>() {
        return Ok(value);
    }
    match value.getattr_opt("to_dict")? {
        Some(to_dict) => to_dict.call0(),
        None => Ok(value),
    }
}

/// `Name(field=repr(value), …)` for the attributes `fields` names.
pub fn repr(result: &Bound<'_, PyAny>, fields: &[&str]) -> PyResult<String> {
    let parts = fields
        .iter()
        .map(|f| Ok(format!("{f}={}", result.getattr(*f)?.repr()?)))
        .collect::<PyResult<Vec<_>>>()?;
    Ok(format!(
        "{}({})",
        result.get_type().name()?,
        parts.join(", ")
    ))
}

/// Results (one row each, its `to_dict()`) with these columns as the frame `method` gives
/// (`to_pandas`: a pandas DataFrame, `to_polars`, `to_arrow`: a pyarrow Table), each column
/// of one type whatever the rows; ImportError naming the extra to install when the library is
/// not there. Times are in UTC.
fn frame<'py>(
    results: Bound<'py, PyAny>,
    columns: &[&str],
    method: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let py = results.py();
    let rows = results
        .try_iter()?
        .map(|r| r?.call_method0("to_dict"))
        .collect::<PyResult<Vec<_>>>()?;
    let frames = py.import("volunteer_ledger._frames")?;
    frames.call_method1("frame", (PyList::new(py, rows)?, columns.to_vec(), method))
}

/// For each class: its attributes in their Python order (`FIELDS`: `to_dict()`'s keys, the
/// repr's, a DataFrame's columns), `to_dict()`, `__repr__` (of every attribute, or of those
/// `repr` names) and the class's other methods.
macro_rules! result_methods {
    ($($ty:ty { $($field:ident),* $(,)? } $(repr { $($shown:ident),* })? $(methods { $($methods:tt)* })?;)*) => {$(
        impl $ty {
            /// The Python attribute names, in order.
            pub const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];
        }

        #[pymethods]
        impl $ty {
            /// The attributes as a plain dict; nested results become dicts too.
            fn to_dict<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyDict>> {
                to_dict(slf.as_any(), Self::FIELDS)
            }

            fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
                repr(slf.as_any(), result_methods!(@shown [$($field),*] $([$($shown),*])?))
            }

            $($($methods)*)?
        }
    )*};
    (@shown [$($field:ident),*]) => { Self::FIELDS };
    (@shown [$($field:ident),*] [$($shown:ident),*]) => { &[$(stringify!($shown)),*] };
}

result_methods! {
    crate::Receipt { seq, hash, duplicate };
    crate::VerifyReport { entries, head_hash };
    crate::RecordReceipt { record, state, make_up, seq, duplicate };
    VolunteerView {
        id, masked_name, identity_kind, masked_identity, identity_erased, masked_phone, home_org, work_unit,
        total_minutes, carried_minutes, visibility, pseudonym, transferred_out
    } methods {
        /// The pseudonym shown on boards, for visibility 'pseudonym'.
        #[getter]
        fn pseudonym(&self) -> Option<&str> {
            self.visibility.pseudonym()
        }
    };
    crate::Warning { code, message_en, message_zh };
    crate::LevelReached { level, date };
    crate::StarSummary { total_minutes, level, reached, next_level, minutes_to_next };
    crate::BoardEntry { rank, id, name, minutes };
    crate::Leaderboard { period, scope, kind, as_of_seq, ranked, entries } methods {
        /// The lines as a pandas DataFrame, typed even when empty; needs pandas.
        fn to_pandas<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
            frame(slf.getattr("entries")?, crate::BoardEntry::FIELDS, "to_pandas")
        }
        /// The lines as a polars DataFrame, typed even when empty; needs polars.
        fn to_polars<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
            frame(slf.getattr("entries")?, crate::BoardEntry::FIELDS, "to_polars")
        }
        /// The lines as a pyarrow Table, typed even when empty; needs pyarrow.
        fn to_arrow<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
            frame(slf.getattr("entries")?, crate::BoardEntry::FIELDS, "to_arrow")
        }
    };
    crate::Standing {
        volunteer, period, scope, minutes, rank, ranked, previous_rank, places_up
    };
    crate::PeriodInfo { text, kind, first_day, last_day, previous, next };
    crate::Issuer { ledger_id, name, public_key };
    crate::TransferRecord {
        ledger, record, org, org_name, start, end, minutes, content, entry_hash, proof
    };
    crate::YearTotal { year, minutes };
    crate::TransferPackage {
        format, issuer, destination, issued_at, volunteer, masked_name, identity_kind,
        masked_identity, total_minutes, year_totals, star_profile, star_level, stars_reached,
        records, checkpoint
    };
    crate::TransferReceipt {
        volunteer, package_hash, records_added, minutes_added, overlapping,
        minutes_overlapping, seq, duplicate
    };
    crate::SyncRefusal { record, code, message_en, message_zh };
    crate::SyncApplied { acknowledged, refused, ignored };
    crate::SyncStatus { unsent, acknowledged, refused };
    crate::CertificateRecord {
        record, date, org_name, minutes, content, entry_hash, proof
    };
    Certificate {
        number, volunteer, name, identity_kind, identity_number, period_from, period_to,
        total_minutes, records, training, commendations, issuing_org, issuing_org_name,
        responsible_person, handler, contact, notes, issued_on, ledger_id, ledger_name,
        public_key, signature, verification_code, checkpoint
    } repr {
        number, volunteer, period_from, period_to, total_minutes, issuing_org,
        verification_code
    } methods {
        /// Reads a certificate from its JSON (as `to_json()` writes it). Raises
        /// IntegrityError (E_CERTIFICATE_FORMAT) for text that is not a certificate; whether
        /// it is genuine is for `verify_certificate_offline` or `Ledger.verify_certificate`.
        #[staticmethod]
        #[pyo3(name = "from_json")]
        fn py_from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
            check(py, Self::from_json(text))
        }

        /// The certificate as canonical JSON (keys sorted, no whitespace): the form the
        /// holder keeps and `from_json` reads.
        #[pyo3(name = "to_json")]
        fn py_to_json(&self) -> String {
            self.to_json()
        }
    };
    crate::CertificateCheck {
        status, number, volunteer, masked_name, identity_kind, masked_identity, period_from,
        period_to, total_minutes, issuing_org_name, issued_on, changed_records, corrected
    };
    crate::CertificateTraining { title, date, minutes, org_name };
    crate::CertificateCommendation { title, date, org_name };
    crate::NewOrg { id, name, kind, parent };
    crate::NewTeam { id, org, name, leader, liaisons, members };
    crate::MemberPeriod { volunteer, joined, left };
    ProjectView { id, org, name, category, claimed_by } methods {
        /// The project id.
        #[getter]
        fn id(&self) -> &crate::ProjectId {
            &self.project.id
        }
        /// The publishing org.
        #[getter]
        fn org(&self) -> &crate::OrgId {
            &self.project.org
        }
        /// Its name.
        #[getter]
        fn name(&self) -> &str {
            &self.project.name
        }
        /// Its category (such as 'elderly care').
        #[getter]
        fn category(&self) -> &str {
            &self.project.category
        }
        /// The team that claimed it, if any.
        #[getter]
        fn claimed_by(&self) -> Option<&crate::TeamId> {
            self.claimed_by.as_ref()
        }
    };
    crate::Training { id, volunteer, org, title, date, minutes };
    crate::CalendarYear { year, holidays, working_days };
    crate::Commendation { id, volunteer, org, title, date };
    VolunteerSummary {
        volunteer, stars, training, commendations, evaluations, average_evaluation_tenths,
        complaints_received, teams, reported_in
    };
    crate::UnitStaffLine {
        volunteer, masked_name, minutes, star_level, community, community_name
    };
    crate::UnitReport { unit, period, staff, served, total_minutes } methods {
        /// The staff lines as a pandas DataFrame, typed even when empty; needs pandas.
        fn to_pandas<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
            frame(slf.getattr("staff")?, crate::UnitStaffLine::FIELDS, "to_pandas")
        }
        /// The staff lines as a polars DataFrame, typed even when empty; needs polars.
        fn to_polars<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
            frame(slf.getattr("staff")?, crate::UnitStaffLine::FIELDS, "to_polars")
        }
        /// The staff lines as a pyarrow Table, typed even when empty; needs pyarrow.
        fn to_arrow<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
            frame(slf.getattr("staff")?, crate::UnitStaffLine::FIELDS, "to_arrow")
        }
    };
    crate::CommunityVolunteer { volunteer, masked_name, work_unit, reported_in };
    crate::Anomaly { kind, record, volunteer, actor, day, reason_en, reason_zh };
    crate::TeamFacts {
        active_members, complaints, evaluations, evaluation_points, first_saturday_months,
        members, min_member_minutes, months_active, total_minutes
    };
    crate::CriterionLine {
        metric, mode, value, target, points, weight, met, text_en, text_zh
    };
    crate::TeamScore {
        scoring, score, stars, level_name, lines, summary_en, summary_zh
    };
    crate::TeamRating { team, team_name, year, facts, score };
    crate::ExcellentCandidate {
        volunteer, masked_name, street, year_minutes, star_level, rank_in_street, reason_en,
        reason_zh
    };
    crate::RowProblem { row, column, code, message_en, message_zh };
    crate::ImportReport {
        fingerprint, dry_run, rows, accepted, pending, duplicates, amended, rejected, refused
    } methods {
        /// The rejected rows as a pandas DataFrame, typed even when empty; needs pandas.
        fn to_pandas<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
            frame(slf.getattr("rejected")?, crate::RowProblem::FIELDS, "to_pandas")
        }
        /// The rejected rows as a polars DataFrame, typed even when empty; needs polars.
        fn to_polars<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
            frame(slf.getattr("rejected")?, crate::RowProblem::FIELDS, "to_polars")
        }
        /// The rejected rows as a pyarrow Table, typed even when empty; needs pyarrow.
        fn to_arrow<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
            frame(slf.getattr("rejected")?, crate::RowProblem::FIELDS, "to_arrow")
        }
    };
    crate::AssignedId { row, id };
    crate::RegisterReport {
        fingerprint, dry_run, rows, accepted, duplicates, assigned, rejected, refused
    } methods {
        /// The rejected rows as a pandas DataFrame, typed even when empty; needs pandas.
        fn to_pandas<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
            frame(slf.getattr("rejected")?, crate::RowProblem::FIELDS, "to_pandas")
        }
        /// The rejected rows as a polars DataFrame, typed even when empty; needs polars.
        fn to_polars<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
            frame(slf.getattr("rejected")?, crate::RowProblem::FIELDS, "to_polars")
        }
        /// The rejected rows as a pyarrow Table, typed even when empty; needs pyarrow.
        fn to_arrow<'py>(slf: &Bound<'py, Self>) -> PyResult<Bound<'py, PyAny>> {
            frame(slf.getattr("rejected")?, crate::RowProblem::FIELDS, "to_arrow")
        }
    };
    SignedHead {
        format, head_hash, ledger_id, public_key, root_hash, signature, size, time
    } repr {
        ledger_id, size, root_hash, time
    } methods {
        /// Reads a signed head from its JSON (as `to_json()` writes it). Raises
        /// IntegrityError (E_CHECKPOINT_FORMAT) for text that is not one; whether it is
        /// genuine is for `check`.
        #[staticmethod]
        #[pyo3(name = "from_json")]
        fn py_from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
            check(py, Self::from_json(text))
        }

        /// The head as canonical JSON (keys sorted, no whitespace): the form to publish.
        #[pyo3(name = "to_json")]
        fn py_to_json(&self) -> String {
            self.to_json()
        }

        /// The exact bytes the signature covers (canonical JSON of every field but
        /// `signature`).
        #[pyo3(name = "signed_bytes")]
        fn py_signed_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
            PyBytes::new(py, &self.signed_bytes())
        }

        /// Checks its format and its signature against a public key the caller trusts (hex).
        /// Raises AuthorizationError E_UNTRUSTED_ISSUER when the head names another key,
        /// IntegrityError E_BAD_SIGNATURE or E_CHECKPOINT_FORMAT.
        #[pyo3(name = "check")]
        fn py_check(&self, py: Python<'_>, trusted_public_key: &str) -> PyResult<()> {
            check(py, self.check(trusted_public_key))
        }

        /// Checks that the entry whose hash is `entry_hash` (hex) stands at `proof.index`
        /// among the entries this head covers (check the head itself with `check`). Raises
        /// IntegrityError E_CHECKPOINT_MISMATCH when the proof does not lead to the signed
        /// root, E_CHECKPOINT_FORMAT when it does not read.
        #[pyo3(name = "check_inclusion")]
        fn py_check_inclusion(
            &self,
            py: Python<'_>,
            entry_hash: &str,
            proof: &InclusionProof,
        ) -> PyResult<()> {
            check(py, self.check_inclusion(entry_hash, proof))
        }
    };
    InclusionProof { index, path };
}
