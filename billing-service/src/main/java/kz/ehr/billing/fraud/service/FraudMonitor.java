package kz.ehr.billing.fraud.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import kz.ehr.billing.capitation.PersonHistory;
import kz.ehr.billing.config.Policies;
import kz.ehr.billing.fraud.DoctorDay;
import kz.ehr.billing.fraud.DoctorDaySweep;
import kz.ehr.billing.fraud.DoctorTwoPolyclinicsRule;
import kz.ehr.billing.fraud.FraudScreen;
import kz.ehr.billing.fraud.HospitalStay;
import kz.ehr.billing.fraud.PersonContext;
import kz.ehr.billing.fraud.PersonScreening;
import kz.ehr.billing.fraud.ScreenedVisit;
import kz.ehr.billing.projection.Affected;
import kz.ehr.billing.projection.Jdbc;
import kz.ehr.billing.projection.StepTimings;

/**
 * The streaming fraud monitor: after each consumed batch, re-screens every visit of the persons the batch touched
 * (person rules) and the doctor-days it touched (doctor-day rules: a day without findings from its new slots'
 * neighbours, {@link #screenChanged}; any other day whole), then reconciles the stored flags:
 * new findings are raised, open flags whose cause disappeared are withdrawn, human decisions are never overridden.
 * <p>
 * What it holds is bounded by {@link Policies#rowsPerStep()}, not by the data's shape: persons and doctor-days go in
 * groups of at most that many visits, each group's flags are written before the next is read, and a person or day
 * larger than that on its own (100,000 visits of one doctor on one day) is swept page by page.
 * Plain JDBC on the consumer's transaction: the screening path BillingBench and StormBench measure (docs/benchmarks/billing-service.md).
 */
@ApplicationScoped
public class FraudMonitor {
    @Inject
    Policies policies;
    @Inject
    kz.ehr.billing.config.BillingConfig config;
    /** Read every touched doctor's day whole ({@code billing.fraud.whole-days}): the reference way. */
    private boolean wholeDays;

    @jakarta.annotation.PostConstruct
    void configure() {
        wholeDays = config.fraud().wholeDays();
    }

    /** For code running outside CDI (benchmarks): days screened from what changed, as the service does by default. */
    public static FraudMonitor of(Policies policies) {
        return of(policies, false);
    }

    /** {@code wholeDays}: every touched doctor's day read whole, the reference the tests compare against. */
    public static FraudMonitor of(Policies policies, boolean wholeDays) {
        FraudMonitor m = new FraudMonitor();
        m.policies = policies;
        m.wholeDays = wholeDays;
        return m;
    }

    public Map<String, Integer> rescreen(Connection c, Affected affected) throws SQLException {
        return rescreen(c, affected, null);
    }

    /**
     * The committed state of some persons and doctor-days, read on another connection while the batch's transaction
     * wrote (see {@link #readStored}); the monitor completes it with the visit rows the batch wrote
     * ({@link Affected#writtenVisits}) instead of reading it on the batch's connection afterwards.
     */
    public record Stored(Set<String> persons, Map<String, List<PersonHistory.Attachment>> attachments,
                         Map<String, List<HospitalStay>> stays, Map<String, List<Affected.VisitState>> visits,
                         Set<Affected.DoctorDayKey> days, Map<Affected.DoctorDayKey, List<ScreeningReads.DayVisit>> dayVisits) {
    }

    /**
     * Reads what the monitor needs of these persons and doctor-days as committed, on a connection outside the batch's
     * transaction. Valid for a batch that writes no attachment, stay, death or MPI link (only visits): the visits it
     * writes are merged in from {@link Affected#writtenVisits}. Person rows are not read here (the projection hands
     * them over, or the monitor reads them on the batch's connection). At most {@link Policies#rowsPerStep()} visits of
     * persons and as many of doctor-days are read ahead; the others are left to the batch's connection, group by group.
     */
    public Stored readStored(Connection b, Set<String> persons, Set<Affected.DoctorDayKey> days) throws SQLException {
        int budget = policies.rowsPerStep();
        List<String> personKeys = new ArrayList<>(persons);
        List<List<String>> personGroups = ScreeningReads.groups(personKeys, ScreeningReads.personSizes(b, personKeys), budget, new ArrayList<>());
        Set<String> ahead = personGroups.isEmpty() ? Set.of() : Set.copyOf(personGroups.get(0));
        Map<String, List<PersonHistory.Attachment>> attachments = new HashMap<>();
        Map<String, List<HospitalStay>> stays = new HashMap<>();
        Map<String, List<Affected.VisitState>> visits = new HashMap<>();
        ScreeningReads.readContext(b, ahead, attachments, stays, visits, true);
        // the doctor-days read ahead: chunks of them read whole with what is left of the budget as limit, not counted
        // first (that count of every touched day's visits was billing's costliest statement in the 1M pipeline run,
        // pg_stat_statements, docs/benchmarks/pipeline.md); each chunk is sized for half of what is left, so a few
        // reads fill most of the budget; a chunk that reaches its limit is dropped, and the monitor reads the days not
        // ahead on the batch's connection
        // (screening days from what changed, the monitor reads no day whole ahead: most days need only their new slots'
        // neighbours, read after the batch wrote them)
        Map<Affected.DoctorDayKey, List<ScreeningReads.DayVisit>> dayVisits = new HashMap<>();
        List<Affected.DoctorDayKey> dayKeys = new ArrayList<>(days);
        Set<Affected.DoctorDayKey> daysAhead = new HashSet<>();
        int held = 0;
        for (int round = 0; wholeDays && round < READ_AHEAD_ROUNDS && daysAhead.size() < dayKeys.size() && held < budget; round++) {
            Map<Affected.DoctorDayKey, List<ScreeningReads.DayVisit>> read = new HashMap<>();
            List<Affected.DoctorDayKey> chunk = dayPrefetch.firstChunk(dayKeys.subList(daysAhead.size(), dayKeys.size()), budget - held,
                    (keys, limit) -> ScreeningReads.readDoctorDays(b, keys, limit, read));
            if (chunk.isEmpty()) {
                break;
            }
            daysAhead.addAll(chunk);
            for (List<ScreeningReads.DayVisit> list : read.values()) {
                held += list.size();
            }
            dayVisits.putAll(read);
        }
        return new Stored(ahead, attachments, stays, visits, daysAhead, dayVisits);
    }

    /** Near-mark values this step changes, written before the doctor-days that read them are screened. */
    private static final class NearMarks {
        final List<String> on = new ArrayList<>();
        final List<String> off = new ArrayList<>();

        void write(Connection c) throws SQLException {
            long t = StepTimings.start();
            setNearMark(c, on, true);
            setNearMark(c, off, false);
            on.clear();
            off.clear();
            StepTimings.add("mon.nearMark", t);
        }
    }

    /** One batch's screening: its pending flag work, the doctor-days it must screen and the near-marks it set. */
    private final class Run {
        final Connection c;
        final Affected affected;
        final Stored stored;
        final FraudScreen screen = new FraudScreen(policies.fraud());
        final int budget = policies.rowsPerStep();
        final FlagReconcile reconcile = new FlagReconcile(policies);
        final FlagReconcile.Pending pending = new FlagReconcile.Pending();
        final NearMarks marks = new NearMarks();
        final Set<Affected.DoctorDayKey> days;
        /** near_mark as this batch sets it, for the visits of prefetched days (their slots carry the value from before) */
        final Map<String, Boolean> nearMarkSet = new HashMap<>();
        /** {visits, flagged visits} per polyclinic of the touched doctors' days, counted once the batch's visits are written */
        Map<ScreeningReads.CrossDay, Map<String, long[]>> bins = Map.of();
        /**
         * Touched doctor-days that are all of their national doctor's day (no visit at another polyclinic): their
         * visits, screened here whole, are the cross rule's scope too, and that day is not read again for it.
         */
        final Set<Affected.DoctorDayKey> wholeCrossDays = new HashSet<>();

        Run(Connection c, Affected affected, Stored stored) {
            this.c = c;
            this.affected = affected;
            this.stored = stored;
            this.days = new LinkedHashSet<>(affected.doctorDays());
        }

        void flushIfFull() throws SQLException {
            if (pending.visits() >= budget) {
                reconcile.flush(c, pending);
            }
        }

        /** A person's visit as screened; {@code storedNearMark}: its near_mark before this batch's screening. */
        void take(PersonContext p, PersonScreening.Screened s, boolean storedNearMark, boolean flagged) {
            ScreenedVisit v = s.visit();
            pending.findings.addAll(s.findings());
            pending.personScope.add(v.visitKey());
            pending.meta.put(v.visitKey(), new FlagReconcile.VisitMeta(p.personKey(), v.polyclinicBin(), v.doctorId(), v.date(), p.sex(),
                    p.birthDate(), s.region()));
            if (flagged) {
                pending.flaggedNow.add(v.visitKey());
            }
            if (s.nearMark() != storedNearMark) {
                (s.nearMark() ? marks.on : marks.off).add(v.visitKey());
                if (v.doctorId() != null) {
                    Affected.DoctorDayKey day = new Affected.DoctorDayKey(v.polyclinicBin(), v.doctorId(), v.date());
                    days.add(day);
                    if (stored != null && stored.days().contains(day)) {
                        nearMarkSet.put(v.visitKey(), s.nearMark());
                    }
                }
            }
        }
    }

    /**
     * {@code stored}: a prefetch of the committed state for this batch, or null to read everything on {@code c}.
     * Returns the flags raised by rule id (counted by the caller once the transaction committed).
     */
    public Map<String, Integer> rescreen(Connection c, Affected affected, Stored stored) throws SQLException {
        Run run = new Run(c, affected, stored);
        if (!affected.persons().isEmpty()) {
            screenPersons(run);
        }
        if (!run.days.isEmpty()) {
            screenDays(run);
        }
        run.reconcile.flush(c, run.pending);
        return run.reconcile.raised;
    }

    /** The persons' chunked read (until 2026-12-04 a count of every touched person's visits, then the read: BillingStreamBench). */
    private final ChunkedRead personChunks = new ChunkedRead(8);
    /** Sizes the doctor-days {@link #readStored} reads ahead (its own: it runs on the prefetch thread). */
    private final ChunkedRead dayPrefetch = new ChunkedRead(8);
    /** At most this many chunk reads for the read-ahead's doctor-days: half the budget, half of the rest, … */
    private static final int READ_AHEAD_ROUNDS = 3;

    /**
     * The touched persons: the prefetched ones by their prefetched sizes, the others read whole in chunks with a limit
     * ({@link ChunkedRead}); a chunk that reaches it goes the counted way (sizes, groups, pages).
     */
    private void screenPersons(Run run) throws SQLException {
        Set<String> covered = run.stored == null ? Set.of() : run.stored.persons();
        List<String> keys = new ArrayList<>();
        Map<String, Long> sizes = new HashMap<>();
        List<String> uncovered = new ArrayList<>();
        for (String key : run.affected.persons()) {
            if (covered.contains(key)) {
                keys.add(key);
                sizes.put(key, (long) run.stored.visits().getOrDefault(key, List.of()).size());
            } else {
                uncovered.add(key);
            }
        }
        if (!keys.isEmpty()) {
            screenPersons(run, keys, sizes);
        }
        personChunks.run(uncovered, run.budget, new ChunkedRead.Step<String, Map<String, List<Affected.VisitState>>>() {
            @Override
            public ChunkedRead.Read<Map<String, List<Affected.VisitState>>> read(List<String> chunk, int limit) throws SQLException {
                long t = StepTimings.start();
                var read = ScreeningReads.readPersonVisits(run.c, chunk, limit);
                StepTimings.add("mon.visits", t);
                return read;
            }

            @Override
            public void screen(List<String> chunk, Map<String, List<Affected.VisitState>> read) throws SQLException {
                screenGroup(run, new HashSet<>(chunk), read);
            }

            @Override
            public void counted(List<String> chunk) throws SQLException {
                screenPersons(run, chunk, ScreeningReads.personSizes(run.c, chunk));
            }
        });
    }

    /** Persons of known sizes, in groups of at most the step's budget; a person above it on its own, page by page. */
    private void screenPersons(Run run, List<String> keys, Map<String, Long> sizes) throws SQLException {
        List<String> large = new ArrayList<>();
        for (List<String> group : ScreeningReads.groups(keys, sizes, run.budget, large)) {
            screenGroup(run, new HashSet<>(group), null);
        }
        for (String key : large) {
            sweepPerson(run, key);
        }
    }

    /** {@code visits}: the group's visits as read, or null to read them (or take them from the prefetch). */
    private void screenGroup(Run run, Set<String> group, Map<String, List<Affected.VisitState>> visits) throws SQLException {
        Map<String, Boolean> storedNearMark = new HashMap<>();
        Set<String> flagged = new HashSet<>();
        Map<String, PersonContext> persons = loadPersons(run.c, group, run.affected.knownPersons(), storedNearMark,
                flagged, run.stored, run.affected.writtenVisits(), visits, policies.fraud().ghostPatients());
        long t = StepTimings.start();
        for (PersonContext p : persons.values()) {
            for (PersonScreening.Screened s : run.screen.inOrder(p)) {
                String key = s.visit().visitKey();
                run.take(p, s, storedNearMark.get(key), flagged.contains(key));
            }
        }
        StepTimings.add("mon.personRules", t);
        run.marks.write(run.c);
        run.flushIfFull();
    }

    /** A person too large to hold: facts once, then visits page by page in the order the person rules sweep them. */
    private void sweepPerson(Run run, String key) throws SQLException {
        Affected.PersonFacts facts = run.affected.knownPersons().get(key);
        if (facts == null) {
            facts = readPeople(run.c, new Object[] {key}).getOrDefault(key, new Affected.PersonFacts(null, null, null));
        }
        Map<String, List<PersonHistory.Attachment>> attachments = new HashMap<>();
        Map<String, List<HospitalStay>> stays = new HashMap<>();
        ScreeningReads.readContext(run.c, Set.of(key), attachments, stays, null, false);
        PersonContext p = new PersonContext(key, facts.sex(), facts.birthDate(), facts.deathDate(), attachments.get(key), stays.get(key), List.of(),
                policies.fraud().ghostPatients() ? new PersonContext.Evidence(!ScreeningReads.insured(run.c, Set.of(key)).isEmpty(),
                        ScreeningReads.visitPolyclinics(run.c, key)) : PersonContext.Evidence.UNREAD);
        PersonScreening screening = new PersonScreening(policies.fraud(), p);
        Instant afterStart = null;
        String afterKey = null;
        while (true) {
            List<Affected.VisitState> page = ScreeningReads.personPage(run.c, key, afterStart, afterKey, run.budget);
            for (Affected.VisitState v : page) {
                run.take(p, screening.next(v.visit()), v.nearMark(), v.flagged());
            }
            run.marks.write(run.c);
            run.flushIfFull();
            if (page.size() < run.budget) {
                return;
            }
            ScreenedVisit last = page.get(page.size() - 1).visit();
            afterStart = last.start();
            afterKey = last.visitKey();
        }
    }

    /**
     * The touched doctor-days, and the national doctors' days they belong to. A day the prefetch covers goes the counted
     * way ({@link #screenDoctorDays}, {@link #screenCrossDays}); the others are read whole, in chunks
     * ({@link #screenRead}).
     */
    private void screenDays(Run run) throws SQLException {
        if (!wholeDays) {
            run.days.removeAll(screenChanged(run));
            if (run.days.isEmpty()) {
                return;
            }
        }
        Set<Affected.DoctorDayKey> covered = run.stored == null ? Set.of() : run.stored.days();
        Map<ScreeningReads.CrossDay, List<Affected.DoctorDayKey>> national = new LinkedHashMap<>();
        List<ScreeningReads.DayScope> read = new ArrayList<>();
        Set<Affected.DoctorDayKey> counted = new LinkedHashSet<>();
        for (Affected.DoctorDayKey day : run.days) {
            if (DoctorTwoPolyclinicsRule.isNational(day.doctorId())) {
                national.computeIfAbsent(new ScreeningReads.CrossDay(day.doctorId(), day.date()), k -> new ArrayList<>()).add(day);
            } else if (covered.contains(day)) {
                counted.add(day);
            } else {
                read.add(new ScreeningReads.DayScope(day.doctorId(), day.date(), day.polyclinicBin(), List.of(day)));
            }
        }
        national.forEach((cross, days) -> {
            if (days.stream().anyMatch(covered::contains)) {
                counted.addAll(days);
            } else {
                read.add(new ScreeningReads.DayScope(cross.doctorId(), cross.date(), null, days));
            }
        });
        if (!counted.isEmpty()) {
            screenDoctorDays(run, counted);
            screenCrossDays(run, counted);
        }
        screenRead(run, read);
    }

    /** The rules whose flags say a doctor's day holds a finding of its own: it is then screened whole. */
    private static final List<String> DAY_RULES;

    static {
        List<String> rules = new ArrayList<>(FraudScreen.doctorDayRuleIds());
        rules.add(DoctorTwoPolyclinicsRule.ID);
        DAY_RULES = List.copyOf(rules);
    }

    /**
     * The touched doctor-days screened from what changed; returns them (the others are left to the whole-day way).
     * <p>
     * A national doctor's day (all its polyclinics) or another doctor's day at its polyclinic qualifies when it holds no
     * flag of a doctor-day rule or the cross rule but a withdrawn one (no finding stood before this batch) and each of
     * its touched polyclinic days is, after this batch, within the cap and below a burst ({@code doctor_day}, V12). Then
     * the cap and burst rules find nothing, and the day's earlier slots do not overlap one another: a slot this batch
     * wrote can only overlap the slot that starts last before it, or be overlapped by those starting while it lasts.
     * Screened together (in start order), these neighbours of every new slot of the day get the findings a sweep of the
     * whole day gives them, reasons included, and every other slot of the day has none, as before. So only they are the
     * screened scope, and the flag reconciliation raises and withdraws exactly what a whole-day screening would.
     * <p>
     * A finding that never became a flag (the rules' settings changed since) is not seen here until the day is read whole.
     */
    private Set<Affected.DoctorDayKey> screenChanged(Run run) throws SQLException {
        long t = StepTimings.start();
        Set<ScreeningReads.CrossDay> crossDays = new LinkedHashSet<>();
        run.days.forEach(day -> crossDays.add(new ScreeningReads.CrossDay(day.doctorId(), day.date())));
        Map<Affected.DoctorDayKey, int[]> totals = ScreeningReads.dayTotals(run.c, run.days);
        Set<Object> whole = new HashSet<>();
        for (Affected.DoctorDayKey flagged : ScreeningReads.daysWithFlags(run.c, crossDays, DAY_RULES)) {
            whole.add(unit(flagged));
        }
        for (Affected.DoctorDayKey day : run.days) {
            int[] n = totals.getOrDefault(day, new int[2]);
            if (n[0] > policies.fraud().dailyCap() || n[1] >= policies.fraud().burstThreshold()) {
                whole.add(unit(day));
            }
        }
        Set<Affected.DoctorDayKey> changed = new LinkedHashSet<>();
        for (Affected.DoctorDayKey day : run.days) {
            if (!whole.contains(unit(day))) {
                changed.add(day);
            }
        }
        // the new slots of those days, by day, in groups of days of at most a step's budget of new slots
        Map<Object, List<ScreeningReads.NewSlot>> slots = new LinkedHashMap<>();
        for (Affected.VisitState v : run.affected.writtenVisits().values()) {
            ScreenedVisit s = v.visit();
            if (s.doctorId() != null && changed.contains(v.doctorDay())) {
                Object unit = unit(v.doctorDay());
                slots.computeIfAbsent(unit, k -> new ArrayList<>()).add(new ScreeningReads.NewSlot(s.doctorId(), s.date(),
                        unit instanceof ScreeningReads.CrossDay ? null : s.polyclinicBin(), s.start(), policies.fraud().slotEnd(s.start(), s.end())));
            }
        }
        t = StepTimings.add("mon.changedDays", t);
        List<ScreeningReads.NewSlot> group = new ArrayList<>();
        for (List<ScreeningReads.NewSlot> day : slots.values()) {
            group.addAll(day);
            if (group.size() >= run.budget / 4) {
                screenNeighbours(run, group);
                group.clear();
            }
        }
        screenNeighbours(run, group);
        return changed;
    }

    /** A national doctor's day at all its polyclinics, any other doctor's day at its own. */
    private static Object unit(Affected.DoctorDayKey day) {
        return DoctorTwoPolyclinicsRule.isNational(day.doctorId()) ? new ScreeningReads.CrossDay(day.doctorId(), day.date()) : day;
    }

    /** The doctor-day rules, and the cross rule for national doctors, over the neighbours of some days' new slots. */
    private void screenNeighbours(Run run, List<ScreeningReads.NewSlot> slots) throws SQLException {
        if (slots.isEmpty()) {
            return;
        }
        long t = StepTimings.start();
        var read = ScreeningReads.neighbours(run.c, slots);
        t = StepTimings.add("mon.neighbours", t);
        read.forEach((day, bins) -> {
            boolean national = DoctorTwoPolyclinicsRule.isNational(day.doctorId());
            List<DoctorTwoPolyclinicsRule.Slot> cross = new ArrayList<>();
            bins.forEach((bin, visits) -> {
                List<DoctorDay.Slot> list = new ArrayList<>(visits.size());
                for (ScreeningReads.DayVisit v : visits.values()) {
                    list.add(new DoctorDay.Slot(v.visitKey(), v.start(), v.end(), v.nearMark()));
                    run.pending.doctorScope.add(v.visitKey());
                    if (v.flagged()) {
                        run.pending.flaggedNow.add(v.visitKey());
                    }
                    if (national) {
                        run.pending.crossScope.add(v.visitKey());
                        cross.add(new DoctorTwoPolyclinicsRule.Slot(v.visitKey(), bin, v.start(), v.end()));
                    }
                }
                run.pending.findings.addAll(run.screen.screenDoctorDay(new DoctorDay(day.doctorId(), day.date(), list)));
            });
            if (national) {
                run.pending.findings.addAll(DoctorTwoPolyclinicsRule.check(day.doctorId(), day.date(), cross, policies.fraud()));
            }
        });
        StepTimings.add("mon.doctorRules", t);
        run.flushIfFull();
    }

    /** The day scopes' chunked read (until 2026-12-04 a count of every touched doctor's day, then the read: 12 % + 11 % of billing's statement time on the simulator's stream, BillingStreamBench). */
    private final ChunkedRead dayChunks = new ChunkedRead(8);

    /**
     * Day scopes read whole without counting them first, in chunks with a limit ({@link ChunkedRead}); a chunk that
     * reaches it goes the counted way ({@link #screenDoctorDays}, {@link #screenCrossDays}).
     */
    private void screenRead(Run run, List<ScreeningReads.DayScope> scopes) throws SQLException {
        dayChunks.run(scopes, run.budget, new ChunkedRead.Step<ScreeningReads.DayScope, Map<ScreeningReads.CrossDay, Map<String, List<ScreeningReads.DayVisit>>>>() {
            @Override
            public ChunkedRead.Read<Map<ScreeningReads.CrossDay, Map<String, List<ScreeningReads.DayVisit>>>> read(List<ScreeningReads.DayScope> chunk, int limit)
                    throws SQLException {
                long t = StepTimings.start();
                var read = ScreeningReads.readDayScopes(run.c, chunk, limit);
                StepTimings.add("mon.doctorDays", t);
                return read;
            }

            @Override
            public void screen(List<ScreeningReads.DayScope> chunk, Map<ScreeningReads.CrossDay, Map<String, List<ScreeningReads.DayVisit>>> byDay)
                    throws SQLException {
                screenDayScopes(run, chunk, byDay);
            }

            @Override
            public void counted(List<ScreeningReads.DayScope> chunk) throws SQLException {
                Set<Affected.DoctorDayKey> days = new LinkedHashSet<>();
                chunk.forEach(s -> days.addAll(s.touched()));
                screenDoctorDays(run, days);
                screenCrossDays(run, days);
            }
        });
    }

    /** The doctor-day rules and the cross rule over day scopes read whole. */
    private void screenDayScopes(Run run, List<ScreeningReads.DayScope> chunk,
                                 Map<ScreeningReads.CrossDay, Map<String, List<ScreeningReads.DayVisit>>> byDay) throws SQLException {
        long t = StepTimings.start();
        for (ScreeningReads.DayScope scope : chunk) {
            ScreeningReads.CrossDay cross = new ScreeningReads.CrossDay(scope.doctorId(), scope.date());
            Map<String, List<ScreeningReads.DayVisit>> bins = byDay.getOrDefault(cross, Map.of());
            boolean flagged = false;
            for (List<ScreeningReads.DayVisit> list : bins.values()) {
                for (ScreeningReads.DayVisit v : list) {
                    if (v.flagged()) {
                        run.pending.flaggedNow.add(v.visitKey());
                        flagged = true;
                    }
                }
            }
            // a national doctor's day seen at one polyclinic, screened whole here: the cross rule finds nothing there
            // and withdraws its open flags of these visits
            boolean wholeCross = scope.polyclinicBin() == null && bins.size() == 1
                    && scope.touched().stream().anyMatch(d -> bins.containsKey(d.polyclinicBin()));
            for (Affected.DoctorDayKey day : scope.touched()) {
                List<ScreeningReads.DayVisit> list = bins.get(day.polyclinicBin());
                if (list == null) {
                    continue;
                }
                List<DoctorDay.Slot> slots = new ArrayList<>(list.size());
                for (ScreeningReads.DayVisit v : list) {
                    slots.add(new DoctorDay.Slot(v.visitKey(), v.start(), v.end(), v.nearMark()));
                    run.pending.doctorScope.add(v.visitKey());
                    if (wholeCross) {
                        run.pending.crossScope.add(v.visitKey());
                    }
                }
                run.pending.findings.addAll(run.screen.screenDoctorDay(new DoctorDay(day.doctorId(), day.date(), slots)));
            }
            if (scope.polyclinicBin() == null && !wholeCross && (bins.size() > 1 || flagged)) {
                List<DoctorTwoPolyclinicsRule.Slot> slots = new ArrayList<>();
                bins.forEach((bin, list) -> list.forEach(v -> {
                    run.pending.crossScope.add(v.visitKey());
                    slots.add(new DoctorTwoPolyclinicsRule.Slot(v.visitKey(), bin, v.start(), v.end()));
                }));
                run.pending.findings.addAll(DoctorTwoPolyclinicsRule.check(cross.doctorId(), cross.date(), slots, policies.fraud()));
            }
            run.flushIfFull();
        }
        StepTimings.add("mon.doctorRules", t);
    }

    private void screenDoctorDays(Run run, Set<Affected.DoctorDayKey> days) throws SQLException {
        Set<Affected.DoctorDayKey> covered = run.stored == null ? Set.of() : run.stored.days();
        // one count, after this batch's near_mark updates and visit writes (as the rules will read them), for the sizes
        // of the days not prefetched and for the polyclinics of every national doctor's day (screenCrossDays)
        run.wholeCrossDays.clear();
        Set<ScreeningReads.CrossDay> counted = new LinkedHashSet<>();
        for (Affected.DoctorDayKey day : days) {
            if (!covered.contains(day) || DoctorTwoPolyclinicsRule.isNational(day.doctorId())) {
                counted.add(new ScreeningReads.CrossDay(day.doctorId(), day.date()));
            }
        }
        run.bins = ScreeningReads.dayBins(run.c, counted);
        List<Affected.DoctorDayKey> keys = new ArrayList<>();
        List<Affected.DoctorDayKey> uncovered = new ArrayList<>();
        Map<Affected.DoctorDayKey, Long> sizes = new HashMap<>();
        for (Affected.DoctorDayKey day : days) {
            Map<String, long[]> bins = run.bins.getOrDefault(new ScreeningReads.CrossDay(day.doctorId(), day.date()), Map.of());
            if (covered.contains(day)) {
                keys.add(day);
                sizes.put(day, (long) run.stored.dayVisits().getOrDefault(day, List.of()).size());
            } else {
                uncovered.add(day);
                long[] n = bins.get(day.polyclinicBin());
                if (n != null) {
                    sizes.put(day, n[0]);
                }
            }
            if (DoctorTwoPolyclinicsRule.isNational(day.doctorId()) && bins.size() == 1 && bins.containsKey(day.polyclinicBin())) {
                run.wholeCrossDays.add(day);
            }
        }
        keys.addAll(uncovered);
        List<Affected.DoctorDayKey> large = new ArrayList<>();
        for (List<Affected.DoctorDayKey> group : ScreeningReads.groups(keys, sizes, run.budget, large)) {
            long t = StepTimings.start();
            Map<Affected.DoctorDayKey, DoctorDay> loaded = loadDoctorDays(run.c, new HashSet<>(group), run.pending.flaggedNow, run.stored,
                    run.affected.writtenVisits(), run.nearMarkSet);
            t = StepTimings.add("mon.doctorDays", t);
            for (Map.Entry<Affected.DoctorDayKey, DoctorDay> e : loaded.entrySet()) {
                DoctorDay day = e.getValue();
                run.pending.findings.addAll(run.screen.screenDoctorDay(day));
                // one polyclinic: the cross rule finds nothing, and withdraws its open flags of these visits
                Set<String> cross = run.wholeCrossDays.contains(e.getKey()) ? run.pending.crossScope : null;
                day.visits().forEach(s -> {
                    run.pending.doctorScope.add(s.visitKey());
                    if (cross != null) {
                        cross.add(s.visitKey());
                    }
                });
            }
            StepTimings.add("mon.doctorRules", t);
            run.flushIfFull();
        }
        for (Affected.DoctorDayKey day : large) {
            sweepDoctorDay(run, day);
        }
    }

    /** A doctor-day too large to hold: its counts first, then its visits page by page in (start, visit key) order. */
    private void sweepDoctorDay(Run run, Affected.DoctorDayKey day) throws SQLException {
        long[] counts = ScreeningReads.dayCounts(run.c, day);
        DoctorDaySweep sweep = new DoctorDaySweep(day.doctorId(), day.date(), counts[0], counts[1], policies.fraud());
        boolean wholeCrossDay = run.wholeCrossDays.contains(day);
        Instant afterStart = null;
        String afterKey = null;
        while (true) {
            List<Affected.VisitState> page = ScreeningReads.dayPage(run.c, day, afterStart, afterKey, run.budget);
            for (Affected.VisitState v : page) {
                ScreenedVisit s = v.visit();
                run.pending.findings.addAll(sweep.next(new DoctorDay.Slot(s.visitKey(), s.start(), s.end(), v.nearMark())));
                run.pending.doctorScope.add(s.visitKey());
                if (wholeCrossDay) {
                    run.pending.crossScope.add(s.visitKey());
                }
                if (v.flagged()) {
                    run.pending.flaggedNow.add(s.visitKey());
                }
            }
            run.flushIfFull();
            if (page.size() < run.budget) {
                return;
            }
            ScreenedVisit last = page.get(page.size() - 1).visit();
            afterStart = last.start();
            afterKey = last.visitKey();
        }
    }

    /**
     * The days of the touched doctor-days whose doctor id is a national identifier, at every polyclinic
     * ({@link DoctorTwoPolyclinicsRule}), from the counts {@link #screenDoctorDays} took. A day seen at one polyclinic
     * only was screened whole there if that polyclinic's doctor-day was touched; otherwise, with no flagged visit, it can
     * neither raise nor withdraw a flag and is not read. The others go in groups of at most the step's budget, or page by
     * page.
     */
    private void screenCrossDays(Run run, Set<Affected.DoctorDayKey> days) throws SQLException {
        Set<ScreeningReads.CrossDay> wanted = new LinkedHashSet<>();
        for (Affected.DoctorDayKey day : days) {
            if (DoctorTwoPolyclinicsRule.isNational(day.doctorId())) {
                wanted.add(new ScreeningReads.CrossDay(day.doctorId(), day.date()));
            }
        }
        if (wanted.isEmpty()) {
            return;
        }
        long t = StepTimings.start();
        Set<ScreeningReads.CrossDay> screenedWhole = new HashSet<>();
        run.wholeCrossDays.forEach(day -> screenedWhole.add(new ScreeningReads.CrossDay(day.doctorId(), day.date())));
        Map<ScreeningReads.CrossDay, Long> sizes = new HashMap<>();
        List<ScreeningReads.CrossDay> keys = new ArrayList<>();
        for (ScreeningReads.CrossDay day : wanted) {
            Map<String, long[]> bins = run.bins.get(day);
            if (bins == null || screenedWhole.contains(day)) {
                continue;
            }
            long visits = 0, flagged = 0;
            for (long[] n : bins.values()) {
                visits += n[0];
                flagged += n[1];
            }
            if (bins.size() > 1 || flagged > 0) {
                keys.add(day);
                sizes.put(day, visits);
            }
        }
        List<ScreeningReads.CrossDay> large = new ArrayList<>();
        for (List<ScreeningReads.CrossDay> group : ScreeningReads.groups(keys, sizes, run.budget, large)) {
            Map<ScreeningReads.CrossDay, List<Affected.VisitState>> byDay = new HashMap<>();
            ScreeningReads.readCrossDays(run.c, group, byDay);
            for (var e : byDay.entrySet()) {
                List<DoctorTwoPolyclinicsRule.Slot> slots = new ArrayList<>();
                for (Affected.VisitState v : e.getValue()) {
                    slots.add(crossSlot(run, v));
                }
                run.pending.findings.addAll(DoctorTwoPolyclinicsRule.check(e.getKey().doctorId(), e.getKey().date(), slots, policies.fraud()));
            }
            run.flushIfFull();
        }
        for (ScreeningReads.CrossDay day : large) {
            DoctorTwoPolyclinicsRule.Sweep sweep = new DoctorTwoPolyclinicsRule.Sweep(day.doctorId(), policies.fraud());
            Instant afterStart = null;
            String afterKey = null;
            while (true) {
                List<Affected.VisitState> page = ScreeningReads.crossDayPage(run.c, day, afterStart, afterKey, run.budget);
                for (Affected.VisitState v : page) {
                    sweep.next(crossSlot(run, v)).ifPresent(run.pending.findings::add);
                }
                run.flushIfFull();
                if (page.size() < run.budget) {
                    break;
                }
                ScreenedVisit last = page.get(page.size() - 1).visit();
                afterStart = last.start();
                afterKey = last.visitKey();
            }
        }
        StepTimings.add("mon.crossDays", t);
    }

    private static DoctorTwoPolyclinicsRule.Slot crossSlot(Run run, Affected.VisitState v) {
        ScreenedVisit s = v.visit();
        run.pending.crossScope.add(s.visitKey());
        if (v.flagged()) {
            run.pending.flaggedNow.add(s.visitKey());
        }
        return new DoctorTwoPolyclinicsRule.Slot(s.visitKey(), s.polyclinicBin(), s.start(), s.end());
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

    private static Map<String, Affected.PersonFacts> readPeople(Connection c, Object[] keys) throws SQLException {
        Map<String, Affected.PersonFacts> people = new HashMap<>();
        if (keys.length == 0) {
            return people;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT person_key, sex, birth_date, death_date FROM person WHERE person_key = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", keys));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    people.put(rs.getString(1), new Affected.PersonFacts(rs.getString(2), Jdbc.date(rs, 3), Jdbc.date(rs, 4)));
                }
            }
        }
        return people;
    }

    private static Map<String, PersonContext> loadPersons(Connection c, Set<String> keys, Map<String, Affected.PersonFacts> known,
                                                          Map<String, Boolean> storedNearMark, Set<String> flaggedNow, Stored stored,
                                                          Map<String, Affected.VisitState> written,
                                                          Map<String, List<Affected.VisitState>> visitsRead, boolean readInsurance)
            throws SQLException {
        // the projection hands over the person rows it read and wrote in this batch; only the others are read here
        Map<String, Affected.PersonFacts> people = new HashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String key : keys) {
            if (known.containsKey(key)) {
                people.put(key, known.get(key));
            } else {
                unknown.add(key);
            }
        }
        Map<String, List<PersonHistory.Attachment>> attachments = new HashMap<>();
        Map<String, List<HospitalStay>> stays = new HashMap<>();
        Map<String, List<Affected.VisitState>> visits = new HashMap<>();
        long t = StepTimings.start();
        people.putAll(readPeople(c, unknown.toArray()));
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
        if (visitsRead != null) {
            // read already, by the persons' chunked read
            visits.putAll(visitsRead);
            ScreeningReads.readContext(c, toRead, attachments, stays, null, false);
        } else {
            ScreeningReads.readContext(c, toRead, attachments, stays, visits, true);
        }
        // only GHOST_PATIENT reads it: not asked for when the rule is off
        t = StepTimings.start();
        Set<String> insured = readInsurance ? ScreeningReads.insured(c, keys) : keys;
        StepTimings.add("mon.insured", t);
        Map<String, PersonContext> out = new LinkedHashMap<>();
        for (String key : keys) {
            Affected.PersonFacts p = people.getOrDefault(key, new Affected.PersonFacts(null, null, null));
            List<ScreenedVisit> screened = new ArrayList<>();
            Set<String> polyclinics = new java.util.TreeSet<>();
            for (Affected.VisitState v : visits.getOrDefault(key, List.of())) {
                screened.add(v.visit());
                polyclinics.add(v.visit().polyclinicBin());
                storedNearMark.put(v.visit().visitKey(), v.nearMark());
                if (v.flagged()) {
                    flaggedNow.add(v.visit().visitKey());
                }
            }
            out.put(key, new PersonContext(key, p.sex(), p.birthDate(), p.deathDate(), attachments.getOrDefault(key, List.of()),
                    stays.getOrDefault(key, List.of()), screened, new PersonContext.Evidence(insured.contains(key), polyclinics)));
        }
        return out;
    }

    /**
     * Every visit of the doctor-days; the facts for flag rows are loaded later, only for visits that get a flag. With a
     * prefetch, the days it covers are completed with the visits this batch wrote, and near_mark as this batch set it.
     */
    private static Map<Affected.DoctorDayKey, DoctorDay> loadDoctorDays(Connection c, Set<Affected.DoctorDayKey> days, Set<String> flaggedNow, Stored stored,
                                                  Map<String, Affected.VisitState> written, Map<String, Boolean> nearMarkSet)
            throws SQLException {
        Map<Affected.DoctorDayKey, List<ScreeningReads.DayVisit>> byDay = new LinkedHashMap<>();
        Set<Affected.DoctorDayKey> toRead = days;
        if (stored != null) {
            toRead = new HashSet<>();
            for (Affected.DoctorDayKey day : days) {
                if (!stored.days().contains(day)) {
                    toRead.add(day);
                    continue;
                }
                List<ScreeningReads.DayVisit> list = new ArrayList<>();
                for (ScreeningReads.DayVisit v : stored.dayVisits().getOrDefault(day, List.of())) {
                    if (!written.containsKey(v.visitKey())) {
                        list.add(v);
                    }
                }
                byDay.put(day, list);
            }
            for (Affected.VisitState v : written.values()) {
                List<ScreeningReads.DayVisit> list = v.visit().doctorId() == null || !stored.days().contains(v.doctorDay()) ? null
                        : byDay.get(v.doctorDay());
                if (list != null) {
                    list.add(ScreeningReads.DayVisit.of(v));
                }
            }
            byDay.values().removeIf(List::isEmpty);
        }
        // read after this batch's near_mark updates: these rows carry the values as set
        ScreeningReads.readDoctorDays(c, toRead, byDay);
        Map<Affected.DoctorDayKey, DoctorDay> out = new LinkedHashMap<>();
        byDay.forEach((k, list) -> {
            List<DoctorDay.Slot> slots = new ArrayList<>();
            for (ScreeningReads.DayVisit v : list) {
                slots.add(new DoctorDay.Slot(v.visitKey(), v.start(), v.end(), nearMarkSet.getOrDefault(v.visitKey(), v.nearMark())));
                if (v.flagged()) {
                    flaggedNow.add(v.visitKey());
                }
            }
            out.put(k, new DoctorDay(k.doctorId(), k.date(), slots));
        });
        return out;
    }
}
