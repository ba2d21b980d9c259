//! Two rules of who may act that hold whatever roles an actor has (see `docs/roles.md`):
//!
//! - **Nobody certifies their own hours.** An actor who is a record's volunteer (actor id =
//!   volunteer number) never confirms, amends, resolves a dispute of, or certifies that record
//!   (`E_OWN_RECORD`), even as an org admin, a platform admin, a recorder or a team leader.
//! - **Nobody takes another org's volunteer.** Moving a volunteer, reporting them in and
//!   transferring them need a role over the org that holds them now: their current home org
//!   (or an org above it), or a platform admin's.

use super::{HeldRecord, NONE, State};
use crate::error::{LedgerError, Result};
use crate::ids::ActorId;
use crate::log::CertificateEntry;

/// What an actor may not do to a record of their own service: the English verb (as the
/// message reads, "nobody confirms …") and the Chinese phrase with its object.
#[derive(Debug, Clone, Copy)]
pub(super) enum OwnAction {
    Confirm,
    Amend,
    Resolve,
    Certify,
}

impl OwnAction {
    /// The refusal of this action on `record` (`E_OWN_RECORD`).
    pub(super) fn refused(self, record: String) -> LedgerError {
        let (action, action_zh) = self.words();
        LedgerError::OwnRecord {
            record,
            action: action.to_owned(),
            action_zh: action_zh.to_owned(),
        }
    }

    fn words(self) -> (&'static str, &'static str) {
        match self {
            Self::Confirm => ("confirms", "确认本人的服务记录"),
            Self::Amend => ("amends", "更正本人的服务记录"),
            Self::Resolve => ("resolves a dispute of", "处理本人服务记录的申诉"),
            Self::Certify => ("certifies", "为本人的服务记录出具证明"),
        }
    }
}

impl State {
    /// Whether the actor is the volunteer whose service the record is.
    pub(super) fn is_own(&self, actor: &ActorId, rec: HeldRecord) -> bool {
        self.vol(rec.vol).is_some_and(|v| &*v.key == actor.as_str())
    }

    /// Refuses an actor who is the record's volunteer (`E_OWN_RECORD`), whatever roles they hold.
    pub(super) fn not_own_record(
        &self,
        actor: &ActorId,
        record: &str,
        rec: HeldRecord,
        action: OwnAction,
    ) -> Result<()> {
        if self.is_own(actor, rec) {
            return Err(action.refused(record.to_owned()));
        }
        Ok(())
    }

    /// Whether the actor holds the volunteer now: a platform admin, or an admin or recorder of
    /// their current home org or an org above it. A volunteer without a home org is held by
    /// platform admins only. A work unit does not hold its staff: it is named by a report-in or
    /// a move, which the home org (or the volunteer) makes.
    pub(super) fn holds_volunteer(&self, actor: &ActorId, v: u32) -> bool {
        let home = self.vol(v).map_or(NONE, |x| x.home_org);
        self.is_platform_admin(actor) || (home != NONE && self.has_org_role(actor, home, false))
    }
}

/// Refuses a certificate of the actor's own hours (`E_OWN_RECORD`, naming its first record, or
/// its number if it names none), even from an admin of the issuing org.
pub(super) fn not_own_certificate(actor: &ActorId, c: &CertificateEntry) -> Result<()> {
    if actor.as_str() == c.volunteer.as_str() {
        let first = c.records.first().map(|r| r.record.to_string());
        return Err(OwnAction::Certify.refused(first.unwrap_or_else(|| c.number.clone())));
    }
    Ok(())
}
