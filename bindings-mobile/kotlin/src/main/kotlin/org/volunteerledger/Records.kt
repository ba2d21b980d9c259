package org.volunteerledger

import org.volunteerledger.core.NewRecord
import org.volunteerledger.core.RecordSource
import java.time.Instant

/**
 * Service records to add, for Java callers: the generated `NewRecord` constructor takes its
 * fields in the record's canonical (alphabetical) order, all of them, since Java has neither
 * named nor default arguments. Kotlin callers use `NewRecord(id = …, …)` with named arguments.
 */
object Records {
    /**
     * A record of [minutes] served by [volunteer] at [org] from [start] to [end], with the
     * core's defaults for the rest: no team or activity, no content, unpaid, not a job duty,
     * public benefit. `record.copy(...)` (or the full constructor) sets the others.
     */
    @JvmStatic
    fun service(
        id: String,
        volunteer: String,
        org: String,
        start: Instant,
        end: Instant,
        minutes: Long,
        source: RecordSource,
    ): NewRecord = NewRecord(
        id = id, volunteer = volunteer, org = org, start = start, end = end, minutes = minutes,
        source = source,
    )

    /** As [service], with what was done ([content], e.g. `助老服务`). */
    @JvmStatic
    fun service(
        id: String,
        volunteer: String,
        org: String,
        start: Instant,
        end: Instant,
        minutes: Long,
        source: RecordSource,
        content: String,
    ): NewRecord = service(id, volunteer, org, start, end, minutes, source).copy(content = content)
}
