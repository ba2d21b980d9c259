//! The writing thread of a bulk add: while the rules run on the caller's thread, a second
//! thread writes each admitted entry's row and, for a record, its projection row. What it
//! writes is packed into chunks on the caller's thread, so that nothing allocated per record
//! crosses to it.

use super::early_sync::{EARLY_SYNC, synced_meanwhile};
use super::rows::{
    Bound, EntryRow, INSERT_ENTRY, INSERT_RECORD, INSERT_VOLUNTEER, RecordRow, VolunteerRow,
};
use super::{Store, storage};
use crate::error::Result;
use crate::log::{Change, Entry, Hash};
use rusqlite::Connection;

/// An entry that a bulk add admitted (a record's, with how it was admitted; a registration's,
/// with its data key): what goes to the log in memory, or to the writing thread of a file
/// ledger.
pub(crate) struct Admitted {
    pub(crate) entry: Entry,
    pub(crate) n: u32,
    /// The volunteer's index.
    pub(crate) vol: u32,
    pub(crate) state: crate::record::RecordState,
    pub(crate) make_up: bool,
    /// A registration's wrapped data key, kept in the key table beside its entry.
    pub(crate) data_key: Option<DataKeyRow>,
    /// A registration's projection row: the volunteer (index `vol`) as the entry left them.
    pub(crate) volunteer: Option<Box<crate::org::VolunteerView>>,
    /// The entry's stored body, when it was encoded with its hash
    /// ([`Entry::new_keeping_body`]); empty: encoded from the change when packed.
    pub(crate) stored_body: Vec<u8>,
}

/// A volunteer's wrapped data key, written beside the entry that registers them; and the meta
/// row naming the key the identity tags are derived from, when this registration chose it.
pub(crate) struct DataKeyRow {
    pub(crate) volunteer: String,
    pub(crate) wrapped: crate::vault::WrappedKey,
    pub(crate) meta: Option<(&'static str, String)>,
}

impl Store {
    /// Runs `f` — the rules of a bulk add, inside the open batch — while a second thread
    /// writes what `f` sends: each new entry's row and, for a record, its projection row (the
    /// record as it was admitted; later changes in the batch are written by the usual flush).
    /// The sender returns `false` once the writer has stopped (its error is returned with `f`'s
    /// result: the batch must then be rolled back).
    ///
    /// What is sent is packed into chunks ([`Packed`]) on this thread, and the caller drops the
    /// entry here at once: nothing allocated per record crosses to the writer (its strings
    /// are freed while still in this core's cache, and the writer reads one buffer in order).
    ///
    /// The writer also folds each entry it writes into `tree` (the log's Merkle frontier as
    /// the batch began) and gives it back: the tree of the log as written, computed on the
    /// core the rules leave idle.
    pub(crate) fn piped<R>(
        &mut self,
        offset: chrono::FixedOffset,
        mut tree: crate::merkle::Frontier,
        f: impl FnOnce(&mut dyn FnMut(&Admitted) -> bool) -> R,
    ) -> (R, Result<crate::merkle::Frontier>) {
        let path = self.path.clone();
        let conn = &mut self.conn;
        let rows = &mut self.bulk_rows;
        // What the batch writes goes to the disk while the rules run.
        synced_meanwhile(&path, None, EARLY_SYNC, || {
            std::thread::scope(|s| {
                let (tx, rx) = std::sync::mpsc::sync_channel::<Packed>(32);
                // Written chunks come back to be filled again: their buffers are reused, and
                // freed (at the end) by the thread that allocated them.
                let (back, written) = std::sync::mpsc::channel::<Packed>();
                let writer = std::thread::Builder::new()
                    .name("vl-writer".into())
                    .spawn_scoped(s, move || -> std::result::Result<_, Failure> {
                        let fail = |e| ("cannot write the log", "无法写入日志", e);
                        let mut w = RowWriter::new(conn).map_err(fail)?;
                        for (n, chunk) in rx.into_iter().enumerate() {
                            w.write(&chunk, offset)?;
                            for row in &chunk.rows {
                                tree.push(&Hash(row.hash));
                            }
                            let _ = back.send(chunk);
                            // The pages written so far go to the WAL from here, not at the
                            // commit on the caller's thread. One that cannot is written then.
                            if (n + 1) % FLUSH_EVERY_CHUNKS == 0 {
                                let _ = w.conn.cache_flush();
                            }
                        }
                        Ok(tree)
                    });
                let writer = match writer {
                    Ok(w) => w,
                    Err(e) => {
                        // No thread to write: nothing is written, and the batch fails.
                        let out = f(&mut |_| false);
                        let e = storage(&path, "cannot start a thread", "无法启动线程", e);
                        return (out, Err(e));
                    }
                };
                let mut buf = Packed::default();
                let mut open = true;
                let out = f(&mut |a| {
                    *rows += 1;
                    buf.push(a);
                    if buf.is_full() {
                        let empty = match written.try_recv() {
                            Ok(mut used) => {
                                used.clear();
                                used
                            }
                            Err(_) => Packed::default(),
                        };
                        let full = std::mem::replace(&mut buf, empty);
                        open = open && tx.send(full).is_ok();
                    }
                    open
                });
                if !buf.rows.is_empty() {
                    let _ = tx.send(buf);
                }
                drop(tx);
                let written = match writer.join() {
                    Ok(Ok(tree)) => Ok(tree),
                    Ok(Err((what, zh, e))) => Err(storage(&path, what, zh, e)),
                    Err(_) => Err(storage(
                        &path,
                        "cannot write",
                        "无法写入",
                        "the writing thread stopped",
                    )),
                };
                (out, written)
            })
        })
    }
}

/// Why the writing thread stopped: what it could not do (English, Chinese) and SQLite's error.
type Failure = (&'static str, &'static str, rusqlite::Error);

/// How many chunks the writer writes between handing its dirty pages to the WAL.
const FLUSH_EVERY_CHUNKS: usize = 16;

/// A packed chunk goes to the writer once it holds this many entries …
const CHUNK_ROWS: usize = 512;
/// … or this many bytes of text (a chunk of long contents stays small).
const CHUNK_BYTES: usize = 1 << 20;

/// Admitted entries as the writing thread takes them: each row's numbers, and its texts one
/// after another in two buffers (the bodies are bytes, the rest text).
#[derive(Default)]
struct Packed {
    rows: Vec<PackedRow>,
    text: String,
    bodies: Vec<u8>,
}

/// One packed entry. Its body is `bodies[body.0..body.1]` (empty for a record, whose body the
/// writer encodes from its fields); its texts, in the order of
/// [`Packed::push`] (actor, then a record's id, volunteer, org, team, activity, content),
/// start at `text_from` in `text` and end at `ends`, each starting where the one before ends.
struct PackedRow {
    seq: i64,
    time: i64,
    kind: &'static str,
    hash: [u8; 32],
    body: (usize, usize),
    text_from: usize,
    ends: [usize; TEXTS],
    /// The record's projection row, if the entry added a record.
    record: Option<PackedRecord>,
    /// The data key row, if the entry registered a volunteer.
    key: Option<PackedKey>,
    /// The volunteer's projection row, if the entry registered a volunteer.
    volunteer: Option<PackedVolunteer>,
}

/// A packed volunteer projection row: its texts (id, masked name, masked identity, home org,
/// work unit; an org that is absent is an empty text, since no id is empty) start at `from` in
/// `text`, each ending at its `ends`.
struct PackedVolunteer {
    n: u32,
    from: usize,
    ends: [usize; 5],
    identity_kind: &'static str,
    visibility: &'static str,
    total_minutes: i64,
    carried_minutes: i64,
    transferred_out: bool,
}

/// A packed data key row: its texts (volunteer, key id, then the meta row's value if any) follow
/// the entry's in `text`, each ending at its `ends`; its nonce and wrapped key follow the
/// entry's body in `bodies`.
struct PackedKey {
    ends: [usize; 3],
    meta: Option<&'static str>,
    nonce: (usize, usize),
    wrapped: (usize, usize),
}

/// The texts of a packed row.
const TEXTS: usize = 7;

/// The numbers of a record's projection row (its texts are the row's; a missing team or
/// activity is an empty text, since no id is empty).
struct PackedRecord {
    n: u32,
    start: crate::time::Timestamp,
    end: crate::time::Timestamp,
    minutes: i64,
    state: crate::record::RecordState,
    source: crate::record::RecordSource,
    make_up: bool,
    paid: bool,
    public_benefit: bool,
    job_duty: bool,
}

impl Packed {
    /// Packs an admitted entry (copies what the writer needs of it).
    fn push(&mut self, a: &Admitted) {
        let e = &a.entry;
        let r = match &e.change {
            Change::RecordAdded(r) => Some(r),
            _ => None,
        };
        // A record's body is written by the writer, from the fields packed below.
        let from = self.bodies.len();
        if r.is_none() {
            if a.stored_body.is_empty() {
                crate::log::append_stored_body(&mut self.bodies, &e.change);
            } else {
                self.bodies.extend_from_slice(&a.stored_body);
            }
        }
        let body = (from, self.bodies.len());
        let texts = [
            Some(e.actor.as_str()),
            r.map(|r| r.id.as_str()),
            r.map(|r| r.volunteer.as_str()),
            r.map(|r| r.org.as_str()),
            r.and_then(|r| r.team.as_ref()).map(|t| t.as_str()),
            r.and_then(|r| r.activity.as_ref()).map(|a| a.as_str()),
            r.map(|r| r.content.as_str()),
        ];
        let text_from = self.text.len();
        let mut ends = [0; TEXTS];
        for (end, t) in ends.iter_mut().zip(texts) {
            self.text.push_str(t.unwrap_or_default());
            *end = self.text.len();
        }
        let key = a.data_key.as_ref().map(|k| {
            let mut ends = [0; 3];
            let meta = k.meta.as_ref().map(|(name, _)| *name);
            let value = k.meta.as_ref().map_or("", |(_, v)| v.as_str());
            for (end, t) in ends
                .iter_mut()
                .zip([&*k.volunteer, &*k.wrapped.key_id, value])
            {
                self.text.push_str(t);
                *end = self.text.len();
            }
            let from = self.bodies.len();
            self.bodies.extend_from_slice(&k.wrapped.nonce);
            let nonce = (from, self.bodies.len());
            self.bodies.extend_from_slice(&k.wrapped.wrapped);
            PackedKey {
                ends,
                meta,
                nonce,
                wrapped: (nonce.1, self.bodies.len()),
            }
        });
        let volunteer = a.volunteer.as_ref().map(|v| {
            let from = self.text.len();
            let mut ends = [0; 5];
            let texts = [
                v.id.as_str(),
                &v.masked_name,
                &v.masked_identity,
                v.home_org.as_ref().map_or("", |o| o.as_str()),
                v.work_unit.as_ref().map_or("", |o| o.as_str()),
            ];
            for (end, t) in ends.iter_mut().zip(texts) {
                self.text.push_str(t);
                *end = self.text.len();
            }
            PackedVolunteer {
                n: a.vol,
                from,
                ends,
                identity_kind: v.identity_kind.as_str(),
                visibility: v.visibility.mode(),
                total_minutes: v.total_minutes,
                carried_minutes: v.carried_minutes,
                transferred_out: v.transferred_out,
            }
        });
        let record = r.map(|r| PackedRecord {
            n: a.n,
            start: r.start,
            end: r.end,
            minutes: r.minutes,
            state: a.state,
            source: r.source,
            make_up: a.make_up,
            paid: r.paid,
            public_benefit: r.public_benefit,
            job_duty: r.job_duty,
        });
        self.rows.push(PackedRow {
            seq: e.seq as i64,
            time: e.time.0,
            kind: e.change.kind(),
            hash: e.hash.0,
            body,
            text_from,
            ends,
            record,
            key,
            volunteer,
        });
    }

    /// Whether the chunk is ready to go.
    fn is_full(&self) -> bool {
        self.rows.len() >= CHUNK_ROWS || self.text.len() + self.bodies.len() >= CHUNK_BYTES
    }

    /// Empties the chunk, keeping its buffers.
    fn clear(&mut self) {
        self.rows.clear();
        self.text.clear();
        self.bodies.clear();
    }

    /// A row's texts, in packing order.
    fn texts<'a>(&'a self, row: &PackedRow) -> [&'a str; TEXTS] {
        let mut from = row.text_from;
        row.ends.map(|end| {
            let t = self.text.get(from..end).unwrap_or_default();
            from = end;
            t
        })
    }

    /// A row's body.
    fn body(&self, row: &PackedRow) -> &[u8] {
        self.bodies.get(row.body.0..row.body.1).unwrap_or_default()
    }

    /// A packed volunteer's projection row.
    fn volunteer<'a>(&'a self, v: &PackedVolunteer) -> VolunteerRow<'a> {
        let mut from = v.from;
        let [id, masked_name, masked_identity, home_org, work_unit] = v.ends.map(|end| {
            let t = self.text.get(from..end).unwrap_or_default();
            from = end;
            t
        });
        VolunteerRow {
            n: v.n,
            id,
            masked_name,
            identity_kind: v.identity_kind,
            masked_identity,
            home_org: (!home_org.is_empty()).then_some(home_org),
            work_unit: (!work_unit.is_empty()).then_some(work_unit),
            visibility: v.visibility,
            total_minutes: v.total_minutes,
            carried_minutes: v.carried_minutes,
            transferred_out: v.transferred_out,
        }
    }

    /// A packed data key's texts (volunteer, key id, meta value), nonce and wrapped key.
    fn key<'a>(&'a self, row: &PackedRow, k: &PackedKey) -> ([&'a str; 3], &'a [u8], &'a [u8]) {
        let mut from = row.ends.last().copied().unwrap_or(row.text_from);
        let texts = k.ends.map(|end| {
            let t = self.text.get(from..end).unwrap_or_default();
            from = end;
            t
        });
        let bytes = |(a, b): (usize, usize)| self.bodies.get(a..b).unwrap_or_default();
        (texts, bytes(k.nonce), bytes(k.wrapped))
    }
}

/// The writing thread of a bulk add: its two statements, what their parameters were last
/// bound to, and a buffer for the stored bodies.
struct RowWriter<'c> {
    conn: &'c Connection,
    entries: rusqlite::CachedStatement<'c>,
    records: rusqlite::CachedStatement<'c>,
    /// The data key insert, prepared when the first registration comes.
    keys: Option<rusqlite::CachedStatement<'c>>,
    /// The volunteer projection insert, prepared when the first registration comes.
    volunteers: Option<rusqlite::CachedStatement<'c>>,
    /// What the entry, record and volunteer statements were last bound to.
    bound: (Bound, Bound, Bound),
    body: Vec<u8>,
    dates: LastDate,
}

/// The local date of the last record written, kept for the next: rows of one day follow one
/// another.
#[derive(Default)]
struct LastDate {
    day: Option<i64>,
    date: String,
}

impl LastDate {
    /// `YYYY-MM-DD` of `t` in `offset`.
    fn of(&mut self, t: crate::time::Timestamp, offset: chrono::FixedOffset) -> &str {
        let day = (t.0 + i64::from(offset.local_minus_utc())).div_euclid(86_400);
        if self.day != Some(day) {
            self.date = iso_date(t.local_date(offset));
            self.day = Some(day);
        }
        &self.date
    }
}

impl<'c> RowWriter<'c> {
    fn new(conn: &'c Connection) -> rusqlite::Result<Self> {
        Ok(Self {
            conn,
            entries: conn.prepare_cached(INSERT_ENTRY)?,
            records: conn.prepare_cached(INSERT_RECORD)?,
            keys: None,
            volunteers: None,
            bound: (Bound::default(), Bound::default(), Bound::default()),
            body: Vec::with_capacity(512),
            dates: LastDate::default(),
        })
    }

    /// Writes a chunk's entries and its records' projection rows.
    fn write(
        &mut self,
        chunk: &Packed,
        offset: chrono::FixedOffset,
    ) -> std::result::Result<(), Failure> {
        let Self {
            conn,
            entries,
            records,
            keys,
            volunteers,
            bound,
            body,
            dates,
        } = self;
        for row in &chunk.rows {
            let [actor, id, volunteer, org, team, activity, content] = chunk.texts(row);
            // No admitted id is empty (`check_ids`): an empty text is a team or activity the
            // record has not.
            let team = (!team.is_empty()).then_some(team);
            let activity = (!activity.is_empty()).then_some(activity);
            body.clear();
            if let Some(r) = &row.record {
                let fields = crate::log::RecordFields {
                    activity,
                    content,
                    end: r.end.0,
                    id,
                    job_duty: r.job_duty,
                    minutes: r.minutes,
                    org,
                    paid: r.paid,
                    public_benefit: r.public_benefit,
                    source: r.source.as_str(),
                    start: r.start.0,
                    team,
                    volunteer,
                };
                crate::log::append_record_body(body, &fields);
            } else {
                body.extend_from_slice(chunk.body(row));
            }
            let entry = EntryRow {
                seq: row.seq,
                time: row.time,
                actor,
                kind: row.kind,
                body,
                hash: &row.hash,
            };
            bound
                .0
                .execute(entries, &entry.values())
                .map_err(|e| ("cannot write the log", "无法写入日志", e))?;
            if let Some(k) = &row.key {
                write_key(conn, keys, chunk.key(row, k), k.meta)
                    .map_err(|e| ("cannot write a data key", "无法写入数据密钥", e))?;
            }
            if let Some(v) = &row.volunteer {
                let fail = |e| ("cannot write the projections", "无法写入投影表", e);
                let st = match volunteers {
                    Some(st) => st,
                    None => volunteers.insert(conn.prepare_cached(INSERT_VOLUNTEER).map_err(fail)?),
                };
                bound
                    .2
                    .execute(st, &chunk.volunteer(v).values())
                    .map_err(fail)?;
            }
            let Some(r) = &row.record else {
                continue;
            };
            let confirmed = r.state == crate::record::RecordState::Confirmed;
            let record = RecordRow {
                n: r.n,
                id,
                volunteer,
                org,
                team,
                activity,
                date: dates.of(r.start, offset),
                start: r.start.0,
                end: r.end.0,
                minutes: r.minutes,
                content,
                source: r.source,
                paid: r.paid,
                public_benefit: r.public_benefit,
                job_duty: r.job_duty,
                state: r.state,
                counted: confirmed,
                make_up: r.make_up,
                recorded_by: actor,
                confirmed_by: confirmed.then_some(actor),
                amends: None,
                superseded_by: None,
                reason: None,
                entry_seq: row.seq,
            };
            bound
                .1
                .execute(records, &record.values())
                .map_err(|e| ("cannot write the projections", "无法写入投影表", e))?;
        }
        Ok(())
    }
}

/// Writes a packed data key row (making the key table the first time, as
/// [`Store::put_data_key`] does) and the meta row it carries.
fn write_key<'c>(
    conn: &'c Connection,
    keys: &mut Option<rusqlite::CachedStatement<'c>>,
    ([volunteer, key_id, meta_value], nonce, wrapped): ([&str; 3], &[u8], &[u8]),
    meta: Option<&'static str>,
) -> rusqlite::Result<()> {
    if let Some(name) = meta {
        conn.prepare_cached("INSERT OR REPLACE INTO meta VALUES (?1, ?2)")?
            .execute(rusqlite::params![name, meta_value])?;
    }
    let insert = match keys {
        Some(st) => st,
        None => {
            conn.execute_batch(super::schema::IDENTITY_KEYS)?;
            keys.insert(conn.prepare_cached(super::identity_keys::INSERT_DATA_KEY)?)
        }
    };
    insert.execute(rusqlite::params![volunteer, key_id, nonce, wrapped])?;
    Ok(())
}

/// `YYYY-MM-DD`, as `NaiveDate` shows it, without the formatting machinery.
fn iso_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(1000..=9999).contains(&y) {
        return d.to_string();
    }
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    let y = y.unsigned_abs();
    [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        '-',
        digit(m / 10),
        digit(m),
        '-',
        digit(day / 10),
        digit(day),
    ]
    .iter()
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{ActorId, OrgId, RecordId, VolunteerId};
    use crate::log::Hash;
    use crate::record::NewRecord;
    use crate::store::rows::append_entry;
    use crate::store::schema::{ENTRIES, SCHEMA};
    use crate::time::Timestamp;

    /// A log row: seq, time, actor, kind, body, hash.
    type LogRow = (i64, i64, String, String, Vec<u8>, Vec<u8>);

    /// Every row of the log table, in order.
    fn entry_rows(c: &Connection) -> Vec<LogRow> {
        let mut st = c.prepare("SELECT * FROM entries ORDER BY seq").unwrap();
        let rows = st
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            })
            .unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    }

    /// The writing thread's log rows are the rows the single-row path writes, for a record
    /// (its body encoded by the writer from the packed fields) and for any other kind of entry
    /// (its body packed as it is).
    #[test]
    fn packed_entries_are_written_as_single_entries_are() {
        let actor = ActorId::new("admin").unwrap();
        let mut record = NewRecord::new(
            RecordId::new("R-1").unwrap(),
            VolunteerId::new("V1").unwrap(),
            OrgId::new("C1").unwrap(),
            Timestamp(1_433_206_800),
            Timestamp(1_433_214_000),
            90,
            "巡逻 \"夜\"\n",
        );
        // Every optional field set, and flags that differ pairwise across the two records: a
        // field the writer put in another's place would show (no rules are applied here).
        record.team = Some(crate::ids::TeamId::new("T1").unwrap());
        record.activity = Some(crate::ids::ActivityId::new("A1").unwrap());
        let mut other = record.clone();
        other.id = RecordId::new("R-2").unwrap();
        (record.paid, record.job_duty, record.public_benefit) = (true, false, false);
        (other.paid, other.job_duty, other.public_benefit) = (false, true, false);
        let changes = [
            Change::RecordAdded(record),
            Change::RecordAdded(other),
            Change::VisibilitySet {
                volunteer: VolunteerId::new("V1").unwrap(),
                visibility: crate::org::BoardVisibility::Hidden,
            },
        ];
        let mut prev = Hash([0; 32]);
        let mut entries = Vec::new();
        for (seq, change) in changes.into_iter().enumerate() {
            let e = Entry::new(
                seq as u64,
                Timestamp(1_433_300_000),
                actor.clone(),
                change,
                prev,
            );
            prev = e.hash;
            entries.push(e);
        }
        let table = |sql: &str| {
            let c = Connection::open_in_memory().unwrap();
            c.execute_batch(ENTRIES).unwrap();
            c.execute_batch(SCHEMA).unwrap();
            c.execute_batch(sql).unwrap();
            c
        };
        let single = table("");
        for e in &entries {
            append_entry(&mut single.prepare(INSERT_ENTRY).unwrap(), e).unwrap();
        }
        let packed = table("");
        let mut chunk = Packed::default();
        for (n, entry) in entries.into_iter().enumerate() {
            let admitted = Admitted {
                entry,
                n: n as u32,
                vol: 0,
                state: crate::record::RecordState::Confirmed,
                make_up: false,
                data_key: None,
                volunteer: None,
                stored_body: Vec::new(),
            };
            chunk.push(&admitted);
        }
        let offset = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
        RowWriter::new(&packed)
            .unwrap()
            .write(&chunk, offset)
            .unwrap();
        assert_eq!(entry_rows(&packed), entry_rows(&single));
        assert_eq!(entry_rows(&packed).len(), 3);
    }

    #[test]
    fn iso_dates_are_as_chrono_writes_them() {
        let mut d = chrono::NaiveDate::from_ymd_opt(1969, 12, 25).unwrap_or_default();
        for _ in 0..60_000 {
            assert_eq!(super::iso_date(d), d.to_string());
            d = d.succ_opt().unwrap_or_default();
        }
        for d in [chrono::NaiveDate::MIN, chrono::NaiveDate::MAX] {
            assert_eq!(super::iso_date(d), d.to_string());
        }
    }
}
