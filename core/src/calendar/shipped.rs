//! The calendars shipped with the library, read once from the data files in
//! `core/data/calendars/` (compiled in).

use super::CalendarYear;
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::sync::OnceLock;

/// The names of the shipped calendars: `cn-state-council`, the State Council's yearly notices
/// of public holidays and adjusted working days (国务院办公厅关于部分节假日安排的通知), 2015–2026.
pub const SHIPPED_CALENDARS: &[&str] = &["cn-state-council"];

const CN_STATE_COUNCIL: &str = include_str!("../../data/calendars/cn-state-council.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    year: Vec<YearText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearText {
    year: i32,
    holidays: Vec<String>,
    working_days: Vec<String>,
}

/// A shipped calendar's years, or why its file does not read (a test reads every file).
pub(super) fn parse(text: &str) -> Result<BTreeMap<i32, CalendarYear>, String> {
    let file: File = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut years = BTreeMap::new();
    for y in file.year {
        let c = CalendarYear::new(y.year, days(&y.holidays)?, days(&y.working_days)?);
        c.check().map_err(|e| e.to_string())?;
        if years.insert(y.year, c).is_some() {
            return Err(format!("{} is listed twice", y.year));
        }
    }
    Ok(years)
}

/// "2015-02-18" or a range "2015-02-18..2015-02-24" (both ends included), at most 31 days.
fn days(texts: &[String]) -> Result<Vec<NaiveDate>, String> {
    let day = |s: &str| {
        s.parse::<NaiveDate>()
            .map_err(|e| format!("'{s}' is not a date: {e}"))
    };
    let mut out = Vec::new();
    for t in texts {
        let (first, last) = match t.split_once("..") {
            Some((a, b)) => (day(a)?, day(b)?),
            None => (day(t)?, day(t)?),
        };
        let mut d = first;
        if (last - first).num_days() > 31 || last < first {
            return Err(format!("'{t}' is not a range of 1 to 32 days"));
        }
        while d <= last {
            out.push(d);
            d = d
                .succ_opt()
                .ok_or_else(|| format!("'{t}' runs past the calendar"))?;
        }
    }
    Ok(out)
}

fn cn_state_council() -> &'static BTreeMap<i32, CalendarYear> {
    static YEARS: OnceLock<BTreeMap<i32, CalendarYear>> = OnceLock::new();
    // The file is compiled in and read by a test: it cannot fail to parse at run time.
    YEARS.get_or_init(|| parse(CN_STATE_COUNCIL).unwrap_or_default())
}

/// A shipped calendar's year, borrowed.
pub(super) fn shipped_year(name: &str, year: i32) -> Option<&'static CalendarYear> {
    match name {
        "cn-state-council" => cn_state_council().get(&year),
        _ => None,
    }
}

/// A year of a shipped calendar (see [`SHIPPED_CALENDARS`]); `None` for a name not shipped or
/// a year it does not hold.
pub fn shipped_calendar(name: &str, year: i32) -> Option<CalendarYear> {
    shipped_year(name, year).cloned()
}

#[cfg(test)]
pub(super) fn cn_state_council_text() -> &'static str {
    CN_STATE_COUNCIL
}
