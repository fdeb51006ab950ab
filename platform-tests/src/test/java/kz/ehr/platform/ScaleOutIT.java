package kz.ehr.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import kz.ehr.events.Attachment;
import kz.ehr.events.BillingEvent;
import kz.ehr.events.EventCodec;
import kz.ehr.events.Envelopes;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.MpiLinkEvent;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.KafkaPrincipals;
import kz.ehr.local.LocalKafkaBroker;
import kz.ehr.platform.SyntheticPeople.Person;
import kz.ehr.testsupport.TestPlatform;

/**
 * Scale-out, as {@code ./ehr up --replicas 2} runs it: two instances of a packaged service against one database and one
 * broker (a broker of this class's own, so every message on its topics comes from these tests), sharing the service's
 * consumer groups. Each test starts the two instances of one service, makes them race for the work that has a single
 * writer, and counts through the tables and topics where a second copy would show: enterprise ids per person in the
 * link table, signing keys with no retirement, statements and lines per month, and outbox events per event id on the
 * topic.
 */
class ScaleOutIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path ROOT = Path.of(System.getProperty("ehr.apps.root", System.getProperty("ehr.repo.root", ".."))).toAbsolutePath().normalize();
    static final Path WORK = Path.of("target", "scale-out").toAbsolutePath();
    static LocalKafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        deleteTree(WORK);
        broker = LocalKafkaBroker.start(WORK.resolve("kafka"), LocalKafkaBroker.freePort(), LocalKafkaBroker.freePort());
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /**
     * The same people (three or four records each, from different providers, one or two of them without an IIN, so
     * keyed by provider and local id onto other partitions than the person's IIN) streamed at once to two
     * patient-index instances that share ehr.patients.v1's partitions: each person ends with exactly one enterprise id,
     * counted through {@code source_record}, and each link event is on mpi.links.v1 once although both instances relay.
     */
    @Test
    void twoPatientIndexInstancesGiveEachPersonOneEnterpriseId() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<Person> people = SyntheticPeople.cohort(120);
        List<HealthRecordEvent> records = new ArrayList<>();
        Map<String, Integer> personOf = new HashMap<>(); // provider/localId → index into people
        for (int i = 0; i < people.size(); i++) {
            Person p = people.get(i);
            // a surname and first name pair of its own: no two people come near the review threshold
            String last = SURNAMES[i % SURNAMES.length];
            String first = FIRST_NAMES[(i % FIRST_NAMES.length + i / FIRST_NAMES.length) % FIRST_NAMES.length];
            String phone = "+7701%07d".formatted(1_000_000 + i);
            for (String provider : i % 3 == 0 ? List.of("a", "b", "c", "d") : List.of("a", "b", "c")) {
                boolean withIin = provider.equals("a") || provider.equals("b");
                String providerId = "scale-" + provider + "-" + run;
                String localId = provider.toUpperCase() + "-" + i;
                records.add(patientRecord(providerId, localId, withIin ? p.iin() : null, last, first, p, phone));
                personOf.put(providerId + "/" + localId, i);
            }
        }
        Collections.shuffle(records, new Random(42));

        try (Pair mpi = Pair.start("patient-index-service", "ehr_mpi_scaleout", Map.of(), Map.of())) {
            awaitGroupShared("patient-index", mpi);
            long started = System.nanoTime();
            produce(Topics.PATIENTS.topic, records);
            int linked = poll("both instances linked all " + records.size() + " records", Duration.ofMinutes(3), mpi, () -> {
                int n = (int) count(mpi.jdbcUrl, "SELECT count(*) FROM source_record WHERE provider_id LIKE ?", "scale-%-" + run);
                return n == records.size() ? n : null;
            });
            long linkedMs = (System.nanoTime() - started) / 1_000_000;

            Map<Integer, Set<String>> enterpriseIds = new TreeMap<>();
            query(mpi.jdbcUrl, "SELECT provider_id, local_id, enterprise_id FROM source_record WHERE provider_id LIKE ?",
                    List.of("scale-%-" + run), rs -> {
                        enterpriseIds.computeIfAbsent(personOf.get(rs.getString(1) + "/" + rs.getString(2)), k -> new TreeSet<>())
                                .add(rs.getString(3));
                        return null;
                    });
            long doubled = enterpriseIds.values().stream().filter(ids -> ids.size() > 1).count();
            Set<String> distinct = new TreeSet<>();
            enterpriseIds.values().forEach(distinct::addAll);
            List<Integer> split = partitionSplit("patient-index");
            long duplicateEvents = relayedOnce(mpi.jdbcUrl, Topics.MPI_LINKS.topic, MpiLinkEvent.class, e -> e.getEnvelope().getEventId());
            System.out.printf("SCALE test=mpi-two-instances partitions=%s persons=%d records=%d linked=%d persons_with_two_ids=%d"
                    + " enterprise_ids=%d link_events_twice=%d linked_ms=%d%n", split, people.size(), records.size(), linked, doubled,
                    distinct.size(), duplicateEvents, linkedMs);
            assertThat(enterpriseIds).hasSize(people.size());
            assertThat(enterpriseIds).as("enterprise ids per person (a second id is a person the two instances created twice)")
                    .allSatisfy((person, ids) -> assertThat(ids).as("person %d", person).hasSize(1));
            assertThat(distinct).as("no two people share an enterprise id").hasSize(people.size());
            assertThat(duplicateEvents).as("link events relayed twice").isZero();
        }
    }

    /**
     * Two certificate instances start together on an empty registry and keystore, then get a rotation request each
     * at the same moment: both rotations happen one after the other (not over each other), the registry has exactly
     * one key that is not retired, every retired key stops signing when the next begins, and both instances answer
     * the same current key.
     */
    @Test
    void twoCertificateInstancesAgreeOnOneSigningKeyThroughConcurrentStartAndRotation() throws Exception {
        Path keys = WORK.resolve("certificate-keys");
        Files.createDirectories(keys);
        Map<String, String> env = Map.of("EHR_CERT_KEYSTORE", keys.resolve("keystore/signing-keys.p12").toString(),
                "EHR_CERT_KEYSTORE_PASSWORD_FILE", keys.resolve("keystore.password").toString());
        try (Pair certs = Pair.start("certificate-service", "ehr_certificates_scaleout", Map.of(), env)) {
            List<Map<String, String>> atStart = keyRows(certs);
            assertThat(atStart).as("keys in the registry after both started on an empty one").hasSize(1);
            String first = atStart.get(0).get("kid");
            assertThat(currentKid(certs.one)).isEqualTo(first);
            assertThat(currentKid(certs.two)).isEqualTo(first);

            List<HttpResponse<String>> answers = together(List.of(certs.one, certs.two), s -> s.request("POST", "/api/v1/keys/rotation",
                    "Bearer " + ServiceProcess.allRoles(), Map.of("X-Purpose", "scale-out test"), null));
            assertThat(answers).extracting(HttpResponse::statusCode).containsOnly(201);
            Set<String> rotatedTo = new TreeSet<>();
            for (HttpResponse<String> a : answers) {
                rotatedTo.add(JSON.readTree(a.body()).path("kid").asText());
            }

            List<Map<String, String>> rows = keyRows(certs);
            System.out.printf("SCALE test=key-rotation-two-instances keys=%d current=%d%n", rows.size(),
                    rows.stream().filter(r -> r.get("retired") == null).count());
            assertThat(rotatedTo).as("two rotations, two new keys").hasSize(2);
            assertThat(rows).hasSize(3);
            assertThat(rows.stream().filter(r -> r.get("retired") == null)).as("keys that still sign").hasSize(1);
            for (int k = 0; k + 1 < rows.size(); k++) {
                // one chain: each key retires at the instant the next one starts signing, none overlaps another
                assertThat(rows.get(k).get("retired")).as("key %d retires as key %d starts", k, k + 1).isEqualTo(rows.get(k + 1).get("created"));
            }
            String current = rows.get(2).get("kid");
            assertThat(rotatedTo).contains(current);
            poll("both instances sign with " + current, Duration.ofSeconds(60), certs,
                    () -> current.equals(currentKid(certs.one)) && current.equals(currentKid(certs.two))
                            && current.equals(revocationListSigner(certs.one, current)) && current.equals(revocationListSigner(certs.two, current))
                            ? true : null);

            // a third instance on the same registry whose key directory is empty (a container recreated without its key
            // volume) must not make a key of its own, which nobody could verify: it refuses to start
            Path lost = WORK.resolve("certificate-keys-lost");
            Files.createDirectories(lost);
            Map<String, String> lostEnv = Map.of("EHR_CERT_KEYSTORE", lost.resolve("keystore/signing-keys.p12").toString(),
                    "EHR_CERT_KEYSTORE_PASSWORD_FILE", lost.resolve("keystore.password").toString());
            try (ServiceProcess third = ServiceProcess.start(ROOT, "certificate-service", "certificate-service-3", LocalKafkaBroker.freePort(),
                    Pair.properties("certificate-service", certs.jdbcUrl(), Map.of()), Pair.environment("certificate-service", lostEnv))) {
                assertThatThrownBy(() -> third.awaitReady(Duration.ofSeconds(240))).hasMessageContaining("exited with");
            }
            String log = Files.readString(ROOT.resolve("platform-tests/target/e2e-logs/certificate-service-3.log"));
            System.out.printf("SCALE test=lost-key-volume refused=%b%n", log.contains("KEY_NOT_IN_KEYSTORE"));
            assertThat(log).contains("KEY_NOT_IN_KEYSTORE: the current signing key " + current);
            assertThat(keyRows(certs)).as("the refused instance added no key").hasSize(3);
        }
    }

    /**
     * Two billing instances share the registry consumer group, then each is asked to run the same month at the same
     * moment, to close it at the same moment, and to run it again: one version 1 with one statement per polyclinic and
     * one line per attached person, one close (the other answers 409), the closed version unchanged by the later runs,
     * one version 2, and each STATEMENT_CLOSED event on billing.events.v1 once although both instances relay.
     */
    @Test
    void twoBillingInstancesRunningTheSameMonthAtOnceWriteOneStatementAndKeepAClosedMonthClosed() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> bins = List.of("100140000013", "100140000024", "100140000035");
        List<Person> people = SyntheticPeople.cohort(300);
        List<HealthRecordEvent> attachments = new ArrayList<>();
        for (int i = 0; i < people.size(); i++) {
            attachments.add(attachment(people.get(i), bins.get(i % bins.size()), run));
        }
        String month = "2025-11";
        try (Pair billing = Pair.start("billing-service", "ehr_billing_scaleout", Map.of(), Map.of())) {
            awaitGroupShared("billing-service", billing);
            produce(Topics.REGISTRY.topic, attachments);
            poll("both instances stored every attachment", Duration.ofMinutes(2), billing,
                    () -> count(billing.jdbcUrl, "SELECT count(*) FROM attachment WHERE polyclinic_bin = ANY(?)", (Object) bins.toArray(String[]::new))
                            == people.size() ? true : null);

            List<HttpResponse<String>> runs = together(List.of(billing.one, billing.two), s -> ops(s, "/api/v1/capitation/" + month + "/run"));
            assertThat(runs).as("%s", runs.stream().map(HttpResponse::body).toList()).extracting(HttpResponse::statusCode).containsOnly(200);
            assertThat(versions(runs)).containsOnly(1);
            assertOneVersion(billing, month, 1, "OPEN", bins, people.size());

            List<HttpResponse<String>> closes = together(List.of(billing.one, billing.two), s -> ops(s, "/api/v1/capitation/" + month + "/close"));
            assertThat(closes).extracting(HttpResponse::statusCode).containsExactlyInAnyOrder(200, 409);
            String closedTotal = statementTotals(billing, month, 1);

            List<HttpResponse<String>> again = together(List.of(billing.one, billing.two), s -> ops(s, "/api/v1/capitation/" + month + "/run"));
            assertThat(again).extracting(HttpResponse::statusCode).containsOnly(200);
            assertThat(versions(again)).containsOnly(2);
            assertOneVersion(billing, month, 1, "CLOSED", bins, people.size());
            assertOneVersion(billing, month, 2, "OPEN", bins, people.size());
            assertThat(statementTotals(billing, month, 1)).as("the closed version after two more runs").isEqualTo(closedTotal);
            assertThat(count(billing.jdbcUrl, "SELECT count(*) FROM capitation_run WHERE month = ?", month)).as("versions").isEqualTo(2);

            long duplicateEvents = relayedOnce(billing.jdbcUrl, Topics.BILLING_EVENTS.topic, BillingEvent.class, e -> e.getEnvelope().getEventId());
            long closedEvents = count(billing.jdbcUrl, "SELECT count(*) FROM outbox WHERE topic = ?", Topics.BILLING_EVENTS.topic);
            System.out.printf("SCALE test=capitation-two-instances persons=%d runs=4 closes=%s versions=2 outbox_events=%d"
                    + " events_twice=%d%n", people.size(), closes.stream().map(HttpResponse::statusCode).toList(), closedEvents, duplicateEvents);
            assertThat(duplicateEvents).as("billing events relayed twice").isZero();
        }
    }

    // --- two instances -------------------------------------------------------------------------------------------

    /** Two instances of one module, one database, this class's broker; started together, closed together. */
    record Pair(ServiceProcess one, ServiceProcess two, String jdbcUrl) implements AutoCloseable {
        static Pair start(String module, String database, Map<String, String> properties, Map<String, String> env) throws Exception {
            String url = TestPlatform.freshDatabase(database);
            Map<String, String> props = properties(module, url, properties);
            Map<String, String> environment = environment(module, env);
            ServiceProcess one = ServiceProcess.start(ROOT, module, module, LocalKafkaBroker.freePort(), props, environment);
            ServiceProcess two = null;
            try {
                two = ServiceProcess.start(ROOT, module, module + "-2", LocalKafkaBroker.freePort(), props, environment);
                one.awaitReady(Duration.ofSeconds(240));
                two.awaitReady(Duration.ofSeconds(240));
                return new Pair(one, two, url);
            } catch (Exception | Error e) {
                one.close();
                if (two != null) {
                    two.close();
                }
                throw e;
            }
        }

        /** An instance's system properties: this test's broker, {@code url}, the test staff-token key. */
        static Map<String, String> properties(String module, String url, Map<String, String> properties) {
            Map<String, String> props = new HashMap<>(properties);
            props.put("kafka.bootstrap.servers", broker.bootstrapServers());
            props.put("quarkus.datasource.jdbc.url", url);
            props.put("quarkus.datasource.username", TestPlatform.pgUser());
            if (!TestPlatform.pgPassword().isEmpty()) {
                props.put("quarkus.datasource.password", TestPlatform.pgPassword());
            }
            props.put("mp.jwt.verify.publickey.location", RunningPlatform.STAFF_TOKEN_KEY.toString());
            return props;
        }

        /** An instance's environment: {@code env}, the service's Kafka password and a provider key. */
        static Map<String, String> environment(String module, Map<String, String> env) {
            Map<String, String> environment = new HashMap<>(env);
            environment.put("EHR_KAFKA_PASSWORD", broker.credentials().password(KafkaPrincipals.Service.ofApplication(module).principal));
            environment.put("EHR_PROVIDER_KEYS", "scale-out:scale-out-key-" + UUID.randomUUID());
            return environment;
        }

        String logs() throws Exception {
            return "\n--- " + one.name + "\n" + one.tail() + "\n--- " + two.name + "\n" + two.tail();
        }

        @Override
        public void close() {
            one.close();
            two.close();
        }
    }

    /** Both instances are members of the group and each owns partitions (so each one's work really is shared). */
    private static void awaitGroupShared(String group, Pair pair) throws Exception {
        poll("both instances own partitions of group " + group, Duration.ofMinutes(2), pair, () -> {
            try (Admin admin = broker.admin().admin()) {
                ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
                long owning = d.members().stream().filter(m -> !m.assignment().topicPartitions().isEmpty()).count();
                return d.groupState() == GroupState.STABLE && owning == 2 ? true : null;
            }
        });
    }

    /** How many partitions each member of the group owns now. */
    private static List<Integer> partitionSplit(String group) throws Exception {
        try (Admin admin = broker.admin().admin()) {
            ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(10, TimeUnit.SECONDS).get(group);
            return d.members().stream().map(MemberDescription::assignment).map(a -> a.topicPartitions().size()).sorted().toList();
        }
    }

    /** Starts the same call on each instance at the same moment and returns both answers. */
    private static <T> List<T> together(List<ServiceProcess> instances, ServiceCall<T> call) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<T>> calls = new ArrayList<>();
        for (ServiceProcess s : instances) {
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    go.await();
                    return call.on(s);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        go.countDown();
        List<T> out = new ArrayList<>();
        for (CompletableFuture<T> c : calls) {
            out.add(c.get(5, TimeUnit.MINUTES));
        }
        return out;
    }

    @FunctionalInterface
    interface ServiceCall<T> {
        T on(ServiceProcess s) throws Exception;
    }

    private static List<Integer> versions(List<HttpResponse<String>> answers) throws Exception {
        List<Integer> out = new ArrayList<>();
        for (HttpResponse<String> a : answers) {
            out.add(JSON.readTree(a.body()).path("version").asInt());
        }
        return out;
    }

    private static HttpResponse<String> ops(ServiceProcess s, String path) throws Exception {
        return s.request("POST", path, "Bearer " + ServiceProcess.allRoles(), Map.of("X-Purpose", "scale-out test"), null);
    }

    // --- what the projections hold ---------------------------------------------------------------------------------

    private static void assertOneVersion(Pair billing, String month, int version, String status, List<String> bins, int persons)
            throws Exception {
        assertThat(count(billing.jdbcUrl, "SELECT count(*) FROM capitation_run WHERE month = ? AND version = ? AND status = ?", month,
                version, status)).as("run %s v%d %s", month, version, status).isEqualTo(1);
        assertThat(count(billing.jdbcUrl, "SELECT count(*) FROM capitation_statement WHERE month = ? AND version = ?", month, version))
                .as("statements of %s v%d (one per polyclinic)", month, version).isEqualTo(bins.size());
        assertThat(count(billing.jdbcUrl, "SELECT count(*) FROM capitation_line WHERE month = ? AND version = ?", month, version))
                .as("lines of %s v%d (one per attached person)", month, version).isEqualTo(persons);
        assertThat(count(billing.jdbcUrl, "SELECT count(DISTINCT person_key) FROM capitation_line WHERE month = ? AND version = ?", month,
                version)).isEqualTo(persons);
    }

    private static String statementTotals(Pair billing, String month, int version) throws Exception {
        StringBuilder sb = new StringBuilder();
        query(billing.jdbcUrl, "SELECT polyclinic_bin, persons, amount FROM capitation_statement WHERE month = ? AND version = ?"
                + " ORDER BY polyclinic_bin", List.of(month, version), rs -> sb.append(rs.getString(1)).append('=').append(rs.getLong(2))
                .append('/').append(rs.getBigDecimal(3).toPlainString()).append(' '));
        // every line as it is: person, polyclinic and the price it was given
        query(billing.jdbcUrl, "SELECT count(*), md5(string_agg(person_key || '/' || polyclinic_bin || '/' || price_id, ',' ORDER BY person_key))"
                + " FROM capitation_line WHERE month = ? AND version = ?", List.of(month, version),
                rs -> sb.append("lines=").append(rs.getLong(1)).append(" digest=").append(rs.getString(2)));
        return sb.toString();
    }

    private static List<Map<String, String>> keyRows(Pair certs) throws Exception {
        List<Map<String, String>> rows = new ArrayList<>();
        query(certs.jdbcUrl, "SELECT kid, created_at, retired_at FROM signing_key ORDER BY created_at, kid", List.of(), rs -> {
            Map<String, String> row = new LinkedHashMap<>();
            row.put("kid", rs.getString(1));
            row.put("created", rs.getTimestamp(2).toInstant().toString());
            row.put("retired", rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant().toString());
            return rows.add(row);
        });
        return rows;
    }

    private static String currentKid(ServiceProcess certs) throws Exception {
        JsonNode jwks = JSON.readTree(certs.request("GET", "/.well-known/jwks.json", null, Map.of(), null).body());
        for (JsonNode k : jwks.path("keys")) {
            if ("current".equals(k.path("status").asText())) {
                return k.path("kid").asText();
            }
        }
        return null;
    }

    /** The kid in the protected header of the instance's signed revocation list for {@code kid}. */
    private static String revocationListSigner(ServiceProcess certs, String kid) throws Exception {
        HttpResponse<String> r = certs.request("GET", "/api/v1/revocations/" + kid, null, Map.of(), null);
        if (r.statusCode() != 200) {
            return null;
        }
        String jws = JSON.readTree(r.body()).path("jws").asText();
        String header = new String(java.util.Base64.getUrlDecoder().decode(jws.substring(0, jws.indexOf('.'))), java.nio.charset.StandardCharsets.UTF_8);
        return JSON.readTree(header).path("kid").asText();
    }

    /**
     * Reads the whole topic and compares it with the service's outbox: every outbox row's event is there, and the
     * number of messages whose event id is on the topic more than once (0 when one relay sent each row once).
     */
    private static <T extends SpecificRecordBase> long relayedOnce(String jdbcUrl, String topic, Class<T> type, Function<T, String> eventId)
            throws Exception {
        Set<String> expected = new TreeSet<>();
        poll("the outbox of " + topic + " is sent", Duration.ofMinutes(1), null,
                () -> count(jdbcUrl, "SELECT count(*) FROM outbox WHERE sent_at IS NULL") == 0 ? true : null);
        query(jdbcUrl, "SELECT event_id FROM outbox WHERE topic = ?", List.of(topic), rs -> expected.add(rs.getString(1)));
        Map<String, Integer> seen = new HashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = broker.admin().consumer("scale-out-reader-" + System.nanoTime(), 1000,
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            EventCodec<T> codec = EventCodec.of(type);
            poll("read " + topic + " to its end", Duration.ofMinutes(1), null, () -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    seen.merge(eventId.apply(codec.decode(r.value())), 1, Integer::sum);
                }
                return partitions.stream().allMatch(tp -> consumer.position(tp) >= ends.get(tp)) ? true : null;
            });
        }
        assertThat(seen.keySet()).as("every outbox event of " + topic + " is on the topic").containsAll(expected);
        assertThat(expected).as("events on " + topic).isNotEmpty();
        return seen.values().stream().filter(n -> n > 1).count();
    }

    // --- input ---------------------------------------------------------------------------------------------------

    static final String[] SURNAMES = {"Ахметов", "Бекенов", "Жумабаев", "Искаков", "Касымов", "Нурланов", "Оспанов", "Сапаров",
            "Тулегенов", "Утебаев", "Шарипов", "Ермеков", "Габдуллин", "Даулетов", "Есенов", "Журсинов", "Кенжебеков", "Мусин",
            "Рахимов", "Сулейменов", "Тажибаев", "Жаксылыков", "Айтжанов", "Балгабаев", "Валиханов", "Гумаров", "Досмухамедов",
            "Ибраев", "Карибжанов", "Лесбеков", "Мамыров", "Омаров", "Пак", "Ким", "Цой", "Иванов", "Петров", "Смирнов", "Кузнецов",
            "Попов"};
    static final String[] FIRST_NAMES = {"Арман", "Айгуль", "Бахыт", "Гульнара", "Данияр", "Жанар", "Ерлан", "Зарина", "Ильяс",
            "Камила", "Марат", "Лаура", "Нурлан", "Асель", "Олжас", "Мадина", "Руслан", "Сауле", "Тимур", "Алия", "Берик", "Динара",
            "Фархад", "Жанна", "Хасен", "Карлыгаш", "Чингиз", "Меруерт", "Шокан", "Назерке", "Эльдар", "Перизат", "Юрий", "Райхан",
            "Ян", "Салтанат", "Азамат", "Томирис", "Вадим", "Улжан"};

    private static HealthRecordEvent patientRecord(String providerId, String localId, String iin, String last, String first, Person p,
                                                   String phone) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return HealthRecordEvent.newBuilder()
                .setEnvelope(Envelopes.of(Envelopes.stableEventId("scale-out", providerId, localId), "PATIENT", providerId, "pat-" + localId,
                        Instant.parse("2025-01-10T05:00:00Z"), now, null))
                .setRecordType("PATIENT")
                .setPatient(PatientInfo.newBuilder().setLocalId(localId).setIin(iin).setIinStatus(iin == null ? "MISSING" : "VALID")
                        .setLastName(last).setFirstName(first).setBirthDate(p.birthDate()).setSex(p.sex()).setPhone(phone).build())
                .build();
    }

    private static HealthRecordEvent attachment(Person p, String bin, String run) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String recordId = "att-" + run + "-" + p.localId();
        return HealthRecordEvent.newBuilder()
                .setEnvelope(Envelopes.of(Envelopes.stableEventId("scale-out", recordId), "ATTACHMENT", "scale-out", recordId,
                        Instant.parse("2024-01-10T05:00:00Z"), now, null))
                .setRecordType("ATTACHMENT")
                .setPatient(PatientInfo.newBuilder().setLocalId(p.localId()).setIin(p.iin()).setIinStatus("VALID")
                        .setBirthDate(p.birthDate()).setSex(p.sex()).build())
                .setAttachment(Attachment.newBuilder().setPolyclinicBin(bin).setFrom(LocalDate.of(2024, 1, 1)).build())
                .build();
    }

    /** All at once, keyed as ingestion keys them: the valid IIN, else provider:localId. */
    private static void produce(String topic, List<HealthRecordEvent> events) throws Exception {
        EventCodec<HealthRecordEvent> codec = EventCodec.of(HealthRecordEvent.class);
        try (KafkaProducer<String, byte[]> producer = broker.admin().producer("scale-out", new StringSerializer(), new ByteArraySerializer())) {
            List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
            for (HealthRecordEvent e : events) {
                PatientInfo p = e.getPatient();
                String key = "VALID".equals(p.getIinStatus()) ? p.getIin() : e.getEnvelope().getProviderId() + ":" + p.getLocalId();
                sent.add(producer.send(new ProducerRecord<>(topic, key, codec.encode(e))));
            }
            producer.flush();
            for (var f : sent) {
                f.get(30, TimeUnit.SECONDS);
            }
        }
    }

    // --- plumbing --------------------------------------------------------------------------------------------------

    private static <T> T poll(String what, Duration timeout, Pair pair, Callable<T> probe) throws Exception {
        return RunningPlatform.poll(what, timeout, probe, () -> pair == null ? "" : pair.logs());
    }

    @FunctionalInterface
    interface Row {
        Object read(ResultSet rs) throws SQLException;
    }

    private static void query(String url, String sql, List<Object> params, Row row) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, TestPlatform.pgUser(), TestPlatform.pgPassword());
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.size(); i++) {
                Object v = params.get(i);
                if (v instanceof String[] array) {
                    ps.setArray(i + 1, c.createArrayOf("text", array));
                } else {
                    ps.setObject(i + 1, v);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    row.read(rs);
                }
            }
        }
    }

    private static long count(String url, String sql, Object... params) throws SQLException {
        long[] n = {0};
        query(url, sql, List.of(params), rs -> n[0] = rs.getLong(1));
        return n[0];
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
