package kz.ehr.mpi.linking;

import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import kz.ehr.events.db.PgArrays;
import kz.ehr.mpi.matching.Demographics;

/**
 * The index's tables, read and written with set-based and batched SQL. Plain JDBC; the caller owns the transaction.
 * Hot path of batch linking, measured by {@code ScaleBenchmark} and {@code ServiceRateBench}: one statement per table
 * and step of 1,000 records. What people decide one at a time (review decisions, non-matches, merges) is Panache
 * ({@code kz.ehr.mpi.Review}, {@code NonMatch}, {@code Merge}) in {@code ManualDecisions}.
 */
public final class IndexStore {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One row of link history. */
    public record HistoryEntry(UUID enterpriseId, String eventType, UUID previousEnterpriseId, String providerId,
                               String localId, Double score, String reason, String actor) {
    }

    /** An open review to insert. */
    public record NewReview(UUID reviewId, String kind, String providerId, String localId, UUID candidate, Double score,
                            String reason) {
    }

    private IndexStore() {
    }

    private static final String ENTERPRISE_COLUMNS = "e.enterprise_id, e.status, e.merged_into, e.overrides::text, e.iin,"
            + " e.last_name, e.first_name, e.middle_name, e.birth_date, e.sex, e.phone, e.address";
    private static final String SOURCE_COLUMNS = "s.provider_id, s.local_id, s.enterprise_id, s.iin, s.iin_status, s.last_name,"
            + " s.first_name, s.middle_name, s.birth_date, s.sex, s.phone, s.address, s.link_kind, s.link_score, s.occurred_at,"
            + " s.last_event_id, s.mother_iin";

    /**
     * Every enterprise patient that shares a blocking key with the batch (or is named in {@code alsoIds}), with all
     * its source records, in one statement (a golden IIN is looked up only when set by hand: otherwise it is one of
     * the patient's source IINs and the source IIN block finds it): the blocks are found through their indexes and the patients and their
     * records joined by key, so nothing travels twice between the service and the database.
     */
    public static Map<UUID, EnterpriseState> loadCandidates(Connection c, Collection<String> iins, Collection<String> birthKeys,
                                                            Collection<String> nameKeys, Collection<String> phones,
                                                            Collection<String> motherIins,
                                                            Collection<java.time.LocalDate> bareBirthDates,
                                                            Collection<UUID> alsoIds) throws SQLException {
        try (Statement st = c.createStatement()) {
            // a batch's blocks are a few thousand index lookups in a table of millions; with the planner's
            // spinning-disk default it would rather scan whole tables (seconds instead of a few hundred ms)
            st.execute("SET LOCAL random_page_cost = 1.1");
            // the arrays' sizes decide the plan: a cached generic plan cannot know them
            st.execute("SET LOCAL plan_cache_mode = force_custom_plan");
        }
        Map<UUID, EnterpriseState> out = new HashMap<>();
        List<UUID> withoutCopy = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                WITH hit AS (
                    SELECT enterprise_id FROM source_record WHERE iin = ANY(?)
                    UNION SELECT enterprise_id FROM enterprise_patient
                          WHERE iin = ANY(?) AND status = 'ACTIVE' AND overrides ?? 'iin'
                    UNION SELECT enterprise_id FROM source_record WHERE birth_key = ANY(?)
                    UNION SELECT enterprise_id FROM source_record WHERE name_key = ANY(?)
                    UNION SELECT enterprise_id FROM source_record WHERE phone = ANY(?)
                    UNION SELECT enterprise_id FROM source_record WHERE mother_iin = ANY(?)
                    UNION SELECT unnest(?::uuid[])
                )
                SELECT %s, e.sources_compact
                FROM hit JOIN enterprise_patient e ON e.enterprise_id = hit.enterprise_id
                """.formatted(ENTERPRISE_COLUMNS))) {
            Array iinArray = c.createArrayOf("text", iins.toArray());
            ps.setArray(1, iinArray);
            ps.setArray(2, iinArray);
            ps.setArray(3, c.createArrayOf("text", birthKeys.toArray()));
            ps.setArray(4, c.createArrayOf("text", nameKeys.toArray()));
            ps.setArray(5, c.createArrayOf("text", phones.toArray()));
            ps.setArray(6, c.createArrayOf("text", motherIins.toArray()));
            ps.setArray(7, c.createArrayOf("uuid", withBareBirthDates(c, bareBirthDates, alsoIds).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    EnterpriseState e = readEnterprise(rs, 1);
                    String compact = rs.getString(13);
                    if (compact == null) {
                        withoutCopy.add(e.id);
                    } else {
                        e.sources.addAll(CompactSources.decode(compact, e.id));
                    }
                    out.put(e.id, e);
                }
            }
        }
        if (!withoutCopy.isEmpty()) {
            // rows written before the copy existed (migration V6 fills them; this keeps a missed one correct)
            loadSources(c, withoutCopy, out);
        }
        return inStableOrder(out);
    }

    /**
     * Records without a first name have no initial to block on: their birth date alone is the block, every birth key
     * 'yyyy-mm-dd|…' of that date (a range: the column sorts bytewise, V11). Looked up on its own, and only when
     * such records are there: a range's row count cannot be estimated, and inside the block query it made the
     * planner scan whole tables.
     */
    private static Collection<UUID> withBareBirthDates(Connection c, Collection<java.time.LocalDate> bareBirthDates,
                                                       Collection<UUID> ids) throws SQLException {
        if (bareBirthDates.isEmpty()) {
            return ids;
        }
        Set<UUID> out = new HashSet<>(ids);
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT s.enterprise_id FROM unnest(?::text[]) AS d(k)
                JOIN source_record s ON s.birth_key >= d.k || '|' AND s.birth_key < d.k || '}'""")) {
            ps.setArray(1, c.createArrayOf("text", bareBirthDates.stream().map(java.time.LocalDate::toString).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getObject(1, UUID.class));
                }
            }
        }
        return out;
    }

    /** Rows come back in plan order; decisions must not depend on it (ties go to the first), so fix one order. */
    private static Map<UUID, EnterpriseState> inStableOrder(Map<UUID, EnterpriseState> loaded) {
        Map<UUID, EnterpriseState> ordered = new LinkedHashMap<>();
        loaded.keySet().stream().sorted().forEach(id -> {
            EnterpriseState e = loaded.get(id);
            e.sources.sort(java.util.Comparator.comparing(SourceState::key));
            ordered.put(id, e);
        });
        return ordered;
    }

    private static EnterpriseState readEnterprise(ResultSet rs, int at) throws SQLException {
        EnterpriseState e = new EnterpriseState(rs.getObject(at, UUID.class));
        e.status = rs.getString(at + 1);
        e.mergedInto = rs.getObject(at + 2, UUID.class);
        e.overrides = parseOverrides(rs.getString(at + 3));
        Date gb = rs.getDate(at + 8);
        // the stored golden record is current: it is rewritten in every transaction that changes a link
        e.golden = new Demographics(rs.getString(at + 4), rs.getString(at + 5), rs.getString(at + 6), rs.getString(at + 7),
                gb == null ? null : gb.toLocalDate(), rs.getString(at + 9), rs.getString(at + 10), rs.getString(at + 11));
        return e;
    }

    private static SourceState readSource(ResultSet rs, int at) throws SQLException {
        SourceState s = new SourceState(rs.getString(at), rs.getString(at + 1));
        s.enterpriseId = rs.getObject(at + 2, UUID.class);
        s.iinStatus = rs.getString(at + 4);
        Date birth = rs.getDate(at + 8);
        Timestamp occurred = rs.getTimestamp(at + 14);
        s.setDemographics(new Demographics(rs.getString(at + 3), rs.getString(at + 5), rs.getString(at + 6), rs.getString(at + 7),
                        birth == null ? null : birth.toLocalDate(), rs.getString(at + 9), rs.getString(at + 10), rs.getString(at + 11),
                        rs.getString(at + 16)),
                occurred == null ? null : occurred.toInstant());
        s.linkKind = rs.getString(at + 12);
        double score = rs.getDouble(at + 13);
        s.linkScore = rs.wasNull() ? null : score;
        s.lastEventId = rs.getString(at + 15);
        return s;
    }

    /** Enterprise ids currently linked to the given source records. */
    public static Map<String, UUID> currentLinks(Connection c, Collection<String[]> providerAndLocal) throws SQLException {
        Map<String, UUID> links = new HashMap<>();
        if (providerAndLocal.isEmpty()) {
            return links;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT s.provider_id, s.local_id, s.enterprise_id FROM source_record s
                JOIN unnest(?::text[], ?::text[]) AS k(p, l) ON s.provider_id = k.p AND s.local_id = k.l
                """)) {
            ps.setArray(1, c.createArrayOf("text", providerAndLocal.stream().map(k -> k[0]).toArray()));
            ps.setArray(2, c.createArrayOf("text", providerAndLocal.stream().map(k -> k[1]).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    links.put(SourceState.key(rs.getString(1), rs.getString(2)), rs.getObject(3, UUID.class));
                }
            }
        }
        return links;
    }

    /** Loads enterprise patients with all their source records; {@code forUpdate} locks the patient rows. */
    public static Map<UUID, EnterpriseState> loadEnterprises(Connection c, Collection<UUID> ids, boolean forUpdate)
            throws SQLException {
        Map<UUID, EnterpriseState> out = new LinkedHashMap<>();
        if (ids.isEmpty()) {
            return out;
        }
        UUID[] sorted = ids.stream().sorted().toArray(UUID[]::new);
        try (PreparedStatement ps = c.prepareStatement("SELECT " + ENTERPRISE_COLUMNS + " FROM enterprise_patient e"
                + " WHERE e.enterprise_id = ANY(?) ORDER BY e.enterprise_id" + (forUpdate ? " FOR UPDATE" : ""))) {
            ps.setArray(1, c.createArrayOf("uuid", sorted));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    EnterpriseState e = readEnterprise(rs, 1);
                    out.put(e.id, e);
                }
            }
        }
        loadSources(c, List.of(sorted), out);
        return out;
    }

    private static void loadSources(Connection c, Collection<UUID> ids, Map<UUID, EnterpriseState> into) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + SOURCE_COLUMNS
                + " FROM source_record s WHERE s.enterprise_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    SourceState s = readSource(rs, 1);
                    EnterpriseState e = into.get(s.enterpriseId);
                    if (e != null) {
                        e.sources.add(s);
                    }
                }
            }
        }
        for (UUID id : ids) {
            EnterpriseState e = into.get(id);
            if (e != null) {
                e.sources.sort(java.util.Comparator.comparing(SourceState::key));
            }
        }
    }

    static Map<String, String> parseOverrides(String json) {
        if (json == null || json.isBlank() || json.equals("{}")) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<Map<String, String>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt overrides", e);
        }
    }

    /** Statements whose values were taken from the in-memory state when it was made: it may run later, elsewhere. */
    @FunctionalInterface
    public interface Write {
        void to(Connection c) throws SQLException;
    }

    public static void upsertSources(Connection c, Collection<SourceState> sources) throws SQLException {
        sourcesWrite(sources).to(c);
    }

    /** The upsert of these source records as they are now. */
    static Write sourcesWrite(Collection<SourceState> sources) {
        if (sources.isEmpty()) {
            return c -> { };
        }
        // one statement over column arrays: a step's rows are parsed, planned and sent once (a batched multi-row
        // VALUES insert took about twice the server time per row, most of it in parsing and planning 128-row lists)
        int n = sources.size();
        Object[][] col = new Object[21][n];
        int i = 0;
        for (SourceState s : sources) {
            Demographics d = s.demographics;
            col[0][i] = s.providerId;
            col[1][i] = s.localId;
            col[2][i] = s.enterpriseId;
            col[3][i] = d.iin();
            col[4][i] = s.iinStatus == null ? "MISSING" : s.iinStatus;
            col[5][i] = d.lastName();
            col[6][i] = d.firstName();
            col[7][i] = d.middleName();
            // dates and instants as ISO text with their offset: the server parses them the same in any time zone
            col[8][i] = d.birthDate() == null ? null : d.birthDate().toString();
            col[9][i] = d.sex();
            // the phone is stored as its last ten digits so that the blocking index and the comparator agree
            col[10][i] = s.profile.phone != null ? s.profile.phone : d.phone();
            col[11][i] = d.address();
            col[12][i] = s.lastEventId == null ? "manual" : s.lastEventId;
            col[13][i] = s.profile.last;
            col[14][i] = s.profile.first;
            col[15][i] = s.profile.nameKey();
            col[16][i] = s.linkKind;
            col[17][i] = s.linkScore;
            col[18][i] = s.occurredAt == null ? null : s.occurredAt.toString();
            col[19][i] = s.profile.birthKey();
            col[20][i] = s.profile.motherIin;
            i++;
        }
        // name-only search finds surnames by trigram similarity among the distinct surnames (V9)
        Set<String> surnames = new HashSet<>();
        for (SourceState s : sources) {
            if (s.profile.last != null) {
                surnames.add(s.profile.last);
            }
        }
        Object[] sortedSurnames = surnames.stream().sorted().toArray();
        return c -> writeSources(c, col, sortedSurnames);
    }

    private static void writeSources(Connection c, Object[][] col, Object[] surnames) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO source_record (provider_id, local_id, enterprise_id, iin, iin_status, last_name, first_name,
                    middle_name, birth_date, sex, phone, address, last_event_id, last_norm, first_norm, name_key, link_kind,
                    link_score, occurred_at, birth_key, mother_iin, updated_at, linked_at)
                SELECT *, now(), now() FROM unnest(?::text[], ?::text[], ?::uuid[], ?::text[], ?::text[], ?::text[],
                    ?::text[], ?::text[], ?::date[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[],
                    ?::text[], ?::text[], ?::float8[], ?::timestamptz[], ?::text[], ?::text[])
                ON CONFLICT (provider_id, local_id) DO UPDATE SET enterprise_id = excluded.enterprise_id, iin = excluded.iin,
                    iin_status = excluded.iin_status, last_name = excluded.last_name, first_name = excluded.first_name,
                    middle_name = excluded.middle_name, birth_date = excluded.birth_date, sex = excluded.sex,
                    phone = excluded.phone, address = excluded.address, last_event_id = excluded.last_event_id,
                    last_norm = excluded.last_norm, first_norm = excluded.first_norm, name_key = excluded.name_key,
                    link_kind = excluded.link_kind, link_score = excluded.link_score, occurred_at = excluded.occurred_at,
                    birth_key = excluded.birth_key, mother_iin = excluded.mother_iin, updated_at = now(),
                    linked_at = CASE WHEN source_record.enterprise_id = excluded.enterprise_id THEN source_record.linked_at ELSE now() END
                """)) {
            for (int k = 0; k < col.length; k++) {
                ps.setArray(k + 1, PgArrays.of(c, k == 2 ? "uuid" : k == 17 ? "float8" : "text", col[k]));
            }
            ps.executeUpdate();
        }
        if (surnames.length > 0) {
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO surname (last_norm) SELECT unnest(?::text[]) ON CONFLICT DO NOTHING")) {
                ps.setArray(1, c.createArrayOf("text", surnames));
                ps.executeUpdate();
            }
        }
    }

    public static void upsertEnterprises(Connection c, Collection<EnterpriseState> enterprises) throws SQLException {
        enterprisesWrite(enterprises).to(c);
    }

    /** The upsert of these patients (golden record and copy of their sources) as they are now. */
    static Write enterprisesWrite(Collection<EnterpriseState> enterprises) {
        if (enterprises.isEmpty()) {
            return c -> { };
        }
        // one statement over column arrays, as upsertSources
        int n = enterprises.size();
        Object[][] col = new Object[13][n];
        int i = 0;
        for (EnterpriseState e : enterprises) {
            Demographics g = e.golden;
            col[0][i] = e.id;
            col[1][i] = g.iin();
            col[2][i] = e.status;
            col[3][i] = e.mergedInto;
            col[4][i] = g.lastName();
            col[5][i] = g.firstName();
            col[6][i] = g.middleName();
            col[7][i] = g.birthDate() == null ? null : g.birthDate().toString();
            col[8][i] = g.sex();
            col[9][i] = g.phone();
            col[10][i] = g.address();
            try {
                col[11][i] = JSON.writeValueAsString(e.overrides);
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException(ex);
            }
            // every caller holds the patient with all its sources (loaded whole or created here)
            col[12][i] = CompactSources.encode(e.sources);
            i++;
        }
        return c -> writeEnterprises(c, col);
    }

    private static void writeEnterprises(Connection c, Object[][] col) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO enterprise_patient (enterprise_id, iin, status, merged_into, last_name, first_name, middle_name,
                    birth_date, sex, phone, address, overrides, sources_compact, version, updated_at)
                SELECT u.id, u.iin, u.status, u.merged_into, u.last_name, u.first_name, u.middle_name, u.birth_date, u.sex,
                       u.phone, u.address, u.overrides::jsonb, u.sources_compact, 1, now()
                FROM unnest(?::uuid[], ?::text[], ?::text[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::date[], ?::text[],
                            ?::text[], ?::text[], ?::text[], ?::text[])
                     AS u(id, iin, status, merged_into, last_name, first_name, middle_name, birth_date, sex, phone, address,
                          overrides, sources_compact)
                ON CONFLICT (enterprise_id) DO UPDATE SET iin = excluded.iin, status = excluded.status,
                    merged_into = excluded.merged_into, last_name = excluded.last_name, first_name = excluded.first_name,
                    middle_name = excluded.middle_name, birth_date = excluded.birth_date, sex = excluded.sex,
                    phone = excluded.phone, address = excluded.address, overrides = excluded.overrides,
                    sources_compact = excluded.sources_compact,
                    version = enterprise_patient.version + 1, updated_at = now()
                """)) {
            for (int k = 0; k < col.length; k++) {
                ps.setArray(k + 1, PgArrays.of(c, k == 0 || k == 3 ? "uuid" : "text", col[k]));
            }
            ps.executeUpdate();
        }
    }

    public static void insertHistory(Connection c, Collection<HistoryEntry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO link_history (enterprise_id, event_type, previous_enterprise_id, provider_id, local_id, score, reason, actor)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)) {
            for (HistoryEntry h : entries) {
                ps.setObject(1, h.enterpriseId());
                ps.setString(2, h.eventType());
                ps.setObject(3, h.previousEnterpriseId());
                ps.setString(4, h.providerId());
                ps.setString(5, h.localId());
                if (h.score() == null) {
                    ps.setNull(6, Types.DOUBLE);
                } else {
                    ps.setDouble(6, h.score());
                }
                ps.setString(7, h.reason());
                ps.setString(8, h.actor());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** The batch's new reviews in one batched statement (JDBC: batch linking, ScaleBenchmark); decided through {@code Review}. */
    public static void insertReviews(Connection c, Collection<NewReview> reviews) throws SQLException {
        if (reviews.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO review (review_id, kind, provider_id, local_id, candidate_enterprise_id, score, reason)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """)) {
            for (NewReview r : reviews) {
                ps.setObject(1, r.reviewId());
                ps.setString(2, r.kind());
                ps.setString(3, r.providerId());
                ps.setString(4, r.localId());
                ps.setObject(5, r.candidate());
                if (r.score() == null) {
                    ps.setNull(6, Types.DOUBLE);
                } else {
                    ps.setDouble(6, r.score());
                }
                ps.setString(7, r.reason());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * Pairs a person decided are different: (providerId, localId) → enterprise ids never to link automatically. One
     * statement for the whole step (JDBC: batch linking, ScaleBenchmark); written through {@code NonMatch}.
     */
    public static Map<String, Set<UUID>> nonMatches(Connection c, Collection<String[]> providerAndLocal) throws SQLException {
        Map<String, Set<UUID>> out = new HashMap<>();
        if (providerAndLocal.isEmpty()) {
            return out;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT n.provider_id, n.local_id, n.enterprise_id FROM non_match n
                JOIN unnest(?::text[], ?::text[]) AS k(p, l) ON n.provider_id = k.p AND n.local_id = k.l
                """)) {
            ps.setArray(1, c.createArrayOf("text", providerAndLocal.stream().map(k -> k[0]).toArray()));
            ps.setArray(2, c.createArrayOf("text", providerAndLocal.stream().map(k -> k[1]).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(SourceState.key(rs.getString(1), rs.getString(2)), k -> new HashSet<>())
                            .add(rs.getObject(3, UUID.class));
                }
            }
        }
        return out;
    }

    /** The version of a PATIENT record an event carries; {@code recordId} null: unknown, never superseded. */
    public record RecordVersion(String eventId, String providerId, String recordId, int version) {
    }

    /**
     * Event ids of the batch superseded by a newer version of their record, later in the batch or applied before: they
     * are not applied, so the index ends on each record's highest version whatever order its versions arrive in. The
     * highest version of every record of the batch is recorded, in the same statement (one round trip per batch).
     * Callers hold {@link LinkingEngine#WRITE_LOCK}, so no other writer changes these rows meanwhile.
     */
    public static Set<String> supersededEvents(Connection c, Collection<RecordVersion> batch) throws SQLException {
        Map<String, RecordVersion> newest = new LinkedHashMap<>();
        for (RecordVersion r : batch) {
            if (r.recordId() != null) {
                newest.merge(r.providerId() + '\u001f' + r.recordId(), r, (a, b) -> b.version() > a.version() ? b : a);
            }
        }
        Set<String> superseded = new HashSet<>();
        if (newest.isEmpty()) {
            return superseded;
        }
        Map<String, Integer> held = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                WITH x AS (SELECT * FROM unnest(?::text[], ?::text[], ?::int[]) AS x(p, r, v)),
                before AS (SELECT h.provider_id, h.record_id, h.version FROM patient_record_version h
                           JOIN x ON h.provider_id = x.p AND h.record_id = x.r),
                recorded AS (INSERT INTO patient_record_version AS h (provider_id, record_id, version) SELECT p, r, v FROM x
                             ON CONFLICT (provider_id, record_id) DO UPDATE SET version = excluded.version
                             WHERE h.version < excluded.version)
                SELECT provider_id, record_id, version FROM before""")) {
            ps.setArray(1, c.createArrayOf("text", newest.values().stream().map(RecordVersion::providerId).toArray()));
            ps.setArray(2, c.createArrayOf("text", newest.values().stream().map(RecordVersion::recordId).toArray()));
            ps.setArray(3, c.createArrayOf("int4", newest.values().stream().map(RecordVersion::version).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    held.put(rs.getString(1) + '\u001f' + rs.getString(2), rs.getInt(3));
                }
            }
        }
        for (RecordVersion r : batch) {
            if (r.recordId() == null) {
                continue;
            }
            String key = r.providerId() + '\u001f' + r.recordId();
            Integer before = held.get(key);
            if (r.version() < newest.get(key).version() || before != null && r.version() <= before) {
                superseded.add(r.eventId());
            }
        }
        return superseded;
    }

    /** Event ids of the batch seen for the first time; they are recorded as processed in the same transaction. */
    public static Set<String> firstTimeEvents(Connection c, Collection<String> eventIds) throws SQLException {
        Set<String> fresh = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO processed_event (event_id) SELECT DISTINCT unnest(?::text[]) ON CONFLICT DO NOTHING RETURNING event_id")) {
            ps.setArray(1, c.createArrayOf("text", eventIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    fresh.add(rs.getString(1));
                }
            }
        }
        return fresh;
    }

    static List<String[]> keysOf(Collection<SourceState> sources) {
        List<String[]> keys = new ArrayList<>();
        for (SourceState s : sources) {
            keys.add(new String[] {s.providerId, s.localId});
        }
        return keys;
    }

    static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
