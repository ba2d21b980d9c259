//! The projections: plain tables (orgs, volunteers, teams and their members, records) that
//! queries and data staff read, written in the transaction of the entries they reflect, with
//! the bookkeeping that says whether they still do (the last entry they reflect, hand edits,
//! row counts).

use super::Store;
use super::rows::{Bound, INSERT_RECORD, INSERT_VOLUNTEER, RecordRow, VolunteerRow, record_row};
use crate::error::Result;
use crate::org::{NewTeam, Org, VolunteerView};
use crate::record::ServiceRecord;
use rusqlite::{OptionalExtension, params};

/// The projection tables, in the order they are cleared and rebuilt.
pub(crate) const PROJECTIONS: [&str; 5] =
    ["orgs", "volunteers", "teams", "team_members", "records"];

impl Store {
    /// Writes an org's projection row.
    pub(crate) fn put_org(&self, o: &Org) -> Result<()> {
        self.conn
            .prepare_cached("INSERT OR REPLACE INTO orgs VALUES (?1, ?2, ?3, ?4)")
            .and_then(|mut st| {
                st.execute(params![
                    o.id.as_str(),
                    o.name,
                    o.kind.as_str(),
                    o.parent.as_ref().map(|p| p.as_str())
                ])
            })
            .map_err(|e| self.row_failed(e))?;
        Ok(())
    }

    /// Writes volunteers' projection rows (masked, as every view of them is), one statement for
    /// them all, binding only what changed from the row before ([`Bound`]).
    pub(crate) fn put_volunteers(
        &self,
        views: impl Iterator<Item = (u32, VolunteerView)>,
    ) -> Result<()> {
        let fail = |e| self.row_failed(e);
        let mut st = self.conn.prepare_cached(INSERT_VOLUNTEER).map_err(fail)?;
        let mut bound = Bound::default();
        for (n, v) in views {
            let row = VolunteerRow::of(n, &v);
            bound.execute(&mut st, &row.values()).map_err(fail)?;
        }
        Ok(())
    }

    /// Writes a team's projection rows: the team and its members with their roles.
    pub(crate) fn put_team(&self, t: &NewTeam) -> Result<()> {
        let fail = |e| self.row_failed(e);
        self.conn
            .prepare_cached("INSERT OR REPLACE INTO teams VALUES (?1, ?2, ?3, ?4)")
            .and_then(|mut st| {
                st.execute(params![
                    t.id.as_str(),
                    t.name,
                    t.org.as_str(),
                    t.leader.as_str()
                ])
            })
            .map_err(fail)?;
        self.conn
            .prepare_cached("DELETE FROM team_members WHERE team = ?1")
            .and_then(|mut st| st.execute(params![t.id.as_str()]))
            .map_err(fail)?;
        let mut st = self
            .conn
            .prepare_cached("INSERT OR IGNORE INTO team_members VALUES (?1, ?2, ?3)")
            .map_err(fail)?;
        let roles = std::iter::once((&t.leader, "leader"))
            .chain(t.liaisons.iter().map(|v| (v, "liaison")))
            .chain(t.members.iter().map(|v| (v, "member")));
        for (v, role) in roles {
            st.execute(params![t.id.as_str(), v.as_str(), role])
                .map_err(fail)?;
        }
        Ok(())
    }

    /// Writes a record's projection row; `date` is its local service date.
    pub(crate) fn put_record(&self, n: u32, r: &ServiceRecord, date: &str) -> Result<()> {
        let rec = &r.record;
        let row = RecordRow {
            n,
            id: rec.id.as_str(),
            volunteer: rec.volunteer.as_str(),
            org: rec.org.as_str(),
            team: rec.team.as_ref().map(|t| t.as_str()),
            activity: rec.activity.as_ref().map(|a| a.as_str()),
            date,
            start: rec.start.0,
            end: rec.end.0,
            minutes: rec.minutes,
            content: &rec.content,
            source: rec.source,
            paid: rec.paid,
            public_benefit: rec.public_benefit,
            job_duty: rec.job_duty,
            state: r.state,
            counted: r.counted,
            make_up: r.make_up,
            recorded_by: r.recorded_by.as_str(),
            confirmed_by: r.confirmed_by.as_ref().map(|a| a.as_str()),
            amends: r.amends.as_ref().map(|a| a.as_str()),
            superseded_by: r.superseded_by.as_ref().map(|a| a.as_str()),
            reason: r.reason.as_deref(),
            entry_seq: r.entry_seq,
        };
        self.conn
            .prepare_cached(INSERT_RECORD)
            .and_then(|mut st| record_row(&mut st, &row))
            .map_err(|e| self.row_failed(e))
    }

    /// Empties every projection table and clears the note of hand edits (inside the open
    /// transaction), before a rebuild.
    pub(crate) fn clear_projections(&self) -> Result<()> {
        for t in PROJECTIONS {
            self.conn
                .execute(&format!("DELETE FROM {t}"), [])
                .map_err(|e| self.err("cannot clear the projections", "无法清空投影表", e))?;
        }
        self.conn
            .execute("DELETE FROM meta WHERE key = 'projections_edited'", [])
            .map_err(|e| self.err("cannot clear the projections", "无法清空投影表", e))?;
        Ok(())
    }

    /// The seq of the last entry the projections were written for (-1: none).
    pub(crate) fn projected_seq(&self) -> Result<i64> {
        self.conn
            .query_row(
                "SELECT value FROM meta WHERE key = 'projected_seq'",
                [],
                |r| r.get::<_, String>(0),
            )
            .optional()
            .map_err(|e| self.err("cannot read the metadata", "无法读取元数据", e))
            .map(|v| v.and_then(|v| v.parse().ok()).unwrap_or(i64::MIN))
    }

    /// Whether anyone but the ledger updated or deleted projection rows (the tables' triggers
    /// note it; the ledger itself only inserts, and clears the note when it rebuilds).
    pub(crate) fn projections_edited(&self) -> Result<bool> {
        Ok(self.meta("projections_edited")?.is_some_and(|v| v != "0"))
    }

    /// Row counts of the projections, for a cheap agreement check (rows added by hand).
    pub(crate) fn projection_counts(&self) -> Result<ProjectionCounts> {
        let q = |sql: &str| -> Result<i64> {
            self.conn
                .query_row(sql, [], |r| r.get::<_, i64>(0))
                .map_err(|e| self.err("cannot read the projections", "无法读取投影表", e))
        };
        // Volunteers and records are keyed by their index from 0: with no row deleted (the
        // triggers would say), the highest key tells the count without reading the table.
        Ok(ProjectionCounts {
            orgs: q("SELECT count(*) FROM orgs")?,
            volunteers: q("SELECT coalesce(max(n) + 1, 0) FROM volunteers")?,
            teams: q("SELECT count(*) FROM teams")?,
            records: q("SELECT coalesce(max(n) + 1, 0) FROM records")?,
        })
    }
}

/// How many rows the projections hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct ProjectionCounts {
    pub(crate) orgs: i64,
    pub(crate) volunteers: i64,
    pub(crate) teams: i64,
    pub(crate) records: i64,
}
