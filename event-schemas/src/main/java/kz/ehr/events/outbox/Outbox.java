package kz.ehr.events.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.TreeSet;

/**
 * The one outbox writer: adds events on the caller's connection, i.e. in the transaction whose state change they
 * announce, so they are published if and only if it commits.
 * <p>
 * <b>Commit order per key.</b> Before its rows are inserted the writer locks its keys' rows in {@code outbox_key}
 * (created on first use, locked in sorted order so two writers never deadlock on them) until the transaction ends;
 * only then does each row take its {@code commit_seq} from a sequence. A second transaction writing the same key waits
 * until the first has committed or rolled back, so for one key {@code commit_seq} order is commit order, and every
 * row of a key that is visible to the relay has all of that key's earlier-committed rows visible before it. Row
 * locks (not advisory locks) because a batch may name thousands of keys and row locks do not fill the shared lock
 * table.
 * Plain JDBC: this jar has no ORM, and the rows go into the callers' JDBC transactions on the hot paths (linking, projections).
 */
public final class Outbox {
    private Outbox() {
    }

    /** Adds events; an event id already in the outbox is ignored (idempotent derivation). */
    public static void add(Connection c, List<OutboxRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        TreeSet<String> keys = new TreeSet<>();
        rows.forEach(r -> keys.add(r.key()));
        try (PreparedStatement lock = c.prepareStatement("""
                INSERT INTO outbox_key AS k (event_key) SELECT key FROM unnest(?::text[]) AS key ORDER BY key
                ON CONFLICT (event_key) DO UPDATE SET event_key = k.event_key""")) {
            lock.setArray(1, c.createArrayOf("text", keys.toArray()));
            lock.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO outbox (event_id, topic, event_key, payload) VALUES (?, ?, ?, ?)
                ON CONFLICT (event_id) DO NOTHING""")) {
            for (OutboxRow r : rows) {
                ps.setString(1, r.eventId());
                ps.setString(2, r.topic());
                ps.setString(3, r.key());
                ps.setBytes(4, r.payload());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }
}
