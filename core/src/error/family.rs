//! The family of each [`LedgerError`]: one exception class a family in the bindings.

use super::{ErrorFamily, LedgerError};

impl LedgerError {
    /// The family of this error; bindings raise one exception class per family.
    pub fn family(&self) -> ErrorFamily {
        use ErrorFamily as F;
        match self {
            Self::IdentityFormat { .. }
            | Self::IdentityChecksum
            | Self::IdentityBirthDate { .. }
            | Self::InvalidPeriod { .. }
            | Self::InvalidField { .. } => F::Input,
            Self::EndNotAfterStart { .. }
            | Self::MinutesExceedSpan { .. }
            | Self::ZeroMinutes { .. }
            | Self::Future { .. }
            | Self::Overlap { .. }
            | Self::DailyCap { .. }
            | Self::CheckInLimit { .. }
            | Self::PaidService { .. }
            | Self::JobDuty { .. }
            | Self::NotPublicBenefit { .. } => F::Validation,
            Self::MakeUpNeedsOrgAdmin { .. }
            | Self::Forbidden { .. }
            | Self::SelfConfirm { .. } => F::Authorization,
            Self::UnknownVolunteer { .. }
            | Self::UnknownOrg { .. }
            | Self::UnknownTeam { .. }
            | Self::UnknownRecord { .. }
            | Self::UnknownEntry { .. } => F::NotFound,
            Self::Duplicate { .. }
            | Self::DuplicateIdentity { .. }
            | Self::RecordIdConflict { .. } => F::Conflict,
            Self::InvalidState { .. } => F::State,
            Self::ChainBroken { .. } | Self::ReplayRefused { .. } => F::Integrity,
            Self::Policy { .. } => F::Policy,
            Self::TransferFormat { .. }
            | Self::CertificateFormat { .. }
            | Self::CheckpointMismatch { .. }
            | Self::CheckpointFormat { .. }
            | Self::TransferVersion { .. }
            | Self::BadSignature
            | Self::TransferIdentity { .. }
            | Self::TransferDestination { .. } => F::Integrity,
            Self::UntrustedIssuer { .. } => F::Authorization,
            Self::NoSigningKey
            | Self::TransferredOut { .. }
            | Self::KeyUnavailable { .. }
            | Self::IdentityErased { .. } => F::State,
            Self::UnknownCertificate { .. } => F::NotFound,
            Self::Storage { .. } => F::Storage,
            Self::SchemaVersion { .. } | Self::NotALedger { .. } => F::Integrity,
            Self::SyncFormat { .. } | Self::SyncVersion { .. } | Self::SyncDevice { .. } => {
                F::Input
            }
            Self::SyncActor { .. } => F::Authorization,
            Self::SyncUnsigned { .. }
            | Self::SyncReceiptBatch { .. }
            | Self::SyncReceiptRecords { .. } => F::Integrity,
            Self::SyncUntrustedServer { .. } => F::Authorization,
            Self::SyncNoServer => F::State,
            Self::AlreadyMember { .. }
            | Self::NotMember { .. }
            | Self::OfficerLeaves { .. }
            | Self::ProjectClaimed { .. } => F::State,
            Self::UnknownActivity { .. } | Self::UnknownProject { .. } => F::NotFound,
            Self::TeamOrg { .. }
            | Self::ProjectTeam { .. }
            | Self::ActivityMismatch { .. }
            | Self::MakeUpExceedsActivity { .. }
            | Self::OrgKind { .. } => F::Validation,
            Self::EvaluationScore { .. } => F::Input,
            Self::FourEyes { .. } | Self::OwnRecord { .. } => F::Authorization,
            Self::UploadTooLarge { .. } => F::Input,
            Self::CertificateTemplate { .. } => F::Input,
        }
    }
}
