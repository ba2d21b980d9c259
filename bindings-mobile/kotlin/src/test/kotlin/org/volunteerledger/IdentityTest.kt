package org.volunteerledger

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import org.volunteerledger.core.CertificateRequest
import org.volunteerledger.core.Clock
import org.volunteerledger.core.IdentityKind
import org.volunteerledger.core.NewOrg
import org.volunteerledger.core.NewRecord
import org.volunteerledger.core.NewVolunteer
import org.volunteerledger.core.OrgKind
import org.volunteerledger.core.RecordSource
import org.volunteerledger.core.Warning
import java.nio.file.Files
import java.nio.file.Path
import java.time.Instant
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZoneOffset

/**
 * Identity numbers sealed under the ledger key (docs/identity.md), mask-only device ledgers,
 * erasure, and signed heads (docs/checkpoints.md) from Kotlin.
 */
class IdentityTest {
    private val cst = ZoneOffset.ofHours(8)
    private fun at(month: Int, day: Int, hour: Int): Instant =
        OffsetDateTime.of(2015, month, day, hour, 0, 0, 0, cst).toInstant()

    private val number = "11010519491231002X"
    private val config = defaultLedgerConfig("xuetian", "学田", "admin")

    /** A platform's keys: one key `k1` of `bytes`, or a provider that throws. */
    private class Platform(val bytes: ByteArray?, val throws: Boolean = false) : KeyProvider {
        var asked = 0
        override fun current(): String? = "k1"
        override fun key(id: String): ByteArray? {
            asked++
            if (throws) throw IllegalStateException("keystore locked")
            return if (id == "k1") bytes else null
        }
    }

    /** C1 and V1 (张三) registered, one record of 180 minutes, a signing key of seed 7. */
    private fun fill(l: Ledger, signing: Boolean = true) {
        l.setClock(Clock.Fixed(at(12, 20, 12)))
        if (signing) l.setSigningKey("admin", ByteArray(32) { 7 })
        l.registerOrg("admin", NewOrg(id = "C1", name = "学田社区", kind = OrgKind.COMMUNITY, parent = null))
        l.registerVolunteer("admin", NewVolunteer(id = "V1", name = "张三",
            identityKind = IdentityKind.RESIDENT_ID, identityNumber = number, homeOrg = "C1"))
        l.addRecord("admin", NewRecord(id = "R1", volunteer = "V1", org = "C1", start = at(6, 2, 9),
            end = at(6, 2, 12), minutes = 180L, content = "助老服务", source = RecordSource.ENTRY))
    }

    /** A reopened ledger is given its signing key again (it is kept out of the file). */
    private fun Ledger.signing(): Ledger = apply { setSigningKey("admin", ByteArray(32) { 7 }) }

    private fun request() = CertificateRequest(
        volunteer = "V1", periodFrom = LocalDate.of(2015, 1, 1), periodTo = LocalDate.of(2015, 12, 31),
        issuingOrg = "C1", responsiblePerson = "李主任", handler = "王干事", contact = "0791-12345678", notes = "",
    )

    /** Whether any file in `dir` holds the number's bytes (UTF-8, as every format writes it). */
    private fun anyFileHolds(dir: Path, text: String): List<String> {
        val needle = text.toByteArray(Charsets.UTF_8)
        return Files.list(dir).use { files ->
            files.filter { Files.isRegularFile(it) }.filter { f ->
                val b = Files.readAllBytes(f)
                (0..b.size - needle.size).any { i -> needle.indices.all { b[i + it] == needle[it] } }
            }.map { it.fileName.toString() }.toList()
        }
    }

    @Test
    fun `a device ledger file holds no identity number, and reopens as a device`(@TempDir dir: Path) {
        val path = dir.resolve("phone.db").toString()
        Ledger.createDevice(path, config).use { l ->
            fill(l, signing = false)
            assertFalse(l.hasIdentityKey())
            assertEquals("110105********002X", l.volunteer("V1").maskedIdentity)
            l.checkpoint()
        }
        assertFalse(Files.exists(dir.resolve("phone.db.key")), "a device ledger writes no key file")
        assertEquals(emptyList<String>(), anyFileHolds(dir, number))
        Ledger.open(path).use { l ->
            assertEquals(emptyList<Warning>(), l.openWarnings())
            l.registerVolunteer("admin", NewVolunteer(id = "V2", name = "李四",
                identityKind = IdentityKind.PASSPORT, identityNumber = "E12345678", homeOrg = "C1"))
            l.verify()
        }
        assertEquals(emptyList<String>(), anyFileHolds(dir, number) + anyFileHolds(dir, "E12345678"))
        // In memory too: a phone's ledger never holds the number.
        Ledger.inMemoryDevice(config).use { l ->
            fill(l)
            assertFalse(l.hasIdentityKey())
            assertEquals("E_KEY_UNAVAILABLE", assertThrows<LedgerException.State> {
                l.issueCertificate("admin", request())
            }.code)
        }
    }

    @Test
    fun `opened without its key a ledger answers masked and refuses a full certificate`(@TempDir dir: Path) {
        val path = dir.resolve("district.db").toString()
        val platform = Platform(ByteArray(32) { 9 })
        Ledger.createWithKeys(path, config, platform).use { l ->
            fill(l)
            assertTrue(l.hasIdentityKey())
            assertEquals(number, l.issueCertificate("admin", request()).identityNumber)
            // Keys from the platform are rotated there.
            assertEquals("E_KEY_UNAVAILABLE", assertThrows<LedgerException.State> { l.rotateKey() }.code)
        }
        assertEquals(listOf("district.db"), Files.list(dir).use { s -> s.map { it.fileName.toString() }.toList() }
            .filter { !it.endsWith("-wal") && !it.endsWith("-shm") })
        assertEquals(emptyList<String>(), anyFileHolds(dir, number))

        Ledger.open(path).signing().use { l ->
            assertFalse(l.hasIdentityKey())
            assertEquals("110105********002X", l.volunteer("V1").maskedIdentity)
            l.verify()
            assertEquals("E_KEY_UNAVAILABLE", assertThrows<LedgerException.State> {
                l.issueCertificate("admin", request())
            }.code)
        }
        // A key of the wrong length, or a provider that throws: refused, never a crash.
        for (bad in listOf(Platform(ByteArray(31) { 9 }), Platform(ByteArray(33) { 9 }), Platform(null),
            Platform(ByteArray(32) { 9 }, throws = true))) {
            Ledger.openWithKeys(path, bad).signing().use { l ->
                val e = assertThrows<LedgerException.State> { l.issueCertificate("admin", request()) }
                assertEquals("E_KEY_UNAVAILABLE", e.code)
                assertTrue(bad.asked > 0)
                l.head() // still usable
            }
        }
        // Another key of the right length does not open it either.
        Ledger.openWithKeys(path, Platform(ByteArray(32) { 8 })).signing().use { l ->
            assertThrows<LedgerException> { l.issueCertificate("admin", request()) }
        }
        Ledger.openWithKeys(path, platform).signing().use { l ->
            assertEquals(number, l.issueCertificate("admin", request()).identityNumber)
        }
        // Given later, the provider serves the ledger from then on.
        Ledger.open(path).signing().use { l ->
            l.setKeyProvider(platform)
            assertTrue(l.hasIdentityKey())
            assertEquals(number, l.issueCertificate("admin", request()).identityNumber)
            l.setMaskOnly()
            assertFalse(l.hasIdentityKey())
        }
    }

    @Test
    fun `the key file beside a ledger rotates and old numbers stay readable`(@TempDir dir: Path) {
        val path = dir.resolve("district.db").toString()
        Ledger.create(path, config).use { l ->
            fill(l)
            assertTrue(l.hasIdentityKey())
            assertTrue(Files.exists(dir.resolve("district.db.key")))
            assertEquals("k2", l.rotateKey())
        }
        assertEquals(emptyList<String>(), anyFileHolds(dir, number))
        Ledger.open(path).signing().use { l ->
            assertEquals(number, l.issueCertificate("admin", request()).identityNumber)
        }
    }

    @Test
    fun `an erased identity is gone for good and the log still verifies`() {
        Ledger.inMemory(config).use { l ->
            fill(l)
            assertEquals(number, l.issueCertificate("admin", request()).identityNumber)
            assertFalse(l.volunteer("V1").identityErased)
            val r = l.eraseIdentity("admin", "V1")
            assertFalse(r.duplicate)
            assertTrue(l.volunteer("V1").identityErased)
            assertEquals("110105********002X", l.volunteer("V1").maskedIdentity)
            assertEquals("E_IDENTITY_ERASED", assertThrows<LedgerException.State> {
                l.issueCertificate("admin", request())
            }.code)
            assertEquals(180L, l.volunteer("V1").totalMinutes)
            l.verify()
            assertEquals("E_UNKNOWN_VOLUNTEER", assertThrows<LedgerException.NotFound> {
                l.eraseIdentity("admin", "V404")
            }.code)
        }
    }

    @Test
    fun `a signed head checks the log it was issued on and finds a rewritten one`(@TempDir dir: Path) {
        val path = dir.resolve("district.db").toString()
        Ledger.create(path, config).use { l ->
            assertEquals("E_NO_SIGNING_KEY", assertThrows<LedgerException.State> { l.signedHead() }.code)
            assertNull(l.keptSignedHead())
            fill(l)
            val head = l.signedHead()
            assertEquals(l.head().seq + 1, head.size)
            assertEquals(l.head().hash, head.headHash)
            assertEquals(head, l.keptSignedHead())
            signedHeadCheck(head, l.publicKey()!!)
            assertEquals(head, signedHeadFromJson(signedHeadToJson(head)))
            assertEquals("E_CHECKPOINT_FORMAT", assertThrows<LedgerException.Integrity> {
                signedHeadFromJson("{\"size\":")
            }.code)
            l.verifyAgainst(listOf(head))

            // The log grows: the later head extends the earlier one, and proves its entries.
            l.addRecord("admin", NewRecord(id = "R2", volunteer = "V1", org = "C1", start = at(12, 5, 9),
                end = at(12, 5, 12), minutes = 150L, content = "助老服务", source = RecordSource.ENTRY))
            val later = l.signedHead()
            signedHeadCheckExtendedBy(head, later, l.consistencyProof(head.size, later.size))
            l.verifyAgainst(listOf(head, later))
            val last = l.head()
            val proof = l.inclusionProofs(later.size, listOf(last.seq)).single()
            signedHeadCheckInclusion(later, last.hash, proof)
            assertEquals("E_FIELD", assertThrows<LedgerException.Input> { l.inclusionProofs(-1, listOf(0)) }.code)

            // The same ledger written otherwise (one record of other minutes): the head
            // issued on the first finds it was rewritten.
            Ledger.inMemory(config).use { other ->
                other.setClock(Clock.Fixed(at(12, 20, 12)))
                other.setSigningKey("admin", ByteArray(32) { 7 })
                other.registerOrg("admin", NewOrg(id = "C1", name = "学田社区", kind = OrgKind.COMMUNITY, parent = null))
                other.registerVolunteer("admin", NewVolunteer(id = "V1", name = "张三",
                    identityKind = IdentityKind.RESIDENT_ID, identityNumber = number, homeOrg = "C1"))
                other.addRecord("admin", NewRecord(id = "R1", volunteer = "V1", org = "C1", start = at(6, 2, 9),
                    end = at(6, 2, 12), minutes = 120L, content = "助老服务", source = RecordSource.ENTRY))
                other.addRecord("admin", NewRecord(id = "R2", volunteer = "V1", org = "C1", start = at(12, 5, 9),
                    end = at(12, 5, 12), minutes = 150L, content = "助老服务", source = RecordSource.ENTRY))
                assertEquals("E_CHECKPOINT_MISMATCH", assertThrows<LedgerException.Integrity> {
                    other.verifyAgainst(listOf(head))
                }.code)
            }
        }
        Ledger.open(path).use { l ->
            assertEquals(emptyList<Warning>(), l.openWarnings())
            assertEquals(l.head().seq + 1, l.keptSignedHead()!!.size)
            l.verify()
        }
    }

    @Test
    fun `the new codes cross with their families`() {
        val codes = errorCodes()
        for (c in listOf("E_KEY_UNAVAILABLE", "E_IDENTITY_ERASED", "E_CHECKPOINT_MISMATCH", "E_CHECKPOINT_FORMAT",
            "E_OWN_RECORD", "E_UPLOAD_TOO_LARGE")) {
            assertTrue(c in codes, c)
        }
        assertEquals("E_CHECKPOINT_FORMAT", assertThrows<LedgerException.Integrity> {
            merkleRoot(listOf("zz"))
        }.code)
        assertEquals("E_FIELD", assertThrows<LedgerException.Input> {
            merkleVerifyInclusion(-1, 1, "00".repeat(32), emptyList(), "00".repeat(32))
        }.code)
    }
}
