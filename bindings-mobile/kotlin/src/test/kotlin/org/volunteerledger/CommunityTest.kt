package org.volunteerledger

import org.junit.jupiter.api.Assertions.assertArrayEquals
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertTrue
import org.junit.jupiter.api.Test
import org.junit.jupiter.api.assertThrows
import org.junit.jupiter.api.io.TempDir
import org.volunteerledger.core.AnomalyKind
import org.volunteerledger.core.BoardKind
import org.volunteerledger.core.Clock
import org.volunteerledger.core.Commendation
import org.volunteerledger.core.Complaint
import org.volunteerledger.core.Evaluation
import org.volunteerledger.core.EvaluationSource
import org.volunteerledger.core.ExportFormat
import org.volunteerledger.core.IdentityKind
import org.volunteerledger.core.Language
import org.volunteerledger.core.Membership
import org.volunteerledger.core.NewActivity
import org.volunteerledger.core.NewOrg
import org.volunteerledger.core.NewProject
import org.volunteerledger.core.NewRecord
import org.volunteerledger.core.NewTeam
import org.volunteerledger.core.NewVolunteer
import org.volunteerledger.core.OrgKind
import org.volunteerledger.core.ProjectClaim
import org.volunteerledger.core.RecordScope
import org.volunteerledger.core.RecordSource
import org.volunteerledger.core.RecordState
import org.volunteerledger.core.ReportIn
import org.volunteerledger.core.Role
import org.volunteerledger.core.Scope
import org.volunteerledger.core.Training
import java.io.File
import java.time.Instant
import java.time.LocalDate
import java.time.OffsetDateTime
import java.time.ZoneOffset

/**
 * The community features through the Kotlin binding: teams over time, projects, activities with
 * evaluations and complaints, training, commendations, team ratings, excellent volunteers,
 * reporting in, four eyes, anomaly flags; uploads and exports as bytes; the file ledger's
 * save_as and projections. The rules are the core's (core/tests/teams.rs); this checks that
 * they arrive whole, refusals with their codes.
 */
class CommunityTest {
    private val cst = ZoneOffset.ofHours(8)
    private fun t(month: Int, day: Int, hour: Int): Instant =
        OffsetDateTime.of(2015, month, day, hour, 0, 0, 0, cst).toInstant()
    private fun day(month: Int, day: Int): LocalDate = LocalDate.of(2015, month, day)

    /**
     * D > S1 > {C1, C2}, D > S2 > C3, D > U1 (a work unit). V0–V2 live in C1, V3 in C2, V4 and
     * V5 in C3. Team T1 at C1 (leader V0, member V1), T2 at C3 (leader V4). rec1 records for
     * C1, adm1 and adm2 are admins of S1, unitrec records for U1. Made on 2015-01-01; the
     * clock then stands at 2015-12-31 noon. (The same district as core/tests/teams.rs.)
     */
    private fun district(): Ledger {
        val l = Ledger.inMemory(defaultLedgerConfig("L", "学田区", "admin"))
        l.setClock(Clock.Fixed(t(1, 1, 8)))
        for ((o, p, kind) in listOf(
            Triple("D", null, OrgKind.DISTRICT), Triple("S1", "D", OrgKind.STREET),
            Triple("S2", "D", OrgKind.STREET), Triple("C1", "S1", OrgKind.COMMUNITY),
            Triple("C2", "S1", OrgKind.COMMUNITY), Triple("C3", "S2", OrgKind.COMMUNITY),
            Triple("U1", "D", OrgKind.WORK_UNIT),
        )) {
            l.registerOrg("admin", NewOrg(id = o, name = "${o}名", kind = kind, parent = p))
        }
        l.grantRole("admin", "rec1", Role.Recorder("C1"))
        l.grantRole("admin", "adm1", Role.OrgAdmin("S1"))
        l.grantRole("admin", "adm2", Role.OrgAdmin("S1"))
        l.grantRole("admin", "unitrec", Role.Recorder("U1"))
        for ((v, home) in listOf(0 to "C1", 1 to "C1", 2 to "C1", 3 to "C2", 4 to "C3", 5 to "C3")) {
            l.registerVolunteer("admin", NewVolunteer(
                id = "V$v", name = "志愿者$v", identityKind = IdentityKind.PASSPORT,
                identityNumber = "E1000000$v", homeOrg = home,
            ))
        }
        l.createTeam("admin", NewTeam(id = "T1", org = "C1", name = "T1队", leader = "V0", liaisons = listOf(), members = listOf("V1")))
        l.createTeam("admin", NewTeam(id = "T2", org = "C3", name = "T2队", leader = "V4", liaisons = listOf(), members = listOf()))
        l.setClock(Clock.Fixed(t(12, 31, 12)))
        return l
    }

    private fun record(id: String, v: String, org: String, team: String?, activity: String?, start: Instant, minutes: Int) =
        NewRecord(
            id = id, volunteer = v, org = org, team = team, activity = activity,
            start = start, end = start.plusSeconds(minutes * 60L), minutes = minutes.toLong(),
            content = "服务", source = RecordSource.ENTRY,
        )

    private fun activity(id: String, org: String, team: String?, start: Instant, end: Instant, project: String? = null) =
        NewActivity(id = id, name = "${id}活动", org = org, team = team, project = project, start = start, end = end)

    /** A refusal with its code, family and bilingual message, that wrote nothing. */
    private inline fun <reified E : LedgerException> refused(l: Ledger, code: String, block: () -> Unit): E {
        val before = l.head()
        val e = assertThrows<E> { block() }
        assertEquals(code, e.code())
        assertTrue(e.message!!.contains(" / "), "bilingual: ${e.message}")
        assertTrue((0..5).none { e.message!!.contains("志愿者$it") }, "no names: ${e.message}")
        assertEquals(before, l.head(), "$code wrote an entry")
        return e
    }

    /** The year of core/tests/teams.rs `rated_year`: four activities of T1, V1 leaving on 31 July. */
    private fun ratedYear(): Ledger {
        val l = district()
        for ((a, m, d) in listOf(Triple("A1", 6, 6), Triple("A2", 7, 4), Triple("A3", 7, 20), Triple("A4", 8, 2))) {
            l.createActivity("admin", activity(a, "C1", "T1", t(m, d, 9), t(m, d, 12)))
        }
        l.leaveTeam("admin", Membership(date = day(7, 31), team = "T1", volunteer = "V1"))
        for ((r, v, a, md, minutes) in listOf(
            Row("R1", "V0", "A1", 6 to 6, 180), Row("R2", "V1", "A1", 6 to 6, 120),
            Row("R3", "V2", "A1", 6 to 6, 180), Row("R4", "V0", "A2", 7 to 4, 180),
            Row("R5", "V1", "A3", 7 to 20, 60), Row("R6", "V1", "A4", 8 to 2, 60),
        )) {
            l.addRecord("admin", record(r, v, "C1", "T1", a, t(md.first, md.second, 9), minutes))
        }
        for (score in listOf(5, 4, 4)) {
            l.evaluateActivity("rec1", Evaluation(activity = "A1", score = score, source = EvaluationSource.RECIPIENT))
        }
        l.recordComplaint("rec1", Complaint(activity = "A2", reason = "未按时开始", volunteer = null))
        return l
    }

    private data class Row(val id: String, val v: String, val a: String, val md: Pair<Int, Int>, val minutes: Int)

    @Test
    fun `a team year is rated by the published table with its breakdown`() {
        ratedYear().use { l ->
            val r = l.teamRating("T1", 2015)
            assertEquals("T1队", r.teamName)
            val f = r.facts
            assertEquals(listOf(3L, 2L, 2L, 2L), norm(listOf(f.monthsActive, f.firstSaturdayMonths, f.members, f.activeMembers)))
            assertEquals(540L, norm(f.totalMinutes))
            assertEquals(listOf(3L, 13L, 1L), norm(listOf(f.evaluations, f.evaluationPoints, f.complaints)))
            // Worked by hand in core/tests/teams.rs: 5 + 2 + 0 + 2 + 1 + 10 + 19 − 4 = 35, one star.
            assertEquals(listOf(5, 2, 0, 2, 1, 10, 19, -4), r.score.lines.map { it.points })
            assertEquals(listOf(35L, 1L), norm(listOf(r.score.score, r.score.stars)))
            assertTrue(r.score.lines[0].textEn.contains("3 of 12"), r.score.lines[0].textEn)
            assertTrue(r.score.lines[6].textZh.contains("4.3"), r.score.lines[6].textZh)
            // The facts rate the same through the pure function.
            assertEquals(r.score, rateTeam(teamScoringProfile("district"), l.teamFacts("T1", 2015)))
            // Another table: 9 h is far from PVSA's 200 h.
            val g = l.teamRatingBy("T1", 2015, teamScoringProfile("pvsa_group"))
            assertEquals(listOf(0L, 0L), norm(listOf(g.score.score, g.score.stars)))
            assertEquals(listOf("district", "pvsa_group"), teamScoringProfileNames())
            assertEquals(1, l.teamRatings(2015, Scope.Org("S1")).size)
            assertEquals(2, l.teamRatings(2015, Scope.All).size)
            // A malformed table is refused with the core's code, by the ledger and the pure function.
            val bad = teamScoringProfile("district").let { it.copy(starThresholds = listOf()) }
            refused<LedgerException.Policy>(l, "E_POLICY") { l.teamRatingBy("T1", 2015, bad) }
            assertThrows<LedgerException.Policy> { rateTeam(bad, l.teamFacts("T1", 2015)) }
            val negativeCap = teamScoringProfile("district").let { t -> t.copy(criteria = t.criteria.map { it.copy(cap = -12) }) }
            assertEquals("E_POLICY", assertThrows<LedgerException.Policy> { rateTeam(negativeCap, l.teamFacts("T1", 2015)) }.code)
            // Facts are signed Ints and Longs for Java; a negative one is E_FIELD.
            val e = assertThrows<LedgerException.Input> { rateTeam(teamScoringProfile("district"), l.teamFacts("T1", 2015).copy(complaints = -1)) }
            assertEquals("E_FIELD", e.code)
            assertTrue(e.detail.contains("complaints"), e.detail)
            refused<LedgerException.NotFound>(l, "E_UNKNOWN_TEAM") { l.teamRating("T9", 2015) }

            // Members over time, the activity as the ledger sees it.
            val members = l.teamMembers("T1").map { Triple(it.volunteer, it.joined, it.left) }.sortedBy { it.first }
            assertEquals(listOf(Triple("V0", day(1, 1), null), Triple("V1", day(1, 1), day(7, 31))), members)
            val a1 = l.activity("A1")
            assertEquals(listOf("R1", "R2", "R3"), a1.records)
            assertEquals(480L, norm(a1.countedMinutes))
            assertEquals(43L, norm(a1.averageEvaluationTenths))
            assertEquals("T1", a1.activity.team)
            refused<LedgerException.Input>(l, "E_EVALUATION_SCORE") {
                l.evaluateActivity("rec1", Evaluation(activity = "A1", score = 6, source = EvaluationSource.ORG))
            }
            // The team's own officers do not judge their work.
            refused<LedgerException.Authorization>(l, "E_FORBIDDEN") {
                l.recordComplaint("V0", Complaint(activity = "A1", reason = "迟到", volunteer = "V1"))
            }
        }
    }

    @Test
    fun `members join and leave, projects are claimed, activities follow the claim`() {
        district().use { l ->
            l.setClock(Clock.Fixed(t(3, 1, 12)))
            l.joinTeam("V0", Membership(date = day(3, 1), team = "T1", volunteer = "V2"))
            refused<LedgerException.State>(l, "E_OFFICER_LEAVES") {
                l.leaveTeam("admin", Membership(date = day(3, 1), team = "T1", volunteer = "V0"))
            }
            l.publishProject("adm1", NewProject(category = "助老", id = "P1", name = "助老项目", org = "S1"))
            l.claimProject("V0", ProjectClaim(project = "P1", team = "T1"))
            assertEquals("T1", l.project("P1").claimedBy)
            l.createActivity("V0", activity("A9", "C1", null, t(3, 7, 9), t(3, 7, 11), project = "P1"))
            assertEquals("T1", l.activity("A9").activity.team)
            assertEquals("助老", l.activity("A9").category)
            refused<LedgerException.NotFound>(l, "E_UNKNOWN_PROJECT") { l.project("P9") }
        }
    }

    @Test
    fun `training and commendations are in the volunteer's summary`() {
        district().use { l ->
            l.recordTraining("rec1", Training(date = day(3, 2), id = "TR1", minutes = 90, org = "C1", title = "急救培训", volunteer = "V1"))
            l.recordCommendation("adm1", Commendation(date = day(12, 1), id = "CM1", org = "S1", title = "2015年度优秀志愿者", volunteer = "V1"))
            l.addRecord("admin", record("R1", "V1", "C1", null, null, t(5, 2, 9), 120))
            val s = l.volunteerSummary("V1")
            assertEquals(listOf("TR1"), s.training.map { it.id })
            assertEquals(listOf("CM1"), s.commendations.map { it.id })
            assertEquals(120L, norm(s.stars.totalMinutes), "training adds no service hours")
            assertEquals(listOf("T1"), s.teams)
            assertEquals("志*", s.volunteer.maskedName)
        }
    }

    @Test
    fun `a unit reports its staff and a community sees who reported in`() {
        district().use { l ->
            val report = { v: String, community: String, unit: String ->
                ReportIn(community = community, date = day(3, 1), volunteer = v, workUnit = unit)
            }
            refused<LedgerException.Validation>(l, "E_ORG_KIND") { l.reportIn("admin", report("V1", "S1", "U1")) }
            // Another volunteer reports nobody in; a unit's recorder takes nobody from their home
            // org: V1 reports themselves in (报到).
            refused<LedgerException.Authorization>(l, "E_FORBIDDEN") { l.reportIn("V3", report("V1", "C1", "U1")) }
            refused<LedgerException.Authorization>(l, "E_FORBIDDEN") { l.reportIn("unitrec", report("V1", "C2", "U1")) }
            l.reportIn("V1", report("V1", "C2", "U1"))
            l.reportIn("rec1", report("V2", "C1", "U1"))
            l.addRecord("admin", record("R1", "V1", "C2", null, null, t(5, 2, 9), 120))
            l.addRecord("admin", record("R2", "V1", "C2", null, null, t(7, 2, 9), 60))
            val r = l.unitReport("U1", "2015-05")
            assertEquals(listOf(listOf("V1", 120L, "C2"), listOf("V2", 0L, "C1")), norm(r.staff.map { listOf(it.volunteer, it.minutes, it.community) }))
            assertEquals(listOf(1L, 120L), norm(listOf(r.served, r.totalMinutes)))
            assertEquals("2015-05", r.period)
            assertEquals(180L, norm(l.unitReport("U1", "2015").totalMinutes))
            refused<LedgerException.Input>(l, "E_PERIOD") { l.unitReport("U1", "2015-13") }
            val seen = l.communityVolunteers("C2").map { Triple(it.volunteer, it.reportedIn, it.maskedName) }
            assertEquals(listOf(Triple("V1", true, "志*"), Triple("V3", false, "志*")), seen)
            assertEquals("C2", l.volunteerSummary("V1").reportedIn)
        }
    }

    @Test
    fun `a large entry waits for a second admin, and is flagged`() {
        district().use { l ->
            l.setClock(Clock.Fixed(t(6, 2, 20)))
            val r = l.addRecord("adm1", record("R1", "V1", "C1", null, null, t(6, 2, 8), 540))
            assertEquals(RecordState.PENDING, r.state)
            assertTrue(l.record("R1").fourEyes)
            val e = refused<LedgerException.Authorization>(l, "E_FOUR_EYES") { l.confirmRecord("rec1", "R1") }
            assertTrue(e.message!!.contains("540") && e.message!!.contains("480"), e.message)
            refused<LedgerException.Authorization>(l, "E_SELF_CONFIRM") { l.confirmRecord("adm1", "R1") }
            l.confirmRecord("adm2", "R1")
            assertEquals(RecordState.CONFIRMED, l.record("R1").state)
            // Flags refuse nothing: 630 minutes on one day stay under the daily cap (720) but
            // are above the policy's flag (600).
            l.addRecord("adm2", record("R2", "V1", "C1", null, null, t(6, 2, 18), 90))
            val flags = l.anomalies("2015-06")
            assertTrue(flags.any { it.kind == AnomalyKind.DAY_MINUTES && it.volunteer == "V1" && it.day == day(6, 2) }, "$flags")
            assertTrue(flags.all { it.reasonEn.isNotEmpty() && it.reasonZh.isNotEmpty() })
        }
    }

    @Test
    fun `excellent candidates come with reasons`() {
        district().use { l ->
            // The mca rule: a star and 100 h in the year. 13 days of 8 h (four eyes starts above 8 h).
            for (d in 1..13) l.addRecord("admin", record("R$d", "V1", "C1", null, null, t(6, d, 8), 480))
            val c = l.excellentCandidates(2015, Scope.All)
            assertEquals(listOf("V1"), c.map { it.volunteer })
            assertEquals("S1", c[0].street)
            assertTrue(c[0].reasonEn.isNotEmpty() && c[0].reasonZh.isNotEmpty())
        }
    }

    @Test
    fun `a sheet uploads from bytes with its report, and exports come back as bytes`() {
        district().use { l ->
            val csv = "志愿者编号,组织编号,服务日期,开始时间,结束时间,服务时长(小时)\n" +
                "V1,C1,2015-12-30,9:00,11:00,2\n" +
                "V9,C1,2015-12-30,9:00,11:00,2\n"
            val dry = l.upload("admin", csv.toByteArray(), defaultImportOptions(), true)
            assertTrue(dry.dryRun)
            assertEquals(listOf(2L, 1L), norm(listOf(dry.rows, dry.accepted)))
            assertEquals(0, l.recordsOf("V1").size, "a dry run writes nothing")
            val report = l.upload("admin", csv.toByteArray(), defaultImportOptions(), false)
            assertEquals(listOf(1L, 0L), norm(listOf(report.accepted, report.duplicates)))
            assertEquals(listOf("E_UNKNOWN_VOLUNTEER"), report.rejected.map { it.code })
            assertEquals(3L, norm(report.rejected[0].row))
            assertEquals(1, l.recordsOf("V1").size)
            // The same sheet again records nothing twice.
            assertEquals(1L, norm(l.upload("admin", csv.toByteArray(), defaultImportOptions(), false).duplicates))
            // A sheet that cannot be read is refused whole: E_FIELD, the upload's own code in the message.
            val e = refused<LedgerException.Input>(l, "E_FIELD") { l.upload("admin", "a,b\n1,2\n".toByteArray(), defaultImportOptions(), false) }
            assertTrue(e.message!!.contains("E_UPLOAD_HEADER"), e.message)

            val csvOut = l.recordsFile(RecordScope.Org("C1"), "2015", ExportFormat.CSV, Language.EN)
            val text = csvOut.toString(Charsets.UTF_8)
            assertTrue(text.startsWith("\uFEFF"), "CSV carries a BOM")
            assertTrue(text.contains("V1") && !text.contains("志愿者1") && !text.contains("E10000001"), text)
            val xlsx = l.recordsFile(RecordScope.Volunteer("V1"), "2015", ExportFormat.XLSX, Language.ZH)
            assertArrayEquals(byteArrayOf(0x50, 0x4b, 0x03, 0x04), xlsx.copyOf(4), "an xlsx is a zip")
            val board = l.leaderboard("2015", Scope.All, BoardKind.VOLUNTEERS, 10)
            val boardCsv = leaderboardFile(board, ExportFormat.CSV, Language.EN).toString(Charsets.UTF_8)
            assertTrue(boardCsv.contains("V1") && boardCsv.contains("志*"), boardCsv)
            refused<LedgerException.NotFound>(l, "E_UNKNOWN_ORG") {
                l.recordsFile(RecordScope.Org("C9"), "2015", ExportFormat.CSV, Language.EN)
            }
        }
    }

    @Test
    fun `the exchange export comes back as a workbook or as a zip of CSVs`() {
        district().use { l ->
            l.addRecord("admin", record("R1", "V1", "C1", null, null, t(6, 2, 8), 120))
            val xlsx = l.exchangeFile("D", "2015", ExportFormat.XLSX, Language.ZH)
            assertArrayEquals(byteArrayOf(0x50, 0x4b, 0x03, 0x04), xlsx.copyOf(4), "an xlsx is a zip")
            val zip = l.exchangeFile("S1", "all", ExportFormat.CSV, Language.EN)
            val files = mutableMapOf<String, String>()
            java.util.zip.ZipInputStream(zip.inputStream()).use { z ->
                var entry = z.nextEntry
                while (entry != null) {
                    files[entry.name] = z.readBytes().toString(Charsets.UTF_8)
                    entry = z.nextEntry
                }
            }
            assertEquals(
                listOf("volunteers", "teams", "projects", "service_records", "training", "commendations", "evaluations")
                    .map { "$it.csv" },
                files.keys.toList(),
            )
            val records = files.getValue("service_records.csv")
            assertTrue(records.startsWith("\uFEFFrecord_id,volunteer_id,masked_name,"), records)
            assertTrue(records.contains("R1,V1,志*,C1,C1名,,,2015-06-02 08:00,2015-06-02 10:00,2.00,120,"), records)
            assertTrue(files.values.none { it.contains("志愿者1") }, "names leave masked")
            refused<LedgerException.NotFound>(l, "E_UNKNOWN_ORG") {
                l.exchangeFile("C9", "2015", ExportFormat.CSV, Language.EN)
            }
        }
    }

    @Test
    fun `a ledger is saved as a file, reopened from its snapshot, and its projections rebuilt`(@TempDir dir: File) {
        val path = File(dir, "district.db").path
        val digest = ratedYear().use { l ->
            assertNull(l.path())
            assertEquals(0L, l.replayedAtOpen())
            l.saveAs(path).use { saved ->
                assertEquals(path, saved.path())
                assertEquals(l.head(), saved.head())
                saved.checkpoint()
            }
            refused<LedgerException.Storage>(l, "E_STORAGE") { l.saveAs(path).close() }
            l.head()
        }
        Ledger.open(path).use { l ->
            assertEquals(0L, l.replayedAtOpen(), "the snapshot was used")
            assertEquals(digest, l.head())
            l.rebuildProjections()
            assertEquals(listOf(35L, 1L), norm(l.teamRating("T1", 2015).score.let { listOf(it.score, it.stars) }))
            l.verify()
        }
    }
}
