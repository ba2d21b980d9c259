// A phone's day on the JVM: a team leader records service offline on the phone's own ledger,
// syncs when the network is back, and a volunteer looks up hours, stars and rank on the
// district's ledger. Run by `make example-kotlin` and at the end of `make test-kotlin`.
package org.volunteerledger.example

import org.volunteerledger.Ledger
import org.volunteerledger.LedgerException
import org.volunteerledger.core.BoardKind
import org.volunteerledger.core.Clock
import org.volunteerledger.core.IdentityKind
import org.volunteerledger.core.NewOrg
import org.volunteerledger.core.NewRecord
import org.volunteerledger.core.NewVolunteer
import org.volunteerledger.core.OrgKind
import org.volunteerledger.core.RecordSource
import org.volunteerledger.core.Role
import org.volunteerledger.core.Scope
import org.volunteerledger.core.SyncResult
import org.volunteerledger.defaultLedgerConfig
import org.volunteerledger.syncBatchToJson
import org.volunteerledger.syncReceiptFromJson
import org.volunteerledger.syncReceiptToJson
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZoneOffset
import kotlin.system.exitProcess

private val cst = ZoneOffset.ofHours(8)
private fun at(day: LocalDate, hour: Int) = OffsetDateTime.of(day.atTime(hour, 0), cst).toInstant()
private val today = LocalDate.of(2015, 6, 12)

private fun visit(id: String, volunteer: String, day: LocalDate) = NewRecord(
    id = id, volunteer = volunteer, org = "C1", start = at(day, 9), end = at(day, 11),
    minutes = 120L, content = "助老服务：陪同就医", source = RecordSource.ENTRY,
)

/**
 * The district's ledger and the phone's are set up alike; the server decides again on sync.
 * The phone's is a device ledger: it keeps the identity numbers' masks only, never a number.
 */
private fun ledger(id: String, device: Boolean): Ledger {
    val config = defaultLedgerConfig(id, "某区", "admin")
    val l = if (device) Ledger.inMemoryDevice(config) else Ledger.inMemory(config)
    l.setClock(Clock.Fixed(at(today, 18)))
    l.registerOrg("admin", NewOrg(id = "C1", name = "学田社区", kind = OrgKind.COMMUNITY, parent = null))
    l.grantRole("admin", "leader", Role.Recorder("C1"))
    l.registerVolunteer("admin", NewVolunteer(id = "V1", name = "张三", identityKind = IdentityKind.RESIDENT_ID,
        identityNumber = "11010519491231002X", homeOrg = "C1"))
    l.registerVolunteer("admin", NewVolunteer(id = "V2", name = "李四", identityKind = IdentityKind.PASSPORT,
        identityNumber = "E12345678", homeOrg = "C1"))
    return l
}

fun main() {
    try {
        ledger("district", device = false).use { server ->
            ledger("phone-1", device = true).use { phone -> day(server, phone) }
        }
    } catch (e: LedgerException) {
        System.err.println("refused: ${e.code()} ${e.message}")
        exitProcess(1)
    }
}

private fun day(server: Ledger, phone: Ledger) {
    // The server signs its sync receipts (its key comes from the platform's secret store); the
    // phone is told once which server to trust and applies only receipts signed by it.
    server.setSigningKey("admin", ByteArray(32) { 7 })
    phone.trustSyncServer("district", server.publicKey()!!)

    // Before today: the community office typed in V1's past service (make-ups, by an admin).
    val past = (1..49).map { i -> visit("office-$i", "V1", LocalDate.of(2015, 1, 1).plusDays(2L * i)) }
    server.addRecords("admin", past)
    server.addRecord("admin", visit("office-june", "V2", today.minusDays(3)))

    // Offline on the phone: three visits this month, with the phone's own record ids. The
    // second was also typed in at the office (V2, June 9): the server will refuse the overlap.
    phone.addRecord("leader", visit("phone-1-0001", "V1", today.minusDays(10)))
    phone.addRecord("leader", visit("phone-1-0002", "V2", today.minusDays(3)))
    phone.addRecord("leader", visit("phone-1-0003", "V1", today.minusDays(1)))
    println("offline: ${phone.syncStatus("leader").unsent} records waiting on phone-1")

    // Back online: the batch goes up as JSON, the receipt comes back as JSON.
    val batch = syncBatchToJson(phone.syncBatch("leader", 100))
    val receipt = syncReceiptFromJson(syncReceiptToJson(server.importSyncJson("leader", batch)))
    for (r in receipt.results) {
        println(when (r) {
            is SyncResult.Accepted -> "  ${r.record}: accepted (${r.state}, entry ${r.seq})"
            is SyncResult.AlreadyHad -> "  ${r.record}: already on the server"
            is SyncResult.Refused -> "  ${r.record}: refused ${r.code} — ${r.messageZh}"
        })
    }
    val applied = phone.applySyncReceipt(receipt)
    val left = phone.syncBatch("leader", 100).records.size
    println("synced: ${applied.acknowledged} acknowledged, ${applied.refused.size} refused, $left left to send")
    check(applied.acknowledged == 2 && applied.refused.single().code == "E_OVERLAP" && left == 0)
    // The phone keeps the server's signed head from the receipt: every acknowledged record's
    // proof led to it, so the phone can show later that the server's log held them.
    val head = phone.syncServerHead()!!
    println("kept the server's signed head: ${head.size} entries, root ${head.rootHash.take(16)}…")
    check(head == receipt.head)

    // The volunteer looks themselves up.
    val me = server.volunteer("V1")
    val stars = server.starSummary("V1")
    val standing = server.standing("V1", "2015-06", Scope.All)
    val hours = { minutes: Long -> "%.1f h".format(minutes.toDouble() / 60) }
    println("${me.maskedName} (V1): ${hours(me.totalMinutes)} in all, ${"★".repeat(stars.level.toInt())} " +
        "(level ${stars.level} since ${stars.reached.lastOrNull()?.date}), " +
        "${stars.minutesToNext?.let(hours)} to the next")
    println("June 2015: ${hours(standing.minutes)}, rank ${standing.rank} of ${standing.ranked}" +
        (standing.placesUp?.let { ", $it places up on May" } ?: ""))
    val board = server.leaderboard("2015-06", Scope.All, BoardKind.VOLUNTEERS, 10)
    board.entries.forEach { println("  ${it.rank}. ${it.name} ${hours(it.minutes)}") }
    check(stars.level.toInt() == 1 && standing.rank == 1)
}
