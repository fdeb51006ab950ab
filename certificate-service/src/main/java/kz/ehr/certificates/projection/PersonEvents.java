package kz.ehr.certificates.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.events.projection.PersonEventTable;

/**
 * The certificate service's projection of a person's health-record events, the evidence for eligibility.
 * Plain JDBC, not entities: a person's raw event payloads filtered against {@code mpi_link} in one query; stored by the shared {@link kz.ehr.events.projection.PersonEventTable}.
 */
@ApplicationScoped
public class PersonEvents {
    private static final int STREAM_ROWS = 1000;
    /** Certificates keep the provider's local id of the patient too (the MPI links name it). */
    public static final PersonEventTable TABLE = new PersonEventTable(true, true);

    @Inject
    AgroalDataSource dataSource;

    /** Stores a batch (one statement over column arrays); an event id seen before is ignored. */
    @Transactional
    public void store(List<Delivery<HealthRecordEvent>> batch) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            TABLE.store(c, batch);
        }
    }

    /**
     * Hands each raw event that belongs to the person with this IIN to {@code each}, oldest first: those keyed by the
     * IIN whose source record the MPI has not linked to someone else, plus those of source records the MPI linked to
     * this IIN. Streamed through a cursor, a thousand rows at a time: a person with 50,000 records (a broken or
     * dishonest MIS) must not need their whole history in memory at once (issue #14).
     */
    public void forEachPayloadOf(String iin, PayloadConsumer each) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            // the driver streams with a fetch size only inside a transaction; a JTA-enlisted connection already is in one
            boolean wasAutoCommit = c.getAutoCommit();
            if (wasAutoCommit) {
                c.setAutoCommit(false);
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT payload, occurred_at, event_id FROM person_event e
                    WHERE e.person_key = ? AND NOT EXISTS (SELECT 1 FROM mpi_link l WHERE l.provider_id = e.provider_id
                          AND l.local_id = e.local_id AND l.golden_iin IS DISTINCT FROM ?)
                    UNION ALL
                    SELECT e.payload, e.occurred_at, e.event_id FROM mpi_link l
                    JOIN person_event e ON e.provider_id = l.provider_id AND e.local_id = l.local_id
                    WHERE l.golden_iin = ? AND e.person_key <> ?
                    ORDER BY 2, 3""")) {
                ps.setFetchSize(STREAM_ROWS);
                ps.setString(1, iin);
                ps.setString(2, iin);
                ps.setString(3, iin);
                ps.setString(4, iin);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        each.accept(rs.getBytes(1));
                    }
                }
            } finally {
                if (wasAutoCommit) {
                    c.rollback(); // read only: nothing to keep
                    c.setAutoCommit(true);
                }
            }
        }
    }

    /** Receives one stored event's raw bytes. */
    @FunctionalInterface
    public interface PayloadConsumer {
        void accept(byte[] raw) throws SQLException;
    }
}
