package kz.ehr.mpi.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.postgresql.ds.PGSimpleDataSource;

import kz.ehr.events.Attachment;
import kz.ehr.events.Death;
import kz.ehr.events.Dispensary;
import kz.ehr.events.Encounter;
import kz.ehr.events.EventCodec;
import kz.ehr.events.Envelopes;
import kz.ehr.events.Exam;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.Hospitalization;
import kz.ehr.events.Immunization;
import kz.ehr.events.Insurance;
import kz.ehr.events.Observation;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.identity.Iin;
import kz.ehr.mpi.linking.LinkingEngine;
import kz.ehr.mpi.linking.PatientLinker;
import kz.ehr.mpi.records.RecordLocator;
import kz.ehr.simulator.output.RecordSink;
import kz.ehr.simulator.output.Simulation;
import kz.ehr.simulator.output.SourceRecord;

/**
 * The patient index's CPU per consumed record on the simulator's stream: the provider simulator's first N records (three
 * providers, every record type, seed 7, ~13.6 records a person as in the pipeline benchmark) as the events ingestion
 * publishes, encoded, then decoded and applied exactly as the service's two consumers do: {@code patient-index}
 * ({@link PatientLinker#incoming} → {@link LinkingEngine#link}, read-ahead on pooled connections; batches of 5,000
 * PATIENT records, ehr.mpi.batch-size) and {@code patient-index-locator} ({@link RecordLocator#append}; batches of 1,000
 * registry and care records, CareRecordsConsumer's max poll), full batches in stream order (a consumer behind the load).
 * The first {@code bench.warmup} records are applied unmeasured (the JIT). Reports CPU seconds per 1,000 deliveries of
 * the server backends (from /proc: the server runs here) and of this JVM, each split by consumer, and what was stored,
 * so a change can show the same result. Database {@code ehr_mpi_stream<EHR_TEST_DB_SUFFIX>}, recreated each run.
 * <p>
 * Command and current figures: docs/benchmarks/patient-index-service.md, "CPU per consumed record on the simulator's stream".
 */
public final class MpiStreamBench {
    static final ZoneId ZONE = ZoneId.of("Asia/Almaty");
    static final EventCodec<HealthRecordEvent> CODEC = EventCodec.of(HealthRecordEvent.class);

    private MpiStreamBench() {
    }

    /** One published record: its topic and bytes (decoded at apply time, as the consumer loop does). */
    record Published(String topic, String key, byte[] raw) {
    }

    /** CPU seconds of one consumer: this JVM's and the server backends'. */
    static final class Cpu {
        double jvm;
        double server;
        long deliveries;
        int batches;
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 7;
        int warmup = Integer.getInteger("bench.warmup", records / 4);
        int linkBatch = Integer.getInteger("bench.link-batch", 5_000);
        int locatorBatch = Integer.getInteger("bench.locator-batch", 1_000);
        long t = System.nanoTime();
        List<Published> stream = cached(records, seed);
        System.out.printf("generated %,d records (seed %d) in %.1f s%n", stream.size(), seed, (System.nanoTime() - t) / 1e9);

        PGSimpleDataSource ds = BenchDatabase.fresh("ehr_mpi_stream", true);
        ScaleBenchmark.printServerSettings(ds);
        javax.sql.DataSource pool = BenchDatabase.pooled(ds);
        LinkingEngine engine = new LinkingEngine(new kz.ehr.mpi.matching.Matcher(
                new kz.ehr.mpi.matching.FellegiSunterScorer(kz.ehr.mpi.matching.MatchWeights.defaults()), 29, 12));
        Cpu linking = new Cpu();
        Cpu locating = new Cpu();
        try (Connection c = pool.getConnection(); Connection monitor = ds.getConnection()) {
            c.setAutoCommit(false);
            // as the service's datasource (application.properties): JDBC batches go as multi-row statements
            if (!c.unwrap(org.postgresql.core.BaseConnection.class).getQueryExecutor().isReWriteBatchedInsertsEnabled()) {
                throw new IllegalStateException("the pool's connections must rewrite batched inserts, as the service's do");
            }
            int ownPid = pid(monitor);
            List<Published> patients = new ArrayList<>();
            List<Published> care = new ArrayList<>();
            for (int i = 0; i < stream.size(); i++) {
                if (i == warmup) {
                    // the warm-up's partial batches unmeasured, so the measured batches are all the stream's after it
                    link(engine, c, pool, patients, null, monitor, ownPid);
                    locate(c, care, null, monitor, ownPid);
                }
                Published p = stream.get(i);
                boolean measured = i >= warmup;
                if (Topics.PATIENTS.topic.equals(p.topic())) {
                    patients.add(p);
                    if (patients.size() == linkBatch) {
                        link(engine, c, pool, patients, measured ? linking : null, monitor, ownPid);
                    }
                } else {
                    care.add(p);
                    if (care.size() == locatorBatch) {
                        locate(c, care, measured ? locating : null, monitor, ownPid);
                    }
                }
            }
            link(engine, c, pool, patients, linking, monitor, ownPid);
            locate(c, care, locating, monitor, ownPid);
            report("patient-index (linking)", linking);
            report("patient-index-locator", locating);
            Cpu both = new Cpu();
            both.jvm = linking.jvm + locating.jvm;
            both.server = linking.server + locating.server;
            both.deliveries = linking.deliveries + locating.deliveries;
            report("both consumers", both);
            System.out.printf("(measured after %,d warm-up records; load average at the end %s)%n", warmup,
                    java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim());
            result(monitor);
        }
    }

    static void link(LinkingEngine engine, Connection c, javax.sql.DataSource pool, List<Published> batch, Cpu cpu, Connection monitor,
                     int ownPid) throws Exception {
        if (batch.isEmpty()) {
            return;
        }
        double[] before = cpu == null ? null : cpu(monitor, ownPid);
        List<Delivery<HealthRecordEvent>> deliveries = decode(batch);
        engine.link(c, PatientLinker.incoming(deliveries), pool::getConnection);
        c.commit();
        account(cpu, before, monitor, ownPid, batch.size());
        batch.clear();
    }

    static void locate(Connection c, List<Published> batch, Cpu cpu, Connection monitor, int ownPid) throws Exception {
        if (batch.isEmpty()) {
            return;
        }
        double[] before = cpu == null ? null : cpu(monitor, ownPid);
        RecordLocator.append(c, decode(batch));
        c.commit();
        account(cpu, before, monitor, ownPid, batch.size());
        batch.clear();
    }

    static List<Delivery<HealthRecordEvent>> decode(List<Published> batch) {
        List<Delivery<HealthRecordEvent>> out = new ArrayList<>(batch.size());
        long offset = 0;
        for (Published p : batch) {
            out.add(new Delivery<>(p.topic(), 0, offset++, p.key(), CODEC.decode(p.raw()), p.raw()));
        }
        return out;
    }

    static void account(Cpu cpu, double[] before, Connection monitor, int ownPid, int deliveries) throws Exception {
        if (cpu == null) {
            return;
        }
        double[] after = cpu(monitor, ownPid);
        cpu.jvm += after[0] - before[0];
        cpu.server += after[1] - before[1];
        cpu.deliveries += deliveries;
        cpu.batches++;
    }

    /** This JVM's CPU seconds and the sum over the database's backends but the monitor's own. */
    static double[] cpu(Connection monitor, int ownPid) throws Exception {
        double jvm = ScaleBenchmark.jvmCpu() / 1e9;
        double server = 0;
        for (var e : ScaleBenchmark.backendCpu(monitor).entrySet()) {
            if (e.getKey() != ownPid) {
                server += e.getValue() / 1e9;
            }
        }
        return new double[] {jvm, server};
    }

    static int pid(Connection c) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static void report(String what, Cpu cpu) {
        double k = cpu.deliveries / 1000.0;
        System.out.printf("%-24s %,9d deliveries: CPU s per 1,000 deliveries: server backends %.4f, this JVM %.4f%n", what,
                cpu.deliveries, cpu.server / k, cpu.jvm / k);
    }

    /** What the run stored: equal before and after a change of how it is stored. */
    static void result(Connection c) throws Exception {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT (SELECT count(*) FROM located_record),
                       (SELECT md5(string_agg(concat_ws('|', event_id, provider_id, local_id, iin, record_id, record_type,
                                   extract(epoch FROM occurred_at), facility, array_to_string(codes, ',', '~')), '/' ORDER BY event_id))
                        FROM located_record),
                       (SELECT count(*) FROM source_record), (SELECT count(DISTINCT enterprise_id) FROM source_record),
                       (SELECT md5(string_agg(provider_id || ':' || local_id || '=' || enterprise_id, '/' ORDER BY provider_id, local_id))
                        FROM source_record),
                       (SELECT count(*) FROM review), (SELECT count(*) FROM link_history), (SELECT count(*) FROM outbox)
                """)) {
            rs.next();
            System.out.printf("result: located records %,d (md5 %s); source records %,d on %,d enterprise patients (links md5 %s);"
                    + " reviews %,d, link history %,d, outbox %,d%n", rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4),
                    rs.getString(5), rs.getLong(6), rs.getLong(7), rs.getLong(8));
        }
    }

    // ---- the stream ----

    /** The stream from {@code bench.cache} (default /tmp) if an earlier run wrote it, else generated and written there. */
    static List<Published> cached(int records, long seed) throws Exception {
        java.nio.file.Path file = java.nio.file.Path.of(System.getProperty("bench.cache", System.getProperty("java.io.tmpdir")),
                "mpi-stream-" + records + "-" + seed + ".bin");
        if (java.nio.file.Files.exists(file)) {
            List<Published> out = new ArrayList<>(records);
            try (var in = new java.io.DataInputStream(new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(file)))) {
                for (int i = 0; i < records; i++) {
                    String topic = in.readUTF();
                    String key = in.readUTF();
                    byte[] raw = new byte[in.readInt()];
                    in.readFully(raw);
                    out.add(new Published(topic, key, raw));
                }
            }
            return out;
        }
        List<Published> out = generate(records, seed);
        java.nio.file.Path tmp = java.nio.file.Files.createTempFile(file.getParent(), "mpi-stream", ".tmp");
        try (var o = new java.io.DataOutputStream(new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(tmp)))) {
            for (Published p : out) {
                o.writeUTF(p.topic());
                o.writeUTF(p.key());
                o.writeInt(p.raw().length);
                o.write(p.raw());
            }
        }
        java.nio.file.Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return out;
    }

    /** The simulator's first {@code records} records as ingestion publishes them, in generation order. */
    static List<Published> generate(int records, long seed) throws Exception {
        List<String> providers = List.of("damumed", "kmis", "medelement");
        Simulation sim = new Simulation(Simulation.Settings.of(Math.max(200, records / 10), providers, seed));
        List<Published> out = new ArrayList<>(records);
        class Enough extends RuntimeException {
        }
        try {
            sim.run(new RecordSink() {
                @Override
                public void record(SourceRecord r) {
                    if (out.size() >= records) {
                        throw new Enough();
                    }
                    Topics topic = switch (r.type()) {
                        case PATIENT -> Topics.PATIENTS;
                        case ATTACHMENT, INSURANCE, DISPENSARY, DEATH -> Topics.REGISTRY;
                        default -> Topics.CARE;
                    };
                    out.add(new Published(topic.topic, r.providerId() + ":" + r.patient().localId(), CODEC.encode(event(r))));
                }
            });
        } catch (Enough enough) {
            // exactly `records` records
        }
        return out;
    }

    /** The event ingestion publishes for a simulated record (RecordValidator's blocks; dates it could not parse left out). */
    static HealthRecordEvent event(SourceRecord r) {
        var sp = r.patient();
        String status = sp.iin() == null || sp.iin().isBlank() ? "MISSING"
                : Iin.problem(sp.iin(), LocalDate.now(ZONE)).isPresent() ? "INVALID" : "VALID";
        PatientInfo patient = PatientInfo.newBuilder().setLocalId(sp.localId()).setIin(sp.iin()).setIinStatus(status)
                .setLastName(sp.lastName()).setFirstName(sp.firstName()).setMiddleName(sp.middleName()).setBirthDate(date(sp.birthDate()))
                .setSex("M".equals(sp.sex()) || "F".equals(sp.sex()) ? sp.sex() : null).setPhone(sp.phone()).setAddress(sp.address())
                .build();
        Map<String, Object> b = r.block() == null ? new HashMap<>() : r.block();
        HealthRecordEvent.Builder e = HealthRecordEvent.newBuilder()
                .setEnvelope(Envelopes.of(Envelopes.stableEventId("mpi-bench", r.providerId(), r.recordId()), r.type().name(), r.providerId(),
                        r.recordId(), r.occurredAt().toInstant(), Instant.now(), null))
                .setRecordType(r.type().name()).setRecordVersion(1).setPatient(patient).setWarnings(List.of());
        LocalDate day = date(str(b, "date"));
        switch (r.type()) {
            case ATTACHMENT -> e.setAttachment(Attachment.newBuilder().setPolyclinicBin(orEmpty(str(b, "polyclinicBin")))
                    .setRegion(str(b, "region")).setFrom(orEpoch(date(str(b, "from")))).setTo(date(str(b, "to"))).build());
            case INSURANCE -> e.setInsurance(Insurance.newBuilder().setInsured(Boolean.TRUE.equals(b.get("insured")))
                    .setFrom(date(str(b, "from"))).setTo(date(str(b, "to"))).build());
            case ENCOUNTER -> e.setEncounter(Encounter.newBuilder().setEncounterId(str(b, "encounterId"))
                    .setPolyclinicBin(orEmpty(str(b, "polyclinicBin"))).setDoctorId(str(b, "doctorId"))
                    .setStart(orEpoch(instant(b.get("start")))).setEnd(instant(b.get("end"))).setKind(orEmpty(str(b, "kind")))
                    .setScreening(str(b, "screening")).setDiagnoses(strings(b, "diagnoses")).setServices(strings(b, "services"))
                    .setReferral(Boolean.TRUE.equals(b.get("referral"))).build());
            case OBSERVATION -> e.setObservation(Observation.newBuilder().setCode(orEmpty(str(b, "code"))).setValue(str(b, "value"))
                    .setUnit(str(b, "unit")).setEffectiveAt(instant(b.get("effectiveAt"))).build());
            case IMMUNIZATION -> e.setImmunization(Immunization.newBuilder().setVaccine(orEmpty(str(b, "vaccine")))
                    .setDose(b.get("dose") instanceof Number n ? n.intValue() : null).setDate(orEpoch(day)).build());
            case EXAM -> e.setExam(Exam.newBuilder().setPurpose(orEmpty(str(b, "purpose"))).setConclusion(orEmpty(str(b, "conclusion")))
                    .setDate(orEpoch(day)).setDoctorId(str(b, "doctorId")).setFacilityBin(str(b, "facilityBin")).build());
            case DISPENSARY -> e.setDispensary(Dispensary.newBuilder().setRegister(orEmpty(str(b, "register")))
                    .setStatus(orEmpty(str(b, "status"))).setDate(orEpoch(day)).build());
            case HOSPITALIZATION -> e.setHospitalization(Hospitalization.newBuilder().setFacilityBin(orEmpty(str(b, "facilityBin")))
                    .setAdmittedAt(orEpoch(instant(b.get("admittedAt")))).setDischargedAt(instant(b.get("dischargedAt"))).build());
            case DEATH -> e.setDeath(Death.newBuilder().setDate(orEpoch(day)).build());
            case PATIENT -> {
                // demographics only
            }
        }
        return e.build();
    }

    static String str(Map<String, Object> b, String key) {
        Object v = b.get(key);
        return v == null ? null : v.toString();
    }

    static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    @SuppressWarnings("unchecked")
    static List<String> strings(Map<String, Object> b, String key) {
        return b.get(key) instanceof List<?> l ? (List<String>) l : List.of();
    }

    static LocalDate date(String s) {
        try {
            return s == null ? null : LocalDate.parse(s);
        } catch (java.time.format.DateTimeParseException e) {
            return null; // a provider's other date format: ingestion parses it, the locator's figures do not need it
        }
    }

    static LocalDate orEpoch(LocalDate d) {
        return d == null ? LocalDate.EPOCH : d;
    }

    static Instant orEpoch(Instant i) {
        return i == null ? Instant.EPOCH : i;
    }

    static Instant instant(Object v) {
        if (v == null) {
            return null;
        }
        try {
            return v instanceof OffsetDateTime o ? o.toInstant() : OffsetDateTime.parse(v.toString()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
