package kz.ehr.billing.capitation.service;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import kz.ehr.billing.BillingProblem;
import kz.ehr.billing.capitation.CapitationCalculator;
import kz.ehr.billing.capitation.CapitationInput;
import kz.ehr.billing.capitation.CapitationLine;
import kz.ehr.billing.capitation.CapitationPolicy;
import kz.ehr.billing.config.Policies;
import kz.ehr.billing.outbox.Outbox;
import kz.ehr.billing.projection.Jdbc;
import kz.ehr.events.BillingEvent;
import kz.ehr.events.Envelopes;

/**
 * Computes a month's statements for every polyclinic: one SQL pass assembles each attached person's facts on the
 * billing date (streamed over a server-side cursor), the domain formula prices each person, and lines go back with
 * COPY in chunks. A month's latest version is recomputed in place while OPEN; once CLOSED it is immutable and a new
 * run creates the next version.
 * JDBC and COPY for the lines: the capitation run BillingBench measures (docs/benchmarks/billing-service.md, "Capitation run"); headers are Panache entities.
 */
@ApplicationScoped
public class CapitationRuns {
    private static final Logger LOG = Logger.getLogger(CapitationRuns.class);
    private static final int COPY_CHUNK = 20_000;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    Policies policies;
    @Inject
    kz.ehr.billing.config.BillingConfig config;
    @Inject
    kz.ehr.billing.metrics.BillingMetrics metrics;

    public record RunResult(String month, int version, String status, String policyId, LocalDate billingDate, long persons,
                            BigDecimal amount, BigDecimal fullAmount, int polyclinics, long millis, long readingMillis,
                            long pricingMillis, long copyMillis, long indexMillis) {
    }

    /** What one part of a run read and priced. */
    record Part(Map<String, Totals> totals, long readNanos, long priceNanos, long copyNanos) {
    }

    /** Per-polyclinic totals accumulated while streaming. */
    static final class Totals {
        long persons, paid, p100, p90, p80, p72, unpaid, noVisit12m;
        BigDecimal full = BigDecimal.ZERO, amount = BigDecimal.ZERO, noVisit = BigDecimal.ZERO, notInsured = BigDecimal.ZERO,
                fraud = BigDecimal.ZERO;

        Totals plus(Totals o) {
            persons += o.persons;
            paid += o.paid;
            p100 += o.p100;
            p90 += o.p90;
            p80 += o.p80;
            p72 += o.p72;
            unpaid += o.unpaid;
            noVisit12m += o.noVisit12m;
            full = full.add(o.full);
            amount = amount.add(o.amount);
            noVisit = noVisit.add(o.noVisit);
            notInsured = notInsured.add(o.notInsured);
            fraud = fraud.add(o.fraud);
            return this;
        }

        void add(CapitationLine l, boolean noCountedVisit) {
            persons++;
            if (!l.paid()) {
                unpaid++;
            } else {
                paid++;
                switch (l.factorPercent()) {
                    case 100 -> p100++;
                    case 90 -> p90++;
                    case 80 -> p80++;
                    case 72 -> p72++;
                    default -> { }
                }
                if (noCountedVisit) {
                    noVisit12m++;
                }
            }
            full = full.add(l.fullAmount());
            amount = amount.add(l.amount());
            noVisit = noVisit.add(l.withheldNoVisit());
            notInsured = notInsured.add(l.withheldNotInsured());
            fraud = fraud.add(l.withheldByFraudFlags());
        }
    }

    /** Opens connections outside the run's transaction: the run's parts read and write lines through them. */
    @FunctionalInterface
    public interface Connections {
        Connection open() throws SQLException;
    }

    /** Runs the month in a transaction of its own; counted in {@code ehr_billing_capitation_runs_total} once it ended. */
    public RunResult run(YearMonth month) {
        try {
            RunResult result = QuarkusTransaction.requiringNew().timeout(900).call(() -> runIn(month, config.capitation().parallelParts()));
            metrics.capitationRun("completed");
            return result;
        } catch (RuntimeException e) {
            metrics.capitationRun("failed");
            throw e;
        }
    }

    /**
     * The whole run in the caller's transaction: the version's lines through JDBC and COPY ({@link #compute}), its
     * statements and run header as entities, its OUTREACH_DUE events in the outbox. Hibernate and the JDBC statements
     * share the transaction's one connection, so the month's advisory lock covers both and all of it commits or
     * nothing does (CapitationRunAtomicityTests).
     */
    public RunResult runIn(YearMonth month, int parts) throws SQLException {
        long t0 = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            lock(c, month);
            CapitationRunEntity latest = CapitationRunEntity.latest(month);
            int version = latest == null ? 1 : latest.closed() ? latest.version + 1 : latest.version;
            LocalDate billingDate = CapitationCalculator.billingDate(month);
            CapitationPolicy policy;
            try {
                policy = policies.capitation().inForceOn(billingDate);
            } catch (IllegalArgumentException e) {
                throw BillingProblem.badRequest("NO_POLICY", "month", e.getMessage());
            }
            Lines lines = compute(c, dataSource::getConnection, month, version, policy, parts);

            // only an OPEN version can be replaced here: a CLOSED one made version move on
            CapitationStatementEntity.delete("month = ?1 and version = ?2", month.toString(), version);
            List<BillingEvent> events = new ArrayList<>();
            for (var e : lines.totals().entrySet()) {
                Totals t = e.getValue();
                CapitationStatementEntity s = new CapitationStatementEntity();
                s.month = month.toString();
                s.version = version;
                s.polyclinicBin = e.getKey();
                s.persons = t.persons;
                s.paidPersons = t.paid;
                s.persons100 = t.p100;
                s.persons90 = t.p90;
                s.persons80 = t.p80;
                s.persons72 = t.p72;
                s.personsUnpaid = t.unpaid;
                s.personsNoVisit12m = t.noVisit12m;
                s.fullAmount = t.full;
                s.amount = t.amount;
                s.withheldNoVisit = t.noVisit;
                s.withheldNotInsured = t.notInsured;
                s.withheldByFraud = t.fraud;
                s.persist();
                if (t.noVisit12m > 0) {
                    // one call-centre task per polyclinic and month, however often the month is recomputed
                    BillingEvent ev = Outbox.event(Envelopes.stableEventId("OUTREACH_DUE", month.toString(), e.getKey()),
                            "OUTREACH_DUE", e.getKey(), "capitation:" + month);
                    ev.setMonth(month.toString());
                    ev.setPersons(t.noVisit12m);
                    ev.setReason(t.noVisit12m + " attached persons had no counted visit in the " + policy.visitLookbackMonths()
                            + " months before " + billingDate);
                    ev.setRuleId(OUTREACH_12M);
                    events.add(ev);
                }
            }
            // the 5-year list ("nobody should go five years without a visit"): its own task per polyclinic and month
            for (var e : unseenFor(c, billingDate, FIVE_YEARS, policy, lines.totals().keySet()).entrySet()) {
                BillingEvent ev = Outbox.event(Envelopes.stableEventId("OUTREACH_DUE", month.toString(), e.getKey(), OUTREACH_60M),
                        "OUTREACH_DUE", e.getKey(), "capitation:" + month);
                ev.setMonth(month.toString());
                ev.setPersons(e.getValue());
                ev.setRuleId(OUTREACH_60M);
                ev.setReason(e.getValue() + " attached persons had no counted visit in the " + FIVE_YEARS + " months before " + billingDate);
                events.add(ev);
            }
            // an OPEN version is recomputed in place, a CLOSED one is never touched: the next version gets a header of its own
            CapitationRunEntity run = latest != null && latest.version == version ? latest : new CapitationRunEntity();
            run.month = month.toString();
            run.version = version;
            run.status = CapitationRunEntity.OPEN;
            run.policyId = policy.id();
            run.billingDate = billingDate;
            run.computedAt = Instant.now();
            run.persons = lines.persons();
            run.amount = lines.amount();
            run.fullAmount = lines.fullAmount();
            run.persist();
            Outbox.add(c, events);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            LOG.infof("capitation %s v%d: %d persons, %d polyclinics, %s ₸ in %d ms (reading %d ms, pricing %d ms, waiting for COPY %d ms,"
                    + " index + attach %d ms)", month, version, run.persons, lines.totals().size(), run.amount.toPlainString(), millis,
                    lines.readingMillis(), lines.pricingMillis(), lines.copyMillis(), lines.indexMillis());
            return new RunResult(month.toString(), version, "OPEN", policy.id(), billingDate, run.persons, run.amount, run.fullAmount,
                    lines.totals().size(), millis, lines.readingMillis(), lines.pricingMillis(), lines.copyMillis(), lines.indexMillis());
        }
    }

    /** A version's lines as written, and the per-polyclinic totals its statements are made of. */
    public record Lines(Map<String, Totals> totals, long readingMillis, long pricingMillis, long copyMillis, long indexMillis) {
        public long persons() {
            return totals.values().stream().mapToLong(t -> t.persons).sum();
        }

        public BigDecimal amount() {
            return totals.values().stream().map(t -> t.amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        }

        public BigDecimal fullAmount() {
            return totals.values().stream().map(t -> t.full).reduce(BigDecimal.ZERO, BigDecimal::add);
        }
    }

    /**
     * A version's lines on the caller's connection and transaction; public for the benchmark (BillingBench: COPY and
     * one SQL pass because a run prices every attached person, 1M in the 15 s target). The attached persons are
     * split into {@code parts} (a power of two) by a hash of their key; each part is read and priced on its own thread
     * and connection while its lines stream through another (the database joins, Java prices and the COPY parses at the
     * same time). Lines go into a
     * fresh, detached partition, indexed once and attached here: the version becomes visible with this transaction's
     * commit, all of it or nothing. A crash leaves only a detached table nobody reads, dropped by the month's next run.
     * Each part reads its persons in one snapshot; a fact arriving during the run is seen whole or not at all per person.
     */
    public static Lines compute(Connection c, Connections connections, YearMonth month, int version, CapitationPolicy policy, int parts)
            throws SQLException {
        LocalDate billingDate = CapitationCalculator.billingDate(month);
        LineTables tables = new LineTables(c, month, version);
        tables.dropLeftovers();
        LocalDate windowStart = billingDate.minusMonths(policy.visitLookbackMonths());
        // the new partition must exist, committed, before the writers' connections load it
        outsideTransaction(() -> {
            try (Connection w = connections.open()) {
                w.setAutoCommit(true);
                tables.create(w);
            }
            return null;
        });
        LineWriter.Prices prices = new LineWriter.Prices();
        List<Part> done = new ArrayList<>();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(parts, r -> {
            Thread t = new Thread(r, "capitation-" + month);
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<Part>> futures = new ArrayList<>();
            for (int k = 0; k < parts; k++) {
                int part = k;
                futures.add(pool.submit(() -> readPriceWrite(connections, tables, prices, part, parts, month, policy, billingDate,
                        windowStart)));
            }
            Throwable failure = null;
            for (var f : futures) {
                try {
                    done.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    failure = failure == null ? e.getCause() : failure;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    failure = e;
                }
            }
            if (failure instanceof SQLException sql) {
                throw sql;
            } else if (failure instanceof RuntimeException rt) {
                throw rt;
            } else if (failure instanceof Error err) {
                throw err;
            } else if (failure != null) {
                throw new SQLException("capitation run " + month + " failed", failure);
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, Totals> totals = new TreeMap<>();
        long readNanos = 0, priceNanos = 0, copyNanos = 0;
        for (Part p : done) {
            p.totals().forEach((bin, t) -> totals.merge(bin, t, Totals::plus));
            readNanos = Math.max(readNanos, p.readNanos());
            priceNanos = Math.max(priceNanos, p.priceNanos());
            copyNanos = Math.max(copyNanos, p.copyNanos());
        }
        long tIndex = System.nanoTime();
        LineWriter.writePrices(c, prices, month.toString(), version);
        tables.indexAndAttach();
        long indexMillis = (System.nanoTime() - tIndex) / 1_000_000;
        return new Lines(totals, readNanos / 1_000_000, priceNanos / 1_000_000, copyNanos / 1_000_000, indexMillis);
    }

    /** One part: its persons' facts on the billing date in one SQL pass, priced, streamed to the partition. */
    static Part readPriceWrite(Connections connections, LineTables tables, LineWriter.Prices prices, int part, int parts, YearMonth month,
                               CapitationPolicy policy, LocalDate billingDate, LocalDate windowStart) throws SQLException {
        Map<String, Totals> totals = new HashMap<>();
        long readNanos = 0, priceNanos = 0, copyNanos = 0;
        CapitationCalculator.PriceCache cache = new CapitationCalculator.PriceCache();
        try (Connection r = connections.open()) {
            r.setAutoCommit(false); // a cursor streams only inside a transaction
            LineWriter lines = new LineWriter(connections, tables, prices);
            try {
                try (Statement st = r.createStatement()) {
                    // the joins hash three 1M-row inputs: in memory instead of 8 batches on disk (default 4 MB); JIT compiles
                    // for longer than this plan runs. Both for this read-only transaction only.
                    st.execute("SET LOCAL work_mem = '256MB'");
                    st.execute("SET LOCAL jit = off");
                }
                // with several parts each takes the persons whose key hashes to it (inlined constants, no parameters)
                String mine = parts == 1 ? "" : " AND (hashtext(%s) & " + (parts - 1) + ") = " + part;
                try (PreparedStatement ps = r.prepareStatement("""
                        SELECT a.person_key, a.polyclinic_bin, a.region, a.from_date, a.sex, a.birth_date, a.death_date,
                               ins.insured, lv.last_counted, lv.last_flagged, a.identity_in_review
                        FROM attached_person a
                        LEFT JOIN (SELECT DISTINCT ON (person_key) person_key, insured FROM insurance
                                   WHERE (from_date IS NULL OR from_date <= ?) AND (to_date IS NULL OR to_date >= ?) %1$s
                                   ORDER BY person_key, from_date DESC NULLS LAST) ins ON ins.person_key = a.person_key
                        LEFT JOIN (SELECT person_key, max(visit_date) FILTER (WHERE NOT flagged) last_counted,
                                          max(visit_date) FILTER (WHERE flagged) last_flagged
                                   FROM visit WHERE visit_date <= ? AND visit_date > ? AND kind = ANY(?) %1$s
                                   GROUP BY person_key) lv ON lv.person_key = a.person_key
                        WHERE a.from_date <= ? AND (a.effective_to IS NULL OR a.effective_to >= ?) %2$s"""
                        .formatted(mine.formatted("person_key"), mine.formatted("a.person_key")))) {
                    // no ORDER BY: the partition is indexed after the load, so rows may come in whatever order the joins give
                    ps.setFetchSize(10_000);
                    // binary results from the first execution: dates arrive as day numbers instead of text to parse
                    ps.unwrap(org.postgresql.PGStatement.class).setPrepareThreshold(-1);
                    Jdbc.date(ps, 1, billingDate);
                    Jdbc.date(ps, 2, billingDate);
                    Jdbc.date(ps, 3, billingDate);
                    Jdbc.date(ps, 4, windowStart);
                    ps.setArray(5, r.createArrayOf("text", policy.countedVisitKinds().toArray()));
                    Jdbc.date(ps, 6, billingDate);
                    Jdbc.date(ps, 7, billingDate);
                    try (ResultSet rs = ps.executeQuery()) {
                        long tRead = System.nanoTime();
                        while (rs.next()) {
                            readNanos += System.nanoTime() - tRead;
                            long tPrice = System.nanoTime();
                            Object insured = rs.getObject(8);
                            CapitationInput in = new CapitationInput(rs.getString(1), rs.getString(2), rs.getString(3), Jdbc.date(rs, 4),
                                    rs.getString(5), Jdbc.date(rs, 6), Jdbc.date(rs, 7), (Boolean) insured, Jdbc.date(rs, 9),
                                    Jdbc.date(rs, 10));
                            CapitationLine line = CapitationCalculator.line(in, month, policy, cache);
                            totals.computeIfAbsent(in.polyclinicBin(), k -> new Totals()).add(line, in.lastCountedVisit() == null);
                            long tCopy = System.nanoTime();
                            priceNanos += tCopy - tPrice;
                            lines.add(line, rs.getBoolean(11));
                            tRead = System.nanoTime();
                            copyNanos += tRead - tCopy;
                        }
                    }
                }
                long tFlush = System.nanoTime();
                lines.finish();
                copyNanos += System.nanoTime() - tFlush;
            } finally {
                lines.abortIfUnfinished();
                r.rollback();
            }
        }
        return new Part(totals, readNanos, priceNanos, copyNanos);
    }

    /** Runs on a fresh thread, so a connection taken there is not enlisted in the caller's transaction. */
    private static <T> T outsideTransaction(java.util.concurrent.Callable<T> work) throws SQLException {
        var task = new java.util.concurrent.FutureTask<>(work);
        Thread t = new Thread(task, "capitation-setup");
        t.setDaemon(true);
        t.start();
        try {
            return task.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof SQLException sql ? sql : new SQLException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException(e);
        }
    }

    /** Closes the latest version: immutable from now on, announced per polyclinic on billing.events.v1. */
    public RunResult close(YearMonth month) {
        return QuarkusTransaction.requiringNew().call(() -> closeIn(month));
    }

    /** The close in the caller's transaction: the header through Hibernate, the events through the outbox, one connection. */
    public RunResult closeIn(YearMonth month) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            lock(c, month);
            CapitationRunEntity run = CapitationRunEntity.latest(month);
            if (run == null) {
                throw BillingProblem.notFound("NO_RUN", "capitation for " + month + " has not been run yet");
            }
            if (run.closed()) {
                throw BillingProblem.conflict("ALREADY_CLOSED", "capitation " + month + " version " + run.version
                        + " is already closed; run it again to create version " + (run.version + 1));
            }
            List<CapitationStatementEntity> statements = CapitationStatementEntity.list("month = ?1 and version = ?2",
                    Sort.by("polyclinicBin"), month.toString(), run.version);
            run.status = CapitationRunEntity.CLOSED;
            run.closedAt = Instant.now();
            List<BillingEvent> events = new ArrayList<>();
            for (CapitationStatementEntity s : statements) {
                BillingEvent e = Outbox.event(Envelopes.stableEventId("STATEMENT_CLOSED", month.toString(),
                        Integer.toString(run.version), s.polyclinicBin), "STATEMENT_CLOSED", s.polyclinicBin, "capitation:" + month);
                e.setMonth(month.toString());
                e.setStatementVersion(run.version);
                e.setAmount(s.amount.toPlainString());
                e.setPersons(s.persons);
                events.add(e);
            }
            Outbox.add(c, events);
            return new RunResult(month.toString(), run.version, "CLOSED", run.policyId, run.billingDate, run.persons, run.amount,
                    run.fullAmount, statements.size(), 0, 0, 0, 0, 0);
        }
    }

    /** {@code ruleId} of the OUTREACH_DUE events: which outreach list (GET /api/v1/outreach?noVisitMonths=12 or 60) is due. */
    public static final String OUTREACH_12M = "NO_VISIT_12M", OUTREACH_60M = "NO_VISIT_60M";
    static final int FIVE_YEARS = 60;

    /**
     * Per polyclinic: attached on the billing date, alive after it, and no counted (unflagged, counted kind) visit in the
     * {@code months} before it — exactly the people {@code OutreachList} lists for that many months as of the billing
     * date. Zero counts are left out.
     */
    static Map<String, Long> unseenFor(Connection c, LocalDate billingDate, int months, CapitationPolicy policy,
                                       java.util.Collection<String> polyclinics) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        if (polyclinics.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.polyclinic_bin, count(*) FROM attachment a
                LEFT JOIN person p ON p.person_key = a.person_key
                WHERE a.polyclinic_bin = ANY(?) AND a.from_date <= ? AND (a.effective_to IS NULL OR a.effective_to >= ?)
                  AND (p.death_date IS NULL OR p.death_date > ?)
                  AND NOT EXISTS (SELECT 1 FROM visit v WHERE v.person_key = a.person_key AND NOT v.flagged AND v.kind = ANY(?)
                                  AND v.visit_date <= ? AND v.visit_date > ?)
                GROUP BY a.polyclinic_bin""")) {
            ps.setArray(1, c.createArrayOf("text", polyclinics.toArray()));
            Jdbc.date(ps, 2, billingDate);
            Jdbc.date(ps, 3, billingDate);
            Jdbc.date(ps, 4, billingDate);
            ps.setArray(5, c.createArrayOf("text", policy.countedVisitKinds().toArray()));
            Jdbc.date(ps, 6, billingDate);
            Jdbc.date(ps, 7, billingDate.minusMonths(months));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    private static void lock(Connection c, YearMonth month) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            ps.setString(1, "capitation:" + month);
            ps.execute();
        }
    }

}
