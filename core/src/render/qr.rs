//! QR codes as SVG, for the verification code or URL of a certificate.

use qrcode::QrCode;
use qrcode::render::svg;

/// Renders `data` as a QR code in SVG (error correction level M, 4-pixel modules, the standard
/// 4-module quiet zone), as a standalone SVG document (it starts with an XML declaration). Use
/// it for the verification code or URL of a certificate; [`certificate_html`] embeds it.
///
/// Returns `None` if the data is too long for any QR code (over about 2,300 bytes at this
/// error correction level).
///
/// ```
/// use volunteer_ledger::render::qr_svg;
/// let svg = qr_svg("https://example.invalid/verify?code=7KQ2-M9XD").unwrap();
/// assert!(svg.starts_with("<?xml") && svg.contains("<svg") && svg.ends_with("</svg>"));
/// assert!(qr_svg(&"x".repeat(5000)).is_none());
/// ```
///
/// [`certificate_html`]: super::certificate_html
pub fn qr_svg(data: &str) -> Option<String> {
    let code = QrCode::new(data.as_bytes()).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .quiet_zone(true)
            .module_dimensions(4, 4)
            .dark_color(svg::Color("#000000"))
            .light_color(svg::Color("#ffffff"))
            .build(),
    )
}
