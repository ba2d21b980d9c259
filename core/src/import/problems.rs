//! Why a row is not recorded: a [`RowProblem`] names the row, the column at fault and a stable
//! code, with a message in English and in Chinese. The upload codes; the core's refusals as
//! row problems, with the column each points at; and no message names a person or an identity
//! number: a cell's text is quoted only when it is short and holds nothing but digits and date
//! or time punctuation, and long runs of digits are withheld.

use super::cells::{Cell, normalise};
use super::layout::{Field, header_of};
use crate::error::LedgerError;
use serde::{Deserialize, Serialize};

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

/// Why a row was not recorded: where, a stable code, and a message in English and Chinese that
/// names no person and no identity number.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(frozen, get_all, eq, module = "volunteer_ledger", name = "RowProblem")
)]
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

/// A problem with an upload code, in both languages.
pub(super) fn problem(
    row: u32,
    column: Option<String>,
    code: &str,
    en: String,
    zh: String,
) -> RowProblem {
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
pub(super) fn core_problem(row: u32, column: Option<String>, e: &LedgerError) -> RowProblem {
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
            let (en, zh) = e.messages();
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

/// A cell's text, quoted in a message only if it cannot hold a name or an identity number:
/// at most 12 characters, digits and date/time punctuation only. English and Chinese quoting.
pub(super) fn quote(cell: &Cell<'_>) -> (String, String) {
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

/// The column a core refusal points at.
pub(super) fn column_for(columns: &[(String, Field)], e: &LedgerError) -> Option<String> {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_split_into_english_and_chinese() {
        let e = LedgerError::Overlap {
            record: "R1".into(),
            other: "R0".into(),
        };
        let (en, zh) = e.messages();
        assert_eq!(en, "record R1: overlaps record R0 of the same volunteer");
        assert_eq!(zh, "服务记录 R1：与同一志愿者的服务记录 R0 时间重叠");
        let e = LedgerError::InvalidPeriod {
            text: "x / y".into(),
            detail: "bad".into(),
        };
        let (en, zh) = e.messages();
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
}
