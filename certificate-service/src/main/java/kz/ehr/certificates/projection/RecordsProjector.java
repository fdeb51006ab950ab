package kz.ehr.certificates.projection;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import kz.ehr.certificates.revocation.CertificateRevoker;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.db.AdvisoryLocks;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;

/**
 * Applies a batch of health-record events in one transaction: stores them (batched insert) and revokes the
 * certificates that a death, a new dispensary registration, an UNFIT exam or an abnormal fluorography invalidates
 * ({@link RecordRevocations}), with their REVOKED events in the outbox.
 */
@ApplicationScoped
public class RecordsProjector {
    @Inject
    AgroalDataSource dataSource;
    @Inject
    PersonEvents personEvents;
    @Inject
    RecordRevocations revocations;
    @Inject
    CertificateRevoker revoker;
    @Inject
    MpiLinks mpiLinks;

    @Transactional
    public void apply(List<Delivery<HealthRecordEvent>> batch) throws Exception {
        personEvents.store(batch);
        List<HealthRecordEvent> revoking = new ArrayList<>();
        Set<String> sources = new LinkedHashSet<>();
        for (Delivery<HealthRecordEvent> d : batch) {
            HealthRecordEvent e = d.value();
            if (revocations.mayRevoke(e)) {
                revoking.add(e);
                sources.add(LinkState.sourceLock(e.getEnvelope().getProviderId(), e.getPatient().getLocalId()));
            }
        }
        if (revoking.isEmpty()) {
            return;
        }
        // the links batch that links these source records takes the same locks before it reads the stored events: of
        // the two, the one that commits second sees what the first wrote (this batch the link, or that one this death)
        try (Connection c = dataSource.getConnection()) {
            AdvisoryLocks.lock(c, sources);
        }
        for (HealthRecordEvent e : revoking) {
            String eventId = e.getEnvelope().getEventId();
            if (!revoker.firstApplication(eventId)) {
                continue;
            }
            for (String iin : persons(e)) {
                revocations.apply(e, iin, eventId);
            }
        }
    }

    /** The IIN the event names when valid, and the golden IIN the MPI linked its source record to. */
    private Set<String> persons(HealthRecordEvent e) throws Exception {
        Set<String> iins = new LinkedHashSet<>();
        if ("VALID".equals(e.getPatient().getIinStatus()) && e.getPatient().getIin() != null) {
            iins.add(e.getPatient().getIin());
        }
        mpiLinks.goldenIinOf(e.getEnvelope().getProviderId(), e.getPatient().getLocalId()).ifPresent(iins::add);
        return iins;
    }
}
