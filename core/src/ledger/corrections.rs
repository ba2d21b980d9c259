//! Corrections of a volunteer (a misspelt name, a wrong identity number, a new phone): a
//! logged, authorised `volunteer_corrected` entry whose values are sealed as a registration
//! seals them; the values before stay in the entries that set them, and certificates that
//! showed a corrected name or number are superseded (`docs/identity.md`, "Corrections").

use super::checks::{admitted, check_text};
use super::identity::KeyWrite;
use super::state::{Admit, State, doc_hash, held_hash};
use super::{Ledger, Log, Receipt};
use crate::error::{LedgerError, Result, invalid_field};
use crate::ids::{ActorId, Identity, VolunteerId};
use crate::log::{Change, Correction};
use crate::org::VolunteerCorrection;
use crate::ranking::BoardKind;
use crate::vault::{
    DocKey, HeldIdentity, IdentityKeys, KEY_LEN, SealedIdentity, SealedPhone, Vault,
    normalise_phone,
};
use hashbrown::HashMap;
use serde::{Deserialize, Serialize};

/// The longest reason a correction gives.
const MAX_REASON: usize = 500;

/// What corrections leave in the state: the phones held, and the certificates superseded by
/// a correction of what they showed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(super) struct Corrections {
    /// Each volunteer's phone, by their index: masked, sealed under their data key.
    pub(super) phones: HashMap<u32, SealedPhone>,
    /// Certificates (by their place among the ledger's certificates) whose volunteer's name or
    /// identity number was corrected after they were issued: the fields corrected, in order.
    pub(super) certificates: HashMap<u32, Vec<String>>,
}

fn at(volunteer: &VolunteerId) -> String {
    format!("correction of volunteer {volunteer}")
}

fn unchanged(volunteer: &VolunteerId, field: &str) -> LedgerError {
    invalid_field(
        at(volunteer),
        field,
        "is the value the volunteer holds already: nothing to correct",
    )
}

impl State {
    /// The volunteer a correction is about, if the actor may correct them: registered, still
    /// here, and, for a sealed value (an identity number or a phone), not erased.
    fn correction_target(
        &self,
        actor: &ActorId,
        volunteer: &VolunteerId,
        sealed_values: bool,
    ) -> Result<u32> {
        let v = self.vol_idx(volunteer)?;
        self.still_here(v, volunteer)?;
        self.may_correct_volunteer(actor, v)?;
        if sealed_values && self.vol(v).is_some_and(|x| x.identity.erased) {
            return Err(LedgerError::IdentityErased {
                volunteer: volunteer.to_string(),
            });
        }
        Ok(v)
    }

    /// The texts of a correction: at least one value, a reason, a new name that is a name and
    /// not the one held.
    fn check_correction_texts(
        &self,
        v: u32,
        volunteer: &VolunteerId,
        name: Option<&str>,
        sets_something: bool,
        reason: &str,
    ) -> Result<()> {
        if !sets_something {
            return Err(invalid_field(
                at(volunteer),
                "name",
                "a correction sets a name, an identity number or a phone",
            ));
        }
        check_text(
            "correction of volunteer",
            volunteer.as_str(),
            "reason",
            reason,
            MAX_REASON,
            false,
        )?;
        if let Some(name) = name {
            check_text("volunteer", volunteer.as_str(), "name", name, 100, false)?;
            if self.vol(v).is_some_and(|x| &*x.name == name) {
                return Err(unchanged(volunteer, "name"));
            }
        }
        Ok(())
    }

    /// A correction, as replay checks it: authorised, its values well formed, a new identity
    /// document held by nobody (`E_DUPLICATE_IDENTITY`) and not the one held.
    pub(super) fn check_volunteer_corrected(
        &self,
        actor: &ActorId,
        c: &Correction,
    ) -> Result<Option<Admit>> {
        let sealed_values = c.identity.is_some() || c.phone.is_some();
        let v = self.correction_target(actor, &c.volunteer, sealed_values)?;
        self.check_correction_texts(
            v,
            &c.volunteer,
            c.name.as_deref(),
            c.name.is_some() || sealed_values,
            &c.reason,
        )?;
        if let Some(i) = &c.identity {
            let held = HeldIdentity::of_sealed(i).ok_or_else(|| {
                invalid_field(
                    at(&c.volunteer),
                    "identity",
                    "is not a sealed identity: mask, tag (64 hex digits) and ciphertext",
                )
            })?;
            if let Some(k) = held.doc_key() {
                match self.identity_holder(k) {
                    Some(h) if h == v => return Err(unchanged(&c.volunteer, "identity_number")),
                    Some(_) => {
                        return Err(LedgerError::DuplicateIdentity {
                            id: c.volunteer.to_string(),
                        });
                    }
                    None => {}
                }
            }
        }
        if c.phone.as_ref().is_some_and(|p| !p.well_formed()) {
            return Err(invalid_field(
                at(&c.volunteer),
                "phone",
                "is not a sealed phone: a mask of digits and '*', hex ciphertext",
            ));
        }
        admitted()
    }

    /// A correction applied: the name, the identity (the index follows: the old document is
    /// free, the new one held) and the phone replaced; the volunteer's certificates issued so
    /// far that showed a corrected value are superseded.
    pub(super) fn apply_volunteer_corrected(&mut self, c: &Correction) -> Result<()> {
        let v = self.vol_idx(&c.volunteer)?;
        let held = match &c.identity {
            Some(i) => Some(HeldIdentity::of_sealed(i).ok_or_else(|| {
                invalid_field(at(&c.volunteer), "identity", "is not a sealed identity")
            })?),
            None => None,
        };
        if let (Some(name), Some(x)) = (&c.name, self.vols.get_mut(v as usize)) {
            x.name = name.as_str().into();
            // Boards show names: rebuild the volunteers' on next request.
            self.boards.retain(|k, _| k.kind != BoardKind::Volunteers);
        }
        if let Some(held) = held {
            let Self {
                identities,
                vols,
                clear_numbers,
                ..
            } = self;
            if let Some(k) = vols.get(v as usize).and_then(|x| x.identity.doc_key())
                && let Ok(found) = identities.find_entry(doc_hash(k), |&i| i == v)
            {
                found.remove();
            }
            if let Some(x) = vols.get_mut(v as usize) {
                x.identity = held;
            }
            if let Some(k) = vols.get(v as usize).and_then(|x| x.identity.doc_key()) {
                *clear_numbers |= matches!(k, DocKey::Clear(..));
                identities.insert_unique(doc_hash(k), v, |&i| held_hash(vols, i));
            }
        }
        if let Some(p) = &c.phone {
            self.corrections.phones.insert(v, p.clone());
        }
        let fields: Vec<&str> = [
            c.name.as_ref().map(|_| "name"),
            c.identity.as_ref().map(|_| "identity_number"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if !fields.is_empty() {
            let Self {
                keys_and_transfers,
                corrections,
                ..
            } = self;
            for (i, cert) in keys_and_transfers.certificates.iter().enumerate() {
                if cert.volunteer != c.volunteer {
                    continue;
                }
                let i = u32::try_from(i).unwrap_or(u32::MAX);
                let corrected = corrections.certificates.entry(i).or_default();
                for f in &fields {
                    if !corrected.iter().any(|x| x == f) {
                        corrected.push((*f).to_owned());
                    }
                }
            }
        }
        Ok(())
    }

    /// The fields corrected since a certificate (by its place) was issued.
    pub(super) fn corrected_since(&self, certificate: usize) -> Vec<String> {
        u32::try_from(certificate)
            .ok()
            .and_then(|i| self.corrections.certificates.get(&i))
            .cloned()
            .unwrap_or_default()
    }
}

impl Ledger {
    /// Corrects a registered volunteer's name, identity number or phone, giving a reason: a
    /// `volunteer_corrected` entry, authorised as the volunteer's management by admins (a
    /// platform admin, or an admin of their home org or above). The values before stay in the
    /// entries that set them. A new identity number is validated and sealed as a registration
    /// seals it, under a new data key that replaces the volunteer's old one (the old
    /// ciphertext in the log can then no longer be opened; a phone held is sealed again under
    /// the new key); a phone is normalised, masked and sealed under the volunteer's data key.
    /// Certificates issued before that showed the old name or number check as superseded.
    ///
    /// Refuses an unknown volunteer (`E_UNKNOWN_VOLUNTEER`), one transferred out, an actor
    /// without the right (`E_FORBIDDEN`), a number or phone of an erased identity
    /// (`E_IDENTITY_ERASED`), a number registered to someone else (`E_DUPLICATE_IDENTITY`), an
    /// invalid or unchanged value, an empty correction or reason (`E_FIELD`), and, without the
    /// keys, a number or phone (`E_KEY_UNAVAILABLE`). Nothing is stored on a refusal, and no
    /// message quotes a name, number or phone.
    pub fn correct_volunteer(
        &mut self,
        actor: &ActorId,
        volunteer: &VolunteerId,
        correction: VolunteerCorrection,
    ) -> Result<Receipt> {
        let VolunteerCorrection {
            name,
            identity_kind,
            identity_number,
            phone,
            reason,
        } = correction;
        if identity_kind.is_some() && identity_number.is_none() {
            return Err(invalid_field(
                at(volunteer),
                "identity_number",
                "is required when identity_kind is given",
            ));
        }
        let sealed_values = identity_number.is_some() || phone.is_some();
        let v = self
            .state
            .correction_target(actor, volunteer, sealed_values)?;
        self.state.check_correction_texts(
            v,
            volunteer,
            name.as_deref(),
            name.is_some() || sealed_values,
            &reason,
        )?;
        let now = self.clock.now();
        let held_kind = self.state.vol(v).map(|x| x.identity.kind);
        let identity = match identity_number {
            Some(n) => {
                let kind =
                    identity_kind
                        .or(held_kind)
                        .ok_or_else(|| LedgerError::UnknownVolunteer {
                            id: volunteer.to_string(),
                        })?;
                Some(Identity::new_at(kind, &n, now.local_date(self.state.off))?)
            }
            None => None,
        };
        if let Some(id) = &identity {
            // A document a version-1 registration holds in clear.
            match self
                .state
                .identity_holder(DocKey::Clear(id.kind(), id.number()))
            {
                Some(h) if h == v => return Err(unchanged(volunteer, "identity_number")),
                Some(_) => {
                    return Err(LedgerError::DuplicateIdentity {
                        id: volunteer.to_string(),
                    });
                }
                None => {}
            }
        }
        let phone = phone
            .map(|p| normalise_phone(&at(volunteer), &p))
            .transpose()?;
        let (identity, sealed_phone, key) = self.seal_correction(v, volunteer, identity, phone)?;
        let replaced = matches!(key, KeyWrite::Put { replace: true, .. });
        let change = Change::VolunteerCorrected(Correction {
            identity,
            name,
            phone: sealed_phone,
            reason,
            volunteer: volunteer.clone(),
        });
        let receipt = self.commit_keyed(actor, change, key)?.0;
        if replaced
            && let Log::File(store) = &self.log
            && !store.batch
        {
            // Best effort, as for an erase: the replaced data key's page leaves the WAL.
            let _ = store.truncate_wal();
        }
        Ok(receipt)
    }

    /// The sealed values of a correction and the data key to write: a new number under a new
    /// data key (a phone held sealed again under it), a phone under the volunteer's data key
    /// (one made now for a volunteer registered in clear). Refuses a phone equal to the one
    /// held (`E_FIELD`) and, without the keys, `E_KEY_UNAVAILABLE`.
    fn seal_correction(
        &self,
        v: u32,
        volunteer: &VolunteerId,
        identity: Option<Identity>,
        phone: Option<String>,
    ) -> Result<(Option<SealedIdentity>, Option<SealedPhone>, KeyWrite)> {
        let held_phone = self.state.corrections.phones.get(&v);
        let ledger = self.config.ledger_id.to_string();
        let round = format!("@{}", self.len);
        // The phone held, opened, when a new phone is compared with it or it is sealed again
        // under a new data key.
        let own_key = if identity.is_some() || phone.is_some() {
            self.own_data_key(v)?
        } else {
            None
        };
        let unavailable = |what: &str| LedgerError::KeyUnavailable { what: what.into() };
        let held_digits = match held_phone {
            Some(p) if p.sealed.is_some() && (phone.is_some() || identity.is_some()) => {
                let k = own_key
                    .as_ref()
                    .ok_or_else(|| unavailable("data key of the volunteer's phone"))?;
                Some(Vault::open_phone(&ledger, volunteer.as_str(), p, k)?)
            }
            _ => None,
        };
        if phone.is_some() && phone == held_digits {
            return Err(unchanged(volunteer, "phone"));
        }
        let sealing = identity
            .map(|id| {
                self.vault
                    .seal_round(&ledger, volunteer.as_str(), &id, &round)
            })
            .transpose()?;
        let mut key = KeyWrite::None;
        let phone_key: Option<[u8; KEY_LEN]> = match &sealing {
            Some(s) => {
                if let Some(wrapped) = s.wrapped.clone() {
                    key = KeyWrite::Put {
                        volunteer: volunteer.to_string(),
                        wrapped,
                        tag_key_id: s.new_tag_key_id.clone(),
                        replace: true,
                    };
                }
                s.data_key
            }
            None if phone.is_some() && own_key.is_none() && self.has_identity_key() => {
                // A volunteer without a data key (registered in clear) gets one now; one whose
                // sealed number's key is missing is refused, not given another.
                if self
                    .state
                    .vol(v)
                    .is_some_and(|x| x.identity.sealed_identity().sealed.is_some())
                {
                    return Err(unavailable("data key of the volunteer's identity number"));
                }
                let (data_key, wrapped) =
                    self.vault
                        .fresh_data_key(&ledger, volunteer.as_str(), &round)?;
                key = KeyWrite::Put {
                    volunteer: volunteer.to_string(),
                    wrapped,
                    tag_key_id: None,
                    replace: true,
                };
                Some(data_key)
            }
            None => own_key,
        };
        let phone_to_seal = phone.or(if sealing.is_some() { held_digits } else { None });
        let sealed_phone = phone_to_seal
            .map(|d| {
                self.vault
                    .seal_phone(&ledger, volunteer.as_str(), &d, phone_key.as_ref(), &round)
            })
            .transpose()?;
        Ok((sealing.map(|s| s.identity), sealed_phone, key))
    }

    /// A volunteer's phone number in full, to reach them (`None` when none is held). Not
    /// exposed to boards, views, logs or errors (views show it masked). Refuses without the
    /// keys that open it, or when the volunteer's data key was destroyed
    /// (`E_KEY_UNAVAILABLE`).
    pub fn volunteer_phone(&self, volunteer: &VolunteerId) -> Result<Option<String>> {
        let v = self.state.vol_idx(volunteer)?;
        let Some(phone) = self.state.corrections.phones.get(&v) else {
            return Ok(None);
        };
        let key = self
            .own_data_key(v)?
            .ok_or_else(|| LedgerError::KeyUnavailable {
                what: "data key of the volunteer's phone".into(),
            })?;
        Vault::open_phone(
            self.config.ledger_id.as_str(),
            volunteer.as_str(),
            phone,
            &key,
        )
        .map(Some)
    }

    /// The volunteer's data key, opened: `None` on a device that keeps masks only or when
    /// the volunteer has none (registered in clear); `E_KEY_UNAVAILABLE` without the keys.
    fn own_data_key(&self, v: u32) -> Result<Option<[u8; KEY_LEN]>> {
        match &self.vault.keys {
            Some(IdentityKeys::MaskOnly) => return Ok(None),
            Some(IdentityKeys::Provider(_)) => {}
            None => {
                return Err(LedgerError::KeyUnavailable {
                    what: "ledger key (correct an identity number or a phone)".into(),
                });
            }
        }
        let Some(vol) = self.state.vol(v) else {
            return Ok(None);
        };
        let wrapped = match &self.log {
            Log::File(store) => store.data_key(&vol.key)?,
            _ => self.vault.wrapped.get(&*vol.key).cloned(),
        };
        match wrapped {
            Some(w) => self
                .vault
                .unwrap_data_key(self.config.ledger_id.as_str(), &vol.key, Some(&w))
                .map(Some),
            None => Ok(None),
        }
    }
}
