//! Service record certificates (志愿服务记录证明) without a ledger: checking and rendering one.

use crate::errors::check;
use pyo3::prelude::*;
use volunteer_ledger as vl;

/// Checks a certificate offline against the public key of an issuer the checker trusts.
/// Returns None if it is genuine; raises AuthorizationError (E_UNTRUSTED_ISSUER) for another
/// key and IntegrityError (E_BAD_SIGNATURE) for an altered certificate.
#[pyfunction]
pub(crate) fn verify_certificate_offline(
    py: Python<'_>,
    certificate: &vl::Certificate,
    public_key: &str,
) -> PyResult<()> {
    check(py, vl::verify_certificate_offline(certificate, public_key))
}

/// A certificate as plain text, in Chinese and English.
#[pyfunction]
pub(crate) fn certificate_text(certificate: &vl::Certificate) -> String {
    vl::render::certificate_text(certificate)
}

/// A certificate as a self-contained HTML page, in Chinese and English; with `verify_url`,
/// the page carries that link and a QR code of it with the verification code.
#[pyfunction]
#[pyo3(signature = (certificate, verify_url = None))]
pub(crate) fn certificate_html(certificate: &vl::Certificate, verify_url: Option<&str>) -> String {
    vl::render::certificate_html(certificate, verify_url)
}

/// A certificate as an HTML page from a district's own Jinja template (see
/// DEFAULT_CERTIFICATE_TEMPLATE and docs/certificate.md); every value is escaped. Raises
/// InputError (E_CERTIFICATE_TEMPLATE) naming the template's line when it does not render.
#[pyfunction]
#[pyo3(signature = (certificate, template, verify_url = None))]
pub(crate) fn certificate_html_with_template(
    py: Python<'_>,
    certificate: &vl::Certificate,
    template: &str,
    verify_url: Option<&str>,
) -> PyResult<String> {
    check(
        py,
        vl::render::certificate_html_with_template(certificate, verify_url, template),
    )
}

/// What a certificate's QR code holds: the verify URL with the code, or without one the
/// self-contained text (VLCERT/1, ledger, number, code, signed digest, key).
#[pyfunction]
#[pyo3(signature = (certificate, verify_url = None))]
pub(crate) fn certificate_qr_payload(
    certificate: &vl::Certificate,
    verify_url: Option<&str>,
) -> String {
    vl::render::certificate_qr_payload(certificate, verify_url)
}

/// Checks that a certificate's QR text names this certificate; returns None, or raises
/// IntegrityError (E_CERTIFICATE_FORMAT) naming the field that differs.
#[pyfunction]
pub(crate) fn check_certificate_qr(
    py: Python<'_>,
    certificate: &vl::Certificate,
    payload: &str,
) -> PyResult<()> {
    check(py, vl::render::check_certificate_qr(certificate, payload))
}
