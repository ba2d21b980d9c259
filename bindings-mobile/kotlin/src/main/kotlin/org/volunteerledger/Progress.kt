package org.volunteerledger

/**
 * A [ProgressListener] from a lambda, for the calls that report progress
 * (`uploadWithProgress`, `addRecordsWithProgress`, `saveAsWithProgress`, `verifyWithProgress`,
 * `Ledger.openWithProgress`, and the `progress` argument of [SuspendingLedger]'s calls):
 *
 * ```
 * ledger.verifyWithProgress(progressListener { done, total -> bar.update(done, total) })
 * ```
 *
 * Java callers pass a lambda for the interface itself: `ledger.verifyWithProgress((done, total) -> …)`.
 */
fun progressListener(onProgress: (done: Long, total: Long) -> Unit): ProgressListener =
    object : ProgressListener {
        override fun onProgress(done: Long, total: Long) = onProgress(done, total)
    }
