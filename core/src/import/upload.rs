//! A sheet uploaded into a ledger: each row added on its own through the same validation as
//! every other record, each refusal reported with its row and the column at fault, a sheet
//! uploaded again recorded once, a dry run on a copy of the ledger, and progress every 1000
//! rows. A CSV file without quotes is read as the ledger takes its rows.

use super::csv_rows::PlainRows;
use super::layout::Field;
use super::limits::MAX_REPORTED_PROBLEMS;
use super::matching::Matcher;
use super::options::ImportOptions;
use super::plain_sheet::{Decoded, PlainHead, first_pass};
use super::problems::{RowProblem, column_for, core_problem};
use super::rows::Records;
use super::sheet::{Sheet, SheetBuilder, SheetRow};
use crate::error::Result;
use crate::ids::ActorId;
use crate::ledger::{Ledger, Overlaps};
use crate::progress::Progress;
use crate::record::RecordState;
use serde::{Deserialize, Serialize};

/// What an upload did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
#[cfg_attr(
    feature = "python",
    pyo3::pyclass(
        frozen,
        get_all,
        eq,
        module = "volunteer_ledger",
        name = "ImportReport"
    )
)]
pub struct ImportReport {
    /// SHA-256 of the file, lower-case hex.
    pub fingerprint: String,
    /// Nothing was written.
    pub dry_run: bool,
    /// Data rows read (blank and total rows aside).
    pub rows: i32,
    /// Rows newly recorded (in a dry run: that would be).
    pub accepted: i32,
    /// Of `accepted`, records that wait for an organiser's confirmation (make-up records
    /// entered by someone who is not an org admin).
    pub pending: i32,
    /// Rows recorded before — the same id and content, or the same service (volunteer, org,
    /// start, end, minutes) as a counted record: nothing was written for them.
    pub duplicates: i32,
    /// Rows that amended the counted record they overlap (only when the upload asks for it:
    /// `amend_changed`), not counted in `accepted`.
    pub amended: i32,
    /// The rows refused, in row order: the first 10,000 of them (`MAX_REPORTED_PROBLEMS`).
    pub rejected: Vec<RowProblem>,
    /// How many rows were refused in all (more than `rejected` holds only past that limit).
    pub refused: i32,
}

/// Uploads a sheet: reads it ([`read_sheet`](super::read_sheet), in the ledger's UTC offset) and adds each row
/// with [`Ledger::add_record`], on its own: valid rows are accepted one by one and each refused
/// row is reported with the core's code and the column at fault. A row recorded before (same
/// id, same content — an upload of the same sheet again) counts as a duplicate and writes
/// nothing. A dry run works on a copy of the ledger and leaves `ledger` untouched, so its
/// report says what a real upload would do, rows of the sheet checked against each other too.
/// A CSV file without a quote character (what most are) is read in two passes — the first
/// finds the header and counts the rows, the second reads each row as the ledger takes it —
/// with the same rows, numbers and problems as [`read_sheet`](super::read_sheet).
///
/// `progress` is told the rows done of the sheet's data rows (see [`Progress`]).
///
/// Refuses only what [`read_sheet`](super::read_sheet) refuses, and a write to a ledger file that fails
/// (`E_STORAGE`, nothing of the sheet written); everything about single rows is in the report.
pub fn upload(
    ledger: &mut Ledger,
    actor: &ActorId,
    bytes: &[u8],
    opts: &ImportOptions,
    dry_run: bool,
    mut progress: Progress<'_>,
) -> Result<ImportReport> {
    let progress = &mut progress;
    let decoded = Decoded::of(bytes, opts, ledger)?;
    let (opts, off) = (&decoded.opts, decoded.off);
    let Some(text) = decoded.plain() else {
        let read = decoded.read_whole(bytes, Records, ledger);
        return upload_sheet(ledger, actor, Sheet::from(read?), opts, dry_run, progress);
    };
    // A CSV without quotes cannot fail to parse: once a first pass has found its header and
    // counted its data rows, the rows are read as the ledger takes them (in a file ledger,
    // while a second thread writes the ones before). The file's fingerprint is taken on a
    // second thread during that pass.
    let PlainHead {
        head,
        total,
        delimiter,
    } = first_pass(bytes, text, opts, off, Records)?;
    let fingerprint = head.fingerprint.clone();
    let head = Sheet::from(head);
    // The rows are read while the ledger adds them: what they are matched against is taken
    // from it first (its register only if the sheet has identity numbers).
    let identities = head.header_of(Field::IdentityNumber).is_some();
    let matcher = Matcher::taken(ledger, identities);
    let mut sheet = SheetBuilder::matched(fingerprint, opts, off, Records, Some(&matcher));
    let mut rows = PlainRows::new(text, delimiter);
    let stream = std::iter::from_fn(move || {
        loop {
            let n = rows.next_row()?;
            if let Some((row, record)) = sheet.next(n, rows.fields.as_slice()) {
                return Some(SheetRow { row, record });
            }
        }
    });
    // Room for every row: growing the tables as the rows come costs ≈ 10 % of a large upload.
    // A sheet uploaded again (all duplicates) reserves room it does not use — as much as the
    // sheet has rows, no more.
    in_batch(ledger, dry_run, |l| {
        l.reserve_records_for(total);
        apply(l, actor, &head, total, stream, opts, dry_run, progress)
    })
}

/// What to do with a row that overlaps a counted record of its volunteer.
fn overlaps(opts: &ImportOptions, fingerprint: &str) -> Overlaps {
    if opts.amend_changed {
        let sheet: String = fingerprint.chars().take(16).collect();
        Overlaps::Amend {
            reason: format!("corrected sheet {sheet} / 更正后的表格 {sheet}"),
        }
    } else {
        Overlaps::SameIsDuplicate
    }
}

/// [`upload`] of a sheet read whole.
fn upload_sheet(
    ledger: &mut Ledger,
    actor: &ActorId,
    sheet: Sheet,
    opts: &ImportOptions,
    dry_run: bool,
    progress: &mut Progress<'_>,
) -> Result<ImportReport> {
    let Sheet {
        fingerprint,
        header_row,
        columns,
        rows,
        unlisted_problems,
    } = sheet;
    let head = Sheet {
        fingerprint,
        header_row,
        columns,
        rows: Vec::new(),
        unlisted_problems: 0,
    };
    in_batch(ledger, dry_run, |l| {
        let ids = rows.iter().filter_map(|r| r.record.as_ref().ok());
        l.reserve_records(ids.map(|r| &r.id));
        let total = rows.len();
        let rows = rows.into_iter();
        let mut report = apply(l, actor, &head, total, rows, opts, dry_run, progress);
        let unlisted = i32::try_from(unlisted_problems).unwrap_or(i32::MAX);
        report.rows = report.rows.saturating_add(unlisted);
        report.refused = report.refused.saturating_add(unlisted);
        report
    })
}

/// Runs `f` on a copy of the ledger for a dry run, else as one batch: in a file ledger the
/// accepted rows reach the file together or, if the write fails, not at all (and the error is
/// returned instead of a report).
pub(super) fn in_batch<T>(
    ledger: &mut Ledger,
    dry_run: bool,
    f: impl FnOnce(&mut Ledger) -> T,
) -> Result<T> {
    if dry_run {
        Ok(f(&mut ledger.clone()))
    } else {
        ledger.batch(f)
    }
}

/// Adds the records of a sheet's data rows (`total` of them, in order) and reports; `head`
/// is the sheet's fingerprint and columns.
#[allow(clippy::too_many_arguments)]
fn apply(
    ledger: &mut Ledger,
    actor: &ActorId,
    head: &Sheet,
    total: usize,
    rows: impl Iterator<Item = SheetRow>,
    opts: &ImportOptions,
    dry_run: bool,
    progress: &mut Progress<'_>,
) -> ImportReport {
    progress.start(total as u64);
    let mut report = ImportReport {
        fingerprint: head.fingerprint.clone(),
        dry_run,
        rows: i32::try_from(total).unwrap_or(i32::MAX),
        accepted: 0,
        pending: 0,
        duplicates: 0,
        amended: 0,
        rejected: Vec::new(),
        refused: 0,
    };
    // Each stream of refusals (the rows that are no record, the records the ledger refuses)
    // comes in row order: the first few of each hold the first few of all.
    let keep = MAX_REPORTED_PROBLEMS;
    let mut refused = 0usize;
    // The records go to the ledger in one stream (a file ledger writes them on a second
    // thread); the rows they came from are kept to place a refusal. The stream notes them,
    // and a refusal reads them once its record has been taken from the stream.
    let row_numbers = std::cell::RefCell::new(Vec::with_capacity(total));
    let mut problems = Vec::new();
    let records = rows.enumerate().filter_map(|(i, row)| {
        if let Ok(mut numbers) = row_numbers.try_borrow_mut() {
            numbers.push(row.row);
        }
        match row.record {
            Ok(r) => Some((i, r)),
            Err(p) => {
                refused += 1;
                if problems.len() < keep {
                    problems.push(p);
                }
                None
            }
        }
    });
    let overlaps = overlaps(opts, &head.fingerprint);
    let amended = ledger.add_records_each(actor, records, &overlaps, &mut |i, result| {
        match result {
            Ok(receipt) if receipt.duplicate => report.duplicates += 1,
            Ok(receipt) => {
                report.accepted += 1;
                if receipt.state == RecordState::Pending {
                    report.pending += 1;
                }
            }
            Err(e) => {
                report.refused += 1;
                if report.rejected.len() < keep {
                    let column = column_for(&head.columns, &e);
                    let row = row_numbers
                        .try_borrow()
                        .ok()
                        .and_then(|numbers| numbers.get(i).copied())
                        .unwrap_or_default();
                    report.rejected.push(core_problem(row, column, &e));
                }
            }
        }
        // Rows in order (a duplicate's answer comes last): the row reached so far.
        progress.at(i as u64 + 1);
    });
    let amended = i32::try_from(amended).unwrap_or(i32::MAX);
    report.amended = amended;
    report.accepted = report.accepted.saturating_sub(amended);
    report.rejected.extend(problems);
    // Row order, as the sheet shows them (a row has one problem at most).
    report.rejected.sort_by_key(|p| p.row);
    report.rejected.truncate(keep);
    report.refused = report
        .refused
        .saturating_add(i32::try_from(refused).unwrap_or(i32::MAX));
    progress.finish(total as u64);
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// An upload of a quote-free CSV, read as the ledger takes its rows, answers as the
        /// same sheet read whole first: the same report, progress calls and ledger.
        #[test]
        fn streamed_uploads_answer_as_sheets_read_whole(
            text in "\u{FEFF}{0,2}[V1,\r\n 合计]{0,12}(志愿者编号,组织编号,服务日期,开始时间,结束时间,记录编号[\r\n]{1,3})?((V[1-3]|V9|合计|)?,(C[12]|X)?,2015-06-0[1-3],(9|1[0-2]):[03]0,1[0-3]:00,(R[1-4])?[\r\n]{1,2}){0,24}",
            dry_run in proptest::bool::ANY,
        ) {
            let streamed = streamed_and_whole(&text, dry_run);
            proptest::prop_assert_eq!(&streamed.0, &streamed.1);
        }
    }

    /// `text` uploaded by [`upload`] and, read whole by [`read_sheet`], by [`upload_sheet`] —
    /// each into its own copy of one ledger: the report, progress calls and state digest.
    fn streamed_and_whole(text: &str, dry_run: bool) -> (String, String) {
        use crate::*;
        let admin = ActorId::new("admin").unwrap();
        let t = |d: u32, h: u32| Timestamp::from_local(480, 2015, 6, d, h, 0).unwrap();
        let mut base = Ledger::in_memory(LedgerConfig::new(
            LedgerId::new("t").unwrap(),
            "测试区",
            admin.clone(),
        ))
        .unwrap();
        base.set_clock(Clock::Fixed(t(30, 12)));
        for (o, parent, kind) in [
            ("D", None, OrgKind::District),
            ("C1", Some("D"), OrgKind::Community),
            ("C2", Some("D"), OrgKind::Community),
        ] {
            let org = NewOrg {
                id: OrgId::new(o).unwrap(),
                name: format!("{o}名"),
                kind,
                parent: parent.map(|p| OrgId::new(p).unwrap()),
            };
            base.register_org(&admin, org).unwrap();
        }
        for (v, number) in [
            ("V1", "11010519491231002X"),
            ("V2", "360502198912010016"),
            ("V3", "360502195809020028"),
        ] {
            let vol = NewVolunteer {
                id: VolunteerId::new(v).unwrap(),
                name: "某人".into(),
                identity_kind: IdentityKind::ResidentId,
                identity_number: number.into(),
                home_org: Some(OrgId::new("C1").unwrap()),
            };
            base.register_volunteer(&admin, vol).unwrap();
        }
        let opts = ImportOptions::default();
        let run = |whole: bool| {
            let mut l = base.clone();
            let mut calls = Vec::new();
            let mut report_to = |done, total| calls.push((done, total));
            let mut progress = Progress::to(&mut report_to);
            let report = if whole {
                read_sheet(text.as_bytes(), &opts)
                    .and_then(|s| upload_sheet(&mut l, &admin, s, &opts, dry_run, &mut progress))
            } else {
                upload(&mut l, &admin, text.as_bytes(), &opts, dry_run, progress)
            };
            format!("{report:?} {calls:?} {}", l.state_digest())
        };
        (run(false), run(true))
    }

    #[test]
    fn streamed_uploads_answer_as_sheets_read_whole_for_every_kind_of_row() {
        let text = "\u{FEFF}说明\n\n志愿者编号,组织编号,服务日期,开始时间,结束时间,记录编号\r\n\
            V1,C1,2015-06-01,9:00,11:00,\nV1,C1,2015-06-01,10:00,12:00,\n\nV9,C1,2015-06-02,9:00,10:00,\n\
            V2,X,2015-06-02,9:00,10:00,R1\nV2,C2,2015-06-02,9:00,10:00,R2\nV2,C2,2015-06-02,9:00,10:00,R2\n\
            V3,C1,2015-06-03,12:00,10:00,\n合计,,,,,\n";
        for dry_run in [false, true] {
            let (streamed, whole) = streamed_and_whole(text, dry_run);
            assert_eq!(streamed, whole);
            // Accepted, overlapping, unknown volunteer, unknown org, duplicate, end before start.
            for code in [
                "E_OVERLAP",
                "E_UNKNOWN_VOLUNTEER",
                "E_UNKNOWN_ORG",
                "duplicates: 1",
            ] {
                assert!(streamed.contains(code), "{code}: {streamed}");
            }
        }
    }
}
