//! From a data row to a record: who served and for which org, when (the service date, the
//! start and the end, in the sheet's local time), how long (hours or minutes, else the span),
//! and what (activity, team, content) — or the [`RowProblem`] that says why the row makes none.
//! A row without a record id of its own gets one made of the sheet's fingerprint and the row's
//! number, so that the same sheet uploaded again records nothing twice.

use super::cells::{Cell, RowCells, normalise};
use super::layout::{Field, HEADER_SYNONYMS, Layout, no_column};
use super::matching::PersonCells;
use super::options::ImportOptions;
use super::problems::{
    E_UPLOAD_DATE, E_UPLOAD_DURATION, E_UPLOAD_MISSING, E_UPLOAD_TIME, RowProblem, core_problem,
    problem, quote,
};
use super::sheet::{RowContext, RowReader};
use super::values::{parse_date, parse_duration, parse_time};
use crate::ids::{ActivityId, OrgId, RecordId, TeamId, VolunteerId};
use crate::record::{NewRecord, RecordSource};
use crate::time::Timestamp;
use chrono::{FixedOffset, NaiveDate, TimeZone};

/// The reader of record sheets: each data row makes a record. A sheet names who served by
/// volunteer number or by identity number (matched on upload against the ledger's register), and the org by id
/// or, on upload, by its unique name.
pub(super) struct Records;

impl RowReader for Records {
    type Item = NewRecord;

    fn headers(&self) -> &'static [(&'static str, Field)] {
        HEADER_SYNONYMS
    }

    fn example_headers(&self) -> &'static str {
        "志愿者编号, 服务日期, 开始时间"
    }

    fn check(&self, layout: &Layout, opts: &ImportOptions) -> crate::error::Result<()> {
        if layout.index(Field::Volunteer).is_none() && layout.index(Field::IdentityNumber).is_none()
        {
            return Err(no_column(
                "volunteer number column (志愿者编号 / volunteer number) and no identity \
                 number column (证件号码 / identity number)",
            ));
        }
        if layout.index(Field::Org).is_none() && opts.default_org.is_none() {
            return Err(no_column(
                "org column (组织编号 / org) and no default org was given",
            ));
        }
        Ok(())
    }

    fn read<R: RowCells + ?Sized>(
        &self,
        layout: &Layout,
        cells: &R,
        row: u32,
        at: &RowContext<'_>,
    ) -> RowResult<NewRecord> {
        let data = DataRow { layout, cells, row };
        let (volunteer, org, id) = data.who(at)?;
        let (start, end) = data.when(at.off)?;
        let minutes = data.how_long(start, end)?;
        let (activity, team) = data.what()?;
        let mut r = NewRecord::new(
            id,
            volunteer,
            org,
            start,
            end,
            minutes,
            data.text_of(Field::Content).unwrap_or_default(),
        );
        r.source = RecordSource::Import;
        r.activity = activity;
        r.team = team;
        Ok(r)
    }
}

/// A problem with a row, or the row's record so far.
type RowResult<T> = std::result::Result<T, RowProblem>;

/// One data row as it is read into a record: its cells by field, and the problems it can have.
struct DataRow<'r, R: ?Sized> {
    layout: &'r Layout,
    cells: &'r R,
    row: u32,
}

impl<R: RowCells + ?Sized> DataRow<'_, R> {
    /// The cell of a field's first column; empty if the sheet has no such column or the row
    /// ends before it.
    fn cell(&self, f: Field) -> Cell<'_> {
        self.layout
            .index(f)
            .map_or(Cell::Empty, |i| self.cells.cell(i))
    }

    /// The header of a field's first column, as in the sheet.
    fn col(&self, f: Field) -> Option<String> {
        self.layout.header(f)
    }

    /// The text of a field's cell, if it is not empty.
    fn text_of(&self, f: Field) -> Option<String> {
        let c = self.cell(f);
        (!c.is_empty()).then(|| c.as_text())
    }

    /// Who served, for which org, and the record's id.
    fn who(&self, at: &RowContext<'_>) -> RowResult<(VolunteerId, OrgId, RecordId)> {
        let row = self.row;
        let volunteer = self.volunteer(at)?;
        let org_cell = self.cell(Field::Org);
        let org = if org_cell.is_empty() {
            match &at.opts.default_org {
                Some(o) => o.clone(),
                None => return Err(self.missing(Field::Org, "the org", "组织编号")),
            }
        } else if let Some(m) = at.matcher {
            m.org(row, self.col(Field::Org), org_cell.as_id())?
        } else {
            OrgId::new(org_cell.as_id()).map_err(|e| core_problem(row, self.col(Field::Org), &e))?
        };
        let id_cell = self.cell(Field::RecordId);
        let id = if id_cell.is_empty() {
            RecordId::new(made_up_id(&at.prefix, row))
        } else {
            RecordId::new(id_cell.as_id())
        }
        .map_err(|e| core_problem(row, self.col(Field::RecordId), &e))?;
        Ok((volunteer, org, id))
    }

    /// Who served: the volunteer number; a row without one, on upload, the volunteer its
    /// identity number is registered to (its name, if given, checked against the register).
    fn volunteer(&self, at: &RowContext<'_>) -> RowResult<VolunteerId> {
        let row = self.row;
        let vol_cell = self.cell(Field::Volunteer);
        if !vol_cell.is_empty() {
            return VolunteerId::new(vol_cell.as_id())
                .map_err(|e| core_problem(row, self.col(Field::Volunteer), &e));
        }
        let number_cell = self.cell(Field::IdentityNumber);
        if number_cell.is_empty() {
            return Err(self.missing(Field::Volunteer, "the volunteer number", "志愿者编号"));
        }
        let Some(matcher) = at.matcher else {
            return Err(self.matched_on_upload());
        };
        let person = PersonCells {
            number: (number_cell, self.col(Field::IdentityNumber)),
            kind: (
                self.cell(Field::IdentityKind),
                self.col(Field::IdentityKind),
            ),
            name: self
                .text_of(Field::Name)
                .map(|n| (n, self.col(Field::Name))),
        };
        matcher.volunteer(row, &person)
    }

    /// A row that names its volunteer by identity number only, read without a ledger.
    fn matched_on_upload(&self) -> RowProblem {
        let row = self.row;
        problem(
            row,
            self.col(Field::IdentityNumber),
            E_UPLOAD_MISSING,
            format!(
                "row {row}: the volunteer is named by identity number only, which is matched \
                 against a ledger's register on upload"
            ),
            format!("第 {row} 行：仅以证件号码指明志愿者，须在上传时与账本的登记信息匹配"),
        )
    }

    /// The start and the end: the service date (else the start's own date), and the start
    /// and end times of day or dates and times, in the sheet's local time.
    fn when(&self, off: FixedOffset) -> RowResult<(Timestamp, Timestamp)> {
        let date_cell = self.cell(Field::Date);
        let date = if date_cell.is_empty() {
            None
        } else {
            Some(parse_date(&date_cell).ok_or_else(|| self.bad_date(&date_cell, Field::Date))?)
        };
        let start_cell = self.cell(Field::Start);
        let end_cell = self.cell(Field::End);
        if start_cell.is_empty() || end_cell.is_empty() {
            return Err(self.no_start_or_end(start_cell.is_empty()));
        }
        let (start_date, start_min) =
            parse_time(&start_cell).ok_or_else(|| self.bad_time(&start_cell, Field::Start))?;
        let (end_date, end_min) =
            parse_time(&end_cell).ok_or_else(|| self.bad_time(&end_cell, Field::End))?;
        let Some(day) = date.or(start_date) else {
            return Err(self.missing(Field::Date, "the service date", "服务日期"));
        };
        let end_day = end_date.or(date).unwrap_or(day);
        let midnight =
            local_midnight(off, day).ok_or_else(|| self.bad_date(&date_cell, Field::Date))?;
        let end_midnight = if end_day == day {
            Some(midnight)
        } else {
            local_midnight(off, end_day)
        }
        .ok_or_else(|| self.bad_date(&date_cell, Field::Date))?;
        let start = Timestamp(midnight + i64::from(start_min) * 60);
        let end = Timestamp(end_midnight + i64::from(end_min) * 60);
        Ok((start, end))
    }

    /// The minutes of actual service: the hours column, else the minutes column, else the
    /// span from start to end.
    fn how_long(&self, start: Timestamp, end: Timestamp) -> RowResult<u32> {
        let hours_cell = self.cell(Field::Hours);
        let minutes_cell = self.cell(Field::Minutes);
        Ok(if !hours_cell.is_empty() {
            parse_duration(&hours_cell, 60.0)
                .ok_or_else(|| self.bad_duration(&hours_cell, Field::Hours))?
        } else if !minutes_cell.is_empty() {
            parse_duration(&minutes_cell, 1.0)
                .ok_or_else(|| self.bad_duration(&minutes_cell, Field::Minutes))?
        } else {
            u32::try_from(((end.0 - start.0) / 60).max(0)).unwrap_or(u32::MAX)
        })
    }

    /// The activity and the team the row names, if any.
    fn what(&self) -> RowResult<(Option<ActivityId>, Option<TeamId>)> {
        let row = self.row;
        let activity = self
            .text_of(Field::Activity)
            .map(ActivityId::new)
            .transpose()
            .map_err(|e| core_problem(row, self.col(Field::Activity), &e))?;
        let team = self
            .text_of(Field::Team)
            .map(|t| TeamId::new(normalise(&t).trim()))
            .transpose()
            .map_err(|e| core_problem(row, self.col(Field::Team), &e))?;
        Ok((activity, team))
    }

    /// A required cell is empty.
    fn missing(&self, f: Field, en: &str, zh: &str) -> RowProblem {
        let row = self.row;
        problem(
            row,
            self.col(f),
            E_UPLOAD_MISSING,
            format!("row {row}: {en} is empty"),
            format!("第 {row} 行：{zh}为空"),
        )
    }

    /// The start (`start_empty`) or the end is empty.
    fn no_start_or_end(&self, start_empty: bool) -> RowProblem {
        let row = self.row;
        let which = if start_empty {
            Field::Start
        } else {
            Field::End
        };
        problem(
            row,
            self.col(which)
                .or_else(|| self.col(Field::Start))
                .or_else(|| self.col(Field::End)),
            E_UPLOAD_TIME,
            format!(
                "row {row}: a start and an end time are both needed; a date and a duration \
                 alone are not enough"
            ),
            format!("第 {row} 行：须填写开始时间和结束时间，仅有日期和时长不足以记录"),
        )
    }

    /// A cell that holds no value of its kind in a known form: the problem, its messages made
    /// by `en` and `zh` from the row and the cell's text as [`quote`] quotes it.
    fn bad_cell(
        &self,
        c: &Cell<'_>,
        f: Field,
        code: &str,
        en: impl FnOnce(u32, &str) -> String,
        zh: impl FnOnce(u32, &str) -> String,
    ) -> RowProblem {
        let (q, qz) = quote(c);
        problem(
            self.row,
            self.col(f),
            code,
            en(self.row, &q),
            zh(self.row, &qz),
        )
    }

    /// A date cell that holds no real date in a known form.
    fn bad_date(&self, c: &Cell<'_>, f: Field) -> RowProblem {
        let en = |row, q: &str| {
            format!(
                "row {row}: the date{q} is not a real date in a known form \
                 (2015-06-02, 2015/6/2, 2015年6月2日, 20150602 or an Excel date)"
            )
        };
        let zh = |row, qz: &str| {
            format!(
                "第 {row} 行：日期{qz}无效或格式无法识别（可用 2015-06-02、2015/6/2、2015年6月2日、\
                 20150602 或 Excel 日期）"
            )
        };
        self.bad_cell(c, f, E_UPLOAD_DATE, en, zh)
    }

    /// A time cell that holds no time of day in a known form.
    fn bad_time(&self, c: &Cell<'_>, f: Field) -> RowProblem {
        let en = |row, q: &str| {
            format!(
                "row {row}: the time{q} is not a time of day in a known form \
                 (9:00, 09:00:00, 9时30分 or an Excel time)"
            )
        };
        let zh = |row, qz: &str| {
            format!(
                "第 {row} 行：时间{qz}无效或格式无法识别（可用 9:00、09:00:00、9时30分 或 Excel 时间）"
            )
        };
        self.bad_cell(c, f, E_UPLOAD_TIME, en, zh)
    }

    /// A duration cell that holds no number of hours or minutes in a known form.
    fn bad_duration(&self, c: &Cell<'_>, f: Field) -> RowProblem {
        let en = |row, q: &str| {
            format!(
                "row {row}: the duration{q} is not a number of hours in a known form \
                 (2, 2.5, 2.5小时, 150分钟)"
            )
        };
        let zh = |row, qz: &str| {
            format!("第 {row} 行：服务时长{qz}无效（可用 2、2.5、2.5小时、150分钟）")
        };
        self.bad_cell(c, f, E_UPLOAD_DURATION, en, zh)
    }
}

/// A made-up record id, `{prefix}-{row}`, written digit by digit: one is made for most rows
/// of most sheets, and the formatting machinery cost more than the rest of the id.
fn made_up_id(prefix: &str, row: u32) -> String {
    let mut digits = [0u8; 10];
    let mut n = row;
    let mut from = digits.len();
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
        from -= 1;
        if n == 0 {
            break;
        }
    }
    let digits = digits
        .get(from..)
        .and_then(|d| std::str::from_utf8(d).ok())
        .unwrap_or_default();
    let mut id = String::with_capacity(prefix.len() + 1 + digits.len());
    id.push_str(prefix);
    id.push('-');
    id.push_str(digits);
    id
}

/// The instant of a local date's midnight, in seconds: what [`Timestamp::from_local`] gives,
/// with the offset checked once per sheet rather than once per time.
fn local_midnight(off: FixedOffset, day: NaiveDate) -> Option<i64> {
    Some(
        off.from_local_datetime(&day.and_hms_opt(0, 0, 0)?)
            .single()?
            .timestamp(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_up_ids_read_prefix_dash_row() {
        for row in [
            0,
            1,
            9,
            10,
            99,
            100,
            12345,
            999_999_999,
            1_000_000_000,
            u32::MAX,
        ] {
            assert_eq!(made_up_id("abc", row), format!("abc-{row}"));
        }
    }
}
