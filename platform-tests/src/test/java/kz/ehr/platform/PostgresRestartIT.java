package kz.ehr.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import kz.ehr.events.Encounter;
import kz.ehr.events.EventCodec;
import kz.ehr.events.Envelopes;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.Topics;
import kz.ehr.local.Databases;
import kz.ehr.local.CaughtUp;
import kz.ehr.local.LocalKafkaBroker;
import kz.ehr.local.LocalPostgres;
import kz.ehr.local.ProjectionSnapshot;
import kz.ehr.platform.SyntheticPeople.Person;
import kz.ehr.testsupport.TestPlatform;

/**
 * PostgreSQL goes away while events keep arriving: consumers pause, nothing is dead-lettered for the
 * outage, and after the restart every event is applied exactly once. Runs against a PostgreSQL of its
 * own so the restart disturbs nothing else.
 */
class PostgresRestartIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path PG_DIR = Path.of("target", "fault-pg", "data").toAbsolutePath();
    static int pgPort;
    static EmbeddedPostgres postgres;
    static RunningPlatform platform;

    @BeforeAll
    static void start() throws Exception {
        pgPort = LocalKafkaBroker.freePort();
        postgres = LocalPostgres.startEmbedded(PG_DIR, pgPort);
        platform = RunningPlatform.start(TestPlatform.kafkaBootstrapServers(), TestPlatform.kafkaCredentials(), "_pgfault", name -> {
            Databases.ensure("127.0.0.1", pgPort, "postgres", "", name, true);
            return "jdbc:postgresql://127.0.0.1:" + pgPort + "/" + name;
        });
    }

    @AfterAll
    static void stop() throws IOException {
        if (platform != null) {
            platform.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void consumersPauseWhileTheDatabaseIsDownAndApplyEveryEventExactlyOnceAfterItsRestart() throws Exception {
        List<Person> people = SyntheticPeople.cohort(40);
        postgres.close();
        platform.await("billing reports the database down", Duration.ofSeconds(60),
                () -> platform.billing().get("/q/health/ready").statusCode() == 503 ? true : null);

        int sent = 0;
        try (KafkaProducer<String, byte[]> producer = TestPlatform.kafkaAdmin().producer("pg-fault", new StringSerializer(),
                new ByteArraySerializer())) {
            for (Person p : people) {
                producer.send(new ProducerRecord<>(Topics.CARE.topic, p.iin(), EventCodec.of(HealthRecordEvent.class).encode(visit(p))))
                        .get(30, TimeUnit.SECONDS);
                sent++;
            }
        }

        long restartAt = System.nanoTime();
        postgres = LocalPostgres.startEmbedded(PG_DIR, pgPort);
        int accounted = 0;
        int duplicates = 0;
        for (Person p : people) {
            for (ServiceProcess projection : List.of(platform.billing(), platform.certificates())) {
                platform.await(projection.name + " applied the visit of " + p.localId(), Duration.ofSeconds(120), () -> {
                    HttpResponse<String> r = projection.get("/api/v1/persons/" + p.iin() + "/events");
                    return r.statusCode() == 200 && JSON.readTree(r.body()).path("events").size() >= 1 ? true : null;
                });
            }
        }
        long recoverMs = (System.nanoTime() - restartAt) / 1_000_000;
        // counted once nothing is left to deliver, by source record (not by event id, which a table's key makes unique)
        try (Admin admin = TestPlatform.kafkaAdmin().admin()) {
            CaughtUp.await(admin, List.copyOf(platform.databases.values()), "postgres", "", Duration.ofSeconds(120));
        }
        ProjectionSnapshot snapshot = ProjectionSnapshot.read(platform.projections(), null);
        for (Person p : people) {
            for (String projection : List.of("billing-events", "certificate-events")) {
                int n = snapshot.values(projection, "pg-fault:enc-" + p.localId() + ":ENCOUNTER").size();
                accounted += projection.equals("billing-events") ? Math.min(n, 1) : 0;
                duplicates += Math.max(0, n - 1);
            }
        }
        System.out.printf("RELIABILITY test=postgres-restart-mid-stream sent=%d accounted=%d duplicates=%d recover_ms=%d%n",
                sent, accounted, duplicates, recoverMs);
        assertThat(accounted).isEqualTo(sent);
        assertThat(duplicates).isZero();
        assertThat(deadLettersFor(people)).as("nothing is dead-lettered because of an outage").isZero();
    }

    private static HealthRecordEvent visit(Person p) {
        Instant start = Instant.parse("2025-04-01T04:00:00Z");
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String recordId = "enc-" + p.localId();
        return HealthRecordEvent.newBuilder()
                .setEnvelope(Envelopes.of(Envelopes.stableEventId("pg-fault", recordId), "ENCOUNTER", "pg-fault", recordId, start, now, null))
                .setRecordType("ENCOUNTER")
                .setPatient(PatientInfo.newBuilder().setLocalId(p.localId()).setIin(p.iin()).setIinStatus("VALID")
                        .setBirthDate(p.birthDate()).setSex(p.sex()).build())
                .setEncounter(Encounter.newBuilder().setEncounterId("E-" + p.localId()).setPolyclinicBin("100140000013")
                        .setDoctorId("D-9").setStart(start).setKind("VISIT").setDiagnoses(List.of("J06.9")).build())
                .build();
    }

    private static long deadLettersFor(List<Person> people) {
        List<String> keys = people.stream().map(Person::iin).toList();
        long found = 0;
        try (KafkaConsumer<String, byte[]> consumer = TestPlatform.kafkaAdmin().consumer("pg-fault-dlq-" + System.nanoTime(), 500,
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(Topics.deadLetterTopics());
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    var origin = r.headers().lastHeader("x-original-topic");
                    if (keys.contains(r.key()) && origin != null
                            && Topics.CARE.topic.equals(new String(origin.value(), StandardCharsets.UTF_8))) {
                        found++;
                    }
                }
            }
        }
        return found;
    }
}
