//! Service records in a ledger: adding one or many (what became of each of many is a
//! [`RecordOutcome`]), confirming one or many (a [`ConfirmOutcome`] each), revoking,
//! disputing and amending them, and reading them back.

use vl::{NewRecord, Receipt, RecordReceipt, ServiceRecord};
use volunteer_ledger as vl;

use super::Ledger;
use crate::conversions::{parse, signed};
use crate::errors::{LedgerError, Result};
use crate::progress::{ProgressListener, with_progress};

/// What became of one record of a bulk [`Ledger::add_records`] call.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum RecordOutcome {
    /// The record was added (or had been, with the same content: `receipt.duplicate`).
    Added {
        /// What adding it did.
        receipt: RecordReceipt,
    },
    /// The record was refused; the others were still tried.
    Refused {
        /// The refusal, as the single-record call would have raised it.
        error: LedgerError,
    },
}

/// What became of one record of a bulk [`Ledger::confirm_records`] call.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ConfirmOutcome {
    /// The record was confirmed.
    Confirmed {
        /// What confirming it did.
        receipt: Receipt,
    },
    /// The record was refused; the others were still tried.
    Refused {
        /// The refusal, as the single-record call would have raised it.
        error: LedgerError,
    },
}

#[uniffi::export]
impl Ledger {
    /// Adds a service record; sending the same record again records it once.
    pub fn add_record(&self, actor: String, record: NewRecord) -> Result<RecordReceipt> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.add_record(&actor, record)?)
    }

    /// Adds many records in one call, each on its own; outcomes are in input order.
    pub fn add_records(
        &self,
        actor: String,
        records: Vec<NewRecord>,
    ) -> Result<Vec<RecordOutcome>> {
        self.add_records_told(actor, records, None)
    }

    /// `add_records`, telling `progress` the records done (`0` of the total, every 1000, the
    /// end).
    pub fn add_records_with_progress(
        &self,
        actor: String,
        records: Vec<NewRecord>,
        progress: Box<dyn ProgressListener>,
    ) -> Result<Vec<RecordOutcome>> {
        self.add_records_told(actor, records, Some(progress))
    }

    /// Confirms a pending record.
    pub fn confirm_record(&self, actor: String, record: String) -> Result<Receipt> {
        let (actor, record) = (parse(&actor)?, parse(&record)?);
        Ok(self.lock()?.confirm_record(&actor, &record)?)
    }

    /// Confirms many pending records in one transaction, each on its own; outcomes are in
    /// input order (a malformed id is refused like any other).
    pub fn confirm_records(
        &self,
        actor: String,
        records: Vec<String>,
    ) -> Result<Vec<ConfirmOutcome>> {
        let actor = parse(&actor)?;
        let parsed: Vec<vl::Result<vl::RecordId>> = records.iter().map(|r| r.parse()).collect();
        let good: Vec<vl::RecordId> = parsed
            .iter()
            .filter_map(|r| r.as_ref().ok().cloned())
            .collect();
        let mut confirmed = self.lock()?.confirm_records(&actor, &good)?.into_iter();
        Ok(parsed
            .into_iter()
            .map(
                |p| match p.and_then(|_| confirmed.next().unwrap_or_else(|| Err(lost()))) {
                    Ok(receipt) => ConfirmOutcome::Confirmed { receipt },
                    Err(e) => ConfirmOutcome::Refused { error: e.into() },
                },
            )
            .collect())
    }

    /// Revokes a record with a reason; it stays in the ledger and stops counting.
    pub fn revoke_record(&self, actor: String, record: String, reason: String) -> Result<Receipt> {
        let (actor, record) = (parse(&actor)?, parse(&record)?);
        Ok(self.lock()?.revoke_record(&actor, &record, &reason)?)
    }

    /// Disputes a record (申诉).
    pub fn dispute_record(&self, actor: String, record: String, reason: String) -> Result<Receipt> {
        let (actor, record) = (parse(&actor)?, parse(&record)?);
        Ok(self.lock()?.dispute_record(&actor, &record, &reason)?)
    }

    /// Resolves a dispute: the record returns to its state before it.
    pub fn resolve_dispute(&self, actor: String, record: String, note: String) -> Result<Receipt> {
        let (actor, record) = (parse(&actor)?, parse(&record)?);
        Ok(self.lock()?.resolve_dispute(&actor, &record, &note)?)
    }

    /// Replaces a counted record by a corrected one; the old one stays, linked.
    pub fn amend_record(
        &self,
        actor: String,
        record: String,
        replacement: NewRecord,
        reason: String,
    ) -> Result<RecordReceipt> {
        let (actor, record) = (parse(&actor)?, parse(&record)?);
        Ok(self
            .lock()?
            .amend_record(&actor, &record, replacement, &reason)?)
    }

    /// A record by id.
    pub fn record(&self, id: String) -> Result<ServiceRecord> {
        let id = parse(&id)?;
        Ok(self.lock()?.record(&id)?)
    }

    /// A volunteer's records, in the order they were added.
    pub fn records_of(&self, volunteer: String) -> Result<Vec<ServiceRecord>> {
        let volunteer = parse(&volunteer)?;
        Ok(self.lock()?.records_of(&volunteer)?)
    }

    /// How many records the ledger holds, in every state.
    pub fn record_count(&self) -> Result<i64> {
        Ok(signed(self.lock()?.record_count()))
    }
}

/// The refusal for a record the core answered nothing for (it answers one result for each
/// record given: never expected).
fn lost() -> vl::LedgerError {
    vl::LedgerError::InvalidField {
        what: "confirm_records".into(),
        field: "records".into(),
        detail: "no answer for this record / 该记录无结果".into(),
    }
}

/// Bulk adds, with a progress listener or none.
impl Ledger {
    fn add_records_told(
        &self,
        actor: String,
        records: Vec<NewRecord>,
        progress: Option<Box<dyn ProgressListener>>,
    ) -> Result<Vec<RecordOutcome>> {
        let actor = parse(&actor)?;
        let mut ledger = self.lock()?;
        let results = with_progress(progress, |p| {
            ledger.add_records_with_progress(&actor, records, p)
        });
        Ok(results
            .into_iter()
            .map(|r| match r {
                Ok(receipt) => RecordOutcome::Added { receipt },
                Err(e) => RecordOutcome::Refused { error: e.into() },
            })
            .collect())
    }
}
