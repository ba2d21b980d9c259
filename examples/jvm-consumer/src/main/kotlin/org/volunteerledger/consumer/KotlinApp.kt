// A Kotlin app with volunteer-ledger from Maven: a community's past service added in bulk off
// the caller's thread (coroutines), a volunteer's first star, the month's standing and board,
// and a refusal's code and messages. Exits non-zero when any result is not the expected one.
package org.volunteerledger.consumer

import kotlinx.coroutines.runBlocking
import org.volunteerledger.Ledger
import org.volunteerledger.LedgerException
import org.volunteerledger.RecordOutcome
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
import org.volunteerledger.core.Scope
import org.volunteerledger.defaultLedgerConfig
import org.volunteerledger.suspending
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZoneOffset

private val beijing = ZoneOffset.ofHours(8)
private fun at(day: LocalDate, hour: Int) = OffsetDateTime.of(day.atTime(hour, 0), beijing).toInstant()

private fun visit(id: String, volunteer: String, day: LocalDate) = NewRecord(
    id = id, volunteer = volunteer, org = "C1", start = at(day, 9), end = at(day, 11),
    minutes = 120L, content = "助老服务", source = RecordSource.ENTRY,
)

private fun expect(holds: Boolean, what: String) = check(holds) { "wrong result: $what" }

fun main() = runBlocking {
    Ledger.inMemory(defaultLedgerConfig("district", "某区", "admin")).use { ledger ->
        ledger.setClock(Clock.Fixed(at(LocalDate.of(2015, 6, 20), 18)))
        ledger.registerOrg("admin", NewOrg(id = "C1", name = "学田社区", kind = OrgKind.COMMUNITY, parent = null))
        ledger.registerVolunteer("admin", NewVolunteer(id = "V1", name = "张三",
            identityKind = IdentityKind.RESIDENT_ID, identityNumber = "11010519491231002X", homeOrg = "C1"))
        ledger.registerVolunteer("admin", NewVolunteer(id = "V2", name = "李四",
            identityKind = IdentityKind.PASSPORT, identityNumber = "E12345678", homeOrg = "C1"))

        // 50 visits of two hours from January to April, then three in June: V1 passes the first
        // star's 100 hours.
        val past = (1..50).map { i -> visit("office-$i", "V1", LocalDate.of(2015, 1, 1).plusDays(2L * i)) }
        val june = listOf(
            visit("june-1", "V1", LocalDate.of(2015, 6, 10)),
            visit("june-2", "V1", LocalDate.of(2015, 6, 12)),
            visit("june-3", "V2", LocalDate.of(2015, 6, 18)),
        )
        val outcomes = ledger.suspending.addRecords("admin", past + june)
        expect(outcomes.size == 53 && outcomes.all { it is RecordOutcome.Added && it.receipt.state == RecordState.CONFIRMED },
            "every visit added and confirmed")

        val stars = ledger.starSummary("V1")
        println("V1: ${stars.totalMinutes / 60.0} h, ${"★".repeat(stars.level)} " +
            "(level ${stars.level} since ${stars.reached.lastOrNull()?.date}), ${stars.minutesToNext} minutes to the next")
        expect(stars.totalMinutes == 52 * 120L && stars.level == 1, "V1's first star")

        val standing = ledger.standing("V1", "2015-06", Scope.All)
        val board = ledger.leaderboard("2015-06", Scope.All, BoardKind.VOLUNTEERS, 10)
        board.entries.forEach { println("  ${it.rank}. ${it.name} ${it.minutes} min") }
        expect(standing.rank == 1 && board.ranked == 2, "V1 first of two in June")
        expect(board.entries.map { it.name to it.minutes } == listOf("张*" to 240L, "李*" to 120L), "June's board")

        // A refusal keeps its code, family and both messages.
        try {
            ledger.suspending.addRecords("admin", listOf(visit("x-1", "V9", LocalDate.of(2015, 6, 19))))
                .single().let { outcome ->
                    expect(outcome is RecordOutcome.Refused, "a record of an unknown volunteer refused")
                    throw (outcome as RecordOutcome.Refused).error
                }
        } catch (e: LedgerException) {
            println("refused ${e.code()} (${e.family()}): ${e.messageEn()} / ${e.messageZh()}")
            expect(e.code() == "E_UNKNOWN_VOLUNTEER" && e.family() == ErrorFamily.NOT_FOUND, "the refusal's code and family")
            expect(e.messageEn().contains("V9") && e.messageZh().contains("V9"), "the refusal's messages name V9")
        }
    }
    println("kotlin: ok")
}
