package kz.ehr.events.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;

/**
 * A service's {@code person_event} table: the latest version of every health-record a service consumed, keyed by
 * person, with the raw event where the service reads it back. Certificates and billing both keep one (their Flyway migrations create it); how it is written and paged lives
 * here, once.
 * <ul>
 * <li>{@link #store}: one statement over column arrays (cheaper for the server than a JDBC batch of thousands of
 * rows). One row per source record (provider + recordId), and the newer version wins: an event is stored only if its
 * {@code recordVersion} is higher than the one the row holds, so whatever order versions arrive in (a redelivery, two
 * ingestion instances publishing at once, a record whose corrected IIN moved it to another partition) every service ends
 * on the record's highest version. A redelivered event is the same version again and changes nothing.</li>
 * <li>{@link #page}: a person's events oldest first, a page at a time with a cursor and the total. A person may have
 * 50,000 records (issue #14): no answer is as long as the history.</li>
 * </ul>
 * Plain JDBC (this jar has no ORM): the store is a projection's hot path, measured by BillingStreamBench (docs/benchmarks/billing-service.md).
 */
public final class PersonEventTable {
    /** What a staff read shows of one stored event. */
    public record StoredEvent(String eventId, String recordType, String providerId, String sourceRecordId, String occurredAt) {
    }

    /**
     * One page of a person's events, oldest first: {@code total} every event the service holds of the person,
     * {@code nextCursor} where the next page starts (null after the last). Staff reads answer it as it is.
     */
    public record Page(String personKey, long total, List<StoredEvent> events, String nextCursor) {
    }

    /** A page parameter the caller got wrong: its stable code and the parameter at fault. */
    public static final class InvalidPageException extends IllegalArgumentException {
        private final String code;
        private final String field;

        InvalidPageException(String code, String field, String message) {
            super(message);
            this.code = code;
            this.field = field;
        }

        public String code() {
            return code;
        }

        public String field() {
            return field;
        }
    }

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 10_000;

    private final boolean withLocalId;
    private final boolean withPayload;

    /**
     * {@code withLocalId}: the service's table also keeps the provider's local id of the patient (certificates do).
     * {@code withPayload}: it keeps the raw event too, for a service that reads it back (certificates' eligibility does;
     * billing reads only the columns {@link #page} shows, and its table has no payload column).
     */
    public PersonEventTable(boolean withLocalId, boolean withPayload) {
        this.withLocalId = withLocalId;
        this.withPayload = withPayload;
    }

    /**
     * Stores a batch on the caller's connection and transaction, newer version wins per source record. Within the batch
     * the highest version of each record is kept (the first on a tie: the same version is the same event). A new version
     * of a stored record or a redelivery is the exception, so the batch is first written with a plain INSERT in a
     * savepoint: {@code ON CONFLICT} costs the server an extra probe of the key and a confirmation record per row, ~20 %
     * of the statement. If a record was stored before, that INSERT fails on the key and is rolled back, and the batch is
     * written again as an upsert that replaces a row only with a higher version.
     */
    public void store(Connection c, List<Delivery<HealthRecordEvent>> batch) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        Map<String, Delivery<HealthRecordEvent>> newest = new LinkedHashMap<>();
        for (Delivery<HealthRecordEvent> d : batch) {
            newest.merge(recordKey(d.value()), d,
                    (held, next) -> next.value().getRecordVersion() > held.value().getRecordVersion() ? next : held);
        }
        List<Delivery<HealthRecordEvent>> first = new ArrayList<>(newest.values());
        if (!insertUnlessStoredBefore(c, first)) {
            insert(c, first, """
                     ON CONFLICT (provider_id, source_record_id) DO UPDATE SET event_id = excluded.event_id,
                       person_key = excluded.person_key, record_type = excluded.record_type, occurred_at = excluded.occurred_at,
                       record_version = excluded.record_version, stored_at = now()"""
                    + (withPayload ? ", payload = excluded.payload" : "")
                    + (withLocalId ? ", local_id = excluded.local_id" : "")
                    + " WHERE person_event.record_version < excluded.record_version");
        }
    }

    private static String recordKey(HealthRecordEvent e) {
        return e.getEnvelope().getProviderId() + "\u001f" + e.getEnvelope().getSourceRecordId();
    }

    private boolean insertUnlessStoredBefore(Connection c, List<Delivery<HealthRecordEvent>> batch) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute("SAVEPOINT person_event_insert");
            try {
                insert(c, batch, "");
            } catch (SQLException e) {
                if (!"23505".equals(e.getSQLState())) {
                    throw e;
                }
                st.execute("ROLLBACK TO SAVEPOINT person_event_insert");
                st.execute("RELEASE SAVEPOINT person_event_insert");
                return false;
            }
            st.execute("RELEASE SAVEPOINT person_event_insert");
            return true;
        }
    }

    private void insert(Connection c, List<Delivery<HealthRecordEvent>> batch, String onConflict) throws SQLException {
        int n = batch.size();
        String[] id = new String[n], person = new String[n], type = new String[n], provider = new String[n], source = new String[n],
                occurred = new String[n], local = new String[n];
        Integer[] version = new Integer[n];
        byte[][] payload = withPayload ? new byte[n][] : null;
        for (int i = 0; i < n; i++) {
            Delivery<HealthRecordEvent> d = batch.get(i);
            HealthRecordEvent e = d.value();
            id[i] = e.getEnvelope().getEventId();
            person[i] = d.key();
            type[i] = e.getRecordType();
            provider[i] = e.getEnvelope().getProviderId();
            source[i] = e.getEnvelope().getSourceRecordId();
            occurred[i] = e.getEnvelope().getOccurredAt().toString();
            local[i] = e.getPatient().getLocalId();
            version[i] = e.getRecordVersion();
            if (withPayload) {
                payload[i] = d.raw();
            }
        }
        String columns = "event_id, person_key, record_type, provider_id, source_record_id, occurred_at, record_version"
                + (withLocalId ? ", local_id" : "") + (withPayload ? ", payload" : "");
        String arrays = "?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::timestamptz[], ?::int[]"
                + (withLocalId ? ", ?::text[]" : "") + (withPayload ? ", ?::bytea[]" : "");
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO person_event (" + columns + ") SELECT * FROM unnest(" + arrays + ")" + onConflict)) {
            Object[][] text = {id, person, type, provider, source, occurred};
            for (int col = 0; col < text.length; col++) {
                ps.setArray(col + 1, c.createArrayOf("text", text[col]));
            }
            int col = text.length + 1;
            ps.setArray(col++, c.createArrayOf("int4", version));
            if (withLocalId) {
                ps.setArray(col++, c.createArrayOf("text", local));
            }
            if (withPayload) {
                ps.setArray(col, c.createArrayOf("bytea", payload));
            }
            ps.executeUpdate();
        }
    }

    /**
     * At most {@code limit} events (null: {@value #DEFAULT_LIMIT}; 1 to {@value #MAX_LIMIT}) of the person after
     * {@code after} (the previous page's {@code nextCursor}; null: from the first), oldest first.
     *
     * @throws InvalidPageException {@code INVALID_LIMIT} or {@code INVALID_PARAMETER} ({@code after} is not a cursor)
     */
    public Page page(Connection c, String personKey, String after, Integer requestedLimit) throws SQLException {
        int limit = requestedLimit == null ? DEFAULT_LIMIT : requestedLimit;
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidPageException("INVALID_LIMIT", "limit", "limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
        }
        Instant afterOccurred = null;
        String afterEvent = null;
        if (after != null) {
            int slash = after.indexOf('/');
            try {
                if (slash <= 0) {
                    throw new DateTimeParseException("no '/'", after, 0);
                }
                afterOccurred = Instant.parse(after.substring(0, slash));
            } catch (DateTimeParseException e) {
                throw new InvalidPageException("INVALID_PARAMETER", "after", "after must be the nextCursor of the previous page");
            }
            afterEvent = after.substring(slash + 1);
        }
        long total;
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM person_event WHERE person_key = ?")) {
            ps.setString(1, personKey);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                total = rs.getLong(1);
            }
        }
        List<StoredEvent> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT event_id, record_type, provider_id, source_record_id, occurred_at FROM person_event
                WHERE person_key = ?""" + (afterOccurred == null ? "" : " AND (occurred_at, event_id) > (?, ?)")
                + " ORDER BY occurred_at, event_id LIMIT ?")) {
            int i = 1;
            ps.setString(i++, personKey);
            if (afterOccurred != null) {
                ps.setTimestamp(i++, Timestamp.from(afterOccurred));
                ps.setString(i++, afterEvent);
            }
            ps.setInt(i, limit + 1);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new StoredEvent(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getTimestamp(5).toInstant().toString()));
                }
            }
        }
        String next = null;
        if (out.size() > limit) {
            out = out.subList(0, limit);
            StoredEvent last = out.get(limit - 1);
            next = last.occurredAt() + "/" + last.eventId();
        }
        return new Page(personKey, total, List.copyOf(out), next);
    }
}
