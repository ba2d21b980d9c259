//! Where an uploaded sheet's bytes come from when they are not in memory yet: a file by path,
//! or any reader (a binding's file object). Either is read to at most one byte past
//! [`MAX_UPLOAD_BYTES`], so that a sheet too large for any format is refused with
//! `E_UPLOAD_TOO_LARGE` without being read whole; the format's own limit
//! ([`super::limits`]) is checked when the bytes are read as a sheet.
//!
//! `argument` names what the caller passed (`data` …): a refusal names it, never the path,
//! which may hold a person's name.
//!
//! ```
//! use volunteer_ledger::sheet_limits::read_upload;
//! let bytes = read_upload(&b"a,b\n1,2\n"[..], "data")?;
//! assert_eq!(bytes.len(), 8);
//! # Ok::<(), volunteer_ledger::LedgerError>(())
//! ```

use super::limits::{MAX_CSV_BYTES, MAX_XLSX_BYTES, too_large};
use crate::error::{LedgerError, Result};
use std::io::{ErrorKind, Read};
use std::path::Path;

/// The most bytes of an uploaded sheet read from a file or a stream, whatever its format: the
/// larger of [`MAX_CSV_BYTES`] and [`MAX_XLSX_BYTES`].
pub const MAX_UPLOAD_BYTES: usize = if MAX_CSV_BYTES > MAX_XLSX_BYTES {
    MAX_CSV_BYTES
} else {
    MAX_XLSX_BYTES
};

/// Reads an uploaded sheet from `reader`, at most [`MAX_UPLOAD_BYTES`] + 1 bytes: a longer
/// one is refused with `E_UPLOAD_TOO_LARGE`, a failing read with `E_FIELD` naming
/// `argument`.
pub fn read_upload(reader: impl Read, argument: &str) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_UPLOAD_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| unreadable(argument, e.kind()))?;
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(too_large(
            format!("the file size (more than {MAX_UPLOAD_BYTES} bytes)"),
            format!("文件大小（超过 {MAX_UPLOAD_BYTES} 字节）"),
            MAX_UPLOAD_BYTES as u64,
        ));
    }
    Ok(bytes)
}

/// Reads an uploaded sheet from the file at `path`, as [`read_upload`] does; a path that
/// names no file, a folder or a file that cannot be opened is refused with `E_FIELD` naming
/// `argument` (not the path).
pub fn read_upload_file(path: &Path, argument: &str) -> Result<Vec<u8>> {
    if path.is_dir() {
        return Err(sheet_field(
            argument,
            "names a folder, not a sheet file / 是文件夹而不是表格文件",
        ));
    }
    let file = std::fs::File::open(path).map_err(|e| unreadable(argument, e.kind()))?;
    read_upload(file, argument)
}

/// `E_FIELD` for the sheet passed as `argument`.
fn sheet_field(argument: &str, detail: &str) -> LedgerError {
    crate::error::invalid_field("sheet", argument, detail)
}

/// `E_FIELD` for a sheet that cannot be opened or read, by the kind of failure.
fn unreadable(argument: &str, kind: ErrorKind) -> LedgerError {
    let detail = match kind {
        ErrorKind::NotFound => "names no file / 文件不存在",
        ErrorKind::PermissionDenied => "cannot be opened: permission denied / 无权打开该文件",
        _ => "cannot be read / 无法读取",
    };
    sheet_field(argument, detail)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader of `n` zero bytes that counts what is asked of it.
    struct Zeros {
        left: u64,
        read: u64,
    }

    impl Read for Zeros {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = (buf.len() as u64).min(self.left) as usize;
            buf.iter_mut().take(n).for_each(|b| *b = 0);
            self.left -= n as u64;
            self.read += n as u64;
            Ok(n)
        }
    }

    #[test]
    fn a_stream_at_the_limit_is_read_and_one_past_it_refused_without_reading_on() {
        let at = Zeros {
            left: MAX_UPLOAD_BYTES as u64,
            read: 0,
        };
        assert_eq!(
            read_upload(at, "data").map(|b| b.len()),
            Ok(MAX_UPLOAD_BYTES)
        );
        let mut past = Zeros {
            left: MAX_UPLOAD_BYTES as u64 * 4,
            read: 0,
        };
        let e = read_upload(&mut past, "data").unwrap_err();
        assert_eq!(e.code(), "E_UPLOAD_TOO_LARGE");
        assert_eq!(past.read, MAX_UPLOAD_BYTES as u64 + 1);
    }

    #[test]
    fn a_missing_file_or_a_folder_is_refused_naming_the_argument_not_the_path() {
        let dir = std::env::temp_dir();
        let missing = dir.join("volunteer-ledger-no-such-sheet-张三.csv");
        let e = read_upload_file(&missing, "data").unwrap_err();
        assert_eq!(e.code(), "E_FIELD");
        let text = e.to_string();
        assert!(
            text.contains("'data'") && text.contains("names no file"),
            "{text}"
        );
        assert!(!text.contains("张三"), "{text}");
        let e = read_upload_file(&dir, "data").unwrap_err();
        assert!(e.to_string().contains("folder"), "{e}");
    }

    #[test]
    fn a_failing_reader_is_refused_with_e_field() {
        struct Failing;
        impl Read for Failing {
            fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
                Err(std::io::Error::other("broken"))
            }
        }
        assert_eq!(read_upload(Failing, "data").unwrap_err().code(), "E_FIELD");
    }
}
