//! Sheets (CSV or XLSX): a sheet as read, its rows as records or problems (times in the
//! offset the sheet was read in), and reading a sheet without a ledger.

use crate::conversions::{Int, from_name, offset_of, opt_id, serde_name};
use crate::errors::check;
use crate::sheet_sources::sheet_bytes;
use chrono::{DateTime, FixedOffset};
use pyo3::prelude::*;
use volunteer_ledger as vl;

result_class!(
    /// A record as a sheet row gives it: `to_dict()` gives the keywords of `Ledger.add_record`.
    SheetRecord as "SheetRecord" {
        /// The record id.
        id: vl::RecordId,
        /// The volunteer number.
        volunteer: vl::VolunteerId,
        /// The org.
        org: vl::OrgId,
        /// When it started (in the offset the sheet was read in).
        start: DateTime<FixedOffset>,
        /// When it ended.
        end: DateTime<FixedOffset>,
        /// Minutes of service.
        minutes: i64,
        /// What was done.
        content: String,
        /// The organising team, if any.
        team: Option<vl::TeamId>,
        /// The activity, if any.
        activity: Option<vl::ActivityId>,
        /// 'import'.
        source: vl::RecordSource,
        /// Declared paid.
        paid: bool,
        /// Declared a job duty.
        job_duty: bool,
        /// Declared for the public benefit.
        public_benefit: bool,
    }
);

result_class!(
    /// One data row of a sheet: a record, or the problem that keeps it from being one.
    SheetRow as "SheetRow" {
        /// The row, 1-based as Excel shows it.
        row: u32,
        /// The record, if the row reads as one.
        record: Option<SheetRecord>,
        /// The problem, if it does not.
        problem: Option<vl::RowProblem>,
    }
);

result_class!(
    /// A sheet as read, before anything is added: its header and its rows.
    Sheet as "Sheet" {
        /// SHA-256 (hex) of the file.
        fingerprint: String,
        /// The header row, 1-based.
        header_row: u32,
        /// Each header as in the sheet and the field it was matched to ('volunteer', 'other' …).
        columns: Vec<(String, String)>,
        /// The data rows (those that are no record only up to the first 10,000).
        rows: Vec<SheetRow>,
        /// Rows that are no record beyond the first 10,000: counted, not listed.
        unlisted_problems: u32,
        /// The UTC offset the sheet's times were read in, in minutes.
        utc_offset_minutes: i32,
    }
    methods {
        /// The rows that read as records, as a pandas DataFrame indexed by sheet row with the
        /// columns `Ledger.add_records` takes, typed even when empty (times in the sheet's
        /// offset); needs pandas.
        fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            self.table(py, "to_pandas", Some("row"))
        }

        /// The rows that read as records as a polars DataFrame: `row`, then the columns
        /// `Ledger.add_records` takes (times in UTC); needs polars.
        fn to_polars<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            self.table(py, "to_polars", None)
        }

        /// The rows that read as records as a pyarrow Table: `row`, then the columns
        /// `Ledger.add_records` takes (times in the sheet's offset); needs pyarrow.
        fn to_arrow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            self.table(py, "to_arrow", None)
        }
    }
);

impl Sheet {
    /// The rows that read as records as the frame `method` gives, `index` its pandas index.
    fn table<'py>(
        &self,
        py: Python<'py>,
        method: &str,
        index: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let mut rows = Vec::new();
        for r in &self.rows {
            if let Some(record) = &r.record {
                let record = Bound::new(py, record.clone())?;
                let d = vl::python::to_dict(record.as_any(), SheetRecord::FIELDS)?;
                d.set_item("row", r.row)?;
                rows.push(d);
            }
        }
        let mut columns = vec!["row"];
        columns.extend_from_slice(SheetRecord::FIELDS);
        let frames = py.import("volunteer_ledger._frames")?;
        let args = (rows, columns, method, index, self.utc_offset_minutes);
        frames.call_method1("frame", args)
    }
}

impl SheetRecord {
    fn new(n: vl::NewRecord, off: FixedOffset) -> Self {
        Self {
            id: n.id,
            volunteer: n.volunteer,
            org: n.org,
            start: n.start.to_datetime(off),
            end: n.end.to_datetime(off),
            minutes: n.minutes,
            content: n.content,
            team: n.team,
            activity: n.activity,
            source: n.source,
            paid: n.paid,
            job_duty: n.job_duty,
            public_benefit: n.public_benefit,
        }
    }
}

impl Sheet {
    pub(crate) fn new(s: vl::Sheet, off: FixedOffset) -> Self {
        Self {
            fingerprint: s.fingerprint,
            header_row: s.header_row,
            columns: s
                .columns
                .into_iter()
                .map(|(h, f)| (h, serde_name(&f)))
                .collect(),
            rows: s
                .rows
                .into_iter()
                .map(|r| match r.record {
                    Ok(n) => SheetRow {
                        row: r.row,
                        record: Some(SheetRecord::new(n, off)),
                        problem: None,
                    },
                    Err(p) => SheetRow {
                        row: r.row,
                        record: None,
                        problem: Some(p),
                    },
                })
                .collect(),
            unlisted_problems: s.unlisted_problems,
            utc_offset_minutes: off.local_minus_utc() / 60,
        }
    }
}

/// How to read a sheet, from the keywords of `upload` and `read_sheet`.
pub(crate) fn import_options(
    format: Option<String>,
    encoding: &str,
    default_org: Option<String>,
    sheet: Option<String>,
    utc_offset_minutes: i32,
    amend_changed: bool,
) -> vl::Result<vl::ImportOptions> {
    Ok(vl::ImportOptions {
        format: format
            .map(|f| from_name("sheet", "format", &f))
            .transpose()?,
        encoding: from_name("sheet", "encoding", encoding)?,
        utc_offset_minutes,
        default_org: opt_id(default_org)?,
        sheet,
        amend_changed,
    })
}

/// Reads a sheet (CSV or XLSX: bytes, a path or a binary file) without adding anything: its header and each row as a
/// record or the problem that keeps it from being one. Times are read in `utc_offset_minutes`.
#[pyfunction]
#[pyo3(signature = (
    data, *, format = None, encoding = String::from("auto"), default_org = None, sheet = None,
    utc_offset_minutes = Int(vl::DEFAULT_UTC_OFFSET_MINUTES.into())
))]
pub(crate) fn read_sheet(
    py: Python<'_>,
    data: &Bound<'_, PyAny>,
    format: Option<String>,
    encoding: String,
    default_org: Option<String>,
    sheet: Option<String>,
    utc_offset_minutes: Int,
) -> PyResult<Sheet> {
    let off = offset_of(py, utc_offset_minutes)?;
    let data = sheet_bytes(data, "data")?;
    let read = py.detach(move || {
        let opts = import_options(
            format,
            &encoding,
            default_org,
            sheet,
            utc_offset_minutes.saturating(),
            false,
        )?;
        vl::read_sheet(&data, &opts)
    });
    Ok(Sheet::new(check(py, read)?, off))
}
