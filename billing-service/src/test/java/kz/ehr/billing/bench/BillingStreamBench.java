package kz.ehr.billing.bench;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.avro.specific.SpecificRecordBase;
import org.flywaydb.core.Flyway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import kz.ehr.billing.config.Policies;
import kz.ehr.billing.fraud.FraudPolicy;
import kz.ehr.billing.fraud.service.FraudMonitor;
import kz.ehr.billing.projection.BillingIngest;
import kz.ehr.billing.projection.BillingProjection;
import kz.ehr.events.Attachment;
import kz.ehr.events.Death;
import kz.ehr.events.Encounter;
import kz.ehr.events.EventCodec;
import kz.ehr.events.Envelopes;
import kz.ehr.events.GoldenRecord;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.Hospitalization;
import kz.ehr.events.Insurance;
import kz.ehr.events.MpiLinkEvent;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.SourceRef;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.identity.Iin;
import kz.ehr.local.Databases;
import kz.ehr.simulator.output.SourceRecord;
import kz.ehr.simulator.output.Simulation;
import kz.ehr.simulator.output.RecordSink;

/**
 * Billing's statement budget on a realistic stream: the provider simulator's records (three providers, every record
 * type, their error profiles and the fraud mix, in generation order as the pipeline benchmark sends them) as the
 * events ingestion publishes, plus an {@code mpi.links.v1} LINKED event per PATIENT record (the simulator's truth as a
 * perfect index: every source of the person, the golden IIN the first valid one), delivered one batch later. Batches
 * of {@code bench.batch} (5,000, billing.consumer.max-batch: a billing behind the load polls full batches) are applied
 * exactly as the consumer does ({@link BillingIngest#parts}, one or two transactions, the prefetch on a second
 * connection).
 * <p>
 * Reports per 1,000 records: the CPU of both server backends and of this JVM, and per statement (from auto_explain in
 * the server log: {@code -Dbench.pglog}, default the Debian cluster's log; the bench must be able to read it) calls,
 * rows, shared buffer hits/reads/dirtied and the share of the logged execution time. Buffers and calls do not depend on
 * what else the machine runs; times do. auto_explain is loaded into the bench's own two sessions only, and makes the
 * server slower while measured: {@code -Dbench.explain=false} for the CPU figures alone. Database
 * {@code ehr_billing_stream<EHR_TEST_DB_SUFFIX>}, recreated each run.
 * <p>
 * {@code mvn -B -o -q -pl billing-service -am test-compile -DskipTests && mvn -B -o -q -pl billing-service exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=kz.ehr.billing.bench.BillingStreamBench -Dexec.args="100000"}
 */
public final class BillingStreamBench {
    static final ZoneId ZONE = ZoneId.of("Asia/Almaty");
    static final EventCodec<HealthRecordEvent> RECORDS = EventCodec.of(HealthRecordEvent.class);
    static final EventCodec<MpiLinkEvent> LINKS = EventCodec.of(MpiLinkEvent.class);

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 7;
        int batchSize = Integer.getInteger("bench.batch", 5_000);
        boolean explain = !"false".equals(System.getProperty("bench.explain"));
        String suffix = System.getenv().getOrDefault("EHR_TEST_DB_SUFFIX", "").toLowerCase();
        String db = "ehr_billing_stream" + suffix;
        Databases.ensure(BillingBench.HOST, BillingBench.PORT, BillingBench.USER, BillingBench.PASSWORD, db, true);
        String url = "jdbc:postgresql://" + BillingBench.HOST + ":" + BillingBench.PORT + "/" + db;
        Flyway.configure().dataSource(url, BillingBench.USER, BillingBench.PASSWORD).locations("classpath:db/migration").load().migrate();

        long t = System.nanoTime();
        List<Delivery<SpecificRecordBase>> stream = generate(records, seed);
        System.out.printf("generated %,d records + %,d MPI links (seed %d) in %.1f s%n", records, stream.size() - records, seed,
                BillingBench.secs(t));

        Policies policies = new Policies(new kz.ehr.billing.capitation.CapitationPolicies(List.of(
                BillingBench.policy("2020-01-01", "1.0", "1.0"), BillingBench.policy("2025-10-01", "0.8", "0.9"))), FraudPolicy.defaults(), ZONE);
        BillingIngest ingest = BillingIngest.of(BillingProjection.of(policies), FraudMonitor.of(policies));
        String log = System.getProperty("bench.pglog", "/var/log/postgresql/postgresql-15-main.log");
        try (Connection c = DriverManager.getConnection(url, BillingBench.USER, BillingBench.PASSWORD);
             Connection second = DriverManager.getConnection(url, BillingBench.USER, BillingBench.PASSWORD)) {
            c.setAutoCommit(false);
            Set<Integer> pids = new LinkedHashSet<>();
            for (Connection x : List.of(c, second)) {
                try (Statement st = x.createStatement()) {
                    try (ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                        rs.next();
                        pids.add(rs.getInt(1));
                    }
                    if (explain) {
                        st.execute("LOAD 'auto_explain'");
                        st.execute("SET auto_explain.log_min_duration = 0");
                        st.execute("SET auto_explain.log_analyze = on");
                        st.execute("SET auto_explain.log_buffers = on");
                        st.execute("SET auto_explain.log_timing = off");
                        st.execute("SET auto_explain.log_format = json");
                        st.execute("SET auto_explain.log_nested_statements = on");
                    }
                }
                if (x == c) {
                    c.commit();
                }
            }
            BillingIngest.OutsideConnection outside = BillingBench.outside(second);
            long logStart = explain ? new java.io.File(log).length() : 0;
            double[] cpu0 = BillingBench.cpuSeconds(c, second);
            // the JVM's CPU in this short run is mostly its JIT compiling the apply path (and GC): the applying thread's own
            // CPU is what a warm service spends per delivery
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long applyCpu0 = threads.getCurrentThreadCpuTime();
            double[] jvm0 = BillingBench.gcAndJit();
            t = System.nanoTime();
            int batches = 0;
            for (int from = 0; from < stream.size(); from += batchSize) {
                List<Delivery<SpecificRecordBase>> batch = stream.subList(from, Math.min(stream.size(), from + batchSize));
                apply(ingest, c, outside, batch);
                batches++;
            }
            double wall = BillingBench.secs(t);
            double[] cpu1 = BillingBench.cpuSeconds(c, second);
            double applyCpu = (threads.getCurrentThreadCpuTime() - applyCpu0) / 1e9;
            double[] jvm1 = BillingBench.gcAndJit();
            double k = stream.size() / 1000.0;
            System.out.printf("applied %,d deliveries in %d batches of ≤ %,d: %.1f s wall (%,.0f/s; shared machine: wall is noisy)%n",
                    stream.size(), batches, batchSize, wall, stream.size() / wall);
            System.out.printf("CPU s per 1,000 deliveries: server backends %.4f (batch %.4f + prefetch %.4f), this JVM %.4f%s%n",
                    (cpu1[1] - cpu0[1] + cpu1[2] - cpu0[2]) / k, (cpu1[1] - cpu0[1]) / k, (cpu1[2] - cpu0[2]) / k, (cpu1[0] - cpu0[0]) / k,
                    explain ? " (auto_explain on: the server's CPU includes its instrumentation)" : "");
            System.out.printf("  of the JVM: the applying thread %.4f CPU s per 1,000; GC %.1f s and JIT %.1f s (elapsed, all threads) in the run%n",
                    applyCpu / k, jvm1[0] - jvm0[0], jvm1[1] - jvm0[1]);
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT (SELECT count(*) FROM visit), (SELECT count(*) FROM person), (SELECT count(*) FROM fraud_flag),"
                            + " (SELECT count(*) FROM fraud_flag WHERE state = 'OPEN'), (SELECT count(*) FROM outbox),"
                            + " (SELECT count(*) FROM visit WHERE flagged), (SELECT count(*) FROM person_event),"
                            + " (SELECT string_agg(rule || '=' || n, ' ' ORDER BY rule) FROM (SELECT rule_id AS rule, count(*) n FROM fraud_flag GROUP BY rule_id) r)")) {
                rs.next();
                System.out.printf("result: visits %,d, persons %,d, flags %,d (OPEN %,d), outbox %,d, flagged visits %,d, events %,d; %s%n",
                        rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7),
                        rs.getString(8));
            }
            c.commit();
            if (explain) {
                awaitLogged(c, log, logStart);
                statements(log, logStart, pids, k);
            }
        }
    }

    /** As {@link BillingIngest#handle}: the parts in order, each in its own transaction. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static void apply(BillingIngest ingest, Connection c, BillingIngest.OutsideConnection outside,
                      List<Delivery<SpecificRecordBase>> batch) throws Exception {
        List<Delivery<HealthRecordEvent>> records = new ArrayList<>();
        List<Delivery<MpiLinkEvent>> links = new ArrayList<>();
        for (Delivery d : batch) {
            if (d.value() instanceof HealthRecordEvent) {
                records.add(d);
            } else {
                links.add(d);
            }
        }
        for (BillingIngest.Part part : BillingIngest.parts(records, links)) {
            try {
                ingest.apply(c, outside, part.records(), part.links());
                c.commit();
            } catch (Exception e) {
                c.rollback();
                throw e;
            }
        }
    }

    // ---- the stream ----

    /** The simulator's records as ingestion publishes them, and an MPI link per PATIENT record one batch later. */
    static List<Delivery<SpecificRecordBase>> generate(int records, long seed) throws Exception {
        // ~13.6 records a person (the pipeline benchmark's mix): persons to spare, the stream is cut at `records`
        return generate(records, seed, Math.max(200, records / 10), null);
    }

    /** The stream of {@code persons} simulated people, cut at {@code records}; {@code labels} (if given) gets the fraud truth. */
    static List<Delivery<SpecificRecordBase>> generate(int records, long seed, int persons,
                                                       Map<String, kz.ehr.simulator.fraud.FraudType> labels) throws Exception {
        List<String> providers = List.of("damumed", "kmis", "medelement");
        Simulation sim = new Simulation(Simulation.Settings.of(persons, providers, seed));
        List<Delivery<SpecificRecordBase>> out = new ArrayList<>((int) Math.min(records + records / 8L, persons * 16L));
        int linkDelay = Integer.getInteger("bench.batch", 5_000);
        Map<String, String> personOfSource = new HashMap<>();
        Map<String, Set<String>> sourcesOfPerson = new HashMap<>();
        Map<String, String> iinOfPerson = new HashMap<>();
        // links become due linkDelay records after their PATIENT record: the index's latency, about one batch
        java.util.ArrayDeque<Object[]> pendingLinks = new java.util.ArrayDeque<>();
        long[] offset = {0};
        class Enough extends RuntimeException {
        }
        RecordSink sink = new RecordSink() {
            int n;

            @Override
            public void truthPerson(String providerId, String localId, String personId) {
                personOfSource.put(providerId + ":" + localId, personId);
                sourcesOfPerson.computeIfAbsent(personId, p -> new LinkedHashSet<>()).add(providerId + ":" + localId);
            }

            @Override
            public void truthFraud(String providerId, String recordId, kz.ehr.simulator.fraud.FraudType type) {
                if (labels != null) {
                    labels.put(providerId + ":" + recordId, type);
                }
            }

            @Override
            public void record(SourceRecord r) {
                if (n >= records) {
                    throw new Enough();
                }
                n++;
                HealthRecordEvent e = event(r);
                String key = r.providerId() + ":" + r.patient().localId();
                String person = personOfSource.get(key);
                if ("VALID".equals(e.getPatient().getIinStatus()) && person != null) {
                    iinOfPerson.putIfAbsent(person, e.getPatient().getIin());
                }
                Topics topic = switch (r.type().name()) {
                    case "PATIENT" -> Topics.PATIENTS;
                    case "ATTACHMENT", "INSURANCE", "DISPENSARY", "DEATH" -> Topics.REGISTRY;
                    default -> Topics.CARE;
                };
                out.add(delivery(topic.topic, offset[0]++, key, e, RECORDS.encode(e)));
                if ("PATIENT".equals(r.type().name()) && person != null) {
                    pendingLinks.add(new Object[] {out.size() + linkDelay, person, r.providerId(), r.patient().localId(), e.getPatient()});
                }
                while (!pendingLinks.isEmpty() && (int) pendingLinks.peek()[0] <= out.size()) {
                    Object[] l = pendingLinks.poll();
                    MpiLinkEvent link = link((String) l[1], (String) l[2], (String) l[3], (PatientInfo) l[4], sourcesOfPerson.get(l[1]),
                            iinOfPerson.get(l[1]));
                    out.add(delivery(Topics.MPI_LINKS.topic, offset[0]++, link.getEnterpriseId(), link, LINKS.encode(link)));
                }
            }
        };
        try {
            sim.run(sink);
        } catch (Enough enough) {
            // exactly `records` records
        }
        while (!pendingLinks.isEmpty()) {
            Object[] l = pendingLinks.poll();
            MpiLinkEvent link = link((String) l[1], (String) l[2], (String) l[3], (PatientInfo) l[4], sourcesOfPerson.get(l[1]),
                    iinOfPerson.get(l[1]));
            out.add(delivery(Topics.MPI_LINKS.topic, offset[0]++, link.getEnterpriseId(), link, LINKS.encode(link)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Delivery<SpecificRecordBase> delivery(String topic, long offset, String key, SpecificRecordBase value, byte[] raw) {
        return new Delivery<>(topic, 0, offset, key, value, raw);
    }

    static MpiLinkEvent link(String person, String provider, String localId, PatientInfo p, Set<String> sources, String iin) {
        String enterprise = java.util.UUID.nameUUIDFromBytes(person.getBytes(StandardCharsets.UTF_8)).toString();
        List<SourceRef> refs = new ArrayList<>();
        for (String s : sources) {
            int colon = s.indexOf(':');
            refs.add(SourceRef.newBuilder().setProviderId(s.substring(0, colon)).setLocalId(s.substring(colon + 1)).setIin(null).build());
        }
        Instant now = Instant.now();
        return MpiLinkEvent.newBuilder()
                .setEnvelope(Envelopes.of(Envelopes.stableEventId("bench-link", provider, localId), "MpiLinkEvent.LINKED", "patient-index",
                        provider + ":" + localId, now, now, null))
                .setLinkEventType("LINKED").setEnterpriseId(enterprise).setPreviousEnterpriseId(null).setSourceProviderId(provider)
                .setSourceLocalId(localId).setSourceIin(p.getIin()).setScore(1.0).setReason(null)
                .setGolden(GoldenRecord.newBuilder().setIin(iin).setLastName(p.getLastName()).setFirstName(p.getFirstName())
                        .setMiddleName(p.getMiddleName()).setBirthDate(p.getBirthDate()).setSex(p.getSex()).setPhone(p.getPhone())
                        .setAddress(p.getAddress()).build())
                .setLinkedSources(refs).build();
    }

    /** The event ingestion would publish for the record (the fields billing reads; the others' blocks left out). */
    static HealthRecordEvent event(SourceRecord r) {
        var sp = r.patient();
        LocalDate birth = date(sp.birthDate());
        String status = sp.iin() == null || sp.iin().isBlank() ? "MISSING" : Iin.problem(sp.iin(), LocalDate.now(ZONE)).isPresent() ? "INVALID" : "VALID";
        PatientInfo patient = PatientInfo.newBuilder().setLocalId(sp.localId()).setIin(sp.iin()).setIinStatus(status)
                .setLastName(sp.lastName()).setFirstName(sp.firstName()).setMiddleName(sp.middleName()).setBirthDate(birth)
                .setSex("M".equals(sp.sex()) || "F".equals(sp.sex()) ? sp.sex() : null).setPhone(sp.phone()).setAddress(sp.address())
                .build();
        Map<String, Object> b = r.block();
        HealthRecordEvent.Builder e = HealthRecordEvent.newBuilder()
                .setEnvelope(Envelopes.of(Envelopes.stableEventId("bench", r.providerId(), r.recordId()), r.type().name(), r.providerId(),
                        r.recordId(), r.occurredAt().toInstant(), Instant.now(), null))
                .setRecordType(r.type().name()).setRecordVersion(1).setPatient(patient).setWarnings(List.of());
        switch (r.type().name()) {
            case "ATTACHMENT" -> e.setAttachment(Attachment.newBuilder().setPolyclinicBin(str(b, "polyclinicBin")).setRegion(str(b, "region"))
                    .setFrom(date(str(b, "from"))).setTo(date(str(b, "to"))).build());
            case "INSURANCE" -> e.setInsurance(Insurance.newBuilder().setInsured(Boolean.TRUE.equals(b.get("insured")))
                    .setFrom(date(str(b, "from"))).setTo(date(str(b, "to"))).build());
            case "ENCOUNTER" -> {
                @SuppressWarnings("unchecked")
                List<String> services = b.get("services") == null ? List.of() : (List<String>) b.get("services");
                @SuppressWarnings("unchecked")
                List<String> diagnoses = b.get("diagnoses") == null ? List.of() : (List<String>) b.get("diagnoses");
                e.setEncounter(Encounter.newBuilder().setEncounterId(str(b, "encounterId")).setPolyclinicBin(str(b, "polyclinicBin"))
                        .setDoctorId(str(b, "doctorId")).setStart(instant(b.get("start"))).setEnd(instant(b.get("end")))
                        .setKind(str(b, "kind")).setScreening(str(b, "screening")).setDiagnoses(diagnoses).setServices(services)
                        .setReferral(Boolean.TRUE.equals(b.get("referral"))).build());
            }
            case "HOSPITALIZATION" -> e.setHospitalization(Hospitalization.newBuilder().setFacilityBin(str(b, "facilityBin"))
                    .setAdmittedAt(instant(b.get("admittedAt"))).setDischargedAt(instant(b.get("dischargedAt"))).build());
            case "DEATH" -> e.setDeath(Death.newBuilder().setDate(date(str(b, "date"))).build());
            default -> {
                // observations, immunizations, exams, dispensary: billing keeps them in the event log only
            }
        }
        return e.build();
    }

    static String str(Map<String, Object> b, String key) {
        Object v = b.get(key);
        return v == null ? null : v.toString();
    }

    static LocalDate date(String s) {
        try {
            return s == null ? null : LocalDate.parse(s);
        } catch (java.time.format.DateTimeParseException e) {
            return null; // a provider's other format: ingestion would parse it; billing's figures do not need it
        }
    }

    static Instant instant(Object v) {
        if (v == null) {
            return null;
        }
        return v instanceof OffsetDateTime o ? o.toInstant() : OffsetDateTime.parse(v.toString()).toInstant();
    }

    // ---- the statement budget from auto_explain ----

    static final Pattern ENTRY = Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d+ \\S+ \\[(\\d+)\\] ");
    static final Pattern DURATION = Pattern.compile("LOG:  duration: ([0-9.]+) ms  plan:");

    static final class Stat {
        long calls;
        long rows;
        long hit;
        long read;
        long dirtied;
        double ms;
    }

    /**
     * Waits until the server log holds everything the bench's sessions logged: a marker raised at LOG level on the batch
     * session after its last statement is written after their entries, so the log is complete for them once it shows.
     */
    static void awaitLogged(Connection c, String log, long from) throws Exception {
        String marker = "billing-stream-bench done " + java.util.UUID.randomUUID();
        try (Statement st = c.createStatement()) {
            st.execute("DO $$BEGIN RAISE LOG '" + marker + "'; END$$");
        }
        c.commit();
        long[] scanned = {from};
        await("the server log " + log + " shows the bench's end marker").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    try (RandomAccessFile f = new RandomAccessFile(log, "r")) {
                        long start = Math.max(from, scanned[0] - marker.length()); // a marker cut by the last read
                        byte[] tail = new byte[(int) (f.length() - start)];
                        f.seek(start);
                        f.readFully(tail);
                        scanned[0] = start + tail.length;
                        return new String(tail, StandardCharsets.ISO_8859_1).contains(marker);
                    }
                });
    }

    /** Groups the auto_explain entries of the bench's backends by statement text and prints them per 1,000 deliveries. */
    static void statements(String log, long from, Set<Integer> pids, double k) throws IOException {
        byte[] bytes;
        try (RandomAccessFile f = new RandomAccessFile(log, "r")) {
            bytes = new byte[(int) (f.length() - from)];
            f.seek(from);
            f.readFully(bytes);
        }
        ObjectMapper json = new ObjectMapper();
        Map<String, Stat> stats = new LinkedHashMap<>();
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n");
        for (int i = 0; i < lines.length; i++) {
            Matcher m = ENTRY.matcher(lines[i]);
            if (!m.find() || !pids.contains(Integer.parseInt(m.group(1)))) {
                continue;
            }
            Matcher dm = DURATION.matcher(lines[i]);
            if (!dm.find()) {
                continue;
            }
            StringBuilder body = new StringBuilder(lines[i].substring(dm.end()));
            while (i + 1 < lines.length && !ENTRY.matcher(lines[i + 1]).find()) {
                body.append('\n').append(lines[++i]);
            }
            JsonNode entry = json.readTree(body.toString());
            String text = entry.path("Query Text").asText().replaceAll("\\s+", " ").trim();
            JsonNode plan = entry.path("Plan");
            Stat s = stats.computeIfAbsent(text, x -> new Stat());
            s.calls++;
            s.ms += Double.parseDouble(dm.group(1));
            JsonNode rowsNode = "ModifyTable".equals(plan.path("Node Type").asText()) && plan.has("Plans")
                    ? plan.path("Plans").get(0) : plan;
            s.rows += rowsNode.path("Actual Rows").asLong() * Math.max(1, rowsNode.path("Actual Loops").asLong());
            s.hit += plan.path("Shared Hit Blocks").asLong();
            s.read += plan.path("Shared Read Blocks").asLong();
            s.dirtied += plan.path("Shared Dirtied Blocks").asLong();
        }
        double totalMs = stats.values().stream().mapToDouble(x -> x.ms).sum();
        long totalHit = stats.values().stream().mapToLong(x -> x.hit).sum();
        long totalCalls = stats.values().stream().mapToLong(x -> x.calls).sum();
        System.out.printf("statements (auto_explain, both backends; nested statements included): %,.1f calls, %,.0f buffer hits, %,.1f reads,"
                + " %,.1f dirtied per 1,000 deliveries%n", totalCalls / k, totalHit / k,
                stats.values().stream().mapToLong(x -> x.read).sum() / k, stats.values().stream().mapToLong(x -> x.dirtied).sum() / k);
        System.out.println("| time % | calls/1k | rows/1k | hits/1k | reads/1k | dirtied/1k | statement |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---|");
        TreeMap<Double, Map.Entry<String, Stat>> sorted = new TreeMap<>();
        int n = 0;
        for (Map.Entry<String, Stat> e : stats.entrySet()) {
            sorted.put(-e.getValue().ms - (n++) * 1e-9, e);
        }
        int top = Integer.getInteger("bench.top", 25);
        for (Map.Entry<String, Stat> e : sorted.values()) {
            if (top-- == 0) {
                break;
            }
            Stat s = e.getValue();
            String text = e.getKey();
            System.out.printf("| %.1f | %.2f | %.0f | %.0f | %.1f | %.1f | %s |%n", 100 * s.ms / totalMs, s.calls / k, s.rows / k, s.hit / k,
                    s.read / k, s.dirtied / k, text.length() > 160 ? text.substring(0, 160) + "…" : text);
        }
    }
}
