//! The text readers a caller can reach — periods, scopes, identity numbers, policies,
//! certificates read back from JSON, and a district's certificate template — get a value or an
//! error, never a panic.
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
    // The text as a district's certificate template, over a certificate of one record.
    if let Ok(c) = serde_json::from_str::<Certificate>(SAMPLE) {
        let _ = render::certificate_html_with_template(&c, None, text);
    }
    if let Ok(c) = serde_json::from_str::<Certificate>(text) {
        let _ = verify_certificate_offline(&c, &c.public_key);
        let _ = render::certificate_text(&c);
        let _ = render::certificate_html(&c, Some(text));
    }
});

/// A certificate of one record, as its JSON.
const SAMPLE: &str = r#"{"contact":"010","handler":"李四","identity_kind":"resident_id","identity_number":"11010519491231002X","issued_on":"2015-12-31","issuing_org":"D","issuing_org_name":"某区","ledger_id":"district","ledger_name":"某区","name":"张三","notes":"","number":"district-2015-000001","period_from":"2015-01-01","period_to":"2015-12-31","public_key":"","records":[{"content":"助老服务","date":"2015-06-02","entry_hash":"","minutes":150,"org_name":"某社区","record":"R1"}],"responsible_person":"王五","signature":"","total_minutes":150,"verification_code":"7KQ2-M9XD","volunteer":"V1"}"#;
