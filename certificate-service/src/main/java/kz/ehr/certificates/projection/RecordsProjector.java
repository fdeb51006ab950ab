package kz.ehr.certificates.projection;

import java.time.LocalDate;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import kz.ehr.certificates.config.CertificatesConfig;
import kz.ehr.certificates.eligibility.DispensaryRegister;
import kz.ehr.certificates.eligibility.EligibilityRules;
import kz.ehr.certificates.eligibility.PersonFacts;
import kz.ehr.certificates.eligibility.RevocationRules;
import kz.ehr.certificates.revocation.CertificateRevoker;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;

/**
 * Applies a batch of health-record events in one transaction: stores them (batched insert) and revokes the
 * certificates that a death, a new dispensary registration, an UNFIT exam or an abnormal fluorography invalidates,
 * with their REVOKED events in the outbox.
 */
@ApplicationScoped
public class RecordsProjector {
    @Inject
    PersonEvents personEvents;
    @Inject
    PersonFactsLoader factsLoader;
    @Inject
    CertificateRevoker revoker;
    @Inject
    MpiLinks mpiLinks;
    @Inject
    CertificatesConfig config;

    @Transactional
    public void apply(List<Delivery<HealthRecordEvent>> batch) throws Exception {
        personEvents.store(batch);
        for (Delivery<HealthRecordEvent> d : batch) {
            HealthRecordEvent e = d.value();
            boolean death = "DEATH".equals(e.getRecordType());
            DispensaryRegister register = PersonFactsLoader.register(e);
            boolean registration = register != null && "REGISTERED".equals(e.getDispensary().getStatus());
            boolean overruling = overrulesEvidence(e);
            if (!death && !registration && !overruling) {
                continue;
            }
            String eventId = e.getEnvelope().getEventId();
            if (!revoker.firstApplication(eventId)) {
                continue;
            }
            for (String iin : persons(e)) {
                if (death) {
                    revoker.revoke(Set.of(iin), RevocationRules.death(), eventId);
                } else if (overruling) {
                    for (RevocationRules.Revocation r : RevocationRules.overruledEvidence(factsLoader.load(iin), config.policy())) {
                        revoker.revoke(Set.of(iin), r, eventId);
                    }
                } else if (stillRegistered(iin, register)) {
                    Optional<RevocationRules.Revocation> r = RevocationRules.dispensary(register, true);
                    if (r.isPresent()) {
                        revoker.revoke(Set.of(iin), r.get(), eventId);
                    }
                }
            }
        }
    }

    /**
     * An UNFIT exam or a fluorography with an abnormal value may overrule what certificates were issued on; whether it
     * does (it is the latest of its kind) the rules decide over the person's whole record.
     */
    private boolean overrulesEvidence(HealthRecordEvent e) {
        if ("EXAM".equals(e.getRecordType())) {
            return e.getExam() != null && "UNFIT".equals(e.getExam().getConclusion());
        }
        return "OBSERVATION".equals(e.getRecordType()) && e.getObservation() != null
                && "FLUOROGRAPHY".equals(e.getObservation().getCode())
                && config.policy().abnormal(new PersonFacts.Observation("FLUOROGRAPHY", e.getObservation().getValue(), null));
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

    /** A registration that arrives after a later deregistration of the same register revokes nothing. */
    private boolean stillRegistered(String iin, DispensaryRegister register) throws Exception {
        PersonFacts facts = factsLoader.load(iin);
        // the latest status by date decides, even one dated ahead: a certificate must not outlive a registration
        return EligibilityRules.activeRegistration(facts, register, LocalDate.MAX).isPresent();
    }
}
