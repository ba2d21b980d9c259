//! The limits of an uploaded sheet: what the reader ([`crate::import`]) reads before it
//! refuses a sheet as a whole with `E_UPLOAD_TOO_LARGE` ([`LedgerError::UploadTooLarge`]).
//!
//! Reading is bounded by what a sheet holds, never by what it claims: an xlsx worksheet is
//! read a cell at a time (a cell's address sizes nothing), only the columns the header names
//! are kept, and the parts of an xlsx file (a zip) are measured by unpacking them — their
//! stated sizes are not trusted — before the workbook is opened, since the workbook reader
//! keeps its shared strings and styles whole. With these limits any sheet of up to 10 MB is
//! read or refused within 256 MiB (`core/tests/upload_memory.rs` counts it).
//!
//! The crate root re-exports this module as `volunteer_ledger::sheet_limits`.
//!
//! ```
//! use volunteer_ledger::import::{ImportOptions, read_sheet};
//! let mut csv = String::from("志愿者编号,组织编号,服务日期,开始时间,结束时间\n");
//! csv.push_str(&"x".repeat(volunteer_ledger::sheet_limits::MAX_CELL_CHARS + 1));
//! let e = read_sheet(csv.as_bytes(), &ImportOptions::default()).unwrap_err();
//! assert_eq!(e.code(), "E_UPLOAD_TOO_LARGE");
//! ```

use crate::error::{LedgerError, Result};
use std::io::Read;

pub use super::upload_source::{MAX_UPLOAD_BYTES, read_upload, read_upload_file};

/// The largest CSV file read, in bytes: a million rows of service records with room to spare.
pub const MAX_CSV_BYTES: usize = 256 << 20;
/// The largest xlsx file read, in bytes (half a million rows or so).
pub const MAX_XLSX_BYTES: usize = 16 << 20;
/// The last row read, as Excel numbers it: Excel's own last row.
pub const MAX_ROWS: u32 = 1_048_576;
/// The most cells in a row (Excel's own last column is XFD, the 16,384th).
pub const MAX_COLUMNS: usize = 16_384;
/// The most non-empty cells in a sheet (CSV: fields).
pub const MAX_CELLS: u64 = 1 << 25;
/// The longest text of a cell, in characters: Excel's own limit.
pub const MAX_CELL_CHARS: usize = 32_767;
/// The most parts (files) in an xlsx file.
pub const MAX_XLSX_PARTS: usize = 10_000;
/// The most bytes all parts of an xlsx file unpack to.
pub const MAX_XLSX_UNPACKED: u64 = 256 << 20;
/// The most bytes the shared strings part (`sharedStrings.xml`) unpacks to: it is kept whole
/// while the sheet is read.
pub const MAX_SHARED_STRINGS_BYTES: u64 = 16 << 20;
/// The most bytes any other part read whole when a workbook is opened unpacks to (styles,
/// workbook, theme, relationships).
pub const MAX_WHOLE_PART_BYTES: u64 = 4 << 20;
/// The longest XML token (a tag, a text, a comment) in any part of an xlsx file, in bytes: the
/// XML reader keeps one token whole. Room for a cell of [`MAX_CELL_CHARS`] characters, all
/// escaped.
pub const MAX_XML_TOKEN_BYTES: usize = 1 << 20;

/// The most refused rows an upload report lists in full (row, column, code, messages); the
/// report counts the others (`ImportReport::refused`). A sheet of a million bad rows would
/// otherwise hold hundreds of megabytes of messages.
pub const MAX_REPORTED_PROBLEMS: usize = 10_000;

/// A refusal with `E_UPLOAD_TOO_LARGE`: `what` (English and Chinese) goes past `limit`.
pub(crate) fn too_large(
    what: impl Into<String>,
    what_zh: impl Into<String>,
    limit: u64,
) -> LedgerError {
    LedgerError::UploadTooLarge {
        what: what.into(),
        what_zh: what_zh.into(),
        limit,
    }
}

/// The file-size limit: `bytes` of a CSV file (`xlsx == false`) or of an xlsx file.
pub(crate) fn check_file_size(len: usize, xlsx: bool) -> Result<()> {
    let limit = if xlsx { MAX_XLSX_BYTES } else { MAX_CSV_BYTES };
    if len > limit {
        return Err(too_large(
            format!("the file size ({len} bytes)"),
            format!("文件大小（{len} 字节）"),
            limit as u64,
        ));
    }
    Ok(())
}

/// The row limit of CSV text without quotes, checked before any row is read (so that no row
/// is kept of a sheet refused at its end): a row is numbered by the line breaks before it, so
/// one past [`MAX_ROWS`] starts after the `MAX_ROWS`-th `\n`.
pub(crate) fn check_plain_csv_rows(text: &str) -> Result<()> {
    let bytes = text.as_bytes();
    let Some(at) = nth_line_break(bytes, MAX_ROWS as usize - 1) else {
        return Ok(());
    };
    if bytes
        .get(at..)
        .unwrap_or_default()
        .iter()
        .any(|b| !matches!(b, b'\n' | b'\r'))
    {
        return Err(too_large(
            format!("the row number (past {MAX_ROWS})"),
            format!("行号（超过 {MAX_ROWS}）"),
            u64::from(MAX_ROWS),
        ));
    }
    Ok(())
}

/// Where the `n`-th (0-based) `\n` of `bytes` is. Line breaks are counted a block at a time
/// (a loop the compiler vectorises) and only the block holding the one sought is walked byte
/// by byte: this runs over every uploaded CSV, a million rows of it in tens of milliseconds
/// when walked a byte at a time.
fn nth_line_break(bytes: &[u8], n: usize) -> Option<usize> {
    const BLOCK: usize = 4096;
    let mut left = n;
    for (k, block) in bytes.chunks(BLOCK).enumerate() {
        // Counted in bytes over runs of 255 (no overflow), which vectorises to 16 lanes.
        let here: usize = block
            .chunks(255)
            .map(|run| usize::from(run.iter().fold(0u8, |k, &b| k + u8::from(b == b'\n'))))
            .sum();
        if here > left {
            let i = block
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .nth(left)
                .map(|(i, _)| i)?;
            return Some(k * BLOCK + i);
        }
        left -= here;
    }
    None
}

/// A cell of row `row` (1-based) and column `column` (0-based) longer than
/// [`MAX_CELL_CHARS`] characters.
pub(crate) fn cell_too_long(row: u32, column: usize) -> LedgerError {
    let column = column + 1;
    too_large(
        format!("the text of the cell in row {row}, column {column} (characters)"),
        format!("第 {row} 行第 {column} 列单元格的文字长度"),
        MAX_CELL_CHARS as u64,
    )
}

/// Whether a text has more than [`MAX_CELL_CHARS`] characters; counted only when its bytes
/// could be that many.
pub(crate) fn too_long(text: &str) -> bool {
    text.len() > MAX_CELL_CHARS && text.chars().count() > MAX_CELL_CHARS
}

/// The parts of an xlsx file, measured by unpacking each in turn (nothing is kept): refuses,
/// with `E_UPLOAD_TOO_LARGE`, a file of more than [`MAX_XLSX_PARTS`] parts, of parts that
/// unpack to more than [`MAX_XLSX_UNPACKED`] bytes together, a shared strings part beyond
/// [`MAX_SHARED_STRINGS_BYTES`] (or announcing more strings than it can hold), another part
/// read whole beyond [`MAX_WHOLE_PART_BYTES`], and an XML token beyond
/// [`MAX_XML_TOKEN_BYTES`]. A file that is no zip, or any part that cannot be read through,
/// is refused as unreadable (`E_FIELD`, `E_UPLOAD_ENCODING`): every part is measured or the
/// workbook is not opened (the workbook reader finds parts by name, and would read those the
/// walk could not measure).
pub(crate) fn check_xlsx_parts(bytes: &[u8]) -> Result<()> {
    let Ok(mut zip) = zip::ZipArchive::new(std::io::Cursor::new(bytes)) else {
        return Err(unreadable("it is no zip archive"));
    };
    if zip.len() > MAX_XLSX_PARTS {
        return Err(too_large(
            format!("the number of parts of the xlsx file ({})", zip.len()),
            format!("xlsx 文件的部件数（{}）", zip.len()),
            MAX_XLSX_PARTS as u64,
        ));
    }
    let mut total = 0u64;
    let mut chunk = vec![0u8; 64 << 10];
    for i in 0..zip.len() {
        let Ok(mut part) = zip.by_index(i) else {
            return Err(unreadable("a part of it cannot be read"));
        };
        let Ok(full) = part.name().map(|n| n.into_owned()) else {
            return Err(unreadable("a part of it has no readable name"));
        };
        let base = full
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let shared = base == "sharedstrings.xml";
        let whole = shared
            || base.ends_with(".rels")
            || base == "styles.xml"
            || base == "workbook.xml"
            || base.starts_with("theme");
        let limit = if shared {
            MAX_SHARED_STRINGS_BYTES
        } else if whole {
            MAX_WHOLE_PART_BYTES
        } else {
            MAX_XLSX_UNPACKED
        };
        let name: String = full.chars().take(48).collect();
        let mut scan = XmlScan {
            sst: shared.then(Vec::new),
            ..XmlScan::default()
        };
        let mut size = 0u64;
        loop {
            let n = match part.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => n,
                Err(_) => return Err(unreadable("a part of it does not unpack")),
            };
            let data = chunk.get(..n).unwrap_or_default();
            size += n as u64;
            total += n as u64;
            if size > limit {
                return Err(too_large(
                    format!("the unpacked size of part {name} of the xlsx file (bytes)"),
                    format!("xlsx 文件部件 {name} 解压后的大小"),
                    limit,
                ));
            }
            if total > MAX_XLSX_UNPACKED {
                return Err(too_large(
                    "the unpacked size of the xlsx file (bytes)",
                    "xlsx 文件解压后的大小",
                    MAX_XLSX_UNPACKED,
                ));
            }
            if !scan.scan(data) {
                return Err(too_large(
                    format!("an XML token of part {name} of the xlsx file (bytes)"),
                    format!("xlsx 文件部件 {name} 中的一段 XML"),
                    MAX_XML_TOKEN_BYTES as u64,
                ));
            }
        }
        if shared {
            // The workbook reader makes room for as many strings as the part announces.
            let announced = scan.announced.unwrap_or(0);
            let room = size / 9 + 1;
            if announced > room {
                return Err(too_large(
                    "the number of shared strings the xlsx file announces",
                    "xlsx 文件声明的共享字符串数",
                    room,
                ));
            }
        }
    }
    Ok(())
}

/// A workbook that cannot be read through, as the sheet reader refuses any damaged workbook.
fn unreadable(why: &str) -> LedgerError {
    crate::error::invalid_field(
        "sheet",
        "xlsx",
        format!("is not a readable .xlsx workbook: {why} (E_UPLOAD_ENCODING)"),
    )
}

/// The `uniqueCount` of an `sst` start tag (`<sst …>` or `<x:sst …>`, without its `>`), as the
/// workbook reader reads it (digits only; `None` if it is not there or not digits).
fn unique_count(tag: &[u8]) -> Option<u64> {
    let tag = String::from_utf8_lossy(tag);
    let name = tag.split(|c: char| c.is_whitespace()).next()?;
    if name.rsplit(':').next() != Some("sst") {
        return None;
    }
    let value = tag.split("uniqueCount=").nth(1)?;
    let quote = value.chars().next()?;
    let digits = value.get(1..)?.split(quote).next()?;
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Some(0);
    }
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    // Beyond u64 is beyond any limit.
    Some(digits.parse().unwrap_or(u64::MAX))
}

/// The length of the XML token being read, across chunks: text between tags, a tag (quoted
/// values may hold `>`), a comment, a CDATA section, a processing instruction or a DOCTYPE.
#[derive(Default)]
struct XmlScan {
    state: Token,
    /// Bytes of the current token.
    len: usize,
    /// The last 8 bytes seen, to find the end of a comment, CDATA section or instruction, and
    /// the kind of a tag.
    tail: u64,
    /// In a shared strings part: the start of the current tag (up to 4 KiB), until the
    /// `sst` tag is found.
    sst: Option<Vec<u8>>,
    /// The `uniqueCount` the `sst` tag announces.
    announced: Option<u64>,
}

#[derive(Debug, Default, Clone, Copy, PartialEq)]
enum Token {
    #[default]
    Text,
    Tag,
    Quoted(u8),
    Comment,
    CData,
    Instruction,
}

impl XmlScan {
    /// Reads on; `false` once a token is longer than [`MAX_XML_TOKEN_BYTES`].
    fn scan(&mut self, data: &[u8]) -> bool {
        let mut i = 0;
        while i < data.len() {
            if self.state == Token::Text && self.sst.is_none() {
                // Most bytes are text or tags: to the next `<` at once.
                let rest = data.get(i..).unwrap_or_default();
                match rest.iter().position(|&b| b == b'<') {
                    Some(at) => {
                        self.len += at;
                        i += at;
                        if self.len > MAX_XML_TOKEN_BYTES {
                            return false;
                        }
                    }
                    None => {
                        self.len += rest.len();
                        return self.len <= MAX_XML_TOKEN_BYTES;
                    }
                }
            }
            let Some(&b) = data.get(i) else {
                break;
            };
            i += 1;
            self.step(b);
            if self.len > MAX_XML_TOKEN_BYTES {
                return false;
            }
        }
        self.len <= MAX_XML_TOKEN_BYTES
    }

    /// One byte.
    fn step(&mut self, b: u8) {
        self.tail = (self.tail << 8) | u64::from(b);
        self.len += 1;
        let ends = |tail: u64, end: &[u8]| {
            let bits = 8 * end.len() as u32;
            let want = end.iter().fold(0u64, |t, &c| (t << 8) | u64::from(c));
            let mask = if bits >= 64 {
                u64::MAX
            } else {
                (1u64 << bits) - 1
            };
            tail & mask == want
        };
        if let Some(tag) = &mut self.sst {
            match self.state {
                Token::Text if b == b'<' => tag.clear(),
                Token::Tag | Token::Quoted(_) if b != b'>' && tag.len() < 4096 => tag.push(b),
                Token::Tag if b == b'>' => {
                    if let Some(n) = unique_count(tag) {
                        self.announced = Some(n);
                        self.sst = None;
                    }
                }
                _ => {}
            }
        }
        match self.state {
            Token::Text => {
                if b == b'<' {
                    self.state = Token::Tag;
                    self.len = 1;
                }
            }
            Token::Tag => {
                if ends(self.tail, b"<!--") {
                    self.state = Token::Comment;
                } else if ends(self.tail, b"![CDATA[") {
                    self.state = Token::CData;
                } else if ends(self.tail, b"<?") {
                    self.state = Token::Instruction;
                } else if b == b'"' || b == b'\'' {
                    self.state = Token::Quoted(b);
                } else if b == b'>' {
                    self.state = Token::Text;
                    self.len = 0;
                }
            }
            Token::Quoted(q) => {
                if b == q {
                    self.state = Token::Tag;
                }
            }
            Token::Comment => {
                if ends(self.tail, b"-->") {
                    self.state = Token::Text;
                    self.len = 0;
                }
            }
            Token::CData => {
                if ends(self.tail, b"]]>") {
                    self.state = Token::Text;
                    self.len = 0;
                }
            }
            Token::Instruction => {
                if ends(self.tail, b"?>") {
                    self.state = Token::Text;
                    self.len = 0;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nth_line_break_is_found_across_blocks() {
        let text: Vec<u8> = (0..20_000u32)
            .flat_map(|i| {
                let mut line = vec![b'x'; (i % 7) as usize];
                line.push(b'\n');
                line
            })
            .collect();
        let slow = |n: usize| {
            text.iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .nth(n)
                .map(|(i, _)| i)
        };
        for n in [
            0, 1, 585, 586, 1023, 4095, 4096, 12_345, 19_999, 20_000, 30_000,
        ] {
            assert_eq!(nth_line_break(&text, n), slow(n), "n = {n}");
        }
        assert_eq!(nth_line_break(b"", 0), None);
    }

    fn longest_ok(text: &[u8]) -> bool {
        XmlScan::default().scan(text)
    }

    #[test]
    fn xml_tokens_are_measured_whatever_hides_their_end() {
        let long = "x".repeat(MAX_XML_TOKEN_BYTES + 1);
        let short = "x".repeat(1000);
        assert!(longest_ok(
            format!("<a>{short}</a>").repeat(3000).as_bytes()
        ));
        for bad in [
            format!("<a>{long}</a>"),
            format!("<a b=\"{}\"/>", ">".repeat(MAX_XML_TOKEN_BYTES + 1)),
            format!("<!-- {} -->", "<a>".repeat(MAX_XML_TOKEN_BYTES / 3 + 1)),
            format!("<![CDATA[{}]]>", "<a>".repeat(MAX_XML_TOKEN_BYTES / 3 + 1)),
            format!("<?x {}?>", "<a>".repeat(MAX_XML_TOKEN_BYTES / 3 + 1)),
        ] {
            assert!(
                !longest_ok(bad.as_bytes()),
                "{}",
                bad.get(..20).unwrap_or("")
            );
        }
        // Split anywhere, the same.
        let text = format!("<a b='>'>{short}<!-- > -->{short}</a>");
        let mut scan = XmlScan::default();
        for piece in text.as_bytes().chunks(3) {
            assert!(scan.scan(piece));
        }
        assert_eq!(scan.state, Token::Text);
    }

    #[test]
    fn unique_count_reads_as_the_workbook_reader_does() {
        let announced = |attr: &str| {
            let text = format!(
                "<?xml version=\"1.0\"?><!-- <sst uniqueCount=\"7\"> -->\
                 <x:sst xmlns:x=\"x\" {attr}><x:si><x:t>a</x:t></x:si></x:sst>"
            );
            let mut scan = XmlScan {
                sst: Some(Vec::new()),
                ..XmlScan::default()
            };
            for piece in text.as_bytes().chunks(5) {
                scan.scan(piece);
            }
            scan.announced
        };
        assert_eq!(announced("uniqueCount=\"12\""), Some(12));
        assert_eq!(announced("uniqueCount='0012'"), Some(12));
        assert_eq!(
            announced("uniqueCount=\"99999999999999999999999\""),
            Some(u64::MAX)
        );
        assert_eq!(announced("count=\"3\""), None);
        assert_eq!(announced("uniqueCount=\"1e9\""), None);
    }

    #[test]
    fn file_sizes_are_limited_by_format() {
        assert!(check_file_size(MAX_CSV_BYTES, false).is_ok());
        assert_eq!(
            check_file_size(MAX_CSV_BYTES + 1, false).map_err(|e| e.code()),
            Err("E_UPLOAD_TOO_LARGE")
        );
        assert!(check_file_size(MAX_XLSX_BYTES, true).is_ok());
        assert!(check_file_size(MAX_XLSX_BYTES + 1, true).is_err());
    }
}
