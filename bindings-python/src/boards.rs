//! Stars, boards and periods without a ledger: a period described, a bare total's stars,
//! ranking pairs, built-in policy profiles.

use crate::conversions::{Int, offset_of, timestamp};
use crate::errors::{bad_field, check};
use pyo3::prelude::*;
use volunteer_ledger as vl;

/// Parses a period ('2015-W23', '2015-06', '2015', 'all') and describes it.
#[pyfunction]
pub(crate) fn period_info(py: Python<'_>, text: String) -> PyResult<vl::PeriodInfo> {
    check(py, vl::period_info(&text))
}

/// The [week, month, year] periods an instant falls in at a UTC offset (minutes east). A
/// naive datetime is read in that offset.
#[pyfunction]
#[pyo3(signature = (instant, offset_minutes = Int(vl::DEFAULT_UTC_OFFSET_MINUTES.into())))]
pub(crate) fn periods_of(
    py: Python<'_>,
    instant: &Bound<'_, PyAny>,
    offset_minutes: Int,
) -> PyResult<Vec<String>> {
    let off = offset_of(py, offset_minutes)?;
    let t = timestamp(instant, off, "instant")?;
    let periods = check(py, vl::periods_of(t, offset_minutes.saturating()))?;
    Ok(periods.iter().map(ToString::to_string).collect())
}

/// The star summary of a bare total of minutes under a built-in policy profile ('mca',
/// 'beijing'): level, next level and minutes still needed.
#[pyfunction]
pub(crate) fn stars_for_minutes(
    py: Python<'_>,
    profile: String,
    minutes: u64,
) -> PyResult<vl::StarSummary> {
    let policy = check(py, vl::Policy::profile(&profile))?;
    Ok(vl::stars_for_minutes(&policy.stars, minutes))
}

/// Ranks (id, minutes) pairs: most minutes first, ties by id, standard competition ranks
/// (1, 2, 2, 4); zero minutes are not ranked. Returns (rank, id, minutes) tuples.
#[pyfunction]
pub(crate) fn rank_pairs(py: Python<'_>, pairs: Vec<(String, u64)>) -> Vec<(u32, String, u64)> {
    py.detach(move || vl::rank_pairs(pairs))
}

/// A built-in policy profile as text, `format` 'toml' (default) or 'json'.
#[pyfunction]
#[pyo3(signature = (name, format = String::from("toml")), text_signature = "(name, format='toml')")]
pub(crate) fn policy_profile(py: Python<'_>, name: String, format: String) -> PyResult<String> {
    let text = vl::Policy::profile(&name).and_then(|p| match format.as_str() {
        "toml" => p.to_toml(),
        "json" => p.to_json(),
        other => Err(bad_field(
            "policy",
            "format",
            format!("'{other}' is not toml or json"),
        )),
    });
    check(py, text)
}
