package kz.ehr.billing.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.HashSet;
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
 * {@code mvn -B -o -q -pl billing-service -am test-compile -DskipTests && mvn -B -o -q -pl billing-service exec:java
 * -Dexec.classpathScope=test -Dexec.mainClass=kz.ehr.billing.bench.FraudAccuracyBench -Dexec.args="3000 7"}
 */
public final class FraudAccuracyBench {
    public static void main(String[] args) throws Exception {
        int persons = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 7;
        int batchSize = Integer.getInteger("bench.batch", 5_000);
        String db = "ehr_billing_fraud" + System.getenv().getOrDefault("EHR_TEST_DB_SUFFIX", "").toLowerCase();
        Databases.ensure(BillingBench.HOST, BillingBench.PORT, BillingBench.USER, BillingBench.PASSWORD, db, true);
        String url = "jdbc:postgresql://" + BillingBench.HOST + ":" + BillingBench.PORT + "/" + db;
        Flyway.configure().dataSource(url, BillingBench.USER, BillingBench.PASSWORD).locations("classpath:db/migration").load().migrate();

        Map<String, FraudType> labels = new HashMap<>();
        long t = System.nanoTime();
        List<Delivery<SpecificRecordBase>> stream = BillingStreamBench.generate(Integer.MAX_VALUE, seed, persons, labels);
        System.out.printf("generated %,d deliveries for %,d persons (seed %d), %,d labelled visits, in %.1f s%n", stream.size(), persons,
                seed, labels.size(), BillingBench.secs(t));

        Policies policies = new Policies(new kz.ehr.billing.capitation.CapitationPolicies(List.of(
                BillingBench.policy("2020-01-01", "1.0", "1.0"), BillingBench.policy("2025-10-01", "0.8", "0.9"))),
                FraudPolicy.defaults().withGhostPatients(true), BillingStreamBench.ZONE);
        BillingIngest ingest = BillingIngest.of(BillingProjection.of(policies), FraudMonitor.of(policies));
        Map<String, Set<String>> flagged = new HashMap<>();
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
            c.commit();
        }
        Map<String, Object> score = FraudAccuracy.score(flagged, labels);
        score.put("persons", persons);
        score.put("seed", seed);
        score.put("measuredOn", LocalDate.now().toString());
        System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(score));
    }
}
