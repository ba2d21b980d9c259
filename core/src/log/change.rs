//! [`Change`]: what an entry changes, one variant a kind, with the bodies the log defines for
//! itself (a signing key, a move, a transfer, a certificate).

use crate::activity::{
    Commendation, Complaint, Evaluation, Membership, NewActivity, NewProject, ProjectClaim,
    ReportIn, Training,
};
use crate::calendar::CalendarYear;
use crate::ids::{ActorId, LedgerId, OrgId, RecordId, VolunteerId};
use crate::org::{BoardVisibility, LedgerConfig, NewOrg, NewTeam, Role};
use crate::record::NewRecord;
use crate::transfer::Issuer;
use crate::vault::{Registration, SealedIdentity, SealedPhone};
use serde::{Deserialize, Serialize};

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
    /// A volunteer's name, identity number or phone is corrected; the values before stay in
    /// the entries that set them.
    VolunteerCorrected(Correction),
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
    /// A year's working-day calendar is set (or corrected): records added from then on are
    /// judged by it; records judged before are not judged again.
    CalendarSet(CalendarYear),
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

/// A correction of a volunteer's details: each value set replaces what they held, sealed as a
/// registration seals it; `None` keeps what they had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    /// The identity document, sealed under the volunteer's new data key.
    pub identity: Option<SealedIdentity>,
    /// The full name.
    pub name: Option<String>,
    /// The phone number, sealed under the volunteer's data key.
    pub phone: Option<SealedPhone>,
    /// Why.
    pub reason: String,
    /// The volunteer.
    pub volunteer: VolunteerId,
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
            Self::VolunteerCorrected(_) => "volunteer_corrected",
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
            Self::CalendarSet(_) => "calendar_set",
        }
    }
}
