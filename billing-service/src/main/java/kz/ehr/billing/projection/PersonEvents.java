package kz.ehr.billing.projection;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.events.projection.PersonEventTable;

/**
 * The billing projection of a person's health-record events: attachments, insurance, visits, deaths.
 * Stored through the shared PersonEventTable's array upsert on the consumer's transaction (BillingStreamBench).
 */
public final class PersonEvents {
    /**
     * Billing keeps no local id of the patient (it reads person keys only), and no raw event: nothing in billing reads
     * it back (the staff read shows ids, type and time), and writing it was ~8 % of the server's CPU per delivery
     * (BillingStreamBench, docs/benchmarks/billing-service.md). V11 dropped the column.
     */
    public static final PersonEventTable TABLE = new PersonEventTable(false, false);

    private PersonEvents() {
    }

    /** Stores a batch on the caller's connection and transaction; an event id seen before is ignored. */
    public static void store(Connection c, List<Delivery<HealthRecordEvent>> batch) throws SQLException {
        TABLE.store(c, batch);
    }
}
