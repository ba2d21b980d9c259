//! Rows of cells from an Excel `.xlsx` workbook: its parts measured first, then the worksheet
//! asked for (else the first) read a cell at a time in row order, each row's non-empty cells
//! kept sparse; dates and times come as Excel stamps. A damaged workbook is refused as
//! unreadable.

use super::cells::{Cell, RowCells, RowSink};
use super::decode::sheet_error;
use super::limits::check_xlsx_parts;
use crate::error::{Clip, LedgerError, Result};
use chrono::NaiveDate;
use std::borrow::Cow;

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

pub(super) fn xlsx_rows(bytes: &[u8], name: Option<&str>, sheet: &mut impl RowSink) -> Result<()> {
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
fn xlsx_cells<S: RowSink>(bytes: &[u8], name: Option<&str>, sheet: &mut S) -> Result<()> {
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
    let flush = |sheet: &mut S, at: u32, row: &mut SparseRow<'_>| {
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
                        "is not a readable .xlsx workbook: row {} comes after row {} (E_UPLOAD_ENCODING)",
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
