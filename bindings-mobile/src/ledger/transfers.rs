//! A ledger's signing key and the issuers it trusts; transfers (a volunteer's history exported
//! as a signed package, previewed, imported); and service certificates, issued and checked by
//! their verification code.

use vl::{
    Certificate, CertificateCheck, CertificateRequest, Issuer, Receipt, TransferPackage,
    TransferReceipt,
};
use volunteer_ledger as vl;

use super::Ledger;
use crate::conversions::{parse, parse_opt};
use crate::errors::Result;
use crate::transfers::TrustedIssuer;

#[uniffi::export]
impl Ledger {
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

    /// Issues the signed transfer package of a volunteer leaving for another ledger (named by
    /// `destination`, if given) and marks them transferred out. Returns the package's text.
    #[uniffi::method(default(destination = None))]
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
    #[uniffi::method(default(destination = None))]
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
}
