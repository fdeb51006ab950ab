package kz.ehr.billing.fraud.service;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import kz.ehr.billing.capitation.AgeBand;
import kz.ehr.billing.capitation.CapitationCalculator;
import kz.ehr.billing.capitation.CapitationPolicy;
import kz.ehr.billing.config.Policies;
import kz.ehr.billing.fraud.DoctorTwoPolyclinicsRule;
import kz.ehr.billing.fraud.Finding;
import kz.ehr.billing.fraud.FraudScreen;
import kz.ehr.billing.outbox.Outbox;
import kz.ehr.billing.projection.Jdbc;
import kz.ehr.billing.projection.StepTimings;
import kz.ehr.events.BillingEvent;
import kz.ehr.events.Envelopes;

/**
 * Turns the findings of one screening step into stored flags: new findings are raised, open flags whose cause
 * disappeared are withdrawn, human decisions are never overridden; {@code visit.flagged} and the outbox follow.
 * JDBC batches on the consumer's transaction, not entities: a storm writes a flag for each of 100,000 visits of one
 * doctor-day (StormBench, FraudStormTests; costs per statement in docs/benchmarks/billing-service.md).
 */
final class FlagReconcile {
    private final Policies policies;
    /** Flags raised (new, or a withdrawn one raised again) by rule id, over every flush of this reconcile. */
    final Map<String, Integer> raised = new HashMap<>();

    FlagReconcile(Policies policies) {
        this.policies = policies;
    }

    /** Where a visit belongs, for flag rows and the money at stake. */
    record VisitMeta(String personKey, String polyclinicBin, String doctorId, LocalDate date, String sex, LocalDate birthDate,
                     String region) {
    }

    record ExistingFlag(String flagId, String visitKey, String ruleId, String state) {
    }

    /**
     * The findings and screened visits gathered since the last flush. The monitor flushes it whenever it holds
     * {@link Policies#rowsPerStep()} visits, so that its size, not the data's shape, bounds what one step holds.
     */
    static final class Pending {
        final List<Finding> findings = new ArrayList<>();
        final Set<String> personScope = new HashSet<>();
        final Set<String> doctorScope = new HashSet<>();
        /** visits screened as part of a doctor's day across polyclinics ({@link DoctorTwoPolyclinicsRule}) */
        final Set<String> crossScope = new HashSet<>();
        final Map<String, VisitMeta> meta = new HashMap<>();
        /** visits an OPEN or CONFIRMED flag holds: the only ones besides new findings whose stored flags matter */
        final Set<String> flaggedNow = new HashSet<>();

        int visits() {
            return personScope.size() + doctorScope.size() + crossScope.size();
        }

        void clear() {
            findings.clear();
            personScope.clear();
            doctorScope.clear();
            crossScope.clear();
            meta.clear();
            flaggedNow.clear();
        }
    }

    /**
     * Writes what the pending findings mean for the stored flags and empties {@code p}. The scopes say which visits were
     * screened by which kind of rule: an OPEN flag of a screened visit that no finding supports any more is withdrawn.
     */
    void flush(Connection c, Pending p) throws SQLException {
        ScreeningMeter.flushed();
        try {
            reconcile(c, p.findings, p.personScope, p.doctorScope, p.crossScope, p.meta, p.flaggedNow);
        } finally {
            p.clear();
        }
    }

    private void reconcile(Connection c, List<Finding> findings, Set<String> personScope, Set<String> doctorScope,
                           Set<String> crossScope, Map<String, VisitMeta> meta, Set<String> flaggedNow) throws SQLException {
        // stored flags matter for visits with a finding now (not raised twice, decisions stand) and for visits an
        // OPEN flag may hold (withdrawn when its cause is gone); an OPEN flag always sets visit.flagged
        Set<String> probe = new HashSet<>();
        findings.forEach(f -> probe.add(f.visitKey()));
        for (String v : flaggedNow) {
            if (personScope.contains(v) || doctorScope.contains(v) || crossScope.contains(v)) {
                probe.add(v);
            }
        }
        if (probe.isEmpty()) {
            return;
        }
        long t = StepTimings.start();
        Map<String, ExistingFlag> existing = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT flag_id, visit_key, rule_id, state FROM fraud_flag WHERE visit_key = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", probe.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ExistingFlag f = new ExistingFlag(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4));
                    existing.put(f.visitKey() + "|" + f.ruleId(), f);
                }
            }
        }
        Map<String, Finding> desired = new LinkedHashMap<>();
        findings.forEach(f -> desired.putIfAbsent(f.visitKey() + "|" + f.ruleId(), f));
        Set<String> needMeta = new HashSet<>();
        desired.values().forEach(f -> needMeta.add(f.visitKey()));
        existing.values().forEach(f -> needMeta.add(f.visitKey()));
        needMeta.removeAll(meta.keySet());
        t = StepTimings.add("flags.probe", t);
        loadMeta(c, needMeta, meta);
        t = StepTimings.add("flags.meta", t);
        Set<String> personRules = new HashSet<>(FraudScreen.personRuleIds());
        // the visits screened by the rules of this flag's kind in this step: only there can its cause have gone
        java.util.function.Function<String, Set<String>> scopeOf = rule -> personRules.contains(rule) ? personScope
                : DoctorTwoPolyclinicsRule.ID.equals(rule) ? crossScope : doctorScope;

        List<BillingEvent> events = new ArrayList<>();
        Set<String> touchedVisits = new HashSet<>();
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO fraud_flag (flag_id, visit_key, rule_id, polyclinic_bin, doctor_id, visit_date, reason, money_at_stake, state)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'OPEN') ON CONFLICT (flag_id) DO UPDATE SET state = 'OPEN', reason = excluded.reason,
                  money_at_stake = excluded.money_at_stake, updated_at = now()""");
             PreparedStatement withdraw = c.prepareStatement(
                     "UPDATE fraud_flag SET state = 'WITHDRAWN', updated_at = now() WHERE flag_id = ? AND state = 'OPEN'")) {
            int inserts = 0;
            int withdrawals = 0;
            for (var entry : desired.entrySet()) {
                ExistingFlag old = existing.get(entry.getKey());
                if (old != null && !"WITHDRAWN".equals(old.state())) {
                    continue; // already open, or a reviewer decided: the decision stands
                }
                Finding f = entry.getValue();
                VisitMeta m = meta.get(f.visitKey());
                if (m == null) {
                    continue;
                }
                String flagId = Envelopes.stableEventId(f.visitKey(), f.ruleId());
                BigDecimal money = moneyAtStake(m, f.ruleId());
                insert.setString(1, flagId);
                insert.setString(2, f.visitKey());
                insert.setString(3, f.ruleId());
                insert.setString(4, m.polyclinicBin());
                insert.setString(5, m.doctorId());
                Jdbc.date(insert, 6, m.date());
                insert.setString(7, f.reason());
                insert.setBigDecimal(8, money);
                insert.addBatch();
                inserts++;
                raised.merge(f.ruleId(), 1, Integer::sum);
                touchedVisits.add(f.visitKey());
                BillingEvent e = Outbox.event(UUID.randomUUID().toString(), "FRAUD_FLAG_RAISED", m.polyclinicBin(), f.visitKey());
                e.setMonth(YearMonth.from(m.date()).toString());
                e.setFlagId(flagId);
                e.setRuleId(f.ruleId());
                e.setReason(f.reason());
                e.setAmount(money.toPlainString());
                events.add(e);
            }
            for (ExistingFlag old : existing.values()) {
                boolean inScope = scopeOf.apply(old.ruleId()).contains(old.visitKey());
                if (!inScope || !"OPEN".equals(old.state()) || desired.containsKey(old.visitKey() + "|" + old.ruleId())) {
                    continue;
                }
                withdraw.setString(1, old.flagId());
                withdraw.addBatch();
                withdrawals++;
                touchedVisits.add(old.visitKey());
                VisitMeta m = meta.get(old.visitKey());
                BillingEvent e = Outbox.event(UUID.randomUUID().toString(), "FRAUD_FLAG_RESOLVED",
                        m == null ? "unknown" : m.polyclinicBin(), old.visitKey());
                e.setFlagId(old.flagId());
                e.setRuleId(old.ruleId());
                e.setReason("WITHDRAWN: a later fact removed the cause of this flag");
                events.add(e);
            }
            t = StepTimings.add("flags.java", t);
            if (inserts > 0) insert.executeBatch();
            if (withdrawals > 0) withdraw.executeBatch();
            t = StepTimings.add("flags.write", t);
        }
        // the flags of every touched visit are all in hand: decide "held" here rather than with a per-row subquery
        Map<String, Boolean> held = new HashMap<>();
        touchedVisits.forEach(v -> held.put(v, false));
        Set<String> withdrawn = new HashSet<>();
        for (ExistingFlag old : existing.values()) {
            boolean inScope = scopeOf.apply(old.ruleId()).contains(old.visitKey());
            if (inScope && "OPEN".equals(old.state()) && !desired.containsKey(old.visitKey() + "|" + old.ruleId())) {
                withdrawn.add(old.visitKey() + "|" + old.ruleId());
            }
        }
        for (ExistingFlag old : existing.values()) {
            if (held.containsKey(old.visitKey()) && ("CONFIRMED".equals(old.state())
                    || ("OPEN".equals(old.state()) && !withdrawn.contains(old.visitKey() + "|" + old.ruleId())))) {
                held.put(old.visitKey(), true);
            }
        }
        for (Finding f : desired.values()) {
            if (held.containsKey(f.visitKey())) {
                ExistingFlag old = existing.get(f.visitKey() + "|" + f.ruleId());
                if (old == null || "WITHDRAWN".equals(old.state()) || "OPEN".equals(old.state()) || "CONFIRMED".equals(old.state())) {
                    held.put(f.visitKey(), true);
                }
            }
        }
        setFlagged(c, held);
        t = StepTimings.add("flags.visitFlagged", t);
        Outbox.add(c, events);
        StepTimings.add("flags.outbox", t);
    }

    private static void setFlagged(Connection c, Map<String, Boolean> held) throws SQLException {
        if (held.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE visit SET flagged = ? WHERE rec_key = ANY(?) AND flagged <> ?")) {
            for (boolean value : new boolean[] {true, false}) {
                Object[] keys = held.entrySet().stream().filter(e -> e.getValue() == value).map(Map.Entry::getKey).toArray();
                if (keys.length > 0) {
                    ps.setBoolean(1, value);
                    ps.setArray(2, c.createArrayOf("text", keys));
                    ps.setBoolean(3, value);
                    ps.executeUpdate();
                }
            }
        }
    }

    /**
     * The monthly capitation the no-visit penalty would take from this person: what a fake visit would unlock; for a
     * rule that puts the whole payment at stake (a person attached twice, a ghost) the person's whole monthly payment
     * before the visit and insurance factors (DOMAIN.md: base × sex-age × regional).
     */
    BigDecimal moneyAtStake(VisitMeta m, String ruleId) {
        try {
            CapitationPolicy p = policies.capitation().inForceOn(m.date());
            BigDecimal sexAge = m.birthDate() == null ? BigDecimal.ONE : p.sexAgeCoefficient(m.sex(), AgeBand.of(m.birthDate(), m.date()));
            return CapitationCalculator.money(p.baseRate(m.region(), m.date().getYear()).multiply(sexAge)
                    .multiply(p.regionalCoefficient(m.region()))
                    .multiply(FraudScreen.stakesWholePayment(ruleId) ? BigDecimal.ONE : BigDecimal.ONE.subtract(p.noVisitFactor())));
        } catch (IllegalArgumentException noPolicy) {
            return BigDecimal.ZERO.setScale(2);
        }
    }

    /** Where a visit belongs and its person's demographics, for the flag row and the money at stake. */
    private static void loadMeta(Connection c, Set<String> visitKeys, Map<String, VisitMeta> meta) throws SQLException {
        if (visitKeys.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT v.rec_key, v.person_key, v.polyclinic_bin, v.doctor_id, v.visit_date, p.sex, p.birth_date,
                       (SELECT a.region FROM attachment a WHERE a.person_key = v.person_key ORDER BY a.from_date DESC LIMIT 1)
                FROM visit v LEFT JOIN person p ON p.person_key = v.person_key WHERE v.rec_key = ANY(?)""")) {
            ps.setArray(1, c.createArrayOf("text", visitKeys.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    meta.put(rs.getString(1), new VisitMeta(rs.getString(2), rs.getString(3), rs.getString(4), Jdbc.date(rs, 5),
                            rs.getString(6), Jdbc.date(rs, 7), rs.getString(8)));
                }
            }
        }
    }
}
