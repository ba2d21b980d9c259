package org.volunteerledger

import org.volunteerledger.core.Certificate

/**
 * A certificate's renderings and its offline check as static methods, for Java callers (the
 * generated free functions sit on a file class). Each forwards to the generated binding.
 */
object Certificates {
    /** The certificate as plain text. */
    @JvmStatic
    fun text(certificate: Certificate): String = certificateText(certificate)

    /** A printable HTML page, with a QR code of [verifyUrl] if given. */
    @JvmStatic
    @JvmOverloads
    fun html(certificate: Certificate, verifyUrl: String? = null): String = certificateHtml(certificate, verifyUrl)

    /** What the certificate's QR code holds: [verifyUrl] with the code, or the self-contained text. */
    @JvmStatic
    @JvmOverloads
    fun qrPayload(certificate: Certificate, verifyUrl: String? = null): String =
        certificateQrPayload(certificate, verifyUrl)

    /** Checks a certificate's signature against an issuer's public key (hex), offline. */
    @JvmStatic
    @Throws(LedgerException::class)
    fun verifyOffline(certificate: Certificate, publicKey: String): Unit =
        verifyCertificateOffline(certificate, publicKey)
}
