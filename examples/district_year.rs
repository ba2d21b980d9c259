//! A small district through 2015: the sample district of `examples/data/` (3 streets,
//! 8 communities, 8 neighbourhood teams, 300 volunteers) records a year of service — monthly
//! service days on the first Saturday, the district's service day on 20 May, weekend service —
//! with self-reports, an amendment, a revocation, a dispute and a make-up record, then prints
//! the boards, star levels and standings a district office would publish, the year-end team
//! ratings of a street, the excellent-volunteer candidates and a work unit's report.
//!
//! Run with `make demo` (or `cargo run -p volunteer-ledger --example district_year`).

#![allow(clippy::indexing_slicing, clippy::too_many_arguments)]

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde_json::Value;
use std::path::PathBuf;
use volunteer_ledger::*;

const OFFSET: i32 = 480;

type Res<T> = std::result::Result<T, Box<dyn std::error::Error>>;

/// A tiny deterministic generator, so every run prints the same year.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn at(day: NaiveDate, hour: u32, minute: u32) -> Res<Timestamp> {
    Ok(Timestamp::from_local(
        OFFSET,
        day.year(),
        day.month(),
        day.day(),
        hour,
        minute,
    )?)
}

fn hours(minutes: impl Into<i128>) -> String {
    format!("{:.1} h", minutes.into() as f64 / 60.0)
}

fn stars(level: impl Into<i64>) -> String {
    "★".repeat(usize::try_from(level.into()).unwrap_or(0))
}

struct District {
    ledger: Ledger,
    admin: ActorId,
    volunteers: Vec<(VolunteerId, OrgId)>,
    teams: Vec<(TeamId, OrgId, VolunteerId)>,
    next_id: u32,
}

impl District {
    fn load() -> Res<Self> {
        let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/data");
        let district: Value =
            serde_json::from_str(&std::fs::read_to_string(data.join("district.json"))?)?;
        let admin: ActorId = "district-admin".parse()?;
        let cfg = LedgerConfig::new(
            district["ledger"]["id"]
                .as_str()
                .unwrap_or("district")
                .parse()?,
            district["ledger"]["name"].as_str().unwrap_or(""),
            admin.clone(),
        );
        // The embedded default: one SQLite file, made anew for each run of the demo.
        let out = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/demo");
        std::fs::create_dir_all(&out)?;
        let path = out.join("district.db");
        for suffix in ["", "-wal", "-shm", ".key"] {
            let mut p = path.as_os_str().to_owned();
            p.push(suffix);
            if std::path::Path::new(&p).exists() {
                std::fs::remove_file(&p)?;
            }
        }
        let mut ledger = Ledger::create(&path, cfg)?;
        ledger.set_clock(Clock::Fixed(at(
            NaiveDate::from_ymd_opt(2015, 1, 1).ok_or("date")?,
            8,
            0,
        )?));
        for o in district["orgs"].as_array().ok_or("orgs")? {
            let org: NewOrg = serde_json::from_value(o.clone())?;
            let id = org.id.clone();
            let kind = org.kind;
            ledger.register_org(&admin, org)?;
            match kind {
                OrgKind::Street => {
                    ledger.grant_role(
                        &admin,
                        &format!("admin-{id}").parse()?,
                        Role::OrgAdmin(id),
                    )?;
                }
                OrgKind::Community | OrgKind::WorkUnit => {
                    ledger.grant_role(&admin, &format!("rec-{id}").parse()?, Role::Recorder(id))?;
                }
                _ => {}
            }
        }
        let mut volunteers = Vec::new();
        let csv = std::fs::read_to_string(data.join("volunteers.csv"))?;
        for line in csv.lines().skip(1) {
            let f: Vec<&str> = line.split(',').collect();
            let [id, name, kind, number, home] = f.as_slice() else {
                return Err("bad row".into());
            };
            let v = NewVolunteer {
                id: id.parse()?,
                name: (*name).to_owned(),
                identity_kind: IdentityKind::parse(kind)?,
                identity_number: (*number).to_owned(),
                home_org: Some(home.parse()?),
            };
            // Registered by their community's recorder.
            ledger.register_volunteer(&format!("rec-{home}").parse()?, v)?;
            volunteers.push((id.parse()?, home.parse()?));
        }
        let mut teams = Vec::new();
        for t in district["teams"].as_array().ok_or("teams")? {
            let team: NewTeam = serde_json::from_value(t.clone())?;
            teams.push((team.id.clone(), team.org.clone(), team.leader.clone()));
            ledger.create_team(&admin, team)?;
        }
        Ok(Self {
            ledger,
            admin,
            volunteers,
            teams,
            next_id: 0,
        })
    }

    fn record(
        &mut self,
        actor: &ActorId,
        v: &VolunteerId,
        org: &OrgId,
        team: Option<&TeamId>,
        start: Timestamp,
        minutes: u32,
        content: &str,
    ) -> Result<RecordReceipt> {
        self.record_in(actor, v, org, team, None, start, minutes, content)
    }

    /// As `record`, naming the activity the service was part of.
    fn record_in(
        &mut self,
        actor: &ActorId,
        v: &VolunteerId,
        org: &OrgId,
        team: Option<&TeamId>,
        activity: Option<&ActivityId>,
        start: Timestamp,
        minutes: u32,
        content: &str,
    ) -> Result<RecordReceipt> {
        self.next_id += 1;
        let mut r = NewRecord::new(
            format!("2015-{:06}", self.next_id).parse()?,
            v.clone(),
            org.clone(),
            start,
            Timestamp(start.0 + i64::from(minutes) * 60 + 15 * 60),
            minutes,
            content,
        );
        r.team = team.cloned();
        r.activity = activity.cloned();
        // Recorded the evening after the service, well inside the 10-working-day window.
        self.ledger
            .set_clock(Clock::Fixed(Timestamp(start.0 + 12 * 3600)));
        self.ledger.add_record(actor, r)
    }
}

fn print_board(title: &str, b: &Leaderboard, show_stars: Option<&Ledger>) {
    println!(
        "\n{title}  [{} · {} · {} ranked · as of entry {}]",
        b.period, b.scope, b.ranked, b.as_of_seq
    );
    for e in &b.entries {
        let star = match (show_stars, &e.id) {
            (Some(l), Some(id)) => id
                .parse::<VolunteerId>()
                .ok()
                .and_then(|v| l.star_summary(&v).ok())
                .map(|s| stars(s.level))
                .unwrap_or_default(),
            _ => String::new(),
        };
        println!(
            "  {:>3}. {:<10} {:<18} {:>9} {}",
            e.rank,
            e.id.as_deref().unwrap_or("(pseudonym)"),
            e.name,
            hours(e.minutes),
            star
        );
    }
}

fn main() -> Res<()> {
    let mut d = District::load()?;
    println!("学田区 2015 — a district's year of volunteer service records");
    println!(
        "{} volunteers, {} neighbourhood teams; policy '{}' (stars at {:?} h)",
        d.volunteers.len(),
        d.teams.len(),
        d.ledger.policy().name,
        d.ledger.policy().stars.thresholds_hours
    );

    // How often each volunteer serves: most rarely, a few a lot.
    let mut rng = Lcg(2015);
    let activity: Vec<u64> = (0..d.volunteers.len())
        .map(|i| match i % 20 {
            0 => 330,
            1 | 2 => 120,
            3..=6 => 15,
            _ => 4,
        })
        .collect();
    let (mut added, mut refused) = (0u32, 0u32);
    // 学田街道 publishes a service project; 学田社区's team claims it (认领项目), so its monthly
    // activities are the project's.
    d.ledger.publish_project(
        &"admin-S01".parse()?,
        NewProject {
            category: "助老".into(),
            id: "P-S01-01".parse()?,
            name: "银龄陪伴".into(),
            org: "S01".parse()?,
        },
    )?;
    let first_team = d.teams[0].clone();
    d.ledger.claim_project(
        &ActorId::of_volunteer(&first_team.2),
        ProjectClaim {
            project: "P-S01-01".parse()?,
            team: first_team.0.clone(),
        },
    )?;
    // Evaluations come from a generator of their own, so the year's service stays as it was.
    let mut opinions = Lcg(515);
    let mut day = NaiveDate::from_ymd_opt(2015, 1, 1).ok_or("date")?;
    let last = NaiveDate::from_ymd_opt(2015, 12, 31).ok_or("date")?;
    while day <= last {
        let first_saturday = day.weekday() == Weekday::Sat && day.day() <= 7;
        let service_day = day.month() == 5 && day.day() == 20;
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        if first_saturday {
            // The monthly service day: each team's members serve, recorded by the team leader
            // as an activity of the team. Not every team holds every month's.
            for (i, (t, org, leader)) in d.teams.clone().into_iter().enumerate() {
                let held = i == 0 || day.month() % (i as u32 + 2) != 0;
                let activity: ActivityId = format!("A-{t}-{:02}", day.month()).parse()?;
                if held {
                    d.ledger.set_clock(Clock::Fixed(at(day, 8, 0)?));
                    d.ledger.create_activity(
                        &ActorId::of_volunteer(&leader),
                        NewActivity {
                            end: at(day, 13, 30)?,
                            id: activity.clone(),
                            name: format!("{}月集中服务日", day.month()),
                            org: org.clone(),
                            project: (i == 0).then(|| "P-S01-01".parse()).transpose()?,
                            start: at(day, 9, 0)?,
                            team: Some(t.clone()),
                        },
                    )?;
                }
                let members = d.ledger.team(&t)?.members;
                for m in members {
                    if rng.below(100) < 60 {
                        let minutes = 120 + 30 * rng.below(5) as u32;
                        if !held {
                            continue;
                        }
                        match d.record_in(
                            &ActorId::of_volunteer(&leader),
                            &m,
                            &org,
                            Some(&t),
                            Some(&activity),
                            at(day, 9, 0)?,
                            minutes,
                            "每月集中服务日：环境整治、助老",
                        ) {
                            // The leader's own hours wait for the community's recorder: nobody
                            // certifies their own service.
                            Ok(r) if r.state == RecordState::Pending => {
                                d.ledger
                                    .confirm_record(&format!("rec-{org}").parse()?, &r.record)?;
                                added += 1;
                            }
                            Ok(_) => added += 1,
                            Err(_) => refused += 1,
                        }
                    }
                }
                if held {
                    // The people served rate the day; the community's recorder enters it.
                    for _ in 0..1 + opinions.below(2) {
                        d.ledger.evaluate_activity(
                            &format!("rec-{org}").parse()?,
                            Evaluation {
                                activity: activity.clone(),
                                score: 3 + (opinions.below(3) as i32).min(2),
                                source: EvaluationSource::Recipient,
                            },
                        )?;
                    }
                }
            }
        } else if service_day {
            // 20 May: the district's volunteer service day, recorded by community recorders.
            for (v, home) in d.volunteers.clone() {
                if rng.below(100) < 40 {
                    let rec: ActorId = format!("rec-{home}").parse()?;
                    match d.record(
                        &rec,
                        &v,
                        &home,
                        None,
                        at(day, 8, 30)?,
                        180,
                        "全区志愿服务日",
                    ) {
                        Ok(_) => added += 1,
                        Err(_) => refused += 1,
                    }
                }
            }
        } else if weekend {
            for (i, (v, home)) in d.volunteers.clone().iter().enumerate() {
                if rng.below(365) < activity[i] {
                    let rec: ActorId = format!("rec-{home}").parse()?;
                    let minutes = 60 * (1 + rng.below(4) as u32);
                    let hour = 8 + rng.below(6) as u32;
                    match d.record(
                        &rec,
                        v,
                        home,
                        None,
                        at(day, hour, 0)?,
                        minutes,
                        "周末社区服务",
                    ) {
                        Ok(_) => added += 1,
                        Err(_) => refused += 1,
                    }
                }
            }
        }
        day += Duration::days(1);
    }
    println!("\nThe year: {added} records confirmed, {refused} refused.");

    // A volunteer reports their own hours; the recorder confirms.
    let (v, home) = d.volunteers[7].clone();
    let rec: ActorId = format!("rec-{home}").parse()?;
    let when = at(NaiveDate::from_ymd_opt(2015, 12, 9).ok_or("date")?, 14, 0)?;
    let self_report = d.record(
        &ActorId::of_volunteer(&v),
        &v,
        &home,
        None,
        when,
        90,
        "自主报告：陪伴独居老人",
    )?;
    println!(
        "\nSelf-report {} by {v}: {:?}",
        self_report.record, self_report.state
    );
    match d
        .ledger
        .confirm_record(&ActorId::of_volunteer(&v), &self_report.record)
    {
        Err(e) => println!("  {v} tries to confirm it: {} — {e}", e.code()),
        Ok(_) => println!("  unexpected: self-confirmation accepted"),
    }
    d.ledger.confirm_record(&rec, &self_report.record)?;
    println!(
        "  {rec} confirms it: {:?}",
        d.ledger.record(&self_report.record)?.state
    );

    // A recorder typed 4 hours for 2; they amend it. Another record was entered twice; revoked.
    let (v2, home2) = d.volunteers[0].clone();
    let rec2: ActorId = format!("rec-{home2}").parse()?;
    let when = at(NaiveDate::from_ymd_opt(2015, 12, 16).ok_or("date")?, 9, 0)?;
    let wrong = d.record(&rec2, &v2, &home2, None, when, 240, "助老服务")?;
    let mut fixed = d.ledger.record(&wrong.record)?.record;
    fixed.id = format!("{}-a", wrong.record).parse()?;
    fixed.minutes = 120;
    d.ledger.amend_record(
        &rec2,
        &wrong.record,
        fixed.clone(),
        "实际服务2小时，误录为4小时",
    )?;
    let old = d.ledger.record(&wrong.record)?;
    println!(
        "\nAmended {}: now {:?}, superseded by {}",
        wrong.record,
        old.state,
        old.superseded_by.map(|r| r.to_string()).unwrap_or_default()
    );
    let dup = d.record(
        &rec2,
        &v2,
        &home2,
        None,
        at(NaiveDate::from_ymd_opt(2015, 12, 17).ok_or("date")?, 9, 0)?,
        60,
        "重复录入",
    )?;
    d.ledger
        .revoke_record(&rec2, &dup.record, "同一服务重复录入")?;
    println!(
        "Revoked {}: {:?} — kept in the ledger, not counted",
        dup.record,
        d.ledger.record(&dup.record)?.state
    );

    // A volunteer disputes a record; the street admin upholds it.
    d.ledger
        .dispute_record(&ActorId::of_volunteer(&v2), &fixed.id, "我记得是2.5小时")?;
    let street = d.ledger.org(&home2)?.parent.ok_or("street")?;
    d.ledger.resolve_dispute(
        &format!("admin-{street}").parse()?,
        &fixed.id,
        "核对签到表，维持2小时",
    )?;
    println!(
        "Disputed {} and resolved by admin-{street}: {:?}",
        fixed.id,
        d.ledger.record(&fixed.id)?.state
    );

    // March service recorded in December: a make-up record (补录) that needs an org admin.
    d.next_id += 1;
    let march = at(NaiveDate::from_ymd_opt(2015, 3, 10).ok_or("date")?, 9, 0)?;
    let makeup = NewRecord::new(
        format!("2015-{:06}", d.next_id).parse()?,
        v2.clone(),
        home2.clone(),
        march,
        Timestamp(march.0 + 3 * 3600),
        180,
        "补录：3月助学活动",
    );
    let r = d.ledger.add_record(&rec2, makeup)?;
    println!(
        "\nMake-up record {} for 2015-03-10: {:?}, make_up = {}",
        r.record, r.state, r.make_up
    );
    if let Err(e) = d
        .ledger
        .confirm_record(&format!("rec-{}", "C0102").parse()?, &r.record)
    {
        println!("  another recorder tries to confirm: {}", e.code());
    }
    d.ledger
        .confirm_record(&format!("admin-{street}").parse()?, &r.record)?;
    println!(
        "  admin-{street} confirms it: {:?}",
        d.ledger.record(&r.record)?.state
    );

    // A volunteer prefers a pseudonym on public boards.
    let shy = d.volunteers[20].0.clone();
    d.ledger.set_visibility(
        &ActorId::of_volunteer(&shy),
        &shy,
        BoardVisibility::Pseudonym {
            name: "默默奉献".into(),
        },
    )?;

    let week = d
        .ledger
        .leaderboard("2015-W21".parse()?, &Scope::All, BoardKind::Volunteers, 5)?;
    print_board(
        "周排行榜 Weekly board (the week of the 20 May service day)",
        &week,
        None,
    );
    let month = d
        .ledger
        .leaderboard("2015-06".parse()?, &Scope::All, BoardKind::Volunteers, 5)?;
    print_board("月排行榜 Monthly board", &month, None);
    let year = d
        .ledger
        .leaderboard("2015".parse()?, &Scope::All, BoardKind::Volunteers, 10)?;
    let published_at = year.as_of_seq;
    print_board(
        "年排行榜 Yearly board (stars beside the name)",
        &year,
        Some(&d.ledger),
    );
    let s01 = d.ledger.leaderboard(
        "2015".parse()?,
        &Scope::Org("S01".parse()?),
        BoardKind::Volunteers,
        5,
    )?;
    print_board("学田街道 yearly board", &s01, None);
    let teams = d
        .ledger
        .leaderboard("2015".parse()?, &Scope::All, BoardKind::Teams, 8)?;
    print_board("服务队排行榜 Team board", &teams, None);
    let streets = d.ledger.leaderboard(
        "2015".parse()?,
        &Scope::Org("D".parse()?),
        BoardKind::Orgs,
        5,
    )?;
    print_board("街道排行榜 Streets of the district", &streets, None);

    // Star levels of the year's leader.
    if let Some(top) = year.entries.first().and_then(|e| e.id.clone()) {
        let v: VolunteerId = top.parse()?;
        let s = d.ledger.star_summary(&v)?;
        println!(
            "\n星级 Star summary of {v} ({}): {} {} — {}",
            d.ledger.volunteer(&v)?.masked_name,
            s.level,
            stars(s.level),
            hours(s.total_minutes)
        );
        for r in &s.reached {
            println!("  {}★ reached on {}", r.level, r.date);
        }
        if let (Some(n), Some(m)) = (s.next_level, s.minutes_to_next) {
            println!("  {} more to {n}★", hours(m));
        }
    }
    let me = d.volunteers[40].0.clone();
    let st = d.ledger.standing(&me, "2015-12".parse()?, &Scope::All)?;
    println!(
        "\n{me}: {} in 2015-12 — rank {} of {}{}",
        hours(st.minutes),
        st.rank.map_or("-".into(), |r| r.to_string()),
        st.ranked,
        match st.places_up {
            Some(p) if p > 0 => format!(", {p} places up on last month"),
            Some(p) if p < 0 => format!(", {} places down on last month", -p),
            Some(_) => ", same place as last month".into(),
            None => String::new(),
        }
    );

    issue_five(&mut d)?;

    // Credibility: the chain verifies, replay rebuilds the same state, a published board
    // can be shown again exactly after later changes.
    d.next_id += 1;
    let late = d.record(
        &d.admin.clone(),
        &me,
        &d.volunteers[40].1.clone(),
        None,
        at(NaiveDate::from_ymd_opt(2015, 12, 30).ok_or("date")?, 9, 0)?,
        240,
        "年末慰问",
    )?;
    let report = d.ledger.verify()?;
    let replayed = Ledger::from_entries(d.ledger.entries()?)?;
    println!(
        "\nverify(): {} entries, head {}…",
        report.entries,
        report.head_hash.get(..16).unwrap_or("")
    );
    println!(
        "replay rebuilds the same state: {}",
        replayed.state_digest() == d.ledger.state_digest()
    );
    let again = d.ledger.leaderboard_as_of(
        published_at,
        "2015".parse()?,
        &Scope::All,
        BoardKind::Volunteers,
        10,
    )?;
    println!(
        "the yearly board as published at entry {published_at} is shown again exactly after {} was added: {}",
        late.record,
        again == year
    );

    // ---- hand-kept sheets uploaded (手动记录上传) ---------------------------------------------
    println!("\n手动记录上传 Uploading a hand-kept sheet (GBK CSV from Excel on Chinese Windows)");
    let data = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/data");
    let sheet = std::fs::read(data.join("upload_sample_gbk.csv"))?;
    let uploader = d.admin.clone(); // the district office uploads for every street
    let opts = ImportOptions::default();
    let dry = upload(
        &mut d.ledger,
        &uploader,
        &sheet,
        &opts,
        true,
        Progress::none(),
    )?;
    println!(
        "dry run: {} rows, {} would be accepted, {} refused — nothing written",
        dry.rows,
        dry.accepted,
        dry.rejected.len()
    );
    let report = upload(
        &mut d.ledger,
        &uploader,
        &sheet,
        &opts,
        false,
        Progress::none(),
    )?;
    println!(
        "upload:  {} accepted ({} waiting for confirmation), {} refused:",
        report.accepted,
        report.pending,
        report.rejected.len()
    );
    for p in &report.rejected {
        println!(
            "  第 {:>2} 行  {:<10} {:<24} {}",
            p.row,
            p.column.as_deref().unwrap_or("-"),
            p.code,
            p.message_zh
        );
    }
    let again = upload(
        &mut d.ledger,
        &uploader,
        &sheet,
        &opts,
        false,
        Progress::none(),
    )?;
    println!(
        "the same sheet again: {} new, {} already there",
        again.accepted, again.duplicates
    );
    // Published to Excel: the yearly board and a street's June records (masked names).
    let out = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()?
        .join("target/demo");
    std::fs::create_dir_all(&out)?;
    let board = d
        .ledger
        .leaderboard("2015".parse()?, &Scope::All, BoardKind::Volunteers, 100)?;
    std::fs::write(
        out.join("2015-board.xlsx"),
        leaderboard_file(&board, ExportFormat::Xlsx, Language::Zh)?,
    )?;
    let june = records_file(
        &d.ledger,
        RecordScope::Org("S01".parse()?),
        "2015-06".parse()?,
        ExportFormat::Csv,
        Language::Zh,
    )?;
    std::fs::write(out.join("S01-2015-06.csv"), &june)?;
    println!(
        "exported: {} and {} ({} bytes)",
        out.join("2015-board.xlsx").display(),
        out.join("S01-2015-06.csv").display(),
        june.len()
    );
    // The street's data sets for another system (docs/exchange.md): a sheet each, masked.
    let exchange = exchange_file(
        &d.ledger,
        &"S01".parse()?,
        "2015".parse()?,
        ExportFormat::Xlsx,
        Language::Zh,
    )?;
    std::fs::write(out.join("S01-2015-exchange.xlsx"), &exchange)?;
    println!(
        "exchange export: {}",
        out.join("S01-2015-exchange.xlsx").display()
    );

    // ---- 2016: moves, a transfer to another district, a certificate ------------------------
    println!("\n转移接续 Moves and transfers");
    let jan5 = at(NaiveDate::from_ymd_opt(2016, 1, 5).ok_or("date")?, 10, 0)?;
    d.ledger.set_clock(Clock::Fixed(jan5));
    // The platform keeps the ledger's signing seed in its secret store; the demo uses a fixed one.
    d.ledger.set_signing_key(&d.admin, &[11u8; 32])?;

    // A volunteer moves home to a community of another street: history stays with them. The
    // district's admin moves them (a community's recorder holds neither the old home nor,
    // across streets, both).
    let (mover, old_home) = d.volunteers[62].clone();
    let before = d.ledger.volunteer(&mover)?.total_minutes;
    d.ledger
        .move_volunteer(&d.admin, &mover, Some("C0201".parse()?), None)?;
    let after = d.ledger.volunteer(&mover)?;
    println!(
        "{mover} moves from {} to {}: {} before, {} after; past records stay with {}",
        d.ledger.org(&old_home)?.name,
        d.ledger.org(&"C0201".parse()?)?.name,
        hours(before),
        hours(after.total_minutes),
        d.ledger.org(&old_home)?.name,
    );

    // The year's leader moves to 东园区, another district with its own ledger.
    let star: VolunteerId = year
        .entries
        .iter()
        .find_map(|e| e.id.clone())
        .ok_or("leader")?
        .parse()?;
    let east_admin: ActorId = "east-admin".parse()?;
    let mut east = Ledger::in_memory(LedgerConfig::new(
        "dongyuan-district".parse()?,
        "东园区志愿服务记录",
        east_admin.clone(),
    ))?;
    east.set_clock(Clock::Fixed(jan5));
    east.set_signing_key(&east_admin, &[22u8; 32])?;
    east.register_org(
        &east_admin,
        NewOrg {
            id: "E01".parse()?,
            name: "东园区".into(),
            kind: OrgKind::District,
            parent: None,
        },
    )?;
    east.register_org(
        &east_admin,
        NewOrg {
            id: "E0101".parse()?,
            name: "滨江社区".into(),
            kind: OrgKind::Community,
            parent: Some("E01".parse()?),
        },
    )?;
    east.trust_issuer(&east_admin, d.ledger.issuer()?)?;
    // 东园区 registers the newcomer with their identity card, under the same volunteer number.
    let (name, identity) = d.ledger.identity_for_certificate(&star)?;
    east.register_volunteer(
        &east_admin,
        NewVolunteer {
            id: star.clone(),
            name,
            identity_kind: identity.kind(),
            identity_number: identity.number().to_owned(),
            home_org: Some("E0101".parse()?),
        },
    )?;
    let package = d
        .ledger
        .export_transfer(&d.admin, &star, Some("dongyuan-district".parse()?))?;
    let got = east.import_transfer(&east_admin, &package)?;
    let again = east.import_transfer(&east_admin, &package)?;
    let there = east.star_summary(&star)?;
    println!(
        "{star} moves to 东园区 with a signed package ({} bytes): {} records, {} carried in; stars {} {} (1★ reached {}); sent again: duplicate = {}",
        package.len(),
        got.records_added,
        hours(got.minutes_added),
        there.level,
        stars(there.level),
        there
            .reached
            .first()
            .map(|r| r.date.to_string())
            .unwrap_or_default(),
        again.duplicate,
    );
    println!(
        "  东园区's 2015 board does not count service done elsewhere: {} ranked",
        east.leaderboard("2015".parse()?, &Scope::All, BoardKind::Volunteers, 10)?
            .ranked
    );
    let tampered = package.replacen("\"minutes\":", "\"minutes\":1", 1);
    if let Err(e) = east.import_transfer(&east_admin, &tampered) {
        println!("  a package with one byte changed is refused: {}", e.code());
    }

    // A service record certificate (志愿服务记录证明) for the year, verified online and offline.
    let (holder, holder_home) = d.volunteers[41].clone();
    let street = d.ledger.org(&holder_home)?.parent.ok_or("street")?;
    let cert = d.ledger.issue_certificate(
        &d.admin,
        CertificateRequest {
            volunteer: holder.clone(),
            period_from: NaiveDate::from_ymd_opt(2015, 1, 1).ok_or("date")?,
            period_to: NaiveDate::from_ymd_opt(2015, 12, 31).ok_or("date")?,
            issuing_org: street,
            responsible_person: "李建华".into(),
            handler: "王芳".into(),
            contact: "0791-86000000".into(),
            notes: "用于评优推荐".into(),
        },
    )?;
    println!("\n{}", volunteer_ledger::render::certificate_text(&cert));
    let page = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()?
        .join("target/demo");
    std::fs::create_dir_all(&page)?;
    let page = page.join(format!("{}.html", cert.number));
    std::fs::write(
        &page,
        volunteer_ledger::render::certificate_html(&cert, Some("https://volunteer.example/verify")),
    )?;
    println!("printable page with its QR code: {}", page.display());
    let online = d.ledger.verify_certificate(&cert.verification_code)?;
    println!(
        "online check of {}: {:?} — shows {} {} {}",
        cert.verification_code,
        online.status,
        online.masked_name,
        online.masked_identity,
        hours(online.total_minutes)
    );
    verify_certificate_offline(&cert, &d.ledger.public_key().ok_or("key")?)?;
    println!("offline check against 学田区's public key: valid");
    if let Some(first) = cert.records.first() {
        d.ledger
            .revoke_record(&d.admin, &first.record, "核查：签到记录缺失")?;
        let later = d.ledger.verify_certificate(&cert.verification_code)?;
        println!(
            "after record {} is revoked, the certificate checks as {:?}",
            first.record, later.status
        );
    }
    the_file(d)
}

/// Teams, excellent volunteers, reporting in and the checks against bought hours.
/// The ledger lives in `target/demo/district.db`: closed, opened again, and read with SQL as
/// data staff would (`sqlite3` or `pandas.read_sql` see the same tables).
fn the_file(d: District) -> Res<()> {
    let path = d.ledger.path().ok_or("a file ledger")?.to_owned();
    let (digest, entries) = (d.ledger.state_digest(), d.ledger.entry_count());
    drop(d); // closing writes a snapshot of the state
    let started = std::time::Instant::now();
    let ledger = Ledger::open(&path)?;
    println!(
        "\n== The file: {path} ==\nreopened in {} ms: {} entries, {} replayed (the rest from its snapshot), same state: {}",
        started.elapsed().as_millis(),
        ledger.entry_count(),
        ledger.replayed_at_open(),
        ledger.state_digest() == digest && ledger.entry_count() == entries
    );
    let sql = rusqlite::Connection::open(&path)?;
    let mut st = sql.prepare(
        "SELECT substr(service_date, 1, 7) AS month, count(*), round(sum(minutes) / 60.0, 1)
         FROM records WHERE counted GROUP BY month ORDER BY month",
    )?;
    println!("SQL over the records table — month, records, hours:");
    let rows = st.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, f64>(2)?,
        ))
    })?;
    for row in rows {
        let (month, n, h) = row?;
        println!("  {month}  {n:>5}  {h:>8.1} h");
    }
    Ok(())
}

fn issue_five(d: &mut District) -> Res<()> {
    let date = |m, day| NaiveDate::from_ymd_opt(2015, m, day).ok_or("date");
    // Against bought hours: nine hours typed in by a street admin wait for a second admin.
    let (v, home) = d.volunteers[3].clone();
    let street = d.ledger.org(&home)?.parent.ok_or("street")?;
    let typed = d.record(
        &format!("admin-{street}").parse()?,
        &v,
        &home,
        None,
        at(date(12, 26)?, 8, 0)?,
        540,
        "全天值守",
    )?;
    println!(
        "\n防刷时长 Four eyes: {} minutes typed in by admin-{street}: {:?}",
        540, typed.state
    );
    if let Err(e) = d
        .ledger
        .confirm_record(&format!("rec-{home}").parse()?, &typed.record)
    {
        println!("  the community's recorder tries to confirm: {}", e.code());
    }
    d.ledger.confirm_record(&d.admin.clone(), &typed.record)?;
    println!(
        "  a second admin confirms it: {:?}",
        d.ledger.record(&typed.record)?.state
    );

    // Year-end work, on 30 December.
    d.ledger.set_clock(Clock::Fixed(at(date(12, 30)?, 8, 0)?));

    // Two complaints about one team's service days count against it.
    let (t3, org3, _) = d.teams[2].clone();
    for month in [3, 9] {
        let activity: ActivityId = format!("A-{t3}-{month:02}").parse()?;
        if d.ledger.activity(&activity).is_ok() {
            d.ledger.record_complaint(
                &format!("rec-{org3}").parse()?,
                Complaint {
                    activity,
                    reason: "活动开始前未通知居民".into(),
                    volunteer: None,
                },
            )?;
        }
    }
    println!(
        "\n服务队星级评定 Year-end team ratings of 学田街道 (S01), by the '{}' table",
        d.ledger.policy().team_rating.name
    );
    for r in d.ledger.team_ratings(2015, &Scope::Org("S01".parse()?))? {
        println!(
            "
  {} {} — {} {}",
            r.team,
            r.team_name,
            stars(r.score.stars),
            r.score.summary_zh
        );
        println!("  {}", r.score.summary_en);
        for line in &r.score.lines {
            println!("    · {}", line.text_zh);
            println!("      {}", line.text_en);
        }
    }
    let (t0, _, _) = d.teams[0].clone();
    let group = d
        .ledger
        .team_rating_by(&t0, 2015, &TeamScoring::pvsa_group())?;
    println!(
        "
  The same year of {t0} by the PVSA group award table: {}",
        group.score.summary_en
    );
    for line in &group.score.lines {
        println!("    · {}", line.text_en);
    }

    let rule = &d.ledger.policy().excellent;
    println!(
        "\n优秀志愿者候选人 Excellent-volunteer candidates 2015 (rule: {}★ or more, {} h or more in the year, no revoked or disputed record, top {} per street)",
        rule.min_star_level, rule.min_year_hours, rule.top_per_street
    );
    let candidates = d.ledger.excellent_candidates(2015, &Scope::All)?;
    let mut shown: Vec<(Option<OrgId>, usize)> = Vec::new();
    for c in &candidates {
        let n = match shown.iter_mut().find(|(s, _)| *s == c.street) {
            Some((_, n)) => {
                *n += 1;
                *n
            }
            None => {
                shown.push((c.street.clone(), 1));
                1
            }
        };
        if n <= 3 {
            println!(
                "  {} {} {}",
                c.volunteer,
                c.masked_name,
                stars(c.star_level)
            );
            println!("    {}", c.reason_zh);
        }
    }
    println!(
        "  ({} candidates in all; three per street shown)",
        candidates.len()
    );

    // The first candidate's whole record: training attended, a commendation received.
    if let Some(best) = candidates.first() {
        let v = best.volunteer.clone();
        let home = d.ledger.volunteer(&v)?.home_org.ok_or("home")?;
        let street = d.ledger.org(&home)?.parent.ok_or("street")?;
        d.ledger.record_training(
            &format!("rec-{home}").parse()?,
            Training {
                date: date(3, 15)?,
                id: format!("TR-{v}-1").parse()?,
                minutes: 180,
                org: home.clone(),
                title: "应急救护培训".into(),
                volunteer: v.clone(),
            },
        )?;
        d.ledger.record_commendation(
            &format!("admin-{street}").parse()?,
            Commendation {
                date: date(12, 30)?,
                id: format!("CM-2015-{v}").parse()?,
                org: street,
                title: "2015年度优秀志愿者".into(),
                volunteer: v.clone(),
            },
        )?;
        let s = d.ledger.volunteer_summary(&v)?;
        println!(
            "\n志愿服务记录 The whole record of {v} ({}): {} service, {} training session(s), commendations: {}",
            s.volunteer.masked_name,
            hours(s.volunteer.total_minutes),
            s.training.len(),
            s.commendations
                .iter()
                .map(|c| c.title.as_str())
                .collect::<Vec<_>>()
                .join("、")
        );
    }

    // Staff of the district's civil affairs bureau report in at their home communities.
    // Four of them serve; two have no service this year and are listed all the same.
    let mut staff: Vec<(VolunteerId, OrgId)> = d
        .volunteers
        .iter()
        .enumerate()
        .filter(|(i, _)| i % 37 == 11)
        .map(|(_, v)| v.clone())
        .take(4)
        .collect();
    for v in &d.volunteers {
        if staff.len() < 6 && d.ledger.volunteer(&v.0)?.total_minutes == 0 {
            staff.push(v.clone());
        }
    }
    // Each community's recorder records the report-in of its own residents.
    for (v, home) in &staff {
        d.ledger.report_in(
            &format!("rec-{home}").parse()?,
            ReportIn {
                community: home.clone(),
                date: date(3, 5)?,
                volunteer: v.clone(),
                work_unit: "U01".parse()?,
            },
        )?;
    }
    let report = d.ledger.unit_report(&"U01".parse()?, "2015".parse()?)?;
    println!(
        "\n报到 Unit report: 区民政局 (U01), {} — {} staff, {} served, {} in all",
        report.period,
        report.staff.len(),
        report.served,
        hours(report.total_minutes)
    );
    for line in &report.staff {
        println!(
            "  {:<9} {:<6} {:>9} {:<5} reported in at {}",
            line.volunteer,
            line.masked_name,
            hours(line.minutes),
            stars(line.star_level),
            line.community_name.as_deref().unwrap_or("—")
        );
    }
    if let Some((_, home)) = staff.first() {
        let theirs = d.ledger.community_volunteers(home)?;
        println!(
            "  {home} sees {} volunteers, {} of them reported in from work units",
            theirs.len(),
            theirs.iter().filter(|c| c.reported_in).count()
        );
    }

    let flags = d.ledger.anomalies("2015".parse()?)?;
    println!("\n异常提示 Anomaly flags for 2015: {}", flags.len());
    for kind in AnomalyKind::ALL {
        let of_kind: Vec<&Anomaly> = flags.iter().filter(|f| f.kind == *kind).collect();
        if let Some(first) = of_kind.first() {
            println!("  {kind}: {} — e.g. {}", of_kind.len(), first.reason_zh);
        }
    }
    Ok(())
}
