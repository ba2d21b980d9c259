//! A volunteer's whole record: basic information, service and stars, training, commendations,
//! the evaluations of the activities they served in, the complaints naming them, their teams
//! and where they reported in; and the training and commendations a certificate lists.

use super::community_tables::CommunityTables;
use super::{Ledger, NONE};
use crate::activity::{Commendation, Training, VolunteerSummary};
use crate::error::Result;
use crate::ids::{OrgId, TeamId, VolunteerId};
use chrono::NaiveDate;
use std::collections::HashSet;

impl CommunityTables {
    /// A volunteer's training and commendations whose day and org a test keeps, each by date
    /// (then id).
    fn training_and_commendations_of(
        &self,
        v: u32,
        keep: impl Fn(NaiveDate, &OrgId) -> bool,
    ) -> (Vec<Training>, Vec<Commendation>) {
        let mut t: Vec<Training> = self
            .training
            .iter()
            .filter(|(x, t)| *x == v && keep(t.date, &t.org))
            .map(|(_, t)| t.clone())
            .collect();
        t.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        let mut c: Vec<Commendation> = self
            .commendations
            .iter()
            .filter(|(x, c)| *x == v && keep(c.date, &c.org))
            .map(|(_, c)| c.clone())
            .collect();
        c.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        (t, c)
    }
}

impl Ledger {
    /// The whole of a volunteer's record (basic information, service, training,
    /// commendations, evaluations and complaints received), masked.
    pub fn volunteer_summary(&self, volunteer: &VolunteerId) -> Result<VolunteerSummary> {
        let v = self.state.vol_idx(volunteer)?;
        let s = &self.state.community;
        let served: HashSet<u32> = self
            .state
            .vol(v)
            .map(|x| x.records.as_slice())
            .unwrap_or_default()
            .iter()
            .filter_map(|&i| self.state.records.get(i as usize))
            .filter(|r| r.counted() && r.activity != NONE)
            .map(|r| r.activity)
            .collect();
        let (mut n, mut sum) = (0u32, 0u32);
        for a in &served {
            for (score, _) in s.evaluations.get(a).into_iter().flatten() {
                n += 1;
                sum += u32::from(*score);
            }
        }
        let (training, commendations) = s.training_and_commendations_of(v, |_, _| true);
        let complaints_received = s
            .complaints
            .values()
            .flatten()
            .filter(|c| c.volunteer.as_ref() == Some(volunteer))
            .count() as u32;
        let mut teams: Vec<TeamId> = s
            .members
            .iter()
            .filter(|(t, _)| s.open(**t, v).is_some())
            .filter_map(|(t, _)| self.state.teams.get(*t as usize).map(|x| x.team.id.clone()))
            .collect();
        teams.sort();
        Ok(VolunteerSummary {
            volunteer: self.volunteer(volunteer)?,
            stars: self.star_summary(volunteer)?,
            training,
            commendations,
            evaluations: i32::try_from(n).unwrap_or(i32::MAX),
            average_evaluation_tenths: (n > 0)
                .then(|| i32::try_from(sum * 10 / n).unwrap_or(i32::MAX)),
            complaints_received: i32::try_from(complaints_received).unwrap_or(i32::MAX),
            teams,
            reported_in: s.reported.get(&v).and_then(|c| self.state.org_id(*c)),
        })
    }

    /// Training and commendations of a volunteer in a period that an org (or one below it)
    /// recorded, for a certificate that asks for them.
    pub(super) fn training_and_commendations(
        &self,
        v: u32,
        issuing: u32,
        from: NaiveDate,
        to: NaiveDate,
    ) -> (Vec<Training>, Vec<Commendation>) {
        let under = |org: &OrgId| {
            self.state
                .org_idx(org)
                .is_ok_and(|o| self.state.ancestors(o).contains(&issuing))
        };
        self.state
            .community
            .training_and_commendations_of(v, |d, org| from <= d && d <= to && under(org))
    }
}
