package kz.ehr.billing.fraud.service;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import kz.ehr.billing.BillingProblem;
import kz.ehr.billing.audit.AuditLog;
import kz.ehr.billing.fraud.FraudFlag;
import kz.ehr.billing.fraud.ReviewState;
import kz.ehr.billing.outbox.Outbox;
import kz.ehr.billing.projection.Jdbc;
import kz.ehr.events.BillingEvent;
import kz.ehr.security.Caller;

/** Querying flags, reviewers' audited decisions, and the money the monitor protected per month. */
@ApplicationScoped
public class FraudFlags {
    @Inject
    AgroalDataSource dataSource;

    public record Filter(String polyclinic, String rule, String state, String doctor, LocalDate from, LocalDate to) {
    }

    public record Page(List<FraudFlag> items, String nextCursor) {
    }

    public record Decision(String decision, String reviewer, String comment, String decidedAt) {
    }

    public record FlagDetail(FraudFlag flag, List<Decision> decisions) {
    }

    public record PolyclinicProtection(String polyclinicBin, long flags, long open, long confirmed, long dismissed, long withdrawn,
                                       BigDecimal moneyAtStakeOpen, BigDecimal moneyAtStakeConfirmed,
                                       BigDecimal withheldInStatement) {
    }

    public record MonthProtection(String month, Integer statementVersion, long flags, long confirmed, long dismissed,
                                  BigDecimal moneyAtStakeConfirmed, BigDecimal withheldInStatement,
                                  List<PolyclinicProtection> polyclinics) {
    }

    private static final String COLUMNS = "flag_id, visit_key, polyclinic_bin, doctor_id, visit_date, rule_id, reason, money_at_stake, state, raised_at";

    public Page list(Filter f, String after, int limit) throws SQLException {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM fraud_flag WHERE flag_id > ?");
        List<Object> args = new ArrayList<>();
        args.add(after == null ? "" : after);
        if (f.polyclinic() != null) {
            sql.append(" AND polyclinic_bin = ?");
            args.add(f.polyclinic());
        }
        if (f.rule() != null) {
            sql.append(" AND rule_id = ?");
            args.add(f.rule());
        }
        if (f.state() != null) {
            sql.append(" AND state = ?");
            args.add(f.state());
        } else {
            // a flag the monitor withdrew itself (a late fact removed its cause) is no flag any more; ask state=WITHDRAWN
            sql.append(" AND state <> 'WITHDRAWN'");
        }
        if (f.doctor() != null) {
            sql.append(" AND doctor_id = ?");
            args.add(f.doctor());
        }
        if (f.from() != null) {
            sql.append(" AND visit_date >= ?");
            args.add(java.sql.Date.valueOf(f.from()));
        }
        if (f.to() != null) {
            sql.append(" AND visit_date <= ?");
            args.add(java.sql.Date.valueOf(f.to()));
        }
        sql.append(" ORDER BY flag_id LIMIT ?");
        args.add(limit + 1);
        List<FraudFlag> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < args.size(); i++) {
                ps.setObject(i + 1, args.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(flag(rs));
                }
            }
        }
        String next = null;
        if (out.size() > limit) {
            out = out.subList(0, limit);
            next = out.get(limit - 1).flagId();
        }
        return new Page(out, next);
    }

    public FlagDetail get(String flagId) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            FraudFlag flag;
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM fraud_flag WHERE flag_id = ?")) {
                ps.setString(1, flagId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        throw BillingProblem.notFound("FLAG_NOT_FOUND", "no fraud flag " + flagId);
                    }
                    flag = flag(rs);
                }
            }
            List<Decision> decisions = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT decision, reviewer, comment, decided_at FROM fraud_decision WHERE flag_id = ? ORDER BY id")) {
                ps.setString(1, flagId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        decisions.add(new Decision(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant().toString()));
                    }
                }
            }
            return new FlagDetail(flag, decisions);
        }
    }

    /**
     * A reviewer confirms (a defect: the visit stays uncounted) or dismisses (the visit counts again) an open flag.
     * The decision, the reviewer and the comment are kept; the state change is announced on billing.events.v1.
     */
    public FlagDetail decide(String flagId, ReviewState decision, String reviewer, String comment) {
        if (decision != ReviewState.CONFIRMED && decision != ReviewState.DISMISSED) {
            throw BillingProblem.badRequest("INVALID_DECISION", "decision", "decision must be CONFIRMED or DISMISSED");
        }
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection c = dataSource.getConnection()) {
                String state;
                String visitKey;
                String bin;
                String rule;
                String month;
                BigDecimal money;
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT state, visit_key, polyclinic_bin, rule_id, visit_date, money_at_stake FROM fraud_flag WHERE flag_id = ? FOR UPDATE")) {
                    ps.setString(1, flagId);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            throw BillingProblem.notFound("FLAG_NOT_FOUND", "no fraud flag " + flagId);
                        }
                        state = rs.getString(1);
                        visitKey = rs.getString(2);
                        bin = rs.getString(3);
                        rule = rs.getString(4);
                        month = YearMonth.from(Jdbc.date(rs, 5)).toString();
                        money = rs.getBigDecimal(6);
                    }
                }
                if (!"OPEN".equals(state)) {
                    throw BillingProblem.conflict("FLAG_NOT_OPEN", "flag " + flagId + " is " + state + "; only an OPEN flag can be decided");
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE fraud_flag SET state = ?, updated_at = now() WHERE flag_id = ?")) {
                    ps.setString(1, decision.name());
                    ps.setString(2, flagId);
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO fraud_decision (flag_id, decision, reviewer, comment) VALUES (?, ?, ?, ?)")) {
                    ps.setString(1, flagId);
                    ps.setString(2, decision.name());
                    ps.setString(3, reviewer);
                    ps.setString(4, comment);
                    ps.executeUpdate();
                }
                AuditLog.record(c, new Caller(reviewer, comment), AuditLog.Action.FRAUD_DECISION, null,
                        "fraud flag " + flagId + " " + rule + " → " + decision.name(), 1);
                FraudMonitor.refreshFlagged(c, Set.of(visitKey));
                BillingEvent e = Outbox.event(UUID.randomUUID().toString(), "FRAUD_FLAG_RESOLVED", bin, visitKey);
                e.setFlagId(flagId);
                e.setRuleId(rule);
                e.setMonth(month);
                e.setAmount(money.toPlainString());
                e.setReason(decision.name() + " by reviewer");
                Outbox.add(c, List.of(e));
            } catch (SQLException e) {
                throw new IllegalStateException("could not record the decision on flag " + flagId, e);
            }
        });
        try {
            return get(flagId);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Flags on visits of the month, and the capitation the latest statement of that month withheld because of them. */
    public MonthProtection protection(YearMonth month) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            Integer version = null;
            try (PreparedStatement ps = c.prepareStatement("SELECT max(version) FROM capitation_run WHERE month = ?")) {
                ps.setString(1, month.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    version = (Integer) rs.getObject(1);
                }
            }
            List<PolyclinicProtection> rows = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT coalesce(f.polyclinic_bin, s.polyclinic_bin), coalesce(f.n, 0), coalesce(f.open, 0), coalesce(f.confirmed, 0),
                           coalesce(f.dismissed, 0), coalesce(f.withdrawn, 0), coalesce(f.stake_open, 0), coalesce(f.stake_confirmed, 0),
                           coalesce(s.withheld_by_fraud, 0)
                    FROM (SELECT polyclinic_bin, count(*) n, count(*) FILTER (WHERE state = 'OPEN') open,
                                 count(*) FILTER (WHERE state = 'CONFIRMED') confirmed, count(*) FILTER (WHERE state = 'DISMISSED') dismissed,
                                 count(*) FILTER (WHERE state = 'WITHDRAWN') withdrawn,
                                 sum(money_at_stake) FILTER (WHERE state = 'OPEN') stake_open,
                                 sum(money_at_stake) FILTER (WHERE state = 'CONFIRMED') stake_confirmed
                          FROM fraud_flag WHERE visit_date >= ? AND visit_date <= ? GROUP BY polyclinic_bin) f
                    FULL JOIN (SELECT polyclinic_bin, withheld_by_fraud FROM capitation_statement
                               WHERE month = ? AND version = ? AND withheld_by_fraud > 0) s ON s.polyclinic_bin = f.polyclinic_bin
                    ORDER BY 1""")) {
                Jdbc.date(ps, 1, month.atDay(1));
                Jdbc.date(ps, 2, month.atEndOfMonth());
                ps.setString(3, month.toString());
                ps.setInt(4, version == null ? -1 : version);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        rows.add(new PolyclinicProtection(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
                                rs.getLong(6), rs.getBigDecimal(7), rs.getBigDecimal(8), rs.getBigDecimal(9)));
                    }
                }
            }
            long flags = rows.stream().mapToLong(PolyclinicProtection::flags).sum();
            long confirmed = rows.stream().mapToLong(PolyclinicProtection::confirmed).sum();
            long dismissed = rows.stream().mapToLong(PolyclinicProtection::dismissed).sum();
            BigDecimal stake = rows.stream().map(PolyclinicProtection::moneyAtStakeConfirmed).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal withheld = rows.stream().map(PolyclinicProtection::withheldInStatement).reduce(BigDecimal.ZERO, BigDecimal::add);
            return new MonthProtection(month.toString(), version, flags, confirmed, dismissed, stake, withheld, rows);
        }
    }

    private static FraudFlag flag(ResultSet rs) throws SQLException {
        return new FraudFlag(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), Jdbc.date(rs, 5), rs.getString(6),
                rs.getString(7), rs.getBigDecimal(8), ReviewState.valueOf(rs.getString(9)), rs.getTimestamp(10).toInstant());
    }
}
