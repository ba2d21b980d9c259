//! How far a long call has got: a caller's callback told `done` of `total` as the call goes.
//!
//! Every call that can take seconds takes a [`Progress`]: uploads of a sheet, bulk adds of
//! records and registrations, opening a ledger file (the entries it replays), copying a ledger
//! into a file (the entries it writes) and checking a chain (the entries it checks). Each calls
//! the callback once when it knows its total (`0` of `total`), then whenever it has done
//! another [`PROGRESS_EVERY`] units, and once at the end with `done == total` — a progress bar
//! (tqdm, a phone's) needs nothing else.

/// How many units (rows, records, volunteers, log entries) a long call does between two calls
/// of its progress callback.
pub const PROGRESS_EVERY: u64 = 1000;

/// A long call's progress callback, or none. Made by the caller with [`Progress::to`] (or
/// [`Progress::none`]) and handed to the call, which alone calls it.
///
/// ```
/// use volunteer_ledger::{Ledger, LedgerConfig, Progress};
/// let config = LedgerConfig::new("district".parse()?, "District", "admin".parse()?);
/// let ledger = Ledger::in_memory(config)?;
/// let mut seen = Vec::new();
/// ledger.verify_with_progress(&[], Progress::to(&mut |done, total| seen.push((done, total))))?;
/// assert_eq!(seen.last(), Some(&(1, 1))); // one entry: the ledger's creation
/// # Ok::<(), volunteer_ledger::LedgerError>(())
/// ```
#[derive(Default)]
pub struct Progress<'a> {
    report: Option<&'a mut dyn FnMut(u64, u64)>,
    total: u64,
    next: u64,
}

impl<'a> Progress<'a> {
    /// No callback: the call reports to nobody.
    pub fn none() -> Self {
        Self::default()
    }

    /// `report(done, total)` is told how far the call has got.
    pub fn to(report: &'a mut dyn FnMut(u64, u64)) -> Self {
        Self {
            report: Some(report),
            total: 0,
            next: 0,
        }
    }

    /// A total the caller knows and the call cannot (records handed over an iterator, say);
    /// the call's own count, where it has one, is used when it is larger.
    pub fn expecting(mut self, total: u64) -> Self {
        self.total = total;
        self
    }

    /// Whether anyone is told: work done only to report progress can be skipped otherwise.
    pub fn is_reported(&self) -> bool {
        self.report.is_some()
    }

    /// The call knows its total: reports `0` of it.
    pub(crate) fn start(&mut self, total: u64) {
        self.total = self.total.max(total);
        self.next = PROGRESS_EVERY;
        let total = self.total;
        if let Some(report) = self.report.as_mut() {
            report(0, total);
        }
    }

    /// `done` units are done (counts only grow; a smaller one is ignored): reported once
    /// another [`PROGRESS_EVERY`] have been, until the end.
    pub(crate) fn at(&mut self, done: u64) {
        if done < self.next {
            return;
        }
        self.next = (done / PROGRESS_EVERY + 1) * PROGRESS_EVERY;
        self.total = self.total.max(done);
        let total = self.total;
        // The end is reported by `finish`, once.
        if done < total
            && let Some(report) = self.report.as_mut()
        {
            report(done, total);
        }
    }

    /// The call is done: reports `total` of `total` (a total that turned out larger than
    /// expected is the units done).
    pub(crate) fn finish(&mut self, done: u64) {
        self.next = u64::MAX;
        // A total expected and not reached (records refused before they reached the ledger,
        // a stream that ended early) ends at what was done.
        self.total = done;
        if let Some(report) = self.report.as_mut() {
            report(done, done);
        }
    }
}

impl std::fmt::Debug for Progress<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Progress")
            .field("reported", &self.report.is_some())
            .field("total", &self.total)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn calls(total: u64, steps: impl IntoIterator<Item = u64>, done: u64) -> Vec<(u64, u64)> {
        let mut seen = Vec::new();
        {
            let mut report = |d, t| seen.push((d, t));
            let mut p = Progress::to(&mut report);
            p.start(total);
            for s in steps {
                p.at(s);
            }
            p.finish(done);
        }
        seen
    }

    #[test]
    fn a_call_reports_its_start_every_thousand_and_its_end() {
        assert_eq!(
            calls(2500, 1..=2500, 2500),
            [(0, 2500), (1000, 2500), (2000, 2500), (2500, 2500)]
        );
        // Counts that jump report once per jump, at the count reached.
        assert_eq!(
            calls(5000, [10, 1500, 1400, 4999], 5000),
            [(0, 5000), (1500, 5000), (4999, 5000), (5000, 5000)]
        );
        assert_eq!(calls(0, [], 0), [(0, 0), (0, 0)]);
    }

    #[test]
    fn a_total_that_grows_or_falls_short_ends_at_what_was_done() {
        // No total known at the start: the count is the total so far.
        assert_eq!(calls(0, 1..=1200, 1200), [(0, 0), (1200, 1200)]);
        assert_eq!(
            calls(3000, 1..=1500, 1500),
            [(0, 3000), (1000, 3000), (1500, 1500)]
        );
    }

    #[test]
    fn nobody_is_told_without_a_callback() {
        let mut p = Progress::none();
        assert!(!p.is_reported());
        p.start(10);
        p.at(5);
        p.finish(10);
        let mut nobody = |_, _| {};
        let expected = Progress::to(&mut nobody).expecting(7);
        assert!(expected.is_reported());
        assert_eq!(
            format!("{expected:?}"),
            "Progress { reported: true, total: 7 }"
        );
    }
}
