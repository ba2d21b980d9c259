//! Anomaly flags (异常提示) against bought hours: a volunteer's day of too many minutes, an
//! actor typing in too many records at once, a record entered long after its service, a record
//! entered by the volunteer it is about. Flags are not refusals: the records stand until
//! someone amends or revokes them.

use super::{HeldRecord, Ledger};
use crate::activity::{Anomaly, AnomalyKind};
use crate::error::Result;
use crate::ids::{ActorId, RecordId, VolunteerId};
use crate::record::RecordSource;
use crate::time::{Period, Timestamp};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Per volunteer and service day: the minutes served, and the last record of the day.
type Days = BTreeMap<(u32, NaiveDate), (u64, u32)>;

/// A record typed in: (actor, entry time, record).
type Typed = (u32, i64, u32);

impl Ledger {
    /// Anomaly flags for a period (DESIGN §3, against bought hours), each with its reason:
    /// a volunteer's day of more minutes than the policy flags; an actor entering more records
    /// (typed in, source `entry`) than the policy allows within its window; a record entered
    /// more than the policy's days after its service; a record entered by the volunteer it is
    /// about. Service days decide the period, entry days for bursts. Flags are not refusals:
    /// the records stand until someone amends or revokes them. Revoked and amended records are
    /// not flagged.
    pub fn anomalies(&self, period: Period) -> Result<Vec<Anomaly>> {
        let st = &self.state;
        let off = st.off;
        let mut out = Vec::new();
        let mut days = Days::new();
        let mut typed: Vec<Typed> = Vec::new();
        for (ri, rec) in st.records.iter().enumerate() {
            let ri = ri as u32;
            if !rec.live() {
                continue;
            }
            let entered = self.entry_time(rec.seq).unwrap_or(Timestamp(rec.start()));
            if rec.source_code() == RecordSource::Entry.as_code()
                && period.contains(entered.local_date(off))
            {
                typed.push((rec.recorded_by, entered.0, ri));
            }
            let day = Timestamp(rec.start()).local_date(off);
            if !period.contains(day) {
                continue;
            }
            let d = days.entry((rec.vol, day)).or_default();
            d.0 += u64::from(rec.minutes);
            d.1 = ri;
            self.record_flags(ri, rec, entered, day, &mut out);
        }
        self.day_flags(days, &mut out);
        self.burst_flags(typed, &mut out);
        out.sort_by(|a, b| {
            (a.day, a.kind.as_str(), &a.record).cmp(&(b.day, b.kind.as_str(), &b.record))
        });
        Ok(out)
    }

    /// The flags of one live record of the period: entered late, or entered by its volunteer.
    fn record_flags(
        &self,
        ri: u32,
        rec: &HeldRecord,
        entered: Timestamp,
        day: NaiveDate,
        out: &mut Vec<Anomaly>,
    ) {
        let st = &self.state;
        let rules = &self.config.policy.fraud;
        let rid = st.record_ids.resolve(ri).to_owned();
        let vkey = st
            .vol(rec.vol)
            .map(|v| v.key.to_string())
            .unwrap_or_default();
        let late = (entered.0 - rec.end()) / 86_400;
        if late > i64::from(rules.late_entry_days) {
            out.push(Anomaly {
                kind: AnomalyKind::LateEntry,
                record: RecordId::new(&rid).ok(),
                volunteer: VolunteerId::new(&vkey).ok(),
                actor: ActorId::new(st.actors.resolve(rec.recorded_by)).ok(),
                day,
                reason_en: format!(
                    "record {rid}: entered {late} days after the service ended (flagged after {} days)",
                    rules.late_entry_days
                ),
                reason_zh: format!(
                    "服务记录 {rid}：服务结束 {late} 天后才录入（超过 {} 天即提示）",
                    rules.late_entry_days
                ),
            });
        }
        if st.actors.resolve(rec.recorded_by) == vkey {
            let state = rec.state().as_str();
            out.push(Anomaly {
                kind: AnomalyKind::SelfRecorded,
                record: RecordId::new(&rid).ok(),
                volunteer: VolunteerId::new(&vkey).ok(),
                actor: ActorId::new(&vkey).ok(),
                day,
                reason_en: format!(
                    "record {rid}: entered by volunteer {vkey} for themselves (now {state})"
                ),
                reason_zh: format!("服务记录 {rid}：由志愿者 {vkey} 本人录入（当前状态：{state}）"),
            });
        }
    }

    /// The flags of volunteers' days of more minutes than the policy flags.
    fn day_flags(&self, days: Days, out: &mut Vec<Anomaly>) {
        let st = &self.state;
        let rules = &self.config.policy.fraud;
        for ((v, day), (minutes, last)) in days {
            if minutes <= crate::error::count(rules.flag_day_minutes) {
                continue;
            }
            let vkey = st.vol(v).map(|x| x.key.to_string()).unwrap_or_default();
            out.push(Anomaly {
                kind: AnomalyKind::DayMinutes,
                record: RecordId::new(st.record_ids.resolve(last)).ok(),
                volunteer: VolunteerId::new(&vkey).ok(),
                actor: None,
                day,
                reason_en: format!(
                    "volunteer {vkey}: {minutes} minutes on {day}, more than the {} the policy flags",
                    rules.flag_day_minutes
                ),
                reason_zh: format!(
                    "志愿者 {vkey}：{day} 当日服务 {minutes} 分钟，超过提示阈值 {} 分钟",
                    rules.flag_day_minutes
                ),
            });
        }
    }

    /// The flags of actors typing in more records than the policy allows within its window.
    fn burst_flags(&self, mut typed: Vec<Typed>, out: &mut Vec<Anomaly>) {
        let st = &self.state;
        let rules = &self.config.policy.fraud;
        typed.sort_unstable();
        let window = i64::from(rules.burst_window_seconds);
        let limit = rules.burst_entries as usize;
        let mut i = 0;
        while let Some(&(actor, t0, first)) = typed.get(i) {
            let n = typed
                .iter()
                .skip(i)
                .take_while(|(a, t, _)| *a == actor && *t - t0 < window)
                .count();
            if n > limit {
                let who = st.actors.resolve(actor).to_owned();
                let rid = st.record_ids.resolve(first).to_owned();
                out.push(Anomaly {
                    kind: AnomalyKind::Burst,
                    record: RecordId::new(&rid).ok(),
                    volunteer: None,
                    actor: ActorId::new(&who).ok(),
                    day: Timestamp(t0).local_date(st.off),
                    reason_en: format!(
                        "actor {who}: {n} records typed in within {window} s from record {rid} (flagged above {limit})"
                    ),
                    reason_zh: format!(
                        "操作人 {who}：{window} 秒内录入 {n} 条记录（自服务记录 {rid} 起，超过 {limit} 条即提示）"
                    ),
                });
                i += n;
            } else {
                i += 1;
            }
        }
    }
}
