//! A cell's value as a date, a time of day or a duration, in every form hand-kept sheets write
//! them: `2015-06-02`, `2015/6/2`, `2015年6月2日`, `20150602` or an Excel date; `9:00`,
//! `9时30分`, `下午3点`, `3:00 PM` or an Excel time; `2.5`, `2.5小时`, `150分钟` or `2:30`. The
//! most common forms are read first by fast paths that give what the general parsers give.

use super::cells::{Cell, normalise, normalise_cow};
use chrono::{Duration, NaiveDate};

/// An Excel serial day (1900 system, with Excel's phantom 1900-02-29) as a date.
fn serial_date(serial: f64) -> Option<NaiveDate> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let days = serial.floor() as i64;
    let (base, days) = match days {
        60 => return None,
        d if d < 60 => (NaiveDate::from_ymd_opt(1899, 12, 31)?, d),
        d => (NaiveDate::from_ymd_opt(1899, 12, 30)?, d),
    };
    base.checked_add_signed(Duration::try_days(days)?)
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

/// A date cell: text forms, numeric text as an Excel serial, a number, or an xlsx date.
pub(super) fn parse_date(cell: &Cell<'_>) -> Option<NaiveDate> {
    match cell {
        Cell::Empty => None,
        Cell::Number(f) => serial_date(*f),
        Cell::Stamp { date, .. } => *date,
        Cell::Text(t) => parse_date_text(t),
    }
}

fn parse_date_text(t: &str) -> Option<NaiveDate> {
    iso_date(t).unwrap_or_else(|| parse_date_general(t))
}

/// Every text form of a date; [`iso_date`] reads the most common one first.
fn parse_date_general(t: &str) -> Option<NaiveDate> {
    let t = normalise_cow(t);
    let t = t.trim();
    // A date followed by a time ("2015-06-02 09:00", "2015-06-02T09:00:00"): the date part.
    let date_part = t
        .split(|c: char| c.is_whitespace() || c == 'T')
        .next()
        .unwrap_or(t);
    if all_digits(date_part) && date_part.len() == 8 {
        let y = date_part.get(0..4)?.parse().ok()?;
        let m = date_part.get(4..6)?.parse().ok()?;
        let d = date_part.get(6..8)?.parse().ok()?;
        return NaiveDate::from_ymd_opt(y, m, d);
    }
    if is_serial_text(date_part) {
        return serial_date(date_part.parse().ok()?);
    }
    let unified: String = date_part
        .replace(['年', '月'], "-")
        .replace(['日', '号'], "");
    let parts: Vec<&str> = unified.split(['-', '/', '.']).collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 || !all_digits(y) || !all_digits(m) || !all_digits(d) {
        return None;
    }
    if m.len() > 2 || d.len() > 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// The common form `2015-06-02`, read without the general parser's copies: `None` if `t` is
/// not of that form (the general parser reads it then), else what the general parser gives.
fn iso_date(t: &str) -> Option<Option<NaiveDate>> {
    let &[y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] = t.as_bytes() else {
        return None;
    };
    let y = digits(&[y1, y2, y3, y4])?;
    let m = digits(&[m1, m2])?;
    let d = digits(&[d1, d2])?;
    Some(NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d))
}

/// ASCII digits (at most 9) as a number; `None` if any byte is no digit.
fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |n, &c| {
        c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
    })
}

/// Numeric text that reads as an Excel serial: up to 7 digits, an optional fraction.
fn is_serial_text(s: &str) -> bool {
    let (int, frac) = s.split_once('.').unwrap_or((s, "0"));
    all_digits(int) && int.len() <= 7 && all_digits(frac)
}

/// A time cell: the local date it names, if any, and the minute of the day (0–1440).
pub(super) fn parse_time(cell: &Cell<'_>) -> Option<(Option<NaiveDate>, u32)> {
    match cell {
        Cell::Empty => None,
        Cell::Number(f) => fraction_time(*f),
        Cell::Stamp { date, minute, .. } => Some((*date, *minute)),
        Cell::Text(t) => parse_time_text(t),
    }
}

/// An Excel number as a time: a fraction of a day, or a serial date with a fraction.
fn fraction_time(f: f64) -> Option<(Option<NaiveDate>, u32)> {
    if !f.is_finite() || f < 0.0 {
        return None;
    }
    let minute = (f.fract() * 1440.0).round() as u32;
    if f < 1.0 {
        Some((None, minute))
    } else if f.fract() == 0.0 {
        // A whole number is a date at midnight or an hour; too ambiguous to read.
        None
    } else {
        Some((serial_date(f), minute))
    }
}

fn parse_time_text(t: &str) -> Option<(Option<NaiveDate>, u32)> {
    match plain_clock(t) {
        Some(minute) => minute.map(|m| (None, m)),
        None => parse_time_general(t),
    }
}

/// Every text form of a time; [`plain_clock`] reads the most common ones first.
fn parse_time_general(t: &str) -> Option<(Option<NaiveDate>, u32)> {
    let t = normalise_cow(t);
    let t = t.trim();
    if let Some((d, rest)) = t.split_once(|c: char| c.is_whitespace() || c == 'T') {
        let rest = rest.trim();
        if let Some(date) = parse_date_text(d) {
            return parse_clock(rest).map(|m| (Some(date), m));
        }
    }
    if t.contains('.') && !t.contains(':') && is_serial_text(t) {
        return fraction_time(t.parse().ok()?);
    }
    parse_clock(t).map(|m| (None, m))
}

/// The common forms `9:00`, `09:00`, `9:00:00` and `09:00:00`, read without the general
/// parser's copies: `None` if `t` is of none of them (the general parser reads it then), else
/// what [`parse_clock`] gives.
fn plain_clock(t: &str) -> Option<Option<u32>> {
    let (h, m, s) = match *t.as_bytes() {
        [h1, b':', m1, m2] => (digits(&[h1])?, digits(&[m1, m2])?, 0),
        [h1, h2, b':', m1, m2] => (digits(&[h1, h2])?, digits(&[m1, m2])?, 0),
        [h1, b':', m1, m2, b':', s1, s2] => {
            (digits(&[h1])?, digits(&[m1, m2])?, digits(&[s1, s2])?)
        }
        [h1, h2, b':', m1, m2, b':', s1, s2] => {
            (digits(&[h1, h2])?, digits(&[m1, m2])?, digits(&[s1, s2])?)
        }
        _ => return None,
    };
    let valid = m < 60 && s < 60 && (h < 24 || (h == 24 && m == 0 && s == 0));
    Some(valid.then_some(h * 60 + m))
}

/// `9:00`, `09:00:00`, `9时30分`, `9点半`, `下午3点`, `3:00 PM` → minute of the day.
fn parse_clock(t: &str) -> Option<u32> {
    let mut s = t.trim().to_lowercase();
    let mut pm = false;
    for (p, is_pm) in [
        ("上午", false),
        ("早上", false),
        ("中午", false),
        ("下午", true),
        ("晚上", true),
        ("am", false),
        ("pm", true),
    ] {
        if let Some(rest) = s.strip_prefix(p).or_else(|| s.strip_suffix(p)) {
            s = rest.trim().to_owned();
            pm = is_pm;
            break;
        }
    }
    let s = s
        .replace(['时', '点'], ":")
        .replace('半', "30")
        .replace(['分', '秒'], ":");
    let s = s.trim_end_matches(':');
    let parts: Vec<&str> = s.split(':').collect();
    let (h, m, sec) = match parts.as_slice() {
        [h] => (*h, "0", "0"),
        [h, m] => (*h, *m, "0"),
        [h, m, s] => (*h, *m, *s),
        _ => return None,
    };
    if !all_digits(h) || !all_digits(m) || !all_digits(sec) || h.len() > 2 || m.len() > 2 {
        return None;
    }
    // A bare number ("9") is not read as a time: it could as well be hours of service.
    if parts.len() == 1 && !t.contains(['时', '点']) {
        return None;
    }
    let mut h: u32 = h.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    let sec: u32 = sec.parse().ok()?;
    if pm && h < 12 {
        h += 12;
    }
    if m >= 60 || sec >= 60 || h > 24 || (h == 24 && (m > 0 || sec > 0)) {
        return None;
    }
    Some(h * 60 + m)
}

/// A duration cell as minutes, rounded to the nearest minute; `per_unit` is 60 for an hours
/// column and 1 for a minutes column (a unit written in the cell wins).
pub(super) fn parse_duration(cell: &Cell<'_>, per_unit: f64) -> Option<u32> {
    let minutes = match cell {
        Cell::Empty => return None,
        Cell::Number(f) => f * per_unit,
        // A time-formatted cell (2:30) is a length of time: days × 1440.
        Cell::Stamp { days, .. } => days * 1440.0,
        // Plain decimal hours ("2.5"), the common form, without the general parser's copies.
        Cell::Text(t) if is_plain_decimal(t) => t.parse::<f64>().ok()? * per_unit,
        Cell::Text(t) => parse_duration_general(t, per_unit)?,
    };
    if !minutes.is_finite() || !(0.0..=1_000_000.0).contains(&minutes) {
        return None;
    }
    Some(minutes.round() as u32)
}

/// Every text form of a duration, as minutes before rounding; [`is_plain_decimal`] picks
/// out the most common one first.
fn parse_duration_general(t: &str, per_unit: f64) -> Option<f64> {
    let s = normalise(t).trim().to_lowercase();
    let units: [(&str, f64); 11] = [
        ("小时", 60.0),
        ("hours", 60.0),
        ("hour", 60.0),
        ("hrs", 60.0),
        ("hr", 60.0),
        ("h", 60.0),
        ("分钟", 1.0),
        ("minutes", 1.0),
        ("mins", 1.0),
        ("min", 1.0),
        ("分", 1.0),
    ];
    let (num, unit) = units
        .iter()
        .find_map(|(u, k)| s.strip_suffix(u).map(|n| (n.trim().to_owned(), *k)))
        .unwrap_or((s.clone(), per_unit));
    if let Some((h, m)) = num.split_once(':') {
        if !all_digits(h) || !all_digits(m) || m.len() != 2 {
            return None;
        }
        let h: f64 = h.parse().ok()?;
        let m: f64 = m.parse().ok()?;
        if m >= 60.0 {
            return None;
        }
        Some(h * 60.0 + m)
    } else {
        let ok = !num.is_empty()
            && num.chars().all(|c| c.is_ascii_digit() || c == '.')
            && num.matches('.').count() <= 1
            && num != ".";
        if !ok {
            return None;
        }
        Some(num.parse::<f64>().ok()? * unit)
    }
}

/// Digits with at most one `.`, not `.` alone: what [`parse_duration`] reads as a plain
/// number of the column's unit, once any unit and full-width forms are gone.
fn is_plain_decimal(t: &str) -> bool {
    let mut dots = 0;
    for b in t.bytes() {
        match b {
            b'0'..=b'9' => {}
            b'.' => dots += 1,
            _ => return false,
        }
    }
    !t.is_empty() && dots <= 1 && t != "."
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn dates_in_every_form() {
        let want = d(2015, 6, 2);
        for t in [
            "2015-06-02",
            "2015-6-2",
            "2015/6/2",
            "2015/06/02",
            "2015.6.2",
            "2015年6月2日",
            "2015年06月02号",
            "20150602",
            "42157",
            "42157.375",
            "２０１５－０６－０２",
            "２０１５年６月２日",
            "2015-06-02 00:00:00",
            "2015-06-02T09:00",
        ] {
            assert_eq!(parse_date(&Cell::text(t)), want, "{t}");
        }
        assert_eq!(parse_date(&Cell::Number(42157.0)), want);
        assert_eq!(parse_date(&Cell::Number(42157.75)), want);
        for bad in [
            "2015-02-30",
            "2015-13-01",
            "20150230",
            "15-6-2",
            "6/2/2015",
            "June 2",
            "",
            "2015-06",
            "2015--02",
            "60",
            "0",
        ] {
            assert_eq!(parse_date(&Cell::text(bad)), None, "{bad}");
        }
        assert_eq!(serial_date(1.0), d(1900, 1, 1));
        assert_eq!(serial_date(59.0), d(1900, 2, 28));
        assert_eq!(serial_date(61.0), d(1900, 3, 1));
        assert_eq!(serial_date(f64::NAN), None);
        assert_eq!(serial_date(-3.0), None);
    }

    #[test]
    fn times_in_every_form() {
        for (t, want) in [
            ("9:00", 540),
            ("09:00", 540),
            ("09:00:00", 540),
            ("9:30:59", 570),
            ("9时30分", 570),
            ("9时", 540),
            ("9点", 540),
            ("9点半", 570),
            ("９：３０", 570),
            ("下午3点", 900),
            ("3:00 PM", 900),
            ("3:00pm", 900),
            ("上午9:00", 540),
            ("0.375", 540),
            ("24:00", 1440),
            ("0:00", 0),
        ] {
            assert_eq!(parse_time(&Cell::text(t)), Some((None, want)), "{t}");
        }
        assert_eq!(
            parse_time(&Cell::text("2015-06-02 09:00")),
            Some((d(2015, 6, 2), 540))
        );
        assert_eq!(parse_time(&Cell::Number(0.375)), Some((None, 540)));
        assert_eq!(
            parse_time(&Cell::Number(42157.5)),
            Some((d(2015, 6, 2), 720))
        );
        for bad in [
            "9", "25:00", "9:60", "24:30", "abc", "9:0:0:0", "-1:00", "1.5.2", "9::",
        ] {
            assert_eq!(parse_time(&Cell::text(bad)), None, "{bad}");
        }
        assert_eq!(parse_time(&Cell::Number(9.0)), None);
        assert_eq!(parse_time(&Cell::Number(-0.5)), None);
    }

    #[test]
    fn durations_in_every_form() {
        for (t, want) in [
            ("2", 120),
            ("2.5", 150),
            ("1.25", 75),
            ("0.1", 6),
            ("0.0083", 0),
            ("1.99", 119),
            ("2.5小时", 150),
            ("2.5 h", 150),
            ("3hours", 180),
            ("150分钟", 150),
            ("90min", 90),
            ("2:30", 150),
            ("２．５", 150),
        ] {
            assert_eq!(parse_duration(&Cell::text(t), 60.0), Some(want), "{t}");
        }
        assert_eq!(parse_duration(&Cell::text("90"), 1.0), Some(90));
        assert_eq!(parse_duration(&Cell::Number(1.5), 60.0), Some(90));
        let stamp = Cell::Stamp {
            date: None,
            minute: 150,
            days: 150.0 / 1440.0,
        };
        assert_eq!(parse_duration(&stamp, 60.0), Some(150));
        for bad in ["-2", "abc", "2..5", ".", "1e3", "2:75", "NaN", "inf"] {
            assert_eq!(parse_duration(&Cell::text(bad), 60.0), None, "{bad}");
        }
        assert_eq!(parse_duration(&Cell::Number(f64::INFINITY), 60.0), None);
        assert_eq!(parse_duration(&Cell::Number(-1.0), 60.0), None);
    }

    #[test]
    fn fast_paths_read_as_the_general_parsers() {
        let mut texts = Vec::new();
        for h in 0..30 {
            for m in 0..100 {
                for s in [None, Some(0), Some(1), Some(59), Some(60), Some(99)] {
                    let sec = s.map(|s| format!(":{s:02}")).unwrap_or_default();
                    texts.push(format!("{h}:{m:02}{sec}"));
                    texts.push(format!("{h:02}:{m:02}{sec}"));
                }
            }
        }
        for t in &texts {
            if let Some(fast) = plain_clock(t) {
                assert_eq!(fast.map(|m| (None, m)), parse_time_general(t), "{t}");
            }
        }
        for y in ["0000", "0001", "1900", "2015", "2016", "9999"] {
            for m in 0..100 {
                for d in 0..100 {
                    let t = format!("{y}-{m:02}-{d:02}");
                    assert_eq!(iso_date(&t), Some(parse_date_general(&t)), "{t}");
                }
            }
        }
        for c in 0..3000 {
            for t in [
                format!("{}", c / 100),
                format!("{}.{}", c / 100, c % 100),
                format!("{}.{:02}", c / 100, c % 100),
                format!(".{c}"),
                format!("{c}."),
            ] {
                assert!(is_plain_decimal(&t), "{t}");
                let fast = t.parse::<f64>().ok().map(|h| h * 60.0);
                assert_eq!(fast, parse_duration_general(&t, 60.0), "{t}");
            }
        }
        for t in ["", ".", "1..2", "1.2.3", "1e3", "-1", " 1", "１"] {
            assert!(!is_plain_decimal(t), "{t}");
        }
    }

    proptest::proptest! {
        #[test]
        fn fast_paths_agree_on_any_text(t in "[0-9:.\\- a]{0,10}") {
            if let Some(fast) = plain_clock(&t) {
                proptest::prop_assert_eq!(fast.map(|m| (None, m)), parse_time_general(&t));
            }
            if let Some(fast) = iso_date(&t) {
                proptest::prop_assert_eq!(fast, parse_date_general(&t));
            }
            if is_plain_decimal(&t) {
                let fast = t.parse::<f64>().ok().map(|h| h * 60.0);
                proptest::prop_assert_eq!(fast, parse_duration_general(&t, 60.0));
            }
        }
    }
}
