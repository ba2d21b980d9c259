//! Issuing a service certificate from a ledger, and checking one by its verification code.

use super::PyLedger;
use crate::errors::check;
use chrono::NaiveDate;
use pyo3::prelude::*;
use volunteer_ledger as vl;

#[pymethods]
impl PyLedger {
    /// Issues a service certificate (志愿服务证明) for a volunteer's counted records from
    /// `period_from` to `period_to` (dates, both included), signed by the ledger's key.
    #[pyo3(
        signature = (
            actor, *, volunteer, period_from, period_to, issuing_org, responsible_person,
            handler, contact, notes = String::new(), with_training_and_commendations = false
        ),
        text_signature = "($self, actor, *, volunteer, period_from, period_to, issuing_org, \
            responsible_person, handler, contact, notes='', with_training_and_commendations=False)"
    )]
    #[allow(clippy::too_many_arguments)]
    fn issue_certificate(
        &self,
        py: Python<'_>,
        actor: String,
        volunteer: String,
        period_from: NaiveDate,
        period_to: NaiveDate,
        issuing_org: String,
        responsible_person: String,
        handler: String,
        contact: String,
        notes: String,
        with_training_and_commendations: bool,
    ) -> PyResult<vl::Certificate> {
        let actor = Self::actor(py, &actor)?;
        let request = check(
            py,
            (|| -> vl::Result<vl::CertificateRequest> {
                Ok(vl::CertificateRequest {
                    volunteer: volunteer.parse()?,
                    period_from,
                    period_to,
                    issuing_org: issuing_org.parse()?,
                    responsible_person,
                    handler,
                    contact,
                    notes,
                })
            })(),
        )?;
        self.run(py, move |l| {
            l.issue_certificate_with(&actor, request, with_training_and_commendations)
        })
    }

    /// Checks a certificate by its verification code (case and separators do not matter).
    /// Raises NotFoundError (E_UNKNOWN_CERTIFICATE) for a code this ledger did not issue.
    fn verify_certificate(&self, py: Python<'_>, code: String) -> PyResult<vl::CertificateCheck> {
        self.run(py, move |l| l.verify_certificate(&code))
    }
}
