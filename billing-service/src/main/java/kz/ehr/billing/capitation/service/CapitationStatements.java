package kz.ehr.billing.capitation.service;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Sort;
import kz.ehr.billing.BillingProblem;
import kz.ehr.billing.capitation.AgeBand;
import kz.ehr.billing.capitation.CapitationCalculator;
import kz.ehr.billing.capitation.CapitationInput;
import kz.ehr.billing.capitation.CapitationLine;
import kz.ehr.billing.capitation.Reason;
import kz.ehr.billing.export.Csv;
import kz.ehr.billing.projection.Jdbc;

/**
 * Read side of capitation: runs, statements, per-person lines, CSV export and version differences. Run and statement
 * headers are entities; the lines (a million a month) are read with SQL over the partitioned table, streamed for CSV.
 * Lines are not entities: set-based reads, CSV streaming and version differences over a million rows a month.
 */
@ApplicationScoped
public class CapitationStatements {
    @Inject
    AgroalDataSource dataSource;

    public record Run(String month, int version, String status, String policyId, String billingDate, String computedAt,
                      String closedAt, long persons, BigDecimal amount, BigDecimal fullAmount, List<PolyclinicTotal> polyclinics,
                      List<VersionChange> changesFromPreviousVersion) {
    }

    public record PolyclinicTotal(String polyclinicBin, long persons, BigDecimal amount) {
    }

    public record VersionChange(String polyclinicBin, BigDecimal previousAmount, BigDecimal amount, BigDecimal difference,
                                long previousPersons, long persons) {
    }

    public record Statement(String month, int version, String status, String polyclinicBin, long persons, long paidPersons,
                            Map<String, Long> personsByFactor, long personsWithoutVisit12Months, BigDecimal fullAmount,
                            BigDecimal amount, BigDecimal withheld, Map<String, BigDecimal> withheldByReason,
                            BigDecimal protectedByFraudMonitor) {
    }

    public record Line(String iin, String polyclinicBin, String region, String sex, String ageBand, BigDecimal baseRate,
                       BigDecimal sexAgeCoefficient, BigDecimal regionalCoefficient, BigDecimal visitFactor,
                       BigDecimal insuranceFactor, BigDecimal appliedFactor, BigDecimal fullAmount, BigDecimal amount,
                       BigDecimal withheldNoVisit, BigDecimal withheldNotInsured, BigDecimal withheldByFraudFlags,
                       List<String> reasonCodes, List<String> reasons, boolean identityInReview) {
    }

    public record Page<T>(List<T> items, String nextCursor) {
    }

    public record LineChange(String iin, String previousPolyclinicBin, String polyclinicBin, BigDecimal previousAmount,
                             BigDecimal amount, BigDecimal difference, List<String> previousReasons, List<String> reasons) {
    }

    /** The version to read: the one asked for, else the latest. */
    public record VersionRef(int version, String status) {
    }

    /** The version's header, as an entity read in the caller's transaction (or one of its own). */
    public VersionRef version(YearMonth month, Integer version) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            CapitationRunEntity run = header(month, version);
            return new VersionRef(run.version, run.status);
        });
    }

    private static CapitationRunEntity header(YearMonth month, Integer version) {
        CapitationRunEntity run = version == null ? CapitationRunEntity.latest(month)
                : CapitationRunEntity.findById(key(month.toString(), version));
        if (run == null) {
            throw BillingProblem.notFound("NO_RUN", "no capitation " + (version == null ? "" : "version " + version + " ")
                    + "for " + month + "; POST /api/v1/capitation/" + month + "/run first");
        }
        return run;
    }

    private static CapitationRunEntity.Key key(String month, int version) {
        CapitationRunEntity.Key k = new CapitationRunEntity.Key();
        k.month = month;
        k.version = version;
        return k;
    }

    private static List<CapitationStatementEntity> statements(String month, int version) {
        return CapitationStatementEntity.list("month = ?1 and version = ?2", Sort.by("polyclinicBin"), month, version);
    }

    public Run run(YearMonth month, Integer version) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            CapitationRunEntity run = header(month, version);
            List<CapitationStatementEntity> now = statements(run.month, run.version);
            List<PolyclinicTotal> totals = now.stream().map(s -> new PolyclinicTotal(s.polyclinicBin, s.persons, s.amount)).toList();
            List<VersionChange> changes = new ArrayList<>();
            if (run.version > 1) {
                Map<String, CapitationStatementEntity> before = new TreeMap<>();
                Map<String, CapitationStatementEntity> after = new TreeMap<>();
                statements(run.month, run.version - 1).forEach(s -> before.put(s.polyclinicBin, s));
                now.forEach(s -> after.put(s.polyclinicBin, s));
                TreeSet<String> bins = new TreeSet<>(before.keySet());
                bins.addAll(after.keySet());
                for (String bin : bins) {
                    CapitationStatementEntity o = before.get(bin), n = after.get(bin);
                    if (o != null && n != null && o.amount.compareTo(n.amount) == 0 && o.persons == n.persons) {
                        continue;
                    }
                    BigDecimal previous = o == null ? BigDecimal.ZERO : o.amount, amount = n == null ? BigDecimal.ZERO : n.amount;
                    changes.add(new VersionChange(bin, previous, amount, amount.subtract(previous), o == null ? 0 : o.persons,
                            n == null ? 0 : n.persons));
                }
            }
            return new Run(run.month, run.version, run.status, run.policyId, run.billingDate.toString(), run.computedAt.toString(),
                    run.closedAt == null ? null : run.closedAt.toString(), run.persons, run.amount, run.fullAmount, totals, changes);
        });
    }

    public Statement statement(YearMonth month, String bin, Integer version) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            CapitationRunEntity run = header(month, version);
            CapitationStatementEntity.Key k = new CapitationStatementEntity.Key();
            k.month = run.month;
            k.version = run.version;
            k.polyclinicBin = bin;
            CapitationStatementEntity s = CapitationStatementEntity.findById(k);
            if (s == null) {
                throw BillingProblem.notFound("NO_STATEMENT", "no statement for polyclinic " + bin + " in " + month
                        + " version " + run.version + ": nobody was attached to it on the billing date");
            }
            Map<String, Long> byFactor = new LinkedHashMap<>();
            byFactor.put("100", s.persons100);
            byFactor.put("90", s.persons90);
            byFactor.put("80", s.persons80);
            byFactor.put("72", s.persons72);
            byFactor.put("unpaid", s.personsUnpaid);
            Map<String, BigDecimal> withheld = new LinkedHashMap<>();
            withheld.put("NO_VISIT_12M", s.withheldNoVisit);
            withheld.put("NOT_INSURED", s.withheldNotInsured);
            return new Statement(run.month, run.version, run.status, bin, s.persons, s.paidPersons, byFactor, s.personsNoVisit12m,
                    s.fullAmount, s.amount, s.fullAmount.subtract(s.amount), withheld, s.withheldByFraud);
        });
    }

    /** A line with its price (every money value and reason code), in the column order {@link #stored} reads. */
    private static final String LINE_COLUMNS = """
            l.person_key, l.polyclinic_bin, p.region, p.sex, p.age_band, p.base_rate, p.sex_age_coefficient, p.regional_coefficient,
            p.visit_factor, p.insurance_factor, p.applied_factor, p.full_amount, p.amount, p.withheld_no_visit, p.withheld_not_insured,
            p.withheld_by_fraud, p.reasons, l.attached_since, l.insured, l.last_counted_visit, l.last_flagged_visit, l.death_date,
            p.lookback_months, l.month, l.identity_in_review""";
    private static final String PRICED_LINES = """
             FROM capitation_line l JOIN capitation_price p ON p.month = l.month AND p.version = l.version AND p.price_id = l.price_id
            """;

    public Page<Line> lines(YearMonth month, String bin, Integer version, String after, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            VersionRef v = version(month, version);
            List<Line> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + LINE_COLUMNS + PRICED_LINES + """
                    WHERE l.month = ? AND l.version = ? AND l.polyclinic_bin = ? AND l.person_key > ?
                    ORDER BY l.person_key LIMIT ?""")) {
                ps.setString(1, month.toString());
                ps.setInt(2, v.version());
                ps.setString(3, bin);
                ps.setString(4, after == null ? "" : after);
                ps.setInt(5, limit + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(line(rs));
                    }
                }
            }
            String next = null;
            if (out.size() > limit) {
                out = out.subList(0, limit);
                next = out.get(limit - 1).iin();
            }
            return new Page<>(out, next);
        }
    }

    /** Streams every line of a statement as CSV (UTF-8, header row, reasons joined by " | ", cells as {@link Csv} writes them). */
    public void exportCsv(YearMonth month, String bin, Integer version, OutputStream out) {
        // a transaction so that the server-side cursor streams instead of loading every line
        QuarkusTransaction.requiringNew().timeout(900).run(() -> {
            try (Connection c = dataSource.getConnection()) {
                writeCsv(c, month, bin, version, out);
            } catch (SQLException e) {
                throw new IllegalStateException("CSV export of " + month + "/" + bin + " failed", e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private void writeCsv(Connection c, YearMonth month, String bin, Integer version, OutputStream out) throws SQLException, IOException {
        VersionRef v = version(month, version);
        try (PreparedStatement ps = c.prepareStatement("SELECT " + LINE_COLUMNS + PRICED_LINES
                + " WHERE l.month = ? AND l.version = ? AND l.polyclinic_bin = ? ORDER BY l.person_key")) {
            ps.setFetchSize(5_000);
            ps.setString(1, month.toString());
            ps.setInt(2, v.version());
            ps.setString(3, bin);
            Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
            w.write(Csv.record("iin", "polyclinicBin", "region", "sex", "ageBand", "baseRate", "sexAgeCoefficient", "regionalCoefficient",
                    "visitFactor", "insuranceFactor", "appliedFactor", "fullAmount", "amount", "withheldNoVisit", "withheldNotInsured",
                    "withheldByFraudFlags", "reasons", "identityInReview"));
            String[] cells = new String[18];
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // person key, BIN, region, sex and band come from providers' records: free text; the money columns are ours
                    for (int i = 1; i <= 5; i++) {
                        cells[i - 1] = Csv.text(rs.getString(i));
                    }
                    for (int i = 6; i <= 16; i++) {
                        cells[i - 1] = Csv.generated(rs.getString(i));
                    }
                    cells[16] = Csv.text(String.join(" | ", stored(rs).explanation()));
                    cells[17] = Csv.generated(String.valueOf(rs.getBoolean(25)));
                    w.write(Csv.record(cells));
                }
            }
            w.flush();
        }
    }

    /** Per-person differences between a version and the one before it. */
    public Page<LineChange> changes(YearMonth month, Integer version, String after, int limit) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            VersionRef v = version(month, version);
            List<LineChange> out = new ArrayList<>();
            if (v.version() == 1) {
                return new Page<>(out, null);
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT coalesce(n.person_key, o.person_key) k, o.polyclinic_bin, n.polyclinic_bin, coalesce(o.amount, 0),
                           coalesce(n.amount, 0), o.reasons, n.reasons
                    FROM (SELECT l.person_key, l.polyclinic_bin, p.amount, p.reasons""" + PRICED_LINES + """
                          WHERE l.month = ? AND l.version = ?) n
                    FULL JOIN (SELECT l.person_key, l.polyclinic_bin, p.amount, p.reasons""" + PRICED_LINES + """
                               WHERE l.month = ? AND l.version = ?) o ON o.person_key = n.person_key
                    WHERE (n.amount IS DISTINCT FROM o.amount OR n.polyclinic_bin IS DISTINCT FROM o.polyclinic_bin
                           OR n.reasons IS DISTINCT FROM o.reasons)
                      AND coalesce(n.person_key, o.person_key) > ?
                    ORDER BY k LIMIT ?""")) {
                ps.setString(1, month.toString());
                ps.setInt(2, v.version());
                ps.setString(3, month.toString());
                ps.setInt(4, v.version() - 1);
                ps.setString(5, after == null ? "" : after);
                ps.setInt(6, limit + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new LineChange(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBigDecimal(4),
                                rs.getBigDecimal(5), rs.getBigDecimal(5).subtract(rs.getBigDecimal(4)), reasons(rs.getString(6)),
                                reasons(rs.getString(7))));
                    }
                }
            }
            String next = null;
            if (out.size() > limit) {
                out = out.subList(0, limit);
                next = out.get(limit - 1).iin();
            }
            return new Page<>(out, next);
        }
    }

    private static Line line(ResultSet rs) throws SQLException {
        CapitationLine l = stored(rs);
        return new Line(l.personKey(), l.polyclinicBin(), l.input().region(), l.input().sex(), rs.getString(5), l.baseRate(),
                l.sexAgeCoefficient(), l.regionalCoefficient(), l.visitFactor(), l.insuranceFactor(), l.appliedFactor(), l.fullAmount(),
                l.amount(), l.withheldNoVisit(), l.withheldNotInsured(), l.withheldByFraudFlags(),
                l.reasonCodes().stream().map(Enum::name).toList(), l.explanation(), rs.getBoolean(25));
    }

    /** A stored line back as the domain object, so its explanation is rendered by the same code that priced it. */
    static CapitationLine stored(ResultSet rs) throws SQLException {
        EnumSet<Reason> codes = EnumSet.noneOf(Reason.class);
        for (String code : reasons(rs.getString(17))) {
            if (!code.isBlank()) {
                codes.add(Reason.valueOf(code));
            }
        }
        Object insured = rs.getObject(19);
        CapitationInput in = new CapitationInput(rs.getString(1), rs.getString(2), rs.getString(3), Jdbc.date(rs, 18), rs.getString(4),
                null, Jdbc.date(rs, 22), (Boolean) insured, Jdbc.date(rs, 20), Jdbc.date(rs, 21));
        String band = rs.getString(5);
        return new CapitationLine(in, CapitationCalculator.billingDate(YearMonth.parse(rs.getString(24))), rs.getInt(23),
                band == null ? null : AgeBand.valueOf(band), rs.getBigDecimal(6), rs.getBigDecimal(7), rs.getBigDecimal(8),
                rs.getBigDecimal(9), rs.getBigDecimal(10), rs.getBigDecimal(11), rs.getBigDecimal(12), rs.getBigDecimal(13),
                rs.getBigDecimal(14), rs.getBigDecimal(15), rs.getBigDecimal(16), !codes.contains(Reason.DIED), codes);
    }

    private static List<String> reasons(String s) {
        return s == null || s.isEmpty() ? List.of() : Arrays.asList(s.split(","));
    }
}
