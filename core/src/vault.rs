//! Identity numbers sealed under per-volunteer data keys, found by a keyed hash, erasable
//! (`docs/identity.md`).
//!
//! A registration's entry holds the number's mask, an HMAC-SHA256 tag of it and its
//! XChaCha20-Poly1305 ciphertext under a random data key; the data key, wrapped under the
//! ledger key, lives outside the hash-chained log, and erasing a volunteer's identity destroys it.
//!
//! ```
//! use std::sync::Arc;
//! use volunteer_ledger::*;
//!
//! let admin: ActorId = "admin".parse()?;
//! let keys = Keyring::new("k1", &[7; 32])?;
//! let mut l = Ledger::in_memory(LedgerConfig::new("L".parse()?, "某区", admin.clone()))?;
//! l.set_identity_keys(IdentityKeys::Provider(Arc::new(keys)));
//! l.register_org(&admin, NewOrg { id: "D".parse()?, name: "某区".into(), kind: OrgKind::District, parent: None })?;
//! l.register_volunteer(&admin, NewVolunteer {
//!     id: "V1".parse()?, name: "张三".into(), identity_kind: IdentityKind::ResidentId,
//!     identity_number: "11010519491231002X".into(), home_org: Some("D".parse()?),
//! })?;
//! // The log holds the mask, the tag and the ciphertext, never the number.
//! let log = format!("{:?}", l.entries()?);
//! assert!(!log.contains("11010519491231002X") && log.contains("110105********002X"));
//! assert_eq!(l.identity_for_certificate(&"V1".parse()?)?.1.number(), "11010519491231002X");
//! # Ok::<(), LedgerError>(())
//! ```

use crate::error::{LedgerError, Result, invalid_field};
use crate::hash::{Hash, hex_pair, unhex};
use crate::ids::{Identity, IdentityKind, OrgId, VolunteerId};
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};
use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

mod phone;
mod randomness;
mod tag_key;
pub use phone::SealedPhone;
pub(crate) use phone::normalise_phone;
use randomness::RandomPool;
pub(crate) use randomness::random;
pub(crate) use tag_key::TagKey;
use tag_key::TagKeyCache;

/// The length of every key here: ledger keys, data keys, the tag key.
pub const KEY_LEN: usize = 32;
const NONCE_LEN: usize = 24;
/// What the tag key is derived under (from the ledger's first key).
const TAG_KEY_LABEL: &[u8] = b"volunteer-ledger/identity-tag@1";
/// The first line of a key file.
const KEY_FILE_FORMAT: &str = "volunteer-ledger/keys@1";

/// Where a ledger's keys come from: the platform implements it (an HSM, a KMS, a keystore)
/// or uses [`Keyring`].
///
/// `current` names the key that wraps new data keys; `key` resolves any id ever current, so
/// that data keys wrapped before a rotation stay readable. Return `None` for an unknown id.
pub trait KeyProvider: Send + Sync + fmt::Debug {
    /// The id of the key that wraps new data keys, or `None` when no key is available now.
    fn current(&self) -> Option<String>;
    /// The 32 bytes of the key with this id.
    fn key(&self, id: &str) -> Option<[u8; KEY_LEN]>;
}

/// Ledger keys held in memory, the last one added current. Its `Debug` shows ids only.
#[derive(Clone, Default)]
pub struct Keyring {
    keys: Vec<(String, [u8; KEY_LEN])>,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.keys.iter().map(|(id, _)| id))
            .finish()
    }
}

impl Keyring {
    /// A keyring of one key. Refuses an id that is not 1–64 printable ASCII characters without
    /// spaces, or bytes that are not 32 long (`E_FIELD`).
    pub fn new(id: &str, bytes: &[u8]) -> Result<Self> {
        let mut k = Self::default();
        k.add(id, bytes)?;
        Ok(k)
    }

    /// A keyring of one fresh random key.
    pub fn generate(id: &str) -> Result<Self> {
        Self::new(id, &random::<KEY_LEN>()?)
    }

    /// Adds a key and makes it current (a rotation). An id already held is refused.
    pub fn add(&mut self, id: &str, bytes: &[u8]) -> Result<()> {
        let ok_id = (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_graphic());
        if !ok_id {
            return Err(invalid_field(
                "key",
                id,
                "id must be 1 to 64 printable ASCII characters",
            ));
        }
        if self.keys.iter().any(|(k, _)| k == id) {
            return Err(invalid_field("key", id, "id is already in the keyring"));
        }
        let bytes: [u8; KEY_LEN] = bytes
            .try_into()
            .map_err(|_| invalid_field("key", id, "must be 32 bytes"))?;
        self.keys.push((id.to_owned(), bytes));
        Ok(())
    }

    /// The ids held, oldest first.
    pub fn ids(&self) -> Vec<String> {
        self.keys.iter().map(|(id, _)| id.clone()).collect()
    }

    /// The text of a key file: a format line, then `<id> <64 hex digits>` a line, current last.
    pub(crate) fn to_file_text(&self) -> String {
        let mut s = format!("{KEY_FILE_FORMAT}\n");
        for (id, k) in &self.keys {
            s.push_str(id);
            s.push(' ');
            s.push_str(&Hash::hex_of(k));
            s.push('\n');
        }
        s
    }

    /// Reads a key file's text; `None` when it is not one.
    pub(crate) fn from_file_text(text: &str) -> Option<Self> {
        let mut lines = text.lines();
        if lines.next()? != KEY_FILE_FORMAT {
            return None;
        }
        let mut k = Self::default();
        for line in lines.filter(|l| !l.is_empty()) {
            let (id, hex) = line.split_once(' ')?;
            k.add(id, &unhex::<KEY_LEN>(hex)?).ok()?;
        }
        (!k.keys.is_empty()).then_some(k)
    }
}

impl KeyProvider for Keyring {
    fn current(&self) -> Option<String> {
        self.keys.last().map(|(id, _)| id.clone())
    }
    fn key(&self, id: &str) -> Option<[u8; KEY_LEN]> {
        self.keys.iter().find(|(k, _)| k == id).map(|(_, b)| *b)
    }
}

/// How a ledger treats identity numbers.
#[derive(Debug, Clone)]
pub enum IdentityKeys {
    /// Numbers are sealed under data keys wrapped by the provider's keys.
    Provider(Arc<dyn KeyProvider>),
    /// A device ledger (a phone): registrations keep the kind and the mask only; no tag, no
    /// ciphertext, so the device holds no number at all. The server finds duplicates.
    MaskOnly,
}

/// A number's ciphertext as the log holds it (lower-case hex).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ciphertext {
    /// XChaCha20-Poly1305 output (the number's bytes and the 16-byte tag).
    pub ciphertext: String,
    /// The 24-byte nonce.
    pub nonce: String,
}

/// An identity document as a registration entry (version 2) holds it: no number in clear.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedIdentity {
    /// The kind of document.
    pub kind: IdentityKind,
    /// The number masked (first 6 + last 4), as every masked output shows it.
    pub mask: String,
    /// The number under the volunteer's data key; `None` on a device ledger.
    pub sealed: Option<Ciphertext>,
    /// HMAC-SHA256 of kind and number under the ledger's tag key (hex); `None` on a device.
    pub tag: Option<String>,
}

/// A volunteer's registration as a version-2 `volunteer_registered` entry holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SealedRegistration {
    /// The home community (or other org), if any.
    pub home_org: Option<OrgId>,
    /// The volunteer number.
    pub id: VolunteerId,
    /// The identity document, sealed.
    pub identity: SealedIdentity,
    /// The full name.
    pub name: String,
}

/// A `volunteer_registered` entry's body: sealed (version 2), or with the number in clear as
/// logs made before sealing hold it (version 1; read, never written).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Registration {
    /// Version 2: mask, tag and ciphertext.
    Sealed(SealedRegistration),
    /// Version 1: the number in clear.
    Clear(crate::org::NewVolunteer),
}

impl Registration {
    /// The volunteer number.
    pub fn id(&self) -> &VolunteerId {
        match self {
            Self::Sealed(r) => &r.id,
            Self::Clear(v) => &v.id,
        }
    }
    /// The home org.
    pub fn home_org(&self) -> Option<&OrgId> {
        match self {
            Self::Sealed(r) => r.home_org.as_ref(),
            Self::Clear(v) => v.home_org.as_ref(),
        }
    }
    /// The full name.
    pub fn name(&self) -> &str {
        match self {
            Self::Sealed(r) => &r.name,
            Self::Clear(v) => &v.name,
        }
    }
}

/// A data key wrapped under a ledger key: what the key table holds per volunteer.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct WrappedKey {
    pub(crate) key_id: String,
    pub(crate) nonce: [u8; NONCE_LEN],
    pub(crate) wrapped: Vec<u8>,
}

impl fmt::Debug for WrappedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "WrappedKey({})", self.key_id)
    }
}

/// What a sealing made: the entry's identity and the data key to keep outside the log.
pub(crate) struct Sealing {
    pub(crate) identity: SealedIdentity,
    pub(crate) wrapped: Option<WrappedKey>,
    /// The fresh data key itself (not on a device), to seal the volunteer's phone under too.
    pub(crate) data_key: Option<[u8; KEY_LEN]>,
    /// The tag key's id, when this sealing chose it (the ledger's first).
    pub(crate) new_tag_key_id: Option<String>,
    /// The identity as the state holds it once the registration is applied: what
    /// [`HeldIdentity::of_sealed`] makes of `identity`, from the bytes before they became hex.
    pub(crate) held: HeldIdentity,
}

/// A ledger's keys and, for ledgers without a file, its wrapped data keys.
#[derive(Debug, Clone, Default)]
pub(crate) struct Vault {
    /// `None`: no key now (a copy without its key file) — masked output only.
    pub(crate) keys: Option<IdentityKeys>,
    /// The id of the key the tag key is derived from (the ledger's first).
    pub(crate) tag_key_id: Option<String>,
    /// Wrapped data keys by volunteer number (ledgers in memory; a file keeps its own table).
    pub(crate) wrapped: HashMap<String, WrappedKey>,
    /// Fixed entropy (tests and fixed vectors only): draws are derived from this seed.
    pub(crate) fixed: Option<[u8; 32]>,
    /// Random bytes drawn from the system ahead of the sealings that take them.
    pool: RandomPool,
    /// The tag key last derived.
    tag_keys: TagKeyCache,
}

fn unavailable(what: &str) -> LedgerError {
    LedgerError::KeyUnavailable {
        what: what.to_owned(),
    }
}

fn aad(parts: &[&[u8]]) -> Vec<u8> {
    let len = parts.iter().map(|p| p.len() + 1).sum();
    let mut out = Vec::with_capacity(len);
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            out.push(0);
        }
        out.extend_from_slice(p);
    }
    out
}

fn hmac(key: &[u8], parts: &[&[u8]]) -> Result<[u8; 32]> {
    let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).map_err(|_| unavailable("tag key"))?;
    // The parts as `aad` joins them, fed one by one.
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            m.update(&[0]);
        }
        m.update(p);
    }
    Ok(m.finalize().into_bytes().into())
}

fn seal_bytes(
    key: &[u8; KEY_LEN],
    nonce: &[u8; NONCE_LEN],
    msg: &[u8],
    aad: &[u8],
) -> Result<Vec<u8>> {
    XChaCha20Poly1305::new(key.into())
        .encrypt(XNonce::from_slice(nonce), Payload { msg, aad })
        .map_err(|_| unavailable("encryption"))
}

fn open_bytes(key: &[u8; KEY_LEN], nonce: &[u8], ct: &[u8], aad: &[u8]) -> Option<Vec<u8>> {
    if nonce.len() != NONCE_LEN {
        return None;
    }
    XChaCha20Poly1305::new(key.into())
        .decrypt(XNonce::from_slice(nonce), Payload { msg: ct, aad })
        .ok()
}

fn unhex_vec(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() / 2);
    unhex_into(s, &mut out).then_some(out)
}

/// Appends the bytes a ciphertext's hex spells to `out` (at most 256); `false`, with `out`
/// then holding a part of them, when it is not such hex.
fn unhex_into(s: &str, out: &mut Vec<u8>) -> bool {
    if !s.len().is_multiple_of(2) || s.len() > 512 {
        return false;
    }
    for pair in s.as_bytes().chunks_exact(2) {
        match hex_pair(pair) {
            Some(b) => out.push(b),
            None => return false,
        }
    }
    true
}

impl Vault {
    /// Holds the vault's random pool for one call that has the ledger to itself
    /// ([`RandomPool::hold`]): its draws do not each ask which process this is.
    pub(crate) fn hold_randomness(&self) -> randomness::PoolHold {
        self.pool.hold()
    }

    fn provider(&self) -> Option<&Arc<dyn KeyProvider>> {
        match &self.keys {
            Some(IdentityKeys::Provider(p)) => Some(p),
            _ => None,
        }
    }

    /// The tag key: derived from the ledger's first key (or, before any, the current one, whose
    /// id is then given too: the caller keeps it as the tag key's).
    fn tag_key(&self) -> Result<(TagKey, Option<String>)> {
        let p = self
            .provider()
            .ok_or_else(|| unavailable("ledger key for the identity index"))?;
        let (id, chosen) = match &self.tag_key_id {
            Some(id) => (id.clone(), None),
            None => {
                let id = p
                    .current()
                    .ok_or_else(|| unavailable("current ledger key"))?;
                (id.clone(), Some(id))
            }
        };
        Ok((self.tag_keys.get(p, &id)?, chosen))
    }

    /// The key of the identity index's tags, when the ledger holds it (a device's mask-only
    /// ledger and a ledger without keys do not).
    pub(crate) fn index_tag_key(&self) -> Option<TagKey> {
        self.tag_key().ok().map(|(key, _)| key)
    }

    /// Seals a validated identity for a new registration: fresh data key and nonce, drawn now
    /// (never during a replay). Refuses with `E_KEY_UNAVAILABLE` when no key is available.
    pub(crate) fn seal(&self, ledger: &str, volunteer: &str, id: &Identity) -> Result<Sealing> {
        self.seal_round(ledger, volunteer, id, "")
    }

    /// As [`Vault::seal`], drawing for `round` (see `draw`): a correction's new data key.
    pub(crate) fn seal_round(
        &self,
        ledger: &str,
        volunteer: &str,
        id: &Identity,
        round: &str,
    ) -> Result<Sealing> {
        let mask = id.masked();
        let kind = id.kind();
        match &self.keys {
            Some(IdentityKeys::MaskOnly) => {
                return Ok(Sealing {
                    held: HeldIdentity {
                        kind,
                        erased: false,
                        mask: mask.as_str().into(),
                        secret: Secret::None,
                    },
                    identity: SealedIdentity {
                        kind,
                        mask,
                        sealed: None,
                        tag: None,
                    },
                    wrapped: None,
                    data_key: None,
                    new_tag_key_id: None,
                });
            }
            Some(IdentityKeys::Provider(_)) => {}
            None => return Err(unavailable("ledger key (register a volunteer)")),
        }
        let (tag_key, new_tag_key_id) = self.tag_key()?;
        let tag = tag_key.tag(id);
        let (data_key, nonce, wrap_nonce) = self.draw_sealing(volunteer, round)?;
        let wrapped = self.wrap_data_key(ledger, volunteer, &data_key, wrap_nonce)?;
        let number_aad = aad(&[
            ledger.as_bytes(),
            volunteer.as_bytes(),
            kind.as_str().as_bytes(),
        ]);
        let ct = seal_bytes(&data_key, &nonce, id.number().as_bytes(), &number_aad)?;
        let mut secret = Vec::with_capacity(TAG_LEN + NONCE_LEN + ct.len());
        secret.extend_from_slice(&tag);
        secret.extend_from_slice(&nonce);
        secret.extend_from_slice(&ct);
        Ok(Sealing {
            held: HeldIdentity {
                kind,
                erased: false,
                mask: mask.as_str().into(),
                secret: Secret::Sealed(secret.into_boxed_slice()),
            },
            identity: SealedIdentity {
                kind,
                mask,
                sealed: Some(Ciphertext {
                    ciphertext: Hash::hex_of(&ct),
                    nonce: Hash::hex_of(&nonce),
                }),
                tag: Some(Hash::hex_of(&tag)),
            },
            wrapped: Some(wrapped),
            data_key: Some(data_key),
            new_tag_key_id,
        })
    }

    /// A fresh data key for a volunteer, drawn for `round`, and its form wrapped under the
    /// current ledger key.
    pub(crate) fn fresh_data_key(
        &self,
        ledger: &str,
        volunteer: &str,
        round: &str,
    ) -> Result<([u8; KEY_LEN], WrappedKey)> {
        let data_key = self.draw::<KEY_LEN>(volunteer, "data key", round)?;
        let wrap_nonce = self.draw::<NONCE_LEN>(volunteer, "wrap nonce", round)?;
        let wrapped = self.wrap_data_key(ledger, volunteer, &data_key, wrap_nonce)?;
        Ok((data_key, wrapped))
    }

    /// A data key wrapped under the ledger's current key.
    fn wrap_data_key(
        &self,
        ledger: &str,
        volunteer: &str,
        data_key: &[u8; KEY_LEN],
        wrap_nonce: [u8; NONCE_LEN],
    ) -> Result<WrappedKey> {
        let p = self.provider().ok_or_else(|| unavailable("ledger key"))?;
        let key_id = p
            .current()
            .ok_or_else(|| unavailable("current ledger key"))?;
        let ledger_key = p
            .key(&key_id)
            .ok_or_else(|| unavailable("current ledger key"))?;
        let wrapped = seal_bytes(
            &ledger_key,
            &wrap_nonce,
            data_key,
            &wrap_aad(ledger, volunteer, &key_id),
        )?;
        Ok(WrappedKey {
            key_id,
            nonce: wrap_nonce,
            wrapped,
        })
    }

    /// The number back from its ciphertext and the volunteer's wrapped data key. Refuses with
    /// `E_KEY_UNAVAILABLE` when the data key or the ledger key it is wrapped under is missing,
    /// or the ciphertext does not open under them.
    pub(crate) fn open(
        &self,
        ledger: &str,
        volunteer: &str,
        identity: &SealedIdentity,
        wrapped: Option<&WrappedKey>,
    ) -> Result<String> {
        let missing = || unavailable("data key of the volunteer's identity number");
        let c = identity.sealed.as_ref().ok_or_else(missing)?;
        let data_key = self.unwrap_data_key(ledger, volunteer, wrapped)?;
        let number_aad = aad(&[
            ledger.as_bytes(),
            volunteer.as_bytes(),
            identity.kind.as_str().as_bytes(),
        ]);
        let number = open_bytes(
            &data_key,
            &unhex_vec(&c.nonce).ok_or_else(missing)?,
            &unhex_vec(&c.ciphertext).ok_or_else(missing)?,
            &number_aad,
        )
        .ok_or_else(missing)?;
        String::from_utf8(number).map_err(|_| missing())
    }

    /// A volunteer's data key from its wrapped form. Refuses with `E_KEY_UNAVAILABLE` when it
    /// or the ledger key it is wrapped under is missing, or it does not open.
    pub(crate) fn unwrap_data_key(
        &self,
        ledger: &str,
        volunteer: &str,
        wrapped: Option<&WrappedKey>,
    ) -> Result<[u8; KEY_LEN]> {
        let missing = || unavailable("data key of the volunteer");
        let w = wrapped.ok_or_else(missing)?;
        let p = self.provider().ok_or_else(|| unavailable("ledger key"))?;
        let ledger_key = p
            .key(&w.key_id)
            .ok_or_else(|| unavailable("ledger key the data key is wrapped under"))?;
        open_bytes(
            &ledger_key,
            &w.nonce,
            &w.wrapped,
            &wrap_aad(ledger, volunteer, &w.key_id),
        )
        .and_then(|k| <[u8; KEY_LEN]>::try_from(k).ok())
        .ok_or_else(missing)
    }
}

/// A volunteer's identity as the ledger's state holds it (and its snapshot): no number but
/// that of a version-1 registration, whose log holds it in clear anyway. Small, as every
/// volunteer has one: what a sealed registration adds is one allocation of bytes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct HeldIdentity {
    pub(crate) kind: IdentityKind,
    /// Erased: tag, ciphertext and number are dropped.
    pub(crate) erased: bool,
    pub(crate) mask: Box<str>,
    secret: Secret,
}

/// What a registration held beyond kind and mask.
#[derive(Debug, Clone, Serialize, Deserialize)]
enum Secret {
    /// A device's registration (mask only), or an erased identity.
    None,
    /// A sealed registration: its keyed tag (32 bytes), then the nonce (24 bytes) and the
    /// ciphertext of the number, decoded from the log's hex. When the log's nonce or
    /// ciphertext is not hex of their lengths, the ciphertext is left empty: it never opens,
    /// as the hex itself would not have.
    Sealed(#[serde(with = "boxed_bytes")] Box<[u8]>),
    /// The number of a version-1 registration.
    Legacy(Box<str>),
}

const TAG_LEN: usize = 32;

/// Bytes as serde's bytes (in a snapshot: the length, then the bytes as they are), not as a
/// sequence of numbers read one at a time.
mod boxed_bytes {
    use serde::de::{Deserializer, Error, SeqAccess, Visitor};
    use serde::ser::Serializer;
    use std::fmt;

    pub(super) fn serialize<S: Serializer>(b: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(b)
    }

    struct Bytes;

    impl<'de> Visitor<'de> for Bytes {
        type Value = Box<[u8]>;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("bytes")
        }

        fn visit_bytes<E: Error>(self, v: &[u8]) -> Result<Self::Value, E> {
            Ok(v.into())
        }

        fn visit_byte_buf<E: Error>(self, v: Vec<u8>) -> Result<Self::Value, E> {
            Ok(v.into_boxed_slice())
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
            while let Some(b) = seq.next_element()? {
                out.push(b);
            }
            Ok(out.into_boxed_slice())
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Box<[u8]>, D::Error> {
        d.deserialize_bytes(Bytes)
    }
}

/// What finds an identity document in the ledger's index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum DocKey<'a> {
    /// A sealed registration's tag.
    Tag(IdentityKind, &'a [u8; 32]),
    /// A version-1 registration's number.
    Clear(IdentityKind, &'a str),
}

impl HeldIdentity {
    /// From a registration's body; `None` when a sealed one's tag is not 64 hex digits or its
    /// mask is not the shape of a mask.
    pub(crate) fn of(r: &Registration, identity: Option<&Identity>) -> Option<Self> {
        match r {
            Registration::Sealed(s) => Self::of_sealed(&s.identity),
            Registration::Clear(_) => {
                let id = identity?;
                Some(Self {
                    kind: id.kind(),
                    erased: false,
                    mask: id.masked().into(),
                    secret: Secret::Legacy(id.number().into()),
                })
            }
        }
    }

    /// From a sealed identity (a registration's or a correction's); `None` when its tag is
    /// not 64 hex digits or its mask is not the shape of a mask.
    pub(crate) fn of_sealed(i: &SealedIdentity) -> Option<Self> {
        let tag = Self::sealed_tag(i)?;
        let secret = match (tag, &i.sealed) {
            (Some(tag), Some(c)) => {
                let mut b = Vec::with_capacity(TAG_LEN + NONCE_LEN + c.ciphertext.len() / 2);
                b.extend_from_slice(&tag);
                if let Some(nonce) = unhex::<NONCE_LEN>(&c.nonce) {
                    b.extend_from_slice(&nonce);
                    if !unhex_into(&c.ciphertext, &mut b) {
                        b.truncate(TAG_LEN);
                    }
                }
                Secret::Sealed(b.into_boxed_slice())
            }
            _ => Secret::None,
        };
        Some(Self {
            kind: i.kind,
            erased: false,
            mask: i.mask.as_str().into(),
            secret,
        })
    }

    /// How the index finds this document, if it is indexed (erased ones and a device's are not).
    /// The tag of a sealed identity (`Some(None)`: a mask only), checked as [`HeldIdentity::of_sealed`]
    /// checks it: `None` when the tag is not 64 hex digits or the mask not the shape of a mask.
    pub(crate) fn sealed_tag(i: &SealedIdentity) -> Option<Option<[u8; 32]>> {
        let tag = match &i.tag {
            Some(t) => Some(tag_bytes(t)?),
            None => None,
        };
        let shaped = (1..=32).contains(&i.mask.chars().count())
            && i.mask
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '*');
        if !shaped || i.sealed.is_some() != tag.is_some() {
            return None;
        }
        Some(tag)
    }

    pub(crate) fn doc_key(&self) -> Option<DocKey<'_>> {
        if self.erased {
            return None;
        }
        match &self.secret {
            Secret::Sealed(b) => Some(DocKey::Tag(self.kind, b.first_chunk::<TAG_LEN>()?)),
            Secret::Legacy(n) => Some(DocKey::Clear(self.kind, n)),
            Secret::None => None,
        }
    }

    /// The number of a version-1 registration.
    pub(crate) fn legacy(&self) -> Option<&str> {
        match &self.secret {
            Secret::Legacy(n) => Some(n),
            _ => None,
        }
    }

    /// Forgets everything but kind and mask.
    pub(crate) fn erase(&mut self) {
        self.secret = Secret::None;
        self.erased = true;
    }

    /// The identity as its registration entry sealed it (for opening it).
    pub(crate) fn sealed_identity(&self) -> SealedIdentity {
        let (tag, sealed) = match &self.secret {
            Secret::Sealed(b) => {
                let (tag, rest) = b.split_at(TAG_LEN.min(b.len()));
                let (nonce, ct) = rest.split_at(NONCE_LEN.min(rest.len()));
                let sealed = Ciphertext {
                    ciphertext: Hash::hex_of(ct),
                    nonce: Hash::hex_of(nonce),
                };
                (Some(Hash::hex_of(tag)), Some(sealed))
            }
            _ => (None, None),
        };
        SealedIdentity {
            kind: self.kind,
            mask: self.mask.to_string(),
            sealed,
            tag,
        }
    }

    /// Bytes held on the heap: the mask and what the registration sealed.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.mask.len()
            + match &self.secret {
                Secret::Sealed(b) => b.len(),
                Secret::Legacy(n) => n.len(),
                Secret::None => 0,
            }
    }
}

fn wrap_aad(ledger: &str, volunteer: &str, key_id: &str) -> Vec<u8> {
    aad(&[
        b"data-key",
        ledger.as_bytes(),
        volunteer.as_bytes(),
        key_id.as_bytes(),
    ])
}

/// A tag's bytes from its hex, if it is one.
pub(crate) fn tag_bytes(tag: &str) -> Option<[u8; 32]> {
    unhex::<32>(tag)
}

#[cfg(test)]
mod tests;
