//! Python values as the core takes them and back: ids and names, roles and board visibility,
//! datetimes and UTC offsets, ints of any size, the core's enum names, dict values and JSON.

use crate::errors::{bad_field, check, ledger_err};
use chrono::{FixedOffset, NaiveDateTime, TimeDelta};
use pyo3::conversion::FromPyObjectOwned;
use pyo3::exceptions::{PyOverflowError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDateTime, PyDict};
use volunteer_ledger as vl;

pub(crate) fn opt_id<T: std::str::FromStr<Err = vl::LedgerError>>(
    text: Option<String>,
) -> vl::Result<Option<T>> {
    text.map(|t| t.parse()).transpose()
}

pub(crate) fn ids<T: std::str::FromStr<Err = vl::LedgerError>>(
    texts: Vec<String>,
) -> vl::Result<Vec<T>> {
    texts.iter().map(|t| t.parse()).collect()
}

pub(crate) fn role_of(role: &str, org: Option<String>) -> vl::Result<vl::Role> {
    vl::Role::parse(role, org.as_deref())
}

pub(crate) fn visibility_of(
    mode: &str,
    pseudonym: Option<String>,
) -> vl::Result<vl::BoardVisibility> {
    vl::BoardVisibility::parse(mode, pseudonym.as_deref())
}

// ---- times --------------------------------------------------------------------------------

/// A Python `datetime` as a core timestamp: an aware datetime is the instant it names; a naive
/// one (no tzinfo, or a tzinfo whose `utcoffset()` is None) is read in `off`. Fractions of a
/// second are dropped (towards the past).
pub(crate) fn timestamp(
    value: &Bound<'_, PyAny>,
    off: FixedOffset,
    field: &str,
) -> PyResult<vl::Timestamp> {
    let py = value.py();
    let dt = value.cast::<PyDateTime>().map_err(PyErr::from)?;
    let utcoffset = dt.call_method0("utcoffset")?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("tzinfo", py.None())?;
    let naive: NaiveDateTime = dt.call_method("replace", (), Some(&kwargs))?.extract()?;
    let out_of_range = || ledger_err(py, &bad_field("timestamp", field, "is out of range"));
    let utc = if utcoffset.is_none() {
        naive.checked_sub_signed(TimeDelta::seconds(i64::from(off.local_minus_utc())))
    } else {
        naive.checked_sub_signed(utcoffset.extract::<TimeDelta>()?)
    };
    utc.map(|t| vl::Timestamp(t.and_utc().timestamp()))
        .ok_or_else(out_of_range)
}

pub(crate) fn opt_timestamp(
    value: Option<&Bound<'_, PyAny>>,
    off: FixedOffset,
    field: &str,
) -> PyResult<Option<vl::Timestamp>> {
    value.map(|v| timestamp(v, off, field)).transpose()
}

pub(crate) fn offset_of(py: Python<'_>, minutes: Int) -> PyResult<FixedOffset> {
    check(py, vl::time::offset(minutes.saturating()))
}

/// A Python int as the core takes it, whatever its size, so that the core's range rules (and
/// their codes, such as `E_FIELD`) decide about it rather than Python's `OverflowError`: an
/// int beyond 64 bits reads as `i64::MIN` or `i64::MAX`, which every rule refuses.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Int(pub(crate) i64);

impl<'a, 'py> FromPyObject<'a, 'py> for Int {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        match obj.extract::<i64>() {
            Ok(v) => Ok(Self(v)),
            Err(e) if e.is_instance_of::<PyOverflowError>(obj.py()) => {
                Ok(Self(if obj.lt(0)? { i64::MIN } else { i64::MAX }))
            }
            Err(e) => Err(e),
        }
    }
}

impl Int {
    /// As a 32-bit int, or the nearest of its bounds: the core's rule refuses those.
    pub(crate) fn saturating(self) -> i32 {
        i32::try_from(self.0).unwrap_or(if self.0 < 0 { i32::MIN } else { i32::MAX })
    }
}

// ---- enum names, text and dict values -----------------------------------------------------

/// A core enum's name as its serde form gives it (the form the log and the vectors use).
pub(crate) fn serde_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// A core enum from its serde name, or an `E_FIELD` refusal naming the field.
pub(crate) fn from_name<T: serde::de::DeserializeOwned>(
    what: &str,
    field: &str,
    name: &str,
) -> vl::Result<T> {
    serde_json::from_value(serde_json::Value::String(name.to_owned()))
        .map_err(|_| bad_field(what, field, format!("'{name}' is not a known {field}")))
}

/// A dict value; a missing key or None is `None`.
pub(crate) fn item<'py, T: FromPyObjectOwned<'py>>(
    d: &Bound<'py, PyDict>,
    key: &str,
) -> PyResult<Option<T>> {
    match d.get_item(key)? {
        Some(v) if !v.is_none() => v.extract::<T>().map(Some).map_err(Into::into),
        _ => Ok(None),
    }
}

/// A required dict value.
pub(crate) fn required<'py, T: FromPyObjectOwned<'py>>(
    d: &Bound<'py, PyDict>,
    key: &str,
) -> PyResult<T> {
    item(d, key)?
        .ok_or_else(|| PyTypeError::new_err(format!("record is missing the field '{key}'")))
}

/// A Python value as JSON text (`json.dumps`), for a core type that reads JSON.
pub(crate) fn json_text(value: &Bound<'_, PyAny>) -> PyResult<String> {
    let json = value.py().import("json")?;
    json.call_method1("dumps", (value,))?.extract()
}
