//! Certificates of 2, 15 and 40 records, issued by a ledger and written as HTML pages, for
//! tools/check_certificate_render.sh to print with a real browser.
//!
//! For each certificate `cert-N` it writes into the folder given (default target/certificates):
//! `cert-N.html` (the page), `cert-N.qr.txt` (what its QR code must decode to) and
//! `cert-N.name.txt` (the volunteer's name, which the PDF's text must hold). cert-15 carries a
//! verify URL, so its QR code is a URL; cert-2 and cert-40 carry the self-contained QR text.
//!
//!     cargo run -q -p volunteer-ledger --example certificate_pages -- target/certificates

use chrono::NaiveDate;
use std::path::PathBuf;
use volunteer_ledger::render::{certificate_html, certificate_qr_payload};
use volunteer_ledger::*;

type Failure = Box<dyn std::error::Error>;

fn id<T: std::str::FromStr>(s: &str) -> Result<T, Failure>
where
    T::Err: std::error::Error + 'static,
{
    Ok(s.parse()?)
}

/// The contents a community records, short and long.
const CONTENTS: [&str; 8] = [
    "助老服务",
    "社区环境整治",
    "图书馆阅读推广",
    "社区垃圾分类宣传与入户指导，协助整理回收站点并登记居民参与情况",
    "文明交通劝导",
    "关爱留守儿童课业辅导",
    "防汛值守",
    "疫苗接种现场秩序维护",
];

fn main() -> Result<(), Failure> {
    let out = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "target/certificates".into()),
    );
    std::fs::create_dir_all(&out)?;
    let admin: ActorId = id("admin")?;
    let mut l = Ledger::in_memory(LedgerConfig::new(
        id("xuetian")?,
        "学田区志愿服务平台",
        admin.clone(),
    ))?;
    let at = |m: u32, d: u32, h: u32| Timestamp::from_local(480, 2015, m, d, h, 0);
    l.set_clock(Clock::Fixed(at(12, 28, 12)?));
    for (o, name, parent, kind) in [
        ("D", "学田区志愿者协会", None, OrgKind::District),
        ("S1", "学田街道", Some("D"), OrgKind::Street),
        ("C1", "学田社区居委会", Some("S1"), OrgKind::Community),
        ("C2", "新时代文明实践所", Some("S1"), OrgKind::Community),
    ] {
        l.register_org(
            &admin,
            NewOrg {
                id: id(o)?,
                name: name.into(),
                kind,
                parent: parent.map(id).transpose()?,
            },
        )?;
    }
    l.set_signing_key(&admin, &[7; 32])?;
    let people = [
        (2, "V0002", "欧阳娜娜", None),
        (
            15,
            "V0015",
            "司马光明",
            Some("https://volunteer.example/verify"),
        ),
        (40, "V0040", "诸葛文清", None),
    ];
    for (n, (count, volunteer, name, url)) in people.into_iter().enumerate() {
        let first17 = format!("11010519900101{:03}", 100 + n);
        let check = resident_id_check_char(&first17).ok_or("identity")?;
        l.register_volunteer(
            &admin,
            NewVolunteer {
                id: id(volunteer)?,
                name: name.into(),
                identity_kind: IdentityKind::ResidentId,
                identity_number: format!("{first17}{check}"),
                home_org: Some(id("C1")?),
            },
        )?;
        for i in 0..count {
            let (month, day) = (1 + i / 4, 1 + (i % 4) * 7);
            let org = if i % 3 == 2 { "C2" } else { "C1" };
            // One long content among the first fifteen, as hand-kept records have.
            let content = CONTENTS
                .get((i as usize * 5 + 1) % CONTENTS.len())
                .ok_or("content")?;
            l.add_record(
                &admin,
                NewRecord::new(
                    id(&format!("{volunteer}-R{i:02}"))?,
                    id(volunteer)?,
                    id(org)?,
                    at(month, day, 9)?,
                    at(month, day, 12)?,
                    60 + (i * 37) % 120,
                    *content,
                ),
            )?;
        }
        let cert = l.issue_certificate(
            &admin,
            CertificateRequest {
                volunteer: id(volunteer)?,
                period_from: NaiveDate::from_ymd_opt(2015, 1, 1).ok_or("date")?,
                period_to: NaiveDate::from_ymd_opt(2015, 12, 31).ok_or("date")?,
                issuing_org: id("S1")?,
                responsible_person: "李建华".into(),
                handler: "王芳".into(),
                contact: "0791-86000000".into(),
                notes: "用于升学推荐".into(),
            },
        )?;
        verify_certificate_offline(&cert, &l.public_key().ok_or("key")?)?;
        let stem = out.join(format!("cert-{count}"));
        std::fs::write(stem.with_extension("html"), certificate_html(&cert, url))?;
        std::fs::write(
            stem.with_extension("qr.txt"),
            certificate_qr_payload(&cert, url),
        )?;
        std::fs::write(stem.with_extension("name.txt"), name)?;
        println!("{}", stem.with_extension("html").display());
    }
    Ok(())
}
