package kz.ehr.mpi.patients;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import kz.ehr.mpi.MpiProblem;
import kz.ehr.mpi.Review;
import kz.ehr.mpi.linking.EnterpriseState;
import kz.ehr.mpi.linking.IndexStore;
import kz.ehr.mpi.linking.SourceState;
import kz.ehr.mpi.matching.Demographics;
import kz.ehr.mpi.matching.Matcher;
import kz.ehr.mpi.matching.MatchProfile;
import kz.ehr.mpi.matching.NameNormalizer;

/**
 * Reads of the index. Callers audit; this class only reads.
 * Plain JDBC, not entities: lookups and trigram searches over the index, whose latency ScaleBenchmark measures (docs/benchmarks/patient-index-service.md).
 */
@ApplicationScoped
public class PatientQueries {
    @Inject
    AgroalDataSource dataSource;
    @Inject
    Matcher matcher;

    private javax.sql.DataSource plain;

    /** The same queries outside the container, for benchmarks and tools. */
    public static PatientQueries standalone(javax.sql.DataSource dataSource, Matcher matcher) {
        PatientQueries q = new PatientQueries();
        q.plain = dataSource;
        q.matcher = matcher;
        return q;
    }

    private Connection connection() throws SQLException {
        return plain != null ? plain.getConnection() : dataSource.getConnection();
    }

    public Optional<PatientViews.SourceLink> sourceRecord(String providerId, String localId) throws SQLException {
        try (Connection c = connection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT enterprise_id, iin, link_kind, link_score FROM source_record WHERE provider_id = ? AND local_id = ?")) {
            ps.setString(1, providerId);
            ps.setString(2, localId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                double score = rs.getDouble(4);
                return Optional.of(new PatientViews.SourceLink(providerId, localId, rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getString(3), rs.wasNull() ? null : score));
            }
        }
    }

    public PatientViews.Patient patient(UUID enterpriseId) throws SQLException {
        try (Connection c = connection()) {
            EnterpriseState e = IndexStore.loadEnterprises(c, List.of(enterpriseId), false).get(enterpriseId);
            if (e == null) {
                throw MpiProblem.notFound("PATIENT_NOT_FOUND", "no enterprise patient " + enterpriseId);
            }
            return view(c, e);
        }
    }

    private static PatientViews.Patient view(Connection c, EnterpriseState e) throws SQLException {
        Map<String, String> iinStatus = new java.util.HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT provider_id, local_id, iin_status FROM source_record WHERE enterprise_id = ?")) {
            ps.setObject(1, e.id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    iinStatus.put(SourceState.key(rs.getString(1), rs.getString(2)), rs.getString(3));
                }
            }
        }
        List<PatientViews.LinkedSource> sources = e.sortedSources().stream().map(s -> new PatientViews.LinkedSource(
                s.providerId, s.localId, s.demographics.iin(), iinStatus.get(s.key()), s.demographics.lastName(),
                s.demographics.firstName(), s.demographics.middleName(), s.demographics.birthDate(), s.demographics.sex(),
                s.linkKind, s.linkScore, s.demographics.motherIin())).toList();
        return new PatientViews.Patient(e.id, e.status, e.mergedInto, PatientViews.Golden.of(e.golden), sources);
    }

    /** Active patients whose golden IIN, or one of whose source records, carries the IIN. */
    public List<PatientViews.Patient> byIin(String iin) throws SQLException {
        try (Connection c = connection()) {
            Set<UUID> ids = new LinkedHashSet<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT enterprise_id FROM enterprise_patient WHERE iin = ? AND status = 'ACTIVE'
                    UNION SELECT enterprise_id FROM source_record WHERE iin = ?
                    """)) {
                ps.setString(1, iin);
                ps.setString(2, iin);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getObject(1, UUID.class));
                    }
                }
            }
            List<PatientViews.Patient> out = new ArrayList<>();
            for (EnterpriseState e : IndexStore.loadEnterprises(c, ids, false).values()) {
                if ("ACTIVE".equals(e.status)) {
                    out.add(view(c, e));
                }
            }
            return out;
        }
    }

    /**
     * Fuzzy search: candidate patients share the birth date, the phone, or a trigram-similar surname (in any
     * script) with the query; each is scored with the matcher's Fellegi-Sunter weights against its best
     * source record and the list is ranked by score.
     */
    public PatientViews.SearchResult search(Demographics query, int limit) throws SQLException {
        MatchProfile q = MatchProfile.of(query, LocalDate.now());
        if (q.last == null && q.first == null && q.birthDate == null && q.phone == null && q.iin == null) {
            throw MpiProblem.badRequest("SEARCH_TOO_BROAD", "lastName",
                    "give at least one of lastName, firstName, birthDate, phone or iin");
        }
        Set<UUID> ids = new LinkedHashSet<>();
        try (Connection c = connection()) {
            List<String> parts = new ArrayList<>();
            List<Object> params = new ArrayList<>();
            if (q.iin != null) {
                parts.add("(SELECT enterprise_id FROM source_record WHERE iin = ?)");
                params.add(q.iin);
            }
            if (q.phone != null) {
                parts.add("(SELECT enterprise_id FROM source_record WHERE phone = ?)");
                params.add(q.phone);
            }
            if (q.birthDate != null) {
                // every birth key of that date: 'yyyy-mm-dd|' up to 'yyyy-mm-dd}' in the bytewise-sorted index (V11)
                parts.add("(SELECT enterprise_id FROM source_record WHERE birth_key >= ? AND birth_key < ? LIMIT 2000)");
                params.add(q.birthDate + "|");
                params.add(q.birthDate + "}");
            }
            if (q.last != null) {
                if (q.birthDate != null) {
                    // with a birth date the linker's own blocking keys are enough and stay index lookups: the
                    // surname-prefix + birth-year key finds day-month swaps and date typos, the birth date finds
                    // surname changes and misspellings
                    parts.add("(SELECT enterprise_id FROM source_record WHERE name_key = ? OR name_key = ?)");
                    params.add(NameNormalizer.nameKey(q.last, q.birthYear(), q.first));
                    params.add(q.swappedNameKey() == null ? "" : q.swappedNameKey());
                } else {
                    // the most similar distinct surnames first, then their records (trigrams live on surname, V9)
                    parts.add("(SELECT s.enterprise_id FROM (SELECT last_norm FROM surname WHERE last_norm % ?"
                            + " ORDER BY similarity(last_norm, ?) DESC LIMIT 20) n"
                            + " JOIN source_record s ON s.last_norm = n.last_norm LIMIT 200)");
                    params.add(q.last);
                    params.add(q.last);
                }
            }
            if (q.first != null && q.last == null) {
                parts.add("(SELECT enterprise_id FROM source_record WHERE last_norm = ? LIMIT 200)");
                params.add(q.first);
            }
            try (PreparedStatement ps = c.prepareStatement(String.join(" UNION ", parts))) {
                for (int i = 0; i < params.size(); i++) {
                    ps.setObject(i + 1, params.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getObject(1, UUID.class));
                    }
                }
            }
            List<PatientViews.Candidate> scored = new ArrayList<>();
            for (EnterpriseState e : IndexStore.loadEnterprises(c, ids, false).values()) {
                if (!"ACTIVE".equals(e.status)) {
                    continue;
                }
                double best = Double.NEGATIVE_INFINITY;
                for (SourceState s : e.sources) {
                    best = Math.max(best, matcher.scorer().score(q, s.profile));
                }
                scored.add(new PatientViews.Candidate(e.id, Math.round(best * 100) / 100.0, PatientViews.Golden.of(e.golden),
                        e.sources.size()));
            }
            scored.sort(Comparator.comparingDouble(PatientViews.Candidate::score).reversed()
                    .thenComparing(PatientViews.Candidate::enterpriseId));
            return new PatientViews.SearchResult(scored.subList(0, Math.min(limit, scored.size())));
        }
    }

    /** The patient's records across providers, newest first; cursor = "epochMillis,eventId" of the last row seen. */
    public PatientViews.RecordsPage records(UUID enterpriseId, String cursor, int limit) throws SQLException {
        PatientViews.Patient p = patient(enterpriseId);
        Instant beforeAt = Instant.parse("9999-12-31T00:00:00Z");
        String beforeId = "\uffff";
        if (cursor != null && !cursor.isBlank()) {
            String[] parts = cursor.split(",", 2);
            try {
                beforeAt = Instant.ofEpochMilli(Long.parseLong(parts[0]));
                beforeId = parts[1];
            } catch (RuntimeException e) {
                throw MpiProblem.badRequest("BAD_CURSOR", "cursor", "cursor \"" + cursor + "\" was not issued by this API");
            }
        }
        try (Connection c = connection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT r.event_id, r.provider_id, r.local_id, r.record_id, r.record_type, r.occurred_at, r.facility, r.codes
                     FROM located_record r
                     WHERE ((r.provider_id, r.local_id) IN (SELECT provider_id, local_id FROM source_record WHERE enterprise_id = ?)
                            OR (? IS NOT NULL AND r.iin = ?))
                       AND (r.occurred_at, r.event_id) < (?, ?)
                     ORDER BY r.occurred_at DESC, r.event_id DESC LIMIT ?
                     """)) {
            ps.setObject(1, enterpriseId);
            ps.setString(2, p.golden().iin());
            ps.setString(3, p.golden().iin());
            ps.setTimestamp(4, Timestamp.from(beforeAt));
            ps.setString(5, beforeId);
            ps.setInt(6, limit + 1);
            List<PatientViews.LocatedRecord> rows = new ArrayList<>();
            String next = null;
            String lastEventId = null;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (rows.size() == limit) {
                        PatientViews.LocatedRecord last = rows.get(rows.size() - 1);
                        next = last.occurredAt().toEpochMilli() + "," + lastEventId;
                        break;
                    }
                    lastEventId = rs.getString(1);
                    rows.add(new PatientViews.LocatedRecord(rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                            rs.getTimestamp(6).toInstant(), rs.getString(7), Arrays.asList((String[]) rs.getArray(8).getArray())));
                }
            }
            return new PatientViews.RecordsPage(enterpriseId, rows, next);
        }
    }

    public List<PatientViews.HistoryEntry> history(UUID enterpriseId) throws SQLException {
        try (Connection c = connection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT id, event_type, enterprise_id, previous_enterprise_id, provider_id, local_id, score, reason, actor, at
                     FROM link_history WHERE enterprise_id = ? OR previous_enterprise_id = ? ORDER BY id
                     """)) {
            ps.setObject(1, enterpriseId);
            ps.setObject(2, enterpriseId);
            List<PatientViews.HistoryEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double score = rs.getDouble(7);
                    out.add(new PatientViews.HistoryEntry(rs.getLong(1), rs.getString(2), rs.getObject(3, UUID.class),
                            rs.getObject(4, UUID.class), rs.getString(5), rs.getString(6), rs.wasNull() ? null : score,
                            rs.getString(8), rs.getString(9), rs.getTimestamp(10).toInstant()));
                }
            }
            if (out.isEmpty()) {
                patient(enterpriseId);
            }
            return out;
        }
    }

    /** The review queue in the order the reviews were opened. */
    public List<PatientViews.Review> reviews(String status, int limit) {
        return Review.<Review>find("status", Sort.by("createdAt").and("reviewId"), status).page(Page.ofSize(limit)).list()
                .stream().map(r -> new PatientViews.Review(r.reviewId, r.kind, r.status, r.providerId, r.localId,
                        r.sourceEnterpriseId, r.candidateEnterpriseId, r.score, r.reason, r.decidedBy, r.decidedAt,
                        r.decisionReason, r.createdAt))
                .toList();
    }
}
