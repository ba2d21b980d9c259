package org.volunteerledger

import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.io.TempDir
import org.volunteerledger.core.IdentityKind
import org.volunteerledger.core.NewVolunteer
import java.nio.file.Path

/** The long calls tell a listener 0 of their total, every 1000 units and their end. */
class ProgressTest {
    private class Calls : ProgressListener {
        val told = mutableListOf<Pair<Long, Long>>()
        override fun onProgress(done: Long, total: Long) {
            told += done to total
        }
    }

    private fun everyThousand(total: Long): List<Pair<Long, Long>> =
        listOf(0L to total) + (1000L until total step 1000).map { it to total } + listOf(total to total)

    /** smallDistrict and 1,500 more volunteers, V2 … V1501. */
    private fun district(): Ledger {
        val l = smallDistrict()
        for (v in 2..1501) {
            l.registerVolunteer("admin", NewVolunteer(id = "V$v", name = "志愿者",
                identityKind = IdentityKind.PASSPORT, identityNumber = "E%08d".format(v), homeOrg = "D"))
        }
        return l
    }

    @Test
    fun `uploads, bulk adds, copies, checks and opens report their progress`(@TempDir dir: Path) {
        district().use { l ->
            val sheet = StringBuilder("志愿者编号,组织编号,服务日期,开始时间,结束时间\n")
            for (v in 2..1201) sheet.append("V$v,D,2015-06-${"%02d".format(1 + v % 18)},9:00,10:00\n")
            val upload = Calls()
            val report = l.uploadWithProgress("admin", sheet.toString().toByteArray(), upload)
            assertEquals(1200, report.accepted)
            assertEquals(everyThousand(1200), upload.told)

            val records = (2..1101).map { v ->
                served("S$v", 1 + v % 18, 14, 15, 60).copy(volunteer = "V$v")
            }
            val added = Calls()
            val outcomes = l.addRecordsWithProgress("admin", records, added)
            assertEquals(1100, outcomes.filterIsInstance<RecordOutcome.Added>().size)
            assertEquals(everyThousand(1100), added.told)

            val entries = l.head().seq + 1
            val verify = Calls()
            l.verifyWithProgress(verify)
            assertEquals(everyThousand(entries), verify.told)

            val path = dir.resolve("district.vledger").toString()
            val saved = Calls()
            l.saveAsWithProgress(path, saved).close()
            assertEquals(everyThousand(entries), saved.told)
            val opened = Calls()
            Ledger.openWithProgress(path, opened).use { f -> assertEquals(0L, f.replayedAtOpen()) }
            assertEquals(listOf(0L to 0L, 0L to 0L), opened.told)
        }
    }

    @Test
    fun `a listener that throws is not told again, and the call goes to its end`() {
        district().use { l ->
            var told = 0
            val report = l.verifyWithProgress(progressListener { _, _ -> told++; throw IllegalStateException("view gone") })
            assertEquals(1, told)
            assertEquals(l.head().seq + 1, report.entries)
        }
    }

    @Test
    fun `suspend calls pass their listener on`(@TempDir dir: Path) {
        district().use { l ->
            val entries = l.head().seq + 1
            val calls = Calls()
            runBlocking { l.suspending.verify(progress = calls) }
            assertEquals(everyThousand(entries), calls.told)
            val path = dir.resolve("copy.vledger").toString()
            runBlocking { l.suspending.saveAs(path) }.close()
            val opened = Calls()
            runBlocking { SuspendingLedger.open(path, progress = opened) }.ledger.use { f ->
                assertEquals(0L, f.replayedAtOpen())
            }
            assertEquals(listOf(0L to 0L, 0L to 0L), opened.told)
        }
    }
}
