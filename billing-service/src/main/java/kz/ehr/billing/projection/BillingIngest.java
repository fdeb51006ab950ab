package kz.ehr.billing.projection;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.apache.avro.specific.SpecificRecordBase;

import io.agroal.api.AgroalDataSource;
import kz.ehr.billing.fraud.service.FraudMonitor;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.MpiLinkEvent;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;

/** One consumed batch in one transaction: raw event log, typed projection, identity repairs, fraud re-screening, outbox. */
@ApplicationScoped
public class BillingIngest {
    @Inject
    AgroalDataSource dataSource;
    @Inject
    PersonEvents personEvents;
    @Inject
    BillingProjection projection;
    @Inject
    FraudMonitor fraudMonitor;

    @Transactional
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void handle(List<Delivery<SpecificRecordBase>> batch) throws Exception {
        List<Delivery<HealthRecordEvent>> records = new ArrayList<>();
        List<Delivery<MpiLinkEvent>> links = new ArrayList<>();
        for (Delivery d : batch) {
            if (d.value() instanceof HealthRecordEvent) {
                records.add(d);
            } else if (d.value() instanceof MpiLinkEvent) {
                links.add(d);
            }
        }
        if (!records.isEmpty()) {
            personEvents.store(records);
        }
        try (Connection c = dataSource.getConnection()) {
            Affected affected = projection.applyHealthRecords(c, records);
            // identity repairs after the records of the same batch, so a link can move a record that just arrived
            affected.add(projection.applyMpiLinks(c, links));
            fraudMonitor.rescreen(c, affected);
        }
    }
}
