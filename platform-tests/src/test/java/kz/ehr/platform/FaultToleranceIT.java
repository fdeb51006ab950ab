package kz.ehr.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import kz.ehr.events.Topics;
import kz.ehr.local.CaughtUp;
import kz.ehr.local.LocalKafkaBroker;
import kz.ehr.local.ProjectionSnapshot;
import kz.ehr.security.Roles;
import kz.ehr.testsupport.TestPlatform;
import kz.ehr.testsupport.TestTokens;
import kz.ehr.platform.SyntheticPeople.Person;

/**
 * "Nothing lost, nothing counted twice", shown by breaking things for real and comparing what the platform then
 * believes with a fault-free run of the same input. {@link #start} feeds a reference platform (its own broker and
 * databases) the same people in the same phases without faults and keeps a {@link ProjectionSnapshot} after each;
 * each test feeds the platform under test one phase while it breaks something (SIGKILL of every service, ingestion
 * between Kafka's acknowledgement and its own database write; the services' database connections cut; a poison
 * message; a replay from offset 0; the broker stopped), waits until every consumer group has lag 0 and every outbox
 * is drained ({@link CaughtUp}), and asserts lost 0, doubled 0 and changed 0 for every projection: patient links,
 * certificate and billing events per source record, certificates and revocations, visits, fraud flags and the
 * capitation statement lines. Each prints {@code RELIABILITY test=… projection=… lost=… doubled=…} lines.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FaultToleranceIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path BROKER_DIR = Path.of("target", "fault-kafka").toAbsolutePath();
    static final Path REFERENCE_BROKER_DIR = Path.of("target", "fault-kafka-reference").toAbsolutePath();
    static final String MONTH = "2025-11";
    static final String ATTACHED_HERE = "100140000013";
    static final String ATTACHED_ELSEWHERE = "100140000201";
    /** Every run of this class streams the same people: the reference and the run under faults must get the same input. */
    static final List<Person> PEOPLE = SyntheticPeople.cohort(170, "faults");
    static final Map<String, ProjectionSnapshot> REFERENCE = new HashMap<>();
    static int kafkaPort;
    static int controllerPort;
    static LocalKafkaBroker broker;
    static RunningPlatform platform;

    @BeforeAll
    static void start() throws Exception {
        // a broker left by an earlier run would hold its records: a replay from offset 0 would apply them too
        TestPlatform.deleteTree(BROKER_DIR);
        TestPlatform.deleteTree(REFERENCE_BROKER_DIR);
        referenceRun();
        kafkaPort = LocalKafkaBroker.freePort();
        controllerPort = LocalKafkaBroker.freePort();
        broker = LocalKafkaBroker.start(BROKER_DIR, kafkaPort, controllerPort);
        platform = RunningPlatform.start(broker.bootstrapServers(), broker.credentials(), "_faults");
    }

    /** The same phases as the tests, without a fault, on a platform of their own; a snapshot after each. */
    private static void referenceRun() throws Exception {
        LocalKafkaBroker reference = LocalKafkaBroker.start(REFERENCE_BROKER_DIR, LocalKafkaBroker.freePort(), LocalKafkaBroker.freePort());
        try (reference; RunningPlatform p = RunningPlatform.start(reference.bootstrapServers(), reference.credentials(), "_faultref")) {
            for (int batch = 0; batch < 8; batch++) {
                post(p, phaseOne(batch));
            }
            REFERENCE.put("one", caughtUpSnapshot(p, reference, null));
            certify(p);
            post(p, List.of(PEOPLE.get(120)));
            REFERENCE.put("two", caughtUpSnapshot(p, reference, null));
            post(p, PEOPLE.subList(121, 141));
            post(p, PEOPLE.subList(141, 161));
            submitDeaths(p);
            REFERENCE.put("three", caughtUpSnapshot(p, reference, null));
            runCapitation(p);
            REFERENCE.put("statement", caughtUpSnapshot(p, reference, MONTH));
        }
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
    void everyServiceKilledWithSigkillAndItsDatabaseConnectionsCutMidStreamLoseAndDoubleNothing() throws Exception {
        for (int batch = 0; batch < 8; batch++) {
            List<Person> people = phaseOne(batch);
            switch (batch) {
                case 1 -> killIngestionBetweenKafkaAckAndItsAnswer(people);
                case 3 -> {
                    post(platform, people);
                    platform.billing().kill9();
                    platform.patientIndex().kill9();
                    platform.certificates().kill9();
                }
                case 5 -> {
                    platform.billing().restart();
                    platform.patientIndex().restart();
                    platform.certificates().restart();
                    post(platform, people);
                }
                case 6 -> {
                    post(platform, people);
                    System.out.printf("RELIABILITY test=pg-terminate-backend connections=%d%n", terminateServiceConnections());
                }
                default -> post(platform, people);
            }
        }
        assertSameAsReference("sigkill-every-service-and-db-connections-cut", "one", null);
    }

    @Test
    @Order(2)
    void aPoisonMessageGoesToTheDeadLetterTopicAndDoesNotBlockItsPartition() throws Exception {
        certify(platform);
        Person person = PEOPLE.get(120);
        byte[] garbage = "definitely not avro \u0000\u0001".getBytes(StandardCharsets.UTF_8);
        try (KafkaProducer<String, byte[]> producer = broker.admin().producer("poison",
                new StringSerializer(), new ByteArraySerializer())) {
            // same key as the person's real events, so it sits in front of them in the same partition
            producer.send(new ProducerRecord<>(Topics.CARE.topic, person.iin(), garbage)).get(30, TimeUnit.SECONDS);
        }
        post(platform, List.of(person));

        assertSameAsReference("poison-message", "two", null);
        List<ConsumerRecord<String, byte[]>> deadLetters = readDeadLetters(person.iin(), 3);
        List<String> groups = deadLetters.stream().map(r -> header(r, "x-consumer-group")).collect(Collectors.toList());
        assertThat(groups).contains("billing-service", "certificate-service");
        assertThat(deadLetters).allSatisfy(r -> {
            assertThat(header(r, "x-original-topic")).isEqualTo(Topics.CARE.topic);
            assertThat(header(r, "x-error-code")).isEqualTo("UNDECODABLE");
            assertThat(r.value()).isEqualTo(garbage);
        });
    }

    @Test
    @Order(3)
    void replayingEveryTopicFromOffsetZeroIntoTheProjectionsChangesNothing() throws Exception {
        platform.billing().kill9();
        platform.certificates().kill9();
        try (Admin admin = admin()) {
            java.util.Set<String> replayed = new java.util.HashSet<>();
            for (String group : List.of("billing-service", "certificate-service", "certificate-service-mpi")) {
                awaitGroupEmpty(admin, group);
                Map<TopicPartition, OffsetAndMetadata> zero = new HashMap<>();
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                        .keySet().forEach(tp -> zero.put(tp, new OffsetAndMetadata(0)));
                zero.keySet().forEach(tp -> replayed.add(tp.topic()));
                admin.alterConsumerGroupOffsets(group, zero).all().get(30, TimeUnit.SECONDS);
            }
            assertThat(replayed).as("every topic billing and certificates read")
                    .contains(Topics.PATIENTS.topic, Topics.REGISTRY.topic, Topics.CARE.topic, Topics.MPI_LINKS.topic);
        }
        platform.billing().restart();
        platform.certificates().restart();
        assertSameAsReference("replay-from-offset-0", "two", null);
    }

    @Test
    @Order(4)
    void whileTheBrokerIsDownIngestionAnswers503AndAfterItsRestartNothingIsLostOrDoubled() throws Exception {
        List<Person> before = PEOPLE.subList(121, 141);
        List<Person> during = PEOPLE.subList(141, 161);
        post(platform, before);

        broker.close();
        HttpResponse<String> refused = platform.submit(ndjson(during));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();

        broker = LocalKafkaBroker.start(BROKER_DIR, kafkaPort, controllerPort);
        HttpResponse<String> accepted = platform.await("ingestion accepts again", Duration.ofSeconds(120), () -> {
            HttpResponse<String> r = platform.submit(ndjson(during));
            return r.statusCode() == 200 ? r : null;
        });
        assertThat(JSON.readTree(accepted.body()).path("accepted").asInt()).as(accepted.body()).isEqualTo(during.size() * 3);
        // the revocations, too, under a fault: the certificate service is killed as soon as the deaths are accepted, so
        // it applies some, none or all of them before it dies and the rest (again) after its restart
        submitDeaths(platform);
        platform.certificates().kill9();
        platform.certificates().restart();
        assertThat(REFERENCE.get("three").size("revocations")).as("the deaths revoke the clearances of people 0-9").isEqualTo(10);
        assertSameAsReference("broker-restart-and-certificates-killed-during-revocations", "three", null);
        runCapitation(platform);
        assertSameAsReference("capitation-statement-after-every-fault", "statement", MONTH);
    }

    @Test
    @Order(5)
    void noServiceLogLineCarriesAnIinOrANameFromTheStream() throws Exception {
        List<String> leaks = new ArrayList<>();
        for (ServiceProcess s : platform.all()) {
            List<String> lines = java.nio.file.Files.readAllLines(s.log);
            for (String line : lines) {
                for (Person p : PEOPLE) {
                    if (line.contains(p.iin())) {
                        leaks.add(s.name + ": IIN of " + p.localId() + " in: " + line);
                    }
                }
                if (line.contains("Сейтқали")) {
                    leaks.add(s.name + ": a patient's surname in: " + line);
                }
            }
        }
        System.out.printf("RELIABILITY test=no-personal-data-in-logs persons=%d leaks=%d%n", PEOPLE.size(), leaks.size());
        assertThat(leaks).isEmpty();
    }

    // --- the input, the same for both runs ------------------------------------------------------

    /** Phase one: people 0-119 in eight batches of 15. */
    private static List<Person> phaseOne(int batch) {
        return PEOPLE.subList(batch * 15, batch * 15 + 15);
    }

    /** Each person: demographics, an attachment (every fifth elsewhere, so the visit is flagged) and a visit. */
    private static String ndjson(List<Person> people) {
        StringBuilder sb = new StringBuilder();
        for (Person p : people) {
            String bin = PEOPLE.indexOf(p) % 5 == 0 ? ATTACHED_ELSEWHERE : ATTACHED_HERE;
            sb.append(SyntheticPeople.patientRecord(p)).append('\n')
                    .append(SyntheticPeople.attachmentRecord(p, bin)).append('\n')
                    .append(SyntheticPeople.visitRecord(p)).append('\n');
        }
        return sb.toString();
    }

    private static void post(RunningPlatform p, List<Person> people) throws Exception {
        submit(p, ndjson(people), people.size() * 3);
    }

    /**
     * Sends a batch as a provider does: a 503 (database or broker unavailable: "resend the batch") or a refused
     * connection is resent until ingestion answers; every record is then accepted, or was already (duplicates).
     */
    private static void submit(RunningPlatform p, String ndjson, int records) throws Exception {
        HttpResponse<String> r = p.await("ingestion takes the batch", Duration.ofSeconds(300), () -> {
            HttpResponse<String> a = p.submit(ndjson);
            return a.statusCode() == 503 ? null : a;
        });
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = JSON.readTree(r.body());
        assertThat(body.path("accepted").asInt() + body.path("duplicates").asInt()).as(r.body()).isEqualTo(records);
    }

    /** A psychiatric clearance for people 0-19 (known to the certificate service after phase one). */
    private static void certify(RunningPlatform p) throws Exception {
        String clinician = "Bearer " + TestTokens.of("dr-faults", Roles.CLINICIAN);
        for (Person person : PEOPLE.subList(0, 20)) {
            // a restarted certificate service may still be starting (connection refused): the await tries again
            HttpResponse<String> r = p.await("a clearance for " + person.localId(), Duration.ofSeconds(300), () -> p.certificates().request(
                    "POST", "/api/v1/certificates", clinician, Map.of("X-Purpose", "fault test"),
                    "{\"iin\":\"" + person.iin() + "\",\"type\":\"PSYCHIATRIC_CLEARANCE\"}"));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        }
    }

    /** Deaths of people 0-9: each revokes the person's clearance. */
    private static void submitDeaths(RunningPlatform p) throws Exception {
        submit(p, PEOPLE.subList(0, 10).stream().map(SyntheticPeople::deathRecord).collect(Collectors.joining("\n")), 10);
    }

    private static void runCapitation(RunningPlatform p) throws Exception {
        HttpResponse<String> r = p.await("a capitation run", Duration.ofSeconds(300), () -> p.billing().request("POST",
                "/api/v1/capitation/" + MONTH + "/run", "Bearer " + TestTokens.of("ops-faults", Roles.OPS), Map.of(), null));
        assertThat(r.statusCode()).as(r.body()).isBetween(200, 201);
    }

    // --- faults and comparison ------------------------------------------------------------------

    /**
     * Posts a batch and SIGKILLs ingestion as soon as the first of its records is on the topic (Kafka acknowledged
     * it), before the answer: as close as a test gets to the window between the acknowledgement and ingestion's own
     * database write. The batch is then resent, as a provider would; the answer's accepted/duplicates tell whether the
     * kill fell before the database write (accepted again) or after it (duplicates).
     */
    private void killIngestionBetweenKafkaAckAndItsAnswer(List<Person> people) throws Exception {
        long before;
        try (Admin admin = admin()) {
            before = endOffsets(admin);
            CompletableFuture<HttpResponse<String>> inFlight = CompletableFuture.supplyAsync(() -> {
                try {
                    return platform.submit(ndjson(people));
                } catch (Exception e) {
                    return null;
                }
            });
            // polled without a pause: the kill must fall before ingestion's database write, a few milliseconds later
            Awaitility.await("the batch reached the topic").atMost(Duration.ofSeconds(60)).pollInSameThread()
                    .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1))
                    .until(() -> endOffsets(admin) != before || inFlight.isDone());
            platform.ingestion().kill9();
            HttpResponse<String> answered = inFlight.get(60, TimeUnit.SECONDS);
            platform.ingestion().restart();
            platform.ingestion().awaitReady(ServiceProcess.START_TIMEOUT);
            HttpResponse<String> resent = platform.submit(ndjson(people));
            assertThat(resent.statusCode()).as(resent.body()).isEqualTo(200);
            JsonNode body = JSON.readTree(resent.body());
            System.out.printf("RELIABILITY test=sigkill-ingestion answered-before-kill=%s resend-accepted=%d resend-duplicates=%d%n",
                    answered != null, body.path("accepted").asInt(), body.path("duplicates").asInt());
            assertThat(body.path("accepted").asInt() + body.path("duplicates").asInt()).isEqualTo(people.size() * 3);
        }
    }

    /** Cuts every connection the services hold to their databases (theirs alone: the server is shared). */
    private static int terminateServiceConnections() throws Exception {
        List<String> names = platform.databases.values().stream().map(u -> u.substring(u.lastIndexOf('/') + 1)).toList();
        String admin = platform.databases.get("billing-service");
        try (Connection c = DriverManager.getConnection(admin, TestPlatform.pgUser(), TestPlatform.pgPassword());
             PreparedStatement ps = c.prepareStatement("""
                     SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity
                     WHERE datname = ANY(?) AND pid <> pg_backend_pid()""")) {
            ps.setArray(1, c.createArrayOf("text", names.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static ProjectionSnapshot caughtUpSnapshot(RunningPlatform p, LocalKafkaBroker b, String month) throws Exception {
        try (Admin admin = b.admin().admin()) {
            CaughtUp.await(admin, List.copyOf(p.databases.values()), TestPlatform.pgUser(), TestPlatform.pgPassword(), Duration.ofSeconds(600));
        }
        return ProjectionSnapshot.read(p.projections(), month);
    }

    private static void assertSameAsReference(String test, String phase, String month) throws Exception {
        ProjectionSnapshot run = caughtUpSnapshot(platform, broker, month);
        List<ProjectionSnapshot.Difference> diff = REFERENCE.get(phase).compare(run);
        for (ProjectionSnapshot.Difference d : diff) {
            System.out.printf("RELIABILITY test=%s projection=%s reference=%d run=%d lost=%d doubled=%d changed=%d%n",
                    test, d.projection(), d.reference(), d.run(), d.lost(), d.doubled(), d.changed());
        }
        assertThat(diff).as("every projection as in the fault-free run").allMatch(ProjectionSnapshot.Difference::clean);
        assertThat(REFERENCE.get(phase).size("billing-visits")).as("the comparison compares something").isPositive();
    }

    private static long endOffsets(Admin admin) throws Exception {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        for (Topics t : List.of(Topics.PATIENTS, Topics.REGISTRY, Topics.CARE)) {
            for (int p = 0; p < t.partitions; p++) {
                latest.put(new TopicPartition(t.topic, p), OffsetSpec.latest());
            }
        }
        return admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS).values().stream().mapToLong(i -> i.offset()).sum();
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

    private static List<ConsumerRecord<String, byte[]>> readDeadLetters(String key, int atLeast) throws Exception {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (var consumer = broker.admin().consumer("dlq-reader-" + System.nanoTime(), 500,
                new org.apache.kafka.common.serialization.StringDeserializer(),
                new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
            consumer.subscribe(Topics.deadLetterTopics());
            // each Kafka poll waits up to 200 ms itself: no pause between them
            Awaitility.await("dead letters of " + key).atMost(Duration.ofSeconds(60)).pollInSameThread().pollInterval(Duration.ofMillis(1))
                    .until(() -> {
                        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                            if (key.equals(r.key()) && Topics.CARE.topic.equals(header(r, "x-original-topic"))) {
                                found.add(r);
                            }
                        }
                        return found.size() >= atLeast || found.stream().map(r -> header(r, "x-consumer-group")).distinct().count() >= 2;
                    });
        }
        return found;
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
