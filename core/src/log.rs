//! The append-only, hash-chained entry log. Every change is an [`Entry`]; the ledger's state is
//! a pure function of its entries. The canonical encoding and the hash are written down in
//! `docs/log-format.md` so that another implementation can check a chain.

use crate::activity::{
    Commendation, Complaint, Evaluation, Membership, NewActivity, NewProject, ProjectClaim,
    ReportIn, Training,
};
use crate::error::{LedgerError, Result};
pub(crate) use crate::hash::unhex;
pub use crate::hash::{Hash, hash_bytes};
use crate::ids::{ActorId, LedgerId, OrgId, RecordId, VolunteerId};
use crate::org::{BoardVisibility, LedgerConfig, NewOrg, NewTeam, Role};
use crate::record::NewRecord;
use crate::time::Timestamp;
use crate::transfer::Issuer;
use crate::vault::Registration;
use serde::{Deserialize, Serialize};

/// The newest version of the canonical encoding; every entry hashes its own (`v`). Version 2
/// is the sealed `volunteer_registered` body (`docs/identity.md`); every other entry, and a
/// registration read from an older log, is version 1.
pub const LOG_FORMAT_VERSION: u32 = 2;

/// The version an entry of this change is written and hashed with (see
/// [`LOG_FORMAT_VERSION`]): so that entries made before a body changed keep their hashes.
pub fn entry_version(change: &Change) -> u32 {
    match change {
        Change::VolunteerRegistered(Registration::Sealed(_)) => 2,
        _ => 1,
    }
}

/// What an entry changes. The tag (`kind`) and the body are hashed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "body", rename_all = "snake_case")]
pub enum Change {
    /// The first entry: the ledger's identity, offset, policy and first admin.
    LedgerCreated(Box<LedgerConfig>),
    /// An org joins the tree.
    OrgRegistered(NewOrg),
    /// An actor is given a role.
    RoleGranted {
        /// Who receives it.
        grantee: ActorId,
        /// The role.
        role: Role,
    },
    /// A volunteer is registered: sealed (version 2), or, in logs made before numbers were
    /// sealed, with the number in clear (version 1).
    VolunteerRegistered(Registration),
    /// A volunteer's identity number is erased: their data key is destroyed.
    IdentityErased {
        /// The volunteer.
        volunteer: VolunteerId,
    },
    /// A team is created.
    TeamCreated(NewTeam),
    /// A service record is added (confirmed at once when an organiser enters it).
    RecordAdded(NewRecord),
    /// A pending record is confirmed.
    RecordConfirmed {
        /// The record.
        record: RecordId,
    },
    /// A record is superseded by a corrected one.
    RecordAmended {
        /// The record replaced.
        record: RecordId,
        /// The corrected record.
        replacement: NewRecord,
        /// Why.
        reason: String,
    },
    /// A record is revoked.
    RecordRevoked {
        /// The record.
        record: RecordId,
        /// Why.
        reason: String,
    },
    /// A record is disputed (申诉).
    RecordDisputed {
        /// The record.
        record: RecordId,
        /// Why.
        reason: String,
    },
    /// A dispute is resolved and the record returns to its state before it.
    DisputeResolved {
        /// The record.
        record: RecordId,
        /// The resolution.
        note: String,
    },
    /// A volunteer chooses how they appear on public boards.
    VisibilitySet {
        /// The volunteer.
        volunteer: VolunteerId,
        /// How they appear.
        visibility: BoardVisibility,
    },
    /// The ledger's Ed25519 public key, for packages and certificates it signs from now on.
    SigningKeyRegistered(KeyRegistration),
    /// Another ledger is trusted to issue transfer packages.
    IssuerTrusted(Issuer),
    /// A volunteer moves home community and/or work unit.
    VolunteerMoved(Move),
    /// A volunteer leaves for another ledger with a transfer package.
    TransferredOut(TransferOut),
    /// A volunteer's history arrives from another ledger.
    TransferredIn(TransferIn),
    /// A service certificate is issued.
    CertificateIssued(CertificateEntry),
    /// A volunteer joins a team.
    TeamMemberJoined(Membership),
    /// A volunteer leaves a team.
    TeamMemberLeft(Membership),
    /// An org publishes a service project.
    ProjectPublished(NewProject),
    /// A team claims a service project.
    ProjectClaimed(ProjectClaim),
    /// An activity is created.
    ActivityCreated(NewActivity),
    /// An activity is evaluated (1–5).
    ActivityEvaluated(Evaluation),
    /// A complaint about an activity is recorded.
    ComplaintRecorded(Complaint),
    /// A volunteer's training session is recorded.
    TrainingRecorded(Training),
    /// A volunteer's commendation is recorded.
    CommendationRecorded(Commendation),
    /// A volunteer reports in at a community from their work unit.
    ReportedIn(ReportIn),
}

/// A ledger's public signing key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyRegistration {
    /// 64 hex digits.
    pub public_key: String,
}

/// A volunteer's move within the ledger; `None` keeps what they had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    /// The new home community.
    pub home_org: Option<OrgId>,
    /// The volunteer.
    pub volunteer: VolunteerId,
    /// The new work unit.
    pub work_unit: Option<OrgId>,
}

/// A package issued for a volunteer leaving the ledger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferOut {
    /// The ledger it is meant for, if named.
    pub destination: Option<LedgerId>,
    /// The hash of the package's text (hex).
    pub package_hash: String,
    /// The volunteer.
    pub volunteer: VolunteerId,
}

/// A package received: its whole text, so that replay verifies it again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferIn {
    /// The package's signed text.
    pub package: String,
}

/// A record a certificate certifies, by the hash of the entry that made it what it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertifiedRecord {
    /// The entry's hash (hex).
    pub entry_hash: String,
    /// The record.
    pub record: RecordId,
}

/// What the log keeps of a certificate (not its personal data, which the log already holds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificateEntry {
    /// The verification code.
    pub code: String,
    /// SHA-256 (hex) of the certificate's signed bytes.
    pub digest: String,
    /// The issuing org.
    pub issuing_org: OrgId,
    /// The certificate number.
    pub number: String,
    /// The first day covered.
    pub period_from: chrono::NaiveDate,
    /// The last day covered.
    pub period_to: chrono::NaiveDate,
    /// The records certified.
    pub records: Vec<CertifiedRecord>,
    /// Their total minutes.
    pub total_minutes: u64,
    /// The volunteer.
    pub volunteer: VolunteerId,
}

impl Change {
    /// The kind's stable name, as hashed.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::LedgerCreated(_) => "ledger_created",
            Self::OrgRegistered(_) => "org_registered",
            Self::RoleGranted { .. } => "role_granted",
            Self::VolunteerRegistered(_) => "volunteer_registered",
            Self::IdentityErased { .. } => "identity_erased",
            Self::TeamCreated(_) => "team_created",
            Self::RecordAdded(_) => "record_added",
            Self::RecordConfirmed { .. } => "record_confirmed",
            Self::RecordAmended { .. } => "record_amended",
            Self::RecordRevoked { .. } => "record_revoked",
            Self::RecordDisputed { .. } => "record_disputed",
            Self::DisputeResolved { .. } => "dispute_resolved",
            Self::VisibilitySet { .. } => "visibility_set",
            Self::SigningKeyRegistered(_) => "signing_key_registered",
            Self::IssuerTrusted(_) => "issuer_trusted",
            Self::VolunteerMoved(_) => "volunteer_moved",
            Self::TransferredOut(_) => "transferred_out",
            Self::TransferredIn(_) => "transferred_in",
            Self::CertificateIssued(_) => "certificate_issued",
            Self::TeamMemberJoined(_) => "team_member_joined",
            Self::TeamMemberLeft(_) => "team_member_left",
            Self::ProjectPublished(_) => "project_published",
            Self::ProjectClaimed(_) => "project_claimed",
            Self::ActivityCreated(_) => "activity_created",
            Self::ActivityEvaluated(_) => "activity_evaluated",
            Self::ComplaintRecorded(_) => "complaint_recorded",
            Self::TrainingRecorded(_) => "training_recorded",
            Self::CommendationRecorded(_) => "commendation_recorded",
            Self::ReportedIn(_) => "reported_in",
        }
    }
}

/// One entry of the log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// Position in the log, from 0.
    pub seq: u64,
    /// When it was made (the ledger's clock).
    pub time: Timestamp,
    /// Who made it.
    pub actor: ActorId,
    /// What it changes.
    #[serde(flatten)]
    pub change: Change,
    /// The hash of the entry before (all zero for the first).
    pub prev: Hash,
    /// SHA-256 over the canonical encoding of everything above.
    pub hash: Hash,
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
struct Body<'a>(&'a Change);

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
        _ => general_canonical(seq, time, actor, change, prev),
    }
}

/// The canonical bytes through serde: any kind.
fn general_canonical(
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

/// A JSON string as serde_json writes it (only `"`, `\\` and control characters escaped).
fn text(b: &mut Vec<u8>, s: &str) {
    if !s.bytes().any(|c| c < 0x20 || c == b'"' || c == b'\\') {
        b.reserve(s.len() + 2);
        b.push(b'"');
        b.extend_from_slice(s.as_bytes());
        b.push(b'"');
        return;
    }
    b.push(b'"');
    let mut from = 0;
    for (i, &c) in s.as_bytes().iter().enumerate() {
        let escape: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\t' => b"\\t",
            b'\r' => b"\\r",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0..0x20 => b"",
            _ => continue,
        };
        b.extend_from_slice(s.as_bytes().get(from..i).unwrap_or_default());
        if escape.is_empty() {
            b.extend_from_slice(b"\\u00");
            b.push(hex_digit(c >> 4));
            b.push(hex_digit(c));
        } else {
            b.extend_from_slice(escape);
        }
        from = i + 1;
    }
    b.extend_from_slice(s.as_bytes().get(from..).unwrap_or_default());
    b.push(b'"');
}
/// A JSON string or `null`.
fn optional(b: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => text(b, s),
        None => b.extend_from_slice(b"null"),
    }
}
/// A JSON integer.
fn int(b: &mut Vec<u8>, n: impl itoa::Integer) {
    b.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}
/// A JSON boolean.
fn flag(b: &mut Vec<u8>, v: bool) {
    b.extend_from_slice(if v { b"true" } else { b"false" });
}
/// A lower-case hex digit of the low four bits.
fn hex_digit(n: u8) -> u8 {
    b"0123456789abcdef"
        .get(usize::from(n & 15))
        .copied()
        .unwrap_or(b'0')
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

/// Appends a `record_added` entry's stored body (as [`stored_body`] makes it) to `b`.
pub(crate) fn append_record_body(b: &mut Vec<u8>, r: &RecordFields<'_>) {
    record_body(b, r, false);
}

/// A record's body: the canonical object (`keys`), or its values alone in the same order, a
/// JSON array (how a file ledger stores it; `docs/schema.md`).
fn record_body(b: &mut Vec<u8>, r: &RecordFields<'_>, keys: bool) {
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
fn record_canonical(
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
fn write_record_canonical(
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
    b.extend_from_slice(b",\"kind\":\"record_added\",\"prev\":\"");
    for x in prev.0 {
        b.push(hex_digit(x >> 4));
        b.push(hex_digit(x));
    }
    b.extend_from_slice(b"\",\"seq\":");
    int(b, seq);
    b.extend_from_slice(b",\"time\":");
    int(b, time.0);
    b.extend_from_slice(b",\"v\":");
    int(b, 1u32);
    b.push(b'}');
}

/// The hash of an entry's content. A record's canonical bytes are written into a buffer
/// kept by the thread, so that adding a million records does not allocate a million times.
fn entry_hash(seq: u64, time: Timestamp, actor: &ActorId, change: &Change, prev: Hash) -> Hash {
    thread_local! {
        static SCRATCH: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    match change {
        Change::RecordAdded(r) => SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut b) => {
                b.clear();
                write_record_canonical(&mut b, seq, time, actor, r, prev);
                hash_bytes(&b)
            }
            Err(_) => hash_bytes(&record_canonical(seq, time, actor, r, prev)),
        }),
        _ => hash_bytes(&general_canonical(seq, time, actor, change, prev)),
    }
}

impl Entry {
    /// Makes an entry, hashing its content.
    pub fn new(seq: u64, time: Timestamp, actor: ActorId, change: Change, prev: Hash) -> Self {
        let hash = entry_hash(seq, time, &actor, &change, prev);
        Self {
            seq,
            time,
            actor,
            change,
            prev,
            hash,
        }
    }

    /// Makes an entry and returns its canonical bytes too (what a file ledger stores).
    pub(crate) fn with_canonical(
        seq: u64,
        time: Timestamp,
        actor: ActorId,
        change: Change,
        prev: Hash,
    ) -> (Self, Vec<u8>) {
        let bytes = canonical_bytes(seq, time, &actor, &change, prev);
        let entry = Self {
            seq,
            time,
            actor,
            change,
            prev,
            hash: hash_bytes(&bytes),
        };
        (entry, bytes)
    }

    /// Recomputes the hash from the content.
    pub fn computed_hash(&self) -> Hash {
        entry_hash(self.seq, self.time, &self.actor, &self.change, self.prev)
    }
}

/// The content of an entry as its canonical bytes hold it.
#[derive(Deserialize)]
struct Canonical {
    actor: ActorId,
    #[serde(flatten)]
    change: Change,
    prev: Hash,
    seq: u64,
    time: Timestamp,
    v: u32,
}

/// Reads an entry back from its canonical bytes (as a file ledger stores them), hashing
/// them. Refuses bytes that do not parse, another format version, and bytes that are not
/// the canonical form of what they hold (so the hash is the hash of exactly this entry).
pub(crate) fn entry_from_canonical(bytes: &[u8]) -> std::result::Result<Entry, String> {
    let c: Canonical =
        serde_json::from_slice(bytes).map_err(|e| format!("stored bytes do not parse: {e}"))?;
    if c.v != entry_version(&c.change) {
        return Err(format!(
            "log format version {} is not supported for a {} entry",
            c.v,
            c.change.kind()
        ));
    }
    let (entry, again) = Entry::with_canonical(c.seq, c.time, c.actor, c.change, c.prev);
    if again != bytes {
        return Err("stored bytes are not in canonical form".into());
    }
    Ok(entry)
}

/// The body of an entry as a file ledger stores it (`docs/schema.md`): the canonical JSON of
/// the body; for `record_added` — nearly every entry of a big ledger — its values alone, a
/// JSON array in key order, less than half the bytes.
pub(crate) fn stored_body(change: &Change) -> Vec<u8> {
    let mut b = Vec::with_capacity(128);
    append_stored_body(&mut b, change);
    b
}

/// Appends an entry's stored body (as [`stored_body`] makes it) to `b`.
pub(crate) fn append_stored_body(b: &mut Vec<u8>, change: &Change) {
    match change {
        Change::RecordAdded(r) => record_body(b, &RecordFields::from(r), false),
        _ => {
            let from = b.len();
            // Our own types always serialise (string keys, no floats).
            if serde_json::to_writer(&mut *b, &Body(change)).is_err() {
                b.truncate(from);
            }
        }
    }
}

/// Reads an entry back from a file ledger's row, given the previous entry's hash: the
/// canonical bytes are rebuilt from the row and hashed. Refuses a row that does not parse,
/// and one not stored in exactly the form [`stored_body`] writes.
pub(crate) fn entry_from_stored(
    seq: u64,
    time: Timestamp,
    actor: &str,
    kind: &str,
    body: &[u8],
    prev: Hash,
) -> std::result::Result<Entry, String> {
    if kind == "record_added" {
        // serde reads a struct from an array in the order its fields are declared — the
        // sorted order of the keys; the check below refuses an object or any other form.
        let record: NewRecord = serde_json::from_slice(body)
            .map_err(|e| format!("stored record does not parse: {e}"))?;
        let actor = ActorId::new(actor).map_err(|e| format!("stored actor: {e}"))?;
        let change = Change::RecordAdded(record);
        if stored_body(&change) != body {
            return Err("stored record is not in canonical form".into());
        }
        return Ok(Entry::new(seq, time, actor, change, prev));
    }
    let mut b = Vec::with_capacity(body.len() + 200);
    b.extend_from_slice(b"{\"actor\":");
    text(&mut b, actor);
    b.extend_from_slice(b",\"body\":");
    b.extend_from_slice(body);
    b.extend_from_slice(b",\"kind\":");
    text(&mut b, kind);
    b.extend_from_slice(b",\"prev\":\"");
    b.extend_from_slice(prev.to_hex().as_bytes());
    b.extend_from_slice(b"\",\"seq\":");
    int(&mut b, seq);
    b.extend_from_slice(b",\"time\":");
    int(&mut b, time.0);
    b.extend_from_slice(b",\"v\":");
    // Only a registration's version depends on its body (sealed or in clear).
    let sealed = kind == "volunteer_registered"
        && matches!(
            serde_json::from_slice::<Registration>(body),
            Ok(Registration::Sealed(_))
        );
    int(&mut b, if sealed { 2 } else { 1 });
    b.push(b'}');
    entry_from_canonical(&b)
}

/// What [`verify_chain`] found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct VerifyReport {
    /// Entries checked.
    pub entries: i64,
    /// The hash of the last entry (hex), the head a copy can be compared by.
    pub head_hash: String,
}

/// The rule on where a kind may stand: entry 0, and only entry 0, creates the ledger.
pub(crate) fn check_position(e: &Entry) -> std::result::Result<(), &'static str> {
    match (e.seq, &e.change) {
        (0, Change::LedgerCreated(_)) => Ok(()),
        (0, _) => Err("the first entry must create the ledger"),
        (_, Change::LedgerCreated(_)) => Err("only the first entry may create the ledger"),
        _ => Ok(()),
    }
}

/// Checks a chain: sequence numbers from 0 without gaps, each entry's `prev` the hash of the
/// one before, each hash the SHA-256 of the entry's canonical bytes. Refuses with
/// `E_CHAIN_BROKEN` naming the first entry at fault.
pub fn verify_chain(entries: &[Entry]) -> Result<VerifyReport> {
    let mut prev = Hash::ZERO;
    for (i, e) in entries.iter().enumerate() {
        let broken = |detail: &str| LedgerError::ChainBroken {
            seq: i as u64,
            detail: detail.to_owned(),
        };
        if e.seq != i as u64 {
            return Err(broken("sequence number out of order"));
        }
        if e.prev != prev {
            return Err(broken("does not name the previous entry's hash"));
        }
        if e.computed_hash() != e.hash {
            return Err(broken("content does not match its hash"));
        }
        check_position(e).map_err(broken)?;
        prev = e.hash;
    }
    Ok(VerifyReport {
        entries: entries.len() as i64,
        head_hash: prev.to_hex(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::*;
    use crate::org::*;
    use crate::policy::Policy;
    use crate::record::NewRecord;

    /// The canonical form by definition: the entry as a JSON object with every object's keys
    /// sorted (serde_json's `Value` keeps them in a `BTreeMap`).
    fn reference(
        seq: u64,
        time: Timestamp,
        actor: &ActorId,
        change: &Change,
        prev: Hash,
    ) -> Vec<u8> {
        let tagged = serde_json::to_value(change).unwrap();
        let mut obj = serde_json::Map::new();
        obj.insert("actor".into(), serde_json::to_value(actor).unwrap());
        obj.insert(
            "body".into(),
            tagged
                .get("body")
                .cloned()
                .unwrap_or(serde_json::Value::Null),
        );
        obj.insert("kind".into(), tagged["kind"].clone());
        obj.insert("prev".into(), serde_json::to_value(prev).unwrap());
        obj.insert("seq".into(), seq.into());
        obj.insert("time".into(), time.0.into());
        obj.insert("v".into(), entry_version(change).into());
        serde_json::to_vec(&serde_json::Value::Object(obj)).unwrap()
    }

    fn every_kind() -> Vec<Change> {
        let id = |s: &str| s.parse::<RecordId>().unwrap();
        let mut record = NewRecord::new(
            id("R1"),
            "V1".parse().unwrap(),
            "O1".parse().unwrap(),
            Timestamp(1_433_206_800),
            Timestamp(1_433_214_000),
            120,
            "助老 \"服务\"\n第二行",
        );
        record.team = Some("T1".parse().unwrap());
        record.activity = Some("A1".parse().unwrap());
        let mut policy = Policy::beijing();
        policy
            .holidays
            .push(chrono::NaiveDate::from_ymd_opt(2015, 6, 20).unwrap());
        let mut config = LedgerConfig::new("L".parse().unwrap(), "某区", "admin".parse().unwrap());
        config.policy = policy;
        // A policy whose newer sections differ from their defaults, so that they are written.
        let mut custom =
            LedgerConfig::new("L2".parse().unwrap(), "另一区", "admin".parse().unwrap());
        custom.policy.team_rating = crate::team_rating::TeamScoring::pvsa_group();
        custom.policy.fraud.four_eyes_minutes = 240;
        custom.policy.excellent.top_per_street = 3;
        vec![
            Change::LedgerCreated(Box::new(config)),
            Change::LedgerCreated(Box::new(custom)),
            Change::OrgRegistered(NewOrg {
                id: "O1".parse().unwrap(),
                name: "学田社区".into(),
                kind: OrgKind::Community,
                parent: None,
            }),
            Change::RoleGranted {
                grantee: "r".parse().unwrap(),
                role: Role::Recorder("O1".parse().unwrap()),
            },
            Change::RoleGranted {
                grantee: "p".parse().unwrap(),
                role: Role::PlatformAdmin,
            },
            // A version-1 registration (the number in clear, as older logs hold it) and a
            // version-2 one (sealed), a device's (mask only) too.
            Change::VolunteerRegistered(Registration::Clear(NewVolunteer {
                id: "V1".parse().unwrap(),
                name: "张三".into(),
                identity_kind: IdentityKind::ResidentId,
                identity_number: "11010519491231002X".into(),
                home_org: Some("O1".parse().unwrap()),
            })),
            Change::VolunteerRegistered(Registration::Sealed(crate::vault::SealedRegistration {
                id: "V2".parse().unwrap(),
                name: "李四".into(),
                home_org: None,
                identity: crate::vault::SealedIdentity {
                    kind: IdentityKind::ResidentId,
                    mask: "110105********002X".into(),
                    sealed: Some(crate::vault::Ciphertext {
                        ciphertext: "ab".repeat(34),
                        nonce: "cd".repeat(24),
                    }),
                    tag: Some("ef".repeat(32)),
                },
            })),
            Change::VolunteerRegistered(Registration::Sealed(crate::vault::SealedRegistration {
                id: "V3".parse().unwrap(),
                name: "王五".into(),
                home_org: None,
                identity: crate::vault::SealedIdentity {
                    kind: IdentityKind::Passport,
                    mask: "E*******8".into(),
                    sealed: None,
                    tag: None,
                },
            })),
            Change::IdentityErased {
                volunteer: "V2".parse().unwrap(),
            },
            Change::TeamCreated(NewTeam {
                id: "T1".parse().unwrap(),
                org: "O1".parse().unwrap(),
                name: "一队".into(),
                leader: "V1".parse().unwrap(),
                liaisons: vec![],
                members: vec!["V1".parse().unwrap()],
            }),
            Change::RecordAdded(record.clone()),
            Change::RecordConfirmed { record: id("R1") },
            Change::RecordAmended {
                record: id("R1"),
                replacement: record,
                reason: "更正".into(),
            },
            Change::RecordRevoked {
                record: id("R1"),
                reason: "撤销".into(),
            },
            Change::RecordDisputed {
                record: id("R1"),
                reason: "申诉".into(),
            },
            Change::DisputeResolved {
                record: id("R1"),
                note: "".into(),
            },
            Change::VisibilitySet {
                volunteer: "V1".parse().unwrap(),
                visibility: BoardVisibility::Pseudonym {
                    name: "小蜜蜂".into(),
                },
            },
            Change::VisibilitySet {
                volunteer: "V1".parse().unwrap(),
                visibility: BoardVisibility::Hidden,
            },
            Change::SigningKeyRegistered(KeyRegistration {
                public_key: "ab".repeat(32),
            }),
            Change::IssuerTrusted(crate::transfer::Issuer {
                ledger_id: "L2".parse().unwrap(),
                name: "另一区".into(),
                public_key: "cd".repeat(32),
            }),
            Change::VolunteerMoved(Move {
                home_org: Some("O1".parse().unwrap()),
                volunteer: "V1".parse().unwrap(),
                work_unit: None,
            }),
            Change::TransferredOut(TransferOut {
                destination: Some("L2".parse().unwrap()),
                package_hash: "ef".repeat(32),
                volunteer: "V1".parse().unwrap(),
            }),
            Change::TransferredIn(TransferIn {
                package: "{\"package\":{}}".into(),
            }),
            Change::CertificateIssued(CertificateEntry {
                code: "ABCD-EF01".into(),
                digest: "01".repeat(32),
                issuing_org: "O1".parse().unwrap(),
                number: "L-2015-000001".into(),
                period_from: chrono::NaiveDate::from_ymd_opt(2015, 1, 1).unwrap(),
                period_to: chrono::NaiveDate::from_ymd_opt(2015, 12, 31).unwrap(),
                records: vec![CertifiedRecord {
                    entry_hash: "02".repeat(32),
                    record: id("R1"),
                }],
                total_minutes: 120,
                volunteer: "V1".parse().unwrap(),
            }),
            Change::TeamMemberJoined(Membership {
                date: day(2015, 6, 1),
                team: "T1".parse().unwrap(),
                volunteer: "V1".parse().unwrap(),
            }),
            Change::TeamMemberLeft(Membership {
                date: day(2015, 7, 1),
                team: "T1".parse().unwrap(),
                volunteer: "V1".parse().unwrap(),
            }),
            Change::ProjectPublished(NewProject {
                category: "助老".into(),
                id: "P1".parse().unwrap(),
                name: "银龄陪伴".into(),
                org: "O1".parse().unwrap(),
            }),
            Change::ProjectClaimed(ProjectClaim {
                project: "P1".parse().unwrap(),
                team: "T1".parse().unwrap(),
            }),
            Change::ActivityCreated(NewActivity {
                end: Timestamp(1_433_214_000),
                id: "A1".parse().unwrap(),
                name: "六月集中服务日".into(),
                org: "O1".parse().unwrap(),
                project: Some("P1".parse().unwrap()),
                start: Timestamp(1_433_206_800),
                team: None,
            }),
            Change::ActivityEvaluated(Evaluation {
                activity: "A1".parse().unwrap(),
                score: 5,
                source: crate::activity::EvaluationSource::Recipient,
            }),
            Change::ComplaintRecorded(Complaint {
                activity: "A1".parse().unwrap(),
                reason: "迟到".into(),
                volunteer: Some("V1".parse().unwrap()),
            }),
            Change::TrainingRecorded(Training {
                date: day(2015, 5, 1),
                id: "TR1".parse().unwrap(),
                minutes: 90,
                org: "O1".parse().unwrap(),
                title: "急救培训".into(),
                volunteer: "V1".parse().unwrap(),
            }),
            Change::CommendationRecorded(Commendation {
                date: day(2015, 12, 1),
                id: "C1".parse().unwrap(),
                org: "O1".parse().unwrap(),
                title: "优秀志愿者".into(),
                volunteer: "V1".parse().unwrap(),
            }),
            Change::ReportedIn(ReportIn {
                community: "O1".parse().unwrap(),
                date: day(2015, 3, 1),
                volunteer: "V1".parse().unwrap(),
                work_unit: "U1".parse().unwrap(),
            }),
        ]
    }

    fn day(y: i32, m: u32, d: u32) -> chrono::NaiveDate {
        chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    use proptest::prelude::*;

    proptest! {
        /// The direct writer of `record_added` entries gives exactly the general form, for
        /// any free text (quotes, backslashes, control characters, Chinese) and any values.
        #[test]
        fn record_canonical_is_the_general_form(
            content in ".*",
            escapes in proptest::collection::vec(0u8..0x20, 0..4),
            id in "[A-Za-z0-9][A-Za-z0-9_.:-]{0,20}",
            start in any::<i64>(),
            end in any::<i64>(),
            minutes in any::<i64>(),
            seq in any::<u64>(),
            time in any::<i64>(),
            flags in any::<[bool; 5]>(),
            prev in any::<[u8; 32]>(),
        ) {
            let mut content = content;
            content.extend(escapes.iter().map(|&c| char::from(c)));
            content.push_str("\"\\/");
            let r = NewRecord {
                activity: flags[3].then(|| "A1".parse().unwrap()),
                content,
                end: Timestamp(end),
                id: id.parse().unwrap(),
                job_duty: flags[0],
                minutes,
                org: "C1".parse().unwrap(),
                paid: flags[1],
                public_benefit: flags[2],
                source: crate::record::RecordSource::Import,
                start: Timestamp(start),
                team: flags[4].then(|| "T1".parse().unwrap()),
                volunteer: "V1".parse().unwrap(),
            };
            let actor: ActorId = "admin".parse().unwrap();
            let c = Change::RecordAdded(r);
            prop_assert_eq!(
                canonical_bytes(seq, Timestamp(time), &actor, &c, Hash(prev)),
                general_canonical(seq, Timestamp(time), &actor, &c, Hash(prev))
            );
        }
    }

    #[test]
    fn canonical_form_is_sorted_json() {
        let actor: ActorId = "admin".parse().unwrap();
        let kinds = every_kind();
        let names: std::collections::HashSet<&str> = kinds.iter().map(Change::kind).collect();
        assert_eq!(names.len(), 29, "every kind of change is covered");
        for (i, c) in kinds.iter().enumerate() {
            let fast =
                canonical_bytes(i as u64, Timestamp(1_433_300_000), &actor, c, Hash([7; 32]));
            let slow = reference(i as u64, Timestamp(1_433_300_000), &actor, c, Hash([7; 32]));
            assert_eq!(
                String::from_utf8(fast).unwrap(),
                String::from_utf8(slow).unwrap()
            );
        }
    }

    #[test]
    fn an_entry_hash_is_the_sha256_of_its_canonical_bytes() {
        let actor: ActorId = "admin".parse().unwrap();
        // Twice over, so that the thread's scratch buffer is reused with leftovers in it.
        for _ in 0..2 {
            for (i, c) in every_kind().into_iter().enumerate() {
                let bytes = canonical_bytes(
                    i as u64,
                    Timestamp(1_433_300_000),
                    &actor,
                    &c,
                    Hash([9; 32]),
                );
                let e = Entry::new(
                    i as u64,
                    Timestamp(1_433_300_000),
                    actor.clone(),
                    c,
                    Hash([9; 32]),
                );
                assert_eq!(
                    e.hash,
                    Hash(<sha2::Sha256 as sha2::Digest>::digest(&bytes).into())
                );
                assert_eq!(e.computed_hash(), e.hash);
            }
        }
    }

    #[test]
    fn entries_stay_small_to_move() {
        // A bulk add moves every entry several times: a large kind belongs in a Box.
        assert!(
            std::mem::size_of::<Change>() <= 256,
            "{}",
            std::mem::size_of::<Change>()
        );
    }

    #[test]
    fn hex_round_trips() {
        let h = hash_bytes(b"abc");
        assert_eq!(
            h.to_hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(Hash::from_hex(&h.to_hex()), Some(h));
        assert_eq!(Hash::from_hex("zz"), None);
    }
}
