//! A Python progress callback `progress(done, total)` as the core's `Progress`: called with the
//! GIL taken back from whichever thread the core reports on; its first exception is kept and
//! raised when the call is over (the call itself goes on, so that what it wrote is whole).

use pyo3::prelude::*;
use std::sync::Mutex;
use volunteer_ledger as vl;

/// A caller's callback, or none, and the first exception it raised.
pub(crate) struct PyProgress {
    callback: Option<Py<PyAny>>,
    /// The first exception the callback raised; once there is one, it is not called again.
    failed: Mutex<Option<PyErr>>,
}

impl PyProgress {
    pub(crate) fn new(callback: Option<Py<PyAny>>) -> Self {
        Self {
            callback,
            failed: Mutex::new(None),
        }
    }

    /// Tells the callback `done` of `total`, unless it raised before.
    pub(crate) fn tell(&self, done: u64, total: u64) {
        let Some(cb) = &self.callback else { return };
        // Only the thread the core reports on calls this: the slot is not contended.
        let Ok(mut failed) = self.failed.lock() else {
            return;
        };
        if failed.is_some() {
            return;
        }
        Python::attach(|py| {
            if let Err(e) = cb.call1(py, (done, total)) {
                *failed = Some(e);
            }
        });
    }

    /// Runs `f` with the core's `Progress` reporting to the callback (none without one).
    pub(crate) fn with<T>(&self, f: impl FnOnce(vl::Progress<'_>) -> T) -> T {
        if self.callback.is_none() {
            return f(vl::Progress::none());
        }
        let mut tell = |done, total| self.tell(done, total);
        f(vl::Progress::to(&mut tell))
    }

    /// `result`; if it is a value and the callback raised, the callback's exception.
    pub(crate) fn finish<T>(self, result: PyResult<T>) -> PyResult<T> {
        let value = result?;
        match self.failed.into_inner().ok().flatten() {
            Some(e) => Err(e),
            None => Ok(value),
        }
    }
}
