//! The checks of a new or amended record: its own fields, who may record it, and how it sits
//! among the volunteer's other records (overlap, daily cap, check-in pairs).

use super::NONE;
use super::checks::{admitted, check_text};
use super::own::OwnAction;
use super::state::{Admit, HeldRecord, State};
use crate::error::{LedgerError, Result, invalid_field};
use crate::ids::{ActorId, RecordId};
use crate::record::{NewRecord, RecordSource, RecordState, check_record};
use crate::time::Timestamp;

impl State {
    /// A new record (the same record added again is a duplicate, admitted without effect).
    pub(super) fn check_record_added(
        &self,
        actor: &ActorId,
        now: Timestamp,
        r: &NewRecord,
    ) -> Result<Option<Admit>> {
        if let Some(existing) = self.record_ids.get(r.id.as_str()) {
            // Only someone who could record it learns that it exists.
            self.may_record(actor, r)?;
            return if self.view_new_record(existing).as_ref() == Some(r) {
                Ok(None)
            } else {
                Err(LedgerError::RecordIdConflict {
                    record: r.id.to_string(),
                })
            };
        }
        self.check_new_record(actor, now, r, None).map(Some)
    }

    /// A pending record confirmed by an organiser other than its recorder (an org admin for a
    /// make-up record or one held for four eyes).
    pub(super) fn check_record_confirmed(
        &self,
        actor: &ActorId,
        record: &RecordId,
    ) -> Result<Option<Admit>> {
        let i = self.rec_idx(record)?;
        let rec = self.rec(i)?;
        if rec.state() != RecordState::Pending {
            return Err(self.bad_state(record, rec, "confirm"));
        }
        self.record_volunteer_here(rec)?;
        if self.actors.resolve(rec.recorded_by) == actor.as_str() {
            return Err(LedgerError::SelfConfirm {
                record: record.to_string(),
            });
        }
        self.not_own_record(actor, record.as_str(), rec, OwnAction::Confirm)?;
        self.may_confirm_record(actor, rec)?;
        if rec.four_eyes() && !self.is_org_admin(actor, rec.org) {
            return Err(LedgerError::FourEyes {
                record: record.to_string(),
                minutes: u32::from(rec.minutes),
                threshold: self.policy.fraud.four_eyes_minutes,
            });
        }
        if rec.make_up() && !self.is_org_admin(actor, rec.org) {
            return Err(LedgerError::MakeUpNeedsOrgAdmin {
                record: record.to_string(),
                window: self.policy.recording_window_working_days,
            });
        }
        admitted()
    }

    /// A counted record replaced by a new one for the same volunteer, by the organising org's
    /// recorders or admins.
    pub(super) fn check_record_amended(
        &self,
        actor: &ActorId,
        now: Timestamp,
        record: &RecordId,
        replacement: &NewRecord,
        reason: &str,
    ) -> Result<Option<Admit>> {
        let i = self.rec_idx(record)?;
        let rec = self.rec(i)?;
        if !rec.counted() {
            return Err(self.bad_state(record, rec, "amend"));
        }
        check_text("record", record.as_str(), "reason", reason, 500, false)?;
        if replacement.volunteer.as_str() != self.vol(rec.vol).map_or("", |v| &*v.key) {
            return Err(invalid_field(
                format!("record {}", replacement.id),
                "volunteer",
                "an amendment keeps the volunteer of the record it replaces",
            ));
        }
        if self.record_ids.get(replacement.id.as_str()).is_some() {
            return Err(LedgerError::Duplicate {
                what: "record".into(),
                id: replacement.id.to_string(),
            });
        }
        self.not_own_record(actor, record.as_str(), rec, OwnAction::Amend)?;
        self.may_change_record(actor, rec.org, "amend")?;
        self.check_new_record(actor, now, replacement, Some(i))
            .map(Some)
    }

    /// A live record revoked by the organising org's recorders or admins.
    pub(super) fn check_record_revoked(
        &self,
        actor: &ActorId,
        record: &RecordId,
        reason: &str,
    ) -> Result<Option<Admit>> {
        let i = self.rec_idx(record)?;
        let rec = self.rec(i)?;
        if !rec.live() {
            return Err(self.bad_state(record, rec, "revoke"));
        }
        check_text("record", record.as_str(), "reason", reason, 500, false)?;
        self.may_change_record(actor, rec.org, "revoke")?;
        admitted()
    }

    /// A pending or confirmed record disputed by someone involved in it.
    pub(super) fn check_record_disputed(
        &self,
        actor: &ActorId,
        record: &RecordId,
        reason: &str,
    ) -> Result<Option<Admit>> {
        let i = self.rec_idx(record)?;
        let rec = self.rec(i)?;
        if !matches!(rec.state(), RecordState::Pending | RecordState::Confirmed) {
            return Err(self.bad_state(record, rec, "dispute"));
        }
        check_text("record", record.as_str(), "reason", reason, 500, false)?;
        self.may_dispute_record(actor, rec)?;
        admitted()
    }

    /// A dispute resolved by an admin of the organising org or above.
    pub(super) fn check_dispute_resolved(
        &self,
        actor: &ActorId,
        record: &RecordId,
        note: &str,
    ) -> Result<Option<Admit>> {
        let i = self.rec_idx(record)?;
        let rec = self.rec(i)?;
        if rec.state() != RecordState::Disputed {
            return Err(self.bad_state(record, rec, "resolve a dispute of"));
        }
        self.record_volunteer_here(rec)?;
        check_text("record", record.as_str(), "note", note, 500, true)?;
        self.not_own_record(actor, record.as_str(), rec, OwnAction::Resolve)?;
        self.may_resolve_dispute(actor, rec)?;
        admitted()
    }

    pub(super) fn bad_state(
        &self,
        record: &RecordId,
        rec: HeldRecord,
        action: &str,
    ) -> LedgerError {
        LedgerError::InvalidState {
            record: record.to_string(),
            state: rec.state().as_str().to_owned(),
            action: action.to_owned(),
        }
    }

    /// Validation and authorisation of a new record (or an amendment replacing `replacing`).
    pub(super) fn check_new_record(
        &self,
        actor: &ActorId,
        now: Timestamp,
        r: &NewRecord,
        replacing: Option<u32>,
    ) -> Result<Admit> {
        check_record(r, &self.policy, now)?;
        let vol = self.vol_idx(&r.volunteer)?;
        self.still_here(vol, &r.volunteer)?;
        let org = self.org_idx(&r.org)?;
        let team = match &r.team {
            Some(t) => self.team_idx(t)?,
            None => NONE,
        };
        self.may_record_at(actor, r, org, team)?;
        let organiser = self.is_organiser(actor, org, team);
        let is_self = actor.as_str() == r.volunteer.as_str();
        self.check_against_others(r, vol, org, replacing)?;
        let make_up = self
            .working_calendar()
            .is_make_up(r.end.local_date(self.off), now.local_date(self.off));
        self.check_record_activity(r, org, team, make_up)?;
        // Against bought hours: a large record waits for a second admin (four eyes).
        let threshold = self.policy.fraud.four_eyes_minutes;
        let four_eyes = threshold > 0 && r.minutes > i64::from(threshold);
        // An organiser's record is confirmed as entered, but never one about themselves:
        // nobody certifies their own hours.
        let state =
            if organiser && !is_self && !four_eyes && (!make_up || self.is_org_admin(actor, org)) {
                RecordState::Confirmed
            } else {
                RecordState::Pending
            };
        Ok(Admit {
            state,
            make_up,
            four_eyes,
            at: Some((vol, org, team)),
        })
    }

    /// The checks against the volunteer's other live records: overlap, daily cap, check-in
    /// pairs (`vol` and `org` are the record's volunteer and org).
    pub(super) fn check_against_others(
        &self,
        r: &NewRecord,
        vol: u32,
        org: u32,
        replacing: Option<u32>,
    ) -> Result<()> {
        let Some(v) = self.vol(vol) else {
            return Ok(());
        };
        // Local days as numbers: the same day as `local_date`, without the calendar.
        let secs = i64::from(self.off.local_minus_utc());
        let day_of = |t: i64| (t + secs).div_euclid(86_400);
        let day = day_of(r.start.0);
        let activity = r
            .activity
            .as_ref()
            .and_then(|a| self.activities.get(a.as_str()));
        let mut day_total = u64::try_from(r.minutes).unwrap_or(0);
        let mut pairs = 0u32;
        // Records kept in time order (the usual bulk add) all end before this one's day
        // begins: none overlaps it or shares its day.
        let unmet = v.records_end <= day * 86_400 - secs;
        for &ri in if unmet { &[][..] } else { &v.records[..] } {
            if Some(ri) == replacing {
                continue;
            }
            let Some(o) = self.records.get(ri as usize) else {
                continue;
            };
            if !o.live() {
                continue;
            }
            if o.start() < r.end.0 && r.start.0 < o.end() {
                return Err(LedgerError::Overlap {
                    record: r.id.to_string(),
                    other: self.record_ids.resolve(ri).to_owned(),
                });
            }
            if day_of(o.start()) == day {
                day_total += u64::from(o.minutes);
                let same_activity = match r.activity {
                    Some(_) => activity.is_some() && o.activity == activity.unwrap_or(NONE),
                    None => o.activity == NONE && o.org == org,
                };
                if r.source == RecordSource::CheckIn
                    && o.source_code() == RecordSource::CheckIn.as_code()
                    && same_activity
                {
                    pairs += 1;
                }
            }
        }
        // Service carried in from other ledgers takes its time too.
        for c in self
            .keys_and_transfers
            .carried
            .get(&vol)
            .into_iter()
            .flatten()
        {
            if c.start < r.end && r.start < c.end {
                return Err(LedgerError::Overlap {
                    record: r.id.to_string(),
                    other: format!("{}@{}", c.record, c.ledger),
                });
            }
            if day_of(c.start.0) == day {
                day_total += u64::from(c.counted_minutes());
            }
        }
        if day_total > crate::error::count(self.policy.daily_cap_minutes) {
            return Err(LedgerError::DailyCap {
                record: r.id.to_string(),
                day: r.start.local_date(self.off).to_string(),
                total: day_total,
                cap: self.policy.daily_cap_minutes,
            });
        }
        if r.source == RecordSource::CheckIn
            && i64::from(pairs) >= i64::from(self.policy.checkin_pairs_per_day)
        {
            return Err(LedgerError::CheckInLimit {
                record: r.id.to_string(),
                day: r.start.local_date(self.off).to_string(),
                limit: self.policy.checkin_pairs_per_day,
            });
        }
        Ok(())
    }
}
