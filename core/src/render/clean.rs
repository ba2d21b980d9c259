//! Input made safe to print: every string a certificate shows, rid of control characters and
//! of bidirectional controls.

/// Whether a character reorders text around it (bidirectional controls), which could make a
/// printed field read differently from what it holds.
fn is_bidi_control(ch: char) -> bool {
    matches!(ch, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// A single-line field: control characters (newlines included) become spaces, bidirectional
/// controls are dropped.
pub(super) fn clean_line(s: &str) -> String {
    s.chars()
        .filter(|ch| !is_bidi_control(*ch))
        .map(|ch| if ch.is_control() { ' ' } else { ch })
        .collect()
}

/// A multi-line field (notes): like [`clean_line`] but line breaks are kept (as `\n`).
pub(super) fn clean_block(s: &str) -> String {
    s.replace("\r\n", "\n")
        .chars()
        .filter(|ch| !is_bidi_control(*ch))
        .map(|ch| {
            if ch != '\n' && ch.is_control() {
                ' '
            } else {
                ch
            }
        })
        .collect()
}
