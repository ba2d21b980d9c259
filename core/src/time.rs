//! Time in the ledger: instants as Unix seconds, and periods (`2015-W23`, `2015-06`, `2015`,
//! `all`) of the ledger's local time (one fixed UTC offset; China has no daylight saving).

use crate::error::{LedgerError, Result};
use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, TimeZone, Weekday};
use serde::{Deserialize, Serialize};
use std::fmt;

/// An instant, in whole seconds since 1970-01-01T00:00:00Z.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

// Crosses to Kotlin as `java.time.Instant` and to Swift as `Date`.
#[cfg(feature = "uniffi")]
uniffi::custom_type!(Timestamp, std::time::SystemTime, {
    lower: |t| {
        let secs = t.0.unsigned_abs();
        if t.0 >= 0 {
            std::time::UNIX_EPOCH + std::time::Duration::from_secs(secs)
        } else {
            std::time::UNIX_EPOCH - std::time::Duration::from_secs(secs)
        }
    },
    try_lift: |st| Ok(Timestamp::from_system_time(st)),
});

impl Timestamp {
    /// The current system time.
    pub fn now() -> Self {
        Self(chrono::Utc::now().timestamp())
    }

    /// From a system time, truncated to whole seconds (towards the past).
    pub fn from_system_time(t: std::time::SystemTime) -> Self {
        match t.duration_since(std::time::UNIX_EPOCH) {
            Ok(d) => Self(i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
            Err(e) => {
                let d = e.duration();
                let secs = i64::try_from(d.as_secs()).unwrap_or(i64::MAX);
                Self(if d.subsec_nanos() > 0 {
                    -secs - 1
                } else {
                    -secs
                })
            }
        }
    }

    /// From a local date and time in a UTC offset (minutes east of UTC).
    pub fn from_local(
        offset_minutes: i32,
        y: i32,
        m: u32,
        d: u32,
        hh: u32,
        mm: u32,
    ) -> Result<Self> {
        let off = offset(offset_minutes)?;
        let date = NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| bad_date(y, m, d))?;
        let naive = date
            .and_hms_opt(hh, mm, 0)
            .ok_or_else(|| bad_date(y, m, d))?;
        off.from_local_datetime(&naive)
            .single()
            .map(|t| Self(t.timestamp()))
            .ok_or_else(|| bad_date(y, m, d))
    }

    /// Parses RFC 3339 (`2015-06-02T09:00:00+08:00`).
    pub fn parse_rfc3339(s: &str) -> Result<Self> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| Self(t.timestamp()))
            .map_err(|e| {
                crate::error::invalid_field(
                    "timestamp",
                    "time",
                    format!("'{s}' is not RFC 3339: {e}"),
                )
            })
    }

    /// The local date of this instant in an offset.
    /// Instants whose local time chrono cannot represent give 1970-01-01.
    pub fn local_date(self, off: FixedOffset) -> NaiveDate {
        self.0
            .checked_add(i64::from(off.local_minus_utc()))
            .and_then(|local| DateTime::from_timestamp(local, 0))
            .map(|d| d.date_naive())
            .unwrap_or_default()
    }

    /// This instant as a date-time in an offset (the Unix epoch for instants whose local time
    /// chrono cannot represent).
    pub fn to_datetime(self, off: FixedOffset) -> DateTime<FixedOffset> {
        let representable = self
            .0
            .checked_add(i64::from(off.local_minus_utc()))
            .and_then(|local| DateTime::from_timestamp(local, 0))
            .is_some();
        let utc = if representable {
            DateTime::from_timestamp(self.0, 0)
        } else {
            None
        };
        utc.unwrap_or_default().with_timezone(&off)
    }

    /// RFC 3339 text in an offset.
    pub fn to_rfc3339(self, off: FixedOffset) -> String {
        self.to_datetime(off).to_rfc3339()
    }
}

fn bad_date(y: i32, m: u32, d: u32) -> LedgerError {
    crate::error::invalid_field(
        "timestamp",
        "date",
        format!("{y:04}-{m:02}-{d:02} is not a date"),
    )
}

/// A fixed offset from minutes east of UTC (−14 h to +14 h).
pub fn offset(minutes: i32) -> Result<FixedOffset> {
    if !(-14 * 60..=14 * 60).contains(&minutes) {
        return Err(crate::error::invalid_field(
            "ledger",
            "utc_offset_minutes",
            "beyond ±14 hours",
        ));
    }
    FixedOffset::east_opt(minutes * 60)
        .ok_or_else(|| crate::error::invalid_field("ledger", "utc_offset_minutes", "out of range"))
}

/// A reporting period of the ledger's local time.
///
/// ```
/// use volunteer_ledger::Period;
/// let p: Period = "2015-W53".parse().unwrap();
/// assert_eq!(p.to_string(), "2015-W53");
/// assert_eq!(p.previous().unwrap().to_string(), "2015-W52");
/// let d = chrono::NaiveDate::from_ymd_opt(2015, 12, 31).unwrap();
/// assert_eq!(Period::week_of(d), p); // 2015-12-31 is in ISO week 2015-W53
/// assert!("2015-13".parse::<Period>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub enum Period {
    /// An ISO week (Monday first) of an ISO week-year.
    Week {
        /// The ISO week-year.
        year: i32,
        /// The week, 1..=52 or 53.
        week: u32,
    },
    /// A calendar month.
    Month {
        /// The year.
        year: i32,
        /// The month, 1..=12.
        month: u32,
    },
    /// A calendar year.
    Year(i32),
    /// All time.
    All,
}

impl Period {
    /// The ISO week holding a local date.
    pub fn week_of(d: NaiveDate) -> Self {
        let w = d.iso_week();
        Self::Week {
            year: w.year(),
            week: w.week(),
        }
    }
    /// The month holding a local date.
    pub fn month_of(d: NaiveDate) -> Self {
        Self::Month {
            year: d.year(),
            month: d.month(),
        }
    }
    /// The year holding a local date.
    pub fn year_of(d: NaiveDate) -> Self {
        Self::Year(d.year())
    }
    /// The four periods a local day belongs to: week, month, year, all.
    pub fn all_of(d: NaiveDate) -> [Self; 4] {
        [
            Self::week_of(d),
            Self::month_of(d),
            Self::year_of(d),
            Self::All,
        ]
    }

    /// Whether a local date falls in this period.
    pub fn contains(&self, d: NaiveDate) -> bool {
        match *self {
            Self::Week { .. } => Self::week_of(d) == *self,
            Self::Month { .. } => Self::month_of(d) == *self,
            Self::Year(y) => d.year() == y,
            Self::All => true,
        }
    }

    /// The first and last local dates of the period (`None` for `all`).
    pub fn date_range(&self) -> Option<(NaiveDate, NaiveDate)> {
        match *self {
            Self::Week { year, week } => {
                let first = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)?;
                Some((first, first.checked_add_signed(Duration::days(6))?))
            }
            Self::Month { year, month } => {
                let first = NaiveDate::from_ymd_opt(year, month, 1)?;
                let next = if month == 12 {
                    NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?
                } else {
                    NaiveDate::from_ymd_opt(year, month.checked_add(1)?, 1)?
                };
                Some((first, next.pred_opt()?))
            }
            Self::Year(y) => Some((
                NaiveDate::from_ymd_opt(y, 1, 1)?,
                NaiveDate::from_ymd_opt(y, 12, 31)?,
            )),
            Self::All => None,
        }
    }

    /// The period just before this one (`None` for `all`, or past the calendar's range).
    pub fn previous(&self) -> Option<Self> {
        match *self {
            Self::Week { .. } => self
                .date_range()
                .and_then(|(first, _)| first.pred_opt())
                .map(Self::week_of),
            Self::Month { year, month } if month <= 1 => Some(Self::Month {
                year: year.checked_sub(1)?,
                month: 12,
            }),
            Self::Month { year, month } => Some(Self::Month {
                year,
                month: month - 1,
            }),
            Self::Year(y) => Some(Self::Year(y.checked_sub(1)?)),
            Self::All => None,
        }
    }

    /// The period just after this one (`None` for `all`, or past the calendar's range).
    pub fn next(&self) -> Option<Self> {
        match *self {
            Self::Week { .. } => self
                .date_range()
                .and_then(|(_, last)| last.succ_opt())
                .map(Self::week_of),
            Self::Month { year, month } if month >= 12 => Some(Self::Month {
                year: year.checked_add(1)?,
                month: 1,
            }),
            Self::Month { year, month } => Some(Self::Month {
                year,
                month: month + 1,
            }),
            Self::Year(y) => Some(Self::Year(y.checked_add(1)?)),
            Self::All => None,
        }
    }

    /// Parses `2015-W23`, `2015-06`, `2015` or `all`.
    pub fn parse(text: &str) -> Result<Self> {
        let err = |detail: &str| LedgerError::InvalidPeriod {
            text: text.to_owned(),
            detail: detail.to_owned(),
        };
        let t = text.trim();
        if t.eq_ignore_ascii_case("all") {
            return Ok(Self::All);
        }
        let year = |s: &str| -> Result<i32> {
            if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err("the year must have four digits"));
            }
            s.parse::<i32>().map_err(|_| err("bad year"))
        };
        let num = |s: &str| -> Result<u32> {
            if s.len() != 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(err("week and month numbers have two digits"));
            }
            s.parse::<u32>().map_err(|_| err("bad number"))
        };
        match t.split_once('-') {
            None => Ok(Self::Year(year(t)?)),
            Some((y, rest)) => {
                let y = year(y)?;
                if let Some(w) = rest.strip_prefix('W') {
                    let week = num(w)?;
                    if week == 0 || NaiveDate::from_isoywd_opt(y, week, Weekday::Mon).is_none() {
                        return Err(err("this ISO week-year has no such week"));
                    }
                    Ok(Self::Week { year: y, week })
                } else {
                    let month = num(rest)?;
                    if !(1..=12).contains(&month) {
                        return Err(err("the month must be 01 to 12"));
                    }
                    Ok(Self::Month { year: y, month })
                }
            }
        }
    }

    /// The kind of period: `week`, `month`, `year` or `all`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Week { .. } => "week",
            Self::Month { .. } => "month",
            Self::Year(_) => "year",
            Self::All => "all",
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Week { year, week } => write!(f, "{year:04}-W{week:02}"),
            Self::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            Self::Year(y) => write!(f, "{y:04}"),
            Self::All => f.write_str("all"),
        }
    }
}

#[cfg(feature = "uniffi")]
uniffi::custom_type!(Period, String, {
    lower: |p| p.to_string(),
    try_lift: |s| Period::parse(&s).map_err(|e| uniffi::deps::anyhow::anyhow!(e.to_string())),
});

impl std::str::FromStr for Period {
    type Err = LedgerError;
    fn from_str(s: &str) -> Result<Self> {
        Self::parse(s)
    }
}

impl From<Period> for String {
    fn from(p: Period) -> Self {
        p.to_string()
    }
}

impl TryFrom<String> for Period {
    type Error = LedgerError;
    fn try_from(s: String) -> Result<Self> {
        Self::parse(&s)
    }
}

/// A period described for display and for other languages' checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(frozen, get_all, eq, module = "volunteer_ledger", name = "PeriodInfo")
)]
pub struct PeriodInfo {
    /// The canonical text.
    pub text: String,
    /// `week`, `month`, `year` or `all`.
    pub kind: String,
    /// The first local date (`None` for `all`).
    pub first_day: Option<NaiveDate>,
    /// The last local date (`None` for `all`).
    pub last_day: Option<NaiveDate>,
    /// The period before (`None` for `all`).
    pub previous: Option<String>,
    /// The period after (`None` for `all`).
    pub next: Option<String>,
}

/// Parses a period and describes it.
///
/// ```
/// let p = volunteer_ledger::period_info("2016-W01").unwrap();
/// assert_eq!(p.previous.as_deref(), Some("2015-W53"));
/// assert_eq!(p.first_day.unwrap().to_string(), "2016-01-04");
/// ```
pub fn period_info(text: &str) -> Result<PeriodInfo> {
    let p = Period::parse(text)?;
    let range = p.date_range();
    Ok(PeriodInfo {
        text: p.to_string(),
        kind: p.kind().to_owned(),
        first_day: range.map(|r| r.0),
        last_day: range.map(|r| r.1),
        previous: p.previous().map(|x| x.to_string()),
        next: p.next().map(|x| x.to_string()),
    })
}

/// The week, month and year an instant falls in, in a UTC offset (minutes east).
///
/// ```
/// use volunteer_ledger::{Timestamp, periods_of};
/// let t = Timestamp::parse_rfc3339("2015-12-31T20:00:00Z").unwrap(); // 2016-01-01 04:00 in +08:00
/// let p: Vec<String> = periods_of(t, 480).unwrap().iter().map(|p| p.to_string()).collect();
/// assert_eq!(p, ["2015-W53", "2016-01", "2016"]);
/// ```
pub fn periods_of(t: Timestamp, offset_minutes: i32) -> Result<Vec<Period>> {
    let d = t.local_date(offset(offset_minutes)?);
    Ok(vec![
        Period::week_of(d),
        Period::month_of(d),
        Period::year_of(d),
    ])
}

/// Whether a date is a working day: Monday to Friday unless a holiday, or a weekend day the
/// calendar makes a working day (调休).
pub fn is_working_day(
    d: NaiveDate,
    holidays: &[NaiveDate],
    extra_working_days: &[NaiveDate],
) -> bool {
    if extra_working_days.contains(&d) {
        return true;
    }
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) && !holidays.contains(&d)
}

/// The last day of a window of `n` working days after `day` (the day itself not counted).
pub fn add_working_days(
    day: NaiveDate,
    n: u32,
    holidays: &[NaiveDate],
    extra: &[NaiveDate],
) -> NaiveDate {
    let mut d = day;
    let mut left = n;
    // Bounded: a year of holidays cannot stop the walk for more than 366 days per working day.
    let mut guard = 0u32;
    while left > 0 && guard < n.saturating_add(1).saturating_mul(366) {
        let Some(next) = d.succ_opt() else { break };
        d = next;
        guard += 1;
        if is_working_day(d, holidays, extra) {
            left -= 1;
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn iso_week_edges() {
        assert_eq!(Period::week_of(date(2015, 12, 31)).to_string(), "2015-W53");
        assert_eq!(Period::week_of(date(2016, 1, 3)).to_string(), "2015-W53");
        assert_eq!(Period::week_of(date(2016, 1, 4)).to_string(), "2016-W01");
        assert_eq!(Period::week_of(date(2014, 12, 29)).to_string(), "2015-W01");
        assert!(Period::parse("2016-W53").is_err());
        assert_eq!(
            Period::parse("2016-W01")
                .unwrap()
                .previous()
                .unwrap()
                .to_string(),
            "2015-W53"
        );
        assert_eq!(
            Period::parse("2015-01")
                .unwrap()
                .previous()
                .unwrap()
                .to_string(),
            "2014-12"
        );
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        // 2015-06-02 is a Tuesday; ten working days later is Tuesday 2015-06-16.
        assert_eq!(
            add_working_days(date(2015, 6, 2), 10, &[], &[]),
            date(2015, 6, 16)
        );
        // With the Dragon Boat holiday on Friday 2015-06-19 … not in range; use 06-05.
        assert_eq!(
            add_working_days(date(2015, 6, 2), 10, &[date(2015, 6, 5)], &[]),
            date(2015, 6, 17)
        );
    }

    #[test]
    fn extreme_periods_do_not_overflow() {
        for p in [
            Period::Year(i32::MAX),
            Period::Year(i32::MIN),
            Period::Month {
                year: i32::MAX,
                month: 12,
            },
            Period::Month {
                year: i32::MIN,
                month: 1,
            },
            Period::Month {
                year: 2015,
                month: 0,
            },
            Period::Month {
                year: 2015,
                month: u32::MAX,
            },
            Period::Week {
                year: 262_142,
                week: 52,
            },
            Period::Week {
                year: 2015,
                week: 0,
            },
        ] {
            let _ = (p.previous(), p.next(), p.date_range(), p.to_string());
        }
        assert_eq!(
            add_working_days(NaiveDate::MAX, 3, &[], &[]),
            NaiveDate::MAX
        );
        let _ = add_working_days(NaiveDate::MIN, 2, &[], &[NaiveDate::MIN]);
        assert!(offset(i32::MIN).is_err() && offset(i32::MAX).is_err() && offset(-840).is_ok());
        for t in [i64::MIN, i64::MAX, 8_210_266_876_799, -8_334_601_228_800] {
            let east = offset(840).unwrap();
            let west = offset(-840).unwrap();
            let _ = (Timestamp(t).local_date(east), Timestamp(t).to_rfc3339(west));
        }
    }

    #[test]
    fn local_dates_follow_the_offset() {
        let t = Timestamp::from_local(480, 2015, 6, 1, 0, 30).unwrap();
        assert_eq!(t.local_date(offset(480).unwrap()), date(2015, 6, 1));
        assert_eq!(t.local_date(offset(0).unwrap()), date(2015, 5, 31));
    }
}
