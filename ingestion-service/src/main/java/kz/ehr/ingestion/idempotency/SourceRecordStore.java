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

/** The idempotency state in PostgreSQL: per batch, one claim, one locking read and one batched upsert, in one transaction. */
@ApplicationScoped
public class SourceRecordStore {

    /** A record version that Kafka acknowledged and that is now the latest of its record id. */
    public record Published(String recordId, byte[] contentHash, int version, String eventId, String recordType) {
    }

    /**
     * Reads what is known about the batch's record ids and locks them until the caller's transaction ends, so that a
     * second batch naming one of them (a concurrent resend, on this or another instance) waits and then decides against
     * the version this one records: two batches can never both take version N+1 of a record.
     * <p>
     * Two statements per batch, never one per record: the first claims record ids seen for the first time with a
     * placeholder row (version 0, replaced by {@link #record} in the same transaction, gone with it on a rollback), so a
     * concurrent first submission of the same id waits on that row; the second locks every row of the batch with
     * {@code FOR UPDATE}. Both take their rows in record-id order, so two batches cannot deadlock on them. Row locks, not
     * advisory locks: a batch names up to 10,000 ids and row locks do not fill the server's shared lock table.
     */
    public Map<String, RecordVersions.Known> lockAndRead(Connection c, String providerId, Collection<String> recordIds) throws SQLException {
        Map<String, RecordVersions.Known> known = new HashMap<>();
        if (recordIds.isEmpty()) {
            return known;
        }
        Array ids = c.createArrayOf("text", recordIds.stream().distinct().sorted().toArray());
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO source_record (provider_id, record_id, content_hash, version, event_id, record_type, first_seen_at, last_changed_at)
                SELECT ?, r, '', 0, '00000000-0000-0000-0000-000000000000', '', now(), now() FROM unnest(?::text[]) AS r ORDER BY r
                ON CONFLICT (provider_id, record_id) DO NOTHING""")) {
            ps.setString(1, providerId);
            ps.setArray(2, ids);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT record_id, content_hash, version FROM source_record WHERE provider_id = ? AND record_id = ANY (?)
                ORDER BY record_id FOR UPDATE""")) {
            ps.setString(1, providerId);
            ps.setArray(2, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int version = rs.getInt(3);
                    if (version > 0) { // 0: this batch's own placeholder, nothing known yet
                        known.put(rs.getString(1), new RecordVersions.Known(HexFormat.of().parseHex(rs.getString(2)), version));
                    }
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
