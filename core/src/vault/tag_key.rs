//! The key of the identity index's tags, derived once: the HMAC of every tag starts from the
//! same keyed state, kept while the provider and the key it is derived from stay the same.

use super::{Hmac, KeyProvider, Result, Sha256, TAG_KEY_LABEL, hmac, unavailable};
use crate::ids::Identity;
use hmac::Mac;
use std::sync::{Arc, Mutex, PoisonError};

/// The key of the identity index's tags: what a sealed registration's tag is made with.
#[derive(Clone)]
pub(crate) struct TagKey(Hmac<Sha256>);

impl TagKey {
    /// The tag key derived from the ledger key `key`.
    fn derive(key: &[u8]) -> Result<Self> {
        let derived = hmac(key, &[TAG_KEY_LABEL])?;
        <Hmac<Sha256> as Mac>::new_from_slice(&derived)
            .map(Self)
            .map_err(|_| unavailable("tag key"))
    }

    /// The tag a sealed registration of `id` holds.
    pub(crate) fn tag(&self, id: &Identity) -> [u8; 32] {
        let mut m = self.0.clone();
        m.update(id.kind().as_str().as_bytes());
        m.update(&[0]);
        m.update(id.number().as_bytes());
        m.finalize().into_bytes().into()
    }
}

/// A tag key, with the provider and the key id it was derived from.
type Derived = (Arc<dyn KeyProvider>, String, TagKey);

/// The tag key last derived.
#[derive(Default)]
pub(super) struct TagKeyCache(Mutex<Option<Derived>>);

impl Clone for TagKeyCache {
    /// An empty cache: a copy derives its own.
    fn clone(&self) -> Self {
        Self::default()
    }
}

impl std::fmt::Debug for TagKeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TagKeyCache")
    }
}

impl TagKeyCache {
    /// The tag key derived from `provider`'s key `id`: the one derived last if it came from the
    /// same provider (the very same object, which the cache keeps alive) and key id.
    pub(super) fn get(&self, provider: &Arc<dyn KeyProvider>, id: &str) -> Result<TagKey> {
        let mut cached = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((p, i, key)) = &*cached
            && Arc::ptr_eq(p, provider)
            && i == id
        {
            return Ok(key.clone());
        }
        let ledger_key = provider
            .key(id)
            .ok_or_else(|| unavailable("ledger key for the identity index"))?;
        let key = TagKey::derive(&ledger_key)?;
        *cached = Some((Arc::clone(provider), id.to_owned(), key.clone()));
        Ok(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::IdentityKind;
    use crate::vault::Keyring;

    fn provider(byte: u8) -> Arc<dyn KeyProvider> {
        Arc::new(Keyring::new("k1", &[byte; 32]).unwrap())
    }

    /// Another provider, or another key of the same one, derives another tag key, even under
    /// the same key id; the cached key is the one derived without a cache.
    #[test]
    fn a_cached_tag_key_is_used_only_for_its_provider_and_key() {
        let id = Identity::new(IdentityKind::ResidentId, "11010519491231002X").unwrap();
        let cache = TagKeyCache::default();
        let (a, b) = (provider(1), provider(2));
        let fresh = |p: &Arc<dyn KeyProvider>| TagKey::derive(&p.key("k1").unwrap()).unwrap();
        let tag_a = cache.get(&a, "k1").unwrap().tag(&id);
        assert_eq!(tag_a, fresh(&a).tag(&id));
        let tag_b = cache.get(&b, "k1").unwrap().tag(&id);
        assert_eq!(tag_b, fresh(&b).tag(&id));
        assert_ne!(tag_a, tag_b);
        assert_eq!(cache.get(&a, "k1").unwrap().tag(&id), tag_a);
        assert!(cache.get(&a, "k2").is_err());
        // The tag is the HMAC of kind and number joined by a zero byte, under the derived key.
        let derived = hmac(&[1; 32], &[TAG_KEY_LABEL]).unwrap();
        let joined = hmac(&derived, &[b"resident_id", b"11010519491231002X"]).unwrap();
        assert_eq!(tag_a, joined);
    }
}
