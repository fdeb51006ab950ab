package kz.ehr.billing.fraud.service;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import kz.ehr.billing.BillingProblem;
import kz.ehr.billing.audit.AuditLog;
import kz.ehr.billing.fraud.FraudFlag;
import kz.ehr.billing.fraud.ReviewState;
import kz.ehr.billing.outbox.Outbox;
import kz.ehr.billing.capitation.service.CapitationRunEntity;
import kz.ehr.billing.capitation.service.CapitationStatementEntity;
import kz.ehr.events.BillingEvent;
import kz.ehr.security.Caller;

/**
 * Querying flags, reviewers' audited decisions, and the money the monitor protected per month: the review side, through
 * Panache entities. The monitor writes flags in bulk elsewhere ({@link FlagReconcile}).
 * The JDBC connection only carries the audit row, visit.flagged and the outbox into the decision's transaction.
 */
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

    public Page list(Filter f, String after, int limit) {
        StringBuilder where = new StringBuilder("flagId > :after");
        Parameters args = Parameters.with("after", after == null ? "" : after);
        if (f.polyclinic() != null) {
            where.append(" and polyclinicBin = :polyclinic");
            args.and("polyclinic", f.polyclinic());
        }
        if (f.rule() != null) {
            where.append(" and ruleId = :rule");
            args.and("rule", f.rule());
        }
        if (f.state() != null) {
            where.append(" and state = :state");
            args.and("state", ReviewState.valueOf(f.state()));
        } else {
            // a flag the monitor withdrew itself (a late fact removed its cause) is no flag any more; ask state=WITHDRAWN
            where.append(" and state <> :withdrawn");
            args.and("withdrawn", ReviewState.WITHDRAWN);
        }
        if (f.doctor() != null) {
            where.append(" and doctorId = :doctor");
            args.and("doctor", f.doctor());
        }
        if (f.from() != null) {
            where.append(" and visitDate >= :from");
            args.and("from", f.from());
        }
        if (f.to() != null) {
            where.append(" and visitDate <= :to");
            args.and("to", f.to());
        }
        List<FraudFlag> out = QuarkusTransaction.joiningExisting().call(() -> FraudFlagEntity
                .<FraudFlagEntity>find(where.toString(), Sort.by("flagId"), args).range(0, limit).stream()
                .map(FraudFlagEntity::toFlag).toList());
        String next = null;
        if (out.size() > limit) {
            out = out.subList(0, limit);
            next = out.get(limit - 1).flagId();
        }
        return new Page(out, next);
    }

    public FlagDetail get(String flagId) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            FraudFlagEntity flag = FraudFlagEntity.findById(flagId);
            if (flag == null) {
                throw BillingProblem.notFound("FLAG_NOT_FOUND", "no fraud flag " + flagId);
            }
            List<Decision> decisions = FraudDecisionEntity.<FraudDecisionEntity>list("flagId", Sort.by("id"), flagId).stream()
                    .map(d -> new Decision(d.decision, d.reviewer, d.comment, d.decidedAt.toString())).toList();
            return new FlagDetail(flag.toFlag(), decisions);
        });
    }

    /**
     * A reviewer confirms (a defect: the visit stays uncounted) or dismisses (the visit counts again) an open flag.
     * The decision, the reviewer and the comment are kept; the state change is announced on billing.events.v1.
     */
    public FlagDetail decide(String flagId, ReviewState decision, String reviewer, String comment) {
        if (decision != ReviewState.CONFIRMED && decision != ReviewState.DISMISSED) {
            throw BillingProblem.badRequest("INVALID_DECISION", "decision", "decision must be CONFIRMED or DISMISSED");
        }
        QuarkusTransaction.requiringNew().run(() -> record(flagId, decision, reviewer, comment));
        return get(flagId);
    }

    /**
     * The decision in the caller's transaction: the flag and its decision through Hibernate, the audit row, the
     * visit's {@code flagged} column and the outbox event through JDBC on the same connection (Agroal hands the
     * transaction's connection to both), so they commit or roll back together.
     */
    void record(String flagId, ReviewState decision, String reviewer, String comment) {
        // FOR UPDATE: the monitor's own withdrawal of an OPEN flag waits for the reviewer's decision, or the other way round
        FraudFlagEntity flag = FraudFlagEntity.findById(flagId, LockModeType.PESSIMISTIC_WRITE);
        if (flag == null) {
            throw BillingProblem.notFound("FLAG_NOT_FOUND", "no fraud flag " + flagId);
        }
        if (flag.state != ReviewState.OPEN) {
            throw BillingProblem.conflict("FLAG_NOT_OPEN", "flag " + flagId + " is " + flag.state + "; only an OPEN flag can be decided");
        }
        flag.state = decision;
        flag.updatedAt = Instant.now();
        FraudDecisionEntity d = new FraudDecisionEntity();
        d.flagId = flagId;
        d.decision = decision.name();
        d.reviewer = reviewer;
        d.comment = comment;
        d.persist();
        FraudFlagEntity.flush(); // refreshFlagged below reads the flag's new state in SQL
        try (Connection c = dataSource.getConnection()) {
            AuditLog.record(c, new Caller(reviewer, comment), AuditLog.Action.FRAUD_DECISION, null,
                    "fraud flag " + flagId + " " + flag.ruleId + " → " + decision.name(), 1);
            FraudMonitor.refreshFlagged(c, Set.of(flag.visitKey));
            BillingEvent e = Outbox.event(UUID.randomUUID().toString(), "FRAUD_FLAG_RESOLVED", flag.polyclinicBin, flag.visitKey);
            e.setFlagId(flagId);
            e.setRuleId(flag.ruleId);
            e.setMonth(YearMonth.from(flag.visitDate).toString());
            e.setAmount(flag.moneyAtStake.toPlainString());
            e.setReason(decision.name() + " by reviewer");
            Outbox.add(c, List.of(e));
        } catch (SQLException e) {
            throw new IllegalStateException("could not record the decision on flag " + flagId, e);
        }
    }

    /** Flags on visits of the month, and the capitation the latest statement of that month withheld because of them. */
    public MonthProtection protection(YearMonth month) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            Integer version = CapitationRunEntity.latestVersion(month);
            Map<String, PolyclinicProtection> rows = new TreeMap<>();
            List<Object[]> flagged = FraudFlagEntity.getEntityManager().createQuery("""
                    select polyclinicBin, count(*), count(*) filter (where state = :open), count(*) filter (where state = :confirmed),
                           count(*) filter (where state = :dismissed), count(*) filter (where state = :withdrawn),
                           coalesce(sum(moneyAtStake) filter (where state = :open), 0),
                           coalesce(sum(moneyAtStake) filter (where state = :confirmed), 0)
                    from FraudFlagEntity where visitDate >= :from and visitDate <= :to group by polyclinicBin""", Object[].class)
                    .setParameter("open", ReviewState.OPEN).setParameter("confirmed", ReviewState.CONFIRMED)
                    .setParameter("dismissed", ReviewState.DISMISSED).setParameter("withdrawn", ReviewState.WITHDRAWN)
                    .setParameter("from", month.atDay(1)).setParameter("to", month.atEndOfMonth()).getResultList();
            for (Object[] r : flagged) {
                rows.put((String) r[0], new PolyclinicProtection((String) r[0], (Long) r[1], (Long) r[2], (Long) r[3], (Long) r[4],
                        (Long) r[5], (BigDecimal) r[6], (BigDecimal) r[7], BigDecimal.ZERO));
            }
            if (version != null) {
                for (CapitationStatementEntity s : CapitationStatementEntity.<CapitationStatementEntity>list(
                        "month = ?1 and version = ?2 and withheldByFraud > 0", month.toString(), version)) {
                    PolyclinicProtection p = rows.get(s.polyclinicBin);
                    rows.put(s.polyclinicBin, p == null
                            ? new PolyclinicProtection(s.polyclinicBin, 0, 0, 0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO, s.withheldByFraud)
                            : new PolyclinicProtection(p.polyclinicBin(), p.flags(), p.open(), p.confirmed(), p.dismissed(), p.withdrawn(),
                                    p.moneyAtStakeOpen(), p.moneyAtStakeConfirmed(), s.withheldByFraud));
                }
            }
            List<PolyclinicProtection> list = List.copyOf(rows.values());
            long flags = list.stream().mapToLong(PolyclinicProtection::flags).sum();
            long confirmed = list.stream().mapToLong(PolyclinicProtection::confirmed).sum();
            long dismissed = list.stream().mapToLong(PolyclinicProtection::dismissed).sum();
            BigDecimal stake = list.stream().map(PolyclinicProtection::moneyAtStakeConfirmed).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal withheld = list.stream().map(PolyclinicProtection::withheldInStatement).reduce(BigDecimal.ZERO, BigDecimal::add);
            return new MonthProtection(month.toString(), version, flags, confirmed, dismissed, stake, withheld, list);
        });
    }
}
