//! Service records: adding them one by one or in bulk, and confirming, amending, revoking and
//! disputing them.

use super::recorded_again::{Aside, Overlaps};
use super::state::{Admit, WARM_AHEAD};
use super::{Ledger, Log, NONE, Receipt, RecordReceipt, detached};
use crate::error::{LedgerError, Result};
use crate::ids::{ActorId, RecordId};
use crate::log::{Change, Entry};
use crate::progress::Progress;
use crate::record::{NewRecord, RecordState};

impl Ledger {
    /// Adds a service record. An organiser's record is confirmed at once (谁记录谁证明), unless
    /// it is a make-up record and the organiser is not an org admin; a volunteer's own report
    /// stays pending. Sending a record id again with the same content changes nothing
    /// (`duplicate` is set); with other content it is refused (`E_RECORD_ID_CONFLICT`).
    pub fn add_record(&mut self, actor: &ActorId, record: NewRecord) -> Result<RecordReceipt> {
        let id = record.id.clone();
        let (receipt, admit) = self.commit(actor, Change::RecordAdded(record))?;
        Ok(self.record_receipt(id, receipt, admit))
    }

    pub(super) fn record_receipt(
        &self,
        id: RecordId,
        receipt: Receipt,
        admit: Option<Admit>,
    ) -> RecordReceipt {
        let (state, make_up) = match admit {
            Some(a) => (a.state, a.make_up),
            None => self
                .state
                .record_ids
                .get(id.as_str())
                .and_then(|i| self.state.records.get(i as usize))
                .map_or((RecordState::Pending, false), |r| (r.state(), r.make_up())),
        };
        RecordReceipt {
            record: id,
            state,
            make_up,
            seq: receipt.seq,
            duplicate: receipt.duplicate,
        }
    }

    /// Makes room for the records of these ids that the ledger does not hold yet (a bulk add
    /// or an upload of a sheet read whole knows them all), so the tables grow once instead of
    /// doubling their way there — and such a sheet uploaded again reserves nothing. (An upload
    /// that reads its rows as it goes reserves room for every row: see `import::upload`.)
    pub(crate) fn reserve_records<'a>(&mut self, ids: impl Iterator<Item = &'a RecordId>) {
        let more = ids
            .filter(|id| self.state.record_ids.get(id.as_str()).is_none())
            .count();
        self.reserve_records_for(more);
    }

    /// Adds many records, each on its own (one refusal does not stop the others); the results
    /// are in input order. A file ledger writes them in one transaction: if that write fails,
    /// none of them is kept and every result is that error.
    pub fn add_records(
        &mut self,
        actor: &ActorId,
        records: Vec<NewRecord>,
    ) -> Vec<Result<RecordReceipt>> {
        self.add_records_with_progress(actor, records, Progress::none())
    }

    /// [`Ledger::add_records`], telling `progress` the records done (see [`Progress`]).
    pub fn add_records_with_progress(
        &mut self,
        actor: &ActorId,
        records: Vec<NewRecord>,
        progress: Progress<'_>,
    ) -> Vec<Result<RecordReceipt>> {
        self.reserve_records(records.iter().map(|r| &r.id));
        self.add_records_from(actor, records, progress)
    }

    /// [`Ledger::add_records`] for records that arrive as they are made (a binding converting
    /// its caller's columns on another thread, say): the same answers, in input order. Call
    /// [`Ledger::reserve_records_for`] first when the count is known. Records are taken from
    /// `records` a few at a time (16) ahead of being checked; if a file ledger's write fails,
    /// the answer is that error for every record taken, and the rest are not taken.
    ///
    /// `progress` is told the records answered, of as many as `records` says it holds or the
    /// caller expects ([`Progress::expecting`]).
    pub fn add_records_from(
        &mut self,
        actor: &ActorId,
        records: impl IntoIterator<Item = NewRecord>,
        mut progress: Progress<'_>,
    ) -> Vec<Result<RecordReceipt>> {
        let mut records = Some(records.into_iter());
        let mut seen = 0;
        let out = self.batch(|l| {
            let Some(records) = records.take() else {
                return Vec::new();
            };
            let mut results: Vec<Option<Result<RecordReceipt>>> =
                Vec::with_capacity(records.size_hint().0);
            progress.start(records.size_hint().0 as u64);
            let counted = records.enumerate().inspect(|(i, _)| seen = i + 1);
            let mut answered = 0u64;
            l.add_records_each(actor, counted, &Overlaps::Refuse, &mut |i, r| {
                if results.len() <= i {
                    results.resize(i + 1, None);
                }
                if let Some(slot) = results.get_mut(i) {
                    *slot = Some(r);
                }
                answered += 1;
                progress.at(answered);
            });
            progress.finish(answered);
            results
        });
        match out {
            Ok(mut results) => {
                results.resize(seen, None);
                results
                    .into_iter()
                    .map(|r| r.unwrap_or_else(|| Err(detached())))
                    .collect()
            }
            // Refused before it began (the file could not be written): every record is
            // answered with that error, none silently dropped.
            Err(e) => {
                let untaken = records.map_or(0, Iterator::count);
                vec![Err(e); seen + untaken]
            }
        }
    }

    /// Makes room for `n` more records (as a `Vec` reserves), so that a bulk add of a known
    /// size grows the ledger's tables once.
    pub fn reserve_records_for(&mut self, n: usize) {
        self.state.records.reserve(n);
        self.state.record_ids.reserve(n);
        self.state.texts.reserve(n);
        if let Log::Memory(log) = &mut self.log {
            log.reserve(n);
        }
    }

    /// Adds records as [`Ledger::add_record`] would, one after the other, and hands each
    /// result to `each` with the tag it came with — not always in order: a duplicate's
    /// receipt comes at the end. Inside a batch of a file ledger the entries and record rows
    /// are written by a second thread while this one applies the rules (a failed write fails
    /// the batch, which then rolls back as any batch does); otherwise each is committed as
    /// usual. A record that overlaps another of its volunteer is answered as `overlaps` says,
    /// at the end too; returns how many amended a record.
    pub(crate) fn add_records_each(
        &mut self,
        actor: &ActorId,
        records: impl Iterator<Item = (usize, NewRecord)>,
        overlaps: &Overlaps,
        each: &mut dyn FnMut(usize, Result<RecordReceipt>),
    ) -> usize {
        let mut duplicates = Vec::new();
        let mut overlapped = Vec::new();
        let aside = Aside {
            duplicates: &mut duplicates,
            overlapped: &mut overlapped,
            overlaps,
        };
        self.through_writer(|l, send| match send {
            Some(send) => {
                let kept = l.admit_records(actor, records, each, aside, &mut |l, a| {
                    // The volunteer's totals changed: their row is written at the end.
                    l.dirty.vols.push(a.vol);
                    send(&a)
                });
                ((), kept.err())
            }
            None if matches!(l.log, Log::Memory(_) | Log::Detached) => {
                let kept = l.admit_records(actor, records, each, aside, &mut |l, a| {
                    if let Log::Memory(log) = &mut l.log {
                        log.push(a.entry);
                    }
                    true
                });
                if let Err(e) = kept {
                    // Applied in part (an internal limit): as `commit` leaves it.
                    l.log = Log::Failed(e);
                }
                ((), None)
            }
            None => {
                for (i, r) in records {
                    match l.add_record(actor, r.clone()) {
                        Err(LedgerError::Overlap { other, .. })
                            if *overlaps != Overlaps::Refuse =>
                        {
                            aside.overlapped.push((i, r, other));
                        }
                        result => each(i, result),
                    }
                }
                ((), None)
            }
        });
        // Every entry is in the log now: a duplicate's entry can be read.
        for (i, change) in duplicates {
            let Change::RecordAdded(r) = &change else {
                continue;
            };
            let receipt = self.duplicate_receipt(&change);
            each(i, Ok(self.record_receipt(r.id.clone(), receipt, None)));
        }
        let mut amended = 0;
        for (i, r, other) in overlapped {
            let answer = self.recorded_again(actor, r, &other, overlaps);
            amended += usize::from(answer.as_ref().is_ok_and(|a| !a.duplicate));
            each(i, answer);
        }
        amended
    }

    /// The rules of a bulk add, record after record, as `commit` applies them: each admitted
    /// entry goes to `keep` (which says whether to go on), each refusal to `each`, each
    /// duplicate to `duplicates` (answered once the log holds every entry). Fails only when
    /// applying an admitted entry fails (an internal limit), leaving the state changed in
    /// part: the caller must read it again.
    pub(super) fn admit_records(
        &mut self,
        actor: &ActorId,
        records: impl Iterator<Item = (usize, NewRecord)>,
        each: &mut dyn FnMut(usize, Result<RecordReceipt>),
        aside: Aside<'_>,
        keep: &mut dyn FnMut(&mut Self, crate::store::Admitted) -> bool,
    ) -> Result<()> {
        // Records are taken a few at a time and looked up together first (`State::warm`).
        let mut records = records.fuse();
        let mut window = std::collections::VecDeque::with_capacity(WARM_AHEAD);
        loop {
            if window.is_empty() {
                window.extend(records.by_ref().take(WARM_AHEAD));
                for (_, r) in &window {
                    self.state.warm(r);
                }
            }
            let Some((i, r)) = window.pop_front() else {
                break;
            };
            let now = self.clock.now();
            let change = Change::RecordAdded(r);
            let admit = match self.state.check(actor, now, &change) {
                Ok(Some(admit)) => admit,
                Ok(None) => {
                    aside.duplicates.push((i, change));
                    continue;
                }
                Err(LedgerError::Overlap { other, .. }) if *aside.overlaps != Overlaps::Refuse => {
                    if let Change::RecordAdded(r) = change {
                        aside.overlapped.push((i, r, other));
                    }
                    continue;
                }
                Err(e) => {
                    each(i, Err(e));
                    continue;
                }
            };
            let seq = self.len;
            let entry = Entry::new(seq, now, actor.clone(), change, self.last);
            self.state.apply(&entry, admit)?;
            self.len += 1;
            self.last = entry.hash;
            let Change::RecordAdded(r) = &entry.change else {
                continue;
            };
            // A new record takes the next index (`push_record`).
            let n = u32::try_from(self.state.records.len().saturating_sub(1)).unwrap_or(NONE);
            debug_assert_eq!(self.state.rec_idx(&r.id).ok(), Some(n));
            // The volunteer as the check found it (the record just pushed is not read back:
            // see `State::count_rec`).
            let vol = match admit.at {
                Some((vol, ..)) => vol,
                None => self
                    .state
                    .records
                    .get(n as usize)
                    .map_or(NONE, |rec| rec.vol),
            };
            each(
                i,
                Ok(RecordReceipt {
                    record: r.id.clone(),
                    state: admit.state,
                    make_up: admit.make_up,
                    seq: crate::error::signed(seq),
                    duplicate: false,
                }),
            );
            let admitted = crate::store::Admitted {
                entry,
                n,
                vol,
                state: admit.state,
                make_up: admit.make_up,
                data_key: None,
                volunteer: None,
                stored_body: Vec::new(),
            };
            if !keep(self, admitted) {
                break;
            }
        }
        Ok(())
    }

    /// Confirms a pending record. Refuses the person who entered it (`E_SELF_CONFIRM`), anyone
    /// but the organiser (`E_FORBIDDEN`), and a make-up record confirmed by anyone but an org
    /// admin (`E_MAKEUP_NEEDS_ORG_ADMIN`).
    pub fn confirm_record(&mut self, actor: &ActorId, record: &RecordId) -> Result<Receipt> {
        self.commit(
            actor,
            Change::RecordConfirmed {
                record: record.clone(),
            },
        )
        .map(|r| r.0)
    }

    /// Replaces a counted record by a corrected one for the same volunteer; the old record
    /// stays, marked amended and linked to its replacement.
    pub fn amend_record(
        &mut self,
        actor: &ActorId,
        record: &RecordId,
        replacement: NewRecord,
        reason: &str,
    ) -> Result<RecordReceipt> {
        let id = replacement.id.clone();
        let change = Change::RecordAmended {
            record: record.clone(),
            replacement,
            reason: reason.to_owned(),
        };
        let (receipt, admit) = self.commit(actor, change)?;
        Ok(self.record_receipt(id, receipt, admit))
    }

    /// Revokes a record with a reason; it stays in the ledger and stops counting.
    pub fn revoke_record(
        &mut self,
        actor: &ActorId,
        record: &RecordId,
        reason: &str,
    ) -> Result<Receipt> {
        self.commit(
            actor,
            Change::RecordRevoked {
                record: record.clone(),
                reason: reason.to_owned(),
            },
        )
        .map(|r| r.0)
    }

    /// Disputes a record (申诉): the volunteer, its recorder or its organiser may.
    pub fn dispute_record(
        &mut self,
        actor: &ActorId,
        record: &RecordId,
        reason: &str,
    ) -> Result<Receipt> {
        self.commit(
            actor,
            Change::RecordDisputed {
                record: record.clone(),
                reason: reason.to_owned(),
            },
        )
        .map(|r| r.0)
    }

    /// Resolves a dispute: the record returns to its state before it. To change the record,
    /// an org admin amends or revokes it instead.
    pub fn resolve_dispute(
        &mut self,
        actor: &ActorId,
        record: &RecordId,
        note: &str,
    ) -> Result<Receipt> {
        self.commit(
            actor,
            Change::DisputeResolved {
                record: record.clone(),
                note: note.to_owned(),
            },
        )
        .map(|r| r.0)
    }
}
