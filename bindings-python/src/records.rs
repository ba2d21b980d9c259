//! Service records: a record as Python passes it (keywords or a dict) and as the ledger gives
//! it back, what a chain check found, and the identity-number helpers.

use crate::conversions::{Int, item, opt_id, required, timestamp};
use crate::errors::check;
use chrono::{DateTime, FixedOffset};
use pyo3::IntoPyObjectExt;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use volunteer_ledger as vl;

result_class!(
    /// A service record as the ledger holds it: what was submitted, and its state.
    ServiceRecord as "ServiceRecord" {
        /// The record id.
        id: vl::RecordId,
        /// The volunteer number.
        volunteer: vl::VolunteerId,
        /// The org where the service was done.
        org: vl::OrgId,
        /// The organising team, if any.
        team: Option<vl::TeamId>,
        /// The activity, if any.
        activity: Option<vl::ActivityId>,
        /// When the service started (in the ledger's offset).
        start: DateTime<FixedOffset>,
        /// When it ended (in the ledger's offset).
        end: DateTime<FixedOffset>,
        /// Minutes of actual service.
        minutes: i64,
        /// What was done.
        content: String,
        /// entry, check_in, import or transfer.
        source: vl::RecordSource,
        /// Declared paid (such records are refused, so always False here).
        paid: bool,
        /// Declared part of a job duty (refused, so always False here).
        job_duty: bool,
        /// Declared for the public benefit.
        public_benefit: bool,
        /// pending, confirmed, amended, revoked or disputed.
        state: vl::RecordState,
        /// Whether it counts in totals, stars and boards.
        counted: bool,
        /// Recorded after the policy's window (补录).
        make_up: bool,
        /// Who entered or reported it.
        recorded_by: vl::ActorId,
        /// Who confirmed it.
        confirmed_by: Option<vl::ActorId>,
        /// The record it replaces, if it is an amendment.
        amends: Option<vl::RecordId>,
        /// The record that replaced it, if amended.
        superseded_by: Option<vl::RecordId>,
        /// The last reason given (revoke, dispute, amend).
        reason: Option<String>,
        /// The log entry that added it.
        entry_seq: i64,
    }
);

impl ServiceRecord {
    pub(crate) fn new(r: vl::ServiceRecord, off: FixedOffset) -> Self {
        let n = r.record;
        Self {
            id: n.id,
            volunteer: n.volunteer,
            org: n.org,
            team: n.team,
            activity: n.activity,
            start: n.start.to_datetime(off),
            end: n.end.to_datetime(off),
            minutes: n.minutes,
            content: n.content,
            source: n.source,
            paid: n.paid,
            job_duty: n.job_duty,
            public_benefit: n.public_benefit,
            state: r.state,
            counted: r.counted,
            make_up: r.make_up,
            recorded_by: r.recorded_by,
            confirmed_by: r.confirmed_by,
            amends: r.amends,
            superseded_by: r.superseded_by,
            reason: r.reason,
            entry_seq: r.entry_seq,
        }
    }
}

// ---- a record as Python passes it ---------------------------------------------------------

/// The fields of a record as Python passes them, before conversion; an optional field not
/// given takes the core's default (`NewRecord::new`).
pub(crate) struct RecordArgs<'py> {
    id: String,
    volunteer: String,
    org: String,
    start: Bound<'py, PyAny>,
    end: Bound<'py, PyAny>,
    minutes: Int,
    content: Option<String>,
    team: Option<String>,
    activity: Option<String>,
    source: Option<String>,
    paid: Option<bool>,
    job_duty: Option<bool>,
    public_benefit: Option<bool>,
}

/// The keywords of `add_record`, the keys of a record dict and the columns of a record
/// frame: the required ones, then the optional ones.
const REQUIRED_FIELDS: [&str; 6] = ["id", "volunteer", "org", "start", "end", "minutes"];
const OPTIONAL_FIELDS: [&str; 7] = [
    "content",
    "team",
    "activity",
    "source",
    "paid",
    "job_duty",
    "public_benefit",
];

impl<'py> RecordArgs<'py> {
    /// Reads a record given as a dict (or as the keyword arguments of `add_record`); an
    /// unknown or missing key is a TypeError, as it is for keyword arguments.
    pub(crate) fn from_dict(d: &Bound<'py, PyDict>) -> PyResult<Self> {
        for key in d.keys() {
            let key: String = key.extract()?;
            if !REQUIRED_FIELDS.contains(&key.as_str()) && !OPTIONAL_FIELDS.contains(&key.as_str())
            {
                return Err(PyTypeError::new_err(format!(
                    "'{key}' is not a record field; the fields are {}, {}",
                    REQUIRED_FIELDS.join(", "),
                    OPTIONAL_FIELDS.join(", ")
                )));
            }
        }
        let present = |key: &str| d.get_item(key).map(|v| v.filter(|v| !v.is_none()));
        let start = present("start")?;
        let end = present("end")?;
        let missing =
            |key: &str| PyTypeError::new_err(format!("record is missing the field '{key}'"));
        Ok(Self {
            id: required(d, "id")?,
            volunteer: required(d, "volunteer")?,
            org: required(d, "org")?,
            start: start.ok_or_else(|| missing("start"))?,
            end: end.ok_or_else(|| missing("end"))?,
            minutes: required(d, "minutes")?,
            content: item(d, "content")?,
            team: item(d, "team")?,
            activity: item(d, "activity")?,
            source: item(d, "source")?,
            paid: item(d, "paid")?,
            job_duty: item(d, "job_duty")?,
            public_benefit: item(d, "public_benefit")?,
        })
    }

    /// Converts the fields: a Python error (a value that is not a datetime …) is raised at
    /// once; the core's refusal of a field (a malformed id, an unknown source) is returned.
    pub(crate) fn convert(self, off: FixedOffset) -> PyResult<vl::Result<vl::NewRecord>> {
        let start = timestamp(&self.start, off, "start")?;
        let end = timestamp(&self.end, off, "end")?;
        Ok((|| {
            let content = self.content.unwrap_or_default();
            let id = self.id.parse()?;
            let (volunteer, org) = (self.volunteer.parse()?, self.org.parse()?);
            let mut r = vl::NewRecord::new(id, volunteer, org, start, end, 0, content);
            r.minutes = self.minutes.0;
            r.team = opt_id(self.team)?;
            r.activity = opt_id(self.activity)?;
            if let Some(source) = &self.source {
                r.source = vl::RecordSource::parse(source)?;
            }
            r.paid = self.paid.unwrap_or(r.paid);
            r.job_duty = self.job_duty.unwrap_or(r.job_duty);
            r.public_benefit = self.public_benefit.unwrap_or(r.public_benefit);
            Ok(r)
        })())
    }
}

/// The keywords of `add_record`: the required ones, and the optional ones with the values a
/// record that leaves them out takes (the core's `NewRecord::new`). `_frames` reads them.
#[pyfunction]
pub(crate) fn _record_fields<'py>(
    py: Python<'py>,
) -> PyResult<(Vec<&'static str>, Bound<'py, PyDict>)> {
    let placeholder = |e: vl::LedgerError| PyTypeError::new_err(e.to_string());
    let r = vl::NewRecord::new(
        "R".parse().map_err(placeholder)?,
        "V".parse().map_err(placeholder)?,
        "O".parse().map_err(placeholder)?,
        vl::Timestamp(0),
        vl::Timestamp(0),
        0,
        "",
    );
    // In the order of OPTIONAL_FIELDS, whose names they take (as many: the type says so).
    let values: [Bound<'py, PyAny>; OPTIONAL_FIELDS.len()] = [
        r.content.into_bound_py_any(py)?,
        py.None().into_bound(py),
        py.None().into_bound(py),
        r.source.as_str().into_bound_py_any(py)?,
        r.paid.into_bound_py_any(py)?,
        r.job_duty.into_bound_py_any(py)?,
        r.public_benefit.into_bound_py_any(py)?,
    ];
    let defaults = PyDict::new(py);
    for (name, value) in OPTIONAL_FIELDS.iter().zip(values) {
        defaults.set_item(name, value)?;
    }
    Ok((REQUIRED_FIELDS.to_vec(), defaults))
}

/// The records of a call, converted: those the binding could turn into records, and those it
/// could not (a malformed id, an unknown source) with their place in the input and the core's
/// refusal.
#[derive(Default)]
pub(crate) struct Converted {
    pub(crate) records: Vec<vl::NewRecord>,
    pub(crate) refused: Vec<(usize, vl::LedgerError)>,
}

impl Converted {
    pub(crate) fn push(&mut self, record: vl::Result<vl::NewRecord>) {
        match record {
            Ok(r) => self.records.push(r),
            Err(e) => self
                .refused
                .push((self.records.len() + self.refused.len(), e)),
        }
    }
}

// ---- identity numbers and names -----------------------------------------------------------

/// Validates an identity number of a kind (resident_id, passport, hk_macau_permit,
/// taiwan_permit); returns (normalised number, masked number).
#[pyfunction]
pub(crate) fn validate_identity(
    py: Python<'_>,
    kind: String,
    number: String,
) -> PyResult<(String, String)> {
    let id = check(
        py,
        vl::IdentityKind::parse(&kind).and_then(|k| vl::Identity::new(k, &number)),
    )?;
    Ok((id.number().to_owned(), id.masked()))
}

/// Masks a name for display: its first character followed by '*'.
#[pyfunction]
pub(crate) fn mask_name(name: String) -> String {
    vl::mask_name(&name)
}

/// Masks an identity number: the first 6 and last 4 characters stay.
#[pyfunction]
pub(crate) fn mask_identity(number: String) -> String {
    vl::mask_identity(&number)
}
