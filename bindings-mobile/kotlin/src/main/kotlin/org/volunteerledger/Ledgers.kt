package org.volunteerledger

import org.volunteerledger.core.ImportOptions
import org.volunteerledger.core.LedgerConfig

/**
 * Making and opening ledgers, and the core's default configurations, as static methods a Java
 * caller reaches by name (`Ledgers.inMemory(config)`): UniFFI puts a ledger's constructors on
 * `Ledger.Companion` and free functions on a file class, which Java sees as such. Kotlin
 * callers can use either. Each method forwards to the generated binding.
 */
object Ledgers {
    /** A new ledger held in memory; its first entry records [config]. */
    @JvmStatic
    @Throws(LedgerException::class)
    fun inMemory(config: LedgerConfig): Ledger = Ledger.inMemory(config)

    /** Creates a ledger file at [path]; `E_STORAGE` where a file exists. */
    @JvmStatic
    @Throws(LedgerException::class)
    fun create(path: String, config: LedgerConfig): Ledger = Ledger.create(path, config)

    /** Opens a ledger file (replaying its log after the newest snapshot). */
    @JvmStatic
    @Throws(LedgerException::class)
    fun open(path: String): Ledger = Ledger.open(path)

    /** Opens a ledger file, telling [progress] the entries it replays (none after a clean close). */
    @JvmStatic
    @Throws(LedgerException::class)
    fun open(path: String, progress: ProgressListener): Ledger = Ledger.openWithProgress(path, progress)

    /** A new ledger in memory for a device: it keeps masks only, never an identity number. */
    @JvmStatic
    @Throws(LedgerException::class)
    fun inMemoryDevice(config: LedgerConfig): Ledger = Ledger.inMemoryDevice(config)

    /** Creates a device's ledger file: masks only, no key file. */
    @JvmStatic
    @Throws(LedgerException::class)
    fun createDevice(path: String, config: LedgerConfig): Ledger = Ledger.createDevice(path, config)

    /** A ledger configuration with the core's defaults: UTC+08:00 and the `mca` policy. */
    @JvmStatic
    @Throws(LedgerException::class)
    fun defaultConfig(ledgerId: String, name: String, platformAdmin: String): LedgerConfig =
        defaultLedgerConfig(ledgerId, name, platformAdmin)

    /** How an uploaded sheet is read by default (the options an upload without any uses). */
    @JvmStatic
    fun defaultImportOptions(): ImportOptions = org.volunteerledger.defaultImportOptions()

    /** Every error code the core can return (`E_OVERLAP` …). */
    @JvmStatic
    fun errorCodes(): List<String> = org.volunteerledger.errorCodes()
}
