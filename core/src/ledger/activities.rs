//! Activities (活动) with their evaluations (服务评价) and complaints (投诉): an org or a team
//! creates an activity, of its own or of a claimed project; records naming it must be of its
//! org and team; the organising org records what the people served thought of it.

use super::authorisation::authorise;
use super::community_tables::ActivityNode;
use super::{Ledger, NONE, State, check_text, id_space_full};
use crate::activity::{ActivityView, Complaint, Evaluation, NewActivity};
use crate::error::{LedgerError, Result, invalid_field};
use crate::ids::{ActivityId, ActorId, RecordId};
use crate::log::Change;
use crate::record::NewRecord;

impl State {
    /// The registered activity of an id, with its index.
    pub(super) fn activity_node(&self, id: &ActivityId) -> Result<(u32, &ActivityNode)> {
        self.activities
            .get(id.as_str())
            .and_then(|i| self.community.activities.get(&i).map(|n| (i, n)))
            .ok_or_else(|| LedgerError::UnknownActivity { id: id.to_string() })
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

    /// The team an activity belongs to: the one named, or its claimed project's.
    fn activity_team(&self, a: &NewActivity) -> Result<(u32, u32)> {
        let project = match &a.project {
            Some(p) => self.project_idx(p)?,
            None => NONE,
        };
        let claimed = self
            .community
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

    /// A new activity, named and planned from start to end, at an org under its project's,
    /// created by its organising org's recorders or admins or its team's leader or liaisons.
    pub(super) fn check_activity(&self, actor: &ActorId, a: &NewActivity) -> Result<()> {
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
        if let Some(p) = self.community.projects.get(project as usize)
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
        authorise(
            actor,
            self.is_organiser(actor, org, team),
            "create an activity",
            "only the organising org's recorders or admins, or the organising team's leader or liaisons, create activities",
        )
    }

    /// A record naming a registered activity must be of its org and team, and a make-up
    /// record of it cannot exceed its planned duration. A record may also name an activity
    /// that was never registered, as a plain tag; such a record is nobody's activity and no
    /// team's.
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

    /// An evaluation of a registered activity, scored 1 to 5.
    pub(super) fn check_evaluation(&self, actor: &ActorId, e: &Evaluation) -> Result<()> {
        let (_, node) = self.activity_node(&e.activity)?;
        if !(1..=5).contains(&e.score) {
            return Err(LedgerError::EvaluationScore {
                activity: e.activity.to_string(),
                score: e.score,
            });
        }
        self.may_judge(actor, node.org, "evaluate an activity")
    }

    /// A complaint about a registered activity (and a known volunteer, if it names one), with
    /// its reason.
    pub(super) fn check_complaint(&self, actor: &ActorId, c: &Complaint) -> Result<()> {
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
        self.may_judge(actor, node.org, "record a complaint")
    }

    /// Evaluations and complaints are the organising org's to record (its recorders and
    /// admins, or those above): not the team's own officers, whose work they judge.
    fn may_judge(&self, actor: &ActorId, org: u32, action: &str) -> Result<()> {
        authorise(
            actor,
            self.is_platform_admin(actor) || self.has_org_role(actor, org, false),
            action,
            "only the organising org's recorders or admins (or those above) record evaluations and complaints",
        )
    }

    /// Registers an activity, with the team it belongs to resolved.
    pub(super) fn apply_activity(&mut self, a: &NewActivity) -> Result<()> {
        let org = self.org_idx(&a.org)?;
        let (team, project) = self.activity_team(a)?;
        let idx = self
            .activities
            .intern(a.id.as_str())
            .ok_or_else(|| id_space_full("activities"))?;
        let mut activity = a.clone();
        activity.team = self.teams.get(team as usize).map(|t| t.team.id.clone());
        self.community.activities.insert(
            idx,
            ActivityNode {
                activity,
                org,
                team,
                project,
            },
        );
        Ok(())
    }

    /// Keeps an evaluation beside its activity.
    pub(super) fn apply_evaluation(&mut self, e: &Evaluation) -> Result<()> {
        let (i, _) = self.activity_node(&e.activity)?;
        self.community
            .evaluations
            .entry(i)
            .or_default()
            .push((u8::try_from(e.score).unwrap_or(0), e.source)); // checked: 1 to 5
        Ok(())
    }

    /// Keeps a complaint beside its activity.
    pub(super) fn apply_complaint(&mut self, c: &Complaint) -> Result<()> {
        let (i, _) = self.activity_node(&c.activity)?;
        self.community
            .complaints
            .entry(i)
            .or_default()
            .push(c.clone());
        Ok(())
    }
}

impl Ledger {
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
            .community
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
                .community
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
                .community
                .complaints
                .get(&i)
                .map_or(0, |c| i32::try_from(c.len()).unwrap_or(i32::MAX)),
        })
    }
}
