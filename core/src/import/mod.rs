//! Manual upload (手动记录上传): hand-kept spreadsheets of service records — CSV in UTF-8 (with
//! or without BOM) or GBK/GB18030, and Excel `.xlsx` — read into
//! [`NewRecord`](crate::record::NewRecord)s, then added to a ledger through the same validation
//! as every other record.
//!
//! [`read_sheet`] only reads: it finds the header row (which need not be row 1), matches
//! Chinese or English headers through a table of synonyms ([`field_for_header`]), and turns
//! each data row into a record or a [`RowProblem`] that names the row, the column and a stable
//! code. [`upload`] reads and then adds the rows to a [`Ledger`](crate::ledger::Ledger) (or to
//! a copy of it, for a dry run) and reports what happened in an [`ImportReport`]. No message
//! names a person or an identity number: a cell's text is quoted only when it is short and
//! holds nothing but digits and date or time punctuation.
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
//!
//! A sheet goes through these rooms, each using only those above it:
//!
//! | module | what it holds |
//! |---|---|
//! | [`limits`] | how large a sheet may be, and the measuring of an xlsx file's parts |
//! | `options` | how to read a sheet: format, encoding, UTC offset, default org, worksheet |
//! | `decode` | bytes to text: the format, the encoding, a BOM; the file's fingerprint |
//! | `cells` | a cell and a row of cells, whatever the format; full-width forms |
//! | `csv_rows`, `xlsx_rows` | the rows of cells of a CSV text or of an xlsx worksheet |
//! | `layout` | the header row and what each column means; blank and total rows |
//! | `values` | dates, times of day and durations in every form a sheet writes them |
//! | `problems` | why a row is not recorded, in English and Chinese, naming no one |
//! | `rows` | a data row to a record |
//! | `sheet` | a sheet read whole ([`read_sheet`]) |
//! | `upload` | a sheet added to a ledger ([`upload`]): reports, duplicates, dry runs |
//! | `upload_source` | a sheet's bytes from a file or a stream, bounded before they are read whole |

mod cells;
mod csv_rows;
mod decode;
mod layout;
pub mod limits;
mod matching;
mod options;
mod plain_sheet;
mod problems;
mod register_rows;
mod register_upload;
mod rows;
mod sheet;
mod upload;
mod upload_source;
mod values;
mod xlsx_rows;

pub use cells::normalise;
pub use layout::{Field, HEADER_SEARCH_ROWS, HEADER_SYNONYMS, field_for_header, normalise_header};
pub use matching::{E_UPLOAD_AMBIGUOUS, E_UPLOAD_IDENTITY_KIND, E_UPLOAD_MISMATCH};
pub use options::{ImportOptions, SheetFormat, TextEncoding};
pub use problems::{
    E_UPLOAD_DATE, E_UPLOAD_DURATION, E_UPLOAD_ENCODING, E_UPLOAD_HEADER, E_UPLOAD_MISSING,
    E_UPLOAD_TIME, RowProblem,
};
pub use register_rows::{E_UPLOAD_ORG_KIND, E_UPLOAD_PHONE};
pub use register_upload::{AssignedId, RegisterReport, upload_orgs, upload_volunteers};
pub use sheet::{Sheet, SheetRow, read_sheet};
pub use upload::{ImportReport, upload};
