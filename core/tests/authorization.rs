//! Who may do what: every action the ledger authorises, tried by an actor in every role, one
//! case a cell, against one fixture ledger (a fresh copy for each case). The expected matrix
//! below is the one `docs/roles.md` shows: the test renders it and compares it with the doc's
//! table (`VL_BLESS_ROLES=1 cargo test -p volunteer-ledger --test authorization` writes it).
//! Every refusal is checked to leave the ledger exactly as it was.
//!
//! Besides the matrix, regression tests for the two rules it embodies: nobody certifies their
//! own hours (`E_OWN_RECORD`), and nobody takes another org's volunteer.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

mod common;

use common::{admin, id};

use chrono::NaiveDate;
use volunteer_ledger::*;

fn t(m: u32, d: u32, h: u32) -> Timestamp {
    Timestamp::from_local(480, 2015, m, d, h, 0).unwrap()
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2015, m, d).unwrap()
}

// ---- the fixture ----------------------------------------------------------------------------

/// The roles of the matrix's columns, relative to street SA (the org every action is about):
/// its header in the doc and the actor who holds it.
const COLUMNS: &[(&str, &str)] = &[
    ("platform admin", "admin"),
    ("org admin, own org", "admin-sa"),
    ("org admin, parent org", "admin-d"),
    ("org admin, child org", "admin-ca"),
    ("org admin, sibling org", "admin-sb"),
    ("recorder, own org", "rec-sa"),
    ("recorder, parent org", "rec-d"),
    ("recorder, child org", "rec-ca"),
    ("recorder, sibling org", "rec-sb"),
    ("team leader", "VL"),
    ("team liaison", "VI"),
    ("the volunteer", "V1"),
    ("org admin, own org, the volunteer", "V2"),
    ("unknown actor", "nobody"),
];

/// The volunteer an action is about: V1, a plain volunteer; in the last role column but one
/// the actor is V2, an admin of SA and the volunteer the action is about.
fn subject(actor: &str) -> &'static str {
    if actor == "V2" { "V2" } else { "V1" }
}

/// D (district) > SA, SB (streets); SA > CA (community), UA (work unit); SB > CB, UB.
/// Admins and recorders of D, SA, CA and SB; V2 is an admin of SA too. Volunteers V1, V2 (the
/// subjects), VL and VI live in SA. Team T at SA (leader VL, liaison VI, no members) and team
/// T2 at SA (same officers, members V1 and V2). Project PA (SA, unclaimed), activity AA (SA,
/// team T). For each subject v: `v-confirmed` (2015-06-29, 180 min, entered by the platform
/// admin), `v-pending` (06-28, 600 min: four eyes), `v-makeup` (03-03: make-up) — both
/// entered by `rec-entry`, a recorder of SA — and `v-disputed` (06-27, disputed by v). The
/// ledger has a signing key and trusts ledger L2, which made `v`'s transfer package.
/// Made on 2015-01-05; the clock stands at 2015-06-30 noon.
struct Fixture {
    ledger: Ledger,
    packages: Vec<(String, String)>,
    issuer: Issuer,
}

fn register(l: &mut Ledger, v: &str, n: u32, home: &str) {
    l.register_volunteer(
        &admin(),
        NewVolunteer {
            id: id(v),
            name: "王".into(),
            identity_kind: IdentityKind::Passport,
            identity_number: format!("E2000000{n}"),
            home_org: Some(id(home)),
        },
    )
    .unwrap();
}

fn record(rid: &str, v: &str, (m, d): (u32, u32), hours: (u32, u32), minutes: u32) -> NewRecord {
    let mut r = NewRecord::new(
        id(rid),
        id(v),
        id("SA"),
        t(m, d, hours.0),
        t(m, d, hours.1),
        minutes,
        "服务",
    );
    r.team = Some(id("T"));
    r
}

fn fixture() -> Fixture {
    let mut l = Ledger::in_memory_with_clock(
        LedgerConfig::new(id("L1"), "学田区", admin()),
        Clock::Fixed(t(1, 5, 8)),
    )
    .unwrap();
    for (o, parent, kind) in [
        ("D", None, OrgKind::District),
        ("SA", Some("D"), OrgKind::Street),
        ("SB", Some("D"), OrgKind::Street),
        ("CA", Some("SA"), OrgKind::Community),
        ("UA", Some("SA"), OrgKind::WorkUnit),
        ("CB", Some("SB"), OrgKind::Community),
        ("UB", Some("SB"), OrgKind::WorkUnit),
    ] {
        l.register_org(
            &admin(),
            NewOrg {
                id: id(o),
                name: o.into(),
                kind,
                parent: parent.map(id),
            },
        )
        .unwrap();
    }
    for (a, role) in [
        ("admin-sa", Role::OrgAdmin(id("SA"))),
        ("admin-d", Role::OrgAdmin(id("D"))),
        ("admin-ca", Role::OrgAdmin(id("CA"))),
        ("admin-sb", Role::OrgAdmin(id("SB"))),
        ("rec-sa", Role::Recorder(id("SA"))),
        ("rec-d", Role::Recorder(id("D"))),
        ("rec-ca", Role::Recorder(id("CA"))),
        ("rec-sb", Role::Recorder(id("SB"))),
        ("rec-entry", Role::Recorder(id("SA"))),
        ("V2", Role::OrgAdmin(id("SA"))),
    ] {
        l.grant_role(&admin(), &id(a), role).unwrap();
    }
    for (n, v) in ["V1", "V2", "VL", "VI"].into_iter().enumerate() {
        register(&mut l, v, n as u32, "SA");
    }
    for (team, members) in [("T", vec![]), ("T2", vec![id("V1"), id("V2")])] {
        l.create_team(
            &admin(),
            NewTeam {
                id: id(team),
                org: id("SA"),
                name: team.into(),
                leader: id("VL"),
                liaisons: vec![id("VI")],
                members,
            },
        )
        .unwrap();
    }
    l.publish_project(
        &admin(),
        NewProject {
            category: "助老".into(),
            id: id("PA"),
            name: "银龄陪伴".into(),
            org: id("SA"),
        },
    )
    .unwrap();
    l.create_activity(&admin(), activity("AA")).unwrap();
    l.set_signing_key(&admin(), &[7; 32]).unwrap();
    l.set_clock(Clock::Fixed(t(6, 30, 12)));
    for v in ["V1", "V2"] {
        let entered = [
            (
                &admin(),
                record(&format!("{v}-confirmed"), v, (6, 29), (9, 12), 180),
            ),
            (
                &id("rec-entry"),
                record(&format!("{v}-pending"), v, (6, 28), (8, 18), 600),
            ),
            (
                &id("rec-entry"),
                record(&format!("{v}-makeup"), v, (3, 3), (9, 11), 120),
            ),
            (
                &admin(),
                record(&format!("{v}-disputed"), v, (6, 27), (9, 11), 120),
            ),
        ];
        for (actor, r) in entered {
            l.add_record(actor, r).unwrap();
        }
        l.dispute_record(&id(v), &id(&format!("{v}-disputed")), "时长不对")
            .unwrap();
    }
    for (v, state) in [
        ("V1-confirmed", RecordState::Confirmed),
        ("V1-pending", RecordState::Pending),
        ("V1-makeup", RecordState::Pending),
        ("V1-disputed", RecordState::Disputed),
    ] {
        assert_eq!(l.record(&id(v)).unwrap().state, state, "{v}");
    }
    // Ledger L2, where V1 and V2 served before, made their packages for L1.
    let mut l2 = Ledger::in_memory_with_clock(
        LedgerConfig::new(id("L2"), "别区", admin()),
        Clock::Fixed(t(1, 5, 8)),
    )
    .unwrap();
    l2.register_org(
        &admin(),
        NewOrg {
            id: id("X"),
            name: "X".into(),
            kind: OrgKind::Community,
            parent: None,
        },
    )
    .unwrap();
    for (n, v) in ["V1", "V2"].into_iter().enumerate() {
        register(&mut l2, v, n as u32, "X");
        let mut r = record(&format!("{v}-there"), v, (1, 3), (9, 11), 120);
        r.org = id("X");
        r.team = None;
        l2.add_record(&admin(), r).unwrap();
    }
    l2.set_signing_key(&admin(), &[8; 32]).unwrap();
    l.trust_issuer(&admin(), l2.issuer().unwrap()).unwrap();
    let packages = ["V1", "V2"]
        .into_iter()
        .map(|v| {
            let p = l2
                .export_transfer(&admin(), &id(v), Some(id("L1")))
                .unwrap();
            (v.to_owned(), p)
        })
        .collect();
    let mut l3 = Ledger::in_memory(LedgerConfig::new(id("L3"), "第三区", admin())).unwrap();
    l3.set_signing_key(&admin(), &[9; 32]).unwrap();
    Fixture {
        ledger: l,
        packages,
        issuer: l3.issuer().unwrap(),
    }
}

fn activity(a: &str) -> NewActivity {
    NewActivity {
        id: id(a),
        name: "巡逻".into(),
        org: id("SA"),
        project: None,
        team: Some(id("T")),
        start: t(6, 1, 8),
        end: t(6, 30, 20),
    }
}

// ---- the actions ------------------------------------------------------------------------------

/// What an allowed action reports: `ok`, or for a new record its state.
fn done<T>(r: Result<T>) -> Result<String> {
    r.map(|_| "ok".to_owned())
}

fn state_of(r: Result<RecordReceipt>) -> Result<String> {
    r.map(|x| x.state.as_str().to_owned())
}

type Act = fn(&mut Ledger, &Fixture, &ActorId, &str) -> Result<String>;

/// One row: the action as the doc names it, the action, and the expected outcome in each
/// column (as `COLUMNS`): `ok`, `confirmed` or `pending` (a new record's state), or a code
/// without its `E_`.
struct Row {
    action: &'static str,
    act: Act,
    expect: [&'static str; 14],
}

const F: &str = "FORBIDDEN";
const OWN: &str = "OWN_RECORD";
const FE: &str = "FOUR_EYES";
const MU: &str = "MAKEUP_NEEDS_ORG_ADMIN";

fn certificate(v: &str) -> CertificateRequest {
    CertificateRequest {
        volunteer: id(v),
        period_from: day(1, 1),
        period_to: day(12, 31),
        issuing_org: id("SA"),
        responsible_person: "甲".into(),
        handler: "乙".into(),
        contact: "1".into(),
        notes: String::new(),
    }
}

#[rustfmt::skip]
fn rows() -> Vec<Row> {
    //             P     Ao    Ap    Ac    As    Ro    Rp    Rc    Rs    L     I     V     X     U
    vec![
        Row { action: "register an org below SA", expect: ["ok", "ok", "ok", F, F, F, F, F, F, F, F, F, "ok", F],
            act: |l, _, a, _| done(l.register_org(a, NewOrg { id: id("N"), name: "N".into(), kind: OrgKind::Community, parent: Some(id("SA")) })) },
        Row { action: "register a root org", expect: ["ok", F, F, F, F, F, F, F, F, F, F, F, F, F],
            act: |l, _, a, _| done(l.register_org(a, NewOrg { id: id("N"), name: "N".into(), kind: OrgKind::District, parent: None })) },
        Row { action: "grant a role on SA (admin or recorder)", expect: ["ok", "ok", "ok", F, F, F, F, F, F, F, F, F, "ok", F],
            act: |l, _, a, _| done(l.grant_role(a, &id("newbie"), Role::Recorder(id("SA")))) },
        Row { action: "grant platform admin", expect: ["ok", F, F, F, F, F, F, F, F, F, F, F, F, F],
            act: |l, _, a, _| done(l.grant_role(a, &id("newbie"), Role::PlatformAdmin)) },
        Row { action: "register a volunteer living in SA", expect: ["ok", "ok", "ok", F, F, "ok", "ok", F, F, F, F, F, "ok", F],
            act: |l, _, a, _| done(l.register_volunteer(a, NewVolunteer { id: id("VN"), name: "李".into(), identity_kind: IdentityKind::Passport, identity_number: "E30000000".into(), home_org: Some(id("SA")) })) },
        Row { action: "create a team at SA", expect: ["ok", "ok", "ok", F, F, F, F, F, F, F, F, F, "ok", F],
            act: |l, _, a, _| done(l.create_team(a, NewTeam { id: id("TN"), org: id("SA"), name: "TN".into(), leader: id("VL"), liaisons: vec![], members: vec![] })) },
        Row { action: "add a record of the volunteer (at SA, team T)", expect: ["confirmed", "confirmed", "confirmed", F, F, "confirmed", "confirmed", F, F, "confirmed", "confirmed", "pending", "pending", F],
            act: |l, _, a, v| state_of(l.add_record(a, record("new", v, (6, 26), (9, 11), 120))) },
        Row { action: "add records in bulk (upload, sync: the same rules)", expect: ["confirmed", "confirmed", "confirmed", F, F, "confirmed", "confirmed", F, F, "confirmed", "confirmed", "pending", "pending", F],
            act: |l, _, a, v| state_of(l.add_records(a, vec![record("bulk", v, (6, 25), (9, 11), 120)]).pop().unwrap()) },
        Row { action: "add a make-up record", expect: ["confirmed", "confirmed", "confirmed", F, F, "pending", "pending", F, F, "pending", "pending", "pending", "pending", F],
            act: |l, _, a, v| state_of(l.add_record(a, record("late", v, (3, 2), (9, 11), 120))) },
        Row { action: "add a record of more than 480 minutes", expect: ["pending", "pending", "pending", F, F, "pending", "pending", F, F, "pending", "pending", "pending", "pending", F],
            act: |l, _, a, v| state_of(l.add_record(a, record("long", v, (6, 24), (8, 18), 540))) },
        Row { action: "confirm a record entered by another (four eyes)", expect: ["ok", "ok", "ok", F, F, FE, FE, F, F, FE, FE, OWN, OWN, F],
            act: |l, _, a, v| done(l.confirm_record(a, &id(&format!("{v}-pending")))) },
        Row { action: "confirm a make-up record entered by another", expect: ["ok", "ok", "ok", F, F, MU, MU, F, F, MU, MU, OWN, OWN, F],
            act: |l, _, a, v| done(l.confirm_record(a, &id(&format!("{v}-makeup")))) },
        Row { action: "amend a confirmed record", expect: ["confirmed", "confirmed", "confirmed", F, F, "confirmed", "confirmed", F, F, F, F, OWN, OWN, F],
            act: |l, _, a, v| state_of(l.amend_record(a, &id(&format!("{v}-confirmed")), record("fix", v, (6, 29), (9, 12), 150), "少记半小时")) },
        Row { action: "revoke a record", expect: ["ok", "ok", "ok", F, F, "ok", "ok", F, F, F, F, F, "ok", F],
            act: |l, _, a, v| done(l.revoke_record(a, &id(&format!("{v}-confirmed")), "重复录入")) },
        Row { action: "dispute a record", expect: ["ok", "ok", "ok", F, F, "ok", "ok", F, F, "ok", "ok", "ok", "ok", F],
            act: |l, _, a, v| done(l.dispute_record(a, &id(&format!("{v}-confirmed")), "时长不对")) },
        Row { action: "resolve a dispute", expect: ["ok", "ok", "ok", F, F, F, F, F, F, F, F, OWN, OWN, F],
            act: |l, _, a, v| done(l.resolve_dispute(a, &id(&format!("{v}-disputed")), "")) },
        Row { action: "set the volunteer's board visibility", expect: ["ok", F, F, F, F, F, F, F, F, F, F, "ok", "ok", F],
            act: |l, _, a, v| done(l.set_visibility(a, &id(v), BoardVisibility::Hidden)) },
        Row { action: "register the ledger's signing key", expect: ["ok", F, F, F, F, F, F, F, F, F, F, F, F, F],
            act: |l, _, a, _| done(l.set_signing_key(a, &[3; 32])) },
        Row { action: "trust an issuer", expect: ["ok", F, F, F, F, F, F, F, F, F, F, F, F, F],
            act: |l, f, a, _| done(l.trust_issuer(a, f.issuer.clone())) },
        Row { action: "set a year's working-day calendar", expect: ["ok", F, F, F, F, F, F, F, F, F, F, F, F, F],
            act: |l, _, a, _| done(l.set_calendar(a, 2015, vec![day(2, 18)], vec![])) },
        Row { action: "move the volunteer within SA (home to CA)", expect: ["ok", "ok", "ok", F, F, "ok", "ok", F, F, F, F, F, "ok", F],
            act: |l, _, a, v| done(l.move_volunteer(a, &id(v), Some(id("CA")), None)) },
        Row { action: "move the volunteer to SB (home to CB)", expect: ["ok", F, "ok", F, F, F, "ok", F, F, F, F, F, F, F],
            act: |l, _, a, v| done(l.move_volunteer(a, &id(v), Some(id("CB")), None)) },
        Row { action: "move the volunteer's work unit to UB", expect: ["ok", F, "ok", F, F, F, "ok", F, F, F, F, F, F, F],
            act: |l, _, a, v| done(l.move_volunteer(a, &id(v), None, Some(id("UB")))) },
        Row { action: "report the volunteer in at CA with UA", expect: ["ok", "ok", "ok", F, F, "ok", "ok", F, F, F, F, "ok", "ok", F],
            act: |l, _, a, v| done(l.report_in(a, ReportIn { community: id("CA"), date: day(6, 1), volunteer: id(v), work_unit: id("UA") })) },
        Row { action: "report the volunteer in at CB with UB", expect: ["ok", "ok", "ok", F, F, "ok", "ok", F, F, F, F, "ok", "ok", F],
            act: |l, _, a, v| done(l.report_in(a, ReportIn { community: id("CB"), date: day(6, 1), volunteer: id(v), work_unit: id("UB") })) },
        Row { action: "export the volunteer (transfer out)", expect: ["ok", "ok", "ok", F, F, "ok", "ok", F, F, F, F, F, "ok", F],
            act: |l, _, a, v| done(l.export_transfer(a, &id(v), Some(id("L9")))) },
        Row { action: "import the volunteer's transfer package", expect: ["ok", "ok", "ok", F, F, "ok", "ok", F, F, F, F, F, "ok", F],
            act: |l, f, a, v| done(l.import_transfer(a, &f.packages.iter().find(|p| p.0 == v).unwrap().1)) },
        Row { action: "issue a certificate at SA", expect: ["ok", "ok", "ok", F, F, F, F, F, F, F, F, F, OWN, F],
            act: |l, _, a, v| done(l.issue_certificate(a, certificate(v))) },
        Row { action: "admit the volunteer to team T", expect: ["ok", "ok", "ok", F, F, F, F, F, F, "ok", "ok", F, "ok", F],
            act: |l, _, a, v| done(l.join_team(a, Membership { date: day(6, 1), team: id("T"), volunteer: id(v) })) },
        Row { action: "record the volunteer leaving team T2", expect: ["ok", "ok", "ok", F, F, F, F, F, F, "ok", "ok", "ok", "ok", F],
            act: |l, _, a, v| done(l.leave_team(a, Membership { date: day(6, 1), team: id("T2"), volunteer: id(v) })) },
        Row { action: "publish a project at SA", expect: ["ok", "ok", "ok", F, F, F, F, F, F, F, F, F, "ok", F],
            act: |l, _, a, _| done(l.publish_project(a, NewProject { category: "助老".into(), id: id("PN"), name: "PN".into(), org: id("SA") })) },
        Row { action: "claim project PA for team T", expect: ["ok", "ok", "ok", F, F, F, F, F, F, "ok", "ok", F, "ok", F],
            act: |l, _, a, _| done(l.claim_project(a, ProjectClaim { project: id("PA"), team: id("T") })) },
        Row { action: "create an activity at SA for team T", expect: ["ok", "ok", "ok", F, F, "ok", "ok", F, F, "ok", "ok", F, "ok", F],
            act: |l, _, a, _| done(l.create_activity(a, activity("AN"))) },
        Row { action: "evaluate an activity at SA", expect: ["ok", "ok", "ok", F, F, "ok", "ok", F, F, F, F, F, "ok", F],
            act: |l, _, a, _| done(l.evaluate_activity(a, Evaluation { activity: id("AA"), score: 5, source: EvaluationSource::Recipient })) },
        Row { action: "record a complaint about an activity at SA", expect: ["ok", "ok", "ok", F, F, "ok", "ok", F, F, F, F, F, "ok", F],
            act: |l, _, a, v| done(l.record_complaint(a, Complaint { activity: id("AA"), reason: "迟到".into(), volunteer: Some(id(v)) })) },
        Row { action: "record the volunteer's training at SA", expect: ["ok", "ok", "ok", F, F, "ok", "ok", F, F, F, F, F, "ok", F],
            act: |l, _, a, v| done(l.record_training(a, Training { date: day(6, 1), id: id("TRN"), minutes: 90, org: id("SA"), title: "急救".into(), volunteer: id(v) })) },
        Row { action: "record the volunteer's commendation at SA", expect: ["ok", "ok", "ok", F, F, F, F, F, F, F, F, F, "ok", F],
            act: |l, _, a, v| done(l.record_commendation(a, Commendation { date: day(6, 1), id: id("CMN"), org: id("SA"), title: "优秀".into(), volunteer: id(v) })) },
    ]
}

// ---- the matrix -------------------------------------------------------------------------------

/// How a cell reads in the doc.
fn cell(outcome: &str) -> String {
    match outcome {
        "ok" => "✓".to_owned(),
        "confirmed" => "✓ confirmed".to_owned(),
        "pending" => "✓ pending".to_owned(),
        code => format!("`E_{code}`"),
    }
}

/// The matrix as `docs/roles.md` shows it: one row an action, one column a role.
fn render(rows: &[Row]) -> String {
    let mut out = String::from("| action |");
    for (header, _) in COLUMNS {
        out.push_str(&format!(" {header} |"));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(COLUMNS.len()));
    out.push('\n');
    for row in rows {
        out.push_str(&format!("| {} |", row.action));
        for outcome in row.expect {
            out.push_str(&format!(" {} |", cell(outcome)));
        }
        out.push('\n');
    }
    out
}

const BEGIN: &str = "<!-- matrix: generated by core/tests/authorization.rs -->\n";
const END: &str = "<!-- end of matrix -->";

#[test]
fn the_docs_matrix_is_the_tested_one() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/roles.md");
    let doc = std::fs::read_to_string(path).unwrap();
    let (head, rest) = doc
        .split_once(BEGIN)
        .expect("docs/roles.md has the matrix's begin marker");
    let (table, tail) = rest
        .split_once(END)
        .expect("docs/roles.md has the matrix's end marker");
    let want = render(&rows());
    if std::env::var_os("VL_BLESS_ROLES").is_some() {
        std::fs::write(path, format!("{head}{BEGIN}{want}{END}{tail}")).unwrap();
        return;
    }
    assert_eq!(
        table, want,
        "docs/roles.md's matrix is not the tested one: run with VL_BLESS_ROLES=1 to write it"
    );
}

#[test]
fn every_role_meets_every_action_as_the_matrix_says() {
    let fixture = fixture();
    let mut wrong = Vec::new();
    for row in rows() {
        for ((header, actor), want) in COLUMNS.iter().zip(row.expect) {
            let mut l = fixture.ledger.clone();
            let (before, digest) = (l.entry_count(), l.state_digest());
            let got = match (row.act)(&mut l, &fixture, &id(actor), subject(actor)) {
                Ok(outcome) => outcome,
                Err(e) => {
                    assert_eq!(
                        l.entry_count(),
                        before,
                        "{}, {header}: a refusal wrote",
                        row.action
                    );
                    assert_eq!(
                        l.state_digest(),
                        digest,
                        "{}, {header}: a refusal changed the state",
                        row.action
                    );
                    e.code().trim_start_matches("E_").to_owned()
                }
            };
            if got != want {
                wrong.push(format!(
                    "{} / {header}: expected {want}, got {got}",
                    row.action
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} cells differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

// ---- nobody certifies their own hours ----------------------------------------------------------

/// Asserts a refusal with its code, and that it wrote nothing and changed nothing.
fn refused<T: std::fmt::Debug>(
    l: &mut Ledger,
    code: &str,
    f: impl FnOnce(&mut Ledger) -> Result<T>,
) {
    let (before, digest) = (l.entry_count(), l.state_digest());
    let e = f(l).unwrap_err();
    assert_eq!(e.code(), code, "{e}");
    assert_eq!(l.entry_count(), before);
    assert_eq!(l.state_digest(), digest);
}

#[test]
fn an_org_admin_never_confirms_a_large_record_of_their_own_hours() {
    let mut l = fixture().ledger;
    // Entered by a recorder, 600 minutes: four eyes. V2 is an admin of SA, but it is theirs.
    refused(&mut l, "E_OWN_RECORD", |l| {
        l.confirm_record(&id("V2"), &id("V2-pending"))
    });
    let e = l
        .clone()
        .confirm_record(&id("V2"), &id("V2-pending"))
        .unwrap_err();
    assert!(e.to_string().contains("V2-pending"), "{e}");
    assert!(!e.to_string().contains("王"), "{e}");
    assert_eq!(e.family(), ErrorFamily::Authorization);
    // A second person does it.
    l.confirm_record(&id("admin-sa"), &id("V2-pending"))
        .unwrap();
    assert_eq!(
        l.record(&id("V2-pending")).unwrap().state,
        RecordState::Confirmed
    );
}

#[test]
fn an_admin_never_confirms_a_make_up_record_of_their_own_hours() {
    let mut l = fixture().ledger;
    refused(&mut l, "E_OWN_RECORD", |l| {
        l.confirm_record(&id("V2"), &id("V2-makeup"))
    });
    // Not as a platform admin either.
    l.grant_role(&admin(), &id("V2"), Role::PlatformAdmin)
        .unwrap();
    refused(&mut l, "E_OWN_RECORD", |l| {
        l.confirm_record(&id("V2"), &id("V2-makeup"))
    });
    l.confirm_record(&id("admin-d"), &id("V2-makeup")).unwrap();
}

#[test]
fn a_team_leader_or_recorder_never_confirms_their_own_hours() {
    let mut l = fixture().ledger;
    // The liaison enters 600 minutes for the team's leader VL: four eyes, pending.
    let r = l
        .add_record(&id("VI"), record("lead-long", "VL", (6, 25), (8, 18), 600))
        .unwrap();
    assert_eq!(r.state, RecordState::Pending);
    // VL leads the organising team and is made an admin of SA: the record is still theirs.
    l.grant_role(&admin(), &id("VL"), Role::OrgAdmin(id("SA")))
        .unwrap();
    refused(&mut l, "E_OWN_RECORD", |l| {
        l.confirm_record(&id("VL"), &id("lead-long"))
    });
    // A recorder's own report stays pending; they entered it, which is checked first.
    l.grant_role(&admin(), &id("V1"), Role::Recorder(id("SA")))
        .unwrap();
    let r = l
        .add_record(&id("V1"), record("own", "V1", (6, 26), (9, 11), 120))
        .unwrap();
    assert_eq!(r.state, RecordState::Pending);
    refused(&mut l, "E_SELF_CONFIRM", |l| {
        l.confirm_record(&id("V1"), &id("own"))
    });
    l.confirm_record(&id("rec-sa"), &id("own")).unwrap();
}

#[test]
fn an_admin_never_amends_resolves_or_certifies_their_own_records() {
    let mut l = fixture().ledger;
    refused(&mut l, "E_OWN_RECORD", |l| {
        l.amend_record(
            &id("V2"),
            &id("V2-confirmed"),
            record("fix", "V2", (6, 29), (9, 12), 170),
            "多记",
        )
    });
    refused(&mut l, "E_OWN_RECORD", |l| {
        l.amend_record(
            &id("V2"),
            &id("V2-disputed"),
            record("fix", "V2", (6, 27), (9, 11), 120),
            "改",
        )
    });
    refused(&mut l, "E_OWN_RECORD", |l| {
        l.resolve_dispute(&id("V2"), &id("V2-disputed"), "")
    });
    refused(&mut l, "E_OWN_RECORD", |l| {
        l.issue_certificate(&id("V2"), certificate("V2"))
    });
    l.grant_role(&admin(), &id("V2"), Role::PlatformAdmin)
        .unwrap();
    refused(&mut l, "E_OWN_RECORD", |l| {
        l.issue_certificate(&id("V2"), certificate("V2"))
    });
    // Others do, and V2 still acts on others' records.
    l.resolve_dispute(&id("admin-sa"), &id("V2-disputed"), "")
        .unwrap();
    l.issue_certificate(&id("admin-sa"), certificate("V2"))
        .unwrap();
    l.issue_certificate(&id("V2"), certificate("V1")).unwrap();
    l.confirm_record(&id("V2"), &id("V1-pending")).unwrap();
}

#[test]
fn an_admins_own_records_stay_pending_whichever_way_they_arrive() {
    let f = fixture();
    // One by one, in bulk, as a make-up.
    let mut l = f.ledger.clone();
    assert_eq!(
        l.add_record(&id("V2"), record("one", "V2", (6, 26), (9, 11), 120))
            .unwrap()
            .state,
        RecordState::Pending
    );
    let bulk = l.add_records(
        &id("V2"),
        vec![
            record("b1", "V2", (6, 25), (9, 11), 120),
            record("b2", "V1", (6, 25), (9, 11), 120),
        ],
    );
    let states: Vec<_> = bulk.into_iter().map(|r| r.unwrap().state).collect();
    assert_eq!(states, [RecordState::Pending, RecordState::Confirmed]);
    assert_eq!(
        l.add_record(&id("V2"), record("late", "V2", (3, 2), (9, 11), 120))
            .unwrap()
            .state,
        RecordState::Pending
    );
    // By an upload.
    let csv = "志愿者编号,组织编号,服务日期,开始时间,结束时间,记录编号\n\
               V2,SA,2015-06-24,9:00,11:00,up-1\n\
               V1,SA,2015-06-24,9:00,11:00,up-2\n";
    let report = upload(
        &mut l,
        &id("V2"),
        csv.as_bytes(),
        &ImportOptions::default(),
        false,
        Progress::none(),
    )
    .unwrap();
    assert_eq!((report.accepted, report.pending), (2, 1), "{report:?}");
    assert_eq!(l.record(&id("up-1")).unwrap().state, RecordState::Pending);
    assert_eq!(l.record(&id("up-2")).unwrap().state, RecordState::Confirmed);
    // By a sync from V2's phone.
    let mut phone = Ledger::in_memory_with_clock(
        LedgerConfig::new(id("phone"), "手机", admin()),
        Clock::Fixed(t(6, 30, 12)),
    )
    .unwrap();
    phone
        .register_org(
            &admin(),
            NewOrg {
                id: id("SA"),
                name: "SA".into(),
                kind: OrgKind::Street,
                parent: None,
            },
        )
        .unwrap();
    register(&mut phone, "V2", 1, "SA");
    // The phone knows no team T.
    let mut untagged = record("sync-1", "V2", (6, 23), (9, 11), 120);
    untagged.team = None;
    phone.add_record(&id("V2"), untagged).unwrap();
    let batch = phone.sync_batch(&id("V2"), 100).unwrap().to_json();
    l.import_sync_json(&id("V2"), &batch).unwrap();
    assert_eq!(l.record(&id("sync-1")).unwrap().state, RecordState::Pending);
    // And none of them can V2 confirm.
    for r in ["one", "b1", "late", "up-1", "sync-1"] {
        refused(&mut l, "E_SELF_CONFIRM", |l| {
            l.confirm_record(&id("V2"), &id(r))
        });
        l.confirm_record(&id("admin-d"), &id(r)).unwrap();
    }
}

// ---- nobody takes another org's volunteer ----------------------------------------------------

#[test]
fn another_streets_recorder_cannot_report_in_move_or_export_a_volunteer() {
    let f = fixture();
    let mut l = f.ledger.clone();
    // SB's recorder names SA's V1 with SB's unit, or moves V1 into SB: refused.
    let report = |community: &str, unit: &str| ReportIn {
        community: id(community),
        date: day(6, 1),
        volunteer: id("V1"),
        work_unit: id(unit),
    };
    refused(&mut l, "E_FORBIDDEN", |l| {
        l.report_in(&id("rec-sb"), report("CB", "UB"))
    });
    refused(&mut l, "E_FORBIDDEN", |l| {
        l.move_volunteer(&id("rec-sb"), &id("V1"), None, Some(id("UB")))
    });
    refused(&mut l, "E_FORBIDDEN", |l| {
        l.move_volunteer(&id("admin-sb"), &id("V1"), Some(id("CB")), None)
    });
    refused(&mut l, "E_FORBIDDEN", |l| {
        l.export_transfer(&id("admin-sb"), &id("V1"), None)
    });
    // Even once V1 named SB's unit themselves, SB's unit takes nothing.
    l.report_in(&id("V1"), report("CB", "UB")).unwrap();
    refused(&mut l, "E_FORBIDDEN", |l| {
        l.export_transfer(&id("rec-sb"), &id("V1"), None)
    });
    refused(&mut l, "E_FORBIDDEN", |l| {
        l.move_volunteer(&id("rec-sb"), &id("V1"), Some(id("CB")), None)
    });
    // SA still records V1.
    assert_eq!(
        l.add_record(&id("rec-sa"), record("still", "V1", (6, 26), (9, 11), 120))
            .unwrap()
            .state,
        RecordState::Confirmed
    );
}

#[test]
fn the_volunteers_home_org_and_the_district_still_move_report_in_and_export() {
    let f = fixture();
    let mut l = f.ledger.clone();
    // The 报到 flow: V1 reports themselves in; SA's recorder reports V2 in.
    let report = |v: &str| ReportIn {
        community: id("CA"),
        date: day(6, 1),
        volunteer: id(v),
        work_unit: id("UB"),
    };
    l.report_in(&id("V1"), report("V1")).unwrap();
    l.report_in(&id("rec-sa"), report("V2")).unwrap();
    // A move between streets goes through someone over both (the district).
    refused(&mut l, "E_FORBIDDEN", |l| {
        l.move_volunteer(&id("rec-sa"), &id("V1"), Some(id("CB")), None)
    });
    l.move_volunteer(&id("rec-d"), &id("V1"), Some(id("CB")), None)
        .unwrap();
    // Now SB holds V1, and SA does not.
    refused(&mut l, "E_FORBIDDEN", |l| {
        l.export_transfer(&id("rec-sa"), &id("V1"), None)
    });
    l.export_transfer(&id("rec-sb"), &id("V1"), None).unwrap();
    l.export_transfer(&id("admin-sa"), &id("V2"), None).unwrap();
}
