package kz.ehr.mpi.bench;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.postgresql.ds.PGSimpleDataSource;

import kz.ehr.events.Envelopes;
import kz.ehr.mpi.linking.LinkingEngine;
import kz.ehr.mpi.matching.Demographics;
import kz.ehr.mpi.matching.FellegiSunterScorer;
import kz.ehr.identity.Iin;
import kz.ehr.mpi.matching.MatchProfile;
import kz.ehr.mpi.matching.MatchWeights;
import kz.ehr.mpi.matching.Matcher;
import kz.ehr.simulator.bench.PairwiseAccuracy;

/**
 * Accuracy of the matcher on a synthetic data set with ground truth, through the real linking engine and a
 * real PostgreSQL database: every PATIENT record of DIR/*.ndjson is linked in occurredAt order, in batches,
 * then the enterprise ids are compared pairwise with DIR/truth-persons.csv.
 * <pre>
 * mvn -pl patient-index-service -o -q test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=kz.ehr.mpi.bench.MatchingEvaluation -Dexec.args="/tmp/mpi-sim"
 * </pre>
 * Options after DIR: {@code --upper X --lower Y} thresholds (defaults of the service), {@code --batch N}.
 */
public final class MatchingEvaluation {
    record Rec(String provider, String localId, String recordId, Instant occurredAt, Demographics d) {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/mpi-sim");
        double upper = Double.parseDouble(opt(args, "--upper", "29"));
        double lower = Double.parseDouble(opt(args, "--lower", "12"));
        int batchSize = Integer.parseInt(opt(args, "--batch", "1000"));

        List<Rec> records = read(dir);
        Map<String, String> truth = new HashMap<>();
        for (String line : Files.readAllLines(dir.resolve("truth-persons.csv"))) {
            String[] f = line.split(",");
            if (f.length == 3 && !f[0].equals("providerId")) {
                truth.put(f[0] + "/" + f[1], f[2]);
            }
        }
        System.out.printf("data: %s — %d PATIENT records%n", dir, records.size());

        Matcher matcher = new Matcher(new FellegiSunterScorer(MatchWeights.defaults()), upper, lower);
        LinkingEngine engine = new LinkingEngine(matcher);
        PGSimpleDataSource ds = BenchDatabase.fresh("ehr_mpi_eval", true);
        long t0 = System.nanoTime();
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            for (int i = 0; i < records.size(); i += batchSize) {
                List<LinkingEngine.Incoming> batch = new ArrayList<>();
                for (Rec r : records.subList(i, Math.min(records.size(), i + batchSize))) {
                    batch.add(new LinkingEngine.Incoming(Envelopes.stableEventId(r.provider(), r.recordId()), r.provider(),
                            r.localId(), r.d().iin() == null ? "MISSING" : Iin.isValid(r.d().iin()) ? "VALID" : "INVALID",
                            r.d(), r.occurredAt()));
                }
                engine.link(c, batch);
                c.commit();
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("linked in %.1f s (%.0f records/s, batch %d, thresholds upper %.1f lower %.1f)%n", seconds,
                records.size() / seconds, batchSize, upper, lower);

        Map<String, String> predicted = new HashMap<>();
        Map<String, String> kind = new HashMap<>();
        int reviews;
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT provider_id, local_id, enterprise_id, link_kind FROM source_record")) {
                while (rs.next()) {
                    predicted.put(rs.getString(1) + "/" + rs.getString(2), rs.getString(3));
                    kind.put(rs.getString(1) + "/" + rs.getString(2), rs.getString(4));
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM review WHERE status = 'OPEN'")) {
                rs.next();
                reviews = rs.getInt(1);
            }
        }
        Map<String, Demographics> latest = new HashMap<>();
        for (Rec r : records) {
            latest.put(r.provider() + "/" + r.localId(), r.d());
        }
        List<String> keys = predicted.keySet().stream().filter(truth::containsKey).sorted().toList();
        System.out.printf("source records: %d linked, %d with ground truth, %d enterprise patients, %d open reviews%n",
                predicted.size(), keys.size(), predicted.values().stream().distinct().count(), reviews);

        PairwiseAccuracy accuracy = new PairwiseAccuracy();
        keys.forEach(k -> accuracy.add(truth.get(k), predicted.get(k)));
        System.out.println();
        System.out.println("pairwise confusion matrix        truth: same person   truth: different");
        System.out.printf("  predicted: same patient      %20d %18d%n", accuracy.truePositives(), accuracy.falsePositives());
        System.out.printf("  predicted: different         %20d %18d%n", accuracy.falseNegatives(), accuracy.trueNegatives());
        System.out.printf("precision %.5f   recall %.5f   (true pairs %d)%n", accuracy.precision(), accuracy.recall(),
                accuracy.truePairs());

        // split persons: pairs of one person's records that ended on different patients
        FellegiSunterScorer scorer = matcher.scorer();
        Map<String, List<String>> recordsOfPerson = new HashMap<>();
        keys.forEach(k -> recordsOfPerson.computeIfAbsent(truth.get(k), p -> new ArrayList<>()).add(k));
        List<String[]> misses = new ArrayList<>();
        for (List<String> rs : recordsOfPerson.values()) {
            for (int i = 0; i < rs.size(); i++) {
                for (int j = i + 1; j < rs.size(); j++) {
                    if (!predicted.get(rs.get(i)).equals(predicted.get(rs.get(j)))) {
                        misses.add(new String[] {rs.get(i), rs.get(j)});
                    }
                }
            }
        }
        Map<String, List<String>> recordsOfEnterprise = new HashMap<>();
        keys.forEach(k -> recordsOfEnterprise.computeIfAbsent(predicted.get(k), p -> new ArrayList<>()).add(k));
        List<String[]> wrongLinks = new ArrayList<>();
        for (List<String> rs : recordsOfEnterprise.values()) {
            for (int i = 0; i < rs.size(); i++) {
                for (int j = i + 1; j < rs.size(); j++) {
                    if (!truth.get(rs.get(i)).equals(truth.get(rs.get(j)))) {
                        wrongLinks.add(new String[] {rs.get(i), rs.get(j)});
                    }
                }
            }
        }
        LocalDate ref = LocalDate.of(2030, 1, 1);
        Comparator<String[]> byScore = Comparator.comparingDouble(p -> -scorer.score(MatchProfile.of(latest.get(p[0]), ref),
                MatchProfile.of(latest.get(p[1]), ref)));
        System.out.printf("%nworst misses (same person, different patients; %d pairs, highest score first):%n", misses.size());
        misses.stream().sorted(byScore).limit(12).forEach(p -> print(p, latest, kind, scorer, ref));
        System.out.printf("%nfalse links (different persons, one patient; %d pairs):%n", wrongLinks.size());
        wrongLinks.stream().sorted(byScore).limit(12).forEach(p -> print(p, latest, kind, scorer, ref));
    }

    private static void print(String[] p, Map<String, Demographics> latest, Map<String, String> kind, FellegiSunterScorer scorer,
                              LocalDate ref) {
        Demographics a = latest.get(p[0]);
        Demographics b = latest.get(p[1]);
        System.out.printf("  %.1f  %-26s %-14s %s%n        %-26s %-14s %s%n",
                scorer.score(MatchProfile.of(a, ref), MatchProfile.of(b, ref)), p[0], kind.get(p[0]), brief(a), p[1],
                kind.get(p[1]), brief(b));
    }

    private static String brief(Demographics d) {
        return String.join(" | ", String.valueOf(d.iin()), d.lastName() + " " + d.firstName() + " " + d.middleName(),
                String.valueOf(d.birthDate()), String.valueOf(d.sex()), String.valueOf(d.phone()));
    }

    static List<Rec> read(Path dir) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<Rec> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".ndjson")).sorted().toList();
        }
        for (Path f : files) {
            String provider = f.getFileName().toString().replace(".ndjson", "");
            try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (!line.contains("\"PATIENT\"")) {
                        continue;
                    }
                    JsonNode n = json.readTree(line);
                    if (!"PATIENT".equals(n.path("type").asText())) {
                        continue;
                    }
                    JsonNode p = n.path("patient");
                    String birth = text(p, "birthDate");
                    LocalDate birthDate = null;
                    try {
                        birthDate = birth == null ? null : LocalDate.parse(birth);
                    } catch (RuntimeException e) {
                        // ingestion would reject it; the matcher treats it as missing
                    }
                    out.add(new Rec(provider, p.path("localId").asText(), text(n, "recordId"),
                            OffsetDateTime.parse(n.path("occurredAt").asText()).toInstant(),
                            new Demographics(text(p, "iin"), text(p, "lastName"), text(p, "firstName"), text(p, "middleName"),
                                    birthDate, text(p, "sex"), text(p, "phone"), text(p, "address"))));
                }
            }
        }
        out.sort(Comparator.comparing(Rec::occurredAt).thenComparing(Rec::provider).thenComparing(Rec::recordId));
        return out;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static String opt(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
