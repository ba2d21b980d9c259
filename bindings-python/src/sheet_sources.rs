//! A sheet's contents as Python passes them: `bytes`, `bytearray` or `memoryview`; a path
//! (`str` or `os.PathLike`), read by the core with the GIL released; or a binary file object
//! (anything with `.read()`), read through the core's bounded reader. The bounds and the
//! refusals (a missing file, a file too large) are the core's (`sheet_limits::read_upload`).

use crate::errors::{bad_field, ledger_err};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyByteArray, PyBytes, PyMemoryView, PyString};
use std::io::Read;
use std::path::PathBuf;
use volunteer_ledger as vl;

/// The most bytes asked of a file object's `.read(n)` at a time.
const READ_AT_MOST: usize = 1 << 20;

/// The bytes of a sheet passed as `argument` (its name, in a refusal): see the module.
pub(crate) fn sheet_bytes(data: &Bound<'_, PyAny>, argument: &str) -> PyResult<Vec<u8>> {
    let py = data.py();
    if let Ok(b) = data.cast::<PyBytes>() {
        return Ok(b.as_bytes().to_vec());
    }
    if let Ok(b) = data.cast::<PyByteArray>() {
        return Ok(b.to_vec());
    }
    if data.is_instance_of::<PyMemoryView>() {
        let b = data.call_method0("tobytes")?;
        return Ok(b.cast::<PyBytes>()?.as_bytes().to_vec());
    }
    let is_path = data.is_instance_of::<PyString>() || data.hasattr("__fspath__")?;
    if is_path {
        let path: PathBuf = data.extract()?;
        let read = py.detach(|| vl::sheet_limits::read_upload_file(&path, argument));
        return read.map_err(|e| ledger_err(py, &e));
    }
    if data.hasattr("read")? {
        let mut reader = FileObject {
            file: data.clone(),
            argument,
            failure: None,
        };
        let read = vl::sheet_limits::read_upload(&mut reader, argument);
        return match (read, reader.failure) {
            (Ok(bytes), _) => Ok(bytes),
            (Err(_), Some(failure)) => Err(failure),
            (Err(e), None) => Err(ledger_err(py, &e)),
        };
    }
    Err(PyTypeError::new_err(format!(
        "{argument} must be bytes, a path (str or os.PathLike) or a binary file object, not {} \
         / {argument} 须为 bytes、路径或以二进制方式打开的文件",
        data.get_type().name()?
    )))
}

/// A Python file object as a reader. A failure (the object's own exception, or text instead
/// of bytes) is kept to raise as it is; the core sees an I/O error and stops.
struct FileObject<'a, 'py> {
    file: Bound<'py, PyAny>,
    argument: &'a str,
    failure: Option<PyErr>,
}

impl FileObject<'_, '_> {
    fn fail(&mut self, e: PyErr) -> std::io::Error {
        self.failure = Some(e);
        std::io::Error::other("the file object failed")
    }
}

impl Read for FileObject<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let want = buf.len().min(READ_AT_MOST);
        let chunk = match self.file.call_method1("read", (want,)) {
            Ok(chunk) => chunk,
            Err(e) => return Err(self.fail(e)),
        };
        if chunk.is_none() {
            // A non-blocking raw file with nothing yet: read as the end.
            return Ok(0);
        }
        let bytes: Vec<u8> = if let Ok(b) = chunk.cast::<PyBytes>() {
            b.as_bytes().to_vec()
        } else if let Ok(b) = chunk.cast::<PyByteArray>() {
            b.to_vec()
        } else {
            let py = self.file.py();
            let detail = if chunk.is_instance_of::<PyString>() {
                "is a file opened in text mode; open it in binary mode ('rb') \
                 / 文件须以二进制方式（'rb'）打开"
            } else {
                "is a file object whose read() does not return bytes \
                 / 该文件对象的 read() 未返回 bytes"
            };
            let e = ledger_err(py, &bad_field("sheet", self.argument, detail));
            return Err(self.fail(e));
        };
        match buf.get_mut(..bytes.len()) {
            Some(dest) => {
                dest.copy_from_slice(&bytes);
                Ok(bytes.len())
            }
            None => {
                let e = PyTypeError::new_err(format!(
                    "{}: read({want}) returned more than {want} bytes",
                    self.argument
                ));
                Err(self.fail(e))
            }
        }
    }
}
