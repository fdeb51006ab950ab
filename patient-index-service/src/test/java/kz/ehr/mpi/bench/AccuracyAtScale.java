package kz.ehr.mpi.bench;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.postgresql.ds.PGSimpleDataSource;

import kz.ehr.events.Envelopes;
import kz.ehr.identity.Iin;
import kz.ehr.mpi.linking.LinkingEngine;
import kz.ehr.mpi.matching.Demographics;
import kz.ehr.mpi.matching.FellegiSunterScorer;
import kz.ehr.mpi.matching.MatchDecision;
import kz.ehr.mpi.matching.MatchProfile;
import kz.ehr.mpi.matching.MatchWeights;
import kz.ehr.mpi.matching.Matcher;
import kz.ehr.simulator.bench.BenchReport;
import kz.ehr.simulator.bench.PairwiseAccuracy;
import kz.ehr.simulator.corruption.Corruption;
import kz.ehr.simulator.corruption.SourcePatient;
import kz.ehr.simulator.fraud.FraudRates;
import kz.ehr.simulator.output.RecordSink;
import kz.ehr.simulator.output.Simulation;
import kz.ehr.simulator.output.SourceRecord;
import kz.ehr.simulator.population.Person;
import kz.ehr.simulator.population.RecordType;
import kz.ehr.simulator.population.Window;

/**
 * Matching accuracy at scale (issue #14 item 5): the simulator's population, with its error profiles and its truth of
 * which source records are one person, generated in this JVM until it holds {@code --records} PATIENT records (one per
 * provider that sees a person: the index's source records); linked in time order through the service's own
 * {@link LinkingEngine} in batches of 5,000 with the next steps read ahead on a pooled connection, as the consumer
 * links (ingestion and Kafka are left out: the IIN status is set by the shared rule ingestion applies); into PostgreSQL
 * database {@code ehr_mpi_accuracy} + EHR_TEST_DB_SUFFIX. Then pairwise precision and recall from cluster sizes
 * ({@link PairwiseAccuracy}), and every missed pair and false link with its cause. See
 * docs/benchmarks/patient-index-service.md, "Accuracy at scale", for the command.
 * <p>
 * Options: {@code --records} (1,000,000), {@code --seed} (42), {@code --error-scale} (1), {@code --batch} (5,000),
 * {@code --link false} (evaluate what the database holds from an earlier run with the same options),
 * {@code --docs DIR} (also write the result into DIR/benchmarks.md and .json).
 */
public final class AccuracyAtScale {
    static final List<String> PROVIDERS = List.of("damumed", "kmis", "medelement");
    /** How a reader runs this from the checkout's root (docs/benchmarks/patient-index-service.md, "Accuracy at scale"). */
    static final String COMMAND = "mvn -B -q -o -pl patient-index-service -am test-compile dependency:build-classpath"
            + " -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test && cd patient-index-service && java -Xmx4g"
            + " -cp \"target/test-classes:target/classes:$(cat target/test-classpath.txt)\" kz.ehr.mpi.bench.AccuracyAtScale";

    /** A PATIENT record as its provider sent it, with the truth: the person and the errors the provider made. */
    record Rec(int person, String provider, String localId, String recordId, Instant occurredAt, Demographics d,
               Set<Corruption> errors) {
        String key() {
            return provider + "/" + localId;
        }

        MatchProfile profile() {
            return MatchProfile.of(d, occurredAt.atOffset(ZoneOffset.UTC).toLocalDate());
        }
    }

    /** The generated population: its PATIENT records and, per person index, household and twin flag. */
    record Population(List<Rec> records, long persons, long[] household, boolean[] twin) {
    }

    public static void main(String[] args) throws Exception {
        int records = Integer.parseInt(MatchingEvaluation.opt(args, "--records", "1000000"));
        long seed = Long.parseLong(MatchingEvaluation.opt(args, "--seed", "42"));
        double errorScale = Double.parseDouble(MatchingEvaluation.opt(args, "--error-scale", "1"));
        int batchSize = Integer.parseInt(MatchingEvaluation.opt(args, "--batch", "5000"));
        boolean link = Boolean.parseBoolean(MatchingEvaluation.opt(args, "--link", "true"));
        String docs = MatchingEvaluation.opt(args, "--docs", null);
        Map<String, Object> figures = new LinkedHashMap<>();

        long t0 = System.nanoTime();
        Population pop = generate(records, seed, errorScale);
        List<Rec> recs = new ArrayList<>(pop.records());
        recs.sort(Comparator.comparing(Rec::occurredAt).thenComparing(Rec::provider).thenComparing(Rec::recordId));
        double generation = (System.nanoTime() - t0) / 1e9;
        say("generated %d PATIENT records of %d persons (seed %d, error scale %s) in %.1f s", recs.size(), pop.persons(), seed,
                errorScale, generation);

        Matcher matcher = new Matcher(new FellegiSunterScorer(MatchWeights.defaults()), 29, 12);
        PGSimpleDataSource ds = BenchDatabase.fresh("ehr_mpi_accuracy", link);
        double linking = 0;
        if (link) {
            linking = link(ds, matcher, recs, batchSize);
            say("linked %d records in %.1f s (%.0f records/s)", recs.size(), linking, recs.size() / linking);
        }

        long t1 = System.nanoTime();
        Map<String, Integer> position = new HashMap<>(recs.size() * 2);
        for (int i = 0; i < recs.size(); i++) {
            position.put(recs.get(i).key(), i);
        }
        String[] enterprise = new String[recs.size()];
        String[] kind = new String[recs.size()];
        long openReviews;
        try (Connection c = ds.getConnection(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.setFetchSize(10_000);
            try (ResultSet rs = st.executeQuery("SELECT provider_id, local_id, enterprise_id, link_kind FROM source_record")) {
                while (rs.next()) {
                    Integer i = position.get(rs.getString(1) + "/" + rs.getString(2));
                    if (i != null) {
                        enterprise[i] = rs.getString(3);
                        kind[i] = rs.getString(4);
                    }
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM review WHERE status = 'OPEN'")) {
                rs.next();
                openReviews = rs.getLong(1);
            }
        }
        long unknown = Arrays.stream(enterprise).filter(e -> e == null).count();
        if (unknown > 0) {
            throw new IllegalStateException(unknown + " simulated records are not in " + ds.getURL()
                    + (link ? "" : ": link them first (run without --link false)"));
        }
        PairwiseAccuracy pairs = new PairwiseAccuracy();
        for (int i = 0; i < recs.size(); i++) {
            pairs.add(Person.personId(recs.get(i).person()), enterprise[i]);
        }
        Causes causes = new Causes(matcher, pop);
        causes.missed(recs, enterprise, kind);
        causes.falseLinks(recs, enterprise, kind);
        double evaluation = (System.nanoTime() - t1) / 1e9;

        figures.put("indexRecords", recs.size());
        figures.put("persons", pairs.persons());
        figures.put("personsGenerated", pop.persons());
        figures.put("seed", seed);
        figures.put("errorScale", errorScale);
        figures.put("providers", String.join(", ", PROVIDERS));
        figures.put("enterprisePatients", pairs.clusters());
        figures.put("openReviews", openReviews);
        figures.put("truePairs", pairs.truePairs());
        figures.put("confusion", "truePositive " + pairs.truePositives() + ", falsePositive " + pairs.falsePositives()
                + ", falseNegative " + pairs.falseNegatives() + ", trueNegative " + pairs.trueNegatives());
        figures.put("precision", round5(pairs.precision()));
        figures.put("recall", round5(pairs.recall()));
        figures.put("f1", round5(pairs.f1()));
        figures.put("missedPairsByCause", Causes.text(causes.missedByCause));
        figures.put("missedPairsByError", Causes.text(causes.missedByError));
        figures.put("falseLinksByCause", Causes.text(causes.falseByCause));
        figures.put("falseLinksByLinkKind", Causes.text(causes.falseByKind));
        figures.put("batch", batchSize + " records in steps of " + LinkingEngine.STEP + ", read ahead on a pooled connection");
        figures.put("generationSeconds", round1(generation));
        figures.put("linkingSeconds", link ? round1(linking) : "not linked in this run");
        figures.put("linkingRecordsPerSecond", link ? Math.round(recs.size() / linking) : "not linked in this run");
        figures.put("evaluationSeconds", round1(evaluation));

        System.out.println();
        figures.forEach((k, v) -> System.out.println(k + ": " + v));
        System.out.printf("%nmissed pairs (same person, different patients), examples by cause:%n");
        causes.missedExamples.forEach((cause, list) -> {
            System.out.println("  " + cause);
            list.forEach(x -> System.out.println("    " + x));
        });
        System.out.printf("%nfalse links (different persons, one patient), examples by cause:%n");
        causes.falseExamples.forEach((cause, list) -> {
            System.out.println("  " + cause);
            list.forEach(x -> System.out.println("    " + x));
        });

        if (docs != null) {
            String command = COMMAND + " --records " + records + " --seed " + seed + " --error-scale "
                    + MatchingEvaluation.opt(args, "--error-scale", "1");
            Map<String, Object> scenario = new LinkedHashMap<>();
            scenario.put("title", "MPI accuracy at scale: the simulator's population linked in-process (pairwise)");
            scenario.put("what", "The simulator's population with its error profiles until it holds N PATIENT records (one per "
                    + "provider seeing a person: the index's source records), linked in time order by the patient index's own "
                    + "LinkingEngine in batches of 5,000 with read-ahead, as its consumer does, into real PostgreSQL (no REST, no "
                    + "Kafka). Pairwise precision and recall against the simulator's truth, counted from cluster sizes; a record "
                    + "left for review counts as not linked. Causes: docs/benchmarks/patient-index-service.md, \"Accuracy at scale\".");
            scenario.put("command", command);
            scenario.putAll(figures);
            String host = env("EHR_PG_HOST", "127.0.0.1");
            int port = Integer.parseInt(env("EHR_PG_PORT", "5432"));
            BenchReport.record(Path.of(docs), "mpiAccuracyAtScale", scenario, "AccuracyAtScale " + String.join(" ", args), host, port,
                    env("EHR_PG_USER", "postgres"), env("EHR_PG_PASSWORD", ""));
            say("wrote %s", Path.of(docs).resolve("benchmarks.md"));
        }
    }

    /** Generates persons until {@code records} PATIENT records are held (the last person's records complete). */
    static Population generate(int records, long seed, double errorScale) throws Exception {
        List<Rec> out = new ArrayList<>(records + 8);
        // persons ≤ records: the population is sized for that many and stops once enough records are held
        long[] household = new long[records + 1];
        boolean[] twin = new boolean[records + 1];
        long[] persons = {0};
        final class Enough extends RuntimeException {
            Enough() {
                super(null, null, false, false);
            }
        }
        RecordSink sink = new RecordSink() {
            @Override
            public void record(SourceRecord r) {
                if (r.type() != RecordType.PATIENT) {
                    return;
                }
                SourcePatient v = r.patient();
                LocalDate birth = v.birthDate() == null ? null : LocalDate.parse(v.birthDate());
                out.add(new Rec(Integer.parseInt(v.personId().substring(1)), v.providerId(), v.localId(), r.recordId(),
                        r.occurredAt().toInstant(), new Demographics(v.iin(), v.lastName(), v.firstName(), v.middleName(), birth,
                        v.sex(), v.phone(), v.address()), v.applied().isEmpty() ? Set.of() : EnumSet.copyOf(v.applied())));
            }

            @Override
            public void person(Person p) {
                household[(int) p.index] = p.household.id;
                twin[(int) p.index] = p.twin;
                persons[0] = p.index + 1;
                if (out.size() >= records) {
                    throw new Enough();
                }
            }
        };
        Simulation sim = new Simulation(new Simulation.Settings(records, PROVIDERS, seed, Window.defaults(), errorScale,
                FraudRates.defaults()));
        try {
            sim.run(sink);
        } catch (Enough done) {
            // the population holds enough records
        }
        return new Population(out, persons[0], household, twin);
    }

    /** Links every record in order, in batches as the consumer does, and returns the seconds it took. */
    static double link(PGSimpleDataSource ds, Matcher matcher, List<Rec> recs, int batchSize) throws Exception {
        LinkingEngine engine = new LinkingEngine(matcher);
        javax.sql.DataSource pool = BenchDatabase.pooled(ds);
        // as the service's TableUpkeepSchedule does: this machine's server has autovacuum off, and a never-analysed
        // source_record made the block query scan the table (one 1,000-record query 11.2 s at 670,000 records, 0.57 s
        // after ANALYZE), so the 1M run crawled at ~10 records/s
        kz.ehr.events.db.TableUpkeep upkeep = new kz.ehr.events.db.TableUpkeep(ds);
        long t0 = System.nanoTime();
        long last = t0;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            for (int from = 0; from < recs.size(); from += batchSize) {
                List<LinkingEngine.Incoming> batch = new ArrayList<>(batchSize);
                for (Rec r : recs.subList(from, Math.min(recs.size(), from + batchSize))) {
                    batch.add(new LinkingEngine.Incoming(Envelopes.stableEventId(r.provider(), r.recordId()), r.provider(),
                            r.localId(), iinStatus(r.d().iin()), r.d(), r.occurredAt(), r.recordId(), 1));
                }
                engine.link(c, batch, pool::getConnection);
                c.commit();
                upkeep.runOnce();
                long now = System.nanoTime();
                if (now - last > 30e9) {
                    int done = Math.min(recs.size(), from + batchSize);
                    say("  linked %d of %d (%.0f records/s so far)", done, recs.size(), done / ((now - t0) / 1e9));
                    last = now;
                }
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** As ingestion marks it (the shared rule): MISSING, INVALID (shape, check digit or date) or VALID. */
    static String iinStatus(String iin) {
        return iin == null || iin.isBlank() ? "MISSING" : Iin.problem(iin).isPresent() ? "INVALID" : "VALID";
    }

    /**
     * Why pairs went wrong. A missed pair (one person, two patients) is judged by the later record of the two: did it
     * share a blocking key with the earlier one, and what would the matcher decide with the earlier one as its only
     * candidate. A false link (two persons, one patient) by what the persons have in common.
     */
    static final class Causes {
        static final int EXAMPLES = 6;
        final Matcher matcher;
        final Population pop;
        final Map<String, Long> missedByCause = new TreeMap<>();
        final Map<String, Long> missedByError = new TreeMap<>();
        final Map<String, Long> falseByCause = new TreeMap<>();
        final Map<String, Long> falseByKind = new TreeMap<>();
        final Map<String, List<String>> missedExamples = new TreeMap<>();
        final Map<String, List<String>> falseExamples = new TreeMap<>();

        Causes(Matcher matcher, Population pop) {
            this.matcher = matcher;
            this.pop = pop;
        }

        /** {@code recs} in linking order; pairs of one person are few (one record per provider), so they are listed. */
        void missed(List<Rec> recs, String[] enterprise, String[] kind) {
            Map<Integer, List<Integer>> byPerson = new HashMap<>();
            for (int i = 0; i < recs.size(); i++) {
                byPerson.computeIfAbsent(recs.get(i).person(), p -> new ArrayList<>(3)).add(i);
            }
            for (List<Integer> rs : byPerson.values()) {
                for (int x = 0; x < rs.size(); x++) {
                    for (int y = x + 1; y < rs.size(); y++) {
                        int a = rs.get(x);
                        int b = rs.get(y);
                        if (!enterprise[a].equals(enterprise[b])) {
                            Rec earlier = recs.get(Math.min(a, b));
                            Rec later = recs.get(Math.max(a, b));
                            String cause = missCause(earlier, later, kind[Math.max(a, b)]);
                            missedByCause.merge(cause, 1L, Long::sum);
                            EnumSet<Corruption> errors = EnumSet.noneOf(Corruption.class);
                            errors.addAll(earlier.errors());
                            errors.addAll(later.errors());
                            if (errors.isEmpty()) {
                                missedByError.merge("none", 1L, Long::sum);
                            }
                            errors.forEach(e -> missedByError.merge(e.name(), 1L, Long::sum));
                            example(missedExamples, cause, earlier, kind[Math.min(a, b)], later, kind[Math.max(a, b)]);
                        }
                    }
                }
            }
        }

        String missCause(Rec earlier, Rec later, String laterKind) {
            MatchProfile e = earlier.profile();
            MatchProfile l = later.profile();
            if (!blockedTogether(l, e)) {
                return "not blocked together (no shared blocking key)";
            }
            MatchDecision d = matcher.decide(l, List.of(new Matcher.Candidate("earlier", e.iin, List.of(e))));
            String reason = d.reason().contains(":") ? d.reason().substring(0, d.reason().indexOf(':')) : d.reason();
            if (d.links()) {
                return "would link as a pair (" + reason + "), not linked in the stream (later record " + laterKind + ")";
            }
            return switch (reason) {
                case "NO_CANDIDATE" -> "score below the review threshold";
                case "POSSIBLE_MATCH" -> "sent to review: POSSIBLE_MATCH (score " + bucket(d.score()) + ")";
                case "DIFFERENT_IIN" -> "two different valid IINs (review DIFFERENT_IIN)";
                case "IIN_CONFLICT" -> "same IIN, demographics disagree (review IIN_CONFLICT)";
                default -> reason;
            };
        }

        /** The blocking keys of LinkingEngine.BatchIndex: what {@code l} looks up against what {@code e} is indexed by. */
        static boolean blockedTogether(MatchProfile l, MatchProfile e) {
            if (eq(l.iin, e.iin) || eq(l.phone, e.phone) || (l.motherIin != null && l.motherIin.equals(e.motherIin))) {
                return true;
            }
            String eb = e.birthKey();
            if (eb != null && (eb.equals(l.birthKey()) || eb.equals(l.swappedBirthKey())
                    || (l.birthDate != null && eb.equals(l.birthDate + "|?")))) {
                return true;
            }
            if (l.first == null && l.birthDate != null && l.birthDate.equals(e.birthDate)) {
                return true;
            }
            String en = e.nameKey();
            return en != null && (en.equals(l.nameKey()) || en.equals(l.swappedNameKey()));
        }

        private static boolean eq(String a, String b) {
            return a != null && a.equals(b);
        }

        private static String bucket(Double score) {
            if (score == null) {
                return "none";
            }
            return score >= 25 ? "25–29" : score >= 20 ? "20–25" : "12–20";
        }

        /** Clusters of up to 200 records are listed pair by pair; a bigger one is counted as such. */
        void falseLinks(List<Rec> recs, String[] enterprise, String[] kind) {
            Map<String, List<Integer>> byEnterprise = new HashMap<>();
            for (int i = 0; i < recs.size(); i++) {
                byEnterprise.computeIfAbsent(enterprise[i], p -> new ArrayList<>(2)).add(i);
            }
            for (List<Integer> rs : byEnterprise.values()) {
                if (rs.size() < 2) {
                    continue;
                }
                if (rs.size() > 200) {
                    falseByCause.merge("a patient of " + rs.size() + " records (not listed)", 1L, Long::sum);
                    continue;
                }
                for (int x = 0; x < rs.size(); x++) {
                    for (int y = x + 1; y < rs.size(); y++) {
                        Rec a = recs.get(Math.min(rs.get(x), rs.get(y)));
                        Rec b = recs.get(Math.max(rs.get(x), rs.get(y)));
                        if (a.person() != b.person()) {
                            String cause = falseCause(a, b);
                            falseByCause.merge(cause, 1L, Long::sum);
                            falseByKind.merge(kind[Math.max(rs.get(x), rs.get(y))], 1L, Long::sum);
                            example(falseExamples, cause, a, kind[Math.min(rs.get(x), rs.get(y))], b,
                                    kind[Math.max(rs.get(x), rs.get(y))]);
                        }
                    }
                }
            }
        }

        String falseCause(Rec a, Rec b) {
            MatchProfile pa = a.profile();
            MatchProfile pb = b.profile();
            boolean household = pop.household()[a.person()] == pop.household()[b.person()];
            if (household && pop.twin()[a.person()] && pop.twin()[b.person()] && eq(String.valueOf(pa.birthDate), String.valueOf(pb.birthDate))) {
                return "twins";
            }
            if (eq(pa.iin, pb.iin)) {
                return "same IIN (a wrong digit that is the other person's IIN)";
            }
            if (household) {
                return "same household (relatives)";
            }
            if (eq(pa.last, pb.last) && eq(pa.first, pb.first) && pa.birthDate != null && pa.birthDate.equals(pb.birthDate)) {
                return "namesakes born the same day";
            }
            return "other";
        }

        private static void example(Map<String, List<String>> examples, String cause, Rec a, String kindA, Rec b, String kindB) {
            List<String> list = examples.computeIfAbsent(cause, c -> new ArrayList<>());
            if (list.size() < EXAMPLES) {
                list.add(brief(a, kindA) + "  ~  " + brief(b, kindB));
            }
        }

        private static String brief(Rec r, String kind) {
            Demographics d = r.d();
            return Person.personId(r.person()) + " " + r.key() + " " + kind + " " + r.errors() + " [" + d.iin() + " | " + d.lastName()
                    + " " + d.firstName() + " " + d.middleName() + " | " + d.birthDate() + " " + d.sex() + " | " + d.phone() + "]";
        }

        static String text(Map<String, Long> counts) {
            if (counts.isEmpty()) {
                return "none";
            }
            StringBuilder sb = new StringBuilder();
            counts.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> sb.append(sb.length() == 0 ? "" : "; ").append(e.getKey()).append(' ').append(e.getValue()));
            return sb.toString();
        }
    }

    private static double round5(double v) {
        return Math.round(v * 100_000) / 100_000.0;
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static void say(String format, Object... args) {
        System.out.printf(format + "%n", args);
        System.out.flush();
    }
}
