//! A sheet read whole: [`read_sheet`] decodes the bytes, reads their rows of cells, and gives
//! each row to a builder that skips the rows above the header, takes the layout from the header
//! row, and turns every data row below it into a record or a problem at once, so that no row is
//! kept as cells; the whole sheet is refused if it goes past a limit.

use super::cells::{RowCells, RowSink};
use super::csv_rows::csv_rows;
use super::decode::{csv_text, hex_sha256};
use super::layout::{
    Field, HEADER_SEARCH_ROWS, Layout, header_of, is_blank, is_header_row, is_total_row, layout_of,
    no_header,
};
use super::limits::{
    MAX_CELL_CHARS, MAX_CELLS, MAX_COLUMNS, MAX_REPORTED_PROBLEMS, MAX_ROWS, cell_too_long,
    too_large, too_long,
};
use super::matching::Matcher;
use super::options::ImportOptions;
use super::problems::RowProblem;
use super::rows::Records;
use super::xlsx_rows::xlsx_rows;
use crate::error::{LedgerError, Result};
use crate::record::NewRecord;
use crate::time::offset;
use chrono::FixedOffset;
use serde::{Deserialize, Serialize};

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
    /// [`MAX_REPORTED_PROBLEMS`](MAX_REPORTED_PROBLEMS): those are only
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

/// One data row of a sheet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SheetRow {
    /// The row number, 1-based as Excel shows it.
    pub row: u32,
    /// The record the row makes, or why it makes none.
    pub record: std::result::Result<NewRecord, RowProblem>,
}

/// Reads a sheet: detects or takes the format and encoding, finds the header row, and turns
/// each data row into a record (source [`RecordSource::Import`](crate::record::RecordSource::Import)) or a [`RowProblem`].
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
    let fingerprint = hex_sha256(bytes);
    read_text(
        bytes,
        text.as_deref(),
        fingerprint,
        opts,
        off,
        Records,
        None,
    )
    .map(Sheet::from)
}

/// A sheet of any kind as read: the rows are what its [`RowReader`] makes of them.
pub(super) struct ReadSheet<T> {
    pub(super) fingerprint: String,
    pub(super) header_row: u32,
    pub(super) columns: Vec<(String, Field)>,
    pub(super) rows: Vec<(u32, std::result::Result<T, RowProblem>)>,
    pub(super) unlisted_problems: u32,
}

/// A sheet's data row as a reader makes it: its number and what it makes, or why not.
pub(super) type ReadRow<T> = (u32, std::result::Result<T, RowProblem>);

impl<T> ReadSheet<T> {
    /// The sheet without its rows (fingerprint, header, columns, problems left out), and the
    /// rows.
    pub(super) fn split(self) -> (Self, Vec<ReadRow<T>>) {
        let Self {
            fingerprint,
            header_row,
            columns,
            rows,
            unlisted_problems,
        } = self;
        let head = Self {
            fingerprint,
            header_row,
            columns,
            rows: Vec::new(),
            unlisted_problems,
        };
        (head, rows)
    }
}

impl From<ReadSheet<NewRecord>> for Sheet {
    fn from(s: ReadSheet<NewRecord>) -> Self {
        Self {
            fingerprint: s.fingerprint,
            header_row: s.header_row,
            columns: s.columns,
            rows: s
                .rows
                .into_iter()
                .map(|(row, record)| SheetRow { row, record })
                .collect(),
            unlisted_problems: s.unlisted_problems,
        }
    }
}

/// What a kind of sheet (records, volunteers, orgs) makes of its rows: how its headers are
/// named, which columns it cannot do without, and what a data row makes.
pub(super) trait RowReader {
    /// What a data row makes.
    type Item;
    /// The synonym table of its headers.
    fn headers(&self) -> &'static [(&'static str, Field)];
    /// How many known headers make a header row.
    fn min_headers(&self) -> usize {
        3
    }
    /// Headers to name when none is found.
    fn example_headers(&self) -> &'static str;
    /// Refuses a layout without a column the sheet cannot do without.
    fn check(&self, layout: &Layout, opts: &ImportOptions) -> Result<()>;
    /// What a data row makes, or why it makes nothing.
    fn read<R: RowCells + ?Sized>(
        &self,
        layout: &Layout,
        cells: &R,
        row: u32,
        at: &RowContext<'_>,
    ) -> std::result::Result<Self::Item, RowProblem>;
}

/// What a row reader may need besides the row: the options, the sheet's UTC offset and the
/// stem of made-up ids.
pub(super) struct RowContext<'o> {
    pub(super) opts: &'o ImportOptions,
    pub(super) off: FixedOffset,
    /// The first 16 hex digits of the fingerprint.
    pub(super) prefix: String,
    /// The ledger's register and tree, when rows are matched against them.
    pub(super) matcher: Option<&'o Matcher<'o>>,
}

/// [`read_sheet`] of a file whose text is decoded already (`None` for an xlsx file), by any
/// reader, matching rows against a ledger if given one.
pub(super) fn read_text<K: RowReader>(
    bytes: &[u8],
    text: Option<&str>,
    fingerprint: String,
    opts: &ImportOptions,
    off: FixedOffset,
    reader: K,
    matcher: Option<&Matcher<'_>>,
) -> Result<ReadSheet<K::Item>> {
    let mut sheet = SheetBuilder::matched(fingerprint, opts, off, reader, matcher);
    match text {
        Some(text) => csv_rows(text, &mut sheet)?,
        None => xlsx_rows(bytes, opts.sheet.as_deref(), &mut sheet)?,
    }
    sheet.finish()
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

/// Builds a sheet from its rows, given one at a time in order, so that no row is kept
/// as cells: the rows above the header are skipped, the header row gives the [`Layout`], and
/// every row below it becomes what its reader makes at once.
pub(super) struct SheetBuilder<'o, K: RowReader> {
    at: RowContext<'o>,
    reader: K,
    fingerprint: String,
    /// Rows given so far.
    seen: usize,
    /// Cells given so far.
    cells: u64,
    stage: Stage,
    rows: Vec<(u32, std::result::Result<K::Item, RowProblem>)>,
    /// Rows that are no record, listed and not.
    problems: usize,
    unlisted: u32,
}

impl<'o, K: RowReader> SheetBuilder<'o, K> {
    pub(super) fn new(
        fingerprint: String,
        opts: &'o ImportOptions,
        off: FixedOffset,
        reader: K,
    ) -> Self {
        Self::matched(fingerprint, opts, off, reader, None)
    }

    /// A builder whose reader matches rows against a ledger's register and tree.
    pub(super) fn matched(
        fingerprint: String,
        opts: &'o ImportOptions,
        off: FixedOffset,
        reader: K,
        matcher: Option<&'o Matcher<'o>>,
    ) -> Self {
        let prefix: String = fingerprint.chars().take(16).collect();
        Self {
            at: RowContext {
                opts,
                off,
                prefix,
                matcher,
            },
            reader,
            fingerprint,
            seen: 0,
            cells: 0,
            stage: Stage::Searching,
            rows: Vec::new(),
            problems: 0,
            unlisted: 0,
        }
    }

    /// Takes the next row of the sheet, numbered as Excel shows it, and gives the data row it
    /// is, if it is one.
    pub(super) fn next<R: RowCells + ?Sized>(
        &mut self,
        n: u32,
        cells: &R,
    ) -> Option<(u32, std::result::Result<K::Item, RowProblem>)> {
        if self.is_data(n, cells) {
            self.data_row(n, cells)
        } else {
            None
        }
    }

    /// Takes the next row: whether it is a data row (not above the header, not the header,
    /// not blank, not a total row).
    pub(super) fn is_data<R: RowCells + ?Sized>(&mut self, n: u32, cells: &R) -> bool {
        if !self.is_refused()
            && let Err(e) = self.within_limits(n, cells)
        {
            self.stage = Stage::Refused(e);
        }
        let data = match &self.stage {
            Stage::Data(layout) => !(is_blank(cells) || is_total_row(layout, cells)),
            Stage::Searching if self.seen >= HEADER_SEARCH_ROWS => {
                self.stage = Stage::Refused(self.no_header());
                false
            }
            Stage::Searching => {
                let headers = self.reader.headers();
                if is_header_row(cells, headers, self.reader.min_headers()) {
                    let layout = layout_of(n, cells, headers);
                    self.stage = match self.reader.check(&layout, self.at.opts) {
                        Ok(()) => Stage::Data(layout),
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

    fn no_header(&self) -> LedgerError {
        no_header(self.reader.min_headers(), self.reader.example_headers())
    }

    /// What a data row makes (or its problem).
    fn data_row<R: RowCells + ?Sized>(
        &self,
        n: u32,
        cells: &R,
    ) -> Option<(u32, std::result::Result<K::Item, RowProblem>)> {
        let Stage::Data(layout) = &self.stage else {
            return None;
        };
        Some((n, self.reader.read(layout, cells, n, &self.at)))
    }

    /// The sheet read, or why it is refused as a whole.
    pub(super) fn finish(self) -> Result<ReadSheet<K::Item>> {
        match self.stage {
            Stage::Searching => Err(self.no_header()),
            Stage::Refused(e) => Err(e),
            Stage::Data(layout) => Ok(ReadSheet {
                fingerprint: self.fingerprint,
                header_row: layout.header_row,
                columns: layout.columns,
                rows: self.rows,
                unlisted_problems: self.unlisted,
            }),
        }
    }
}

impl<K: RowReader> RowSink for SheetBuilder<'_, K> {
    fn push<R: RowCells + ?Sized>(&mut self, n: u32, cells: &R) {
        if let Some(row) = self.next(n, cells) {
            if row.1.is_err() {
                self.problems += 1;
                if self.problems > MAX_REPORTED_PROBLEMS {
                    self.unlisted = self.unlisted.saturating_add(1);
                    return;
                }
            }
            self.rows.push(row);
        }
    }

    fn skip_blank(&mut self, rows: usize) {
        self.seen = self.seen.saturating_add(rows);
    }

    fn is_refused(&self) -> bool {
        matches!(self.stage, Stage::Refused(_))
    }

    fn width_kept(&self) -> usize {
        match &self.stage {
            Stage::Data(layout) => layout.columns.len(),
            _ => MAX_COLUMNS,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::OrgId;
    use crate::import::csv_rows::{plain_csv_rows, reader_csv_rows, sniff_delimiter};

    #[test]
    fn tab_separated_text() {
        let s =
            "志愿者编号\t组织编号\t服务日期\t开始时间\t结束时间\nV1\tC1\t2015-06-02\t9:00\t10:00\n";
        let sheet = read_sheet(s.as_bytes(), &ImportOptions::default()).unwrap();
        assert_eq!(sheet.rows[0].record.as_ref().unwrap().minutes, 60);
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

    proptest::proptest! {
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
                let reader = Records;
                let mut sheet = SheetBuilder::new("0".repeat(64), &opts, offset(480).unwrap(), reader);
                let delimiter = sniff_delimiter(text);
                if plain {
                    plain_csv_rows(text, delimiter, &mut sheet);
                } else {
                    reader_csv_rows(text, delimiter, &mut sheet).unwrap();
                }
                format!("{:?}", sheet.finish().map(Sheet::from))
            };
            proptest::prop_assert_eq!(read(true), read(false));
        }
    }
}
