//! Service certificates: issuing one over a volunteer's counted records, the bytes its
//! signature covers, its verification code, and checking a certificate online or offline.

use super::Ledger;
use super::state::HeldVolunteer;
use crate::certificate::{
    Certificate, CertificateCheck, CertificateCommendation, CertificateRecord, CertificateStatus,
    CertificateTraining,
};
use crate::error::{LedgerError, Result, invalid_field};
use crate::ids::{ActorId, OrgId, RecordId, VolunteerId, mask_name};
use crate::log::{CertificateEntry, CertifiedRecord, Change, hash_bytes};
use crate::time::Timestamp;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The bytes a certificate's signature covers: its canonical JSON (keys sorted) with the
/// signature and the verification code empty.
pub fn certificate_bytes(c: &Certificate) -> Vec<u8> {
    let blank = Certificate {
        signature: String::new(),
        verification_code: String::new(),
        ..c.clone()
    };
    serde_json::to_vec(&blank).unwrap_or_default()
}

/// The verification code of a signature: the first 8 bytes of its SHA-256, in upper-case hex,
/// in four groups (`XXXX-XXXX-XXXX-XXXX`).
pub fn verification_code(signature: &str) -> String {
    let h = hash_bytes(signature.as_bytes())
        .to_hex()
        .to_ascii_uppercase();
    let h = h.get(..16).unwrap_or("");
    format!(
        "{}-{}-{}-{}",
        &h.get(..4).unwrap_or(""),
        &h.get(4..8).unwrap_or(""),
        &h.get(8..12).unwrap_or(""),
        &h.get(12..16).unwrap_or("")
    )
}

pub(super) fn normalise_code(code: &str) -> String {
    let raw: String = code
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(16)
        .collect::<String>()
        .to_ascii_uppercase();
    verification_code_from_raw(&raw)
}

pub(super) fn verification_code_from_raw(raw: &str) -> String {
    format!(
        "{}-{}-{}-{}",
        raw.get(..4).unwrap_or(""),
        raw.get(4..8).unwrap_or(""),
        raw.get(8..12).unwrap_or(""),
        raw.get(12..16).unwrap_or("")
    )
}

/// Checks a certificate offline, against the public key of an issuer the checker trusts:
/// the key must be the certificate's, the signature must cover its content, and the code must
/// be the signature's (`E_UNTRUSTED_ISSUER`, `E_BAD_SIGNATURE`). A certificate that carries
/// the issuer's signed head (every one issued since signed heads exist) must carry a head of
/// its own ledger signed by the same key, and an inclusion proof per record that leads to the
/// head's root (`E_CHECKPOINT_FORMAT`, `E_CHECKPOINT_MISMATCH`): keep the head
/// ([`Certificate::checkpoint`]) to show later, with [`Ledger::verify_against`], that the
/// ledger's history was not rewritten. Certificates issued before carry neither and are
/// checked as before.
pub fn verify_certificate_offline(c: &Certificate, trusted_public_key: &str) -> Result<()> {
    if !c.public_key.eq_ignore_ascii_case(trusted_public_key) {
        return Err(LedgerError::UntrustedIssuer {
            ledger: c.ledger_id.to_string(),
        });
    }
    crate::transfer::check_signature(&c.public_key, &certificate_bytes(c), &c.signature)?;
    if verification_code(&c.signature) != c.verification_code {
        return Err(LedgerError::BadSignature);
    }
    let Some(head) = &c.checkpoint else {
        if c.records.iter().any(|r| r.proof.is_some()) {
            return Err(LedgerError::CheckpointFormat {
                detail: "the certificate's records carry proofs but it carries no head".into(),
            });
        }
        return Ok(());
    };
    if head.ledger_id != c.ledger_id {
        return Err(LedgerError::CheckpointMismatch {
            size: u64::try_from(head.size).unwrap_or(0),
            detail: "the certificate's head is another ledger's".into(),
        });
    }
    head.check(&c.public_key)?;
    for r in &c.records {
        let proof = r
            .proof
            .as_ref()
            .ok_or_else(|| LedgerError::CheckpointFormat {
                detail: format!("record {} carries no inclusion proof", r.record),
            })?;
        head.check_inclusion(&r.entry_hash, proof)?;
    }
    Ok(())
}

/// What a certificate is asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "uniffi", derive(uniffi::Record))]
pub struct CertificateRequest {
    /// The volunteer.
    pub volunteer: VolunteerId,
    /// The first day covered.
    pub period_from: NaiveDate,
    /// The last day covered.
    pub period_to: NaiveDate,
    /// The issuing org.
    pub issuing_org: OrgId,
    /// Its responsible person (负责人).
    pub responsible_person: String,
    /// The handler (经办人).
    pub handler: String,
    /// The contact (联系方式).
    pub contact: String,
    /// Notes (备注).
    #[cfg_attr(feature = "uniffi", uniffi(default))]
    pub notes: String,
}

impl Ledger {
    /// Issues a service record certificate (志愿服务记录证明) for a volunteer's counted records in
    /// a period, signed by the ledger's key, and records it in the log so that its code can be
    /// checked.
    pub fn issue_certificate(
        &mut self,
        actor: &ActorId,
        req: CertificateRequest,
    ) -> Result<Certificate> {
        self.issue_certificate_with(actor, req, false)
    }

    /// As [`Ledger::issue_certificate`]; with `with_training_and_commendations`, the
    /// certificate also lists the training attended and the commendations received in the
    /// period that the issuing org (or one below it) recorded.
    pub fn issue_certificate_with(
        &mut self,
        actor: &ActorId,
        req: CertificateRequest,
        with_training_and_commendations: bool,
    ) -> Result<Certificate> {
        let key = self.signing_key.clone().ok_or(LedgerError::NoSigningKey)?;
        check_request(&req)?;
        let (v, vol) = self.state.volunteer_of(&req.volunteer)?;
        let org = self.org(&req.issuing_org)?;
        let off = self.state.off;
        let issuing = self.state.org_idx(&req.issuing_org)?;
        self.state.may_issue_certificate(actor, issuing)?;
        let (seqs, mut records) = self.certified_records(vol, issuing, &req);
        if records.is_empty() {
            return Err(invalid_field(
                format!("certificate for {}", req.volunteer),
                "period",
                "holds no counted service at the issuing org or below",
            ));
        }
        // The head before the certificate's own entry, and where each record's entry is in it.
        let checkpoint = self.sign_head(&key)?;
        let proofs = self.inclusion_proofs(self.len, &seqs)?;
        for (r, p) in records.iter_mut().zip(proofs) {
            r.proof = Some(p);
        }
        let issued_on = self.clock.now().local_date(off);
        let number = format!(
            "{}-{}-{:06}",
            self.config.ledger_id,
            chrono::Datelike::year(&issued_on),
            self.state.keys_and_transfers.certificates.len() + 1
        );
        let (training, commendations) = if with_training_and_commendations {
            self.certified_training_and_commendations(v, issuing, &req)
        } else {
            (Vec::new(), Vec::new())
        };
        // The one output that needs the full number: refused without the keys that open it.
        let identity = self.full_identity(v)?;
        let mut cert = Certificate {
            checkpoint: Some(checkpoint),
            commendations,
            training,
            contact: req.contact,
            handler: req.handler,
            identity_kind: identity.kind(),
            identity_number: identity.number().to_owned(),
            issued_on,
            issuing_org: org.id.clone(),
            issuing_org_name: org.name.clone(),
            ledger_id: self.config.ledger_id.clone(),
            ledger_name: self.config.name.clone(),
            name: vol.name.to_string(),
            notes: req.notes,
            number,
            period_from: req.period_from,
            period_to: req.period_to,
            public_key: crate::transfer::public_key_hex(&key),
            total_minutes: records.iter().map(|r| r.minutes).sum(),
            records,
            responsible_person: req.responsible_person,
            signature: String::new(),
            verification_code: String::new(),
            volunteer: req.volunteer,
        };
        let bytes = certificate_bytes(&cert);
        cert.signature = crate::transfer::sign(&key, &bytes);
        cert.verification_code = verification_code(&cert.signature);
        let entry = certificate_entry(&cert, &bytes);
        self.commit(actor, Change::CertificateIssued(entry))?;
        if let Some(head) = &cert.checkpoint {
            // Best effort: the head is in the certificate its holder keeps; the file's copy
            // only lets open() and verify() check it too.
            let _ = self.keep_head(head);
        }
        Ok(cert)
    }

    /// The volunteer's counted records at the issuing org or below within the requested period,
    /// each with the sequence number of its entry. Who records certifies (谁记录谁证明): an
    /// org certifies the service done in its subtree.
    fn certified_records(
        &self,
        vol: &HeldVolunteer,
        issuing: u32,
        req: &CertificateRequest,
    ) -> (Vec<u64>, Vec<CertificateRecord>) {
        let off = self.state.off;
        vol.records
            .iter()
            .filter_map(|&i| self.state.records.get(i as usize).map(|r| (i, r)))
            .filter(|(_, r)| r.counted() && self.state.ancestors(r.org).contains(&issuing))
            .filter_map(|(i, r)| {
                let date = Timestamp(r.start()).local_date(off);
                if date < req.period_from || date > req.period_to {
                    return None;
                }
                let record = CertificateRecord {
                    content: self.state.texts.get(i).to_owned(),
                    date,
                    entry_hash: self.entry_hash(r.seq)?.to_hex(),
                    minutes: i64::from(r.minutes),
                    org_name: self.state.orgs.get(r.org as usize)?.org.name.clone(),
                    proof: None,
                    record: RecordId::new(self.state.record_ids.resolve(i)).ok()?,
                };
                Some((u64::from(r.seq), record))
            })
            .unzip()
    }

    /// The training and commendations a certificate lists: the volunteer's at the issuing org
    /// or below within the requested period, with their orgs' names.
    fn certified_training_and_commendations(
        &self,
        v: u32,
        issuing: u32,
        req: &CertificateRequest,
    ) -> (Vec<CertificateTraining>, Vec<CertificateCommendation>) {
        let (training, commendations) =
            self.training_and_commendations(v, issuing, req.period_from, req.period_to);
        let org_name = |o: &OrgId| self.org(o).map(|x| x.name).unwrap_or_default();
        let training = training
            .into_iter()
            .map(|t| CertificateTraining {
                date: t.date,
                minutes: i64::from(t.minutes),
                org_name: org_name(&t.org),
                title: t.title,
            })
            .collect();
        let commendations = commendations
            .into_iter()
            .map(|c| CertificateCommendation {
                date: c.date,
                org_name: org_name(&c.org),
                title: c.title,
            })
            .collect();
        (training, commendations)
    }

    /// Checks a certificate by its verification code against this ledger (online). Shows only
    /// what it must, masked; a certificate one of whose records was later amended or revoked,
    /// or whose volunteer's name or identity number was later corrected, checks as superseded
    /// and says which.
    pub fn verify_certificate(&self, code: &str) -> Result<CertificateCheck> {
        let norm = normalise_code(code);
        let (place, c) = self
            .state
            .keys_and_transfers
            .certificate_codes
            .get(&norm)
            .and_then(|&i| Some((i, self.state.keys_and_transfers.certificates.get(i)?)))
            .ok_or_else(|| LedgerError::UnknownCertificate {
                code: code.chars().take(40).collect(),
            })?;
        let corrected = self.state.corrected_since(place);
        let (_, vol) = self.state.volunteer_of(&c.volunteer)?;
        let changed_records: Vec<RecordId> = c
            .records
            .iter()
            .filter(|r| {
                let still = self.state.rec_idx(&r.record).ok().and_then(|i| {
                    let rec = self.state.records.get(i as usize)?;
                    let hash = self.entry_hash(rec.seq)?.to_hex();
                    Some(rec.counted() && hash == r.entry_hash)
                });
                still != Some(true)
            })
            .map(|r| r.record.clone())
            .collect();
        Ok(CertificateCheck {
            status: if changed_records.is_empty() && corrected.is_empty() {
                CertificateStatus::Valid
            } else {
                CertificateStatus::Superseded
            },
            number: c.number.clone(),
            volunteer: c.volunteer.clone(),
            masked_name: mask_name(&vol.name),
            identity_kind: vol.identity.kind,
            masked_identity: vol.identity.mask.to_string(),
            period_from: c.period_from,
            period_to: c.period_to,
            total_minutes: crate::error::signed(c.total_minutes),
            issuing_org_name: self.org(&c.issuing_org).map(|o| o.name).unwrap_or_default(),
            issued_on: self
                .state
                .keys_and_transfers
                .certificate_codes
                .get(&c.code)
                .and_then(|&i| self.state.keys_and_transfers.certificate_times.get(i))
                .map_or(c.period_to, |t| t.local_date(self.state.off)),
            changed_records,
            corrected,
        })
    }
}

/// Refuses a request whose period ends before it begins, or whose texts are too long or hold
/// control characters.
fn check_request(req: &CertificateRequest) -> Result<()> {
    if req.period_to < req.period_from {
        return Err(invalid_field(
            "certificate",
            "period_to",
            "is before period_from",
        ));
    }
    for (field, text, max) in [
        ("responsible_person", &req.responsible_person, 50),
        ("handler", &req.handler, 50),
        ("contact", &req.contact, 100),
        ("notes", &req.notes, 1000),
    ] {
        if text.chars().count() > max || text.chars().any(|c| c.is_control() && c != '\n') {
            return Err(invalid_field(
                "certificate",
                field,
                format!("is longer than {max} characters or holds control characters"),
            ));
        }
    }
    Ok(())
}

/// The entry that records a certificate: its code and digest, and the records it covers.
fn certificate_entry(cert: &Certificate, bytes: &[u8]) -> CertificateEntry {
    CertificateEntry {
        code: cert.verification_code.clone(),
        digest: hash_bytes(bytes).to_hex(),
        issuing_org: cert.issuing_org.clone(),
        number: cert.number.clone(),
        period_from: cert.period_from,
        period_to: cert.period_to,
        records: cert
            .records
            .iter()
            .map(|r| CertifiedRecord {
                entry_hash: r.entry_hash.clone(),
                record: r.record.clone(),
            })
            .collect(),
        total_minutes: cert.total_minutes.unsigned_abs(),
        volunteer: cert.volunteer.clone(),
    }
}
