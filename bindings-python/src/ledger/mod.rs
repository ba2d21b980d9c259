//! The `Ledger` class: the core ledger behind a lock, and how every method reaches it (the
//! lock taken with the GIL released, the core's refusal raised). Its methods live in the
//! files beside this one, one concern each.

mod boards;
mod calendars;
mod certificates;
mod community;
mod files;
mod integrity;
mod lifecycle;
mod ratings;
mod records;
mod register_sheets;
mod registry;
mod sync;
mod transfers;

pub(crate) use calendars::shipped_calendar;

use crate::conversions::{Int, timestamp};
use crate::errors::check;
use chrono::{FixedOffset, NaiveDate};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDateTime;
use std::sync::Mutex;
use volunteer_ledger as vl;

/// A ledger of volunteer service records: an append-only, hash-chained log and the state it
/// implies. Make one with `Ledger.in_memory(...)`.
///
/// Every change names its `actor` (an account id, or a volunteer number for a volunteer acting
/// for themselves); the core decides whether that actor may make it. Refusals raise a subclass
/// of `LedgerError` and write nothing.
///
/// Datetimes: a timezone-aware `datetime` is taken as the instant it names; a naive `datetime`
/// is read in the ledger's UTC offset (`utc_offset_minutes`, +08:00 by default). Fractions of a
/// second are dropped. Datetimes returned are aware, in the ledger's offset.
#[pyclass(frozen, module = "volunteer_ledger", name = "Ledger")]
pub(crate) struct PyLedger {
    /// None once closed (`close()`, or the end of a `with` block).
    inner: Mutex<Option<vl::Ledger>>,
    off: FixedOffset,
}

/// A ledger's configuration from the constructors' arguments.
fn ledger_config(
    ledger_id: String,
    name: String,
    platform_admin: String,
    utc_offset_minutes: Int,
    policy: &str,
    policy_toml: Option<&str>,
) -> vl::Result<vl::LedgerConfig> {
    let mut config = vl::LedgerConfig::new(ledger_id.parse()?, name, platform_admin.parse()?);
    config.utc_offset_minutes = utc_offset_minutes.saturating();
    config.policy = match policy_toml {
        Some(text) => vl::Policy::from_toml(text)?,
        None => vl::Policy::profile(policy)?,
    };
    Ok(config)
}

/// Why a ledger cannot be used: an earlier call panicked while holding it, or it is closed.
fn unavailable(poisoned: bool) -> PyErr {
    if poisoned {
        PyRuntimeError::new_err("the ledger is unusable: an earlier call panicked while holding it")
    } else {
        PyValueError::new_err(
            "the ledger is closed (after close() or the end of its with block); open it again",
        )
    }
}

impl PyLedger {
    fn wrap(py: Python<'_>, ledger: vl::Result<vl::Ledger>) -> PyResult<Self> {
        let ledger = check(py, ledger)?;
        let off = ledger.utc_offset();
        Ok(Self {
            inner: Mutex::new(Some(ledger)),
            off,
        })
    }

    /// Runs `f` on the core ledger with the GIL released (the lock is taken while detached, so
    /// a thread waiting for it never holds the GIL), and raises its error.
    fn run<T, F>(&self, py: Python<'_>, f: F) -> PyResult<T>
    where
        T: Send,
        F: FnOnce(&mut vl::Ledger) -> vl::Result<T> + Send,
    {
        let out = py.detach(|| match self.inner.lock() {
            Ok(mut guard) => match guard.as_mut() {
                Some(ledger) => Ok(f(ledger)),
                None => Err(false),
            },
            Err(_) => Err(true),
        });
        match out {
            Ok(result) => check(py, result),
            Err(poisoned) => Err(unavailable(poisoned)),
        }
    }

    fn actor(py: Python<'_>, actor: &str) -> PyResult<vl::ActorId> {
        check(py, actor.parse())
    }

    fn record_id(py: Python<'_>, record: &str) -> PyResult<vl::RecordId> {
        check(py, record.parse())
    }

    /// A day: a `date` as it is, a `datetime`'s local day in the ledger's offset.
    fn local_day(&self, value: &Bound<'_, PyAny>) -> PyResult<NaiveDate> {
        if value.cast::<PyDateTime>().is_ok() {
            let t = timestamp(value, self.off, "date")?;
            return Ok(t.to_datetime(self.off).date_naive());
        }
        value.extract::<NaiveDate>()
    }

    fn membership(
        &self,
        py: Python<'_>,
        team: String,
        volunteer: String,
        date: &Bound<'_, PyAny>,
    ) -> PyResult<vl::Membership> {
        let date = self.local_day(date)?;
        check(
            py,
            (|| {
                Ok(vl::Membership {
                    date,
                    team: team.parse()?,
                    volunteer: volunteer.parse()?,
                })
            })(),
        )
    }
}
