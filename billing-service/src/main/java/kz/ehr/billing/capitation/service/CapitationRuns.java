package kz.ehr.billing.capitation.service;

import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import kz.ehr.billing.BillingProblem;
import kz.ehr.billing.capitation.CapitationCalculator;
import kz.ehr.billing.capitation.CapitationInput;
import kz.ehr.billing.capitation.CapitationLine;
import kz.ehr.billing.capitation.CapitationPolicies;
import kz.ehr.billing.capitation.CapitationPolicy;
import kz.ehr.billing.capitation.Reason;
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
 */
@ApplicationScoped
public class CapitationRuns {
    private static final Logger LOG = Logger.getLogger(CapitationRuns.class);
    private static final int COPY_CHUNK = 20_000;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    Policies policies;

    public record RunResult(String month, int version, String status, String policyId, LocalDate billingDate, long persons,
                            BigDecimal amount, BigDecimal fullAmount, int polyclinics, long millis, long readingMillis,
                            long pricingMillis, long copyMillis) {
    }

    /** Per-polyclinic totals accumulated while streaming. */
    static final class Totals {
        long persons, paid, p100, p90, p80, p72, unpaid, noVisit12m;
        BigDecimal full = BigDecimal.ZERO, amount = BigDecimal.ZERO, noVisit = BigDecimal.ZERO, notInsured = BigDecimal.ZERO,
                fraud = BigDecimal.ZERO;

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

    public RunResult run(YearMonth month) {
        return QuarkusTransaction.requiringNew().timeout(900).call(() -> {
            try (Connection c = dataSource.getConnection()) {
                return compute(c, month, policies.capitation());
            }
        });
    }

    /** The whole run on the caller's connection and transaction; public for the benchmark. */
    public static RunResult compute(Connection c, YearMonth month, CapitationPolicies policies) throws SQLException {
        long t0 = System.nanoTime();
        lock(c, month);
        int version = 1;
        try (PreparedStatement ps = c.prepareStatement("SELECT version, status FROM capitation_run WHERE month = ? ORDER BY version DESC LIMIT 1")) {
            ps.setString(1, month.toString());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    version = "CLOSED".equals(rs.getString(2)) ? rs.getInt(1) + 1 : rs.getInt(1);
                }
            }
        }
        for (String table : List.of("capitation_line", "capitation_statement", "capitation_run")) {
            // only an OPEN version can be here: a CLOSED one made version move on
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE month = ? AND version = ?")) {
                ps.setString(1, month.toString());
                ps.setInt(2, version);
                ps.executeUpdate();
            }
        }
        LocalDate billingDate = CapitationCalculator.billingDate(month);
        CapitationPolicy policy;
        try {
            policy = policies.inForceOn(billingDate);
        } catch (IllegalArgumentException e) {
            throw BillingProblem.badRequest("NO_POLICY", "month", e.getMessage());
        }
        LocalDate windowStart = billingDate.minusMonths(policy.visitLookbackMonths());
        Map<String, Totals> totals = new TreeMap<>();
        long readNanos = 0, priceNanos = 0, copyNanos = 0;
        CapitationCalculator.PriceCache prices = new CapitationCalculator.PriceCache();
        CopyWriter copy = new CopyWriter(c, month.toString(), version);
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.person_key, a.polyclinic_bin, a.region, a.from_date, p.sex, p.birth_date, p.death_date,
                       ins.insured, lv.last_counted, lv.last_flagged
                FROM attachment a
                LEFT JOIN person p ON p.person_key = a.person_key
                LEFT JOIN (SELECT DISTINCT ON (person_key) person_key, insured FROM insurance
                           WHERE (from_date IS NULL OR from_date <= ?) AND (to_date IS NULL OR to_date >= ?)
                           ORDER BY person_key, from_date DESC NULLS LAST) ins ON ins.person_key = a.person_key
                LEFT JOIN (SELECT person_key, max(visit_date) FILTER (WHERE NOT flagged) last_counted,
                                  max(visit_date) FILTER (WHERE flagged) last_flagged
                           FROM visit WHERE visit_date <= ? AND visit_date > ? AND kind = ANY(?)
                           GROUP BY person_key) lv ON lv.person_key = a.person_key
                WHERE a.from_date <= ? AND (a.effective_to IS NULL OR a.effective_to >= ?)
                ORDER BY a.polyclinic_bin, a.person_key""")) {
            // in index order, the lines' (month, version, bin, person) index grows at its right edge instead of splitting pages all over
            ps.setFetchSize(10_000);
            Jdbc.date(ps, 1, billingDate);
            Jdbc.date(ps, 2, billingDate);
            Jdbc.date(ps, 3, billingDate);
            Jdbc.date(ps, 4, windowStart);
            ps.setArray(5, c.createArrayOf("text", policy.countedVisitKinds().toArray()));
            Jdbc.date(ps, 6, billingDate);
            Jdbc.date(ps, 7, billingDate);
            try (ResultSet rs = ps.executeQuery()) {
                long tRead = System.nanoTime();
                while (rs.next()) {
                    readNanos += System.nanoTime() - tRead;
                    long tPrice = System.nanoTime();
                    Object insured = rs.getObject(8);
                    CapitationInput in = new CapitationInput(rs.getString(1), rs.getString(2), rs.getString(3), Jdbc.date(rs, 4),
                            rs.getString(5), Jdbc.date(rs, 6), Jdbc.date(rs, 7), (Boolean) insured, Jdbc.date(rs, 9), Jdbc.date(rs, 10));
                    CapitationLine line = CapitationCalculator.line(in, month, policy, prices);
                    totals.computeIfAbsent(in.polyclinicBin(), k -> new Totals()).add(line, in.lastCountedVisit() == null);
                    long tCopy = System.nanoTime();
                    priceNanos += tCopy - tPrice;
                    copy.add(line);
                    tRead = System.nanoTime();
                    copyNanos += tRead - tCopy;
                }
            }
        }
        long tFlush = System.nanoTime();
        copy.flush();
        copyNanos += System.nanoTime() - tFlush;
        Instant now = Instant.now();
        long persons = 0;
        BigDecimal amount = BigDecimal.ZERO;
        BigDecimal full = BigDecimal.ZERO;
        List<BillingEvent> events = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO capitation_statement (month, version, polyclinic_bin, persons, paid_persons, persons_100, persons_90,
                  persons_80, persons_72, persons_unpaid, persons_no_visit_12m, full_amount, amount, withheld_no_visit,
                  withheld_not_insured, withheld_by_fraud) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (var e : totals.entrySet()) {
                Totals t = e.getValue();
                ps.setString(1, month.toString());
                ps.setInt(2, version);
                ps.setString(3, e.getKey());
                ps.setLong(4, t.persons);
                ps.setLong(5, t.paid);
                ps.setLong(6, t.p100);
                ps.setLong(7, t.p90);
                ps.setLong(8, t.p80);
                ps.setLong(9, t.p72);
                ps.setLong(10, t.unpaid);
                ps.setLong(11, t.noVisit12m);
                ps.setBigDecimal(12, t.full);
                ps.setBigDecimal(13, t.amount);
                ps.setBigDecimal(14, t.noVisit);
                ps.setBigDecimal(15, t.notInsured);
                ps.setBigDecimal(16, t.fraud);
                ps.addBatch();
                persons += t.persons;
                amount = amount.add(t.amount);
                full = full.add(t.full);
                if (t.noVisit12m > 0) {
                    // one call-centre task per polyclinic and month, however often the month is recomputed
                    BillingEvent ev = Outbox.event(Envelopes.stableEventId("OUTREACH_DUE", month.toString(), e.getKey()),
                            "OUTREACH_DUE", e.getKey(), "capitation:" + month);
                    ev.setMonth(month.toString());
                    ev.setPersons(t.noVisit12m);
                    ev.setReason(t.noVisit12m + " attached persons had no counted visit in the " + policy.visitLookbackMonths()
                            + " months before " + billingDate);
                    events.add(ev);
                }
            }
            ps.executeBatch();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO capitation_run (month, version, status, policy_id, billing_date, computed_at, persons, amount, full_amount)
                VALUES (?, ?, 'OPEN', ?, ?, ?, ?, ?, ?)""")) {
            ps.setString(1, month.toString());
            ps.setInt(2, version);
            ps.setString(3, policy.id());
            Jdbc.date(ps, 4, billingDate);
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setLong(6, persons);
            ps.setBigDecimal(7, amount);
            ps.setBigDecimal(8, full);
            ps.executeUpdate();
        }
        Outbox.add(c, events);
        long millis = (System.nanoTime() - t0) / 1_000_000;
        LOG.infof("capitation %s v%d: %d persons, %d polyclinics, %s ₸ in %d ms (reading %d ms, pricing %d ms, COPY %d ms)", month,
                version, persons, totals.size(), amount.toPlainString(), millis, readNanos / 1_000_000, priceNanos / 1_000_000,
                copyNanos / 1_000_000);
        return new RunResult(month.toString(), version, "OPEN", policy.id(), billingDate, persons, amount, full, totals.size(), millis,
                readNanos / 1_000_000, priceNanos / 1_000_000, copyNanos / 1_000_000);
    }

    /** Closes the latest version: immutable from now on, announced per polyclinic on billing.events.v1. */
    public RunResult close(YearMonth month) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                lock(c, month);
                RunResult r;
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT version, status, policy_id, billing_date, persons, amount, full_amount,
                               (SELECT count(*) FROM capitation_statement s WHERE s.month = r.month AND s.version = r.version)
                        FROM capitation_run r WHERE month = ? ORDER BY version DESC LIMIT 1""")) {
                    ps.setString(1, month.toString());
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw BillingProblem.notFound("NO_RUN", "capitation for " + month + " has not been run yet");
                        }
                        if ("CLOSED".equals(rs.getString(2))) {
                            throw BillingProblem.conflict("ALREADY_CLOSED", "capitation " + month + " version " + rs.getInt(1)
                                    + " is already closed; run it again to create version " + (rs.getInt(1) + 1));
                        }
                        r = new RunResult(month.toString(), rs.getInt(1), "CLOSED", rs.getString(3), Jdbc.date(rs, 4), rs.getLong(5),
                                rs.getBigDecimal(6), rs.getBigDecimal(7), rs.getInt(8), 0, 0, 0, 0);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "UPDATE capitation_run SET status = 'CLOSED', closed_at = now() WHERE month = ? AND version = ?")) {
                    ps.setString(1, month.toString());
                    ps.setInt(2, r.version());
                    ps.executeUpdate();
                }
                List<BillingEvent> events = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT polyclinic_bin, amount, persons FROM capitation_statement WHERE month = ? AND version = ? ORDER BY polyclinic_bin")) {
                    ps.setString(1, month.toString());
                    ps.setInt(2, r.version());
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            BillingEvent e = Outbox.event(Envelopes.stableEventId("STATEMENT_CLOSED", month.toString(),
                                    Integer.toString(r.version()), rs.getString(1)), "STATEMENT_CLOSED", rs.getString(1), "capitation:" + month);
                            e.setMonth(month.toString());
                            e.setStatementVersion(r.version());
                            e.setAmount(rs.getBigDecimal(2).toPlainString());
                            e.setPersons(rs.getLong(3));
                            events.add(e);
                        }
                    }
                }
                Outbox.add(c, events);
                return r;
            }
        });
    }

    private static void lock(Connection c, YearMonth month) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            ps.setString(1, "capitation:" + month);
            ps.execute();
        }
    }

    record Numbers(BigDecimal a, BigDecimal b, BigDecimal c, BigDecimal d, BigDecimal e, BigDecimal f, BigDecimal g, BigDecimal h,
                   BigDecimal i, BigDecimal j, BigDecimal k) {
        String csv() {
            StringBuilder sb = new StringBuilder();
            for (BigDecimal v : List.of(a, b, c, d, e, f, g, h, i, j, k)) {
                sb.append(v.toPlainString()).append(',');
            }
            return sb.toString();
        }
    }

    /** Buffers lines as CSV and sends them with COPY every {@link #COPY_CHUNK} rows. */
    static final class CopyWriter {
        private final Connection c;
        private final String month;
        private final int version;
        private final StringBuilder buf = new StringBuilder(1 << 22);
        private int rows;
        private final Map<Numbers, String> numbers = new java.util.HashMap<>();

        CopyWriter(Connection c, String month, int version) {
            this.c = c;
            this.month = month;
            this.version = version;
        }

        void add(CapitationLine l) throws SQLException {
            CapitationInput in = l.input();
            buf.append(month).append(',').append(version).append(',');
            csv(in.polyclinicBin()).append(',');
            csv(in.personKey()).append(',');
            csv(in.region()).append(',');
            csv(in.sex()).append(',');
            csv(l.ageBand() == null ? null : l.ageBand().name()).append(',');
            // a few hundred distinct money tuples cover a million lines: format each once
            buf.append(numbers.computeIfAbsent(new Numbers(l.baseRate(), l.sexAgeCoefficient(), l.regionalCoefficient(), l.visitFactor(),
                    l.insuranceFactor(), l.appliedFactor(), l.fullAmount(), l.amount(), l.withheldNoVisit(), l.withheldNotInsured(),
                    l.withheldByFraudFlags()), Numbers::csv));
            boolean first = true;
            buf.append('"');
            for (Reason r : l.reasonCodes()) {
                if (!first) {
                    buf.append(',');
                }
                buf.append(r.name());
                first = false;
            }
            buf.append('"').append(',');
            date(in.attachedSince()).append(',');
            buf.append(in.insured() == null ? "" : in.insured().toString()).append(',');
            date(in.lastCountedVisit()).append(',');
            date(in.lastFlaggedVisit()).append(',');
            date(in.deathDate()).append(',');
            buf.append(l.lookbackMonths()).append('\n');
            if (++rows >= COPY_CHUNK) {
                flush();
            }
        }

        private StringBuilder date(LocalDate d) {
            return d == null ? buf : buf.append(d);
        }

        private StringBuilder csv(String s) {
            if (s == null) {
                return buf;
            }
            buf.append('"');
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (ch == '"') {
                    buf.append('"');
                }
                buf.append(ch);
            }
            return buf.append('"');
        }

        void flush() throws SQLException {
            if (rows == 0) {
                return;
            }
            try {
                c.unwrap(PGConnection.class).getCopyAPI().copyIn("""
                        COPY capitation_line (month, version, polyclinic_bin, person_key, region, sex, age_band, base_rate,
                          sex_age_coefficient, regional_coefficient, visit_factor, insurance_factor, applied_factor, full_amount, amount,
                          withheld_no_visit, withheld_not_insured, withheld_by_fraud, reasons, attached_since, insured,
                          last_counted_visit, last_flagged_visit, death_date, lookback_months) FROM STDIN (FORMAT csv)""",
                        new StringReader(buf.toString()));
            } catch (java.io.IOException e) {
                throw new SQLException("COPY of capitation lines failed", e);
            }
            buf.setLength(0);
            rows = 0;
        }
    }
}
