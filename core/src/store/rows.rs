//! The rows the store writes as statements' parameters: an entry's row and a record's
//! projection row, each one list of column values that the single-row path and the writing
//! thread both bind, and [`Bound`], which binds again only the parameters whose value changed.

use crate::log::{Entry, Hash, stored_body};
use rusqlite::types::{ToSqlOutput, ValueRef};

pub(super) const INSERT_ENTRY: &str = "INSERT INTO entries VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
pub(super) const INSERT_RECORD: &str = "INSERT OR REPLACE INTO records VALUES (?1, ?2, ?3, \
     ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, \
     ?22, ?23, ?24)";
pub(super) const INSERT_VOLUNTEER: &str =
    "INSERT OR REPLACE INTO volunteers VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";

/// A record's projection row, borrowed from what holds it.
pub(super) struct RecordRow<'a> {
    pub(super) n: u32,
    pub(super) id: &'a str,
    pub(super) volunteer: &'a str,
    pub(super) org: &'a str,
    pub(super) team: Option<&'a str>,
    pub(super) activity: Option<&'a str>,
    pub(super) date: &'a str,
    pub(super) start: i64,
    pub(super) end: i64,
    pub(super) minutes: i64,
    pub(super) content: &'a str,
    pub(super) source: crate::record::RecordSource,
    pub(super) paid: bool,
    pub(super) public_benefit: bool,
    pub(super) job_duty: bool,
    pub(super) state: crate::record::RecordState,
    pub(super) counted: bool,
    pub(super) make_up: bool,
    pub(super) recorded_by: &'a str,
    pub(super) confirmed_by: Option<&'a str>,
    pub(super) amends: Option<&'a str>,
    pub(super) superseded_by: Option<&'a str>,
    pub(super) reason: Option<&'a str>,
    pub(super) entry_seq: i64,
}

impl RecordRow<'_> {
    /// The row's values ([`INSERT_RECORD`]'s parameters): the columns in the order of
    /// `docs/schema.md`.
    pub(super) fn values(&self) -> [ValueRef<'_>; 24] {
        [
            int(self.n),
            text(self.id),
            text(self.volunteer),
            text(self.org),
            optional(self.team),
            optional(self.activity),
            text(self.date),
            int(self.start),
            int(self.end),
            int(self.minutes),
            text(self.content),
            text(self.state.as_str()),
            int(self.counted),
            int(self.make_up),
            text(self.source.as_str()),
            int(self.paid),
            int(self.public_benefit),
            int(self.job_duty),
            text(self.recorded_by),
            optional(self.confirmed_by),
            optional(self.amends),
            optional(self.superseded_by),
            optional(self.reason),
            int(self.entry_seq),
        ]
    }
}

/// A volunteer's projection row (masked, as every view of them is), borrowed from what holds
/// it: the volunteer's index and its view's columns.
pub(super) struct VolunteerRow<'a> {
    pub(super) n: u32,
    pub(super) id: &'a str,
    pub(super) masked_name: &'a str,
    pub(super) identity_kind: &'static str,
    pub(super) masked_identity: &'a str,
    pub(super) home_org: Option<&'a str>,
    pub(super) work_unit: Option<&'a str>,
    pub(super) visibility: &'static str,
    pub(super) total_minutes: i64,
    pub(super) carried_minutes: i64,
    pub(super) transferred_out: bool,
}

impl<'a> VolunteerRow<'a> {
    /// The row of volunteer `n` as `v` shows them.
    pub(super) fn of(n: u32, v: &'a crate::org::VolunteerView) -> Self {
        Self {
            n,
            id: v.id.as_str(),
            masked_name: &v.masked_name,
            identity_kind: v.identity_kind.as_str(),
            masked_identity: &v.masked_identity,
            home_org: v.home_org.as_ref().map(|o| o.as_str()),
            work_unit: v.work_unit.as_ref().map(|o| o.as_str()),
            visibility: v.visibility.mode(),
            total_minutes: v.total_minutes,
            carried_minutes: v.carried_minutes,
            transferred_out: v.transferred_out,
        }
    }

    /// The row's values ([`INSERT_VOLUNTEER`]'s parameters), in the columns' order.
    pub(super) fn values(&self) -> [ValueRef<'_>; 11] {
        [
            int(self.n),
            text(self.id),
            text(self.masked_name),
            text(self.identity_kind),
            text(self.masked_identity),
            optional(self.home_org),
            optional(self.work_unit),
            text(self.visibility),
            int(self.total_minutes),
            int(self.carried_minutes),
            int(self.transferred_out),
        ]
    }
}

/// Writes a record's projection row (`st` is [`INSERT_RECORD`]).
pub(super) fn record_row(
    st: &mut rusqlite::Statement<'_>,
    r: &RecordRow<'_>,
) -> rusqlite::Result<()> {
    st.execute(rusqlite::params_from_iter(
        r.values().map(ToSqlOutput::Borrowed),
    ))?;
    Ok(())
}

pub(super) fn int(n: impl Into<i64>) -> ValueRef<'static> {
    ValueRef::Integer(n.into())
}
pub(super) fn text(s: &str) -> ValueRef<'_> {
    ValueRef::Text(s.as_bytes())
}
pub(super) fn optional(s: Option<&str>) -> ValueRef<'_> {
    s.map_or(ValueRef::Null, text)
}

/// What a statement's parameters were last bound to, for rows written one after another with
/// it: only the parameters whose value differs from the row before are bound again (SQLite
/// keeps a statement's bindings from one execution to the next). Most columns of a bulk add's
/// rows — actor, kind, state, source, flags, a missing team or activity — keep their value
/// from row to row, and binding a text copies it. Sized by the statement's first row.
#[derive(Default)]
pub(super) struct Bound {
    last: Vec<Last>,
}

/// A parameter's last bound value (`Unset` before the first row).
#[derive(PartialEq)]
enum Last {
    Unset,
    Null,
    Integer(i64),
    Text(Vec<u8>),
    Blob(Vec<u8>),
}

impl Bound {
    /// Binds `values` to `st`'s parameters 1, 2 … where they changed, and runs it once (`st`
    /// is the same statement every time).
    pub(super) fn execute(
        &mut self,
        st: &mut rusqlite::Statement<'_>,
        values: &[ValueRef<'_>],
    ) -> rusqlite::Result<()> {
        if self.last.is_empty() {
            self.last = (0..st.parameter_count()).map(|_| Last::Unset).collect();
        }
        // A value without a parameter, or a parameter without a value, would be left bound to
        // the row before's.
        if values.len() != self.last.len() {
            return Err(rusqlite::Error::InvalidParameterCount(
                values.len(),
                self.last.len(),
            ));
        }
        for (i, (&v, last)) in values.iter().zip(&mut self.last).enumerate() {
            let same = match (v, &*last) {
                (ValueRef::Null, Last::Null) => true,
                (ValueRef::Integer(a), Last::Integer(b)) => a == *b,
                (ValueRef::Text(a), Last::Text(b)) | (ValueRef::Blob(a), Last::Blob(b)) => {
                    a == b.as_slice()
                }
                _ => false,
            };
            if same {
                continue;
            }
            // Forgotten first: if binding fails, the next row binds this parameter again.
            let kept = std::mem::replace(last, Last::Unset);
            st.raw_bind_parameter(i + 1, ToSqlOutput::Borrowed(v))?;
            // The buffer of the value before is reused for a text or a blob.
            let copy = |t: &[u8]| {
                let mut b = match kept {
                    Last::Text(b) | Last::Blob(b) => b,
                    _ => Vec::new(),
                };
                b.clear();
                b.extend_from_slice(t);
                b
            };
            *last = match v {
                ValueRef::Null => Last::Null,
                ValueRef::Integer(n) => Last::Integer(n),
                ValueRef::Text(t) => Last::Text(copy(t)),
                ValueRef::Blob(t) => Last::Blob(copy(t)),
                // Not a value any row writes: bound each time.
                ValueRef::Real(_) => Last::Unset,
            };
        }
        st.raw_execute()?;
        Ok(())
    }
}

/// Writes one entry's row (`st` is [`INSERT_ENTRY`]): its body as `docs/schema.md` says, and its hash.
pub(super) fn append_entry(
    st: &mut rusqlite::Statement<'_>,
    entry: &Entry,
) -> rusqlite::Result<()> {
    let row = EntryRow {
        seq: entry.seq as i64,
        time: entry.time.0,
        actor: entry.actor.as_str(),
        kind: entry.change.kind(),
        body: &stored_body(&entry.change),
        hash: &entry.hash.0,
    };
    entry_row(st, &row)
}

/// An entry's row, borrowed from what holds it.
pub(super) struct EntryRow<'a> {
    pub(super) seq: i64,
    pub(super) time: i64,
    pub(super) actor: &'a str,
    pub(super) kind: &'a str,
    pub(super) body: &'a [u8],
    pub(super) hash: &'a [u8],
}

impl EntryRow<'_> {
    /// The row's values ([`INSERT_ENTRY`]'s parameters).
    pub(super) fn values(&self) -> [ValueRef<'_>; 6] {
        [
            int(self.seq),
            int(self.time),
            text(self.actor),
            text(self.kind),
            ValueRef::Blob(self.body),
            ValueRef::Blob(self.hash),
        ]
    }
}

/// Writes an entry's row (`st` is [`INSERT_ENTRY`]).
fn entry_row(st: &mut rusqlite::Statement<'_>, e: &EntryRow<'_>) -> rusqlite::Result<()> {
    st.execute(rusqlite::params_from_iter(
        e.values().map(ToSqlOutput::Borrowed),
    ))?;
    Ok(())
}

pub(super) fn hash_of(bytes: &[u8]) -> Option<Hash> {
    <[u8; 32]>::try_from(bytes).ok().map(Hash)
}
