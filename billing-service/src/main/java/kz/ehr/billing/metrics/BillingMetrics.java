package kz.ehr.billing.metrics;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import kz.ehr.billing.fraud.FraudScreen;
import kz.ehr.billing.fraud.service.ScreeningMeter;

/**
 * Billing's Prometheus counters for the ops dashboard: {@code ehr_billing_capitation_runs_total{outcome}} (completed,
 * failed) and {@code ehr_billing_fraud_flags_raised_total{rule}}. Both are counted after the transaction that did the
 * work committed, so a rolled-back batch or run is not counted; every rule's and outcome's series exists from the start
 * (at 0), so a rate has a series before the first event of its kind. And, for whoever sizes billing's database,
 * {@code ehr_billing_fraud_screening_rows_read_total{scope=person|doctor_day}}: the visit rows the monitor read, as it
 * read them (a batch rolled back and retried reads again, and that cost is real).
 */
@Startup // created at start, not on first use: the series are there (at 0) before the first batch or run
@ApplicationScoped
public class BillingMetrics {
    public static final String CAPITATION_RUNS = "ehr.billing.capitation.runs";
    public static final String FRAUD_FLAGS_RAISED = "ehr.billing.fraud.flags.raised";
    /**
     * Visit rows the fraud monitor read from the database, by scope (person, doctor_day): what its screening costs
     * the database, per visit written (a doctor's day is read whole each time a batch adds to it).
     */
    public static final String SCREENING_ROWS_READ = "ehr.billing.fraud.screening.rows.read";

    @Inject
    MeterRegistry registry;

    private final Map<String, Counter> flags = new ConcurrentHashMap<>();

    @PostConstruct
    void register() {
        capitationRun("completed", 0);
        capitationRun("failed", 0);
        FraudScreen.personRuleIds().forEach(rule -> flagsRaised(Map.of(rule, 0)));
        FraudScreen.doctorDayRuleIds().forEach(rule -> flagsRaised(Map.of(rule, 0)));
        FraudScreen.crossPolyclinicRuleIds().forEach(rule -> flagsRaised(Map.of(rule, 0)));
        Map<ScreeningMeter.Scope, Counter> rowsRead = new EnumMap<>(ScreeningMeter.Scope.class);
        for (ScreeningMeter.Scope scope : ScreeningMeter.Scope.values()) {
            rowsRead.put(scope, Counter.builder(SCREENING_ROWS_READ).tag("scope", scope.name().toLowerCase(Locale.ROOT))
                    .description("Visit rows the fraud monitor read, by what it screened").register(registry));
        }
        ScreeningMeter.countInto((scope, rows) -> rowsRead.get(scope).increment(rows));
    }

    /** @param outcome completed or failed */
    public void capitationRun(String outcome) {
        capitationRun(outcome, 1);
    }

    private void capitationRun(String outcome, int n) {
        Counter.builder(CAPITATION_RUNS).tag("outcome", outcome).description("Capitation runs by outcome")
                .register(registry).increment(n);
    }

    /** Flags a committed screening raised, by rule id. */
    public void flagsRaised(Map<String, Integer> byRule) {
        byRule.forEach((rule, n) -> flags.computeIfAbsent(rule, r -> Counter.builder(FRAUD_FLAGS_RAISED).tag("rule", r)
                .description("Fraud flags raised, by rule").register(registry)).increment(n));
    }
}
