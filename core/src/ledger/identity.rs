//! Registering, opening and erasing identity numbers, and where a ledger's keys come from
//! (`docs/identity.md`).

use super::{Clock, Ledger, Log, Receipt};
use crate::error::{LedgerError, Result};
use crate::ids::{ActorId, Identity, VolunteerId};
use crate::log::Change;
use crate::org::{LedgerConfig, NewVolunteer};
use crate::store::Store;
use crate::vault::{
    DocKey, HeldIdentity, IdentityKeys, Keyring, Registration, SealedRegistration, Vault,
    WrappedKey,
};
use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The meta row naming the ledger key the tag key is derived from.
pub(super) const TAG_KEY_META: &str = "identity_tag_key";
/// The meta row of a ledger file made for a device (`mask_only`).
const MODE_META: &str = "identity_keys";

/// A data key to keep or destroy with the entry being committed.
pub(super) enum KeyWrite {
    /// Nothing.
    None,
    /// A registration's wrapped data key (and the tag key's id, when it chose it); `replace`:
    /// a correction's, destroying the key it replaces as an erase does.
    Put {
        volunteer: String,
        wrapped: WrappedKey,
        tag_key_id: Option<String>,
        replace: bool,
    },
    /// An erase: the volunteer's data key is destroyed.
    Destroy { volunteer: String },
}

impl KeyWrite {
    /// Writes it into a file's key table, in the open transaction.
    pub(super) fn write(&self, store: &mut Store) -> Result<()> {
        match self {
            Self::None => Ok(()),
            Self::Put {
                volunteer,
                wrapped,
                tag_key_id,
                replace,
            } => {
                if let Some(id) = tag_key_id {
                    store.put_meta(TAG_KEY_META, id)?;
                }
                if *replace {
                    store.delete_data_key(volunteer)?;
                }
                store.put_data_key(volunteer, wrapped)
            }
            Self::Destroy { volunteer } => store.delete_data_key(volunteer),
        }
    }

    /// Keeps it in memory once the entry is made (the wrapped key only for a ledger without
    /// a file: a file ledger reads its key table).
    pub(super) fn keep(self, vault: &mut Vault, in_file: bool) {
        match self {
            Self::None => {}
            Self::Put {
                volunteer,
                wrapped,
                tag_key_id,
                ..
            } => {
                if tag_key_id.is_some() {
                    vault.tag_key_id = tag_key_id;
                }
                if !in_file {
                    vault.wrapped.insert(volunteer, wrapped);
                }
            }
            Self::Destroy { volunteer } => {
                vault.wrapped.remove(&volunteer);
            }
        }
    }
}

/// The default key file of a ledger file: `<path>.key` beside it (`docs/identity.md`). Copy it
/// with the ledger file, and remove it with it.
pub fn key_file_of(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".key");
    PathBuf::from(p)
}

fn key_file_error(path: &Path, what: &str, zh: &str, e: impl std::fmt::Display) -> LedgerError {
    crate::store::storage(&path.display().to_string(), what, zh, e)
}

/// Writes a key file readable by its owner only (0600 on Unix). `fresh`: refuse one that exists.
fn write_key_file(path: &Path, ring: &Keyring, fresh: bool) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    if fresh {
        options.create_new(true);
    } else {
        options.create(true).truncate(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let write = || -> std::io::Result<()> {
        let mut f = options.open(path)?;
        f.write_all(ring.to_file_text().as_bytes())?;
        f.sync_all()
    };
    write().map_err(|e| key_file_error(path, "write the key file", "写入密钥文件", e))
}

fn read_key_file(path: &Path) -> Result<Option<Keyring>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Keyring::from_file_text(&text).map(Some).ok_or_else(|| {
            key_file_error(
                path,
                "read the key file",
                "读取密钥文件",
                "it is not a volunteer-ledger key file",
            )
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(key_file_error(path, "read the key file", "读取密钥文件", e)),
    }
}

impl Ledger {
    /// Makes a new ledger in memory hold a fresh ledger key of its own, in memory only.
    pub(super) fn with_memory_key(mut self) -> Result<Self> {
        let ring = Keyring::generate("memory")?;
        self.vault.keys = Some(IdentityKeys::Provider(Arc::new(ring.clone())));
        self.own_keys = Some((ring, None));
        Ok(self)
    }

    /// Creates the key file of a new ledger file, before the database (refusing one that
    /// exists), and holds its key.
    pub(super) fn new_key_file(path: &Path) -> Result<(Keyring, PathBuf)> {
        let file = key_file_of(path);
        let ring = Keyring::generate("k1")?;
        write_key_file(&file, &ring, true)?;
        Ok((ring, file))
    }

    /// Holds the keys of an opened file: its key file if there is one; else a device's mask
    /// only mode if the file was made so; else none (masked output only).
    pub(super) fn take_file_keys(&mut self, path: &Path) -> Result<()> {
        let file = key_file_of(path);
        if let Some(ring) = read_key_file(&file)? {
            self.vault.keys = Some(IdentityKeys::Provider(Arc::new(ring.clone())));
            self.own_keys = Some((ring, Some(file)));
        } else if self.file_mode()?.as_deref() == Some("mask_only") {
            self.vault.keys = Some(IdentityKeys::MaskOnly);
        }
        Ok(())
    }

    fn file_mode(&self) -> Result<Option<String>> {
        match &self.log {
            Log::File(store) => store.meta(MODE_META),
            _ => Ok(None),
        }
    }

    /// Creates a ledger file whose identity keys come from the platform (no key file is
    /// written), or a device's ledger file that keeps masks only ([`IdentityKeys::MaskOnly`],
    /// remembered by the file).
    pub fn create_with_keys(
        path: impl AsRef<Path>,
        config: LedgerConfig,
        keys: IdentityKeys,
    ) -> Result<Self> {
        let path = path.as_ref();
        let mut l = Self::create_file(path, config, Clock::System, false)?;
        if matches!(keys, IdentityKeys::MaskOnly)
            && let Log::File(store) = &mut l.log
            && let Err(e) = store.put_meta(MODE_META, "mask_only")
        {
            l.log = Log::Detached;
            drop(l);
            crate::store::remove_files(path);
            return Err(e);
        }
        l.vault.keys = Some(keys);
        Ok(l)
    }

    /// Opens a ledger file with identity keys from the platform (a key file beside it is not
    /// read).
    pub fn open_with_keys(path: impl AsRef<Path>, keys: IdentityKeys) -> Result<Self> {
        Self::open_with_progress(path, Some(keys), crate::Progress::none())
    }

    /// Sets where identity keys come from from now on (a platform's provider, a rotated
    /// keyring, or a device's mask-only mode). Nothing is written.
    pub fn set_identity_keys(&mut self, keys: IdentityKeys) {
        self.vault.keys = Some(keys);
        self.own_keys = None;
    }

    /// Derives the nonces and data keys of registrations from `seed` and the volunteer number
    /// instead of drawing them from the system: for tests and fixed vectors that must reproduce a log byte for byte, like
    /// [`Clock::Fixed`]. Never in production: whoever knows the seed can open every number.
    pub fn set_fixed_entropy(&mut self, seed: [u8; 32]) {
        self.vault.fixed = Some(seed);
    }

    /// Whether the ledger can open identity numbers now (it holds a key provider).
    pub fn has_identity_key(&self) -> bool {
        matches!(self.vault.keys, Some(IdentityKeys::Provider(_)))
    }

    /// Rotates the ledger key this library keeps (a key file beside a ledger file, or the
    /// key of a ledger in memory): a new random key becomes current; data keys wrapped before
    /// stay readable through their own key id. Returns the new key's id. Refuses a ledger
    /// whose keys come from the platform (rotate them there) with `E_KEY_UNAVAILABLE`.
    pub fn rotate_key(&mut self) -> Result<String> {
        let Some((ring, file)) = &self.own_keys else {
            return Err(LedgerError::KeyUnavailable {
                what: "a key this library keeps (rotate the platform's keys there)".into(),
            });
        };
        let mut ring = ring.clone();
        let id = format!("k{}", ring.ids().len() + 1);
        ring.add(&id, &crate::vault::random::<{ crate::vault::KEY_LEN }>()?)?;
        if let Some(file) = file {
            // Written beside, then renamed over: a crash leaves the old file or the new one.
            let tmp = PathBuf::from(format!("{}.new", file.display()));
            write_key_file(&tmp, &ring, false)?;
            std::fs::rename(&tmp, file)
                .map_err(|e| key_file_error(file, "replace the key file", "替换密钥文件", e))?;
        }
        self.vault.keys = Some(IdentityKeys::Provider(Arc::new(ring.clone())));
        self.own_keys = Some((ring, file.clone()));
        Ok(id)
    }

    /// Registers a volunteer, validating the identity number, then sealing it: the entry
    /// holds its mask, a keyed hash and its ciphertext under a fresh data key
    /// (`docs/identity.md`). Refuses a known volunteer number (`E_DUPLICATE`), an identity
    /// number registered to someone else (`E_DUPLICATE_IDENTITY`), and, on a ledger without
    /// its key, any registration (`E_KEY_UNAVAILABLE`; a device ledger made mask-only
    /// registers masks).
    pub fn register_volunteer(
        &mut self,
        actor: &ActorId,
        volunteer: NewVolunteer,
    ) -> Result<Receipt> {
        let (change, key, _) = self.sealed_registration(actor, volunteer, None)?;
        self.commit_keyed(actor, change, key).map(|r| r.0)
    }

    /// A registration's entry, its identity number validated and sealed, and its data key to
    /// keep; checked once, as it is committed. A number that cannot be validated or sealed is
    /// answered with the first refusal of the registration's check, if it has one, so that
    /// refusals come in the order the check makes them. Also the identity as the state will
    /// hold it, so that applying the entry need not decode it from the entry's hex.
    /// `validated`: the document as validated already (at this date or before), if it was.
    pub(super) fn sealed_registration(
        &self,
        actor: &ActorId,
        volunteer: NewVolunteer,
        validated: Option<Identity>,
    ) -> Result<(Change, KeyWrite, HeldIdentity)> {
        let now = self.clock.now();
        let refusal = |e: LedgerError| {
            let clear = Change::VolunteerRegistered(Registration::Clear(volunteer.clone()));
            self.state.check(actor, now, &clear).err().unwrap_or(e)
        };
        // A document valid at an earlier date is valid today (a birth date before it is
        // before today too).
        let identity = match validated {
            Some(identity)
                if identity.kind() == volunteer.identity_kind
                    && identity.number() == volunteer.identity_number =>
            {
                identity
            }
            _ => Identity::new_at(
                volunteer.identity_kind,
                &volunteer.identity_number,
                now.local_date(self.state.off),
            )
            .map_err(refusal)?,
        };
        // Version-1 registrations hold their numbers: found by the numbers themselves.
        if self
            .state
            .identity_holder(DocKey::Clear(identity.kind(), identity.number()))
            .is_some()
        {
            return Err(refusal(LedgerError::DuplicateIdentity {
                id: volunteer.id.to_string(),
            }));
        }
        let sealing = self
            .vault
            .seal(
                self.config.ledger_id.as_str(),
                volunteer.id.as_str(),
                &identity,
            )
            .map_err(refusal)?;
        let key = match sealing.wrapped {
            Some(wrapped) => KeyWrite::Put {
                volunteer: volunteer.id.to_string(),
                wrapped,
                tag_key_id: sealing.new_tag_key_id,
                replace: false,
            },
            None => KeyWrite::None,
        };
        let change = Change::VolunteerRegistered(Registration::Sealed(SealedRegistration {
            home_org: volunteer.home_org,
            id: volunteer.id,
            identity: sealing.identity,
            name: volunteer.name,
        }));
        Ok((change, key, sealing.held))
    }

    /// Erases a volunteer's identity number (PIPL Art. 47): logs an `identity_erased` entry
    /// and destroys their data key, so that the ciphertext their registration holds can never
    /// be opened again while the log still verifies. Authorised as other management of the
    /// volunteer (a platform admin, or an admin or recorder of their org or above). Refuses an
    /// identity already erased (`E_IDENTITY_ERASED`). Cannot be undone.
    pub fn erase_identity(&mut self, actor: &ActorId, volunteer: &VolunteerId) -> Result<Receipt> {
        let change = Change::IdentityErased {
            volunteer: volunteer.clone(),
        };
        let key = KeyWrite::Destroy {
            volunteer: volunteer.to_string(),
        };
        let receipt = self.commit_keyed(actor, change, key)?.0;
        if let Log::File(store) = &self.log
            && !store.batch
        {
            // Best effort: a reader holding the WAL defers it to the next checkpoint.
            let _ = store.truncate_wal();
        }
        Ok(receipt)
    }

    /// A volunteer's full name and identity, for the certificate that legally needs them. Not
    /// exposed to boards, views, logs or errors. Refuses an erased identity
    /// (`E_IDENTITY_ERASED`) and, without the keys that open it, `E_KEY_UNAVAILABLE`.
    pub fn identity_for_certificate(&self, id: &VolunteerId) -> Result<(String, Identity)> {
        let v = self.state.vol_idx(id)?;
        let name = self
            .state
            .vol(v)
            .map(|x| x.name.to_string())
            .unwrap_or_default();
        Ok((name, self.full_identity(v)?))
    }

    /// Gives a copy made by `save_as` the data keys, the tag key's id and the keys.
    pub(super) fn copy_identity_keys(&self, to: &mut Ledger) -> Result<()> {
        to.vault.keys = self.vault.keys.clone();
        to.vault.tag_key_id = self.vault.tag_key_id.clone();
        let Log::File(store) = &mut to.log else {
            return Ok(());
        };
        if let Some(id) = &self.vault.tag_key_id {
            store.put_meta(TAG_KEY_META, id)?;
        }
        if self.file_mode()?.as_deref() == Some("mask_only") {
            store.put_meta(MODE_META, "mask_only")?;
        }
        for vol in &self.state.vols {
            let wrapped = match &self.log {
                Log::File(from) => from.data_key(&vol.key)?,
                _ => self.vault.wrapped.get(&*vol.key).cloned(),
            };
            if let Some(w) = wrapped {
                store.put_data_key(&vol.key, &w)?;
            }
        }
        Ok(())
    }

    /// Writes the key this library keeps beside a copy made by `save_as` (refusing a key file
    /// that exists).
    pub(super) fn copy_key_file(&self, to: &mut Ledger, path: &Path) -> Result<()> {
        if let Some((ring, _)) = &self.own_keys {
            let file = key_file_of(path);
            write_key_file(&file, ring, true)?;
            to.own_keys = Some((ring.clone(), Some(file)));
        }
        Ok(())
    }

    /// The full identity of a volunteer by index: a version-1 registration's number, or the
    /// sealed one opened with the volunteer's data key.
    pub(super) fn full_identity(&self, v: u32) -> Result<Identity> {
        let vol = self
            .state
            .vol(v)
            .ok_or_else(|| LedgerError::UnknownVolunteer { id: v.to_string() })?;
        let held = &vol.identity;
        if held.erased {
            return Err(LedgerError::IdentityErased {
                volunteer: vol.key.to_string(),
            });
        }
        // Validated when it was registered; checked again only for its form.
        let whenever = NaiveDate::MAX;
        if let Some(n) = held.legacy() {
            return Identity::new_at(held.kind, n, whenever);
        }
        let wrapped = match &self.log {
            Log::File(store) => store.data_key(&vol.key)?,
            _ => self.vault.wrapped.get(&*vol.key).cloned(),
        };
        let number = self.vault.open(
            self.config.ledger_id.as_str(),
            &vol.key,
            &held.sealed_identity(),
            wrapped.as_ref(),
        )?;
        Identity::new_at(held.kind, &number, whenever)
    }
}
