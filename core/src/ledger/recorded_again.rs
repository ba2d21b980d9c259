//! A record that overlaps a counted record of its volunteer, in an upload of a corrected sheet:
//! the same service recorded before (same volunteer, org, start, end and minutes) is answered
//! as a duplicate, and, when the upload asks for it, a changed one amends the record it
//! overlaps — logged and authorised as any amendment — instead of being refused.

use super::{Ledger, RecordReceipt};
use crate::error::{LedgerError, Result};
use crate::ids::{ActorId, RecordId};
use crate::log::Change;
use crate::record::NewRecord;

/// What a bulk add does with a record that overlaps another record of its volunteer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Overlaps {
    /// Refuses it (`E_OVERLAP`), as a single add does.
    Refuse,
    /// Answers the same service recorded before as a duplicate; refuses a changed one.
    SameIsDuplicate,
    /// As `SameIsDuplicate`, but a changed one amends the record it overlaps, for this reason.
    Amend {
        /// The reason the amendments give.
        reason: String,
    },
}

/// What a bulk add sets aside to answer once the log holds every admitted entry.
pub(super) struct Aside<'a> {
    /// Records given before with the same id and content, with their change.
    pub(super) duplicates: &'a mut Vec<(usize, Change)>,
    /// Records that overlap a record of their volunteer, with the id of that record.
    pub(super) overlapped: &'a mut Vec<(usize, NewRecord, String)>,
    /// What to do with them.
    pub(super) overlaps: &'a Overlaps,
}

impl Ledger {
    /// The answer to a record of a bulk add that overlaps the record `other`: a duplicate if
    /// `other` is counted and holds the same service, an amendment of it if asked for, else
    /// the overlap it is.
    pub(super) fn recorded_again(
        &mut self,
        actor: &ActorId,
        mut r: NewRecord,
        other: &str,
        overlaps: &Overlaps,
    ) -> Result<RecordReceipt> {
        let refusal = LedgerError::Overlap {
            record: r.id.to_string(),
            other: other.to_owned(),
        };
        let Ok(other_id) = RecordId::new(other) else {
            return Err(refusal);
        };
        if self.holds_the_same_service(&r, &other_id) {
            r.id = other_id.clone();
            let receipt = self.duplicate_receipt(&Change::RecordAdded(r));
            return Ok(self.record_receipt(other_id, receipt, None));
        }
        match overlaps {
            Overlaps::Amend { reason } if self.state.rec_idx(&other_id).is_ok() => {
                self.amend_record(actor, &other_id, r, reason)
            }
            _ => Err(refusal),
        }
    }

    /// Whether the counted record `other` is of `r`'s volunteer and org, from its start to its
    /// end, for as many minutes.
    fn holds_the_same_service(&self, r: &NewRecord, other: &RecordId) -> bool {
        let state = &self.state;
        let Some(held) = state
            .rec_idx(other)
            .ok()
            .and_then(|i| state.records.get(i as usize))
        else {
            return false;
        };
        let same_vol = state.vol_idx(&r.volunteer).ok() == Some(held.vol);
        let same_org = state.org_index.get(&r.org).copied() == Some(held.org);
        held.counted()
            && same_vol
            && same_org
            && held.start() == r.start.0
            && held.end() == r.end.0
            && i64::from(held.minutes) == r.minutes
    }
}
