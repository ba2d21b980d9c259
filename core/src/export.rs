//! Spreadsheet export (导出): leaderboards and service records as Excel `.xlsx` or CSV, with
//! Chinese column headers by default and English ones on request.
//!
//! Exports carry only what DESIGN §3 lets leave the core: volunteer numbers, masked names
//! (first character + `*`), org and team names. Identity numbers never appear, not even
//! masked. The columns of each file, in both languages, are listed in `docs/export.md`.
//!
//! - **CSV** is UTF-8 *with* a byte-order mark (`EF BB BF`): Excel on Chinese Windows reads a
//!   CSV without one as GBK and garbles every Chinese character; with it, Excel, LibreOffice,
//!   pandas (`encoding="utf-8-sig"`) and the importer of this crate all read it correctly.
//!   Quoting follows RFC 4180 (the `csv` crate), lines end in CRLF, and the first line is the
//!   header: a CSV has no title row. A text cell that begins with `=`, `+`, `-`, `@`, a tab or
//!   a carriage return is written with a leading `'`, so that a spreadsheet shows it as text
//!   and never runs it as a formula (CSV injection).
//! - **XLSX** has one sheet named after the period: a title row (period, scope, kind), then a
//!   bold header row (frozen, with a filter), then the data. Ranks, hours and minutes are
//!   numbers (hours shown with two decimals); dates are text `YYYY-MM-DD` and times text
//!   `HH:MM`, so that no spreadsheet reinterprets them.
//!
//! ```
//! use volunteer_ledger::*;
//! use volunteer_ledger::export::{ExportFormat, Language, leaderboard_file};
//!
//! let admin: ActorId = "admin".parse()?;
//! let mut ledger = Ledger::in_memory(LedgerConfig::new("district".parse()?, "某区", admin.clone()))?;
//! ledger.set_clock(Clock::Fixed(Timestamp::from_local(480, 2015, 6, 3, 12, 0)?));
//! ledger.register_org(&admin, NewOrg { id: "D".parse()?, name: "某区".into(), kind: OrgKind::District, parent: None })?;
//! ledger.register_volunteer(&admin, NewVolunteer {
//!     id: "V1".parse()?, name: "张三".into(), identity_kind: IdentityKind::ResidentId,
//!     identity_number: "11010519491231002X".into(), home_org: Some("D".parse()?),
//! })?;
//! let t = |h| Timestamp::from_local(480, 2015, 6, 2, h, 0);
//! ledger.add_record(&admin, NewRecord::new("R1".parse()?, "V1".parse()?, "D".parse()?, t(9)?, t(12)?, 180, "助老服务"))?;
//!
//! let board = ledger.leaderboard("2015-06".parse()?, &Scope::All, BoardKind::Volunteers, 10)?;
//! let csv = leaderboard_file(&board, ExportFormat::Csv, Language::Zh)?;
//! let text = String::from_utf8(csv).unwrap();
//! assert_eq!(text, "\u{feff}名次,志愿者编号,姓名(脱敏),服务时长(小时),服务时长(分钟)\r\n1,V1,张*,3.00,180\r\n");
//! # Ok::<(), LedgerError>(())
//! ```

use crate::error::{LedgerError, Result, invalid_field};
use crate::ids::{OrgId, VolunteerId};
use crate::ledger::Ledger;
use crate::ranking::{BoardKind, Leaderboard, Scope};
use crate::record::{RecordState, ServiceRecord};
use crate::time::Period;
use rust_xlsxwriter::{Format, FormatBorder, Workbook, XlsxError};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// The file format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// Excel workbook (`.xlsx`): one sheet, a title row, a bold header row, typed cells.
    Xlsx,
    /// CSV: UTF-8 with a byte-order mark, RFC 4180 quoting, CRLF line ends, no title row.
    Csv,
}

crate::error::named_enum!(ExportFormat, "export format", {
    Xlsx => "xlsx",
    Csv => "csv",
});

impl ExportFormat {
    /// The usual file extension, without the dot.
    pub fn extension(self) -> &'static str {
        self.as_str()
    }

    /// The media type to serve the file with.
    pub fn media_type(self) -> &'static str {
        match self {
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Csv => "text/csv; charset=utf-8",
        }
    }
}

/// The language of column headers, titles and state names. Chinese unless asked otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
#[serde(rename_all = "snake_case")]
pub enum Language {
    /// 中文 (the default).
    #[default]
    Zh,
    /// English.
    En,
}

crate::error::named_enum!(Language, "language", {
    Zh => "zh",
    En => "en",
});

/// Whose records [`records_file`] exports.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Enum))]
pub enum RecordScope {
    /// One volunteer's records, wherever they served.
    Volunteer(VolunteerId),
    /// Records served at an org or anywhere in its subtree.
    Org(OrgId),
}

// ---- the neutral table both writers take ---------------------------------------------------

/// One cell of an exported table.
enum Cell {
    /// Text, written as a string in both formats.
    Text(String),
    /// A whole number (rank, minutes).
    Int(u64),
    /// Minutes shown as hours with two decimals (`90` → `1.50`).
    Hours(u64),
    /// Nothing.
    Empty,
}

/// A table ready to write: the title and sheet name are used by XLSX only.
struct Table {
    title: String,
    sheet: String,
    headers: Vec<&'static str>,
    rows: Vec<Vec<Cell>>,
}

/// Minutes as hundredths of an hour, rounded half up.
fn hundredths(minutes: u64) -> u64 {
    let h = (u128::from(minutes) * 100 + 30) / 60;
    u64::try_from(h).unwrap_or(u64::MAX)
}

/// Hours with two decimals, as text: `90` → `1.50`.
fn hours_text(minutes: u64) -> String {
    let h = hundredths(minutes);
    format!("{}.{:02}", h / 100, h % 100)
}

fn write(table: &Table, format: ExportFormat) -> Result<Vec<u8>> {
    match format {
        ExportFormat::Csv => write_csv(table),
        ExportFormat::Xlsx => write_xlsx(table).map_err(xlsx_error),
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

fn write_csv(table: &Table) -> Result<Vec<u8>> {
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
            Cell::Empty => String::new(),
        }));
        w.write_record(&line).map_err(csv_error)?;
    }
    w.into_inner()
        .map_err(|e| invalid_field("export", "csv", format!("cannot be written: {e}")))
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

fn write_xlsx(table: &Table) -> std::result::Result<Vec<u8>, XlsxError> {
    const TITLE_ROW: u32 = 0;
    const HEADER_ROW: u32 = 1;
    const FIRST_DATA_ROW: u32 = 2;
    let title_format = Format::new().set_bold().set_font_size(14);
    let header_format = Format::new()
        .set_bold()
        .set_background_color(0xD9E1F2)
        .set_border(FormatBorder::Thin);
    let hours_format = Format::new().set_num_format("0.00");
    let int_format = Format::new().set_num_format("0");

    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name(&table.sheet))?;
    sheet.write_string_with_format(TITLE_ROW, 0, table.title.as_str(), &title_format)?;

    let mut widths: Vec<usize> = table.headers.iter().map(|h| display_width(h)).collect();
    for (col, header) in (0u16..).zip(&table.headers) {
        sheet.write_string_with_format(HEADER_ROW, col, *header, &header_format)?;
    }
    let mut row_num = FIRST_DATA_ROW;
    for row in &table.rows {
        for ((col, cell), width) in (0u16..).zip(row).zip(widths.iter_mut()) {
            let shown = match cell {
                Cell::Text(s) => {
                    sheet.write_string(row_num, col, s.as_str())?;
                    display_width(s)
                }
                Cell::Int(n) => {
                    // Ranks and minutes: exact as f64 up to 2^53, far beyond any real total.
                    sheet.write_number_with_format(row_num, col, *n as f64, &int_format)?;
                    n.to_string().len()
                }
                Cell::Hours(m) => {
                    let h = hundredths(*m) as f64 / 100.0;
                    sheet.write_number_with_format(row_num, col, h, &hours_format)?;
                    hours_text(*m).len()
                }
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
    book.save_to_buffer()
}

// ---- leaderboards -------------------------------------------------------------------------

/// `2015-06 月排行榜` / `2015-06 monthly leaderboard`: what the sheet is named.
fn board_label(period: Period, lang: Language) -> String {
    match (lang, period) {
        (Language::Zh, Period::Week { .. }) => format!("{period} 周排行榜"),
        (Language::Zh, Period::Month { .. }) => format!("{period} 月排行榜"),
        (Language::Zh, Period::Year(_)) => format!("{period} 年排行榜"),
        (Language::Zh, Period::All) => "累计排行榜".into(),
        (Language::En, Period::Week { .. }) => format!("{period} weekly leaderboard"),
        (Language::En, Period::Month { .. }) => format!("{period} monthly leaderboard"),
        (Language::En, Period::Year(_)) => format!("{period} yearly leaderboard"),
        (Language::En, Period::All) => "All-time leaderboard".into(),
    }
}

fn scope_label(scope: &Scope, lang: Language) -> String {
    match (lang, scope) {
        (Language::Zh, Scope::All) => "全部".into(),
        (Language::Zh, Scope::Org(o)) => format!("组织 {o}"),
        (Language::Zh, Scope::Team(t)) => format!("服务队 {t}"),
        (Language::En, Scope::All) => "all".into(),
        (Language::En, Scope::Org(o)) => format!("org {o}"),
        (Language::En, Scope::Team(t)) => format!("team {t}"),
    }
}

fn kind_label(kind: BoardKind, lang: Language) -> &'static str {
    match (lang, kind) {
        (Language::Zh, BoardKind::Volunteers) => "志愿者",
        (Language::Zh, BoardKind::Teams) => "服务队",
        (Language::Zh, BoardKind::Orgs) => "组织",
        (Language::En, BoardKind::Volunteers) => "volunteers",
        (Language::En, BoardKind::Teams) => "teams",
        (Language::En, BoardKind::Orgs) => "orgs",
    }
}

/// The column headers of a leaderboard file.
pub fn leaderboard_headers(kind: BoardKind, lang: Language) -> [&'static str; 5] {
    match lang {
        Language::Zh => [
            "名次",
            match kind {
                BoardKind::Volunteers => "志愿者编号",
                BoardKind::Teams => "服务队",
                BoardKind::Orgs => "组织",
            },
            match kind {
                BoardKind::Volunteers => "姓名(脱敏)",
                BoardKind::Teams | BoardKind::Orgs => "名称",
            },
            "服务时长(小时)",
            "服务时长(分钟)",
        ],
        Language::En => ["Rank", "Id", "Name", "Hours", "Minutes"],
    }
}

/// A leaderboard as a file: one line per entry with rank, id, name, hours and minutes.
///
/// The board's lines are written as they are: names are already masked (or a pseudonym,
/// whose id cell stays empty). The XLSX sheet is named after the period
/// (`2015-06 月排行榜`) and its title row adds the scope, the kind and the log entry the
/// board is as of, so a published board can be matched to [`Ledger::leaderboard_as_of`].
///
/// Refuses with `E_FIELD` only if the spreadsheet cannot be written (a board beyond Excel's
/// 1,048,576 rows).
pub fn leaderboard_file(
    board: &Leaderboard,
    format: ExportFormat,
    lang: Language,
) -> Result<Vec<u8>> {
    let label = board_label(board.period, lang);
    let scope = scope_label(&board.scope, lang);
    let kind = kind_label(board.kind, lang);
    let seq = board.as_of_seq;
    let title = match lang {
        Language::Zh => format!("{label}（范围：{scope}；{kind}；截至日志第 {seq} 条）"),
        Language::En => format!("{label} (scope: {scope}; {kind}; as of log entry {seq})"),
    };
    let rows = board
        .entries
        .iter()
        .map(|e| {
            vec![
                Cell::Int(u64::from(e.rank.unsigned_abs())),
                e.id.clone().map_or(Cell::Empty, Cell::Text),
                Cell::Text(e.name.clone()),
                Cell::Hours(e.minutes.unsigned_abs()),
                Cell::Int(e.minutes.unsigned_abs()),
            ]
        })
        .collect();
    let table = Table {
        title,
        sheet: label,
        headers: leaderboard_headers(board.kind, lang).to_vec(),
        rows,
    };
    write(&table, format)
}

// ---- records -------------------------------------------------------------------------------

/// The column headers of a records file.
pub fn record_headers(lang: Language) -> [&'static str; 17] {
    match lang {
        Language::Zh => [
            "记录编号",
            "志愿者编号",
            "姓名",
            "组织编号",
            "组织名称",
            "服务队编号",
            "活动",
            "服务日期",
            "开始时间",
            "结束时间",
            "服务时长(小时)",
            "服务时长(分钟)",
            "服务内容",
            "状态",
            "是否计入",
            "补录",
            "来源",
        ],
        Language::En => [
            "Record ID",
            "Volunteer ID",
            "Name",
            "Org ID",
            "Org name",
            "Team ID",
            "Activity",
            "Date",
            "Start",
            "End",
            "Hours",
            "Minutes",
            "Content",
            "State",
            "Counted",
            "Make-up",
            "Source",
        ],
    }
}

fn state_label(state: RecordState, lang: Language) -> &'static str {
    match lang {
        Language::Zh => match state {
            RecordState::Pending => "待确认",
            RecordState::Confirmed => "已确认",
            RecordState::Amended => "已更正",
            RecordState::Revoked => "已撤销",
            RecordState::Disputed => "申诉中",
        },
        Language::En => state.as_str(),
    }
}

fn source_label(source: crate::record::RecordSource, lang: Language) -> &'static str {
    use crate::record::RecordSource as S;
    match lang {
        Language::Zh => match source {
            S::CheckIn => "签到签退",
            S::Entry => "录入",
            S::Import => "导入",
            S::Transfer => "转移接续",
        },
        Language::En => source.as_str(),
    }
}

fn yes_no(b: bool, lang: Language) -> &'static str {
    match (lang, b) {
        (Language::Zh, true) => "是",
        (Language::Zh, false) => "否",
        (Language::En, true) => "yes",
        (Language::En, false) => "no",
    }
}

/// Looks names up once per volunteer, org and team.
struct Names<'a> {
    ledger: &'a Ledger,
    volunteers: HashMap<VolunteerId, String>,
    orgs: HashMap<OrgId, String>,
}

impl<'a> Names<'a> {
    fn new(ledger: &'a Ledger) -> Self {
        Self {
            ledger,
            volunteers: HashMap::new(),
            orgs: HashMap::new(),
        }
    }

    fn volunteer(&mut self, id: &VolunteerId) -> Result<String> {
        if let Some(n) = self.volunteers.get(id) {
            return Ok(n.clone());
        }
        let n = self.ledger.volunteer(id)?.masked_name;
        self.volunteers.insert(id.clone(), n.clone());
        Ok(n)
    }

    fn org(&mut self, id: &OrgId) -> Result<String> {
        if let Some(n) = self.orgs.get(id) {
            return Ok(n.clone());
        }
        let n = self.ledger.org(id)?.name;
        self.orgs.insert(id.clone(), n.clone());
        Ok(n)
    }
}

/// A volunteer's records, or an org subtree's, for a period as a file: one line per record
/// whose start falls in the period (by the local date of its start in the ledger's UTC
/// offset), in every state, oldest first (ties by record id).
///
/// Names are masked (first character + `*`, from [`Ledger::volunteer`]); identity numbers are
/// never written. The state column tells counted records from the rest (待确认, 已确认,
/// 已更正, 已撤销, 申诉中), and 是否计入 says whether a line counts in totals and boards.
/// Dates are `YYYY-MM-DD` and times `HH:MM` in the ledger's offset; an end on a later local
/// day than the start is written `YYYY-MM-DD HH:MM`.
///
/// Refuses with `E_UNKNOWN_VOLUNTEER` or `E_UNKNOWN_ORG` for a scope that does not exist, and
/// with `E_FIELD` if the spreadsheet cannot be written (more than 1,048,576 rows in XLSX).
pub fn records_file(
    ledger: &Ledger,
    scope: RecordScope,
    period: Period,
    format: ExportFormat,
    lang: Language,
) -> Result<Vec<u8>> {
    let off = ledger.utc_offset();
    let mut names = Names::new(ledger);
    let (records, who) = match &scope {
        RecordScope::Volunteer(v) => {
            let masked = names.volunteer(v)?;
            let who = match lang {
                Language::Zh => format!("志愿者 {v} {masked}"),
                Language::En => format!("volunteer {v} {masked}"),
            };
            (ledger.records_of(v)?, who)
        }
        RecordScope::Org(o) => {
            let records = ledger.records_of_org(o)?;
            let name = names.org(o)?;
            let who = match lang {
                Language::Zh => format!("组织 {o} {name} 及下级"),
                Language::En => format!("org {o} {name} and below"),
            };
            (records, who)
        }
    };
    let mut records: Vec<ServiceRecord> = records
        .into_iter()
        .filter(|r| period.contains(r.record.start.local_date(off)))
        .collect();
    records.sort_by(|a, b| {
        (a.record.start, a.record.id.as_str()).cmp(&(b.record.start, b.record.id.as_str()))
    });

    let mut rows = Vec::with_capacity(records.len());
    for r in &records {
        let n = &r.record;
        let start = n.start.to_datetime(off);
        let end = n.end.to_datetime(off);
        let end_text = if end.date_naive() == start.date_naive() {
            end.format("%H:%M").to_string()
        } else {
            end.format("%Y-%m-%d %H:%M").to_string()
        };
        let minutes = n.minutes.unsigned_abs();
        rows.push(vec![
            Cell::Text(n.id.to_string()),
            Cell::Text(n.volunteer.to_string()),
            Cell::Text(names.volunteer(&n.volunteer)?),
            Cell::Text(n.org.to_string()),
            Cell::Text(names.org(&n.org)?),
            // The team's id, as an upload reads it back (import → export → import is a fixed point).
            match &n.team {
                Some(t) => Cell::Text(t.to_string()),
                None => Cell::Empty,
            },
            n.activity
                .as_ref()
                .map_or(Cell::Empty, |a| Cell::Text(a.to_string())),
            Cell::Text(start.format("%Y-%m-%d").to_string()),
            Cell::Text(start.format("%H:%M").to_string()),
            Cell::Text(end_text),
            Cell::Hours(minutes),
            Cell::Int(minutes),
            Cell::Text(n.content.clone()),
            Cell::Text(state_label(r.state, lang).into()),
            Cell::Text(yes_no(r.counted, lang).into()),
            Cell::Text(yes_no(r.make_up, lang).into()),
            Cell::Text(source_label(n.source, lang).into()),
        ]);
    }

    let period_text = match (lang, period) {
        (Language::Zh, Period::All) => "全部时间".to_owned(),
        (Language::En, Period::All) => "all time".to_owned(),
        _ => period.to_string(),
    };
    let (title, sheet) = match lang {
        Language::Zh => (
            format!("志愿服务记录 {period_text}（{who}）"),
            format!("服务记录 {period_text}"),
        ),
        Language::En => (
            format!("Service records {period_text} ({who})"),
            format!("Records {period_text}"),
        ),
    };
    let table = Table {
        title,
        sheet,
        headers: record_headers(lang).to_vec(),
        rows,
    };
    write(&table, format)
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
    fn names_parse() {
        assert_eq!(ExportFormat::parse("xlsx").ok(), Some(ExportFormat::Xlsx));
        assert_eq!(Language::parse("en").ok(), Some(Language::En));
        assert_eq!(Language::default(), Language::Zh);
        assert!(Language::parse("fr").is_err());
    }
}
