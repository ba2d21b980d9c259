//! The generator: a seed and a size in, the same files out.
//!
//! A district (区) of streets (街道), communities (社区) and neighbourhoods (小区), teams (服务队)
//! in the communities, volunteers whose activity follows a lognormal law (most serve a few
//! times, a few serve every week), service on the monthly service day (the first Saturday),
//! the district service day (20 May), weekends and some weekdays, 1–4 hours at a time. Every
//! record passes the ledger's rules: no overlap for a volunteer, at most 600 minutes a day
//! (below the 720-minute cap, so that the benchmark's evening appends fit), nothing after the
//! clock the ledger is given.
//!
//! Files written into the output directory:
//! - `records.csv`: the upload sheet (Chinese headers, UTF-8), in service order;
//! - `records.xlsx`: the same rows as a workbook (the first 1,000,000 rows: an xlsx sheet holds
//!   at most 1,048,576);
//! - `volunteers.csv`: the register, with each volunteer's board visibility;
//! - `orgs.csv`, `teams.csv`: the district's tree and its teams;
//! - `base.db`: a file ledger with the district, teams and volunteers and no records;
//! - `ledger.db`: the same with every record uploaded from `records.csv`;
//! - `meta.json`: the size, the seed and the clock.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::Path;
use std::time::Instant;
use volunteer_ledger::import::{ImportOptions, upload};
use volunteer_ledger::*;

/// The ledger's UTC offset: +08:00.
pub const OFFSET: i32 = 480;
/// Rows per upload (and the size of the upload benchmark's sheet).
pub const CHUNK: usize = 1_000_000;
/// The upload sheet's header.
pub const HEADER: &str = "记录编号,志愿者编号,姓名,组织编号,服务队编号,服务日期,开始时间,结束时间,服务时长(分钟),服务内容";

/// A size: how many records and volunteers, over which years.
#[derive(Debug, Clone, Copy)]
pub struct Size {
    /// Its name.
    pub name: &'static str,
    /// Records to generate (a few may be dropped when a volunteer's days are full).
    pub records: usize,
    /// Volunteers registered.
    pub volunteers: usize,
    /// First year of service.
    pub first_year: i32,
    /// Last year of service.
    pub last_year: i32,
}

/// The sizes by name.
pub fn size(name: &str) -> Option<Size> {
    let (records, volunteers, first_year) = match name {
        "demo" => (10_000, 1_000, 2025),
        "small" => (100_000, 10_000, 2024),
        "medium" => (1_000_000, 100_000, 2023),
        "large" => (20_000_000, 1_000_000, 2021),
        _ => return None,
    };
    let name = match name {
        "demo" => "demo",
        "small" => "small",
        "medium" => "medium",
        _ => "large",
    };
    Some(Size {
        name,
        records,
        volunteers,
        first_year,
        last_year: 2025,
    })
}

/// The clock the ledger is given: 5 January 2026, 10:00 local.
pub fn clock() -> Timestamp {
    Timestamp::from_local(OFFSET, 2026, 1, 5, 10, 0).unwrap_or(Timestamp(0))
}

/// xoshiro256** seeded through splitmix64: small, fast and the same everywhere.
pub struct Rng([u64; 4]);

impl Rng {
    /// A generator for a seed and a stream (e.g. a volunteer's index).
    pub fn new(seed: u64, stream: u64) -> Self {
        let mut x = seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let mut next = || {
            x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = x;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        };
        Self([next(), next(), next(), next()])
    }
    /// The next 64 random bits.
    pub fn u64(&mut self) -> u64 {
        let s = &mut self.0;
        let out = s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        out
    }
    /// Uniform in [0, 1).
    pub fn f64(&mut self) -> f64 {
        (self.u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in [0, n).
    pub fn below(&mut self, n: usize) -> usize {
        ((self.u64() as u128 * n as u128) >> 64) as usize
    }
    /// One of the items.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = self.below(items.len());
        &items[i.min(items.len() - 1)]
    }
    /// A standard normal deviate (Box–Muller).
    pub fn normal(&mut self) -> f64 {
        let u = 1.0 - self.f64();
        let v = self.f64();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }
}

const STREETS: &[&str] = &[
    "东湖",
    "南苑",
    "新华",
    "长安",
    "和平",
    "建设",
    "人民路",
    "解放",
    "朝阳",
    "胜利",
    "文化",
    "滨江",
    "龙华",
    "凤凰",
    "金桥",
    "锦江",
    "西城",
    "北关",
];
const COMMUNITY_WORDS: &[&str] = &[
    "幸福", "阳光", "花园", "锦绣", "翠湖", "康乐", "春晖", "绿洲", "明珠", "紫荆", "桂苑", "丽景",
    "枫林", "东方", "嘉和", "安居", "育才", "振兴", "长青", "友谊", "新村", "柳岸", "福田", "桃园",
];
const NEIGHBOURHOOD_SUFFIX: &[&str] = &["一期", "二期", "三期", "北区", "南区", "东苑", "西苑"];
const TEAM_KINDS: &[&str] = &[
    "党员先锋志愿服务队",
    "巾帼志愿服务队",
    "青年志愿服务队",
    "银发志愿服务队",
    "文明交通志愿服务队",
    "环保志愿服务队",
    "助老志愿服务队",
    "平安巡逻志愿服务队",
];
const CONTENTS: &[&str] = &[
    "垃圾分类宣传",
    "助老陪伴",
    "文明交通引导",
    "社区环境清洁",
    "防诈骗宣传",
    "关爱留守儿童",
    "便民服务",
    "义诊咨询",
    "图书整理",
    "平安巡逻",
];
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "霞", "平", "刚", "桂英", "建华", "玉兰", "志强", "海燕", "子涵", "浩然", "欣怡",
    "宇轩",
];

/// An org of the generated tree.
pub struct GenOrg {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: OrgKind,
    /// Its parent's index.
    pub parent: Option<usize>,
}

/// A generated team.
pub struct GenTeam {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The index of its community.
    pub org: usize,
    /// Its leader's index.
    pub leader: usize,
}

/// A generated volunteer.
pub struct GenVolunteer {
    /// Name.
    pub name: String,
    /// Resident identity number.
    pub identity: String,
    /// The index of their neighbourhood.
    pub home: usize,
    /// The index of their team, if any.
    pub team: Option<usize>,
    /// Hidden from public boards.
    pub hidden: bool,
}

/// One record: a volunteer's service on a day, in half-hour slots from 07:00.
#[derive(Clone, Copy)]
pub struct GenRecord {
    /// Day since the first of January of the first year.
    pub day: u16,
    /// First half-hour slot after 07:00.
    pub slot: u8,
    /// Length in half hours.
    pub slots: u8,
    /// The volunteer's index.
    pub vol: u32,
    /// The org's index.
    pub org: u32,
    /// The team's index or `u32::MAX`.
    pub team: u32,
    /// The content's index.
    pub content: u8,
}

/// A generated district.
pub struct District {
    /// The size.
    pub size: Size,
    /// The first day of service.
    pub first_day: NaiveDate,
    /// Orgs: the district, streets, communities, neighbourhoods (parents first).
    pub orgs: Vec<GenOrg>,
    /// Teams.
    pub teams: Vec<GenTeam>,
    /// Volunteers.
    pub volunteers: Vec<GenVolunteer>,
    /// Records in service order.
    pub records: Vec<GenRecord>,
}

/// A volunteer's number.
pub fn volunteer_id(v: usize) -> String {
    format!("V{v:07}")
}

fn resident_id(rng: &mut Rng, v: usize) -> String {
    // 310115 + birth date + a sequence unique per volunteer + the GB 11643 check character.
    // Birth dates 1950–2005: disjoint 19-day windows per thousand volunteers keep every
    // (birth date, sequence) pair unique.
    let day = (v / 1000 % 1000) * 19 + rng.below(19);
    let birth = NaiveDate::from_ymd_opt(1950, 1, 1)
        .and_then(|d| d.checked_add_days(Days::new(day as u64)))
        .unwrap_or_default();
    let body = format!("310115{}{:03}", birth.format("%Y%m%d"), v % 1000);
    let check = resident_id_check_char(&body).unwrap_or('0');
    format!("{body}{check}")
}

/// Generates the district of a size and seed.
pub fn generate(size: Size, seed: u64) -> District {
    let mut rng = Rng::new(seed, u64::MAX);
    let first_day = NaiveDate::from_ymd_opt(size.first_year, 1, 1).unwrap_or_default();
    let last_day = NaiveDate::from_ymd_opt(size.last_year, 12, 31).unwrap_or_default();
    let days = (last_day - first_day).num_days() as usize + 1;

    // The tree: about one community per 500 volunteers, 4–10 per street, 2–5 neighbourhoods each.
    let communities = (size.volunteers / 500).clamp(4, 1000);
    let streets = (communities / 8).clamp(2, STREETS.len());
    let mut orgs = vec![GenOrg {
        id: "D".into(),
        name: "临江区".into(),
        kind: OrgKind::District,
        parent: None,
    }];
    let mut comm_idx = Vec::new();
    for (s, street) in STREETS.iter().take(streets).enumerate() {
        let si = orgs.len();
        let kind = if s % 5 == 4 { "镇" } else { "街道" };
        orgs.push(GenOrg {
            id: format!("S{:02}", s + 1),
            name: format!("{street}{kind}"),
            kind: OrgKind::Street,
            parent: Some(0),
        });
        let n = communities / streets + usize::from(s < communities % streets);
        for c in 0..n {
            let word = COMMUNITY_WORDS[c % COMMUNITY_WORDS.len()];
            let nth = c / COMMUNITY_WORDS.len();
            let name = if nth == 0 {
                format!("{word}社区")
            } else {
                format!("{word}第{}社区", nth + 1)
            };
            let ci = orgs.len();
            comm_idx.push(ci);
            orgs.push(GenOrg {
                id: format!("S{:02}C{:02}", s + 1, c + 1),
                name,
                kind: OrgKind::Community,
                parent: Some(si),
            });
        }
    }
    let mut hood_idx: Vec<Vec<usize>> = Vec::new();
    for &ci in &comm_idx {
        let n = 2 + rng.below(4);
        let mut hs = Vec::new();
        for h in 0..n {
            let base = orgs[ci].name.trim_end_matches("社区").to_string();
            let name = if h == 0 {
                format!("{base}小区")
            } else {
                format!(
                    "{base}{}",
                    NEIGHBOURHOOD_SUFFIX[(h - 1) % NEIGHBOURHOOD_SUFFIX.len()]
                )
            };
            hs.push(orgs.len());
            orgs.push(GenOrg {
                id: format!("{}N{}", orgs[ci].id, h + 1),
                name,
                kind: OrgKind::Neighbourhood,
                parent: Some(ci),
            });
        }
        hood_idx.push(hs);
    }

    // Volunteers: a home neighbourhood, a name, an identity number; 2% hidden from boards.
    let mut volunteers = Vec::with_capacity(size.volunteers);
    let mut members: Vec<Vec<usize>> = vec![Vec::new(); comm_idx.len()];
    for v in 0..size.volunteers {
        let c = rng.below(comm_idx.len());
        let home = *rng.pick(&hood_idx[c]);
        let name = format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN));
        let identity = resident_id(&mut rng, v);
        let hidden = rng.f64() < 0.02;
        members[c].push(v);
        volunteers.push(GenVolunteer {
            name,
            identity,
            home,
            team: None,
            hidden,
        });
    }
    // Teams: two or three per community, led by one of its volunteers; a third of the
    // community's volunteers serve in one of them.
    let mut teams: Vec<GenTeam> = Vec::new();
    for (c, &ci) in comm_idx.iter().enumerate() {
        if members[c].is_empty() {
            continue;
        }
        let n = 2 + rng.below(2);
        let first = teams.len();
        for t in 0..n {
            let kind = TEAM_KINDS[(c + t * 3) % TEAM_KINDS.len()];
            let leader = *rng.pick(&members[c]);
            teams.push(GenTeam {
                id: format!("T{:05}", teams.len() + 1),
                name: format!("{}{kind}", orgs[ci].name),
                org: ci,
                leader,
            });
        }
        for &v in &members[c] {
            if rng.f64() < 0.33 {
                volunteers[v].team = Some(first + rng.below(n));
            }
        }
        for (t, team) in teams.iter().enumerate().skip(first) {
            volunteers[team.leader].team = Some(t);
        }
    }

    // Activity: a lognormal weight per volunteer (σ = 1.5, capped) and the day each joined.
    let weights: Vec<f64> = (0..size.volunteers)
        .map(|_| (1.5 * rng.normal()).exp().min(200.0))
        .collect();
    let total: f64 = weights.iter().sum();
    let mut cumulative = Vec::with_capacity(weights.len());
    let mut acc = 0.0;
    for w in &weights {
        acc += w / total;
        cumulative.push(acc);
    }
    let mut counts = vec![0u32; size.volunteers];
    for _ in 0..size.records {
        let x = rng.f64();
        let v = cumulative
            .partition_point(|&c| c <= x)
            .min(size.volunteers - 1);
        counts[v] += 1;
    }

    // The calendar: monthly service days (first Saturdays), 20 May, weekends, weekdays.
    let all: Vec<NaiveDate> = (0..days)
        .filter_map(|d| first_day.checked_add_days(Days::new(d as u64)))
        .collect();
    let first_saturdays: Vec<usize> = all
        .iter()
        .enumerate()
        .filter(|(_, d)| d.weekday() == Weekday::Sat && d.day() <= 7)
        .map(|(i, _)| i)
        .collect();
    let may20: Vec<usize> = all
        .iter()
        .enumerate()
        .filter(|(_, d)| d.month() == 5 && d.day() == 20)
        .map(|(i, _)| i)
        .collect();
    let weekends: Vec<usize> = all
        .iter()
        .enumerate()
        .filter(|(_, d)| matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .map(|(i, _)| i)
        .collect();
    let weekdays: Vec<usize> = all
        .iter()
        .enumerate()
        .filter(|(_, d)| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .map(|(i, _)| i)
        .collect();
    // Start (half hours after 07:00) and length (half hours, 1–4 hours).
    const STARTS: &[u8] = &[2, 3, 3, 4, 4, 4, 5, 6, 13, 14, 14, 15, 16, 23, 24];
    const LENGTHS: &[u8] = &[2, 2, 2, 3, 3, 4, 4, 4, 5, 6, 6, 8];
    const LAST_SLOT: u8 = 30; // 22:00

    let mut records = Vec::with_capacity(size.records);
    let mut busy: HashMap<u16, u32> = HashMap::new();
    for (v, &n) in counts.iter().enumerate() {
        if n == 0 {
            continue;
        }
        let mut r = Rng::new(seed, v as u64);
        // 60% joined during the period: their service starts on their joining day.
        let joined = if r.f64() < 0.6 {
            r.below(days * 4 / 5)
        } else {
            0
        };
        busy.clear();
        let vol = &volunteers[v];
        let community = orgs[vol.home].parent.unwrap_or(0);
        let street = orgs[community].parent.unwrap_or(0);
        for _ in 0..n {
            for _attempt in 0..40 {
                let x = r.f64();
                let pool: &[usize] = if x < 0.22 {
                    &first_saturdays
                } else if x < 0.26 {
                    &may20
                } else if x < 0.70 {
                    &weekends
                } else {
                    &weekdays
                };
                let day = *r.pick(pool);
                if day < joined {
                    continue;
                }
                let slot = *r.pick(STARTS);
                let slots = (*r.pick(LENGTHS)).min(LAST_SLOT - slot);
                let mask = ((1u32 << slots) - 1) << slot;
                let used = busy.get(&(day as u16)).copied().unwrap_or(0);
                if used & mask != 0 || (used.count_ones() + u32::from(slots)) * 30 > 600 {
                    continue;
                }
                busy.insert(day as u16, used | mask);
                let y = r.f64();
                let (org, team) = match vol.team {
                    Some(t) if y < 0.25 => (teams[t].org, t as u32),
                    _ if y < 0.55 => (community, u32::MAX),
                    _ if y < 0.80 => (vol.home, u32::MAX),
                    _ if y < 0.95 => (street, u32::MAX),
                    _ => (0, u32::MAX),
                };
                records.push(GenRecord {
                    day: day as u16,
                    slot,
                    slots,
                    vol: v as u32,
                    org: org as u32,
                    team,
                    content: r.below(CONTENTS.len()) as u8,
                });
                break;
            }
        }
    }
    records.sort_unstable_by_key(|r| (r.day, r.slot, r.vol));
    District {
        size,
        first_day,
        orgs,
        teams,
        volunteers,
        records,
    }
}

fn hhmm(slot: u8) -> String {
    let m = 7 * 60 + u32::from(slot) * 30;
    format!("{:02}:{:02}", m / 60, m % 60)
}

impl District {
    /// The local date of a day index.
    pub fn date(&self, day: u16) -> NaiveDate {
        self.first_day
            .checked_add_days(Days::new(u64::from(day)))
            .unwrap_or_default()
    }

    /// The CSV line of record `i` (no line break).
    pub fn csv_line(&self, i: usize, out: &mut String) {
        let r = &self.records[i];
        let v = &self.volunteers[r.vol as usize];
        let team = if r.team == u32::MAX {
            ""
        } else {
            &self.teams[r.team as usize].id
        };
        let _ = write!(
            out,
            "R{i:09},{},{},{},{team},{},{},{},{},{}",
            volunteer_id(r.vol as usize),
            v.name,
            self.orgs[r.org as usize].id,
            self.date(r.day),
            hhmm(r.slot),
            hhmm(r.slot + r.slots),
            u32::from(r.slots) * 30,
            CONTENTS[usize::from(r.content)],
        );
    }

    /// The upload sheet of records `from..to`.
    pub fn csv(&self, from: usize, to: usize) -> Vec<u8> {
        let mut s = String::with_capacity((to - from) * 100 + 200);
        s.push_str(HEADER);
        s.push('\n');
        for i in from..to {
            self.csv_line(i, &mut s);
            s.push('\n');
        }
        s.into_bytes()
    }

    /// Writes every file into `dir`.
    pub fn write(&self, dir: &Path, seed: u64) -> Result<(), Box<dyn std::error::Error>> {
        std::fs::create_dir_all(dir)?;
        let t = Instant::now();
        {
            use std::io::Write;
            let mut w = std::io::BufWriter::new(std::fs::File::create(dir.join("records.csv"))?);
            writeln!(w, "{HEADER}")?;
            let mut line = String::new();
            for i in 0..self.records.len() {
                line.clear();
                self.csv_line(i, &mut line);
                writeln!(w, "{line}")?;
            }
            w.flush()?;
            let mut w = std::io::BufWriter::new(std::fs::File::create(dir.join("volunteers.csv"))?);
            writeln!(w, "志愿者编号,姓名,证件号码,所属组织,服务队编号,排行榜显示")?;
            for (i, v) in self.volunteers.iter().enumerate() {
                let team = v.team.map_or("", |t| self.teams[t].id.as_str());
                let shown = if v.hidden { "hidden" } else { "public" };
                writeln!(
                    w,
                    "{},{},{},{},{team},{shown}",
                    volunteer_id(i),
                    v.name,
                    v.identity,
                    self.orgs[v.home].id
                )?;
            }
            w.flush()?;
            let mut w = std::io::BufWriter::new(std::fs::File::create(dir.join("orgs.csv"))?);
            writeln!(w, "组织编号,名称,类型,上级组织编号")?;
            for o in &self.orgs {
                let parent = o.parent.map_or("", |p| self.orgs[p].id.as_str());
                writeln!(w, "{},{},{:?},{parent}", o.id, o.name, o.kind)?;
            }
            w.flush()?;
            let mut w = std::io::BufWriter::new(std::fs::File::create(dir.join("teams.csv"))?);
            writeln!(w, "服务队编号,名称,组织编号,队长志愿者编号")?;
            for t in &self.teams {
                writeln!(
                    w,
                    "{},{},{},{}",
                    t.id,
                    t.name,
                    self.orgs[t.org].id,
                    volunteer_id(t.leader)
                )?;
            }
            w.flush()?;
        }
        eprintln!("gen: CSV files in {:.1} s", t.elapsed().as_secs_f64());

        let t = Instant::now();
        self.write_xlsx(&dir.join("records.xlsx"))?;
        eprintln!("gen: records.xlsx in {:.1} s", t.elapsed().as_secs_f64());

        let t = Instant::now();
        let base = dir.join("base.db");
        let ledger = dir.join("ledger.db");
        for p in [&base, &ledger] {
            remove_db(p);
        }
        self.base_ledger(&base)?;
        copy_ledger_file(&base, &ledger)?;
        eprintln!("gen: base.db in {:.1} s", t.elapsed().as_secs_f64());
        let t = Instant::now();
        let mut l = Ledger::open(&ledger)?;
        l.set_clock(Clock::Fixed(clock()));
        let admin = admin();
        let mut from = 0;
        while from < self.records.len() {
            let to = (from + CHUNK).min(self.records.len());
            let report = upload(
                &mut l,
                &admin,
                &self.csv(from, to),
                &ImportOptions::default(),
                false,
                Progress::none(),
            )?;
            if report.accepted as usize != to - from {
                return Err(format!(
                    "the ledger refused generated rows: {:?}",
                    report.rejected.first()
                )
                .into());
            }
            from = to;
        }
        drop(l); // writes the snapshot
        eprintln!(
            "gen: ledger.db ({} records) in {:.1} s",
            self.records.len(),
            t.elapsed().as_secs_f64()
        );
        let meta = serde_json::json!({
            "size": self.size.name,
            "seed": seed,
            "records": self.records.len(),
            "volunteers": self.volunteers.len(),
            "orgs": self.orgs.len(),
            "teams": self.teams.len(),
            "first_day": self.first_day.to_string(),
            "last_day": format!("{}-12-31", self.size.last_year),
            "clock": clock().to_rfc3339(time::offset(OFFSET)?),
            "hidden": self.volunteers.iter().filter(|v| v.hidden).count(),
        });
        std::fs::write(dir.join("meta.json"), serde_json::to_string_pretty(&meta)?)?;
        Ok(())
    }

    fn write_xlsx(&self, path: &Path) -> Result<(), Box<dyn std::error::Error>> {
        use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook};
        let mut wb = Workbook::new();
        // A fixed creation time: the same seed and size give the same bytes.
        let created = ExcelDateTime::from_ymd(2026, 1, 5)?;
        wb.set_properties(&DocProperties::new().set_creation_datetime(&created));
        let ws = wb.add_worksheet();
        ws.set_name("服务记录")?;
        for (c, h) in HEADER.split(',').enumerate() {
            ws.write_string(0, c as u16, h)?;
        }
        let mut line = String::new();
        for i in 0..self.records.len().min(CHUNK) {
            line.clear();
            self.csv_line(i, &mut line);
            let row = i as u32 + 1;
            for (c, cell) in line.split(',').enumerate() {
                if c == 8 {
                    ws.write_number(row, c as u16, cell.parse::<f64>().unwrap_or(0.0))?;
                } else {
                    ws.write_string(row, c as u16, cell)?;
                }
            }
        }
        wb.save(path)?;
        Ok(())
    }

    /// A file ledger holding the district, its teams and volunteers, and no records.
    pub fn base_ledger(&self, path: &Path) -> Result<(), Box<dyn std::error::Error>> {
        let admin = admin();
        let mut l = Ledger::create_with_clock(
            path,
            LedgerConfig::new("linjiang".parse()?, "临江区志愿服务记录", admin.clone()),
            Clock::Fixed(clock()),
        )?;
        let failed: Result<(), LedgerError> = l
            .batch(|l| {
                for o in &self.orgs {
                    l.register_org(
                        &admin,
                        NewOrg {
                            id: o.id.parse()?,
                            name: o.name.clone(),
                            kind: o.kind,
                            parent: match o.parent {
                                Some(p) => Some(self.orgs[p].id.parse()?),
                                None => None,
                            },
                        },
                    )?;
                }
                for (i, v) in self.volunteers.iter().enumerate() {
                    l.register_volunteer(
                        &admin,
                        NewVolunteer {
                            id: volunteer_id(i).parse()?,
                            name: v.name.clone(),
                            identity_kind: IdentityKind::ResidentId,
                            identity_number: v.identity.clone(),
                            home_org: Some(self.orgs[v.home].id.parse()?),
                        },
                    )?;
                    if v.hidden {
                        l.set_visibility(
                            &admin,
                            &volunteer_id(i).parse()?,
                            BoardVisibility::Hidden,
                        )?;
                    }
                }
                let mut members: Vec<Vec<VolunteerId>> = vec![Vec::new(); self.teams.len()];
                for (i, v) in self.volunteers.iter().enumerate() {
                    if let Some(t) = v.team {
                        members[t].push(volunteer_id(i).parse()?);
                    }
                }
                for (t, m) in self.teams.iter().zip(members) {
                    l.create_team(
                        &admin,
                        NewTeam {
                            id: t.id.parse()?,
                            leader: volunteer_id(t.leader).parse()?,
                            liaisons: Vec::new(),
                            members: m,
                            name: t.name.clone(),
                            org: self.orgs[t.org].id.parse()?,
                        },
                    )?;
                }
                Ok(())
            })
            .map_err(|e| Box::new(e) as Box<dyn std::error::Error>)?;
        failed?;
        Ok(())
    }
}

/// The platform admin who uploads.
pub fn admin() -> ActorId {
    "admin".parse().unwrap_or_else(|_| unreachable!())
}

/// Copies a closed ledger file and its key file (the ledger key that seals identity numbers).
pub fn copy_ledger_file(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::copy(from, to)?;
    std::fs::copy(key_file_of(from), key_file_of(to)).map(|_| ())
}

/// Removes a SQLite file and its WAL, shared-memory and key files.
pub fn remove_db(path: &Path) {
    for suffix in ["", "-wal", "-shm", ".key"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(p);
    }
}
