package kz.ehr.billing.fraud.service;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import kz.ehr.billing.capitation.AgeBand;
import kz.ehr.billing.capitation.CapitationCalculator;
import kz.ehr.billing.capitation.CapitationPolicy;
import kz.ehr.billing.capitation.PersonHistory;
import kz.ehr.billing.config.Policies;
import kz.ehr.billing.fraud.DoctorDay;
import kz.ehr.billing.fraud.Finding;
import kz.ehr.billing.fraud.FraudScreen;
import kz.ehr.billing.fraud.HospitalStay;
import kz.ehr.billing.fraud.PersonContext;
import kz.ehr.billing.fraud.ScreenedVisit;
import kz.ehr.billing.outbox.Outbox;
import kz.ehr.billing.projection.Affected;
import kz.ehr.billing.projection.BillingProjection;
import kz.ehr.billing.projection.Jdbc;
import kz.ehr.billing.projection.StepTimings;
import kz.ehr.events.BillingEvent;
import kz.ehr.events.Envelopes;

/**
 * The streaming fraud monitor: after each consumed batch, re-screens every visit of the persons the batch touched
 * (person rules) and every visit of the doctor-days it touched (doctor-day rules), then reconciles the stored flags:
 * new findings are raised, open flags whose cause disappeared are withdrawn, human decisions are never overridden.
 */
@ApplicationScoped
public class FraudMonitor {
    @Inject
    Policies policies;

    /** For code running outside CDI (benchmarks). */
    public static FraudMonitor of(Policies policies) {
        FraudMonitor m = new FraudMonitor();
        m.policies = policies;
        return m;
    }

    /** Where a visit belongs, for flag rows and the money at stake. */
    record VisitMeta(String personKey, String polyclinicBin, String doctorId, LocalDate date, String sex, LocalDate birthDate,
                     String region) {
    }

    record ExistingFlag(String flagId, String visitKey, String ruleId, String state) {
    }

    public void rescreen(Connection c, Affected affected) throws SQLException {
        rescreen(c, affected, null);
    }

    /**
     * The committed state of some persons and doctor-days, read on another connection while the batch's transaction
     * wrote (see {@link #readStored}); the monitor completes it with the visit rows the batch wrote
     * ({@link Affected#writtenVisits}) instead of reading it on the batch's connection afterwards.
     */
    public record Stored(Set<String> persons, Map<String, List<PersonHistory.Attachment>> attachments,
                         Map<String, List<HospitalStay>> stays, Map<String, List<Affected.VisitState>> visits,
                         Set<Affected.DoctorDayKey> days, Map<Affected.DoctorDayKey, List<Affected.VisitState>> dayVisits) {
    }

    /**
     * Reads what the monitor needs of these persons and doctor-days as committed, on a connection outside the batch's
     * transaction. Valid for a batch that writes no attachment, stay, death or MPI link (only visits): the visits it
     * writes are merged in from {@link Affected#writtenVisits}. Person rows are not read here (the projection hands
     * them over, or the monitor reads them on the batch's connection).
     */
    public static Stored readStored(Connection b, Set<String> persons, Set<Affected.DoctorDayKey> days) throws SQLException {
        Map<String, List<PersonHistory.Attachment>> attachments = new HashMap<>();
        Map<String, List<HospitalStay>> stays = new HashMap<>();
        Map<String, List<Affected.VisitState>> visits = new HashMap<>();
        readContext(b, persons, attachments, stays, visits);
        Map<Affected.DoctorDayKey, List<Affected.VisitState>> dayVisits = new HashMap<>();
        readDoctorDays(b, days, dayVisits);
        return new Stored(Set.copyOf(persons), attachments, stays, visits, Set.copyOf(days), dayVisits);
    }

    /** {@code stored}: a prefetch of the committed state for this batch, or null to read everything on {@code c}. */
    public void rescreen(Connection c, Affected affected, Stored stored) throws SQLException {
        FraudScreen screen = new FraudScreen(policies.fraud());
        Map<String, VisitMeta> meta = new HashMap<>();
        List<Finding> findings = new ArrayList<>();
        Set<String> personScope = new HashSet<>();
        Set<String> doctorScope = new HashSet<>();
        Set<Affected.DoctorDayKey> days = new HashSet<>(affected.doctorDays());
        // visits an OPEN or CONFIRMED flag holds: the only ones besides new findings whose stored flags matter
        Set<String> flaggedNow = new HashSet<>();

        // near_mark as this batch sets it: a prefetched doctor-day slot carries the value from before the batch
        Map<String, Boolean> nearMarkSet = new HashMap<>();
        if (!affected.persons().isEmpty()) {
            Map<String, Boolean> storedNearMark = new HashMap<>();
            Map<String, PersonContext> persons = loadPersons(c, affected.persons(), affected.knownPersons(), storedNearMark,
                    flaggedNow, stored, affected.writtenVisits());
            long t = StepTimings.start();
            List<String> nearMarkOn = new ArrayList<>();
            List<String> nearMarkOff = new ArrayList<>();
            for (PersonContext p : persons.values()) {
                findings.addAll(screen.screenPerson(p));
                Set<String> nearMark = screen.nearMarkVisits(p);
                PersonHistory history = p.asHistory();
                for (ScreenedVisit v : p.visits()) {
                    personScope.add(v.visitKey());
                    String region = history.attachmentOn(v.date()).map(PersonHistory.Attachment::region).orElse(null);
                    meta.put(v.visitKey(), new VisitMeta(p.personKey(), v.polyclinicBin(), v.doctorId(), v.date(), p.sex(), p.birthDate(), region));
                    boolean now = nearMark.contains(v.visitKey());
                    if (now != storedNearMark.get(v.visitKey())) {
                        (now ? nearMarkOn : nearMarkOff).add(v.visitKey());
                        nearMarkSet.put(v.visitKey(), now);
                        if (v.doctorId() != null) {
                            days.add(new Affected.DoctorDayKey(v.polyclinicBin(), v.doctorId(), v.date()));
                        }
                    }
                }
            }
            t = StepTimings.add("mon.personRules", t);
            setNearMark(c, nearMarkOn, true);
            setNearMark(c, nearMarkOff, false);
            StepTimings.add("mon.nearMark", t);
        }
        if (!days.isEmpty()) {
            long t = StepTimings.start();
            List<DoctorDay> loaded = loadDoctorDays(c, days, flaggedNow, stored, affected.writtenVisits(), nearMarkSet);
            t = StepTimings.add("mon.doctorDays", t);
            for (DoctorDay day : loaded) {
                findings.addAll(screen.screenDoctorDay(day));
                day.visits().forEach(s -> doctorScope.add(s.visitKey()));
            }
            StepTimings.add("mon.doctorRules", t);
        }
        reconcile(c, findings, personScope, doctorScope, meta, flaggedNow);
    }

    private void reconcile(Connection c, List<Finding> findings, Set<String> personScope, Set<String> doctorScope,
                           Map<String, VisitMeta> meta, Set<String> flaggedNow) throws SQLException {
        // stored flags matter for visits with a finding now (not raised twice, decisions stand) and for visits an
        // OPEN flag may hold (withdrawn when its cause is gone); an OPEN flag always sets visit.flagged
        Set<String> probe = new HashSet<>();
        findings.forEach(f -> probe.add(f.visitKey()));
        for (String v : flaggedNow) {
            if (personScope.contains(v) || doctorScope.contains(v)) {
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
                BigDecimal money = moneyAtStake(m);
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
                boolean inScope = personRules.contains(old.ruleId()) ? personScope.contains(old.visitKey()) : doctorScope.contains(old.visitKey());
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
            boolean inScope = personRules.contains(old.ruleId()) ? personScope.contains(old.visitKey()) : doctorScope.contains(old.visitKey());
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

    /** Keeps visit.flagged equal to "an OPEN or CONFIRMED flag holds this visit". */
    public static void refreshFlagged(Connection c, Set<String> visitKeys) throws SQLException {
        if (visitKeys.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE visit v SET flagged = NOT v.flagged
                WHERE v.rec_key = ANY(?) AND v.flagged <> EXISTS (SELECT 1 FROM fraud_flag f
                      WHERE f.visit_key = v.rec_key AND f.state IN ('OPEN', 'CONFIRMED'))""")) {
            // by primary key: joining an unnest() here let the planner scan the whole visit table
            ps.setArray(1, c.createArrayOf("text", visitKeys.toArray()));
            ps.executeUpdate();
        }
    }

    /** The monthly capitation the no-visit penalty would take from this person: what a fake visit would unlock. */
    BigDecimal moneyAtStake(VisitMeta m) {
        try {
            CapitationPolicy p = policies.capitation().inForceOn(m.date());
            BigDecimal sexAge = m.birthDate() == null ? BigDecimal.ONE : p.sexAgeCoefficient(m.sex(), AgeBand.of(m.birthDate(), m.date()));
            return CapitationCalculator.money(p.baseRate(m.region(), m.date().getYear()).multiply(sexAge)
                    .multiply(p.regionalCoefficient(m.region())).multiply(BigDecimal.ONE.subtract(p.noVisitFactor())));
        } catch (IllegalArgumentException noPolicy) {
            return BigDecimal.ZERO.setScale(2);
        }
    }

    private static void setNearMark(Connection c, List<String> keys, boolean value) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE visit SET near_mark = ? WHERE rec_key = ANY(?)")) {
            ps.setBoolean(1, value);
            ps.setArray(2, c.createArrayOf("text", keys.toArray()));
            ps.executeUpdate();
        }
    }

    private static Map<String, PersonContext> loadPersons(Connection c, Set<String> keys, Map<String, Affected.PersonFacts> known,
                                                          Map<String, Boolean> storedNearMark, Set<String> flaggedNow, Stored stored,
                                                          Map<String, Affected.VisitState> written) throws SQLException {
        // the projection hands over the person rows it read and wrote in this batch; only the others are read here
        Map<String, Affected.PersonFacts> people = new HashMap<>(known);
        Object[] unknown = keys.stream().filter(k -> !known.containsKey(k)).toArray();
        Map<String, List<PersonHistory.Attachment>> attachments = new HashMap<>();
        Map<String, List<HospitalStay>> stays = new HashMap<>();
        Map<String, List<Affected.VisitState>> visits = new HashMap<>();
        long t = StepTimings.start();
        if (unknown.length > 0) {
            try (PreparedStatement ps = c.prepareStatement("SELECT person_key, sex, birth_date, death_date FROM person WHERE person_key = ANY(?)")) {
                ps.setArray(1, c.createArrayOf("text", unknown));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        people.put(rs.getString(1), new Affected.PersonFacts(rs.getString(2), Jdbc.date(rs, 3), Jdbc.date(rs, 4)));
                    }
                }
            }
        }
        StepTimings.add("mon.person", t);
        Set<String> toRead = keys;
        if (stored != null) {
            // prefetched: the committed rows, less the visits this batch wrote (they may have moved), plus those as written
            toRead = new HashSet<>();
            for (String key : keys) {
                if (!stored.persons().contains(key)) {
                    toRead.add(key);
                    continue;
                }
                attachments.put(key, stored.attachments().getOrDefault(key, List.of()));
                stays.put(key, stored.stays().getOrDefault(key, List.of()));
                List<Affected.VisitState> list = new ArrayList<>();
                for (Affected.VisitState v : stored.visits().getOrDefault(key, List.of())) {
                    if (!written.containsKey(v.visit().visitKey())) {
                        list.add(v);
                    }
                }
                visits.put(key, list);
            }
            for (Affected.VisitState v : written.values()) {
                List<Affected.VisitState> list = stored.persons().contains(v.visit().personKey()) ? visits.get(v.visit().personKey()) : null;
                if (list != null) {
                    list.add(v);
                }
            }
        }
        readContext(c, toRead, attachments, stays, visits);
        Map<String, PersonContext> out = new HashMap<>();
        for (String key : keys) {
            Affected.PersonFacts p = people.getOrDefault(key, new Affected.PersonFacts(null, null, null));
            List<ScreenedVisit> screened = new ArrayList<>();
            for (Affected.VisitState v : visits.getOrDefault(key, List.of())) {
                screened.add(v.visit());
                storedNearMark.put(v.visit().visitKey(), v.nearMark());
                if (v.flagged()) {
                    flaggedNow.add(v.visit().visitKey());
                }
            }
            out.put(key, new PersonContext(key, p.sex(), p.birthDate(), p.deathDate(), attachments.getOrDefault(key, List.of()),
                    stays.getOrDefault(key, List.of()), screened));
        }
        return out;
    }

    /** Attachments, stays and visits (with near_mark and flagged) of the persons, as {@code c} sees them. */
    private static void readContext(Connection c, Set<String> keys, Map<String, List<PersonHistory.Attachment>> attachments,
                                    Map<String, List<HospitalStay>> stays, Map<String, List<Affected.VisitState>> visits) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        java.sql.Array arr = c.createArrayOf("text", keys.toArray());
        long t = StepTimings.start();
        for (String key : keys) {
            attachments.put(key, new ArrayList<>());
            stays.put(key, new ArrayList<>());
            visits.put(key, new ArrayList<>());
        }
        try (PreparedStatement ps = c.prepareStatement(ATTACHMENTS)) {
            ps.setArray(1, arr);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    attachments.get(rs.getString(1))
                            .add(new PersonHistory.Attachment(rs.getString(2), rs.getString(3), Jdbc.date(rs, 4), Jdbc.date(rs, 5)));
                }
            }
        }
        t = StepTimings.add("mon.attachments", t);
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT person_key, facility_bin, admitted_at, discharged_at FROM hospitalization WHERE person_key = ANY(?)")) {
            ps.setArray(1, arr);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stays.get(rs.getString(1)).add(new HospitalStay(rs.getString(2), Jdbc.instant(rs, 3), Jdbc.instant(rs, 4)));
                }
            }
        }
        t = StepTimings.add("mon.stays", t);
        try (PreparedStatement ps = c.prepareStatement("SELECT " + BillingProjection.VISIT_COLUMNS + " FROM visit WHERE person_key = ANY(?)")) {
            ps.setArray(1, arr);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Affected.VisitState v = BillingProjection.visitState(rs);
                    visits.get(v.visit().personKey()).add(v);
                }
            }
        }
        StepTimings.add("mon.visits", t);
    }

    /**
     * By index, person by person: with {@code person_key = ANY(<5,000 keys>)} the planner estimated the index probes
     * dearer than a parallel scan of the whole table and read all of attachment (three processes) for every batch.
     */
    private static final String ATTACHMENTS = """
            SELECT a.person_key, a.polyclinic_bin, a.region, a.from_date, a.to_date
            FROM unnest(?::text[]) k(pk) JOIN attachment a ON a.person_key = k.pk""";

    /**
     * Every visit of the doctor-days; the facts for flag rows are loaded later, only for visits that get a flag. With a
     * prefetch, the days it covers are completed with the visits this batch wrote, and near_mark as this batch set it.
     */
    private static List<DoctorDay> loadDoctorDays(Connection c, Set<Affected.DoctorDayKey> days, Set<String> flaggedNow, Stored stored,
                                                  Map<String, Affected.VisitState> written, Map<String, Boolean> nearMarkSet)
            throws SQLException {
        Map<Affected.DoctorDayKey, List<Affected.VisitState>> byDay = new LinkedHashMap<>();
        Set<Affected.DoctorDayKey> toRead = days;
        if (stored != null) {
            toRead = new HashSet<>();
            for (Affected.DoctorDayKey day : days) {
                if (!stored.days().contains(day)) {
                    toRead.add(day);
                    continue;
                }
                List<Affected.VisitState> list = new ArrayList<>();
                for (Affected.VisitState v : stored.dayVisits().getOrDefault(day, List.of())) {
                    if (!written.containsKey(v.visit().visitKey())) {
                        list.add(v);
                    }
                }
                byDay.put(day, list);
            }
            for (Affected.VisitState v : written.values()) {
                List<Affected.VisitState> list = v.visit().doctorId() == null || !stored.days().contains(v.doctorDay()) ? null
                        : byDay.get(v.doctorDay());
                if (list != null) {
                    list.add(v);
                }
            }
            byDay.values().removeIf(List::isEmpty);
        }
        // read after this batch's near_mark updates: these rows carry the values as set
        readDoctorDays(c, toRead, byDay);
        List<DoctorDay> out = new ArrayList<>();
        byDay.forEach((k, list) -> {
            List<DoctorDay.Slot> slots = new ArrayList<>();
            for (Affected.VisitState v : list) {
                ScreenedVisit s = v.visit();
                slots.add(new DoctorDay.Slot(s.visitKey(), s.start(), s.end(), nearMarkSet.getOrDefault(s.visitKey(), v.nearMark())));
                if (v.flagged()) {
                    flaggedNow.add(s.visitKey());
                }
            }
            out.add(new DoctorDay(k.doctorId(), k.date(), slots));
        });
        return out;
    }

    private static void readDoctorDays(Connection c, Set<Affected.DoctorDayKey> days, Map<Affected.DoctorDayKey, List<Affected.VisitState>> out)
            throws SQLException {
        if (days.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT " + BillingProjection.VISIT_COLUMNS.replaceAll("(\\w+)", "v.$1") + """

                FROM visit v JOIN unnest(?::text[], ?::date[], ?::text[]) d(doc, day, bin)
                  ON v.doctor_id = d.doc AND v.visit_date = d.day AND v.polyclinic_bin = d.bin""")) {
            List<Affected.DoctorDayKey> list = new ArrayList<>(days);
            ps.setArray(1, c.createArrayOf("text", list.stream().map(Affected.DoctorDayKey::doctorId).toArray()));
            ps.setArray(2, c.createArrayOf("date", list.stream().map(d -> java.sql.Date.valueOf(d.date())).toArray()));
            ps.setArray(3, c.createArrayOf("text", list.stream().map(Affected.DoctorDayKey::polyclinicBin).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Affected.VisitState v = BillingProjection.visitState(rs);
                    out.computeIfAbsent(v.doctorDay(), k -> new ArrayList<>()).add(v);
                }
            }
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
