package kz.ehr.billing.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.avro.specific.SpecificRecordBase;
import org.flywaydb.core.Flyway;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import kz.ehr.billing.config.Policies;
import kz.ehr.billing.fraud.FraudPolicy;
import kz.ehr.billing.fraud.service.FraudMonitor;
import kz.ehr.billing.projection.BillingIngest;
import kz.ehr.billing.projection.BillingProjection;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.local.Databases;
import kz.ehr.simulator.bench.BenchReport;
import kz.ehr.simulator.bench.FraudAccuracy;
import kz.ehr.simulator.fraud.FraudType;

/**
 * The fraud monitor's precision and recall per rule on the simulator's labelled fraud, in process: every record of
 * {@code persons} simulated people (all fraud kinds, the three across the identity graph included) goes through
 * billing's real projection and monitor on PostgreSQL, batch by batch as the consumer applies them, with the patient
 * index's links as a perfect index ({@link BillingStreamBench#generate}); GHOST_PATIENT is on, as on ./ehr up. Then
 * the standing flags (not WITHDRAWN) are scored against the labels with the simulator's own scorer
 * ({@link FraudAccuracy#score}, the one {@code ./ehr bench} uses on the running platform). Database
 * {@code ehr_billing_fraud<EHR_TEST_DB_SUFFIX>}, recreated each run.
 * <p>
 * Arguments: {@code [persons (3000)] [seed (7)] [--docs DIR]}; with {@code --docs} the figures are also written into
 * DIR/benchmarks.md and .json (row "Fraud monitor accuracy, in process"), stamped with this machine, the date and the
 * server's settings ({@link BenchReport}), so a regeneration of that file keeps them. Command: {@link #COMMAND}.
 */
public final class FraudAccuracyBench {
    /**
     * How a reader runs this from a fresh clone's root: the reactor (-am) compiles the modules it needs, and the
     * classpath points at their target/classes, so nothing has to be installed into ~/.m2 first.
     */
    static final String COMMAND = "mvn -B -q -o -pl billing-service -am test-compile dependency:build-classpath"
            + " -Dmdep.outputFile=target/test-classpath.txt -Dmdep.includeScope=test && cd billing-service && java"
            + " -cp \"target/test-classes:target/classes:$(cat target/test-classpath.txt)\" kz.ehr.billing.bench.FraudAccuracyBench";

    public static void main(String[] args) throws Exception {
        List<String> positional = new java.util.ArrayList<>(List.of(args));
        String docs = null;
        int d = positional.indexOf("--docs");
        if (d >= 0) {
            docs = positional.get(d + 1);
            positional.subList(d, d + 2).clear();
        }
        int persons = positional.size() > 0 ? Integer.parseInt(positional.get(0)) : 3000;
        long seed = positional.size() > 1 ? Long.parseLong(positional.get(1)) : 7;
        String loadAtStart = loadAverage();
        int batchSize = Integer.getInteger("bench.batch", 5_000);
        String db = "ehr_billing_fraud" + System.getenv().getOrDefault("EHR_TEST_DB_SUFFIX", "").toLowerCase();
        Databases.ensure(BillingBench.HOST, BillingBench.PORT, BillingBench.USER, BillingBench.PASSWORD, db, true);
        String url = "jdbc:postgresql://" + BillingBench.HOST + ":" + BillingBench.PORT + "/" + db;
        Flyway.configure().dataSource(url, BillingBench.USER, BillingBench.PASSWORD).locations("classpath:db/migration").load().migrate();

        Map<String, FraudType> labels = new HashMap<>();
        long t = System.nanoTime();
        List<Delivery<SpecificRecordBase>> stream = kz.ehr.simulator.bench.PublishedStream.generate(Integer.MAX_VALUE, seed, persons, batchSize, labels);
        System.out.printf("generated %,d deliveries for %,d persons (seed %d), %,d labelled visits, in %.1f s%n", stream.size(), persons,
                seed, labels.size(), BillingBench.secs(t));

        Policies policies = new Policies(new kz.ehr.billing.capitation.CapitationPolicies(List.of(
                BillingBench.policy("2020-01-01", "1.0", "1.0"), BillingBench.policy("2025-10-01", "0.8", "0.9"))),
                FraudPolicy.defaults().withGhostPatients(true), BillingStreamBench.ZONE);
        BillingIngest ingest = BillingIngest.of(BillingProjection.of(policies), FraudMonitor.of(policies));
        Map<String, Set<String>> flagged = new HashMap<>();
        Set<String> underSharedIin = new HashSet<>();
        try (Connection c = DriverManager.getConnection(url, BillingBench.USER, BillingBench.PASSWORD);
             Connection second = DriverManager.getConnection(url, BillingBench.USER, BillingBench.PASSWORD)) {
            c.setAutoCommit(false);
            BillingIngest.OutsideConnection outside = BillingBench.outside(second);
            t = System.nanoTime();
            for (int from = 0; from < stream.size(); from += batchSize) {
                BillingStreamBench.apply(ingest, c, outside, stream.subList(from, Math.min(stream.size(), from + batchSize)));
            }
            System.out.printf("applied in %.1f s%n", BillingBench.secs(t));
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT visit_key, rule_id FROM fraud_flag WHERE state <> 'WITHDRAWN'")) {
                while (rs.next()) {
                    flagged.computeIfAbsent(rs.getString(1), k -> new HashSet<>()).add(rs.getString(2));
                }
            }
            // the visits of persons filed under an IIN that several enterprise patients share (their flags say
            // identityInReview: the reviewer sees that the IIN may mix two people)
            try (Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT v.rec_key FROM visit v JOIN shared_iin s ON s.person_key = v.person_key")) {
                while (rs.next()) {
                    underSharedIin.add(rs.getString(1));
                }
            }
            c.commit();
        }
        Map<String, Object> score = FraudAccuracy.score(flagged, labels);
        score.put("falsePositiveVisitsUnderASharedIin", flagged.keySet().stream()
                .filter(v -> underSharedIin.contains(v) && !labels.containsKey(v)).count());
        score.put("persons", persons);
        score.put("seed", seed);
        score.put("measuredOn", LocalDate.now().toString());
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(score));
        if (docs != null) {
            Map<String, Object> scenario = new LinkedHashMap<>();
            scenario.put("title", "Fraud monitor accuracy, in process: billing's projection and monitor on the simulator's labelled fraud");
            scenario.put("what", "Every record of N simulated persons (every fraud kind the simulator labels, the three across the "
                    + "identity graph included) through billing's real projection and fraud monitor on PostgreSQL, batch by batch "
                    + "(" + batchSize + " deliveries) as the consumer applies them, with a perfect patient index (no REST, no Kafka); "
                    + "GHOST_PATIENT on, as on ./ehr up. The standing flags (not WITHDRAWN) scored per visit against the labels "
                    + "with the scorer ./ehr bench uses. Per rule: truePositive + falsePositive = its flagged visits (a flag is "
                    + "right when the visit is labelled fraud of any kind); caught + missed = the visits labelled with the kind "
                    + "that rule is meant for; falsePositiveVisitsUnderASharedIin: the false positives on persons filed under "
                    + "an IIN several enterprise patients share (their flags carry identityInReview). Database ehr_billing_fraud + EHR_TEST_DB_SUFFIX, recreated each run. Code: "
                    + "billing-service/src/test/java/kz/ehr/billing/bench/FraudAccuracyBench.java; the false positives' causes: "
                    + "docs/benchmarks/billing-service.md, \"Fraud monitor accuracy\".");
            scenario.put("command", COMMAND + " " + persons + " " + seed);
            scenario.put("loadAverageAtStart", loadAtStart);
            score.remove("measuredOn");
            scenario.putAll(score);
            BenchReport.record(Path.of(docs), "fraudAccuracyInProcess", scenario, "FraudAccuracyBench " + String.join(" ", args),
                    BillingBench.HOST, BillingBench.PORT, BillingBench.USER, BillingBench.PASSWORD);
            System.out.println("wrote " + Path.of(docs).resolve("benchmarks.md"));
        }
    }

    /** The 1, 5 and 15 minute load averages now (the machine is shared: the figures' context). */
    private static String loadAverage() throws java.io.IOException {
        Path p = Path.of("/proc/loadavg");
        return Files.exists(p) ? String.join(" / ", java.util.Arrays.copyOf(Files.readString(p).split("\\s+"), 3)) + " (1 / 5 / 15 min)"
                : "not available";
    }
}
