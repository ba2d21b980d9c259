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
//!   numbers (hours shown with two decimals); dates are Excel date cells shown `yyyy-mm-dd`
//!   and start and end times date-and-time cells shown `yyyy-mm-dd hh:mm`, so that a
//!   spreadsheet sorts, filters and subtracts them as dates.
//!
//! The exchange export ([`exchange_file`]) writes an org subtree's volunteers, teams,
//! projects, service records, training, commendations and activity evaluations for another
//! system, mapped to the national data items as far as they are public (`docs/exchange.md`).
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

mod exchange;
mod table;

pub use exchange::{
    EXCHANGE_LAYOUT_VERSION, EXCHANGE_SETS, ExchangeSet, exchange_file, exchange_headers,
};

use crate::error::Result;
use crate::ids::{OrgId, VolunteerId};
use crate::ledger::Ledger;
use crate::ranking::{BoardKind, Leaderboard, Scope};
use crate::record::{RecordState, ServiceRecord};
use crate::time::Period;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use table::{Cell, Table, write};

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
/// In CSV, dates are `YYYY-MM-DD` and times `HH:MM` in the ledger's offset, and an end on a
/// later local day than the start is written `YYYY-MM-DD HH:MM`. In XLSX the date is an
/// Excel date cell (`yyyy-mm-dd`) and start and end are date-and-time cells
/// (`yyyy-mm-dd hh:mm`), local time.
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
            Cell::Date(start.date_naive()),
            Cell::DateTime(start.naive_local(), start.format("%H:%M").to_string()),
            Cell::DateTime(end.naive_local(), end_text),
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
    fn names_parse() {
        assert_eq!(ExportFormat::parse("xlsx").ok(), Some(ExportFormat::Xlsx));
        assert_eq!(Language::parse("en").ok(), Some(Language::En));
        assert_eq!(Language::default(), Language::Zh);
        assert!(Language::parse("fr").is_err());
    }
}
