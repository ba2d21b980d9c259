//! The register in bulk: volunteer and org-tree sheets, and many volunteers from a DataFrame
//! or a list of dicts.

use super::PyLedger;
use crate::errors::{check, ledger_err};
use crate::progress::PyProgress;
use crate::sheet_sources::sheet_bytes;
use crate::uploads::import_options;
use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use volunteer_ledger as vl;

/// The keywords of `register_volunteer` a bulk registration takes, the last optional.
const VOLUNTEER_FIELDS: [&str; 5] = ["id", "name", "identity_kind", "identity_number", "home_org"];

#[pymethods]
impl PyLedger {
    /// Uploads a volunteer sheet (CSV in UTF-8/GBK, or XLSX, as bytes): columns 姓名, 证件类型,
    /// 证件号码, 志愿者编号 (made when absent: V and eight digits), 所属组织 (an org's id or
    /// unique name) and 手机, Chinese or English headers. Each person is registered on their
    /// own; people registered before count as duplicates; every refused row is reported with
    /// its row, column and code. One transaction; with `dry_run` nothing is written.
    /// `progress(done, total)` is told the rows done.
    #[pyo3(signature = (
        actor, data, *, dry_run = false, format = None, encoding = String::from("auto"),
        default_org = None, sheet = None, progress = None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn upload_volunteers(
        &self,
        py: Python<'_>,
        actor: String,
        data: &Bound<'_, PyAny>,
        dry_run: bool,
        format: Option<String>,
        encoding: String,
        default_org: Option<String>,
        sheet: Option<String>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<vl::RegisterReport> {
        let actor = Self::actor(py, &actor)?;
        let data = sheet_bytes(data, "data")?;
        let off = vl::DEFAULT_UTC_OFFSET_MINUTES;
        let opts = import_options(format, &encoding, default_org, sheet, off, false);
        let opts = check(py, opts)?;
        let progress = PyProgress::new(progress);
        let report = self.run(py, |l| {
            progress.with(|p| vl::upload_volunteers(l, &actor, &data, &opts, dry_run, p))
        });
        progress.finish(report)
    }

    /// Uploads an org-tree sheet: columns 名称, 类型 (区, 街道, 社区 … or district, street …),
    /// 上级组织 (the parent's id or unique name, among the ledger's orgs and the rows above)
    /// and 组织编号 (made when absent: O and eight digits). One transaction; with `dry_run`
    /// nothing is written. `progress(done, total)` is told the rows done.
    #[pyo3(signature = (
        actor, data, *, dry_run = false, format = None, encoding = String::from("auto"),
        sheet = None, progress = None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn upload_orgs(
        &self,
        py: Python<'_>,
        actor: String,
        data: &Bound<'_, PyAny>,
        dry_run: bool,
        format: Option<String>,
        encoding: String,
        sheet: Option<String>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<vl::RegisterReport> {
        let actor = Self::actor(py, &actor)?;
        let data = sheet_bytes(data, "data")?;
        let off = vl::DEFAULT_UTC_OFFSET_MINUTES;
        let opts = check(
            py,
            import_options(format, &encoding, None, sheet, off, false),
        )?;
        let progress = PyProgress::new(progress);
        let report = self.run(py, |l| {
            progress.with(|p| vl::upload_orgs(l, &actor, &data, &opts, dry_run, p))
        });
        progress.finish(report)
    }

    /// Registers many volunteers, each on its own: one refusal does not stop the others.
    /// `volunteers` is an iterable of dicts with the keywords of `register_volunteer`, or a
    /// pandas or polars DataFrame or a pyarrow Table with those columns (`home_org` optional). One lock and, in
    /// a file ledger, one transaction. Returns, in input order, a Receipt for each volunteer
    /// registered and the LedgerError (not raised) for each refused. A value that is not one
    /// (an unknown identity kind, a bad id) is refused like any other. `progress(done, total)`
    /// is told the volunteers done.
    #[pyo3(signature = (actor, volunteers, *, progress = None))]
    fn register_volunteers(
        &self,
        py: Python<'_>,
        actor: String,
        volunteers: &Bound<'_, PyAny>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Vec<Py<PyAny>>> {
        let actor = Self::actor(py, &actor)?;
        let frames = py.import("volunteer_ledger._frames")?;
        let columns = if frames
            .call_method1("is_frame", (volunteers,))?
            .is_truthy()?
            || volunteers.hasattr("columns")?
        {
            frame_columns(&frames, volunteers)?
        } else {
            dict_columns(volunteers)?
        };
        let rows = columns.first().map_or(0, Vec::len);
        let (mut good, mut answers) = (Vec::with_capacity(rows), Vec::with_capacity(rows));
        for i in 0..rows {
            let cell = |c: usize| columns.get(c).and_then(|col| col.get(i)).cloned().flatten();
            match new_volunteer(cell(0), cell(1), cell(2), cell(3), cell(4)) {
                Ok(v) => {
                    answers.push(None);
                    good.push(v);
                }
                Err(e) => answers.push(Some(Err(e))),
            }
        }
        let progress = PyProgress::new(progress);
        let registered = self.run(py, |l| {
            progress.with(|p| l.register_volunteers_with_progress(&actor, good, p))
        });
        let mut registered = progress.finish(registered)?.into_iter();
        answers
            .into_iter()
            .map(|a| {
                let answer = a.or_else(|| registered.next()).ok_or_else(|| {
                    PyRuntimeError::new_err("the ledger answered fewer registrations than given")
                })?;
                match answer {
                    Ok(receipt) => Ok(receipt.into_pyobject(py)?.into_any().unbind()),
                    Err(e) => Ok(ledger_err(py, &e).into_value(py).into_any()),
                }
            })
            .collect()
    }
}

/// A volunteer from the cells of a row.
fn new_volunteer(
    id: Option<String>,
    name: Option<String>,
    kind: Option<String>,
    number: Option<String>,
    home_org: Option<String>,
) -> vl::Result<vl::NewVolunteer> {
    let missing = |field: &str| {
        crate::errors::bad_field(
            "volunteer",
            field,
            format!("{field} is missing / 缺少 {field}"),
        )
    };
    Ok(vl::NewVolunteer {
        id: id.ok_or_else(|| missing("id"))?.parse()?,
        name: name.ok_or_else(|| missing("name"))?,
        identity_kind: vl::IdentityKind::parse(&kind.ok_or_else(|| missing("identity_kind"))?)?,
        identity_number: number.ok_or_else(|| missing("identity_number"))?,
        home_org: home_org.map(|o| o.parse()).transpose()?,
    })
}

/// A frame's columns (a pandas or polars DataFrame or a pyarrow Table, read by
/// `_frames.text_columns`) as lists of optional text; a missing required column raises
/// TypeError.
fn frame_columns(
    frames: &Bound<'_, PyModule>,
    frame: &Bound<'_, PyAny>,
) -> PyResult<Vec<Vec<Option<String>>>> {
    let columns = frames
        .call_method1("text_columns", (frame, VOLUNTEER_FIELDS.to_vec()))?
        .cast_into::<PyDict>()?;
    VOLUNTEER_FIELDS
        .iter()
        .map(|f| match columns.get_item(*f)? {
            Some(values) => values.try_iter()?.map(|v| text_of(&v?)).collect(),
            None if *f == "home_org" => Ok(Vec::new()),
            None => Err(PyTypeError::new_err(format!(
                "the frame has no column {f:?} (register_volunteer's keywords)"
            ))),
        })
        .collect()
}

/// Dicts with the keywords of `register_volunteer`, as columns.
fn dict_columns(items: &Bound<'_, PyAny>) -> PyResult<Vec<Vec<Option<String>>>> {
    let mut columns = vec![Vec::new(); VOLUNTEER_FIELDS.len()];
    for item in items.try_iter()? {
        let item = item?;
        let d = item.cast::<PyDict>().map_err(|_| {
            PyTypeError::new_err(
                "each volunteer must be a dict with the keywords of register_volunteer",
            )
        })?;
        for key in d.keys() {
            let key: String = key.extract()?;
            if !VOLUNTEER_FIELDS.contains(&key.as_str()) {
                return Err(PyTypeError::new_err(format!(
                    "unknown keyword {key:?}: register_volunteer takes {VOLUNTEER_FIELDS:?}"
                )));
            }
        }
        for (col, f) in columns.iter_mut().zip(VOLUNTEER_FIELDS) {
            col.push(match d.get_item(f)? {
                Some(v) => text_of(&v)?,
                None => None,
            });
        }
    }
    Ok(columns)
}

/// A cell as text: None, NaN and pandas' NA are missing.
fn text_of(v: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    if v.is_none() {
        return Ok(None);
    }
    if let Ok(s) = v.extract::<String>() {
        return Ok(Some(s));
    }
    if let Ok(f) = v.extract::<f64>()
        && f.is_nan()
    {
        return Ok(None);
    }
    Err(PyTypeError::new_err(format!(
        "a volunteer's fields are text, not {}",
        v.get_type().name()?
    )))
}
