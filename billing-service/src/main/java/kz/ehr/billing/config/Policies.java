package kz.ehr.billing.config;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import kz.ehr.billing.capitation.AgeBand;
import kz.ehr.billing.capitation.CapitationPolicies;
import kz.ehr.billing.capitation.CapitationPolicy;
import kz.ehr.billing.capitation.CombinationPolicy;
import kz.ehr.billing.fraud.FraudPolicy;
import kz.ehr.screening.ScreeningProgramme;

/** Turns the typed configuration into the domain's policy objects, once. */
@ApplicationScoped
public class Policies {
    private final CapitationPolicies capitation;
    private final FraudPolicy fraud;
    private final java.time.ZoneId zone;
    private final int rowsPerStep;
    /** The system clock; a test's fixed one through {@link #withClock}. */
    private java.time.Clock clock = java.time.Clock.systemUTC();

    @Inject
    public Policies(BillingConfig config) {
        List<CapitationPolicy> versions = new ArrayList<>();
        config.capitation().versions().forEach((from, v) -> versions.add(toPolicy(from, v)));
        this.capitation = new CapitationPolicies(versions);
        BillingConfig.Fraud f = config.fraud();
        List<ScreeningProgramme> programmes = f.screeningProgrammes().map(Policies::programmes).orElse(FraudPolicy.domainProgrammes());
        this.fraud = new FraudPolicy(f.dailyCap(), f.defaultSlotMinutes(), f.burstThreshold(), f.nearMarkFromMonths(), 12, programmes,
                f.ghostPatients());
        this.zone = java.time.ZoneId.of(config.zone());
        if (f.rowsPerStep() < 1) {
            throw new IllegalArgumentException("billing.fraud.rows-per-step must be at least 1");
        }
        this.rowsPerStep = f.rowsPerStep();
    }

    /** For code running outside CDI (benchmarks). */
    public Policies(CapitationPolicies capitation, FraudPolicy fraud, java.time.ZoneId zone) {
        this(capitation, fraud, zone, 10_000);
    }

    /** For code running outside CDI with its own bound on the visit rows the monitor holds ({@link BillingConfig.Fraud#rowsPerStep}). */
    public Policies(CapitationPolicies capitation, FraudPolicy fraud, java.time.ZoneId zone, int rowsPerStep) {
        if (rowsPerStep < 1) {
            throw new IllegalArgumentException("billing.fraud.rows-per-step must be at least 1");
        }
        this.capitation = capitation;
        this.fraud = fraud;
        this.zone = zone;
        this.rowsPerStep = rowsPerStep;
    }

    /** Most visit rows the fraud monitor holds at once. */
    public int rowsPerStep() {
        return rowsPerStep;
    }

    public CapitationPolicies capitation() {
        return capitation;
    }

    public FraudPolicy fraud() {
        return fraud;
    }

    public java.time.ZoneId zone() {
        return zone;
    }

    /**
     * Today's date in the billing time zone ({@code billing.zone}, Asia/Almaty): the default {@code asOf} of the
     * outreach lists. From 19:00 UTC Almaty is already on the next day, so a UTC date would be a day behind.
     */
    public java.time.LocalDate today() {
        return java.time.LocalDate.now(clock.withZone(zone));
    }

    /** The same policies reading {@code clock} (tests: a fixed instant instead of now). */
    public Policies withClock(java.time.Clock clock) {
        Policies p = new Policies(capitation, fraud, zone, rowsPerStep);
        p.clock = clock;
        return p;
    }

    static CapitationPolicy toPolicy(String from, BillingConfig.PolicyVersion v) {
        Map<String, EnumMap<AgeBand, BigDecimal>> sexAge = new HashMap<>(CapitationPolicy.calibrationSexAgeTable());
        v.sexAgeMale().ifPresent(s -> sexAge.put("M", CapitationPolicy.row(s.split(","))));
        v.sexAgeFemale().ifPresent(s -> sexAge.put("F", CapitationPolicy.row(s.split(","))));
        return new CapitationPolicy("capitation-" + from, LocalDate.parse(from), v.baseRate(),
                decimals(v.baseRates().orElse("")), decimals(v.regionalCoefficients().orElse("")), sexAge,
                v.noVisitFactor(), v.notInsuredFactor(), CombinationPolicy.valueOf(v.combination().trim()),
                v.visitLookbackMonths(), v.exemptAttachedUnderMonths(), v.exemptInfants(),
                Set.of(v.countedVisitKinds().replace(" ", "").split(",")), v.unknownInsuranceCountsAsInsured());
    }

    static Map<String, BigDecimal> decimals(String spec) {
        Map<String, BigDecimal> out = new HashMap<>();
        for (String item : spec.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            int eq = item.lastIndexOf('=');
            out.put(item.substring(0, eq).trim(), new BigDecimal(item.substring(eq + 1).trim()));
        }
        return out;
    }

    /** {@code CODE:SEX|*:MIN:MAX:EFFECTIVE_FROM[:INTERVAL]}, INTERVAL an ISO period (P2Y) or {@code -} for none. */
    static List<ScreeningProgramme> programmes(String spec) {
        List<ScreeningProgramme> out = new ArrayList<>();
        for (String item : spec.split(",")) {
            String[] p = item.trim().split(":");
            java.time.Period interval = p.length > 5 && !"-".equals(p[5].trim()) ? java.time.Period.parse(p[5].trim()) : null;
            out.add(new ScreeningProgramme(p[0], "*".equals(p[1]) ? null : p[1], Integer.parseInt(p[2]), Integer.parseInt(p[3]),
                    interval, LocalDate.parse(p[4])));
        }
        return out;
    }
}
