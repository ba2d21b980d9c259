//! Rows of cells from CSV text, numbered as Excel shows them, with the delimiter (comma, tab
//! or semicolon) sniffed from the first lines. Text with a quote character goes through the
//! CSV reader; text without one — what most sheets are — is split in place, each cell a slice
//! of the text ([`PlainRows`]), and reads the same.

use super::cells::{Cell, RowCells, RowSink};
use super::decode::sheet_error;
use super::limits::{MAX_COLUMNS, check_plain_csv_rows};
use crate::error::Result;

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

pub(super) fn csv_rows(text: &str, sheet: &mut impl RowSink) -> Result<()> {
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
pub(super) fn reader_csv_rows(text: &str, delimiter: u8, sheet: &mut impl RowSink) -> Result<()> {
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
pub(super) fn plain_csv_rows(text: &str, delimiter: u8, sheet: &mut impl RowSink) {
    let mut rows = PlainRows::new(text, delimiter);
    while let Some(n) = rows.next_row() {
        sheet.push(n, rows.fields.as_slice());
    }
}

/// The rows of CSV text without a quote character ([`plain_csv_rows`]), one at a time: each
/// row's fields are left in `fields`, slices of the text.
pub(super) struct PlainRows<'t> {
    text: &'t str,
    delimiter: u8,
    /// Where the next row starts looking.
    at: usize,
    /// Line breaks before `at`.
    breaks: u64,
    /// The text starts with a (second) BOM and no row has been read yet.
    bom_first: bool,
    pub(super) fields: Vec<&'t str>,
}

impl<'t> PlainRows<'t> {
    pub(super) fn new(text: &'t str, delimiter: u8) -> Self {
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
    pub(super) fn next_row(&mut self) -> Option<u32> {
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
pub(super) fn sniff_delimiter(text: &str) -> u8 {
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
