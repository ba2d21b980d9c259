//! How to read a sheet: its file format, the text encoding of a CSV sheet, the UTC offset of
//! its local dates and times, the org of rows that name none, and the worksheet of a workbook.

use crate::ids::OrgId;
use serde::{Deserialize, Serialize};

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
    /// [`read_sheet`](super::read_sheet). [`upload`](super::upload) uses the ledger's own offset instead.
    pub utc_offset_minutes: i32,
    /// The org of rows whose sheet has no org column, or whose org cell is empty.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub default_org: Option<OrgId>,
    /// The worksheet of an xlsx workbook to read; `None` reads the first.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub sheet: Option<String>,
    /// On upload, a row that overlaps a counted record of its volunteer and differs from it
    /// (a corrected sheet) amends that record — logged and authorised as any amendment, its
    /// certificates superseded — instead of being refused with `E_OVERLAP`. A row holding
    /// the same service as a counted record is a duplicate either way.
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    #[serde(default)]
    pub amend_changed: bool,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            format: None,
            encoding: TextEncoding::Auto,
            utc_offset_minutes: crate::org::DEFAULT_UTC_OFFSET_MINUTES,
            default_org: None,
            sheet: None,
            amend_changed: false,
        }
    }
}
