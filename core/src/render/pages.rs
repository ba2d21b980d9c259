//! How a certificate's records fall onto A4 pages: each record's height estimated from how its
//! org and content wrap, the first page holding the volunteer's fields, the last the issuer's
//! block (signatures, seal, QR code), and never the issuer's block alone on a page.
//!
//! Heights are in tenths of a millimetre of the default layout (A4, 12 mm margins top and
//! bottom), measured in Chromium's PDF of it (a one-line row is 6.6 mm, the first page's head
//! 75 mm, the issuer's block 84 mm with a line of notes): estimates with room to spare, so that the browser never has to break a page
//! itself; if a district's own layout is taller, the browser still breaks inside the table,
//! repeating its header.

use super::columns::display_width;

/// Room for content on one A4 page of the default layout (297 mm less the margins).
const PAGE: u32 = 2730;
/// The first page's fields above the records: title, number, the volunteer's fields, the
/// statement and the table's header.
const FIRST_HEAD: u32 = 770;
/// A continuation page's heading and the table's header.
const NEXT_HEAD: u32 = 290;
/// The issuer's block: the total row, the issuer's fields, the signature lines, the seal area
/// and the QR code.
const FOOT: u32 = 810;
/// One line of notes, of a training or of a commendation in the issuer's block.
const SMALL_LINE: u32 = 50;
/// A record's row: its padding, and each line of its tallest cell.
const ROW_PAD: u32 = 20;
const ROW_LINE: u32 = 46;
/// How many terminal columns (a CJK character is two) the org and the content columns hold
/// on a line, with room to spare for proportional type and words that do not break.
const ORG_COLUMNS: usize = 22;
const CONTENT_COLUMNS: usize = 38;
/// The notes' column width in terminal columns.
const NOTES_COLUMNS: usize = 90;

/// A record's estimated row height, from the widths of its org name and content.
pub(super) fn row_height(org: &str, content: &str) -> u32 {
    let lines = |s: &str, cols: usize| display_width(s).div_ceil(cols).max(1);
    let tallest = lines(org, ORG_COLUMNS).max(lines(content, CONTENT_COLUMNS));
    let tallest = u32::try_from(tallest).unwrap_or(u32::MAX);
    ROW_PAD.saturating_add(ROW_LINE.saturating_mul(tallest))
}

/// The estimated height of the issuer's block for notes of these lines and this many
/// training and commendation lines.
pub(super) fn foot_height<'a>(notes: impl Iterator<Item = &'a str>, extra_lines: usize) -> u32 {
    let note_lines: usize = notes
        .map(|l| display_width(l).div_ceil(NOTES_COLUMNS).max(1))
        .sum();
    let lines = u32::try_from(note_lines.saturating_add(extra_lines)).unwrap_or(u32::MAX);
    FOOT.saturating_add(SMALL_LINE.saturating_mul(lines))
}

/// Splits rows of these heights into pages: the indices of the rows on each page (one page
/// at least, empty when there are no rows). The issuer's block of height `foot` closes the
/// last page; when it does not fit beside the last page's rows, rows move onto a page of their
/// own with it, so that it never stands alone.
pub(super) fn paginate(heights: &[u32], foot: u32) -> Vec<Vec<usize>> {
    let mut pages: Vec<Vec<usize>> = vec![Vec::new()];
    let mut used = FIRST_HEAD;
    for (i, &h) in heights.iter().enumerate() {
        let room = PAGE.saturating_sub(used);
        let current_has_rows = pages.last().is_some_and(|p| !p.is_empty());
        if h > room && current_has_rows {
            pages.push(Vec::new());
            used = NEXT_HEAD;
        }
        if let Some(page) = pages.last_mut() {
            page.push(i);
        }
        used = used.saturating_add(h);
    }
    if used.saturating_add(foot) <= PAGE {
        return pages;
    }
    // The issuer's block does not fit under the last page's rows: move the last rows (half of
    // them at most, one at least) onto a page of their own with it.
    let Some(last) = pages.pop() else {
        return vec![Vec::new()];
    };
    let height_of = |i: &usize| heights.get(*i).copied().unwrap_or(0);
    let mut moved = Vec::new();
    let mut moved_height = NEXT_HEAD.saturating_add(foot);
    let mut kept = last;
    while let Some(&i) = kept.last() {
        let fits = moved_height.saturating_add(height_of(&i)) <= PAGE;
        let enough = !moved.is_empty() && moved.len() >= kept.len();
        if (!fits && !moved.is_empty()) || enough {
            break;
        }
        moved.push(i);
        moved_height = moved_height.saturating_add(height_of(&i));
        kept.pop();
    }
    moved.reverse();
    if !kept.is_empty() {
        pages.push(kept);
    }
    pages.push(moved);
    pages
}
