package kz.ehr.ingestion.idempotency;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

/** The idempotency state in PostgreSQL: one batched read and one batched upsert per batch. */
@ApplicationScoped
public class SourceRecordStore {

    /** A record version that Kafka acknowledged and that is now the latest of its record id. */
    public record Published(String recordId, byte[] contentHash, int version, String eventId, String recordType) {
    }

    public Map<String, RecordVersions.Known> lookup(Connection c, String providerId, Collection<String> recordIds) throws SQLException {
        Map<String, RecordVersions.Known> known = new HashMap<>();
        if (recordIds.isEmpty()) {
            return known;
        }
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT record_id, content_hash, version FROM source_record WHERE provider_id = ? AND record_id = ANY (?)")) {
            ps.setString(1, providerId);
            Array ids = c.createArrayOf("text", recordIds.toArray());
            ps.setArray(2, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    known.put(rs.getString(1), new RecordVersions.Known(HexFormat.of().parseHex(rs.getString(2)), rs.getInt(3)));
                }
            }
        }
        return known;
    }

    /** Upserts the latest version per record id; an older version never overwrites a newer one. */
    public void record(Connection c, String providerId, List<Published> published, Instant now) throws SQLException {
        if (published.isEmpty()) {
            return;
        }
        // a record id repeated within a batch must appear once in one INSERT … ON CONFLICT statement
        Map<String, Published> latest = new LinkedHashMap<>();
        for (Published p : published) {
            latest.merge(p.recordId(), p, (a, b) -> b.version() >= a.version() ? b : a);
        }
        int n = latest.size();
        String[] ids = new String[n];
        String[] hashes = new String[n];
        Integer[] versions = new Integer[n];
        String[] eventIds = new String[n];
        String[] types = new String[n];
        int i = 0;
        for (Published p : latest.values()) {
            ids[i] = p.recordId();
            hashes[i] = HexFormat.of().formatHex(p.contentHash());
            versions[i] = p.version();
            eventIds[i] = p.eventId();
            types[i] = p.recordType();
            i++;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO source_record AS s (provider_id, record_id, content_hash, version, event_id, record_type,
                                                first_seen_at, last_changed_at)
                SELECT ?, r, h, v, e::uuid, t, ?, ? FROM unnest(?::text[], ?::text[], ?::int[], ?::text[], ?::text[]) AS x(r, h, v, e, t)
                ON CONFLICT (provider_id, record_id) DO UPDATE
                   SET content_hash = excluded.content_hash, version = excluded.version, event_id = excluded.event_id,
                       record_type = excluded.record_type, last_changed_at = excluded.last_changed_at
                 WHERE s.version < excluded.version
                """)) {
            Timestamp ts = Timestamp.from(now);
            ps.setString(1, providerId);
            ps.setTimestamp(2, ts);
            ps.setTimestamp(3, ts);
            ps.setArray(4, c.createArrayOf("text", ids));
            ps.setArray(5, c.createArrayOf("text", hashes));
            ps.setArray(6, c.createArrayOf("int4", versions));
            ps.setArray(7, c.createArrayOf("text", eventIds));
            ps.setArray(8, c.createArrayOf("text", types));
            ps.executeUpdate();
        }
    }
}
