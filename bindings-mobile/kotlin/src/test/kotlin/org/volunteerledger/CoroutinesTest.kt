package org.volunteerledger

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.runBlocking
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import java.nio.file.Path
import java.util.concurrent.Executors
import java.util.concurrent.atomic.AtomicInteger
import kotlin.coroutines.CoroutineContext

/** The long calls as suspend functions: same answers, run on the dispatcher, not the caller. */
class CoroutinesTest {
    /** Runs blocks on its own thread and counts them: where a suspend call ran is visible. */
    private class CountingDispatcher : CoroutineDispatcher(), AutoCloseable {
        val runs = AtomicInteger()
        private val pool = Executors.newSingleThreadExecutor { r -> Thread(r, "ledger-io") }
        override fun dispatch(context: CoroutineContext, block: Runnable) {
            pool.execute { runs.incrementAndGet(); block.run() }
        }
        override fun close() = pool.shutdown()
    }

    @Test
    fun `suspend calls run on the given dispatcher and answer as the blocking ones`() {
        CountingDispatcher().use { dispatcher ->
            smallDistrict().use { l ->
                val s = SuspendingLedger(l, dispatcher)
                val outcomes = runBlocking {
                    s.addRecords("admin", listOf(served("R1", 2, 9, 12, 180), served("R2", 2, 10, 11, 60)))
                }
                assertTrue(dispatcher.runs.get() > 0, "addRecords ran on the dispatcher")
                assertEquals(listOf("R1"), outcomes.filterIsInstance<RecordOutcome.Added>().map { it.receipt.record })
                val refused = outcomes.filterIsInstance<RecordOutcome.Refused>().single().error
                assertEquals("E_OVERLAP", refused.code())

                val before = dispatcher.runs.get()
                assertEquals(l.verify(), runBlocking { s.verify() })
                assertTrue(dispatcher.runs.get() > before, "verify ran on the dispatcher")

                val sheet = "志愿者编号,组织编号,服务日期,开始时间,结束时间,服务时长(小时)\n" +
                    "V1,D,2015-06-03,9:00,11:00,2\n"
                val upload = runBlocking { s.upload("admin", sheet.toByteArray()) }
                assertEquals(1, upload.accepted)
                assertEquals(2, l.recordsOf("V1").size)
            }
        }
    }

    @Test
    fun `a refusal reaches the coroutine as the LedgerException of the blocking call`() {
        smallDistrict().use { l ->
            val e = assertThrows<LedgerException.Input> {
                runBlocking { l.suspending.upload("admin", "a,b\n1,2\n".toByteArray()) }
            }
            assertEquals("E_FIELD", e.code())
            assertTrue(e.messageZh().isNotEmpty())
        }
    }

    @Test
    fun `a ledger file is saved, opened and checked from coroutines`(@TempDir dir: Path) {
        smallDistrict().use { l ->
            l.addRecord("admin", served("R1", 2, 9, 12, 180))
            val path = dir.resolve("district.vledger").toString()
            runBlocking { l.suspending.saveAs(path) }.close()
            val opened = runBlocking { SuspendingLedger.open(path) }
            opened.ledger.use { f ->
                assertEquals(l.head(), f.head())
                assertEquals(l.verify(), runBlocking { opened.verify() })
                assertEquals(1, f.recordsOf("V1").size)
            }
            val e = assertThrows<LedgerException.Storage> {
                runBlocking { SuspendingLedger.create(path, defaultLedgerConfig("d2", "某区", "admin")) }
            }
            assertEquals("E_STORAGE", e.code())
        }
    }
}
