//! JSON values written straight into bytes, exactly as serde_json writes them: what the
//! canonical bytes of a record and the rows of a file ledger are put together from.

/// A JSON string as serde_json writes it (only `"`, `\\` and control characters escaped).
pub(super) fn text(b: &mut Vec<u8>, s: &str) {
    // Every byte is looked at (no early exit), which lets the compiler test many at a time:
    // most texts here are long hex digits with nothing to escape.
    let plain = !s.bytes().fold(false, |any, c| {
        any | (c < 0x20) | (c == b'"') | (c == b'\\')
    });
    if plain {
        b.reserve(s.len() + 2);
        b.push(b'"');
        b.extend_from_slice(s.as_bytes());
        b.push(b'"');
        return;
    }
    b.push(b'"');
    let mut from = 0;
    for (i, &c) in s.as_bytes().iter().enumerate() {
        let escape: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\t' => b"\\t",
            b'\r' => b"\\r",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..0x20 => b"",
            _ => continue,
        };
        b.extend_from_slice(s.as_bytes().get(from..i).unwrap_or_default());
        if escape.is_empty() {
            b.extend_from_slice(b"\\u00");
            b.push(hex_digit(c >> 4));
            b.push(hex_digit(c));
        } else {
            b.extend_from_slice(escape);
        }
        from = i + 1;
    }
    b.extend_from_slice(s.as_bytes().get(from..).unwrap_or_default());
    b.push(b'"');
}
/// A JSON string or `null`.
pub(super) fn optional(b: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => text(b, s),
        None => b.extend_from_slice(b"null"),
    }
}
/// A JSON integer.
pub(super) fn int(b: &mut Vec<u8>, n: impl itoa::Integer) {
    b.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}
/// A JSON boolean.
pub(super) fn flag(b: &mut Vec<u8>, v: bool) {
    b.extend_from_slice(if v { b"true" } else { b"false" });
}
/// A lower-case hex digit of the low four bits.
pub(super) fn hex_digit(n: u8) -> u8 {
    b"0123456789abcdef"
        .get(usize::from(n & 15))
        .copied()
        .unwrap_or(b'0')
}
