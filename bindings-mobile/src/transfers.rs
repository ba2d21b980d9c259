//! Transfer packages and service certificates outside any ledger: the issuers a ledger trusts
//! as records, a package opened without importing it and its hash, and a certificate checked
//! offline, rendered as text or HTML, and to and from its JSON.

use vl::{Certificate, LedgerId, TransferPackage};
use volunteer_ledger as vl;

use crate::conversions::parse;
use crate::errors::Result;

/// A ledger this one trusts to issue transfer packages: its id and Ed25519 public key (64 hex
/// digits). The core keeps these as (id, key) pairs, which cannot cross the boundary as such.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct TrustedIssuer {
    /// The trusted ledger's id.
    pub ledger_id: String,
    /// Its public key, hex.
    pub public_key: String,
}

/// Trusted issuers as the core's (ledger id, public key) pairs; a malformed id is `E_FIELD`.
pub(crate) fn trusted_pairs(trusted: Vec<TrustedIssuer>) -> Result<Vec<(LedgerId, String)>> {
    trusted
        .into_iter()
        .map(|t| Ok((parse(&t.ledger_id)?, t.public_key)))
        .collect()
}

/// Opens a transfer package's text without importing it: refuses an altered or non-canonical
/// one (`E_TRANSFER_FORMAT`), a future format (`E_TRANSFER_VERSION`), an issuer not in
/// `trusted` (`E_UNTRUSTED_ISSUER`) and a bad signature (`E_BAD_SIGNATURE`).
#[uniffi::export]
pub fn open_package(text: String, trusted: Vec<TrustedIssuer>) -> Result<TransferPackage> {
    let trusted = trusted_pairs(trusted)?;
    Ok(vl::open_package(&text, &trusted)?)
}

/// The hash of a package's text (64 hex): how a ledger recognises a package imported before.
#[uniffi::export]
pub fn package_hash(text: String) -> String {
    vl::package_hash(&text)
}

/// Checks a certificate offline against the public key (hex) of an issuer the checker trusts:
/// `E_UNTRUSTED_ISSUER` if the key is not the certificate's, `E_BAD_SIGNATURE` if anything on
/// it was altered.
#[uniffi::export]
pub fn verify_certificate_offline(certificate: Certificate, public_key: String) -> Result<()> {
    Ok(vl::verify_certificate_offline(&certificate, &public_key)?)
}

/// A certificate as plain text.
#[uniffi::export]
pub fn certificate_text(certificate: Certificate) -> String {
    vl::render::certificate_text(&certificate)
}

/// A certificate as a printable HTML page, with a QR code (SVG) of `verify_url` if given.
#[uniffi::export(default(verify_url = None))]
pub fn certificate_html(certificate: Certificate, verify_url: Option<String>) -> String {
    vl::render::certificate_html(&certificate, verify_url.as_deref())
}

/// A certificate as a printable HTML page from a district's own Jinja template (start from
/// [`default_certificate_template`]); every value is escaped. `E_CERTIFICATE_TEMPLATE` (input)
/// names the template's line when it does not render.
#[uniffi::export(default(verify_url = None))]
pub fn certificate_html_with_template(
    certificate: Certificate,
    template: String,
    verify_url: Option<String>,
) -> Result<String> {
    Ok(vl::render::certificate_html_with_template(
        &certificate,
        verify_url.as_deref(),
        &template,
    )?)
}

/// The default certificate layout, the template a district's own starts from.
#[uniffi::export]
pub fn default_certificate_template() -> String {
    vl::render::DEFAULT_CERTIFICATE_TEMPLATE.to_owned()
}

/// What a certificate's QR code holds: `verify_url` with the code, or without one the
/// self-contained text (`VLCERT/1`, ledger, number, code, signed digest, key).
#[uniffi::export(default(verify_url = None))]
pub fn certificate_qr_payload(certificate: Certificate, verify_url: Option<String>) -> String {
    vl::render::certificate_qr_payload(&certificate, verify_url.as_deref())
}

/// Checks that a QR text names this certificate; `E_CERTIFICATE_FORMAT` names the field that
/// differs.
#[uniffi::export]
pub fn check_certificate_qr(certificate: Certificate, payload: String) -> Result<()> {
    Ok(vl::render::check_certificate_qr(&certificate, &payload)?)
}

/// A certificate as its JSON (keys sorted, no whitespace): the form a holder keeps, and the one
/// the shared vectors use.
#[uniffi::export]
pub fn certificate_to_json(certificate: Certificate) -> String {
    certificate.to_json()
}

/// A certificate from its JSON; `E_CERTIFICATE_FORMAT` if the text is not a certificate (the
/// message gives the position, never the content). Whether it is genuine is for
/// [`verify_certificate_offline`] to say.
#[uniffi::export]
pub fn certificate_from_json(text: String) -> Result<Certificate> {
    Ok(Certificate::from_json(&text)?)
}
