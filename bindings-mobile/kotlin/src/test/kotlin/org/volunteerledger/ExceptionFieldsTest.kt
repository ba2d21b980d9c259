package org.volunteerledger

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.volunteerledger.core.ErrorFamily

/** Every `LedgerException`, whatever its family, answers its code, family and both messages. */
class ExceptionFieldsTest {
    /** What the base class answers, and what the family's subclass holds. */
    private fun base(e: LedgerException) = listOf(e.code(), e.family(), e.messageEn(), e.messageZh())

    @Test
    fun `the base class answers code, family and both messages of each family`() {
        smallDistrict().use { l ->
            l.addRecord("admin", served("R1", 2, 9, 12, 180))
            val cases = listOf<Pair<ErrorFamily, () -> Unit>>(
                ErrorFamily.INPUT to { l.record("") },
                ErrorFamily.VALIDATION to { l.addRecord("admin", served("R2", 2, 10, 11, 60)) },
                ErrorFamily.AUTHORIZATION to { l.addRecord("V9", served("R3", 3, 9, 10, 60)) },
                ErrorFamily.NOT_FOUND to { l.record("R404") },
            )
            for ((family, call) in cases) {
                val e: LedgerException = assertThrows<LedgerException> { call() }
                assertEquals(family, e.family(), e.message)
                val (code, en, zh) = when (e) {
                    is LedgerException.Input -> Triple(e.code, e.messageEn, e.messageZh)
                    is LedgerException.Validation -> Triple(e.code, e.messageEn, e.messageZh)
                    is LedgerException.Authorization -> Triple(e.code, e.messageEn, e.messageZh)
                    is LedgerException.NotFound -> Triple(e.code, e.messageEn, e.messageZh)
                    else -> error("unexpected family: $e")
                }
                assertEquals(listOf(code, family, en, zh), base(e))
                assertTrue(code.startsWith("E_"), code)
                assertTrue(en.isNotEmpty() && zh.isNotEmpty() && en != zh, "$en / $zh")
            }
        }
    }

    @Test
    fun `a refused record of a bulk call carries the same fields`() {
        smallDistrict().use { l ->
            l.addRecord("admin", served("R1", 2, 9, 12, 180))
            val outcome = l.addRecords("admin", listOf(served("R2", 2, 10, 11, 60))).single()
            val error = (outcome as RecordOutcome.Refused).error
            assertEquals(listOf("E_OVERLAP", ErrorFamily.VALIDATION), listOf(error.code(), error.family()))
            assertEquals("服务记录 R2：与同一志愿者的服务记录 R1 时间重叠", error.messageZh())
            assertEquals("record R2: overlaps record R1 of the same volunteer", error.messageEn())
        }
    }
}
