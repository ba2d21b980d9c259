//! From bytes to text: which format a file is (an xlsx workbook is a zip; an old Excel `.xls`
//! file is refused), whether it is within its size, and the text of a CSV file in UTF-8 (a BOM
//! is dropped), UTF-16 (with a BOM) or GBK/GB18030; also the file's fingerprint and the
//! refusal of a sheet as a whole.

use super::limits::check_file_size;
use super::options::{ImportOptions, SheetFormat, TextEncoding};
use crate::error::{LedgerError, Result, invalid_field};
use sha2::{Digest, Sha256};
use std::borrow::Cow;

/// A refusal of the sheet as a whole: `field` names what is at fault (`format`, `encoding`,
/// `csv`, `xlsx` or `header`), the detail says why and ends with the upload code.
pub(super) fn sheet_error(field: &str, detail: impl Into<String>) -> LedgerError {
    invalid_field("sheet", field, detail)
}

/// A CSV file's text (UTF-8 is borrowed, not copied), or `None` for an xlsx file; refuses an
/// .xls file and text that is not in its encoding.
pub(super) fn csv_text<'a>(bytes: &'a [u8], opts: &ImportOptions) -> Result<Option<Cow<'a, str>>> {
    let format = match opts.format {
        Some(f) => f,
        None if bytes.starts_with(b"PK\x03\x04") => SheetFormat::Xlsx,
        None if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) => {
            return Err(sheet_error(
                "format",
                "is an Excel 97-2003 .xls file, which is not read; save it as .xlsx or CSV \
                 (E_UPLOAD_ENCODING)",
            ));
        }
        None => SheetFormat::Csv,
    };
    check_file_size(bytes.len(), format == SheetFormat::Xlsx)?;
    match format {
        SheetFormat::Csv => decode(bytes, opts.encoding).map(Some),
        SheetFormat::Xlsx => Ok(None),
    }
}

pub(super) fn hex_sha256(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes as text; UTF-8 is borrowed, not copied.
fn decode<'a>(bytes: &'a [u8], encoding: TextEncoding) -> Result<Cow<'a, str>> {
    let bad = |what: &str| {
        sheet_error(
            "encoding",
            format!("is not {what} text (E_UPLOAD_ENCODING)"),
        )
    };
    let utf8 = |b: &'a [u8]| -> Result<Cow<'a, str>> {
        let b = b.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(b);
        std::str::from_utf8(b)
            .map(Cow::Borrowed)
            .map_err(|_| bad("UTF-8"))
    };
    let gb = |b: &'a [u8]| -> Result<Cow<'a, str>> {
        encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(b)
            .ok_or_else(|| bad("UTF-8 or GBK/GB18030"))
    };
    match encoding {
        TextEncoding::Utf8 => utf8(bytes),
        TextEncoding::Gbk => gb(bytes),
        TextEncoding::Auto => {
            if bytes.starts_with(b"\xEF\xBB\xBF") {
                return utf8(bytes);
            }
            if let Ok(text) = std::str::from_utf8(bytes) {
                return Ok(Cow::Borrowed(text));
            }
            if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
                let rest = bytes.get(bom..).unwrap_or_default();
                return enc
                    .decode_without_bom_handling_and_without_replacement(rest)
                    .ok_or_else(|| bad("UTF-16"));
            }
            gb(bytes)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        let s = "志愿者编号,组织编号\n";
        assert_eq!(
            decode(s.as_bytes(), TextEncoding::Auto).ok().as_deref(),
            Some(s)
        );
        let (gbk, _, _) = encoding_rs::GBK.encode(s);
        assert_eq!(decode(&gbk, TextEncoding::Auto).ok().as_deref(), Some(s));
        assert_eq!(decode(&gbk, TextEncoding::Gbk).ok().as_deref(), Some(s));
        assert!(decode(&gbk, TextEncoding::Utf8).is_err());
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice(s.as_bytes());
        assert_eq!(decode(&bom, TextEncoding::Auto).ok().as_deref(), Some(s));
        let mut utf16 = vec![0xFF, 0xFE];
        for u in s.encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&utf16, TextEncoding::Auto).ok().as_deref(), Some(s));
        assert!(decode(&[0x81, 0x20, 0xFF], TextEncoding::Auto).is_err());
    }
}
