package org.volunteerledger

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.volunteerledger.core.CertificateRequest
import org.volunteerledger.core.CertificateStatus
import org.volunteerledger.core.Clock
import org.volunteerledger.core.IdentityKind
import org.volunteerledger.core.NewOrg
import org.volunteerledger.core.NewRecord
import org.volunteerledger.core.NewVolunteer
import org.volunteerledger.core.OrgKind
import org.volunteerledger.core.RecordSource
import org.volunteerledger.core.VolunteerCorrection
import java.time.Instant
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZoneOffset

/**
 * Corrections of a volunteer from Kotlin (docs/identity.md, "Corrections"): a misspelt name, a
 * wrong identity number, a new phone; certificates that showed them are superseded, and no
 * refusal quotes a value.
 */
class CorrectionTest {
    private val cst = ZoneOffset.ofHours(8)
    private fun at(month: Int, day: Int, hour: Int): Instant =
        OffsetDateTime.of(2015, month, day, hour, 0, 0, 0, cst).toInstant()

    private val old = "11010519491231002X"
    private val new = "440524198001010013"
    private val other = "44030419900307123X"
    private val phone = "13800138000"
    private val config = defaultLedgerConfig("xuetian", "学田", "admin")

    private fun fill(l: Ledger) {
        l.setClock(Clock.Fixed(at(12, 20, 12)))
        l.setSigningKey("admin", ByteArray(32) { 7 })
        l.registerOrg("admin", NewOrg(id = "C1", name = "学田社区", kind = OrgKind.COMMUNITY, parent = null))
        for ((id, n) in listOf("V1" to old, "V2" to other)) {
            l.registerVolunteer("admin", NewVolunteer(id = id, name = "张三",
                identityKind = IdentityKind.RESIDENT_ID, identityNumber = n, homeOrg = "C1"))
        }
        l.addRecord("admin", NewRecord(id = "R1", volunteer = "V1", org = "C1", start = at(6, 2, 9),
            end = at(6, 2, 12), minutes = 180L, content = "助老服务", source = RecordSource.ENTRY))
    }

    private fun request() = CertificateRequest(
        volunteer = "V1", periodFrom = LocalDate.of(2015, 1, 1), periodTo = LocalDate.of(2015, 12, 31),
        issuingOrg = "C1", responsiblePerson = "李主任", handler = "王干事", contact = "0791-12345678", notes = "",
    )

    @Test
    fun `a correction supersedes the certificates that showed the old values`() {
        Ledger.inMemory(config).use { l ->
            fill(l)
            val before = l.issueCertificate("admin", request())
            val r = l.correctVolunteer("admin", "V1", VolunteerCorrection(
                name = "张叁", identityNumber = new, phone = "138-0013-8000", reason = "录错"))
            assertFalse(r.duplicate)
            val v = l.volunteer("V1")
            assertEquals("440524********0013", v.maskedIdentity)
            assertEquals("138****8000", v.maskedPhone)
            assertEquals(phone, l.volunteerPhone("V1"))
            assertNull(l.volunteerPhone("V2"))
            val check = l.verifyCertificate(before.verificationCode)
            assertEquals(CertificateStatus.SUPERSEDED, check.status)
            assertEquals(listOf("name", "identity_number"), check.corrected)
            val after = l.issueCertificate("admin", request())
            assertEquals("张叁", after.name)
            assertEquals(new, after.identityNumber)
            assertEquals(CertificateStatus.VALID, l.verifyCertificate(after.verificationCode).status)
            l.verify()
        }
    }

    @Test
    fun `refusals name no value and change nothing`() {
        Ledger.inMemory(config).use { l ->
            fill(l)
            val head = l.head()
            val duplicate = assertThrows<LedgerException.Conflict> {
                l.correctVolunteer("admin", "V1", VolunteerCorrection(identityNumber = other, reason = "录错"))
            }
            assertEquals("E_DUPLICATE_IDENTITY", duplicate.code)
            val unchanged = assertThrows<LedgerException.Input> {
                l.correctVolunteer("admin", "V1", VolunteerCorrection(identityNumber = old, reason = "录错"))
            }
            assertEquals("E_FIELD", unchanged.code)
            val forbidden = assertThrows<LedgerException.Authorization> {
                l.correctVolunteer("V2", "V1", VolunteerCorrection(name = "张叁", reason = "录错"))
            }
            assertEquals("E_FORBIDDEN", forbidden.code)
            val texts = listOf(
                "${duplicate.detail} ${duplicate.messageZh} ${duplicate.messageEn} ${duplicate.fields}",
                "${unchanged.detail} ${unchanged.messageZh} ${unchanged.messageEn} ${unchanged.fields}",
                "${forbidden.detail} ${forbidden.messageZh} ${forbidden.messageEn} ${forbidden.fields}",
            )
            for (text in texts) {
                for (value in listOf(old, new, other, phone, "张叁")) assertFalse(text.contains(value), text)
            }
            assertEquals(head, l.head())
            assertTrue(l.volunteer("V1").maskedPhone == null)
        }
    }
}
