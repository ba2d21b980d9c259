//! Reporting in (报到) and two-way management (双向管理): a volunteer reports in at their
//! residential community from their work unit; the unit then sees its staff's service, and the
//! community sees them among its own.

use super::authorisation::authorise;
use super::{Ledger, State};
use crate::activity::{CommunityVolunteer, ReportIn, UnitReport, UnitStaffLine};
use crate::error::{LedgerError, Result};
use crate::ids::{ActorId, OrgId, VolunteerId, mask_name};
use crate::log::Change;
use crate::org::OrgKind;
use crate::time::{Period, Timestamp};

impl State {
    /// The index of an org of one of the kinds wanted, named in English and Chinese in the
    /// refusal (`E_ORG_KIND`).
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

    /// A report-in of a volunteer still here, at an org of kind `community`, `neighbourhood` or
    /// `block` from one of kind `work_unit`, on a day not in the future, recorded by the
    /// volunteer or by the org that holds them now.
    pub(super) fn check_report_in(
        &self,
        actor: &ActorId,
        now: Timestamp,
        r: &ReportIn,
    ) -> Result<()> {
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
        // The volunteer reports themselves in (报到), or the org that holds them now records
        // it: naming a unit or a community takes nobody from their home.
        authorise(
            actor,
            actor.as_str() == r.volunteer.as_str() || self.holds_volunteer(actor, v),
            "record a report-in",
            "only the volunteer, a platform admin, or an admin or recorder of the volunteer's current home org or above, records a report-in",
        )
    }

    /// Keeps the community a volunteer reported in at, and sets their work unit.
    pub(super) fn apply_report_in(&mut self, r: &ReportIn) -> Result<()> {
        let v = self.vol_idx(&r.volunteer)?;
        let community = self.org_idx(&r.community)?;
        let unit = self.org_idx(&r.work_unit)?;
        self.community.reported.insert(v, community);
        self.keys_and_transfers.work_units.insert(v, unit);
        Ok(())
    }
}

impl Ledger {
    /// A volunteer reports in (报到) at their residential community from their work unit (an
    /// org of kind `work_unit`; the community of kind `community`, `neighbourhood` or `block`,
    /// `E_ORG_KIND` otherwise). Sets their work unit. Recorded by the volunteer, a platform
    /// admin, or an admin or recorder of the volunteer's current home org or above.
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
            .keys_and_transfers
            .work_units
            .iter()
            .filter(|(_, x)| **x == u)
        {
            let Some(vol) = self.state.vol(v) else {
                continue;
            };
            let id = VolunteerId::new(&*vol.key)?;
            let community = self.state.community.reported.get(&v).copied();
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
            let reported = self.state.community.reported.get(&v) == Some(&c);
            if vol.home_org != c && !reported {
                continue;
            }
            out.push(CommunityVolunteer {
                volunteer: VolunteerId::new(&*vol.key)?,
                masked_name: mask_name(&vol.name),
                work_unit: self
                    .state
                    .keys_and_transfers
                    .work_units
                    .get(&v)
                    .and_then(|u| self.state.org_id(*u)),
                reported_in: reported,
            });
        }
        out.sort_by(|a, b| a.volunteer.cmp(&b.volunteer));
        Ok(out)
    }
}
