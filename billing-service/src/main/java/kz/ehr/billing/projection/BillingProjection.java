package kz.ehr.billing.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import kz.ehr.billing.config.Policies;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.MpiLinkEvent;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.SourceRef;
import kz.ehr.events.db.PgArrays;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;

/**
 * Applies health-record and MPI link events to the typed projection with batched SQL, on the caller's
 * connection (one transaction per consumed batch). Every write is an upsert keyed by provider:recordId, so a
 * redelivered batch changes nothing.
 * Batched SQL, not entities: the projection is the hot path BillingStreamBench measures (docs/benchmarks/billing-service.md, "Billing statement budget").
 */
@ApplicationScoped
public class BillingProjection {
    private static final List<String> KEYED_TABLES = List.of("attachment", "insurance", "visit", "hospitalization", "death");

    @Inject
    Policies policies;

    /** For code running outside CDI (benchmarks). */
    public static BillingProjection of(Policies policies) {
        BillingProjection p = new BillingProjection();
        p.policies = policies;
        return p;
    }

    /** {@code deathDate} is never taken from an event (it is derived from death rows); it rides along from the stored row. */
    record Demographics(String sex, LocalDate birthDate, String lastName, String firstName, String middleName, String phone,
                        String address, LocalDate deathDate) {
        Demographics merge(Demographics newer) {
            return new Demographics(or(newer.sex, sex), or(newer.birthDate, birthDate), or(newer.lastName, lastName),
                    or(newer.firstName, firstName), or(newer.middleName, middleName), or(newer.phone, phone), or(newer.address, address),
                    deathDate);
        }

        static <T> T or(T a, T b) {
            return a != null ? a : b;
        }
    }

    public Affected applyHealthRecords(Connection c, List<Delivery<HealthRecordEvent>> batch) throws SQLException {
        return applyHealthRecords(c, batch, null);
    }

    /** The MPI links of a batch's sources, the persons and doctor-days it will touch and its visits' keys; reads only. */
    public record Plan(Map<String, String> links, Set<String> persons, Set<Affected.DoctorDayKey> doctorDays, Set<String> visitKeys) {
    }

    /**
     * What {@link #applyHealthRecords} will touch, known before it writes anything, so that the monitor can read the
     * committed state of those persons and doctor-days on another connection meanwhile.
     */
    public Plan plan(Connection c, List<Delivery<HealthRecordEvent>> batch) throws SQLException {
        Map<String, String> links = links(c, batch.stream().map(d -> sourceKey(d.value())).distinct().toList());
        Set<String> persons = new java.util.HashSet<>();
        Set<Affected.DoctorDayKey> days = new java.util.HashSet<>();
        Set<String> visitKeys = new java.util.HashSet<>();
        for (Delivery<HealthRecordEvent> d : batch) {
            HealthRecordEvent e = d.value();
            persons.add(links.getOrDefault(sourceKey(e), personKey(e)));
            if ("ENCOUNTER".equals(e.getRecordType()) && e.getEncounter() != null) {
                visitKeys.add(e.getEnvelope().getProviderId() + ":" + e.getEnvelope().getSourceRecordId());
                var v = e.getEncounter();
                if (v.getDoctorId() != null) {
                    days.add(new Affected.DoctorDayKey(v.getPolyclinicBin(), v.getDoctorId(), v.getStart().atZone(policies.zone()).toLocalDate()));
                }
            }
        }
        return new Plan(links, persons, days, visitKeys);
    }

    /**
     * Person rows read from the committed state for {@code persons} (a key without a row has none), and which of the
     * batch's visit keys the committed state held then.
     */
    record Prefetched(Set<String> persons, Map<String, Demographics> rows, Set<String> storedVisits) {
    }

    private static Prefetched waitFor(java.util.concurrent.Future<Prefetched> rows) throws SQLException {
        long t = StepTimings.start();
        try {
            return rows.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLException("interrupted while waiting for the person rows", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof SQLException sql ? sql : new SQLException("could not read the person rows", e.getCause());
        } finally {
            StepTimings.add("proj.waitPeople", t);
        }
    }

    /** Reads the person rows of the plan, on a connection outside the batch's transaction, for {@link #applyHealthRecords}. */
    static Prefetched prefetchPeople(Connection b, Plan plan) throws SQLException {
        Map<String, Demographics> rows = readPeople(b, plan.persons());
        Set<String> stored = new java.util.HashSet<>();
        if (!plan.visitKeys().isEmpty()) {
            try (PreparedStatement ps = b.prepareStatement("SELECT v.rec_key FROM unnest(?::text[]) k(r) JOIN visit v ON v.rec_key = k.r")) {
                ps.setArray(1, b.createArrayOf("text", plan.visitKeys().toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        stored.add(rs.getString(1));
                    }
                }
            }
        }
        return new Prefetched(plan.persons(), rows, stored);
    }

    public Affected applyHealthRecords(Connection c, List<Delivery<HealthRecordEvent>> batch, Plan plan) throws SQLException {
        return applyHealthRecords(c, batch, plan, null);
    }

    /**
     * {@code plan}: from {@link #plan} on the same connection and batch (its links are not read again), or null.
     * {@code people}: the person rows from {@link #prefetchPeople}, valid only if nothing wrote persons since (null: read here).
     */
    Affected applyHealthRecords(Connection c, List<Delivery<HealthRecordEvent>> batch, Plan plan,
                                java.util.concurrent.Future<Prefetched> peopleRows) throws SQLException {
        Affected affected = Affected.empty();
        if (batch.isEmpty()) {
            return affected;
        }
        ZoneId zone = policies.zone();
        long t = StepTimings.start();
        Map<String, String> links = plan != null ? plan.links()
                : links(c, batch.stream().map(d -> sourceKey(d.value())).distinct().toList());
        t = StepTimings.add("proj.links", t);
        Map<String, Demographics> people = new LinkedHashMap<>();
        Set<String> deathsOf = new java.util.HashSet<>();
        Set<String> attachmentsOf = new java.util.HashSet<>();
        ColumnArrays att = new ColumnArrays("text", "text", "text", "text", "text", "text", "text", "int4");
        ColumnArrays ins = new ColumnArrays("text", "text", "text", "bool", "text", "text", "int4");
        ColumnArrays hos = new ColumnArrays("text", "text", "text", "text", "text", "text", "int4");
        ColumnArrays dth = new ColumnArrays("text", "text", "text", "text", "int4");
        Map<String, VisitRow> visits = new LinkedHashMap<>();
        for (Delivery<HealthRecordEvent> d : batch) {
            HealthRecordEvent e = d.value();
            String sourceKey = sourceKey(e);
            String personKey = links.getOrDefault(sourceKey, personKey(e));
            String recKey = e.getEnvelope().getProviderId() + ":" + e.getEnvelope().getSourceRecordId();
            int version = e.getRecordVersion();
            people.merge(personKey, demographics(e.getPatient()), Demographics::merge);
            affected.persons().add(personKey);
            switch (e.getRecordType()) {
                case "ATTACHMENT" -> {
                    if (e.getAttachment() == null) {
                        break;
                    }
                    var a = e.getAttachment();
                    att.put(recKey, version, recKey, personKey, sourceKey, a.getPolyclinicBin(), a.getRegion(), a.getFrom(), a.getTo(), version);
                    attachmentsOf.add(personKey);
                }
                case "INSURANCE" -> {
                    if (e.getInsurance() == null) {
                        break;
                    }
                    var i = e.getInsurance();
                    ins.put(recKey, version, recKey, personKey, sourceKey, i.getInsured(), i.getFrom(), i.getTo(), version);
                }
                case "ENCOUNTER" -> {
                    if (e.getEncounter() == null) {
                        break;
                    }
                    var v = e.getEncounter();
                    LocalDate date = v.getStart().atZone(zone).toLocalDate();
                    // one row per visit: a resubmission in the same batch replaces it exactly as a later upsert would
                    visits.merge(recKey, new VisitRow(recKey, personKey, sourceKey, v.getPolyclinicBin(), v.getDoctorId(), micros(v.getStart()),
                            micros(v.getEnd()), date, v.getKind(), v.getScreening(), v.getServices() == null ? List.of() : v.getServices(),
                            v.getReferral(), version),
                            (older, newer) -> newer.version() >= older.version() ? newer : older);
                    if (v.getDoctorId() != null) {
                        affected.doctorDays().add(new Affected.DoctorDayKey(v.getPolyclinicBin(), v.getDoctorId(), date));
                    }
                }
                case "HOSPITALIZATION" -> {
                    if (e.getHospitalization() == null) {
                        break;
                    }
                    var h = e.getHospitalization();
                    hos.put(recKey, version, recKey, personKey, sourceKey, h.getFacilityBin(), h.getAdmittedAt(), h.getDischargedAt(), version);
                }
                case "DEATH" -> {
                    if (e.getDeath() == null) {
                        break;
                    }
                    dth.put(recKey, version, recKey, personKey, sourceKey, e.getDeath().getDate(), version);
                    deathsOf.add(personKey);
                }
                default -> {
                    // other record types carry nothing capitation or the fraud rules read; demographics are kept above
                }
            }
        }
        t = StepTimings.add("proj.java", t);
        Prefetched prefetched = peopleRows == null ? null : waitFor(peopleRows);
        Map<String, Demographics> stored = upsertPeople(c, people, prefetched);
        t = StepTimings.add("proj.people", t);
        // the person rows are in hand now; a death in this batch changes death_date below, so those are read again
        stored.forEach((key, d) -> {
            if (!deathsOf.contains(key)) {
                affected.knownPersons().put(key, new Affected.PersonFacts(d.sex(), d.birthDate(), d.deathDate()));
            }
        });
        att.execute(c, UPSERT_ATTACHMENTS);
        ins.execute(c, UPSERT_INSURANCE);
        upsertVisits(c, visits.values(), affected, prefetched == null ? null : prefetched.storedVisits());
        t = StepTimings.add("proj.visits", t);
        hos.execute(c, UPSERT_STAYS);
        dth.execute(c, UPSERT_DEATHS);
        refreshDeathDates(c, deathsOf);
        refreshAttachmentEnds(c, attachmentsOf);
        StepTimings.add("proj.rest", t);
        return affected;
    }

    private static final String UPSERT_ATTACHMENTS = """
            INSERT INTO attachment (rec_key, person_key, source_key, polyclinic_bin, region, from_date, to_date, record_version)
            SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::date[], ?::date[], ?::int[])
            ON CONFLICT (rec_key) DO UPDATE SET person_key = excluded.person_key,
              polyclinic_bin = excluded.polyclinic_bin, region = excluded.region, from_date = excluded.from_date,
              to_date = excluded.to_date, record_version = excluded.record_version
            WHERE attachment.record_version <= excluded.record_version""";

    private static final String UPSERT_INSURANCE = """
            INSERT INTO insurance (rec_key, person_key, source_key, insured, from_date, to_date, record_version)
            SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::boolean[], ?::date[], ?::date[], ?::int[])
            ON CONFLICT (rec_key) DO UPDATE SET person_key = excluded.person_key,
              insured = excluded.insured, from_date = excluded.from_date, to_date = excluded.to_date, record_version = excluded.record_version
            WHERE insurance.record_version <= excluded.record_version""";

    private static final String UPSERT_STAYS = """
            INSERT INTO hospitalization (rec_key, person_key, source_key, facility_bin, admitted_at, discharged_at, record_version)
            SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::int[])
            ON CONFLICT (rec_key) DO UPDATE SET person_key = excluded.person_key,
              facility_bin = excluded.facility_bin, admitted_at = excluded.admitted_at, discharged_at = excluded.discharged_at,
              record_version = excluded.record_version
            WHERE hospitalization.record_version <= excluded.record_version""";

    private static final String UPSERT_DEATHS = """
            INSERT INTO death (rec_key, person_key, source_key, death_date, record_version)
            SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::date[], ?::int[])
            ON CONFLICT (rec_key) DO UPDATE SET person_key = excluded.person_key, death_date = excluded.death_date,
              record_version = excluded.record_version
            WHERE death.record_version <= excluded.record_version""";

    /**
     * Attributes every source record the MPI linked to an enterprise patient to that patient's IIN (or to
     * {@code mpi:<enterpriseId>} while the golden record has none), moving rows already stored under another key.
     * Keeps each enterprise patient's golden record and which IINs several enterprise patients share ({@link SharedIins}).
     */
    public Affected applyMpiLinks(Connection c, List<Delivery<MpiLinkEvent>> batch) throws SQLException {
        Affected affected = Affected.empty();
        Map<String, String> target = new LinkedHashMap<>();
        Map<String, String> enterprise = new HashMap<>();
        Map<String, Demographics> golden = new LinkedHashMap<>();
        Map<String, SharedIins.Golden> goldenByEnterprise = new LinkedHashMap<>();
        for (Delivery<MpiLinkEvent> d : batch) {
            MpiLinkEvent e = d.value();
            if (e.getLinkedSources().isEmpty()) {
                continue; // review events and the like move nothing
            }
            String personKey = e.getGolden() != null && e.getGolden().getIin() != null ? e.getGolden().getIin() : "mpi:" + e.getEnterpriseId();
            for (SourceRef s : e.getLinkedSources()) {
                String sk = s.getProviderId() + ":" + s.getLocalId();
                target.put(sk, personKey); // later events of the batch win: they describe the newer state
                enterprise.put(sk, e.getEnterpriseId());
            }
            if (e.getGolden() != null) {
                var g = e.getGolden();
                Demographics whole = new Demographics(g.getSex(), g.getBirthDate(), g.getLastName(), g.getFirstName(),
                        g.getMiddleName(), g.getPhone(), g.getAddress(), null);
                golden.put(personKey, whole);
                goldenByEnterprise.put(e.getEnterpriseId(), new SharedIins.Golden(personKey, whole));
            } else {
                golden.putIfAbsent(personKey, new Demographics(null, null, null, null, null, null, null, null));
            }
        }
        if (target.isEmpty()) {
            return affected;
        }
        String[] sources = target.keySet().toArray(String[]::new);
        String[] persons = target.values().toArray(String[]::new);
        String[] enterprises = target.keySet().stream().map(enterprise::get).toArray(String[]::new);
        // one statement over column arrays (BillingStreamBench: a JDBC batch cost a server execution per link); a link
        // that changes nothing is not rewritten (linked_at = when the link last changed)
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO source_link (source_key, person_key, enterprise_id)
                SELECT * FROM unnest(?::text[], ?::text[], ?::text[])
                ON CONFLICT (source_key) DO UPDATE SET person_key = excluded.person_key, enterprise_id = excluded.enterprise_id,
                  linked_at = now()
                WHERE (source_link.person_key, source_link.enterprise_id) IS DISTINCT FROM (excluded.person_key, excluded.enterprise_id)""")) {
            ps.setArray(1, c.createArrayOf("text", sources));
            ps.setArray(2, c.createArrayOf("text", persons));
            ps.setArray(3, c.createArrayOf("text", enterprises));
            ps.executeUpdate();
        }
        upsertPeople(c, golden);
        // every row of a linked source not yet under its person moves, in one statement; each table's UPDATE returns the
        // key the row had (read with it, before the update) and the key it has now. Both persons gain or lose facts:
        // they are re-screened, and only their death dates and attachment ends can have changed.
        // (BillingStreamBench: the former SELECT of the previous keys and five UPDATEs each matched `source_key = m.sk
        // AND source_key = ANY(all sources)` per source, a descent of the index per source per source: the link batch
        // cost the server ~30 % of a realistic stream's statement time, nearly all to find that nothing moved.)
        // Each source's rows are read through its source index (a LATERAL subquery the planner cannot flatten, OFFSET 0):
        // as a plain join the planner hashed the whole table once a batch held ~600 sources, its sample putting 15
        // visits on a source that has 6; on a 535,000-row visit table that was 250–830 ms against 21–93 ms for
        // 1,000 sources of which nothing moved (docs/benchmarks/pipeline.md, "Levers left"), on billing's serial path.
        StringBuilder sql = new StringBuilder("WITH m(sk, pk) AS MATERIALIZED (SELECT * FROM unnest(?::text[], ?::text[]))");
        StringBuilder union = new StringBuilder();
        for (String table : KEYED_TABLES) {
            sql.append(", moved_").append(table).append(" AS (UPDATE ").append(table)
                    .append(" t SET person_key = x.pk FROM (SELECT r.rec_key, r.person_key AS before, m.pk FROM m CROSS JOIN LATERAL")
                    .append(" (SELECT rec_key, person_key FROM ").append(table).append(" WHERE source_key = m.sk OFFSET 0) r")
                    .append(" WHERE r.person_key <> m.pk) x WHERE t.rec_key = x.rec_key")
                    .append(" RETURNING x.before, t.person_key AS after)");
            union.append(union.isEmpty() ? " " : " UNION ").append("SELECT before, after FROM moved_").append(table);
        }
        Set<String> changed = new java.util.HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(sql + union.toString())) {
            ps.setArray(1, c.createArrayOf("text", sources));
            ps.setArray(2, c.createArrayOf("text", persons));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    changed.add(rs.getString(1));
                    changed.add(rs.getString(2));
                }
            }
        }
        affected.persons().addAll(changed);
        affected.persons().addAll(target.values());
        Set<String> touched = new java.util.HashSet<>(changed);
        touched.addAll(target.values());
        SharedIins.apply(c, goldenByEnterprise, touched);
        refreshDeathDates(c, changed);
        refreshAttachmentEnds(c, changed);
        return affected;
    }

    /**
     * Inserts persons or updates them with the fields the newer record carries; returns every given person's row as
     * it is stored afterwards (death date as it was: the caller refreshes it where the batch brought a death).
     */
    private static Map<String, Demographics> upsertPeople(Connection c, Map<String, Demographics> incoming) throws SQLException {
        return upsertPeople(c, incoming, null);
    }

    /** The stored person rows of these keys (absent: no row); {@code persons} must be distinct. */
    static Map<String, Demographics> readPeople(Connection c, java.util.Collection<String> persons) throws SQLException {
        Map<String, Demographics> known = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT p.person_key, p.sex, p.birth_date, p.last_name, p.first_name, p.middle_name, p.phone, p.address, p.death_date
                FROM unnest(?::text[]) k(pk) JOIN person p ON p.person_key = k.pk""")) {
            ps.setArray(1, c.createArrayOf("text", persons.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    known.put(rs.getString(1), new Demographics(rs.getString(2), Jdbc.date(rs, 3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), rs.getString(8), Jdbc.date(rs, 9)));
                }
            }
        }
        return known;
    }

    /**
     * {@code prefetched}: the stored rows of (some of) the persons, read from the committed state before this batch
     * wrote any person (absent keys are read here), or null to read them all here.
     */
    private static Map<String, Demographics> upsertPeople(Connection c, Map<String, Demographics> incoming, Prefetched prefetched)
            throws SQLException {
        // most events (visits, registry facts) repeat what billing knows: read first and write only what changes, since
        // an upsert that changes nothing still locks (and so writes) every row it touches
        Map<String, Demographics> known;
        if (prefetched == null) {
            known = readPeople(c, incoming.keySet());
        } else {
            known = new HashMap<>();
            List<String> missing = new ArrayList<>();
            for (String key : incoming.keySet()) {
                if (prefetched.persons().contains(key)) {
                    Demographics d = prefetched.rows().get(key);
                    if (d != null) {
                        known.put(key, d);
                    }
                } else {
                    missing.add(key);
                }
            }
            if (!missing.isEmpty()) {
                known.putAll(readPeople(c, missing));
            }
        }
        Map<String, Demographics> people = new HashMap<>();
        Map<String, Demographics> after = new HashMap<>();
        incoming.forEach((key, d) -> {
            Demographics current = known.get(key);
            Demographics merged = current == null ? d : current.merge(d);
            after.put(key, merged);
            if (current == null || !merged.equals(current)) {
                people.put(key, d);
            }
        });
        if (people.isEmpty()) {
            return after;
        }
        // the newest known value wins; a record that lacks a field keeps what billing knew
        String pick = "coalesce(excluded.%1$s, person.%1$s)";
        StringBuilder set = new StringBuilder();
        StringBuilder newer = new StringBuilder();
        StringBuilder current = new StringBuilder();
        for (String col : List.of("sex", "birth_date", "last_name", "first_name", "middle_name", "phone", "address")) {
            set.append(col).append(" = ").append(pick.formatted(col)).append(", ");
            newer.append(newer.isEmpty() ? "" : ", ").append(pick.formatted(col));
            current.append(current.isEmpty() ? "" : ", ").append("person.").append(col);
        }
        List<String> keys = new ArrayList<>(people.keySet());
        java.util.Collections.sort(keys); // a stable lock order between concurrent writers
        ColumnArrays rows = new ColumnArrays("text", "text", "text", "text", "text", "text", "text", "text");
        for (String key : keys) {
            Demographics p = people.get(key);
            rows.put(key, 0, key, p.sex(), p.birthDate(), p.lastName(), p.firstName(), p.middleName(), p.phone(), p.address());
        }
        rows.execute(c, """
                INSERT INTO person (person_key, sex, birth_date, last_name, first_name, middle_name, phone, address)
                SELECT * FROM unnest(?::text[], ?::text[], ?::date[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                ON CONFLICT (person_key) DO UPDATE SET""" + " " + set + "updated_at = now()"
                // most events (visits, registry facts) carry no new demographics: do not rewrite the row for them
                + " WHERE (" + newer + ") IS DISTINCT FROM (" + current + ")");
        return after;
    }

    /**
     * A visit as the projection stores it: instants at the column's precision (microseconds; the events carry milliseconds)
     * and services never null, so that the row in hand equals the stored row column for column.
     */
    record VisitRow(String recKey, String personKey, String sourceKey, String polyclinicBin, String doctorId, Instant start,
                    Instant end, LocalDate date, String kind, String screening, List<String> services, boolean referral, int version) {
        /** The row as the monitor sees it once stored, with the two columns the monitor maintains as the row holds them. */
        Affected.VisitState stored(boolean nearMark, boolean flagged) {
            return new Affected.VisitState(new kz.ehr.billing.fraud.ScreenedVisit(recKey, personKey, polyclinicBin, doctorId, start, end,
                    date, kind, screening, services, referral), nearMark, flagged);
        }
    }

    /** A timestamptz column keeps microseconds: what the row holds, not what a finer Instant says. */
    static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
    }

    /**
     * Upserts the batch's visits in one statement over column arrays: a JDBC batch of 5,000 rows costs the server a bind
     * and an executor start per 128-row chunk, this one plan. Rec keys must be distinct (an upsert cannot touch a row twice).
     * The rows it wrote (not those a newer stored version kept) are put into {@code affected}'s written visits as
     * stored. Every column of a written row is the one sent, except {@code near_mark}/{@code flagged}, which an update
     * keeps: only those and the key come back, with the four columns that say where an updated row was before
     * (returning every column cost the server ~20 % of the statement in output conversion, and the JVM the parsing of
     * two timestamps and an array per row).
     * <p>
     * {@code stored}: which of the rows' keys the committed state held when the prefetch read it (null: not known). The
     * others are most of a stream and are inserted with a plain INSERT: an {@code ON CONFLICT} upsert costs the server an
     * extra probe of the primary key and a confirmation record per row (~15 % of the statement). Should one of them have
     * been committed meanwhile by another writer, the plain INSERT fails on the key, is rolled back to its savepoint, and
     * every row goes through the upsert as before: the stored result is the same either way.
     * <p>
     * A resubmission that moves a stored visit to another doctor, day, polyclinic or person leaves its former
     * doctor-day and person in {@code affected} as well: the visits left behind there must be screened again (a
     * national doctor's day no longer at two polyclinics, a day back under the cap), or their flags would stand.
     */
    static void upsertVisits(Connection c, java.util.Collection<VisitRow> rows, Affected affected, Set<String> stored)
            throws SQLException {
        Map<String, Affected.VisitState> written = affected.writtenVisits();
        if (rows.isEmpty()) {
            return;
        }
        if (stored != null) {
            List<VisitRow> fresh = new ArrayList<>();
            List<VisitRow> known = new ArrayList<>();
            for (VisitRow r : rows) {
                (stored.contains(r.recKey()) ? known : fresh).add(r);
            }
            if (!fresh.isEmpty() && Jdbc.tryInSavepoint(c, "visit_insert", () -> {
                try (PreparedStatement ps = c.prepareStatement(INSERT_VISITS)) {
                    bindVisits(c, ps, fresh);
                    ps.executeUpdate();
                }
            })) {
                // inserted as sent, with the columns' defaults for what the monitor maintains
                fresh.forEach(r -> written.put(r.recKey(), r.stored(false, false)));
                rows = known;
                if (rows.isEmpty()) {
                    return;
                }
            }
        }
        // the CTEs all read the snapshot from before the upsert: "before" is the row as it was
        try (PreparedStatement ps = c.prepareStatement("WITH u AS (SELECT * FROM " + VISIT_ARRAYS + """
                ), before AS (SELECT v.rec_key, v.person_key, v.polyclinic_bin, v.doctor_id, v.visit_date
                  FROM visit v JOIN u ON v.rec_key = u.r),
                up AS (""" + VISIT_INSERT + """
                  FROM u
                  ON CONFLICT (rec_key) DO UPDATE SET person_key = excluded.person_key,
                    polyclinic_bin = excluded.polyclinic_bin, doctor_id = excluded.doctor_id, start_at = excluded.start_at,
                    end_at = excluded.end_at, visit_date = excluded.visit_date, kind = excluded.kind, screening = excluded.screening,
                    services = excluded.services, referral = excluded.referral, record_version = excluded.record_version
                  WHERE visit.record_version <= excluded.record_version
                  RETURNING rec_key, near_mark, flagged)
                SELECT up.rec_key, up.near_mark, up.flagged, before.person_key, before.polyclinic_bin, before.doctor_id,
                  before.visit_date
                FROM up LEFT JOIN before ON before.rec_key = up.rec_key""")) {
            bindVisits(c, ps, rows);
            Map<String, VisitRow> byKey = new HashMap<>(rows.size() * 2);
            rows.forEach(r -> byKey.put(r.recKey(), r));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String key = rs.getString(1);
                    VisitRow row = byKey.get(key);
                    written.put(key, row.stored(rs.getBoolean(2), rs.getBoolean(3)));
                    String formerPerson = rs.getString(4);
                    if (formerPerson != null && !formerPerson.equals(row.personKey())) {
                        affected.persons().add(formerPerson);
                    }
                    String formerDoctor = rs.getString(6);
                    if (formerDoctor != null) {
                        Affected.DoctorDayKey formerDay = new Affected.DoctorDayKey(rs.getString(5), formerDoctor,
                                rs.getObject(7, LocalDate.class));
                        if (!formerDay.equals(new Affected.DoctorDayKey(row.polyclinicBin(), row.doctorId(), row.date()))) {
                            affected.doctorDays().add(formerDay);
                        }
                    }
                }
            }
        }
    }

    private static final String VISIT_INSERT = """
            INSERT INTO visit (rec_key, person_key, source_key, polyclinic_bin, doctor_id, start_at, end_at, visit_date, kind,
              screening, services, referral, record_version)
            SELECT r, p, s, b, d, st, en, dt, k, sc, sv::text[], rf, ver
            """;

    private static final String VISIT_ARRAYS = """
            unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::date[],
                   ?::text[], ?::text[], ?::text[], ?::boolean[], ?::int[]) u(r, p, s, b, d, st, en, dt, k, sc, sv, rf, ver)
            """;

    private static final String INSERT_VISITS = VISIT_INSERT + "FROM " + VISIT_ARRAYS;

    /** The 13 column arrays of {@link #INSERT_VISITS}. */
    private static void bindVisits(Connection c, PreparedStatement ps, java.util.Collection<VisitRow> rows) throws SQLException {
        int n = rows.size();
        String[] rec = new String[n], person = new String[n], source = new String[n], bin = new String[n], doctor = new String[n],
                start = new String[n], end = new String[n], date = new String[n], kind = new String[n], screening = new String[n],
                services = new String[n];
        Boolean[] referral = new Boolean[n];
        Integer[] version = new Integer[n];
        int i = 0;
        for (VisitRow r : rows) {
            rec[i] = r.recKey();
            person[i] = r.personKey();
            source[i] = r.sourceKey();
            bin[i] = r.polyclinicBin();
            doctor[i] = r.doctorId();
            start[i] = r.start().toString();
            end[i] = r.end() == null ? null : r.end().toString();
            date[i] = r.date().toString();
            kind[i] = r.kind();
            screening[i] = r.screening();
            services[i] = PgArrays.textArrayLiteral(r.services());
            referral[i] = r.referral();
            version[i] = r.version();
            i++;
        }
        Object[][] text = {rec, person, source, bin, doctor, start, end, date, kind, screening, services};
        for (int col = 0; col < text.length; col++) {
            ps.setArray(col + 1, c.createArrayOf("text", text[col]));
        }
        ps.setArray(12, c.createArrayOf("bool", referral));
        ps.setArray(13, c.createArrayOf("int4", version));
    }

    /** The visit columns the fraud monitor reads, in the order {@link #visitState} expects them. */
    public static final String VISIT_COLUMNS = "rec_key, person_key, polyclinic_bin, doctor_id, start_at, end_at, visit_date, kind,"
            + " screening, services, referral, near_mark, flagged";

    /** A row of {@link #VISIT_COLUMNS} (the first 13 columns of the result). */
    public static Affected.VisitState visitState(ResultSet rs) throws SQLException {
        String[] services = (String[]) rs.getArray(10).getArray();
        return new Affected.VisitState(new kz.ehr.billing.fraud.ScreenedVisit(rs.getString(1), rs.getString(2), rs.getString(3),
                rs.getString(4), Jdbc.instant(rs, 5), Jdbc.instant(rs, 6), Jdbc.date(rs, 7), rs.getString(8), rs.getString(9),
                java.util.Arrays.asList(services), rs.getBoolean(11)), rs.getBoolean(12), rs.getBoolean(13));
    }

    private static void refreshDeathDates(Connection c, Set<String> persons) throws SQLException {
        if (persons.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE person p SET death_date = (SELECT min(death_date) FROM death d WHERE d.person_key = p.person_key)
                WHERE p.person_key = ANY(?)""")) {
            ps.setArray(1, c.createArrayOf("text", persons.toArray()));
            ps.executeUpdate();
        }
    }

    /** A later attachment ends the previous one the day before it starts (a person is attached to one polyclinic). */
    private static void refreshAttachmentEnds(Connection c, Set<String> persons) throws SQLException {
        if (persons.isEmpty()) {
            return;
        }
        // the persons as an unnest() join, not person_key = ANY(?): with ANY the planner scanned attachment twice and
        // compared every row with every person of the batch (BillingStreamBench: 17 % of the stream's statement time)
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE attachment a SET effective_to = x.eff FROM (
                  SELECT rec_key, CASE WHEN nxt IS NULL THEN to_date WHEN to_date IS NULL THEN nxt - 1 ELSE least(to_date, nxt - 1) END eff
                  FROM (SELECT b.rec_key, b.to_date, lead(b.from_date) OVER (PARTITION BY b.person_key ORDER BY b.from_date, b.rec_key) nxt
                        FROM unnest(?::text[]) k(pk) JOIN attachment b ON b.person_key = k.pk) w) x
                WHERE a.rec_key = x.rec_key AND a.effective_to IS DISTINCT FROM x.eff""")) {
            ps.setArray(1, c.createArrayOf("text", persons.toArray()));
            ps.executeUpdate();
        }
    }

    private static Map<String, String> links(Connection c, List<String> sourceKeys) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT source_key, person_key FROM source_link WHERE source_key = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("text", sourceKeys.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        }
        return out;
    }

    static String sourceKey(HealthRecordEvent e) {
        return e.getEnvelope().getProviderId() + ":" + e.getPatient().getLocalId();
    }

    /** The IIN when it is valid, otherwise provider:localId until the MPI attributes the record. */
    static String personKey(HealthRecordEvent e) {
        PatientInfo p = e.getPatient();
        return "VALID".equals(p.getIinStatus()) && p.getIin() != null ? p.getIin() : sourceKey(e);
    }

    private static Demographics demographics(PatientInfo p) {
        return new Demographics(p.getSex(), p.getBirthDate(), p.getLastName(), p.getFirstName(), p.getMiddleName(), p.getPhone(),
                p.getAddress(), null);
    }
}
