package org.volunteerledger

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.volunteerledger.core.Clock
import org.volunteerledger.core.NewOrg
import org.volunteerledger.core.OrgKind
import java.time.OffsetDateTime
import java.time.ZoneOffset

/**
 * The register as sheets through the Kotlin binding: a volunteer sheet and an org-tree sheet
 * uploaded from bytes, numbers made, uploaded again adding nothing; a record sheet naming
 * people by identity number. The rules are the core's (core/tests/upload_register.rs).
 */
class RegisterTest {
    private fun tree(): Ledger {
        val l = Ledger.inMemory(defaultLedgerConfig("R", "学田区", "admin"))
        l.setClock(Clock.Fixed(OffsetDateTime.of(2015, 6, 30, 12, 0, 0, 0, ZoneOffset.ofHours(8)).toInstant()))
        l.registerOrg("admin", NewOrg(id = "D", name = "学田区", kind = OrgKind.DISTRICT, parent = null))
        l.registerOrg("admin", NewOrg(id = "C1", name = "学田社区", kind = OrgKind.COMMUNITY, parent = "D"))
        return l
    }

    private val volunteers = "姓名,证件号码,所属组织,手机\n" +
        "张三丰,11010519491231002X,学田社区,13800138000\n" +
        "李四光,360502198912010016,C1,\n" +
        "王五,110105194912310021,C1,\n"

    @Test
    fun `a volunteer sheet registers each person once and reports the rest`() {
        tree().use { l ->
            val dry = l.uploadVolunteers("admin", volunteers.toByteArray(), defaultImportOptions(), true)
            assertTrue(dry.dryRun)
            val report = l.uploadVolunteers("admin", volunteers.toByteArray(), defaultImportOptions(), false)
            assertEquals(listOf(3L, 2L, 1L), norm(listOf(report.rows, report.accepted, report.refused)))
            assertEquals(listOf("V00000001", "V00000002"), report.assigned.map { it.id })
            assertEquals(listOf("E_IDENTITY_CHECKSUM"), report.rejected.map { it.code })
            assertEquals("证件号码", report.rejected[0].column)
            assertTrue(report.rejected.none { it.messageZh.contains("王五") || it.messageEn.contains("110105") })
            assertEquals("C1", l.volunteer("V00000001").homeOrg)
            val again = l.uploadVolunteers("admin", volunteers.toByteArray(), defaultImportOptions(), false)
            assertEquals(listOf(0L, 2L), norm(listOf(again.accepted, again.duplicates)))

            val sheet = "姓名,证件号码,组织,服务日期,开始时间,结束时间\n" +
                "李四光,360502198912010016,学田社区,2015-06-02,9:00,11:00\n"
            val upload = l.upload("admin", sheet.toByteArray(), defaultImportOptions(), false)
            assertEquals(1L, norm(upload.accepted))
            assertEquals(120L, norm(l.volunteer("V00000002").totalMinutes))
        }
    }

    @Test
    fun `an org-tree sheet builds the tree under parents named by name`() {
        tree().use { l ->
            val sheet = "名称,类型,上级组织\n光明街道,街道,学田区\n光明社区,社区,光明街道\n"
            val report = l.uploadOrgs("admin", sheet.toByteArray(), defaultImportOptions(), false)
            assertEquals(2L, norm(report.accepted))
            val (street, community) = report.assigned.map { it.id }
            assertEquals(street, l.org(community).parent)
        }
    }
}
