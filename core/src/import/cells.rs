//! Cells and rows of cells, whatever the file format: a cell is empty, text, a number or an
//! Excel date or time; its text is read with full-width forms (`２０１５`, `９：００`) normalised
//! to ASCII. A row ([`RowCells`]) gives its cells by column, and the reader of a file gives its
//! rows one at a time to a [`RowSink`].

use chrono::NaiveDate;
use std::borrow::Cow;

/// One cell, borrowing its text from the sheet where it can: a CSV row's cells are views into
/// the reader's record, never copies.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Cell<'a> {
    Empty,
    Text(Cow<'a, str>),
    Number(f64),
    /// An xlsx date/time cell: its local date (none for a bare time), minute of day, and raw
    /// serial value (days).
    Stamp {
        date: Option<NaiveDate>,
        minute: u32,
        days: f64,
    },
}

impl<'a> Cell<'a> {
    /// A text cell, trimmed (ideographic spaces too) but otherwise as written; the parsers
    /// normalise full-width forms themselves.
    pub(super) fn text(s: &'a str) -> Self {
        let t = trim(s);
        if t.is_empty() {
            Self::Empty
        } else {
            Self::Text(Cow::Borrowed(t))
        }
    }

    pub(super) fn is_empty(&self) -> bool {
        matches!(self, Self::Empty)
    }

    /// The cell, owning its text.
    pub(super) fn into_owned(self) -> Cell<'static> {
        match self {
            Self::Empty => Cell::Empty,
            Self::Text(t) => Cell::Text(Cow::Owned(t.into_owned())),
            Self::Number(f) => Cell::Number(f),
            Self::Stamp { date, minute, days } => Cell::Stamp { date, minute, days },
        }
    }

    /// The cell as an id: full-width forms normalised.
    pub(super) fn as_id(&self) -> String {
        normalise_cow(&self.as_str()).trim().to_owned()
    }

    /// The cell as text (numbers without a trailing `.0`).
    pub(super) fn as_text(&self) -> String {
        self.as_str().into_owned()
    }

    /// The cell as text, borrowed where it is text already.
    pub(super) fn as_str(&self) -> Cow<'_, str> {
        match self {
            Self::Empty => Cow::Borrowed(""),
            Self::Text(s) => Cow::Borrowed(s),
            Self::Number(f) => Cow::Owned(number_text(*f)),
            Self::Stamp { days, .. } => Cow::Owned(number_text(*days)),
        }
    }
}

/// [`str::trim`], returning at once when neither end is whitespace, as in most cells.
fn trim(s: &str) -> &str {
    let plain = |c: Option<char>| c.is_some_and(|c| !c.is_whitespace());
    if plain(s.chars().next()) && plain(s.chars().next_back()) {
        s
    } else {
        s.trim()
    }
}

fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Whether [`normalise`] changes a character.
fn is_wide(c: char) -> bool {
    matches!(c, '\u{FF01}'..='\u{FF5E}' | '\u{3000}' | '\u{00A0}')
}

/// Full-width ASCII (U+FF01–U+FF5E) to ASCII and the ideographic space to a space, so that
/// `２０１５－０６－０２`, `９：００` and `２．５` read as their half-width forms.
pub fn normalise(s: &str) -> String {
    normalise_cow(s).into_owned()
}

/// One character as [`normalise`] leaves it.
pub(super) fn normalise_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' | '\u{00A0}' => ' ',
        _ => c,
    }
}

/// [`normalise`], borrowing the text when there is nothing to change (always so for ASCII).
pub(super) fn normalise_cow(s: &str) -> Cow<'_, str> {
    if s.is_ascii() || !s.chars().any(is_wide) {
        Cow::Borrowed(s)
    } else {
        Cow::Owned(s.chars().map(normalise_char).collect())
    }
}

/// One row of a sheet as the reader sees it: cells by column, an empty cell past the end.
pub(super) trait RowCells {
    /// The number of cells, empty ones included.
    fn width(&self) -> usize;
    /// The cell of column `i`.
    fn cell(&self, i: usize) -> Cell<'_>;
    /// The columns that may hold something, in order: every column, unless the row knows
    /// which are empty.
    fn filled(&self) -> impl Iterator<Item = usize> + '_ {
        0..self.width()
    }
    /// The cells the row holds, for the cell limit.
    fn count(&self) -> usize {
        self.width()
    }
    /// The bytes of the row's text, or more: no cell of a row of at most
    /// [`MAX_CELL_CHARS`](super::limits::MAX_CELL_CHARS) bytes is too long.
    fn text_len(&self) -> usize;
}

/// Where the rows of a sheet go, one at a time and in order, as the reader of a file finds them.
pub(super) trait RowSink {
    /// The next row of the sheet, numbered as Excel shows it.
    fn push<R: RowCells + ?Sized>(&mut self, n: u32, cells: &R);
    /// Rows given while no header has been found (blank rows of an xlsx worksheet, which are
    /// not read one by one).
    fn skip_blank(&mut self, rows: usize);
    /// Whether the sheet is refused already: the rest need not be read.
    fn is_refused(&self) -> bool;
    /// The columns of a row worth keeping: those of the header once it is found.
    fn width_kept(&self) -> usize;
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        #[test]
        fn trim_agrees_on_any_text(t in "[0-9:.\\- a]{0,10}") {
            proptest::prop_assert_eq!(trim(&t), t.trim());
        }
    }
}
