//! The community tables: what the ledger holds of teams over time, service projects, activities
//! with their evaluations and complaints, training, commendations and reports-in — rare facts
//! kept beside the records so that a record stays 36 bytes — and the small lookups that the
//! files of those concepts share.

use super::check_text;
use super::{NONE, State};
use crate::activity::{
    Commendation, Complaint, EvaluationSource, NewActivity, NewProject, Training,
};
use crate::error::{LedgerError, Result, invalid_field};
use crate::ids::{CommendationId, OrgId, ProjectId, TrainingId, VolunteerId};
use crate::time::{Period, Timestamp};
use chrono::NaiveDate;
use std::collections::{BTreeSet, HashMap, HashSet};

/// One stretch of a volunteer's membership of a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(super) struct Stretch {
    pub(super) vol: u32,
    pub(super) from: NaiveDate,
    pub(super) to: Option<NaiveDate>,
}

/// A published project and the team that claimed it.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct ProjectNode {
    pub(super) project: NewProject,
    pub(super) org: u32,
    /// The claiming team, or `NONE`.
    pub(super) team: u32,
}

/// A registered activity, with the indexes of its org, team and project.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(super) struct ActivityNode {
    /// As created, with `team` resolved (a claimed project's team filled in).
    pub(super) activity: NewActivity,
    pub(super) org: u32,
    pub(super) team: u32,
    pub(super) project: u32,
}

impl ActivityNode {
    /// The planned duration, in minutes.
    pub(super) fn planned_minutes(&self) -> i64 {
        (self.activity.end.0 - self.activity.start.0) / 60
    }
}

/// The community tables: rare facts kept beside the records so that a record stays 36 bytes.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(super) struct CommunityTables {
    /// Per team: every stretch of membership, in the order made.
    pub(super) members: HashMap<u32, Vec<Stretch>>,
    pub(super) projects: Vec<ProjectNode>,
    pub(super) project_index: HashMap<ProjectId, u32>,
    /// Registered activities, by the index of their interned id.
    pub(super) activities: HashMap<u32, ActivityNode>,
    /// Per activity: (score, source).
    pub(super) evaluations: HashMap<u32, Vec<(u8, EvaluationSource)>>,
    /// Per activity: the complaints.
    pub(super) complaints: HashMap<u32, Vec<Complaint>>,
    pub(super) training: Vec<(u32, Training)>,
    pub(super) training_ids: HashSet<TrainingId>,
    pub(super) commendations: Vec<(u32, Commendation)>,
    pub(super) commendation_ids: HashSet<CommendationId>,
    /// Per volunteer: the community they reported in at.
    pub(super) reported: HashMap<u32, u32>,
}

impl CommunityTables {
    /// The open stretch of a volunteer in a team, if they are a member now.
    pub(super) fn open(&self, team: u32, vol: u32) -> Option<&Stretch> {
        self.members
            .get(&team)?
            .iter()
            .rev()
            .find(|s| s.vol == vol)
            .filter(|s| s.to.is_none())
    }

    /// Whether a volunteer was in a team on a date.
    pub(super) fn member_on(&self, team: u32, vol: u32, day: NaiveDate) -> bool {
        self.members.get(&team).is_some_and(|list| {
            list.iter()
                .any(|s| s.vol == vol && s.from <= day && s.to.is_none_or(|to| day <= to))
        })
    }

    /// Volunteers in a team at any time between two dates.
    pub(super) fn members_between(
        &self,
        team: u32,
        first: NaiveDate,
        last: NaiveDate,
    ) -> BTreeSet<u32> {
        self.members
            .get(&team)
            .into_iter()
            .flatten()
            .filter(|s| s.from <= last && s.to.is_none_or(|to| to >= first))
            .map(|s| s.vol)
            .collect()
    }

    /// A digest of every community table, for [`Ledger::state_digest`](super::Ledger::state_digest).
    pub(super) fn digest(&self, h: &mut sha2::Sha256) {
        use sha2::Digest;
        let mut teams: Vec<_> = self.members.iter().collect();
        teams.sort_by_key(|(t, _)| **t);
        for (t, list) in teams {
            for s in list {
                h.update(format!("m{t}:{}:{}:{:?};", s.vol, s.from, s.to));
            }
        }
        for p in &self.projects {
            h.update(format!("p{}:{};", p.project.id, p.team));
            h.update(serde_json::to_vec(&p.project).unwrap_or_default());
        }
        let mut acts: Vec<_> = self.activities.iter().collect();
        acts.sort_by_key(|(a, _)| **a);
        for (a, node) in acts {
            h.update(format!("a{a};"));
            h.update(serde_json::to_vec(&node.activity).unwrap_or_default());
        }
        let mut evals: Vec<_> = self.evaluations.iter().collect();
        evals.sort_by_key(|(a, _)| **a);
        for (a, list) in evals {
            h.update(format!("e{a}:{list:?};"));
        }
        let mut complaints: Vec<_> = self.complaints.iter().collect();
        complaints.sort_by_key(|(a, _)| **a);
        for (a, list) in complaints {
            h.update(format!("c{a};"));
            h.update(serde_json::to_vec(list).unwrap_or_default());
        }
        for (_, t) in &self.training {
            h.update(serde_json::to_vec(t).unwrap_or_default());
        }
        for (_, c) in &self.commendations {
            h.update(serde_json::to_vec(c).unwrap_or_default());
        }
        let mut reported: Vec<_> = self.reported.iter().collect();
        reported.sort();
        h.update(format!("r{reported:?}"));
    }
}

/// The first and last day of a year.
pub(super) fn year_bounds(year: i32) -> Result<(NaiveDate, NaiveDate)> {
    Period::Year(year)
        .date_range()
        .ok_or_else(|| invalid_field("rating", "year", "lies outside the calendar"))
}

impl State {
    /// Refuses a date after today (in the ledger's local time).
    pub(super) fn not_in_future(
        &self,
        what: String,
        date: NaiveDate,
        now: Timestamp,
    ) -> Result<()> {
        if date > now.local_date(self.off) {
            return Err(invalid_field(what, "date", "lies in the future"));
        }
        Ok(())
    }

    /// The org of a team, by their indexes (`NONE` for no team).
    pub(super) fn team_org(&self, team: u32) -> u32 {
        self.teams.get(team as usize).map_or(NONE, |x| x.org)
    }

    /// What a training session and a commendation are first checked for: an id not taken, a
    /// volunteer still here, a known org and a title. The org's index.
    pub(super) fn check_training_or_commendation(
        &self,
        what: &str,
        id: &str,
        taken: bool,
        volunteer: &VolunteerId,
        org: &OrgId,
        title: &str,
    ) -> Result<u32> {
        if taken {
            return Err(LedgerError::Duplicate {
                what: what.into(),
                id: id.to_owned(),
            });
        }
        let v = self.vol_idx(volunteer)?;
        self.still_here(v, volunteer)?;
        let org = self.org_idx(org)?;
        check_text(what, id, "title", title, 200, false)?;
        Ok(org)
    }

    /// The id of an org, by its index.
    pub(super) fn org_id(&self, org: u32) -> Option<OrgId> {
        self.orgs.get(org as usize).map(|o| o.org.id.clone())
    }

    /// Counted minutes of a volunteer's local records whose day a test accepts.
    pub(super) fn counted_minutes_where(&self, v: u32, keep: impl Fn(NaiveDate) -> bool) -> u64 {
        self.vol(v)
            .map(|vol| vol.records.as_slice())
            .unwrap_or_default()
            .iter()
            .filter_map(|&i| self.records.get(i as usize))
            .filter(|r| r.counted() && keep(Timestamp(r.start()).local_date(self.off)))
            .map(|r| u64::from(r.minutes))
            .sum()
    }
}
