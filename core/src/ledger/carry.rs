//! Which records of a transfer package a ledger carries in. Service is counted once: a carried
//! record the ledger holds already (by its ledger and record id), one of this ledger's own
//! records coming back, and one whose time overlaps service the volunteer already has here —
//! a live local record, a record carried in earlier, or an earlier record of the same package —
//! is not carried. The overlapping ones are reported (`TransferReceipt::overlapping`), never
//! counted twice; the others are simply known already.

use super::State;
use crate::transfer::TransferRecord;
use hashbrown::HashSet;

/// A package's records, sorted for carrying in.
pub(super) struct Carried<'p> {
    /// Carried in: counted for the volunteer's totals and stars.
    pub(super) kept: Vec<&'p TransferRecord>,
    /// Set aside: their time overlaps service the volunteer has already (reported).
    pub(super) overlapping: Vec<&'p TransferRecord>,
}

impl State {
    /// Sorts `records` (a package's, in its order) for volunteer `v`: see the module's rules.
    /// Pure, so that making the change and replaying it sort alike.
    pub(super) fn carry<'p>(&self, v: u32, records: &'p [TransferRecord]) -> Carried<'p> {
        let mut seen = HashSet::new();
        let mut out = Carried {
            kept: Vec::new(),
            overlapping: Vec::new(),
        };
        for r in records {
            if r.ledger.as_str() == self.keys_and_transfers.ledger_id {
                continue; // this ledger's own record: counted here already
            }
            let key = (r.ledger.to_string(), r.record.to_string());
            if self.keys_and_transfers.carried_keys.contains(&key) || !seen.insert(key) {
                continue; // carried already
            }
            let meets = |s: i64, e: i64| s < r.end.0 && r.start.0 < e;
            let local = self.vol(v).is_some_and(|vol| {
                vol.records.iter().any(|&i| {
                    self.records
                        .get(i as usize)
                        .is_some_and(|o| o.live() && meets(o.start(), o.end()))
                })
            });
            let carried = self
                .keys_and_transfers
                .carried
                .get(&v)
                .into_iter()
                .flatten()
                .chain(out.kept.iter().copied())
                .any(|c| meets(c.start.0, c.end.0));
            if local || carried {
                out.overlapping.push(r);
            } else {
                out.kept.push(r);
            }
        }
        out
    }
}
