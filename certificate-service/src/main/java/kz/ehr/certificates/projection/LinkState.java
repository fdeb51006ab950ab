package kz.ehr.certificates.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import kz.ehr.events.MpiLinkEvent;
import kz.ehr.events.SourceRef;
import kz.ehr.events.db.AdvisoryLocks;

/**
 * The {@code mpi_link} rows a batch of link events can read or change, in memory: every row of the enterprises the
 * events name (and their previous ones) and the rows of the sources they link. A row that moves into one of those
 * enterprises during the batch is one of the linked sources, so what an event sees here is what it would see in the
 * table had the events before it been written one by one. Plain JDBC: {@link MpiLinks}' batch path, measured by
 * CertificateStreamBench.
 * <p>
 * Two consumers (different partitions of mpi.links.v1) may load the same rows: a merge names an enterprise whose
 * events live on another partition. So before it reads, a batch takes a transaction-scoped advisory lock per enterprise
 * and per source it names ({@link AdvisoryLocks#lock}), and the rows it reads stay its own until it commits. Advisory
 * locks, not {@code FOR UPDATE}: what must be locked is a set that can grow (a row moving into an enterprise, a source
 * not yet linked), and row locks hold only rows that exist and are seen.
 */
final class LinkState {
    /** A link row; {@code changed} when it must be written, {@code relinked} when an event's upsert (not the golden follow-up) changed it. */
    static final class Row {
        final String provider;
        final String localId;
        String enterprise;
        String golden;
        String sourceIin;
        String eventId;
        /** The golden IIN as read from the table (null for a source not linked before). */
        final String goldenBefore;
        boolean changed;
        boolean relinked;

        Row(String provider, String localId, String enterprise, String golden, String sourceIin, String eventId,
            String goldenBefore) {
            this.provider = provider;
            this.localId = localId;
            this.enterprise = enterprise;
            this.golden = golden;
            this.goldenBefore = goldenBefore;
            this.sourceIin = sourceIin;
            this.eventId = eventId;
        }
    }

    private final Map<String, Row> rows = new HashMap<>();
    private final Map<String, Set<Row>> byEnterprise = new HashMap<>();

    private LinkState() {
    }

    static LinkState load(Connection c, List<MpiLinkEvent> events) throws SQLException {
        Set<String> enterprises = new LinkedHashSet<>();
        Map<String, String[]> sources = new HashMap<>();
        for (MpiLinkEvent e : events) {
            enterprises.add(e.getEnterpriseId());
            if (e.getPreviousEnterpriseId() != null) {
                enterprises.add(e.getPreviousEnterpriseId());
            }
            for (SourceRef s : e.getLinkedSources()) {
                sources.putIfAbsent(key(s.getProviderId(), s.getLocalId()), new String[] {s.getProviderId(), s.getLocalId()});
            }
        }
        Set<String> locked = new LinkedHashSet<>();
        for (String enterprise : enterprises) {
            locked.add(enterpriseLock(enterprise));
        }
        for (String[] source : sources.values()) {
            locked.add(sourceLock(source[0], source[1]));
        }
        AdvisoryLocks.lock(c, locked);
        LinkState state = read(c, enterprises, sources);
        // a source may still lie in an enterprise no event names (a move that did not name where it came from): a batch
        // following that enterprise's golden IIN would read and rewrite the row, so it is locked too and the rows read
        // again under it (rare; out of the global order, so a deadlock is possible, and the consumer retries 40P01)
        Set<String> more = new LinkedHashSet<>();
        for (String source : sources.keySet()) {
            Row row = state.rows.get(source);
            if (row != null && !enterprises.contains(row.enterprise)) {
                more.add(enterpriseLock(row.enterprise));
            }
        }
        if (!more.isEmpty()) {
            AdvisoryLocks.lock(c, more);
            state = read(c, enterprises, sources);
        }
        return state;
    }

    /**
     * The advisory lock on a source record's link: a links batch takes it before it reads or writes the link, and a
     * records batch before it reads the link of an event that may revoke ({@link RecordsProjector}).
     */
    static String sourceLock(String provider, String localId) {
        return "mpi_link source " + key(provider, localId);
    }

    private static String enterpriseLock(String enterprise) {
        return "mpi_link enterprise " + enterprise;
    }

    private static LinkState read(Connection c, Set<String> enterprises, Map<String, String[]> sources) throws SQLException {
        String[] providers = new String[sources.size()];
        String[] localIds = new String[sources.size()];
        int i = 0;
        for (String[] s : sources.values()) {
            providers[i] = s[0];
            localIds[i++] = s[1];
        }
        LinkState state = new LinkState();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT provider_id, local_id, enterprise_id, golden_iin, source_iin, event_id FROM mpi_link
                WHERE enterprise_id = ANY (?::text[])
                UNION
                SELECT l.provider_id, l.local_id, l.enterprise_id, l.golden_iin, l.source_iin, l.event_id
                FROM unnest(?::text[], ?::text[]) s (provider_id, local_id)
                JOIN mpi_link l ON l.provider_id = s.provider_id AND l.local_id = s.local_id""")) {
            ps.setArray(1, c.createArrayOf("text", enterprises.toArray()));
            ps.setArray(2, c.createArrayOf("text", providers));
            ps.setArray(3, c.createArrayOf("text", localIds));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Row row = new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                            rs.getString(4));
                    state.rows.put(key(row.provider, row.localId), row);
                    state.byEnterprise.computeIfAbsent(row.enterprise, x -> new LinkedHashSet<>()).add(row);
                }
            }
        }
        return state;
    }

    Row row(String provider, String localId) {
        return rows.get(key(provider, localId));
    }

    /** The golden IINs (not null) of the rows of these enterprises. */
    Set<String> goldenIins(List<String> enterprises) {
        Set<String> out = new LinkedHashSet<>();
        for (String enterprise : enterprises) {
            for (Row r : byEnterprise.getOrDefault(enterprise, Set.of())) {
                if (r.golden != null) {
                    out.add(r.golden);
                }
            }
        }
        return out;
    }

    /** The rows whose golden IIN the batch set to another (not null) one: the person their records now belong to changed. */
    List<Row> newlyGolden() {
        List<Row> out = new ArrayList<>();
        for (Row r : rows.values()) {
            if (r.golden != null && !r.golden.equals(r.goldenBefore)) {
                out.add(r);
            }
        }
        return out;
    }

    /** The source now belongs to this enterprise, golden and source IIN; a row already so is left as it is. */
    void link(String provider, String localId, String enterprise, String golden, String sourceIin, String eventId) {
        String key = key(provider, localId);
        Row row = rows.get(key);
        if (row == null) {
            row = new Row(provider, localId, enterprise, golden, sourceIin, eventId, null);
            rows.put(key, row);
            byEnterprise.computeIfAbsent(enterprise, x -> new LinkedHashSet<>()).add(row);
        } else if (!Objects.equals(row.enterprise, enterprise) || !Objects.equals(row.golden, golden)
                || !Objects.equals(row.sourceIin, sourceIin)) {
            if (!row.enterprise.equals(enterprise)) {
                byEnterprise.get(row.enterprise).remove(row);
                byEnterprise.computeIfAbsent(enterprise, x -> new LinkedHashSet<>()).add(row);
                row.enterprise = enterprise;
            }
            row.golden = golden;
            row.sourceIin = sourceIin;
            row.eventId = eventId;
        } else {
            return;
        }
        row.changed = true;
        row.relinked = true;
    }

    /** Every row of the enterprise takes this golden IIN (the event that last linked it stays). */
    void follow(String enterprise, String golden) {
        for (Row r : byEnterprise.getOrDefault(enterprise, Set.of())) {
            if (!Objects.equals(r.golden, golden)) {
                r.golden = golden;
                r.changed = true;
            }
        }
    }

    /**
     * Writes the changed rows, in key order (two writers lock rows in the same order): those an event relinked in one
     * upsert, stamped {@code updated_at}; those only the golden follow-up changed in one update of the golden IIN, which
     * keeps their {@code updated_at} and event, as the per-event writes did.
     */
    void write(Connection c) throws SQLException {
        List<Row> relinked = new ArrayList<>();
        List<Row> followed = new ArrayList<>();
        for (Row r : new TreeMap<>(rows).values()) {
            if (r.relinked) {
                relinked.add(r);
            } else if (r.changed) {
                followed.add(r);
            }
        }
        if (!relinked.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO mpi_link (provider_id, local_id, enterprise_id, golden_iin, source_iin, event_id)
                    SELECT * FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                    ON CONFLICT (provider_id, local_id) DO UPDATE SET enterprise_id = excluded.enterprise_id,
                      golden_iin = excluded.golden_iin, source_iin = excluded.source_iin, event_id = excluded.event_id,
                      updated_at = now()""")) {
                set(c, ps, relinked, true);
                ps.executeUpdate();
            }
        }
        if (!followed.isEmpty()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    UPDATE mpi_link l SET golden_iin = x.golden_iin
                    FROM unnest(?::text[], ?::text[], ?::text[]) x (provider_id, local_id, golden_iin)
                    WHERE l.provider_id = x.provider_id AND l.local_id = x.local_id""")) {
                set(c, ps, followed, false);
                ps.executeUpdate();
            }
        }
    }

    private static void set(Connection c, PreparedStatement ps, List<Row> rows, boolean whole) throws SQLException {
        int n = rows.size();
        String[][] cols = new String[whole ? 6 : 3][n];
        for (int i = 0; i < n; i++) {
            Row r = rows.get(i);
            cols[0][i] = r.provider;
            cols[1][i] = r.localId;
            if (whole) {
                cols[2][i] = r.enterprise;
                cols[3][i] = r.golden;
                cols[4][i] = r.sourceIin;
                cols[5][i] = r.eventId;
            } else {
                cols[2][i] = r.golden;
            }
        }
        for (int col = 0; col < cols.length; col++) {
            ps.setArray(col + 1, c.createArrayOf("text", cols[col]));
        }
    }

    private static String key(String provider, String localId) {
        return provider + "\u001f" + localId;
    }
}
