//! Service records and volunteers: a record as Python passes it (keywords or a dict) and as
//! the ledger gives it back, the receipts of changes, a volunteer as the ledger shows them
//! (masked), what a chain check found, warnings, and the identity-number helpers.

use crate::conversions::{Int, item, opt_id, required, timestamp, visibility_parts};
use crate::errors::check;
use chrono::{DateTime, FixedOffset};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use volunteer_ledger as vl;

result_class!(
    /// What a change wrote: its log entry, or for a repeat the entry that first recorded it.
    Receipt as "Receipt" {
        /// The entry's sequence number.
        seq: u64,
        /// The entry's hash (hex).
        hash: String,
        /// The change had been made before, so nothing was written.
        duplicate: bool,
    }
);

result_class!(
    /// What adding (or amending to) a record did.
    RecordReceipt as "RecordReceipt" {
        /// The record id.
        record: String,
        /// Its state now: pending, confirmed, amended, revoked or disputed.
        state: String,
        /// Whether it is a make-up record (补录), recorded after the policy's window.
        make_up: bool,
        /// The log entry that added it.
        seq: u64,
        /// It had been recorded before with the same content: nothing was written.
        duplicate: bool,
    }
);

result_class!(
    /// A service record as the ledger holds it: what was submitted, and its state.
    ServiceRecord as "ServiceRecord" {
        /// The record id.
        id: String,
        /// The volunteer number.
        volunteer: String,
        /// The org where the service was done.
        org: String,
        /// The organising team, if any.
        team: Option<String>,
        /// The activity, if any.
        activity: Option<String>,
        /// When the service started (in the ledger's offset).
        start: DateTime<FixedOffset>,
        /// When it ended (in the ledger's offset).
        end: DateTime<FixedOffset>,
        /// Minutes of actual service.
        minutes: u32,
        /// What was done.
        content: String,
        /// entry, check_in, import or transfer.
        source: String,
        /// Declared paid (such records are refused, so always False here).
        paid: bool,
        /// Declared part of a job duty (refused, so always False here).
        job_duty: bool,
        /// Declared for the public benefit.
        public_benefit: bool,
        /// pending, confirmed, amended, revoked or disputed.
        state: String,
        /// Whether it counts in totals, stars and boards.
        counted: bool,
        /// Recorded after the policy's window (补录).
        make_up: bool,
        /// Who entered or reported it.
        recorded_by: String,
        /// Who confirmed it.
        confirmed_by: Option<String>,
        /// The record it replaces, if it is an amendment.
        amends: Option<String>,
        /// The record that replaced it, if amended.
        superseded_by: Option<String>,
        /// The last reason given (revoke, dispute, amend).
        reason: Option<String>,
        /// The log entry that added it.
        entry_seq: u64,
    }
);

result_class!(
    /// A registered volunteer, personal data masked.
    VolunteerView as "VolunteerView" {
        /// The volunteer number.
        id: String,
        /// The name, masked (first character + '*').
        masked_name: String,
        /// resident_id, passport, hk_macau_permit or taiwan_permit.
        identity_kind: String,
        /// The identity number, masked.
        masked_identity: String,
        /// Whether the identity number was erased (`Ledger.erase_identity`): the mask stays,
        /// the number can never be opened again.
        identity_erased: bool,
        /// The home org, if any.
        home_org: Option<String>,
        /// The work unit (机关/事业单位), if any.
        work_unit: Option<String>,
        /// Cumulative counted minutes, those carried in from other ledgers included.
        total_minutes: u64,
        /// Of `total_minutes`, those carried in from other ledgers (转移接续).
        carried_minutes: u64,
        /// public, pseudonym or hidden.
        visibility: String,
        /// The pseudonym shown on boards, for visibility 'pseudonym'.
        pseudonym: Option<String>,
        /// Whether the volunteer has transferred out of this ledger.
        transferred_out: bool,
    }
);

result_class!(
    /// What a chain check found.
    VerifyReport as "VerifyReport" {
        /// Entries checked.
        entries: u64,
        /// The hash of the last entry (hex).
        head_hash: String,
    }
);

result_class!(
    /// Something an operation noticed and worked around (such as a snapshot that opening a
    /// ledger file set aside), with a stable code ('W_SNAPSHOT_IGNORED') and messages that
    /// never carry a name or an identity number.
    Warning as "LedgerWarning" {
        /// The stable code, such as 'W_SNAPSHOT_IGNORED'.
        code: String,
        /// What happened, in English.
        message_en: String,
        /// What happened, in Chinese.
        message_zh: String,
    }
);

impl From<vl::Receipt> for Receipt {
    fn from(r: vl::Receipt) -> Self {
        Self {
            seq: r.seq.unsigned_abs(),
            hash: r.hash,
            duplicate: r.duplicate,
        }
    }
}

impl From<vl::RecordReceipt> for RecordReceipt {
    fn from(r: vl::RecordReceipt) -> Self {
        Self {
            record: r.record.to_string(),
            state: r.state.as_str().to_owned(),
            make_up: r.make_up,
            seq: r.seq.unsigned_abs(),
            duplicate: r.duplicate,
        }
    }
}

impl ServiceRecord {
    pub(crate) fn new(r: vl::ServiceRecord, off: FixedOffset) -> Self {
        let n = r.record;
        Self {
            id: n.id.to_string(),
            volunteer: n.volunteer.to_string(),
            org: n.org.to_string(),
            team: n.team.map(|t| t.to_string()),
            activity: n.activity.map(|a| a.to_string()),
            start: n.start.to_datetime(off),
            end: n.end.to_datetime(off),
            minutes: u32::try_from(n.minutes).unwrap_or(u32::MAX), // stored: 1 to 65535
            content: n.content,
            source: n.source.as_str().to_owned(),
            paid: n.paid,
            job_duty: n.job_duty,
            public_benefit: n.public_benefit,
            state: r.state.as_str().to_owned(),
            counted: r.counted,
            make_up: r.make_up,
            recorded_by: r.recorded_by.to_string(),
            confirmed_by: r.confirmed_by.map(|a| a.to_string()),
            amends: r.amends.map(|a| a.to_string()),
            superseded_by: r.superseded_by.map(|a| a.to_string()),
            reason: r.reason,
            entry_seq: r.entry_seq.unsigned_abs(),
        }
    }
}

impl From<vl::VolunteerView> for VolunteerView {
    fn from(v: vl::VolunteerView) -> Self {
        let (visibility, pseudonym) = visibility_parts(&v.visibility);
        Self {
            id: v.id.to_string(),
            masked_name: v.masked_name,
            identity_kind: v.identity_kind.as_str().to_owned(),
            masked_identity: v.masked_identity,
            identity_erased: v.identity_erased,
            home_org: v.home_org.map(|o| o.to_string()),
            work_unit: v.work_unit.map(|o| o.to_string()),
            total_minutes: v.total_minutes.unsigned_abs(),
            carried_minutes: v.carried_minutes.unsigned_abs(),
            visibility,
            pseudonym,
            transferred_out: v.transferred_out,
        }
    }
}

impl From<vl::VerifyReport> for VerifyReport {
    fn from(r: vl::VerifyReport) -> Self {
        Self {
            entries: r.entries.unsigned_abs(),
            head_hash: r.head_hash,
        }
    }
}

impl From<vl::Warning> for Warning {
    fn from(w: vl::Warning) -> Self {
        Self {
            code: w.code,
            message_en: w.message_en,
            message_zh: w.message_zh,
        }
    }
}

nested_dict_value!(VolunteerView);

// ---- a record as Python passes it ---------------------------------------------------------

/// The fields of a record as Python passes them, before conversion.
pub(crate) struct RecordArgs<'py> {
    pub(crate) id: String,
    pub(crate) volunteer: String,
    pub(crate) org: String,
    pub(crate) start: Bound<'py, PyAny>,
    pub(crate) end: Bound<'py, PyAny>,
    pub(crate) minutes: Int,
    pub(crate) content: String,
    pub(crate) team: Option<String>,
    pub(crate) activity: Option<String>,
    pub(crate) source: String,
    pub(crate) paid: bool,
    pub(crate) job_duty: bool,
    pub(crate) public_benefit: bool,
}

/// The keys of a record given as a dict (`add_records`): the keywords of `add_record`.
const RECORD_FIELDS: &[&str] = &[
    "id",
    "volunteer",
    "org",
    "start",
    "end",
    "minutes",
    "content",
    "team",
    "activity",
    "source",
    "paid",
    "job_duty",
    "public_benefit",
];

impl<'py> RecordArgs<'py> {
    /// Reads a record given as a dict with the keywords of `add_record`; an unknown or missing
    /// key is a TypeError, as it would be for keyword arguments.
    pub(crate) fn from_dict(d: &Bound<'py, PyDict>) -> PyResult<Self> {
        for key in d.keys() {
            let key: String = key.extract()?;
            if !RECORD_FIELDS.contains(&key.as_str()) {
                return Err(PyTypeError::new_err(format!(
                    "'{key}' is not a record field; the fields are {}",
                    RECORD_FIELDS.join(", ")
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
            content: item(d, "content")?.unwrap_or_default(),
            team: item(d, "team")?,
            activity: item(d, "activity")?,
            source: item(d, "source")?.unwrap_or_else(|| "entry".to_owned()),
            paid: item(d, "paid")?.unwrap_or(false),
            job_duty: item(d, "job_duty")?.unwrap_or(false),
            public_benefit: item(d, "public_benefit")?.unwrap_or(true),
        })
    }

    /// Converts the fields: a Python error (a value that is not a datetime …) is raised at
    /// once; the core's refusal of a field (a malformed id, an unknown source) is returned.
    pub(crate) fn convert(self, off: FixedOffset) -> PyResult<vl::Result<vl::NewRecord>> {
        let start = timestamp(&self.start, off, "start")?;
        let end = timestamp(&self.end, off, "end")?;
        Ok((|| {
            Ok(vl::NewRecord {
                id: self.id.parse()?,
                volunteer: self.volunteer.parse()?,
                org: self.org.parse()?,
                team: opt_id(self.team)?,
                activity: opt_id(self.activity)?,
                start,
                end,
                minutes: self.minutes.0,
                content: self.content,
                source: vl::RecordSource::parse(&self.source)?,
                paid: self.paid,
                job_duty: self.job_duty,
                public_benefit: self.public_benefit,
            })
        })())
    }
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
