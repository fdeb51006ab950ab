package kz.ehr.certificates.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import kz.ehr.certificates.config.CertificatesConfig;
import kz.ehr.certificates.eligibility.DispensaryRegister;
import kz.ehr.certificates.eligibility.EligibilityRules;
import kz.ehr.certificates.eligibility.PersonFacts;
import kz.ehr.certificates.eligibility.RevocationRules;
import kz.ehr.certificates.revocation.CertificateRevoker;
import kz.ehr.events.EventCodec;
import kz.ehr.events.HealthRecordEvent;

/**
 * What a health-record event revokes: a death every certificate of the person, a new dispensary registration the
 * certificates it rules out, an UNFIT exam or an abnormal fluorography the certificates issued on the earlier result.
 * Applied to a person when the event arrives ({@link RecordsProjector}, to the IIN it names and the golden IIN its
 * source record is linked to) and again when the patient index links its source record to another person
 * ({@link MpiLinks}): a death filed without the IIN is the person's only from the link on.
 */
@ApplicationScoped
public class RecordRevocations {
    private static final EventCodec<HealthRecordEvent> CODEC = EventCodec.of(HealthRecordEvent.class);

    @Inject
    PersonFactsLoader factsLoader;
    @Inject
    CertificateRevoker revoker;
    @Inject
    CertificatesConfig config;

    /** A stored event that may revoke, with the golden IIN its source record has just been linked to. */
    record Relinked(HealthRecordEvent event, String golden) {
    }

    /** Whether the event may revoke anything at all (most do not: they are stored and nothing else). */
    boolean mayRevoke(HealthRecordEvent e) {
        return "DEATH".equals(e.getRecordType()) || registration(e) != null || overrulesEvidence(e);
    }

    /** Revokes what the event rules out among the certificates of the person with this IIN. */
    void apply(HealthRecordEvent e, String iin, String eventId) throws SQLException {
        if ("DEATH".equals(e.getRecordType())) {
            revoker.revoke(Set.of(iin), RevocationRules.death(), eventId);
        } else if (overrulesEvidence(e)) {
            for (RevocationRules.Revocation r : RevocationRules.overruledEvidence(factsLoader.load(iin), config.policy())) {
                revoker.revoke(Set.of(iin), r, eventId);
            }
        } else {
            DispensaryRegister register = registration(e);
            if (register != null && stillRegistered(iin, register)) {
                Optional<RevocationRules.Revocation> r = RevocationRules.dispensary(register, true);
                if (r.isPresent()) {
                    revoker.revoke(Set.of(iin), r.get(), eventId);
                }
            }
        }
    }

    /**
     * The stored events of these source records that may revoke, each with the golden IIN the record was linked to,
     * leaving out those that name that IIN themselves (they were applied to it when they arrived). Read on the links
     * batch's connection after its locks ({@link LinkState#sourceLock}), so a death stored by a records batch that
     * committed first is seen here, and one that commits after reads the new link.
     */
    List<Relinked> storedFor(Connection c, Collection<LinkState.Row> relinked) throws SQLException {
        List<Relinked> out = new ArrayList<>();
        if (relinked.isEmpty()) {
            return out;
        }
        String[] providers = new String[relinked.size()];
        String[] localIds = new String[relinked.size()];
        String[] goldens = new String[relinked.size()];
        int i = 0;
        for (LinkState.Row r : relinked) {
            providers[i] = r.provider;
            localIds[i] = r.localId;
            goldens[i++] = r.golden;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT s.golden_iin, e.payload FROM unnest(?::text[], ?::text[], ?::text[]) s (provider_id, local_id, golden_iin)
                JOIN person_event e ON e.provider_id = s.provider_id AND e.local_id = s.local_id
                WHERE e.record_type IN ('DEATH', 'DISPENSARY', 'EXAM', 'OBSERVATION')
                ORDER BY e.occurred_at, e.event_id""")) {
            ps.setArray(1, c.createArrayOf("text", providers));
            ps.setArray(2, c.createArrayOf("text", localIds));
            ps.setArray(3, c.createArrayOf("text", goldens));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    HealthRecordEvent e = CODEC.decode(rs.getBytes(2));
                    String golden = rs.getString(1);
                    boolean namesIt = "VALID".equals(e.getPatient().getIinStatus()) && golden.equals(e.getPatient().getIin());
                    if (!namesIt && mayRevoke(e)) {
                        out.add(new Relinked(e, golden));
                    }
                }
            }
        }
        return out;
    }

    /** The register a REGISTERED dispensary event puts the person on; null for any other event. */
    private static DispensaryRegister registration(HealthRecordEvent e) {
        DispensaryRegister register = PersonFactsLoader.register(e);
        return register != null && "REGISTERED".equals(e.getDispensary().getStatus()) ? register : null;
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

    /** A registration that arrives after a later deregistration of the same register revokes nothing. */
    private boolean stillRegistered(String iin, DispensaryRegister register) throws SQLException {
        PersonFacts facts = factsLoader.load(iin);
        // the latest status by date decides, even one dated ahead: a certificate must not outlive a registration
        return EligibilityRules.activeRegistration(facts, register, LocalDate.MAX).isPresent();
    }
}
