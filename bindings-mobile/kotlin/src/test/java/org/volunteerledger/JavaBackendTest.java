package org.volunteerledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.volunteerledger.core.BoardKind;
import org.volunteerledger.core.Certificate;
import org.volunteerledger.core.CertificateRequest;
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

/**
 * The binding as a Java backend (a government platform's server) calls it: static factories, no
 * {@code Companion}, no unsigned types, {@code LedgerException} with its code and messages.
 */
class JavaBackendTest {
    private static Instant june(int day, int hour) {
        return OffsetDateTime.of(2015, 6, day, hour, 0, 0, 0, ZoneOffset.ofHours(8)).toInstant();
    }

    @Test
    void aDistrictRegistersRecordsRanksAndCertifies() throws Exception {
        try (Ledger ledger = Ledgers.inMemory(Ledgers.defaultConfig("district", "某区", "admin"))) {
            ledger.setClock(new Clock.Fixed(june(20, 12)));
            ledger.registerOrg("admin", new NewOrg("D", OrgKind.DISTRICT, "某区", null));
            ledger.registerVolunteer("admin",
                    new NewVolunteer("D", "V1", IdentityKind.RESIDENT_ID, "11010519491231002X", "张三"));

            RecordReceipt receipt = ledger.addRecord("admin",
                    Records.service("R1", "V1", "D", june(2, 9), june(2, 12), 180L, RecordSource.ENTRY, "助老服务"));
            assertEquals(RecordState.CONFIRMED, receipt.getState());
            long seq = receipt.getSeq();
            assertTrue(seq > 0);

            Leaderboard board = ledger.leaderboard("2015-06", Scopes.all(), BoardKind.VOLUNTEERS, 10);
            assertEquals(1, board.getRanked());
            assertEquals("张*", board.getEntries().get(0).getName());
            long minutes = board.getEntries().get(0).getMinutes();
            assertEquals(180L, minutes);
            assertEquals(board.getEntries(),
                    ledger.leaderboard("2015-06", Scopes.org("D"), BoardKind.VOLUNTEERS, 10).getEntries());

            ledger.setSigningKey("admin", new byte[32]);
            Certificate certificate = ledger.issueCertificate("admin", new CertificateRequest(
                    "V1", LocalDate.of(2015, 6, 1), LocalDate.of(2015, 6, 30), "D",
                    "王主任", "李干事", "010-1234", ""));
            assertTrue(Certificates.text(certificate).contains("V1") || Certificates.text(certificate).contains("张"));
            assertEquals(Certificates.qrPayload(certificate), Certificates.qrPayload(certificate, null));
        }
    }

    @Test
    void aRefusalCarriesItsCodeFamilyAndMessages() throws Exception {
        try (Ledger ledger = Ledgers.inMemory(Ledgers.defaultConfig("district", "某区", "admin"))) {
            ledger.registerOrg("admin", new NewOrg("D", OrgKind.DISTRICT, "某区", null));
            ledger.registerVolunteer("admin",
                    new NewVolunteer("D", "V1", IdentityKind.RESIDENT_ID, "11010519491231002X", "张三"));
            ledger.addRecord("admin", Records.service("R1", "V1", "D", june(2, 9), june(2, 12), 180L, RecordSource.ENTRY));

            LedgerException e = assertThrows(LedgerException.class, () -> ledger.addRecord("admin",
                    Records.service("R2", "V1", "D", june(2, 10), june(2, 11), 60L, RecordSource.ENTRY)));
            assertEquals("E_OVERLAP", e.code());
            assertEquals(ErrorFamily.VALIDATION, e.family());
            assertEquals("服务记录 R2：与同一志愿者的服务记录 R1 时间重叠", e.messageZh());
            assertEquals("record R2: overlaps record R1 of the same volunteer", e.messageEn());
            assertTrue(e instanceof LedgerException.Validation);
        }
    }

    @Test
    void aFileLedgerIsCreatedAndOpenedByStaticFactories(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        String path = dir.resolve("district.db").toString();
        try (Ledger created = Ledgers.create(path, Ledgers.defaultConfig("district", "某区", "admin"))) {
            created.registerOrg("admin", new NewOrg("D", OrgKind.DISTRICT, "某区", null));
        }
        List<long[]> replayed = new java.util.ArrayList<>();
        try (Ledger opened = Ledgers.open(path, (done, total) -> replayed.add(new long[] {done, total}))) {
            assertEquals("某区", opened.org("D").getName());
            assertEquals(0, opened.replayedAtOpen());
            assertEquals(List.of(0L, 0L), List.of(replayed.get(0)[0], replayed.get(0)[1]));
            List<long[]> checked = new java.util.ArrayList<>();
            long entries = opened.verifyWithProgress((done, total) -> checked.add(new long[] {done, total}))
                    .getEntries();
            assertEquals(opened.head().getSeq() + 1, entries);
            long[] end = checked.get(checked.size() - 1);
            assertEquals(List.of(entries, entries), List.of(end[0], end[1]));
            List<String> codes = Ledgers.errorCodes();
            assertTrue(codes.contains("E_UNKNOWN_ORG"));
        }
    }
}
