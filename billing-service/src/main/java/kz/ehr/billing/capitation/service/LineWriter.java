package kz.ehr.billing.capitation.service;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.stream.Collectors;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import kz.ehr.billing.capitation.AgeBand;
import kz.ehr.billing.capitation.CapitationLine;
import kz.ehr.billing.capitation.Reason;

/**
 * Writes a run's lines into its detached partition with one streaming COPY on a second connection and thread, so
 * the database parses and stores lines while the run's own connection is still reading and Java is pricing.
 * A line is narrow: the person's facts and the id of its price (every money value and reason code, kept once per
 * distinct combination in {@code capitation_price}).
 * COPY, not entities: a month's million lines, the capitation run BillingBench measures (docs/benchmarks/billing-service.md, "Capitation run").
 */
final class LineWriter {
    private static final int CHUNK_ROWS = 10_000;
    private static final StringBuilder END = new StringBuilder();

    /** Everything of a line that is not a fact about its person; a few hundred of these price a million lines. */
    record Price(String region, String sex, AgeBand ageBand, BigDecimal baseRate, BigDecimal sexAge, BigDecimal regional,
                 BigDecimal visitFactor, BigDecimal insuranceFactor, BigDecimal applied, BigDecimal full, BigDecimal amount,
                 BigDecimal byVisit, BigDecimal byInsurance, BigDecimal byFraud, EnumSet<Reason> reasons, int lookbackMonths) {
        static Price of(CapitationLine l) {
            return new Price(l.input().region(), l.input().sex(), l.ageBand(), l.baseRate(), l.sexAgeCoefficient(), l.regionalCoefficient(),
                    l.visitFactor(), l.insuranceFactor(), l.appliedFactor(), l.fullAmount(), l.amount(), l.withheldNoVisit(),
                    l.withheldNotInsured(), l.withheldByFraudFlags(), l.reasonCodes(), l.lookbackMonths());
        }
    }

    /** The run's prices, shared by its writers: one id per distinct combination. */
    static final class Prices {
        private final Map<Price, Integer> ids = new java.util.concurrent.ConcurrentHashMap<>();
        private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

        int id(CapitationLine l) {
            return ids.computeIfAbsent(Price.of(l), k -> next.incrementAndGet());
        }
    }

    private final Prices prices;
    private final BlockingQueue<StringBuilder> chunks = new ArrayBlockingQueue<>(4);
    private final Thread thread;
    private volatile Throwable failure;
    private volatile boolean aborted;
    private boolean finished;
    private StringBuilder buf = new StringBuilder(CHUNK_ROWS * 64);
    private int rows;

    LineWriter(CapitationRuns.Connections connections, LineTables table, Prices prices) {
        this.prices = prices;
        thread = new Thread(() -> copy(connections, table), "capitation-lines-" + table.name());
        thread.setDaemon(true);
        thread.start();
    }

    private void copy(CapitationRuns.Connections connections, LineTables table) {
        try (Connection w = connections.open()) {
            w.setAutoCommit(true);
            CopyIn copy = w.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + table.name()
                    + " (polyclinic_bin, person_key, price_id, attached_since, insured, last_counted_visit, last_flagged_visit, death_date,"
                    + " identity_in_review)"
                    + " FROM STDIN");
            try {
                while (true) {
                    StringBuilder chunk = chunks.take();
                    if (chunk == END) {
                        break;
                    }
                    byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                }
                if (aborted) {
                    copy.cancelCopy();
                } else {
                    copy.endCopy();
                }
            } finally {
                if (copy.isActive()) {
                    copy.cancelCopy();
                }
            }
        } catch (Throwable e) {
            failure = e;
            chunks.clear();
        }
    }

    /** {@code identityInReview}: the line's IIN is shared by several enterprise patients (V10, {@code attached_person}). */
    void add(CapitationLine l, boolean identityInReview) throws SQLException {
        int price = prices.id(l);
        text(l.polyclinicBin()).append('\t');
        text(l.personKey()).append('\t');
        buf.append(price).append('\t');
        date(l.input().attachedSince()).append('\t');
        Boolean insured = l.input().insured();
        buf.append(insured == null ? "\\N" : insured ? "t" : "f").append('\t');
        date(l.input().lastCountedVisit()).append('\t');
        date(l.input().lastFlaggedVisit()).append('\t');
        date(l.input().deathDate()).append('\t');
        buf.append(identityInReview ? 't' : 'f').append('\n');
        if (++rows == CHUNK_ROWS) {
            handOver(buf);
            buf = new StringBuilder(CHUNK_ROWS * 64);
            rows = 0;
        }
    }

    /** Sends the last rows and waits until the COPY has committed on the writer's connection. */
    void finish() throws SQLException {
        if (rows > 0) {
            handOver(buf);
        }
        handOver(END);
        join();
        finished = true;
        if (failure != null) {
            throw new SQLException("COPY of capitation lines failed", failure);
        }
    }

    /** After a failure of the run: stop the COPY (the detached table is dropped by the month's next run). */
    void abortIfUnfinished() {
        if (finished) {
            return;
        }
        aborted = true;
        chunks.clear();
        chunks.offer(END);
        join();
    }

    /** The prices the lines refer to, in the run's transaction. */
    static void writePrices(Connection c, Prices all, String month, int version) throws SQLException {
        Map<Price, Integer> prices = all.ids;
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM capitation_price WHERE month = ? AND version = ?")) {
            ps.setString(1, month);
            ps.setInt(2, version);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO capitation_price (month, version, price_id, region, sex, age_band, base_rate, sex_age_coefficient,
                  regional_coefficient, visit_factor, insurance_factor, applied_factor, full_amount, amount, withheld_no_visit,
                  withheld_not_insured, withheld_by_fraud, reasons, lookback_months)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            for (var e : prices.entrySet()) {
                Price p = e.getKey();
                ps.setString(1, month);
                ps.setInt(2, version);
                ps.setInt(3, e.getValue());
                ps.setString(4, p.region());
                ps.setString(5, p.sex());
                ps.setString(6, p.ageBand() == null ? null : p.ageBand().name());
                ps.setBigDecimal(7, p.baseRate());
                ps.setBigDecimal(8, p.sexAge());
                ps.setBigDecimal(9, p.regional());
                ps.setBigDecimal(10, p.visitFactor());
                ps.setBigDecimal(11, p.insuranceFactor());
                ps.setBigDecimal(12, p.applied());
                ps.setBigDecimal(13, p.full());
                ps.setBigDecimal(14, p.amount());
                ps.setBigDecimal(15, p.byVisit());
                ps.setBigDecimal(16, p.byInsurance());
                ps.setBigDecimal(17, p.byFraud());
                ps.setString(18, p.reasons().stream().map(Enum::name).collect(Collectors.joining(",")));
                ps.setInt(19, p.lookbackMonths());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void handOver(StringBuilder chunk) throws SQLException {
        try {
            while (failure == null && !chunks.offer(chunk, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                if (!thread.isAlive()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while writing capitation lines", e);
        }
        if (failure != null) {
            throw new SQLException("COPY of capitation lines failed", failure);
        }
    }

    private void join() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private StringBuilder date(LocalDate d) {
        return d == null ? buf.append("\\N") : buf.append(d);
    }

    /** COPY text format: backslash, tab and line breaks escaped. */
    private StringBuilder text(String s) {
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\' -> buf.append("\\\\");
                case '\t' -> buf.append("\\t");
                case '\n' -> buf.append("\\n");
                case '\r' -> buf.append("\\r");
                default -> buf.append(ch);
            }
        }
        return buf;
    }
}
