package kz.ehr.simulator.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pure parts of the pipeline benchmark: lag arithmetic, /proc stat and Prometheus parsing, which groups belong
 * to which service, the records prepared before the clock, and the report's summary table. The measurement itself
 * needs the running platform (./ehr bench --only pipeline).
 */
class PipelineBenchTests {
    private static final List<String> PROVIDERS = List.of("damumed", "kmis", "medelement");

    @Test
    void a_group_is_behind_by_end_minus_committed_over_its_partitions() {
        long lag = ConsumerLag.lag(Map.of("t-0", 90L, "t-1", 200L), Set.of("t-0", "t-1"), Map.of("t-0", 100L, "t-1", 250L),
                Map.of("t-0", 0L, "t-1", 0L));

        assertThat(lag).isEqualTo(10 + 50);
    }

    @Test
    void a_group_that_has_read_everything_has_lag_zero() {
        assertThat(ConsumerLag.lag(Map.of("t-0", 100L), Set.of("t-0"), Map.of("t-0", 100L), Map.of("t-0", 0L))).isZero();
    }

    @Test
    void an_assigned_partition_never_committed_counts_from_its_earliest_offset() {
        long lag = ConsumerLag.lag(Map.of(), Set.of("t-0"), Map.of("t-0", 500L), Map.of("t-0", 120L));

        assertThat(lag).isEqualTo(380);
    }

    @Test
    void a_committed_partition_no_longer_assigned_still_counts_and_one_past_its_end_counts_nothing() {
        long lag = ConsumerLag.lag(Map.of("t-0", 40L, "t-1", 700L), Set.of(), Map.of("t-0", 45L, "t-1", 600L), Map.of());

        assertThat(lag).isEqualTo(5);
    }

    @Test
    void a_partition_whose_end_is_unknown_counts_nothing() {
        assertThat(ConsumerLag.lag(Map.of("gone-0", 3L), Set.of("gone-0"), Map.of(), Map.of())).isZero();
    }

    @Test
    void cpu_ticks_are_utime_plus_stime_counted_after_the_command_name_even_with_spaces_and_parentheses_in_it() {
        String stat = "4242 (java (worker) 1) S 1 4242 4242 0 -1 4194560 123 0 0 0 1500 250 7 3 20 0 61 0 9876 5000000 30000";

        assertThat(ServiceProbe.cpuTicks(stat)).isEqualTo(1500 + 250);
    }

    @Test
    void jvm_threads_are_told_apart_by_name_into_jit_compilers_collector_and_the_rest() {
        assertThat(ServiceProbe.ThreadKind.of("C2 CompilerThre")).isEqualTo(ServiceProbe.ThreadKind.JIT);
        assertThat(ServiceProbe.ThreadKind.of("C1 CompilerThre")).isEqualTo(ServiceProbe.ThreadKind.JIT);
        assertThat(ServiceProbe.ThreadKind.of("GC Thread#1")).isEqualTo(ServiceProbe.ThreadKind.GC);
        assertThat(ServiceProbe.ThreadKind.of("G1 Conc#0")).isEqualTo(ServiceProbe.ThreadKind.GC);
        assertThat(ServiceProbe.ThreadKind.of("VM Thread")).as("the serial collector's thread").isEqualTo(ServiceProbe.ThreadKind.GC);
        assertThat(ServiceProbe.ThreadKind.of("consumer-billin")).isEqualTo(ServiceProbe.ThreadKind.OTHER);
    }

    @Test
    void this_jvms_own_threads_are_read_by_kind_and_the_kinds_add_up_to_no_more_than_the_process() {
        long pid = ProcessHandle.current().pid();
        long process = ServiceProbe.cpuTicks(pid).orElseThrow();

        Map<ServiceProbe.ThreadKind, Long> kinds = ServiceProbe.threadTicks(pid);

        assertThat(kinds).containsKey(ServiceProbe.ThreadKind.OTHER); // this test's own thread at least
        assertThat(kinds.values().stream().mapToLong(Long::longValue).sum()).isLessThanOrEqualTo(process);
        assertThat(ServiceProbe.threadTicks(Long.MAX_VALUE)).isEmpty();
    }

    @Test
    void a_stat_line_without_a_command_name_is_refused() {
        assertThatThrownBy(() -> ServiceProbe.cpuTicks("4242 java S 1")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void the_machine_is_busy_for_everything_but_idle_and_iowait_and_guest_time_is_not_counted_twice() {
        long[] busyAndTotal = CpuBudget.machineTicks("cpu  100 5 50 800 40 3 2 1 30 0");

        assertThat(busyAndTotal).containsExactly(100 + 5 + 50 + 3 + 2 + 1, 100 + 5 + 50 + 800 + 40 + 3 + 2 + 1);
        assertThatThrownBy(() -> CpuBudget.machineTicks("cpu0 1 2 3 4 5 6 7")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void a_phase_shows_the_cores_the_machine_and_postgresql_kept_busy_on_average_over_its_wall_time() {
        CpuBudget.Mark start = new CpuBudget.Mark(1_000_000_000L, new long[] {1_000, 5_000}, 300);
        CpuBudget.Mark end = new CpuBudget.Mark(51_000_000_000L, new long[] {1_000 + 7_250, 5_000 + 10_000}, 300 + 4_450);

        assertThat(CpuBudget.phase(start, end, 100)).isEqualTo("1.45 of 2.00 cores busy (PostgreSQL 0.89) for 50.0 s");
        assertThat(CpuBudget.phase(end, end, 100)).as("no wall time, no average").isNull();
        assertThat(CpuBudget.phase(start, new CpuBudget.Mark(2_000_000_000L, new long[0], 300), 100))
                .as("/proc/stat unreadable").isNull();
    }

    @Test
    void cpu_per_thousand_records_is_ticks_over_ticks_per_second_over_thousands_of_records() {
        assertThat(PipelineBench.cpuSecondsPer1000(4_500, 100, 20_000)).isEqualTo(2.25);
    }

    @Test
    void heap_in_use_is_the_sum_of_the_heap_pools_only() {
        String metrics = """
                # HELP jvm_memory_used_bytes The amount of used memory
                # TYPE jvm_memory_used_bytes gauge
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.048576E7
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 9.9E7
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 2.0E7
                jvm_memory_used_bytes{area="heap",id="G1 Survivor Space"} 1000.0
                jvm_memory_committed_bytes{area="heap",id="G1 Old Gen"} 5.0E8
                """;

        assertThat(ServiceProbe.heapUsedBytes(metrics)).hasValue(10_485_760L + 20_000_000L + 1_000L);
    }

    @Test
    void metrics_without_heap_samples_give_no_heap_figure() {
        assertThat(ServiceProbe.heapUsedBytes("http_server_requests_seconds_count{method=\"GET\"} 3.0\n")).isEmpty();
    }

    @Test
    void every_consumer_group_of_the_services_belongs_to_one_service_and_the_benchs_own_to_none() {
        List<ServiceProbe.Service> services = ServiceProbe.platform(new Platform("127.0.0.1", 1, 2, 3, 4, null));
        Map<String, String> owner = new LinkedHashMap<>();
        for (String group : List.of("ingestion", "patient-index", "patient-index-locator", "certificate-service",
                "certificate-service-mpi", "billing-service", "bench-raw", "test-reader-1", "probe-x")) {
            owner.put(group, services.stream().filter(s -> s.owns(group)).map(ServiceProbe.Service::name).findFirst().orElse("none"));
        }

        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("ingestion", "ingestion-service");
        expected.put("patient-index", "patient-index-service");
        expected.put("patient-index-locator", "patient-index-service");
        expected.put("certificate-service", "certificate-service");
        expected.put("certificate-service-mpi", "certificate-service");
        expected.put("billing-service", "billing-service");
        expected.put("bench-raw", "none");
        expected.put("test-reader-1", "none");
        expected.put("probe-x", "none");
        assertThat(owner).containsExactlyEntriesOf(expected);
    }

    @Test
    void a_setting_left_at_the_servers_default_says_so() {
        assertThat(PostgresSettings.describe("128MB", "default", true)).isEqualTo("128MB (default)");
        assertThat(PostgresSettings.describe("128MB", "configuration file", true)).isEqualTo("128MB (the default value, set by configuration file)");
        assertThat(PostgresSettings.describe("8GB", "configuration file", false)).isEqualTo("8GB (set by configuration file)");
    }

    @Test
    void the_prepared_load_is_exactly_n_records_of_every_provider_in_batches_of_one_provider_each() throws Exception {
        try (PreparedLoad load = PreparedLoad.generate(PROVIDERS, 3_000, 0, 11, 1.0, 1000, Long.MAX_VALUE)) {
            List<PreparedLoad.Batch> batches = batches(load);

            assertThat(load.spilled()).isFalse();
            assertThat(load.records).isEqualTo(3_000);
            assertThat(batches.stream().mapToInt(PreparedLoad.Batch::records).sum()).isEqualTo(3_000);
            assertThat(batches).allSatisfy(b -> {
                assertThat(b.records()).isBetween(1, 1000);
                String[] lines = new String(b.bytes(), b.offset(), b.length(), StandardCharsets.UTF_8).split("\n");
                assertThat(lines).hasSize(b.records());
                assertThat(lines).allSatisfy(l -> assertThat(l).startsWith("{").contains("\"recordId\":\"" + prefix(b.provider())));
            });
            assertThat(load.byProvider.keySet()).containsExactlyInAnyOrderElementsOf(PROVIDERS);
            assertThat(load.byType).containsKeys("PATIENT", "ENCOUNTER", "ATTACHMENT", "OBSERVATION");
        }
    }

    @Test
    void a_load_over_the_memory_budget_streams_the_same_batches_from_a_file_it_deletes() throws Exception {
        List<PreparedLoad.Batch> inMemory;
        try (PreparedLoad load = PreparedLoad.generate(PROVIDERS, 2_500, 0, 5, 1.0, 1000, Long.MAX_VALUE)) {
            inMemory = batches(load);
        }
        Set<Path> before = tempBatchFiles();
        List<PreparedLoad.Batch> fromFile;
        try (PreparedLoad load = PreparedLoad.generate(PROVIDERS, 2_500, 0, 5, 1.0, 1000, 0)) {
            assertThat(load.spilled()).isTrue();
            fromFile = batches(load);
        }

        assertThat(fromFile).hasSameSizeAs(inMemory);
        for (int i = 0; i < inMemory.size(); i++) {
            assertThat(fromFile.get(i).provider()).isEqualTo(inMemory.get(i).provider());
            assertThat(body(fromFile.get(i))).isEqualTo(body(inMemory.get(i)));
        }
        assertThat(tempBatchFiles()).isEqualTo(before);
    }

    @Test
    void a_warm_up_is_the_first_records_of_the_same_world_and_the_load_the_rest_none_twice() throws Exception {
        Map<String, List<String>> whole;
        try (PreparedLoad load = PreparedLoad.generate(PROVIDERS, 4_000, 0, 9, 1.0, 1000, Long.MAX_VALUE)) {
            assertThat(load.warmUp).isNull();
            whole = linesByProvider(batches(load));
        }
        Set<Path> before = tempBatchFiles();
        for (long budget : new long[] {Long.MAX_VALUE, 0}) {
            try (PreparedLoad load = PreparedLoad.generate(PROVIDERS, 2_500, 1_500, 9, 1.0, 1000, budget)) {
                assertThat(load.records).isEqualTo(2_500);
                assertThat(load.warmUp.records).isEqualTo(1_500);
                List<PreparedLoad.Batch> warm = batches(load.warmUp);
                List<PreparedLoad.Batch> measured = batches(load);
                assertThat(warm.stream().mapToInt(PreparedLoad.Batch::records).sum()).isEqualTo(1_500);
                assertThat(measured.stream().mapToInt(PreparedLoad.Batch::records).sum()).isEqualTo(2_500);
                // per provider, the warm-up's lines then the load's are the lines of one load of 4,000 records
                Map<String, List<String>> joined = linesByProvider(warm);
                linesByProvider(measured).forEach((provider, lines) -> joined.computeIfAbsent(provider, p -> new ArrayList<>()).addAll(lines));
                assertThat(joined).isEqualTo(whole);
            }
        }
        assertThat(tempBatchFiles()).isEqualTo(before);
    }

    private static Map<String, List<String>> linesByProvider(List<PreparedLoad.Batch> batches) {
        Map<String, List<String>> lines = new LinkedHashMap<>();
        for (PreparedLoad.Batch b : batches) {
            lines.computeIfAbsent(b.provider(), p -> new ArrayList<>())
                    .addAll(List.of(new String(b.bytes(), b.offset(), b.length(), StandardCharsets.UTF_8).split("\n")));
        }
        return lines;
    }

    @Test
    void the_summary_comes_first_and_a_scenario_never_run_is_marked_not_measured(@TempDir Path docs) throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("date", "2030-01-02T03:04:05Z");
        report.put("command", "./ehr bench --only kafka");
        report.put("machine", Map.of("cpus", 2, "cpuModel", "Test CPU", "memory", "2097152 kB"));
        report.put("postgres", Map.of("fsync", "on (default)"));
        Map<String, Object> kafka = new LinkedHashMap<>();
        kafka.put("title", "Raw Kafka producer rate");
        kafka.put("command", "./ehr bench --only kafka --kafka-records 10");
        kafka.put("recordsPerSecond", 12345L);
        kafka.put("megabytesPerSecond", 7.5);
        report.put("scenarios", new LinkedHashMap<>(Map.of("rawKafkaProducer", kafka)));

        Report.write(docs, report);
        String md = Files.readString(docs.resolve("benchmarks.md"));

        String summary = md.substring(md.indexOf("## Current figures"), md.indexOf("## Raw Kafka producer rate"));
        assertThat(summary).contains("| Whole pipeline (REST → every service caught up) | " + Report.NOT_MEASURED + " |");
        assertThat(summary).contains("| Raw Kafka producer (reference) | 12,345 records/s (7.5 MB/s) | M1 | not recorded | 2030-01-02 03:04 | "
                + "built-in values | `./ehr bench --only kafka --kafka-records 10` |");
    }

    @Test
    void a_run_of_one_scenario_keeps_the_other_scenarios_figures(@TempDir Path docs) throws Exception {
        Report.write(docs, run("2030-01-01T00:00:00Z", "rawKafkaProducer", Map.of("recordsPerSecond", 111L)));
        Report.write(docs, run("2030-02-01T00:00:00Z", "rawPostgresInsert", Map.of("rowsPerSecond", 222L)));

        String md = Files.readString(docs.resolve("benchmarks.md"));
        assertThat(md).contains("| Raw Kafka producer (reference) | 111 records/s").contains("2030-01-01 00:00");
        assertThat(md).contains("| Raw PostgreSQL batched inserts (reference) | 222 rows/s").contains("2030-02-01 00:00");
    }

    @Test
    void the_in_process_fraud_row_names_each_rule_and_survives_a_later_run(@TempDir Path docs) throws Exception {
        Map<String, Object> attachedTwice = new LinkedHashMap<>();
        attachedTwice.put("flagged", 26L);
        attachedTwice.put("truePositive", 26L);
        attachedTwice.put("falsePositive", 0L);
        attachedTwice.put("precision", 1.0);
        attachedTwice.put("recall", 1.0);
        Map<String, Object> notAttached = new LinkedHashMap<>();
        notAttached.put("flagged", 4L);
        notAttached.put("truePositive", 1L);
        notAttached.put("falsePositive", 3L);
        notAttached.put("precision", 0.25);
        notAttached.put("recall", null);
        Map<String, Object> byRule = new LinkedHashMap<>();
        byRule.put("ATTACHED_TWICE", attachedTwice);
        byRule.put("NOT_ATTACHED_NO_REFERRAL", notAttached);
        Map<String, Object> fraud = new LinkedHashMap<>();
        fraud.put("precision", 0.9);
        fraud.put("recall", 1.0);
        fraud.put("persons", 3000);
        fraud.put("labelledVisits", 27L);
        fraud.put("falsePositive", 3L);
        fraud.put("falsePositiveVisitsUnderASharedIin", 2L);
        fraud.put("byRule", byRule);
        Report.write(docs, run("2030-01-01T00:00:00Z", "fraudAccuracyInProcess", fraud));
        Report.write(docs, run("2030-02-01T00:00:00Z", "rawKafkaProducer", Map.of("recordsPerSecond", 111L)));

        String md = Files.readString(docs.resolve("benchmarks.md"));
        assertThat(md).contains("| Fraud monitor accuracy, in process (per rule, simulator labels) | precision 0.9, recall 1.0 (3,000 persons, "
                + "27 labelled visits; 2 of the 3 falsely flagged visits are of persons under an IIN several enterprise patients share, "
                + "flagged identityInReview); per rule ATTACHED_TWICE 1.0/1.0, NOT_ATTACHED_NO_REFERRAL 0.25/– (3 false positives) "
                + "(precision/recall) | M1 | not recorded | 2030-01-01 00:00 |");
    }

    @Test
    void each_machine_is_described_once_and_each_row_names_its_machine_and_its_own_load(@TempDir Path docs) throws Exception {
        Map<String, Object> older = machine("Linux 6.1-old amd64", "shared by several engineers' builds and tests while measuring");
        Map<String, Object> newer = machine("Linux 6.18-new amd64", "load average when the run began 5.75 / 6.82 / 9.58 (1 / 5 / 15 min)");
        Map<String, Object> newerLater = machine("Linux 6.18-new amd64", "load average when the run began 8.83 / 12.21 / 11.97 (1 / 5 / 15 min)");
        Map<String, Object> defaults = new LinkedHashMap<>();
        defaults.put("shared_buffers", "128MB (the default value, set by configuration file)");
        defaults.put("autovacuum", "off (set by configuration file)");
        Map<String, Object> tuned = new LinkedHashMap<>();
        tuned.put("shared_buffers", "3GB (set by configuration file)");
        tuned.put("max_wal_size", "8GB (set by configuration file)");
        tuned.put("fsync", "on (default)");
        Report.write(docs, run("2030-01-01T00:00:00Z", "rawKafkaProducer", Map.of("recordsPerSecond", 111L, "megabytesPerSecond", 7.5), older, null));
        Report.write(docs, run("2030-02-01T00:00:00Z", "rawPostgresInsert", Map.of("rowsPerSecond", 222L, "batch", 1000), newer, defaults));
        Report.write(docs, run("2030-03-01T00:00:00Z", "capitationRun", Map.of("persons", 3L, "requestSeconds", 0.5), newerLater, tuned));

        String md = Files.readString(docs.resolve("benchmarks.md"));
        String summary = md.substring(md.indexOf("## Current figures"), md.indexOf("\n## ", md.indexOf("## Current figures") + 1));
        // machines are labelled in the order of the rows (Kafka, PostgreSQL, capitation); the load stays with its row
        assertThat(summary).contains("| Raw Kafka producer (reference) | 111 records/s (7.5 MB/s) | M1 | not recorded (shared by several engineers' "
                + "builds and tests while measuring) | 2030-01-01 00:00 | not recorded |");
        assertThat(summary).contains("| Raw PostgreSQL batched inserts (reference) | 222 rows/s (batches of 1000) | M2 | 5.75 / 6.82 / 9.58 | 2030-02-01 00:00 | "
                + "built-in values but autovacuum off |");
        assertThat(summary).contains("| Capitation run (running platform) | 3 persons in 0.5 s | M2 | 8.83 / 12.21 / 11.97 | 2030-03-01 00:00 | "
                + "tuned: shared_buffers 3GB, max_wal_size 8GB |");
        assertThat(summary).contains("| M1 | 2 CPUs Test CPU, 2.0 GiB | Linux 6.1-old amd64 | Test JVM 17 |\n| M2 | 2 CPUs Test CPU, 2.0 GiB | Linux 6.18-new amd64 | Test JVM 17 |\n");
        assertThat(md.split("Linux 6.18-new amd64", -1)).hasSize(2);
        assertThat(md.split("Linux 6.1-old amd64", -1)).hasSize(2);
        assertThat(md).doesNotContain("Machine 2 CPUs");
        assertThat(md).contains("on M2 (load average at start 8.83 / 12.21 / 11.97); PostgreSQL shared_buffers 3GB (set by configuration file)");
        // the raw figures stay as measured
        String json = Files.readString(docs.resolve("benchmarks.json"));
        assertThat(json).contains("load average when the run began 8.83 / 12.21 / 11.97 (1 / 5 / 15 min)").contains("\"memory\" : \"2097152 kB\"");
    }

    @Test
    void a_row_measured_with_jvm_options_shows_them_in_its_command_and_one_on_defaults_does_not(@TempDir Path docs) throws Exception {
        Map<String, Object> withOptions = run("2030-01-01T00:00:00Z", "rawKafkaProducer", Map.of("recordsPerSecond", 111L));
        withOptions.put("javaOptions", "-XX:-UseOnStackReplacement");
        withOptions.put("command", Report.withJavaOptions("-XX:-UseOnStackReplacement", "./ehr bench --only rawKafkaProducer"));
        Report.write(docs, withOptions);
        Report.write(docs, run("2030-02-01T00:00:00Z", "rawPostgresInsert", Map.of("rowsPerSecond", 222L)));

        String md = Files.readString(docs.resolve("benchmarks.md"));
        assertThat(md).contains("| `EHR_JAVA_OPTS=\"-XX:-UseOnStackReplacement\" ./ehr bench --only rawKafkaProducer` |")
                .contains("Reproduce: `EHR_JAVA_OPTS=\"-XX:-UseOnStackReplacement\" ./ehr bench --only rawKafkaProducer`")
                .contains("by `EHR_JAVA_OPTS=\"-XX:-UseOnStackReplacement\" ./ehr bench --only rawKafkaProducer`");
        assertThat(md).contains("| `./ehr bench --only rawPostgresInsert` |");
        assertThat(md.split("UseOnStackReplacement", -1)).as("only the row measured with it, its reproduce and run lines").hasSize(4);
    }

    @Test
    void a_services_work_counters_are_read_by_series_and_given_per_1000_records() {
        String before = """
                # HELP ehr_billing_fraud_screening_rows_read_total Visit rows the fraud monitor read
                # TYPE ehr_billing_fraud_screening_rows_read_total counter
                ehr_billing_fraud_screening_rows_read_total{scope="doctor_day"} 1000.0
                ehr_billing_fraud_screening_rows_read_total{scope="person"} 10.0
                ehr_billing_fraud_flags_raised_total{rule="GHOST_PATIENT"} 3.0
                """;
        String after = before.replace("} 1000.0", "} 13500.0").replace("} 10.0", "} 10.0");
        Map<String, Double> a = ServiceProbe.series(before, PipelineBench.WORK_COUNTERS);
        assertThat(a).containsOnlyKeys("ehr_billing_fraud_screening_rows_read_total{scope=\"doctor_day\"}",
                "ehr_billing_fraud_screening_rows_read_total{scope=\"person\"}");
        assertThat(PipelineBench.workPer1000(a, ServiceProbe.series(after, PipelineBench.WORK_COUNTERS), 2000))
                .as("only what moved, per 1,000 records").isEqualTo("ehr_billing_fraud_screening_rows_read_total{scope=\"doctor_day\"} 6250.0");
        assertThat(PipelineBench.workPer1000(Map.of(), Map.of(), 2000)).isEmpty();
        assertThat(PipelineBench.workPer1000(Map.of(), ServiceProbe.series(after, PipelineBench.WORK_COUNTERS), 2000))
                .as("no first reading: the count since start is not the run's").isEmpty();
    }

    @Test
    void a_services_jvm_options_are_its_X_arguments_before_the_jar() {
        assertThat(ServiceProbe.jvmOptions(new String[] {"java", "-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC", "-Xmx512m",
                "-Dquarkus.http.port=8084", "-jar", "/x/quarkus-run.jar", "-Xnot-an-option"}))
                .isEqualTo("-XX:+ExitOnOutOfMemoryError -XX:+UseSerialGC -Xmx512m");
        assertThat(ServiceProbe.jvmOptions(new String[] {"java", "-Xmx1g", "-cp", "-Xlooks-like-one:lib/*", "kz.ehr.local.LocalKafkaBroker"}))
                .isEqualTo("-Xmx1g");
        assertThat(ServiceProbe.jvmOptions(ProcessHandle.current().pid())).as("this test JVM's, read from /proc").isNotEqualTo("unknown");
    }

    @Test
    void the_report_mode_renders_from_benchmarks_json_without_touching_broker_credentials(@TempDir Path docs) throws Exception {
        Report.write(docs, run("2030-01-01T00:00:00Z", "rawKafkaProducer", Map.of("recordsPerSecond", 111L)));
        Files.delete(docs.resolve("benchmarks.md"));
        Path credentials = docs.resolve("no-credentials-here");

        Bench.main(new String[] {"--only", "report", "--out", docs.toString(), "--kafka-credentials", credentials.toString()});

        assertThat(Files.readString(docs.resolve("benchmarks.md"))).contains("| Raw Kafka producer (reference) | 111 records/s");
        assertThat(credentials).doesNotExist();
    }

    private static Map<String, Object> run(String date, String key, Map<String, Object> figures) {
        return run(date, key, figures, Map.of("cpus", 2, "cpuModel", "Test CPU", "memory", "2097152 kB"), null);
    }

    private static Map<String, Object> run(String date, String key, Map<String, Object> figures, Map<String, Object> machine,
                                           Map<String, Object> postgres) {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("date", date);
        report.put("command", "./ehr bench");
        report.put("machine", machine);
        if (postgres != null) {
            report.put("postgres", postgres);
        }
        Map<String, Object> s = new LinkedHashMap<>(figures);
        s.put("command", "./ehr bench --only " + key);
        report.put("scenarios", new LinkedHashMap<>(Map.of(key, s)));
        return report;
    }

    private static Map<String, Object> machine(String os, String note) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpus", 2);
        m.put("cpuModel", "Test CPU");
        m.put("memory", "2097152 kB");
        m.put("os", os);
        m.put("java", "Test JVM 17");
        m.put("note", note);
        return m;
    }

    private static List<PreparedLoad.Batch> batches(PreparedLoad load) throws Exception {
        List<PreparedLoad.Batch> out = new ArrayList<>();
        load.forEach(out::add);
        return out;
    }

    private static byte[] body(PreparedLoad.Batch b) {
        return Arrays.copyOfRange(b.bytes(), b.offset(), b.offset() + b.length());
    }

    private static Set<Path> tempBatchFiles() throws Exception {
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return new HashSet<>(files.filter(p -> p.getFileName().toString().startsWith("ehr-pipeline-")).toList());
        }
    }

    private static String prefix(String provider) {
        return switch (provider) {
            case "damumed" -> "dm-";
            case "kmis" -> "km-";
            default -> "me-";
        };
    }
}
