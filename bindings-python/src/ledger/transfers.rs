//! A ledger's signing key, the issuers it trusts, and transfers: exporting a volunteer's
//! history as a signed package, previewing it, importing one.

use super::PyLedger;
use crate::conversions::opt_id;
use crate::errors::check;
use pyo3::prelude::*;
use volunteer_ledger as vl;

#[pymethods]
impl PyLedger {
    /// Gives the ledger its Ed25519 signing key from a 32-byte seed (kept by the platform's
    /// secret store; the seed never enters the log). The first time, a platform admin
    /// registers its public half in the log; giving a registered key again writes nothing.
    fn set_signing_key(&self, py: Python<'_>, actor: String, seed: &[u8]) -> PyResult<vl::Receipt> {
        let actor = Self::actor(py, &actor)?;
        let seed = seed.to_vec();
        self.run(py, move |l| l.set_signing_key(&actor, &seed))
    }

    /// The ledger's current public key (64 hex digits), or None if it has no signing key.
    fn public_key(&self, py: Python<'_>) -> PyResult<Option<String>> {
        self.run(py, |l| Ok(l.public_key()))
    }

    /// The ledger as an issuer (id, name, public key), to give to ledgers that will trust it.
    /// Raises StateError (E_NO_SIGNING_KEY) without a signing key.
    fn issuer(&self, py: Python<'_>) -> PyResult<vl::Issuer> {
        self.run(py, |l| l.issuer())
    }

    /// Trusts another ledger to issue transfer packages (a platform admin keeps the list).
    #[pyo3(signature = (actor, *, ledger_id, name, public_key))]
    fn trust_issuer(
        &self,
        py: Python<'_>,
        actor: String,
        ledger_id: String,
        name: String,
        public_key: String,
    ) -> PyResult<vl::Receipt> {
        let actor = Self::actor(py, &actor)?;
        let ledger_id: vl::LedgerId = check(py, ledger_id.parse())?;
        let issuer = vl::Issuer {
            ledger_id,
            name,
            public_key,
        };
        self.run(py, move |l| l.trust_issuer(&actor, issuer))
    }

    /// The trusted issuers, as (ledger id, public key) pairs.
    fn trusted_issuers(&self, py: Python<'_>) -> PyResult<Vec<(String, String)>> {
        self.run(py, |l| {
            Ok(l.trusted_issuers()
                .into_iter()
                .map(|(id, key)| (id.to_string(), key))
                .collect())
        })
    }

    /// Issues a signed transfer package for a volunteer leaving for another ledger
    /// (`destination`, if known) and marks them transferred out; their records stay here.
    /// Returns the package's text, to hand to the destination.
    #[pyo3(signature = (actor, volunteer, *, destination = None))]
    fn export_transfer(
        &self,
        py: Python<'_>,
        actor: String,
        volunteer: String,
        destination: Option<String>,
    ) -> PyResult<String> {
        let actor = Self::actor(py, &actor)?;
        let volunteer: vl::VolunteerId = check(py, volunteer.parse())?;
        let destination: Option<vl::LedgerId> = check(py, opt_id(destination))?;
        self.run(py, move |l| {
            l.export_transfer(&actor, &volunteer, destination)
        })
    }

    /// The package a volunteer's history makes now, unsigned and without marking them
    /// transferred out: a preview of `export_transfer` (times in UTC, as `open_package`).
    #[pyo3(signature = (volunteer, *, destination = None))]
    fn transfer_package(
        &self,
        py: Python<'_>,
        volunteer: String,
        destination: Option<String>,
    ) -> PyResult<vl::TransferPackage> {
        self.run(py, move |l| {
            l.transfer_package(&volunteer.parse()?, opt_id(destination)?)
        })
    }

    /// Imports a transfer package's text: checks its form, its issuer (on the trust list), its
    /// signature, its destination and its volunteer, then carries its history in. Importing
    /// the same package again changes nothing (`duplicate` is True).
    fn import_transfer(
        &self,
        py: Python<'_>,
        actor: String,
        package: String,
    ) -> PyResult<vl::TransferReceipt> {
        let actor = Self::actor(py, &actor)?;
        self.run(py, move |l| l.import_transfer(&actor, &package))
    }
}
