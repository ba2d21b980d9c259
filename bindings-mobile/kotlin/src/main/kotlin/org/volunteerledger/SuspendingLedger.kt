package org.volunteerledger

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import org.volunteerledger.core.ExportFormat
import org.volunteerledger.core.ImportOptions
import org.volunteerledger.core.ImportReport
import org.volunteerledger.core.Language
import org.volunteerledger.core.LedgerConfig
import org.volunteerledger.core.NewRecord
import org.volunteerledger.core.RecordScope
import org.volunteerledger.core.RegisterReport
import org.volunteerledger.core.SignedHead
import org.volunteerledger.core.SyncBatch
import org.volunteerledger.core.SyncReceipt
import org.volunteerledger.core.VerifyReport

/**
 * A ledger's calls that can take seconds (uploads, bulk adds, saving, checking the chain,
 * exports, importing a device's batch) as `suspend` functions, for coroutines: each runs the
 * blocking call on [dispatcher] (`Dispatchers.IO` unless given), so a caller on the main thread
 * is not blocked. Same names, arguments, defaults and `LedgerException`s as the [Ledger]
 * methods they forward to; `ledger.suspending` makes one. Everything else is quick: call the
 * [Ledger] itself.
 *
 * The calls that report progress take an optional [ProgressListener] (`progressListener { done,
 * total -> … }` makes one from a lambda): it is told `0` of the total, every 1000 rows, records
 * or entries, and the end, on the IO thread — post to the main thread to draw.
 */
class SuspendingLedger(
    /** The ledger the calls go to. */
    val ledger: Ledger,
    private val dispatcher: CoroutineDispatcher = Dispatchers.IO,
) {
    private suspend fun <T> io(call: Ledger.() -> T): T = withContext(dispatcher) { ledger.call() }

    /** [Ledger.upload] (or [Ledger.uploadWithProgress]) off the caller's thread. */
    suspend fun upload(
        actor: String,
        bytes: ByteArray,
        options: ImportOptions? = null,
        dryRun: Boolean = false,
        progress: ProgressListener? = null,
    ): ImportReport = io {
        if (progress == null) upload(actor, bytes, options, dryRun)
        else uploadWithProgress(actor, bytes, progress, options, dryRun)
    }

    /** [Ledger.uploadVolunteers] (bulk registration from a sheet) off the caller's thread. */
    suspend fun uploadVolunteers(
        actor: String,
        bytes: ByteArray,
        options: ImportOptions? = null,
        dryRun: Boolean = false,
        progress: ProgressListener? = null,
    ): RegisterReport = io {
        if (progress == null) uploadVolunteers(actor, bytes, options, dryRun)
        else uploadVolunteersWithProgress(actor, bytes, progress, options, dryRun)
    }

    /** [Ledger.uploadOrgs] (bulk registration of an org tree) off the caller's thread. */
    suspend fun uploadOrgs(
        actor: String,
        bytes: ByteArray,
        options: ImportOptions? = null,
        dryRun: Boolean = false,
        progress: ProgressListener? = null,
    ): RegisterReport = io {
        if (progress == null) uploadOrgs(actor, bytes, options, dryRun)
        else uploadOrgsWithProgress(actor, bytes, progress, options, dryRun)
    }

    /** [Ledger.addRecords] off the caller's thread; outcomes in input order. */
    suspend fun addRecords(
        actor: String,
        records: List<NewRecord>,
        progress: ProgressListener? = null,
    ): List<RecordOutcome> = io {
        if (progress == null) addRecords(actor, records) else addRecordsWithProgress(actor, records, progress)
    }

    /** [Ledger.saveAs] off the caller's thread; the ledger of the new file. */
    suspend fun saveAs(path: String, progress: ProgressListener? = null): Ledger =
        io { if (progress == null) saveAs(path) else saveAsWithProgress(path, progress) }

    /** [Ledger.checkpoint] off the caller's thread. */
    suspend fun checkpoint(): Unit = io { checkpoint() }

    /** [Ledger.verify] (the whole hash chain) off the caller's thread. */
    suspend fun verify(progress: ProgressListener? = null): VerifyReport =
        io { if (progress == null) verify() else verifyWithProgress(progress) }

    /** [Ledger.verifyAgainst] off the caller's thread. */
    suspend fun verifyAgainst(heads: List<SignedHead>): VerifyReport = io { verifyAgainst(heads) }

    /** [Ledger.recordsFile] off the caller's thread. */
    suspend fun recordsFile(
        scope: RecordScope,
        period: String,
        format: ExportFormat,
        language: Language? = null,
    ): ByteArray = io { recordsFile(scope, period, format, language) }

    /** [Ledger.exchangeFile] off the caller's thread. */
    suspend fun exchangeFile(
        org: String,
        period: String,
        format: ExportFormat,
        language: Language? = null,
    ): ByteArray = io { exchangeFile(org, period, format, language) }

    /** [Ledger.importSyncBatch] (on the server) off the caller's thread. */
    suspend fun importSyncBatch(sender: String, batch: SyncBatch): SyncReceipt =
        io { importSyncBatch(sender, batch) }

    /** Opening and creating ledger files off the caller's thread. */
    companion object {
        /** [Ledger.open] (which replays the log after the newest snapshot) on [dispatcher]. */
        suspend fun open(
            path: String,
            dispatcher: CoroutineDispatcher = Dispatchers.IO,
            progress: ProgressListener? = null,
        ): SuspendingLedger = withContext(dispatcher) {
            val ledger = if (progress == null) Ledger.open(path) else Ledger.openWithProgress(path, progress)
            SuspendingLedger(ledger, dispatcher)
        }

        /** [Ledger.create] on [dispatcher]. */
        suspend fun create(
            path: String,
            config: LedgerConfig,
            dispatcher: CoroutineDispatcher = Dispatchers.IO,
        ): SuspendingLedger = withContext(dispatcher) { SuspendingLedger(Ledger.create(path, config), dispatcher) }
    }
}

/** This ledger's long calls as `suspend` functions on `Dispatchers.IO`. */
val Ledger.suspending: SuspendingLedger
    get() = SuspendingLedger(this)
