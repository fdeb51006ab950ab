package kz.ehr.billing.projection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.events.projection.PersonEventTable;

/** The billing projection of a person's health-record events: attachments, insurance, visits, deaths. */
@ApplicationScoped
public class PersonEvents {
    private static final PersonEventTable TABLE = new PersonEventTable(false);

    @Inject
    AgroalDataSource dataSource;

    /** Stores a batch; an event id seen before is ignored. */
    @Transactional
    public void store(List<Delivery<HealthRecordEvent>> batch) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            store(c, batch);
        }
    }

    /** The same on a given connection (the caller's transaction). */
    public static void store(Connection c, List<Delivery<HealthRecordEvent>> batch) throws SQLException {
        TABLE.store(c, batch);
    }

    /** One page of a person's events, oldest first (see {@link PersonEventTable#page}). */
    public PersonEventTable.Page of(String personKey, String after, Integer limit) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return TABLE.page(c, personKey, after, limit);
        }
    }
}
