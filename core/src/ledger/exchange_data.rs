//! What an exchange export of an org's subtree holds, gathered from the ledger's tables:
//! volunteers (masked), teams, projects, service records, training, commendations and the
//! evaluations of activities, each in a fixed order so that the same ledger gives the same
//! file. The export module writes it (`export::exchange_file`).

use super::{Ledger, State};
use crate::activity::{Commendation, EvaluationSource, NewActivity, ProjectView, Training};
use crate::error::Result;
use crate::ids::OrgId;
use crate::org::{NewTeam, VolunteerView};
use crate::record::ServiceRecord;
use crate::time::{Period, Timestamp};
use chrono::NaiveDate;
use std::collections::BTreeSet;

/// A team with what the exchange adds to it.
pub(crate) struct ExchangeTeam {
    /// The team as created.
    pub(crate) team: NewTeam,
    /// The day its first members joined (the day it was created).
    pub(crate) founded: Option<NaiveDate>,
    /// How many volunteers are members now.
    pub(crate) members_now: u64,
}

/// One evaluation of an activity.
pub(crate) struct ExchangeEvaluation {
    /// The activity, its team resolved.
    pub(crate) activity: NewActivity,
    /// 1 to 5.
    pub(crate) score: u8,
    /// Who gave it.
    pub(crate) source: EvaluationSource,
}

/// An org subtree's data sets for an exchange, in a period.
pub(crate) struct ExchangeData {
    /// Volunteers whose home org is in the subtree, or who have a record, training or
    /// commendation in the other sets; by volunteer number.
    pub(crate) volunteers: Vec<VolunteerView>,
    /// Teams of orgs in the subtree, by id.
    pub(crate) teams: Vec<ExchangeTeam>,
    /// Projects published by orgs in the subtree, in the order published.
    pub(crate) projects: Vec<ProjectView>,
    /// Records served in the subtree starting in the period, every state, by start then id.
    pub(crate) records: Vec<ServiceRecord>,
    /// Training run by orgs in the subtree in the period, by date then id.
    pub(crate) training: Vec<Training>,
    /// Commendations awarded by orgs in the subtree in the period, by date then id.
    pub(crate) commendations: Vec<Commendation>,
    /// Evaluations of activities organised in the subtree that start in the period, by
    /// activity start, activity id, then the order given.
    pub(crate) evaluations: Vec<ExchangeEvaluation>,
}

impl State {
    /// Which orgs are `root` or below it, by org index.
    pub(super) fn subtree(&self, root: u32) -> Vec<bool> {
        // Parents are registered before their children, so one pass in order finds the subtree.
        let mut inside = vec![false; self.orgs.len()];
        for (i, o) in self.orgs.iter().enumerate() {
            let here =
                i == root as usize || inside.get(o.parent as usize).copied().unwrap_or(false);
            if let Some(slot) = inside.get_mut(i) {
                *slot = here;
            }
        }
        inside
    }
}

impl Ledger {
    /// The data sets of an exchange export of `org`'s subtree in `period`.
    /// Refuses an unknown org (`E_UNKNOWN_ORG`).
    pub(crate) fn exchange_data(&self, org: &OrgId, period: Period) -> Result<ExchangeData> {
        let st = &self.state;
        let inside = st.subtree(st.org_idx(org)?);
        let in_tree = |i: u32| inside.get(i as usize).copied().unwrap_or(false);
        let id_in_tree = |o: &OrgId| st.org_idx(o).is_ok_and(in_tree);
        let off = st.off;
        let mut vols: BTreeSet<u32> = (0..st.vols.len())
            .filter_map(|i| u32::try_from(i).ok())
            .filter(|&i| st.vol(i).is_some_and(|v| in_tree(v.home_org)))
            .collect();

        let mut records = Vec::new();
        for (i, r) in st.records.iter().enumerate() {
            let day = Timestamp(r.start()).local_date(off);
            if in_tree(r.org) && period.contains(day) {
                vols.insert(r.vol);
                if let Some(view) = u32::try_from(i).ok().and_then(|i| st.view_record(i)) {
                    records.push(view);
                }
            }
        }
        records.sort_by(|a, b| {
            (a.record.start, a.record.id.as_str()).cmp(&(b.record.start, b.record.id.as_str()))
        });

        let c = &st.community;
        let mut training = Vec::new();
        for (v, t) in &c.training {
            if id_in_tree(&t.org) && period.contains(t.date) {
                vols.insert(*v);
                training.push(t.clone());
            }
        }
        training.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        let mut commendations = Vec::new();
        for (v, x) in &c.commendations {
            if id_in_tree(&x.org) && period.contains(x.date) {
                vols.insert(*v);
                commendations.push(x.clone());
            }
        }
        commendations.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));

        let mut evaluations = Vec::new();
        for (i, node) in &c.activities {
            if !in_tree(node.org) || !period.contains(node.activity.start.local_date(off)) {
                continue;
            }
            for (score, source) in c.evaluations.get(i).into_iter().flatten() {
                evaluations.push(ExchangeEvaluation {
                    activity: node.activity.clone(),
                    score: *score,
                    source: *source,
                });
            }
        }
        // Stable: an activity's evaluations keep the order they were given.
        evaluations.sort_by(|a, b| {
            (a.activity.start, a.activity.id.as_str())
                .cmp(&(b.activity.start, b.activity.id.as_str()))
        });

        let mut teams: Vec<ExchangeTeam> = st
            .teams
            .iter()
            .enumerate()
            .filter(|(_, t)| in_tree(t.org))
            .map(|(ti, t)| {
                let stretches = u32::try_from(ti)
                    .ok()
                    .and_then(|ti| c.members.get(&ti))
                    .map(Vec::as_slice)
                    .unwrap_or_default();
                let now: BTreeSet<u32> = stretches
                    .iter()
                    .filter(|s| s.to.is_none())
                    .map(|s| s.vol)
                    .collect();
                ExchangeTeam {
                    team: t.team.clone(),
                    founded: stretches.iter().map(|s| s.from).min(),
                    members_now: now.len() as u64,
                }
            })
            .collect();
        teams.sort_by(|a, b| a.team.id.cmp(&b.team.id));

        let projects = c
            .projects
            .iter()
            .filter(|p| in_tree(p.org))
            .map(|p| ProjectView {
                project: p.project.clone(),
                claimed_by: st.teams.get(p.team as usize).map(|t| t.team.id.clone()),
            })
            .collect();

        let mut volunteers: Vec<VolunteerView> = vols
            .into_iter()
            .filter_map(|v| st.volunteer_view(v))
            .collect();
        volunteers.sort_by(|a, b| a.id.cmp(&b.id));
        Ok(ExchangeData {
            volunteers,
            teams,
            projects,
            records,
            training,
            commendations,
            evaluations,
        })
    }
}
