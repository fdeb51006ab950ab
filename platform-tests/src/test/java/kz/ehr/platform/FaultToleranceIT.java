package kz.ehr.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import kz.ehr.events.Topics;
import kz.ehr.local.LocalKafkaBroker;
import kz.ehr.platform.SyntheticPeople.Person;

/**
 * "Nothing lost, nothing counted twice", shown by breaking things for real: SIGKILL a consumer
 * service mid-stream, feed poison messages, replay a topic from offset 0, restart the broker.
 * Each test prints a RELIABILITY line with records sent, accounted for, duplicates and recovery time.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path BROKER_DIR = Path.of("target", "fault-kafka").toAbsolutePath();
    static int kafkaPort;
    static int controllerPort;
    static LocalKafkaBroker broker;
    static RunningPlatform platform;
    static final List<Person> ALREADY_COUNTED = new ArrayList<>();
    static final List<Person> EVERYONE = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        kafkaPort = LocalKafkaBroker.freePort();
        controllerPort = LocalKafkaBroker.freePort();
        broker = LocalKafkaBroker.start(BROKER_DIR, kafkaPort, controllerPort);
        platform = RunningPlatform.start(broker.bootstrapServers(), broker.credentials(), "_faults");
    }

    @AfterAll
    static void stop() {
        if (platform != null) {
            platform.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void consumersKilledWithSigkillMidStreamReflectEveryRecordExactlyOnceAfterRestart() throws Exception {
        List<Person> people = SyntheticPeople.cohort(150);
        int sent = 0;
        long restartedAt = 0;
        for (int batch = 0; batch < 10; batch++) {
            sent += post(people.subList(batch * 15, batch * 15 + 15));
            if (batch == 2) {
                platform.billing().kill9();
                platform.patientIndex().kill9();
                platform.certificates().kill9();
            }
        }
        platform.billing().restart();
        platform.patientIndex().restart();
        platform.certificates().restart();
        restartedAt = System.nanoTime();

        Accounting accounting = awaitEveryoneAccounted(people);
        long recoverMs = (System.nanoTime() - restartedAt) / 1_000_000;
        report("sigkill-consumers-mid-stream", sent, accounting, recoverMs);
        assertThat(accounting.duplicates).isZero();
        assertThat(accounting.accounted).isEqualTo(sent);
        ALREADY_COUNTED.addAll(people);
    }

    @Test
    @Order(2)
    void aPoisonMessageGoesToTheDeadLetterTopicAndDoesNotBlockItsPartition() throws Exception {
        Person person = SyntheticPeople.cohort(1).get(0);
        byte[] garbage = "definitely not avro \u0000\u0001".getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<String, byte[]> producer = broker.admin().producer("poison",
                new StringSerializer(), new ByteArraySerializer())) {
            // same key as the person's real events, so it sits in front of them in the same partition
            producer.send(new ProducerRecord<>(Topics.CARE.topic, person.iin(), garbage)).get(30, TimeUnit.SECONDS);
        }
        int sent = post(List.of(person));

        Accounting accounting = awaitEveryoneAccounted(List.of(person));
        assertThat(accounting.accounted).isEqualTo(sent);

        List<ConsumerRecord<String, byte[]>> deadLetters = readDeadLetters(person.iin(), 3);
        List<String> groups = deadLetters.stream().map(r -> header(r, "x-consumer-group")).collect(Collectors.toList());
        assertThat(groups).contains("billing-service", "certificate-service");
        assertThat(deadLetters).allSatisfy(r -> {
            assertThat(header(r, "x-original-topic")).isEqualTo(Topics.CARE.topic);
            assertThat(header(r, "x-error-code")).isEqualTo("UNDECODABLE");
            assertThat(r.value()).isEqualTo(garbage);
        });
        report("poison-message", sent, accounting, 0);
    }

    @Test
    @Order(3)
    void replayingEveryTopicFromOffsetZeroIntoTheProjectionsChangesNothing() throws Exception {
        assertThat(ALREADY_COUNTED).as("runs after the SIGKILL test").isNotEmpty();
        platform.billing().kill9();
        platform.certificates().kill9();
        try (Admin admin = admin()) {
            for (String group : List.of("billing-service", "certificate-service")) {
                awaitGroupEmpty(admin, group);
                Map<TopicPartition, OffsetAndMetadata> zero = new HashMap<>();
                for (Topics t : List.of(Topics.PATIENTS, Topics.REGISTRY, Topics.CARE)) {
                    for (int p = 0; p < t.partitions; p++) {
                        zero.put(new TopicPartition(t.topic, p), new OffsetAndMetadata(0));
                    }
                }
                admin.alterConsumerGroupOffsets(group, zero).all().get(30, TimeUnit.SECONDS);
            }
            platform.billing().restart();
            platform.certificates().restart();
            long restartedAt = System.nanoTime();
            for (String group : List.of("billing-service", "certificate-service")) {
                platform.await(group + " has re-read every topic", Duration.ofSeconds(120), () -> lag(admin, group) == 0 ? true : null);
            }
            Accounting accounting = awaitEveryoneAccounted(ALREADY_COUNTED);
            report("replay-from-offset-0", 0, accounting, (System.nanoTime() - restartedAt) / 1_000_000);
            assertThat(accounting.duplicates).isZero();
            assertThat(accounting.accounted).isEqualTo(ALREADY_COUNTED.size() * 2);
        }
    }

    @Test
    @Order(4)
    void whileTheBrokerIsDownIngestionAnswers503AndAfterItsRestartNothingIsLostOrDoubled() throws Exception {
        List<Person> before = SyntheticPeople.cohort(10);
        List<Person> during = SyntheticPeople.cohort(10);
        int sent = post(before);

        broker.close();
        HttpResponse<String> refused = platform.submit(ndjson(during));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();

        long restartAt = System.nanoTime();
        broker = LocalKafkaBroker.start(BROKER_DIR, kafkaPort, controllerPort);
        HttpResponse<String> accepted = platform.await("ingestion accepts again", Duration.ofSeconds(120), () -> {
            HttpResponse<String> r = platform.submit(ndjson(during));
            return r.statusCode() == 200 ? r : null;
        });
        long recoverMs = (System.nanoTime() - restartAt) / 1_000_000;
        sent += JSON.readTree(accepted.body()).path("accepted").asInt();

        List<Person> all = new ArrayList<>(before);
        all.addAll(during);
        Accounting accounting = awaitEveryoneAccounted(all);
        report("broker-restart-mid-stream", sent, accounting, recoverMs);
        assertThat(accounting.duplicates).isZero();
        assertThat(accounting.accounted).isEqualTo(sent);
    }

    @Test
    @Order(5)
    void noServiceLogLineCarriesAnIinOrANameFromTheStream() throws Exception {
        assertThat(EVERYONE).isNotEmpty();
        List<String> leaks = new ArrayList<>();
        for (ServiceProcess s : platform.all()) {
            List<String> lines = java.nio.file.Files.readAllLines(s.log);
            for (String line : lines) {
                for (Person p : EVERYONE) {
                    if (line.contains(p.iin())) {
                        leaks.add(s.name + ": IIN of " + p.localId() + " in: " + line);
                    }
                }
                if (line.contains("Сейтқали")) {
                    leaks.add(s.name + ": a patient's surname in: " + line);
                }
            }
        }
        System.out.printf("RELIABILITY test=no-personal-data-in-logs persons=%d leaks=%d%n", EVERYONE.size(), leaks.size());
        assertThat(leaks).isEmpty();
    }

    // --- helpers -------------------------------------------------------------------------------

    record Accounting(int accounted, int duplicates) {
    }

    private static int post(List<Person> people) throws Exception {
        HttpResponse<String> r = platform.submit(ndjson(people));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        int accepted = JSON.readTree(r.body()).path("accepted").asInt();
        assertThat(accepted).as(r.body()).isEqualTo(people.size() * 2);
        return accepted;
    }

    private static String ndjson(List<Person> people) {
        EVERYONE.addAll(people);
        StringBuilder sb = new StringBuilder();
        for (Person p : people) {
            sb.append(SyntheticPeople.patientRecord(p)).append('\n').append(SyntheticPeople.visitRecord(p)).append('\n');
        }
        return sb.toString();
    }

    /**
     * Waits until every person's two events are visible in billing and certificates and the source
     * record is linked in the patient index; counts each person's events once in billing (more than two
     * would be a duplicate).
     */
    private static Accounting awaitEveryoneAccounted(List<Person> people) throws Exception {
        int accounted = 0;
        int duplicates = 0;
        for (Person p : people) {
            for (ServiceProcess projection : List.of(platform.billing(), platform.certificates())) {
                int events = platform.await(projection.name + " has both events of " + p.localId(), Duration.ofSeconds(120), () -> {
                    HttpResponse<String> r = projection.get("/api/v1/persons/" + p.iin() + "/events");
                    if (r.statusCode() != 200) {
                        return null;
                    }
                    int n = (int) countOwnEvents(JSON.readTree(r.body()), p);
                    return n >= 2 ? n : null;
                });
                if (projection == platform.billing()) {
                    accounted += Math.min(events, 2);
                }
                duplicates += Math.max(0, events - 2);
            }
            platform.await("patient index links " + p.localId(), Duration.ofSeconds(120), () -> {
                HttpResponse<String> r = platform.patientIndex().get("/api/v1/source-records/" + platform.providerId + "/" + p.localId());
                return r.statusCode() == 200 ? true : null;
            });
        }
        return new Accounting(accounted, duplicates);
    }

    private static long countOwnEvents(JsonNode body, Person p) {
        long n = 0;
        for (JsonNode e : body.path("events")) {
            if (e.path("sourceRecordId").asText().endsWith(p.localId())) {
                n++;
            }
        }
        return n;
    }

    private static Admin admin() {
        return broker.admin().admin();
    }

    private static void awaitGroupEmpty(Admin admin, String group) throws Exception {
        platform.await("consumer group " + group + " has no live member", Duration.ofSeconds(60), () -> {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
            return d.groupState() == GroupState.EMPTY ? true : null;
        });
    }

    private static long lag(Admin admin, String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
        long lag = 0;
        var ends = admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
        for (var e : committed.entrySet()) {
            long committedOffset = e.getValue() == null ? 0 : e.getValue().offset();
            lag += Math.max(0, ends.get(e.getKey()).offset() - committedOffset);
        }
        return lag;
    }

    private static List<ConsumerRecord<String, byte[]>> readDeadLetters(String key, int atLeast) throws Exception {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (var consumer = broker.admin().consumer("dlq-reader-" + System.nanoTime(), 500,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(Topics.deadLetterTopics());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline && found.size() < atLeast) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(r.key()) && Topics.CARE.topic.equals(header(r, "x-original-topic"))) {
                        found.add(r);
                    }
                }
                if (found.stream().map(r -> header(r, "x-consumer-group")).distinct().count() >= 2) {
                    break;
                }
            }
        }
        return found;
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void report(String test, int sent, Accounting accounting, long recoverMs) {
        System.out.printf("RELIABILITY test=%s sent=%d accounted=%d duplicates=%d recover_ms=%d%n",
                test, sent, accounting.accounted, accounting.duplicates, recoverMs);
    }
}
