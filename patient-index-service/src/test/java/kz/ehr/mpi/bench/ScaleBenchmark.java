package kz.ehr.mpi.bench;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.ds.PGSimpleDataSource;

import kz.ehr.events.Envelopes;
import kz.ehr.mpi.linking.LinkingEngine;
import kz.ehr.mpi.matching.Demographics;
import kz.ehr.mpi.matching.FellegiSunterScorer;
import kz.ehr.identity.Iin;
import kz.ehr.mpi.matching.MatchProfile;
import kz.ehr.mpi.matching.MatchWeights;
import kz.ehr.mpi.matching.Matcher;
import kz.ehr.mpi.patients.PatientQueries;

/**
 * Linking rate, IIN lookup and fuzzy search latency with a large index, through the service's own engine and
 * queries against PostgreSQL database ehr_mpi_bench. The index is loaded with COPY (skipped when it already
 * holds the requested number of patients; then only what earlier runs linked is removed). Measure with a plain
 * {@code java} (exec:java runs inside Maven's JVM and reads lower), {@code -Dmpi.timings=true} for per-phase times:
 * <pre>
 * mvn -B -q -o -pl patient-index-service dependency:build-classpath -Dmdep.outputFile=/tmp/mpi-cp.txt -Dmdep.includeScope=test
 * cd patient-index-service &amp;&amp; java -Xmx3g -cp "target/test-classes:target/classes:$(cat /tmp/mpi-cp.txt)" \
 *     kz.ehr.mpi.bench.ScaleBenchmark --patients 1000000 --link 20000 --queries 1000
 * </pre>
 */
public final class ScaleBenchmark {
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    static final String[] ROOTS = {"Ахмет", "Сейткали", "Жумабек", "Нурлан", "Касым", "Омар", "Сулеймен", "Абдрахман", "Бекмух",
            "Иван", "Петр", "Смирн", "Кузнец", "Попов", "Василь", "Соколов", "Мухамед", "Ескендир", "Тулеген", "Садык", "Ермек",
            "Кенжеб", "Байжан", "Рахым", "Искак", "Шаймерден", "Токтар", "Амангельд", "Есен", "Кайрат"};
    static final String[] SYL = {"ба", "ке", "ну", "ра", "жан", "тай", "бек", "сул", "мар", "ди", "ер", "ас", "ку", "то", "ле",
            "са", "мы", "гу", "за", "ом"};
    static final String[] MALE = {"Ерлан", "Нурлан", "Асхат", "Даулет", "Арман", "Бауыржан", "Серик", "Айдос", "Ержан", "Марат",
            "Дамир", "Тимур", "Алексей", "Сергей", "Иван", "Руслан", "Азамат", "Болат", "Канат", "Жандос"};
    static final String[] FEMALE = {"Айгуль", "Жанар", "Асель", "Динара", "Гульнара", "Айжан", "Мадина", "Алия", "Сауле",
            "Камила", "Ольга", "Елена", "Анна", "Томирис", "Аружан", "Жанна", "Индира", "Салтанат", "Дана", "Ляззат"};

    record Person(String iin, String last, String first, String middle, LocalDate birth, String sex, String phone) {
    }

    static Person person(long i) {
        Random r = new Random(i * 7919 + 17);
        String sex = r.nextBoolean() ? "M" : "F";
        String root;
        if (r.nextInt(3) == 0) {
            root = ROOTS[r.nextInt(ROOTS.length)];
        } else {
            StringBuilder sb = new StringBuilder();
            for (int k = 0; k < 2 + r.nextInt(2); k++) {
                sb.append(SYL[r.nextInt(SYL.length)]);
            }
            root = Character.toUpperCase(sb.charAt(0)) + sb.substring(1);
        }
        String last = root + ("M".equals(sex) ? "ов" : "ова");
        String first = "M".equals(sex) ? MALE[r.nextInt(MALE.length)] : FEMALE[r.nextInt(FEMALE.length)];
        String middle = MALE[r.nextInt(MALE.length)] + ("M".equals(sex) ? "ович" : "овна");
        while (true) {
            LocalDate birth = LocalDate.of(1930, 1, 1).plusDays(r.nextInt(95 * 365));
            int centuryDigit = (birth.getYear() >= 2000 ? 5 : 3) + ("F".equals(sex) ? 1 : 0);
            String stem = String.format("%02d%02d%02d%d%04d", birth.getYear() % 100, birth.getMonthValue(), birth.getDayOfMonth(),
                    centuryDigit, r.nextInt(10_000));
            for (int check = 0; check <= 9; check++) {
                if (Iin.isValid(stem + check)) {
                    return new Person(stem + check, last, first, middle, birth, sex, "+7701" + String.format("%07d", r.nextInt(10_000_000)));
                }
            }
        }
    }

    /**
     * The records to link: half are further records of indexed people (other provider, some without IIN, some with a
     * transliterated name), half are people the index has never seen; the first {@code warmup} come from provider
     * {@code <prefix>-warm}, the rest from {@code <prefix>-new}.
     */
    static List<LinkingEngine.Incoming> records(Random r, int patients, int warmup, int link, String prefix) {
        List<LinkingEngine.Incoming> incoming = new ArrayList<>();
        for (int i = 0; i < warmup + link; i++) {
            Demographics d;
            if (i % 2 == 0) {
                Person p = person(r.nextInt(patients));
                boolean dropIin = r.nextInt(4) == 0;
                d = new Demographics(dropIin ? null : p.iin(), p.last(), p.first(), r.nextInt(3) == 0 ? null : p.middle(), p.birth(),
                        p.sex(), r.nextBoolean() ? p.phone() : null, null);
            } else {
                Person p = person(patients + 1_000_000L + i);
                d = new Demographics(p.iin(), p.last(), p.first(), p.middle(), p.birth(), p.sex(), p.phone(), null);
            }
            incoming.add(new LinkingEngine.Incoming(Envelopes.stableEventId(prefix, String.valueOf(i)),
                    prefix + (i < warmup ? "-warm" : "-new"), "N-" + i, d.iin() == null ? "MISSING" : "VALID", d,
                    Instant.parse("2026-01-01T00:00:00Z")));
        }
        return incoming;
    }

    /** Removes what earlier runs linked, so every run starts from the loaded index. */
    static void reset(PGSimpleDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("DELETE FROM source_record WHERE provider_id <> 'bench-base'");
            st.execute("DELETE FROM enterprise_patient e WHERE NOT EXISTS (SELECT 1 FROM source_record s WHERE s.enterprise_id = e.enterprise_id)");
            // patients that earlier runs linked records to carry those records in their compact copy: rebuild it
            st.execute("""
                    UPDATE enterprise_patient e SET sources_compact = c.j
                    FROM (SELECT enterprise_id, json_agg(json_build_array(provider_id, local_id, iin, iin_status, last_name,
                              first_name, middle_name, birth_date, sex, phone, address, link_kind, link_score, occurred_at,
                              last_event_id))::text AS j
                          FROM source_record GROUP BY enterprise_id) c
                    WHERE c.enterprise_id = e.enterprise_id AND (e.sources_compact LIKE '%bench-new%' OR e.sources_compact LIKE '%bench-warm%')""");
            st.execute("TRUNCATE processed_event, link_history, review, outbox");
            // as autovacuum would in a running service: dead rows gone, visibility map set for index-only scans
            st.execute("VACUUM ANALYZE source_record, enterprise_patient");
        }
    }

    public static void main(String[] args) throws Exception {
        int patients = Integer.parseInt(MatchingEvaluation.opt(args, "--patients", "1000000"));
        int link = Integer.parseInt(MatchingEvaluation.opt(args, "--link", "20000"));
        int queries = Integer.parseInt(MatchingEvaluation.opt(args, "--queries", "1000"));
        // linked first and not measured: a JVM compiles the hot paths during its first seconds (after 10,000 records
        // the JVM still used 485 ms of CPU per 1,000 records, after 30,000 it used 214 ms), a running service has
        // done that long ago
        int warmup = Integer.parseInt(MatchingEvaluation.opt(args, "--warmup", "30000"));
        int batchSize = Integer.parseInt(MatchingEvaluation.opt(args, "--batch", "5000"));
        // as the service links: the next steps' candidates are read on a second connection (false: in line)
        boolean readAhead = Boolean.parseBoolean(MatchingEvaluation.opt(args, "--read-ahead", "true"));
        // true: a CHECKPOINT right before the measured window, so every page it touches first writes a full-page
        // image to the WAL (the worst minutes after each checkpoint; needs a superuser)
        boolean checkpointFirst = Boolean.parseBoolean(MatchingEvaluation.opt(args, "--checkpoint-first", "false"));
        PGSimpleDataSource ds = BenchDatabase.fresh("ehr_mpi_bench", false);
        printServerSettings(ds);
        long existing;
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT count(*) FROM source_record WHERE provider_id = 'bench-base'")) {
            rs.next();
            existing = rs.getLong(1);
        }
        if (existing != patients) {
            load(ds, patients);
        } else {
            System.out.printf("index already holds %d patients (ehr_mpi_bench); reusing it%n", existing);
        }
        // earlier runs' linked records are removed so every run starts from the same index
        reset(ds);
        Matcher matcher = new Matcher(new FellegiSunterScorer(MatchWeights.defaults()), 29, 12);

        Random r = new Random(99);
        List<LinkingEngine.Incoming> incoming = records(r, patients, warmup, link, "bench");
        LinkingEngine engine = new LinkingEngine(matcher);
        // the read-ahead connection comes from a pool, as in the service (Agroal)
        javax.sql.DataSource pool = BenchDatabase.pooled(ds);
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            for (int i = 0; i < warmup; i += batchSize) {
                engine.link(c, incoming.subList(i, Math.min(warmup, i + batchSize)), readAhead ? pool::getConnection : null);
                c.commit();
            }
        }
        incoming = incoming.subList(warmup, incoming.size());
        System.out.printf("warm-up: %d records linked, not measured%n", warmup);
        if (checkpointFirst) {
            try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
                st.execute("CHECKPOINT");
            }
            System.out.println("checkpoint taken: the measured window starts with full-page images for every page it touches");
        }
        long[] wal0 = wal(ds);
        long t0 = System.nanoTime();
        double s;
        long[] cpu;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            java.util.Map<Integer, Long> pg0 = backendCpu(c);
            long jvm0 = jvmCpu();
            for (int i = 0; i < incoming.size(); i += batchSize) {
                engine.link(c, incoming.subList(i, Math.min(incoming.size(), i + batchSize)), readAhead ? pool::getConnection : null);
                c.commit();
            }
            s = (System.nanoTime() - t0) / 1e9;
            long jvm = jvmCpu() - jvm0;
            long pg = 0;
            for (var e : backendCpu(c).entrySet()) {
                pg += e.getValue() - pg0.getOrDefault(e.getKey(), 0L);
            }
            c.commit();
            cpu = new long[] {jvm, pg};
        }
        long[] wal1 = wal(ds);
        // CPU time does not depend on what else runs on the machine (much): the cost per record, and what two
        // cores could link if nothing else waited
        System.out.printf("CPU per 1,000 records: JVM %.0f ms, PostgreSQL backends %.0f ms; two cores fully used would link %.0f records/s%n",
                cpu[0] / 1e6 / link * 1000, cpu[1] / 1e6 / link * 1000, 2e9 * link / (cpu[0] + cpu[1]));
        // the whole server's WAL (run nothing else meanwhile): full-page images after a checkpoint dominate it
        System.out.printf("WAL written while linking: %.0f MB (%.1f kB per record), %d full-page images, %d checkpoints%n",
                (wal1[0] - wal0[0]) / 1e6, (wal1[0] - wal0[0]) / 1e3 / link, wal1[1] - wal0[1], wal1[2] - wal0[2]);
        System.out.printf("linking: %d records in %.1f s = %.0f records/s (batch %d in steps of %d, read ahead %s, index %d patients)%n",
                link, s, link / s, batchSize, LinkingEngine.STEP, readAhead, patients);

        PatientQueries q = PatientQueries.standalone(BenchDatabase.pooled(ds), matcher);
        long[] iinNanos = new long[queries];
        int found = 0;
        for (int i = 0; i < queries; i++) {
            Person p = person(r.nextInt(patients));
            long a = System.nanoTime();
            found += q.byIin(p.iin()).isEmpty() ? 0 : 1;
            iinNanos[i] = System.nanoTime() - a;
        }
        report("IIN lookup (GET /patients?iin=, golden record + sources)", iinNanos, found + "/" + queries + " found");

        long[] searchNanos = new long[queries];
        int top1 = 0;
        for (int i = 0; i < queries; i++) {
            long idx = r.nextInt(patients);
            Person p = person(idx);
            String misspelt = p.last().substring(0, p.last().length() - 2) + "в" + p.last().charAt(p.last().length() - 1);
            long a = System.nanoTime();
            var res = q.search(new Demographics(null, misspelt, p.first(), null, p.birth(), null, null, null), 20);
            searchNanos[i] = System.nanoTime() - a;
            if (!res.candidates().isEmpty() && p.iin().equals(res.candidates().get(0).golden().iin())) {
                top1++;
            }
        }
        report("fuzzy search (misspelt surname + first name + birth date)", searchNanos, top1 + "/" + queries + " right person ranked first");

        long[] nameOnly = new long[Math.min(queries, 100)];
        for (int i = 0; i < nameOnly.length; i++) {
            Person p = person(r.nextInt(patients));
            long a = System.nanoTime();
            q.search(new Demographics(null, p.last(), p.first(), null, null, null, null, null), 20);
            nameOnly[i] = System.nanoTime() - a;
        }
        report("fuzzy search (surname + first name only, no birth date)", nameOnly, "");
    }

    /** This JVM's CPU time so far, in nanoseconds. */
    static long jvmCpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * CPU time (ns) of every server process of this database, from /proc (the server runs on this machine):
     * the writer's backend, the pooled read-ahead connection's and any other.
     */
    static java.util.Map<Integer, Long> backendCpu(Connection c) throws java.sql.SQLException {
        java.util.Map<Integer, Long> out = new java.util.HashMap<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database()")) {
            while (rs.next()) {
                int pid = rs.getInt(1);
                try {
                    String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // utime and stime are fields 14 and 15 of the file, in clock ticks (100 per second)
                    out.put(pid, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L);
                } catch (java.io.IOException | RuntimeException gone) {
                    // not on this machine, or the process ended
                }
            }
        }
        return out;
    }

    /** The server settings that decide the write rate at this size (./ehr pg-tune shows and sets them). */
    static void printServerSettings(PGSimpleDataSource ds) throws SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ' ' ORDER BY name) FROM pg_settings
                WHERE name IN ('shared_buffers', 'max_wal_size', 'checkpoint_timeout', 'synchronous_commit', 'wal_compression')""")) {
            rs.next();
            System.out.println("PostgreSQL settings: " + rs.getString(1));
        }
    }

    /** The server's WAL position, full-page images and checkpoints so far. */
    static long[] wal(PGSimpleDataSource ds) throws java.sql.SQLException {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery("""
                SELECT pg_current_wal_lsn() - '0/0', (SELECT wal_fpi FROM pg_stat_wal),
                       (SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter)""")) {
            rs.next();
            return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
        }
    }

    static void report(String what, long[] nanos, String note) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("%s: n=%d p50=%.1f ms p95=%.1f ms p99=%.1f ms max=%.1f ms %s%n", what, sorted.length,
                sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.95)] / 1e6,
                sorted[Math.min(sorted.length - 1, (int) (sorted.length * 0.99))] / 1e6, sorted[sorted.length - 1] / 1e6, note);
    }

    static void load(PGSimpleDataSource ds, int patients) throws Exception {
        long t0 = System.nanoTime();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            st.execute("TRUNCATE source_record, enterprise_patient, processed_event, link_history, review, outbox, non_match, merge, surname");
            CopyManager copy = ((PGConnection) c.unwrap(PGConnection.class)).getCopyAPI();
            int chunk = 50_000;
            for (int from = 0; from < patients; from += chunk) {
                StringBuilder ep = new StringBuilder();
                StringBuilder sr = new StringBuilder();
                for (int i = from; i < Math.min(patients, from + chunk); i++) {
                    Person p = person(i);
                    UUID id = LinkingEngine.enterpriseIdFor("bench-base", "B-" + i);
                    MatchProfile prof = MatchProfile.of(new Demographics(p.iin(), p.last(), p.first(), p.middle(), p.birth(), p.sex(),
                            p.phone(), null), LocalDate.of(2026, 1, 1));
                    String compact = JSON.writeValueAsString(List.<Object[]>of(new Object[] {"bench-base", "B-" + i, p.iin(), "VALID",
                            p.last(), p.first(), p.middle(), p.birth().toString(), p.sex(), prof.phone, null, "DETERMINISTIC", null,
                            "2026-01-01T00:00:00Z", "load"}));
                    ep.append(id).append('\t').append(p.iin()).append('\t').append(p.last()).append('\t').append(p.first())
                            .append('\t').append(p.middle()).append('\t').append(p.birth()).append('\t').append(p.sex()).append('\t')
                            .append(p.phone()).append('\t').append(compact.replace("\\", "\\\\")).append('\n');
                    sr.append("bench-base\tB-").append(i).append('\t').append(id).append('\t').append(p.iin()).append("\tVALID\t")
                            .append(p.last()).append('\t').append(p.first()).append('\t').append(p.middle()).append('\t')
                            .append(p.birth()).append('\t').append(p.sex()).append('\t').append(prof.phone).append("\tload\t")
                            .append(prof.last).append('\t').append(prof.first).append('\t').append(prof.nameKey())
                            .append("\tDETERMINISTIC\t2026-01-01T00:00:00Z\t").append(prof.birthKey()).append('\n');
                }
                copy.copyIn("COPY enterprise_patient (enterprise_id, iin, last_name, first_name, middle_name, birth_date, sex, phone,"
                        + " sources_compact) FROM STDIN",
                        new StringReader(ep.toString()));
                copy.copyIn("COPY source_record (provider_id, local_id, enterprise_id, iin, iin_status, last_name, first_name, middle_name,"
                        + " birth_date, sex, phone, last_event_id, last_norm, first_norm, name_key, link_kind, occurred_at, birth_key) FROM STDIN",
                        new StringReader(sr.toString()));
            }
            st.execute("INSERT INTO surname SELECT DISTINCT last_norm FROM source_record WHERE last_norm IS NOT NULL ON CONFLICT DO NOTHING");
            st.execute("VACUUM ANALYZE enterprise_patient");
            st.execute("VACUUM ANALYZE source_record");
        }
        System.out.printf("loaded %d enterprise patients with COPY in %.1f s%n", patients, (System.nanoTime() - t0) / 1e9);
    }
}
