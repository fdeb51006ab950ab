package kz.ehr.ingestion.idempotency;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The idempotency state in PostgreSQL: per batch, one claiming insert (a second, locking read only when the batch names
 * record ids seen before) and one upsert of what the claim did not already store, in one transaction.
 * Plain JDBC, not Panache: one array statement per batch, the hot path SourceRecordBench and IngestionBenchmark measure (docs/benchmarks/ingestion-service.md, 1b).
 */
@ApplicationScoped
public class SourceRecordStore {

    /** A record version that Kafka acknowledged and that is now the latest of its record id. */
    public record Published(String recordId, byte[] contentHash, int version, String eventId, String recordType) {
    }

    /**
     * The batch's decisions, and the record ids this transaction claimed: seen for the first time, already stored with the
     * version 1 of their first line (so {@link #record} leaves them alone unless the batch changed them again).
     */
    public record Decided(List<RecordVersions.Decision> decisions, Set<String> claimed) {
    }

    /**
     * Decides every candidate (see {@link RecordVersions#decide}) and locks the batch's record ids until the caller's
     * transaction ends, so that a second batch naming one of them (a concurrent resend, on this or another instance) waits
     * and then decides against the version this one records: two batches can never both take version N+1 of a record.
     * <p>
     * First, one statement inserts every record id of the batch as its version 1 (the first line that names it), in
     * record-id order, {@code ON CONFLICT DO NOTHING}: the rows it inserts are the ids seen for the first time, stored
     * already in their final form and locked by the insert itself (a concurrent first submission of the same id waits on
     * that row, then finds it taken; a rollback takes them away with everything else). Only if some ids were known before
     * does a second statement lock those rows ({@code FOR UPDATE}, record-id order) and read their latest hash and
     * version, against which the batch is decided again. Row locks, not advisory locks: a batch names up to 10,000 ids and
     * row locks do not fill the server's shared lock table.
     *
     * @param recordTypes the record type of each candidate, in the same order
     */
    public Decided decide(Connection c, String providerId, List<RecordVersions.Candidate> candidates, List<String> recordTypes,
                          Instant now) throws SQLException {
        // first as if every id were new: the decisions for ids nobody stored before, and the rows to claim them with
        List<RecordVersions.Decision> decisions = RecordVersions.decide(providerId, candidates, Map.of());
        if (candidates.isEmpty()) {
            return new Decided(decisions, Set.of());
        }
        Map<String, Integer> firstLine = new HashMap<>();
        for (int i = 0; i < candidates.size(); i++) {
            firstLine.putIfAbsent(candidates.get(i).recordId(), i);
        }
        // each id as its first line will be stored once published: version 1 (record() then leaves it alone)
        List<Published> firsts = new ArrayList<>(firstLine.size());
        for (int i : firstLine.values()) {
            firsts.add(new Published(candidates.get(i).recordId(), candidates.get(i).contentHash(), 1, decisions.get(i).eventId(),
                    recordTypes.get(i)));
        }
        int n = firsts.size();
        Set<String> claimed = new HashSet<>(n * 2);
        // one statement per batch instead of a placeholder insert plus a lock of every row (IngestionBenchmark, SourceRecordBench)
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO source_record (provider_id, record_id, content_hash, version, event_id, record_type, first_seen_at, last_changed_at)
                SELECT ?, r, h, v, e::uuid, t, ?, ? FROM unnest(?::text[], ?::text[], ?::int[], ?::text[], ?::text[]) AS x(r, h, v, e, t)
                ORDER BY r
                ON CONFLICT (provider_id, record_id) DO NOTHING
                RETURNING record_id""")) {
            bindRows(c, ps, providerId, now, firsts);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.add(rs.getString(1));
                }
            }
        }
        if (claimed.size() == n) {
            return new Decided(decisions, claimed);
        }
        Object[] known = firstLine.keySet().stream().filter(id -> !claimed.contains(id)).sorted().toArray();
        Map<String, RecordVersions.Known> latest = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT record_id, content_hash, version FROM source_record WHERE provider_id = ? AND record_id = ANY (?)
                ORDER BY record_id FOR UPDATE""")) {
            ps.setString(1, providerId);
            ps.setArray(2, c.createArrayOf("text", known));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    latest.put(rs.getString(1), new RecordVersions.Known(HexFormat.of().parseHex(rs.getString(2)), rs.getInt(3)));
                }
            }
        }
        return new Decided(RecordVersions.decide(providerId, candidates, latest), claimed);
    }

    /**
     * Upserts the latest version per record id that {@link #decide} did not store already; an older version never
     * overwrites a newer one.
     */
    public void record(Connection c, String providerId, List<Published> published, Set<String> claimed, Instant now)
            throws SQLException {
        // a record id repeated within a batch must appear once in one INSERT … ON CONFLICT statement
        Map<String, Published> latest = new LinkedHashMap<>();
        for (Published p : published) {
            latest.merge(p.recordId(), p, (a, b) -> b.version() >= a.version() ? b : a);
        }
        // a claimed id at version 1 is stored as it is already (decide inserted exactly that line)
        latest.values().removeIf(p -> p.version() == 1 && claimed.contains(p.recordId()));
        if (latest.isEmpty()) {
            return;
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
            bindRows(c, ps, providerId, now, latest.values());
            ps.executeUpdate();
        }
    }

    /**
     * Binds a statement of the form {@code SELECT provider, …, first_seen, last_changed FROM unnest(ids, hashes, versions,
     * event ids, types)}: the provider, {@code now} twice, then the rows' columns as arrays.
     */
    private static void bindRows(Connection c, PreparedStatement ps, String providerId, Instant now, Collection<Published> rows)
            throws SQLException {
        int n = rows.size();
        String[] ids = new String[n];
        String[] hashes = new String[n];
        Integer[] versions = new Integer[n];
        String[] eventIds = new String[n];
        String[] types = new String[n];
        int i = 0;
        for (Published p : rows) {
            ids[i] = p.recordId();
            hashes[i] = HexFormat.of().formatHex(p.contentHash());
            versions[i] = p.version();
            eventIds[i] = p.eventId();
            types[i] = p.recordType();
            i++;
        }
        Timestamp ts = Timestamp.from(now);
        ps.setString(1, providerId);
        ps.setTimestamp(2, ts);
        ps.setTimestamp(3, ts);
        ps.setArray(4, c.createArrayOf("text", ids));
        ps.setArray(5, c.createArrayOf("text", hashes));
        ps.setArray(6, c.createArrayOf("int4", versions));
        ps.setArray(7, c.createArrayOf("text", eventIds));
        ps.setArray(8, c.createArrayOf("text", types));
    }
}
