package org.volunteerledger

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.volunteerledger.core.CalendarYear
import org.volunteerledger.core.Clock
import org.volunteerledger.core.IdentityKind
import org.volunteerledger.core.NewOrg
import org.volunteerledger.core.NewRecord
import org.volunteerledger.core.NewVolunteer
import org.volunteerledger.core.OrgKind
import org.volunteerledger.core.RecordSource
import org.volunteerledger.core.RecordState
import org.volunteerledger.core.Role
import java.time.Instant
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZoneOffset

/**
 * Working-day calendars through the Kotlin binding: the shipped State Council calendar, a year
 * set by a platform admin, the calendar in force. The rules are the core's
 * (core/tests/calendars.rs); this checks that they arrive whole, refusals with their codes.
 */
class CalendarTest {
    private val cst = ZoneOffset.ofHours(8)
    private fun at(d: LocalDate, hour: Int): Instant =
        OffsetDateTime.of(d.year, d.monthValue, d.dayOfMonth, hour, 0, 0, 0, cst).toInstant()

    private fun ledger(now: LocalDate, shipped: Boolean = true): Ledger {
        val base = defaultLedgerConfig("L", "某区", "admin")
        val config = if (shipped) base else base.copy(policy = base.policy.copy(calendar = null))
        val l = Ledger.inMemory(config)
        l.setClock(Clock.Fixed(at(LocalDate.of(2024, 1, 2), 9)))
        l.registerOrg("admin", NewOrg(id = "C1", name = "学田社区", kind = OrgKind.COMMUNITY, parent = null))
        l.grantRole("admin", "rec", Role.Recorder("C1"))
        for (v in 0..2) {
            l.registerVolunteer("admin", NewVolunteer(
                id = "V$v", name = "王", identityKind = IdentityKind.PASSPORT,
                identityNumber = "E1000000$v", homeOrg = "C1",
            ))
        }
        l.setClock(Clock.Fixed(at(now, 10)))
        return l
    }

    private fun service(l: Ledger, id: String, v: String, d: LocalDate) = l.addRecord(
        "rec",
        NewRecord(
            id = id, volunteer = v, org = "C1", team = null, activity = null,
            start = at(d, 9), end = at(d, 11), minutes = 120L, content = "助老服务",
            source = RecordSource.ENTRY,
        ),
    )

    @Test
    fun theShippedCalendarJudgesTheBuiltInProfiles() {
        assertEquals(listOf("cn-state-council"), shippedCalendarNames())
        val c = shippedCalendar("cn-state-council", 2024)!!
        assertTrue(c.workingDays.containsAll(listOf(LocalDate.of(2024, 2, 4), LocalDate.of(2024, 2, 18))))
        assertEquals((10..17).map { LocalDate.of(2024, 2, it) }, c.holidays.filter { it.monthValue == 2 })
        assertNull(shippedCalendar("cn-state-council", 2030))
        assertEquals("cn-state-council", policyProfile("mca").calendar)
        // Friday 2024-02-09 entered Monday 02-26: the 7th working day by the calendar, the 11th
        // by weekdays alone.
        val now = LocalDate.of(2024, 2, 26)
        val l = ledger(now)
        assertEquals(c, l.calendar(2024))
        assertTrue(l.isWorkingDay(LocalDate.of(2024, 2, 18)))
        assertFalse(l.isWorkingDay(LocalDate.of(2024, 2, 12)))
        assertFalse(service(l, "R1", "V0", LocalDate.of(2024, 2, 9)).makeUp)
        val plain = ledger(now, shipped = false)
        val r = service(plain, "R1", "V0", LocalDate.of(2024, 2, 9))
        assertTrue(r.makeUp)
        assertEquals(RecordState.PENDING, r.state)
    }

    @Test
    fun aYearSetLaterJudgesOnlyWhatIsAddedAfterIt() {
        val l = ledger(LocalDate.of(2024, 2, 26), shipped = false)
        assertTrue(service(l, "R1", "V0", LocalDate.of(2024, 2, 9)).makeUp)
        val c = shippedCalendar("cn-state-council", 2024)!!
        val e = assertThrows<LedgerException.Authorization> { l.setCalendar("rec", 2024, c.holidays, c.workingDays) }
        assertEquals("E_FORBIDDEN", e.code())
        l.setCalendar("admin", 2024, c.holidays.reversed(), c.workingDays)
        assertEquals(c, l.calendar(2024))
        assertTrue(l.record("R1").makeUp)
        assertFalse(service(l, "R2", "V1", LocalDate.of(2024, 2, 9)).makeUp)
        l.verify()
    }

    @Test
    fun badCalendarsAreRefusedAndNothingChanges() {
        val l = ledger(LocalDate.of(2024, 3, 1))
        val head = l.head()
        val before = l.calendar(2027)
        for ((year, holidays, workingDays) in listOf(
            Triple(2027, listOf(LocalDate.of(2026, 12, 31)), listOf()),
            Triple(2027, listOf(LocalDate.of(2027, 2, 6)), listOf(LocalDate.of(2027, 2, 6))),
            Triple(2027, listOf(), listOf(LocalDate.of(2027, 2, 8))),
            Triple(2027, (0L..60L).map { LocalDate.of(2027, 1, 1).plusDays(it) }, listOf()),
            Triple(1969, listOf(), listOf()),
        )) {
            val e = assertThrows<LedgerException.Input> { l.setCalendar("admin", year, holidays, workingDays) }
            assertEquals("E_FIELD", e.code())
            assertTrue(e.message!!.contains(" / "), "bilingual: ${e.message}")
        }
        assertEquals(head, l.head())
        assertEquals(before, l.calendar(2027))
        assertEquals(CalendarYear(holidays = listOf(), workingDays = listOf(), year = 2031), l.calendar(2031))
    }
}
