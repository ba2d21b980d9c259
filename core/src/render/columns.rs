//! Terminal columns for the text form: how wide a character is (CJK counts two), padding to a
//! width, and wrapping within one.

/// How many terminal columns a character takes: two for East Asian wide and fullwidth
/// characters (CJK, Hangul, fullwidth forms, most emoji), none for combining marks and
/// zero-width characters, one otherwise.
fn char_width(ch: char) -> usize {
    match u32::from(ch) {
        0x0300..=0x036F | 0x200B..=0x200D | 0xFE00..=0xFE0F | 0x20E3 => 0,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1F64F
        | 0x1F900..=0x1F9FF
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// How many terminal columns a string takes.
pub(super) fn display_width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// `s` followed by spaces to `width` columns.
pub(super) fn pad_right(s: &str, width: usize) -> String {
    let pad = width.saturating_sub(display_width(s));
    format!("{s}{}", " ".repeat(pad))
}

/// Spaces then `s`, to `width` columns.
pub(super) fn pad_left(s: &str, width: usize) -> String {
    let pad = width.saturating_sub(display_width(s));
    format!("{}{s}", " ".repeat(pad))
}

/// Breaks `s` into lines of at most `width` columns (at least one character a line), without
/// splitting a character; CJK text has no spaces to break at, so this breaks anywhere.
pub(super) fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut used = 0;
    for ch in s.chars() {
        let w = char_width(ch);
        if used + w > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line).trim_end().to_string());
            used = 0;
            if ch == ' ' {
                continue;
            }
        }
        line.push(ch);
        used += w;
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}
