//! The neutral table every export builds, and the two writers that take it: CSV (UTF-8 with a
//! byte-order mark, RFC 4180, formulas defused) and XLSX (a title row, a bold frozen header
//! row with a filter, typed cells: numbers as numbers, dates and times as Excel date cells).
//! A workbook of several tables is one sheet per table; several CSV tables go in one zip.

use crate::error::{LedgerError, Result, invalid_field};
use chrono::{Datelike, NaiveDate, NaiveDateTime, Timelike};
use rust_xlsxwriter::{ExcelDateTime, Format, FormatBorder, Workbook, Worksheet, XlsxError};
use std::io::Write;

/// The number format of date cells.
pub(super) const DATE_FORMAT: &str = "yyyy-mm-dd";
/// The number format of date-and-time cells.
pub(super) const DATETIME_FORMAT: &str = "yyyy-mm-dd hh:mm";

/// One cell of an exported table.
pub(super) enum Cell {
    /// Text, written as a string in both formats.
    Text(String),
    /// A whole number (rank, minutes).
    Int(u64),
    /// Minutes shown as hours with two decimals (`90` → `1.50`).
    Hours(u64),
    /// A local date: an Excel date cell shown `yyyy-mm-dd`; in CSV `YYYY-MM-DD`.
    Date(NaiveDate),
    /// A local date and time: an Excel date cell shown `yyyy-mm-dd hh:mm`; in CSV the text
    /// given (so that a CSV column keeps the form its readers expect).
    DateTime(NaiveDateTime, String),
    /// Nothing.
    Empty,
}

impl Cell {
    /// Text, or nothing for `None`.
    pub(super) fn text_or_empty(s: Option<impl ToString>) -> Self {
        s.map_or(Self::Empty, |s| Self::Text(s.to_string()))
    }

    /// A date and time, written `YYYY-MM-DD HH:MM` in CSV too.
    pub(super) fn date_time(at: NaiveDateTime) -> Self {
        Self::DateTime(at, at.format("%Y-%m-%d %H:%M").to_string())
    }
}

/// A table ready to write: the title and sheet name are used by XLSX only.
pub(super) struct Table {
    pub(super) title: String,
    pub(super) sheet: String,
    pub(super) headers: Vec<&'static str>,
    pub(super) rows: Vec<Vec<Cell>>,
}

/// Minutes as hundredths of an hour, rounded half up.
pub(super) fn hundredths(minutes: u64) -> u64 {
    let h = (u128::from(minutes) * 100 + 30) / 60;
    u64::try_from(h).unwrap_or(u64::MAX)
}

/// Hours with two decimals, as text: `90` → `1.50`.
pub(super) fn hours_text(minutes: u64) -> String {
    let h = hundredths(minutes);
    format!("{}.{:02}", h / 100, h % 100)
}

/// One table as a CSV file or a one-sheet workbook.
pub(super) fn write(table: &Table, format: super::ExportFormat) -> Result<Vec<u8>> {
    match format {
        super::ExportFormat::Csv => write_csv(table),
        super::ExportFormat::Xlsx => write_workbook(std::slice::from_ref(table)),
    }
}

fn xlsx_error(e: XlsxError) -> LedgerError {
    invalid_field("export", "xlsx", format!("cannot be written: {e}"))
}

/// A text cell as CSV writes it: a leading `'` defuses what a spreadsheet would run.
fn csv_text(s: &str) -> std::borrow::Cow<'_, str> {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{s}"))
    } else {
        std::borrow::Cow::Borrowed(s)
    }
}

/// One table as CSV: BOM, header line, one line per row, CRLF.
pub(super) fn write_csv(table: &Table) -> Result<Vec<u8>> {
    let csv_error =
        |e: csv::Error| invalid_field("export", "csv", format!("cannot be written: {e}"));
    let mut out = Vec::with_capacity(64 + table.rows.len() * 96);
    out.extend_from_slice(b"\xEF\xBB\xBF");
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(&table.headers).map_err(csv_error)?;
    let mut line: Vec<String> = Vec::with_capacity(table.headers.len());
    for row in &table.rows {
        line.clear();
        line.extend(row.iter().map(|c| match c {
            Cell::Text(s) => csv_text(s).into_owned(),
            Cell::Int(n) => n.to_string(),
            Cell::Hours(m) => hours_text(*m),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
            Cell::DateTime(_, text) => text.clone(),
            Cell::Empty => String::new(),
        }));
        w.write_record(&line).map_err(csv_error)?;
    }
    w.into_inner()
        .map_err(|e| invalid_field("export", "csv", format!("cannot be written: {e}")))
}

/// Several tables as one zip archive of CSV files, each named `<file name>.csv`.
pub(super) fn write_csv_zip(tables: &[(&str, Table)]) -> Result<Vec<u8>> {
    let zip_error = |e: zip::result::ZipError| {
        invalid_field("export", "zip", format!("cannot be written: {e}"))
    };
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        // A fixed time, so that the same ledger gives the same bytes.
        .last_modified_time(zip::DateTime::default());
    for (name, table) in tables {
        let bytes = write_csv(table)?;
        zip.start_file(format!("{name}.csv"), options)
            .map_err(zip_error)?;
        zip.write_all(&bytes)
            .map_err(|e| invalid_field("export", "zip", format!("cannot be written: {e}")))?;
    }
    Ok(zip.finish().map_err(zip_error)?.into_inner())
}

/// Display width of text in a spreadsheet column: wide (CJK) characters count twice.
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) < 0x1100 { 1 } else { 2 })
        .sum()
}

/// Longest sheet name Excel accepts.
const SHEET_NAME_MAX: usize = 31;

/// A sheet name Excel accepts: no `[]:*?/\`, at most 31 characters.
fn sheet_name(s: &str) -> String {
    let clean: String = s
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(SHEET_NAME_MAX)
        .collect();
    let clean = clean.trim_matches('\'').trim().to_owned();
    if clean.is_empty() {
        "Sheet1".into()
    } else {
        clean
    }
}

/// A chrono date as Excel's (1900 system); Excel holds no date before 1900.
fn excel_date(d: NaiveDate) -> std::result::Result<ExcelDateTime, XlsxError> {
    let year = u16::try_from(d.year()).map_err(|_| XlsxError::DateTimeRangeError(d.to_string()))?;
    // Month and day are 1–12 and 1–31.
    ExcelDateTime::from_ymd(year, d.month() as u8, d.day() as u8)
}

fn excel_datetime(at: NaiveDateTime) -> std::result::Result<ExcelDateTime, XlsxError> {
    // Hours and minutes are below 24 and 60.
    excel_date(at.date())?.and_hms(at.hour() as u16, at.minute() as u8, 0)
}

/// The formats a sheet's cells share.
struct Formats {
    title: Format,
    header: Format,
    hours: Format,
    int: Format,
    date: Format,
    datetime: Format,
}

impl Formats {
    fn new() -> Self {
        Self {
            title: Format::new().set_bold().set_font_size(14),
            header: Format::new()
                .set_bold()
                .set_background_color(0xD9E1F2)
                .set_border(FormatBorder::Thin),
            hours: Format::new().set_num_format("0.00"),
            int: Format::new().set_num_format("0"),
            date: Format::new().set_num_format(DATE_FORMAT),
            datetime: Format::new().set_num_format(DATETIME_FORMAT),
        }
    }
}

/// Tables as one workbook, a sheet each, in order.
pub(super) fn write_workbook(tables: &[Table]) -> Result<Vec<u8>> {
    let formats = Formats::new();
    let mut book = Workbook::new();
    for table in tables {
        let sheet = book.add_worksheet();
        fill_sheet(sheet, table, &formats).map_err(xlsx_error)?;
    }
    book.save_to_buffer().map_err(xlsx_error)
}

/// A text cell; its display width.
fn write_text(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    s: &str,
) -> std::result::Result<usize, XlsxError> {
    sheet.write_string(row, col, s)?;
    Ok(display_width(s))
}

fn fill_sheet(
    sheet: &mut Worksheet,
    table: &Table,
    f: &Formats,
) -> std::result::Result<(), XlsxError> {
    const TITLE_ROW: u32 = 0;
    const HEADER_ROW: u32 = 1;
    const FIRST_DATA_ROW: u32 = 2;
    sheet.set_name(sheet_name(&table.sheet))?;
    sheet.write_string_with_format(TITLE_ROW, 0, table.title.as_str(), &f.title)?;

    let mut widths: Vec<usize> = table.headers.iter().map(|h| display_width(h)).collect();
    for (col, header) in (0u16..).zip(&table.headers) {
        sheet.write_string_with_format(HEADER_ROW, col, *header, &f.header)?;
    }
    let mut row_num = FIRST_DATA_ROW;
    for row in &table.rows {
        for ((col, cell), width) in (0u16..).zip(row).zip(widths.iter_mut()) {
            let shown = match cell {
                Cell::Text(s) => write_text(sheet, row_num, col, s)?,
                Cell::Int(n) => {
                    // Ranks and minutes: exact as f64 up to 2^53, far beyond any real total.
                    sheet.write_number_with_format(row_num, col, *n as f64, &f.int)?;
                    n.to_string().len()
                }
                Cell::Hours(m) => {
                    let h = hundredths(*m) as f64 / 100.0;
                    sheet.write_number_with_format(row_num, col, h, &f.hours)?;
                    hours_text(*m).len()
                }
                // A date Excel cannot hold (before 1900, after 9999) is written as text.
                Cell::Date(d) => match excel_date(*d) {
                    Ok(dt) => {
                        sheet.write_datetime_with_format(row_num, col, dt, &f.date)?;
                        DATE_FORMAT.len()
                    }
                    Err(_) => write_text(sheet, row_num, col, &d.format("%Y-%m-%d").to_string())?,
                },
                Cell::DateTime(at, _) => match excel_datetime(*at) {
                    Ok(dt) => {
                        sheet.write_datetime_with_format(row_num, col, dt, &f.datetime)?;
                        DATETIME_FORMAT.len()
                    }
                    Err(_) => write_text(
                        sheet,
                        row_num,
                        col,
                        &at.format("%Y-%m-%d %H:%M").to_string(),
                    )?,
                },
                Cell::Empty => 0,
            };
            *width = (*width).max(shown);
        }
        row_num = row_num.saturating_add(1);
    }
    for (col, w) in (0u16..).zip(&widths) {
        // A little padding; long free text (content) is capped so the sheet stays readable.
        let w = u32::try_from((*w).clamp(6, 60) + 2).unwrap_or(62);
        sheet.set_column_width(col, w)?;
    }
    let last_col = u16::try_from(table.headers.len().saturating_sub(1)).unwrap_or(0);
    let last_row = row_num.saturating_sub(1).max(HEADER_ROW);
    sheet.autofilter(HEADER_ROW, 0, last_row, last_col)?;
    sheet.set_freeze_panes(FIRST_DATA_ROW, 0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_round_half_up_to_two_decimals() {
        assert_eq!(hours_text(0), "0.00");
        assert_eq!(hours_text(90), "1.50");
        assert_eq!(hours_text(1), "0.02"); // 1.67 hundredths
        assert_eq!(hours_text(20), "0.33");
        assert_eq!(hours_text(40), "0.67");
        assert_eq!(hours_text(3 * 60 + 15), "3.25");
        assert!(!hours_text(u64::MAX).is_empty());
    }

    #[test]
    fn csv_text_defuses_formulas() {
        assert_eq!(csv_text("=1+1"), "'=1+1");
        assert_eq!(csv_text("-清扫"), "'-清扫");
        assert_eq!(csv_text("@x"), "'@x");
        assert_eq!(csv_text("助老服务"), "助老服务");
    }

    #[test]
    fn sheet_names_are_excel_safe() {
        assert_eq!(sheet_name("a/b:c"), "a_b_c");
        assert_eq!(sheet_name(""), "Sheet1");
        assert_eq!(sheet_name(&"x".repeat(40)).chars().count(), 31);
        assert_eq!(
            sheet_name("2015-W23 weekly leaderboard"),
            "2015-W23 weekly leaderboard"
        );
    }

    #[test]
    fn dates_excel_cannot_hold_are_written_as_text() {
        let early = NaiveDate::from_ymd_opt(1800, 1, 1).unwrap_or_default();
        let late = NaiveDate::from_ymd_opt(10000, 1, 1).unwrap_or_default();
        assert!(excel_date(early).is_err());
        assert!(excel_date(late).is_err());
        let ok = NaiveDate::from_ymd_opt(2015, 6, 2).unwrap_or_default();
        assert!(excel_date(ok).is_ok());
        let table = Table {
            title: "t".into(),
            sheet: "s".into(),
            headers: vec!["d"],
            rows: vec![
                vec![Cell::Date(early)],
                vec![Cell::date_time(late.and_time(chrono::NaiveTime::MIN))],
            ],
        };
        assert!(write_workbook(&[table]).is_ok());
    }
}
