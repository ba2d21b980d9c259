//! Confirming many pending records at once: each as [`Ledger::confirm_record`] confirms one,
//! in one batch.

use super::{Ledger, Receipt};
use crate::error::Result;
use crate::ids::{ActorId, RecordId};

impl Ledger {
    /// Confirms many pending records as [`Ledger::confirm_record`] confirms one, each on its
    /// own (one refusal does not stop the others); the results are in input order. A record
    /// named twice is confirmed once: the second is refused as the state it is then in. A file
    /// ledger writes them in one transaction: if that write fails, none is kept and the error
    /// is returned.
    pub fn confirm_records(
        &mut self,
        actor: &ActorId,
        records: &[RecordId],
    ) -> Result<Vec<Result<Receipt>>> {
        self.batch(|l| records.iter().map(|r| l.confirm_record(actor, r)).collect())
    }
}
