//! A ledger's life: made in memory, created or opened as a file (with its identity keys),
//! saved elsewhere, checkpointed and closed (also as a `with` block); its clock, its UTC
//! offset, its policy and its identity keys.

use super::{PyLedger, ledger_config};
use crate::conversions::{Int, opt_timestamp};
use crate::errors::{bad_field, check};
use crate::keys::identity_keys;
use crate::progress::PyProgress;
use chrono::{DateTime, FixedOffset};
use pyo3::prelude::*;
use pyo3::types::PyString;
use std::sync::Mutex;
use volunteer_ledger as vl;

#[pymethods]
impl PyLedger {
    /// A new ledger held in memory. Its first entry records the configuration and makes
    /// `platform_admin` a platform admin. `policy` names a built-in profile ('mca', 'beijing');
    /// `policy_toml`, a policy's text (as `policy_profile(name)` writes it), replaces it.
    #[staticmethod]
    #[pyo3(
        signature = (ledger_id, name, platform_admin, *, utc_offset_minutes = Int(vl::DEFAULT_UTC_OFFSET_MINUTES.into()), policy = String::from(vl::Policy::DEFAULT_PROFILE), policy_toml = None),
        text_signature = "(ledger_id, name, platform_admin, *, utc_offset_minutes=480, policy='mca', policy_toml=None)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn in_memory(
        py: Python<'_>,
        ledger_id: String,
        name: String,
        platform_admin: String,
        utc_offset_minutes: Int,
        policy: String,
        policy_toml: Option<String>,
    ) -> PyResult<Self> {
        let ledger = py.detach(move || {
            let config = ledger_config(
                ledger_id,
                name,
                platform_admin,
                utc_offset_minutes,
                &policy,
                policy_toml.as_deref(),
            )?;
            vl::Ledger::in_memory(config)
        });
        Self::wrap(py, ledger)
    }

    /// Creates a ledger file (one SQLite file; see docs/schema.md) whose first entry records
    /// the configuration. Raises StorageError (E_STORAGE) if a file exists at `path`.
    ///
    /// Identity numbers are sealed under the ledger key (docs/identity.md). By default a new
    /// key is written to a key file beside the database, `<path>.key` (mode 0600), which
    /// `open` reads; keep it apart from the database's backups. Instead, give at most one of:
    /// `key`, the ledger key's 32 bytes from the platform (a keystore, a KMS), named `key_id`;
    /// `key_provider`, a callable taking a key id and returning that key's 32 bytes (or None
    /// for an unknown id), `key_id` naming the current key (a provider that raises or returns
    /// anything but 32 bytes makes the operation refuse with E_KEY_UNAVAILABLE; it must not
    /// call this ledger); `mask_only=True`, a device's ledger that keeps masks only and can
    /// never open a number. With `key` or `key_provider` no key file is written: pass the
    /// same to `open`.
    #[staticmethod]
    #[pyo3(
        signature = (path, ledger_id, name, platform_admin, *, utc_offset_minutes = Int(vl::DEFAULT_UTC_OFFSET_MINUTES.into()), policy = String::from(vl::Policy::DEFAULT_PROFILE), policy_toml = None, key = None, key_provider = None, key_id = String::from("k1"), mask_only = false),
        text_signature = "(path, ledger_id, name, platform_admin, *, utc_offset_minutes=480, policy='mca', policy_toml=None, key=None, key_provider=None, key_id='k1', mask_only=False)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn create(
        py: Python<'_>,
        path: std::path::PathBuf,
        ledger_id: String,
        name: String,
        platform_admin: String,
        utc_offset_minutes: Int,
        policy: String,
        policy_toml: Option<String>,
        key: Option<Vec<u8>>,
        key_provider: Option<Py<PyAny>>,
        key_id: String,
        mask_only: bool,
    ) -> PyResult<Self> {
        let ledger = py.detach(move || {
            let config = ledger_config(
                ledger_id,
                name,
                platform_admin,
                utc_offset_minutes,
                &policy,
                policy_toml.as_deref(),
            )?;
            match identity_keys(key, key_provider, key_id, mask_only)? {
                Some(keys) => vl::Ledger::create_with_keys(path, config, keys),
                None => vl::Ledger::create(path, config),
            }
        });
        Self::wrap(py, ledger)
    }

    /// Opens a ledger file. Raises StorageError (E_STORAGE) when there is none,
    /// IntegrityError E_SCHEMA_VERSION for a file from a newer version (left untouched) and
    /// E_NOT_A_LEDGER for any other file.
    ///
    /// Its identity keys: by default the key file beside it (`<path>.key`), if any; or `key`
    /// (32 bytes, id `key_id`) or `key_provider` (as for `create`), and then the key file is
    /// not read. A ledger opened without its key verifies and answers every masked query;
    /// a full certificate or a registration raises StateError E_KEY_UNAVAILABLE
    /// (`has_identity_key` says which).
    #[staticmethod]
    ///
    /// `progress(done, total)` is told the entries replayed through the rules: none after a
    /// clean close, those since the last snapshot after a crash.
    #[pyo3(
        signature = (
            path, *, key = None, key_provider = None, key_id = String::from("k1"), progress = None
        ),
        text_signature = "(path, *, key=None, key_provider=None, key_id='k1', progress=None)"
    )]
    fn open(
        py: Python<'_>,
        path: std::path::PathBuf,
        key: Option<Vec<u8>>,
        key_provider: Option<Py<PyAny>>,
        key_id: String,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Self> {
        let progress = PyProgress::new(progress);
        let ledger = py.detach(|| {
            let keys = identity_keys(key, key_provider, key_id, false)?;
            progress.with(|p| vl::Ledger::open_with_progress(path, keys, p))
        });
        let ledger = Self::wrap(py, ledger);
        progress.finish(ledger)
    }

    /// Writes the whole log into a new ledger file at `path` and returns that file's ledger
    /// (this one is unchanged). Raises StorageError (E_STORAGE) if a file exists there.
    /// `progress(done, total)` is told the entries written.
    #[pyo3(signature = (path, *, progress = None))]
    fn save_as(
        &self,
        py: Python<'_>,
        path: std::path::PathBuf,
        progress: Option<Py<PyAny>>,
    ) -> PyResult<Self> {
        let progress = PyProgress::new(progress);
        let ledger = self.run(py, |l| progress.with(|p| l.save_as_with_progress(path, p)));
        let ledger = progress.finish(ledger)?;
        Ok(Self {
            inner: Mutex::new(Some(ledger)),
            off: self.off,
        })
    }

    /// The ledger file's path, or None for a ledger in memory.
    #[getter]
    fn path(&self, py: Python<'_>) -> PyResult<Option<String>> {
        self.run(py, |l| Ok(l.path().map(str::to_owned)))
    }

    /// What opening this ledger file noticed and worked around (such as W_SNAPSHOT_IGNORED:
    /// a snapshot the log did not continue, set aside and the whole log replayed). Empty for
    /// a ledger in memory and for a clean open.
    fn open_warnings(&self, py: Python<'_>) -> PyResult<Vec<vl::Warning>> {
        self.run(py, |l| Ok(l.open_warnings().to_vec()))
    }

    /// How many entries `open` replayed after the file's newest snapshot (0 in memory).
    #[getter]
    fn replayed_at_open(&self, py: Python<'_>) -> PyResult<u64> {
        self.run(py, |l| Ok(l.replayed_at_open()))
    }

    /// Writes a snapshot of the state into the ledger file so the next open is fast (done by
    /// itself when the ledger is dropped and every 200,000 entries).
    fn checkpoint(&self, py: Python<'_>) -> PyResult<()> {
        self.run(py, vl::Ledger::checkpoint)
    }

    /// Rewrites the file's projection tables (orgs, volunteers, teams, records) from the log.
    fn rebuild_projections(&self, py: Python<'_>) -> PyResult<()> {
        self.run(py, vl::Ledger::rebuild_projections)
    }

    /// Whether the ledger was closed; a closed ledger raises ValueError on every call.
    #[getter]
    fn closed(&self, py: Python<'_>) -> bool {
        py.detach(|| self.inner.lock().map_or(true, |g| g.is_none()))
    }

    /// Writes a checkpoint (file ledgers) and closes the ledger, releasing its file. Every
    /// later call raises ValueError; closing again does nothing. Every change was written when
    /// it was made, so the checkpoint only makes the next open fast; if it fails the ledger is
    /// closed all the same and StorageError is raised.
    fn close(&self, py: Python<'_>) -> PyResult<()> {
        let taken = py.detach(|| match self.inner.lock() {
            Ok(mut guard) => guard.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        });
        match taken {
            Some(mut ledger) => check(py, py.detach(move || ledger.checkpoint())),
            None => Ok(()),
        }
    }

    fn __enter__(slf: Py<Self>) -> Py<Self> {
        slf
    }

    /// The end of a `with` block: `close()`, whether or not the block raised. An exception
    /// of the block is never swallowed.
    #[pyo3(signature = (_exc_type = None, _exc = None, _tb = None))]
    fn __exit__(
        &self,
        py: Python<'_>,
        _exc_type: Option<&Bound<'_, PyAny>>,
        _exc: Option<&Bound<'_, PyAny>>,
        _tb: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<bool> {
        self.close(py)?;
        Ok(false)
    }

    /// The ledger's UTC offset in minutes east of UTC.
    #[getter]
    fn utc_offset_minutes(&self) -> i32 {
        self.off.local_minus_utc() / 60
    }

    /// Sets where "now" comes from: None for the system clock, a datetime for a fixed clock
    /// (tests, and historical uploads recorded as of their day). A naive datetime is read in the
    /// ledger's offset.
    #[pyo3(signature = (now))]
    fn set_clock(&self, py: Python<'_>, now: Option<&Bound<'_, PyAny>>) -> PyResult<()> {
        let clock = match opt_timestamp(now, self.off, "now")? {
            Some(t) => vl::Clock::Fixed(t),
            None => vl::Clock::System,
        };
        self.run(py, move |l| {
            l.set_clock(clock);
            Ok(())
        })
    }

    /// The ledger's current "now", in its offset.
    fn now(&self, py: Python<'_>) -> PyResult<DateTime<FixedOffset>> {
        let t = self.run(py, |l| Ok(l.now()))?;
        Ok(t.to_datetime(self.off))
    }

    /// The ledger's policy as text, `format` 'toml' (default) or 'json' (what `policy_toml`
    /// takes back).
    #[pyo3(signature = (format = String::from("toml")))]
    fn policy(&self, py: Python<'_>, format: String) -> PyResult<String> {
        self.run(py, move |l| match format.as_str() {
            "toml" => l.policy().to_toml(),
            "json" => l.policy().to_json(),
            other => Err(bad_field(
                "policy",
                "format",
                format!("'{other}' is not toml or json"),
            )),
        })
    }

    /// Whether the ledger can open identity numbers now (it holds a ledger key or a key
    /// provider; False for a mask-only ledger and for a file opened without its key).
    #[getter]
    fn has_identity_key(&self, py: Python<'_>) -> PyResult<bool> {
        self.run(py, |l| Ok(l.has_identity_key()))
    }

    /// Rotates the ledger key this library keeps (the key file beside a ledger file, or the
    /// key of a ledger in memory): a new random key becomes current; numbers sealed before
    /// stay readable. Returns the new key's id. Raises StateError E_KEY_UNAVAILABLE for keys
    /// given by `key` or `key_provider` (rotate them where they live).
    fn rotate_key(&self, py: Python<'_>) -> PyResult<String> {
        self.run(py, vl::Ledger::rotate_key)
    }

    /// Erases a volunteer's identity number (PIPL Art. 47): logs an `identity_erased` entry
    /// and destroys their data key, so that the number can never be opened again while the
    /// log still verifies; the mask stays. Cannot be undone. A full certificate then raises
    /// StateError E_IDENTITY_ERASED, as does erasing again.
    fn erase_identity(
        &self,
        py: Python<'_>,
        actor: String,
        volunteer: String,
    ) -> PyResult<vl::Receipt> {
        let actor = Self::actor(py, &actor)?;
        let volunteer = check(py, volunteer.parse())?;
        self.run(py, |l| l.erase_identity(&actor, &volunteer))
    }

    /// The number of entries in the log.
    fn __len__(&self, py: Python<'_>) -> PyResult<usize> {
        self.run(py, |l| Ok(l.entry_count() as usize))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let (id, entries, policy) = self.run(py, |l| {
            let c = l.config();
            Ok((
                c.ledger_id.to_string(),
                l.entry_count() as usize,
                c.policy.name.clone(),
            ))
        })?;
        Ok(format!(
            "Ledger(ledger_id={}, entries={entries}, utc_offset_minutes={}, policy={})",
            PyString::new(py, &id).repr()?,
            self.off.local_minus_utc() / 60,
            PyString::new(py, &policy).repr()?,
        ))
    }
}
