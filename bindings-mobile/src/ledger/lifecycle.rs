//! A ledger's life: made in memory or as a file, for a server or for a device (masks only),
//! its identity keys kept by this library or lent by the platform, rotated, or a volunteer's
//! erased; saved elsewhere, checkpointed, its projections rebuilt; what opening it noticed,
//! its clock and its configuration.

use std::sync::Arc;

use vl::{Clock, IdentityKeys, LedgerConfig, Receipt, Warning};
use volunteer_ledger as vl;

use super::Ledger;
use crate::conversions::{parse, signed};
use crate::errors::Result;
use crate::keys::{KeyProvider, provider_keys};
use crate::progress::{ProgressListener, with_progress};

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

    /// `open`, telling `progress` the entries replayed through the rules: none after a clean
    /// close, those since the last snapshot after a crash.
    #[uniffi::constructor]
    pub fn open_with_progress(
        path: String,
        progress: Box<dyn ProgressListener>,
    ) -> Result<Arc<Self>> {
        let opened = with_progress(Some(progress), |p| {
            vl::Ledger::open_with_progress(path, None, p)
        });
        Ok(Self::wrap(opened?))
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

    /// Writes this ledger (in memory or a file) to a new ledger file at `path` and returns the
    /// ledger of that file; `E_STORAGE` where a file exists.
    pub fn save_as(&self, path: String) -> Result<Arc<Self>> {
        let saved = self.lock()?.save_as(path)?;
        Ok(Self::wrap(saved))
    }

    /// `save_as`, telling `progress` the entries written (`0` of the total, every 1000, the
    /// end).
    pub fn save_as_with_progress(
        &self,
        path: String,
        progress: Box<dyn ProgressListener>,
    ) -> Result<Arc<Self>> {
        let ledger = self.lock()?;
        let saved = with_progress(Some(progress), |p| ledger.save_as_with_progress(path, p))?;
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
}
