package kz.ehr.billing.config;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every tunable of the billing service. Rates and tables are calibration values, not official figures. */
@ConfigMapping(prefix = "billing")
public interface BillingConfig {
    /** Time zone whose calendar gives a visit's date from its start instant. */
    @WithDefault("Asia/Almaty")
    String zone();

    Capitation capitation();

    Fraud fraud();

    Consumer consumer();

    interface Consumer {
        /**
         * Most records one consumed batch (one transaction) holds. The monitor's cost is mostly per batch and per
         * person, so bigger batches screen more visits per second (bench: 1,000 → 5,000 gave ~1.6×).
         */
        @WithDefault("5000")
        int maxBatch();
    }

    interface Capitation {
        /** Dated versions of the capitation rules, keyed by the first billing date they apply to (yyyy-MM-dd). */
        Map<String, PolicyVersion> versions();

        /**
         * A run reads, prices and writes its persons in this many parallel parts (a power of two), each on its own
         * connections. 1 (one reader, its COPY on a second connection) is the default: on the shared 2-core machine
         * 2 parts measured no faster, and the hash split hides the row counts from the planner.
         */
        @WithDefault("1")
        int parallelParts();
    }

    interface PolicyVersion {
        /** Base rate in tenge per person per month where no region/year rate is configured. */
        @WithDefault("1710")
        BigDecimal baseRate();

        /** Base rates per region and year: {@code REGION:YEAR=rate,…}; {@code *:YEAR} for every region in a year. */
        Optional<String> baseRates();

        /** Regional coefficients: {@code REGION=coefficient,…}; a region not listed has 1.0. */
        Optional<String> regionalCoefficients();

        /** Male sex-age coefficients, 11 values in band order <1,1–4,5–9,10–14,15–19,20–29,30–39,40–49,50–59,60–69,70+; calibration defaults when absent. */
        Optional<String> sexAgeMale();

        /** Female sex-age coefficients, same order as {@link #sexAgeMale()}. */
        Optional<String> sexAgeFemale();

        /** Factor when the person had no counted visit in the lookback window (0.8 since 2025-10-01). */
        @WithDefault("0.8")
        BigDecimal noVisitFactor();

        /** Factor when the person is not insured in ОСМС on the billing date (0.9 since 2025-10-01). */
        @WithDefault("0.9")
        BigDecimal notInsuredFactor();

        /** MULTIPLICATIVE (0.72 for both) or LOWEST_ONLY (0.8 for both). */
        @WithDefault("MULTIPLICATIVE")
        String combination();

        /** Months before the billing date in which one counted visit avoids the visit penalty. */
        @WithDefault("12")
        int visitLookbackMonths();

        /** Persons attached for fewer months than this are exempt from the visit penalty. */
        @WithDefault("12")
        int exemptAttachedUnderMonths();

        /** Infants under one year on the billing date are exempt from the visit penalty. */
        @WithDefault("true")
        boolean exemptInfants();

        /** Encounter kinds that count as a visit. */
        @WithDefault("VISIT,HOME_VISIT,SCREENING,VACCINATION,TELEMEDICINE")
        String countedVisitKinds();

        /** Whether a person with no ОСМС fact at all counts as insured (true: the penalty needs evidence). */
        @WithDefault("true")
        boolean unknownInsuranceCountsAsInsured();
    }

    interface Fraud {
        /** Visits per doctor per day above which the whole day is flagged. */
        @WithDefault("40")
        int dailyCap();

        /** Minutes assumed for a visit without an end time when checking overlapping slots. */
        @WithDefault("15")
        int defaultSlotMinutes();

        /** Near-mark visits by one doctor in one day that count as a burst. */
        @WithDefault("10")
        int burstThreshold();

        /** A patient unseen for at least this many months (but under the mark) is near the 12-month mark. */
        @WithDefault("11")
        int nearMarkFromMonths();

        /**
         * Screening programmes {@code SCREENING:SEX|*:MIN:MAX:EFFECTIVE_FROM[:INTERVAL],…} (INTERVAL an ISO period such as
         * P2Y, {@code -} or absent for none); DOMAIN.md's programmes ({@code kz.ehr.screening.ScreeningProgramme.DOMAIN})
         * when absent.
         */
        Optional<String> screeningProgrammes();

        /**
         * Whether GHOST_PATIENT runs. Its evidence is an absence (no ОСМС insurance record, stay, death, nor any other
         * polyclinic's attachment or visit), which holds only when the insurance fund's statuses reach billing for every
         * resident; without that feed every uninsured-on-record person would be a ghost. Off by default; the local
         * platform (./ehr up), whose simulator sends every resident's status, turns it on.
         */
        @WithDefault("false")
        boolean ghostPatients();

        /**
         * Whether the monitor reads every touched doctor's day whole (true), instead of screening a day without a
         * doctor-rule flag, under the cap and below a burst from its new visits' neighbours (false, the default;
         * FraudMonitor). The whole-day way is the reference the tests compare the other against.
         */
        @WithDefault("false")
        boolean wholeDays();

        /**
         * Most visit rows the monitor holds at once. Persons and doctor-days are screened in groups of at most this many
         * visits; a single person or doctor-day above it (a fraud storm: 100,000 visits of one doctor on one day) is
         * streamed page by page in (start, visit key) order. Each group's flags are written before the next is read,
         * so the heap a batch needs does not grow with the data's shape: a few KB per row at the peak (StormBench: a
         * 100,000-visit doctor-day screened with 20,000 rows per step peaked at ~120 MB live, flat after the first step).
         */
        @WithDefault("10000")
        int rowsPerStep();
    }
}
