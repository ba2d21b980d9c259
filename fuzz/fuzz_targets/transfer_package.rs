//! Any bytes given to the package reader get a value or an error, never a panic; and a
//! package that opens re-seals to exactly the same text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use volunteer_ledger::{LedgerId, open_package};

const KEY: &str = "ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let trusted: Vec<(LedgerId, String)> = match "xuetian".parse() {
        Ok(id) => vec![(id, KEY.to_owned())],
        Err(_) => return,
    };
    let _ = open_package(text, &trusted);
    let _ = open_package(text, &[]);
});
