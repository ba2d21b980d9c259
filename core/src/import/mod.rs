//! Manual upload (手动记录上传): hand-kept spreadsheets of service records — CSV in UTF-8 (with
//! or without BOM) or GBK/GB18030, and Excel `.xlsx` — read into [`NewRecord`]s, then added to a
//! ledger through the same validation as every other record.
//!
//! [`read_sheet`] only reads: it finds the header row (which need not be row 1), matches
//! Chinese or English headers through a table of synonyms ([`field_for_header`]), and turns
//! each data row into a record or a [`RowProblem`] that names the row, the column and a stable
//! code. [`upload`] reads and then adds the rows to a [`Ledger`] (or to a copy of it, for a
//! dry run) and reports what happened in an [`ImportReport`]. No message names a person or an
//! identity number: a cell's text is quoted only when it is short and holds nothing but
//! digits and date or time punctuation.
//!
//! ```
//! use volunteer_ledger::import::{ImportOptions, read_sheet};
//! let csv = "志愿者编号,组织编号,服务日期,开始时间,结束时间,服务时长(小时)\n\
//!            V1,C1,2015/6/2,9:00,11:30,2.5\n";
//! let sheet = read_sheet(csv.as_bytes(), &ImportOptions::default())?;
//! let row = &sheet.rows[0];
//! assert_eq!(row.row, 2);
//! assert_eq!(row.record.as_ref().map(|r| r.minutes), Ok(150));
//! # Ok::<(), volunteer_ledger::LedgerError>(())
//! ```

use crate::error::{Clip, LedgerError, Result, invalid_field};
use crate::ids::{ActivityId, ActorId, OrgId, RecordId, TeamId, VolunteerId};
use crate::ledger::Ledger;
use crate::record::{NewRecord, RecordSource, RecordState};
use limits::{
    MAX_CELL_CHARS, MAX_CELLS, MAX_COLUMNS, MAX_ROWS, cell_too_long, check_file_size,
    check_plain_csv_rows, check_xlsx_parts, too_large, too_long,
};
use crate::time::{Timestamp, offset};
use chrono::{Duration, FixedOffset, NaiveDate, TimeZone};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::borrow::Cow;

pub mod limits;

/// A required cell is empty (or its column is missing).
pub const E_UPLOAD_MISSING: &str = "E_UPLOAD_MISSING";
/// The sheet has no header row the reader recognises, or lacks a required column.
pub const E_UPLOAD_HEADER: &str = "E_UPLOAD_HEADER";
/// A date cell does not hold a real date in a known form.
pub const E_UPLOAD_DATE: &str = "E_UPLOAD_DATE";
/// A time cell does not hold a time of day in a known form, or the start or end is missing.
pub const E_UPLOAD_TIME: &str = "E_UPLOAD_TIME";
/// A duration cell does not hold a number of hours (or minutes) in a known form.
pub const E_UPLOAD_DURATION: &str = "E_UPLOAD_DURATION";
/// The bytes are not text in the stated or any detectable encoding.
pub const E_UPLOAD_ENCODING: &str = "E_UPLOAD_ENCODING";

/// How many rows from the top are searched for the header row.
pub const HEADER_SEARCH_ROWS: usize = 100;

/// The file format of a sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum SheetFormat {
    /// Comma- (or tab-) separated text.
    Csv,
    /// Excel 2007+ workbook (a zip file).
    Xlsx,
}

/// The text encoding of a CSV sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    /// Valid UTF-8 (a BOM is dropped) is read as UTF-8, a UTF-16 BOM as UTF-16, anything
    /// else as GB18030 (which includes GBK, what Excel on Chinese Windows writes).
    #[default]
    Auto,
    /// UTF-8, with or without BOM.
    Utf8,
    /// GBK, read with the GB18030 decoder (a superset).
    Gbk,
}

/// How to read a sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ImportOptions {
    /// The format; `None` detects it (zip magic `PK\x03\x04` → xlsx, else CSV).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub format: Option<SheetFormat>,
    /// The text encoding of a CSV sheet.
    pub encoding: TextEncoding,
    /// The UTC offset (minutes east) of the sheet's local dates and times, for
    /// [`read_sheet`]. [`upload`] uses the ledger's own offset instead.
    pub utc_offset_minutes: i32,
    /// The org of rows whose sheet has no org column, or whose org cell is empty.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub default_org: Option<OrgId>,
    /// The worksheet of an xlsx workbook to read; `None` reads the first.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub sheet: Option<String>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            format: None,
            encoding: TextEncoding::Auto,
            utc_offset_minutes: 480,
            default_org: None,
            sheet: None,
        }
    }
}

/// What a column means, matched from its header by [`field_for_header`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// 姓名: read for header detection only; never copied anywhere.
    Name,
    /// 证件号码 / 身份证号: read for header detection only; never copied anywhere.
    IdentityNumber,
    /// 志愿者编号: who served (required).
    Volunteer,
    /// 活动名称 / 活动编号: the record's activity (at most 64 characters).
    Activity,
    /// 服务队编号: the organising team's id.
    Team,
    /// 服务日期: the local date of the start (and of the end, unless the end names its own).
    Date,
    /// 开始时间: the start, a time of day or a date and time.
    Start,
    /// 结束时间: the end, a time of day or a date and time.
    End,
    /// 服务时长(小时): actual service in hours, decimals allowed.
    Hours,
    /// 服务时长(分钟): actual service in minutes.
    Minutes,
    /// 服务内容: what was done.
    Content,
    /// 组织编号 / 组织单位: the organising org's id.
    Org,
    /// 备注: read and ignored.
    Notes,
    /// 记录编号: the record's id, if the sheet keeps its own.
    RecordId,
    /// A header the reader does not know; the column is ignored.
    Other,
}

/// The synonym table: normalised header → field. Headers are normalised by
/// [`normalise_header`] (full-width to ASCII, lower case, spaces, `*`, `_`, `-`, `.` and `:`
/// removed), so `服务时长（小时）`, `Service Hours` and `service_hours` all match.
pub const HEADER_SYNONYMS: &[(&str, Field)] = &[
    ("姓名", Field::Name),
    ("志愿者姓名", Field::Name),
    ("name", Field::Name),
    ("fullname", Field::Name),
    ("证件号码", Field::IdentityNumber),
    ("身份证号", Field::IdentityNumber),
    ("身份证号码", Field::IdentityNumber),
    ("身份证", Field::IdentityNumber),
    ("identitynumber", Field::IdentityNumber),
    ("idnumber", Field::IdentityNumber),
    ("志愿者编号", Field::Volunteer),
    ("志愿者号", Field::Volunteer),
    ("志愿者id", Field::Volunteer),
    ("志愿者证号", Field::Volunteer),
    ("volunteernumber", Field::Volunteer),
    ("volunteerno", Field::Volunteer),
    ("volunteerid", Field::Volunteer),
    ("volunteer", Field::Volunteer),
    ("活动名称", Field::Activity),
    ("活动编号", Field::Activity),
    ("活动", Field::Activity),
    ("activity", Field::Activity),
    ("activityname", Field::Activity),
    ("activityid", Field::Activity),
    ("服务队编号", Field::Team),
    ("服务队", Field::Team),
    ("志愿服务队", Field::Team),
    ("team", Field::Team),
    ("teamid", Field::Team),
    ("服务日期", Field::Date),
    ("日期", Field::Date),
    ("活动日期", Field::Date),
    ("date", Field::Date),
    ("servicedate", Field::Date),
    ("开始时间", Field::Start),
    ("起始时间", Field::Start),
    ("开始", Field::Start),
    ("签到时间", Field::Start),
    ("start", Field::Start),
    ("starttime", Field::Start),
    ("结束时间", Field::End),
    ("截止时间", Field::End),
    ("结束", Field::End),
    ("签退时间", Field::End),
    ("end", Field::End),
    ("endtime", Field::End),
    ("服务时长(小时)", Field::Hours),
    ("服务时长", Field::Hours),
    ("服务时数", Field::Hours),
    ("时长(小时)", Field::Hours),
    ("时长", Field::Hours),
    ("小时数", Field::Hours),
    ("hours", Field::Hours),
    ("servicehours", Field::Hours),
    ("duration", Field::Hours),
    ("duration(hours)", Field::Hours),
    ("服务时长(分钟)", Field::Minutes),
    ("时长(分钟)", Field::Minutes),
    ("分钟数", Field::Minutes),
    ("minutes", Field::Minutes),
    ("duration(minutes)", Field::Minutes),
    ("服务内容", Field::Content),
    ("内容", Field::Content),
    ("content", Field::Content),
    ("description", Field::Content),
    ("组织单位", Field::Org),
    ("组织编号", Field::Org),
    ("组织", Field::Org),
    ("组织单位编号", Field::Org),
    ("org", Field::Org),
    ("orgid", Field::Org),
    ("organisation", Field::Org),
    ("organization", Field::Org),
    ("备注", Field::Notes),
    ("notes", Field::Notes),
    ("note", Field::Notes),
    ("remarks", Field::Notes),
    ("记录编号", Field::RecordId),
    ("记录号", Field::RecordId),
    ("recordid", Field::RecordId),
    ("recordno", Field::RecordId),
];

/// A sheet as read: its fingerprint, where its header is, what each column means, and every
/// non-blank data row as a record or a problem.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sheet {
    /// SHA-256 of the file's bytes, lower-case hex.
    pub fingerprint: String,
    /// The header row, 1-based as Excel shows it.
    pub header_row: u32,
    /// Each header cell's text as in the sheet, and what it was matched to.
    pub columns: Vec<(String, Field)>,
    /// The data rows, blank rows and total rows (合计) left out — but for the rows that are
    /// no record beyond the first
    /// [`MAX_REPORTED_PROBLEMS`](limits::MAX_REPORTED_PROBLEMS): those are only
    /// counted, so that a sheet of a million bad rows takes no more room than its good rows.
    pub rows: Vec<SheetRow>,
    /// The rows that are no record and are not in `rows` (see there).
    pub unlisted_problems: u32,
}

impl Sheet {
    /// The header text of the first column of a field, as in the sheet.
    pub fn header_of(&self, field: Field) -> Option<String> {
        header_of(&self.columns, field)
    }
}

fn header_of(columns: &[(String, Field)], field: Field) -> Option<String> {
    columns
        .iter()
        .find(|(_, f)| *f == field)
        .map(|(h, _)| h.clone())
}

/// One data row of a sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetRow {
    /// The row number, 1-based as Excel shows it.
    pub row: u32,
    /// The record the row makes, or why it makes none.
    pub record: std::result::Result<NewRecord, RowProblem>,
}

/// Why a row was not recorded: where, a stable code, and a message in English and Chinese that
/// names no person and no identity number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct RowProblem {
    /// The row, 1-based as Excel shows it.
    pub row: i32,
    /// The header of the column at fault, as in the sheet, when one column is.
    pub column: Option<String>,
    /// An `E_UPLOAD_…` code of this module, or the core's code (`E_OVERLAP` …).
    pub code: String,
    /// The message in English.
    pub message_en: String,
    /// The message in Chinese.
    pub message_zh: String,
}

/// What an upload did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct ImportReport {
    /// SHA-256 of the file, lower-case hex.
    pub fingerprint: String,
    /// Nothing was written.
    pub dry_run: bool,
    /// Data rows read (blank and total rows aside).
    pub rows: i32,
    /// Rows newly recorded (in a dry run: that would be).
    pub accepted: i32,
    /// Of `accepted`, records that wait for an organiser's confirmation (make-up records
    /// entered by someone who is not an org admin).
    pub pending: i32,
    /// Rows recorded before (same id, same content): nothing was written for them.
    pub duplicates: i32,
    /// The rows refused, in row order: the first
    /// [`MAX_REPORTED_PROBLEMS`](limits::MAX_REPORTED_PROBLEMS) of them.
    pub rejected: Vec<RowProblem>,
    /// How many rows were refused in all (more than `rejected` holds only past that limit).
    pub refused: i32,
}

// ---------------------------------------------------------------------------------------------
// Cells

/// One cell, borrowing its text from the sheet where it can: a CSV row's cells are views into
/// the reader's record, never copies.
#[derive(Debug, Clone, PartialEq)]
enum Cell<'a> {
    Empty,
    Text(Cow<'a, str>),
    Number(f64),
    /// An xlsx date/time cell: its local date (none for a bare time), minute of day, and raw
    /// serial value (days).
    Stamp {
        date: Option<NaiveDate>,
        minute: u32,
        days: f64,
    },
}

impl<'a> Cell<'a> {
    /// A text cell, trimmed (ideographic spaces too) but otherwise as written; the parsers
    /// normalise full-width forms themselves.
    fn text(s: &'a str) -> Self {
        let t = trim(s);
        if t.is_empty() {
            Self::Empty
        } else {
            Self::Text(Cow::Borrowed(t))
        }
    }

    fn is_empty(&self) -> bool {
        matches!(self, Self::Empty)
    }

    /// The cell, owning its text.
    fn into_owned(self) -> Cell<'static> {
        match self {
            Self::Empty => Cell::Empty,
            Self::Text(t) => Cell::Text(Cow::Owned(t.into_owned())),
            Self::Number(f) => Cell::Number(f),
            Self::Stamp { date, minute, days } => Cell::Stamp { date, minute, days },
        }
    }

    /// The cell as an id: full-width forms normalised.
    fn as_id(&self) -> String {
        normalise_cow(&self.as_str()).trim().to_owned()
    }

    /// The cell as text (numbers without a trailing `.0`).
    fn as_text(&self) -> String {
        self.as_str().into_owned()
    }

    /// The cell as text, borrowed where it is text already.
    fn as_str(&self) -> Cow<'_, str> {
        match self {
            Self::Empty => Cow::Borrowed(""),
            Self::Text(s) => Cow::Borrowed(s),
            Self::Number(f) => Cow::Owned(number_text(*f)),
            Self::Stamp { days, .. } => Cow::Owned(number_text(*days)),
        }
    }
}

/// [`str::trim`], returning at once when neither end is whitespace, as in most cells.
fn trim(s: &str) -> &str {
    let plain = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
    if plain(s.chars().next()) && plain(s.chars().next_back()) {
        s
    } else {
        s.trim()
    }
}

fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Whether [`normalise`] changes a character.
fn is_wide(c: char) -> bool {
    matches!(c, '\u{FF01}'..='\u{FF5E}' | '\u{3000}' | '\u{00A0}')
}

/// Full-width ASCII (U+FF01–U+FF5E) to ASCII and the ideographic space to a space, so that
/// `２０１５－０６－０２`, `９：００` and `２．５` read as their half-width forms.
pub fn normalise(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' | '\u{00A0}' => ' ',
            _ => c,
        })
        .collect()
}

/// [`normalise`], borrowing the text when there is nothing to change (always so for ASCII).
fn normalise_cow(s: &str) -> Cow<'_, str> {
    if s.is_ascii() || !s.chars().any(is_wide) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(normalise(s))
    }
}

/// A header as the synonym table spells it: full-width to ASCII, lower case, and spaces, `*`,
/// `_`, `-`, `.`, `:` and line breaks removed.
pub fn normalise_header(s: &str) -> String {
    normalise(s)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '_' | '-' | '.' | ':'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The field a header names, by [`HEADER_SYNONYMS`]; [`Field::Other`] if none.
pub fn field_for_header(header: &str) -> Field {
    let h = normalise_header(header);
    HEADER_SYNONYMS
        .iter()
        .find(|(s, _)| *s == h)
        .map_or(Field::Other, |(_, f)| *f)
}

// ---------------------------------------------------------------------------------------------
// Reading bytes into rows of cells

fn sheet_error(field: &str, detail: impl Into<String>) -> LedgerError {
    invalid_field("sheet", field, detail)
}

/// Reads a sheet: detects or takes the format and encoding, finds the header row, and turns
/// each data row into a record (source [`RecordSource::Import`]) or a [`RowProblem`].
///
/// Refuses, with `E_FIELD` naming field `format`, `encoding`, `csv`, `xlsx` or `header` (the
/// detail names the upload code, e.g. `E_UPLOAD_HEADER`): bytes that are no text in any
/// encoding it reads; an old `.xls` file; a damaged workbook or a missing worksheet; a sheet
/// with no row among the first [`HEADER_SEARCH_ROWS`] where three cells are known headers, or
/// without a volunteer number column, or without an org column when no default org is given.
/// Never panics, whatever the bytes.
pub fn read_sheet(bytes: &[u8], opts: &ImportOptions) -> Result<Sheet> {
    let off = offset(opts.utc_offset_minutes)?;
    let text = csv_text(bytes, opts)?;
    read_text(bytes, text.as_deref(), hex_sha256(bytes), opts, off)
}

/// [`read_sheet`] of a file whose text is decoded already (`None` for an xlsx file).
fn read_text(
    bytes: &[u8],
    text: Option<&str>,
    fingerprint: String,
    opts: &ImportOptions,
    off: FixedOffset,
) -> Result<Sheet> {
    let mut sheet = SheetBuilder::new(fingerprint, opts, off);
    match text {
        Some(text) => csv_rows(text, &mut sheet)?,
        None => xlsx_rows(bytes, opts.sheet.as_deref(), &mut sheet)?,
    }
    sheet.finish()
}

/// A CSV file's text (UTF-8 is borrowed, not copied), or `None` for an xlsx file; refuses an
/// .xls file and text that is not in its encoding.
fn csv_text<'a>(bytes: &'a [u8], opts: &ImportOptions) -> Result<Option<Cow<'a, str>>> {
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

fn hex_sha256(bytes: &[u8]) -> String {
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

/// One row of a sheet as the reader sees it: cells by column, an empty cell past the end.
trait RowCells {
    /// The number of cells, empty ones included.
    fn width(&self) -> usize;
    /// The cell of column `i`.
    fn cell(&self, i: usize) -> Cell<'_>;
    /// The columns that may hold something, in order: every column, unless the row knows
    /// which are empty.
    fn filled(&self) -> impl Iterator<Item = usize> + '_ {
        0..self.width()
    }
    /// The cells the row holds, for the cell limit.
    fn count(&self) -> usize {
        self.width()
    }
    /// The bytes of the row's text, or more: no cell of a row of at most
    /// [`MAX_CELL_CHARS`] bytes is too long.
    fn text_len(&self) -> usize;
}

impl RowCells for csv::StringRecord {
    fn width(&self) -> usize {
        self.len()
    }
    fn cell(&self, i: usize) -> Cell<'_> {
        self.get(i).map_or(Cell::Empty, Cell::text)
    }
    fn text_len(&self) -> usize {
        self.as_slice().len()
    }
}

impl RowCells for [&str] {
    fn width(&self) -> usize {
        self.len()
    }
    fn cell(&self, i: usize) -> Cell<'_> {
        self.get(i).map_or(Cell::Empty, |s| Cell::text(s))
    }
    fn text_len(&self) -> usize {
        self.iter().map(|f| f.len()).sum()
    }
}

/// A row of an xlsx worksheet as read: its non-empty cells, by column, in order. An empty cell
/// takes no room, wherever its address is.
struct SparseRow<'a> {
    cells: Vec<(usize, Cell<'a>)>,
    /// The bytes of the cells' text.
    text: usize,
}

impl RowCells for SparseRow<'_> {
    fn width(&self) -> usize {
        self.cells.last().map_or(0, |(i, _)| i + 1)
    }
    fn cell(&self, i: usize) -> Cell<'_> {
        self.cells
            .binary_search_by_key(&i, |(c, _)| *c)
            .ok()
            .and_then(|at| self.cells.get(at))
            .map_or(Cell::Empty, |(_, c)| c.clone())
    }
    fn filled(&self) -> impl Iterator<Item = usize> + '_ {
        self.cells.iter().map(|(i, _)| *i)
    }
    fn count(&self) -> usize {
        self.cells.len()
    }
    fn text_len(&self) -> usize {
        self.text
    }
}

fn csv_rows(text: &str, sheet: &mut SheetBuilder<'_>) -> Result<()> {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let delimiter = sniff_delimiter(text);
    if text.contains('"') {
        reader_csv_rows(text, delimiter, sheet)
    } else {
        check_plain_csv_rows(text)?;
        plain_csv_rows(text, delimiter, sheet);
        Ok(())
    }
}

/// Any CSV text, read by the CSV reader, a record at a time.
fn reader_csv_rows(text: &str, delimiter: u8, sheet: &mut SheetBuilder<'_>) -> Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    // One record, read into again and again: the cells of a row borrow from it.
    let mut rec = csv::StringRecord::new();
    // The row Excel shows: line breaks before the record, less those inside quoted fields.
    let (mut seen_byte, mut breaks, mut embedded) = (0usize, 0u64, 0u64);
    loop {
        match reader.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map_or(0, csv::Position::line);
                return Err(sheet_error(
                    "csv",
                    format!("does not parse near line {line} (E_FIELD)"),
                ));
            }
        }
        let at = rec
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(seen_byte)
            .max(seen_byte);
        // The reader's position is where it resumed, before any blank lines it skipped.
        let blank = text.as_bytes().get(at..).map_or(0, |b| {
            b.iter().take_while(|&&c| c == b'\n' || c == b'\r').count()
        });
        let at = at + blank;
        breaks += text
            .as_bytes()
            .get(seen_byte..at)
            .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count() as u64);
        seen_byte = at;
        let row = u32::try_from((breaks + 1).saturating_sub(embedded)).unwrap_or(u32::MAX);
        // The fields end to end: their line breaks are those inside quoted fields.
        embedded += rec.as_slice().bytes().filter(|&c| c == b'\n').count() as u64;
        sheet.push(row, &rec);
    }
    Ok(())
}

/// CSV text without a quote character — what most sheets are — read as the CSV reader
/// reads it, but with each field a slice of the text: a record is a run of bytes between line
/// breaks (`\r`, `\n` or `\r\n`; blank lines are skipped), its fields are split at the
/// delimiter, and nothing can be quoted or escaped. The rows are numbered as
/// [`reader_csv_rows`] numbers them from the reader's positions: the line breaks before the
/// record, plus one.
fn plain_csv_rows(text: &str, delimiter: u8, sheet: &mut SheetBuilder<'_>) {
    let mut rows = PlainRows::new(text, delimiter);
    while let Some(n) = rows.next_row() {
        sheet.push(n, rows.fields.as_slice());
    }
}

/// The rows of CSV text without a quote character ([`plain_csv_rows`]), one at a time: each
/// row's fields are left in `fields`, slices of the text.
struct PlainRows<'t> {
    text: &'t str,
    delimiter: u8,
    /// Where the next row starts looking.
    at: usize,
    /// Line breaks before `at`.
    breaks: u64,
    /// The text starts with a (second) BOM and no row has been read yet.
    bom_first: bool,
    fields: Vec<&'t str>,
}

impl<'t> PlainRows<'t> {
    fn new(text: &'t str, delimiter: u8) -> Self {
        // The CSV reader drops one more UTF-8 BOM at the very start, and then reports its
        // first record at byte 0, before any blank lines it skipped: that record is row 1.
        let bom = text.starts_with('\u{FEFF}');
        Self {
            text,
            delimiter,
            at: if bom { '\u{FEFF}'.len_utf8() } else { 0 },
            breaks: 0,
            bom_first: bom,
            fields: Vec::new(),
        }
    }

    /// Reads the next row into `fields` and returns its number, or `None` at the end.
    fn next_row(&mut self) -> Option<u32> {
        let (text, bytes) = (self.text, self.text.as_bytes());
        let mut at = self.at;
        while let Some(&c) = bytes.get(at) {
            match c {
                b'\n' => self.breaks += 1,
                b'\r' => {}
                _ => break,
            }
            at += 1;
        }
        let rest = bytes.get(at..).filter(|b| !b.is_empty())?;
        // One pass to the line break, splitting at the delimiter on the way. Every cut is
        // next to an ASCII byte (or at the end of the text): always a char boundary.
        self.fields.clear();
        let (mut from, mut end) = (at, bytes.len());
        for (i, &c) in rest.iter().enumerate() {
            if c == self.delimiter {
                // Past the most columns a row may hold, the row is refused: no need to keep more.
                if self.fields.len() <= MAX_COLUMNS {
                    self.fields.push(text.get(from..at + i).unwrap_or_default());
                }
                from = at + i + 1;
            } else if c == b'\n' || c == b'\r' {
                end = at + i;
                break;
            }
        }
        self.fields.push(text.get(from..end).unwrap_or_default());
        let row = if std::mem::take(&mut self.bom_first) {
            1
        } else {
            self.breaks + 1
        };
        self.at = end;
        Some(u32::try_from(row).unwrap_or(u32::MAX))
    }
}

/// Comma unless the first lines hold more tabs (Excel's "Unicode text") or semicolons.
fn sniff_delimiter(text: &str) -> u8 {
    let head: String = text.chars().take(4096).collect();
    let count = |c: char| head.matches(c).count();
    let (commas, tabs, semis) = (count(','), count('\t'), count(';'));
    if tabs > commas && tabs >= semis {
        b'\t'
    } else if semis > commas && semis > tabs {
        b';'
    } else {
        b','
    }
}

fn xlsx_rows(bytes: &[u8], name: Option<&str>, sheet: &mut SheetBuilder<'_>) -> Result<()> {
    // The parts are measured before the workbook reader keeps any of them whole.
    check_xlsx_parts(bytes)?;
    // calamine 0.38 can panic on a mangled file (a cell reference whose row number overflows,
    // where overflow is checked): such a file is refused as unreadable, like any other. (An
    // application built with `panic = "abort"` loses this guard.)
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        xlsx_cells(bytes, name, sheet)
    }));
    read.unwrap_or_else(|_| {
        Err(sheet_error(
            "xlsx",
            "is not a readable .xlsx workbook: a cell reference is out of range (E_UPLOAD_ENCODING)",
        ))
    })
}

fn xlsx_damaged(e: &calamine::XlsxError) -> LedgerError {
    sheet_error(
        "xlsx",
        format!(
            "is not a readable .xlsx workbook: {} (E_UPLOAD_ENCODING)",
            Clip(e, 96)
        ),
    )
}

/// The worksheet asked for (by name, else the first), read a cell at a time in row order:
/// each row's non-empty cells, within the columns worth keeping, go to the sheet as one
/// [`SparseRow`]; the rows between are blank and only counted.
fn xlsx_cells(bytes: &[u8], name: Option<&str>, sheet: &mut SheetBuilder<'_>) -> Result<()> {
    use calamine::{DataRef, Reader, Xlsx};
    let mut book = Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| xlsx_damaged(&e))?;
    let name = match name {
        Some(n) => {
            if !book.sheet_names().iter().any(|s| s == n) {
                return Err(sheet_error(
                    "xlsx",
                    format!("has no worksheet named '{}' (E_UPLOAD_HEADER)", Clip(n, 48)),
                ));
            }
            n.to_owned()
        }
        None => match book.sheet_names().first() {
            Some(n) => n.clone(),
            None => return Err(sheet_error("xlsx", "has no worksheet (E_UPLOAD_HEADER)")),
        },
    };
    let mut reader = book
        .worksheet_cells_reader(&name)
        .map_err(|e| xlsx_damaged(&e))?;
    let mut row = SparseRow {
        cells: Vec::new(),
        text: 0,
    };
    // The row being gathered (0-based), once a non-empty cell has been read.
    let mut at: Option<u32> = None;
    let flush = |sheet: &mut SheetBuilder<'_>, at: u32, row: &mut SparseRow<'_>| {
        sheet.push(at.saturating_add(1), &*row);
        row.cells.clear();
        row.text = 0;
    };
    while let Some(cell) = reader.next_cell().map_err(|e| xlsx_damaged(&e))? {
        let (r, c) = cell.get_position();
        let value = match cell.get_value() {
            DataRef::Empty => continue,
            DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                Cell::text(s).into_owned()
            }
            DataRef::SharedString(s) => Cell::text(s),
            DataRef::Int(i) => Cell::Number(*i as f64),
            DataRef::Float(f) => Cell::Number(*f),
            DataRef::Bool(b) => Cell::Text(Cow::Owned(b.to_string())),
            DataRef::Error(e) => Cell::Text(Cow::Owned(format!("#{e:?}"))),
            DataRef::DateTime(dt) => excel_stamp(dt),
        };
        if value.is_empty() {
            continue;
        }
        match at {
            Some(a) if a == r => {}
            Some(a) if r < a => {
                return Err(sheet_error(
                    "xlsx",
                    format!(
                        "is not a readable .xlsx workbook: row {} comes after row {}                          (E_UPLOAD_ENCODING)",
                        u64::from(r) + 1,
                        u64::from(a) + 1
                    ),
                ));
            }
            Some(a) => {
                flush(sheet, a, &mut row);
                sheet.skip_blank((r - a - 1) as usize);
            }
            None => {}
        }
        at = Some(r);
        if sheet.is_refused() {
            break;
        }
        let c = c as usize;
        if c >= sheet.width_kept() {
            continue;
        }
        // A second cell at an address already read, or out of order: the first wins.
        if row.cells.last().is_some_and(|&(last, _)| c <= last) {
            continue;
        }
        row.text = row.text.saturating_add(value.as_str().len());
        row.cells.push((c, value));
    }
    if let Some(a) = at {
        flush(sheet, a, &mut row);
    }
    Ok(())
}

fn excel_stamp(dt: &calamine::ExcelDateTime) -> Cell<'static> {
    let days = dt.as_f64();
    if !days.is_finite() || days < 0.0 {
        return Cell::Number(days);
    }
    let (y, m, d, hh, mm, ss, ms) = dt.to_ymd_hms_milli();
    let date = if days >= 1.0 && !dt.is_duration() {
        NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(d))
    } else {
        None
    };
    let secs = u32::from(hh) * 3600 + u32::from(mm) * 60 + u32::from(ss);
    let minute = (f64::from(secs) + f64::from(ms) / 1000.0) / 60.0;
    Cell::Stamp {
        date,
        minute: minute.round() as u32,
        days,
    }
}

// ---------------------------------------------------------------------------------------------
// From rows of cells to records

const TOTAL_LABELS: &[&str] = &["合计", "总计", "小计", "total", "sum"];

/// The longest total label, in bytes: an ASCII cell whose header form is longer is no label.
const TOTAL_LABEL_MAX: usize = 16;

/// The number of [`Field`]s ([`Field::Other`] is the last).
const FIELDS: usize = Field::Other as usize + 1;

struct Layout {
    header_row: u32,
    columns: Vec<(String, Field)>,
    /// The first column of each field, by `Field as usize`: looked up for every cell read.
    first: [Option<usize>; FIELDS],
}

impl Layout {
    fn new(header_row: u32, columns: Vec<(String, Field)>) -> Self {
        let mut first = [None; FIELDS];
        for (i, (_, f)) in columns.iter().enumerate().rev() {
            if let Some(slot) = first.get_mut(*f as usize) {
                *slot = Some(i);
            }
        }
        Self {
            header_row,
            columns,
            first,
        }
    }
    fn index(&self, field: Field) -> Option<usize> {
        self.first.get(field as usize).copied().flatten()
    }
    fn header(&self, field: Field) -> Option<String> {
        self.index(field)
            .and_then(|i| self.columns.get(i))
            .map(|(h, _)| h.clone())
    }
}

/// A header row: three cells (or more) name known fields, each a different one.
fn is_header_row<R: RowCells + ?Sized>(cells: &R) -> bool {
    let mut seen: Vec<Field> = Vec::new();
    for i in cells.filled() {
        if let Cell::Text(t) = cells.cell(i) {
            let f = field_for_header(&t);
            if f != Field::Other && !seen.contains(&f) {
                seen.push(f);
            }
        }
    }
    seen.len() >= 3
}

fn no_header() -> LedgerError {
    sheet_error(
        "header",
        format!(
            "has no row among the first {HEADER_SEARCH_ROWS} with three known column \
             headers such as 志愿者编号, 服务日期, 开始时间 (E_UPLOAD_HEADER)"
        ),
    )
}

/// The layout a header row gives, or why the sheet cannot be read with it.
fn layout_of<R: RowCells + ?Sized>(
    header_row: u32,
    cells: &R,
    opts: &ImportOptions,
) -> Result<Layout> {
    let columns: Vec<(String, Field)> = (0..cells.width())
        .map(|i| {
            let text = cells.cell(i).as_text();
            let f = field_for_header(&text);
            (text, f)
        })
        .collect();
    let layout = Layout::new(header_row, columns);
    if layout.index(Field::Volunteer).is_none() {
        return Err(sheet_error(
            "header",
            "has no volunteer number column (志愿者编号 / volunteer number) (E_UPLOAD_HEADER)",
        ));
    }
    if layout.index(Field::Org).is_none() && opts.default_org.is_none() {
        return Err(sheet_error(
            "header",
            "has no org column (组织编号 / org) and no default org was given (E_UPLOAD_HEADER)",
        ));
    }
    Ok(layout)
}

/// Where the reader is in a sheet.
enum Stage {
    /// Looking for the header row among the first [`HEADER_SEARCH_ROWS`] rows.
    Searching,
    /// Past the header: each row is data.
    Data(Layout),
    /// The sheet is refused; the rest is read only so that a broken CSV is reported as such,
    /// as it is when the header is fine.
    Refused(LedgerError),
}

/// Builds a [`Sheet`] from its rows, given one at a time in order, so that no row is kept
/// as cells: the rows above the header are skipped, the header row gives the [`Layout`], and
/// every row below it becomes a [`SheetRow`] at once.
struct SheetBuilder<'o> {
    opts: &'o ImportOptions,
    off: FixedOffset,
    fingerprint: String,
    /// The first 16 hex digits of the fingerprint: the stem of made-up record ids.
    prefix: String,
    /// Rows given so far.
    seen: usize,
    /// Cells given so far.
    cells: u64,
    stage: Stage,
    rows: Vec<SheetRow>,
    /// Rows that are no record, listed and not.
    problems: usize,
    unlisted: u32,
}

impl<'o> SheetBuilder<'o> {
    fn new(fingerprint: String, opts: &'o ImportOptions, off: FixedOffset) -> Self {
        let prefix: String = fingerprint.chars().take(16).collect();
        Self {
            opts,
            off,
            fingerprint,
            prefix,
            seen: 0,
            cells: 0,
            stage: Stage::Searching,
            rows: Vec::new(),
            problems: 0,
            unlisted: 0,
        }
    }

    /// The next row of the sheet, numbered as Excel shows it.
    fn push<R: RowCells + ?Sized>(&mut self, n: u32, cells: &R) {
        if let Some(row) = self.next(n, cells) {
            if row.record.is_err() {
                self.problems += 1;
                if self.problems > limits::MAX_REPORTED_PROBLEMS {
                    self.unlisted = self.unlisted.saturating_add(1);
                    return;
                }
            }
            self.rows.push(row);
        }
    }

    /// Takes the next row of the sheet, numbered as Excel shows it, and gives the data row it
    /// is, if it is one.
    fn next<R: RowCells + ?Sized>(&mut self, n: u32, cells: &R) -> Option<SheetRow> {
        if self.is_data(n, cells) {
            self.data_row(n, cells)
        } else {
            None
        }
    }

    /// Takes the next row: whether it is a data row (not above the header, not the header,
    /// not blank, not a total row).
    fn is_data<R: RowCells + ?Sized>(&mut self, n: u32, cells: &R) -> bool {
        if !self.is_refused()
            && let Err(e) = self.within_limits(n, cells)
        {
            self.stage = Stage::Refused(e);
        }
        let data = match &self.stage {
            Stage::Data(layout) => !(is_blank(cells) || is_total_row(layout, cells)),
            Stage::Searching if self.seen >= HEADER_SEARCH_ROWS => {
                self.stage = Stage::Refused(no_header());
                false
            }
            Stage::Searching => {
                if is_header_row(cells) {
                    self.stage = match layout_of(n, cells, self.opts) {
                        Ok(layout) => Stage::Data(layout),
                        Err(e) => Stage::Refused(e),
                    };
                }
                false
            }
            Stage::Refused(_) => false,
        };
        self.seen += 1;
        data
    }

    /// Rows given while no header has been found (blank rows of an xlsx worksheet, which are
    /// not read one by one).
    fn skip_blank(&mut self, rows: usize) {
        self.seen = self.seen.saturating_add(rows);
    }

    /// Whether the sheet is refused already: the rest need not be read.
    fn is_refused(&self) -> bool {
        matches!(self.stage, Stage::Refused(_))
    }

    /// The columns of a row worth keeping: those of the header once it is found.
    fn width_kept(&self) -> usize {
        match &self.stage {
            Stage::Data(layout) => layout.columns.len(),
            _ => MAX_COLUMNS,
        }
    }

    /// Refuses the row `n` with `E_UPLOAD_TOO_LARGE` if it is past the last row, holds too
    /// many cells, takes the sheet past its cells, or holds a cell that is too long.
    fn within_limits<R: RowCells + ?Sized>(&mut self, n: u32, cells: &R) -> Result<()> {
        if n > MAX_ROWS {
            return Err(too_large(
                format!("the row number ({n})"),
                format!("行号（{n}）"),
                u64::from(MAX_ROWS),
            ));
        }
        if cells.width() > MAX_COLUMNS {
            return Err(too_large(
                format!("the cells of row {n}"),
                format!("第 {n} 行的单元格数"),
                MAX_COLUMNS as u64,
            ));
        }
        self.cells += cells.count() as u64;
        if self.cells > MAX_CELLS {
            return Err(too_large(
                format!("the cells of the sheet (at row {n})"),
                format!("表格的单元格数（第 {n} 行）"),
                MAX_CELLS,
            ));
        }
        if cells.text_len() > MAX_CELL_CHARS {
            for i in cells.filled() {
                if too_long(&cells.cell(i).as_str()) {
                    return Err(cell_too_long(n, i));
                }
            }
        }
        Ok(())
    }

    /// The record (or problem) a data row makes.
    fn data_row<R: RowCells + ?Sized>(&self, n: u32, cells: &R) -> Option<SheetRow> {
        let Stage::Data(layout) = &self.stage else {
            return None;
        };
        let record = row_record(layout, cells, n, &self.prefix, self.opts, self.off);
        Some(SheetRow { row: n, record })
    }

    fn finish(self) -> Result<Sheet> {
        match self.stage {
            Stage::Searching => Err(no_header()),
            Stage::Refused(e) => Err(e),
            Stage::Data(layout) => Ok(Sheet {
                fingerprint: self.fingerprint,
                header_row: layout.header_row,
                columns: layout.columns,
                rows: self.rows,
                unlisted_problems: self.unlisted,
            }),
        }
    }
}

fn is_blank<R: RowCells + ?Sized>(cells: &R) -> bool {
    cells.filled().all(|i| cells.cell(i).is_empty())
}

/// A total row (合计, 总计, 小计, total): a total label in some cell, and no volunteer number.
fn is_total_row<R: RowCells + ?Sized>(layout: &Layout, cells: &R) -> bool {
    let is_label = |c: &Cell<'_>| match c {
        Cell::Text(t) => is_total_label(t),
        _ => false,
    };
    // A column past the end of the row reads as empty.
    let vol = layout
        .index(Field::Volunteer)
        .map_or(Cell::Empty, |i| cells.cell(i));
    (vol.is_empty() || is_label(&vol)) && cells.filled().any(|i| is_label(&cells.cell(i)))
}

/// A total label (合计 …) in its header form ([`normalise_header`]); ASCII text is checked
/// without building that form, since it is asked of every row's volunteer number.
fn is_total_label(t: &str) -> bool {
    if !t.is_ascii() {
        return TOTAL_LABELS.contains(&normalise_header(t).as_str());
    }
    let mut key = [0u8; TOTAL_LABEL_MAX];
    let mut len = 0;
    for b in t.bytes() {
        // ASCII is as `normalise_header` leaves it, but for these and upper case.
        if char::from(b).is_whitespace() || matches!(b, b'*' | b'_' | b'-' | b'.' | b':') {
            continue;
        }
        let b = b.to_ascii_lowercase();
        // Most cells asked are volunteer numbers: their first letter rules them out.
        if len == 0
            && !TOTAL_LABELS
                .iter()
                .any(|l| l.as_bytes().first() == Some(&b))
        {
            return false;
        }
        let Some(slot) = key.get_mut(len) else {
            return false;
        };
        *slot = b;
        len += 1;
    }
    let key = key.get(..len).unwrap_or_default();
    TOTAL_LABELS.iter().any(|l| l.as_bytes() == key)
}

/// A problem with an upload code, in both languages.
fn problem(row: u32, column: Option<String>, code: &str, en: String, zh: String) -> RowProblem {
    RowProblem {
        row: i32::try_from(row).unwrap_or(i32::MAX),
        column,
        code: code.to_owned(),
        message_en: en,
        message_zh: zh,
    }
}

/// A core refusal as a row problem: the core's code, its message split at " / ". A refusal
/// that names the row's volunteer number says "the volunteer number" instead, since what was
/// typed in that column may be an identity number or a name; and any run of digits that could
/// be an identity number is withheld, whatever column it came from.
fn core_problem(row: u32, column: Option<String>, e: &LedgerError) -> RowProblem {
    let (en, zh) = match e {
        LedgerError::UnknownVolunteer { .. } => (
            format!("row {row}: the volunteer number is not registered"),
            format!("第 {row} 行：志愿者编号未注册"),
        ),
        LedgerError::TransferredOut { .. } => (
            format!("row {row}: the volunteer has transferred out of this ledger"),
            format!("第 {row} 行：该志愿者已转出本账本"),
        ),
        _ => {
            let msg = e.to_string();
            let (en, zh) = split_message(&msg);
            (withhold_identity_numbers(en), withhold_identity_numbers(zh))
        }
    };
    problem(row, column, e.code(), en, zh)
}

/// `text` with every run of 15 or more digits (an `X` may end it: an identity number, whole
/// or in part) replaced by `***`.
fn withhold_identity_numbers(text: String) -> String {
    let run_at = |i: usize| {
        let rest = text.get(i..).unwrap_or_default();
        rest.bytes().take_while(u8::is_ascii_digit).count()
    };
    let mut digits = 0;
    let long = text.bytes().any(|b| {
        digits = if b.is_ascii_digit() { digits + 1 } else { 0 };
        digits >= 15
    });
    if !long {
        return text;
    }
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(c) = text.get(i..).and_then(|r| r.chars().next()) {
        let n = run_at(i);
        if n >= 15 {
            out.push_str("***");
            i += n;
            if text.get(i..).is_some_and(|r| r.starts_with(['X', 'x'])) {
                i += 1;
            }
        } else if n > 0 {
            out.push_str(text.get(i..i + n).unwrap_or_default());
            i += n;
        } else {
            out.push(c);
            i += c.len_utf8();
        }
    }
    out
}

/// Splits the core's "English / 中文" message at the first " / " followed by a CJK character.
pub(crate) fn split_message(msg: &str) -> (String, String) {
    let mut from = 0;
    while let Some(i) = msg
        .get(from..)
        .and_then(|s| s.find(" / "))
        .map(|i| i + from)
    {
        let rest = msg.get(i + 3..).unwrap_or_default();
        if rest.chars().next().is_some_and(is_cjk) {
            return (msg.get(..i).unwrap_or(msg).to_owned(), rest.to_owned());
        }
        from = i + 3;
    }
    (msg.to_owned(), msg.to_owned())
}

fn is_cjk(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// A cell's text, quoted in a message only if it cannot hold a name or an identity number:
/// at most 12 characters, digits and date/time punctuation only. English and Chinese quoting.
fn quote(cell: &Cell<'_>) -> (String, String) {
    let t = normalise(&cell.as_text());
    let safe = t.chars().count() <= 12
        && t.chars().all(|c| {
            c.is_ascii_digit() || " -/.:年月日时分秒点半".contains(c) || c.is_ascii_whitespace()
        });
    if safe && !t.is_empty() {
        (format!(" '{t}'"), format!("“{t}”"))
    } else {
        (String::new(), String::new())
    }
}

fn row_record<R: RowCells + ?Sized>(
    layout: &Layout,
    cells: &R,
    row: u32,
    prefix: &str,
    opts: &ImportOptions,
    off: FixedOffset,
) -> std::result::Result<NewRecord, RowProblem> {
    let cell = |f: Field| layout.index(f).map_or(Cell::Empty, |i| cells.cell(i));
    let col = |f: Field| layout.header(f);
    let missing = |f: Field, en: &str, zh: &str| {
        problem(
            row,
            col(f),
            E_UPLOAD_MISSING,
            format!("row {row}: {en} is empty"),
            format!("第 {row} 行：{zh}为空"),
        )
    };

    // Who and where.
    let vol_cell = cell(Field::Volunteer);
    if vol_cell.is_empty() {
        return Err(missing(
            Field::Volunteer,
            "the volunteer number",
            "志愿者编号",
        ));
    }
    let volunteer = VolunteerId::new(vol_cell.as_id())
        .map_err(|e| core_problem(row, col(Field::Volunteer), &e))?;
    let org_cell = cell(Field::Org);
    let org = if org_cell.is_empty() {
        match &opts.default_org {
            Some(o) => o.clone(),
            None => return Err(missing(Field::Org, "the org", "组织编号")),
        }
    } else {
        OrgId::new(org_cell.as_id()).map_err(|e| core_problem(row, col(Field::Org), &e))?
    };
    let id_cell = cell(Field::RecordId);
    let id = if id_cell.is_empty() {
        RecordId::new(made_up_id(prefix, row))
    } else {
        RecordId::new(id_cell.as_id())
    }
    .map_err(|e| core_problem(row, col(Field::RecordId), &e))?;

    // When.
    let bad_date = |c: &Cell<'_>, f: Field| {
        let (q, qz) = quote(c);
        problem(
            row,
            col(f),
            E_UPLOAD_DATE,
            format!(
                "row {row}: the date{q} is not a real date in a known form \
                 (2015-06-02, 2015/6/2, 2015年6月2日, 20150602 or an Excel date)"
            ),
            format!(
                "第 {row} 行：日期{qz}无效或格式无法识别（可用 2015-06-02、2015/6/2、2015年6月2日、\
                 20150602 或 Excel 日期）"
            ),
        )
    };
    let bad_time = |c: &Cell<'_>, f: Field| {
        let (q, qz) = quote(c);
        problem(
            row,
            col(f),
            E_UPLOAD_TIME,
            format!(
                "row {row}: the time{q} is not a time of day in a known form \
                 (9:00, 09:00:00, 9时30分 or an Excel time)"
            ),
            format!(
                "第 {row} 行：时间{qz}无效或格式无法识别（可用 9:00、09:00:00、9时30分 或 Excel 时间）"
            ),
        )
    };
    let date_cell = cell(Field::Date);
    let date = if date_cell.is_empty() {
        None
    } else {
        Some(parse_date(&date_cell).ok_or_else(|| bad_date(&date_cell, Field::Date))?)
    };
    let start_cell = cell(Field::Start);
    let end_cell = cell(Field::End);
    if start_cell.is_empty() || end_cell.is_empty() {
        let which = if start_cell.is_empty() {
            Field::Start
        } else {
            Field::End
        };
        return Err(problem(
            row,
            col(which)
                .or_else(|| col(Field::Start))
                .or_else(|| col(Field::End)),
            E_UPLOAD_TIME,
            format!(
                "row {row}: a start and an end time are both needed; a date and a duration \
                 alone are not enough"
            ),
            format!("第 {row} 行：须填写开始时间和结束时间，仅有日期和时长不足以记录"),
        ));
    }
    let (start_date, start_min) =
        parse_time(&start_cell).ok_or_else(|| bad_time(&start_cell, Field::Start))?;
    let (end_date, end_min) =
        parse_time(&end_cell).ok_or_else(|| bad_time(&end_cell, Field::End))?;
    let Some(day) = date.or(start_date) else {
        return Err(missing(Field::Date, "the service date", "服务日期"));
    };
    let end_day = end_date.or(date).unwrap_or(day);
    let midnight = local_midnight(off, day).ok_or_else(|| bad_date(&date_cell, Field::Date))?;
    let end_midnight = if end_day == day {
        Some(midnight)
    } else {
        local_midnight(off, end_day)
    }
    .ok_or_else(|| bad_date(&date_cell, Field::Date))?;
    let start = Timestamp(midnight + i64::from(start_min) * 60);
    let end = Timestamp(end_midnight + i64::from(end_min) * 60);

    // How long.
    let hours_cell = cell(Field::Hours);
    let minutes_cell = cell(Field::Minutes);
    let bad_duration = |c: &Cell<'_>, f: Field| {
        let (q, qz) = quote(c);
        problem(
            row,
            col(f),
            E_UPLOAD_DURATION,
            format!(
                "row {row}: the duration{q} is not a number of hours in a known form \
                 (2, 2.5, 2.5小时, 150分钟)"
            ),
            format!("第 {row} 行：服务时长{qz}无效（可用 2、2.5、2.5小时、150分钟）"),
        )
    };
    let minutes = if !hours_cell.is_empty() {
        parse_duration(&hours_cell, 60.0).ok_or_else(|| bad_duration(&hours_cell, Field::Hours))?
    } else if !minutes_cell.is_empty() {
        parse_duration(&minutes_cell, 1.0)
            .ok_or_else(|| bad_duration(&minutes_cell, Field::Minutes))?
    } else {
        u32::try_from(((end.0 - start.0) / 60).max(0)).unwrap_or(u32::MAX)
    };

    // What.
    let text_of = |f: Field| {
        let c = cell(f);
        (!c.is_empty()).then(|| c.as_text())
    };
    let activity = text_of(Field::Activity)
        .map(ActivityId::new)
        .transpose()
        .map_err(|e| core_problem(row, col(Field::Activity), &e))?;
    let team = text_of(Field::Team)
        .map(|t| TeamId::new(normalise(&t).trim()))
        .transpose()
        .map_err(|e| core_problem(row, col(Field::Team), &e))?;
    let mut r = NewRecord::new(
        id,
        volunteer,
        org,
        start,
        end,
        minutes,
        text_of(Field::Content).unwrap_or_default(),
    );
    r.source = RecordSource::Import;
    r.activity = activity;
    r.team = team;
    Ok(r)
}

/// A made-up record id, `{prefix}-{row}`, written digit by digit: one is made for most rows
/// of most sheets, and the formatting machinery cost more than the rest of the id.
fn made_up_id(prefix: &str, row: u32) -> String {
    let mut digits = [0u8; 10];
    let mut n = row;
    let mut from = digits.len();
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
        from -= 1;
        if n == 0 {
            break;
        }
    }
    let digits = digits
        .get(from..)
        .and_then(|d| std::str::from_utf8(d).ok())
        .unwrap_or_default();
    let mut id = String::with_capacity(prefix.len() + 1 + digits.len());
    id.push_str(prefix);
    id.push('-');
    id.push_str(digits);
    id
}

/// The instant of a local date's midnight, in seconds: what [`Timestamp::from_local`] gives,
/// with the offset checked once per sheet rather than once per time.
fn local_midnight(off: FixedOffset, day: NaiveDate) -> Option<i64> {
    Some(
        off.from_local_datetime(&day.and_hms_opt(0, 0, 0)?)
            .single()?
            .timestamp(),
    )
}

/// An Excel serial day (1900 system, with Excel's phantom 1900-02-29) as a date.
fn serial_date(serial: f64) -> Option<NaiveDate> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    let (base, days) = match days {
        60 => return None,
        d if d < 60 => (NaiveDate::from_ymd_opt(1899, 12, 31)?, d),
        d => (NaiveDate::from_ymd_opt(1899, 12, 30)?, d),
    };
    base.checked_add_signed(Duration::try_days(days)?)
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

/// A date cell: text forms, numeric text as an Excel serial, a number, or an xlsx date.
fn parse_date(cell: &Cell<'_>) -> Option<NaiveDate> {
    match cell {
        Cell::Empty => None,
        Cell::Number(f) => serial_date(*f),
        Cell::Stamp { date, .. } => *date,
        Cell::Text(t) => parse_date_text(t),
    }
}

fn parse_date_text(t: &str) -> Option<NaiveDate> {
    iso_date(t).unwrap_or_else(|| parse_date_general(t))
}

/// Every text form of a date; [`iso_date`] reads the most common one first.
fn parse_date_general(t: &str) -> Option<NaiveDate> {
    let t = normalise_cow(t);
    let t = t.trim();
    // A date followed by a time ("2015-06-02 09:00", "2015-06-02T09:00:00"): the date part.
    let date_part = t
        .split(|c: char| c.is_whitespace() || c == 'T')
        .next()
        .unwrap_or(t);
    if all_digits(date_part) && date_part.len() == 8 {
        let y = date_part.get(0..4)?.parse().ok()?;
        let m = date_part.get(4..6)?.parse().ok()?;
        let d = date_part.get(6..8)?.parse().ok()?;
        return NaiveDate::from_ymd_opt(y, m, d);
    }
    if is_serial_text(date_part) {
        return serial_date(date_part.parse().ok()?);
    }
    let unified: String = date_part
        .replace(['年', '月'], "-")
        .replace(['日', '号'], "");
    let parts: Vec<&str> = unified.split(['-', '/', '.']).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 || !all_digits(y) || !all_digits(m) || !all_digits(d) {
        return None;
    }
    if m.len() > 2 || d.len() > 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// The common form `2015-06-02`, read without the general parser's copies: `None` if `t` is
/// not of that form (the general parser reads it then), else what the general parser gives.
fn iso_date(t: &str) -> Option<Option<NaiveDate>> {
    let &[y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = t.as_bytes() else {
        return None;
    };
    let y = digits(&[y1, y2, y3, y4])?;
    let m = digits(&[m1, m2])?;
    let d = digits(&[d1, d2])?;
    Some(NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d))
}

/// ASCII digits (at most 9) as a number; `None` if any byte is no digit.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// Numeric text that reads as an Excel serial: up to 7 digits, an optional fraction.
fn is_serial_text(s: &str) -> bool {
    let (int, frac) = s.split_once('.').unwrap_or((s, "0"));
    all_digits(int) && int.len() <= 7 && all_digits(frac)
}

/// A time cell: the local date it names, if any, and the minute of the day (0–1440).
fn parse_time(cell: &Cell<'_>) -> Option<(Option<NaiveDate>, u32)> {
    match cell {
        Cell::Empty => None,
        Cell::Number(f) => fraction_time(*f),
        Cell::Stamp { date, minute, .. } => Some((*date, *minute)),
        Cell::Text(t) => parse_time_text(t),
    }
}

/// An Excel number as a time: a fraction of a day, or a serial date with a fraction.
fn fraction_time(f: f64) -> Option<(Option<NaiveDate>, u32)> {
    if !f.is_finite() || f < 0.0 {
        return None;
    }
    let minute = (f.fract() * 1440.0).round() as u32;
    if f < 1.0 {
        Some((None, minute))
    } else if f.fract() == 0.0 {
        // A whole number is a date at midnight or an hour; too ambiguous to read.
        None
    } else {
        Some((serial_date(f), minute))
    }
}

fn parse_time_text(t: &str) -> Option<(Option<NaiveDate>, u32)> {
    match plain_clock(t) {
        Some(minute) => minute.map(|m| (None, m)),
        None => parse_time_general(t),
    }
}

/// Every text form of a time; [`plain_clock`] reads the most common ones first.
fn parse_time_general(t: &str) -> Option<(Option<NaiveDate>, u32)> {
    let t = normalise_cow(t);
    let t = t.trim();
    if let Some((d, rest)) = t.split_once(|c: char| c.is_whitespace() || c == 'T') {
        let rest = rest.trim();
        if let Some(date) = parse_date_text(d) {
            return parse_clock(rest).map(|m| (Some(date), m));
        }
    }
    if t.contains('.') && !t.contains(':') && is_serial_text(t) {
        return fraction_time(t.parse().ok()?);
    }
    parse_clock(t).map(|m| (None, m))
}

/// The common forms `9:00`, `09:00`, `9:00:00` and `09:00:00`, read without the general
/// parser's copies: `None` if `t` is of none of them (the general parser reads it then), else
/// what [`parse_clock`] gives.
fn plain_clock(t: &str) -> Option<Option<u32>> {
    let (h, m, s) = match *t.as_bytes() {
        [h1, b':', m1, m2] => (digits(&[h1])?, digits(&[m1, m2])?, 0),
        [h1, h2, b':', m1, m2] => (digits(&[h1, h2])?, digits(&[m1, m2])?, 0),
        [h1, b':', m1, m2, b':', s1, s2] => {
            (digits(&[h1])?, digits(&[m1, m2])?, digits(&[s1, s2])?)
        }
        [h1, h2, b':', m1, m2, b':', s1, s2] => {
            (digits(&[h1, h2])?, digits(&[m1, m2])?, digits(&[s1, s2])?)
        }
        _ => return None,
    };
    let valid = m < 60 && s < 60 && (h < 24 || (h == 24 && m == 0 && s == 0));
    Some(valid.then_some(h * 60 + m))
}

/// `9:00`, `09:00:00`, `9时30分`, `9点半`, `下午3点`, `3:00 PM` → minute of the day.
fn parse_clock(t: &str) -> Option<u32> {
    let mut s = t.trim().to_lowercase();
    let mut pm = false;
    for (p, is_pm) in [
        ("上午", false),
        ("早上", false),
        ("中午", false),
        ("下午", true),
        ("晚上", true),
        ("am", false),
        ("pm", true),
    ] {
        if let Some(rest) = s.strip_prefix(p).or_else(|| s.strip_suffix(p)) {
            s = rest.trim().to_owned();
            pm = is_pm;
            break;
        }
    }
    let s = s
        .replace(['时', '点'], ":")
        .replace('半', "30")
        .replace(['分', '秒'], ":");
    let s = s.trim_end_matches(':');
    let parts: Vec<&str> = s.split(':').collect();
    let (h, m, sec) = match parts.as_slice() {
        [h] => (*h, "0", "0"),
        [h, m] => (*h, *m, "0"),
        [h, m, s] => (*h, *m, *s),
        _ => return None,
    };
    if !all_digits(h) || !all_digits(m) || !all_digits(sec) || h.len() > 2 || m.len() > 2 {
        return None;
    }
    // A bare number ("9") is not read as a time: it could as well be hours of service.
    if parts.len() == 1 && !t.contains(['时', '点']) {
        return None;
    }
    let mut h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    let sec: u32 = sec.parse().ok()?;
    if pm && h < 12 {
        h += 12;
    }
    if m >= 60 || sec >= 60 || h > 24 || (h == 24 && (m > 0 || sec > 0)) {
        return None;
    }
    Some(h * 60 + m)
}

/// A duration cell as minutes, rounded to the nearest minute; `per_unit` is 60 for an hours
/// column and 1 for a minutes column (a unit written in the cell wins).
fn parse_duration(cell: &Cell<'_>, per_unit: f64) -> Option<u32> {
    let minutes = match cell {
        Cell::Empty => return None,
        Cell::Number(f) => f * per_unit,
        // A time-formatted cell (2:30) is a length of time: days × 1440.
        Cell::Stamp { days, .. } => days * 1440.0,
        // Plain decimal hours ("2.5"), the common form, without the general parser's copies.
        Cell::Text(t) if is_plain_decimal(t) => t.parse::<f64>().ok()? * per_unit,
        Cell::Text(t) => parse_duration_general(t, per_unit)?,
    };
    if !minutes.is_finite() || !(0.0..=1_000_000.0).contains(&minutes) {
        return None;
    }
    Some(minutes.round() as u32)
}

/// Every text form of a duration, as minutes before rounding; [`is_plain_decimal`] picks
/// out the most common one first.
fn parse_duration_general(t: &str, per_unit: f64) -> Option<f64> {
    let s = normalise(t).trim().to_lowercase();
    let units: [(&str, f64); 11] = [
        ("小时", 60.0),
        ("hours", 60.0),
        ("hour", 60.0),
        ("hrs", 60.0),
        ("hr", 60.0),
        ("h", 60.0),
        ("分钟", 1.0),
        ("minutes", 1.0),
        ("mins", 1.0),
        ("min", 1.0),
        ("分", 1.0),
    ];
    let (num, unit) = units
        .iter()
        .find_map(|(u, k)| s.strip_suffix(u).map(|n| (n.trim().to_owned(), *k)))
        .unwrap_or((s.clone(), per_unit));
    if let Some((h, m)) = num.split_once(':') {
        if !all_digits(h) || !all_digits(m) || m.len() != 2 {
            return None;
        }
        let h: f64 = h.parse().ok()?;
        let m: f64 = m.parse().ok()?;
        if m >= 60.0 {
            return None;
        }
        Some(h * 60.0 + m)
    } else {
        let ok = !num.is_empty()
            && num.chars().all(|c| c.is_ascii_digit() || c == '.')
            && num.matches('.').count() <= 1
            && num != ".";
        if !ok {
            return None;
        }
        Some(num.parse::<f64>().ok()? * unit)
    }
}

/// Digits with at most one `.`, not `.` alone: what [`parse_duration`] reads as a plain
/// number of the column's unit, once any unit and full-width forms are gone.
fn is_plain_decimal(t: &str) -> bool {
    let mut dots = 0;
    for b in t.bytes() {
        match b {
            b'0'..=b'9' => {}
            b'.' => dots += 1,
            _ => return false,
        }
    }
    !t.is_empty() && dots <= 1 && t != "."
}

// ---------------------------------------------------------------------------------------------
// Upload

/// The column a core refusal points at.
fn column_for(columns: &[(String, Field)], e: &LedgerError) -> Option<String> {
    let first = |fs: &[Field]| fs.iter().find_map(|f| header_of(columns, *f));
    match e.code() {
        "E_OVERLAP" | "E_CHECKIN_LIMIT" => first(&[Field::Start, Field::End]),
        "E_END_NOT_AFTER_START" | "E_FUTURE" => first(&[Field::End, Field::Start]),
        "E_MINUTES_EXCEED_SPAN" | "E_ZERO_MINUTES" | "E_DAILY_CAP" => {
            first(&[Field::Hours, Field::Minutes, Field::End])
        }
        "E_UNKNOWN_VOLUNTEER" | "E_TRANSFERRED_OUT" => first(&[Field::Volunteer]),
        "E_UNKNOWN_ORG" | "E_FORBIDDEN" | "E_MAKEUP_NEEDS_ORG_ADMIN" => first(&[Field::Org]),
        "E_UNKNOWN_TEAM" => first(&[Field::Team]),
        "E_RECORD_ID_CONFLICT" => first(&[Field::RecordId]),
        _ => match e {
            LedgerError::InvalidField { field, .. } => match field.as_str() {
                "content" => first(&[Field::Content]),
                "start" => first(&[Field::Start]),
                "end" => first(&[Field::End]),
                _ => None,
            },
            _ => None,
        },
    }
}

/// Uploads a sheet: reads it ([`read_sheet`], in the ledger's UTC offset) and adds each row
/// with [`Ledger::add_record`], on its own: valid rows are accepted one by one and each refused
/// row is reported with the core's code and the column at fault. A row recorded before (same
/// id, same content — an upload of the same sheet again) counts as a duplicate and writes
/// nothing. A dry run works on a copy of the ledger and leaves `ledger` untouched, so its
/// report says what a real upload would do, rows of the sheet checked against each other too.
/// A CSV file without a quote character (what most are) is read in two passes — the first
/// finds the header and counts the rows, the second reads each row as the ledger takes it —
/// with the same rows, numbers and problems as [`read_sheet`].
///
/// `progress(done, total)` is called every 1000 rows and once at the end.
///
/// Refuses only what [`read_sheet`] refuses, and a write to a ledger file that fails
/// (`E_STORAGE`, nothing of the sheet written); everything about single rows is in the report.
pub fn upload(
    ledger: &mut Ledger,
    actor: &ActorId,
    bytes: &[u8],
    opts: &ImportOptions,
    dry_run: bool,
    progress: &mut dyn FnMut(u32, u32),
) -> Result<ImportReport> {
    let mut opts = opts.clone();
    opts.utc_offset_minutes = ledger.utc_offset().local_minus_utc() / 60;
    let off = offset(opts.utc_offset_minutes)?;
    let text = csv_text(bytes, &opts)?;
    let plain = text
        .as_deref()
        .map(|t| t.strip_prefix('\u{FEFF}').unwrap_or(t))
        .filter(|t| !t.contains('"'));
    let Some(text) = plain else {
        let sheet = read_text(bytes, text.as_deref(), hex_sha256(bytes), &opts, off)?;
        return upload_sheet(ledger, actor, sheet, dry_run, progress);
    };
    // A CSV without quotes cannot fail to parse: once a first pass has found its header and
    // counted its data rows, the rows are read as the ledger takes them (in a file ledger,
    // while a second thread writes the ones before). The file's fingerprint is taken on a
    // second thread during that pass.
    check_plain_csv_rows(text)?;
    let delimiter = sniff_delimiter(text);
    let (fingerprint, counted) = std::thread::scope(|s| {
        let fingerprint = std::thread::Builder::new()
            .name("vl-fingerprint".into())
            .spawn_scoped(s, || hex_sha256(bytes));
        // The fingerprint is not needed to find the header and count the rows.
        let mut counting = SheetBuilder::new(String::new(), &opts, off);
        let mut rows = PlainRows::new(text, delimiter);
        let mut total = 0;
        while let Some(n) = rows.next_row() {
            total += usize::from(counting.is_data(n, rows.fields.as_slice()));
        }
        let counted = counting.finish().map(|head| (head, total));
        let fingerprint = match fingerprint {
            Ok(thread) => thread.join().unwrap_or_else(|_| hex_sha256(bytes)),
            Err(_) => hex_sha256(bytes),
        };
        (fingerprint, counted)
    });
    let (mut head, total) = counted?;
    head.fingerprint.clone_from(&fingerprint);
    let mut sheet = SheetBuilder::new(fingerprint, &opts, off);
    let mut rows = PlainRows::new(text, delimiter);
    let stream = std::iter::from_fn(move || {
        loop {
            let n = rows.next_row()?;
            if let Some(row) = sheet.next(n, rows.fields.as_slice()) {
                return Some(row);
            }
        }
    });
    // Room for every row: growing the tables as the rows come costs ≈ 10 % of a large upload.
    // A sheet uploaded again (all duplicates) reserves room it does not use — as much as the
    // sheet has rows, no more.
    in_batch(ledger, dry_run, |l| {
        l.reserve_records_for(total);
        apply(l, actor, &head, total, stream, dry_run, progress)
    })
}

/// [`upload`] of a sheet read whole.
fn upload_sheet(
    ledger: &mut Ledger,
    actor: &ActorId,
    sheet: Sheet,
    dry_run: bool,
    progress: &mut dyn FnMut(u32, u32),
) -> Result<ImportReport> {
    let Sheet {
        fingerprint,
        header_row,
        columns,
        rows,
        unlisted_problems,
    } = sheet;
    let head = Sheet {
        fingerprint,
        header_row,
        columns,
        rows: Vec::new(),
        unlisted_problems: 0,
    };
    in_batch(ledger, dry_run, |l| {
        let ids = rows.iter().filter_map(|r| r.record.as_ref().ok());
        l.reserve_records(ids.map(|r| &r.id));
        let total = rows.len();
        let mut report = apply(l, actor, &head, total, rows.into_iter(), dry_run, progress);
        let unlisted = i32::try_from(unlisted_problems).unwrap_or(i32::MAX);
        report.rows = report.rows.saturating_add(unlisted);
        report.refused = report.refused.saturating_add(unlisted);
        report
    })
}

/// Runs `f` on a copy of the ledger for a dry run, else as one batch: in a file ledger the
/// accepted rows reach the file together or, if the write fails, not at all (and the error is
/// returned instead of a report).
fn in_batch(
    ledger: &mut Ledger,
    dry_run: bool,
    f: impl FnOnce(&mut Ledger) -> ImportReport,
) -> Result<ImportReport> {
    if dry_run {
        Ok(f(&mut ledger.clone()))
    } else {
        ledger.batch(f)
    }
}

/// Adds the records of a sheet's data rows (`total` of them, in order) and reports; `head`
/// is the sheet's fingerprint and columns.
fn apply(
    ledger: &mut Ledger,
    actor: &ActorId,
    head: &Sheet,
    total: usize,
    rows: impl Iterator<Item = SheetRow>,
    dry_run: bool,
    progress: &mut dyn FnMut(u32, u32),
) -> ImportReport {
    let total = u32::try_from(total).unwrap_or(u32::MAX);
    let mut report = ImportReport {
        fingerprint: head.fingerprint.clone(),
        dry_run,
        rows: i32::try_from(total).unwrap_or(i32::MAX),
        accepted: 0,
        pending: 0,
        duplicates: 0,
        rejected: Vec::new(),
        refused: 0,
    };
    // Each stream of refusals (the rows that are no record, the records the ledger refuses)
    // comes in row order: the first few of each hold the first few of all.
    let keep = limits::MAX_REPORTED_PROBLEMS;
    let mut refused = 0usize;
    // The records go to the ledger in one stream (a file ledger writes them on a second
    // thread); the rows they came from are kept to place a refusal. The stream notes them,
    // and a refusal reads them once its record has been taken from the stream.
    let row_numbers = std::cell::RefCell::new(Vec::with_capacity(total as usize));
    let mut problems = Vec::new();
    let records = rows.enumerate().filter_map(|(i, row)| {
        if let Ok(mut numbers) = row_numbers.try_borrow_mut() {
            numbers.push(row.row);
        }
        match row.record {
            Ok(r) => Some((i, r)),
            Err(p) => {
                refused += 1;
                if problems.len() < keep {
                    problems.push(p);
                }
                None
            }
        }
    });
    let (mut done, mut next) = (0u32, 1000u32);
    ledger.add_records_each(actor, records, &mut |i, result| {
        match result {
            Ok(receipt) if receipt.duplicate => report.duplicates += 1,
            Ok(receipt) => {
                report.accepted += 1;
                if receipt.state == RecordState::Pending {
                    report.pending += 1;
                }
            }
            Err(e) => {
                report.refused += 1;
                if report.rejected.len() < keep {
                    let column = column_for(&head.columns, &e);
                    let row = row_numbers
                        .try_borrow()
                        .ok()
                        .and_then(|numbers| numbers.get(i).copied())
                        .unwrap_or_default();
                    report.rejected.push(core_problem(row, column, &e));
                }
            }
        }
        // Rows in order (a duplicate's answer comes last): the row reached so far.
        done = done.max(u32::try_from(i + 1).unwrap_or(u32::MAX));
        if done >= next && done < total {
            progress(done, total);
            next = (done / 1000 + 1) * 1000;
        }
    });
    report.rejected.extend(problems);
    // Row order, as the sheet shows them (a row has one problem at most).
    report.rejected.sort_by_key(|p| p.row);
    report.rejected.truncate(keep);
    report.refused = report
        .refused
        .saturating_add(i32::try_from(refused).unwrap_or(i32::MAX));
    progress(total, total);
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn dates_in_every_form() {
        let want = d(2015, 6, 2);
        for t in [
            "2015-06-02",
            "2015-6-2",
            "2015/6/2",
            "2015/06/02",
            "2015.6.2",
            "2015年6月2日",
            "2015年06月02号",
            "20150602",
            "42157",
            "42157.375",
            "２０１５－０６－０２",
            "２０１５年６月２日",
            "2015-06-02 00:00:00",
            "2015-06-02T09:00",
        ] {
            assert_eq!(parse_date(&Cell::text(t)), want, "{t}");
        }
        assert_eq!(parse_date(&Cell::Number(42157.0)), want);
        assert_eq!(parse_date(&Cell::Number(42157.75)), want);
        for bad in [
            "2015-02-30",
            "2015-13-01",
            "20150230",
            "15-6-2",
            "6/2/2015",
            "June 2",
            "",
            "2015-06",
            "2015--02",
            "60",
            "0",
        ] {
            assert_eq!(parse_date(&Cell::text(bad)), None, "{bad}");
        }
        assert_eq!(serial_date(1.0), d(1900, 1, 1));
        assert_eq!(serial_date(59.0), d(1900, 2, 28));
        assert_eq!(serial_date(61.0), d(1900, 3, 1));
        assert_eq!(serial_date(f64::NAN), None);
        assert_eq!(serial_date(-3.0), None);
    }

    #[test]
    fn times_in_every_form() {
        for (t, want) in [
            ("9:00", 540),
            ("09:00", 540),
            ("09:00:00", 540),
            ("9:30:59", 570),
            ("9时30分", 570),
            ("9时", 540),
            ("9点", 540),
            ("9点半", 570),
            ("９：３０", 570),
            ("下午3点", 900),
            ("3:00 PM", 900),
            ("3:00pm", 900),
            ("上午9:00", 540),
            ("0.375", 540),
            ("24:00", 1440),
            ("0:00", 0),
        ] {
            assert_eq!(parse_time(&Cell::text(t)), Some((None, want)), "{t}");
        }
        assert_eq!(
            parse_time(&Cell::text("2015-06-02 09:00")),
            Some((d(2015, 6, 2), 540))
        );
        assert_eq!(parse_time(&Cell::Number(0.375)), Some((None, 540)));
        assert_eq!(
            parse_time(&Cell::Number(42157.5)),
            Some((d(2015, 6, 2), 720))
        );
        for bad in [
            "9", "25:00", "9:60", "24:30", "abc", "9:0:0:0", "-1:00", "1.5.2", "9::",
        ] {
            assert_eq!(parse_time(&Cell::text(bad)), None, "{bad}");
        }
        assert_eq!(parse_time(&Cell::Number(9.0)), None);
        assert_eq!(parse_time(&Cell::Number(-0.5)), None);
    }

    #[test]
    fn durations_in_every_form() {
        for (t, want) in [
            ("2", 120),
            ("2.5", 150),
            ("1.25", 75),
            ("0.1", 6),
            ("0.0083", 0),
            ("1.99", 119),
            ("2.5小时", 150),
            ("2.5 h", 150),
            ("3hours", 180),
            ("150分钟", 150),
            ("90min", 90),
            ("2:30", 150),
            ("２．５", 150),
        ] {
            assert_eq!(parse_duration(&Cell::text(t), 60.0), Some(want), "{t}");
        }
        assert_eq!(parse_duration(&Cell::text("90"), 1.0), Some(90));
        assert_eq!(parse_duration(&Cell::Number(1.5), 60.0), Some(90));
        let stamp = Cell::Stamp {
            date: None,
            minute: 150,
            days: 150.0 / 1440.0,
        };
        assert_eq!(parse_duration(&stamp, 60.0), Some(150));
        for bad in ["-2", "abc", "2..5", ".", "1e3", "2:75", "NaN", "inf"] {
            assert_eq!(parse_duration(&Cell::text(bad), 60.0), None, "{bad}");
        }
        assert_eq!(parse_duration(&Cell::Number(f64::INFINITY), 60.0), None);
        assert_eq!(parse_duration(&Cell::Number(-1.0), 60.0), None);
    }

    #[test]
    fn headers_match_synonyms() {
        for (h, f) in [
            ("姓名", Field::Name),
            ("*志愿者编号", Field::Volunteer),
            ("Volunteer ID", Field::Volunteer),
            ("volunteer_number", Field::Volunteer),
            ("服务时长（小时）", Field::Hours),
            ("服务时长(小时)", Field::Hours),
            ("Service Hours", Field::Hours),
            ("服务时长（分钟）", Field::Minutes),
            ("身份证号", Field::IdentityNumber),
            ("记录编号", Field::RecordId),
            ("组织单位", Field::Org),
            ("序号", Field::Other),
        ] {
            assert_eq!(field_for_header(h), f, "{h}");
        }
    }

    #[test]
    fn messages_split_into_english_and_chinese() {
        let e = LedgerError::Overlap {
            record: "R1".into(),
            other: "R0".into(),
        };
        let (en, zh) = split_message(&e.to_string());
        assert_eq!(en, "record R1: overlaps record R0 of the same volunteer");
        assert_eq!(zh, "服务记录 R1：与同一志愿者的服务记录 R0 时间重叠");
        let e = LedgerError::InvalidPeriod {
            text: "x / y".into(),
            detail: "bad".into(),
        };
        let (en, zh) = split_message(&e.to_string());
        assert!(en.starts_with("period 'x / y'"));
        assert!(zh.starts_with("统计周期“x / y”无效：bad"), "{zh}");
    }

    #[test]
    fn identity_numbers_are_withheld_from_row_problems() {
        let w = |s: &str| withhold_identity_numbers(s.to_owned());
        assert_eq!(
            w("record 11010519491231002X: overlaps"),
            "record ***: overlaps"
        );
        assert_eq!(w("record 110105194912310021-4"), "record ***-4");
        assert_eq!(w("服务记录 11010519491231002x：与"), "服务记录 ***：与");
        assert_eq!(
            w("record 7ba1d0d41cdac2c0-12345"),
            "record 7ba1d0d41cdac2c0-12345"
        );
        assert_eq!(w("row 12345678901234 ok"), "row 12345678901234 ok");
        let e = LedgerError::UnknownVolunteer {
            id: "11010519491231002X".into(),
        };
        let p = core_problem(7, None, &e);
        assert_eq!(
            p.message_en,
            "row 7: the volunteer number is not registered"
        );
        assert_eq!(p.message_zh, "第 7 行：志愿者编号未注册");
        assert_eq!(p.code, "E_UNKNOWN_VOLUNTEER");
    }

    #[test]
    fn quotes_only_harmless_text() {
        let q = |s: &str| quote(&Cell::text(s)).0;
        assert_eq!(q("2015-02-30"), " '2015-02-30'");
        assert_eq!(quote(&Cell::text("２０１５")).1, "“2015”");
        assert_eq!(q("张三"), "");
        assert_eq!(q("11010519491231002X"), "");
        assert_eq!(q("110105194912310021"), "");
    }

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

    #[test]
    fn tab_separated_text() {
        let s =
            "志愿者编号\t组织编号\t服务日期\t开始时间\t结束时间\nV1\tC1\t2015-06-02\t9:00\t10:00\n";
        let sheet = read_sheet(s.as_bytes(), &ImportOptions::default()).unwrap();
        assert_eq!(sheet.rows[0].record.as_ref().unwrap().minutes, 60);
    }

    #[test]
    fn fast_paths_read_as_the_general_parsers() {
        let mut texts = Vec::new();
        for h in 0..30 {
            for m in 0..100 {
                for s in [None, Some(0), Some(1), Some(59), Some(60), Some(99)] {
                    let sec = s.map(|s| format!(":{s:02}")).unwrap_or_default();
                    texts.push(format!("{h}:{m:02}{sec}"));
                    texts.push(format!("{h:02}:{m:02}{sec}"));
                }
            }
        }
        for t in &texts {
            if let Some(fast) = plain_clock(t) {
                assert_eq!(fast.map(|m| (None, m)), parse_time_general(t), "{t}");
            }
        }
        for y in ["0000", "0001", "1900", "2015", "2016", "9999"] {
            for m in 0..100 {
                for d in 0..100 {
                    let t = format!("{y}-{m:02}-{d:02}");
                    assert_eq!(iso_date(&t), Some(parse_date_general(&t)), "{t}");
                }
            }
        }
        for c in 0..3000 {
            for t in [
                format!("{}", c / 100),
                format!("{}.{}", c / 100, c % 100),
                format!("{}.{:02}", c / 100, c % 100),
                format!(".{c}"),
                format!("{c}."),
            ] {
                assert!(is_plain_decimal(&t), "{t}");
                let fast = t.parse::<f64>().ok().map(|h| h * 60.0);
                assert_eq!(fast, parse_duration_general(&t, 60.0), "{t}");
            }
        }
        for t in ["", ".", "1..2", "1.2.3", "1e3", "-1", " 1", "１"] {
            assert!(!is_plain_decimal(t), "{t}");
        }
    }

    proptest::proptest! {
        #[test]
        fn fast_paths_agree_on_any_text(t in "[0-9:.\\- a]{0,10}") {
            if let Some(fast) = plain_clock(&t) {
                proptest::prop_assert_eq!(fast.map(|m| (None, m)), parse_time_general(&t));
            }
            if let Some(fast) = iso_date(&t) {
                proptest::prop_assert_eq!(fast, parse_date_general(&t));
            }
            if is_plain_decimal(&t) {
                let fast = t.parse::<f64>().ok().map(|h| h * 60.0);
                proptest::prop_assert_eq!(fast, parse_duration_general(&t, 60.0));
            }
            let label = TOTAL_LABELS.contains(&normalise_header(&t).as_str());
            proptest::prop_assert_eq!(is_total_label(&t), label);
            proptest::prop_assert_eq!(trim(&t), t.trim());
        }

        #[test]
        fn plain_csv_reads_as_the_csv_reader(
            text in "\u{FEFF}{0,2}[V1C,;\t\r\n \u{3000}合计a-]{0,40}(志愿者编号,组织编号,服务日期,开始时间,结束时间[\r\n]{1,3})?[V1C,;\t\r\n 0-9:\u{FEFF}合计-]{0,300}",
            default_org in proptest::bool::ANY,
        ) {
            let opts = ImportOptions {
                default_org: default_org.then(|| OrgId::new("D")).transpose().unwrap(),
                ..ImportOptions::default()
            };
            let text = text.strip_prefix('\u{FEFF}').unwrap_or(&text);
            let read = |plain: bool| {
                let mut sheet = SheetBuilder::new("0".repeat(64), &opts, offset(480).unwrap());
                let delimiter = sniff_delimiter(text);
                if plain {
                    plain_csv_rows(text, delimiter, &mut sheet);
                } else {
                    reader_csv_rows(text, delimiter, &mut sheet).unwrap();
                }
                format!("{:?}", sheet.finish())
            };
            proptest::prop_assert_eq!(read(true), read(false));
        }

        /// An upload of a quote-free CSV, read as the ledger takes its rows, answers as the
        /// same sheet read whole first: the same report, progress calls and ledger.
        #[test]
        fn streamed_uploads_answer_as_sheets_read_whole(
            text in "\u{FEFF}{0,2}[V1,\r\n 合计]{0,12}(志愿者编号,组织编号,服务日期,开始时间,结束时间,记录编号[\r\n]{1,3})?((V[1-3]|V9|合计|)?,(C[12]|X)?,2015-06-0[1-3],(9|1[0-2]):[03]0,1[0-3]:00,(R[1-4])?[\r\n]{1,2}){0,24}",
            dry_run in proptest::bool::ANY,
        ) {
            let streamed = streamed_and_whole(&text, dry_run);
            proptest::prop_assert_eq!(&streamed.0, &streamed.1);
        }
    }

    /// `text` uploaded by [`upload`] and, read whole by [`read_sheet`], by [`upload_sheet`] —
    /// each into its own copy of one ledger: the report, progress calls and state digest.
    fn streamed_and_whole(text: &str, dry_run: bool) -> (String, String) {
        use crate::*;
        let admin = ActorId::new("admin").unwrap();
        let t = |d: u32, h: u32| Timestamp::from_local(480, 2015, 6, d, h, 0).unwrap();
        let mut base = Ledger::in_memory(LedgerConfig::new(
            LedgerId::new("t").unwrap(),
            "测试区",
            admin.clone(),
        ))
        .unwrap();
        base.set_clock(Clock::Fixed(t(30, 12)));
        for (o, parent, kind) in [
            ("D", None, OrgKind::District),
            ("C1", Some("D"), OrgKind::Community),
            ("C2", Some("D"), OrgKind::Community),
        ] {
            let org = NewOrg {
                id: OrgId::new(o).unwrap(),
                name: format!("{o}名"),
                kind,
                parent: parent.map(|p| OrgId::new(p).unwrap()),
            };
            base.register_org(&admin, org).unwrap();
        }
        for (v, number) in [
            ("V1", "11010519491231002X"),
            ("V2", "360502198912010016"),
            ("V3", "360502195809020028"),
        ] {
            let vol = NewVolunteer {
                id: VolunteerId::new(v).unwrap(),
                name: "某人".into(),
                identity_kind: IdentityKind::ResidentId,
                identity_number: number.into(),
                home_org: Some(OrgId::new("C1").unwrap()),
            };
            base.register_volunteer(&admin, vol).unwrap();
        }
        let opts = ImportOptions::default();
        let run = |whole: bool| {
            let mut l = base.clone();
            let mut calls = Vec::new();
            let mut progress = |done, total| calls.push((done, total));
            let report = if whole {
                read_sheet(text.as_bytes(), &opts)
                    .and_then(|s| upload_sheet(&mut l, &admin, s, dry_run, &mut progress))
            } else {
                upload(
                    &mut l,
                    &admin,
                    text.as_bytes(),
                    &opts,
                    dry_run,
                    &mut progress,
                )
            };
            format!("{report:?} {calls:?} {}", l.state_digest())
        };
        (run(false), run(true))
    }

    #[test]
    fn streamed_uploads_answer_as_sheets_read_whole_for_every_kind_of_row() {
        let text = "\u{FEFF}说明\n\n志愿者编号,组织编号,服务日期,开始时间,结束时间,记录编号\r\n\
            V1,C1,2015-06-01,9:00,11:00,\nV1,C1,2015-06-01,10:00,12:00,\n\nV9,C1,2015-06-02,9:00,10:00,\n\
            V2,X,2015-06-02,9:00,10:00,R1\nV2,C2,2015-06-02,9:00,10:00,R2\nV2,C2,2015-06-02,9:00,10:00,R2\n\
            V3,C1,2015-06-03,12:00,10:00,\n合计,,,,,\n";
        for dry_run in [false, true] {
            let (streamed, whole) = streamed_and_whole(text, dry_run);
            assert_eq!(streamed, whole);
            // Accepted, overlapping, unknown volunteer, unknown org, duplicate, end before start.
            for code in [
                "E_OVERLAP",
                "E_UNKNOWN_VOLUNTEER",
                "E_UNKNOWN_ORG",
                "duplicates: 1",
            ] {
                assert!(streamed.contains(code), "{code}: {streamed}");
            }
        }
    }

    #[test]
    fn made_up_ids_read_prefix_dash_row() {
        for row in [
            0,
            1,
            9,
            10,
            99,
            100,
            12345,
            999_999_999,
            1_000_000_000,
            u32::MAX,
        ] {
            assert_eq!(made_up_id("abc", row), format!("abc-{row}"));
        }
    }

    #[test]
    fn total_labels_fit_the_ascii_check() {
        for l in TOTAL_LABELS {
            assert!(l.len() <= TOTAL_LABEL_MAX, "{l}");
            assert_eq!(normalise_header(l), *l);
        }
        for (t, want) in [
            ("Total", true),
            (" T-O-T-A-L ", true),
            ("s_u_m:", true),
            ("totals", false),
            ("V000123", false),
            ("合计", true),
            ("合 计", true),
            ("ｔｏｔａｌ", true),
        ] {
            assert_eq!(is_total_label(t), want, "{t}");
        }
    }

    #[test]
    fn csv_rows_count_as_excel_shows_them() {
        let s = "标题\n\n志愿者编号,组织编号,服务日期,开始时间,结束时间,服务内容\n\
                 V1,C1,2015-06-02,9:00,10:00,\"两行\n内容\"\n\
                 V2,C1,2015-06-02,9:00,10:00,x\n\
                 ,,,,,\n合计,,,,,\n";
        let sheet = read_sheet(s.as_bytes(), &ImportOptions::default()).unwrap();
        assert_eq!(sheet.header_row, 3);
        let rows: Vec<u32> = sheet.rows.iter().map(|r| r.row).collect();
        assert_eq!(rows, vec![4, 5]);
    }
}
