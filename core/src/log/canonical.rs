//! The canonical encoding of an entry (`docs/log-format.md`): the bytes its hash is taken
//! over, through serde for any kind and written field by field for `record_added`, and the
//! format version each entry is written with.

use super::change::Change;
use super::json::{flag, hex_digit, int, optional, text};
use crate::hash::Hash;
use crate::ids::ActorId;
use crate::record::NewRecord;
use crate::time::Timestamp;
use crate::vault::{Registration, SealedRegistration};
use serde::Serialize;

/// The newest version of the canonical encoding; every entry hashes its own (`v`). Version 2
/// is the sealed `volunteer_registered` body and `volunteer_corrected` (sealed values too,
/// `docs/identity.md`); every other entry, and a registration read from an older log, is
/// version 1.
pub const LOG_FORMAT_VERSION: u32 = 2;

/// The version an entry of this change is written and hashed with (see
/// [`LOG_FORMAT_VERSION`]): so that entries made before a body changed keep their hashes.
pub fn entry_version(change: &Change) -> u32 {
    match change {
        Change::VolunteerRegistered(Registration::Sealed(_)) | Change::VolunteerCorrected(_) => 2,
        _ => 1,
    }
}

/// The hashed content of an entry. Fields are declared in sorted order, and so are the
/// fields of every type a body holds, so that writing it directly gives the canonical form
/// (keys sorted); `canonical_form_is_sorted_json` in the tests guards this.
#[derive(Serialize)]
struct Hashed<'a> {
    actor: &'a ActorId,
    body: Body<'a>,
    kind: &'static str,
    prev: Hash,
    seq: u64,
    time: Timestamp,
    v: u32,
}

/// The body of a change, without its kind.
pub(super) struct Body<'a>(pub(super) &'a Change);

impl Serialize for Body<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        macro_rules! fields {
            ($($name:literal => $value:expr),+) => {{
                let mut st = s.serialize_struct("body", [$($name),+].len())?;
                $(st.serialize_field($name, $value)?;)+
                st.end()
            }};
        }
        match self.0 {
            Change::LedgerCreated(c) => c.serialize(s),
            Change::OrgRegistered(o) => o.serialize(s),
            Change::RoleGranted { grantee, role } => fields!("grantee" => grantee, "role" => role),
            Change::VolunteerRegistered(v) => v.serialize(s),
            Change::IdentityErased { volunteer } => fields!("volunteer" => volunteer),
            Change::VolunteerCorrected(c) => c.serialize(s),
            Change::TeamCreated(t) => t.serialize(s),
            Change::RecordAdded(r) => r.serialize(s),
            Change::RecordConfirmed { record } => fields!("record" => record),
            Change::RecordAmended {
                record,
                replacement,
                reason,
            } => {
                fields!("reason" => reason, "record" => record, "replacement" => replacement)
            }
            Change::RecordRevoked { record, reason }
            | Change::RecordDisputed { record, reason } => {
                fields!("reason" => reason, "record" => record)
            }
            Change::DisputeResolved { record, note } => fields!("note" => note, "record" => record),
            Change::VisibilitySet {
                volunteer,
                visibility,
            } => {
                fields!("visibility" => visibility, "volunteer" => volunteer)
            }
            Change::SigningKeyRegistered(k) => k.serialize(s),
            Change::IssuerTrusted(i) => i.serialize(s),
            Change::VolunteerMoved(m) => m.serialize(s),
            Change::TransferredOut(t) => t.serialize(s),
            Change::TransferredIn(t) => t.serialize(s),
            Change::CertificateIssued(c) => c.serialize(s),
            Change::TeamMemberJoined(m) | Change::TeamMemberLeft(m) => m.serialize(s),
            Change::ProjectPublished(p) => p.serialize(s),
            Change::ProjectClaimed(c) => c.serialize(s),
            Change::ActivityCreated(a) => a.serialize(s),
            Change::ActivityEvaluated(e) => e.serialize(s),
            Change::ComplaintRecorded(c) => c.serialize(s),
            Change::TrainingRecorded(t) => t.serialize(s),
            Change::CommendationRecorded(c) => c.serialize(s),
            Change::ReportedIn(r) => r.serialize(s),
            Change::CalendarSet(c) => c.serialize(s),
        }
    }
}

/// The canonical bytes of an entry's content: JSON with object keys sorted by their UTF-8
/// bytes, no whitespace, integers only (see `docs/log-format.md`).
pub fn canonical_bytes(
    seq: u64,
    time: Timestamp,
    actor: &ActorId,
    change: &Change,
    prev: Hash,
) -> Vec<u8> {
    match change {
        // Nearly every entry of a big ledger adds a record: written directly, byte for byte
        // what the general path writes (`record_canonical_is_the_general_form` checks).
        Change::RecordAdded(r) => record_canonical(seq, time, actor, r, prev),
        // Every registration of a big register: written directly too.
        Change::VolunteerRegistered(Registration::Sealed(r)) => {
            let mut b = Vec::with_capacity(512);
            write_registration_canonical(&mut b, seq, time, actor, r, prev);
            b
        }
        _ => general_canonical(seq, time, actor, change, prev),
    }
}

/// The canonical bytes through serde: any kind.
pub(super) fn general_canonical(
    seq: u64,
    time: Timestamp,
    actor: &ActorId,
    change: &Change,
    prev: Hash,
) -> Vec<u8> {
    let h = Hashed {
        actor,
        body: Body(change),
        kind: change.kind(),
        prev,
        seq,
        time,
        v: entry_version(change),
    };
    let mut out = Vec::with_capacity(512);
    // Our own types always serialise (string keys, no floats): an error cannot happen.
    match serde_json::to_writer(&mut out, &h) {
        Ok(()) => out,
        Err(_) => Vec::new(),
    }
}

/// A record's fields as its body holds them, borrowed: from a [`NewRecord`], or from the copy
/// a file ledger's writing thread works from.
pub(crate) struct RecordFields<'a> {
    pub(crate) activity: Option<&'a str>,
    pub(crate) content: &'a str,
    pub(crate) end: i64,
    pub(crate) id: &'a str,
    pub(crate) job_duty: bool,
    pub(crate) minutes: i64,
    pub(crate) org: &'a str,
    pub(crate) paid: bool,
    pub(crate) public_benefit: bool,
    pub(crate) source: &'a str,
    pub(crate) start: i64,
    pub(crate) team: Option<&'a str>,
    pub(crate) volunteer: &'a str,
}

impl<'a> From<&'a NewRecord> for RecordFields<'a> {
    fn from(r: &'a NewRecord) -> Self {
        Self {
            activity: r.activity.as_ref().map(|a| a.as_str()),
            content: &r.content,
            end: r.end.0,
            id: r.id.as_str(),
            job_duty: r.job_duty,
            minutes: r.minutes,
            org: r.org.as_str(),
            paid: r.paid,
            public_benefit: r.public_benefit,
            source: r.source.as_str(),
            start: r.start.0,
            team: r.team.as_ref().map(|t| t.as_str()),
            volunteer: r.volunteer.as_str(),
        }
    }
}

/// A record's body: the canonical object (`keys`), or its values alone in the same order, a
/// JSON array (how a file ledger stores it; `docs/schema.md`).
pub(super) fn record_body(b: &mut Vec<u8>, r: &RecordFields<'_>, keys: bool) {
    // Each field after the first starts with a comma; the keys are fixed ASCII.
    let key = |b: &mut Vec<u8>, k: &[u8]| {
        if k.first() == Some(&b',') {
            b.push(b',');
        }
        if keys {
            b.extend_from_slice(k.strip_prefix(b",").unwrap_or(k));
        }
    };
    b.push(if keys { b'{' } else { b'[' });
    key(b, b"\"activity\":");
    optional(b, r.activity);
    key(b, b",\"content\":");
    text(b, r.content);
    key(b, b",\"end\":");
    int(b, r.end);
    key(b, b",\"id\":");
    text(b, r.id);
    key(b, b",\"job_duty\":");
    flag(b, r.job_duty);
    key(b, b",\"minutes\":");
    int(b, r.minutes);
    key(b, b",\"org\":");
    text(b, r.org);
    key(b, b",\"paid\":");
    flag(b, r.paid);
    key(b, b",\"public_benefit\":");
    flag(b, r.public_benefit);
    key(b, b",\"source\":");
    text(b, r.source);
    key(b, b",\"start\":");
    int(b, r.start);
    key(b, b",\"team\":");
    optional(b, r.team);
    key(b, b",\"volunteer\":");
    text(b, r.volunteer);
    b.push(if keys { b'}' } else { b']' });
}

/// The canonical bytes of a `record_added` entry, written field by field.
pub(super) fn record_canonical(
    seq: u64,
    time: Timestamp,
    actor: &ActorId,
    r: &NewRecord,
    prev: Hash,
) -> Vec<u8> {
    let mut b = Vec::with_capacity(330 + r.content.len() + r.id.as_str().len());
    write_record_canonical(&mut b, seq, time, actor, r, prev);
    b
}

/// Appends a `record_added` entry's canonical bytes to `b`.
pub(super) fn write_record_canonical(
    b: &mut Vec<u8>,
    seq: u64,
    time: Timestamp,
    actor: &ActorId,
    r: &NewRecord,
    prev: Hash,
) {
    b.extend_from_slice(b"{\"actor\":");
    text(b, actor.as_str());
    b.extend_from_slice(b",\"body\":");
    record_body(b, &RecordFields::from(r), true);
    tail(b, "record_added", prev, seq, time, 1);
}

/// Appends a sealed `volunteer_registered` entry's canonical bytes to `b`, written field by
/// field (byte for byte what the general path writes; `registration_canonical_is_the_general_form`
/// checks), and returns where its body lies in `b` (what a file ledger stores of it).
pub(super) fn write_registration_canonical(
    b: &mut Vec<u8>,
    seq: u64,
    time: Timestamp,
    actor: &ActorId,
    r: &SealedRegistration,
    prev: Hash,
) -> std::ops::Range<usize> {
    b.extend_from_slice(b"{\"actor\":");
    text(b, actor.as_str());
    b.extend_from_slice(b",\"body\":");
    let from = b.len();
    b.extend_from_slice(b"{\"home_org\":");
    optional(b, r.home_org.as_ref().map(|o| o.as_str()));
    b.extend_from_slice(b",\"id\":");
    text(b, r.id.as_str());
    b.extend_from_slice(b",\"identity\":{\"kind\":");
    text(b, r.identity.kind.as_str());
    b.extend_from_slice(b",\"mask\":");
    text(b, &r.identity.mask);
    b.extend_from_slice(b",\"sealed\":");
    match &r.identity.sealed {
        Some(c) => {
            b.extend_from_slice(b"{\"ciphertext\":");
            text(b, &c.ciphertext);
            b.extend_from_slice(b",\"nonce\":");
            text(b, &c.nonce);
            b.push(b'}');
        }
        None => b.extend_from_slice(b"null"),
    }
    b.extend_from_slice(b",\"tag\":");
    optional(b, r.identity.tag.as_deref());
    b.extend_from_slice(b"},\"name\":");
    text(b, &r.name);
    b.push(b'}');
    let body = from..b.len();
    tail(b, "volunteer_registered", prev, seq, time, 2);
    body
}

/// The fields after an entry's body: its kind, the previous hash, seq, time and version.
fn tail(b: &mut Vec<u8>, kind: &str, prev: Hash, seq: u64, time: Timestamp, v: u32) {
    b.extend_from_slice(b",\"kind\":");
    text(b, kind);
    b.extend_from_slice(b",\"prev\":\"");
    for x in prev.0 {
        b.push(hex_digit(x >> 4));
        b.push(hex_digit(x));
    }
    b.extend_from_slice(b"\",\"seq\":");
    int(b, seq);
    b.extend_from_slice(b",\"time\":");
    int(b, time.0);
    b.extend_from_slice(b",\"v\":");
    int(b, v);
    b.push(b'}');
}
