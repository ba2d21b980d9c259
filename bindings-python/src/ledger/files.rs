//! Sheets and files: uploading a sheet of records, and exporting a leaderboard or records as
//! an XLSX or CSV file, or an org subtree's data sets as an exchange workbook or CSV zip.

use super::PyLedger;
use crate::conversions::Int;
use crate::errors::{bad_field, check};
use crate::progress::PyProgress;
use crate::sheet_sources::sheet_bytes;
use crate::uploads::import_options;
use pyo3::prelude::*;
use pyo3::types::PyBytes;
use volunteer_ledger as vl;

#[pymethods]
impl PyLedger {
    /// Uploads a sheet (CSV in UTF-8/GBK, or XLSX, as bytes) as `actor`: each good row is
    /// added, every other row reported with its row number and why. Rows recorded before
    /// count as duplicates, and so do rows holding the same service (volunteer, org, start, end,
    /// minutes) as a counted record; with `amend_changed`, a changed row amends the record it
    /// overlaps instead of being refused. Volunteers may be named by identity number and orgs
    /// by name (see docs/upload.md). With `dry_run` nothing is written. A file ledger writes the sheet
    /// in one transaction. `progress(done, total)` is told the rows done (see `Ledger`'s
    /// notes on progress). Raises only for a file that is not a sheet, and the callback's own
    /// exception.
    #[pyo3(signature = (
        actor, data, *, dry_run = false, format = None, encoding = String::from("auto"),
        default_org = None, sheet = None, progress = None, amend_changed = false
    ))]
    #[allow(clippy::too_many_arguments)]
    fn upload(
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
        amend_changed: bool,
    ) -> PyResult<vl::ImportReport> {
        let actor = Self::actor(py, &actor)?;
        let data = sheet_bytes(data, "data")?;
        let opts = check(
            py,
            // The upload reads the sheet in the ledger's own offset, whatever is given here.
            import_options(
                format,
                &encoding,
                default_org,
                sheet,
                vl::DEFAULT_UTC_OFFSET_MINUTES,
                amend_changed,
            ),
        )?;
        let progress = PyProgress::new(progress);
        let report = self.run(py, |l| {
            progress.with(|p| vl::upload(l, &actor, &data, &opts, dry_run, p))
        });
        progress.finish(report)
    }

    /// A leaderboard as a file to publish: 'xlsx' (default) or 'csv' bytes, headers in
    /// `language` 'zh' (default) or 'en'. With `as_of` (a log entry), the board as it stood
    /// then.
    #[pyo3(signature = (
        period, *, scope = String::from("all"), kind = String::from("volunteers"), limit = Int(100),
        format = String::from("xlsx"), language = String::from("zh"), as_of = None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn export_leaderboard<'py>(
        &self,
        py: Python<'py>,
        period: String,
        scope: String,
        kind: String,
        limit: Int,
        format: String,
        language: String,
        as_of: Option<Int>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = self.run(py, move |l| {
            let (period, scope) = (vl::Period::parse(&period)?, vl::Scope::parse(&scope)?);
            let kind = vl::BoardKind::parse(&kind)?;
            let limit = vl::error::non_negative("limit", limit.0)?;
            let board = match as_of {
                Some(seq) => l.leaderboard_as_of(seq.0, period, &scope, kind, limit)?,
                None => l.leaderboard(period, &scope, kind, limit)?,
            };
            vl::leaderboard_file(
                &board,
                vl::ExportFormat::parse(&format)?,
                vl::Language::parse(&language)?,
            )
        })?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// A volunteer's records, or an org's (its subtree's), in a period as a file: 'xlsx' or
    /// 'csv' bytes, in every state (a column says which count). Give exactly one of
    /// `volunteer` and `org`.
    #[pyo3(signature = (
        *, volunteer = None, org = None, period = String::from("all"),
        format = String::from("xlsx"), language = String::from("zh")
    ))]
    fn export_records<'py>(
        &self,
        py: Python<'py>,
        volunteer: Option<String>,
        org: Option<String>,
        period: String,
        format: String,
        language: String,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = self.run(py, move |l| {
            let scope = match (volunteer, org) {
                (Some(v), None) => vl::RecordScope::Volunteer(v.parse()?),
                (None, Some(o)) => vl::RecordScope::Org(o.parse()?),
                _ => {
                    return Err(bad_field(
                        "export",
                        "volunteer",
                        "give exactly one of volunteer and org",
                    ));
                }
            };
            vl::records_file(
                l,
                scope,
                vl::Period::parse(&period)?,
                vl::ExportFormat::parse(&format)?,
                vl::Language::parse(&language)?,
            )
        })?;
        Ok(PyBytes::new(py, &bytes))
    }

    /// An org subtree's data sets for another volunteer information system: volunteers
    /// (masked), teams, projects, service records, training, commendations and activity
    /// evaluations. 'xlsx' is a workbook with a sheet per data set; 'csv' a zip of one CSV per
    /// data set. Headers are the data item names in Chinese ('zh') or English keys ('en').
    #[pyo3(signature = (
        *, org, period = String::from("all"), format = String::from("xlsx"),
        language = String::from("zh")
    ))]
    fn export_exchange<'py>(
        &self,
        py: Python<'py>,
        org: String,
        period: String,
        format: String,
        language: String,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let bytes = self.run(py, move |l| {
            vl::exchange_file(
                l,
                &org.parse()?,
                vl::Period::parse(&period)?,
                vl::ExportFormat::parse(&format)?,
                vl::Language::parse(&language)?,
            )
        })?;
        Ok(PyBytes::new(py, &bytes))
    }
}
