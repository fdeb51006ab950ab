package kz.ehr.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import kz.ehr.events.Topics;
import kz.ehr.local.LocalKafkaBroker;
import kz.ehr.platform.SyntheticPeople.Person;
import kz.ehr.testsupport.TestPlatform;

/**
 * The launcher script itself: {@code ./ehr up} with only ingestion (its hidden test settings: own state directory,
 * port, database, this JVM's broker, no build, no demo stream), then a SIGKILLed service brought back by its
 * supervisor, a backfill killed mid-way and run again against the real service, and {@code ./ehr down} stopping
 * exactly what up started; then {@code ./ehr up --replicas 2}: a second, separately supervised instance that status shows
 * and down stops.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LauncherIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Path ROOT = Path.of(System.getProperty("ehr.repo.root", "..")).toAbsolutePath().normalize();
    static final Path WORK = Path.of("target", "launcher-it").toAbsolutePath();
    static final Path STATE = WORK.resolve("state");
    static final String PROVIDER = "launcher-it";
    static final String KEY = "launcher-key-" + UUID.randomUUID();
    static final Pattern STATUS = Pattern.compile("^ingestion-service\\s+(\\S+)\\s+(\\d+)\\s+(ready|not ready|down|stopped|restarting)\\s+(\\S+)\\s+(.*)$",
            Pattern.MULTILINE);
    static int port;
    static final Map<String, String> env = new HashMap<>();

    @BeforeAll
    static void up() throws Exception {
        deleteTree(WORK);
        Files.createDirectories(WORK);
        port = LocalKafkaBroker.freePort();
        URI pg = URI.create(TestPlatform.freshDatabase("ehr_ingestion_launcher").substring("jdbc:".length()));
        env.putAll(Map.of("EHR_STATE_DIR", STATE.toString(), "EHR_SERVICES", "ingestion-service:" + port + ":" + pg.getPath().substring(1),
                "EHR_NO_BUILD", "1", "EHR_DEMO_PERSONS", "0", "EHR_KAFKA", TestPlatform.kafkaBootstrapServers(),
                "EHR_PROVIDER_KEYS", PROVIDER + ":" + KEY, "EHR_PG_HOST", pg.getHost(), "EHR_PG_PORT", String.valueOf(pg.getPort()),
                "EHR_PG_USER", TestPlatform.pgUser(), "EHR_PG_PASSWORD", TestPlatform.pgPassword()));
        // the test broker's passwords: the launcher gives the service its own, as it does with the broker it starts
        env.put("EHR_KAFKA_CREDENTIALS", TestPlatform.kafkaCredentials().dir().toString());
        Result up = ehr(Duration.ofMinutes(4), "up");
        assertThat(up.code()).as(up.output()).isZero();
        assertThat(up.output()).contains("ingestion-service ready on http://127.0.0.1:" + port);
    }

    @AfterAll
    static void down() throws Exception {
        ehr(Duration.ofMinutes(1), "down");
    }

    @Test
    @Order(1)
    void a_service_killed_with_sigkill_is_restarted_by_its_supervisor_and_status_counts_one_restart() throws Exception {
        Matcher before = status();
        assertThat(before.group(3)).isEqualTo("ready");
        assertThat(before.group(4)).isEqualTo("0");
        long pid = Long.parseLong(before.group(1));

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        Matcher after = await("ingestion is ready again after one restart", Duration.ofMinutes(3), () -> {
            Matcher m = status();
            return m.group(3).equals("ready") && m.group(4).equals("1") ? m : null;
        });
        assertThat(Long.parseLong(after.group(1))).isNotEqualTo(pid);
        assertThat(after.group(5).trim()).isEqualTo("137(SIGKILL)");
        assertThat(ProcessHandle.of(Long.parseLong(after.group(1)))).isPresent();
    }

    @Test
    @Order(2)
    void a_backfill_killed_mid_way_and_run_again_imports_every_record_once_counting_the_batch_in_flight_as_duplicates() throws Exception {
        List<String> lines = new ArrayList<>();
        for (Person p : SyntheticPeople.cohort(1000)) {
            lines.add(SyntheticPeople.patientRecord(p).strip());
            lines.add(SyntheticPeople.visitRecord(p).strip());
        }
        lines.add(1234, SyntheticPeople.visitRecord(SyntheticPeople.cohort(1).get(0)).strip().replace("\"I10\"", "\"hypertension\""));
        Path file = WORK.resolve("backfill").resolve("history.ndjson");
        Files.createDirectories(file.getParent());
        Files.write(file, lines, StandardCharsets.UTF_8);
        Path checkpoint = file.resolveSibling("history.ndjson.import-checkpoint");
        List<String> importArgs = List.of("import", "--provider", PROVIDER, "--key", KEY, "--batch", "100", "--concurrency", "1", file.toString());

        Process first = start(importArgs, WORK.resolve("import-1.log"));
        try {
            await("the importer acknowledged five batches", Duration.ofMinutes(2), () -> {
                if (!first.isAlive()) {
                    throw new AssertionError("the importer ended before it was killed: " + Files.readString(WORK.resolve("import-1.log")));
                }
                return Files.exists(checkpoint) && JSON.readTree(checkpoint.toFile()).path("batches").asLong() >= 5 ? true : null;
            });
        } finally {
            first.destroyForcibly().waitFor();
        }
        long before = JSON.readTree(checkpoint.toFile()).path("records").asLong();
        assertThat(before).isLessThan(lines.size());

        Result second = ehr(Duration.ofMinutes(3), importArgs.toArray(String[]::new));

        assertThat(second.code()).as(second.output()).isZero();
        JsonNode c = JSON.readTree(checkpoint.toFile());
        assertThat(c.path("complete").asBoolean()).isTrue();
        assertThat(c.path("records").asLong()).as("every record counted once").isEqualTo(lines.size());
        assertThat(c.path("rejectedByCode").path("ICD10_FORMAT").asLong()).isEqualTo(1);
        assertThat(c.path("duplicates").asLong()).as("at most the batch in flight was sent twice").isBetween(0L, 100L);
        assertThat(c.path("accepted").asLong() + c.path("duplicates").asLong()).isEqualTo(lines.size() - 1);
        JsonNode stats = JSON.readTree(get("/api/v1/providers/" + PROVIDER + "/stats").body());
        assertThat(stats.path("accepted").asLong()).as("ingestion's own count").isEqualTo(lines.size() - 1);
        assertThat(stats.path("duplicates").asLong()).isEqualTo(c.path("duplicates").asLong());
        List<String> rejected = Files.readAllLines(file.resolveSibling("history.ndjson.rejected.ndjson"));
        assertThat(rejected).hasSize(1);
        assertThat(JSON.readTree(rejected.get(0)).path("line").asLong()).isEqualTo(1235);
        assertThat(second.output()).contains("rejected 1 (ICD10_FORMAT 1)");
    }

    @Test
    @Order(3)
    void dlq_lists_shows_and_replays_a_dead_letter_through_the_services_ops_endpoint() throws Exception {
        // bytes that are not a ProviderRecord on the provider's own topic: ingestion's Kafka intake dead-letters them
        byte[] garbage = ("not avro " + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
        String topic = Topics.providerTopic(PROVIDER);
        try (KafkaProducer<String, byte[]> producer = TestPlatform.kafkaProvider(PROVIDER).producer("launcher-it-poison",
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(topic, "poison", garbage)).get(30, TimeUnit.SECONDS);
        }
        Pattern id = Pattern.compile("(?m)\"id\":\"(\\d+-\\d+)\"|^\\s+(\\d+-\\d+)\t");
        Result list = await("./ehr dlq list shows the dead letter", Duration.ofMinutes(2), () -> {
            Result r = ehr(Duration.ofMinutes(1), "dlq", "list", topic);
            return r.code() == 0 && r.output().contains("UNDECODABLE") && id.matcher(r.output()).find() ? r : null;
        });
        assertThat(list.output()).contains("deadletter.v1.ingestion-service").contains(topic);
        Matcher m = id.matcher(list.output());
        assertThat(m.find()).isTrue();
        String letter = m.group(1) != null ? m.group(1) : m.group(2);

        Result show = ehr(Duration.ofMinutes(1), "dlq", "show", "deadletter.v1.ingestion-service", letter, "launcher test");
        assertThat(show.code()).as(show.output()).isZero();
        JsonNode shown = JSON.readTree(show.output().substring(show.output().indexOf('{')));
        assertThat(shown.path("errorCode").asText()).isEqualTo("UNDECODABLE");
        assertThat(shown.path("payloadBase64").asText()).isEqualTo(java.util.Base64.getEncoder().encodeToString(garbage));

        // still undecodable: the replay goes back through the consumer loop and fails again with the same code
        Result replay = ehr(Duration.ofMinutes(2), "dlq", "replay", "deadletter.v1.ingestion-service", letter);
        assertThat(replay.code()).as(replay.output()).isZero();
        JsonNode report = JSON.readTree(replay.output().substring(replay.output().indexOf('{')));
        assertThat(report.path("selected").asInt()).isEqualTo(1);
        assertThat(report.path("replayed")).isEmpty();
        assertThat(report.path("failed").path(0).path("id").asText()).isEqualTo(letter);
        assertThat(report.path("failed").path(0).path("errorCode").asText()).isEqualTo("UNDECODABLE");
    }

    @Test
    @Order(4)
    void down_stops_the_supervisor_and_the_service_it_started() throws Exception {
        long service = Long.parseLong(Files.readString(STATE.resolve("pids/ingestion-service.pid")).strip());
        long supervisor = Long.parseLong(Files.readString(STATE.resolve("pids/ingestion-service.supervisor.pid")).strip());

        Result down = ehr(Duration.ofMinutes(1), "down");

        assertThat(down.code()).as(down.output()).isZero();
        assertThat(ProcessHandle.of(service).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(ProcessHandle.of(supervisor).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(STATE.resolve("pids/ingestion-service.pid")).doesNotExist();
        assertThat(status().group(3)).isEqualTo("stopped");
    }

    @Test
    @Order(5)
    void up_with_two_replicas_runs_and_supervises_a_second_instance_that_status_shows_and_down_stops() throws Exception {
        int second = LocalKafkaBroker.freePort();
        env.put("EHR_REPLICA_PORT_STEP", String.valueOf(second - port));
        Result up = ehr(Duration.ofMinutes(4), "up", "--replicas", "2");
        assertThat(up.code()).as(up.output()).isZero();
        assertThat(up.output()).contains("ingestion-service ready on http://127.0.0.1:" + port)
                .contains("ingestion-service-2 ready on http://127.0.0.1:" + second);
        Matcher two = replica2();
        assertThat(two.group(2)).isEqualTo(String.valueOf(second));
        assertThat(two.group(3)).isEqualTo("ready");
        assertThat(status().group(3)).isEqualTo("ready");
        long pid = Long.parseLong(two.group(1));

        ProcessHandle.of(pid).orElseThrow().destroyForcibly();

        Matcher after = await("the second instance is ready again after one restart", Duration.ofMinutes(3), () -> {
            Matcher m = replica2();
            return m.group(3).equals("ready") && m.group(4).equals("1") ? m : null;
        });
        assertThat(Long.parseLong(after.group(1))).isNotEqualTo(pid);
        assertThat(after.group(5).trim()).isEqualTo("137(SIGKILL)");
        long supervisor = Long.parseLong(Files.readString(STATE.resolve("pids/ingestion-service-2.supervisor.pid")).strip());
        long service = Long.parseLong(after.group(1));

        Result down = ehr(Duration.ofMinutes(1), "down");

        assertThat(down.code()).as(down.output()).isZero();
        assertThat(down.output()).contains("stopped the supervisor of ingestion-service-2").contains("stopped the supervisor of ingestion-service (pid");
        assertThat(ProcessHandle.of(service).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(ProcessHandle.of(supervisor).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(status().group(3)).isEqualTo("stopped");
        assertThat(ehr(Duration.ofSeconds(30), "status").output()).as("one instance again after down").doesNotContain("ingestion-service-2");
    }

    static Matcher replica2() throws Exception {
        Result r = ehr(Duration.ofSeconds(30), "status");
        Matcher m = Pattern.compile("^ingestion-service-2\\s+(\\S+)\\s+(\\d+)\\s+(ready|not ready|down|stopped|restarting)\\s+(\\S+)\\s+(.*)$",
                Pattern.MULTILINE).matcher(r.output());
        if (!m.find()) {
            throw new AssertionError("no ingestion-service-2 line in ./ehr status:\n" + r.output());
        }
        return m;
    }

    @Test
    @Order(6)
    void demo_provider_keys_are_made_once_shown_on_that_terminal_only_and_kept_mode_600() throws Exception {
        // a state dir of its own and no EHR_PROVIDER_KEYS: the launcher makes the demo keys (the simulator in files mode
        // needs no running service)
        Path state = WORK.resolve("keys-state");
        Map<String, String> vars = Map.of("EHR_STATE_DIR", state.toString(), "EHR_NO_BUILD", "1");
        String[] simulate = {"simulate", "--mode", "files", "--out", WORK.resolve("keys-sim").toString(), "--persons", "1", "--no-progress"};
        Result first = ehr(vars, Duration.ofMinutes(3), simulate);
        assertThat(first.code()).as(first.output()).isZero();
        Path file = state.resolve("provider-keys");
        assertThat(Files.getPosixFilePermissions(file)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE);
        List<String> keys = Stream.of(Files.readString(file).trim().split(",")).map(k -> k.substring(k.indexOf(':') + 1)).toList();
        assertThat(keys).hasSize(3).allSatisfy(k -> assertThat(k).hasSizeGreaterThanOrEqualTo(32));
        assertThat(first.output()).contains("created demo provider keys").contains(keys);

        Result second = ehr(vars, Duration.ofMinutes(3), simulate);
        assertThat(second.code()).as(second.output()).isZero();
        assertThat(second.output()).as("the keys are shown once, when made").doesNotContain("created demo provider keys");
        for (String k : keys) {
            assertThat(second.output()).doesNotContain(k);
        }
    }

    record Result(int code, String output) {
    }

    static Process start(List<String> args, Path log) throws IOException {
        return start(args, log, env);
    }

    /** With {@code vars} as the launcher's settings; without EHR_PROVIDER_KEYS there, none is passed on. */
    static Process start(List<String> args, Path log, Map<String, String> vars) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", ROOT.resolve("ehr").toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("EHR_PROVIDER_KEYS");
        pb.environment().putAll(vars);
        return pb.start();
    }

    static Result ehr(Duration timeout, String... args) throws Exception {
        return ehr(env, timeout, args);
    }

    static Result ehr(Map<String, String> vars, Duration timeout, String... args) throws Exception {
        Path log = Files.createTempFile(WORK, "ehr-", ".log");
        Process p = start(List.of(args), log, vars);
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("./ehr " + String.join(" ", args) + " did not finish within " + timeout + ":\n" + Files.readString(log));
        }
        String output = Files.readString(log);
        Files.delete(log);
        return new Result(p.exitValue(), output);
    }

    static Matcher status() throws Exception {
        Result r = ehr(Duration.ofSeconds(30), "status");
        Matcher m = STATUS.matcher(r.output());
        if (!m.find()) {
            throw new AssertionError("no ingestion-service line in ./ehr status:\n" + r.output());
        }
        return m;
    }

    static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).header("Authorization", "Bearer " + KEY)
                .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls until the probe returns non-null, with a deadline ({@link RunningPlatform#poll}); on a timeout, the service log's tail. */
    static <T> T await(String what, Duration timeout, Callable<T> probe) throws Exception {
        Path log = STATE.resolve("logs/ingestion-service.log");
        return RunningPlatform.poll(what, timeout, probe,
                () -> "; service log tail:\n" + (Files.exists(log) ? tail(Files.readAllLines(log)) : "(none)"));
    }

    private static String tail(List<String> lines) {
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
