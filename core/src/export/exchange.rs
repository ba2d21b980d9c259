//! The exchange export (数据交换导出): an org subtree's volunteers, teams, projects, service
//! records, training, commendations and activity evaluations, one data set per sheet of an
//! XLSX workbook, or one CSV file per data set in a zip archive, for another volunteer
//! service information system to take in.
//!
//! The data sets follow the kinds of information the Ministry of Civil Affairs' 2020
//! 《志愿服务记录与证明出具办法（试行）》 (Art. 4) has an organisation record — basic personal
//! information, service, training, commendations and awards, evaluations — and the elements
//! MZ/T 061-2015 《志愿服务信息系统基本规范》 was published as covering (volunteers, teams,
//! projects, training, commendations, service time, evaluations). Column headers are data item
//! names in Chinese, or stable English keys on request; `docs/exchange.md` maps every column,
//! and says which items of the standard are not public or not held.
//!
//! Personal data leaves masked: names as first character + `*`, identity numbers as the first
//! 6 and last 4 characters, as every view of the ledger shows them.

use super::table::{Cell, Table, write_csv_zip, write_workbook};
use super::{ExportFormat, Language, Names, source_label, state_label, yes_no};
use crate::activity::EvaluationSource;
use crate::error::Result;
use crate::ids::{IdentityKind, OrgId};
use crate::ledger::{ExchangeData, Ledger};
use crate::time::Period;
use serde::{Deserialize, Serialize};

/// The version of the exchange layout, written in every sheet's title; a changed column
/// changes it.
pub const EXCHANGE_LAYOUT_VERSION: u32 = 1;

/// A data set of the exchange export: a sheet of the workbook, or a CSV file of the zip.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExchangeSet {
    /// 志愿者: basic personal information, masked, with cumulative service time.
    Volunteers,
    /// 志愿服务队: teams.
    Teams,
    /// 志愿服务项目: service projects.
    Projects,
    /// 志愿服务记录: service records, every state, with service time.
    ServiceRecords,
    /// 培训情况: training attended.
    Training,
    /// 表彰奖励情况: commendations and awards.
    Commendations,
    /// 评价情况: evaluations of activities.
    Evaluations,
}

crate::error::named_enum!(ExchangeSet, "exchange data set", {
    Volunteers => "volunteers",
    Teams => "teams",
    Projects => "projects",
    ServiceRecords => "service_records",
    Training => "training",
    Commendations => "commendations",
    Evaluations => "evaluations",
});

/// Every data set, in the order of the workbook's sheets.
pub const EXCHANGE_SETS: [ExchangeSet; 7] = [
    ExchangeSet::Volunteers,
    ExchangeSet::Teams,
    ExchangeSet::Projects,
    ExchangeSet::ServiceRecords,
    ExchangeSet::Training,
    ExchangeSet::Commendations,
    ExchangeSet::Evaluations,
];

impl ExchangeSet {
    /// The sheet's name in Chinese (`志愿者`, `志愿服务记录` …) or English (the key).
    pub fn sheet_name(self, lang: Language) -> &'static str {
        match lang {
            Language::En => self.as_str(),
            Language::Zh => match self {
                Self::Volunteers => "志愿者",
                Self::Teams => "志愿服务队",
                Self::Projects => "志愿服务项目",
                Self::ServiceRecords => "志愿服务记录",
                Self::Training => "培训情况",
                Self::Commendations => "表彰奖励情况",
                Self::Evaluations => "评价情况",
            },
        }
    }
}

/// The columns of each data set: (Chinese data item name, English key).
fn columns(set: ExchangeSet) -> &'static [(&'static str, &'static str)] {
    match set {
        ExchangeSet::Volunteers => &[
            ("志愿者编号", "volunteer_id"),
            ("姓名(脱敏)", "masked_name"),
            ("证件类型", "identity_kind"),
            ("证件号码(脱敏)", "masked_identity_number"),
            ("所属组织编号", "home_org_id"),
            ("所属组织名称", "home_org_name"),
            ("工作单位编号", "work_unit_id"),
            ("累计服务时长(小时)", "total_hours"),
            ("累计服务时长(分钟)", "total_minutes"),
            ("其中转入时长(分钟)", "carried_minutes"),
            ("星级", "star_level"),
            ("已转出", "transferred_out"),
            ("证件信息已删除", "identity_erased"),
        ],
        ExchangeSet::Teams => &[
            ("服务队编号", "team_id"),
            ("服务队名称", "team_name"),
            ("所属组织编号", "org_id"),
            ("所属组织名称", "org_name"),
            ("队长志愿者编号", "leader_id"),
            ("联络员志愿者编号", "liaison_ids"),
            ("现有队员数", "members_now"),
            ("成立日期", "founded_on"),
        ],
        ExchangeSet::Projects => &[
            ("项目编号", "project_id"),
            ("项目名称", "project_name"),
            ("服务类别", "category"),
            ("发布组织编号", "org_id"),
            ("发布组织名称", "org_name"),
            ("认领服务队编号", "claimed_by_team_id"),
        ],
        ExchangeSet::ServiceRecords => &[
            ("记录编号", "record_id"),
            ("志愿者编号", "volunteer_id"),
            ("姓名(脱敏)", "masked_name"),
            ("服务组织编号", "org_id"),
            ("服务组织名称", "org_name"),
            ("服务队编号", "team_id"),
            ("活动编号", "activity_id"),
            ("服务开始时间", "start"),
            ("服务结束时间", "end"),
            ("服务时长(小时)", "hours"),
            ("服务时长(分钟)", "minutes"),
            ("服务内容", "content"),
            ("记录状态", "state"),
            ("是否计入", "counted"),
            ("补录", "make_up"),
            ("记录来源", "source"),
            ("记录人", "recorded_by"),
            ("确认人", "confirmed_by"),
            ("更正的原记录编号", "amends_record_id"),
            ("日志序号", "entry_seq"),
        ],
        ExchangeSet::Training => &[
            ("培训编号", "training_id"),
            ("志愿者编号", "volunteer_id"),
            ("姓名(脱敏)", "masked_name"),
            ("培训名称", "title"),
            ("培训日期", "date"),
            ("培训时长(小时)", "hours"),
            ("培训时长(分钟)", "minutes"),
            ("培训组织编号", "org_id"),
            ("培训组织名称", "org_name"),
        ],
        ExchangeSet::Commendations => &[
            ("表彰编号", "commendation_id"),
            ("志愿者编号", "volunteer_id"),
            ("姓名(脱敏)", "masked_name"),
            ("表彰名称", "title"),
            ("表彰日期", "date"),
            ("表彰组织编号", "org_id"),
            ("表彰组织名称", "org_name"),
        ],
        ExchangeSet::Evaluations => &[
            ("活动编号", "activity_id"),
            ("活动名称", "activity_name"),
            ("组织编号", "org_id"),
            ("组织名称", "org_name"),
            ("服务队编号", "team_id"),
            ("项目编号", "project_id"),
            ("活动开始时间", "activity_start"),
            ("活动结束时间", "activity_end"),
            ("评价分值", "score"),
            ("评价来源", "source"),
        ],
    }
}

/// The column headers of a data set: Chinese data item names, or the English keys.
pub fn exchange_headers(set: ExchangeSet, lang: Language) -> Vec<&'static str> {
    columns(set)
        .iter()
        .map(|(zh, en)| match lang {
            Language::Zh => *zh,
            Language::En => *en,
        })
        .collect()
}

fn identity_kind_label(kind: IdentityKind, lang: Language) -> &'static str {
    match lang {
        Language::En => kind.as_str(),
        Language::Zh => match kind {
            IdentityKind::ResidentId => "居民身份证",
            IdentityKind::Passport => "护照",
            IdentityKind::HkMacauPermit => "港澳居民来往内地通行证",
            IdentityKind::TaiwanPermit => "台湾居民来往大陆通行证",
        },
    }
}

fn evaluation_source_label(source: EvaluationSource, lang: Language) -> &'static str {
    match (lang, source) {
        (Language::En, s) => s.as_str(),
        (Language::Zh, EvaluationSource::Recipient) => "服务对象",
        (Language::Zh, EvaluationSource::Org) => "组织",
    }
}

fn minutes_of(m: i64) -> u64 {
    m.unsigned_abs()
}

/// An org subtree's data sets in a period as one exchange file.
///
/// - [`ExportFormat::Xlsx`]: a workbook with one sheet per data set, in the order of
///   [`EXCHANGE_SETS`]; each sheet a title row (data set, org, period, layout version), the
///   header row, then the data. Dates are Excel date cells (`yyyy-mm-dd`), times date-and-time
///   cells (`yyyy-mm-dd hh:mm`), hours and minutes numbers.
/// - [`ExportFormat::Csv`]: a zip archive (`application/zip`) holding `<set>.csv` for each
///   data set (`volunteers.csv`, `service_records.csv` …), each UTF-8 with a byte-order mark,
///   dates `YYYY-MM-DD` and times `YYYY-MM-DD HH:MM`.
///
/// The period selects records by the local date of their start, training and commendations
/// by their date and evaluations by their activity's start; volunteers, teams and projects
/// are those of the subtree (volunteers also when another set names them). Headers are the
/// data item names in Chinese (`Language::Zh`) or English keys (`Language::En`), listed by
/// [`exchange_headers`] and mapped in `docs/exchange.md`.
///
/// Refuses an unknown org (`E_UNKNOWN_ORG`), and with `E_FIELD` a workbook that cannot be
/// written (a data set beyond Excel's 1,048,576 rows: use CSV).
pub fn exchange_file(
    ledger: &Ledger,
    org: &OrgId,
    period: Period,
    format: ExportFormat,
    lang: Language,
) -> Result<Vec<u8>> {
    let data = ledger.exchange_data(org, period)?;
    let mut names = Names::new(ledger);
    let scope = match lang {
        Language::Zh => format!("组织 {org} {} 及下级", names.org(org)?),
        Language::En => format!("org {org} {} and below", names.org(org)?),
    };
    let period_text = match (lang, period) {
        (Language::Zh, Period::All) => "全部时间".to_owned(),
        (Language::En, Period::All) => "all time".to_owned(),
        _ => period.to_string(),
    };
    let mut tables = Vec::with_capacity(EXCHANGE_SETS.len());
    for set in EXCHANGE_SETS {
        let rows = rows_of(set, ledger, &data, &mut names, lang)?;
        let name = set.sheet_name(lang);
        let title = match lang {
            Language::Zh => format!(
                "志愿服务数据交换：{name}（{scope}；{period_text}；格式版本 {EXCHANGE_LAYOUT_VERSION}）"
            ),
            Language::En => format!(
                "Volunteer service data exchange: {name} ({scope}; {period_text}; layout version {EXCHANGE_LAYOUT_VERSION})"
            ),
        };
        let table = Table {
            title,
            sheet: name.to_owned(),
            headers: exchange_headers(set, lang),
            rows,
        };
        tables.push((set, table));
    }
    match format {
        ExportFormat::Xlsx => {
            let tables: Vec<Table> = tables.into_iter().map(|(_, t)| t).collect();
            write_workbook(&tables)
        }
        ExportFormat::Csv => {
            let named: Vec<(&str, Table)> =
                tables.into_iter().map(|(s, t)| (s.as_str(), t)).collect();
            write_csv_zip(&named)
        }
    }
}

/// The rows of one data set.
fn rows_of(
    set: ExchangeSet,
    ledger: &Ledger,
    data: &ExchangeData,
    names: &mut Names<'_>,
    lang: Language,
) -> Result<Vec<Vec<Cell>>> {
    let off = ledger.utc_offset();
    let mut rows = Vec::new();
    match set {
        ExchangeSet::Volunteers => {
            for v in &data.volunteers {
                let home = match &v.home_org {
                    Some(o) => Cell::Text(names.org(o)?),
                    None => Cell::Empty,
                };
                let stars = ledger.star_summary(&v.id)?;
                rows.push(vec![
                    Cell::Text(v.id.to_string()),
                    Cell::Text(v.masked_name.clone()),
                    Cell::Text(identity_kind_label(v.identity_kind, lang).into()),
                    if v.identity_erased {
                        Cell::Empty
                    } else {
                        Cell::Text(v.masked_identity.clone())
                    },
                    Cell::text_or_empty(v.home_org.as_ref()),
                    home,
                    Cell::text_or_empty(v.work_unit.as_ref()),
                    Cell::Hours(minutes_of(v.total_minutes)),
                    Cell::Int(minutes_of(v.total_minutes)),
                    Cell::Int(minutes_of(v.carried_minutes)),
                    Cell::Int(u64::from(stars.level.unsigned_abs())),
                    Cell::Text(yes_no(v.transferred_out, lang).into()),
                    Cell::Text(yes_no(v.identity_erased, lang).into()),
                ]);
            }
        }
        ExchangeSet::Teams => {
            for t in &data.teams {
                let liaisons: Vec<String> =
                    t.team.liaisons.iter().map(ToString::to_string).collect();
                rows.push(vec![
                    Cell::Text(t.team.id.to_string()),
                    Cell::Text(t.team.name.clone()),
                    Cell::Text(t.team.org.to_string()),
                    Cell::Text(names.org(&t.team.org)?),
                    Cell::Text(t.team.leader.to_string()),
                    if liaisons.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(liaisons.join(";"))
                    },
                    Cell::Int(t.members_now),
                    t.founded.map_or(Cell::Empty, Cell::Date),
                ]);
            }
        }
        ExchangeSet::Projects => {
            for p in &data.projects {
                let n = &p.project;
                rows.push(vec![
                    Cell::Text(n.id.to_string()),
                    Cell::Text(n.name.clone()),
                    Cell::Text(n.category.clone()),
                    Cell::Text(n.org.to_string()),
                    Cell::Text(names.org(&n.org)?),
                    Cell::text_or_empty(p.claimed_by.as_ref()),
                ]);
            }
        }
        ExchangeSet::ServiceRecords => {
            for r in &data.records {
                let n = &r.record;
                let minutes = minutes_of(n.minutes);
                rows.push(vec![
                    Cell::Text(n.id.to_string()),
                    Cell::Text(n.volunteer.to_string()),
                    Cell::Text(names.volunteer(&n.volunteer)?),
                    Cell::Text(n.org.to_string()),
                    Cell::Text(names.org(&n.org)?),
                    Cell::text_or_empty(n.team.as_ref()),
                    Cell::text_or_empty(n.activity.as_ref()),
                    Cell::date_time(n.start.to_datetime(off).naive_local()),
                    Cell::date_time(n.end.to_datetime(off).naive_local()),
                    Cell::Hours(minutes),
                    Cell::Int(minutes),
                    Cell::Text(n.content.clone()),
                    Cell::Text(state_label(r.state, lang).into()),
                    Cell::Text(yes_no(r.counted, lang).into()),
                    Cell::Text(yes_no(r.make_up, lang).into()),
                    Cell::Text(source_label(n.source, lang).into()),
                    Cell::Text(r.recorded_by.to_string()),
                    Cell::text_or_empty(r.confirmed_by.as_ref()),
                    Cell::text_or_empty(r.amends.as_ref()),
                    Cell::Int(r.entry_seq.unsigned_abs()),
                ]);
            }
        }
        ExchangeSet::Training => {
            for t in &data.training {
                let minutes = u64::from(t.minutes.unsigned_abs());
                rows.push(vec![
                    Cell::Text(t.id.to_string()),
                    Cell::Text(t.volunteer.to_string()),
                    Cell::Text(names.volunteer(&t.volunteer)?),
                    Cell::Text(t.title.clone()),
                    Cell::Date(t.date),
                    Cell::Hours(minutes),
                    Cell::Int(minutes),
                    Cell::Text(t.org.to_string()),
                    Cell::Text(names.org(&t.org)?),
                ]);
            }
        }
        ExchangeSet::Commendations => {
            for c in &data.commendations {
                rows.push(vec![
                    Cell::Text(c.id.to_string()),
                    Cell::Text(c.volunteer.to_string()),
                    Cell::Text(names.volunteer(&c.volunteer)?),
                    Cell::Text(c.title.clone()),
                    Cell::Date(c.date),
                    Cell::Text(c.org.to_string()),
                    Cell::Text(names.org(&c.org)?),
                ]);
            }
        }
        ExchangeSet::Evaluations => {
            for e in &data.evaluations {
                let a = &e.activity;
                rows.push(vec![
                    Cell::Text(a.id.to_string()),
                    Cell::Text(a.name.clone()),
                    Cell::Text(a.org.to_string()),
                    Cell::Text(names.org(&a.org)?),
                    Cell::text_or_empty(a.team.as_ref()),
                    Cell::text_or_empty(a.project.as_ref()),
                    Cell::date_time(a.start.to_datetime(off).naive_local()),
                    Cell::date_time(a.end.to_datetime(off).naive_local()),
                    Cell::Int(u64::from(e.score)),
                    Cell::Text(evaluation_source_label(e.source, lang).into()),
                ]);
            }
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_set_has_unique_names_and_keys() {
        for set in EXCHANGE_SETS {
            let zh = exchange_headers(set, Language::Zh);
            let en = exchange_headers(set, Language::En);
            assert_eq!(zh.len(), en.len());
            let mut z = zh.clone();
            z.sort_unstable();
            z.dedup();
            assert_eq!(z.len(), zh.len(), "{set:?}");
            assert!(
                en.iter()
                    .all(|k| k.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
            );
            assert_eq!(ExchangeSet::parse(set.as_str()).ok(), Some(set));
        }
    }
}
