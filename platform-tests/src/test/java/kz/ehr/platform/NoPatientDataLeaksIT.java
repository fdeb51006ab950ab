package kz.ehr.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import kz.ehr.events.EventCodec;
import kz.ehr.events.Envelope;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.ProviderRecord;
import kz.ehr.events.Topics;
import kz.ehr.security.Roles;
import kz.ehr.testsupport.TestKafka;
import kz.ehr.testsupport.TestPlatform;
import kz.ehr.testsupport.TestTokens;

/**
 * Issue #20 item 7, "no patient data in any log or dead-letter header", against the four packaged services as
 * processes: the test sends IINs, names and phone numbers of its own through every bad path it can reach (invalid
 * IINs, malformed JSON, oversize fields, records that break rules, a FHIR bundle that is not one, poison messages on
 * the provider and ehr topics, events the consumers' databases refuse) and through two faults (billing's and
 * ingestion's databases closed to every connection for a while), then reads every line of every service's log and
 * every header of every dead-letter topic ({@code deadletter.v1.<service>}) and {@code ingest.rejected.v1} and finds none of them. So that the search
 * cannot pass by looking in the wrong place, it also finds the same values where they belong: in the rejected
 * records' payloads and the dead letters' bodies.
 */
class NoPatientDataLeaksIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String SUFFIX = "_leaks";
    static RunningPlatform platform;

    /** What this run sent and must find nowhere it should not be. */
    static final Set<String> SECRETS = new LinkedHashSet<>();

    @BeforeAll
    static void startPlatform() throws Exception {
        platform = RunningPlatform.start(TestPlatform.kafkaBootstrapServers(), TestPlatform.kafkaCredentials(), SUFFIX,
                TestPlatform::freshDatabase, RunningPlatform.underLoad());
    }

    @AfterAll
    static void stopPlatform() throws Exception {
        if (platform != null) {
            platform.close();
        }
        setConnections("ehr_billing", true);
        setConnections("ehr_ingestion", true);
    }

    /** A person of this run: a valid IIN, a surname, a first name and a phone number no other run uses. */
    record Secret(String localId, String iin, String lastName, String firstName, String phone, LocalDate birthDate, String sex) {
        /** The parts searched for: the IIN, each name in lower case, the phone's 10 national digits. */
        List<String> needles() {
            return List.of(iin, lastName.toLowerCase(Locale.ROOT), firstName.toLowerCase(Locale.ROOT), phone.substring(2));
        }
    }

    private static final Random RANDOM = new Random();
    private static final String CYRILLIC = "абвгдежзиклмнопрстуфхцчшщыэюяәіңғүұқөһ";

    static Secret secret(SyntheticPeople.Person p) {
        Secret s = new Secret(p.localId(), p.iin(), "Тест" + word(7), "Сыр" + word(6),
                "+7701" + String.format("%07d", RANDOM.nextInt(10_000_000)), p.birthDate(), p.sex());
        SECRETS.addAll(s.needles());
        return s;
    }

    private static String word(int n) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(CYRILLIC.charAt(RANDOM.nextInt(CYRILLIC.length())));
        }
        return b.toString();
    }

    /** An IIN with the wrong check digit (the stem of a valid one): rejected or warned, never logged. */
    static String wrongCheckDigit(String iin) {
        String bad = iin.substring(0, 11) + (char) ('0' + (iin.charAt(11) - '0' + 1) % 10);
        SECRETS.add(bad);
        return bad;
    }

    static String patient(String recordId, Secret s, String iin, String extra) {
        return """
                {"recordId":"%s","type":"PATIENT","occurredAt":"2025-01-10T10:00:00+05:00","patient":{"localId":"%s","iin":"%s","lastName":"%s","firstName":"%s","birthDate":"%s","sex":"%s","phone":"%s","address":"г. Алматы, ул. %s 5"%s}}"""
                .formatted(recordId, s.localId(), iin, s.lastName(), s.firstName(), s.birthDate(), s.sex(), s.phone(), s.lastName(), extra);
    }

    static String visit(String recordId, Secret s, String encounterExtra) {
        return """
                {"recordId":"%s","type":"ENCOUNTER","occurredAt":"2025-02-11T09:30:00+05:00","patient":{"localId":"%s","iin":"%s","lastName":"%s","phone":"%s","birthDate":"%s","sex":"%s"},"encounter":{"encounterId":"E-%s","polyclinicBin":"100140000013","doctorId":"D-3","start":"2025-02-11T09:30:00+05:00","end":"2025-02-11T09:45:00+05:00","kind":"VISIT","diagnoses":["I10"]%s}}"""
                .formatted(recordId, s.localId(), s.iin(), s.lastName(), s.phone(), s.birthDate(), s.sex(), recordId, encounterExtra);
    }

    @Test
    void badInputsPoisonMessagesAndDatabaseOutagesLeaveNoIinNameOrPhoneInAnyLogOrDeadLetterHeader() throws Exception {
        List<SyntheticPeople.Person> people = SyntheticPeople.cohort(12);
        List<Secret> s = new ArrayList<>();
        people.forEach(p -> s.add(secret(p)));
        String run = s.get(0).localId();

        // 1. good records, so that every consumer handles these people's data (and would log it, if it logged data)
        HttpResponse<String> good = platform.submit(patient("p-" + run + "-0", s.get(0), s.get(0).iin(), "") + "\n"
                + visit("v-" + run + "-0", s.get(0), "") + "\n");
        assertThat(good.statusCode()).as(good.body()).isEqualTo(200);

        // 2. bad inputs through the REST intake: a wrong IIN check digit, a future birth date, an unknown sex, a bad
        // mother IIN, an oversize name, a death from a provider not permitted to report one, an encounter with a bad
        // ICD-10 code and BIN, and a line that is not JSON at all (cut off in the middle of the patient block)
        String badBatch = String.join("\n",
                patient("p-" + run + "-1", s.get(1), wrongCheckDigit(s.get(1).iin()), ""),
                patient("p-" + run + "-2", s.get(2), s.get(2).iin(), ",\"motherIin\":\"" + wrongCheckDigit(s.get(3).iin()) + "\"")
                        .replace(s.get(2).birthDate().toString(), "2999-01-01"),
                patient("p-" + run + "-3", s.get(3), s.get(3).iin(), "").replace("\"sex\":\"" + s.get(3).sex() + "\"",
                        "\"sex\":\"" + s.get(3).lastName() + "\""),
                patient("p-" + run + "-4", s.get(4), s.get(4).iin(), "").replace("\"firstName\":\"" + s.get(4).firstName() + "\"",
                        "\"firstName\":\"" + s.get(4).firstName() + "я".repeat(5000) + "\""),
                """
                        {"recordId":"d-%s","type":"DEATH","occurredAt":"2025-03-01T10:00:00+05:00","patient":{"localId":"%s","iin":"%s","lastName":"%s"},"death":{"date":"2025-03-01"}}"""
                        .formatted(run, s.get(5).localId(), s.get(5).iin(), s.get(5).lastName()),
                visit("v-" + run + "-6", s.get(6), "").replace("\"I10\"", "\"" + s.get(6).iin() + "\"").replace("100140000013", s.get(6).phone()),
                patient("p-" + run + "-7", s.get(7), s.get(7).iin(), "").substring(0, 160),
                "{\"recordId\":\"x-" + run + "\",\"patient\":{\"iin\":" + s.get(7).iin() + "0, \"lastName\": " + s.get(7).lastName() + "}}") + "\n";
        HttpResponse<String> bad = platform.submit(badBatch);
        assertThat(bad.statusCode()).as(bad.body()).isEqualTo(200);
        assertThat(JSON.readTree(bad.body()).path("rejected").size()).as(bad.body()).isGreaterThanOrEqualTo(6);
        // a body that is not NDJSON nor an array, and a JSON array that breaks off
        platform.ingestion().post("/api/v1/records", "application/json", "Bearer " + platform.key,
                "[" + patient("p-" + run + "-8", s.get(8), s.get(8).iin(), "").substring(0, 200));
        platform.ingestion().post("/api/v1/records", "application/x-ndjson", "Bearer " + platform.key,
                "\u0000" + s.get(8).lastName() + " " + s.get(8).iin() + " " + s.get(8).phone());
        // FHIR: a bundle with a patient whose IIN fails, and a body that is not a Bundle
        platform.ingestion().post("/fhir/r4", "application/fhir+json", "Bearer " + platform.key, """
                {"resourceType":"Bundle","type":"batch","entry":[{"resource":{"resourceType":"Patient","id":"%s",
                 "identifier":[{"system":"http://ehr.kz/fhir/sid/iin","value":"%s"}],"name":[{"family":"%s","given":["%s"]}],
                 "telecom":[{"system":"phone","value":"%s"}],"birthDate":"2999-02-30"},"request":{"method":"POST","url":"Patient"}}]}"""
                .formatted(s.get(9).localId(), wrongCheckDigit(s.get(9).iin()), s.get(9).lastName(), s.get(9).firstName(), s.get(9).phone()));
        platform.ingestion().post("/fhir/r4", "application/fhir+json", "Bearer " + platform.key,
                "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"" + s.get(9).lastName() + "\"}],\"identifier\":" + s.get(9).iin());

        // 3. staff reads with patient data in the query, and an issuance for a person the service does not know
        String staff = "Bearer " + TestTokens.of("leak-check", Roles.ALL.toArray(String[]::new));
        Map<String, String> purpose = Map.of("X-Purpose", "leak check");
        platform.patientIndex().request("GET", "/api/v1/patients?iin=" + wrongCheckDigit(s.get(10).iin()), staff, purpose, null);
        platform.patientIndex().request("GET", "/api/v1/patients/search?lastName="
                + java.net.URLEncoder.encode(s.get(10).lastName(), StandardCharsets.UTF_8) + "&birthDate=1985-13-45", staff, purpose, null);
        platform.certificates().request("POST", "/api/v1/certificates", staff, purpose,
                "{\"iin\":\"" + s.get(10).iin() + "\",\"type\":\"F063\"}");
        platform.certificates().request("POST", "/api/v1/certificates", staff, purpose,
                "{\"iin\":\"" + wrongCheckDigit(s.get(10).iin()) + "\",\"type\":\"" + s.get(10).lastName() + "\"}");
        platform.billing().request("GET", "/api/v1/persons/" + wrongCheckDigit(s.get(10).iin()) + "/events", staff, purpose, null);

        // 4. the Kafka intake: a payload that is not JSON, a record naming another provider, bytes that are not Avro
        try (KafkaProducer<String, byte[]> provider = TestPlatform.kafkaProvider(platform.providerId).producer("leak-adapter",
                new StringSerializer(), new ByteArraySerializer())) {
            String topic = Topics.providerTopic(platform.providerId);
            EventCodec<ProviderRecord> codec = EventCodec.of(ProviderRecord.class);
            Secret k = s.get(11);
            send(provider, topic, k.localId(), codec.encode(new ProviderRecord(platform.providerId, "k1-" + run, Instant.now(),
                    patient("k1-" + run, k, k.iin(), "").substring(0, 150), null)));
            send(provider, topic, k.localId(), codec.encode(new ProviderRecord("someone-else", "k2-" + run, Instant.now(),
                    patient("k2-" + run, k, k.iin(), ""), null)));
            send(provider, topic, k.localId(), (k.lastName() + "|" + k.iin() + "|" + k.phone()).getBytes(StandardCharsets.UTF_8));
        }

        // 5. poison on the ehr topics (as the admin): bytes that are not Avro, and events the consumers' databases
        // refuse (an IIN and names far longer than any column, a NUL in a name) — keyed by IIN, as ingestion keys them
        Secret poisoned = s.get(11);
        byte[] garbage = ("not avro " + poisoned.lastName() + " " + poisoned.iin() + " " + poisoned.phone()).getBytes(StandardCharsets.UTF_8);
        for (Topics t : List.of(Topics.PATIENTS, Topics.CARE, Topics.REGISTRY)) {
            TestKafka.send(t.topic, poisoned.iin(), garbage);
        }
        TestKafka.send(Topics.PATIENTS.topic, poisoned.iin(), oversizeEvent(poisoned, "PATIENT", run + "-a"));
        TestKafka.send(Topics.CARE.topic, poisoned.iin(), oversizeEvent(poisoned, "ENCOUNTER", run + "-b"));

        // 6. a fault: billing's database refuses every connection while records of a person arrive, then comes back
        Secret outage = s.get(8);
        setConnections("ehr_billing", false);
        HttpResponse<String> during = platform.submit(patient("p-" + run + "-o", outage, outage.iin(), "") + "\n"
                + visit("v-" + run + "-o", outage, "") + "\n");
        assertThat(during.statusCode()).as(during.body()).isEqualTo(200);
        platform.await("billing notices its database is gone", Duration.ofSeconds(60), () ->
                platform.billing().request("GET", "/q/health/ready", null, Map.of(), null).statusCode() != 200
                        || Files.readString(platform.billing().log).contains("transient") ? true : null);
        setConnections("ehr_billing", true);
        platform.await("billing has the outage person's two events", Duration.ofSeconds(120), () -> {
            HttpResponse<String> r = platform.billing().get("/api/v1/persons/" + outage.iin() + "/events");
            return r.statusCode() == 200 && JSON.readTree(r.body()).path("events").size() >= 2 ? true : null;
        });
        // and ingestion's own database gone under a submission: 503, nothing accepted, nothing logged
        setConnections("ehr_ingestion", false);
        HttpResponse<String> refused = platform.submit(patient("p-" + run + "-i", s.get(10), s.get(10).iin(), "") + "\n");
        setConnections("ehr_ingestion", true);
        assertThat(refused.statusCode()).as(refused.body()).isIn(503, 500);

        // every consumer has been through the poison and the people of this run
        platform.await("the patient index links the first person", Duration.ofSeconds(120), () ->
                platform.patientIndex().get("/api/v1/source-records/" + platform.providerId + "/" + s.get(0).localId()).statusCode() == 200
                        ? true : null);
        List<ConsumerRecord<String, byte[]>> deadLetters = platform.await("each consumer dead-lettered the poison", Duration.ofSeconds(240), () -> {
            List<ConsumerRecord<String, byte[]>> all = new ArrayList<>();
            for (String topic : Topics.deadLetterTopics()) { // each service's own deadletter.v1.<service>, and the admin's
                all.addAll(readAll(topic));
            }
            long groups = all.stream().filter(r -> poisoned.iin().equals(r.key())).map(r -> header(r, "x-consumer-group")).distinct().count();
            return groups >= 3 ? all : null;
        });
        List<ConsumerRecord<String, byte[]>> rejected = platform.await("the Kafka intake's rejections are on " + Topics.INGEST_REJECTED.topic,
                Duration.ofSeconds(120), () -> {
                    List<ConsumerRecord<String, byte[]>> all = readAll(Topics.INGEST_REJECTED.topic);
                    return all.stream().anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains("k2-" + run)) ? all : null;
                });

        // the search works: the values are where they belong (payloads, bodies)
        assertThat(found(rejected.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList()))
                .as("the rejected records carry what was sent").contains(s.get(11).lastName().toLowerCase(Locale.ROOT))
                .containsAnyOf(s.get(2).iin(), s.get(3).iin(), s.get(4).iin());
        assertThat(found(deadLetters.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList()))
                .as("the dead letters carry the poison").contains(poisoned.iin());

        List<String> leaks = new ArrayList<>();
        int lines = 0;
        // and no secret the services were started with: the provider's API key, any service's Kafka password
        Map<String, String> credentials = new java.util.TreeMap<>(Map.of("the provider key", platform.key));
        for (kz.ehr.events.kafka.KafkaPrincipals.Service service : kz.ehr.events.kafka.KafkaPrincipals.Service.values()) {
            credentials.put(service.principal + "'s Kafka password", TestPlatform.kafkaCredentials().password(service.principal));
        }
        for (ServiceProcess service : platform.all()) {
            List<String> log = Files.readAllLines(service.log);
            lines += log.size();
            for (String line : log) {
                for (String needle : found(List.of(line))) {
                    leaks.add(service.name + " log has " + needle + ": " + abbreviate(line));
                }
                credentials.forEach((what, secret) -> {
                    if (line.contains(secret)) {
                        leaks.add(service.name + " log has " + what);
                    }
                });
            }
        }
        int headers = 0;
        for (List<ConsumerRecord<String, byte[]>> topic : List.of(deadLetters, rejected)) {
            for (ConsumerRecord<String, byte[]> r : topic) {
                for (Header h : r.headers()) {
                    headers++;
                    String value = new String(h.value(), StandardCharsets.UTF_8);
                    for (String needle : found(List.of(value))) {
                        leaks.add(r.topic() + " header " + h.key() + " has " + needle + ": " + abbreviate(value));
                    }
                }
            }
        }
        System.out.printf("PRIVACY check=no-patient-data-in-logs-or-headers values=%d log_lines=%d dead_letters=%d rejected=%d "
                + "headers=%d leaks=%d%n", SECRETS.size(), lines, deadLetters.size(), rejected.size(), headers, leaks.size());
        leaks.forEach(l -> System.out.println("PRIVACY leak " + l));
        assertThat(leaks).isEmpty();
    }

    /** A valid Avro event whose fields no column holds: each consumer's database refuses it. */
    static byte[] oversizeEvent(Secret s, String type, String id) {
        PatientInfo p = PatientInfo.newBuilder().setLocalId(s.localId()).setIin(s.iin() + "0".repeat(40)).setIinStatus("VALID")
                .setLastName(s.lastName() + "\u0000" + "ж".repeat(3000)).setFirstName(s.firstName())
                .setLastNameNorm(s.lastName().toLowerCase(Locale.ROOT) + "\u0000").setPhone(s.phone()).setSex("X")
                .setBirthDate(LocalDate.of(1, 1, 1)).build();
        Envelope envelope = Envelope.newBuilder().setEventId(java.util.UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)).toString()).setEventType(type).setProviderId("e2e-provider")
                .setSourceRecordId("e2e-provider:" + s.localId()).setOccurredAt(Instant.now()).setIngestedAt(Instant.now())
                .setSchemaVersion(1).setTraceId(null).build();
        HealthRecordEvent.Builder e = HealthRecordEvent.newBuilder().setEnvelope(envelope).setRecordType(type).setPatient(p);
        if (type.equals("ENCOUNTER")) {
            e.setEncounter(kz.ehr.events.Encounter.newBuilder().setEncounterId("E-" + s.iin()).setPolyclinicBin(s.phone())
                    .setDoctorId(s.lastName()).setStart(Instant.now()).setKind(s.firstName()).setDiagnoses(List.of(s.iin())).build());
        }
        return EventCodec.of(HealthRecordEvent.class).encode(e.build());
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
    }

    private static List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        // reads to the end: the stop condition never matches, the deadline ends the read
        return TestKafka.readRawUntil(topic, r -> false, Duration.ofSeconds(5));
    }

    /** Which of this run's values occur in {@code texts} (names case-insensitively). */
    static Set<String> found(List<String> texts) {
        Set<String> hits = new LinkedHashSet<>();
        for (String text : texts) {
            String lower = text.toLowerCase(Locale.ROOT);
            for (String needle : SECRETS) {
                if (lower.contains(needle)) {
                    hits.add(needle);
                }
            }
        }
        return hits;
    }

    private static String header(ConsumerRecord<?, ?> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static String abbreviate(String s) {
        return s.length() <= 400 ? s : s.substring(0, 400) + "…";
    }

    /**
     * Opens or closes one of this platform's databases to every connection (a per-database setting on the test's
     * own database; the server is untouched), closing the connections it has now.
     */
    static void setConnections(String prefix, boolean allowed) throws Exception {
        String db = prefix + SUFFIX + TestPlatform.databaseSuffix();
        String url = TestPlatform.freshDatabase(prefix + SUFFIX).replaceAll("/[^/]+$", "/postgres");
        try (Connection c = DriverManager.getConnection(url, TestPlatform.pgUser(), TestPlatform.pgPassword());
             Statement st = c.createStatement()) {
            st.execute("ALTER DATABASE " + db + " ALLOW_CONNECTIONS " + allowed);
            if (!allowed) {
                st.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + db + "' AND pid <> pg_backend_pid()");
            }
        }
    }
}
