//! Where a sheet's header row is and what each column means: Chinese or English headers matched
//! through a table of synonyms, the header row found among the first rows, the columns a sheet
//! cannot do without, and which rows below the header are data — not blank, not a total row
//! (合计).

use super::cells::{Cell, RowCells, normalise_char};
use super::decode::sheet_error;
use crate::error::LedgerError;
use serde::{Deserialize, Serialize};

/// How many rows from the top are searched for the header row.
pub const HEADER_SEARCH_ROWS: usize = 100;

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
    /// 证件类型: the kind of identity document (a resident identity card when absent).
    IdentityKind,
    /// 手机: a volunteer's mobile number (the register only).
    Phone,
    /// 类型 / 组织类型: an org's kind (the org tree only).
    OrgKind,
    /// 上级组织: an org's parent, by id or name (the org tree only).
    Parent,
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
    ("所属组织", Field::Org),
    ("所属社区", Field::Org),
    ("所属单位", Field::Org),
    ("homeorg", Field::Org),
    ("记录编号", Field::RecordId),
    ("记录号", Field::RecordId),
    ("recordid", Field::RecordId),
    ("recordno", Field::RecordId),
    ("证件类型", Field::IdentityKind),
    ("证件种类", Field::IdentityKind),
    ("identitykind", Field::IdentityKind),
    ("identitytype", Field::IdentityKind),
    ("idtype", Field::IdentityKind),
    ("手机", Field::Phone),
    ("手机号", Field::Phone),
    ("手机号码", Field::Phone),
    ("联系电话", Field::Phone),
    ("phone", Field::Phone),
    ("mobile", Field::Phone),
];

/// The synonym table of an org-tree sheet ([`HEADER_SYNONYMS`] speaks of records: there
/// 组织编号 is the org a record is for, here the org a row makes).
pub const ORG_HEADER_SYNONYMS: &[(&str, Field)] = &[
    ("名称", Field::Name),
    ("组织名称", Field::Name),
    ("name", Field::Name),
    ("orgname", Field::Name),
    ("组织编号", Field::Org),
    ("编号", Field::Org),
    ("id", Field::Org),
    ("orgid", Field::Org),
    ("类型", Field::OrgKind),
    ("组织类型", Field::OrgKind),
    ("kind", Field::OrgKind),
    ("type", Field::OrgKind),
    ("上级组织", Field::Parent),
    ("上级", Field::Parent),
    ("上级组织编号", Field::Parent),
    ("上级组织名称", Field::Parent),
    ("parent", Field::Parent),
    ("parentorg", Field::Parent),
];

/// A header as the synonym table spells it: full-width to ASCII, lower case, and spaces, `*`,
/// `_`, `-`, `.`, `:` and line breaks removed.
pub fn normalise_header(s: &str) -> String {
    header_chars(s).collect()
}

/// The characters of a header's normalised form ([`normalise_header`]), one by one.
fn header_chars(s: &str) -> impl Iterator<Item = char> + '_ {
    s.chars()
        .map(normalise_char)
        .filter(|c| !c.is_whitespace() && !matches!(c, '*' | '_' | '-' | '.' | ':'))
        .flat_map(char::to_lowercase)
}

/// The field a header names, by [`HEADER_SYNONYMS`]; [`Field::Other`] if none.
pub fn field_for_header(header: &str) -> Field {
    field_in(HEADER_SYNONYMS, header)
}

/// The field a header names by a synonym table; [`Field::Other`] if none.
pub(super) fn field_in(table: &[(&str, Field)], header: &str) -> Field {
    let h = normalise_header(header);
    table
        .iter()
        .find(|(s, _)| *s == h)
        .map_or(Field::Other, |(_, f)| *f)
}

/// The header text of the first column of a field, as in the sheet.
pub(super) fn header_of(columns: &[(String, Field)], field: Field) -> Option<String> {
    columns
        .iter()
        .find(|(_, f)| *f == field)
        .map(|(h, _)| h.clone())
}

const TOTAL_LABELS: &[&str] = &["合计", "总计", "小计", "total", "sum"];

/// The longest total label, in bytes: an ASCII cell whose header form is longer is no label.
const TOTAL_LABEL_MAX: usize = 16;

/// The number of [`Field`]s ([`Field::Other`] is the last).
const FIELDS: usize = Field::Other as usize + 1;

pub(super) struct Layout {
    pub(super) header_row: u32,
    pub(super) columns: Vec<(String, Field)>,
    /// The first column of each field, by `Field as usize`: looked up for every cell read.
    /// Columns are fewer than [`MAX_COLUMNS`](super::limits::MAX_COLUMNS), which fits 16 bits.
    first: [Option<u16>; FIELDS],
}

impl Layout {
    fn new(header_row: u32, columns: Vec<(String, Field)>) -> Self {
        let mut first = [None; FIELDS];
        for (i, (_, f)) in columns.iter().enumerate().rev() {
            if let (Some(slot), Ok(i)) = (first.get_mut(*f as usize), u16::try_from(i)) {
                *slot = Some(i);
            }
        }
        Self {
            header_row,
            columns,
            first,
        }
    }
    pub(super) fn index(&self, field: Field) -> Option<usize> {
        self.first
            .get(field as usize)
            .copied()
            .flatten()
            .map(usize::from)
    }
    pub(super) fn header(&self, field: Field) -> Option<String> {
        self.index(field)
            .and_then(|i| self.columns.get(i))
            .map(|(h, _)| h.clone())
    }
}

/// A header row: `table` knows `min` of its cells (or more), each naming a different field.
pub(super) fn is_header_row<R: RowCells + ?Sized>(
    cells: &R,
    table: &[(&str, Field)],
    min: usize,
) -> bool {
    let mut seen: Vec<Field> = Vec::new();
    for i in cells.filled() {
        if let Cell::Text(t) = cells.cell(i) {
            let f = field_in(table, &t);
            if f != Field::Other && !seen.contains(&f) {
                seen.push(f);
            }
        }
    }
    seen.len() >= min
}

/// No header row among the first rows: `min` known headers were wanted, such as `examples`.
pub(super) fn no_header(min: usize, examples: &str) -> LedgerError {
    sheet_error(
        "header",
        format!(
            "has no row among the first {HEADER_SEARCH_ROWS} with {min} known column \
             headers such as {examples} (E_UPLOAD_HEADER)"
        ),
    )
}

/// A sheet without a column it cannot do without: `what` says which, in English with the
/// Chinese headers.
pub(super) fn no_column(what: &str) -> LedgerError {
    sheet_error("header", format!("has no {what} (E_UPLOAD_HEADER)"))
}

/// The layout a header row gives, its headers matched by `table`.
pub(super) fn layout_of<R: RowCells + ?Sized>(
    header_row: u32,
    cells: &R,
    table: &[(&str, Field)],
) -> Layout {
    let columns: Vec<(String, Field)> = (0..cells.width())
        .map(|i| {
            let text = cells.cell(i).as_text();
            let f = field_in(table, &text);
            (text, f)
        })
        .collect();
    Layout::new(header_row, columns)
}

pub(super) fn is_blank<R: RowCells + ?Sized>(cells: &R) -> bool {
    cells.filled().all(|i| cells.cell(i).is_empty())
}

/// A total row (合计, 总计, 小计, total): a total label in some cell, and no volunteer number.
pub(super) fn is_total_row<R: RowCells + ?Sized>(layout: &Layout, cells: &R) -> bool {
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

/// A total label (合计 …) in its header form ([`normalise_header`]). Asked of cells of every
/// row: the form is built in place, and given up on at its first character that no label
/// begins with.
fn is_total_label(t: &str) -> bool {
    let mut key = [0u8; TOTAL_LABEL_MAX];
    let mut len = 0;
    for c in header_chars(t) {
        let mut utf8 = [0u8; 4];
        let c = c.encode_utf8(&mut utf8).as_bytes();
        let Some(slot) = key.get_mut(len..len + c.len()) else {
            return false;
        };
        slot.copy_from_slice(c);
        len += c.len();
        let so_far = key.get(..len).unwrap_or_default();
        if !TOTAL_LABELS
            .iter()
            .any(|l| l.as_bytes().starts_with(so_far))
        {
            return false;
        }
    }
    let key = key.get(..len).unwrap_or_default();
    TOTAL_LABELS.iter().any(|l| l.as_bytes() == key)
}

#[cfg(test)]
mod tests {
    use super::*;

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
            ("所属组织", Field::Org),
            ("所属社区", Field::Org),
            ("所属单位", Field::Org),
            ("homeorg", Field::Org),
            ("记录编号", Field::RecordId),
            ("组织单位", Field::Org),
            ("序号", Field::Other),
        ] {
            assert_eq!(field_for_header(h), f, "{h}");
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

    proptest::proptest! {
        #[test]
        fn total_labels_agree_on_any_text(t in "[0-9:.\\- a]{0,10}") {
            let label = TOTAL_LABELS.contains(&normalise_header(&t).as_str());
            proptest::prop_assert_eq!(is_total_label(&t), label);
        }
    }
}
