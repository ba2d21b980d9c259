//! Teams over time (志愿服务队): a volunteer joins a team on a day and leaves it on a later one
//! (入队, 退队); a new team's members join on the day it is created; every stretch of
//! membership stays, so that the team of any day can be read back.

use super::authorisation::authorise;
use super::community_tables::Stretch;
use super::{Ledger, State};
use crate::activity::{MemberPeriod, Membership};
use crate::error::{LedgerError, Result, invalid_field};
use crate::ids::{ActorId, TeamId, VolunteerId};
use crate::log::{Change, Entry};
use crate::time::Timestamp;

/// Refuses the date of a membership change.
fn date_refused(m: &Membership, detail: &str) -> LedgerError {
    invalid_field(format!("membership of team {}", m.team), "date", detail)
}

impl State {
    /// A volunteer who is not in the team joins it, on a day not in the future and after the
    /// day they last left it; the team's leader or liaisons, or an admin of its org or above,
    /// admit them.
    pub(super) fn check_join(&self, actor: &ActorId, now: Timestamp, m: &Membership) -> Result<()> {
        let t = self.team_idx(&m.team)?;
        let v = self.vol_idx(&m.volunteer)?;
        self.still_here(v, &m.volunteer)?;
        self.not_in_future(format!("membership of team {}", m.team), m.date, now)?;
        if self.community.open(t, v).is_some() {
            return Err(LedgerError::AlreadyMember {
                team: m.team.to_string(),
                volunteer: m.volunteer.to_string(),
            });
        }
        let last_left = self
            .community
            .members
            .get(&t)
            .into_iter()
            .flatten()
            .filter(|s| s.vol == v)
            .filter_map(|s| s.to)
            .max();
        if last_left.is_some_and(|l| m.date <= l) {
            return Err(date_refused(m, "is not after the day they last left"));
        }
        let org = self.team_org(t);
        authorise(
            actor,
            self.is_org_admin(actor, org) || self.is_team_officer(actor, t),
            "admit a team member",
            "only the team's leader or liaisons, or an admin of its org or above, admit members",
        )
    }

    /// A member who is not the team's leader or a liaison leaves it, on a day not in the future
    /// and not before they joined; the volunteer, the team's officers or an admin of its org or
    /// above record it.
    pub(super) fn check_leave(
        &self,
        actor: &ActorId,
        now: Timestamp,
        m: &Membership,
    ) -> Result<()> {
        let t = self.team_idx(&m.team)?;
        let v = self.vol_idx(&m.volunteer)?;
        let Some(open) = self.community.open(t, v) else {
            return Err(LedgerError::NotMember {
                team: m.team.to_string(),
                volunteer: m.volunteer.to_string(),
            });
        };
        let officer = ActorId::of_volunteer(&m.volunteer);
        if self.is_team_officer(&officer, t) {
            return Err(LedgerError::OfficerLeaves {
                team: m.team.to_string(),
                volunteer: m.volunteer.to_string(),
            });
        }
        self.not_in_future(format!("membership of team {}", m.team), m.date, now)?;
        if m.date < open.from {
            return Err(date_refused(m, "is before the day they joined"));
        }
        let org = self.team_org(t);
        authorise(
            actor,
            self.is_org_admin(actor, org)
                || self.is_team_officer(actor, t)
                || actor.as_str() == m.volunteer.as_str(),
            "record a member leaving",
            "only the volunteer, the team's leader or liaisons, or an admin of its org or above, record a member leaving",
        )
    }

    /// A new team's members join on the day it is created.
    pub(super) fn team_created(&mut self, team: u32, entry: &Entry) -> Result<()> {
        let date = entry.time.local_date(self.off);
        let members = self
            .teams
            .get(team as usize)
            .map(|t| t.team.members.clone())
            .unwrap_or_default();
        let mut list = Vec::with_capacity(members.len());
        for m in &members {
            let vol = self.vol_idx(m)?;
            if !list.iter().any(|s: &Stretch| s.vol == vol) {
                list.push(Stretch {
                    vol,
                    from: date,
                    to: None,
                });
            }
        }
        self.community.members.insert(team, list);
        Ok(())
    }

    /// Opens a stretch of membership, and lists the volunteer among the team's members.
    pub(super) fn apply_join(&mut self, m: &Membership) -> Result<()> {
        let t = self.team_idx(&m.team)?;
        let vol = self.vol_idx(&m.volunteer)?;
        self.community.members.entry(t).or_default().push(Stretch {
            vol,
            from: m.date,
            to: None,
        });
        if let Some(node) = self.teams.get_mut(t as usize)
            && !node.team.members.contains(&m.volunteer)
        {
            node.team.members.push(m.volunteer.clone());
        }
        Ok(())
    }

    /// Closes the volunteer's last stretch of membership on the day they leave.
    pub(super) fn apply_leave(&mut self, m: &Membership) -> Result<()> {
        let t = self.team_idx(&m.team)?;
        let vol = self.vol_idx(&m.volunteer)?;
        if let Some(s) = self
            .community
            .members
            .get_mut(&t)
            .and_then(|l| l.iter_mut().rev().find(|s| s.vol == vol))
        {
            s.to = Some(m.date);
        }
        if let Some(node) = self.teams.get_mut(t as usize) {
            node.team.members.retain(|x| x != &m.volunteer);
        }
        Ok(())
    }
}

impl Ledger {
    /// A volunteer joins a team on a date (not in the future; after the day they last left
    /// it). The team's leader or liaisons, or an admin of its org or above, admit members.
    /// Refuses a member already in (`E_ALREADY_MEMBER`).
    pub fn join_team(&mut self, actor: &ActorId, membership: Membership) -> Result<()> {
        self.commit(actor, Change::TeamMemberJoined(membership))
            .map(|_| ())
    }

    /// A volunteer leaves a team on a date (their last day in it). The volunteer, the team's
    /// officers or an admin of its org may record it. Refuses someone not in the team
    /// (`E_NOT_MEMBER`) and the leader or a liaison (`E_OFFICER_LEAVES`).
    pub fn leave_team(&mut self, actor: &ActorId, membership: Membership) -> Result<()> {
        self.commit(actor, Change::TeamMemberLeft(membership))
            .map(|_| ())
    }

    /// Every stretch of membership of a team, in the order made (creation members first,
    /// joining on the day the team was created).
    pub fn team_members(&self, team: &TeamId) -> Result<Vec<MemberPeriod>> {
        let t = self.state.team_idx(team)?;
        Ok(self
            .state
            .community
            .members
            .get(&t)
            .into_iter()
            .flatten()
            .filter_map(|s| {
                Some(MemberPeriod {
                    volunteer: VolunteerId::new(&*self.state.vol(s.vol)?.key).ok()?,
                    joined: s.from,
                    left: s.to,
                })
            })
            .collect())
    }
}
