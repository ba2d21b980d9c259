//! The Kotlin and Swift binding of volunteer-ledger, through UniFFI (proc-macro, library mode).
//!
//! Thin by design: the data types (`NewRecord`, `Leaderboard`, `StarSummary` …) are the core's
//! own, derived for UniFFI behind the core's `uniffi` feature. This crate adds only what cannot
//! live in the core: the [`Ledger`] object (the core ledger behind a mutex, since foreign
//! callers share it across threads), the [`LedgerError`] exception family, a few small records
//! for what the core returns as tuples ([`LogHead`], [`TrustedIssuer`], [`RankedPair`]), and
//! free functions that forward to the core's pure rules, and the [`KeyProvider`] callback
//! interface through which the platform lends the ledger its identity keys. No rule lives here.
//!
//! Ids and periods are taken as strings and parsed here, so that a malformed one is refused
//! with the core's code (`E_FIELD`, `E_PERIOD`) as a [`LedgerError`], not as a lift failure.

// The error is what Kotlin and Swift receive (code, both messages, the values by name): it is
// lowered into a buffer at the boundary on the rare refusal, so its size costs nothing that
// boxing it would save.
#![allow(clippy::result_large_err)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use vl::{
    ActivityView, Anomaly, BoardKind, BoardVisibility, Certificate, CertificateCheck,
    CertificateRequest, Clock, Commendation, CommunityVolunteer, Complaint, ErrorFamily,
    Evaluation, ExcellentCandidate, ExportFormat, IdentityKind, ImportOptions, ImportReport,
    Issuer, Language, Leaderboard, LedgerConfig, LedgerId, MemberPeriod, Membership, NewActivity,
    NewOrg, NewProject, NewRecord, NewTeam, NewVolunteer, Period, PeriodInfo, Policy, ProjectClaim,
    ProjectView, Receipt, RecordReceipt, RecordScope, ReportIn, Role, Scope, ServiceRecord,
    Standing, StarProfile, StarSummary, SyncApplied, SyncBatch, SyncReceipt, SyncServer,
    SyncStatus, TeamFacts, TeamRating, TeamScore, TeamScoring, Timestamp, Training,
    TransferPackage, TransferReceipt, UnitReport, VerifyReport, VolunteerSummary, VolunteerView,
};
use vl::{Hash, IdentityKeys, InclusionProof, SignedHead, Warning};
use volunteer_ledger as vl;

uniffi::setup_scaffolding!();

/// The code of the one refusal this binding adds: the ledger's lock was poisoned by a panic
/// in an earlier call, so its state can no longer be trusted.
pub const POISONED_CODE: &str = "E_LEDGER_POISONED";

/// Declares [`LedgerError`] from its list of families, written once: the enum, each variant
/// with the same five fields, and the private mappings between a variant and its family
/// (`ErrorParts::into_family`, `LedgerError::parts`). A variant's `code` has the plain doc
/// unless the variant gives its own, as `Family(code = "…")`.
macro_rules! ledger_error {
    (
        $(#[doc = $enum_doc:literal])*
        pub enum LedgerError { $($families:tt)* }
    ) => {
        ledger_error!(@docs [$($enum_doc)*] [] $($families)*);
    };
    // Gives each variant the doc of its `code`, one at a time, then declares them all.
    (@docs $enum_doc:tt [$($done:tt)*]
        $(#[doc = $doc:literal])* $family:ident (code = $code_doc:literal), $($rest:tt)*
    ) => {
        ledger_error!(@docs $enum_doc [$($done)* ([$($doc)*] $family $code_doc)] $($rest)*);
    };
    (@docs $enum_doc:tt [$($done:tt)*] $(#[doc = $doc:literal])* $family:ident, $($rest:tt)*) => {
        ledger_error!(
            @docs $enum_doc [$($done)* ([$($doc)*] $family "The core's stable code.")] $($rest)*
        );
    };
    (@docs [$($enum_doc:literal)*] [$(([$($doc:literal)*] $family:ident $code_doc:literal))*]) => {
        $(#[doc = $enum_doc])*
        #[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
        pub enum LedgerError {
            $(
                $(#[doc = $doc])*
                #[error("{code}: {detail}")]
                $family {
                    #[doc = $code_doc]
                    code: String,
                    /// The core's message.
                    detail: String,
                    /// The message in English.
                    message_en: String,
                    /// The message in Chinese, with the same details.
                    message_zh: String,
                    /// The error's values by name (`record`, `actor`, `seq`, `detail` …), as text.
                    fields: HashMap<String, String>,
                },
            )*
        }

        impl ErrorParts {
            fn into_family(self, family: ErrorFamily) -> LedgerError {
                let Self {
                    code,
                    detail,
                    message_en,
                    message_zh,
                    fields,
                } = self;
                match family {
                    $(ErrorFamily::$family => LedgerError::$family {
                        code,
                        detail,
                        message_en,
                        message_zh,
                        fields,
                    },)*
                }
            }
        }

        impl LedgerError {
            /// The family, the code and the message, whatever the variant.
            fn parts(&self) -> (ErrorFamily, &str, &str) {
                match self {
                    $(Self::$family { code, detail, .. } => (ErrorFamily::$family, code, detail),)*
                }
            }
        }
    };
}

ledger_error! {
    /// Every refusal of the ledger, one variant per error family of the core. `code` is the core's
    /// stable machine code (`E_OVERLAP` …), `detail` the core's message (English and Chinese),
    /// `message_en` and `message_zh` its two halves, `fields` its values by name (the record …).
    ///
    /// Kotlin sees a sealed `LedgerException` with one subclass per family; Swift an error enum.
    pub enum LedgerError {
        /// A value the caller passed is malformed (an identity number, a period, an id, a field).
        Input,
        /// A service record breaks a rule of the policy.
        Validation,
        /// The actor may not make this change.
        Authorization,
        /// Something named does not exist.
        NotFound,
        /// Something with this id exists already, with other content.
        Conflict,
        /// The change does not fit the current state.
        State,
        /// The log or the ledger's state is damaged.
        Integrity(code = "The core's stable code (or `E_LEDGER_POISONED`, see [`POISONED_CODE`])."),
        /// A policy is malformed.
        Policy,
        /// A ledger file could not be opened, read or written; nothing was changed.
        Storage,
    }
}

impl From<vl::LedgerError> for LedgerError {
    fn from(e: vl::LedgerError) -> Self {
        let (message_en, message_zh) = e.messages();
        let parts = ErrorParts {
            code: e.code().to_owned(),
            detail: e.to_string(),
            message_en,
            message_zh,
            fields: e.fields().into_iter().collect(),
        };
        parts.into_family(e.family())
    }
}

/// What every variant of [`LedgerError`] holds.
struct ErrorParts {
    code: String,
    detail: String,
    message_en: String,
    message_zh: String,
    fields: HashMap<String, String>,
}

#[uniffi::export]
impl LedgerError {
    /// The core's stable code, whatever the family (each variant also holds it as `code`).
    pub fn code(&self) -> String {
        self.parts().1.to_owned()
    }

    /// The family of the refusal, as the variant says it.
    pub fn family(&self) -> ErrorFamily {
        self.parts().0
    }
}

type Result<T, E = LedgerError> = std::result::Result<T, E>;

/// Parses an id or a period with the core's own parser, so a refusal carries the core's code.
fn parse<T: std::str::FromStr<Err = vl::LedgerError>>(text: &str) -> Result<T> {
    text.parse().map_err(LedgerError::from)
}

/// A count or a sequence number as the `i64` Kotlin and Swift take (they have no unsigned
/// 64-bit type): exact below `i64::MAX`, which no ledger reaches.
fn signed<T>(n: T) -> i64
where
    i64: TryFrom<T>,
{
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// A list of the core's fixed names (profiles, codes) as owned strings.
fn owned(names: &[&str]) -> Vec<String> {
    names.iter().map(|n| (*n).to_owned()).collect()
}

/// The newest entry of a ledger's log: its sequence number and hash (64 lower-case hex).
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct LogHead {
    /// The entry's sequence number (0 is the entry that created the ledger).
    pub seq: i64,
    /// The entry's SHA-256 hash, hex.
    pub hash: String,
}

/// What became of one record of a bulk [`Ledger::add_records`] call.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum RecordOutcome {
    /// The record was added (or had been, with the same content: `receipt.duplicate`).
    Added {
        /// What adding it did.
        receipt: RecordReceipt,
    },
    /// The record was refused; the others were still tried.
    Refused {
        /// The refusal, as the single-record call would have raised it.
        error: LedgerError,
    },
}

/// An (id, minutes) pair to rank with [`rank_pairs`].
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RankPair {
    /// The id (volunteer, team, org …).
    pub id: String,
    /// Its minutes (a negative number is refused with `E_FIELD`).
    pub minutes: i64,
}

/// A ranked line from [`rank_pairs`].
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct RankedPair {
    /// Standard competition rank (1, 2, 2, 4).
    pub rank: i32,
    /// The id.
    pub id: String,
    /// Its minutes.
    pub minutes: i64,
}

/// A ledger this one trusts to issue transfer packages: its id and Ed25519 public key (64 hex
/// digits). The core keeps these as (id, key) pairs, which cannot cross the boundary as such.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TrustedIssuer {
    /// The trusted ledger's id.
    pub ledger_id: String,
    /// Its public key, hex.
    pub public_key: String,
}

/// Parses an optional id: `None` stays `None`, a malformed one is refused with `E_FIELD`.
fn parse_opt<T: std::str::FromStr<Err = vl::LedgerError>>(
    text: Option<String>,
) -> Result<Option<T>> {
    text.as_deref().map(parse).transpose()
}

/// Trusted issuers as the core's (ledger id, public key) pairs; a malformed id is `E_FIELD`.
fn trusted_pairs(trusted: Vec<TrustedIssuer>) -> Result<Vec<(LedgerId, String)>> {
    trusted
        .into_iter()
        .map(|t| Ok((parse(&t.ledger_id)?, t.public_key)))
        .collect()
}

/// What a [`KeyProvider`] callback may throw. Whatever it throws (this or anything else), the
/// ledger treats the key as unavailable: the call that needed it is refused with
/// `E_KEY_UNAVAILABLE`, nothing panics.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, uniffi::Error)]
pub enum KeyProviderError {
    /// The key cannot be had now (locked keystore, no network to the KMS …).
    #[error("key unavailable: {detail}")]
    Unavailable {
        /// Why, for the platform's own logs (the ledger does not show it).
        detail: String,
    },
}

impl From<uniffi::UnexpectedUniFFICallbackError> for KeyProviderError {
    fn from(e: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Unavailable { detail: e.reason }
    }
}

/// Where the ledger's identity keys come from, implemented by the platform (Android Keystore,
/// iOS Keychain, a KMS): the core's `KeyProvider` trait as a UniFFI callback interface.
///
/// `current` names the key that wraps new data keys (`null`/`nil` when none is available
/// now); `key` returns the 32 bytes of any key id ever current (`null` for an unknown id), so
/// that data keys wrapped before a rotation stay readable. A key that is not 32 bytes long, a
/// `null`, or a throwing callback all make the ledger refuse what needed the key with
/// `E_KEY_UNAVAILABLE`.
#[uniffi::export(callback_interface)]
pub trait KeyProvider: Send + Sync {
    /// The id of the current key, or none.
    fn current(&self) -> std::result::Result<Option<String>, KeyProviderError>;
    /// The 32 bytes of the key with this id, or none.
    fn key(&self, id: String) -> std::result::Result<Option<Vec<u8>>, KeyProviderError>;
}

/// The foreign provider as the core's `KeyProvider`: a throw, a panic on the way back, or a
/// key of the wrong length becomes `None` (which the core refuses with `E_KEY_UNAVAILABLE`).
struct ForeignKeys(Box<dyn KeyProvider>);

impl std::fmt::Debug for ForeignKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ForeignKeys")
    }
}

impl vl::KeyProvider for ForeignKeys {
    fn current(&self) -> Option<String> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.0.current()))
            .ok()
            .and_then(std::result::Result::ok)
            .flatten()
    }

    fn key(&self, id: &str) -> Option<[u8; vl::vault::KEY_LEN]> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.0.key(id.to_owned())))
            .ok()
            .and_then(std::result::Result::ok)
            .flatten()
            .and_then(|bytes| bytes.try_into().ok())
    }
}

fn provider_keys(provider: Box<dyn KeyProvider>) -> IdentityKeys {
    IdentityKeys::Provider(Arc::new(ForeignKeys(provider)))
}

/// A ledger of volunteer service records: the core's `Ledger`, shared safely between threads.
/// Every change names the actor making it; the core authorises it.
#[derive(Debug, uniffi::Object)]
pub struct Ledger {
    inner: Mutex<vl::Ledger>,
}

impl Ledger {
    fn wrap(ledger: vl::Ledger) -> Arc<Self> {
        Arc::new(Self {
            inner: Mutex::new(ledger),
        })
    }

    /// The core ledger, or `E_LEDGER_POISONED` if an earlier call panicked while holding it.
    fn lock(&self) -> Result<MutexGuard<'_, vl::Ledger>> {
        self.inner.lock().map_err(|_| {
            let (en, zh) = (
                "an earlier call failed inside the ledger; its state is no longer trusted",
                "账本先前的操作异常中止，状态不再可信",
            );
            ErrorParts {
                code: POISONED_CODE.to_owned(),
                detail: format!("{en} / {zh}"),
                message_en: en.to_owned(),
                message_zh: zh.to_owned(),
                fields: HashMap::new(),
            }
            .into_family(ErrorFamily::Integrity)
        })
    }
}

#[uniffi::export]
impl Ledger {
    /// A new ledger held in memory; its first entry records `config`.
    #[uniffi::constructor]
    pub fn in_memory(config: LedgerConfig) -> Result<Arc<Self>> {
        Ok(Self::wrap(vl::Ledger::in_memory(config)?))
    }

    /// Creates a ledger file at `path` (one SQLite file, see docs/schema.md). Refuses a path
    /// where a file exists (`E_STORAGE`).
    #[uniffi::constructor]
    pub fn create(path: String, config: LedgerConfig) -> Result<Arc<Self>> {
        Ok(Self::wrap(vl::Ledger::create(path, config)?))
    }

    /// Opens a ledger file; a file from a newer version is refused (`E_SCHEMA_VERSION`) and
    /// left untouched.
    #[uniffi::constructor]
    pub fn open(path: String) -> Result<Arc<Self>> {
        Ok(Self::wrap(vl::Ledger::open(path)?))
    }

    /// A new ledger in memory for a device (a phone): registrations keep the identity
    /// number's kind and mask only, never the number; the server finds duplicates.
    #[uniffi::constructor]
    pub fn in_memory_device(config: LedgerConfig) -> Result<Arc<Self>> {
        let mut ledger = vl::Ledger::in_memory(config)?;
        ledger.set_identity_keys(IdentityKeys::MaskOnly);
        Ok(Self::wrap(ledger))
    }

    /// Creates a device's ledger file (a phone's): it keeps masks only, never an identity
    /// number, writes no key file, and remembers the mode, so `open` reopens it the same.
    #[uniffi::constructor]
    pub fn create_device(path: String, config: LedgerConfig) -> Result<Arc<Self>> {
        Ok(Self::wrap(vl::Ledger::create_with_keys(
            path,
            config,
            IdentityKeys::MaskOnly,
        )?))
    }

    /// Creates a ledger file whose identity keys come from the platform's `provider`; no key
    /// file is written beside it.
    #[uniffi::constructor]
    pub fn create_with_keys(
        path: String,
        config: LedgerConfig,
        provider: Box<dyn KeyProvider>,
    ) -> Result<Arc<Self>> {
        Ok(Self::wrap(vl::Ledger::create_with_keys(
            path,
            config,
            provider_keys(provider),
        )?))
    }

    /// Opens a ledger file with identity keys from the platform's `provider` (any key file
    /// beside it is not read).
    #[uniffi::constructor]
    pub fn open_with_keys(path: String, provider: Box<dyn KeyProvider>) -> Result<Arc<Self>> {
        Ok(Self::wrap(vl::Ledger::open_with_keys(
            path,
            provider_keys(provider),
        )?))
    }

    /// From now on, identity keys come from the platform's `provider`. Nothing is written.
    pub fn set_key_provider(&self, provider: Box<dyn KeyProvider>) -> Result<()> {
        self.lock()?.set_identity_keys(provider_keys(provider));
        Ok(())
    }

    /// From now on, this ledger keeps masks only (a device): new registrations hold no number.
    /// Nothing is written.
    pub fn set_mask_only(&self) -> Result<()> {
        self.lock()?.set_identity_keys(IdentityKeys::MaskOnly);
        Ok(())
    }

    /// Whether the ledger can open identity numbers now (it holds a key provider).
    pub fn has_identity_key(&self) -> Result<bool> {
        Ok(self.lock()?.has_identity_key())
    }

    /// Rotates the ledger key this library keeps (the key file beside a ledger file, or the
    /// key of a ledger in memory) and returns the new key's id; data keys wrapped before stay
    /// readable. `E_KEY_UNAVAILABLE` when the keys come from the platform (rotate them there).
    pub fn rotate_key(&self) -> Result<String> {
        Ok(self.lock()?.rotate_key()?)
    }

    /// Erases a volunteer's identity number (PIPL Art. 47): logs `identity_erased` and
    /// destroys the data key. The log still verifies; a full certificate is then refused
    /// with `E_IDENTITY_ERASED`, and `VolunteerView.identityErased` says so.
    pub fn erase_identity(&self, actor: String, volunteer: String) -> Result<Receipt> {
        let (actor, volunteer) = (parse(&actor)?, parse(&volunteer)?);
        Ok(self.lock()?.erase_identity(&actor, &volunteer)?)
    }

    /// What opening the file noticed and worked around (e.g. `W_SNAPSHOT_IGNORED`).
    pub fn open_warnings(&self) -> Result<Vec<Warning>> {
        Ok(self.lock()?.open_warnings().to_vec())
    }

    /// Writes a snapshot of the state into the ledger file so the next open is fast.
    pub fn checkpoint(&self) -> Result<()> {
        Ok(self.lock()?.checkpoint()?)
    }

    /// Sets where the ledger's "now" comes from (the system clock, or a fixed instant).
    pub fn set_clock(&self, clock: Clock) -> Result<()> {
        self.lock()?.set_clock(clock);
        Ok(())
    }

    /// The ledger's configuration.
    pub fn config(&self) -> Result<LedgerConfig> {
        Ok(self.lock()?.config().clone())
    }

    /// Registers an org (a root org needs a platform admin, others an admin of the parent).
    pub fn register_org(&self, actor: String, org: NewOrg) -> Result<Receipt> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.register_org(&actor, org)?)
    }

    /// Grants a role to an actor.
    pub fn grant_role(&self, actor: String, grantee: String, role: Role) -> Result<Receipt> {
        let (actor, grantee) = (parse(&actor)?, parse(&grantee)?);
        Ok(self.lock()?.grant_role(&actor, &grantee, role)?)
    }

    /// Registers a volunteer, validating the identity number.
    pub fn register_volunteer(&self, actor: String, volunteer: NewVolunteer) -> Result<Receipt> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.register_volunteer(&actor, volunteer)?)
    }

    /// Creates a team of registered volunteers under an org.
    pub fn create_team(&self, actor: String, team: NewTeam) -> Result<Receipt> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.create_team(&actor, team)?)
    }

    /// Adds a service record; sending the same record again records it once.
    pub fn add_record(&self, actor: String, record: NewRecord) -> Result<RecordReceipt> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.add_record(&actor, record)?)
    }

    /// Adds many records in one call, each on its own; outcomes are in input order.
    pub fn add_records(
        &self,
        actor: String,
        records: Vec<NewRecord>,
    ) -> Result<Vec<RecordOutcome>> {
        let actor = parse(&actor)?;
        let results = self.lock()?.add_records(&actor, records);
        Ok(results
            .into_iter()
            .map(|r| match r {
                Ok(receipt) => RecordOutcome::Added { receipt },
                Err(e) => RecordOutcome::Refused { error: e.into() },
            })
            .collect())
    }

    /// Confirms a pending record.
    pub fn confirm_record(&self, actor: String, record: String) -> Result<Receipt> {
        let (actor, record) = (parse(&actor)?, parse(&record)?);
        Ok(self.lock()?.confirm_record(&actor, &record)?)
    }

    /// Revokes a record with a reason; it stays in the ledger and stops counting.
    pub fn revoke_record(&self, actor: String, record: String, reason: String) -> Result<Receipt> {
        let (actor, record) = (parse(&actor)?, parse(&record)?);
        Ok(self.lock()?.revoke_record(&actor, &record, &reason)?)
    }

    /// Disputes a record (申诉).
    pub fn dispute_record(&self, actor: String, record: String, reason: String) -> Result<Receipt> {
        let (actor, record) = (parse(&actor)?, parse(&record)?);
        Ok(self.lock()?.dispute_record(&actor, &record, &reason)?)
    }

    /// Resolves a dispute: the record returns to its state before it.
    pub fn resolve_dispute(&self, actor: String, record: String, note: String) -> Result<Receipt> {
        let (actor, record) = (parse(&actor)?, parse(&record)?);
        Ok(self.lock()?.resolve_dispute(&actor, &record, &note)?)
    }

    /// Replaces a counted record by a corrected one; the old one stays, linked.
    pub fn amend_record(
        &self,
        actor: String,
        record: String,
        replacement: NewRecord,
        reason: String,
    ) -> Result<RecordReceipt> {
        let (actor, record) = (parse(&actor)?, parse(&record)?);
        Ok(self
            .lock()?
            .amend_record(&actor, &record, replacement, &reason)?)
    }

    /// Chooses how a volunteer appears on public boards.
    pub fn set_visibility(
        &self,
        actor: String,
        volunteer: String,
        visibility: BoardVisibility,
    ) -> Result<Receipt> {
        let (actor, volunteer) = (parse(&actor)?, parse(&volunteer)?);
        Ok(self
            .lock()?
            .set_visibility(&actor, &volunteer, visibility)?)
    }

    /// A record by id.
    pub fn record(&self, id: String) -> Result<ServiceRecord> {
        let id = parse(&id)?;
        Ok(self.lock()?.record(&id)?)
    }

    /// A volunteer's records, in the order they were added.
    pub fn records_of(&self, volunteer: String) -> Result<Vec<ServiceRecord>> {
        let volunteer = parse(&volunteer)?;
        Ok(self.lock()?.records_of(&volunteer)?)
    }

    /// How many records the ledger holds, in every state.
    pub fn record_count(&self) -> Result<i64> {
        Ok(signed(self.lock()?.record_count()))
    }

    /// A volunteer, personal data masked.
    pub fn volunteer(&self, id: String) -> Result<VolunteerView> {
        let id = parse(&id)?;
        Ok(self.lock()?.volunteer(&id)?)
    }

    /// An org.
    pub fn org(&self, id: String) -> Result<NewOrg> {
        let id = parse(&id)?;
        Ok(self.lock()?.org(&id)?)
    }

    /// A team.
    pub fn team(&self, id: String) -> Result<NewTeam> {
        let id = parse(&id)?;
        Ok(self.lock()?.team(&id)?)
    }

    /// A volunteer's star summary under the ledger's policy.
    pub fn star_summary(&self, volunteer: String) -> Result<StarSummary> {
        let volunteer = parse(&volunteer)?;
        Ok(self.lock()?.star_summary(&volunteer)?)
    }

    /// The top `limit` lines of a leaderboard (period `2015-W23`, `2015-06`, `2015` or `all`);
    /// a negative limit is refused (`E_FIELD`).
    pub fn leaderboard(
        &self,
        period: String,
        scope: Scope,
        kind: BoardKind,
        limit: i32,
    ) -> Result<Leaderboard> {
        let period: Period = parse(&period)?;
        let limit = vl::error::non_negative("limit", limit.into())?;
        Ok(self.lock()?.leaderboard(period, &scope, kind, limit)?)
    }

    /// A leaderboard as it stood just after log entry `seq`.
    pub fn leaderboard_as_of(
        &self,
        seq: i64,
        period: String,
        scope: Scope,
        kind: BoardKind,
        limit: i32,
    ) -> Result<Leaderboard> {
        let period: Period = parse(&period)?;
        let limit = vl::error::non_negative("limit", limit.into())?;
        Ok(self
            .lock()?
            .leaderboard_as_of(seq, period, &scope, kind, limit)?)
    }

    /// A volunteer's place on the board of a period and scope, and the change since the
    /// previous period.
    pub fn standing(&self, volunteer: String, period: String, scope: Scope) -> Result<Standing> {
        let (volunteer, period) = (parse(&volunteer)?, parse::<Period>(&period)?);
        Ok(self.lock()?.standing(&volunteer, period, &scope)?)
    }

    /// Gives the ledger its Ed25519 signing key from a 32-byte seed (kept out of the log). The
    /// first time, a platform admin registers its public half in the log; the same key again
    /// writes nothing (`duplicate`).
    pub fn set_signing_key(&self, actor: String, seed: Vec<u8>) -> Result<Receipt> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.set_signing_key(&actor, &seed)?)
    }

    /// The ledger's current public key (64 hex digits), if it has one.
    pub fn public_key(&self) -> Result<Option<String>> {
        Ok(self.lock()?.public_key())
    }

    /// The ledger as an issuer (id, name, public key), to hand to ledgers that will trust it;
    /// `E_NO_SIGNING_KEY` before it has a key.
    pub fn issuer(&self) -> Result<Issuer> {
        Ok(self.lock()?.issuer()?)
    }

    /// Trusts another ledger to issue transfer packages (a platform admin keeps the list).
    pub fn trust_issuer(&self, actor: String, issuer: Issuer) -> Result<Receipt> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.trust_issuer(&actor, issuer)?)
    }

    /// The ledgers this one trusts to issue transfer packages.
    pub fn trusted_issuers(&self) -> Result<Vec<TrustedIssuer>> {
        Ok(self
            .lock()?
            .trusted_issuers()
            .into_iter()
            .map(|(id, public_key)| TrustedIssuer {
                ledger_id: id.to_string(),
                public_key,
            })
            .collect())
    }

    /// Moves a volunteer to a new home community and/or work unit; their history stays with
    /// them and past records keep the org where they were served.
    pub fn move_volunteer(
        &self,
        actor: String,
        volunteer: String,
        home_org: Option<String>,
        work_unit: Option<String>,
    ) -> Result<Receipt> {
        let (actor, volunteer) = (parse(&actor)?, parse(&volunteer)?);
        let (home_org, work_unit) = (parse_opt(home_org)?, parse_opt(work_unit)?);
        Ok(self
            .lock()?
            .move_volunteer(&actor, &volunteer, home_org, work_unit)?)
    }

    /// Issues the signed transfer package of a volunteer leaving for another ledger (named by
    /// `destination`, if given) and marks them transferred out. Returns the package's text.
    pub fn export_transfer(
        &self,
        actor: String,
        volunteer: String,
        destination: Option<String>,
    ) -> Result<String> {
        let (actor, volunteer) = (parse(&actor)?, parse(&volunteer)?);
        let destination = parse_opt(destination)?;
        Ok(self
            .lock()?
            .export_transfer(&actor, &volunteer, destination)?)
    }

    /// The package a volunteer's history makes now, unsigned (a preview; nothing is written).
    pub fn transfer_package(
        &self,
        volunteer: String,
        destination: Option<String>,
    ) -> Result<TransferPackage> {
        let volunteer = parse(&volunteer)?;
        let destination = parse_opt(destination)?;
        Ok(self.lock()?.transfer_package(&volunteer, destination)?)
    }

    /// Imports a transfer package's text from a trusted issuer and continues the volunteer's
    /// count; importing the same package again changes nothing (`duplicate`).
    pub fn import_transfer(&self, actor: String, text: String) -> Result<TransferReceipt> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.import_transfer(&actor, &text)?)
    }

    /// Issues a signed service certificate (志愿服务证明) for a volunteer and a date range.
    pub fn issue_certificate(
        &self,
        actor: String,
        request: CertificateRequest,
    ) -> Result<Certificate> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.issue_certificate(&actor, request)?)
    }

    /// Checks a certificate by its verification code against this ledger: masked answer,
    /// `SUPERSEDED` if a certified record was later amended or revoked.
    pub fn verify_certificate(&self, code: String) -> Result<CertificateCheck> {
        Ok(self.lock()?.verify_certificate(&code)?)
    }

    /// On a device: sets the sync server it trusts (its ledger id and public key, hex); only
    /// receipts signed by it are applied. Kept beside the log in a ledger file.
    pub fn trust_sync_server(&self, ledger_id: String, public_key: String) -> Result<()> {
        let ledger_id = parse(&ledger_id)?;
        Ok(self.lock()?.trust_sync_server(ledger_id, &public_key)?)
    }

    /// On a device: the sync server it trusts, if one was set.
    pub fn sync_server(&self) -> Result<Option<SyncServer>> {
        Ok(self.lock()?.sync_server().cloned())
    }

    /// On a device: the largest signed head of the sync server's that an applied receipt
    /// carried (none before one): the server's log held every record it acknowledged by then.
    /// Keep or publish it; the server's [`Ledger::verify_against`] shows whether its log still
    /// begins with those entries.
    pub fn sync_server_head(&self) -> Result<Option<SignedHead>> {
        Ok(self.lock()?.sync_server_head().cloned())
    }

    /// On a device: the records `actor` added here that the server has neither acknowledged
    /// nor refused, at most `limit` (1 to 1000), as a sync batch. Writes no log entry;
    /// remembers the batch to check the server's receipt against.
    pub fn sync_batch(&self, actor: String, limit: i32) -> Result<SyncBatch> {
        let actor = parse(&actor)?;
        let limit = vl::error::non_negative("limit", limit.into())?;
        Ok(self.lock()?.sync_batch(&actor, limit)?)
    }

    /// On the server: imports a device's batch as `sender` (the actor the platform
    /// authenticated, who must be the batch's actor: `E_SYNC_ACTOR`). Each record goes through
    /// the same validation and authorisation as any record; each is recorded once, all in one
    /// transaction; then the ledger signs its head (a ledger file keeps it, as
    /// [`Ledger::signed_head`] does). The receipt carries that head and, for every record the
    /// server holds, the proof that its entry is in it, and is signed with this ledger's key
    /// (`E_NO_SIGNING_KEY` without one).
    pub fn import_sync_batch(&self, sender: String, batch: SyncBatch) -> Result<SyncReceipt> {
        let sender = parse(&sender)?;
        Ok(self.lock()?.import_sync_batch(&sender, &batch)?)
    }

    /// As [`Ledger::import_sync_batch`], from the batch's JSON (`E_SYNC_FORMAT`,
    /// `E_SYNC_VERSION` for a batch that does not read; nothing is written then).
    pub fn import_sync_json(&self, sender: String, batch: String) -> Result<SyncReceipt> {
        let sender = parse(&sender)?;
        Ok(self.lock()?.import_sync_json(&sender, &batch)?)
    }

    /// On a device: applies the server's receipt (`sync-receipt@3`), only if signed by the
    /// trusted sync server, with a head the server signed and proofs that lead to it, and
    /// answering a batch this device is waiting on (`E_SYNC_UNSIGNED`, `E_SYNC_NO_SERVER`,
    /// `E_SYNC_UNTRUSTED_SERVER`, `E_BAD_SIGNATURE`, `E_CHECKPOINT_FORMAT`,
    /// `E_CHECKPOINT_MISMATCH`, `E_SYNC_RECEIPT_BATCH`, `E_SYNC_RECEIPT_RECORDS`). Acknowledged
    /// records are not sent again; refused ones neither (see [`Ledger::sync_status`] and
    /// [`Ledger::retry_sync`]). Keeps the largest head ([`Ledger::sync_server_head`]).
    pub fn apply_sync_receipt(&self, receipt: SyncReceipt) -> Result<SyncApplied> {
        Ok(self.lock()?.apply_sync_receipt(&receipt)?)
    }

    /// On a device: records still to send (of `actor`, or of everyone), acknowledged, refused.
    pub fn sync_status(&self, actor: Option<String>) -> Result<SyncStatus> {
        let actor: Option<vl::ActorId> = parse_opt(actor)?;
        Ok(self.lock()?.sync_status(actor.as_ref()))
    }

    /// On a device: sends a refused record again with the next batch (after its cause was
    /// fixed on the server). Returns whether it had been refused.
    pub fn retry_sync(&self, record: String) -> Result<bool> {
        let record = parse(&record)?;
        Ok(self.lock()?.retry_sync(&record)?)
    }

    // ---- teams, projects, activities, training, commendations ------------------------

    /// Admits a volunteer to a team from a date (the team's leader, liaisons, or an admin of
    /// its org or above).
    pub fn join_team(&self, actor: String, membership: Membership) -> Result<()> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.join_team(&actor, membership)?)
    }

    /// Records a volunteer leaving a team; the date is their last day in it. The leader and
    /// liaisons cannot leave (`E_OFFICER_LEAVES`).
    pub fn leave_team(&self, actor: String, membership: Membership) -> Result<()> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.leave_team(&actor, membership)?)
    }

    /// A team's members over time, one line per stretch of membership.
    pub fn team_members(&self, team: String) -> Result<Vec<MemberPeriod>> {
        let team = parse(&team)?;
        Ok(self.lock()?.team_members(&team)?)
    }

    /// Publishes a service project (服务项目) of an org, for a team to claim.
    pub fn publish_project(&self, actor: String, project: NewProject) -> Result<()> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.publish_project(&actor, project)?)
    }

    /// A team claims a project (认领项目), once and for good.
    pub fn claim_project(&self, actor: String, claim: ProjectClaim) -> Result<()> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.claim_project(&actor, claim)?)
    }

    /// A project and the team that claimed it.
    pub fn project(&self, id: String) -> Result<ProjectView> {
        let id = parse(&id)?;
        Ok(self.lock()?.project(&id)?)
    }

    /// Creates an activity (活动) with its planned start and end.
    pub fn create_activity(&self, actor: String, activity: NewActivity) -> Result<()> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.create_activity(&actor, activity)?)
    }

    /// Records an evaluation (1–5) of an activity, as its org collected it.
    pub fn evaluate_activity(&self, actor: String, evaluation: Evaluation) -> Result<()> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.evaluate_activity(&actor, evaluation)?)
    }

    /// Records a complaint about an activity (and a volunteer, if it names one).
    pub fn record_complaint(&self, actor: String, complaint: Complaint) -> Result<()> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.record_complaint(&actor, complaint)?)
    }

    /// An activity: its team as resolved, its records, evaluations and complaints.
    pub fn activity(&self, id: String) -> Result<ActivityView> {
        let id = parse(&id)?;
        Ok(self.lock()?.activity(&id)?)
    }

    /// Records training (培训) a volunteer attended; it adds no service hours.
    pub fn record_training(&self, actor: String, training: Training) -> Result<()> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.record_training(&actor, training)?)
    }

    /// Records a commendation (表彰奖励) a volunteer received.
    pub fn record_commendation(&self, actor: String, commendation: Commendation) -> Result<()> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.record_commendation(&actor, commendation)?)
    }

    /// The whole of a volunteer's record: basic information, stars, training, commendations,
    /// evaluations and complaints, teams, where they reported in.
    pub fn volunteer_summary(&self, volunteer: String) -> Result<VolunteerSummary> {
        let volunteer = parse(&volunteer)?;
        Ok(self.lock()?.volunteer_summary(&volunteer)?)
    }

    // ---- team ratings, excellent volunteers, reporting in, anomaly flags ----------------

    /// What a team did in a year: the facts its rating is computed from.
    pub fn team_facts(&self, team: String, year: i32) -> Result<TeamFacts> {
        let team = parse(&team)?;
        Ok(self.lock()?.team_facts(&team, year)?)
    }

    /// A team's rating (服务队星级评定) for a year by the policy's scoring table.
    pub fn team_rating(&self, team: String, year: i32) -> Result<TeamRating> {
        let team = parse(&team)?;
        Ok(self.lock()?.team_rating(&team, year)?)
    }

    /// A team's rating for a year by another table (`E_POLICY` if the table is malformed).
    pub fn team_rating_by(
        &self,
        team: String,
        year: i32,
        table: TeamScoring,
    ) -> Result<TeamRating> {
        let team = parse(&team)?;
        Ok(self.lock()?.team_rating_by(&team, year, &table)?)
    }

    /// The ratings of every team in a scope for a year, by the policy's table.
    pub fn team_ratings(&self, year: i32, scope: Scope) -> Result<Vec<TeamRating>> {
        Ok(self.lock()?.team_ratings(year, &scope)?)
    }

    /// The excellent-volunteer candidates (优秀志愿者候选人) of a year in a scope, with why.
    pub fn excellent_candidates(&self, year: i32, scope: Scope) -> Result<Vec<ExcellentCandidate>> {
        Ok(self.lock()?.excellent_candidates(year, &scope)?)
    }

    /// Records a volunteer reporting in (报到) at a community from their work unit.
    pub fn report_in(&self, actor: String, report: ReportIn) -> Result<()> {
        let actor = parse(&actor)?;
        Ok(self.lock()?.report_in(&actor, report)?)
    }

    /// A work unit's report of its staff's service in a period (`2015`, `2015-06` …).
    pub fn unit_report(&self, unit: String, period: String) -> Result<UnitReport> {
        let (unit, period) = (parse(&unit)?, parse::<Period>(&period)?);
        Ok(self.lock()?.unit_report(&unit, period)?)
    }

    /// A community's volunteers: living there, or reported in there.
    pub fn community_volunteers(&self, community: String) -> Result<Vec<CommunityVolunteer>> {
        let community = parse(&community)?;
        Ok(self.lock()?.community_volunteers(&community)?)
    }

    /// Anomaly flags of a period, for a person to look at: they refuse and change nothing.
    pub fn anomalies(&self, period: String) -> Result<Vec<Anomaly>> {
        let period: Period = parse(&period)?;
        Ok(self.lock()?.anomalies(period)?)
    }

    // ---- uploads and exports --------------------------------------------------------------

    /// Uploads a sheet's bytes (CSV or xlsx): each row is added on its own and each refused
    /// row reported with its code and column. A dry run writes nothing and says what an upload
    /// would do. Refuses only a sheet that cannot be read, or a failed write (`E_STORAGE`,
    /// nothing of the sheet written).
    pub fn upload(
        &self,
        actor: String,
        bytes: Vec<u8>,
        options: ImportOptions,
        dry_run: bool,
    ) -> Result<ImportReport> {
        let actor = parse(&actor)?;
        let mut ledger = self.lock()?;
        Ok(vl::upload(
            &mut ledger,
            &actor,
            &bytes,
            &options,
            dry_run,
            &mut |_, _| {},
        )?)
    }

    /// Records served by a volunteer or at an org's subtree in a period, as a file's bytes
    /// (xlsx or CSV), names masked, identity numbers never written.
    pub fn records_file(
        &self,
        scope: RecordScope,
        period: String,
        format: ExportFormat,
        language: Language,
    ) -> Result<Vec<u8>> {
        let period: Period = parse(&period)?;
        let ledger = self.lock()?;
        Ok(vl::records_file(&ledger, scope, period, format, language)?)
    }

    // ---- the ledger file ------------------------------------------------------------------

    /// Writes this ledger (in memory or a file) to a new ledger file at `path` and returns the
    /// ledger of that file; `E_STORAGE` where a file exists.
    pub fn save_as(&self, path: String) -> Result<Arc<Self>> {
        let saved = self.lock()?.save_as(path)?;
        Ok(Self::wrap(saved))
    }

    /// The path of a file ledger (`None` in memory).
    pub fn path(&self) -> Result<Option<String>> {
        Ok(self.lock()?.path().map(str::to_owned))
    }

    /// How many log entries opening the file replayed after its newest snapshot (0 in memory).
    pub fn replayed_at_open(&self) -> Result<i64> {
        Ok(signed(self.lock()?.replayed_at_open()))
    }

    /// Rebuilds the file's SQL projections (tables for SQL tools) from the state; the log is
    /// untouched. Does nothing in memory.
    pub fn rebuild_projections(&self) -> Result<()> {
        Ok(self.lock()?.rebuild_projections()?)
    }

    /// The sequence number and hash of the newest log entry.
    pub fn head(&self) -> Result<LogHead> {
        let (seq, hash) = self.lock()?.head();
        Ok(LogHead {
            seq: signed(seq),
            hash: hash.to_hex(),
        })
    }

    /// Checks the whole hash chain (`E_CHAIN_BROKEN` names the first entry at fault).
    pub fn verify(&self) -> Result<VerifyReport> {
        Ok(self.lock()?.verify()?)
    }

    /// Signs the log's head (entry count, Merkle root, last hash, time) with the ledger's key
    /// (`E_NO_SIGNING_KEY` without one); a ledger file keeps the latest. Hand it to whoever
    /// should be able to tell later whether the history was rewritten.
    pub fn signed_head(&self) -> Result<SignedHead> {
        Ok(self.lock()?.signed_head()?)
    }

    /// `verify` plus every head's root and last entry at its size (and the head the file
    /// kept): a history removed or rewritten before a head is `E_CHECKPOINT_MISMATCH`.
    pub fn verify_against(&self, heads: Vec<SignedHead>) -> Result<VerifyReport> {
        Ok(self.lock()?.verify_against(&heads)?)
    }

    /// The latest signed head a ledger file kept (`None` in memory or before any).
    pub fn kept_signed_head(&self) -> Result<Option<SignedHead>> {
        Ok(self.lock()?.kept_signed_head()?)
    }

    /// Inclusion proofs of log entries `seqs` in the tree of the first `size` entries.
    pub fn inclusion_proofs(&self, size: i64, seqs: Vec<i64>) -> Result<Vec<InclusionProof>> {
        let size = vl::error::non_negative("size", size)?;
        let seqs = seqs
            .into_iter()
            .map(|s| vl::error::non_negative("seq", s))
            .collect::<Result<Vec<u64>, _>>()?;
        Ok(self.lock()?.inclusion_proofs(size, &seqs)?)
    }

    /// The consistency proof (hex) that the first `from` entries are a prefix of the first
    /// `to`, as `signedHeadCheckExtendedBy` takes it.
    pub fn consistency_proof(&self, from: i64, to: i64) -> Result<Vec<String>> {
        let from = vl::error::non_negative("from", from)?;
        let to = vl::error::non_negative("to", to)?;
        Ok(self.lock()?.consistency_proof(from, to)?)
    }
}

/// A ledger configuration with the defaults: UTC+08:00 and the `mca` policy.
#[uniffi::export]
pub fn default_ledger_config(
    ledger_id: String,
    name: String,
    platform_admin: String,
) -> Result<LedgerConfig> {
    Ok(LedgerConfig::new(
        parse(&ledger_id)?,
        name,
        parse(&platform_admin)?,
    ))
}

/// A built-in policy profile by name (`mca`, `beijing`); `E_POLICY` for an unknown name.
#[uniffi::export]
pub fn policy_profile(name: String) -> Result<Policy> {
    Ok(Policy::profile(&name)?)
}

/// The names of the built-in policy profiles.
#[uniffi::export]
pub fn policy_profile_names() -> Vec<String> {
    owned(Policy::PROFILES)
}

/// Every error code the core can return.
#[uniffi::export]
pub fn error_codes() -> Vec<String> {
    owned(vl::LedgerError::ALL_CODES)
}

/// Validates an identity number of a kind and returns it normalised (trimmed, upper case).
#[uniffi::export]
pub fn validate_identity(kind: IdentityKind, number: String) -> Result<String> {
    Ok(vl::validate_identity(kind, &number)?)
}

/// Masks an identity number: first 6 and last 4 characters kept (short numbers: first and last).
#[uniffi::export]
pub fn mask_identity(number: String) -> String {
    vl::mask_identity(&number)
}

/// Masks a name: its first character followed by `*`.
#[uniffi::export]
pub fn mask_name(name: String) -> String {
    vl::mask_name(&name)
}

/// Parses a period (`2015-W23`, `2015-06`, `2015`, `all`) and describes it.
#[uniffi::export]
pub fn period_info(text: String) -> Result<PeriodInfo> {
    Ok(vl::period_info(&text)?)
}

/// Parses a board scope written `all`, `org:<id>` or `team:<id>`.
#[uniffi::export]
pub fn parse_scope(text: String) -> Result<Scope> {
    Ok(Scope::parse(&text)?)
}

/// The week, month and year an instant falls in, at a UTC offset in minutes east.
#[uniffi::export]
pub fn periods_of(instant: Timestamp, offset_minutes: i32) -> Result<Vec<Period>> {
    Ok(vl::periods_of(instant, offset_minutes)?)
}

/// The star summary of a bare total of minutes under a star profile (no dates); negative
/// minutes are refused (`E_FIELD`).
#[uniffi::export]
pub fn stars_for_minutes(profile: StarProfile, minutes: i64) -> Result<StarSummary> {
    let minutes = vl::error::non_negative("minutes", minutes)?;
    Ok(vl::stars_for_minutes(&profile, minutes))
}

/// A built-in team scoring table by name (`district`, `pvsa_group`); `E_POLICY` otherwise.
#[uniffi::export]
pub fn team_scoring_profile(name: String) -> Result<TeamScoring> {
    Ok(TeamScoring::profile(&name)?)
}

/// The names of the built-in team scoring tables.
#[uniffi::export]
pub fn team_scoring_profile_names() -> Vec<String> {
    owned(TeamScoring::PROFILES)
}

/// Rates a team's facts by a table: score, stars, level name and the breakdown in English and
/// Chinese. `E_POLICY` for a malformed table, `E_FIELD` for a negative fact (the core's pure
/// `rate_team` assumes both valid).
#[uniffi::export]
pub fn rate_team(table: TeamScoring, facts: TeamFacts) -> Result<TeamScore> {
    Ok(vl::rate_team_checked(&table, &facts)?)
}

/// How to read an uploaded sheet, by default: format and encoding detected, UTC+08:00, no
/// default org, the first worksheet.
#[uniffi::export]
pub fn default_import_options() -> ImportOptions {
    ImportOptions::default()
}

/// A leaderboard as a file's bytes (xlsx or CSV): rank, id, name, hours and minutes.
#[uniffi::export]
pub fn leaderboard_file(
    board: Leaderboard,
    format: ExportFormat,
    language: Language,
) -> Result<Vec<u8>> {
    Ok(vl::leaderboard_file(&board, format, language)?)
}

/// Ranks (id, minutes) pairs: most minutes first, ties by id, standard competition ranks;
/// zero minutes are not ranked; negative minutes are refused (`E_FIELD`).
#[uniffi::export]
pub fn rank_pairs(pairs: Vec<RankPair>) -> Result<Vec<RankedPair>> {
    let pairs = pairs
        .into_iter()
        .map(|p| Ok((p.id, vl::error::non_negative("minutes", p.minutes)?)))
        .collect::<Result<_>>()?;
    Ok(vl::rank_pairs(pairs)
        .into_iter()
        .map(|(rank, id, minutes)| RankedPair {
            rank: i32::try_from(rank).unwrap_or(i32::MAX),
            id,
            minutes: signed(minutes),
        })
        .collect())
}

/// Opens a transfer package's text without importing it: refuses an altered or non-canonical
/// one (`E_TRANSFER_FORMAT`), a future format (`E_TRANSFER_VERSION`), an issuer not in
/// `trusted` (`E_UNTRUSTED_ISSUER`) and a bad signature (`E_BAD_SIGNATURE`).
#[uniffi::export]
pub fn open_package(text: String, trusted: Vec<TrustedIssuer>) -> Result<TransferPackage> {
    let trusted = trusted_pairs(trusted)?;
    Ok(vl::open_package(&text, &trusted)?)
}

/// The hash of a package's text (64 hex): how a ledger recognises a package imported before.
#[uniffi::export]
pub fn package_hash(text: String) -> String {
    vl::package_hash(&text)
}

/// Checks a certificate offline against the public key (hex) of an issuer the checker trusts:
/// `E_UNTRUSTED_ISSUER` if the key is not the certificate's, `E_BAD_SIGNATURE` if anything on
/// it was altered.
#[uniffi::export]
pub fn verify_certificate_offline(certificate: Certificate, public_key: String) -> Result<()> {
    Ok(vl::verify_certificate_offline(&certificate, &public_key)?)
}

/// A certificate as plain text.
#[uniffi::export]
pub fn certificate_text(certificate: Certificate) -> String {
    vl::render::certificate_text(&certificate)
}

/// A certificate as a printable HTML page, with a QR code (SVG) of `verify_url` if given.
#[uniffi::export]
pub fn certificate_html(certificate: Certificate, verify_url: Option<String>) -> String {
    vl::render::certificate_html(&certificate, verify_url.as_deref())
}

/// A certificate as its JSON (keys sorted, no whitespace): the form a holder keeps, and the one
/// the shared vectors use.
#[uniffi::export]
pub fn certificate_to_json(certificate: Certificate) -> String {
    certificate.to_json()
}

/// A certificate from its JSON; `E_CERTIFICATE_FORMAT` if the text is not a certificate (the
/// message gives the position, never the content). Whether it is genuine is for
/// [`verify_certificate_offline`] to say.
#[uniffi::export]
pub fn certificate_from_json(text: String) -> Result<Certificate> {
    Ok(Certificate::from_json(&text)?)
}

/// A sync batch as the JSON that travels (`docs/sync-format.md`).
#[uniffi::export]
pub fn sync_batch_to_json(batch: SyncBatch) -> String {
    batch.to_json()
}

/// A sync batch from its JSON: `E_SYNC_FORMAT` (where, never the content) or `E_SYNC_VERSION`.
#[uniffi::export]
pub fn sync_batch_from_json(text: String) -> Result<SyncBatch> {
    Ok(SyncBatch::from_json(&text)?)
}

/// A sync receipt as the JSON that travels back.
#[uniffi::export]
pub fn sync_receipt_to_json(receipt: SyncReceipt) -> String {
    receipt.to_json()
}

/// A sync receipt from its JSON (`volunteer-ledger/sync-receipt@3`): `E_SYNC_FORMAT` or
/// `E_SYNC_VERSION` (an `@2` receipt).
#[uniffi::export]
pub fn sync_receipt_from_json(text: String) -> Result<SyncReceipt> {
    Ok(SyncReceipt::from_json(&text)?)
}

/// A signed head as its JSON (keys sorted): the form to keep or publish.
#[uniffi::export]
pub fn signed_head_to_json(head: SignedHead) -> String {
    head.to_json()
}

/// A signed head from its JSON; `E_CHECKPOINT_FORMAT` if the text is not one.
#[uniffi::export]
pub fn signed_head_from_json(text: String) -> Result<SignedHead> {
    Ok(SignedHead::from_json(&text)?)
}

/// Exactly the bytes a head's signature covers (`docs/checkpoints.md`).
#[uniffi::export]
pub fn signed_head_signed_bytes(head: SignedHead) -> Vec<u8> {
    head.signed_bytes()
}

/// Checks a head against the public key (hex) of the ledger the checker trusts:
/// `E_CHECKPOINT_FORMAT`, `E_UNTRUSTED_ISSUER`, `E_BAD_SIGNATURE`.
#[uniffi::export]
pub fn signed_head_check(head: SignedHead, public_key: String) -> Result<()> {
    Ok(head.check(&public_key)?)
}

/// Checks that the entry hashed `entry_hash` stands at `proof.index` among the head's
/// entries: `E_CHECKPOINT_FORMAT`, `E_CHECKPOINT_MISMATCH`.
#[uniffi::export]
pub fn signed_head_check_inclusion(
    head: SignedHead,
    entry_hash: String,
    proof: InclusionProof,
) -> Result<()> {
    Ok(head.check_inclusion(&entry_hash, &proof)?)
}

/// Checks that `later` extends `head` by the consistency `proof` (hex):
/// `E_CHECKPOINT_MISMATCH` if the log was rewritten in between.
#[uniffi::export]
pub fn signed_head_check_extended_by(
    head: SignedHead,
    later: SignedHead,
    proof: Vec<String>,
) -> Result<()> {
    Ok(head.check_extended_by(&later, &proof)?)
}

/// Hashes given as hex, each 64 digits, or `E_CHECKPOINT_FORMAT`.
fn hashes(hex: &[String]) -> Result<Vec<Hash>> {
    hex.iter()
        .map(|h| {
            Hash::from_hex(h).ok_or_else(|| {
                vl::LedgerError::CheckpointFormat {
                    detail: "a hash is not 64 hex digits".into(),
                }
                .into()
            })
        })
        .collect()
}

fn one_hash(hex: &str) -> Result<Hash> {
    Ok(hashes(&[hex.to_owned()])?.remove(0))
}

/// The Merkle root (RFC 9162) of a list of entry hashes (hex), as signed heads hold it.
#[uniffi::export]
pub fn merkle_root(entry_hashes: Vec<String>) -> Result<String> {
    Ok(vl::merkle::root_of(&hashes(&entry_hashes)?).to_hex())
}

/// Whether `path` shows entry `entry_hash` at `index` in the tree of `size` entries with
/// `root` (RFC 9162 §2.1.3.2).
#[uniffi::export]
pub fn merkle_verify_inclusion(
    index: i64,
    size: i64,
    entry_hash: String,
    path: Vec<String>,
    root: String,
) -> Result<bool> {
    let index = vl::error::non_negative("index", index)?;
    let size = vl::error::non_negative("size", size)?;
    Ok(vl::merkle::verify_inclusion(
        index,
        size,
        &one_hash(&entry_hash)?,
        &hashes(&path)?,
        &one_hash(&root)?,
    ))
}

/// Whether `proof` shows the tree of `n` entries with `root_n` extends the tree of `m`
/// with `root_m` (RFC 9162 §2.1.4.2).
#[uniffi::export]
pub fn merkle_verify_consistency(
    m: i64,
    n: i64,
    root_m: String,
    root_n: String,
    proof: Vec<String>,
) -> Result<bool> {
    let m = vl::error::non_negative("m", m)?;
    let n = vl::error::non_negative("n", n)?;
    Ok(vl::merkle::verify_consistency(
        m,
        n,
        &one_hash(&root_m)?,
        &one_hash(&root_n)?,
        &hashes(&proof)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ledger() -> Arc<Ledger> {
        let cfg = default_ledger_config("L".into(), "某区".into(), "admin".into()).unwrap();
        Ledger::in_memory(cfg).unwrap()
    }

    #[test]
    fn core_errors_keep_their_code_and_family() {
        let e = period_info("2015-13".into()).unwrap_err();
        assert!(
            matches!(e, LedgerError::Input { ref code, .. } if code == "E_PERIOD"),
            "{e:?}"
        );
        let e = policy_profile("nowhere".into()).unwrap_err();
        assert!(
            matches!(e, LedgerError::Policy { ref code, .. } if code == "E_POLICY"),
            "{e:?}"
        );
    }

    #[test]
    fn malformed_ids_and_periods_are_input_errors() {
        let l = ledger();
        let e = l.record(String::new()).unwrap_err();
        assert!(
            matches!(e, LedgerError::Input { ref code, .. } if code == "E_FIELD"),
            "{e:?}"
        );
        let e = l
            .leaderboard("2015-W54".into(), Scope::All, BoardKind::Volunteers, 10)
            .unwrap_err();
        assert!(
            matches!(e, LedgerError::Input { ref code, .. } if code == "E_PERIOD"),
            "{e:?}"
        );
        let e = l.star_summary("V404".into()).unwrap_err();
        assert!(
            matches!(e, LedgerError::NotFound { ref code, .. } if code == "E_UNKNOWN_VOLUNTEER")
        );
    }

    #[test]
    fn a_poisoned_ledger_refuses_instead_of_panicking() {
        let l = ledger();
        let l2 = Arc::clone(&l);
        let _ = std::thread::spawn(move || {
            let _guard = l2.inner.lock();
            panic!("poison the lock");
        })
        .join();
        let e = l.head().unwrap_err();
        assert!(matches!(e, LedgerError::Integrity { ref code, .. } if code == POISONED_CODE));
    }

    #[test]
    fn transfer_and_certificate_refusals_keep_their_code() {
        let e = certificate_from_json("{\"name\":\"张三\"".into()).unwrap_err();
        assert!(
            matches!(e, LedgerError::Integrity { ref code, ref detail, .. } if code == "E_CERTIFICATE_FORMAT" && !detail.contains("张三")),
            "{e:?}"
        );
        let bad = TrustedIssuer {
            ledger_id: String::new(),
            public_key: "00".into(),
        };
        let e = open_package("{}".into(), vec![bad]).unwrap_err();
        assert!(
            matches!(e, LedgerError::Input { ref code, .. } if code == "E_FIELD"),
            "{e:?}"
        );
        let e = open_package("not json".into(), vec![]).unwrap_err();
        assert!(
            matches!(e, LedgerError::Integrity { ref code, .. } if code == "E_TRANSFER_FORMAT"),
            "{e:?}"
        );
        let l = ledger();
        assert_eq!(l.public_key().unwrap(), None);
        let e = l.issuer().unwrap_err();
        assert!(
            matches!(e, LedgerError::State { ref code, .. } if code == "E_NO_SIGNING_KEY"),
            "{e:?}"
        );
        let e = l.set_signing_key("admin".into(), vec![1; 31]).unwrap_err();
        assert!(
            matches!(e, LedgerError::Input { ref code, .. } if code == "E_FIELD"),
            "{e:?}"
        );
        l.set_signing_key("admin".into(), vec![1; 32]).unwrap();
        let issuer = l.issuer().unwrap();
        l.trust_issuer("admin".into(), issuer.clone()).unwrap();
        assert_eq!(
            l.trusted_issuers().unwrap(),
            vec![TrustedIssuer {
                ledger_id: "L".into(),
                public_key: issuer.public_key
            }]
        );
    }

    #[test]
    fn bulk_add_reports_each_record() {
        let l = ledger();
        let admin = "admin".to_owned();
        l.set_clock(Clock::Fixed(
            Timestamp::from_local(480, 2015, 6, 20, 12, 0).unwrap(),
        ))
        .unwrap();
        register(&l).unwrap();
        let t = |h| Timestamp::from_local(480, 2015, 6, 2, h, 0).unwrap();
        let rec = |id: &str, m| {
            NewRecord::new(
                id.parse().unwrap(),
                "V1".parse().unwrap(),
                "D".parse().unwrap(),
                t(9),
                t(12),
                m,
                "",
            )
        };
        let out = l
            .add_records(admin, vec![rec("R1", 180), rec("R2", 0)])
            .unwrap();
        assert!(matches!(out[0], RecordOutcome::Added { .. }));
        assert!(matches!(
            &out[1],
            RecordOutcome::Refused { error: LedgerError::Validation { code, .. } } if code == "E_ZERO_MINUTES"
        ));
        assert_eq!(l.head().unwrap().seq, 3);
    }

    /// A provider answering as told: a key of `len` bytes, or a throw.
    struct Lender {
        len: usize,
        throws: bool,
    }

    impl KeyProvider for Lender {
        fn current(&self) -> std::result::Result<Option<String>, KeyProviderError> {
            Ok(Some("k1".into()))
        }
        fn key(&self, _id: String) -> std::result::Result<Option<Vec<u8>>, KeyProviderError> {
            if self.throws {
                return Err(KeyProviderError::Unavailable {
                    detail: "keystore locked".into(),
                });
            }
            Ok(Some(vec![7; self.len]))
        }
    }

    /// Registers org D and volunteer V1 as `admin`: what the volunteer's registration returned.
    fn register(l: &Ledger) -> Result<Receipt> {
        let org = NewOrg {
            id: "D".parse().unwrap(),
            name: "某区".into(),
            kind: vl::OrgKind::District,
            parent: None,
        };
        l.register_org("admin".into(), org).unwrap();
        l.register_volunteer(
            "admin".into(),
            NewVolunteer {
                id: "V1".parse().unwrap(),
                name: "张三".into(),
                identity_kind: IdentityKind::ResidentId,
                identity_number: "11010519491231002X".into(),
                home_org: None,
            },
        )
    }

    #[test]
    fn a_wrong_length_or_throwing_provider_is_key_unavailable() {
        for (len, throws) in [(31, false), (33, false), (0, false), (32, true)] {
            let l = ledger();
            l.set_key_provider(Box::new(Lender { len, throws }))
                .unwrap();
            let e = register(&l).unwrap_err();
            assert!(
                matches!(e, LedgerError::State { ref code, .. } if code == "E_KEY_UNAVAILABLE"),
                "{len} {throws}: {e:?}"
            );
            // The ledger is not poisoned: it still answers.
            l.head().unwrap();
        }
        let l = ledger();
        l.set_key_provider(Box::new(Lender {
            len: 32,
            throws: false,
        }))
        .unwrap();
        register(&l).unwrap();
        assert!(l.has_identity_key().unwrap());
    }

    #[test]
    fn a_device_ledger_registers_without_a_key() {
        let cfg = default_ledger_config("L".into(), "某区".into(), "admin".into()).unwrap();
        let l = Ledger::in_memory_device(cfg).unwrap();
        assert!(!l.has_identity_key().unwrap());
        register(&l).unwrap();
        assert_eq!(
            l.volunteer("V1".into()).unwrap().masked_identity,
            "110105********002X"
        );
    }
}
