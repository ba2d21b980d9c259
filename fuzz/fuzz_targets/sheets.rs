//! Any bytes given to the spreadsheet reader — as CSV in any encoding, or as xlsx — get a
//! sheet or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use volunteer_ledger::{ImportOptions, SheetFormat, TextEncoding, read_sheet};

fuzz_target!(|data: &[u8]| {
    let _ = read_sheet(data, &ImportOptions::default());
    for encoding in [TextEncoding::Utf8, TextEncoding::Gbk] {
        let opts = ImportOptions { encoding, format: Some(SheetFormat::Csv), ..ImportOptions::default() };
        let _ = read_sheet(data, &opts);
    }
    let xlsx = ImportOptions { format: Some(SheetFormat::Xlsx), ..ImportOptions::default() };
    let _ = read_sheet(data, &xlsx);
});
