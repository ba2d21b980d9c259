//! The community side of the ledger: team membership over time, service projects, activities with their
//! evaluations and complaints, training and commendations, reporting in, and the queries that
//! read them (team ratings, excellent volunteers, unit reports, anomaly flags). Every change
//! here goes through the same `check` then `apply` path as the rest of the ledger, so replay
//! checks it again.

use super::{Admit, Ledger, NONE, State, check_text, full};
use crate::activity::{
    ActivityView, Anomaly, AnomalyKind, Commendation, CommunityVolunteer, Complaint, Evaluation,
    EvaluationSource, ExcellentCandidate, MemberPeriod, Membership, NewActivity, NewProject,
    ProjectClaim, ProjectView, ReportIn, TeamRating, Training, UnitReport, UnitStaffLine,
    VolunteerSummary,
};
use crate::error::{LedgerError, Result, invalid_field};
use crate::ids::{
    ActivityId, ActorId, CommendationId, OrgId, ProjectId, RecordId, TeamId, TrainingId,
    VolunteerId, mask_name,
};
use crate::log::{Change, Entry};
use crate::org::OrgKind;
use crate::ranking::Scope;
use crate::rating::{TeamFacts, TeamScoring, hours_text, rate_team, star_summary};
use crate::record::{NewRecord, RecordSource, RecordState};
use crate::time::{Period, Timestamp};
use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// One stretch of a volunteer's membership of a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Stretch {
    vol: u32,
    from: NaiveDate,
    to: Option<NaiveDate>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct ProjectNode {
    project: NewProject,
    org: u32,
    /// The claiming team, or `NONE`.
    team: u32,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct ActivityNode {
    /// As created, with `team` resolved (a claimed project's team filled in).
    activity: NewActivity,
    org: u32,
    team: u32,
    project: u32,
}

impl ActivityNode {
    fn planned_minutes(&self) -> i64 {
        (self.activity.end.0 - self.activity.start.0) / 60
    }
}

/// The community side tables: rare facts kept beside the records so that a record stays 36 bytes.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(super) struct Side {
    /// Per team: every stretch of membership, in the order made.
    members: HashMap<u32, Vec<Stretch>>,
    projects: Vec<ProjectNode>,
    project_index: HashMap<ProjectId, u32>,
    /// Registered activities, by the index of their interned id.
    activities: HashMap<u32, ActivityNode>,
    /// Per activity: (score, source).
    evaluations: HashMap<u32, Vec<(u8, EvaluationSource)>>,
    /// Per activity: the complaints.
    complaints: HashMap<u32, Vec<Complaint>>,
    training: Vec<(u32, Training)>,
    training_ids: HashSet<TrainingId>,
    commendations: Vec<(u32, Commendation)>,
    commendation_ids: HashSet<CommendationId>,
    /// Per volunteer: the community they reported in at.
    reported: HashMap<u32, u32>,
}

impl Side {
    /// The open stretch of a volunteer in a team, if they are a member now.
    fn open(&self, team: u32, vol: u32) -> Option<&Stretch> {
        self.members
            .get(&team)?
            .iter()
            .rev()
            .find(|s| s.vol == vol)
            .filter(|s| s.to.is_none())
    }

    /// Whether a volunteer was in a team on a date.
    fn member_on(&self, team: u32, vol: u32, day: NaiveDate) -> bool {
        self.members.get(&team).is_some_and(|list| {
            list.iter()
                .any(|s| s.vol == vol && s.from <= day && s.to.is_none_or(|to| day <= to))
        })
    }

    /// Volunteers in a team at any time between two dates.
    fn members_between(&self, team: u32, first: NaiveDate, last: NaiveDate) -> BTreeSet<u32> {
        self.members
            .get(&team)
            .into_iter()
            .flatten()
            .filter(|s| s.from <= last && s.to.is_none_or(|to| to >= first))
            .map(|s| s.vol)
            .collect()
    }

    /// A digest of every side table, for [`Ledger::state_digest`].
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

/// The first Saturday of its month (the district's monthly service day).
fn first_saturday(d: NaiveDate) -> bool {
    d.weekday() == Weekday::Sat && d.day() <= 7
}

fn year_bounds(year: i32) -> Result<(NaiveDate, NaiveDate)> {
    Period::Year(year)
        .date_range()
        .ok_or_else(|| invalid_field("rating", "year", "lies outside the calendar"))
}

impl State {
    fn project_idx(&self, id: &ProjectId) -> Result<u32> {
        self.side
            .project_index
            .get(id)
            .copied()
            .ok_or_else(|| LedgerError::UnknownProject { id: id.to_string() })
    }

    /// The registered activity of an id, with its index.
    fn activity_node(&self, id: &ActivityId) -> Result<(u32, &ActivityNode)> {
        self.activities
            .get(id.as_str())
            .and_then(|i| self.side.activities.get(&i).map(|n| (i, n)))
            .ok_or_else(|| LedgerError::UnknownActivity { id: id.to_string() })
    }

    fn not_in_future(&self, what: String, date: NaiveDate, now: Timestamp) -> Result<()> {
        if date > now.local_date(self.off) {
            return Err(invalid_field(what, "date", "lies in the future"));
        }
        Ok(())
    }

    /// Refuses a team that cannot organise at an org: a team organises for its own org and
    /// the orgs below it.
    fn team_organises_at(&self, what: String, team: u32, org: u32) -> Result<()> {
        let t = self
            .teams
            .get(team as usize)
            .ok_or_else(|| LedgerError::UnknownTeam {
                id: team.to_string(),
            })?;
        if self.ancestors(org).contains(&t.org) {
            Ok(())
        } else {
            Err(LedgerError::TeamOrg {
                what,
                team: t.team.id.to_string(),
                org: self
                    .orgs
                    .get(org as usize)
                    .map(|o| o.org.id.to_string())
                    .unwrap_or_default(),
            })
        }
    }

    fn expect_kind(&self, org: &OrgId, kinds: &[OrgKind], en: &str, zh: &str) -> Result<u32> {
        let i = self.org_idx(org)?;
        match self.orgs.get(i as usize) {
            Some(o) if kinds.contains(&o.org.kind) => Ok(i),
            _ => Err(LedgerError::OrgKind {
                org: org.to_string(),
                expected: en.into(),
                expected_zh: zh.into(),
            }),
        }
    }

    /// Validation and authorisation of the community changes (see `check`).
    pub(super) fn check_side(
        &self,
        actor: &ActorId,
        now: Timestamp,
        change: &Change,
    ) -> Result<Option<Admit>> {
        let ok = Some(Admit::confirmed());
        let forbid = |action: &str, rule: &str| LedgerError::Forbidden {
            actor: actor.to_string(),
            action: action.to_owned(),
            rule: rule.to_owned(),
        };
        match change {
            Change::TeamMemberJoined(m) => {
                let t = self.team_idx(&m.team)?;
                let v = self.vol_idx(&m.volunteer)?;
                self.still_here(v, &m.volunteer)?;
                self.not_in_future(format!("membership of team {}", m.team), m.date, now)?;
                if self.side.open(t, v).is_some() {
                    return Err(LedgerError::AlreadyMember {
                        team: m.team.to_string(),
                        volunteer: m.volunteer.to_string(),
                    });
                }
                let last_left = self
                    .side
                    .members
                    .get(&t)
                    .into_iter()
                    .flatten()
                    .filter(|s| s.vol == v)
                    .filter_map(|s| s.to)
                    .max();
                if last_left.is_some_and(|l| m.date <= l) {
                    return Err(invalid_field(
                        format!("membership of team {}", m.team),
                        "date",
                        "is not after the day they last left",
                    ));
                }
                let org = self.teams.get(t as usize).map_or(NONE, |x| x.org);
                if self.is_org_admin(actor, org) || self.is_team_officer(actor, t) {
                    Ok(ok)
                } else {
                    Err(forbid(
                        "admit a team member",
                        "only the team's leader or liaisons, or an admin of its org or above, admit members",
                    ))
                }
            }
            Change::TeamMemberLeft(m) => {
                let t = self.team_idx(&m.team)?;
                let v = self.vol_idx(&m.volunteer)?;
                let Some(open) = self.side.open(t, v) else {
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
                    return Err(invalid_field(
                        format!("membership of team {}", m.team),
                        "date",
                        "is before the day they joined",
                    ));
                }
                let org = self.teams.get(t as usize).map_or(NONE, |x| x.org);
                if self.is_org_admin(actor, org)
                    || self.is_team_officer(actor, t)
                    || actor.as_str() == m.volunteer.as_str()
                {
                    Ok(ok)
                } else {
                    Err(forbid(
                        "record a member leaving",
                        "only the volunteer, the team's leader or liaisons, or an admin of its org or above, record a member leaving",
                    ))
                }
            }
            Change::ProjectPublished(p) => {
                if self.side.project_index.contains_key(&p.id) {
                    return Err(LedgerError::Duplicate {
                        what: "project".into(),
                        id: p.id.to_string(),
                    });
                }
                check_text("project", p.id.as_str(), "name", &p.name, 200, false)?;
                check_text("project", p.id.as_str(), "category", &p.category, 50, false)?;
                let org = self.org_idx(&p.org)?;
                if self.is_org_admin(actor, org) {
                    Ok(ok)
                } else {
                    Err(forbid(
                        "publish a project",
                        "only an admin of the org or above publishes its projects",
                    ))
                }
            }
            Change::ProjectClaimed(c) => {
                let p = self.project_idx(&c.project)?;
                let t = self.team_idx(&c.team)?;
                let node = self.side.projects.get(p as usize).ok_or_else(|| {
                    LedgerError::UnknownProject {
                        id: c.project.to_string(),
                    }
                })?;
                if let Some(by) = self.teams.get(node.team as usize) {
                    return Err(LedgerError::ProjectClaimed {
                        project: c.project.to_string(),
                        team: by.team.id.to_string(),
                    });
                }
                let team_org = self.teams.get(t as usize).map_or(NONE, |x| x.org);
                // A team claims a project of its own subtree, or of an org above it (whose
                // activities it then runs at its own org or below).
                if !self.ancestors(node.org).contains(&team_org)
                    && !self.ancestors(team_org).contains(&node.org)
                {
                    return Err(LedgerError::TeamOrg {
                        what: format!("project {}", c.project),
                        team: c.team.to_string(),
                        org: node.project.org.to_string(),
                    });
                }
                if self.is_team_officer(actor, t) || self.is_org_admin(actor, team_org) {
                    Ok(ok)
                } else {
                    Err(forbid(
                        "claim a project",
                        "only the team's leader or liaisons, or an admin of its org or above, claim a project for it",
                    ))
                }
            }
            Change::ActivityCreated(a) => self.check_activity(actor, a).map(|()| ok),
            Change::ActivityEvaluated(e) => {
                let (_, node) = self.activity_node(&e.activity)?;
                if !(1..=5).contains(&e.score) {
                    return Err(LedgerError::EvaluationScore {
                        activity: e.activity.to_string(),
                        score: e.score,
                    });
                }
                self.may_judge(actor, node.org, "evaluate an activity")?;
                Ok(ok)
            }
            Change::ComplaintRecorded(c) => {
                let (_, node) = self.activity_node(&c.activity)?;
                check_text(
                    "complaint about activity",
                    c.activity.as_str(),
                    "reason",
                    &c.reason,
                    500,
                    false,
                )?;
                if let Some(v) = &c.volunteer {
                    self.vol_idx(v)?;
                }
                self.may_judge(actor, node.org, "record a complaint")?;
                Ok(ok)
            }
            Change::TrainingRecorded(t) => {
                if self.side.training_ids.contains(&t.id) {
                    return Err(LedgerError::Duplicate {
                        what: "training".into(),
                        id: t.id.to_string(),
                    });
                }
                let v = self.vol_idx(&t.volunteer)?;
                self.still_here(v, &t.volunteer)?;
                let org = self.org_idx(&t.org)?;
                check_text("training", t.id.as_str(), "title", &t.title, 200, false)?;
                if !(1..=24 * 60).contains(&t.minutes) {
                    return Err(invalid_field(
                        format!("training {}", t.id),
                        "minutes",
                        "must be 1 to 1440",
                    ));
                }
                self.not_in_future(format!("training {}", t.id), t.date, now)?;
                if self.is_platform_admin(actor) || self.has_org_role(actor, org, false) {
                    Ok(ok)
                } else {
                    Err(forbid(
                        "record training",
                        "only the recorders or admins of the org that ran it (or above) record training",
                    ))
                }
            }
            Change::CommendationRecorded(c) => {
                if self.side.commendation_ids.contains(&c.id) {
                    return Err(LedgerError::Duplicate {
                        what: "commendation".into(),
                        id: c.id.to_string(),
                    });
                }
                let v = self.vol_idx(&c.volunteer)?;
                self.still_here(v, &c.volunteer)?;
                let org = self.org_idx(&c.org)?;
                check_text("commendation", c.id.as_str(), "title", &c.title, 200, false)?;
                self.not_in_future(format!("commendation {}", c.id), c.date, now)?;
                if self.is_org_admin(actor, org) {
                    Ok(ok)
                } else {
                    Err(forbid(
                        "record a commendation",
                        "only an admin of the awarding org or above records its commendations",
                    ))
                }
            }
            Change::ReportedIn(r) => {
                let v = self.vol_idx(&r.volunteer)?;
                self.still_here(v, &r.volunteer)?;
                self.expect_kind(
                    &r.community,
                    &[OrgKind::Community, OrgKind::Neighbourhood, OrgKind::Block],
                    "community",
                    "社区",
                )?;
                self.expect_kind(
                    &r.work_unit,
                    &[OrgKind::WorkUnit],
                    "work unit",
                    "机关/事业单位",
                )?;
                self.not_in_future(format!("report-in of {}", r.volunteer), r.date, now)?;
                // The volunteer reports themselves in (报到), or the org that holds them
                // now records it: naming a unit or a community takes nobody from their home.
                if actor.as_str() == r.volunteer.as_str() || self.holds_volunteer(actor, v) {
                    Ok(ok)
                } else {
                    Err(forbid(
                        "record a report-in",
                        "only the volunteer, a platform admin, or an admin or recorder of the volunteer's current home org or above, records a report-in",
                    ))
                }
            }
            _ => Err(invalid_field(
                "entry",
                "kind",
                "is not a community change (team, project, activity, training, commendation, reporting in)",
            )),
        }
    }

    /// Evaluations and complaints are the organising org's to record (its recorders and
    /// admins, or those above): not the team's own officers, whose work they judge.
    fn may_judge(&self, actor: &ActorId, org: u32, action: &str) -> Result<()> {
        if self.is_platform_admin(actor) || self.has_org_role(actor, org, false) {
            Ok(())
        } else {
            Err(LedgerError::Forbidden {
                actor: actor.to_string(),
                action: action.to_owned(),
                rule: "only the organising org's recorders or admins (or those above) record evaluations and complaints".into(),
            })
        }
    }

    /// The team an activity belongs to: the one named, or its claimed project's.
    fn activity_team(&self, a: &NewActivity) -> Result<(u32, u32)> {
        let project = match &a.project {
            Some(p) => self.project_idx(p)?,
            None => NONE,
        };
        let claimed = self
            .side
            .projects
            .get(project as usize)
            .map_or(NONE, |p| p.team);
        let named = match &a.team {
            Some(t) => self.team_idx(t)?,
            None => NONE,
        };
        if claimed != NONE && named != NONE && named != claimed {
            return Err(LedgerError::ProjectTeam {
                activity: a.id.to_string(),
                project: a
                    .project
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default(),
                team: self
                    .teams
                    .get(claimed as usize)
                    .map(|t| t.team.id.to_string())
                    .unwrap_or_default(),
            });
        }
        Ok((if named != NONE { named } else { claimed }, project))
    }

    fn check_activity(&self, actor: &ActorId, a: &NewActivity) -> Result<()> {
        if self.activities.get(a.id.as_str()).is_some() {
            return Err(LedgerError::Duplicate {
                what: "activity".into(),
                id: a.id.to_string(),
            });
        }
        let what = || format!("activity {}", a.id);
        check_text("activity", a.id.as_str(), "name", &a.name, 200, false)?;
        for (field, t) in [("start", a.start), ("end", a.end)] {
            if !(crate::record::EARLIEST..=crate::record::LATEST).contains(&t.0) {
                return Err(invalid_field(what(), field, "lies outside 1970–2106"));
            }
        }
        if a.end <= a.start {
            return Err(invalid_field(what(), "end", "is not after its start"));
        }
        let org = self.org_idx(&a.org)?;
        let (team, project) = self.activity_team(a)?;
        if let Some(p) = self.side.projects.get(project as usize)
            && !self.ancestors(org).contains(&p.org)
        {
            return Err(invalid_field(
                what(),
                "org",
                format!(
                    "is not under org {}, which published project {}",
                    p.project.org, p.project.id
                ),
            ));
        }
        if team != NONE {
            self.team_organises_at(what(), team, org)?;
        }
        if self.is_organiser(actor, org, team) {
            Ok(())
        } else {
            Err(LedgerError::Forbidden {
                actor: actor.to_string(),
                action: "create an activity".into(),
                rule: "only the organising org's recorders or admins, or the organising team's leader or liaisons, create activities".into(),
            })
        }
    }

    /// A record naming a registered activity must be of its org and team, and a make-up
    /// record of it cannot exceed its planned duration. A record may still name an activity
    /// that was never registered (a tag, as before activities were kept); such a record is
    /// nobody's activity and no team's.
    pub(super) fn check_record_activity(
        &self,
        r: &NewRecord,
        org: u32,
        team: u32,
        make_up: bool,
    ) -> Result<()> {
        let Some(id) = &r.activity else {
            return Ok(());
        };
        let Ok((_, node)) = self.activity_node(id) else {
            return Ok(());
        };
        let mismatch = |field: &str| LedgerError::ActivityMismatch {
            record: r.id.to_string(),
            activity: id.to_string(),
            field: field.to_owned(),
        };
        if node.org != org {
            return Err(mismatch("org"));
        }
        if node.team != team {
            return Err(mismatch("team"));
        }
        if make_up && r.minutes > node.planned_minutes() {
            return Err(LedgerError::MakeUpExceedsActivity {
                record: r.id.to_string(),
                activity: id.to_string(),
                minutes: r.minutes,
                planned: node.planned_minutes(),
            });
        }
        Ok(())
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
        self.side.members.insert(team, list);
        Ok(())
    }

    /// Applies the checked community changes.
    pub(super) fn apply_side(&mut self, entry: &Entry) -> Result<()> {
        match &entry.change {
            Change::TeamMemberJoined(m) => {
                let t = self.team_idx(&m.team)?;
                let vol = self.vol_idx(&m.volunteer)?;
                self.side.members.entry(t).or_default().push(Stretch {
                    vol,
                    from: m.date,
                    to: None,
                });
                if let Some(node) = self.teams.get_mut(t as usize)
                    && !node.team.members.contains(&m.volunteer)
                {
                    node.team.members.push(m.volunteer.clone());
                }
            }
            Change::TeamMemberLeft(m) => {
                let t = self.team_idx(&m.team)?;
                let vol = self.vol_idx(&m.volunteer)?;
                if let Some(s) = self
                    .side
                    .members
                    .get_mut(&t)
                    .and_then(|l| l.iter_mut().rev().find(|s| s.vol == vol))
                {
                    s.to = Some(m.date);
                }
                if let Some(node) = self.teams.get_mut(t as usize) {
                    node.team.members.retain(|x| x != &m.volunteer);
                }
            }
            Change::ProjectPublished(p) => {
                let org = self.org_idx(&p.org)?;
                let idx = u32::try_from(self.side.projects.len()).map_err(|_| full("projects"))?;
                self.side.projects.push(ProjectNode {
                    project: p.clone(),
                    org,
                    team: NONE,
                });
                self.side.project_index.insert(p.id.clone(), idx);
            }
            Change::ProjectClaimed(c) => {
                let p = self.project_idx(&c.project)?;
                let t = self.team_idx(&c.team)?;
                if let Some(node) = self.side.projects.get_mut(p as usize) {
                    node.team = t;
                }
            }
            Change::ActivityCreated(a) => {
                let org = self.org_idx(&a.org)?;
                let (team, project) = self.activity_team(a)?;
                let idx = self
                    .activities
                    .intern(a.id.as_str())
                    .ok_or_else(|| full("activities"))?;
                let mut activity = a.clone();
                activity.team = self.teams.get(team as usize).map(|t| t.team.id.clone());
                self.side.activities.insert(
                    idx,
                    ActivityNode {
                        activity,
                        org,
                        team,
                        project,
                    },
                );
            }
            Change::ActivityEvaluated(e) => {
                let (i, _) = self.activity_node(&e.activity)?;
                self.side
                    .evaluations
                    .entry(i)
                    .or_default()
                    .push((u8::try_from(e.score).unwrap_or(0), e.source)); // checked: 1 to 5
            }
            Change::ComplaintRecorded(c) => {
                let (i, _) = self.activity_node(&c.activity)?;
                self.side.complaints.entry(i).or_default().push(c.clone());
            }
            Change::TrainingRecorded(t) => {
                let v = self.vol_idx(&t.volunteer)?;
                self.side.training_ids.insert(t.id.clone());
                self.side.training.push((v, t.clone()));
            }
            Change::CommendationRecorded(c) => {
                let v = self.vol_idx(&c.volunteer)?;
                self.side.commendation_ids.insert(c.id.clone());
                self.side.commendations.push((v, c.clone()));
            }
            Change::ReportedIn(r) => {
                let v = self.vol_idx(&r.volunteer)?;
                let community = self.org_idx(&r.community)?;
                let unit = self.org_idx(&r.work_unit)?;
                self.side.reported.insert(v, community);
                self.travel.work_units.insert(v, unit);
            }
            _ => {}
        }
        Ok(())
    }

    /// The facts of several teams' years in one pass over the records.
    fn team_facts_of(&self, teams: &[u32], year: i32) -> Result<Vec<TeamFacts>> {
        let (first, last) = year_bounds(year)?;
        let slot: HashMap<u32, usize> = teams.iter().enumerate().map(|(i, t)| (*t, i)).collect();
        let mut minutes: Vec<BTreeMap<u32, u64>> = vec![BTreeMap::new(); teams.len()];
        let mut months: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); teams.len()];
        let mut saturdays: Vec<BTreeSet<u32>> = vec![BTreeSet::new(); teams.len()];
        let mut facts = vec![TeamFacts::default(); teams.len()];
        for rec in self.records.iter().filter(|r| r.counted()) {
            let Some(node) = self.side.activities.get(&rec.activity) else {
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
                && self.side.member_on(node.team, rec.vol, day)
                && let Some(m) = minutes.get_mut(k)
            {
                *m.entry(rec.vol).or_default() += u64::from(rec.minutes);
            }
        }
        for (k, &team) in teams.iter().enumerate() {
            let (Some(f), Some(mins)) = (facts.get_mut(k), minutes.get(k)) else {
                continue;
            };
            let members = self.side.members_between(team, first, last);
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
        for (a, node) in &self.side.activities {
            let Some(f) = slot.get(&node.team).and_then(|k| facts.get_mut(*k)) else {
                continue;
            };
            if node.activity.start.local_date(self.off).year() != year {
                continue;
            }
            for (score, _) in self.side.evaluations.get(a).into_iter().flatten() {
                f.evaluations += 1;
                f.evaluation_points += i32::from(*score);
            }
            f.complaints += self
                .side
                .complaints
                .get(a)
                .map_or(0, |c| i32::try_from(c.len()).unwrap_or(i32::MAX));
        }
        Ok(facts)
    }

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

    fn org_id(&self, org: u32) -> Option<OrgId> {
        self.orgs.get(org as usize).map(|o| o.org.id.clone())
    }

    /// Counted minutes of a volunteer's local records whose day a test accepts.
    fn counted_minutes_where(&self, v: u32, keep: impl Fn(NaiveDate) -> bool) -> u64 {
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

impl Admit {
    /// A change that is simply accepted.
    pub(super) fn confirmed() -> Self {
        Self {
            state: RecordState::Confirmed,
            make_up: false,
            four_eyes: false,
            at: None,
        }
    }
}

impl Ledger {
    // ---- teams -------------------------------------------------------------------------------

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
            .side
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

    // ---- projects and activities ---------------------------------------------------------------

    /// An org publishes a service project (服务项目). Only an admin of the org or above.
    pub fn publish_project(&mut self, actor: &ActorId, project: NewProject) -> Result<()> {
        self.commit(actor, Change::ProjectPublished(project))
            .map(|_| ())
    }

    /// A team claims a project (认领项目): the project's activities created from then on belong
    /// to the team. Refuses a project claimed already (`E_PROJECT_CLAIMED`) and a team of an
    /// unrelated part of the tree (`E_TEAM_ORG`).
    pub fn claim_project(&mut self, actor: &ActorId, claim: ProjectClaim) -> Result<()> {
        self.commit(actor, Change::ProjectClaimed(claim))
            .map(|_| ())
    }

    /// A project and the team that claimed it.
    pub fn project(&self, id: &ProjectId) -> Result<ProjectView> {
        let p = self.state.project_idx(id)?;
        let node = self
            .state
            .side
            .projects
            .get(p as usize)
            .ok_or_else(|| LedgerError::UnknownProject { id: id.to_string() })?;
        Ok(ProjectView {
            project: node.project.clone(),
            claimed_by: self
                .state
                .teams
                .get(node.team as usize)
                .map(|t| t.team.id.clone()),
        })
    }

    /// Creates an activity (活动): the organiser of its org (or of its team) does. A claimed
    /// project's activity belongs to the claiming team (`E_PROJECT_TEAM` if another is named);
    /// its org must lie under the project's. Records naming it must then be of its org and
    /// team (`E_ACTIVITY_MISMATCH`), and a make-up record of it may not exceed its planned
    /// duration (`E_MAKEUP_EXCEEDS_ACTIVITY`).
    pub fn create_activity(&mut self, actor: &ActorId, activity: NewActivity) -> Result<()> {
        self.commit(actor, Change::ActivityCreated(activity))
            .map(|_| ())
    }

    /// An evaluation of an activity, 1 to 5 (`E_EVALUATION_SCORE` otherwise), from the people
    /// served or the org, recorded by the organising org's recorders or admins.
    pub fn evaluate_activity(&mut self, actor: &ActorId, evaluation: Evaluation) -> Result<()> {
        self.commit(actor, Change::ActivityEvaluated(evaluation))
            .map(|_| ())
    }

    /// A complaint about an activity (and a volunteer, if it names one), recorded by the
    /// organising org's recorders or admins. It counts against the team's rating.
    pub fn record_complaint(&mut self, actor: &ActorId, complaint: Complaint) -> Result<()> {
        self.commit(actor, Change::ComplaintRecorded(complaint))
            .map(|_| ())
    }

    /// A registered activity with its records, evaluations and complaints.
    pub fn activity(&self, id: &ActivityId) -> Result<ActivityView> {
        let (i, node) = self.state.activity_node(id)?;
        let mut records = Vec::new();
        let mut counted = 0u64;
        for (ri, rec) in self.state.records.iter().enumerate() {
            if rec.activity == i {
                records.push(RecordId::new(self.state.record_ids.resolve(ri as u32))?);
                if rec.counted() {
                    counted += u64::from(rec.minutes);
                }
            }
        }
        let evals = self
            .state
            .side
            .evaluations
            .get(&i)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let n = evals.len() as u32;
        let sum: u32 = evals.iter().map(|(s, _)| u32::from(*s)).sum();
        Ok(ActivityView {
            activity: node.activity.clone(),
            category: self
                .state
                .side
                .projects
                .get(node.project as usize)
                .map(|p| p.project.category.clone()),
            records,
            counted_minutes: crate::error::signed(counted),
            evaluations: i32::try_from(n).unwrap_or(i32::MAX),
            average_evaluation_tenths: (n > 0)
                .then(|| i32::try_from(sum * 10 / n).unwrap_or(i32::MAX)),
            complaints: self
                .state
                .side
                .complaints
                .get(&i)
                .map_or(0, |c| i32::try_from(c.len()).unwrap_or(i32::MAX)),
        })
    }

    // ---- training, commendations, the volunteer's whole record --------------------------------

    /// Records a training session a volunteer attended, by the recorders or admins of the org
    /// that ran it. It is not service: it adds no service hours.
    pub fn record_training(&mut self, actor: &ActorId, training: Training) -> Result<()> {
        self.commit(actor, Change::TrainingRecorded(training))
            .map(|_| ())
    }

    /// Records a commendation a volunteer received, by an admin of the awarding org.
    pub fn record_commendation(
        &mut self,
        actor: &ActorId,
        commendation: Commendation,
    ) -> Result<()> {
        self.commit(actor, Change::CommendationRecorded(commendation))
            .map(|_| ())
    }

    /// The whole of a volunteer's record (basic information, service, training,
    /// commendations, evaluations and complaints received), masked.
    pub fn volunteer_summary(&self, volunteer: &VolunteerId) -> Result<VolunteerSummary> {
        let v = self.state.vol_idx(volunteer)?;
        let s = &self.state.side;
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
        let mut training: Vec<Training> = s
            .training
            .iter()
            .filter(|(x, _)| *x == v)
            .map(|(_, t)| t.clone())
            .collect();
        training.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        let mut commendations: Vec<Commendation> = s
            .commendations
            .iter()
            .filter(|(x, _)| *x == v)
            .map(|(_, c)| c.clone())
            .collect();
        commendations.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
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
        let s = &self.state.side;
        let under = |org: &OrgId| {
            self.state
                .org_idx(org)
                .is_ok_and(|o| self.state.ancestors(o).contains(&issuing))
        };
        let within = |d: NaiveDate| from <= d && d <= to;
        let mut t: Vec<Training> = s
            .training
            .iter()
            .filter(|(x, t)| *x == v && within(t.date) && under(&t.org))
            .map(|(_, t)| t.clone())
            .collect();
        t.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        let mut c: Vec<Commendation> = s
            .commendations
            .iter()
            .filter(|(x, c)| *x == v && within(c.date) && under(&c.org))
            .map(|(_, c)| c.clone())
            .collect();
        c.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        (t, c)
    }

    // ---- team ratings ------------------------------------------------------------------------

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

    // ---- excellent volunteers ---------------------------------------------------------------

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
        let in_scope: Box<dyn Fn(u32) -> bool + '_> = match scope {
            Scope::All => Box::new(|_| true),
            Scope::Org(o) => {
                let o = st.org_idx(o)?;
                Box::new(move |v| {
                    st.vol(v).is_some_and(|x| {
                        x.home_org != NONE && st.ancestors(x.home_org).contains(&o)
                    })
                })
            }
            Scope::Team(t) => {
                let t = st.team_idx(t)?;
                Box::new(move |v| st.side.open(t, v).is_some())
            }
        };
        let off = st.off;
        // (street, minutes, volunteer, level)
        let mut eligible: Vec<(u32, u64, u32, i32)> = Vec::new();
        for (vi, vol) in st.vols.iter().enumerate() {
            let v = vi as u32;
            if !in_scope(v) || st.travel.transferred_out.contains(&v) {
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
                    st.travel
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
            out.push(ExcellentCandidate {
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
            });
        }
        Ok(out)
    }

    // ---- reporting in (报到, 双向管理) --------------------------------------------------------

    /// A volunteer reports in (报到) at their residential community from their work unit (an
    /// org of kind `work_unit`; the community of kind `community`, `neighbourhood` or `block`,
    /// `E_ORG_KIND` otherwise). Sets their work unit. Recorded by an admin or recorder of either
    /// side, or a platform admin.
    pub fn report_in(&mut self, actor: &ActorId, report: ReportIn) -> Result<()> {
        self.commit(actor, Change::ReportedIn(report)).map(|_| ())
    }

    /// A work unit's report for a period: every volunteer whose work unit it is (by a
    /// report-in or a move), with counted minutes in the period — those with none included —
    /// their star level and the community they reported in at.
    pub fn unit_report(&self, unit: &OrgId, period: Period) -> Result<UnitReport> {
        let u = self.state.org_idx(unit)?;
        let mut staff: Vec<UnitStaffLine> = Vec::new();
        for (&v, _) in self
            .state
            .travel
            .work_units
            .iter()
            .filter(|(_, x)| **x == u)
        {
            let Some(vol) = self.state.vol(v) else {
                continue;
            };
            let id = VolunteerId::new(&*vol.key)?;
            let community = self.state.side.reported.get(&v).copied();
            staff.push(UnitStaffLine {
                masked_name: mask_name(&vol.name),
                minutes: crate::error::signed(
                    self.state.counted_minutes_where(v, |d| period.contains(d)),
                ),
                star_level: self.star_summary(&id)?.level,
                community: community.and_then(|c| self.state.org_id(c)),
                community_name: community
                    .and_then(|c| self.state.orgs.get(c as usize))
                    .map(|o| o.org.name.clone()),
                volunteer: id,
            });
        }
        staff.sort_by(|a, b| a.volunteer.cmp(&b.volunteer));
        Ok(UnitReport {
            unit: unit.clone(),
            period: period.to_string(),
            served: staff.iter().filter(|s| s.minutes > 0).count() as i32,
            total_minutes: staff.iter().map(|s| s.minutes).sum(),
            staff,
        })
    }

    /// The volunteers a community sees as its own: those whose home org it is, and those who
    /// reported in there from their work units. By volunteer number.
    pub fn community_volunteers(&self, community: &OrgId) -> Result<Vec<CommunityVolunteer>> {
        let c = self.state.org_idx(community)?;
        let mut out = Vec::new();
        for (vi, vol) in self.state.vols.iter().enumerate() {
            let v = vi as u32;
            let reported = self.state.side.reported.get(&v) == Some(&c);
            if vol.home_org != c && !reported {
                continue;
            }
            out.push(CommunityVolunteer {
                volunteer: VolunteerId::new(&*vol.key)?,
                masked_name: mask_name(&vol.name),
                work_unit: self
                    .state
                    .travel
                    .work_units
                    .get(&v)
                    .and_then(|u| self.state.org_id(*u)),
                reported_in: reported,
            });
        }
        out.sort_by(|a, b| a.volunteer.cmp(&b.volunteer));
        Ok(out)
    }

    // ---- anomaly flags ----------------------------------------------------------------------

    /// Anomaly flags for a period (DESIGN §3, against bought hours), each with its reason:
    /// a volunteer's day of more minutes than the policy flags; an actor entering more records
    /// (typed in, source `entry`) than the policy allows within its window; a record entered
    /// more than the policy's days after its service; a record entered by the volunteer it is
    /// about. Service days decide the period, entry days for bursts. Flags are not refusals:
    /// the records stand until someone amends or revokes them. Revoked and amended records are
    /// not flagged.
    pub fn anomalies(&self, period: Period) -> Result<Vec<Anomaly>> {
        let st = &self.state;
        let rules = &self.config.policy.fraud;
        let off = st.off;
        let mut out = Vec::new();
        let mut days: BTreeMap<(u32, NaiveDate), (u64, u32)> = BTreeMap::new();
        let mut typed: Vec<(u32, i64, u32)> = Vec::new();
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
                    reason_zh: format!(
                        "服务记录 {rid}：由志愿者 {vkey} 本人录入（当前状态：{state}）"
                    ),
                });
            }
        }
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
                    day: Timestamp(t0).local_date(off),
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
        out.sort_by(|a, b| {
            (a.day, a.kind.as_str(), &a.record).cmp(&(b.day, b.kind.as_str(), &b.record))
        });
        Ok(out)
    }
}

fn ordinal(n: u32) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, x) if x != 11 => "st",
        (2, x) if x != 12 => "nd",
        (3, x) if x != 13 => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}
