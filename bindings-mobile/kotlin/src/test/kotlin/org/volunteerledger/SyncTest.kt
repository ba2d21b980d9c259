package org.volunteerledger

import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertFalse
import org.junit.jupiter.api.Assertions.assertNotEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.volunteerledger.core.CertificateRequest
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
import org.volunteerledger.core.SyncResult
import org.json.JSONObject
import java.time.Instant
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZoneOffset

/** Offline recording on a phone's ledger, synced to a server's ledger; the error families. */
class SyncTest {
    private val cst = ZoneOffset.ofHours(8)
    private fun at(day: Int, hour: Int): Instant = OffsetDateTime.of(2015, 6, day, hour, 0, 0, 0, cst).toInstant()

    private fun record(id: String, volunteer: String, day: Int) = NewRecord(
        id = id, volunteer = volunteer, org = "C1", start = at(day, 9), end = at(day, 11),
        minutes = 120L, content = "助老服务", source = RecordSource.ENTRY,
    )

    /** The seed of the server's signing key, and its public key, which every device trusts. */
    private val serverSeed = ByteArray(32) { 7 }
    private val serverKey = "ea4a6c63e29c520abef5507b132ec5f9954776aebebe7b92421eea691446d22c"

    /**
     * A ledger on 2015-06-12 with community C1, its recorder `leader`, volunteers V1 and V2.
     * `district` signs its receipts with [serverSeed]; every ledger trusts it as its sync server.
     */
    private fun ledger(id: String): Ledger {
        val l = Ledger.inMemory(defaultLedgerConfig(id, "某区", "admin"))
        l.setClock(Clock.Fixed(at(12, 12)))
        l.registerOrg("admin", NewOrg(id = "C1", name = "学田社区", kind = OrgKind.COMMUNITY, parent = null))
        l.grantRole("admin", "leader", Role.Recorder("C1"))
        for ((v, n) in listOf("V1" to "11010519491231002X", "V2" to "E12345678")) {
            val kind = if (n.length == 18) IdentityKind.RESIDENT_ID else IdentityKind.PASSPORT
            l.registerVolunteer("admin", NewVolunteer(id = v, name = "王小明", identityKind = kind, identityNumber = n, homeOrg = "C1"))
        }
        if (id == "district") l.setSigningKey("admin", serverSeed)
        l.trustSyncServer("district", serverKey)
        return l
    }

    private fun outcome(r: SyncResult) = when (r) {
        is SyncResult.Accepted -> "accepted"
        is SyncResult.AlreadyHad -> "already_had"
        is SyncResult.Refused -> r.code
    }

    @Test
    fun `a phone records offline, syncs, and sends nothing twice`() {
        ledger("district").use { server ->
            ledger("phone-1").use { phone ->
                phone.addRecord("leader", record("phone-1-1", "V1", 2))
                phone.addRecord("leader", record("phone-1-2", "V2", 3))
                // Roles the phone grants itself count for nothing on the server.
                phone.grantRole("admin", "helper", Role.Recorder("C1"))
                phone.addRecord("helper", record("phone-1-3", "V1", 4))
                assertEquals(2, phone.syncStatus("leader").unsent)

                // The batch travels as JSON, the receipt comes back as JSON.
                val batch = syncBatchToJson(phone.syncBatch("leader", 100))
                val receipt = syncReceiptFromJson(syncReceiptToJson(server.importSyncJson("leader", batch)))
                assertEquals(listOf("accepted", "accepted"), receipt.results.map(::outcome))
                val first = receipt.results[0] as SyncResult.Accepted
                assertEquals(RecordState.CONFIRMED, first.state)
                assertEquals(64, first.entryHash.length)
                val applied = phone.applySyncReceipt(receipt)
                assertEquals(2, applied.acknowledged)
                assertTrue(phone.syncBatch("leader", 100).records.isEmpty())

                // The same batch again (the receipt was lost): recorded once.
                val head = server.head()
                val again = server.importSyncJson("leader", batch)
                assertEquals(listOf("already_had", "already_had"), again.results.map(::outcome))
                assertEquals(head, server.head())
                assertEquals(listOf(120L, 120L), listOf(server.volunteer("V1").totalMinutes, server.volunteer("V2").totalMinutes))

                // The helper's record is refused by the server's own roles, and not sent again.
                val helper = server.importSyncBatch("helper", phone.syncBatch("helper", 100))
                val refused = helper.results.single() as SyncResult.Refused
                assertEquals("E_FORBIDDEN", refused.code)
                assertTrue(refused.messageZh.contains("无权"), refused.messageZh)
                assertFalse(refused.messageEn.contains("王"), refused.messageEn)
                assertEquals(1, phone.applySyncReceipt(helper).refused.size)
                val status = phone.syncStatus(null)
                assertEquals(listOf(0, 2), listOf(status.unsent, status.acknowledged))
                assertEquals(listOf("phone-1-3"), status.refused.map { it.record })

                // Once the server grants the role, the phone may retry it.
                server.grantRole("admin", "helper", Role.Recorder("C1"))
                assertTrue(phone.retrySync("phone-1-3"))
                val retried = server.importSyncBatch("helper", phone.syncBatch("helper", 100))
                assertEquals(listOf("accepted"), retried.results.map(::outcome))
                phone.applySyncReceipt(retried)
                assertEquals(0, phone.syncStatus(null).refused.size)
                assertEquals(240L, server.starSummary("V1").totalMinutes)
                server.verify()
            }
        }
    }

    @Test
    fun `whole batches and receipts are refused with stable codes`() {
        ledger("district").use { server ->
            ledger("phone-1").use { phone ->
                phone.addRecord("leader", record("R1", "V1", 2))
                val batch = phone.syncBatch("leader", 10)
                val head = server.head()
                assertEquals("E_SYNC_FORMAT", assertThrows<LedgerException.Input> { server.importSyncJson("leader", "{\"format\":") }.code)
                assertEquals("E_SYNC_VERSION", assertThrows<LedgerException.Input> {
                    server.importSyncJson("leader", syncBatchToJson(batch).replace("batch@2", "batch@7"))
                }.code)
                assertEquals("E_SYNC_FORMAT", assertThrows<LedgerException.Input> { syncBatchFromJson("[]") }.code)
                assertEquals("E_SYNC_ACTOR", assertThrows<LedgerException.Authorization> { server.importSyncBatch("admin", batch) }.code)
                assertEquals(head, server.head())
                assertEquals("E_FIELD", assertThrows<LedgerException.Input> { phone.syncBatch("leader", 0) }.code)
                // A record with a key the format does not know is refused, naming the key.
                val extra = syncBatchToJson(batch).replace("\"minutes\":120", "\"minutes\":120,\"minutes_x\":5")
                val unknown = assertThrows<LedgerException.Input> { server.importSyncJson("leader", extra) }
                assertEquals("E_SYNC_FORMAT", unknown.code)
                assertTrue(unknown.message!!.contains("minutes_x"), unknown.message)
                assertEquals(head, server.head())
                ledger("phone-2").use { other ->
                    val receipt = server.importSyncBatch("leader", batch)
                    assertEquals("E_SYNC_DEVICE", assertThrows<LedgerException.Input> { other.applySyncReceipt(receipt) }.code)
                }
                ledger("city").use { unkeyed ->
                    assertEquals("E_NO_SIGNING_KEY", assertThrows<LedgerException.State> { unkeyed.importSyncBatch("leader", batch) }.code)
                }
            }
        }
    }

    @Test
    fun `a forged receipt is refused and the phone still sends the record`() {
        ledger("district").use { server ->
            ledger("phone-1").use { phone ->
                assertEquals(serverKey, server.publicKey())
                assertEquals(serverKey, phone.syncServer()?.publicKey)
                phone.addRecord("leader", record("R1", "V1", 2))
                val receipt = server.importSyncBatch("leader", phone.syncBatch("leader", 10))
                val refusal = SyncResult.Refused("R1", "E_FORBIDDEN", "forbidden", "无权")
                val edited = receipt.copy(results = listOf(refusal))
                assertEquals("E_BAD_SIGNATURE", assertThrows<LedgerException.Integrity> { phone.applySyncReceipt(edited) }.code)
                val unsigned = edited.copy(signature = "")
                assertEquals("E_SYNC_UNSIGNED", assertThrows<LedgerException.Integrity> { phone.applySyncReceipt(unsigned) }.code)
                assertEquals(1, phone.syncStatus(null).unsent)
                assertEquals(1, phone.applySyncReceipt(receipt).acknowledged)
                assertEquals(0, phone.syncStatus(null).unsent)
            }
        }
    }

    @Test
    fun `a receipt's head covers what the server holds, and an edited receipt is refused`() {
        ledger("district").use { server ->
            ledger("phone-1").use { phone ->
                assertNull(phone.syncServerHead())
                phone.addRecord("leader", record("R1", "V1", 2))
                phone.addRecord("leader", record("R2", "V2", 3))
                val batch = phone.syncBatch("leader", 10)
                val receipt = server.importSyncBatch("leader", batch)
                val text = syncReceiptToJson(receipt)
                assertEquals("volunteer-ledger/sync-receipt@3", JSONObject(text).getString("format"))

                // The head is the server's once the batch was recorded; it covers every accepted
                // entry, and each result's proof leads from its entry to the head's root.
                val head = receipt.head
                assertEquals(listOf("district", serverKey, server.head().seq + 1), listOf(head.ledgerId, head.publicKey, head.size))
                signedHeadCheck(head, serverKey)
                val accepted = receipt.results.map { it as SyncResult.Accepted }
                assertEquals(listOf("R1", "R2"), accepted.map { it.record })
                for (r in accepted) {
                    assertTrue(r.seq < head.size, "${r.seq} of ${head.size}")
                    assertEquals(r.seq, r.proof.index)
                    signedHeadCheckInclusion(head, r.entryHash, r.proof)
                }
                // Sent again (the receipt was lost): "already had", each with its proof too.
                val again = server.importSyncBatch("leader", batch)
                for (r in again.results.map { it as SyncResult.AlreadyHad }) {
                    assertTrue(r.seq < again.head.size)
                    signedHeadCheckInclusion(again.head, r.entryHash, r.proof)
                }

                // A proof hash changed in the JSON: the proof no longer leads to the head, and
                // the receipt's signature (over its results and head) no longer holds.
                val proof = accepted[1].proof
                val edited = JSONObject(text).also {
                    it.getJSONArray("results").getJSONObject(1).getJSONObject("proof").getJSONArray("path").put(0, "cd".repeat(32))
                }.toString()
                val forged = syncReceiptFromJson(edited)
                assertNotEquals(receipt, forged)
                val forgedProof = (forged.results[1] as SyncResult.Accepted).proof
                assertEquals(proof.copy(path = listOf("cd".repeat(32)) + proof.path.drop(1)), forgedProof)
                assertEquals("E_CHECKPOINT_MISMATCH", assertThrows<LedgerException.Integrity> {
                    signedHeadCheckInclusion(head, accepted[1].entryHash, forgedProof)
                }.code)
                assertEquals("E_BAD_SIGNATURE", assertThrows<LedgerException.Integrity> { phone.applySyncReceipt(forged) }.code)
                // A later head of the server's in place of the receipt's: not what it signed.
                server.addRecord("leader", record("R9", "V2", 5))
                val swapped = receipt.copy(head = server.signedHead())
                assertEquals("E_BAD_SIGNATURE", assertThrows<LedgerException.Integrity> { phone.applySyncReceipt(swapped) }.code)
                // A receipt of the format before heads does not read.
                assertEquals("E_SYNC_VERSION", assertThrows<LedgerException.Input> {
                    syncReceiptFromJson(text.replace("sync-receipt@3", "sync-receipt@2"))
                }.code)
                assertEquals(2, phone.syncStatus(null).unsent)
                assertNull(phone.syncServerHead())

                // The genuine receipt applies, and the phone keeps its head.
                assertEquals(2, phone.applySyncReceipt(syncReceiptFromJson(text)).acknowledged)
                assertEquals(0, phone.syncStatus(null).unsent)
                assertEquals(head, phone.syncServerHead())
                // Later, the server shows that its log still begins with what the phone was told.
                server.verifyAgainst(listOf(phone.syncServerHead()!!))
            }
        }
    }

    @Test
    fun `every error family arrives as its LedgerException subclass`() {
        ledger("district").use { l ->
            l.addRecord("leader", record("R1", "V1", 2))
            val cases: List<Pair<ErrorFamily, () -> Unit>> = listOf(
                ErrorFamily.INPUT to { l.record(" R1") },
                ErrorFamily.VALIDATION to { l.addRecord("leader", record("R2", "V1", 2)) },
                ErrorFamily.AUTHORIZATION to { l.addRecord("nobody", record("R3", "V2", 5)) },
                ErrorFamily.NOT_FOUND to { l.starSummary("V404") },
                ErrorFamily.CONFLICT to { l.addRecord("leader", record("R1", "V2", 6)) },
                ErrorFamily.STATE to { l.revokeRecord("leader", "R1", "x"); l.revokeRecord("leader", "R1", "x") },
                ErrorFamily.INTEGRITY to { certificateFromJson("{") },
                ErrorFamily.POLICY to { policyProfile("nowhere") },
                ErrorFamily.STORAGE to { Ledger.open("/nonexistent/district.db") },
            )
            for ((family, call) in cases) {
                val e = assertThrows<LedgerException>("$family", call)
                assertEquals(family, e.family(), "${e.message}")
                val expected = when (family) {
                    ErrorFamily.INPUT -> LedgerException.Input::class
                    ErrorFamily.VALIDATION -> LedgerException.Validation::class
                    ErrorFamily.AUTHORIZATION -> LedgerException.Authorization::class
                    ErrorFamily.NOT_FOUND -> LedgerException.NotFound::class
                    ErrorFamily.CONFLICT -> LedgerException.Conflict::class
                    ErrorFamily.STATE -> LedgerException.State::class
                    ErrorFamily.INTEGRITY -> LedgerException.Integrity::class
                    ErrorFamily.POLICY -> LedgerException.Policy::class
                    ErrorFamily.STORAGE -> LedgerException.Storage::class
                }
                assertEquals(expected, e::class, "$family")
                assertTrue(e.code().startsWith("E_") && e.code() in errorCodes(), e.code())
            }
        }
    }

    @Test
    fun `dates are LocalDate, and one beyond the core's range is a LedgerException`() {
        ledger("district").use { l ->
            val far = CertificateRequest(
                volunteer = "V1", periodFrom = LocalDate.of(2015, 1, 1), periodTo = LocalDate.of(300000, 1, 1),
                issuingOrg = "C1", responsiblePerson = "李主任", handler = "王干事", contact = "0791-12345678",
            )
            val e = assertThrows<LedgerException.Input> { l.issueCertificate("admin", far) }
            assertEquals("E_FIELD", e.code)
            assertEquals(LocalDate.of(2015, 6, 1), periodInfo("2015-06").firstDay)
        }
    }
}
