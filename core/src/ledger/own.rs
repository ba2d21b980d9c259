//! A rule of who may act that holds whatever roles an actor has (see `docs/roles.md`):
//!
//! - **Nobody certifies their own hours.** An actor who is a record's volunteer (actor id =
//!   volunteer number) never confirms, amends, resolves a dispute of, or certifies that record
//!   (`E_OWN_RECORD`), even as an org admin, a platform admin, a recorder or a team leader.

use super::{Rec, State};
use crate::error::{LedgerError, Result};
use crate::ids::ActorId;

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
    pub(super) fn is_own(&self, actor: &ActorId, rec: Rec) -> bool {
        self.vol(rec.vol).is_some_and(|v| &*v.key == actor.as_str())
    }

    /// Refuses an actor who is the record's volunteer (`E_OWN_RECORD`), whatever roles they hold.
    pub(super) fn not_own_record(
        &self,
        actor: &ActorId,
        record: &str,
        rec: Rec,
        action: OwnAction,
    ) -> Result<()> {
        if self.is_own(actor, rec) {
            return Err(action.refused(record.to_owned()));
        }
        Ok(())
    }
}
