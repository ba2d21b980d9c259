//! # volunteer-ledger
//!
//! The rules of volunteer service records (志愿服务记录) as one library: records that are
//! validated once, a hash-chained log that makes them credible (真实可信), star levels (星级)
//! and leaderboards (排行榜) that are always current.
//!
//! ```
//! use volunteer_ledger::*;
//!
//! let admin: ActorId = "admin".parse()?;
//! let mut ledger = Ledger::in_memory(LedgerConfig::new("district".parse()?, "某区", admin.clone()))?;
//! ledger.set_clock(Clock::Fixed(Timestamp::from_local(480, 2015, 6, 3, 12, 0)?));
//! ledger.register_org(&admin, NewOrg { id: "D".parse()?, name: "某区".into(), kind: OrgKind::District, parent: None })?;
//! ledger.register_volunteer(&admin, NewVolunteer {
//!     id: "V1".parse()?, name: "张三".into(), identity_kind: IdentityKind::ResidentId,
//!     identity_number: "11010519491231002X".into(), home_org: Some("D".parse()?),
//! })?;
//! let t = |h| Timestamp::from_local(480, 2015, 6, 2, h, 0);
//! let r = NewRecord::new("R1".parse()?, "V1".parse()?, "D".parse()?, t(9)?, t(12)?, 180, "助老服务");
//! assert_eq!(ledger.add_record(&admin, r)?.state, RecordState::Confirmed);
//!
//! let board = ledger.leaderboard("2015-06".parse()?, &Scope::All, BoardKind::Volunteers, 10)?;
//! assert_eq!((board.entries[0].rank, board.entries[0].name.as_str(), board.entries[0].minutes), (1, "张*", 180));
//! assert_eq!(ledger.star_summary(&"V1".parse()?)?.minutes_to_next, Some(100 * 60 - 180));
//! ledger.verify()?;
//! # Ok::<(), LedgerError>(())
//! ```

pub mod activity;
pub mod calendar;
pub mod certificate;
pub mod checkpoint;
pub mod error;
pub mod export;
pub mod hash;
pub mod ids;
pub mod import;
mod intern;
pub mod ledger;
pub mod log;
pub mod merkle;
pub mod org;
pub mod policy;
pub mod progress;
#[cfg(feature = "python")]
pub mod python;
pub mod ranking;
pub mod rating;
pub mod record;
pub mod render;
pub mod signature;
pub mod store;
pub mod sync;
pub mod team_rating;
pub mod time;
pub mod transfer;
pub mod vault;
pub mod warning;

pub use activity::{
    ActivityView, Anomaly, AnomalyKind, Commendation, CommunityVolunteer, Complaint, Evaluation,
    EvaluationSource, ExcellentCandidate, MemberPeriod, Membership, NewActivity, NewProject,
    ProjectClaim, ProjectView, ReportIn, TeamRating, Training, UnitReport, UnitStaffLine,
    VolunteerSummary,
};
pub use calendar::{CalendarYear, SHIPPED_CALENDARS, shipped_calendar};
pub use certificate::{
    Certificate, CertificateCheck, CertificateCommendation, CertificateRecord, CertificateStatus,
    CertificateTraining,
};
pub use checkpoint::{InclusionProof, SIGNED_HEAD_FORMAT, SignedHead};
pub use error::{ErrorFamily, LedgerError, Result};
pub use export::{
    ExchangeSet, ExportFormat, Language, RecordScope, exchange_file, leaderboard_file, records_file,
};
pub use ids::{
    ActivityId, ActorId, CommendationId, Identity, IdentityKind, LedgerId, OrgId, ProjectId,
    RecordId, TeamId, TrainingId, VolunteerId, mask_identity, mask_name, resident_id_check_char,
    validate_identity,
};
pub use import::limits as sheet_limits;
pub use import::{
    AssignedId, Field, ImportOptions, ImportReport, RegisterReport, RowProblem, Sheet, SheetFormat,
    SheetRow, TextEncoding, read_sheet, upload, upload_orgs, upload_volunteers,
};
pub use ledger::key_file_of;
pub use ledger::{
    CertificateRequest, Clock, Ledger, Receipt, RecordReceipt, TransferReceipt, certificate_bytes,
    verification_code, verify_certificate_offline,
};
pub use log::{Change, Entry, Hash, VerifyReport, canonical_bytes, verify_chain};
pub use org::{
    BoardVisibility, DEFAULT_UTC_OFFSET_MINUTES, LedgerConfig, NewOrg, NewTeam, NewVolunteer, Org,
    OrgKind, Role, VolunteerCorrection, VolunteerView,
};
pub use policy::{ExcellentRule, FraudRules, Policy, StarProfile};
pub use progress::{PROGRESS_EVERY, Progress};
pub use ranking::{BoardEntry, BoardKind, Leaderboard, Scope, Standing, rank_pairs};
pub use rating::{
    Criterion, CriterionLine, CriterionMode, LevelReached, StarSummary, TeamFacts, TeamMetric,
    TeamScore, TeamScoring, level_for_minutes, rate_team, rate_team_checked, star_summary,
    stars_for_minutes,
};
pub use record::{NewRecord, RecordSource, RecordState, ServiceRecord, check_record, is_make_up};
pub use sync::{
    MAX_BATCH_RECORDS, MAX_WAITING_BATCHES, SYNC_BATCH_FORMAT, SYNC_RECEIPT_FORMAT, SyncApplied,
    SyncBatch, SyncReceipt, SyncRefusal, SyncResult, SyncServer, SyncState, SyncStatus, batch_hash,
    receipt_bytes,
};
pub use time::{Period, PeriodInfo, Timestamp, period_info, periods_of};
pub use transfer::{
    Issuer, TRANSFER_FORMAT, TRANSFER_FORMAT_1, TransferPackage, TransferRecord, YearTotal,
    open_package, package_hash,
};
pub use vault::{
    IdentityKeys, KeyProvider, Keyring, SealedIdentity, SealedPhone, SealedRegistration,
};
pub use warning::Warning;

#[cfg(feature = "uniffi")]
uniffi::setup_scaffolding!();

/// The README's Rust examples, compiled and run as doctests so that they stay true. Its other
/// blocks name their language (`python`, `kotlin`, `swift`, `sh`, `text`), which rustdoc skips;
/// `bindings-python/tests/test_readme.py` runs the Python ones.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
mod readme_examples {}
