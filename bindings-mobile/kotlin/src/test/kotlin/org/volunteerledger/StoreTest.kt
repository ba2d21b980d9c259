package org.volunteerledger

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import org.volunteerledger.core.Clock
import org.volunteerledger.core.IdentityKind
import org.volunteerledger.core.NewOrg
import org.volunteerledger.core.NewRecord
import org.volunteerledger.core.NewVolunteer
import org.volunteerledger.core.OrgKind
import org.volunteerledger.core.RecordSource
import java.nio.file.Files
import java.nio.file.Path
import java.time.OffsetDateTime
import java.time.ZoneOffset

/** The file ledger from Kotlin: create, close, reopen the same; what it refuses. */
class StoreTest {
    private val cst = ZoneOffset.ofHours(8)
    private fun at(day: Int, hour: Int) = OffsetDateTime.of(2015, 6, day, hour, 0, 0, 0, cst).toInstant()

    @Test
    fun `a file ledger closed and opened again is the same ledger`(@TempDir dir: Path) {
        val path = dir.resolve("district.db").toString()
        val head = Ledger.create(path, defaultLedgerConfig("district", "某区", "admin")).use { l ->
            l.setClock(Clock.Fixed(at(20, 12)))
            l.registerOrg("admin", NewOrg(id = "D", name = "某区", kind = OrgKind.DISTRICT, parent = null))
            l.registerVolunteer("admin", NewVolunteer(id = "V1", name = "张三",
                identityKind = IdentityKind.PASSPORT, identityNumber = "E12345678", homeOrg = "D"))
            l.addRecord("admin", NewRecord(id = "R1", volunteer = "V1", org = "D", start = at(2, 9),
                end = at(2, 11), minutes = 120L, source = RecordSource.ENTRY))
            l.head()
        }
        Ledger.open(path).use { l ->
            assertEquals(head, l.head())
            assertEquals(head.seq + 1L, l.verify().entries)
            assertEquals(120L, l.volunteer("V1").totalMinutes)
        }
    }

    @Test
    fun `files are never overwritten and foreign files are refused`(@TempDir dir: Path) {
        val text = dir.resolve("names.csv")
        Files.writeString(text, "姓名,证件号码\n")
        val e = assertThrows<LedgerException.Storage> {
            Ledger.create(text.toString(), defaultLedgerConfig("district", "某区", "admin"))
        }
        assertEquals("E_STORAGE", e.code)
        assertEquals("姓名,证件号码\n", Files.readString(text))
        assertEquals("E_NOT_A_LEDGER", assertThrows<LedgerException.Integrity> { Ledger.open(text.toString()) }.code)
        assertEquals("E_STORAGE", assertThrows<LedgerException.Storage> {
            Ledger.open(dir.resolve("missing.db").toString())
        }.code)
        assertFalse(Files.exists(dir.resolve("missing.db")))
    }
}
