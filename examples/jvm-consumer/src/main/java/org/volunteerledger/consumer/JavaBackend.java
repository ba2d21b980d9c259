package org.volunteerledger.consumer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.volunteerledger.Ledger;
import org.volunteerledger.LedgerException;
import org.volunteerledger.Ledgers;
import org.volunteerledger.Records;
import org.volunteerledger.Scopes;
import org.volunteerledger.core.BoardEntry;
import org.volunteerledger.core.BoardKind;
import org.volunteerledger.core.Clock;
import org.volunteerledger.core.ErrorFamily;
import org.volunteerledger.core.IdentityKind;
import org.volunteerledger.core.Leaderboard;
import org.volunteerledger.core.NewOrg;
import org.volunteerledger.core.NewVolunteer;
import org.volunteerledger.core.OrgKind;
import org.volunteerledger.core.RecordReceipt;
import org.volunteerledger.core.RecordSource;
import org.volunteerledger.core.RecordState;
import org.volunteerledger.core.StarSummary;
import org.volunteerledger.core.VolunteerView;

/**
 * A district's platform backend in Java, with volunteer-ledger from Maven: a ledger file is
 * created, an org and two volunteers registered, service recorded and confirmed, hours, stars
 * and the month's leaderboard read, a refusal's code and messages shown, and the file opened
 * again. Exits non-zero (an exception) when any result is not the expected one.
 */
public final class JavaBackend {
    private static final ZoneOffset BEIJING = ZoneOffset.ofHours(8);

    private static Instant june(int day, int hour) {
        return OffsetDateTime.of(2015, 6, day, hour, 0, 0, 0, BEIJING).toInstant();
    }

    private static void expect(boolean holds, String what) {
        if (!holds) {
            throw new IllegalStateException("wrong result: " + what);
        }
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("volunteer-ledger-java-");
        String path = dir.resolve("district.db").toString();
        try {
            try (Ledger ledger = Ledgers.create(path, Ledgers.defaultConfig("district", "某区", "admin"))) {
                ledger.setClock(new Clock.Fixed(june(20, 12)));
                serve(ledger);
            }
            // The file holds everything: opened again, the chain checks and the hours are there.
            try (Ledger ledger = Ledgers.open(path)) {
                long entries = ledger.verify().getEntries();
                expect(entries == ledger.head().getSeq() + 1, "every entry of the reopened file verified");
                expect(ledger.volunteer("V2").getTotalMinutes() == 240L, "V2's minutes after reopening");
                System.out.println("reopened " + path + ": " + entries + " entries, chain verified");
            }
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        System.out.println("java: ok");
    }

    private static void serve(Ledger ledger) throws LedgerException {
        ledger.registerOrg("admin", new NewOrg("D", OrgKind.DISTRICT, "某区", null));
        ledger.registerVolunteer("admin",
                new NewVolunteer("D", "V1", IdentityKind.RESIDENT_ID, "11010519491231002X", "张三"));
        ledger.registerVolunteer("admin",
                new NewVolunteer("D", "V2", IdentityKind.PASSPORT, "E12345678", "李四"));

        // An organiser's entry is confirmed as entered.
        RecordReceipt first = ledger.addRecord("admin",
                Records.service("R1", "V1", "D", june(2, 9), june(2, 12), 180L, RecordSource.ENTRY, "助老服务"));
        expect(first.getState() == RecordState.CONFIRMED, "an organiser's record is confirmed");

        // A volunteer's own report waits for the organiser, who confirms it.
        RecordReceipt own = ledger.addRecord("V2",
                Records.service("R2", "V2", "D", june(3, 9), june(3, 13), 240L, RecordSource.ENTRY));
        expect(own.getState() == RecordState.PENDING, "a volunteer's own report waits");
        ledger.confirmRecord("admin", "R2");
        expect(ledger.record("R2").getState() == RecordState.CONFIRMED, "R2 confirmed");

        VolunteerView v1 = ledger.volunteer("V1");
        StarSummary stars = ledger.starSummary("V1");
        System.out.printf("%s: %.1f h, %d stars, %d minutes to the next%n", v1.getMaskedName(),
                v1.getTotalMinutes() / 60.0, stars.getLevel(), stars.getMinutesToNext());
        expect(v1.getMaskedName().equals("张*") && v1.getTotalMinutes() == 180L, "V1's name and minutes");
        expect(stars.getLevel() == 0 && stars.getTotalMinutes() == 180L, "V1's stars");

        Leaderboard board = ledger.leaderboard("2015-06", Scopes.all(), BoardKind.VOLUNTEERS, 10);
        List<BoardEntry> entries = board.getEntries();
        for (BoardEntry entry : entries) {
            System.out.printf("  %d. %s %d min%n", entry.getRank(), entry.getName(), entry.getMinutes());
        }
        expect(board.getRanked() == 2, "two volunteers ranked");
        expect(entries.get(0).getName().equals("李*") && entries.get(0).getMinutes() == 240L, "first place");
        expect(entries.get(1).getName().equals("张*") && entries.get(1).getMinutes() == 180L, "second place");

        // A refusal: V1 cannot serve twice at the same time. Nothing is stored.
        long before = ledger.head().getSeq();
        try {
            ledger.addRecord("admin",
                    Records.service("R3", "V1", "D", june(2, 10), june(2, 11), 60L, RecordSource.ENTRY));
            throw new IllegalStateException("wrong result: an overlapping record was accepted");
        } catch (LedgerException e) {
            System.out.println("refused " + e.code() + " (" + e.family() + "): " + e.messageEn() + " / " + e.messageZh());
            expect(e.code().equals("E_OVERLAP"), "the refusal's code");
            expect(e.family() == ErrorFamily.VALIDATION, "the refusal's family");
            expect(e instanceof LedgerException.Validation, "the refusal's class");
            expect(e.messageEn().equals("record R3: overlaps record R1 of the same volunteer"), "the English message");
            expect(e.messageZh().equals("服务记录 R3：与同一志愿者的服务记录 R1 时间重叠"), "the Chinese message");
        }
        expect(ledger.head().getSeq() == before, "a refusal stores nothing");
    }
}
