package org.volunteerledger

import org.volunteerledger.core.Clock
import org.volunteerledger.core.IdentityKind
import org.volunteerledger.core.NewOrg
import org.volunteerledger.core.NewRecord
import org.volunteerledger.core.NewVolunteer
import org.volunteerledger.core.OrgKind
import org.volunteerledger.core.RecordSource
import java.time.Instant
import java.time.OffsetDateTime
import java.time.ZoneOffset

/** 2015-06-[day] [hour]:00 in China Standard Time. */
internal fun june(day: Int, hour: Int): Instant =
    OffsetDateTime.of(2015, 6, day, hour, 0, 0, 0, ZoneOffset.ofHours(8)).toInstant()

/** A district ledger on 2015-06-20: an admin, org D, volunteer V1 (张三) living there. */
internal fun smallDistrict(): Ledger {
    val ledger = Ledger.inMemory(defaultLedgerConfig("district", "某区", "admin"))
    ledger.setClock(Clock.Fixed(june(20, 12)))
    ledger.registerOrg("admin", NewOrg(id = "D", name = "某区", kind = OrgKind.DISTRICT, parent = null))
    ledger.registerVolunteer(
        "admin",
        NewVolunteer(id = "V1", name = "张三", identityKind = IdentityKind.RESIDENT_ID,
            identityNumber = "11010519491231002X", homeOrg = "D"),
    )
    return ledger
}

/** [minutes] served by V1 at D on 2015-06-[day] from [from] o'clock to [to] o'clock. */
internal fun served(id: String, day: Int, from: Int, to: Int, minutes: Long) = NewRecord(
    id = id, volunteer = "V1", org = "D", start = june(day, from), end = june(day, to),
    minutes = minutes, source = RecordSource.ENTRY,
)
