package kz.ehr.mpi.linking;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;
import kz.ehr.mpi.matching.Demographics;

/**
 * Applies a batch of ehr.patients.v1 deliveries in one transaction (the consumer commits offsets after it), reading
 * the candidates of its later steps on a second pooled connection while the first steps are written.
 * Plain JDBC connections (the batch's and the read-ahead one): batch linking, measured by ServiceRateBench (docs/benchmarks/patient-index-service.md).
 */
@ApplicationScoped
public class PatientLinker {
    @Inject
    AgroalDataSource dataSource;
    @Inject
    LinkingEngine engine;

    @Transactional
    public LinkingEngine.Result apply(List<Delivery<HealthRecordEvent>> batch) throws SQLException {
        List<LinkingEngine.Incoming> records = incoming(batch);
        if (records.isEmpty()) {
            return new LinkingEngine.Result(0, 0, 0, 0, 0, 0);
        }
        try (Connection c = dataSource.getConnection()) {
            // the read-ahead connection is opened on the reading thread, outside this transaction
            return engine.link(c, records, dataSource::getConnection);
        }
    }

    /** The batch's PATIENT records as the engine links them. */
    public static List<LinkingEngine.Incoming> incoming(List<Delivery<HealthRecordEvent>> batch) {
        List<LinkingEngine.Incoming> records = new ArrayList<>(batch.size());
        for (Delivery<HealthRecordEvent> d : batch) {
            HealthRecordEvent e = d.value();
            if ("PATIENT".equals(e.getRecordType())) {
                records.add(toIncoming(e));
            }
        }
        return records;
    }

    static LinkingEngine.Incoming toIncoming(HealthRecordEvent e) {
        PatientInfo p = e.getPatient();
        LocalDate birth = p.getBirthDate();
        return new LinkingEngine.Incoming(e.getEnvelope().getEventId(), e.getEnvelope().getProviderId(), p.getLocalId(),
                p.getIinStatus(), new Demographics(p.getIin(), p.getLastName(), p.getFirstName(), p.getMiddleName(), birth,
                p.getSex(), p.getPhone(), p.getAddress(), p.getMotherIin()), e.getEnvelope().getOccurredAt(),
                e.getEnvelope().getSourceRecordId(), e.getRecordVersion());
    }
}
