//! Sealing and opening identity numbers, held identities through a snapshot, tags across a
//! rotation, key files.

use super::*;

fn vault(keys: Keyring) -> Vault {
    Vault {
        keys: Some(IdentityKeys::Provider(Arc::new(keys))),
        ..Vault::default()
    }
}

#[test]
fn a_sealed_number_opens_only_for_its_volunteer_and_ledger() {
    let v = vault(Keyring::new("k1", &[1; 32]).unwrap());
    let id = Identity::new(IdentityKind::ResidentId, "11010519491231002X").unwrap();
    let s = v.seal("L", "V1", &id).unwrap();
    let w = s.wrapped.as_ref();
    assert_eq!(v.open("L", "V1", &s.identity, w).unwrap(), id.number());
    assert_eq!(
        v.open("L", "V2", &s.identity, w).unwrap_err().code(),
        "E_KEY_UNAVAILABLE"
    );
    assert_eq!(s.identity.mask, "110105********002X");
}

/// The identity a sealing hands to the state is the one its entry's hex decodes to, for
/// every kind of document, sealed or (on a device) a mask only.
#[test]
fn a_sealing_holds_the_identity_its_entry_decodes_to() {
    let sealed = vault(Keyring::new("k1", &[1; 32]).unwrap());
    let device = Vault {
        keys: Some(IdentityKeys::MaskOnly),
        ..Vault::default()
    };
    for (kind, number) in [
        (IdentityKind::ResidentId, "11010519491231002X"),
        (IdentityKind::Passport, "E12345678"),
        (IdentityKind::HkMacauPermit, "H1234567890"),
        (IdentityKind::TaiwanPermit, "12345678"),
    ] {
        let id = Identity::new(kind, number).unwrap();
        for v in [&sealed, &device] {
            let s = v.seal("L", "V1", &id).unwrap();
            let decoded = HeldIdentity::of_sealed(&s.identity).unwrap();
            assert_eq!(format!("{:?}", s.held), format!("{decoded:?}"));
            assert_eq!(
                s.held.doc_key().is_some(),
                v.keys
                    .as_ref()
                    .is_some_and(|k| matches!(k, IdentityKeys::Provider(_)))
            );
        }
    }
}

#[test]
fn a_held_identity_keeps_what_opens_it_through_a_snapshot() {
    let v = vault(Keyring::new("k1", &[1; 32]).unwrap());
    let id = Identity::new(IdentityKind::ResidentId, "11010519491231002X").unwrap();
    let s = v.seal("L", "V1", &id).unwrap();
    let reg = |identity: SealedIdentity| {
        Registration::Sealed(SealedRegistration {
            home_org: None,
            id: "V1".parse().unwrap(),
            identity,
            name: "张三".into(),
        })
    };
    let held = HeldIdentity::of(&reg(s.identity.clone()), None).unwrap();
    let bytes = postcard::to_allocvec(&held).unwrap();
    let back: HeldIdentity = postcard::from_bytes(&bytes).unwrap();
    assert_eq!(back.sealed_identity(), s.identity);
    let w = s.wrapped.as_ref();
    assert_eq!(
        v.open("L", "V1", &back.sealed_identity(), w).unwrap(),
        id.number()
    );
    let tag = tag_bytes(s.identity.tag.as_deref().unwrap()).unwrap();
    assert_eq!(back.doc_key(), Some(DocKey::Tag(id.kind(), &tag)));
    // A ciphertext that is not hex keeps the tag (the index) and never opens.
    let mut odd = s.identity.clone();
    if let Some(c) = odd.sealed.as_mut() {
        c.ciphertext.push('g');
    }
    let held = HeldIdentity::of(&reg(odd), None).unwrap();
    assert_eq!(held.doc_key(), Some(DocKey::Tag(id.kind(), &tag)));
    let err = v.open("L", "V1", &held.sealed_identity(), w).unwrap_err();
    assert_eq!(err.code(), "E_KEY_UNAVAILABLE");
    let mut erased = back;
    erased.erase();
    assert_eq!(erased.doc_key(), None);
    assert_eq!(erased.sealed_identity().sealed, None);
}

#[test]
fn tags_are_equal_for_equal_numbers_across_a_rotation() {
    let mut ring = Keyring::new("k1", &[1; 32]).unwrap();
    let id = Identity::new(IdentityKind::ResidentId, "11010519491231002X").unwrap();
    let mut v = vault(ring.clone());
    v.fixed = Some([3; 32]);
    let first = v.seal("L", "V1", &id).unwrap();
    v.tag_key_id = first.new_tag_key_id.clone();
    ring.add("k2", &[2; 32]).unwrap();
    v.keys = Some(IdentityKeys::Provider(Arc::new(ring)));
    let second = v.seal("L", "V2", &id).unwrap();
    assert_eq!(first.identity.tag, second.identity.tag);
    assert_ne!(first.identity.sealed, second.identity.sealed);
    assert_eq!(second.wrapped.unwrap().key_id, "k2");
}

#[test]
fn key_files_read_back_and_refuse_other_text() {
    let mut ring = Keyring::new("k1", &[1; 32]).unwrap();
    ring.add("k2", &[2; 32]).unwrap();
    let again = Keyring::from_file_text(&ring.to_file_text()).unwrap();
    assert_eq!(again.ids(), ["k1", "k2"]);
    assert_eq!(again.current().as_deref(), Some("k2"));
    assert!(Keyring::from_file_text("k1 00").is_none());
    assert!(!format!("{ring:?}").contains("0101"));
}
