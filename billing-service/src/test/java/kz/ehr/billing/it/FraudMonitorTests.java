package kz.ehr.billing.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.billing.fraud.service.FraudMonitor;
import kz.ehr.billing.projection.Affected;
import kz.ehr.billing.projection.BillingIngest;
import kz.ehr.billing.projection.BillingProjection;
import kz.ehr.events.Attachment;
import kz.ehr.events.Death;
import kz.ehr.events.Encounter;
import kz.ehr.events.Envelopes;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.Hospitalization;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.security.Roles;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestTokens;

/**
 * The monitor over the real projection tables, batch by batch as the consumer applies them, for hand-built streams
 * where facts arrive late or out of order. Expected: the flags that stand at the end (OPEN), per visit.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_billing_test"))
class FraudMonitorTests {
    static final AtomicInteger SERIAL = new AtomicInteger();

    @Inject
    AgroalDataSource dataSource;
    @Inject
    BillingProjection projection;
    @Inject
    FraudMonitor monitor;
    @Inject
    BillingIngest ingest;
    @Inject
    kz.ehr.billing.config.Policies policies;

    /** A connection of the pool outside the test's transaction (the prefetch runs on a thread without one). */
    BillingIngest.OutsideConnection outside() {
        return new BillingIngest.OutsideConnection() {
            @Override
            public <T> T with(BillingIngest.SqlWork<T> work) throws Exception {
                try (Connection b = dataSource.getConnection()) {
                    return work.run(b);
                }
            }
        };
    }

    /** Each batch in its own transaction, as the consumer applies it; returns the stored key of every named visit. */
    Map<String, String> apply(List<List<Fact>> batches, String suffix) {
        return apply(batches, suffix, false);
    }

    /** {@code rereadPersons}: the monitor ignores the person rows the projection handed over and reads them itself. */
    Map<String, String> apply(List<List<Fact>> batches, String suffix, boolean rereadPersons) {
        return apply(batches, suffix, rereadPersons ? Path.REREAD : Path.REUSE);
    }

    enum Path {
        /** projection, then the monitor reusing the person rows the projection handed over */
        REUSE,
        /** projection, then the monitor reading every person and every touched doctor's day afresh: the slow reference */
        REREAD,
        /**
         * the consumer's path: a mixed batch in two transactions (other facts, then encounters); for encounters the
         * monitor's reads from the committed state on a second connection
         */
        PIPELINED
    }

    Map<String, String> apply(List<List<Fact>> batches, String suffix, Path path) {
        Map<String, String> visitKeys = new TreeMap<>();
        for (List<Fact> facts : batches) {
            List<Delivery<HealthRecordEvent>> batch = deliveries(facts, suffix, visitKeys);
            if (path == Path.PIPELINED) {
                // as the consumer: a mixed batch's other facts in one transaction, then its encounters in another
                for (BillingIngest.Part part : BillingIngest.parts(batch, List.of())) {
                    QuarkusTransaction.requiringNew().run(() -> {
                        try (Connection c = dataSource.getConnection()) {
                            ingest.apply(c, outside(), part.records(), part.links());
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    });
                }
                continue;
            }
            QuarkusTransaction.requiringNew().run(() -> {
                try (Connection c = dataSource.getConnection()) {
                    Affected affected = projection.applyHealthRecords(c, batch);
                    if (path == Path.REREAD) {
                        affected.knownPersons().clear();
                        FraudMonitor.of(policies, true).rescreen(c, affected);
                    } else {
                        monitor.rescreen(c, affected);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        return visitKeys;
    }

    @Test
    void aFlagTheMonitorWithdrewIsListedOnlyWhenAskedFor() {
        String suffix = "%05d".formatted(SERIAL.incrementAndGet());
        apply(List.of(List.of(visit("v1", "P", A, "D1", "2025-10-06T04:00:00Z", "S1")), List.of(attach("P", A, "2020-01-01"))), suffix);
        var reviewer = TestTokens.of("dana", Roles.REVIEWER);
        given().auth().oauth2(reviewer).get("/api/v1/fraud/flags?doctor=D1-" + suffix).then().statusCode(200).body("items", hasSize(0));
        given().auth().oauth2(reviewer).get("/api/v1/fraud/flags?state=WITHDRAWN&doctor=D1-" + suffix).then().statusCode(200)
                .body("items.ruleId", equalTo(List.of("NOT_ATTACHED_NO_REFERRAL")));
    }

    @Test
    void aDismissedFlagRestoresTheVisitAndARescreenDoesNotRaiseItAgain() throws SQLException {
        String suffix = "%05d".formatted(SERIAL.incrementAndGet());
        Map<String, String> visits = apply(List.of(List.of(attach("P", A, "2020-01-01")),
                List.of(visit("v1", "P", B, "D1", "2025-10-06T04:00:00Z", "S1"))), suffix);
        var reviewer = TestTokens.of("dana", Roles.REVIEWER);
        String flagId = given().auth().oauth2(reviewer).get("/api/v1/fraud/flags?doctor=D1-" + suffix).then().statusCode(200)
                .body("items[0].identityInReview", equalTo(false)) // one person under the IIN
                .extract().path("items[0].flagId");
        assertThat(counted(visits.get("v1"))).isFalse();
        given().auth().oauth2(reviewer).contentType("application/json").body(Map.of("decision", "DISMISSED", "comment", "referral on paper"))
                .post("/api/v1/fraud/flags/{id}/decision", flagId).then().statusCode(200);
        assertThat(counted(visits.get("v1"))).isTrue();

        // a later visit of the same person re-screens v1: the finding is still there, the reviewer's decision stands
        apply(List.of(List.of(visit("v2", "P", A, "D2", "2025-10-09T04:00:00Z", "S2"))), suffix);
        given().auth().oauth2(reviewer).get("/api/v1/fraud/flags/{id}", flagId).then().statusCode(200).body("flag.state", equalTo("DISMISSED"));
        assertThat(counted(visits.get("v1"))).isTrue();
    }

    /** Counts for capitation: no OPEN or CONFIRMED flag holds it. */
    boolean counted(String visitKey) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT NOT flagged FROM visit WHERE rec_key = ?")) {
            ps.setString(1, visitKey);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    /**
     * One fact of a hand-built stream, plain data (the Avro event is built inside the test, in Quarkus' class loader).
     * {@code visit} names a visit so the expectations can refer to it; persons "P"/"Q" and doctor ids are made unique
     * per case when it runs, so cases never see each other's rows.
     */
    record Fact(String type, String person, String visit, String bin, String doctor, String from, String to, String service) {
    }

    static Fact attach(String person, String bin, String from) {
        return new Fact("ATTACHMENT", person, null, bin, null, from, null, null);
    }

    /** An attachment with an end on record. */
    static Fact attachUntil(String person, String bin, String from, String to) {
        return new Fact("ATTACHMENT", person, null, bin, null, from, to, null);
    }

    /**
     * A doctor id that is a national identifier (an IIN) when the case names it {@code NAT…}: one per case and name, so
     * cases never share a doctor's day; other ids are the polyclinic's own, made unique per case.
     */
    static String doctorId(String doctor, String suffix) {
        if (!doctor.startsWith("NAT")) {
            return doctor + "-" + suffix;
        }
        // an IIN is valid for a birth date up to today: cases numbered from 2,500 on (BoundedScreeningTests' 50,000 on) are
        // born 1900-1968, with serials by block of 25,000
        long k = Integer.parseInt(suffix) * 10L + Integer.parseInt(doctor.substring(3));
        LocalDate born = k < 25_000 ? LocalDate.of(1950, 1, 1).plusDays(k) : LocalDate.of(1900, 1, 1).plusDays(k % 25_000);
        for (int serial = k < 25_000 ? 9_990 : 5_000 + 100 * (int) (k / 25_000 - 1); ; serial++) {
            String iin = kz.ehr.identity.Iin.issue(born, "M", serial);
            if (iin != null) {
                return iin;
            }
        }
    }

    static Fact died(String person, String date) {
        return new Fact("DEATH", person, null, null, null, date, null, null);
    }

    static Fact admitted(String person, String facility, String from, String to) {
        return new Fact("HOSPITALIZATION", person, null, facility, null, from, to, null);
    }

    static Fact visit(String name, String person, String bin, String doctor, String startUtc, String service) {
        return new Fact("ENCOUNTER", person, name, bin, doctor, startUtc, null, service);
    }

    static HealthRecordEvent build(Fact f, String suffix) {
        String id = UUID.randomUUID().toString();
        // P and Q as always; R0..R99 for the streams that need more persons
        String iin = (f.person().startsWith("R") ? "80031%02d".formatted(Integer.parseInt(f.person().substring(1)))
                : "P".equals(f.person()) ? "8003014" : "8003015") + suffix;
        HealthRecordEvent.Builder b = HealthRecordEvent.newBuilder()
                .setEnvelope(Envelopes.of(id, f.type(), "damumed", f.visit() == null ? "rec-" + id : f.visit() + "-" + suffix,
                        Instant.now(), Instant.now(), null))
                .setRecordType(f.type())
                .setPatient(PatientInfo.newBuilder().setLocalId("L-" + iin).setIin(iin).setIinStatus("VALID").setSex("F")
                        .setBirthDate(LocalDate.of(1980, 3, 1)).build());
        switch (f.type()) {
            case "ATTACHMENT" -> b.setAttachment(Attachment.newBuilder().setPolyclinicBin(f.bin()).setFrom(LocalDate.parse(f.from()))
                    .setTo(f.to() == null ? null : LocalDate.parse(f.to())).build());
            case "DEATH" -> b.setDeath(Death.newBuilder().setDate(LocalDate.parse(f.from())).build());
            case "HOSPITALIZATION" -> b.setHospitalization(Hospitalization.newBuilder().setFacilityBin(f.bin())
                    .setAdmittedAt(Instant.parse(f.from())).setDischargedAt(Instant.parse(f.to())).build());
            default -> b.setEncounter(Encounter.newBuilder().setPolyclinicBin(f.bin()).setDoctorId(doctorId(f.doctor(), suffix))
                    .setStart(Instant.parse(f.from())).setEnd(Instant.parse(f.from()).plusSeconds(900)).setKind("VISIT")
                    .setServices(List.of(f.service())).setReferral(false).build());
        }
        return b.build();
    }

    static final String A = "100140000201", B = "100140000202", HOSPITAL = "100140000299";

    static Stream<Arguments> streams() {
        return Stream.of(
                Arguments.of("a visit that arrives before its person's attachment is cleared when the attachment arrives",
                        List.of(List.of(visit("v1", "P", A, "D1", "2025-10-06T04:00:00Z", "S1")), List.of(attach("P", A, "2020-01-01"))),
                        Map.of()),
                Arguments.of("a visit by a polyclinic the person is not attached to, without referral, stays flagged",
                        List.of(List.of(attach("P", A, "2020-01-01")), List.of(visit("v1", "P", B, "D1", "2025-10-06T04:00:00Z", "S1"))),
                        Map.of("v1", Set.of("NOT_ATTACHED_NO_REFERRAL"))),
                Arguments.of("an attachment change mid-month: each visit belongs to the polyclinic of its day",
                        List.of(List.of(attach("P", A, "2020-01-01"), attach("P", B, "2025-10-15")),
                                List.of(visit("v1", "P", A, "D1", "2025-10-06T04:00:00Z", "S1"),
                                        visit("v2", "P", B, "D2", "2025-10-20T04:00:00Z", "S1"),
                                        visit("v3", "P", A, "D1", "2025-10-21T04:00:00Z", "S1"))),
                        Map.of("v3", Set.of("NOT_ATTACHED_NO_REFERRAL"))),
                Arguments.of("doctor ids are the polyclinic's own: the same id at two polyclinics at the same time is no overlap",
                        List.of(List.of(attach("P", A, "2020-01-01"), attach("Q", B, "2020-01-01")),
                                List.of(visit("v1", "P", A, "D1", "2025-10-06T04:00:00Z", "S1")),
                                List.of(visit("v2", "Q", B, "D1", "2025-10-06T04:05:00Z", "S1"))),
                        Map.of()),
                Arguments.of("a doctor with a national id at two polyclinics at once: the later visit is flagged, whichever arrives first",
                        List.of(List.of(attach("P", A, "2020-01-01"), attach("Q", B, "2020-01-01")),
                                List.of(visit("v2", "Q", B, "NAT1", "2025-10-06T04:05:00Z", "S1")),
                                List.of(visit("v1", "P", A, "NAT1", "2025-10-06T04:00:00Z", "S1"))),
                        Map.of("v2", Set.of("DOCTOR_TWO_POLYCLINICS"))),
                Arguments.of("the later visit of a national doctor at two polyclinics goes to another doctor: its flag is withdrawn"
                                + " (its new doctor's day has one polyclinic and is screened whole)",
                        List.of(List.of(attach("P", A, "2020-01-01"), attach("Q", B, "2020-01-01")),
                                List.of(visit("v1", "P", A, "NAT1", "2025-10-06T04:00:00Z", "S1")),
                                List.of(visit("v2", "Q", B, "NAT1", "2025-10-06T04:05:00Z", "S1")),
                                List.of(visit("v2", "Q", B, "NAT2", "2025-10-06T04:05:00Z", "S1"))),
                        Map.of()),
                Arguments.of("the earlier visit of a national doctor at two polyclinics goes to another doctor: the later one's flag"
                                + " is withdrawn (the day the visit left is screened again)",
                        List.of(List.of(attach("P", A, "2020-01-01"), attach("Q", B, "2020-01-01")),
                                List.of(visit("v1", "P", A, "NAT1", "2025-10-06T04:00:00Z", "S1")),
                                List.of(visit("v2", "Q", B, "NAT1", "2025-10-06T04:05:00Z", "S1")),
                                List.of(visit("v1", "P", A, "NAT2", "2025-10-06T04:00:00Z", "S1"))),
                        Map.of()),
                Arguments.of("a doctor with a national id back to back at two polyclinics is no overlap",
                        List.of(List.of(attach("P", A, "2020-01-01"), attach("Q", B, "2020-01-01")),
                                List.of(visit("v1", "P", A, "NAT1", "2025-10-06T04:00:00Z", "S1")),
                                List.of(visit("v2", "Q", B, "NAT1", "2025-10-06T04:15:00Z", "S1"))),
                        Map.of()),
                Arguments.of("a second polyclinic attaching a person the first says it holds until 2026: its visits are flagged",
                        List.of(List.of(attachUntil("P", A, "2020-01-01", "2026-12-31")),
                                List.of(attach("P", B, "2025-09-01"), visit("v1", "P", B, "D1", "2025-10-06T04:00:00Z", "S1"))),
                        Map.of("v1", Set.of("ATTACHED_TWICE"))),
                Arguments.of("a second polyclinic attaching the person for a fixed term inside the first one's open spell: its visit"
                                + " is ATTACHED_TWICE, and the first polyclinic, which still holds the person, is not visiting someone"
                                + " attached elsewhere",
                        List.of(List.of(attach("P", A, "2020-01-01")),
                                List.of(attachUntil("P", B, "2025-10-03", "2027-04-30"), visit("v1", "P", B, "D1", "2025-10-06T04:00:00Z", "S1"),
                                        visit("v2", "P", A, "D2", "2025-10-07T04:00:00Z", "S1"))),
                        Map.of("v1", Set.of("ATTACHED_TWICE"))),
                Arguments.of("a plain change of polyclinic (two open spells): the former one's visit after it is to someone attached"
                                + " elsewhere",
                        List.of(List.of(attach("P", A, "2020-01-01")),
                                List.of(attach("P", B, "2025-10-03"), visit("v2", "P", A, "D2", "2025-10-07T04:00:00Z", "S1"))),
                        Map.of("v2", Set.of("NOT_ATTACHED_NO_REFERRAL"))),
                Arguments.of("one doctor in two places at once: the visit starting later is flagged, whichever arrives first",
                        List.of(List.of(attach("P", A, "2020-01-01"), attach("Q", A, "2020-01-01")),
                                List.of(visit("v2", "Q", A, "D1", "2025-10-06T04:05:00Z", "S1")),
                                List.of(visit("v1", "P", A, "D1", "2025-10-06T04:00:00Z", "S1"))),
                        Map.of("v2", Set.of("DOCTOR_OVERLAPPING_SLOTS"))),
                Arguments.of("back-to-back slots are no overlap",
                        List.of(List.of(attach("P", A, "2020-01-01"), attach("Q", A, "2020-01-01"),
                                visit("v1", "P", A, "D1", "2025-10-06T04:00:00Z", "S1"),
                                visit("v2", "Q", A, "D1", "2025-10-06T04:15:00Z", "S1"))),
                        Map.of()),
                Arguments.of("a late death turns the visits after it into flags, not the ones before",
                        List.of(List.of(attach("P", A, "2020-01-01"), visit("v1", "P", A, "D1", "2025-10-01T04:00:00Z", "S1"),
                                visit("v2", "P", A, "D1", "2025-10-20T04:00:00Z", "S1")), List.of(died("P", "2025-10-10"))),
                        Map.of("v2", Set.of("VISIT_AFTER_DEATH"))),
                Arguments.of("a hospital stay elsewhere arriving late flags the outpatient visit during it",
                        List.of(List.of(attach("P", A, "2020-01-01"), visit("v1", "P", A, "D1", "2025-10-08T04:00:00Z", "S1")),
                                List.of(admitted("P", HOSPITAL, "2025-10-07T00:00:00Z", "2025-10-12T00:00:00Z"))),
                        Map.of("v1", Set.of("VISIT_DURING_HOSPITAL_STAY"))),
                Arguments.of("a death in the same batch as a visit after it: the monitor sees the death the batch brought",
                        List.of(List.of(attach("P", A, "2020-01-01"), visit("v1", "P", A, "D1", "2025-10-01T04:00:00Z", "S1")),
                                List.of(visit("v2", "P", A, "D1", "2025-10-20T04:00:00Z", "S1"), died("P", "2025-10-10"))),
                        Map.of("v2", Set.of("VISIT_AFTER_DEATH"))),
                Arguments.of("a visit resubmitted within one batch: the later submission stands (here at the attached polyclinic)",
                        List.of(List.of(attach("P", A, "2020-01-01"), visit("v1", "P", B, "D1", "2025-10-06T04:00:00Z", "S1"),
                                visit("v1", "P", A, "D1", "2025-10-06T04:00:00Z", "S1"))),
                        Map.of()),
                Arguments.of("a duplicate booked earlier the same day but arriving later: the earlier booking stands",
                        List.of(List.of(attach("P", A, "2020-01-01"), visit("v2", "P", A, "D1", "2025-10-06T06:00:00Z", "S1")),
                                List.of(visit("v1", "P", A, "D2", "2025-10-06T04:00:00Z", "S1"))),
                        Map.of("v2", Set.of("DUPLICATE_SERVICE"))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void theFlagsThatStandAfterTheStream(String name, List<List<Fact>> batches, Map<String, Set<String>> expected) throws SQLException {
        String suffix = "%05d".formatted(SERIAL.incrementAndGet());
        assertThat(standing(apply(batches, suffix))).isEqualTo(new TreeMap<>(expected));
    }

    /**
     * The monitor reuses the person rows the projection read and wrote instead of reading them again. On random
     * out-of-order streams (late attachments, deaths, stays, resubmissions) that must give the same standing flags and
     * the same counted visits as reading every person afresh.
     */
    @ParameterizedTest(name = "seed {0}")
    @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2, 3, 4, 5, 6})
    void reusingTheProjectionsPersonRowsFlagsExactlyAsReadingThemAgain(long seed) throws SQLException {
        List<List<Fact>> batches = randomStream(new java.util.Random(seed));
        Map<String, String> fast = apply(batches, "%05d".formatted(SERIAL.incrementAndGet()), false);
        Map<String, String> slow = apply(batches, "%05d".formatted(SERIAL.incrementAndGet()), true);
        Map<String, Set<String>> fastFlags = standing(fast);
        assertThat(fastFlags).isEqualTo(standing(slow));
        assertThat(fastFlags).as("the stream raises flags at all").isNotEmpty();
        for (String visit : fast.keySet()) {
            assertThat(counted(fast.get(visit))).as(visit).isEqualTo(counted(slow.get(visit)));
        }
    }

    /**
     * The consumer takes a batch of encounters only through the pipelined path (the monitor reads the committed state
     * on a second connection while the batch writes, then merges the visits the batch wrote). On random streams of
     * such batches (resubmissions that move visits between persons, doctors and days, duplicates within a batch, near-mark
     * visits that make and unmake bursts) and on the mixed streams above (whose mixed batches the consumer splits:
     * the other facts first, committed, then the encounters pipelined), it must leave the same standing flags and
     * counted visits as the slow reference, which applies each batch whole in one transaction.
     */
    @ParameterizedTest(name = "seed {0}")
    @org.junit.jupiter.params.provider.ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void thePipelinedPathFlagsExactlyAsReadingEverythingInTheBatch(long seed) throws SQLException {
        for (List<List<Fact>> batches : List.of(randomEncounterStream(new java.util.Random(seed)), randomStream(new java.util.Random(seed)))) {
            Map<String, String> pipelined = apply(batches, "%05d".formatted(SERIAL.incrementAndGet()), Path.PIPELINED);
            Map<String, String> slow = apply(batches, "%05d".formatted(SERIAL.incrementAndGet()), Path.REREAD);
            Map<String, Set<String>> flags = standing(pipelined);
            assertThat(flags).isEqualTo(standing(slow));
            assertThat(flags).as("the stream raises flags at all").isNotEmpty();
            for (String visit : pipelined.keySet()) {
                assertThat(counted(pipelined.get(visit))).as(visit).isEqualTo(counted(slow.get(visit)));
            }
        }
    }

    /**
     * The monitor screens a doctor's day without a standing doctor-rule finding from its new slots' neighbours, not
     * whole. On random streams of days that fill a slot at a time, mostly without overlaps (slots on a five-minute grid
     * over six hours), with resubmissions that move a visit to another time, doctor, day or polyclinic, it must raise
     * the same flags with the same reasons, and leave the same ones standing, as reading every touched day whole,
     * reading fewer visit rows (or the new way was not taken and this would test nothing).
     */
    @ParameterizedTest(name = "seed {0}")
    @org.junit.jupiter.params.provider.ValueSource(longs = {11, 12, 13, 14, 15, 16, 17, 18})
    void screeningDaysFromWhatChangedFlagsExactlyAsReadingThemWhole(long seed) throws SQLException {
        List<List<Fact>> batches = randomDayStream(new java.util.Random(seed));
        kz.ehr.billing.fraud.service.ScreeningMeter.reset();
        Map<String, String> changed = apply(batches, "%05d".formatted(SERIAL.incrementAndGet()), Path.REUSE);
        long changedRows = kz.ehr.billing.fraud.service.ScreeningMeter.rowsRead();
        kz.ehr.billing.fraud.service.ScreeningMeter.reset();
        Map<String, String> whole = apply(batches, "%05d".formatted(SERIAL.incrementAndGet()), Path.REREAD);
        long wholeRows = kz.ehr.billing.fraud.service.ScreeningMeter.rowsRead();
        assertThat(flags(changed)).isEqualTo(flags(whole));
        assertThat(standing(changed)).isEqualTo(standing(whole));
        assertThat(standing(changed).values().stream().flatMap(Set::stream))
                .as("the stream raises doctor-day flags").containsAnyOf("DOCTOR_OVERLAPPING_SLOTS", "DOCTOR_TWO_POLYCLINICS");
        assertThat(changedRows).as("visit rows read (persons' and days'), days screened from what changed against whole")
                .isLessThan(wholeRows);
        for (String visit : changed.keySet()) {
            assertThat(counted(changed.get(visit))).as(visit).isEqualTo(counted(whole.get(visit)));
        }
        // the counts the new way relies on, kept by the triggers on visit, against the visit rows of every test so far;
        // and again after a hand-run DELETE of one run's visits
        assertDoctorDaysMatchTheirVisits();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("DELETE FROM visit WHERE rec_key = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", whole.values().toArray()));
            assertThat(ps.executeUpdate()).isPositive();
        }
        assertDoctorDaysMatchTheirVisits();
    }

    void assertDoctorDaysMatchTheirVisits() throws SQLException {
        try (Connection c = dataSource.getConnection(); java.sql.Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT count(*) FROM doctor_day d FULL JOIN (SELECT doctor_id, visit_date, polyclinic_bin, count(*) AS n,
                    count(*) FILTER (WHERE near_mark) AS m FROM visit WHERE doctor_id IS NOT NULL GROUP BY 1, 2, 3) v
                  USING (doctor_id, visit_date, polyclinic_bin)
                WHERE coalesce(d.visits, 0) <> coalesce(v.n, 0) OR coalesce(d.near_mark, 0) <> coalesce(v.m, 0)""")) {
            rs.next();
            assertThat(rs.getLong(1)).as("doctor-days whose counts differ from their visit rows").isZero();
        }
    }

    /**
     * Days that fill a slot at a time (three days, 15-minute slots on a five-minute grid over eight hours): 10 visits a
     * batch, a fifth of them resubmissions that move a visit.
     */
    static List<List<Fact>> randomDayStream(java.util.Random r) {
        List<List<Fact>> batches = new ArrayList<>();
        List<Fact> first = new ArrayList<>();
        for (int p = 0; p < 12; p++) {
            first.add(attach("R" + p, r.nextInt(4) == 0 ? B : A, "2024-10-01"));
        }
        batches.add(first);
        int visits = 0;
        for (int b = 0; b < 8; b++) {
            List<Fact> batch = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                String name = visits > 0 && r.nextInt(5) == 0 ? "v" + r.nextInt(visits) : "v" + visits++;
                int minute = 5 * r.nextInt(96);
                batch.add(visit(name, "R" + r.nextInt(12), r.nextInt(3) == 0 ? B : A, randomDoctor(r),
                        "2025-10-%02dT%02d:%02d:00Z".formatted(20 + r.nextInt(3), 3 + minute / 60, minute % 60), "S" + visits));
            }
            batches.add(batch);
        }
        return batches;
    }

    /** Every flag of the named visits in any state, with its reason, by visit and rule. */
    Map<String, String> flags(Map<String, String> visitKeys) throws SQLException {
        Map<String, String> out = new TreeMap<>();
        // the reason names the doctor, which differs between the two runs by their suffix only
        flagRows(visitKeys).forEach(f -> out.put(f[0] + " " + f[1], f[2] + " " + f[3].replaceAll("Doctor \\S+ ", "Doctor * ")));
        return out;
    }

    /** Every flag of the named visits: {visit name, rule, state, reason}. */
    List<String[]> flagRows(Map<String, String> visitKeys) throws SQLException {
        Map<String, String> names = new TreeMap<>();
        visitKeys.forEach((name, key) -> names.put(key, name));
        List<String[]> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT visit_key, rule_id, state, reason FROM fraud_flag WHERE visit_key = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", visitKeys.values().toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new String[] {names.get(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getString(4)});
                }
            }
        }
        return out;
    }

    @Test
    void aBurstBeforeTheMarkIsSeenWhenItsVisitsArriveInOneBatchOfEncounters() throws SQLException {
        List<Fact> attachments = new ArrayList<>();
        List<Fact> visits = new ArrayList<>();
        for (int p = 0; p < 10; p++) {
            attachments.add(attach("R" + p, A, "2024-11-10"));
            visits.add(visit("v" + p, "R" + p, A, "D1", "2025-10-20T%02d:%02d:00Z".formatted(3 + p / 4, 15 * (p % 4)), "S1"));
        }
        String suffix = "%05d".formatted(SERIAL.incrementAndGet());
        Map<String, Set<String>> flags = standing(apply(List.of(attachments, visits), suffix, Path.PIPELINED));
        assertThat(flags).hasSize(10);
        assertThat(flags.values()).allMatch(f -> f.contains("BURST_BEFORE_12_MONTH_MARK"));
    }

    /** Attachments (near the 12-month mark for late-October visits) first, then batches of encounters only. */
    static List<List<Fact>> randomEncounterStream(java.util.Random r) {
        List<List<Fact>> batches = new ArrayList<>();
        List<Fact> first = new ArrayList<>();
        for (int p = 0; p < 12; p++) {
            first.add(attach("R" + p, r.nextInt(4) == 0 ? B : A, "2024-%02d-%02d".formatted(10 + r.nextInt(2), 1 + r.nextInt(28))));
        }
        first.add(admitted("R" + r.nextInt(12), HOSPITAL, "2025-10-20T00:00:00Z", "2025-10-21T00:00:00Z"));
        batches.add(first);
        int visits = 0;
        for (int b = 0; b < 6; b++) {
            List<Fact> batch = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                // a resubmission now and then (possibly of a visit of this same batch), with other person, doctor, day or time
                String name = visits > 0 && r.nextInt(5) == 0 ? "v" + r.nextInt(visits) : "v" + visits++;
                batch.add(visit(name, "R" + r.nextInt(12), r.nextInt(5) == 0 ? B : A, randomDoctor(r),
                        "2025-10-%02dT%02d:%02d:00Z".formatted(20 + r.nextInt(2), 3 + r.nextInt(4), 15 * r.nextInt(4)),
                        r.nextBoolean() ? "S1" : "S2"));
            }
            batches.add(batch);
        }
        return batches;
    }

    /**
     * D1 or D2 (a polyclinic's own ids) or NAT1, a national id: its day at both polyclinics is one doctor's day, read
     * across polyclinics (DOCTOR_TWO_POLYCLINICS).
     */
    static String randomDoctor(java.util.Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> "D2";
            case 1, 2 -> "NAT1";
            default -> "D1";
        };
    }

    static List<List<Fact>> randomStream(java.util.Random r) {
        List<List<Fact>> batches = new ArrayList<>();
        int visits = 0;
        for (int b = 0; b < 6; b++) {
            List<Fact> batch = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String person = r.nextBoolean() ? "P" : "Q";
                String bin = r.nextBoolean() ? A : B;
                int kind = r.nextInt(20);
                if (kind < 3) {
                    batch.add(attach(person, bin, "2025-%02d-%02d".formatted(8 + r.nextInt(3), 1 + r.nextInt(28))));
                } else if (kind < 4) {
                    batch.add(died(person, "2025-10-%02d".formatted(1 + r.nextInt(28))));
                } else if (kind < 5) {
                    int day = 1 + r.nextInt(25);
                    batch.add(admitted(person, HOSPITAL, "2025-10-%02dT00:00:00Z".formatted(day), "2025-10-%02dT00:00:00Z".formatted(day + 3)));
                } else {
                    // now and then a resubmission of an earlier visit, possibly with other facts
                    String name = visits > 0 && kind == 5 ? "v" + r.nextInt(visits) : "v" + visits++;
                    batch.add(visit(name, person, bin, randomDoctor(r),
                            "2025-10-%02dT%02d:%02d:00Z".formatted(1 + r.nextInt(28), 3 + r.nextInt(3), 10 * r.nextInt(6)),
                            r.nextBoolean() ? "S1" : "S2"));
                }
            }
            batches.add(batch);
        }
        return batches;
    }

    /**
     * Two writers at once, as two instances of billing's consumer group ({@code ./ehr up --replicas 2}) each applying a
     * batch of its own partitions: a national doctor's overlapping visits at two polyclinics, one in each batch (two
     * patients, so two partitions). Each writer screens the doctor's day as its transaction sees it; unless the second
     * waits for the first to commit before it reads, neither sees the other's visit and the overlap is never flagged.
     */
    @Test
    void twoWritersAtOnceFlagANationalDoctorAtTwoPolyclinicsAsOneWould() throws Exception {
        String suffix = "%05d".formatted(SERIAL.incrementAndGet());
        apply(List.of(List.of(attach("P", A, "2020-01-01"), attach("Q", B, "2020-01-01"))), suffix);
        Map<String, String> keys = new TreeMap<>();
        List<Delivery<HealthRecordEvent>> first = deliveries(List.of(visit("v1", "P", A, "NAT1", "2025-10-06T04:00:00Z", "S1")), suffix, keys);
        List<Delivery<HealthRecordEvent>> second = deliveries(List.of(visit("v2", "Q", B, "NAT1", "2025-10-06T04:05:00Z", "S1")), suffix, keys);
        kz.ehr.billing.testing.TwoWriters.race(dataSource, c -> ingest.apply(c, outside(), first, List.of()),
                c -> ingest.apply(c, outside(), second, List.of()));
        assertThat(standing(keys)).isEqualTo(Map.of("v2", Set.of("DOCTOR_TWO_POLYCLINICS")));
    }

    /** The facts as one consumed batch; the stored key of every named visit into {@code keys}. */
    static List<Delivery<HealthRecordEvent>> deliveries(List<Fact> facts, String suffix, Map<String, String> keys) {
        List<Delivery<HealthRecordEvent>> batch = new ArrayList<>();
        for (Fact f : facts) {
            HealthRecordEvent e = build(f, suffix);
            if (f.visit() != null) {
                keys.put(f.visit(), "damumed:" + e.getEnvelope().getSourceRecordId());
            }
            batch.add(new Delivery<>("ehr.care.v1", 0, batch.size(), e.getPatient().getIin(), e, new byte[0]));
        }
        return batch;
    }

    @Test
    void servicesAreStoredExactlyWhateverCharactersTheyHold() throws SQLException {
        String suffix = "%05d".formatted(SERIAL.incrementAndGet());
        String odd = "A,\"b\"\\c {d}";
        Map<String, String> visits = apply(List.of(List.of(visit("v1", "P", A, "D1", "2025-10-06T04:00:00Z", odd))), suffix);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT services FROM visit WHERE rec_key = ?")) {
            ps.setString(1, visits.get("v1"));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat((String[]) rs.getArray(1).getArray()).containsExactly(odd);
            }
        }
    }

    /** The OPEN flags per named visit. */
    Map<String, Set<String>> standing(Map<String, String> visitKeys) throws SQLException {
        Map<String, Set<String>> standing = new TreeMap<>();
        for (String[] f : flagRows(visitKeys)) {
            if ("OPEN".equals(f[2])) {
                standing.computeIfAbsent(f[0], k -> new TreeSet<>()).add(f[1]);
            }
        }
        return standing;
    }
}
