//! A CSV sheet without a quote character (what most are) read in two passes: the first finds
//! its header, checks its limits and counts its data rows — everything that can refuse the
//! sheet as a whole — and the second reads each row as the ledger takes it, on the caller's
//! thread ([`PlainRows`] with [`SheetBuilder::next`]) or on a second one
//! ([`read_rows_aside`]). The rows, their numbers and their problems are those a whole read
//! gives ([`super::sheet::read_text`]).

use super::csv_rows::{PlainRows, sniff_delimiter};
use super::decode::{csv_text, hex_sha256};
use super::limits::check_plain_csv_rows;
use super::matching::{Matcher, TakenMatch};
use super::options::ImportOptions;
use super::sheet::{ReadRow, ReadSheet, RowReader, SheetBuilder, read_text};
use crate::error::Result;
use crate::ledger::Ledger;
use crate::time::offset;
use chrono::FixedOffset;

/// An upload decoded for a ledger: the options in the ledger's UTC offset, that offset, and the
/// text of a CSV file (`None`: an xlsx workbook).
pub(super) struct Decoded<'b> {
    pub(super) opts: ImportOptions,
    pub(super) off: FixedOffset,
    text: Option<std::borrow::Cow<'b, str>>,
}

impl<'b> Decoded<'b> {
    /// Decodes `bytes` as `opts` say, in `ledger`'s UTC offset.
    pub(super) fn of(bytes: &'b [u8], opts: &ImportOptions, ledger: &Ledger) -> Result<Self> {
        let mut opts = opts.clone();
        opts.utc_offset_minutes = ledger.utc_offset().local_minus_utc() / 60;
        let off = offset(opts.utc_offset_minutes)?;
        let text = csv_text(bytes, &opts)?;
        Ok(Self { opts, off, text })
    }

    /// The text of a CSV file without a quote character (a leading BOM dropped): read in two
    /// passes. `None` for a workbook or a CSV with quotes: read whole.
    pub(super) fn plain(&self) -> Option<&str> {
        self.text
            .as_deref()
            .map(|t| t.strip_prefix('\u{FEFF}').unwrap_or(t))
            .filter(|t| !t.contains('"'))
    }

    /// The sheet `bytes` hold read whole, its rows matched against `ledger`.
    pub(super) fn read_whole<K: RowReader>(
        &self,
        bytes: &[u8],
        reader: K,
        ledger: &Ledger,
    ) -> Result<ReadSheet<K::Item>> {
        let matcher = Matcher::of(ledger);
        let fingerprint = hex_sha256(bytes);
        let text = self.text.as_deref();
        read_text(
            bytes,
            text,
            fingerprint,
            &self.opts,
            self.off,
            reader,
            Some(&matcher),
        )
    }
}

/// What the first pass found: the sheet's fingerprint, header row and columns (no rows), how
/// many data rows it has, and its delimiter.
pub(super) struct PlainHead<T> {
    pub(super) head: ReadSheet<T>,
    pub(super) total: usize,
    pub(super) delimiter: u8,
}

/// The first pass over plain CSV `text` (the file's `bytes` decoded): refuses what a whole
/// read refuses, else finds the header and counts the data rows. The file's fingerprint is
/// taken on a second thread meanwhile.
pub(super) fn first_pass<K: RowReader>(
    bytes: &[u8],
    text: &str,
    opts: &ImportOptions,
    off: FixedOffset,
    reader: K,
) -> Result<PlainHead<K::Item>> {
    check_plain_csv_rows(text)?;
    let delimiter = sniff_delimiter(text);
    let (fingerprint, counted) = std::thread::scope(|s| {
        let fingerprint = std::thread::Builder::new()
            .name("vl-fingerprint".into())
            .spawn_scoped(s, || hex_sha256(bytes));
        // The fingerprint is not needed to find the header and count the rows.
        let mut counting = SheetBuilder::new(String::new(), opts, off, reader);
        let mut rows = PlainRows::new(text, delimiter);
        let mut total = 0;
        while let Some(n) = rows.next_row() {
            total += usize::from(counting.is_data(n, rows.fields.as_slice()));
        }
        let counted = counting.finish().map(|head| (head, total));
        let fingerprint = match fingerprint {
            Ok(thread) => thread.join().unwrap_or_else(|_| hex_sha256(bytes)),
            Err(_) => hex_sha256(bytes),
        };
        (fingerprint, counted)
    });
    let (mut head, total) = counted?;
    head.fingerprint = fingerprint;
    Ok(PlainHead {
        head,
        total,
        delimiter,
    })
}

/// How many rows a second thread reads ahead in one go.
const ROWS_AHEAD: usize = 256;

/// The second pass, on a second thread: `f` takes the data rows of `text` (which passed
/// [`first_pass`]) in order while they are read, each matched against `matched`. Without a
/// thread to read them, they are read as `f` takes them.
pub(super) fn read_rows_aside<K, T>(
    text: &str,
    head: &PlainHead<K::Item>,
    opts: &ImportOptions,
    off: FixedOffset,
    reader: K,
    matched: TakenMatch,
    f: impl FnOnce(&mut dyn Iterator<Item = ReadRow<K::Item>>) -> T,
) -> T
where
    K: RowReader + Send,
    K::Item: Send,
{
    let delimiter = head.delimiter;
    // The reader and what it matches against go to whichever thread reads.
    let parts = std::sync::Mutex::new(Some((reader, matched)));
    let read = |each: &mut dyn FnMut(ReadRow<K::Item>) -> bool| {
        let taken = parts.lock().ok().and_then(|mut p| p.take());
        let Some((reader, matched)) = taken else {
            return;
        };
        let matcher = matched.matcher();
        let mut sheet = SheetBuilder::matched(String::new(), opts, off, reader, Some(&matcher));
        let mut rows = PlainRows::new(text, delimiter);
        while let Some(n) = rows.next_row() {
            if let Some(row) = sheet.next(n, rows.fields.as_slice())
                && !each(row)
            {
                return;
            }
        }
    };
    let read = &read;
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<ReadRow<K::Item>>>(16);
        let reading = std::thread::Builder::new()
            .name("vl-reader".into())
            .spawn_scoped(s, move || {
                let mut chunk = Vec::with_capacity(ROWS_AHEAD);
                read(&mut |row| {
                    chunk.push(row);
                    if chunk.len() < ROWS_AHEAD {
                        return true;
                    }
                    let full = std::mem::replace(&mut chunk, Vec::with_capacity(ROWS_AHEAD));
                    // The taker stopped: nothing more to read.
                    tx.send(full).is_ok()
                });
                if !chunk.is_empty() {
                    let _ = tx.send(chunk);
                }
            });
        match reading {
            Ok(_) => f(&mut rx.into_iter().flatten()),
            Err(_) => {
                // No second thread: the rows are read here, all of them before `f` takes any.
                drop(rx);
                let mut rows = Vec::with_capacity(head.total);
                read(&mut |row| {
                    rows.push(row);
                    true
                });
                f(&mut rows.into_iter())
            }
        }
    })
}
