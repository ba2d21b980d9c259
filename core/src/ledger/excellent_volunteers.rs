//! Excellent volunteers (优秀志愿者): the candidates of a year, by the policy's rule — the star
//! level held at the end of the year, hours in the year, no record of the year revoked or
//! disputed, and a place among the top of their street — each with its reason in English and
//! Chinese.

use super::community_tables::year_bounds;
use super::{HeldVolunteer, Ledger, NONE, State};
use crate::activity::ExcellentCandidate;
use crate::error::Result;
use crate::ids::{VolunteerId, mask_name};
use crate::org::OrgKind;
use crate::ranking::Scope;
use crate::rating::star_summary;
use crate::record::RecordState;
use crate::team_rating::hours_text;
use crate::time::Timestamp;
use chrono::{Datelike, NaiveDate};

/// A volunteer who meets the rule but for their place in their street: (street, minutes in the
/// year, volunteer, star level at the end of the year).
type Eligible = (u32, u64, u32, i32);

impl State {
    /// The street an org lies in (itself or one above it), or `NONE`.
    fn street_of(&self, org: u32) -> u32 {
        self.ancestors(org)
            .into_iter()
            .find(|o| {
                self.orgs
                    .get(*o as usize)
                    .is_some_and(|n| n.org.kind == OrgKind::Street)
            })
            .unwrap_or(NONE)
    }

    /// Which volunteers a scope holds: those whose home org lies in an org's subtree; a team's
    /// current members; everyone.
    fn holds_in_scope(&self, scope: &Scope) -> Result<Box<dyn Fn(u32) -> bool + '_>> {
        Ok(match scope {
            Scope::All => Box::new(|_| true),
            Scope::Org(o) => {
                let o = self.org_idx(o)?;
                Box::new(move |v| {
                    self.vol(v).is_some_and(|x| {
                        x.home_org != NONE && self.ancestors(x.home_org).contains(&o)
                    })
                })
            }
            Scope::Team(t) => {
                let t = self.team_idx(t)?;
                Box::new(move |v| self.community.open(t, v).is_some())
            }
        })
    }
}

impl Ledger {
    /// Excellent-volunteer candidates (优秀志愿者) for a year and a scope (volunteers whose home
    /// org lies in an org's subtree; a team's current members; everyone), by the policy's
    /// rule: the star level held at the end of the year, counted hours in the year, no record
    /// of the year revoked or disputed, and a place among the top of their street by hours in
    /// the year (ties at the last place all kept). Each comes with the reason, in English and
    /// Chinese. Street by street (volunteers under no street last), best first.
    pub fn excellent_candidates(
        &self,
        year: i32,
        scope: &Scope,
    ) -> Result<Vec<ExcellentCandidate>> {
        let rule = &self.config.policy.excellent;
        let (_, last) = year_bounds(year)?;
        let st = &self.state;
        let in_scope = st.holds_in_scope(scope)?;
        let eligible = self.eligible_by_street(year, last, &*in_scope);
        let mut out = Vec::new();
        let (mut street, mut place, mut rank, mut prev) = (u32::MAX, 0u32, 0u32, u64::MAX);
        for (s, minutes, v, level) in eligible {
            if s != street {
                (street, place, rank, prev) = (s, 0, 0, u64::MAX);
            }
            place += 1;
            if minutes != prev {
                rank = place;
                prev = minutes;
            }
            if i64::from(rank) > i64::from(rule.top_per_street) {
                continue;
            }
            let Some(vol) = st.vol(v) else { continue };
            out.push(self.excellent_candidate(year, vol, (s, minutes, v, level), rank)?);
        }
        Ok(out)
    }

    /// The volunteers of a scope who meet the rule but for their place in their street, street
    /// by street (no street last), most minutes first (ties by volunteer number).
    fn eligible_by_street(
        &self,
        year: i32,
        last: NaiveDate,
        in_scope: &dyn Fn(u32) -> bool,
    ) -> Vec<Eligible> {
        let rule = &self.config.policy.excellent;
        let st = &self.state;
        let off = st.off;
        let mut eligible: Vec<Eligible> = Vec::new();
        for (vi, vol) in st.vols.iter().enumerate() {
            let v = vi as u32;
            if !in_scope(v) || st.keys_and_transfers.transferred_out.contains(&v) {
                continue;
            }
            let recs: Vec<_> = vol
                .records
                .iter()
                .filter_map(|&i| st.records.get(i as usize))
                .collect();
            let blemished = recs.iter().any(|r| {
                Timestamp(r.start()).local_date(off).year() == year
                    && matches!(r.state(), RecordState::Revoked | RecordState::Disputed)
            });
            let minutes = st.counted_minutes_where(v, |d| d.year() == year);
            let service = recs
                .iter()
                .filter(|r| r.counted())
                .map(|r| (Timestamp(r.start()).local_date(off), u32::from(r.minutes)))
                .chain(
                    st.keys_and_transfers
                        .carried
                        .get(&v)
                        .into_iter()
                        .flatten()
                        .map(|c| (c.start.local_date(off), c.counted_minutes())),
                )
                .filter(|(d, _)| *d <= last);
            let level = star_summary(&self.config.policy.stars, service).level;
            if blemished
                || level < rule.min_star_level
                || minutes < crate::error::count(rule.min_year_hours) * 60
            {
                continue;
            }
            eligible.push((st.street_of(vol.home_org), minutes, v, level));
        }
        eligible.sort_by(|a, b| {
            (
                a.0 == NONE,
                a.0,
                std::cmp::Reverse(a.1),
                &st.vols.get(a.2 as usize).map(|x| &x.key),
            )
                .cmp(&(
                    b.0 == NONE,
                    b.0,
                    std::cmp::Reverse(b.1),
                    &st.vols.get(b.2 as usize).map(|x| &x.key),
                ))
        });
        eligible
    }

    /// A candidate with the reason, in English and Chinese, for their place in their street.
    fn excellent_candidate(
        &self,
        year: i32,
        vol: &HeldVolunteer,
        (s, minutes, _, level): Eligible,
        rank: u32,
    ) -> Result<ExcellentCandidate> {
        let rule = &self.config.policy.excellent;
        let st = &self.state;
        let street_name = st
            .orgs
            .get(s as usize)
            .map_or_else(|| "no street".to_owned(), |o| o.org.name.clone());
        let street_zh = st
            .orgs
            .get(s as usize)
            .map_or_else(|| "未归属街道".to_owned(), |o| o.org.name.clone());
        let h = hours_text(minutes);
        let n = rule.top_per_street;
        Ok(ExcellentCandidate {
            volunteer: VolunteerId::new(&*vol.key)?,
            masked_name: mask_name(&vol.name),
            street: st.org_id(s),
            year_minutes: crate::error::signed(minutes),
            star_level: level,
            rank_in_street: i32::try_from(rank).unwrap_or(i32::MAX),
            reason_en: format!(
                "{level}★ at the end of {year} (needs {}★); {h} h in {year} (needs {} h); no revoked or disputed record in {year}; {} in {street_name} by hours (top {n})",
                rule.min_star_level,
                rule.min_year_hours,
                ordinal(rank)
            ),
            reason_zh: format!(
                "{year}年末星级 {level} 星（要求 {} 星以上）；{year}年服务 {h} 小时（要求 {} 小时以上）；{year}年无撤销或申诉中的记录；服务时长在{street_zh}排第 {rank} 名（前 {n} 名）",
                rule.min_star_level, rule.min_year_hours
            ),
        })
    }
}

/// An English ordinal: 1st, 2nd, 3rd, 4th, 11th, 21st …
fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, x) if x != 11 => "st",
        (2, x) if x != 12 => "nd",
        (3, x) if x != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}
