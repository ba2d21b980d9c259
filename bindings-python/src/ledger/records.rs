//! Service records in a ledger: adding one or many (dicts, or a DataFrame's packed columns
//! converted while the core adds), confirming, revoking, disputing and amending them, and
//! reading them back.

use super::{PyLedger, unavailable};
use crate::errors::{check, ledger_err};
use crate::frames::{CHUNK, RecordColumns, frame_columns};
use crate::progress::PyProgress;
use crate::record_results::RecordResults;
use crate::records::{Converted, RecordArgs, ServiceRecord};
use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PySlice};
use volunteer_ledger as vl;

impl PyLedger {
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
        progress: &PyProgress,
    ) -> PyResult<RecordResults> {
        let off = self.off.local_minus_utc() / 60;
        let frames = py.import("volunteer_ledger._frames")?;
        let n = frame.len()?;
        if frames.call_method1("streamable", (frame,))?.is_truthy()? {
            let iloc = frame.getattr("iloc")?;
            return self.add_alongside(py, actor, n, progress, |send| {
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
        self.add_alongside(py, actor, n, progress, |send| {
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
        progress: &PyProgress,
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
                    let added = progress
                        .with(|p| ledger.add_records_from(actor, records, p.expecting(n as u64)));
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
}

#[pymethods]
impl PyLedger {
    /// Adds a service record. An organiser's record is confirmed at once, unless it is a
    /// make-up record and the organiser is not an org admin; a volunteer's own report stays
    /// pending. Sending the same record again changes nothing (`duplicate` is True).
    /// `start`/`end`: datetimes (naive ones in the ledger's offset). `source`: entry, check_in,
    /// import or transfer.
    #[pyo3(
        signature = (actor, **record),
        text_signature = "($self, actor, *, id, volunteer, org, start, end, minutes, content='', \
            team=None, activity=None, source='entry', paid=False, job_duty=False, \
            public_benefit=True)"
    )]
    fn add_record(
        &self,
        py: Python<'_>,
        actor: String,
        record: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<vl::RecordReceipt> {
        let actor = Self::actor(py, &actor)?;
        let fields = record.cloned().unwrap_or_else(|| PyDict::new(py));
        let args = RecordArgs::from_dict(&fields)?;
        let record = check(py, args.convert(self.off)?)?;
        self.run(py, move |l| l.add_record(&actor, record))
    }

    /// Adds many records, each on its own: one refusal does not stop the others. `records` is
    /// any iterable of dicts with the keywords of `add_record`, or a pandas or polars DataFrame
    /// or a pyarrow Table with those columns (datetime start/end columns, naive ones in the
    /// ledger's offset; missing optional columns take `add_record`'s defaults). A polars or
    /// Arrow frame is read through pandas (its `to_pandas()`: pandas, and for polars pyarrow,
    /// must be installed). One lock and, in a file ledger, one
    /// transaction for the lot (if that write fails, every result is that error). Returns a
    /// RecordResults: in input order, a RecordReceipt for each record added (or repeated) and
    /// the LedgerError (not raised) for each record refused, with their counts. A record that
    /// is not one (an unknown or missing key or column, a start that is not a datetime) raises
    /// TypeError before anything is added.
    ///
    /// A DataFrame's columns cross as a few packed buffers (`_frames.record_columns`); turning
    /// them into records, the core's work and the results run with the GIL released.
    /// `progress(done, total)` is told the records done.
    #[pyo3(signature = (actor, records, *, progress = None))]
    fn add_records(
        &self,
        py: Python<'_>,
        actor: String,
        records: &Bound<'_, PyAny>,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<RecordResults> {
        let progress = PyProgress::new(progress);
        let actor = Self::actor(py, &actor)?;
        let frames = py.import("volunteer_ledger._frames")?;
        if frames.call_method1("is_frame", (records,))?.is_truthy()?
            || (records.hasattr("columns")? && records.hasattr("dtypes")?)
        {
            let frame = frames.call_method1("as_pandas", (records,))?;
            let added = self.add_frame(py, &actor, &frame, &progress);
            return progress.finish(added);
        }
        let mut converted = Converted::default();
        for item in records.try_iter()? {
            let item = item?;
            let d = item.cast::<PyDict>().map_err(|_| {
                PyTypeError::new_err("each record must be a dict with the keywords of add_record")
            })?;
            converted.push(RecordArgs::from_dict(d)?.convert(self.off)?);
        }
        let added = self.run(py, |l| {
            let added =
                progress.with(|p| l.add_records_with_progress(&actor, converted.records, p));
            Ok(RecordResults::new(converted.refused, added))
        });
        progress.finish(added)
    }

    /// Confirms a pending record. Nobody confirms a record they entered themselves; a make-up
    /// record needs an org admin.
    fn confirm_record(
        &self,
        py: Python<'_>,
        actor: String,
        record: String,
    ) -> PyResult<vl::Receipt> {
        let actor = Self::actor(py, &actor)?;
        let record = Self::record_id(py, &record)?;
        self.run(py, move |l| l.confirm_record(&actor, &record))
    }

    /// Confirms many pending records, each as `confirm_record` confirms one and on its own: one
    /// refusal does not stop the others. One lock and, in a file ledger, one transaction (if
    /// that write fails, it is raised and nothing is kept). Returns, in input order, a Receipt
    /// for each record confirmed and the LedgerError (not raised) for each refused. A
    /// malformed id is refused like any other. `records`: any iterable of ids (a list, a pandas
    /// or polars Series …).
    fn confirm_records(
        &self,
        py: Python<'_>,
        actor: String,
        records: &Bound<'_, PyAny>,
    ) -> PyResult<Vec<Py<PyAny>>> {
        let actor = Self::actor(py, &actor)?;
        if records.is_instance_of::<pyo3::types::PyString>() {
            return Err(PyTypeError::new_err(
                "records must be an iterable of record ids, not one str",
            ));
        }
        let (mut good, mut answers) = (Vec::new(), Vec::new());
        for r in records.try_iter()? {
            match r?.extract::<String>()?.parse::<vl::RecordId>() {
                Ok(id) => {
                    good.push(id);
                    answers.push(None);
                }
                Err(e) => answers.push(Some(e)),
            }
        }
        let mut confirmed = self
            .run(py, move |l| l.confirm_records(&actor, &good))?
            .into_iter();
        answers
            .into_iter()
            .map(|refused| {
                let answer = match refused {
                    Some(e) => Err(e),
                    None => confirmed.next().ok_or_else(|| {
                        PyRuntimeError::new_err("the ledger answered fewer records than given")
                    })?,
                };
                Ok(match answer {
                    Ok(receipt) => receipt.into_pyobject(py)?.into_any().unbind(),
                    Err(e) => ledger_err(py, &e).into_value(py).into_any(),
                })
            })
            .collect()
    }

    /// Revokes a record with a reason; it stays in the ledger and stops counting.
    fn revoke_record(
        &self,
        py: Python<'_>,
        actor: String,
        record: String,
        reason: String,
    ) -> PyResult<vl::Receipt> {
        let actor = Self::actor(py, &actor)?;
        let record = Self::record_id(py, &record)?;
        self.run(py, move |l| l.revoke_record(&actor, &record, &reason))
    }

    /// Disputes a record (申诉): the volunteer, its recorder or its organiser may.
    fn dispute_record(
        &self,
        py: Python<'_>,
        actor: String,
        record: String,
        reason: String,
    ) -> PyResult<vl::Receipt> {
        let actor = Self::actor(py, &actor)?;
        let record = Self::record_id(py, &record)?;
        self.run(py, move |l| l.dispute_record(&actor, &record, &reason))
    }

    /// Resolves a dispute (an org admin); the record returns to its state before it.
    fn resolve_dispute(
        &self,
        py: Python<'_>,
        actor: String,
        record: String,
        note: String,
    ) -> PyResult<vl::Receipt> {
        let actor = Self::actor(py, &actor)?;
        let record = Self::record_id(py, &record)?;
        self.run(py, move |l| l.resolve_dispute(&actor, &record, &note))
    }

    /// Replaces a counted record by a corrected one for the same volunteer; the old record
    /// stays, marked amended and linked to its replacement. The replacement's fields are the
    /// keyword arguments of `add_record`.
    #[pyo3(
        signature = (actor, record, reason, **replacement),
        text_signature = "($self, actor, record, reason, *, id, volunteer, org, start, end, \
            minutes, content='', team=None, activity=None, source='entry', paid=False, \
            job_duty=False, public_benefit=True)"
    )]
    fn amend_record(
        &self,
        py: Python<'_>,
        actor: String,
        record: String,
        reason: String,
        replacement: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<vl::RecordReceipt> {
        let actor = Self::actor(py, &actor)?;
        let record = Self::record_id(py, &record)?;
        let fields = replacement.cloned().unwrap_or_else(|| PyDict::new(py));
        let args = RecordArgs::from_dict(&fields)?;
        let replacement = check(py, args.convert(self.off)?)?;
        self.run(py, move |l| {
            l.amend_record(&actor, &record, replacement, &reason)
        })
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

    /// Every record served at an org or any org below it, in every state, in the order added.
    fn records_of_org(&self, py: Python<'_>, org: String) -> PyResult<Vec<ServiceRecord>> {
        let list = self.run(py, move |l| l.records_of_org(&org.parse()?))?;
        Ok(list
            .into_iter()
            .map(|r| ServiceRecord::new(r, self.off))
            .collect())
    }

    /// How many records the ledger holds, in every state.
    fn record_count(&self, py: Python<'_>) -> PyResult<usize> {
        self.run(py, |l| Ok(l.record_count()))
    }
}
