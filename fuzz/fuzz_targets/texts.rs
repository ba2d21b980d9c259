//! The text readers a caller can reach — periods, scopes, identity numbers, policies, and
//! certificates read back from JSON — get a value or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use volunteer_ledger::*;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = Period::parse(text).map(|p| (p.previous(), p.next(), p.date_range()));
    let _ = Scope::parse(text);
    for kind in IdentityKind::ALL {
        let _ = Identity::new(*kind, text).map(|i| i.masked());
    }
    let _ = Policy::from_toml(text);
    let _ = Policy::from_json(text);
    if let Ok(c) = serde_json::from_str::<Certificate>(text) {
        let _ = verify_certificate_offline(&c, &c.public_key);
        let _ = render::certificate_text(&c);
        let _ = render::certificate_html(&c, Some(text));
    }
});
