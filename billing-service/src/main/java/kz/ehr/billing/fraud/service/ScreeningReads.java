package kz.ehr.billing.fraud.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import kz.ehr.billing.capitation.PersonHistory;
import kz.ehr.billing.fraud.HospitalStay;
import kz.ehr.billing.projection.Affected;
import kz.ehr.billing.projection.BillingProjection;
import kz.ehr.billing.projection.Jdbc;
import kz.ehr.billing.projection.StepTimings;

/**
 * The monitor's reads of the projection. Whole persons and doctor-days for the usual sizes; for one too large to hold,
 * its size first (an aggregate) and then its visits page by page in (start, visit key) order, the order the rules
 * sweep them in. Every visit row read is counted by {@link ScreeningMeter}.
 * Plain JDBC on the consumer's transaction: the screening path BillingBench and StormBench measure (docs/benchmarks/billing-service.md).
 */
final class ScreeningReads {
    private ScreeningReads() {
    }

    /** Pages follow Java's String order of the keys: byte order, which for UTF-8 is code point order. */
    private static final String PAGE_ORDER = " ORDER BY start_at, rec_key COLLATE \"C\" LIMIT ?";
    private static final String AFTER = " AND (start_at > ? OR (start_at = ? AND rec_key COLLATE \"C\" > ?))";
    private static final String DAY = " doctor_id = ? AND visit_date = ? AND polyclinic_bin = ?";

    /**
     * Visits per person (a person without visits is absent), counted person by person through the index: as a join
     * the planner hashed the whole of visit once a batch held ~1,000 persons (its sample puts twice the visits on a
     * person that there are), 155–250 ms against 9–48 ms for 1,000–3,000 persons on a 535,000-row table
     * (docs/benchmarks/pipeline.md, "Levers left"), on billing's serial path.
     */
    static Map<String, Long> personSizes(Connection c, Collection<String> persons) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        if (persons.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT k.pk, v.n FROM unnest(?::text[]) k(pk)
                  CROSS JOIN LATERAL (SELECT count(*) AS n FROM visit WHERE person_key = k.pk) v
                WHERE v.n > 0""")) {
            ps.setArray(1, c.createArrayOf("text", persons.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /** {visits, near-mark visits} of one doctor-day. */
    static long[] dayCounts(Connection c, Affected.DoctorDayKey day) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*), count(*) FILTER (WHERE near_mark) FROM visit WHERE" + DAY)) {
            bindDay(ps, day, 1);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2)};
            }
        }
    }

    /** At most {@code limit} visits of a person after ({@code afterStart}, {@code afterKey}); null: from the first. */
    static List<Affected.VisitState> personPage(Connection c, String person, Instant afterStart, String afterKey, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + BillingProjection.VISIT_COLUMNS + " FROM visit WHERE person_key = ?"
                + (afterStart == null ? "" : AFTER) + PAGE_ORDER)) {
            ps.setString(1, person);
            return page(ps, ScreeningMeter.Scope.PERSON, 2, afterStart, afterKey, limit);
        }
    }

    /** At most {@code limit} visits of a doctor-day after ({@code afterStart}, {@code afterKey}); null: from the first. */
    static List<Affected.VisitState> dayPage(Connection c, Affected.DoctorDayKey day, Instant afterStart, String afterKey, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + BillingProjection.VISIT_COLUMNS + " FROM visit WHERE" + DAY
                + (afterStart == null ? "" : AFTER) + PAGE_ORDER)) {
            bindDay(ps, day, 1);
            return page(ps, ScreeningMeter.Scope.DOCTOR_DAY, 4, afterStart, afterKey, limit);
        }
    }

    private static List<Affected.VisitState> page(PreparedStatement ps, ScreeningMeter.Scope scope, int i, Instant afterStart, String afterKey, int limit)
            throws SQLException {
        if (afterStart != null) {
            Jdbc.instant(ps, i++, afterStart);
            Jdbc.instant(ps, i++, afterStart);
            ps.setString(i++, afterKey);
        }
        ps.setInt(i, limit);
        List<Affected.VisitState> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(BillingProjection.visitState(rs));
            }
        }
        ScreeningMeter.read(scope, out.size());
        return out;
    }

    /** Attachments, stays and (unless {@code withVisits} is false) visits of the persons, as {@code c} sees them. */
    static void readContext(Connection c, Set<String> keys, Map<String, List<PersonHistory.Attachment>> attachments,
                            Map<String, List<HospitalStay>> stays, Map<String, List<Affected.VisitState>> visits, boolean withVisits)
            throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        java.sql.Array arr = c.createArrayOf("text", keys.toArray());
        long t = StepTimings.start();
        for (String key : keys) {
            attachments.put(key, new ArrayList<>());
            stays.put(key, new ArrayList<>());
            if (withVisits) {
                visits.put(key, new ArrayList<>());
            }
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
        // joined to unnest() like ATTACHMENTS: with person_key = ANY(?) the planner scanned the (small) table and compared
        // every row with every key of the batch, linearly (BillingStreamBench: 2.5 % of the stream's statement time for
        // a few dozen rows)
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT h.person_key, h.facility_bin, h.admitted_at, h.discharged_at
                FROM unnest(?::text[]) k(pk) JOIN hospitalization h ON h.person_key = k.pk""")) {
            ps.setArray(1, arr);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stays.get(rs.getString(1)).add(new HospitalStay(rs.getString(2), Jdbc.instant(rs, 3), Jdbc.instant(rs, 4)));
                }
            }
        }
        t = StepTimings.add("mon.stays", t);
        if (!withVisits) {
            return;
        }
        readVisits(c, arr, 0, visits);
        StepTimings.add("mon.visits", t);
    }

    /**
     * Every visit of the persons, as {@code c} sees them, unless there are more than {@code limit}: then it stops reading
     * at {@code limit + 1} rows (what it holds is then partial).
     */
    static ChunkedRead.Read<Map<String, List<Affected.VisitState>>> readPersonVisits(Connection c, Collection<String> keys, int limit)
            throws SQLException {
        Map<String, List<Affected.VisitState>> visits = new HashMap<>();
        for (String key : keys) {
            visits.put(key, new ArrayList<>());
        }
        return new ChunkedRead.Read<>(readVisits(c, c.createArrayOf("text", keys.toArray()), limit + 1, visits), visits);
    }

    /**
     * {@code limit}: at most that many rows, 0: all. With a limit, person by person through the index: with
     * {@code person_key = ANY(?) LIMIT ?} the planner, without statistics of a fresh table (BillingStreamBench), expected
     * the limit to stop a sequential scan early and scanned all of visit for every chunk (server CPU ×5); the
     * {@code OFFSET 0} keeps the subquery from being flattened into a hash join.
     */
    private static int readVisits(Connection c, java.sql.Array keys, int limit, Map<String, List<Affected.VisitState>> visits)
            throws SQLException {
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement(limit > 0
                ? "SELECT v.* FROM unnest(?::text[]) k(pk) CROSS JOIN LATERAL (SELECT " + BillingProjection.VISIT_COLUMNS
                        + " FROM visit WHERE person_key = k.pk OFFSET 0) v LIMIT ?"
                : "SELECT " + BillingProjection.VISIT_COLUMNS + " FROM visit WHERE person_key = ANY(?)")) {
            ps.setArray(1, keys);
            if (limit > 0) {
                ps.setInt(2, limit);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Affected.VisitState v = BillingProjection.visitState(rs);
                    visits.get(v.visit().personKey()).add(v);
                    n++;
                }
            }
        }
        ScreeningMeter.read(ScreeningMeter.Scope.PERSON, n);
        return n;
    }

    /**
     * By index, person by person: with {@code person_key = ANY(<5,000 keys>)} the planner estimated the index probes
     * dearer than a parallel scan of the whole table and read all of attachment (three processes) for every batch.
     */
    private static final String ATTACHMENTS = """
            SELECT a.person_key, a.polyclinic_bin, a.region, a.from_date, a.to_date
            FROM unnest(?::text[]) k(pk) JOIN attachment a ON a.person_key = k.pk""";

    /** A visit as the doctor-day rules read it: the slot and whether a flag holds it. */
    record DayVisit(String visitKey, Instant start, Instant end, boolean nearMark, boolean flagged) {
        static DayVisit of(Affected.VisitState v) {
            return new DayVisit(v.visit().visitKey(), v.visit().start(), v.visit().end(), v.nearMark(), v.flagged());
        }
    }

    /**
     * Every visit of the doctor-days, as {@code c} sees them: only the columns the doctor-day rules read (the whole
     * visit row, with its services array, cost the server output conversion and the JVM its parsing for every visit of
     * every touched day: BillingStreamBench, docs/benchmarks/billing-service.md).
     */
    static void readDoctorDays(Connection c, Collection<Affected.DoctorDayKey> days, Map<Affected.DoctorDayKey, List<DayVisit>> out)
            throws SQLException {
        readDoctorDays(c, days, 0, out);
    }

    /**
     * Every visit of these doctor-days into {@code out}, or with {@code limit} above 0 at most {@code limit + 1}: the rows
     * read, so that more than {@code limit} says the days hold more (and {@code out} only some of them).
     */
    static int readDoctorDays(Connection c, Collection<Affected.DoctorDayKey> days, int limit, Map<Affected.DoctorDayKey, List<DayVisit>> out)
            throws SQLException {
        if (days.isEmpty()) {
            return 0;
        }
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT v.polyclinic_bin, v.doctor_id, v.visit_date, v.rec_key, v.start_at, v.end_at, v.near_mark, v.flagged
                FROM visit v JOIN unnest(?::text[], ?::date[], ?::text[]) d(doc, day, bin)
                  ON v.doctor_id = d.doc AND v.visit_date = d.day AND v.polyclinic_bin = d.bin""" + (limit > 0 ? " LIMIT ?" : ""))) {
            bindDays(c, ps, days);
            if (limit > 0) {
                ps.setInt(4, limit + 1);
            }
            try (ResultSet rs = ps.executeQuery()) {
                Affected.DoctorDayKey last = null;
                while (rs.next()) {
                    String bin = rs.getString(1), doctor = rs.getString(2);
                    java.time.LocalDate date = Jdbc.date(rs, 3);
                    Affected.DoctorDayKey day = last != null && last.polyclinicBin().equals(bin) && last.doctorId().equals(doctor)
                            && last.date().equals(date) ? last : new Affected.DoctorDayKey(bin, doctor, date);
                    last = day;
                    out.computeIfAbsent(day, k -> new ArrayList<>())
                            .add(new DayVisit(rs.getString(4), Jdbc.instant(rs, 5), Jdbc.instant(rs, 6), rs.getBoolean(7), rs.getBoolean(8)));
                    n++;
                }
            }
        }
        ScreeningMeter.read(ScreeningMeter.Scope.DOCTOR_DAY, n);
        return n;
    }

    /**
     * What {@link #readDayScopes} reads of a doctor's day: the visits at one polyclinic ({@code polyclinicBin}), or at every
     * polyclinic (null: a doctor id that is a national identifier); {@code touched}: the batch's doctor-days within it.
     */
    record DayScope(String doctorId, java.time.LocalDate date, String polyclinicBin, List<Affected.DoctorDayKey> touched) {
    }

    /**
     * Every visit of the scopes, as {@code c} sees them, by doctor's day and polyclinic, unless there are more than
     * {@code limit}: then it stops reading at {@code limit + 1} rows (what it holds is then partial).
     */
    static ChunkedRead.Read<Map<CrossDay, Map<String, List<DayVisit>>>> readDayScopes(Connection c, List<DayScope> scopes, int limit)
            throws SQLException {
        Map<CrossDay, Map<String, List<DayVisit>>> out = new HashMap<>();
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT v.polyclinic_bin, v.doctor_id, v.visit_date, v.rec_key, v.start_at, v.end_at, v.near_mark, v.flagged
                FROM unnest(?::text[], ?::date[], ?::text[]) d(doc, day, bin)
                  JOIN visit v ON v.doctor_id = d.doc AND v.visit_date = d.day AND (d.bin IS NULL OR v.polyclinic_bin = d.bin)
                LIMIT ?""")) {
            ps.setArray(1, c.createArrayOf("text", scopes.stream().map(DayScope::doctorId).toArray()));
            ps.setArray(2, c.createArrayOf("date", scopes.stream().map(d -> java.sql.Date.valueOf(d.date())).toArray()));
            ps.setArray(3, c.createArrayOf("text", scopes.stream().map(DayScope::polyclinicBin).toArray()));
            ps.setInt(4, limit + 1);
            try (ResultSet rs = ps.executeQuery()) {
                CrossDay last = null;
                while (rs.next()) {
                    String bin = rs.getString(1), doctor = rs.getString(2);
                    java.time.LocalDate date = Jdbc.date(rs, 3);
                    CrossDay day = last != null && last.doctorId().equals(doctor) && last.date().equals(date) ? last : new CrossDay(doctor, date);
                    last = day;
                    out.computeIfAbsent(day, k -> new HashMap<>(2)).computeIfAbsent(bin, k -> new ArrayList<>())
                            .add(new DayVisit(rs.getString(4), Jdbc.instant(rs, 5), Jdbc.instant(rs, 6), rs.getBoolean(7), rs.getBoolean(8)));
                    n++;
                }
            }
        }
        ScreeningMeter.read(ScreeningMeter.Scope.DOCTOR_DAY, n);
        return new ChunkedRead.Read<>(n, out);
    }

    /** A doctor's day at every polyclinic, for a doctor id that is a national identifier. */
    record CrossDay(String doctorId, java.time.LocalDate date) {
    }

    /** {visits, near-mark visits} of each doctor-day, as the triggers on visit keep them (V12; a day without a row has none). */
    static Map<Affected.DoctorDayKey, int[]> dayTotals(Connection c, Collection<Affected.DoctorDayKey> days) throws SQLException {
        Map<Affected.DoctorDayKey, int[]> out = new HashMap<>();
        if (days.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT t.polyclinic_bin, t.doctor_id, t.visit_date, t.visits, t.near_mark
                FROM unnest(?::text[], ?::date[], ?::text[]) d(doc, day, bin)
                  JOIN doctor_day t ON t.doctor_id = d.doc AND t.visit_date = d.day AND t.polyclinic_bin = d.bin""")) {
            bindDays(c, ps, days);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(new Affected.DoctorDayKey(rs.getString(1), rs.getString(2), Jdbc.date(rs, 3)), new int[] {rs.getInt(4), rs.getInt(5)});
                }
            }
        }
        return out;
    }

    /**
     * The doctor-days, at any polyclinic, of these doctors' days that hold a flag of one of {@code rules} in any state but
     * WITHDRAWN (an open, confirmed or dismissed finding), by the day the flag was raised on.
     */
    static Set<Affected.DoctorDayKey> daysWithFlags(Connection c, Collection<CrossDay> days, Collection<String> rules) throws SQLException {
        Set<Affected.DoctorDayKey> out = new java.util.HashSet<>();
        if (days.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT DISTINCT f.polyclinic_bin, f.doctor_id, f.visit_date
                FROM unnest(?::text[], ?::date[]) d(doc, day)
                  JOIN fraud_flag f ON f.doctor_id = d.doc AND f.visit_date = d.day
                WHERE f.rule_id = ANY(?) AND f.state <> 'WITHDRAWN'""")) {
            bindCrossDays(c, ps, days);
            ps.setArray(3, c.createArrayOf("text", rules.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Affected.DoctorDayKey(rs.getString(1), rs.getString(2), Jdbc.date(rs, 3)));
                }
            }
        }
        return out;
    }

    /** A slot whose neighbours {@link #neighbours} reads: {@code polyclinicBin} null for every polyclinic of the doctor's day. */
    record NewSlot(String doctorId, java.time.LocalDate date, String polyclinicBin, Instant start, Instant end) {
    }

    /**
     * For each slot, as {@code c} sees the doctor's day (at its polyclinic, or at all of them): the visit that starts last
     * before it and every visit that starts while it lasts (itself among them). By doctor's day, polyclinic and visit key.
     */
    static Map<CrossDay, Map<String, Map<String, DayVisit>>> neighbours(Connection c, List<NewSlot> slots) throws SQLException {
        Map<CrossDay, Map<String, Map<String, DayVisit>>> out = new HashMap<>();
        if (slots.isEmpty()) {
            return out;
        }
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT n.doc, n.day, v.polyclinic_bin, v.rec_key, v.start_at, v.end_at, v.near_mark, v.flagged
                FROM unnest(?::text[], ?::date[], ?::text[], ?::timestamptz[], ?::timestamptz[]) n(doc, day, bin, st, en)
                CROSS JOIN LATERAL (
                  (SELECT polyclinic_bin, rec_key, start_at, end_at, near_mark, flagged FROM visit
                   WHERE doctor_id = n.doc AND visit_date = n.day AND (n.bin IS NULL OR polyclinic_bin = n.bin) AND start_at < n.st
                   ORDER BY start_at DESC LIMIT 1)
                  UNION ALL
                  SELECT polyclinic_bin, rec_key, start_at, end_at, near_mark, flagged FROM visit
                  WHERE doctor_id = n.doc AND visit_date = n.day AND (n.bin IS NULL OR polyclinic_bin = n.bin)
                    AND start_at >= n.st AND start_at < n.en) v""")) {
            ps.setArray(1, c.createArrayOf("text", slots.stream().map(NewSlot::doctorId).toArray()));
            ps.setArray(2, c.createArrayOf("date", slots.stream().map(s -> java.sql.Date.valueOf(s.date())).toArray()));
            ps.setArray(3, c.createArrayOf("text", slots.stream().map(NewSlot::polyclinicBin).toArray()));
            ps.setArray(4, c.createArrayOf("text", slots.stream().map(s -> s.start().toString()).toArray()));
            ps.setArray(5, c.createArrayOf("text", slots.stream().map(s -> s.end().toString()).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(new CrossDay(rs.getString(1), Jdbc.date(rs, 2)), k -> new HashMap<>())
                            .computeIfAbsent(rs.getString(3), k -> new java.util.LinkedHashMap<>())
                            .put(rs.getString(4), new DayVisit(rs.getString(4), Jdbc.instant(rs, 5), Jdbc.instant(rs, 6), rs.getBoolean(7),
                                    rs.getBoolean(8)));
                    n++;
                }
            }
        }
        ScreeningMeter.read(ScreeningMeter.Scope.DOCTOR_DAY, n);
        return out;
    }

    /** The persons among {@code persons} with an ОСМС insurance record (insured or not). */
    static Set<String> insured(Connection c, Collection<String> persons) throws SQLException {
        Set<String> out = new java.util.HashSet<>();
        if (persons.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT DISTINCT k.pk FROM unnest(?::text[]) k(pk) JOIN insurance i ON i.person_key = k.pk")) {
            ps.setArray(1, c.createArrayOf("text", persons.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /** Every polyclinic with a visit of the person (for a person too large to hold). */
    static Set<String> visitPolyclinics(Connection c, String person) throws SQLException {
        Set<String> out = new java.util.TreeSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT DISTINCT polyclinic_bin FROM visit WHERE person_key = ?")) {
            ps.setString(1, person);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    /**
     * {visits, flagged visits} per polyclinic of each doctor's day (a day without visits is absent): in one pass over
     * the days' rows, the sizes of their doctor-days and the polyclinics each doctor saw patients at that day (until
     * 2026-12-04 two passes, a count per doctor-day and one per doctor's day: ~19 % of billing's statement time on the
     * simulator's stream, BillingStreamBench).
     */
    static Map<CrossDay, Map<String, long[]>> dayBins(Connection c, Collection<CrossDay> days) throws SQLException {
        Map<CrossDay, Map<String, long[]>> out = new HashMap<>();
        if (days.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT d.doc, d.day, v.polyclinic_bin, count(*), count(*) FILTER (WHERE v.flagged)
                FROM unnest(?::text[], ?::date[]) d(doc, day) JOIN visit v ON v.doctor_id = d.doc AND v.visit_date = d.day
                GROUP BY d.doc, d.day, v.polyclinic_bin""")) {
            bindCrossDays(c, ps, days);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(new CrossDay(rs.getString(1), Jdbc.date(rs, 2)), k -> new HashMap<>())
                            .put(rs.getString(3), new long[] {rs.getLong(4), rs.getLong(5)});
                }
            }
        }
        return out;
    }

    /** Every visit of the doctors' days at every polyclinic. */
    static void readCrossDays(Connection c, Collection<CrossDay> days, Map<CrossDay, List<Affected.VisitState>> out) throws SQLException {
        if (days.isEmpty()) {
            return;
        }
        int n = 0;
        try (PreparedStatement ps = c.prepareStatement("SELECT " + BillingProjection.VISIT_COLUMNS.replaceAll("(\\w+)", "v.$1") + """

                FROM visit v JOIN unnest(?::text[], ?::date[]) d(doc, day) ON v.doctor_id = d.doc AND v.visit_date = d.day""")) {
            bindCrossDays(c, ps, days);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Affected.VisitState v = BillingProjection.visitState(rs);
                    out.computeIfAbsent(new CrossDay(v.visit().doctorId(), v.visit().date()), k -> new ArrayList<>()).add(v);
                    n++;
                }
            }
        }
        ScreeningMeter.read(ScreeningMeter.Scope.DOCTOR_DAY, n);
    }

    /** At most {@code limit} visits of a doctor's day at every polyclinic after ({@code afterStart}, {@code afterKey}). */
    static List<Affected.VisitState> crossDayPage(Connection c, CrossDay day, Instant afterStart, String afterKey, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + BillingProjection.VISIT_COLUMNS
                + " FROM visit WHERE doctor_id = ? AND visit_date = ?" + (afterStart == null ? "" : AFTER) + PAGE_ORDER)) {
            ps.setString(1, day.doctorId());
            Jdbc.date(ps, 2, day.date());
            return page(ps, ScreeningMeter.Scope.DOCTOR_DAY, 3, afterStart, afterKey, limit);
        }
    }

    private static void bindCrossDays(Connection c, PreparedStatement ps, Collection<CrossDay> days) throws SQLException {
        List<CrossDay> list = new ArrayList<>(days);
        ps.setArray(1, c.createArrayOf("text", list.stream().map(CrossDay::doctorId).toArray()));
        ps.setArray(2, c.createArrayOf("date", list.stream().map(d -> java.sql.Date.valueOf(d.date())).toArray()));
    }

    private static void bindDays(Connection c, PreparedStatement ps, Collection<Affected.DoctorDayKey> days) throws SQLException {
        List<Affected.DoctorDayKey> list = new ArrayList<>(days);
        ps.setArray(1, c.createArrayOf("text", list.stream().map(Affected.DoctorDayKey::doctorId).toArray()));
        ps.setArray(2, c.createArrayOf("date", list.stream().map(d -> java.sql.Date.valueOf(d.date())).toArray()));
        ps.setArray(3, c.createArrayOf("text", list.stream().map(Affected.DoctorDayKey::polyclinicBin).toArray()));
    }

    private static void bindDay(PreparedStatement ps, Affected.DoctorDayKey day, int i) throws SQLException {
        ps.setString(i, day.doctorId());
        Jdbc.date(ps, i + 1, day.date());
        ps.setString(i + 2, day.polyclinicBin());
    }

    /**
     * Splits keys into groups of at most {@code budget} visits, in the order given; a key above the budget on its own
     * goes to {@code large} (streamed), a key without visits costs nothing.
     */
    static <K> List<List<K>> groups(Collection<K> keys, Map<K, Long> sizes, int budget, List<K> large) {
        List<List<K>> out = new ArrayList<>();
        List<K> current = new ArrayList<>();
        long held = 0;
        for (K key : keys) {
            long n = sizes.getOrDefault(key, 0L);
            if (n > budget) {
                large.add(key);
                continue;
            }
            if (held + n > budget && !current.isEmpty()) {
                out.add(current);
                current = new ArrayList<>();
                held = 0;
            }
            current.add(key);
            held += n;
        }
        if (!current.isEmpty()) {
            out.add(current);
        }
        return out;
    }
}
