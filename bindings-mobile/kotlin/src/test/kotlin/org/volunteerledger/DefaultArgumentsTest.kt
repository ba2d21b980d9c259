package org.volunteerledger

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.volunteerledger.core.ExportFormat
import org.volunteerledger.core.Language
import org.volunteerledger.core.RecordScope

/** Calls where the core has defaults take them: callers name only what differs. */
class DefaultArgumentsTest {
    private val sheet = "志愿者编号,组织编号,服务日期,开始时间,结束时间,服务时长(小时)\n" +
        "V1,D,2015-06-02,9:00,11:00,2\n"

    @Test
    fun `an upload without options or dry run reads with the default options and writes`() {
        smallDistrict().use { l ->
            val report = l.upload("admin", sheet.toByteArray())
            assertFalse(report.dryRun)
            assertEquals(1, report.accepted)
            assertEquals(1, l.recordsOf("V1").size)
            // The same as naming the defaults: the sheet again is a duplicate.
            val again = l.upload("admin", sheet.toByteArray(), defaultImportOptions(), false)
            assertEquals(1, again.duplicates)
            // Naming only the dry run.
            assertTrue(l.upload("admin", sheet.toByteArray(), dryRun = true).dryRun)
        }
    }

    @Test
    fun `an export without a language has Chinese headers`() {
        smallDistrict().use { l ->
            l.addRecord("admin", served("R1", 2, 9, 12, 180))
            val scope = RecordScope.Volunteer("V1")
            val byDefault = l.recordsFile(scope, "2015", ExportFormat.CSV).toString(Charsets.UTF_8)
            assertEquals(l.recordsFile(scope, "2015", ExportFormat.CSV, Language.ZH).toString(Charsets.UTF_8), byDefault)
            val english = l.recordsFile(scope, "2015", ExportFormat.CSV, Language.EN).toString(Charsets.UTF_8)
            assertTrue(byDefault.lines().first() != english.lines().first(), byDefault)
        }
    }

    @Test
    fun `optional ids default to none`() {
        smallDistrict().use { l ->
            l.registerOrg("admin", org.volunteerledger.core.NewOrg(
                id = "C", name = "某社区", kind = org.volunteerledger.core.OrgKind.COMMUNITY, parent = "D"))
            l.moveVolunteer("admin", "V1", homeOrg = "C")
            assertEquals("C", l.volunteer("V1").homeOrg)
            val c = certificate(l) // also gives the ledger its signing key
            assertEquals(null, l.transferPackage("V1").destination)
            assertEquals(l.syncStatus(null), l.syncStatus())
            assertEquals(certificateQrPayload(c, null), certificateQrPayload(c))
            assertTrue(certificateQrPayload(c).startsWith("VLCERT/1"), certificateQrPayload(c))
        }
    }

    private fun certificate(l: Ledger) = l.run {
        setSigningKey("admin", ByteArray(32) { 7 })
        addRecord("admin", served("R9", 5, 9, 10, 60))
        issueCertificate(
            "admin",
            org.volunteerledger.core.CertificateRequest(
                volunteer = "V1", periodFrom = java.time.LocalDate.of(2015, 6, 1),
                periodTo = java.time.LocalDate.of(2015, 6, 30), issuingOrg = "D",
                responsiblePerson = "王主任", handler = "李干事", contact = "010-1234",
            ),
        )
    }
}
