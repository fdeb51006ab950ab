package kz.ehr.ingestion;

import static kz.ehr.ingestion.TestRecords.DAMUMED;
import static kz.ehr.ingestion.TestRecords.encounter;
import static kz.ehr.ingestion.TestRecords.id;
import static kz.ehr.ingestion.TestRecords.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.Topics;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestKafka;

/**
 * Concurrent resends of one record id with different content, through the REST batch path: every content gets its own
 * version, the versions are 1..N without a gap or a repeat, and ingestion's state holds the content of the highest.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_ingestion_test"))
class ConcurrentResendTests {
    private static final int THREADS = 8;
    private static final int ROUNDS = 4;

    @Inject
    AgroalDataSource db;

    @Test
    void concurrentBatchesWithNewContentForOneRecordGetDistinctGaplessVersions() throws Exception {
        String recordId = id("race");
        // every line a different diagnosis: N×R contents, so N×R versions
        List<String> codes = IntStream.range(0, THREADS * ROUNDS).mapToObj(i -> "J%02d".formatted(i)).toList();
        CyclicBarrier start = new CyclicBarrier(THREADS);
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<Integer>> accepted = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                accepted.add(pool.submit(() -> {
                    int n = 0;
                    for (int r = 0; r < ROUNDS; r++) {
                        start.await(30, TimeUnit.SECONDS); // every thread's batch of this round leaves at once
                        // the record among a few others, so each request is a real batch
                        n += post(DAMUMED, encounter(id("other"), "P-7", "850315300019", "I10"),
                                encounter(recordId, "P-7", "850315300019", codes.get(r * THREADS + thread)),
                                encounter(id("other"), "P-7", "850315300019", "I11"))
                                .statusCode(200).extract().<Integer>path("accepted") - 2;
                    }
                    return n;
                }));
            }
            int total = 0;
            for (Future<Integer> f : accepted) {
                total += f.get(120, TimeUnit.SECONDS);
            }
            assertThat(total).as("every content is new, so every line is accepted").isEqualTo(THREADS * ROUNDS);
        } finally {
            pool.shutdownNow();
        }

        List<HealthRecordEvent> published = TestKafka.readUntil(Topics.CARE.topic, HealthRecordEvent.class,
                e -> e.getEnvelope().getSourceRecordId().equals(recordId), Duration.ofSeconds(30));
        assertThat(published).extracting(HealthRecordEvent::getRecordVersion)
                .as("one event per version, versions 1..N: none taken twice, none skipped")
                .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(1, THREADS * ROUNDS).boxed().toList());
        assertThat(published).extracting(e -> e.getEncounter().getDiagnoses().get(0))
                .as("each content published once").doesNotHaveDuplicates();
        HealthRecordEvent highest = published.stream()
                .filter(e -> e.getRecordVersion() == THREADS * ROUNDS).findFirst().orElseThrow();
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT version, event_id::text FROM source_record WHERE record_id = ?")) {
            ps.setString(1, recordId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(THREADS * ROUNDS);
                assertThat(rs.getString(2)).as("ingestion holds the content of the highest version")
                        .isEqualTo(highest.getEnvelope().getEventId());
            }
        }
    }
}
