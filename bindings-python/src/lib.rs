//! Python binding of volunteer-ledger (the package `volunteer_ledger`, native module
//! `volunteer_ledger._native`).
//!
//! Thin by design: this crate converts arguments and results and maps errors. Every rule —
//! validation, authorisation, ranking, stars — lives in the core crate `volunteer-ledger`.
//!
//! - Times: a timezone-aware `datetime` is an instant; a naive one is read in the ledger's UTC
//!   offset. Results carry `datetime`s in the ledger's offset (a package opened by
//!   `open_package`, outside any ledger, in UTC). The core keeps whole seconds.
//! - Errors: every core error raises a subclass of `volunteer_ledger.LedgerError`, one per
//!   error family, with the core's stable `code`, its `family` name and its message.
//! - The core `Ledger` sits in a `Mutex`; every call locks it with the GIL released, so long
//!   calls (`verify`, `leaderboard_as_of`) let other Python threads run.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeDelta, Utc};
use pyo3::IntoPyObjectExt;
use pyo3::conversion::FromPyObjectOwned;
use pyo3::create_exception;
use pyo3::exceptions::{
    PyException, PyIndexError, PyOverflowError, PyRuntimeError, PyTypeError, PyValueError,
};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDateTime, PyDict, PyList, PySlice, PyString, PyTuple};
use std::borrow::Cow;
use std::sync::Mutex;
use volunteer_ledger as vl;

// ---- exceptions ---------------------------------------------------------------------------

create_exception!(
    volunteer_ledger,
    LedgerError,
    PyException,
    "Base class of every refusal of the ledger. `code` is the core's stable error code \
     (such as 'E_OVERLAP'), `family` its family name ('validation' …); the message is the core's."
);
create_exception!(
    volunteer_ledger,
    InputError,
    LedgerError,
    "A value passed in is malformed: an identity number, a period, an id or a field (family 'input')."
);
create_exception!(
    volunteer_ledger,
    ValidationError,
    LedgerError,
    "A service record breaks a rule of the policy (family 'validation')."
);
create_exception!(
    volunteer_ledger,
    AuthorizationError,
    LedgerError,
    "The actor may not make this change (family 'authorization')."
);
create_exception!(
    volunteer_ledger,
    NotFoundError,
    LedgerError,
    "Something named does not exist (family 'not_found')."
);
create_exception!(
    volunteer_ledger,
    ConflictError,
    LedgerError,
    "Something with this id exists already, with other content (family 'conflict')."
);
create_exception!(
    volunteer_ledger,
    StateError,
    LedgerError,
    "The change does not fit the record's current state (family 'state')."
);
create_exception!(
    volunteer_ledger,
    IntegrityError,
    LedgerError,
    "The log is damaged or does not replay (family 'integrity')."
);
create_exception!(
    volunteer_ledger,
    PolicyError,
    LedgerError,
    "A policy is malformed or unknown (family 'policy')."
);
create_exception!(
    volunteer_ledger,
    StorageError,
    LedgerError,
    "A ledger file could not be opened, read or written; nothing was changed (family 'storage')."
);

/// Raises a core error as the exception of its family, carrying `code` and `family`.
fn ledger_err(py: Python<'_>, e: &vl::LedgerError) -> PyErr {
    use vl::ErrorFamily as F;
    let msg = e.to_string();
    let err = match e.family() {
        F::Input => InputError::new_err(msg),
        F::Validation => ValidationError::new_err(msg),
        F::Authorization => AuthorizationError::new_err(msg),
        F::NotFound => NotFoundError::new_err(msg),
        F::Conflict => ConflictError::new_err(msg),
        F::State => StateError::new_err(msg),
        F::Integrity => IntegrityError::new_err(msg),
        F::Policy => PolicyError::new_err(msg),
        F::Storage => StorageError::new_err(msg),
    };
    let value = err.value(py);
    let (message_en, message_zh) = e.messages();
    let fields = e.fields();
    let record = fields.get("record").cloned();
    if let Err(set) = value
        .setattr("code", e.code())
        .and_then(|()| value.setattr("family", e.family().as_str()))
        .and_then(|()| value.setattr("message_en", message_en))
        .and_then(|()| value.setattr("message_zh", message_zh))
        .and_then(|()| value.setattr("fields", fields))
        .and_then(|()| value.setattr("record", record))
    {
        return set;
    }
    err
}

/// Converts a core result, raising its error.
fn check<T>(py: Python<'_>, r: vl::Result<T>) -> PyResult<T> {
    r.map_err(|e| ledger_err(py, &e))
}

/// An `E_FIELD` refusal for an argument the binding cannot convert (an unknown name).
fn bad_field(what: &str, field: &str, detail: impl Into<String>) -> vl::LedgerError {
    vl::LedgerError::InvalidField {
        what: what.to_owned(),
        field: field.to_owned(),
        detail: detail.into(),
    }
}

// ---- names and ids ------------------------------------------------------------------------

fn opt_id<T: std::str::FromStr<Err = vl::LedgerError>>(
    text: Option<String>,
) -> vl::Result<Option<T>> {
    text.map(|t| t.parse()).transpose()
}

fn ids<T: std::str::FromStr<Err = vl::LedgerError>>(texts: Vec<String>) -> vl::Result<Vec<T>> {
    texts.iter().map(|t| t.parse()).collect()
}

fn role_of(role: &str, org: Option<String>) -> vl::Result<vl::Role> {
    vl::Role::parse(role, org.as_deref())
}

fn visibility_of(mode: &str, pseudonym: Option<String>) -> vl::Result<vl::BoardVisibility> {
    vl::BoardVisibility::parse(mode, pseudonym.as_deref())
}

fn visibility_parts(v: &vl::BoardVisibility) -> (String, Option<String>) {
    (v.mode().to_owned(), v.pseudonym().map(str::to_owned))
}

// ---- times --------------------------------------------------------------------------------

/// A Python `datetime` as a core timestamp: an aware datetime is the instant it names; a naive
/// one (no tzinfo, or a tzinfo whose `utcoffset()` is None) is read in `off`. Fractions of a
/// second are dropped (towards the past).
fn timestamp(value: &Bound<'_, PyAny>, off: FixedOffset, field: &str) -> PyResult<vl::Timestamp> {
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

fn opt_timestamp(
    value: Option<&Bound<'_, PyAny>>,
    off: FixedOffset,
    field: &str,
) -> PyResult<Option<vl::Timestamp>> {
    value.map(|v| timestamp(v, off, field)).transpose()
}

fn offset_of(py: Python<'_>, minutes: Int) -> PyResult<FixedOffset> {
    check(py, vl::time::offset(minutes.saturating()))
}

/// A Python int as the core takes it, whatever its size, so that the core's range rules (and
/// their codes, such as `E_FIELD`) decide about it rather than Python's `OverflowError`: an
/// int beyond 64 bits reads as `i64::MIN` or `i64::MAX`, which every rule refuses.
#[derive(Debug, Clone, Copy)]
struct Int(i64);

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
    fn saturating(self) -> i32 {
        i32::try_from(self.0).unwrap_or(if self.0 < 0 { i32::MIN } else { i32::MAX })
    }
}

// ---- result objects -----------------------------------------------------------------------

/// A value as it appears in `to_dict()`: plain values as themselves, nested results as dicts.
trait DictValue {
    fn dict_value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>;
}

macro_rules! plain_dict_value {
    ($($t:ty),* $(,)?) => {$(
        impl DictValue for $t {
            fn dict_value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                self.clone().into_bound_py_any(py)
            }
        }
    )*};
}

plain_dict_value!(
    String,
    Option<String>,
    bool,
    u8,
    i32,
    u32,
    u64,
    Vec<String>,
    Option<u8>,
    Option<bool>,
    Option<u32>,
    Option<u64>,
    Option<i64>,
    i64,
    Option<i32>,
    DateTime<FixedOffset>,
    NaiveDate,
    Option<NaiveDate>,
);

/// A result object that converts to a dict.
trait ToDict {
    fn dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>>;
}

impl<T: ToDict> DictValue for Vec<T> {
    fn dict_value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let items = self
            .iter()
            .map(|x| x.dict(py))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(PyList::new(py, items)?.into_any())
    }
}

/// Declares a frozen result class with read-only attributes, `to_dict()`, `__repr__` and `==`.
macro_rules! result_class {
    (
        $(#[$doc:meta])*
        $rust:ident as $py:literal {
            $( $(#[$fdoc:meta])* $field:ident : $ty:ty ),* $(,)?
        }
        $( methods { $($methods:tt)* } )?
    ) => {
        $(#[$doc])*
        #[pyclass(frozen, get_all, eq, module = "volunteer_ledger", name = $py)]
        #[derive(Debug, Clone, PartialEq)]
        struct $rust {
            $( $(#[$fdoc])* $field: $ty, )*
        }

        impl $rust {
            /// The attribute names, in order: the columns of its DataFrame.
            #[allow(dead_code)]
            const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];
        }

        impl ToDict for $rust {
            fn dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
                let d = PyDict::new(py);
                $( d.set_item(stringify!($field), self.$field.dict_value(py)?)?; )*
                Ok(d)
            }
        }

        #[pymethods]
        impl $rust {
            /// The attributes as a plain dict; nested results become dicts too.
            fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
                self.dict(py)
            }

            fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                let parts: Vec<String> = vec![$(
                    format!(
                        "{}={}",
                        stringify!($field),
                        self.$field.clone().into_bound_py_any(py)?.repr()?
                    ),
                )*];
                Ok(format!("{}({})", $py, parts.join(", ")))
            }

            $( $($methods)* )?
        }
    };
}

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
    /// When a star level was reached.
    LevelReached as "LevelReached" {
        /// The level, 1 for one star.
        level: u8,
        /// The local date of the service that reached it.
        date: NaiveDate,
    }
);

result_class!(
    /// A star standing: level, when each level was reached, and what is left to the next.
    StarSummary as "StarSummary" {
        /// Cumulative counted minutes.
        total_minutes: u64,
        /// Stars held.
        level: u8,
        /// When each level held was reached, lowest first (empty for a bare total).
        reached: Vec<LevelReached>,
        /// The next level, or None at the top.
        next_level: Option<u8>,
        /// Minutes still needed for the next level, or None at the top.
        minutes_to_next: Option<u64>,
    }
);

result_class!(
    /// One line of a leaderboard.
    BoardEntry as "BoardEntry" {
        /// Standard competition rank (1, 2, 2, 4).
        rank: u32,
        /// Volunteer number, team id or org id; None for a volunteer under a pseudonym.
        id: Option<String>,
        /// Masked name, pseudonym, team name or org name.
        name: String,
        /// Confirmed minutes in the period and scope.
        minutes: u64,
    }
);

result_class!(
    /// A leaderboard: the top lines of a period, scope and kind.
    Leaderboard as "Leaderboard" {
        /// The period ('2015-W23', '2015-06', '2015' or 'all').
        period: String,
        /// The scope ('all', 'org:<id>' or 'team:<id>').
        scope: String,
        /// volunteers, teams or orgs.
        kind: String,
        /// The log entry the board is as of.
        as_of_seq: u64,
        /// How many are ranked, beyond the lines shown.
        ranked: u32,
        /// The top lines, best first; ties by id.
        entries: Vec<BoardEntry>,
    }
    methods {
        /// The lines as a pandas DataFrame (rank, id, name, minutes); needs pandas.
        fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            frame_of(py, &self.entries, BoardEntry::FIELDS)
        }
    }
);

result_class!(
    /// A volunteer's place on a board, and the change since the previous period.
    Standing as "Standing" {
        /// The volunteer number.
        volunteer: String,
        /// The period.
        period: String,
        /// The scope.
        scope: String,
        /// Their minutes in the period and scope.
        minutes: u64,
        /// Their rank, or None (no minutes, or hidden from boards).
        rank: Option<u32>,
        /// How many are ranked.
        ranked: u32,
        /// Their rank in the previous period, if any.
        previous_rank: Option<u32>,
        /// Places gained since the previous period (positive is up), if both ranks exist.
        places_up: Option<i64>,
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
    /// A period described: its canonical text, kind, first and last local day, neighbours.
    PeriodInfo as "PeriodInfo" {
        /// The canonical text.
        text: String,
        /// week, month, year or all.
        kind: String,
        /// The first local date (None for 'all').
        first_day: Option<NaiveDate>,
        /// The last local date (None for 'all').
        last_day: Option<NaiveDate>,
        /// The period before (None for 'all').
        previous: Option<String>,
        /// The period after (None for 'all').
        next: Option<String>,
    }
);

result_class!(
    /// A ledger as the issuer of transfer packages and certificates.
    Issuer as "Issuer" {
        /// The ledger id.
        ledger_id: String,
        /// The ledger's name.
        name: String,
        /// Its Ed25519 public key (64 hex digits).
        public_key: String,
    }
);

result_class!(
    /// One counted record carried by a transfer package.
    TransferRecord as "TransferRecord" {
        /// The ledger where it was served.
        ledger: String,
        /// The record's id in that ledger.
        record: String,
        /// The org where it was served.
        org: String,
        /// That org's name.
        org_name: String,
        /// When it started (UTC).
        start: DateTime<FixedOffset>,
        /// When it ended (UTC).
        end: DateTime<FixedOffset>,
        /// Minutes of service.
        minutes: u32,
        /// What was done.
        content: String,
        /// The hash (hex) of the log entry that recorded it where it was served.
        entry_hash: String,
        /// The proof that the entry is among those the package's `checkpoint` covers (None
        /// in a package made before signed heads).
        proof: Option<InclusionProof>,
    }
);

result_class!(
    /// Minutes in one calendar year (the issuing ledger's local time).
    YearTotal as "YearTotal" {
        /// The year.
        year: i32,
        /// Minutes.
        minutes: u64,
    }
);

result_class!(
    /// A transfer package, opened: a volunteer's history as one ledger certifies it to another.
    TransferPackage as "TransferPackage" {
        /// The format, 'volunteer-ledger/transfer@2' ('@1' for packages made before signed heads).
        format: String,
        /// Who issued it.
        issuer: Issuer,
        /// The ledger it is meant for, if the issuer named one.
        destination: Option<String>,
        /// When it was issued (UTC).
        issued_at: DateTime<FixedOffset>,
        /// The volunteer number.
        volunteer: String,
        /// The name, masked.
        masked_name: String,
        /// resident_id, passport, hk_macau_permit or taiwan_permit.
        identity_kind: String,
        /// The identity number, masked.
        masked_identity: String,
        /// Total minutes of `records`.
        total_minutes: u64,
        /// Minutes per year of `records`.
        year_totals: Vec<YearTotal>,
        /// The star profile's name.
        star_profile: String,
        /// The star level under `star_profile`.
        star_level: u8,
        /// When each level was reached.
        stars_reached: Vec<LevelReached>,
        /// Every counted record, oldest first.
        records: Vec<TransferRecord>,
        /// The issuer's signed head when it issued the package (None for '@1' packages).
        checkpoint: Option<SignedHead>,
    }
);

result_class!(
    /// What importing a transfer package did.
    TransferReceipt as "TransferReceipt" {
        /// The volunteer number.
        volunteer: String,
        /// The package's hash (hex).
        package_hash: String,
        /// Records carried in (those not here already).
        records_added: u32,
        /// Their minutes.
        minutes_added: u64,
        /// Carried records set aside because their time overlaps service the volunteer
        /// already has here (`record@ledger`): never counted twice.
        overlapping: Vec<String>,
        /// Their minutes.
        minutes_overlapping: u64,
        /// The log entry that imported it (for a duplicate: the head).
        seq: u64,
        /// The package had been imported before: nothing changed.
        duplicate: bool,
    }
);

result_class!(
    /// What became of one record of a sync batch on the server.
    SyncResult as "SyncResult" {
        /// The record id.
        record: String,
        /// 'accepted', 'already_had' or 'refused'.
        outcome: String,
        /// The server's entry that recorded it (None if refused).
        seq: Option<u64>,
        /// That entry's hash, hex (None if refused).
        entry_hash: Option<String>,
        /// Its state on the server (None if refused).
        state: Option<String>,
        /// Whether the server counts it as a make-up record (None unless accepted now).
        make_up: Option<bool>,
        /// The refusal's code (None unless refused).
        code: Option<String>,
        /// The refusal in English, no personal data (None unless refused).
        message_en: Option<String>,
        /// The refusal in Chinese, no personal data (None unless refused).
        message_zh: Option<String>,
        /// The proof that entry `seq` is among those the receipt's `head` covers (None if
        /// refused).
        proof: Option<InclusionProof>,
    }
);

result_class!(
    /// The server's answer to a sync batch; `json` is what goes back to the device.
    SyncReceipt as "SyncReceipt" {
        /// The server ledger's id.
        ledger: String,
        /// The device the batch came from.
        device: String,
        /// The actor the batch was imported as.
        actor: String,
        /// The SHA-256 (hex) of the batch it answers.
        batch: String,
        /// One result per record of the batch, in order.
        results: Vec<SyncResult>,
        /// The server's signed head once the batch was recorded: every acknowledged result's
        /// proof leads to it. The device keeps the largest (`Ledger.sync_server_head`).
        head: SignedHead,
        /// The server's public key (hex) the receipt is signed with.
        public_key: String,
        /// The receipt as JSON ('volunteer-ledger/sync-receipt@3', signed).
        json: String,
    }
);

result_class!(
    /// A record the server refused, as the device keeps it (not sent again).
    SyncRefusal as "SyncRefusal" {
        /// The record id.
        record: String,
        /// The server's code.
        code: String,
        /// The server's message in English.
        message_en: String,
        /// The server's message in Chinese.
        message_zh: String,
    }
);

result_class!(
    /// What applying a sync receipt did on the device.
    SyncApplied as "SyncApplied" {
        /// Records newly acknowledged by the server.
        acknowledged: u32,
        /// Records newly refused; they will not be sent again.
        refused: Vec<SyncRefusal>,
        /// Results applied before, or about records this ledger never recorded.
        ignored: u32,
    }
);

result_class!(
    /// Where a device ledger stands with its server.
    SyncStatus as "SyncStatus" {
        /// Records still to send.
        unsent: u32,
        /// Records the server has acknowledged.
        acknowledged: u32,
        /// Records the server refused, oldest refusal first.
        refused: Vec<SyncRefusal>,
    }
);

result_class!(
    /// One service record on a certificate.
    CertificateRecord as "CertificateRecord" {
        /// The record's id.
        record: String,
        /// The local date of the service.
        date: NaiveDate,
        /// The org where the service was done.
        org_name: String,
        /// Minutes of service.
        minutes: u32,
        /// What was done (服务内容).
        content: String,
        /// The hash (hex) of the log entry that recorded it.
        entry_hash: String,
        /// The proof that the entry is among those the certificate's `checkpoint` covers
        /// (None on a certificate issued before signed heads).
        proof: Option<InclusionProof>,
    }
);

result_class!(
    /// What checking a certificate's verification code shows: only what it must, masked.
    CertificateCheck as "CertificateCheck" {
        /// 'valid', or 'superseded' when a record on it was later amended or revoked.
        status: String,
        /// The certificate number.
        number: String,
        /// The volunteer number.
        volunteer: String,
        /// The name, masked.
        masked_name: String,
        /// resident_id, passport, hk_macau_permit or taiwan_permit.
        identity_kind: String,
        /// The identity number, masked.
        masked_identity: String,
        /// The first day covered.
        period_from: NaiveDate,
        /// The last day covered.
        period_to: NaiveDate,
        /// Total minutes on the certificate.
        total_minutes: u64,
        /// The issuing org's name.
        issuing_org_name: String,
        /// The issue date.
        issued_on: NaiveDate,
        /// The records that no longer stand as certified (amended or revoked).
        changed_records: Vec<String>,
    }
);

result_class!(
    /// A training on a certificate.
    CertificateTraining as "CertificateTraining" {
        /// Its title.
        title: String,
        /// The day.
        date: NaiveDate,
        /// Its length in minutes.
        minutes: i64,
        /// The org that gave it.
        org_name: String,
    }
);

result_class!(
    /// A commendation on a certificate.
    CertificateCommendation as "CertificateCommendation" {
        /// Its title.
        title: String,
        /// The day.
        date: NaiveDate,
        /// The org that gave it.
        org_name: String,
    }
);

impl DictValue for Issuer {
    fn dict_value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.dict(py)?.into_any())
    }
}

/// A service certificate (志愿服务证明) as the volunteer holds it: full name and identity
/// number (as the certificate rules require), the counted records of the period, the issuer's
/// signature and the verification code. `to_json()` is its canonical form (the one the shared
/// vectors use); `Certificate.from_json(text)` reads it back, for checking offline with
/// `verify_certificate_offline`. Its repr names the certificate, not the person.
#[pyclass(frozen, eq, module = "volunteer_ledger", name = "Certificate")]
#[derive(Debug, Clone, PartialEq)]
struct Certificate {
    /// The certificate number (证明编号).
    #[pyo3(get)]
    number: String,
    /// The volunteer number.
    #[pyo3(get)]
    volunteer: String,
    /// The volunteer's full name.
    #[pyo3(get)]
    name: String,
    /// resident_id, passport, hk_macau_permit or taiwan_permit.
    #[pyo3(get)]
    identity_kind: String,
    /// The identity number, in full.
    #[pyo3(get)]
    identity_number: String,
    /// The first day covered.
    #[pyo3(get)]
    period_from: NaiveDate,
    /// The last day covered.
    #[pyo3(get)]
    period_to: NaiveDate,
    /// Total minutes of the records.
    #[pyo3(get)]
    total_minutes: u64,
    /// The counted records in the period.
    #[pyo3(get)]
    records: Vec<CertificateRecord>,
    /// With `with_training_and_commendations`: the training attended in the period.
    #[pyo3(get)]
    training: Vec<CertificateTraining>,
    /// With `with_training_and_commendations`: the commendations received in the period.
    #[pyo3(get)]
    commendations: Vec<CertificateCommendation>,
    /// The issuing org.
    #[pyo3(get)]
    issuing_org: String,
    /// The issuing org's name.
    #[pyo3(get)]
    issuing_org_name: String,
    /// Its responsible person (负责人).
    #[pyo3(get)]
    responsible_person: String,
    /// The handler (经办人).
    #[pyo3(get)]
    handler: String,
    /// The contact (联系方式).
    #[pyo3(get)]
    contact: String,
    /// Notes (备注).
    #[pyo3(get)]
    notes: String,
    /// The issue date.
    #[pyo3(get)]
    issued_on: NaiveDate,
    /// The issuing ledger.
    #[pyo3(get)]
    ledger_id: String,
    /// The issuing ledger's name.
    #[pyo3(get)]
    ledger_name: String,
    /// The issuer's Ed25519 public key (hex).
    #[pyo3(get)]
    public_key: String,
    /// The Ed25519 signature (hex) over the other fields.
    #[pyo3(get)]
    signature: String,
    /// The code anyone can check it by (验证码).
    #[pyo3(get)]
    verification_code: String,
    /// The issuer's signed head before the certificate's entry, which every record's `proof`
    /// is checked against (None on a certificate issued before signed heads).
    #[pyo3(get)]
    checkpoint: Option<SignedHead>,
    /// The core's certificate, as issued or read: what is verified and rendered.
    inner: vl::Certificate,
}

impl From<vl::Certificate> for Certificate {
    fn from(c: vl::Certificate) -> Self {
        Self {
            number: c.number.clone(),
            volunteer: c.volunteer.to_string(),
            name: c.name.clone(),
            identity_kind: c.identity_kind.as_str().to_owned(),
            identity_number: c.identity_number.clone(),
            period_from: c.period_from,
            period_to: c.period_to,
            total_minutes: c.total_minutes.unsigned_abs(),
            records: c
                .records
                .iter()
                .map(|r| CertificateRecord {
                    record: r.record.to_string(),
                    date: r.date,
                    org_name: r.org_name.clone(),
                    minutes: u32::try_from(r.minutes).unwrap_or(u32::MAX),
                    content: r.content.clone(),
                    entry_hash: r.entry_hash.clone(),
                    proof: r.proof.clone().map(Into::into),
                })
                .collect(),
            training: c
                .training
                .iter()
                .map(|t| CertificateTraining {
                    title: t.title.clone(),
                    date: t.date,
                    minutes: t.minutes,
                    org_name: t.org_name.clone(),
                })
                .collect(),
            commendations: c
                .commendations
                .iter()
                .map(|m| CertificateCommendation {
                    title: m.title.clone(),
                    date: m.date,
                    org_name: m.org_name.clone(),
                })
                .collect(),
            issuing_org: c.issuing_org.to_string(),
            issuing_org_name: c.issuing_org_name.clone(),
            responsible_person: c.responsible_person.clone(),
            handler: c.handler.clone(),
            contact: c.contact.clone(),
            notes: c.notes.clone(),
            issued_on: c.issued_on,
            ledger_id: c.ledger_id.to_string(),
            ledger_name: c.ledger_name.clone(),
            public_key: c.public_key.clone(),
            signature: c.signature.clone(),
            verification_code: c.verification_code.clone(),
            checkpoint: c.checkpoint.clone().map(Into::into),
            inner: c,
        }
    }
}

impl ToDict for Certificate {
    fn dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        macro_rules! put {
            ($($field:ident),*) => {$( d.set_item(stringify!($field), self.$field.dict_value(py)?)?; )*};
        }
        put!(
            number,
            volunteer,
            name,
            identity_kind,
            identity_number,
            period_from,
            period_to,
            total_minutes,
            records,
            training,
            commendations,
            issuing_org,
            issuing_org_name,
            responsible_person,
            handler,
            contact,
            notes,
            issued_on,
            ledger_id,
            ledger_name,
            public_key,
            signature,
            verification_code,
            checkpoint
        );
        Ok(d)
    }
}

#[pymethods]
impl Certificate {
    /// Reads a certificate from its JSON (as `to_json()` writes it). Raises IntegrityError
    /// (E_CERTIFICATE_FORMAT) for text that is not a certificate; whether it is genuine is for
    /// `verify_certificate_offline` or `Ledger.verify_certificate` to say.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        Ok(check(py, vl::Certificate::from_json(text))?.into())
    }

    /// The certificate as canonical JSON (keys sorted, no whitespace): the form the holder
    /// keeps and `from_json` reads.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The attributes as a plain dict; the records become dicts too.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.dict(py)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "Certificate(number={}, volunteer={}, period_from={}, period_to={}, \
             total_minutes={}, issuing_org={}, verification_code={})",
            PyString::new(py, &self.number).repr()?,
            PyString::new(py, &self.volunteer).repr()?,
            self.period_from.into_bound_py_any(py)?.repr()?,
            self.period_to.into_bound_py_any(py)?.repr()?,
            self.total_minutes,
            PyString::new(py, &self.issuing_org).repr()?,
            PyString::new(py, &self.verification_code).repr()?,
        ))
    }
}

/// A ledger's signed head (签名检查点): "my log holds `size` entries, the last is `head_hash`,
/// the Merkle root of their hashes is `root_hash`", signed with the ledger's Ed25519 key
/// (docs/checkpoints.md). Publish its `to_json()`; whoever keeps it can later have the ledger
/// prove, with `Ledger.verify_against([head])`, that its log still begins with those entries.
#[pyclass(frozen, eq, module = "volunteer_ledger", name = "SignedHead")]
#[derive(Debug, Clone, PartialEq)]
struct SignedHead {
    /// 'volunteer-ledger/signed-head@1'.
    #[pyo3(get)]
    format: String,
    /// The hash (hex) of the last entry, entry `size - 1`.
    #[pyo3(get)]
    head_hash: String,
    /// The ledger whose log it is.
    #[pyo3(get)]
    ledger_id: String,
    /// The ledger's Ed25519 public key (hex).
    #[pyo3(get)]
    public_key: String,
    /// The Merkle root (hex) of the first `size` entry hashes.
    #[pyo3(get)]
    root_hash: String,
    /// The Ed25519 signature (hex) over `signed_bytes()`.
    #[pyo3(get)]
    signature: String,
    /// How many entries the log held.
    #[pyo3(get)]
    size: u64,
    /// When it was signed (UTC).
    #[pyo3(get)]
    time: DateTime<FixedOffset>,
    /// The core's head, as signed or read.
    inner: vl::SignedHead,
}

impl From<vl::SignedHead> for SignedHead {
    fn from(h: vl::SignedHead) -> Self {
        Self {
            format: h.format.clone(),
            head_hash: h.head_hash.clone(),
            ledger_id: h.ledger_id.to_string(),
            public_key: h.public_key.clone(),
            root_hash: h.root_hash.clone(),
            signature: h.signature.clone(),
            size: h.size.unsigned_abs(),
            time: h.time.to_datetime(Utc.fix()),
            inner: h,
        }
    }
}

impl ToDict for SignedHead {
    fn dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        macro_rules! put {
            ($($field:ident),*) => {$( d.set_item(stringify!($field), self.$field.dict_value(py)?)?; )*};
        }
        put!(
            format, head_hash, ledger_id, public_key, root_hash, signature, size, time
        );
        Ok(d)
    }
}

#[pymethods]
impl SignedHead {
    /// Reads a signed head from its JSON (as `to_json()` writes it). Raises IntegrityError
    /// (E_CHECKPOINT_FORMAT) for text that is not one; whether it is genuine is for `check`.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        Ok(check(py, vl::SignedHead::from_json(text))?.into())
    }

    /// The head as canonical JSON (keys sorted, no whitespace): the form to publish.
    fn to_json(&self) -> String {
        self.inner.to_json()
    }

    /// The exact bytes the signature covers (canonical JSON of every field but `signature`).
    fn signed_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        PyBytes::new(py, &self.inner.signed_bytes())
    }

    /// Checks its format and its signature against a public key the caller trusts (hex).
    /// Raises AuthorizationError E_UNTRUSTED_ISSUER when the head names another key,
    /// IntegrityError E_BAD_SIGNATURE or E_CHECKPOINT_FORMAT.
    fn check(&self, py: Python<'_>, trusted_public_key: &str) -> PyResult<()> {
        check(py, self.inner.check(trusted_public_key))
    }

    /// Checks that the entry whose hash is `entry_hash` (hex) stands at `proof.index` among
    /// the entries this head covers (check the head itself with `check`). Raises
    /// IntegrityError E_CHECKPOINT_MISMATCH when the proof does not lead to the signed root,
    /// E_CHECKPOINT_FORMAT when it does not read.
    fn check_inclusion(
        &self,
        py: Python<'_>,
        entry_hash: &str,
        proof: PyRef<'_, InclusionProof>,
    ) -> PyResult<()> {
        let proof = vl::InclusionProof {
            index: i64::try_from(proof.index).unwrap_or(i64::MAX),
            path: proof.path.clone(),
        };
        check(py, self.inner.check_inclusion(entry_hash, &proof))
    }

    /// The attributes as a plain dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.dict(py)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!(
            "SignedHead(ledger_id={}, size={}, root_hash={}, time={})",
            PyString::new(py, &self.ledger_id).repr()?,
            self.size,
            PyString::new(py, &self.root_hash).repr()?,
            self.time.into_bound_py_any(py)?.repr()?,
        ))
    }
}

impl DictValue for SignedHead {
    fn dict_value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.dict(py)?.into_any())
    }
}

impl DictValue for Option<SignedHead> {
    fn dict_value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Some(h) => Ok(h.dict(py)?.into_any()),
            None => Ok(py.None().into_bound(py)),
        }
    }
}

result_class!(
    /// The proof that a log entry is one of those a signed head covers: the entry's index
    /// (its seq) and the RFC 9162 inclusion path, leaf to root (docs/checkpoints.md).
    InclusionProof as "InclusionProof" {
        /// The entry's seq: its leaf's index.
        index: u64,
        /// The sibling hashes (hex) from the leaf up.
        path: Vec<String>,
    }
);

impl From<vl::InclusionProof> for InclusionProof {
    fn from(p: vl::InclusionProof) -> Self {
        Self {
            index: p.index.unsigned_abs(),
            path: p.path,
        }
    }
}

impl DictValue for Option<InclusionProof> {
    fn dict_value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Some(p) => Ok(p.dict(py)?.into_any()),
            None => Ok(py.None().into_bound(py)),
        }
    }
}

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

impl From<vl::Warning> for Warning {
    fn from(w: vl::Warning) -> Self {
        Self {
            code: w.code,
            message_en: w.message_en,
            message_zh: w.message_zh,
        }
    }
}

// ---- identity keys ------------------------------------------------------------------------

/// A ledger key provider written in Python: a callable taking a key id and returning that
/// key's 32 bytes, `current` naming the key that wraps new data keys. Whatever the callable
/// does — raises, returns None, something not bytes or bytes of another length — the core
/// sees "no such key" and refuses with E_KEY_UNAVAILABLE; the exception is reported through
/// `sys.unraisablehook`, never raised through the ledger, and nothing panics.
struct PyKeyProvider {
    current: String,
    callable: Py<PyAny>,
}

impl std::fmt::Debug for PyKeyProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PyKeyProvider")
            .field("current", &self.current)
            .finish_non_exhaustive()
    }
}

impl vl::KeyProvider for PyKeyProvider {
    fn current(&self) -> Option<String> {
        Some(self.current.clone())
    }

    fn key(&self, id: &str) -> Option<[u8; 32]> {
        let call = std::panic::AssertUnwindSafe(|| {
            Python::attach(|py| {
                let out = self.callable.bind(py).call1((id,)).and_then(|k| {
                    if k.is_none() {
                        return Ok(None);
                    }
                    let bytes = k.cast::<PyBytes>().map_err(PyErr::from)?.as_bytes();
                    Ok(<[u8; 32]>::try_from(bytes).ok())
                });
                out.unwrap_or_else(|e| {
                    e.write_unraisable(py, Some(self.callable.bind(py)));
                    None
                })
            })
        });
        std::panic::catch_unwind(call).ok().flatten()
    }
}

/// Where a ledger's identity keys come from, from the constructors' arguments: `key` (32
/// bytes, id `key_id`), `key_provider` (a callable, current id `key_id`) or `mask_only`; at
/// most one of them. `None`: the default (a key file beside a ledger file).
fn identity_keys(
    key: Option<Vec<u8>>,
    key_provider: Option<Py<PyAny>>,
    key_id: String,
    mask_only: bool,
) -> vl::Result<Option<vl::IdentityKeys>> {
    let given =
        usize::from(key.is_some()) + usize::from(key_provider.is_some()) + usize::from(mask_only);
    if given > 1 {
        return Err(bad_field(
            "identity keys",
            "key",
            "give at most one of key, key_provider and mask_only",
        ));
    }
    Ok(match (key, key_provider) {
        (Some(bytes), _) => Some(vl::IdentityKeys::Provider(std::sync::Arc::new(
            vl::Keyring::new(&key_id, &bytes)?,
        ))),
        (None, Some(callable)) => Some(vl::IdentityKeys::Provider(std::sync::Arc::new(
            PyKeyProvider {
                current: key_id,
                callable,
            },
        ))),
        (None, None) if mask_only => Some(vl::IdentityKeys::MaskOnly),
        (None, None) => None,
    })
}

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
    fn new(r: vl::ServiceRecord, off: FixedOffset) -> Self {
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

impl From<vl::StarSummary> for StarSummary {
    fn from(s: vl::StarSummary) -> Self {
        Self {
            total_minutes: s.total_minutes.unsigned_abs(),
            level: u8::try_from(s.level).unwrap_or(u8::MAX),
            reached: s
                .reached
                .into_iter()
                .map(|r| LevelReached {
                    level: u8::try_from(r.level).unwrap_or(u8::MAX),
                    date: r.date,
                })
                .collect(),
            next_level: s.next_level.and_then(|l| u8::try_from(l).ok()),
            minutes_to_next: s.minutes_to_next.map(i64::unsigned_abs),
        }
    }
}

impl From<vl::Leaderboard> for Leaderboard {
    fn from(b: vl::Leaderboard) -> Self {
        Self {
            period: b.period.to_string(),
            scope: b.scope.to_string(),
            kind: b.kind.as_str().to_owned(),
            as_of_seq: b.as_of_seq.unsigned_abs(),
            ranked: b.ranked.unsigned_abs(),
            entries: b
                .entries
                .into_iter()
                .map(|e| BoardEntry {
                    rank: e.rank.unsigned_abs(),
                    id: e.id,
                    name: e.name,
                    minutes: e.minutes.unsigned_abs(),
                })
                .collect(),
        }
    }
}

impl From<vl::Standing> for Standing {
    fn from(s: vl::Standing) -> Self {
        Self {
            volunteer: s.volunteer.to_string(),
            period: s.period.to_string(),
            scope: s.scope.to_string(),
            minutes: s.minutes.unsigned_abs(),
            rank: s.rank.map(i32::unsigned_abs),
            ranked: s.ranked.unsigned_abs(),
            previous_rank: s.previous_rank.map(i32::unsigned_abs),
            places_up: s.places_up,
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

impl From<vl::PeriodInfo> for PeriodInfo {
    fn from(p: vl::PeriodInfo) -> Self {
        Self {
            text: p.text,
            kind: p.kind,
            first_day: p.first_day,
            last_day: p.last_day,
            previous: p.previous,
            next: p.next,
        }
    }
}

impl From<vl::Issuer> for Issuer {
    fn from(i: vl::Issuer) -> Self {
        Self {
            ledger_id: i.ledger_id.to_string(),
            name: i.name,
            public_key: i.public_key,
        }
    }
}

impl From<vl::TransferPackage> for TransferPackage {
    /// Times in UTC: a package read outside a ledger has no local offset.
    fn from(p: vl::TransferPackage) -> Self {
        let utc = Utc.fix();
        Self {
            format: p.format,
            issuer: p.issuer.into(),
            destination: p.destination.map(|d| d.to_string()),
            issued_at: p.issued_at.to_datetime(utc),
            volunteer: p.volunteer.to_string(),
            masked_name: p.masked_name,
            identity_kind: p.identity_kind.as_str().to_owned(),
            masked_identity: p.masked_identity,
            total_minutes: p.total_minutes.unsigned_abs(),
            year_totals: p
                .year_totals
                .into_iter()
                .map(|y| YearTotal {
                    year: y.year,
                    minutes: y.minutes.unsigned_abs(),
                })
                .collect(),
            star_profile: p.star_profile,
            star_level: u8::try_from(p.star_level).unwrap_or(u8::MAX),
            stars_reached: p
                .stars_reached
                .into_iter()
                .map(|r| LevelReached {
                    level: u8::try_from(r.level).unwrap_or(u8::MAX),
                    date: r.date,
                })
                .collect(),
            records: p
                .records
                .into_iter()
                .map(|r| TransferRecord {
                    ledger: r.ledger.to_string(),
                    record: r.record.to_string(),
                    org: r.org.to_string(),
                    org_name: r.org_name,
                    start: r.start.to_datetime(utc),
                    end: r.end.to_datetime(utc),
                    minutes: u32::try_from(r.minutes).unwrap_or(u32::MAX),
                    content: r.content,
                    entry_hash: r.entry_hash,
                    proof: r.proof.map(Into::into),
                })
                .collect(),
            checkpoint: p.checkpoint.map(Into::into),
        }
    }
}

impl From<vl::TransferReceipt> for TransferReceipt {
    fn from(r: vl::TransferReceipt) -> Self {
        Self {
            volunteer: r.volunteer.to_string(),
            package_hash: r.package_hash,
            records_added: r.records_added.unsigned_abs(),
            minutes_added: r.minutes_added.unsigned_abs(),
            overlapping: r.overlapping,
            minutes_overlapping: r.minutes_overlapping.unsigned_abs(),
            seq: r.seq.unsigned_abs(),
            duplicate: r.duplicate,
        }
    }
}

impl From<vl::SyncResult> for SyncResult {
    fn from(r: vl::SyncResult) -> Self {
        let none = Self {
            record: r.record().to_string(),
            outcome: String::new(),
            seq: None,
            entry_hash: None,
            state: None,
            make_up: None,
            code: None,
            message_en: None,
            message_zh: None,
            proof: None,
        };
        match r {
            vl::SyncResult::Accepted {
                seq,
                entry_hash,
                state,
                make_up,
                proof,
                ..
            } => Self {
                outcome: "accepted".into(),
                seq: Some(seq.unsigned_abs()),
                entry_hash: Some(entry_hash),
                state: Some(state.as_str().to_owned()),
                make_up: Some(make_up),
                proof: Some(proof.into()),
                ..none
            },
            vl::SyncResult::AlreadyHad {
                seq,
                entry_hash,
                state,
                proof,
                ..
            } => Self {
                outcome: "already_had".into(),
                seq: Some(seq.unsigned_abs()),
                entry_hash: Some(entry_hash),
                state: Some(state.as_str().to_owned()),
                proof: Some(proof.into()),
                ..none
            },
            vl::SyncResult::Refused {
                code,
                message_en,
                message_zh,
                ..
            } => Self {
                outcome: "refused".into(),
                code: Some(code),
                message_en: Some(message_en),
                message_zh: Some(message_zh),
                ..none
            },
        }
    }
}

impl From<vl::SyncReceipt> for SyncReceipt {
    fn from(r: vl::SyncReceipt) -> Self {
        let json = r.to_json();
        Self {
            ledger: r.ledger.to_string(),
            device: r.device.to_string(),
            actor: r.actor.to_string(),
            batch: r.batch,
            results: r.results.into_iter().map(SyncResult::from).collect(),
            head: r.head.into(),
            public_key: r.public_key,
            json,
        }
    }
}

impl From<vl::SyncRefusal> for SyncRefusal {
    fn from(r: vl::SyncRefusal) -> Self {
        Self {
            record: r.record.to_string(),
            code: r.code,
            message_en: r.message_en,
            message_zh: r.message_zh,
        }
    }
}

fn refusals(list: Vec<vl::SyncRefusal>) -> Vec<SyncRefusal> {
    list.into_iter().map(SyncRefusal::from).collect()
}

impl From<vl::CertificateCheck> for CertificateCheck {
    fn from(c: vl::CertificateCheck) -> Self {
        Self {
            status: c.status.as_str().to_owned(),
            number: c.number,
            volunteer: c.volunteer.to_string(),
            masked_name: c.masked_name,
            identity_kind: c.identity_kind.as_str().to_owned(),
            masked_identity: c.masked_identity,
            period_from: c.period_from,
            period_to: c.period_to,
            total_minutes: c.total_minutes.unsigned_abs(),
            issuing_org_name: c.issuing_org_name,
            issued_on: c.issued_on,
            changed_records: c.changed_records.iter().map(ToString::to_string).collect(),
        }
    }
}

// ---- teams over time, projects, activities, training, ratings, reports ---------------------

result_class!(
    /// An org as registered.
    Org as "Org" {
        /// The org id.
        id: String,
        /// Its name.
        name: String,
        /// district, street, community, neighbourhood, block, work_unit, volunteer_org or other.
        kind: String,
        /// The org above it, or None for a root.
        parent: Option<String>,
    }
);

result_class!(
    /// A team (服务队) as created: its leader, liaisons and members at creation (members over
    /// time: `Ledger.team_members`).
    Team as "Team" {
        /// The team id.
        id: String,
        /// The org it belongs to.
        org: String,
        /// Its name.
        name: String,
        /// The leader (队长).
        leader: String,
        /// The liaisons (联络员).
        liaisons: Vec<String>,
        /// The members listed at creation.
        members: Vec<String>,
    }
);

result_class!(
    /// A volunteer's membership of a team: when they joined and, if they did, left.
    MemberPeriod as "MemberPeriod" {
        /// The volunteer number.
        volunteer: String,
        /// The day they joined.
        joined: NaiveDate,
        /// The day they left, or None while a member.
        left: Option<NaiveDate>,
    }
);

result_class!(
    /// A service project (服务项目) an org published, and the team that claimed it.
    Project as "Project" {
        /// The project id.
        id: String,
        /// The publishing org.
        org: String,
        /// Its name.
        name: String,
        /// Its category (such as 'elderly care').
        category: String,
        /// The team that claimed it, if any.
        claimed_by: Option<String>,
    }
);

result_class!(
    /// An activity (活动): what was planned, and what its records and evaluations show.
    Activity as "Activity" {
        /// The activity id.
        id: String,
        /// Its name.
        name: String,
        /// The organising org.
        org: String,
        /// The organising team, if any.
        team: Option<String>,
        /// The project it belongs to, if any.
        project: Option<String>,
        /// When it starts (in the ledger's offset).
        start: DateTime<FixedOffset>,
        /// When it ends (in the ledger's offset).
        end: DateTime<FixedOffset>,
        /// Its project's category, if it has a project.
        category: Option<String>,
        /// The records of its service, in the order they were added.
        records: Vec<String>,
        /// Counted minutes of those records.
        counted_minutes: i64,
        /// How many evaluations it received.
        evaluations: i32,
        /// Their average in tenths of a point (45 is 4.5), if any.
        average_evaluation_tenths: Option<i32>,
        /// How many complaints were recorded against it.
        complaints: i32,
    }
);

result_class!(
    /// A training (培训) a volunteer attended.
    Training as "Training" {
        /// The training id.
        id: String,
        /// The volunteer number.
        volunteer: String,
        /// The org that gave it.
        org: String,
        /// Its title.
        title: String,
        /// The day.
        date: NaiveDate,
        /// Its length in minutes (not service time).
        minutes: i32,
    }
);

result_class!(
    /// A commendation (表彰奖励) a volunteer received.
    Commendation as "Commendation" {
        /// The commendation id.
        id: String,
        /// The volunteer number.
        volunteer: String,
        /// The org that gave it.
        org: String,
        /// Its title.
        title: String,
        /// The day.
        date: NaiveDate,
    }
);

result_class!(
    /// Everything the ledger knows about a volunteer's service, masked.
    VolunteerSummary as "VolunteerSummary" {
        /// The volunteer, masked.
        volunteer: VolunteerView,
        /// Their star summary.
        stars: StarSummary,
        /// Trainings attended, oldest first.
        training: Vec<Training>,
        /// Commendations received, oldest first.
        commendations: Vec<Commendation>,
        /// Evaluations of activities they served in.
        evaluations: i32,
        /// Their average in tenths of a point, if any.
        average_evaluation_tenths: Option<i32>,
        /// Complaints naming them.
        complaints_received: i32,
        /// The teams they are a member of now.
        teams: Vec<String>,
        /// The community they reported in to (报到), if any.
        reported_in: Option<String>,
    }
);

result_class!(
    /// What a team did in a year: the facts a scoring table rates.
    TeamFacts as "TeamFacts" {
        /// Members with counted service in the year.
        active_members: i32,
        /// Complaints against its activities.
        complaints: i32,
        /// Evaluations of its activities.
        evaluations: i32,
        /// The sum of their scores.
        evaluation_points: i32,
        /// Months with an activity on the first Saturday (the monthly service day).
        first_saturday_months: i32,
        /// Members at the end of the year.
        members: i32,
        /// The fewest counted minutes of any member in the year.
        min_member_minutes: i64,
        /// Months with an activity.
        months_active: i32,
        /// Counted minutes of members in its activities.
        total_minutes: i64,
    }
);

result_class!(
    /// One criterion of a team's score: what was measured and the points it gave.
    CriterionLine as "CriterionLine" {
        /// The metric measured (months_active, total_hours …).
        metric: String,
        /// scaled, at_least, requirement or penalty.
        mode: String,
        /// The measured value, in the metric's unit.
        value: i64,
        /// The value that gives full marks (or the threshold).
        target: i64,
        /// Points given (negative for a penalty).
        points: i32,
        /// The criterion's weight.
        weight: i32,
        /// Whether the target was met.
        met: bool,
        /// The line in English.
        text_en: String,
        /// The line in Chinese.
        text_zh: String,
    }
);

result_class!(
    /// A score by a scoring table: points, stars, level name and the breakdown.
    TeamScore as "TeamScore" {
        /// The scoring table's name.
        scoring: String,
        /// Points out of 100.
        score: i32,
        /// Stars awarded (0 for none).
        stars: i32,
        /// The level's name (bronze …), if the table names levels.
        level_name: Option<String>,
        /// One line per criterion, in the table's order.
        lines: Vec<CriterionLine>,
        /// The result in a sentence, English.
        summary_en: String,
        /// The result in a sentence, Chinese.
        summary_zh: String,
    }
);

result_class!(
    /// A team's star rating (服务队星级评定) for a year.
    TeamRating as "TeamRating" {
        /// The team id.
        team: String,
        /// The team's name.
        team_name: String,
        /// The year rated.
        year: i32,
        /// What the team did.
        facts: TeamFacts,
        /// How the table scores it.
        score: TeamScore,
    }
);

result_class!(
    /// A volunteer the policy's rule proposes as excellent (优秀志愿者) for a year, with why.
    ExcellentCandidate as "ExcellentCandidate" {
        /// The volunteer number.
        volunteer: String,
        /// The name, masked.
        masked_name: String,
        /// Their street, if their home org lies under one.
        street: Option<String>,
        /// Counted minutes in the year.
        year_minutes: i64,
        /// Stars held at the end of the year.
        star_level: i32,
        /// Their place in the street by minutes in the year.
        rank_in_street: i32,
        /// Why, in English.
        reason_en: String,
        /// Why, in Chinese.
        reason_zh: String,
    }
);

result_class!(
    /// One staff member of a unit's report.
    UnitStaffLine as "UnitStaffLine" {
        /// The volunteer number.
        volunteer: String,
        /// The name, masked.
        masked_name: String,
        /// Counted minutes in the period.
        minutes: i64,
        /// Stars held.
        star_level: i32,
        /// The community they reported in to, if any.
        community: Option<String>,
        /// Its name.
        community_name: Option<String>,
    }
);

result_class!(
    /// A work unit's (机关/事业单位) report of its staff's service in their communities.
    UnitReport as "UnitReport" {
        /// The unit.
        unit: String,
        /// The period.
        period: String,
        /// One line per staff member who reported in, by volunteer number.
        staff: Vec<UnitStaffLine>,
        /// How many served in the period.
        served: i32,
        /// Their counted minutes in the period.
        total_minutes: i64,
    }
    methods {
        /// The staff lines as a pandas DataFrame; needs pandas.
        fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            frame_of(py, &self.staff, UnitStaffLine::FIELDS)
        }
    }
);

result_class!(
    /// A volunteer who lives in, or reported in to, a community.
    CommunityVolunteer as "CommunityVolunteer" {
        /// The volunteer number.
        volunteer: String,
        /// The name, masked.
        masked_name: String,
        /// Their work unit, if any.
        work_unit: Option<String>,
        /// Whether they reported in to this community (报到).
        reported_in: bool,
    }
);

result_class!(
    /// Something the anti-fraud checks flag for a person to look at (not a refusal).
    Anomaly as "Anomaly" {
        /// day_minutes, burst, late_entry or self_recorded.
        kind: String,
        /// The record, if the flag is about one.
        record: Option<String>,
        /// The volunteer, if the flag is about one.
        volunteer: Option<String>,
        /// The actor, if the flag is about one.
        actor: Option<String>,
        /// The local day.
        day: NaiveDate,
        /// Why, in English.
        reason_en: String,
        /// Why, in Chinese.
        reason_zh: String,
    }
);

// ---- uploads ------------------------------------------------------------------------------

result_class!(
    /// A row of a sheet that was not added, and why: no personal data in the messages.
    RowProblem as "RowProblem" {
        /// The row, 1-based as Excel shows it.
        row: i32,
        /// The column's header as in the sheet, if one column is at fault.
        column: Option<String>,
        /// The stable error code.
        code: String,
        /// The problem in English.
        message_en: String,
        /// The problem in Chinese.
        message_zh: String,
    }
);

result_class!(
    /// What an upload did (or, for a dry run, would do).
    ImportReport as "ImportReport" {
        /// SHA-256 (hex) of the file.
        fingerprint: String,
        /// Whether nothing was written.
        dry_run: bool,
        /// Data rows read.
        rows: i32,
        /// Rows added.
        accepted: i32,
        /// Of those, rows left pending (to confirm).
        pending: i32,
        /// Rows recorded before with the same content (nothing written).
        duplicates: i32,
        /// Rows refused, in sheet order: the first 10,000 of them.
        rejected: Vec<RowProblem>,
        /// How many rows were refused in all.
        refused: i32,
    }
    methods {
        /// The rejected rows as a pandas DataFrame (row, column, code, messages); needs pandas.
        fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            frame_of(py, &self.rejected, RowProblem::FIELDS)
        }
    }
);

result_class!(
    /// A record as a sheet row gives it: `to_dict()` gives the keywords of `Ledger.add_record`.
    SheetRecord as "SheetRecord" {
        /// The record id.
        id: String,
        /// The volunteer number.
        volunteer: String,
        /// The org.
        org: String,
        /// When it started (in the offset the sheet was read in).
        start: DateTime<FixedOffset>,
        /// When it ended.
        end: DateTime<FixedOffset>,
        /// Minutes of service.
        minutes: i64,
        /// What was done.
        content: String,
        /// The organising team, if any.
        team: Option<String>,
        /// The activity, if any.
        activity: Option<String>,
        /// 'import'.
        source: String,
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
        problem: Option<RowProblem>,
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
    }
    methods {
        /// The rows that read as records, as a pandas DataFrame indexed by sheet row with the
        /// columns `Ledger.add_records` takes; needs pandas.
        fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
            let mut rows = Vec::new();
            for r in &self.rows {
                if let Some(record) = &r.record {
                    let d = record.dict(py)?;
                    d.set_item("row", r.row)?;
                    rows.push(d);
                }
            }
            let mut columns = vec!["row"];
            columns.extend_from_slice(SheetRecord::FIELDS);
            frame(py, rows, &columns)?.call_method1("set_index", ("row",))
        }
    }
);

/// Nested result objects become dicts in `to_dict()`.
macro_rules! nested_dict_value {
    ($($t:ty),* $(,)?) => {$(
        impl DictValue for $t {
            fn dict_value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                Ok(self.dict(py)?.into_any())
            }
        }
        impl DictValue for Option<$t> {
            fn dict_value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
                match self {
                    Some(v) => Ok(v.dict(py)?.into_any()),
                    None => Ok(py.None().into_bound(py)),
                }
            }
        }
    )*};
}

nested_dict_value!(
    VolunteerView,
    StarSummary,
    TeamFacts,
    TeamScore,
    RowProblem,
    SheetRecord
);

impl DictValue for Vec<(String, String)> {
    fn dict_value<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.clone().into_bound_py_any(py)
    }
}

/// A core enum's name as its serde form gives it (the form the log and the vectors use).
fn serde_name<T: serde::Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// A core enum from its serde name, or an `E_FIELD` refusal naming the field.
fn from_name<T: serde::de::DeserializeOwned>(what: &str, field: &str, name: &str) -> vl::Result<T> {
    serde_json::from_value(serde_json::Value::String(name.to_owned()))
        .map_err(|_| bad_field(what, field, format!("'{name}' is not a known {field}")))
}

fn opt_string<T: ToString>(v: Option<T>) -> Option<String> {
    v.map(|x| x.to_string())
}

fn strings<T: ToString>(v: Vec<T>) -> Vec<String> {
    v.iter().map(ToString::to_string).collect()
}

impl From<vl::MemberPeriod> for MemberPeriod {
    fn from(m: vl::MemberPeriod) -> Self {
        Self {
            volunteer: m.volunteer.to_string(),
            joined: m.joined,
            left: m.left,
        }
    }
}

impl From<vl::ProjectView> for Project {
    fn from(p: vl::ProjectView) -> Self {
        Self {
            id: p.project.id.to_string(),
            org: p.project.org.to_string(),
            name: p.project.name,
            category: p.project.category,
            claimed_by: opt_string(p.claimed_by),
        }
    }
}

impl Activity {
    fn new(a: vl::ActivityView, off: FixedOffset) -> Self {
        let n = a.activity;
        Self {
            id: n.id.to_string(),
            name: n.name,
            org: n.org.to_string(),
            team: opt_string(n.team),
            project: opt_string(n.project),
            start: n.start.to_datetime(off),
            end: n.end.to_datetime(off),
            category: a.category,
            records: strings(a.records),
            counted_minutes: a.counted_minutes,
            evaluations: a.evaluations,
            average_evaluation_tenths: a.average_evaluation_tenths,
            complaints: a.complaints,
        }
    }
}

impl From<vl::Training> for Training {
    fn from(t: vl::Training) -> Self {
        Self {
            id: t.id.to_string(),
            volunteer: t.volunteer.to_string(),
            org: t.org.to_string(),
            title: t.title,
            date: t.date,
            minutes: t.minutes,
        }
    }
}

impl From<vl::Commendation> for Commendation {
    fn from(c: vl::Commendation) -> Self {
        Self {
            id: c.id.to_string(),
            volunteer: c.volunteer.to_string(),
            org: c.org.to_string(),
            title: c.title,
            date: c.date,
        }
    }
}

impl From<vl::VolunteerSummary> for VolunteerSummary {
    fn from(s: vl::VolunteerSummary) -> Self {
        Self {
            volunteer: s.volunteer.into(),
            stars: s.stars.into(),
            training: s.training.into_iter().map(Training::from).collect(),
            commendations: s
                .commendations
                .into_iter()
                .map(Commendation::from)
                .collect(),
            evaluations: s.evaluations,
            average_evaluation_tenths: s.average_evaluation_tenths,
            complaints_received: s.complaints_received,
            teams: strings(s.teams),
            reported_in: opt_string(s.reported_in),
        }
    }
}

impl From<vl::TeamFacts> for TeamFacts {
    fn from(f: vl::TeamFacts) -> Self {
        Self {
            active_members: f.active_members,
            complaints: f.complaints,
            evaluations: f.evaluations,
            evaluation_points: f.evaluation_points,
            first_saturday_months: f.first_saturday_months,
            members: f.members,
            min_member_minutes: f.min_member_minutes,
            months_active: f.months_active,
            total_minutes: f.total_minutes,
        }
    }
}

impl From<&TeamFacts> for vl::TeamFacts {
    fn from(f: &TeamFacts) -> Self {
        Self {
            active_members: f.active_members,
            complaints: f.complaints,
            evaluations: f.evaluations,
            evaluation_points: f.evaluation_points,
            first_saturday_months: f.first_saturday_months,
            members: f.members,
            min_member_minutes: f.min_member_minutes,
            months_active: f.months_active,
            total_minutes: f.total_minutes,
        }
    }
}

impl From<vl::TeamScore> for TeamScore {
    fn from(s: vl::TeamScore) -> Self {
        Self {
            scoring: s.scoring,
            score: s.score,
            stars: s.stars,
            level_name: s.level_name,
            lines: s
                .lines
                .into_iter()
                .map(|l| CriterionLine {
                    metric: l.metric.as_str().to_owned(),
                    mode: l.mode.as_str().to_owned(),
                    value: l.value,
                    target: l.target,
                    points: l.points,
                    weight: l.weight,
                    met: l.met,
                    text_en: l.text_en,
                    text_zh: l.text_zh,
                })
                .collect(),
            summary_en: s.summary_en,
            summary_zh: s.summary_zh,
        }
    }
}

impl From<vl::TeamRating> for TeamRating {
    fn from(r: vl::TeamRating) -> Self {
        Self {
            team: r.team.to_string(),
            team_name: r.team_name,
            year: r.year,
            facts: r.facts.into(),
            score: r.score.into(),
        }
    }
}

impl From<vl::ExcellentCandidate> for ExcellentCandidate {
    fn from(c: vl::ExcellentCandidate) -> Self {
        Self {
            volunteer: c.volunteer.to_string(),
            masked_name: c.masked_name,
            street: opt_string(c.street),
            year_minutes: c.year_minutes,
            star_level: c.star_level,
            rank_in_street: c.rank_in_street,
            reason_en: c.reason_en,
            reason_zh: c.reason_zh,
        }
    }
}

impl From<vl::UnitReport> for UnitReport {
    fn from(r: vl::UnitReport) -> Self {
        Self {
            unit: r.unit.to_string(),
            period: r.period,
            staff: r
                .staff
                .into_iter()
                .map(|s| UnitStaffLine {
                    volunteer: s.volunteer.to_string(),
                    masked_name: s.masked_name,
                    minutes: s.minutes,
                    star_level: s.star_level,
                    community: opt_string(s.community),
                    community_name: s.community_name,
                })
                .collect(),
            served: r.served,
            total_minutes: r.total_minutes,
        }
    }
}

impl From<vl::CommunityVolunteer> for CommunityVolunteer {
    fn from(c: vl::CommunityVolunteer) -> Self {
        Self {
            volunteer: c.volunteer.to_string(),
            masked_name: c.masked_name,
            work_unit: opt_string(c.work_unit),
            reported_in: c.reported_in,
        }
    }
}

impl From<vl::Anomaly> for Anomaly {
    fn from(a: vl::Anomaly) -> Self {
        Self {
            kind: a.kind.as_str().to_owned(),
            record: opt_string(a.record),
            volunteer: opt_string(a.volunteer),
            actor: opt_string(a.actor),
            day: a.day,
            reason_en: a.reason_en,
            reason_zh: a.reason_zh,
        }
    }
}

impl From<vl::RowProblem> for RowProblem {
    fn from(p: vl::RowProblem) -> Self {
        Self {
            row: p.row,
            column: p.column,
            code: p.code,
            message_en: p.message_en,
            message_zh: p.message_zh,
        }
    }
}

impl From<vl::ImportReport> for ImportReport {
    fn from(r: vl::ImportReport) -> Self {
        Self {
            fingerprint: r.fingerprint,
            dry_run: r.dry_run,
            rows: r.rows,
            accepted: r.accepted,
            pending: r.pending,
            duplicates: r.duplicates,
            rejected: r.rejected.into_iter().map(RowProblem::from).collect(),
            refused: r.refused,
        }
    }
}

impl SheetRecord {
    fn new(n: vl::NewRecord, off: FixedOffset) -> Self {
        Self {
            id: n.id.to_string(),
            volunteer: n.volunteer.to_string(),
            org: n.org.to_string(),
            start: n.start.to_datetime(off),
            end: n.end.to_datetime(off),
            minutes: n.minutes,
            content: n.content,
            team: opt_string(n.team),
            activity: opt_string(n.activity),
            source: n.source.as_str().to_owned(),
            paid: n.paid,
            job_duty: n.job_duty,
            public_benefit: n.public_benefit,
        }
    }
}

impl Sheet {
    fn new(s: vl::Sheet, off: FixedOffset) -> Self {
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
                        problem: Some(p.into()),
                    },
                })
                .collect(),
            unlisted_problems: s.unlisted_problems,
        }
    }
}
// ---- the ledger ---------------------------------------------------------------------------

/// The fields of a record as Python passes them, before conversion.
struct RecordArgs<'py> {
    id: String,
    volunteer: String,
    org: String,
    start: Bound<'py, PyAny>,
    end: Bound<'py, PyAny>,
    minutes: Int,
    content: String,
    team: Option<String>,
    activity: Option<String>,
    source: String,
    paid: bool,
    job_duty: bool,
    public_benefit: bool,
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

/// A dict value; a missing key or None is `None`.
fn item<'py, T: FromPyObjectOwned<'py>>(d: &Bound<'py, PyDict>, key: &str) -> PyResult<Option<T>> {
    match d.get_item(key)? {
        Some(v) if !v.is_none() => v.extract::<T>().map(Some).map_err(Into::into),
        _ => Ok(None),
    }
}

/// A required dict value.
fn required<'py, T: FromPyObjectOwned<'py>>(d: &Bound<'py, PyDict>, key: &str) -> PyResult<T> {
    item(d, key)?
        .ok_or_else(|| PyTypeError::new_err(format!("record is missing the field '{key}'")))
}

impl<'py> RecordArgs<'py> {
    /// Reads a record given as a dict with the keywords of `add_record`; an unknown or missing
    /// key is a TypeError, as it would be for keyword arguments.
    fn from_dict(d: &Bound<'py, PyDict>) -> PyResult<Self> {
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
    fn convert(self, off: FixedOffset) -> PyResult<vl::Result<vl::NewRecord>> {
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
struct Converted {
    records: Vec<vl::NewRecord>,
    refused: Vec<(usize, vl::LedgerError)>,
}

impl Converted {
    fn push(&mut self, record: vl::Result<vl::NewRecord>) {
        match record {
            Ok(r) => self.records.push(r),
            Err(e) => self
                .refused
                .push((self.records.len() + self.refused.len(), e)),
        }
    }
}

fn column_length_error() -> PyErr {
    PyTypeError::new_err("the record columns differ in length")
}

/// A text column of a DataFrame, as `_frames.record_columns` passes it.
enum Texts<'a> {
    /// Every value joined by NUL, and (1) the rows that have none.
    Joined {
        values: std::str::Split<'a, char>,
        missing: Option<std::slice::Iter<'a, u8>>,
    },
    /// One value at a time.
    Listed(std::vec::IntoIter<Option<String>>),
    /// The same value on every row.
    Same(Option<String>),
}

impl<'a> Texts<'a> {
    /// `missing` is the column's mask of rows without a value, if any; a required column
    /// (`optional` false) holds strings only.
    fn read(
        value: &'a Bound<'_, PyAny>,
        missing: Option<&'a Bound<'_, PyAny>>,
        n: usize,
        optional: bool,
    ) -> PyResult<Self> {
        if let Ok(bytes) = value.cast::<PyBytes>() {
            let text = std::str::from_utf8(bytes.as_bytes())
                .map_err(|e| PyValueError::new_err(format!("a text column is not UTF-8: {e}")))?;
            let values = if n == 0 {
                0
            } else {
                text.bytes().filter(|&b| b == 0).count() + 1
            };
            if values != n {
                return Err(column_length_error());
            }
            let missing = match missing {
                Some(m) => {
                    let m = m.cast::<PyBytes>()?.as_bytes();
                    if m.len() != n {
                        return Err(column_length_error());
                    }
                    Some(m.iter())
                }
                None => None,
            };
            Ok(Self::Joined {
                values: text.split('\0'),
                missing,
            })
        } else if value.is_instance_of::<PyList>() {
            let values: Vec<Option<String>> = if optional {
                value.extract()?
            } else {
                value
                    .extract::<Vec<String>>()?
                    .into_iter()
                    .map(Some)
                    .collect()
            };
            if values.len() != n {
                return Err(column_length_error());
            }
            Ok(Self::Listed(values.into_iter()))
        } else if optional {
            Ok(Self::Same(value.extract()?))
        } else {
            Ok(Self::Same(Some(value.extract()?)))
        }
    }

    /// The next row's value (None: it has none). Past the last row: None. Borrowed where it
    /// can be, so that a value the record does not keep (a source) or keeps empty costs no
    /// allocation.
    fn next(&mut self) -> Option<Cow<'_, str>> {
        match self {
            Self::Joined { values, missing } => {
                let value = values.next()?;
                match missing.as_mut().and_then(Iterator::next) {
                    Some(1) => None,
                    _ => Some(Cow::Borrowed(value)),
                }
            }
            Self::Listed(values) => values.next().flatten().map(Cow::Owned),
            Self::Same(value) => value.as_deref().map(Cow::Borrowed),
        }
    }
}

/// A value of a fixed-width column: how many bytes it packs into, how it unpacks, and how it
/// is read from a Python list or scalar.
trait Packed: Copy + Default {
    const WIDTH: usize;
    fn unpack(bytes: &[u8]) -> Self;
    fn extract_list(value: &Bound<'_, PyAny>) -> PyResult<Vec<Self>>;
    fn extract_one(value: &Bound<'_, PyAny>) -> PyResult<Self>;
}

/// Whole numbers: little-endian int64.
impl Packed for i64 {
    const WIDTH: usize = 8;
    #[inline]
    fn unpack(bytes: &[u8]) -> Self {
        bytes.try_into().map_or(0, i64::from_le_bytes)
    }
    fn extract_list(value: &Bound<'_, PyAny>) -> PyResult<Vec<Self>> {
        value.extract()
    }
    fn extract_one(value: &Bound<'_, PyAny>) -> PyResult<Self> {
        value.extract()
    }
}

/// Flags: one byte, non-zero for true.
impl Packed for bool {
    const WIDTH: usize = 1;
    #[inline]
    fn unpack(bytes: &[u8]) -> Self {
        bytes.first().is_some_and(|&b| b != 0)
    }
    fn extract_list(value: &Bound<'_, PyAny>) -> PyResult<Vec<Self>> {
        value.extract()
    }
    fn extract_one(value: &Bound<'_, PyAny>) -> PyResult<Self> {
        value.extract()
    }
}

/// A column of fixed-width values: packed bytes, a list, or one value for every row.
enum Values<'a, T> {
    Packed(std::slice::ChunksExact<'a, u8>),
    Listed(std::vec::IntoIter<T>),
    Same(T),
}

/// A column of whole numbers.
type Numbers<'a> = Values<'a, i64>;
/// A column of flags.
type Flags<'a> = Values<'a, bool>;

impl<'a, T: Packed> Values<'a, T> {
    fn read(value: &'a Bound<'_, PyAny>, n: usize) -> PyResult<Self> {
        if let Ok(bytes) = value.cast::<PyBytes>() {
            let bytes = bytes.as_bytes();
            if bytes.len() != n * T::WIDTH {
                return Err(column_length_error());
            }
            Ok(Self::Packed(bytes.chunks_exact(T::WIDTH)))
        } else if value.is_instance_of::<PyList>() {
            let values = T::extract_list(value)?;
            if values.len() != n {
                return Err(column_length_error());
            }
            Ok(Self::Listed(values.into_iter()))
        } else {
            Ok(Self::Same(T::extract_one(value)?))
        }
    }

    #[inline]
    fn next(&mut self) -> T {
        match self {
            Self::Packed(chunks) => chunks.next().map_or_else(T::default, T::unpack),
            Self::Listed(values) => values.next().unwrap_or_default(),
            Self::Same(value) => *value,
        }
    }
}

/// The records of a DataFrame, as `volunteer_ledger._frames.record_columns` gives its
/// columns. Read with the GIL held (a few Python calls, whatever the number of rows); turned
/// into records by `convert`, which needs no Python and runs with the GIL released.
struct RecordColumns<'a> {
    n: usize,
    id: Texts<'a>,
    volunteer: Texts<'a>,
    org: Texts<'a>,
    start: Numbers<'a>,
    end: Numbers<'a>,
    minutes: Numbers<'a>,
    content: Texts<'a>,
    team: Texts<'a>,
    activity: Texts<'a>,
    source: Texts<'a>,
    paid: Flags<'a>,
    job_duty: Flags<'a>,
    public_benefit: Flags<'a>,
}

/// How many rows of a bulk add are prepared and converted at a time.
const CHUNK: usize = 1 << 16;

/// A frame's columns as `_frames.record_columns` packs them: the row count, and the dict's
/// values for `FRAME_KEYS` (which keep the bytes `RecordColumns` reads).
fn frame_columns<'py>(
    frames: &Bound<'py, PyModule>,
    frame: &Bound<'py, PyAny>,
    off: i32,
) -> PyResult<(usize, Vec<Option<Bound<'py, PyAny>>>)> {
    let columns = frames
        .call_method1("record_columns", (frame, off))?
        .cast_into::<PyDict>()?;
    let rows: usize = required(&columns, "n")?;
    let values = FRAME_KEYS
        .iter()
        .map(|k| columns.get_item(k))
        .collect::<PyResult<_>>()?;
    Ok((rows, values))
}

/// The keys of `_frames.record_columns`' dict, in the order `RecordColumns::read` takes them.
const FRAME_KEYS: &[&str] = &[
    "id",
    "volunteer",
    "org",
    "start",
    "end",
    "minutes",
    "content",
    "team",
    "team_missing",
    "activity",
    "activity_missing",
    "source",
    "paid",
    "job_duty",
    "public_benefit",
];

impl<'a> RecordColumns<'a> {
    /// `values`: the dict's values for `FRAME_KEYS` (None where a key is absent).
    fn read(n: usize, values: &'a [Option<Bound<'_, PyAny>>]) -> PyResult<Self> {
        let get = |i: usize| -> PyResult<&'a Bound<'_, PyAny>> {
            values.get(i).and_then(Option::as_ref).ok_or_else(|| {
                PyTypeError::new_err(format!(
                    "record is missing the field '{}'",
                    FRAME_KEYS.get(i).unwrap_or(&"?")
                ))
            })
        };
        let mask = |i: usize| values.get(i).and_then(Option::as_ref);
        Ok(Self {
            n,
            id: Texts::read(get(0)?, None, n, false)?,
            volunteer: Texts::read(get(1)?, None, n, false)?,
            org: Texts::read(get(2)?, None, n, false)?,
            start: Numbers::read(get(3)?, n)?,
            end: Numbers::read(get(4)?, n)?,
            minutes: Numbers::read(get(5)?, n)?,
            content: Texts::read(get(6)?, None, n, false)?,
            team: Texts::read(get(7)?, mask(8), n, true)?,
            activity: Texts::read(get(9)?, mask(10), n, true)?,
            source: Texts::read(get(11)?, None, n, false)?,
            paid: Flags::read(get(12)?, n)?,
            job_duty: Flags::read(get(13)?, n)?,
            public_benefit: Flags::read(get(14)?, n)?,
        })
    }

    /// Every row as a record, or why it is none: a field the core refuses (a malformed id, an
    /// unknown source) refuses that row only.
    fn convert_rows(mut self) -> Vec<vl::Result<vl::NewRecord>> {
        std::iter::from_fn(|| self.next_record()).collect()
    }

    /// The next row as a record, or why it is none; `None` after the last row.
    fn next_record(&mut self) -> Option<vl::Result<vl::NewRecord>> {
        self.n = self.n.checked_sub(1)?;
        let id = self.id.next();
        let volunteer = self.volunteer.next();
        let org = self.org.next();
        let team = self.team.next();
        let activity = self.activity.next();
        let content = self.content.next();
        let source = self.source.next();
        let start = self.start.next();
        let end = self.end.next();
        let minutes = self.minutes.next();
        let paid = self.paid.next();
        let job_duty = self.job_duty.next();
        let public_benefit = self.public_benefit.next();
        Some((|| {
            Ok(vl::NewRecord {
                id: vl::RecordId::new(id.unwrap_or_default())?,
                volunteer: vl::VolunteerId::new(volunteer.unwrap_or_default())?,
                org: vl::OrgId::new(org.unwrap_or_default())?,
                team: team.map(vl::TeamId::new).transpose()?,
                activity: activity.map(vl::ActivityId::new).transpose()?,
                start: vl::Timestamp(start),
                end: vl::Timestamp(end),
                minutes,
                content: content.unwrap_or_default().into_owned(),
                source: vl::RecordSource::parse(source.as_deref().unwrap_or_default())?,
                paid,
                job_duty,
                public_benefit,
            })
        })())
    }
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

/// What `Ledger.add_records` did: one result per input record, in input order — a
/// RecordReceipt for each record added (or repeated), the LedgerError (not raised) for each
/// record refused. A read-only sequence that makes each result's Python object when it is
/// asked for, so a bulk add of a million records creates one object, not a million.
#[pyclass(frozen, sequence, module = "volunteer_ledger", name = "RecordResults")]
struct RecordResults {
    /// The receipts of the records not refused, in input order.
    receipts: Vec<vl::RecordReceipt>,
    /// The refused records: their place in the input (ascending), the refusal, and its Python
    /// exception once made (so the same refusal is the same object each time).
    refusals: Vec<(usize, vl::LedgerError, PyOnceLock<Py<PyAny>>)>,
    added: usize,
    duplicates: usize,
}

impl RecordResults {
    /// The results of a call: `refused` are the records the binding could not convert (with
    /// their place in the input), `added` the core's results for the others, in order.
    fn new(
        refused: Vec<(usize, vl::LedgerError)>,
        added: Vec<vl::Result<vl::RecordReceipt>>,
    ) -> Self {
        let n = refused.len() + added.len();
        let mut out = Self {
            receipts: Vec::with_capacity(added.len()),
            refusals: Vec::new(),
            added: 0,
            duplicates: 0,
        };
        let mut refused = refused.into_iter().peekable();
        let mut added = added.into_iter();
        for i in 0..n {
            let result = match refused.next_if(|(at, _)| *at == i) {
                Some((_, e)) => Err(e),
                None => added
                    .next()
                    .unwrap_or_else(|| Err(bad_field("records", "records", "lost in the batch"))),
            };
            match result {
                Ok(receipt) => {
                    if receipt.duplicate {
                        out.duplicates += 1;
                    } else {
                        out.added += 1;
                    }
                    out.receipts.push(receipt);
                }
                Err(e) => out.refusals.push((i, e, PyOnceLock::new())),
            }
        }
        out
    }

    fn len(&self) -> usize {
        self.receipts.len() + self.refusals.len()
    }

    /// The result at place `i` (< len) as a Python object.
    fn item(&self, py: Python<'_>, i: usize) -> PyResult<Py<PyAny>> {
        match self.refusals.binary_search_by_key(&i, |(at, _, _)| *at) {
            Ok(k) => match self.refusals.get(k) {
                Some(refusal) => Ok(Self::refusal(py, refusal).clone_ref(py)),
                None => Err(PyIndexError::new_err("RecordResults index out of range")),
            },
            Err(k) => match self.receipts.get(i - k) {
                Some(r) => RecordReceipt::from(r.clone()).into_py_any(py),
                None => Err(PyIndexError::new_err("RecordResults index out of range")),
            },
        }
    }

    /// A refusal's exception, made once.
    fn refusal<'a>(
        py: Python<'_>,
        (_, e, made): &'a (usize, vl::LedgerError, PyOnceLock<Py<PyAny>>),
    ) -> &'a Py<PyAny> {
        made.get_or_init(py, || ledger_err(py, e).into_value(py).into_any())
    }

    /// A Python index (negative from the end) as a place, or IndexError.
    fn place(&self, index: isize) -> PyResult<usize> {
        let len = self.len();
        let place = if index < 0 {
            len.checked_sub(index.unsigned_abs())
        } else {
            Some(index.unsigned_abs()).filter(|&i| i < len)
        };
        place.ok_or_else(|| PyIndexError::new_err("RecordResults index out of range"))
    }

    /// Every result, as a list.
    fn list<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let items = (0..self.len())
            .map(|i| self.item(py, i))
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, items)
    }

    /// The first place in `start..stop` whose result equals `value`.
    fn find(&self, value: &Bound<'_, PyAny>, start: usize, stop: usize) -> PyResult<Option<usize>> {
        let py = value.py();
        for i in start..stop.min(self.len()) {
            if self.item(py, i)?.bind(py).eq(value)? {
                return Ok(Some(i));
            }
        }
        Ok(None)
    }
}

#[pymethods]
impl RecordResults {
    fn __len__(&self) -> usize {
        self.len()
    }

    /// One result by place (negative from the end), or a list of them by slice.
    fn __getitem__(&self, py: Python<'_>, index: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if let Ok(slice) = index.cast::<PySlice>() {
            let len = isize::try_from(self.len())
                .map_err(|_| PyIndexError::new_err("RecordResults too long"))?;
            let s = slice.indices(len)?;
            let mut items = Vec::with_capacity(s.slicelength);
            let mut at = s.start;
            for _ in 0..s.slicelength {
                items.push(self.item(py, at.unsigned_abs())?);
                at += s.step;
            }
            return Ok(PyList::new(py, items)?.into_any().unbind());
        }
        let index: isize = index.extract()?;
        self.item(py, self.place(index)?)
    }

    fn __iter__(slf: Py<Self>) -> RecordResultsIter {
        RecordResultsIter {
            results: slf,
            done: 0,
            reverse: false,
        }
    }

    fn __reversed__(slf: Py<Self>) -> RecordResultsIter {
        RecordResultsIter {
            results: slf,
            done: 0,
            reverse: true,
        }
    }

    fn __contains__(&self, value: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(self.find(value, 0, self.len())?.is_some())
    }

    /// The place of the first result equal to `value` (between `start` and `stop`), or
    /// ValueError; as `list.index`.
    #[pyo3(signature = (value, start = 0, stop = None))]
    fn index(
        &self,
        value: &Bound<'_, PyAny>,
        start: isize,
        stop: Option<isize>,
    ) -> PyResult<usize> {
        let len = self.len();
        let clamp = |i: isize| {
            if i < 0 {
                len.saturating_sub(i.unsigned_abs())
            } else {
                i.unsigned_abs().min(len)
            }
        };
        let stop = stop.map_or(len, clamp);
        self.find(value, clamp(start), stop)?
            .ok_or_else(|| PyValueError::new_err("the value is not among the results"))
    }

    /// How many results equal `value`; as `list.count`.
    fn count(&self, value: &Bound<'_, PyAny>) -> PyResult<usize> {
        let py = value.py();
        let mut n = 0;
        for i in 0..self.len() {
            if self.item(py, i)?.bind(py).eq(value)? {
                n += 1;
            }
        }
        Ok(n)
    }

    /// `results + other`: a list, as for the list this class replaces (other: a list or
    /// RecordResults).
    fn __add__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if !(other.is_instance_of::<PyList>() || other.is_instance_of::<RecordResults>()) {
            return Ok(py.NotImplemented());
        }
        let out = self.list(py)?;
        out.call_method1("extend", (other,))?;
        Ok(out.into_any().unbind())
    }

    /// `a_list + results`: a list.
    fn __radd__(&self, py: Python<'_>, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        if !other.is_instance_of::<PyList>() {
            return Ok(py.NotImplemented());
        }
        let out = PyList::empty(py);
        out.call_method1("extend", (other,))?;
        out.call_method1("extend", (self.list(py)?,))?;
        Ok(out.into_any().unbind())
    }

    /// Records added (new to the ledger).
    #[getter]
    fn added(&self) -> usize {
        self.added
    }

    /// Records that had been recorded before with the same content (nothing was written).
    #[getter]
    fn duplicates(&self) -> usize {
        self.duplicates
    }

    /// Records refused.
    #[getter]
    fn refused(&self) -> usize {
        self.refusals.len()
    }

    /// The refusals, each with the record's place in the input: [(index, LedgerError), ...].
    fn refusals(&self, py: Python<'_>) -> Vec<(usize, Py<PyAny>)> {
        self.refusals
            .iter()
            .map(|r| (r.0, Self::refusal(py, r).clone_ref(py)))
            .collect()
    }

    /// The results as a pandas DataFrame, one row per input record (the index is its place in
    /// the input): the RecordReceipt's columns (record, state, make_up, seq, duplicate), then
    /// the refusal's code and message; missing values are pandas' own. Needs pandas.
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let n = self.len();
        let mut record = Vec::with_capacity(n);
        let mut state = Vec::with_capacity(n);
        let mut make_up = Vec::with_capacity(n);
        let mut seq = Vec::with_capacity(n);
        let mut duplicate = Vec::with_capacity(n);
        let mut code = Vec::with_capacity(n);
        let mut message = Vec::with_capacity(n);
        let mut receipts = self.receipts.iter();
        let mut refusals = self.refusals.iter().peekable();
        for i in 0..n {
            if let Some((_, e, _)) = refusals.next_if(|(at, _, _)| *at == i) {
                record.push(None);
                state.push(None);
                make_up.push(None);
                seq.push(None);
                duplicate.push(None);
                code.push(Some(e.code()));
                message.push(Some(e.to_string()));
            } else if let Some(r) = receipts.next() {
                record.push(Some(r.record.as_str()));
                state.push(Some(r.state.as_str()));
                make_up.push(Some(r.make_up));
                seq.push(Some(r.seq.unsigned_abs()));
                duplicate.push(Some(r.duplicate));
                code.push(None);
                message.push(None);
            }
        }
        let data = PyDict::new(py);
        data.set_item("record", record)?;
        data.set_item("state", state)?;
        data.set_item("make_up", make_up)?;
        data.set_item("seq", seq)?;
        data.set_item("duplicate", duplicate)?;
        data.set_item("code", code)?;
        data.set_item("message", message)?;
        let frames = py.import("volunteer_ledger._frames")?;
        frames.call_method1("columns_frame", (data,))
    }

    fn __repr__(&self) -> String {
        format!(
            "RecordResults(len={}, added={}, duplicates={}, refused={})",
            self.len(),
            self.added,
            self.duplicates,
            self.refusals.len()
        )
    }
}

/// Iterates over a RecordResults (forwards, or backwards for `reversed`).
#[pyclass(module = "volunteer_ledger", name = "RecordResultsIterator")]
struct RecordResultsIter {
    results: Py<RecordResults>,
    done: usize,
    reverse: bool,
}

#[pymethods]
impl RecordResultsIter {
    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let results = self.results.get();
        let len = results.len();
        if self.done >= len {
            return Ok(None);
        }
        let i = if self.reverse {
            len - 1 - self.done
        } else {
            self.done
        };
        self.done += 1;
        results.item(py, i).map(Some)
    }
}

/// A pandas DataFrame of result objects, one row each (their `to_dict()`).
fn frame_of<'py, T: ToDict>(
    py: Python<'py>,
    items: &[T],
    columns: &[&str],
) -> PyResult<Bound<'py, PyAny>> {
    let rows = items.iter().map(|e| e.dict(py)).collect::<PyResult<_>>()?;
    frame(py, rows, columns)
}

/// A pandas DataFrame of dicts (one row each) with these columns first, or ImportError naming
/// the extra to install when pandas is not there.
fn frame<'py>(
    py: Python<'py>,
    rows: Vec<Bound<'py, PyDict>>,
    columns: &[&str],
) -> PyResult<Bound<'py, PyAny>> {
    let frames = py.import("volunteer_ledger._frames")?;
    frames.call_method1("frame", (PyList::new(py, rows)?, columns.to_vec()))
}

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
struct PyLedger {
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

impl PyLedger {
    fn wrap(py: Python<'_>, ledger: vl::Result<vl::Ledger>) -> PyResult<Self> {
        let ledger = check(py, ledger)?;
        let off = ledger.utc_offset();
        Ok(Self {
            inner: Mutex::new(Some(ledger)),
            off,
        })
    }

    /// A bulk add from a DataFrame. A frame whose every column packs (`_frames.streamable`)
    /// cannot raise once begun: each chunk of it is prepared (Python, with the GIL) while the
    /// core adds the chunks before. Any other frame is prepared whole before the first record
    /// is added (a TypeError leaves the ledger as it was), then converted chunk by chunk while
    /// the core adds.
    fn add_frame(
        &self,
        py: Python<'_>,
        actor: &vl::ActorId,
        frame: &Bound<'_, PyAny>,
    ) -> PyResult<RecordResults> {
        let off = self.off.local_minus_utc() / 60;
        let frames = py.import("volunteer_ledger._frames")?;
        let n = frame.len()?;
        if frames.call_method1("streamable", (frame,))?.is_truthy()? {
            let iloc = frame.getattr("iloc")?;
            return self.add_alongside(py, actor, n, |send| {
                for a in (0..n).step_by(CHUNK) {
                    let b = (a + CHUNK).min(n);
                    let part = iloc.get_item(PySlice::new(py, a as isize, b as isize, 1))?;
                    let (rows, values) = frame_columns(&frames, &part, off)?;
                    if !send(RecordColumns::read(rows, &values)?.convert_rows()) {
                        break;
                    }
                }
                Ok(())
            });
        }
        let (rows, values) = frame_columns(&frames, frame, off)?;
        let mut columns = RecordColumns::read(rows, &values)?;
        self.add_alongside(py, actor, n, |send| {
            loop {
                let chunk = py.detach(|| {
                    std::iter::from_fn(|| columns.next_record())
                        .take(CHUNK)
                        .collect::<Vec<_>>()
                });
                if chunk.is_empty() || !send(chunk) {
                    return Ok(());
                }
            }
        })
    }

    /// A bulk add whose records `produce` makes, on this thread and in chunks, handing each
    /// to `send` (which says whether to go on), while a second thread holds the ledger and
    /// adds the chunks before. `produce` may hold the GIL; the adding thread never needs it.
    /// A `produce` error after the first chunk leaves that chunk added: callers produce only
    /// what cannot fail once the add has begun.
    fn add_alongside(
        &self,
        py: Python<'_>,
        actor: &vl::ActorId,
        n: usize,
        produce: impl FnOnce(&mut dyn FnMut(Vec<vl::Result<vl::NewRecord>>) -> bool) -> PyResult<()>,
    ) -> PyResult<RecordResults> {
        type Added = (
            Vec<(usize, vl::LedgerError)>,
            Vec<vl::Result<vl::RecordReceipt>>,
        );
        let inner = &self.inner;
        std::thread::scope(|s| {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<vl::Result<vl::NewRecord>>>(2);
            let core = std::thread::Builder::new()
                .name("vl-core".into())
                .spawn_scoped(s, move || -> Result<Added, bool> {
                    let mut guard = inner.lock().map_err(|_| true)?;
                    let ledger = guard.as_mut().ok_or(false)?;
                    ledger.reserve_records_for(n);
                    // The binding's refusals keep their place in the input.
                    let (mut refused, mut at) = (Vec::new(), 0usize);
                    let records = rx.into_iter().flatten().filter_map(|r| {
                        at += 1;
                        r.map_err(|e| refused.push((at - 1, e))).ok()
                    });
                    let added = ledger.add_records_from(actor, records);
                    Ok((refused, added))
                })
                .map_err(|e| PyRuntimeError::new_err(format!("cannot start a thread: {e}")))?;
            let produced = produce(&mut |chunk| py.detach(|| tx.send(chunk)).is_ok());
            drop(tx);
            let joined = py.detach(move || core.join());
            produced?;
            match joined {
                Ok(Ok((refused, added))) => Ok(RecordResults::new(refused, added)),
                Ok(Err(poisoned)) => Err(unavailable(poisoned)),
                Err(_) => Err(PyRuntimeError::new_err("the bulk add stopped unexpectedly")),
            }
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

#[pymethods]
impl PyLedger {
    /// A new ledger held in memory. Its first entry records the configuration and makes
    /// `platform_admin` a platform admin. `policy` names a built-in profile ('mca', 'beijing');
    /// `policy_toml`, a policy's text (as `policy_profile(name)` writes it), replaces it.
    #[staticmethod]
    #[pyo3(
        signature = (ledger_id, name, platform_admin, *, utc_offset_minutes = Int(480), policy = String::from("mca"), policy_toml = None),
        text_signature = "(ledger_id, name, platform_admin, *, utc_offset_minutes=480, policy='mca', policy_toml=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn in_memory(
        py: Python<'_>,
        ledger_id: String,
        name: String,
        platform_admin: String,
        utc_offset_minutes: Int,
        policy: String,
        policy_toml: Option<String>,
    ) -> PyResult<Self> {
        let ledger = py.detach(move || {
            let config = ledger_config(
                ledger_id,
                name,
                platform_admin,
                utc_offset_minutes,
                &policy,
                policy_toml.as_deref(),
            )?;
            vl::Ledger::in_memory(config)
        });
        Self::wrap(py, ledger)
    }

    /// Creates a ledger file (one SQLite file; see docs/schema.md) whose first entry records
    /// the configuration. Raises StorageError (E_STORAGE) if a file exists at `path`.
    ///
    /// Identity numbers are sealed under the ledger key (docs/identity.md). By default a new
    /// key is written to a key file beside the database, `<path>.key` (mode 0600), which
    /// `open` reads; keep it apart from the database's backups. Instead, give at most one of:
    /// `key`, the ledger key's 32 bytes from the platform (a keystore, a KMS), named `key_id`;
    /// `key_provider`, a callable taking a key id and returning that key's 32 bytes (or None
    /// for an unknown id), `key_id` naming the current key (a provider that raises or returns
    /// anything but 32 bytes makes the operation refuse with E_KEY_UNAVAILABLE; it must not
    /// call this ledger); `mask_only=True`, a device's ledger that keeps masks only and can
    /// never open a number. With `key` or `key_provider` no key file is written: pass the
    /// same to `open`.
    #[staticmethod]
    #[pyo3(
        signature = (path, ledger_id, name, platform_admin, *, utc_offset_minutes = Int(480), policy = String::from("mca"), policy_toml = None, key = None, key_provider = None, key_id = String::from("k1"), mask_only = false),
        text_signature = "(path, ledger_id, name, platform_admin, *, utc_offset_minutes=480, policy='mca', policy_toml=None, key=None, key_provider=None, key_id='k1', mask_only=False)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn create(
        py: Python<'_>,
        path: std::path::PathBuf,
        ledger_id: String,
        name: String,
        platform_admin: String,
        utc_offset_minutes: Int,
        policy: String,
        policy_toml: Option<String>,
        key: Option<Vec<u8>>,
        key_provider: Option<Py<PyAny>>,
        key_id: String,
        mask_only: bool,
    ) -> PyResult<Self> {
        let ledger = py.detach(move || {
            let config = ledger_config(
                ledger_id,
                name,
                platform_admin,
                utc_offset_minutes,
                &policy,
                policy_toml.as_deref(),
            )?;
            match identity_keys(key, key_provider, key_id, mask_only)? {
                Some(keys) => vl::Ledger::create_with_keys(path, config, keys),
                None => vl::Ledger::create(path, config),
            }
        });
        Self::wrap(py, ledger)
    }

    /// Opens a ledger file. Raises StorageError (E_STORAGE) when there is none,
    /// IntegrityError E_SCHEMA_VERSION for a file from a newer version (left untouched) and
    /// E_NOT_A_LEDGER for any other file.
    ///
    /// Its identity keys: by default the key file beside it (`<path>.key`), if any; or `key`
    /// (32 bytes, id `key_id`) or `key_provider` (as for `create`), and then the key file is
    /// not read. A ledger opened without its key verifies and answers every masked query;
    /// a full certificate or a registration raises StateError E_KEY_UNAVAILABLE
    /// (`has_identity_key` says which).
    #[staticmethod]
    #[pyo3(
        signature = (path, *, key = None, key_provider = None, key_id = String::from("k1")),
        text_signature = "(path, *, key=None, key_provider=None, key_id='k1')"
    )]
    fn open(
        py: Python<'_>,
        path: std::path::PathBuf,
        key: Option<Vec<u8>>,
        key_provider: Option<Py<PyAny>>,
        key_id: String,
    ) -> PyResult<Self> {
        let ledger = py.detach(
            move || match identity_keys(key, key_provider, key_id, false)? {
                Some(keys) => vl::Ledger::open_with_keys(path, keys),
                None => vl::Ledger::open(path),
            },
        );
        Self::wrap(py, ledger)
    }

    /// Whether the ledger can open identity numbers now (it holds a ledger key or a key
    /// provider; False for a mask-only ledger and for a file opened without its key).
    #[getter]
    fn has_identity_key(&self, py: Python<'_>) -> PyResult<bool> {
        self.run(py, |l| Ok(l.has_identity_key()))
    }

    /// Rotates the ledger key this library keeps (the key file beside a ledger file, or the
    /// key of a ledger in memory): a new random key becomes current; numbers sealed before
    /// stay readable. Returns the new key's id. Raises StateError E_KEY_UNAVAILABLE for keys
    /// given by `key` or `key_provider` (rotate them where they live).
    fn rotate_key(&self, py: Python<'_>) -> PyResult<String> {
        self.run(py, vl::Ledger::rotate_key)
    }

    /// Erases a volunteer's identity number (PIPL Art. 47): logs an `identity_erased` entry
    /// and destroys their data key, so that the number can never be opened again while the
    /// log still verifies; the mask stays. Cannot be undone. A full certificate then raises
    /// StateError E_IDENTITY_ERASED, as does erasing again.
    fn erase_identity(
        &self,
        py: Python<'_>,
        actor: String,
        volunteer: String,
    ) -> PyResult<Receipt> {
        let actor = Self::actor(py, &actor)?;
        let volunteer = check(py, volunteer.parse())?;
        self.run(py, |l| l.erase_identity(&actor, &volunteer))
            .map(Into::into)
    }

    /// Signs the log's head (entry count, Merkle root, last entry hash, time) with the
    /// ledger's key — StateError E_NO_SIGNING_KEY without one — and a ledger file keeps the
    /// latest (`kept_signed_head`), so that opening and verifying it check it. Publish its
    /// `to_json()`; `verify_against` later proves the log still begins with those entries.
    fn signed_head(&self, py: Python<'_>) -> PyResult<SignedHead> {
        self.run(py, vl::Ledger::signed_head).map(Into::into)
    }

    /// As `verify()`, and checks the log against signed heads this ledger issued earlier:
    /// each must be signed by a key its log registered (E_UNTRUSTED_ISSUER, E_BAD_SIGNATURE)
    /// and the log must still hold its entries, with the same root and last entry at its size
    /// (IntegrityError E_CHECKPOINT_MISMATCH otherwise).
    fn verify_against(
        &self,
        py: Python<'_>,
        heads: Vec<PyRef<'_, SignedHead>>,
    ) -> PyResult<VerifyReport> {
        let heads: Vec<vl::SignedHead> = heads.iter().map(|h| h.inner.clone()).collect();
        self.run(py, |l| l.verify_against(&heads)).map(Into::into)
    }

    /// The latest signed head the ledger file kept (None in memory, or before one).
    fn kept_signed_head(&self, py: Python<'_>) -> PyResult<Option<SignedHead>> {
        self.run(py, |l| l.kept_signed_head())
            .map(|h| h.map(Into::into))
    }

    /// What opening this ledger file noticed and worked around (such as W_SNAPSHOT_IGNORED:
    /// a snapshot the log did not continue, set aside and the whole log replayed). Empty for
    /// a ledger in memory and for a clean open.
    fn open_warnings(&self, py: Python<'_>) -> PyResult<Vec<Warning>> {
        self.run(py, |l| {
            Ok(l.open_warnings().iter().cloned().map(Into::into).collect())
        })
    }

    /// The ledger file's path, or None for a ledger in memory.
    #[getter]
    fn path(&self, py: Python<'_>) -> PyResult<Option<String>> {
        self.run(py, |l| Ok(l.path().map(str::to_owned)))
    }

    /// Writes a snapshot of the state into the ledger file so the next open is fast (done by
    /// itself when the ledger is dropped and every 200,000 entries).
    fn checkpoint(&self, py: Python<'_>) -> PyResult<()> {
        self.run(py, vl::Ledger::checkpoint)
    }

    /// Rewrites the file's projection tables (orgs, volunteers, teams, records) from the log.
    fn rebuild_projections(&self, py: Python<'_>) -> PyResult<()> {
        self.run(py, vl::Ledger::rebuild_projections)
    }

    /// The ledger's UTC offset in minutes east of UTC.
    #[getter]
    fn utc_offset_minutes(&self) -> i32 {
        self.off.local_minus_utc() / 60
    }

    /// Sets where "now" comes from: None for the system clock, a datetime for a fixed clock
    /// (tests, and historical uploads recorded as of their day). A naive datetime is read in the
    /// ledger's offset.
    #[pyo3(signature = (now))]
    fn set_clock(&self, py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let clock = match opt_timestamp(now, self.off, "now")? {
            Some(t) => vl::Clock::Fixed(t),
            None => vl::Clock::System,
        };
        self.run(py, move |l| {
            l.set_clock(clock);
            Ok(())
        })
    }

    /// The ledger's current "now", in its offset.
    fn now(&self, py: Python<'_>) -> PyResult<DateTime<FixedOffset>> {
        let t = self.run(py, |l| Ok(l.now()))?;
        Ok(t.to_datetime(self.off))
    }

    /// Registers an org. `kind`: district, street, community, neighbourhood, block, work_unit,
    /// volunteer_org or other. A root org (no parent) needs a platform admin.
    #[pyo3(signature = (actor, *, id, name, kind, parent = None))]
    fn register_org(
        &self,
        py: Python<'_>,
        actor: String,
        id: String,
        name: String,
        kind: String,
        parent: Option<String>,
    ) -> PyResult<Receipt> {
        let actor = Self::actor(py, &actor)?;
        let org = check(
            py,
            (|| -> vl::Result<vl::NewOrg> {
                Ok(vl::NewOrg {
                    id: id.parse()?,
                    name,
                    kind: vl::OrgKind::parse(&kind)?,
                    parent: opt_id(parent)?,
                })
            })(),
        )?;
        self.run(py, move |l| l.register_org(&actor, org))
            .map(Receipt::from)
    }

    /// Grants a role: 'platform_admin' (no org), or 'org_admin' / 'recorder' of `org`.
    #[pyo3(signature = (actor, grantee, role, org = None))]
    fn grant_role(
        &self,
        py: Python<'_>,
        actor: String,
        grantee: String,
        role: String,
        org: Option<String>,
    ) -> PyResult<Receipt> {
        let actor = Self::actor(py, &actor)?;
        let grantee = Self::actor(py, &grantee)?;
        let role = check(py, role_of(&role, org))?;
        self.run(py, move |l| l.grant_role(&actor, &grantee, role))
            .map(Receipt::from)
    }

    /// Registers a volunteer, validating the identity number. `identity_kind`: resident_id,
    /// passport, hk_macau_permit or taiwan_permit.
    #[pyo3(signature = (actor, *, id, name, identity_kind, identity_number, home_org = None))]
    #[allow(clippy::too_many_arguments)]
    fn register_volunteer(
        &self,
        py: Python<'_>,
        actor: String,
        id: String,
        name: String,
        identity_kind: String,
        identity_number: String,
        home_org: Option<String>,
    ) -> PyResult<Receipt> {
        let actor = Self::actor(py, &actor)?;
        let volunteer = check(
            py,
            (|| -> vl::Result<vl::NewVolunteer> {
                Ok(vl::NewVolunteer {
                    id: id.parse()?,
                    name,
                    identity_kind: vl::IdentityKind::parse(&identity_kind)?,
                    identity_number,
                    home_org: opt_id(home_org)?,
                })
            })(),
        )?;
        self.run(py, move |l| l.register_volunteer(&actor, volunteer))
            .map(Receipt::from)
    }

    /// Creates a team (服务队) of registered volunteers under an org.
    #[pyo3(
        signature = (actor, *, id, org, name, leader, liaisons = Vec::new(), members = Vec::new()),
        text_signature = "($self, actor, *, id, org, name, leader, liaisons=(), members=())"
    )]
    #[allow(clippy::too_many_arguments)]
    fn create_team(
        &self,
        py: Python<'_>,
        actor: String,
        id: String,
        org: String,
        name: String,
        leader: String,
        liaisons: Vec<String>,
        members: Vec<String>,
    ) -> PyResult<Receipt> {
        let actor = Self::actor(py, &actor)?;
        let team = check(
            py,
            (|| -> vl::Result<vl::NewTeam> {
                Ok(vl::NewTeam {
                    id: id.parse()?,
                    org: org.parse()?,
                    name,
                    leader: leader.parse()?,
                    liaisons: ids(liaisons)?,
                    members: ids(members)?,
                })
            })(),
        )?;
        self.run(py, move |l| l.create_team(&actor, team))
            .map(Receipt::from)
    }

    /// Adds a service record. An organiser's record is confirmed at once, unless it is a
    /// make-up record and the organiser is not an org admin; a volunteer's own report stays
    /// pending. Sending the same record again changes nothing (`duplicate` is True).
    /// `start`/`end`: datetimes (naive ones in the ledger's offset). `source`: entry, check_in,
    /// import or transfer.
    #[pyo3(
        signature = (
            actor, *, id, volunteer, org, start, end, minutes, content = String::new(), team = None,
            activity = None, source = String::from("entry"), paid = false, job_duty = false,
            public_benefit = true
        ),
        text_signature = "($self, actor, *, id, volunteer, org, start, end, minutes, content='', \
            team=None, activity=None, source='entry', paid=False, job_duty=False, \
            public_benefit=True)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn add_record(
        &self,
        py: Python<'_>,
        actor: String,
        id: String,
        volunteer: String,
        org: String,
        start: &Bound<'_, PyAny>,
        end: &Bound<'_, PyAny>,
        minutes: Int,
        content: String,
        team: Option<String>,
        activity: Option<String>,
        source: String,
        paid: bool,
        job_duty: bool,
        public_benefit: bool,
    ) -> PyResult<RecordReceipt> {
        let actor = Self::actor(py, &actor)?;
        let args = RecordArgs {
            id,
            volunteer,
            org,
            start: start.clone(),
            end: end.clone(),
            minutes,
            content,
            team,
            activity,
            source,
            paid,
            job_duty,
            public_benefit,
        };
        let record = check(py, args.convert(self.off)?)?;
        self.run(py, move |l| l.add_record(&actor, record))
            .map(RecordReceipt::from)
    }

    /// Adds many records, each on its own: one refusal does not stop the others. `records` is
    /// any iterable of dicts with the keywords of `add_record`, or a pandas DataFrame with those
    /// columns (datetime64 start/end columns, naive ones in the ledger's offset; missing
    /// optional columns take `add_record`'s defaults). One lock and, in a file ledger, one
    /// transaction for the lot (if that write fails, every result is that error). Returns a
    /// RecordResults: in input order, a RecordReceipt for each record added (or repeated) and
    /// the LedgerError (not raised) for each record refused, with their counts. A record that
    /// is not one (an unknown or missing key or column, a start that is not a datetime) raises
    /// TypeError before anything is added.
    ///
    /// A DataFrame's columns cross as a few packed buffers (`_frames.record_columns`); turning
    /// them into records, the core's work and the results run with the GIL released.
    fn add_records(
        &self,
        py: Python<'_>,
        actor: String,
        records: &Bound<'_, PyAny>,
    ) -> PyResult<RecordResults> {
        let actor = Self::actor(py, &actor)?;
        if records.hasattr("columns")? && records.hasattr("dtypes")? {
            return self.add_frame(py, &actor, records);
        }
        let mut converted = Converted::default();
        for item in records.try_iter()? {
            let item = item?;
            let d = item.cast::<PyDict>().map_err(|_| {
                PyTypeError::new_err("each record must be a dict with the keywords of add_record")
            })?;
            converted.push(RecordArgs::from_dict(d)?.convert(self.off)?);
        }
        self.run(py, move |l| {
            let added = l.add_records(&actor, converted.records);
            Ok(RecordResults::new(converted.refused, added))
        })
    }

    /// Confirms a pending record. Nobody confirms a record they entered themselves; a make-up
    /// record needs an org admin.
    fn confirm_record(&self, py: Python<'_>, actor: String, record: String) -> PyResult<Receipt> {
        let actor = Self::actor(py, &actor)?;
        let record = Self::record_id(py, &record)?;
        self.run(py, move |l| l.confirm_record(&actor, &record))
            .map(Receipt::from)
    }

    /// Revokes a record with a reason; it stays in the ledger and stops counting.
    fn revoke_record(
        &self,
        py: Python<'_>,
        actor: String,
        record: String,
        reason: String,
    ) -> PyResult<Receipt> {
        let actor = Self::actor(py, &actor)?;
        let record = Self::record_id(py, &record)?;
        self.run(py, move |l| l.revoke_record(&actor, &record, &reason))
            .map(Receipt::from)
    }

    /// Disputes a record (申诉): the volunteer, its recorder or its organiser may.
    fn dispute_record(
        &self,
        py: Python<'_>,
        actor: String,
        record: String,
        reason: String,
    ) -> PyResult<Receipt> {
        let actor = Self::actor(py, &actor)?;
        let record = Self::record_id(py, &record)?;
        self.run(py, move |l| l.dispute_record(&actor, &record, &reason))
            .map(Receipt::from)
    }

    /// Resolves a dispute (an org admin); the record returns to its state before it.
    fn resolve_dispute(
        &self,
        py: Python<'_>,
        actor: String,
        record: String,
        note: String,
    ) -> PyResult<Receipt> {
        let actor = Self::actor(py, &actor)?;
        let record = Self::record_id(py, &record)?;
        self.run(py, move |l| l.resolve_dispute(&actor, &record, &note))
            .map(Receipt::from)
    }

    /// Replaces a counted record by a corrected one for the same volunteer; the old record
    /// stays, marked amended and linked to its replacement. The replacement's fields are the
    /// keyword arguments of `add_record`.
    #[pyo3(
        signature = (
            actor, record, reason, *, id, volunteer, org, start, end, minutes,
            content = String::new(), team = None, activity = None, source = String::from("entry"),
            paid = false, job_duty = false, public_benefit = true
        ),
        text_signature = "($self, actor, record, reason, *, id, volunteer, org, start, end, \
            minutes, content='', team=None, activity=None, source='entry', paid=False, \
            job_duty=False, public_benefit=True)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn amend_record(
        &self,
        py: Python<'_>,
        actor: String,
        record: String,
        reason: String,
        id: String,
        volunteer: String,
        org: String,
        start: &Bound<'_, PyAny>,
        end: &Bound<'_, PyAny>,
        minutes: Int,
        content: String,
        team: Option<String>,
        activity: Option<String>,
        source: String,
        paid: bool,
        job_duty: bool,
        public_benefit: bool,
    ) -> PyResult<RecordReceipt> {
        let actor = Self::actor(py, &actor)?;
        let record = Self::record_id(py, &record)?;
        let args = RecordArgs {
            id,
            volunteer,
            org,
            start: start.clone(),
            end: end.clone(),
            minutes,
            content,
            team,
            activity,
            source,
            paid,
            job_duty,
            public_benefit,
        };
        let replacement = check(py, args.convert(self.off)?)?;
        self.run(py, move |l| {
            l.amend_record(&actor, &record, replacement, &reason)
        })
        .map(RecordReceipt::from)
    }

    /// Chooses how a volunteer appears on public boards: mode 'public', 'hidden', or
    /// 'pseudonym' (with `pseudonym`, the name shown).
    #[pyo3(signature = (actor, volunteer, mode, pseudonym = None))]
    fn set_visibility(
        &self,
        py: Python<'_>,
        actor: String,
        volunteer: String,
        mode: String,
        pseudonym: Option<String>,
    ) -> PyResult<Receipt> {
        let actor = Self::actor(py, &actor)?;
        let volunteer: vl::VolunteerId = check(py, volunteer.parse())?;
        let visibility = check(py, visibility_of(&mode, pseudonym))?;
        self.run(py, move |l| {
            l.set_visibility(&actor, &volunteer, visibility)
        })
        .map(Receipt::from)
    }

    // ---- keys, moves, transfers, certificates ------------------------------------------------

    /// Gives the ledger its Ed25519 signing key from a 32-byte seed (kept by the platform's
    /// secret store; the seed never enters the log). The first time, a platform admin
    /// registers its public half in the log; giving a registered key again writes nothing.
    fn set_signing_key(&self, py: Python<'_>, actor: String, seed: &[u8]) -> PyResult<Receipt> {
        let actor = Self::actor(py, &actor)?;
        let seed = seed.to_vec();
        self.run(py, move |l| l.set_signing_key(&actor, &seed))
            .map(Receipt::from)
    }

    /// The ledger's current public key (64 hex digits), or None if it has no signing key.
    fn public_key(&self, py: Python<'_>) -> PyResult<Option<String>> {
        self.run(py, |l| Ok(l.public_key()))
    }

    /// The ledger as an issuer (id, name, public key), to give to ledgers that will trust it.
    /// Raises StateError (E_NO_SIGNING_KEY) without a signing key.
    fn issuer(&self, py: Python<'_>) -> PyResult<Issuer> {
        self.run(py, |l| l.issuer()).map(Issuer::from)
    }

    /// Trusts another ledger to issue transfer packages (a platform admin keeps the list).
    #[pyo3(signature = (actor, *, ledger_id, name, public_key))]
    fn trust_issuer(
        &self,
        py: Python<'_>,
        actor: String,
        ledger_id: String,
        name: String,
        public_key: String,
    ) -> PyResult<Receipt> {
        let actor = Self::actor(py, &actor)?;
        let ledger_id: vl::LedgerId = check(py, ledger_id.parse())?;
        let issuer = vl::Issuer {
            ledger_id,
            name,
            public_key,
        };
        self.run(py, move |l| l.trust_issuer(&actor, issuer))
            .map(Receipt::from)
    }

    /// The trusted issuers, as (ledger id, public key) pairs.
    fn trusted_issuers(&self, py: Python<'_>) -> PyResult<Vec<(String, String)>> {
        self.run(py, |l| {
            Ok(l.trusted_issuers()
                .into_iter()
                .map(|(id, key)| (id.to_string(), key))
                .collect())
        })
    }

    /// Moves a volunteer to a new home community and/or work unit. Their history stays with
    /// them; past records keep the org where they were served.
    #[pyo3(signature = (actor, volunteer, *, home_org = None, work_unit = None))]
    fn move_volunteer(
        &self,
        py: Python<'_>,
        actor: String,
        volunteer: String,
        home_org: Option<String>,
        work_unit: Option<String>,
    ) -> PyResult<Receipt> {
        let actor = Self::actor(py, &actor)?;
        let (volunteer, home_org, work_unit) = check(
            py,
            (|| -> vl::Result<(vl::VolunteerId, Option<vl::OrgId>, Option<vl::OrgId>)> {
                Ok((volunteer.parse()?, opt_id(home_org)?, opt_id(work_unit)?))
            })(),
        )?;
        self.run(py, move |l| {
            l.move_volunteer(&actor, &volunteer, home_org, work_unit)
        })
        .map(Receipt::from)
    }

    /// Issues a signed transfer package for a volunteer leaving for another ledger
    /// (`destination`, if known) and marks them transferred out; their records stay here.
    /// Returns the package's text, to hand to the destination.
    #[pyo3(signature = (actor, volunteer, *, destination = None))]
    fn export_transfer(
        &self,
        py: Python<'_>,
        actor: String,
        volunteer: String,
        destination: Option<String>,
    ) -> PyResult<String> {
        let actor = Self::actor(py, &actor)?;
        let volunteer: vl::VolunteerId = check(py, volunteer.parse())?;
        let destination: Option<vl::LedgerId> = check(py, opt_id(destination))?;
        self.run(py, move |l| {
            l.export_transfer(&actor, &volunteer, destination)
        })
    }

    /// The package a volunteer's history makes now, unsigned and without marking them
    /// transferred out: a preview of `export_transfer` (times in UTC, as `open_package`).
    #[pyo3(signature = (volunteer, *, destination = None))]
    fn transfer_package(
        &self,
        py: Python<'_>,
        volunteer: String,
        destination: Option<String>,
    ) -> PyResult<TransferPackage> {
        self.run(py, move |l| {
            l.transfer_package(&volunteer.parse()?, opt_id(destination)?)
        })
        .map(TransferPackage::from)
    }

    /// The ledger's policy as text, `format` 'toml' (default) or 'json' (what `policy_toml`
    /// takes back).
    #[pyo3(signature = (format = String::from("toml")))]
    fn policy(&self, py: Python<'_>, format: String) -> PyResult<String> {
        self.run(py, move |l| match format.as_str() {
            "toml" => l.policy().to_toml(),
            "json" => l.policy().to_json(),
            other => Err(bad_field(
                "policy",
                "format",
                format!("'{other}' is not toml or json"),
            )),
        })
    }

    /// Imports a transfer package's text: checks its form, its issuer (on the trust list), its
    /// signature, its destination and its volunteer, then carries its history in. Importing
    /// the same package again changes nothing (`duplicate` is True).
    fn import_transfer(
        &self,
        py: Python<'_>,
        actor: String,
        package: String,
    ) -> PyResult<TransferReceipt> {
        let actor = Self::actor(py, &actor)?;
        self.run(py, move |l| l.import_transfer(&actor, &package))
            .map(TransferReceipt::from)
    }

    /// On a device: sets the sync server it trusts (its ledger id and public key, hex); only
    /// receipts signed by it are applied. Kept beside the log in a ledger file.
    fn trust_sync_server(
        &self,
        py: Python<'_>,
        ledger_id: String,
        public_key: String,
    ) -> PyResult<()> {
        let ledger_id: vl::LedgerId = check(py, ledger_id.parse())?;
        self.run(py, move |l| l.trust_sync_server(ledger_id, &public_key))
    }

    /// On a device: the sync server it trusts, as (ledger id, public key), or None.
    fn sync_server(&self, py: Python<'_>) -> PyResult<Option<(String, String)>> {
        self.run(py, |l| {
            Ok(l.sync_server()
                .map(|s| (s.ledger_id.to_string(), s.public_key.clone())))
        })
    }

    /// On a device: the largest signed head of the sync server's that an applied receipt
    /// carried (None before one): the server's log held every record it acknowledged by then.
    /// Keep or publish it; the server's `verify_against([head])` shows whether its log still
    /// begins with those entries.
    fn sync_server_head(&self, py: Python<'_>) -> PyResult<Option<SignedHead>> {
        self.run(py, |l| Ok(l.sync_server_head().cloned()))
            .map(|h| h.map(Into::into))
    }

    /// On a device: the records `actor` added here that the server has neither acknowledged
    /// nor refused, at most `limit` (1 to 1000), as the sync batch's JSON. Writes no log
    /// entry; remembers the batch to check the server's receipt against.
    #[pyo3(signature = (actor, limit = 1000))]
    fn sync_batch(&self, py: Python<'_>, actor: String, limit: u32) -> PyResult<String> {
        let actor = Self::actor(py, &actor)?;
        self.run(py, move |l| {
            l.sync_batch(&actor, limit).map(|b| b.to_json())
        })
    }

    /// On the server: imports a device's sync batch (its JSON) as `sender`, the actor the
    /// platform authenticated, who must be the batch's actor (E_SYNC_ACTOR). Each record goes
    /// through the same validation and authorisation as any record, and is recorded once.
    /// The records are written in one transaction, then the ledger signs its head (a ledger
    /// file keeps it, as `signed_head` does): the receipt carries that head and, for every
    /// record the server holds, the proof that its entry is in it. The receipt is signed with
    /// this ledger's key (StateError E_NO_SIGNING_KEY without one). Send `receipt.json` back
    /// to the device.
    fn import_sync_batch(
        &self,
        py: Python<'_>,
        sender: String,
        batch: String,
    ) -> PyResult<SyncReceipt> {
        let sender = Self::actor(py, &sender)?;
        self.run(py, move |l| l.import_sync_json(&sender, &batch))
            .map(SyncReceipt::from)
    }

    /// On a device: applies the server's receipt (its JSON, 'volunteer-ledger/sync-receipt@3';
    /// '@2' is refused with E_SYNC_VERSION), only if signed by the trusted sync server, with a
    /// head the server signed and proofs that lead to it, and answering a batch this device is
    /// waiting on (E_SYNC_UNSIGNED, E_SYNC_NO_SERVER, E_SYNC_UNTRUSTED_SERVER, E_BAD_SIGNATURE,
    /// E_CHECKPOINT_FORMAT, E_CHECKPOINT_MISMATCH, E_SYNC_RECEIPT_BATCH,
    /// E_SYNC_RECEIPT_RECORDS). Acknowledged records are not sent again; refused ones neither
    /// (see `sync_status` and `retry_sync`). Keeps the largest head (`sync_server_head`).
    fn apply_sync_receipt(&self, py: Python<'_>, receipt: String) -> PyResult<SyncApplied> {
        self.run(py, move |l| {
            let receipt = vl::SyncReceipt::from_json(&receipt)?;
            l.apply_sync_receipt(&receipt)
        })
        .map(|a| SyncApplied {
            acknowledged: a.acknowledged.unsigned_abs(),
            refused: refusals(a.refused),
            ignored: a.ignored.unsigned_abs(),
        })
    }

    /// On a device: records still to send (of `actor`, or of everyone), acknowledged, refused.
    #[pyo3(signature = (actor = None))]
    fn sync_status(&self, py: Python<'_>, actor: Option<String>) -> PyResult<SyncStatus> {
        let actor: Option<vl::ActorId> = check(py, opt_id(actor))?;
        self.run(py, move |l| Ok(l.sync_status(actor.as_ref())))
            .map(|s| SyncStatus {
                unsent: s.unsent.unsigned_abs(),
                acknowledged: s.acknowledged.unsigned_abs(),
                refused: refusals(s.refused),
            })
    }

    /// On a device: sends a refused record again with the next batch (after its cause was
    /// fixed on the server). Returns whether it had been refused.
    fn retry_sync(&self, py: Python<'_>, record: String) -> PyResult<bool> {
        let record = Self::record_id(py, &record)?;
        self.run(py, move |l| l.retry_sync(&record))
    }

    /// Issues a service certificate (志愿服务证明) for a volunteer's counted records from
    /// `period_from` to `period_to` (dates, both included), signed by the ledger's key.
    #[pyo3(
        signature = (
            actor, *, volunteer, period_from, period_to, issuing_org, responsible_person,
            handler, contact, notes = String::new(), with_training_and_commendations = false
        ),
        text_signature = "($self, actor, *, volunteer, period_from, period_to, issuing_org, \
            responsible_person, handler, contact, notes='', with_training_and_commendations=False)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn issue_certificate(
        &self,
        py: Python<'_>,
        actor: String,
        volunteer: String,
        period_from: NaiveDate,
        period_to: NaiveDate,
        issuing_org: String,
        responsible_person: String,
        handler: String,
        contact: String,
        notes: String,
        with_training_and_commendations: bool,
    ) -> PyResult<Certificate> {
        let actor = Self::actor(py, &actor)?;
        let request = check(
            py,
            (|| -> vl::Result<vl::CertificateRequest> {
                Ok(vl::CertificateRequest {
                    volunteer: volunteer.parse()?,
                    period_from,
                    period_to,
                    issuing_org: issuing_org.parse()?,
                    responsible_person,
                    handler,
                    contact,
                    notes,
                })
            })(),
        )?;
        self.run(py, move |l| {
            l.issue_certificate_with(&actor, request, with_training_and_commendations)
        })
        .map(Certificate::from)
    }

    /// Checks a certificate by its verification code (case and separators do not matter).
    /// Raises NotFoundError (E_UNKNOWN_CERTIFICATE) for a code this ledger did not issue.
    fn verify_certificate(&self, py: Python<'_>, code: String) -> PyResult<CertificateCheck> {
        self.run(py, move |l| l.verify_certificate(&code))
            .map(CertificateCheck::from)
    }

    /// A record by id.
    fn record(&self, py: Python<'_>, id: String) -> PyResult<ServiceRecord> {
        let id = Self::record_id(py, &id)?;
        let r = self.run(py, move |l| l.record(&id))?;
        Ok(ServiceRecord::new(r, self.off))
    }

    /// A volunteer's records, in the order they were added.
    fn records_of(&self, py: Python<'_>, volunteer: String) -> PyResult<Vec<ServiceRecord>> {
        let v: vl::VolunteerId = check(py, volunteer.parse())?;
        let list = self.run(py, move |l| l.records_of(&v))?;
        Ok(list
            .into_iter()
            .map(|r| ServiceRecord::new(r, self.off))
            .collect())
    }

    /// How many records the ledger holds, in every state.
    fn record_count(&self, py: Python<'_>) -> PyResult<usize> {
        self.run(py, |l| Ok(l.record_count()))
    }

    /// A volunteer, masked.
    fn volunteer(&self, py: Python<'_>, id: String) -> PyResult<VolunteerView> {
        let id: vl::VolunteerId = check(py, id.parse())?;
        self.run(py, move |l| l.volunteer(&id))
            .map(VolunteerView::from)
    }

    /// A volunteer's star summary under the ledger's policy.
    fn star_summary(&self, py: Python<'_>, volunteer: String) -> PyResult<StarSummary> {
        let v: vl::VolunteerId = check(py, volunteer.parse())?;
        self.run(py, move |l| l.star_summary(&v))
            .map(StarSummary::from)
    }

    /// The top `limit` lines of a leaderboard, always current. `period`: '2015-W23', '2015-06',
    /// '2015' or 'all'; `scope`: 'all', 'org:<id>' or 'team:<id>'; `kind`: volunteers, teams or
    /// orgs.
    #[pyo3(
        signature = (period, scope = String::from("all"), kind = String::from("volunteers"), limit = Int(100)),
        text_signature = "($self, period, scope='all', kind='volunteers', limit=100)"
    )]
    fn leaderboard(
        &self,
        py: Python<'_>,
        period: String,
        scope: String,
        kind: String,
        limit: Int,
    ) -> PyResult<Leaderboard> {
        self.run(py, move |l| {
            let kind = vl::BoardKind::parse(&kind)?;
            l.leaderboard(
                vl::Period::parse(&period)?,
                &vl::Scope::parse(&scope)?,
                kind,
                vl::error::non_negative("limit", limit.0)?,
            )
        })
        .map(Leaderboard::from)
    }

    /// A leaderboard as it stood just after log entry `seq` (the log up to it is replayed), so
    /// a board published earlier is shown again exactly.
    #[pyo3(
        signature = (seq, period, scope = String::from("all"), kind = String::from("volunteers"), limit = Int(100)),
        text_signature = "($self, seq, period, scope='all', kind='volunteers', limit=100)"
    )]
    fn leaderboard_as_of(
        &self,
        py: Python<'_>,
        seq: Int,
        period: String,
        scope: String,
        kind: String,
        limit: Int,
    ) -> PyResult<Leaderboard> {
        self.run(py, move |l| {
            let kind = vl::BoardKind::parse(&kind)?;
            l.leaderboard_as_of(
                seq.0,
                vl::Period::parse(&period)?,
                &vl::Scope::parse(&scope)?,
                kind,
                vl::error::non_negative("limit", limit.0)?,
            )
        })
        .map(Leaderboard::from)
    }

    /// A volunteer's place on the volunteers' board of a period and scope, and the change since
    /// the previous period. A volunteer hidden from boards has minutes but no rank.
    #[pyo3(
        signature = (volunteer, period, scope = String::from("all")),
        text_signature = "($self, volunteer, period, scope='all')"
    )]
    fn standing(
        &self,
        py: Python<'_>,
        volunteer: String,
        period: String,
        scope: String,
    ) -> PyResult<Standing> {
        self.run(py, move |l| {
            l.standing(
                &volunteer.parse()?,
                vl::Period::parse(&period)?,
                &vl::Scope::parse(&scope)?,
            )
        })
        .map(Standing::from)
    }

    /// Checks the whole hash chain; raises IntegrityError (E_CHAIN_BROKEN) naming the first
    /// entry at fault.
    fn verify(&self, py: Python<'_>) -> PyResult<VerifyReport> {
        self.run(py, |l| l.verify()).map(VerifyReport::from)
    }

    /// A new ledger rebuilt from a copy of this one's log: every entry is checked and replayed
    /// through the same rules, at its own time. The copy runs on the system clock. Raises
    /// IntegrityError if the log does not replay.
    fn replay(&self, py: Python<'_>) -> PyResult<Self> {
        let ledger = self.run(py, |l| vl::Ledger::from_entries(l.entries()?))?;
        Ok(Self {
            inner: Mutex::new(Some(ledger)),
            off: self.off,
        })
    }

    /// A digest (hex) of the observable state: two ledgers with the same digest answer every
    /// query alike (a replayed copy has the digest of the original).
    fn state_digest(&self, py: Python<'_>) -> PyResult<String> {
        self.run(py, |l| Ok(l.state_digest().to_hex()))
    }

    /// The sequence number and hash (hex) of the newest log entry.
    fn head(&self, py: Python<'_>) -> PyResult<(u64, String)> {
        self.run(py, |l| {
            let (seq, hash) = l.head();
            Ok((seq, hash.to_hex()))
        })
    }

    // ---- the file, and closing -------------------------------------------------------------

    /// Writes the whole log into a new ledger file at `path` and returns that file's ledger
    /// (this one is unchanged). Raises StorageError (E_STORAGE) if a file exists there.
    fn save_as(&self, py: Python<'_>, path: std::path::PathBuf) -> PyResult<Self> {
        let ledger = self.run(py, move |l| l.save_as(path))?;
        Ok(Self {
            inner: Mutex::new(Some(ledger)),
            off: self.off,
        })
    }

    /// How many entries `open` replayed after the file's newest snapshot (0 in memory).
    #[getter]
    fn replayed_at_open(&self, py: Python<'_>) -> PyResult<u64> {
        self.run(py, |l| Ok(l.replayed_at_open()))
    }

    /// Whether the ledger was closed; a closed ledger raises ValueError on every call.
    #[getter]
    fn closed(&self, py: Python<'_>) -> bool {
        py.detach(|| self.inner.lock().map_or(true, |g| g.is_none()))
    }

    /// Writes a checkpoint (file ledgers) and closes the ledger, releasing its file. Every
    /// later call raises ValueError; closing again does nothing. Every change was written when
    /// it was made, so the checkpoint only makes the next open fast; if it fails the ledger is
    /// closed all the same and StorageError is raised.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let taken = py.detach(|| match self.inner.lock() {
            Ok(mut guard) => guard.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        });
        match taken {
            Some(mut ledger) => check(py, py.detach(move || ledger.checkpoint())),
            None => Ok(()),
        }
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// The end of a `with` block: `close()`, whether or not the block raised. An exception
    /// of the block is never swallowed.
    #[pyo3(signature = (_exc_type = None, _exc = None, _tb = None))]
    fn __exit__(
        &self,
        py: Python<'_>,
        _exc_type: Option<&Bound<'_, PyAny>>,
        _exc: Option<&Bound<'_, PyAny>>,
        _tb: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<bool> {
        self.close(py)?;
        Ok(false)
    }

    // ---- lookups ---------------------------------------------------------------------------

    /// An org as registered.
    fn org(&self, py: Python<'_>, id: String) -> PyResult<Org> {
        let o = self.run(py, move |l| l.org(&id.parse()?))?;
        Ok(Org {
            id: o.id.to_string(),
            name: o.name,
            kind: o.kind.as_str().to_owned(),
            parent: opt_string(o.parent),
        })
    }

    /// A team as created (its members over time: `team_members`).
    fn team(&self, py: Python<'_>, id: String) -> PyResult<Team> {
        let t = self.run(py, move |l| l.team(&id.parse()?))?;
        Ok(Team {
            id: t.id.to_string(),
            org: t.org.to_string(),
            name: t.name,
            leader: t.leader.to_string(),
            liaisons: strings(t.liaisons),
            members: strings(t.members),
        })
    }

    /// Every record served at an org or any org below it, in every state, in the order added.
    fn records_of_org(&self, py: Python<'_>, org: String) -> PyResult<Vec<ServiceRecord>> {
        let list = self.run(py, move |l| l.records_of_org(&org.parse()?))?;
        Ok(list
            .into_iter()
            .map(|r| ServiceRecord::new(r, self.off))
            .collect())
    }

    // ---- teams over time, projects, activities ---------------------------------------------

    /// Records that a volunteer joined a team on a day (a date, or a datetime's local day).
    #[pyo3(signature = (actor, *, team, volunteer, date))]
    fn join_team(
        &self,
        py: Python<'_>,
        actor: String,
        team: String,
        volunteer: String,
        date: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let m = self.membership(py, team, volunteer, date)?;
        let actor = Self::actor(py, &actor)?;
        self.run(py, move |l| l.join_team(&actor, m))
    }

    /// Records that a volunteer left a team on a day.
    #[pyo3(signature = (actor, *, team, volunteer, date))]
    fn leave_team(
        &self,
        py: Python<'_>,
        actor: String,
        team: String,
        volunteer: String,
        date: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let m = self.membership(py, team, volunteer, date)?;
        let actor = Self::actor(py, &actor)?;
        self.run(py, move |l| l.leave_team(&actor, m))
    }

    /// A team's members over time, each with the day they joined and (if so) left.
    fn team_members(&self, py: Python<'_>, team: String) -> PyResult<Vec<MemberPeriod>> {
        let list = self.run(py, move |l| l.team_members(&team.parse()?))?;
        Ok(list.into_iter().map(MemberPeriod::from).collect())
    }

    /// Publishes a service project (服务项目) of an org.
    #[pyo3(signature = (actor, *, id, org, name, category))]
    fn publish_project(
        &self,
        py: Python<'_>,
        actor: String,
        id: String,
        org: String,
        name: String,
        category: String,
    ) -> PyResult<()> {
        let actor = Self::actor(py, &actor)?;
        self.run(py, move |l| {
            let project = vl::NewProject {
                category,
                id: id.parse()?,
                name,
                org: org.parse()?,
            };
            l.publish_project(&actor, project)
        })
    }

    /// A team claims a published project (认领).
    #[pyo3(signature = (actor, *, project, team))]
    fn claim_project(
        &self,
        py: Python<'_>,
        actor: String,
        project: String,
        team: String,
    ) -> PyResult<()> {
        let actor = Self::actor(py, &actor)?;
        self.run(py, move |l| {
            let claim = vl::ProjectClaim {
                project: project.parse()?,
                team: team.parse()?,
            };
            l.claim_project(&actor, claim)
        })
    }

    /// A project, and the team that claimed it.
    fn project(&self, py: Python<'_>, id: String) -> PyResult<Project> {
        self.run(py, move |l| l.project(&id.parse()?))
            .map(Project::from)
    }

    /// Creates an activity (活动) of an org, optionally of a team and a project.
    #[pyo3(signature = (actor, *, id, org, name, start, end, team = None, project = None))]
    #[allow(clippy::too_many_arguments)]
    fn create_activity(
        &self,
        py: Python<'_>,
        actor: String,
        id: String,
        org: String,
        name: String,
        start: &Bound<'_, PyAny>,
        end: &Bound<'_, PyAny>,
        team: Option<String>,
        project: Option<String>,
    ) -> PyResult<()> {
        let actor = Self::actor(py, &actor)?;
        let start = timestamp(start, self.off, "start")?;
        let end = timestamp(end, self.off, "end")?;
        self.run(py, move |l| {
            let activity = vl::NewActivity {
                end,
                id: id.parse()?,
                name,
                org: org.parse()?,
                project: opt_id(project)?,
                start,
                team: opt_id(team)?,
            };
            l.create_activity(&actor, activity)
        })
    }

    /// Records an evaluation of an activity, `score` 1 to 5, `source` 'recipient' (the people
    /// served) or 'org'.
    #[pyo3(signature = (actor, *, activity, score, source = String::from("recipient")))]
    fn evaluate_activity(
        &self,
        py: Python<'_>,
        actor: String,
        activity: String,
        score: Int,
        source: String,
    ) -> PyResult<()> {
        let actor = Self::actor(py, &actor)?;
        self.run(py, move |l| {
            let evaluation = vl::Evaluation {
                activity: activity.parse()?,
                score: score.saturating(),
                source: vl::EvaluationSource::parse(&source)?,
            };
            l.evaluate_activity(&actor, evaluation)
        })
    }

    /// Records a complaint against an activity, naming a volunteer or not.
    #[pyo3(signature = (actor, *, activity, reason, volunteer = None))]
    fn record_complaint(
        &self,
        py: Python<'_>,
        actor: String,
        activity: String,
        reason: String,
        volunteer: Option<String>,
    ) -> PyResult<()> {
        let actor = Self::actor(py, &actor)?;
        self.run(py, move |l| {
            let complaint = vl::Complaint {
                activity: activity.parse()?,
                reason,
                volunteer: opt_id(volunteer)?,
            };
            l.record_complaint(&actor, complaint)
        })
    }

    /// An activity: what was planned, its records, evaluations and complaints.
    fn activity(&self, py: Python<'_>, id: String) -> PyResult<Activity> {
        let a = self.run(py, move |l| l.activity(&id.parse()?))?;
        Ok(Activity::new(a, self.off))
    }

    // ---- training, commendations, reporting in ---------------------------------------------

    /// Records a training (培训) a volunteer attended (not service time).
    #[pyo3(signature = (actor, *, id, volunteer, org, title, date, minutes))]
    #[allow(clippy::too_many_arguments)]
    fn record_training(
        &self,
        py: Python<'_>,
        actor: String,
        id: String,
        volunteer: String,
        org: String,
        title: String,
        date: &Bound<'_, PyAny>,
        minutes: Int,
    ) -> PyResult<()> {
        let actor = Self::actor(py, &actor)?;
        let date = self.local_day(date)?;
        self.run(py, move |l| {
            let training = vl::Training {
                date,
                id: id.parse()?,
                minutes: minutes.saturating(),
                org: org.parse()?,
                title,
                volunteer: volunteer.parse()?,
            };
            l.record_training(&actor, training)
        })
    }

    /// Records a commendation (表彰奖励) of a volunteer.
    #[pyo3(signature = (actor, *, id, volunteer, org, title, date))]
    #[allow(clippy::too_many_arguments)]
    fn record_commendation(
        &self,
        py: Python<'_>,
        actor: String,
        id: String,
        volunteer: String,
        org: String,
        title: String,
        date: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let actor = Self::actor(py, &actor)?;
        let date = self.local_day(date)?;
        self.run(py, move |l| {
            let commendation = vl::Commendation {
                date,
                id: id.parse()?,
                org: org.parse()?,
                title,
                volunteer: volunteer.parse()?,
            };
            l.record_commendation(&actor, commendation)
        })
    }

    /// Records that a volunteer of a work unit reported in (报到) to a community.
    #[pyo3(signature = (actor, *, volunteer, community, work_unit, date))]
    fn report_in(
        &self,
        py: Python<'_>,
        actor: String,
        volunteer: String,
        community: String,
        work_unit: String,
        date: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let actor = Self::actor(py, &actor)?;
        let date = self.local_day(date)?;
        self.run(py, move |l| {
            let report = vl::ReportIn {
                community: community.parse()?,
                date,
                volunteer: volunteer.parse()?,
                work_unit: work_unit.parse()?,
            };
            l.report_in(&actor, report)
        })
    }

    /// Everything about a volunteer's service: stars, training, commendations, evaluations.
    fn volunteer_summary(&self, py: Python<'_>, volunteer: String) -> PyResult<VolunteerSummary> {
        self.run(py, move |l| l.volunteer_summary(&volunteer.parse()?))
            .map(VolunteerSummary::from)
    }

    /// A work unit's report of its staff's service in their communities for a period.
    fn unit_report(&self, py: Python<'_>, unit: String, period: String) -> PyResult<UnitReport> {
        self.run(py, move |l| {
            l.unit_report(&unit.parse()?, vl::Period::parse(&period)?)
        })
        .map(UnitReport::from)
    }

    /// The volunteers who live in, or reported in to, a community.
    fn community_volunteers(
        &self,
        py: Python<'_>,
        community: String,
    ) -> PyResult<Vec<CommunityVolunteer>> {
        let list = self.run(py, move |l| l.community_volunteers(&community.parse()?))?;
        Ok(list.into_iter().map(CommunityVolunteer::from).collect())
    }

    /// What the anti-fraud checks flag in a period, for a person to look at.
    fn anomalies(&self, py: Python<'_>, period: String) -> PyResult<Vec<Anomaly>> {
        let list = self.run(py, move |l| l.anomalies(vl::Period::parse(&period)?))?;
        Ok(list.into_iter().map(Anomaly::from).collect())
    }

    // ---- team ratings and excellent volunteers ---------------------------------------------

    /// What a team did in a year: the facts its rating scores.
    fn team_facts(&self, py: Python<'_>, team: String, year: Int) -> PyResult<TeamFacts> {
        self.run(py, move |l| l.team_facts(&team.parse()?, year.saturating()))
            .map(TeamFacts::from)
    }

    /// A team's star rating for a year by the policy's scoring table.
    fn team_rating(&self, py: Python<'_>, team: String, year: Int) -> PyResult<TeamRating> {
        self.run(py, move |l| {
            l.team_rating(&team.parse()?, year.saturating())
        })
        .map(TeamRating::from)
    }

    /// A team's rating for a year by another table: a built-in name ('district',
    /// 'pvsa_group') or a table as a dict (the form `team_scoring(name)` returns).
    fn team_rating_by(
        &self,
        py: Python<'_>,
        team: String,
        year: Int,
        table: &Bound<'_, PyAny>,
    ) -> PyResult<TeamRating> {
        let table = scoring_table(table)?;
        self.run(py, move |l| {
            l.team_rating_by(&team.parse()?, year.saturating(), &table?)
        })
        .map(TeamRating::from)
    }

    /// The ratings of every team of a scope for a year, best first (ties by team id).
    #[pyo3(signature = (year, scope = String::from("all")))]
    fn team_ratings(&self, py: Python<'_>, year: Int, scope: String) -> PyResult<Vec<TeamRating>> {
        let list = self.run(py, move |l| {
            l.team_ratings(year.saturating(), &vl::Scope::parse(&scope)?)
        })?;
        Ok(list.into_iter().map(TeamRating::from).collect())
    }

    /// The volunteers the policy's rule proposes as excellent (优秀志愿者) for a year in a
    /// scope, each with the reason; street by street, best first.
    #[pyo3(signature = (year, scope = String::from("all")))]
    fn excellent_candidates(
        &self,
        py: Python<'_>,
        year: Int,
        scope: String,
    ) -> PyResult<Vec<ExcellentCandidate>> {
        let list = self.run(py, move |l| {
            l.excellent_candidates(year.saturating(), &vl::Scope::parse(&scope)?)
        })?;
        Ok(list.into_iter().map(ExcellentCandidate::from).collect())
    }

    // ---- uploads and exports ---------------------------------------------------------------

    /// Uploads a sheet (CSV in UTF-8/GBK, or XLSX, as bytes) as `actor`: each good row is
    /// added, every other row reported with its row number and why. Rows recorded before
    /// count as duplicates. With `dry_run` nothing is written. A file ledger writes the sheet
    /// in one transaction. `progress(done, total)` is called every 1000 rows and at the end
    /// (with the GIL; a tqdm bar fits; it must not call this ledger). Raises only for a file that
    /// is not a sheet, and the callback's own exception.
    #[pyo3(signature = (
        actor, data, *, dry_run = false, format = None, encoding = String::from("auto"),
        default_org = None, sheet = None, progress = None
    ))]
    #[allow(clippy::too_many_arguments)]
    fn upload(
        &self,
        py: Python<'_>,
        actor: String,
        data: Vec<u8>,
        dry_run: bool,
        format: Option<String>,
        encoding: String,
        default_org: Option<String>,
        sheet: Option<String>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<ImportReport> {
        let actor = Self::actor(py, &actor)?;
        let opts = check(
            py,
            import_options(format, &encoding, default_org, sheet, 480),
        )?;
        // The callback runs with the GIL taken back; its first error is raised at the end.
        let failed: Mutex<Option<PyErr>> = Mutex::new(None);
        let report = self.run(py, |l| {
            let mut tick = |done: u32, total: u32| {
                if let Some(cb) = &progress {
                    Python::attach(|py| {
                        if let Err(e) = cb.call1(py, (done, total))
                            && let Ok(mut slot) = failed.lock()
                        {
                            slot.get_or_insert(e);
                        }
                    });
                }
            };
            vl::upload(l, &actor, &data, &opts, dry_run, &mut tick)
        })?;
        if let Some(e) = failed.into_inner().ok().flatten() {
            return Err(e);
        }
        Ok(report.into())
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

    /// The number of entries in the log.
    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        self.run(py, |l| Ok(l.entry_count() as usize))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let (id, entries, policy) = self.run(py, |l| {
            let c = l.config();
            Ok((
                c.ledger_id.to_string(),
                l.entry_count() as usize,
                c.policy.name.clone(),
            ))
        })?;
        Ok(format!(
            "Ledger(ledger_id={}, entries={entries}, utc_offset_minutes={}, policy={})",
            PyString::new(py, &id).repr()?,
            self.off.local_minus_utc() / 60,
            PyString::new(py, &policy).repr()?,
        ))
    }
}

// ---- pure functions -----------------------------------------------------------------------

/// Validates an identity number of a kind (resident_id, passport, hk_macau_permit,
/// taiwan_permit); returns (normalised number, masked number).
#[pyfunction]
fn validate_identity(py: Python<'_>, kind: String, number: String) -> PyResult<(String, String)> {
    let id = check(
        py,
        vl::IdentityKind::parse(&kind).and_then(|k| vl::Identity::new(k, &number)),
    )?;
    Ok((id.number().to_owned(), id.masked()))
}

/// Masks a name for display: its first character followed by '*'.
#[pyfunction]
fn mask_name(name: String) -> String {
    vl::mask_name(&name)
}

/// Masks an identity number: the first 6 and last 4 characters stay.
#[pyfunction]
fn mask_identity(number: String) -> String {
    vl::mask_identity(&number)
}

/// Parses a period ('2015-W23', '2015-06', '2015', 'all') and describes it.
#[pyfunction]
fn period_info(py: Python<'_>, text: String) -> PyResult<PeriodInfo> {
    check(py, vl::period_info(&text)).map(PeriodInfo::from)
}

/// The [week, month, year] periods an instant falls in at a UTC offset (minutes east). A
/// naive datetime is read in that offset.
#[pyfunction]
#[pyo3(signature = (instant, offset_minutes = Int(480)))]
fn periods_of(
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
fn stars_for_minutes(py: Python<'_>, profile: String, minutes: u64) -> PyResult<StarSummary> {
    let policy = check(py, vl::Policy::profile(&profile))?;
    Ok(vl::stars_for_minutes(&policy.stars, minutes).into())
}

/// Ranks (id, minutes) pairs: most minutes first, ties by id, standard competition ranks
/// (1, 2, 2, 4); zero minutes are not ranked. Returns (rank, id, minutes) tuples.
#[pyfunction]
fn rank_pairs(py: Python<'_>, pairs: Vec<(String, u64)>) -> Vec<(u32, String, u64)> {
    py.detach(move || vl::rank_pairs(pairs))
}

/// A built-in policy profile as text, `format` 'toml' (default) or 'json'.
#[pyfunction]
#[pyo3(signature = (name, format = String::from("toml")), text_signature = "(name, format='toml')")]
fn policy_profile(py: Python<'_>, name: String, format: String) -> PyResult<String> {
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

/// Opens a transfer package's text without importing it: refuses anything altered
/// (E_TRANSFER_FORMAT, E_BAD_SIGNATURE), an unknown format version (E_TRANSFER_VERSION) and an
/// issuer not in `trusted` (E_UNTRUSTED_ISSUER), a list of (ledger id, public key) pairs.
/// Times in the result are in UTC.
#[pyfunction]
fn open_package(
    py: Python<'_>,
    text: String,
    trusted: Vec<(String, String)>,
) -> PyResult<TransferPackage> {
    let opened = py.detach(move || {
        let trusted = trusted
            .into_iter()
            .map(|(id, key)| Ok((id.parse()?, key)))
            .collect::<vl::Result<Vec<(vl::LedgerId, String)>>>()?;
        vl::open_package(&text, &trusted)
    });
    check(py, opened).map(TransferPackage::from)
}

/// The hash (hex) of a transfer package's text: how a ledger recognises a package it
/// imported before.
#[pyfunction]
fn package_hash(text: &str) -> String {
    vl::package_hash(text)
}

/// Checks a certificate offline against the public key of an issuer the checker trusts.
/// Returns None if it is genuine; raises AuthorizationError (E_UNTRUSTED_ISSUER) for another
/// key and IntegrityError (E_BAD_SIGNATURE) for an altered certificate.
#[pyfunction]
fn verify_certificate_offline(
    py: Python<'_>,
    certificate: &Certificate,
    public_key: &str,
) -> PyResult<()> {
    check(
        py,
        vl::verify_certificate_offline(&certificate.inner, public_key),
    )
}

/// A certificate as plain text, in Chinese and English.
#[pyfunction]
fn certificate_text(certificate: &Certificate) -> String {
    vl::render::certificate_text(&certificate.inner)
}

/// A certificate as a self-contained HTML page, in Chinese and English; with `verify_url`,
/// the page carries that link and a QR code of it with the verification code.
#[pyfunction]
#[pyo3(signature = (certificate, verify_url = None))]
fn certificate_html(certificate: &Certificate, verify_url: Option<&str>) -> String {
    vl::render::certificate_html(&certificate.inner, verify_url)
}

/// How to read a sheet, from the keywords of `upload` and `read_sheet`.
fn import_options(
    format: Option<String>,
    encoding: &str,
    default_org: Option<String>,
    sheet: Option<String>,
    utc_offset_minutes: i32,
) -> vl::Result<vl::ImportOptions> {
    Ok(vl::ImportOptions {
        format: format
            .map(|f| from_name("sheet", "format", &f))
            .transpose()?,
        encoding: from_name("sheet", "encoding", encoding)?,
        utc_offset_minutes,
        default_org: opt_id(default_org)?,
        sheet,
    })
}

/// A Python value as JSON text (`json.dumps`), for a core type that reads JSON.
fn json_text(value: &Bound<'_, PyAny>) -> PyResult<String> {
    let json = value.py().import("json")?;
    json.call_method1("dumps", (value,))?.extract()
}

/// A team scoring table: a built-in name, or a dict in the form `team_scoring` returns. A
/// Python error (a value json cannot write) is raised; the core's refusal is returned.
fn scoring_table(table: &Bound<'_, PyAny>) -> PyResult<vl::Result<vl::TeamScoring>> {
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

/// Reads a sheet (CSV or XLSX bytes) without adding anything: its header and each row as a
/// record or the problem that keeps it from being one. Times are read in `utc_offset_minutes`.
#[pyfunction]
#[pyo3(signature = (
    data, *, format = None, encoding = String::from("auto"), default_org = None, sheet = None,
    utc_offset_minutes = Int(480)
))]
fn read_sheet(
    py: Python<'_>,
    data: Vec<u8>,
    format: Option<String>,
    encoding: String,
    default_org: Option<String>,
    sheet: Option<String>,
    utc_offset_minutes: Int,
) -> PyResult<Sheet> {
    let off = offset_of(py, utc_offset_minutes)?;
    let read = py.detach(move || {
        let opts = import_options(
            format,
            &encoding,
            default_org,
            sheet,
            utc_offset_minutes.saturating(),
        )?;
        vl::read_sheet(&data, &opts)
    });
    Ok(Sheet::new(check(py, read)?, off))
}

/// A built-in team scoring table ('district', 'pvsa_group') as a dict: the form
/// `rate_team` and `Ledger.team_rating_by` take, to copy and change.
#[pyfunction]
fn team_scoring<'py>(py: Python<'py>, name: String) -> PyResult<Bound<'py, PyAny>> {
    let table = check(py, vl::TeamScoring::profile(&name))?;
    let text = serde_json::to_string(&table)
        .map_err(|e| PyRuntimeError::new_err(format!("team scoring table: {e}")))?;
    py.import("json")?.call_method1("loads", (text,))
}

/// Scores a team's facts by a table (a built-in name or a dict): points, stars, level name
/// and the breakdown. `facts` is a TeamFacts or a dict with its attributes.
#[pyfunction]
fn rate_team(
    py: Python<'_>,
    table: &Bound<'_, PyAny>,
    facts: &Bound<'_, PyAny>,
) -> PyResult<TeamScore> {
    let table = check(py, scoring_table(table)?)?;
    let facts: vl::TeamFacts = match facts.cast::<TeamFacts>() {
        Ok(f) => f.get().into(),
        Err(_) => {
            let text = json_text(facts)?;
            check(
                py,
                serde_json::from_str(&text)
                    .map_err(|e| bad_field("team facts", "facts", format!("do not read: {e}"))),
            )?
        }
    };
    Ok(check(py, vl::rate_team_checked(&table, &facts))?.into())
}

// ---- the module ---------------------------------------------------------------------------

/// Native part of the `volunteer_ledger` package; import `volunteer_ledger` instead.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("PROFILES", PyTuple::new(py, vl::Policy::PROFILES)?)?;
    m.add("ERROR_CODES", PyTuple::new(py, vl::LedgerError::ALL_CODES)?)?;
    m.add("TRANSFER_FORMAT", vl::TRANSFER_FORMAT)?;

    m.add("LedgerError", py.get_type::<LedgerError>())?;
    m.add("InputError", py.get_type::<InputError>())?;
    m.add("ValidationError", py.get_type::<ValidationError>())?;
    m.add("AuthorizationError", py.get_type::<AuthorizationError>())?;
    m.add("NotFoundError", py.get_type::<NotFoundError>())?;
    m.add("ConflictError", py.get_type::<ConflictError>())?;
    m.add("StateError", py.get_type::<StateError>())?;
    m.add("IntegrityError", py.get_type::<IntegrityError>())?;
    m.add("PolicyError", py.get_type::<PolicyError>())?;
    m.add("StorageError", py.get_type::<StorageError>())?;

    m.add_class::<PyLedger>()?;
    m.add_class::<Receipt>()?;
    m.add_class::<RecordReceipt>()?;
    m.add_class::<RecordResults>()?;
    m.add_class::<ServiceRecord>()?;
    m.add_class::<VolunteerView>()?;
    m.add_class::<LevelReached>()?;
    m.add_class::<StarSummary>()?;
    m.add_class::<BoardEntry>()?;
    m.add_class::<Leaderboard>()?;
    m.add_class::<Standing>()?;
    m.add_class::<VerifyReport>()?;
    m.add_class::<PeriodInfo>()?;
    m.add_class::<Issuer>()?;
    m.add_class::<TransferRecord>()?;
    m.add_class::<YearTotal>()?;
    m.add_class::<TransferPackage>()?;
    m.add_class::<TransferReceipt>()?;
    m.add_class::<SyncResult>()?;
    m.add_class::<SyncReceipt>()?;
    m.add_class::<SyncRefusal>()?;
    m.add_class::<SyncApplied>()?;
    m.add_class::<SyncStatus>()?;
    m.add_class::<CertificateRecord>()?;
    m.add_class::<Certificate>()?;
    m.add_class::<CertificateCheck>()?;
    m.add_class::<CertificateTraining>()?;
    m.add_class::<CertificateCommendation>()?;
    m.add_class::<Org>()?;
    m.add_class::<Team>()?;
    m.add_class::<MemberPeriod>()?;
    m.add_class::<Project>()?;
    m.add_class::<Activity>()?;
    m.add_class::<Training>()?;
    m.add_class::<Commendation>()?;
    m.add_class::<VolunteerSummary>()?;
    m.add_class::<TeamFacts>()?;
    m.add_class::<CriterionLine>()?;
    m.add_class::<TeamScore>()?;
    m.add_class::<TeamRating>()?;
    m.add_class::<ExcellentCandidate>()?;
    m.add_class::<UnitStaffLine>()?;
    m.add_class::<UnitReport>()?;
    m.add_class::<CommunityVolunteer>()?;
    m.add_class::<Anomaly>()?;
    m.add_class::<RowProblem>()?;
    m.add_class::<ImportReport>()?;
    m.add_class::<SheetRecord>()?;
    m.add_class::<SheetRow>()?;
    m.add_class::<Sheet>()?;
    m.add_class::<SignedHead>()?;
    m.add_class::<InclusionProof>()?;
    m.add_class::<Warning>()?;

    m.add_function(wrap_pyfunction!(validate_identity, m)?)?;
    m.add_function(wrap_pyfunction!(mask_name, m)?)?;
    m.add_function(wrap_pyfunction!(mask_identity, m)?)?;
    m.add_function(wrap_pyfunction!(period_info, m)?)?;
    m.add_function(wrap_pyfunction!(periods_of, m)?)?;
    m.add_function(wrap_pyfunction!(stars_for_minutes, m)?)?;
    m.add_function(wrap_pyfunction!(rank_pairs, m)?)?;
    m.add_function(wrap_pyfunction!(policy_profile, m)?)?;
    m.add_function(wrap_pyfunction!(open_package, m)?)?;
    m.add_function(wrap_pyfunction!(package_hash, m)?)?;
    m.add_function(wrap_pyfunction!(verify_certificate_offline, m)?)?;
    m.add_function(wrap_pyfunction!(certificate_text, m)?)?;
    m.add_function(wrap_pyfunction!(certificate_html, m)?)?;
    m.add_function(wrap_pyfunction!(read_sheet, m)?)?;
    m.add_function(wrap_pyfunction!(team_scoring, m)?)?;
    m.add_function(wrap_pyfunction!(rate_team, m)?)?;
    Ok(())
}
