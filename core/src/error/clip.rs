//! How long a message of the core grows: the bound on it, the width each value it repeats is
//! cut to, and [`Clip`], which cuts a value to its width.

use std::fmt;

/// The most characters a message of the core has ([`LedgerError`]'s `Display`, English and
/// Chinese together): each value a message repeats is cut to a width (below) with `…`, so that
/// no message grows with its input and a long input is never repeated in full.
///
/// [`LedgerError`]: super::LedgerError
pub const MESSAGE_MAX_CHARS: usize = 500;

/// The width of an id or a short value in a message: ids are at most 64 characters, so a
/// valid one is never cut.
pub(super) const WORD: usize = 64;
/// The width of a detail or a rule in English.
pub(super) const TEXT: usize = 120;
/// The width of a detail in Chinese.
pub(super) const ZH: usize = 100;
/// The width of a file path.
pub(super) const PATH: usize = 96;

/// A value as a message shows it: at most `.1` characters, the last of them `…` when it is cut.
pub(crate) struct Clip<'a, T: ?Sized>(pub(crate) &'a T, pub(crate) usize);

impl<T: fmt::Display + ?Sized> fmt::Display for Clip<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        /// Keeps the first `room` characters written to it and counts whether more came.
        struct Head {
            text: String,
            room: usize,
            more: bool,
        }
        impl fmt::Write for Head {
            fn write_str(&mut self, s: &str) -> fmt::Result {
                if self.more {
                    return Ok(());
                }
                for c in s.chars() {
                    if self.room == 0 {
                        self.more = true;
                        break;
                    }
                    self.text.push(c);
                    self.room -= 1;
                }
                Ok(())
            }
        }
        let width = self.1.max(1);
        let mut head = Head {
            text: String::new(),
            room: width,
            more: false,
        };
        fmt::write(&mut head, format_args!("{}", self.0))?;
        if head.more {
            // Room for the `…`: the value is cut one character shorter.
            head.text.pop();
            head.text.push('…');
        }
        f.write_str(&head.text)
    }
}
