//! Team star ratings (服务队星级评定): what a team did in a year — members and active members,
//! their hours, months with an activity, monthly service days, evaluations and complaints —
//! scored by the policy's table or by any other.

use super::community_tables::year_bounds;
use super::{Ledger, State};
use crate::activity::TeamRating;
use crate::error::{LedgerError, Result};
use crate::ids::TeamId;
use crate::ranking::Scope;
use crate::team_rating::{TeamFacts, TeamScoring, rate_team};
use crate::time::Timestamp;
use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The first Saturday of its month (the district's monthly service day).
fn first_saturday(d: NaiveDate) -> bool {
    d.weekday() == Weekday::Sat && d.day() <= 7
}

impl State {
    /// The facts of several teams' years in one pass over the records.
    fn team_facts_of(&self, teams: &[u32], year: i32) -> Result<Vec<TeamFacts>> {
        let (first, last) = year_bounds(year)?;
        let slot: HashMap<u32, usize> = teams.iter().enumerate().map(|(i, t)| (*t, i)).collect();
        let mut minutes: Vec<BTreeMap<u32, u64>> = vec![BTreeMap::new(); teams.len()];
        let mut months: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); teams.len()];
        let mut saturdays: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); teams.len()];
        let mut facts = vec![TeamFacts::default(); teams.len()];
        for rec in self.records.iter().filter(|r| r.counted()) {
            let Some(node) = self.community.activities.get(&rec.activity) else {
                continue;
            };
            let Some(&k) = slot.get(&node.team) else {
                continue;
            };
            // An activity is held when one of its records counts; it is held in the month
            // of its planned start.
            let planned = node.activity.start.local_date(self.off);
            if planned.year() == year {
                if let Some(m) = months.get_mut(k) {
                    m.insert(planned.month());
                }
                if first_saturday(planned)
                    && let Some(s) = saturdays.get_mut(k)
                {
                    s.insert(planned.month());
                }
            }
            let day = Timestamp(rec.start()).local_date(self.off);
            if day.year() == year
                && self.community.member_on(node.team, rec.vol, day)
                && let Some(m) = minutes.get_mut(k)
            {
                *m.entry(rec.vol).or_default() += u64::from(rec.minutes);
            }
        }
        for (k, &team) in teams.iter().enumerate() {
            let (Some(f), Some(mins)) = (facts.get_mut(k), minutes.get(k)) else {
                continue;
            };
            let members = self.community.members_between(team, first, last);
            // Signed for the bindings' Java callers (see docs/decisions.md).
            let n = |x: usize| i32::try_from(x).unwrap_or(i32::MAX);
            f.members = n(members.len());
            f.active_members = n(mins.len());
            f.total_minutes = crate::error::signed(mins.values().sum());
            f.min_member_minutes = crate::error::signed(
                members
                    .iter()
                    .map(|v| mins.get(v).copied().unwrap_or(0))
                    .min()
                    .unwrap_or(0),
            );
            f.months_active = months.get(k).map_or(0, |m| n(m.len()));
            f.first_saturday_months = saturdays.get(k).map_or(0, |m| n(m.len()));
        }
        // Evaluations and complaints of the activities planned in the year.
        for (a, node) in &self.community.activities {
            let Some(f) = slot.get(&node.team).and_then(|k| facts.get_mut(*k)) else {
                continue;
            };
            if node.activity.start.local_date(self.off).year() != year {
                continue;
            }
            for (score, _) in self.community.evaluations.get(a).into_iter().flatten() {
                f.evaluations += 1;
                f.evaluation_points += i32::from(*score);
            }
            f.complaints += self
                .community
                .complaints
                .get(a)
                .map_or(0, |c| i32::try_from(c.len()).unwrap_or(i32::MAX));
        }
        Ok(facts)
    }
}

impl Ledger {
    /// What a team did in a year (see [`TeamFacts`]): only its activities count (those it
    /// organises, and those of projects it claimed), and of their records only those of
    /// volunteers who were members on the day of the service.
    pub fn team_facts(&self, team: &TeamId, year: i32) -> Result<TeamFacts> {
        let t = self.state.team_idx(team)?;
        self.state
            .team_facts_of(&[t], year)?
            .pop()
            .ok_or_else(|| LedgerError::UnknownTeam {
                id: team.to_string(),
            })
    }

    /// A team's star rating (服务队星级评定) for a year by the policy's scoring table.
    pub fn team_rating(&self, team: &TeamId, year: i32) -> Result<TeamRating> {
        self.team_rating_by(team, year, &self.config.policy.team_rating)
    }

    /// A team's rating for a year by any scoring table (checked first), such as
    /// [`TeamScoring::pvsa_group`].
    pub fn team_rating_by(
        &self,
        team: &TeamId,
        year: i32,
        table: &TeamScoring,
    ) -> Result<TeamRating> {
        table.validate()?;
        let facts = self.team_facts(team, year)?;
        Ok(TeamRating {
            team: team.clone(),
            team_name: self.team(team)?.name,
            year,
            score: rate_team(table, &facts),
            facts,
        })
    }

    /// The ratings of every team of a scope (teams of an org's subtree; for a team scope, that
    /// team) for a year by the policy's table, best first (ties by team id).
    pub fn team_ratings(&self, year: i32, scope: &Scope) -> Result<Vec<TeamRating>> {
        let table = &self.config.policy.team_rating;
        let teams: Vec<u32> = match scope {
            Scope::All => (0..self.state.teams.len() as u32).collect(),
            Scope::Org(o) => {
                let o = self.state.org_idx(o)?;
                (0..self.state.teams.len() as u32)
                    .filter(|t| {
                        self.state
                            .teams
                            .get(*t as usize)
                            .is_some_and(|n| self.state.ancestors(n.org).contains(&o))
                    })
                    .collect()
            }
            Scope::Team(t) => vec![self.state.team_idx(t)?],
        };
        let facts = self.state.team_facts_of(&teams, year)?;
        let mut out: Vec<TeamRating> = teams
            .iter()
            .zip(facts)
            .filter_map(|(t, facts)| {
                let node = self.state.teams.get(*t as usize)?;
                Some(TeamRating {
                    team: node.team.id.clone(),
                    team_name: node.team.name.clone(),
                    year,
                    score: rate_team(table, &facts),
                    facts,
                })
            })
            .collect();
        out.sort_by(|a, b| {
            b.score
                .score
                .cmp(&a.score.score)
                .then_with(|| a.team.cmp(&b.team))
        });
        Ok(out)
    }
}
