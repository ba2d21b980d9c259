//! Generates the Kotlin and Swift sources from the built `volunteer_ledger_ffi` library
//! (library mode), e.g. `uniffi-bindgen generate --library <lib> --language kotlin --out-dir <dir>`.
fn main() {
    uniffi::uniffi_bindgen_main()
}
