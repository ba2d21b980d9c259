//! `RecordResults`, what a bulk add returns: a read-only sequence of one result per input
//! record that makes each result's Python object only when it is asked for.

use crate::errors::{bad_field, ledger_err};
use pyo3::IntoPyObjectExt;
use pyo3::exceptions::{PyIndexError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PySlice};
use volunteer_ledger as vl;

/// What `Ledger.add_records` did: one result per input record, in input order — a
/// RecordReceipt for each record added (or repeated), the LedgerError (not raised) for each
/// record refused. A read-only sequence that makes each result's Python object when it is
/// asked for, so a bulk add of a million records creates one object, not a million.
#[pyclass(frozen, sequence, module = "volunteer_ledger", name = "RecordResults")]
pub(crate) struct RecordResults {
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
    pub(crate) fn new(
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
                Some(r) => r.clone().into_py_any(py),
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
    /// the refusal's code and message; a value a row lacks is pandas' NA. Each column has one
    /// type (string, Int64, boolean), even with no rows. Needs pandas.
    fn to_pandas<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.table(py, "to_pandas")
    }

    /// The results as a polars DataFrame: `to_pandas`' columns and types; needs polars.
    fn to_polars<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.table(py, "to_polars")
    }

    /// The results as a pyarrow Table: `to_pandas`' columns and types; needs pyarrow.
    fn to_arrow<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.table(py, "to_arrow")
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

impl RecordResults {
    /// The results as the frame `method` (to_pandas, to_polars, to_arrow) gives.
    fn table<'py>(&self, py: Python<'py>, method: &str) -> PyResult<Bound<'py, PyAny>> {
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
        frames.call_method1("table", (data, method))
    }
}
