//! Service projects (服务项目): an org publishes a project, and a team claims it (认领项目),
//! after which the project's activities belong to that team.

use super::authorisation::authorise;
use super::community_tables::ProjectNode;
use super::{Ledger, NONE, State, check_text, id_space_full};
use crate::activity::{NewProject, ProjectClaim, ProjectView};
use crate::error::{LedgerError, Result};
use crate::ids::{ActorId, ProjectId};
use crate::log::Change;

impl State {
    /// The index of a published project.
    pub(super) fn project_idx(&self, id: &ProjectId) -> Result<u32> {
        self.community
            .project_index
            .get(id)
            .copied()
            .ok_or_else(|| LedgerError::UnknownProject { id: id.to_string() })
    }

    /// A new project, with a name and a category, published by an admin of its org or above.
    pub(super) fn check_project(&self, actor: &ActorId, p: &NewProject) -> Result<()> {
        if self.community.project_index.contains_key(&p.id) {
            return Err(LedgerError::Duplicate {
                what: "project".into(),
                id: p.id.to_string(),
            });
        }
        check_text("project", p.id.as_str(), "name", &p.name, 200, false)?;
        check_text("project", p.id.as_str(), "category", &p.category, 50, false)?;
        let org = self.org_idx(&p.org)?;
        authorise(
            actor,
            self.is_org_admin(actor, org),
            "publish a project",
            "only an admin of the org or above publishes its projects",
        )
    }

    /// An unclaimed project, claimed for a team of the project's subtree or above it by the
    /// team's leader or liaisons, or an admin of the team's org or above.
    pub(super) fn check_claim(&self, actor: &ActorId, c: &ProjectClaim) -> Result<()> {
        let p = self.project_idx(&c.project)?;
        let t = self.team_idx(&c.team)?;
        let node =
            self.community
                .projects
                .get(p as usize)
                .ok_or_else(|| LedgerError::UnknownProject {
                    id: c.project.to_string(),
                })?;
        if let Some(by) = self.teams.get(node.team as usize) {
            return Err(LedgerError::ProjectClaimed {
                project: c.project.to_string(),
                team: by.team.id.to_string(),
            });
        }
        let team_org = self.team_org(t);
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
        authorise(
            actor,
            self.is_team_officer(actor, t) || self.is_org_admin(actor, team_org),
            "claim a project",
            "only the team's leader or liaisons, or an admin of its org or above, claim a project for it",
        )
    }

    /// Adds a published project, claimed by nobody yet.
    pub(super) fn apply_project(&mut self, p: &NewProject) -> Result<()> {
        let org = self.org_idx(&p.org)?;
        let idx =
            u32::try_from(self.community.projects.len()).map_err(|_| id_space_full("projects"))?;
        self.community.projects.push(ProjectNode {
            project: p.clone(),
            org,
            team: NONE,
        });
        self.community.project_index.insert(p.id.clone(), idx);
        Ok(())
    }

    /// Gives a project to the team that claimed it.
    pub(super) fn apply_claim(&mut self, c: &ProjectClaim) -> Result<()> {
        let p = self.project_idx(&c.project)?;
        let t = self.team_idx(&c.team)?;
        if let Some(node) = self.community.projects.get_mut(p as usize) {
            node.team = t;
        }
        Ok(())
    }
}

impl Ledger {
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
            .community
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
}
