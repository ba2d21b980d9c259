//! Any bytes given to the spreadsheet reader — as CSV in any encoding, or as xlsx — get a
//! sheet or an error, never a panic.
//!
//! The reader guards its xlsx parser (calamine can panic on a mangled workbook) and turns such
//! a panic into an error. libfuzzer-sys's panic hook aborts on every panic, caught or not, so
//! this target sets a silent hook instead: a panic that escapes `read_sheet` still ends the
//! run (libfuzzer-sys aborts when one reaches it), one the reader caught does not.
#![no_main]

use libfuzzer_sys::fuzz_target;
use volunteer_ledger::{ImportOptions, SheetFormat, TextEncoding, read_sheet};

fuzz_target!(|data: &[u8]| {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let _ = read_sheet(data, &ImportOptions::default());
    for encoding in [TextEncoding::Utf8, TextEncoding::Gbk] {
        let opts = ImportOptions { encoding, format: Some(SheetFormat::Csv), ..ImportOptions::default() };
        let _ = read_sheet(data, &opts);
    }
    let xlsx = ImportOptions { format: Some(SheetFormat::Xlsx), ..ImportOptions::default() };
    let _ = read_sheet(data, &xlsx);
});
