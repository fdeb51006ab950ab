package kz.ehr.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the platform believes, read from the services' own databases, as one multiset per projection keyed by the
 * natural key of what it counts (a source record, a visit, a certificate, a statement line), and the comparison of
 * two such snapshots of the same input: {@code lost} (a key fewer times than in the reference), {@code doubled} (more
 * times) and {@code changed} (as often, with another value). A table's primary key cannot hold a duplicate, so no key
 * here is a primary key the service writes by: a record published twice under two event ids, a visit stored under two
 * record keys, a person split over two enterprise ids all show. Identifiers a run generates (enterprise ids,
 * certificate numbers, flag ids) are never compared, only what they stand for.
 *
 * <p>One place for both users: {@code FaultToleranceIT} (platform-tests) and {@code ./ehr chaos}
 * ({@code java -cp local-platform.jar:lib/* kz.ehr.local.ProjectionSnapshot snapshot|compare …}).
 */
public final class ProjectionSnapshot {
    /** The projections, in the order they are printed. */
    public static final List<String> PROJECTIONS = List.of("patient-links", "certificate-events", "certificates", "revocations",
            "billing-events", "billing-visits", "fraud-flags", "capitation-lines");

    /** projection → natural key → the values stored under it (sorted; more than one is a duplicate). */
    private final Map<String, TreeMap<String, List<String>>> projections = new TreeMap<>();

    private ProjectionSnapshot() {
        PROJECTIONS.forEach(p -> projections.put(p, new TreeMap<>()));
    }

    /** Where a platform's databases are: JDBC URLs of the patient index, certificates and billing, and a user that reads all three. */
    public record Sources(String mpiUrl, String certificatesUrl, String billingUrl, String user, String password) {
    }

    /** One projection's comparison with the reference. */
    public record Difference(String projection, int reference, int run, int lost, int doubled, int changed, List<String> examples) {
        public boolean clean() {
            return lost == 0 && doubled == 0 && changed == 0;
        }

        @Override
        public String toString() {
            return String.format("%-19s reference %7d  run %7d  lost %d, doubled %d, changed %d%s", projection, reference, run, lost,
                    doubled, changed, examples.isEmpty() ? "" : "  e.g. " + String.join("; ", examples));
        }
    }

    /**
     * Reads every projection. {@code capitationMonth} (yyyy-MM, or null): the lines of that month's latest computed
     * version; none when the month was never run.
     */
    public static ProjectionSnapshot read(Sources sources, String capitationMonth) throws SQLException {
        ProjectionSnapshot s = new ProjectionSnapshot();
        try (Connection c = DriverManager.getConnection(sources.mpiUrl(), sources.user(), sources.password())) {
            // a person is the set of source records under one enterprise id; named by its first source record, not by the id
            s.add(c, "patient-links", """
                    SELECT provider_id || ':' || local_id,
                           min(provider_id || ':' || local_id) OVER (PARTITION BY enterprise_id)
                    FROM source_record""");
        }
        try (Connection c = DriverManager.getConnection(sources.certificatesUrl(), sources.user(), sources.password())) {
            s.add(c, "certificate-events", "SELECT provider_id || ':' || source_record_id || ':' || record_type, person_key FROM person_event");
            s.add(c, "certificates", "SELECT type || ':' || iin, CASE WHEN revoked_at IS NULL THEN 'ACTIVE' ELSE 'REVOKED' END FROM certificate");
            s.add(c, "revocations", "SELECT type || ':' || iin, revocation_reason FROM certificate WHERE revoked_at IS NOT NULL");
        }
        try (Connection c = DriverManager.getConnection(sources.billingUrl(), sources.user(), sources.password())) {
            s.add(c, "billing-events", "SELECT provider_id || ':' || source_record_id || ':' || record_type, person_key FROM person_event");
            // a visit is a source record's visit at a polyclinic at a time, whatever record key it was stored under
            s.add(c, "billing-visits", """
                    SELECT source_key || '|' || polyclinic_bin || '|' || start_at::text || '|' || kind,
                           person_key || '|' || coalesce(doctor_id, '') || '|' || flagged FROM visit""");
            // the standing flags (as the API lists them): a WITHDRAWN one was raised on a visit seen before its
            // attachment and retracted when the attachment came, which depends on the order of two topics, not on a fault
            s.add(c, "fraud-flags", """
                    SELECT v.source_key || '|' || v.start_at::text || '|' || f.rule_id, f.state
                    FROM fraud_flag f LEFT JOIN visit v ON v.rec_key = f.visit_key WHERE f.state <> 'WITHDRAWN'""");
            if (capitationMonth != null) {
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT l.polyclinic_bin || '|' || l.person_key, p.amount::text || '|' || p.reasons
                        FROM capitation_line l
                        JOIN capitation_price p ON p.month = l.month AND p.version = l.version AND p.price_id = l.price_id
                        WHERE l.month = ? AND l.version = (SELECT max(version) FROM capitation_run WHERE month = ?)""")) {
                    ps.setString(1, capitationMonth);
                    ps.setString(2, capitationMonth);
                    s.add(ps, "capitation-lines");
                }
            }
        }
        s.projections.values().forEach(m -> m.values().forEach(Collections::sort));
        return s;
    }

    private void add(Connection c, String projection, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            add(ps, projection);
        }
    }

    private void add(PreparedStatement ps, String projection) throws SQLException {
        ps.setFetchSize(10_000);
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                put(projection, rs.getString(1), rs.getString(2));
            }
        }
    }

    private void put(String projection, String key, String value) {
        projections.get(projection).computeIfAbsent(String.valueOf(key), k -> new ArrayList<>()).add(String.valueOf(value));
    }

    /** How many entries (with duplicates) a projection holds. */
    public int size(String projection) {
        return projections.get(projection).values().stream().mapToInt(List::size).sum();
    }

    /** The values stored under one natural key (empty when none). */
    public List<String> values(String projection, String key) {
        return projections.get(projection).getOrDefault(key, List.of());
    }

    /** Each projection of {@code run} against this snapshot as the reference. */
    public List<Difference> compare(ProjectionSnapshot run) {
        List<Difference> out = new ArrayList<>();
        for (String p : PROJECTIONS) {
            TreeMap<String, List<String>> ref = projections.get(p);
            TreeMap<String, List<String>> got = run.projections.get(p);
            TreeSet<String> keys = new TreeSet<>(ref.keySet());
            keys.addAll(got.keySet());
            int lost = 0;
            int doubled = 0;
            int changed = 0;
            List<String> examples = new ArrayList<>();
            for (String k : keys) {
                List<String> a = ref.getOrDefault(k, List.of());
                List<String> b = got.getOrDefault(k, List.of());
                if (a.size() > b.size()) {
                    lost += a.size() - b.size();
                } else if (b.size() > a.size()) {
                    doubled += b.size() - a.size();
                } else if (!a.equals(b)) {
                    changed++;
                } else {
                    continue;
                }
                if (examples.size() < 3) {
                    examples.add(k + " " + a + " → " + b);
                }
            }
            out.add(new Difference(p, size(p), run.size(p), lost, doubled, changed, examples));
        }
        return out;
    }

    /** Tab-separated {@code projection key value} lines (keys and values never hold a tab or a line break). */
    public void write(Path file) {
        List<String> lines = new ArrayList<>();
        projections.forEach((p, m) -> m.forEach((k, vs) -> vs.forEach(v -> lines.add(p + '\t' + clean(k) + '\t' + clean(v)))));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ProjectionSnapshot load(Path file) {
        ProjectionSnapshot s = new ProjectionSnapshot();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String[] f = line.split("\t", 3);
                if (f.length == 3 && s.projections.containsKey(f[0])) {
                    s.put(f[0], f[1], f[2]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        s.projections.values().forEach(m -> m.values().forEach(Collections::sort));
        return s;
    }

    private static String clean(String s) {
        return s.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
    }

    /**
     * {@code snapshot --pg HOST:PORT --user U --mpi DB --certificates DB --billing DB [--month yyyy-MM] --out FILE}
     * (password from {@code EHR_PG_PASSWORD}); {@code compare REFERENCE RUN}: prints {@code lost N, doubled N} per
     * projection and exits 1 when any is not 0.
     */
    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("snapshot")) {
            String base = "jdbc:postgresql://" + LocalKafkaBroker.arg(args, "--pg", "127.0.0.1:5432") + "/";
            Sources sources = new Sources(base + LocalKafkaBroker.arg(args, "--mpi", "ehr_mpi"),
                    base + LocalKafkaBroker.arg(args, "--certificates", "ehr_certificates"),
                    base + LocalKafkaBroker.arg(args, "--billing", "ehr_billing"),
                    LocalKafkaBroker.arg(args, "--user", "postgres"), System.getenv().getOrDefault("EHR_PG_PASSWORD", ""));
            ProjectionSnapshot s = read(sources, LocalKafkaBroker.arg(args, "--month", null));
            s.write(Path.of(LocalKafkaBroker.arg(args, "--out", "snapshot.tsv")));
            for (String p : PROJECTIONS) {
                System.out.printf("%-19s %7d%n", p, s.size(p));
            }
        } else if (args.length == 3 && args[0].equals("compare")) {
            List<Difference> diff = load(Path.of(args[1])).compare(load(Path.of(args[2])));
            diff.forEach(System.out::println);
            System.exit(diff.stream().allMatch(Difference::clean) ? 0 : 1);
        } else {
            System.err.println("usage: ProjectionSnapshot snapshot --pg HOST:PORT --user U --mpi DB --certificates DB --billing DB"
                    + " [--month yyyy-MM] --out FILE | compare REFERENCE RUN");
            System.exit(2);
        }
    }
}
