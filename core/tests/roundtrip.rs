//! Upload → export → upload is a fixed point: a ledger's records exported to a sheet and
//! uploaded into a twin ledger come back as the same records.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use volunteer_ledger::*;

fn id<T: std::str::FromStr>(s: &str) -> T
where
    T::Err: std::fmt::Debug,
{
    s.parse().unwrap()
}

/// D > C1, C2; team T1 at C1; volunteers V0..V5. The same every time, so two are twins.
fn twin() -> Ledger {
    let admin: ActorId = id("admin");
    let clock = Clock::Fixed(Timestamp::from_local(480, 2015, 7, 1, 12, 0).unwrap());
    let mut l = Ledger::in_memory_with_clock(LedgerConfig::new(id("L"), "L", admin.clone()), clock)
        .unwrap();
    for (o, p) in [("D", None), ("C1", Some("D")), ("C2", Some("D"))] {
        l.register_org(
            &admin,
            NewOrg {
                id: id(o),
                name: format!("{o}社区"),
                kind: OrgKind::Community,
                parent: p.map(id),
            },
        )
        .unwrap();
    }
    for v in 0..6 {
        l.register_volunteer(
            &admin,
            NewVolunteer {
                id: id(&format!("V{v}")),
                name: "志愿者".into(),
                identity_kind: IdentityKind::Passport,
                identity_number: format!("E0000000{v}"),
                home_org: Some(id("C1")),
            },
        )
        .unwrap();
    }
    l.create_team(
        &admin,
        NewTeam {
            id: id("T1"),
            org: id("C1"),
            name: "一队".into(),
            leader: id("V0"),
            liaisons: vec![],
            members: vec![],
        },
    )
    .unwrap();
    l
}

/// The parts of a record a sheet carries: id, volunteer, org, team, activity, start, end,
/// minutes, content.
type Carried = (
    String,
    String,
    String,
    Option<String>,
    Option<String>,
    i64,
    i64,
    i64,
    String,
);

/// The parts of a record a sheet carries.
fn carried(r: &ServiceRecord) -> Carried {
    let n = &r.record;
    (
        n.id.to_string(),
        n.volunteer.to_string(),
        n.org.to_string(),
        n.team.as_ref().map(ToString::to_string),
        n.activity.as_ref().map(ToString::to_string),
        n.start.0,
        n.end.0,
        n.minutes,
        n.content.clone(),
    )
}

fn counted(l: &Ledger) -> Vec<Carried> {
    let mut all: Vec<_> = (0..6)
        .flat_map(|v| l.records_of(&id(&format!("V{v}"))).unwrap())
        .filter(|r| r.counted)
        .map(|r| carried(&r))
        .collect();
    all.sort();
    all
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn upload_export_upload_is_a_fixed_point(
        rows in proptest::collection::vec((0u8..6, 1u32..29, 6u32..20, 0u32..60, 1u32..4, 1u32..180, any::<bool>(), any::<bool>(), "[a-z助老服务环境整治 ]{0,12}"), 1..20)
    ) {
        let admin: ActorId = id("admin");
        let mut a = twin();
        for (k, (v, day, hour, minute, span_h, minutes, team, org2, content)) in rows.into_iter().enumerate() {
            let start = Timestamp::from_local(480, 2015, 6, day, hour, minute).unwrap();
            let end = Timestamp(start.0 + i64::from(span_h) * 3600);
            let mut r = NewRecord::new(
                id(&format!("R{k}")),
                id(&format!("V{v}")),
                id(if org2 { "C2" } else { "C1" }),
                start,
                end,
                minutes.min(span_h * 60),
                content.trim(),
            );
            if team && !org2 {
                r.team = Some(id("T1"));
                r.activity = Some(id("A1"));
            }
            let _ = a.add_record(&admin, r); // overlaps and caps are refused; the rest count
        }
        let first = counted(&a);
        // Export the district's June records (counted and not), upload them into a twin.
        let sheet = records_file(&a, RecordScope::Org(id("D")), id("2015-06"), ExportFormat::Csv, Language::Zh).unwrap();
        let mut b = twin();
        let report = upload(&mut b, &admin, &sheet, &ImportOptions::default(), false, Progress::none()).unwrap();
        let again = counted(&b);
        prop_assert_eq!(&again, &first, "report: {:?}", report.rejected);
        // And once more through xlsx: still the same.
        let xlsx = records_file(&b, RecordScope::Org(id("D")), id("2015-06"), ExportFormat::Xlsx, Language::En).unwrap();
        let mut c = twin();
        upload(&mut c, &admin, &xlsx, &ImportOptions::default(), false, Progress::none()).unwrap();
        prop_assert_eq!(counted(&c), first);
    }
}
