//! Team ratings (服务队星级评定) without a ledger: scoring tables, and scoring a team's facts.

use crate::conversions::json_text;
use crate::errors::{bad_field, check};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use volunteer_ledger as vl;

/// A team scoring table: a built-in name, or a dict in the form `team_scoring` returns. A
/// Python error (a value json cannot write) is raised; the core's refusal is returned.
pub(crate) fn scoring_table(table: &Bound<'_, PyAny>) -> PyResult<vl::Result<vl::TeamScoring>> {
    if let Ok(name) = table.extract::<String>() {
        return Ok(vl::TeamScoring::profile(&name));
    }
    let text = json_text(table)?;
    Ok(serde_json::from_str::<vl::TeamScoring>(&text)
        .map_err(|e| vl::LedgerError::Policy {
            detail: format!("the team scoring table does not read: {e}"),
        })
        .and_then(|t| t.validate().map(|()| t)))
}

/// A built-in team scoring table ('district', 'pvsa_group') as a dict: the form
/// `rate_team` and `Ledger.team_rating_by` take, to copy and change.
#[pyfunction]
pub(crate) fn team_scoring<'py>(py: Python<'py>, name: String) -> PyResult<Bound<'py, PyAny>> {
    let table = check(py, vl::TeamScoring::profile(&name))?;
    let text = serde_json::to_string(&table)
        .map_err(|e| PyRuntimeError::new_err(format!("team scoring table: {e}")))?;
    py.import("json")?.call_method1("loads", (text,))
}

/// Scores a team's facts by a table (a built-in name or a dict): points, stars, level name
/// and the breakdown. `facts` is a TeamFacts or a dict with its attributes.
#[pyfunction]
pub(crate) fn rate_team(
    py: Python<'_>,
    table: &Bound<'_, PyAny>,
    facts: &Bound<'_, PyAny>,
) -> PyResult<vl::TeamScore> {
    let table = check(py, scoring_table(table)?)?;
    let facts: vl::TeamFacts = match facts.cast::<vl::TeamFacts>() {
        Ok(f) => f.get().clone(),
        Err(_) => {
            let text = json_text(facts)?;
            check(
                py,
                serde_json::from_str(&text)
                    .map_err(|e| bad_field("team facts", "facts", format!("do not read: {e}"))),
            )?
        }
    };
    check(py, vl::rate_team_checked(&table, &facts))
}
