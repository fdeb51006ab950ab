package kz.ehr.ingestion.stats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import kz.ehr.ingestion.config.IngestionConfig;
import kz.ehr.ingestion.validation.RecordError;

/**
 * Per-provider counters and the recent-rejection list in PostgreSQL, written once per batch.
 * Plain JDBC: one increment upsert per table and batch in the intake's transaction (IngestionBenchmark, docs/benchmarks/ingestion-service.md); reads are aggregates.
 */
@ApplicationScoped
public class ProviderStatistics {
    private static final TypeReference<List<RecordError>> ERRORS = new TypeReference<>() {
    };

    @Inject
    AgroalDataSource dataSource;
    @Inject
    ObjectMapper json;
    @Inject
    IngestionConfig config;

    public record ProviderStats(String providerId, long accepted, long updates, long duplicates, long rejected, long warned,
                                long batches, Map<String, Long> rejectedByCode, Instant firstSeenAt, Instant lastSeenAt,
                                RecordsPerMinute recordsPerMinute) {
    }

    /** Records received per minute: in the current minute, and averaged over the last 5 and 60 minutes (current included). */
    public record RecordsPerMinute(long currentMinute, double last5Minutes, double last60Minutes) {
    }

    public record Rejection(long id, Instant rejectedAt, String channel, String batchId, Integer index, String recordId,
                            List<RecordError> errors, String payload) {
    }

    /** Adds a batch's deltas in the caller's transaction. */
    public void add(Connection c, BatchTally t) throws SQLException {
        if (t.records() == 0) {
            return;
        }
        Timestamp at = Timestamp.from(t.at);
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO provider_stats AS s (provider_id, accepted, updates, duplicates, rejected, warned, batches,
                                                 first_seen_at, last_seen_at)
                VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)
                ON CONFLICT (provider_id) DO UPDATE SET
                    accepted = s.accepted + excluded.accepted, updates = s.updates + excluded.updates,
                    duplicates = s.duplicates + excluded.duplicates, rejected = s.rejected + excluded.rejected,
                    warned = s.warned + excluded.warned, batches = s.batches + 1,
                    last_seen_at = greatest(s.last_seen_at, excluded.last_seen_at)
                """)) {
            ps.setString(1, t.providerId);
            ps.setLong(2, t.accepted);
            ps.setLong(3, t.updates);
            ps.setLong(4, t.duplicates);
            ps.setLong(5, t.rejected);
            ps.setLong(6, t.warned);
            ps.setTimestamp(7, at);
            ps.setTimestamp(8, at);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO provider_minute AS m (provider_id, minute, records) VALUES (?, ?, ?)
                ON CONFLICT (provider_id, minute) DO UPDATE SET records = m.records + excluded.records
                """)) {
            ps.setString(1, t.providerId);
            ps.setTimestamp(2, Timestamp.from(t.at.truncatedTo(ChronoUnit.MINUTES)));
            ps.setLong(3, t.records());
            ps.executeUpdate();
        }
        if (t.rejections.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO provider_rejection_code AS r (provider_id, code, records)
                SELECT ?, code, n FROM unnest(?::text[], ?::int8[]) AS x(code, n)
                ON CONFLICT (provider_id, code) DO UPDATE SET records = r.records + excluded.records
                """)) {
            ps.setString(1, t.providerId);
            ps.setArray(2, c.createArrayOf("text", t.rejectionsByCode.keySet().toArray()));
            ps.setArray(3, c.createArrayOf("int8", t.rejectionsByCode.values().stream().map(Integer::longValue).toArray()));
            ps.executeUpdate();
        }
        int n = t.rejections.size();
        Integer[] idx = new Integer[n];
        String[] recordIds = new String[n];
        String[] errors = new String[n];
        String[] payloads = new String[n];
        int max = config.rejectionPayloadMaxChars();
        for (int i = 0; i < n; i++) {
            BatchTally.RejectionRow r = t.rejections.get(i);
            idx[i] = r.index();
            recordIds[i] = r.recordId();
            try {
                errors[i] = json.writeValueAsString(r.errors());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            // PostgreSQL text cannot hold NUL; the rejected topic keeps the payload unchanged
            String p = r.payload().replace('\u0000', '\uFFFD');
            payloads[i] = p.length() > max ? p.substring(0, max) : p;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO rejection (provider_id, rejected_at, channel, batch_id, idx, record_id, errors, payload)
                SELECT ?, ?, ?, ?, i, r, e::jsonb, p FROM unnest(?::int4[], ?::text[], ?::text[], ?::text[]) AS x(i, r, e, p)
                """)) {
            ps.setString(1, t.providerId);
            ps.setTimestamp(2, at);
            ps.setString(3, t.channel);
            ps.setString(4, t.batchId);
            ps.setArray(5, c.createArrayOf("int4", idx));
            ps.setArray(6, c.createArrayOf("text", recordIds));
            ps.setArray(7, c.createArrayOf("text", errors));
            ps.setArray(8, c.createArrayOf("text", payloads));
            ps.executeUpdate();
        }
    }

    public Optional<ProviderStats> of(String providerId, Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            List<ProviderStats> list = read(c, providerId, now);
            return list.isEmpty() ? Optional.empty() : Optional.of(list.get(0));
        }
    }

    public List<ProviderStats> all(Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return read(c, null, now);
        }
    }

    private List<ProviderStats> read(Connection c, String providerId, Instant now) throws SQLException {
        String where = providerId == null ? "" : " WHERE provider_id = ?";
        Map<String, Map<String, Long>> codes = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT provider_id, code, records FROM provider_rejection_code" + where
                + " ORDER BY provider_id, code")) {
            if (providerId != null) {
                ps.setString(1, providerId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    codes.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getLong(3));
                }
            }
        }
        Instant thisMinute = now.truncatedTo(ChronoUnit.MINUTES);
        Map<String, long[]> minutes = new TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT provider_id,
                       coalesce(sum(records) FILTER (WHERE minute = ?), 0),
                       coalesce(sum(records) FILTER (WHERE minute >= ?), 0),
                       coalesce(sum(records), 0)
                  FROM provider_minute WHERE minute >= ?""" + (providerId == null ? "" : " AND provider_id = ?")
                + " GROUP BY provider_id")) {
            ps.setTimestamp(1, Timestamp.from(thisMinute));
            ps.setTimestamp(2, Timestamp.from(thisMinute.minus(Duration.ofMinutes(4))));
            ps.setTimestamp(3, Timestamp.from(thisMinute.minus(Duration.ofMinutes(59))));
            if (providerId != null) {
                ps.setString(4, providerId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    minutes.put(rs.getString(1), new long[] {rs.getLong(2), rs.getLong(3), rs.getLong(4)});
                }
            }
        }
        List<ProviderStats> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT provider_id, accepted, updates, duplicates, rejected, warned, batches, first_seen_at, last_seen_at
                  FROM provider_stats""" + where + " ORDER BY provider_id")) {
            if (providerId != null) {
                ps.setString(1, providerId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String id = rs.getString(1);
                    long[] m = minutes.getOrDefault(id, new long[3]);
                    out.add(new ProviderStats(id, rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6),
                            rs.getLong(7), codes.getOrDefault(id, Map.of()), rs.getTimestamp(8).toInstant(),
                            rs.getTimestamp(9).toInstant(), new RecordsPerMinute(m[0], m[1] / 5.0, m[2] / 60.0)));
                }
            }
        }
        return out;
    }

    /** Newest first; {@code before} is the cursor (the last id of the previous page). */
    public List<Rejection> rejections(String providerId, Long before, int limit) throws SQLException {
        List<Rejection> out = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT id, rejected_at, channel, batch_id, idx, record_id, errors::text, payload FROM rejection
                      WHERE provider_id = ? AND id < ? ORDER BY id DESC LIMIT ?""")) {
            ps.setString(1, providerId);
            ps.setLong(2, before == null ? Long.MAX_VALUE : before);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int idx = rs.getInt(5);
                    Integer index = rs.wasNull() ? null : idx;
                    out.add(new Rejection(rs.getLong(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                            index, rs.getString(6), json.readValue(rs.getString(7), ERRORS), rs.getString(8)));
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("rejection errors are written by this service as JSON", e);
            }
        }
        return out;
    }

    /** Drops rejections and per-minute counters past their retention. */
    public int prune(Instant now) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement rej = c.prepareStatement("DELETE FROM rejection WHERE rejected_at < ?");
             PreparedStatement min = c.prepareStatement("DELETE FROM provider_minute WHERE minute < ?")) {
            rej.setTimestamp(1, Timestamp.from(now.minus(config.rejectionRetention())));
            min.setTimestamp(1, Timestamp.from(now.minus(Duration.ofDays(1))));
            return rej.executeUpdate() + min.executeUpdate();
        }
    }
}
