package org.volunteerledger

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.volunteerledger.core.BoardKind
import org.volunteerledger.core.CertificateRequest
import org.volunteerledger.core.CertificateStatus
import org.volunteerledger.core.Clock
import org.volunteerledger.core.ErrorFamily
import org.volunteerledger.core.IdentityKind
import org.volunteerledger.core.NewOrg
import org.volunteerledger.core.NewRecord
import org.volunteerledger.core.NewVolunteer
import org.volunteerledger.core.OrgKind
import org.volunteerledger.core.RecordSource
import org.volunteerledger.core.Scope
import java.time.Instant
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZoneOffset

/** Moves, signed transfer packages between two ledgers, and service certificates. */
class TransferTest {
    private val cst = ZoneOffset.ofHours(8)
    private fun at(month: Int, day: Int, hour: Int): Instant =
        OffsetDateTime.of(2015, month, day, hour, 0, 0, 0, cst).toInstant()

    private fun record(id: String, month: Int, day: Int, minutes: Int) = NewRecord(
        id = id, volunteer = "V1", org = "C1", start = at(month, day, 9), end = at(month, day, 12),
        minutes = minutes.toLong(), content = "助老服务", source = RecordSource.ENTRY,
    )

    private val zhang = NewVolunteer(
        id = "V1", name = "张三", identityKind = IdentityKind.RESIDENT_ID,
        identityNumber = "11010519491231002X", homeOrg = "C1",
    )

    /**
     * A ledger on 2015-12-20 with org C1 (community) and V1 (张三) registered there; with a
     * signing key made from a 32-byte seed of `seed` if given.
     */
    private fun ledger(id: String, seed: Byte?): Ledger {
        val l = Ledger.inMemory(defaultLedgerConfig(id, "$id 区", "admin"))
        l.setClock(Clock.Fixed(at(12, 20, 12)))
        if (seed != null) l.setSigningKey("admin", ByteArray(32) { seed })
        l.registerOrg("admin", NewOrg(id = "C1", name = "学田社区", kind = OrgKind.COMMUNITY, parent = null))
        l.registerVolunteer("admin", zhang)
        return l
    }

    @Test
    fun `a move keeps the history and the org where it was served`() {
        ledger("A", null).use { a ->
            a.registerOrg("admin", NewOrg(id = "C2", name = "东园社区", kind = OrgKind.COMMUNITY, parent = null))
            a.registerOrg("admin", NewOrg(id = "W1", name = "区民政局", kind = OrgKind.WORK_UNIT, parent = null))
            a.addRecord("admin", record("R1", 6, 2, 180))
            val moved = a.moveVolunteer("admin", "V1", "C2", "W1")
            assertFalse(moved.duplicate)
            val v = a.volunteer("V1")
            assertEquals(listOf("C2", "W1", 180L, 0L, false),
                listOf(v.homeOrg, v.workUnit, v.totalMinutes, v.carriedMinutes, v.transferredOut))
            assertEquals("C1", a.record("R1").record.org)
            assertEquals(180L, a.starSummary("V1").totalMinutes)
            assertEquals("E_UNKNOWN_ORG", assertThrows<LedgerException.NotFound> {
                a.moveVolunteer("admin", "V1", "C404", null)
            }.code)
            assertEquals("E_FIELD", assertThrows<LedgerException.Input> {
                a.moveVolunteer("admin", "V1", " C2", null)
            }.code)
        }
    }

    @Test
    fun `a package exported from A imports into B once and continues the count`() {
        ledger("A", 1).use { a ->
            ledger("B", 2).use { b ->
                a.addRecord("admin", record("R1", 6, 2, 180))
                a.addRecord("admin", record("R2", 12, 5, 150))
                // B's own service, so that its board has someone on it.
                b.addRecord("admin", record("B1", 12, 6, 60))

                val issuer = a.issuer()
                assertEquals("A", issuer.ledgerId)
                assertEquals(a.publicKey(), issuer.publicKey)
                assertEquals(64, issuer.publicKey.length)
                b.trustIssuer("admin", issuer)
                assertEquals(listOf(TrustedIssuer(ledgerId = "A", publicKey = issuer.publicKey)), b.trustedIssuers())

                val preview = a.transferPackage("V1", "B")
                assertEquals(listOf(330L, 2, "B", "张*"),
                    listOf(preview.totalMinutes, preview.records.size, preview.destination, preview.maskedName))

                val text = a.exportTransfer("admin", "V1", "B")
                assertTrue(a.volunteer("V1").transferredOut)
                val opened = openPackage(text, b.trustedIssuers())
                // The preview carries no head and no proofs (docs/checkpoints.md); the issued
                // package carries A's signed head and a proof per record that leads to it.
                assertNull(preview.checkpoint)
                assertEquals(preview.records, opened.records.map { it.copy(proof = null) })
                val head = opened.checkpoint!!
                signedHeadCheck(head, issuer.publicKey)
                for (r in opened.records) signedHeadCheckInclusion(head, r.entryHash, r.proof!!)
                assertEquals("E_CHECKPOINT_MISMATCH", assertThrows<LedgerException.Integrity> {
                    signedHeadCheckInclusion(head, opened.records[1].entryHash, opened.records[0].proof!!)
                }.code)

                val first = b.importTransfer("admin", text)
                assertEquals(listOf("V1", 2, 330L, false, packageHash(text)),
                    listOf(first.volunteer, first.recordsAdded, first.minutesAdded, first.duplicate, first.packageHash))
                assertEquals(b.head().seq, first.seq)

                val v = b.volunteer("V1")
                assertEquals(listOf(390L, 330L), listOf(v.totalMinutes, v.carriedMinutes))
                assertEquals(390L, b.starSummary("V1").totalMinutes)
                // Carried hours count for the person, not for B's boards: that service was not done here.
                val board = b.leaderboard("2015-12", Scope.All, BoardKind.VOLUNTEERS, 10)
                assertEquals(listOf("V1" to 60L), board.entries.map { it.id to it.minutes })

                // The same package again changes nothing.
                val bHead = b.head()
                val again = b.importTransfer("admin", text)
                assertTrue(again.duplicate)
                assertEquals(0, again.recordsAdded)
                assertEquals(0L, again.minutesAdded)
                assertEquals(bHead, b.head())
                assertEquals(390L, b.volunteer("V1").totalMinutes)
                b.verify()
            }
        }
    }

    @Test
    fun `a package from an untrusted or altered source is refused`() {
        ledger("A", 1).use { a ->
            ledger("B", null).use { b ->
                a.addRecord("admin", record("R1", 6, 2, 180))
                val text = a.exportTransfer("admin", "V1", "B")
                val head = b.head()

                val untrusted = assertThrows<LedgerException.Authorization> { b.importTransfer("admin", text) }
                assertEquals("E_UNTRUSTED_ISSUER", untrusted.code)
                assertEquals(ErrorFamily.AUTHORIZATION, untrusted.family())
                assertEquals(head, b.head())
                assertEquals("E_UNTRUSTED_ISSUER", assertThrows<LedgerException.Authorization> {
                    openPackage(text, emptyList())
                }.code)

                b.trustIssuer("admin", a.issuer())
                val altered = text.replace("\"minutes\":180", "\"minutes\":190")
                assertEquals("E_TRANSFER_FORMAT", assertThrows<LedgerException.Integrity> {
                    b.importTransfer("admin", altered)
                }.code)
                assertEquals("E_FIELD", assertThrows<LedgerException.Input> {
                    openPackage(text, listOf(TrustedIssuer(ledgerId = "", publicKey = a.publicKey()!!)))
                }.code)
                assertEquals(0L, b.volunteer("V1").carriedMinutes)
            }
        }
    }

    @Test
    fun `keys - a seed of 32 bytes, registered once`() {
        ledger("A", null).use { a ->
            assertNull(a.publicKey())
            assertEquals("E_NO_SIGNING_KEY", assertThrows<LedgerException.State> { a.issuer() }.code)
            assertEquals("E_NO_SIGNING_KEY", assertThrows<LedgerException.State> {
                a.exportTransfer("admin", "V1", null)
            }.code)
            assertEquals("E_FIELD", assertThrows<LedgerException.Input> {
                a.setSigningKey("admin", ByteArray(31))
            }.code)
            assertFalse(a.setSigningKey("admin", ByteArray(32) { 3 }).duplicate)
            assertTrue(a.setSigningKey("admin", ByteArray(32) { 3 }).duplicate)
            assertEquals(64, a.publicKey()!!.length)
        }
    }

    private fun request(notes: String = "") = CertificateRequest(
        volunteer = "V1", periodFrom = LocalDate.of(2015, 1, 1), periodTo = LocalDate.of(2015, 12, 31), issuingOrg = "C1",
        responsiblePerson = "李主任", handler = "王干事", contact = "0791-12345678", notes = notes,
    )

    @Test
    fun `a certificate verifies online and offline, and is superseded by a revocation`() {
        ledger("xuetian", 7).use { a ->
            assertEquals("E_NO_SIGNING_KEY", assertThrows<LedgerException.State> {
                ledger("nokey", null).use { it.issueCertificate("admin", request()) }
            }.code)
            a.addRecord("admin", record("R1", 6, 2, 180))
            a.addRecord("admin", record("R2", 12, 5, 150))

            val cert = a.issueCertificate("admin", request())
            assertEquals("xuetian-2015-000001", cert.number)
            assertEquals(listOf("张三", "11010519491231002X", 330L, LocalDate.of(2015, 12, 20)),
                listOf(cert.name, cert.identityNumber, cert.totalMinutes, cert.issuedOn))
            assertEquals(listOf("R1", "R2"), cert.records.map { it.record })
            assertEquals(listOf(LocalDate.of(2015, 6, 2), LocalDate.of(2015, 12, 5)), cert.records.map { it.date })
            assertTrue(Regex("[0-9A-F]{4}(-[0-9A-F]{4}){3}").matches(cert.verificationCode), cert.verificationCode)

            val check = a.verifyCertificate(cert.verificationCode)
            assertEquals(CertificateStatus.VALID, check.status)
            assertEquals(listOf(cert.number, "张*", "110105********002X", 330L, emptyList<String>()),
                listOf(check.number, check.maskedName, check.maskedIdentity, check.totalMinutes, check.changedRecords))
            // The code is read however it is typed.
            assertEquals(check, a.verifyCertificate(cert.verificationCode.lowercase().replace("-", "")))
            assertEquals("E_UNKNOWN_CERTIFICATE", assertThrows<LedgerException.NotFound> {
                a.verifyCertificate("0000-0000-0000-0000")
            }.code)

            // Offline: the issuer's key is all it needs, and any change breaks it.
            val key = a.publicKey()!!
            verifyCertificateOffline(cert, key)
            assertEquals(cert, certificateFromJson(certificateToJson(cert)))
            verifyCertificateOffline(certificateFromJson(certificateToJson(cert)), key)
            assertEquals("E_BAD_SIGNATURE", assertThrows<LedgerException.Integrity> {
                verifyCertificateOffline(cert.copy(totalMinutes = 630L), key)
            }.code)
            assertEquals("E_UNTRUSTED_ISSUER", assertThrows<LedgerException.Authorization> {
                verifyCertificateOffline(cert, "00".repeat(32))
            }.code)
            assertEquals("E_CERTIFICATE_FORMAT", assertThrows<LedgerException.Integrity> {
                certificateFromJson("{\"name\":")
            }.code)

            val text = certificateText(cert)
            assertTrue(text.contains(cert.number) && text.contains(cert.verificationCode), text)
            val html = certificateHtml(cert, "https://example.invalid/verify")
            assertTrue(html.contains("<svg"), html.take(200))
            assertTrue(html.contains("https://example.invalid/verify?code=${cert.verificationCode}"))
            assertTrue(html.contains(cert.number))
            assertTrue(certificateHtml(cert, null).contains("<svg"))
            assertTrue(text.startsWith("志愿服务记录证明"), text.take(40))
            assertTrue(html.contains("负责人（签字）") && html.contains("经办人（签字）"))

            // The QR code: the verify URL with the code, or a text naming the signed certificate.
            assertEquals("https://example.invalid/verify?code=${cert.verificationCode}",
                certificateQrPayload(cert, "https://example.invalid/verify"))
            val qr = certificateQrPayload(cert, null)
            assertEquals("VLCERT/1", qr.lines().first())
            checkCertificateQr(cert, qr)
            assertEquals("E_CERTIFICATE_FORMAT", assertThrows<LedgerException.Integrity> {
                checkCertificateQr(cert.copy(totalMinutes = 1L), qr)
            }.code)

            // A district's own layout, from the default one; its errors name the line.
            assertEquals(certificateHtml(cert, null),
                certificateHtmlWithTemplate(cert, defaultCertificateTemplate(), null))
            assertEquals("<b>志愿服务记录证明</b>", certificateHtmlWithTemplate(cert, "<b>{{ title_zh }}</b>", null))
            val bad = assertThrows<LedgerException.Input> {
                certificateHtmlWithTemplate(cert, "<p>\n{{ nmae }}</p>", null)
            }
            assertEquals("E_CERTIFICATE_TEMPLATE", bad.code)
            assertTrue(bad.messageEn.contains("line 2") && bad.messageZh.contains("第 2 行"), bad.messageEn)

            // A certified record revoked later: the certificate no longer stands as issued.
            a.revokeRecord("admin", "R1", "重复录入")
            val later = a.verifyCertificate(cert.verificationCode)
            assertEquals(CertificateStatus.SUPERSEDED, later.status)
            assertEquals(listOf("R1"), later.changedRecords)
            // Its signature is still the issuer's: offline, it checks as issued.
            verifyCertificateOffline(cert, key)

            val next = a.issueCertificate("admin", request("补开"))
            assertEquals("xuetian-2015-000002", next.number)
            assertEquals(150L, next.totalMinutes)
            assertEquals(CertificateStatus.VALID, a.verifyCertificate(next.verificationCode).status)
            a.verify()
        }
    }
}
