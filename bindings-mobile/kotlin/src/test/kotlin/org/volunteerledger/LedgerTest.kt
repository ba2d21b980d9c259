package org.volunteerledger

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.volunteerledger.core.BoardKind
import org.volunteerledger.core.Clock
import org.volunteerledger.core.ErrorFamily
import org.volunteerledger.core.IdentityKind
import org.volunteerledger.core.NewOrg
import org.volunteerledger.core.NewRecord
import org.volunteerledger.core.NewVolunteer
import org.volunteerledger.core.OrgKind
import org.volunteerledger.core.RecordSource
import org.volunteerledger.core.RecordState
import org.volunteerledger.core.Role
import org.volunteerledger.core.Scope
import java.time.Instant
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZoneOffset
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit

/** The Kotlin surface itself: the smoke path, exceptions, bulk calls, the object's lifetime. */
class LedgerTest {
    private val cst = ZoneOffset.ofHours(8)
    private fun at(day: Int, hour: Int, minute: Int = 0): Instant =
        OffsetDateTime.of(2015, 6, day, hour, minute, 0, 0, cst).toInstant()

    private fun record(id: String, volunteer: String, day: Int, from: Int, to: Int, minutes: Int) = NewRecord(
        id = id, volunteer = volunteer, org = "D", team = null, activity = null,
        start = at(day, from), end = at(day, to), minutes = minutes.toLong(), content = "助老服务",
        source = RecordSource.ENTRY, paid = false, jobDuty = false, publicBenefit = true,
    )

    @Test
    fun `optional record fields have defaults`() {
        district().use { l ->
            val r = NewRecord(
                id = "R-min", volunteer = "V1", org = "D", start = at(6, 9), end = at(6, 10),
                minutes = 60L, source = RecordSource.ENTRY,
            )
            assertEquals(RecordState.CONFIRMED, l.addRecord("admin", r).state)
            val back = l.record("R-min").record
            assertEquals(listOf(null, null, "", false, false, true),
                listOf(back.team, back.activity, back.content, back.paid, back.jobDuty, back.publicBenefit))
        }
    }

    // Named arguments throughout: a record's field order is the core's, not ours.
    private fun volunteer(id: String, name: String, kind: IdentityKind, number: String) =
        NewVolunteer(id = id, name = name, identityKind = kind, identityNumber = number, homeOrg = "D")

    /** A district ledger on 2015-06-20 with an admin, org D and volunteers V1 (张三), V2 (李四). */
    private fun district(): Ledger {
        val ledger = Ledger.inMemory(defaultLedgerConfig("district", "某区", "admin"))
        ledger.setClock(Clock.Fixed(at(20, 12)))
        ledger.registerOrg("admin", NewOrg(id = "D", name = "某区", kind = OrgKind.DISTRICT, parent = null))
        ledger.registerVolunteer("admin", volunteer("V1", "张三", IdentityKind.RESIDENT_ID, "11010519491231002X"))
        ledger.registerVolunteer("admin", volunteer("V2", "李四", IdentityKind.PASSPORT, "E12345678"))
        return ledger
    }

    @Test
    fun `smoke path - record, confirm, leaderboard, stars`() {
        district().use { l ->
            val r1 = l.addRecord("admin", record("R1", "V1", 2, 9, 12, 180))
            assertEquals(RecordState.CONFIRMED, r1.state)
            assertFalse(r1.duplicate)

            // A volunteer's own report waits for the organiser.
            val r2 = l.addRecord("V2", record("R2", "V2", 3, 9, 13, 240))
            assertEquals(RecordState.PENDING, r2.state)
            l.confirmRecord("admin", "R2")
            assertEquals(RecordState.CONFIRMED, l.record("R2").state)
            assertEquals(at(3, 9), l.record("R2").record.start)

            val board = l.leaderboard("2015-06", Scope.All, BoardKind.VOLUNTEERS, 10)
            assertEquals(2, board.ranked)
            assertEquals(listOf("李*" to 240L, "张*" to 180L), board.entries.map { it.name to it.minutes })
            assertEquals(listOf(1, 2), board.entries.map { it.rank })

            val stars = l.starSummary("V1")
            assertEquals(180L, stars.totalMinutes)
            assertEquals(0, stars.level)
            assertEquals(100L * 60L - 180L, stars.minutesToNext)

            val me = l.volunteer("V1")
            assertEquals("张*", me.maskedName)
            assertEquals("110105********002X", me.maskedIdentity)

            val standing = l.standing("V1", "2015-06", Scope.Org("D"))
            assertEquals(2, standing.rank)
            assertEquals(180L, standing.minutes)
        }
    }

    @Test
    fun `refusals are sealed LedgerException subclasses with the core's code`() {
        district().use { l ->
            l.addRecord("admin", record("R1", "V1", 2, 9, 12, 180))

            val overlap = assertThrows<LedgerException.Validation> {
                l.addRecord("admin", record("R2", "V1", 2, 10, 11, 60))
            }
            assertEquals("E_OVERLAP", overlap.code)
            assertEquals("E_OVERLAP", overlap.code())
            assertEquals(ErrorFamily.VALIDATION, overlap.family())
            assertTrue(overlap.detail.contains("R1"), overlap.detail)
            assertTrue(overlap.message.contains("E_OVERLAP"), overlap.message)
            // Both halves of the message, and the values by name.
            assertEquals("record R2: overlaps record R1 of the same volunteer", overlap.messageEn)
            assertEquals("服务记录 R2：与同一志愿者的服务记录 R1 时间重叠", overlap.messageZh)
            assertEquals("${overlap.messageEn} / ${overlap.messageZh}", overlap.detail)
            assertEquals(mapOf("record" to "R2", "other" to "R1"), overlap.fields)

            val duplicate = assertThrows<LedgerException.Conflict> {
                l.registerOrg("admin", NewOrg(id = "D", name = "某区", kind = OrgKind.DISTRICT, parent = null))
            }
            assertEquals("E_DUPLICATE", duplicate.code)
            // The Chinese half gives the details the English half gives.
            assertTrue(duplicate.messageZh.startsWith("编号已存在"), duplicate.messageZh)
            assertTrue(duplicate.messageZh.contains("D"), duplicate.messageZh)
            assertEquals("D", duplicate.fields["id"])

            // A malformed id inside a record is the core's input error, not a conversion crash.
            val badId = assertThrows<LedgerException.Input> {
                l.registerOrg("admin", NewOrg(id = "", name = "空", kind = OrgKind.COMMUNITY, parent = "D"))
            }
            assertEquals("E_FIELD", badId.code)
            assertEquals("E_FIELD", assertThrows<LedgerException.Input> {
                l.addRecord("admin", record(" R9", "V1", 5, 9, 10, 60))
            }.code)

            val forbidden = assertThrows<LedgerException.Authorization> {
                l.grantRole("V1", "V1", Role.PlatformAdmin)
            }
            assertEquals("E_FORBIDDEN", forbidden.code)

            assertEquals("E_UNKNOWN_VOLUNTEER", assertThrows<LedgerException.NotFound> { l.starSummary("V404") }.code)
            assertEquals("E_SELF_CONFIRM", assertThrows<LedgerException.Authorization> {
                l.addRecord("V2", record("R3", "V2", 4, 9, 10, 60))
                l.confirmRecord("V2", "R3")
            }.code)
            l.revokeRecord("admin", "R1", "重复录入")
            assertEquals("E_INVALID_STATE", assertThrows<LedgerException.State> { l.revokeRecord("admin", "R1", "again") }.code)

            // Malformed ids and periods are the core's input errors, not lift failures.
            assertEquals("E_FIELD", assertThrows<LedgerException.Input> { l.record("") }.code)
            assertEquals("E_PERIOD", assertThrows<LedgerException.Input> {
                l.leaderboard("2015-13", Scope.All, BoardKind.VOLUNTEERS, 10)
            }.code)
            assertEquals("E_POLICY", assertThrows<LedgerException.Policy> { policyProfile("nowhere") }.code)

            // Catching the base class still gives the code and the family.
            val any: LedgerException = assertThrows<LedgerException> { l.record("R404") }
            assertEquals("E_UNKNOWN_RECORD", any.code())
            assertEquals(ErrorFamily.NOT_FOUND, any.family())
            assertTrue(errorCodes().containsAll(listOf("E_OVERLAP", "E_DUPLICATE", "E_FORBIDDEN", "E_PERIOD")))
        }
    }

    @Test
    fun `numbers are signed for Java callers, and a negative one is refused with E_FIELD`() {
        district().use { l ->
            val before = l.head()
            val negative = record("R-neg", "V1", 2, 9, 12, 60).copy(minutes = -60L)
            val e = assertThrows<LedgerException.Input> { l.addRecord("admin", negative) }
            assertEquals("E_FIELD", e.code)
            assertTrue(e.detail.contains("minutes"), e.detail)
            assertEquals("E_ZERO_MINUTES", assertThrows<LedgerException.Validation> {
                l.addRecord("admin", negative.copy(minutes = 0L))
            }.code)
            for (limit in listOf(-1, Int.MIN_VALUE)) {
                assertEquals("E_FIELD", assertThrows<LedgerException.Input> {
                    l.leaderboard("2015-06", Scope.All, BoardKind.VOLUNTEERS, limit)
                }.code)
            }
            assertEquals("E_FIELD", assertThrows<LedgerException.Input> {
                l.leaderboardAsOf(-1L, "2015-06", Scope.All, BoardKind.VOLUNTEERS, 10)
            }.code)
            assertEquals("E_FIELD", assertThrows<LedgerException.Input> { l.syncBatch("admin", -5) }.code)
            assertEquals("E_FIELD", assertThrows<LedgerException.Input> { starsForMinutes(policyProfile("mca").stars, -1L) }.code)
            assertEquals(before, l.head(), "a refusal wrote an entry")
            // What comes back is Long and Int, plain Java types.
            val r: Long = l.addRecord("admin", record("R-ok", "V1", 2, 9, 12, 180)).seq
            val level: Int = l.starSummary("V1").level
            assertEquals(listOf(before.seq + 1, 0L), listOf(r, level.toLong()))
        }
    }

    @Test
    fun `bulk add reports each record in order`() {
        district().use { l ->
            val before = l.head().seq
            val outcomes = l.addRecords(
                "admin",
                listOf(
                    record("R1", "V1", 2, 9, 12, 180),
                    record("R2", "V1", 2, 10, 11, 60), // overlaps R1
                    record("R3", "V2", 2, 9, 12, 0), // zero minutes
                    record("R1", "V1", 2, 9, 12, 180), // the same again: a duplicate
                    record("R4", "V2", 5, 14, 16, 120),
                ),
            )
            assertEquals(5, outcomes.size)
            val codes = outcomes.map {
                when (it) {
                    is RecordOutcome.Added -> if (it.receipt.duplicate) "duplicate" else "added"
                    is RecordOutcome.Refused -> it.error.code()
                }
            }
            assertEquals(listOf("added", "E_OVERLAP", "E_ZERO_MINUTES", "duplicate", "added"), codes)
            assertTrue((outcomes[1] as RecordOutcome.Refused).error is LedgerException.Validation)
            assertEquals(before + 2L, l.head().seq)
            assertEquals(2L, l.recordCount())
            assertEquals(listOf("R1"), l.recordsOf("V1").map { it.record.id })
        }
    }

    @Test
    fun `bulk confirm answers each record in order in one transaction`() {
        district().use { l ->
            l.addRecord("V1", record("P1", "V1", 2, 9, 10, 60))
            l.addRecord("V2", record("P2", "V2", 2, 9, 10, 60))
            val before = l.head().seq
            val outcomes = l.confirmRecords("admin", listOf("P1", "P404", "", "P1", "P2"))
            val codes = outcomes.map {
                when (it) {
                    is ConfirmOutcome.Confirmed -> "confirmed"
                    is ConfirmOutcome.Refused -> it.error.code()
                }
            }
            assertEquals(listOf("confirmed", "E_UNKNOWN_RECORD", "E_FIELD", "E_INVALID_STATE", "confirmed"), codes)
            assertTrue((outcomes[1] as ConfirmOutcome.Refused).error is LedgerException.NotFound)
            assertEquals(before + 2L, l.head().seq)
            assertEquals(RecordState.CONFIRMED, l.record("P2").state)
        }
    }

    @Test
    fun `the log head, verify and boards as of an entry`() {
        district().use { l ->
            l.addRecord("admin", record("R1", "V1", 2, 9, 12, 180))
            val published = l.head()
            assertEquals(64, published.hash.length)
            l.addRecord("admin", record("R2", "V2", 3, 9, 13, 240))
            assertNotEquals(published, l.head())

            val then = l.leaderboardAsOf(published.seq, "2015-06", Scope.All, BoardKind.VOLUNTEERS, 10)
            assertEquals(published.seq, then.asOfSeq)
            assertEquals(listOf("V1"), then.entries.map { it.id })
            val now = l.leaderboard("2015-06", Scope.All, BoardKind.VOLUNTEERS, 10)
            assertEquals(listOf("V2", "V1"), now.entries.map { it.id })
            assertEquals("E_UNKNOWN_ENTRY", assertThrows<LedgerException.NotFound> {
                l.leaderboardAsOf(999L, "2015-06", Scope.All, BoardKind.VOLUNTEERS, 10)
            }.code)

            val report = l.verify()
            assertEquals(l.head().seq + 1L, report.entries)
            assertEquals(l.head().hash, report.headHash)
        }
    }

    @Test
    fun `pure functions cross as plain values`() {
        assertEquals("11010519491231002X", validateIdentity(IdentityKind.RESIDENT_ID, " 11010519491231002x "))
        assertEquals("张*", maskName("张三丰"))
        val w = periodInfo("2016-W01")
        assertEquals("2015-W53", w.previous)
        assertEquals(LocalDate.of(2016, 1, 4), w.firstDay)
        assertNull(periodInfo("all").firstDay)
        assertEquals(listOf("2015-W53", "2016-01", "2016"), periodsOf(Instant.parse("2015-12-31T20:00:00Z"), 480))
        assertEquals(Scope.Team("T1"), parseScope("team:T1"))
        assertEquals(listOf("mca", "beijing"), policyProfileNames())
        assertEquals(listOf(100, 300, 600, 1000, 1500), policyProfile("mca").stars.thresholdsHours)
        // A policy's numbers are Ints for Java; a negative one is refused with E_POLICY.
        val mca = policyProfile("mca")
        val cfg = defaultLedgerConfig("district", "某区", "admin")
        for (bad in listOf(
            mca.copy(dailyCapMinutes = -1),
            mca.copy(fraud = mca.fraud.copy(fourEyesMinutes = -480)),
            mca.copy(excellent = mca.excellent.copy(minStarLevel = -1)),
            mca.copy(stars = mca.stars.copy(thresholdsHours = listOf(-100, 300))),
        )) {
            assertEquals("E_POLICY", assertThrows<LedgerException.Policy> { Ledger.inMemory(cfg.copy(policy = bad)) }.code, "$bad")
        }
        val s = starsForMinutes(policyProfile("beijing").stars, 250L * 60L)
        assertEquals(2, s.level)
    }

    @Test
    fun `the ledger is AutoCloseable and refuses use after close`() {
        val l = district()
        assertTrue((l as Any) is AutoCloseable)
        l.use { assertEquals("某区", it.config().name) }
        assertThrows<IllegalStateException> { l.head() }
    }

    @Test
    fun `one ledger serves many threads`() {
        district().use { l ->
            val threads = 4
            val perThread = 10
            for (t in 0 until threads) {
                l.registerVolunteer("admin", volunteer("T$t", "志愿者$t", IdentityKind.PASSPORT, "P000000$t"))
            }
            val pool = Executors.newFixedThreadPool(threads)
            for (t in 0 until threads) {
                pool.execute {
                    for (i in 0 until perThread) {
                        // One record a day per volunteer, 1 to 10 June: never overlapping.
                        l.addRecord("admin", record("T$t-$i", "T$t", i + 1, 9, 10, 60))
                    }
                }
            }
            pool.shutdown()
            assertTrue(pool.awaitTermination(60, TimeUnit.SECONDS))
            assertEquals((threads * perThread).toLong(), l.recordCount())
            val board = l.leaderboard("2015-06", Scope.All, BoardKind.VOLUNTEERS, 100)
            assertEquals(threads.toInt(), board.ranked)
            assertTrue(board.entries.all { it.minutes == (perThread * 60).toLong() && it.rank == 1 })
            l.verify()
        }
    }
}
