package kz.ehr.certificates.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import kz.ehr.certificates.config.CertificatesConfig;
import kz.ehr.certificates.eligibility.RevocationRules;
import kz.ehr.certificates.revocation.CertificateRevoker;
import kz.ehr.events.MpiLinkEvent;
import kz.ehr.events.SourceRef;
import kz.ehr.events.kafka.BatchConsumerLoop.Delivery;

/**
 * Applies mpi.links.v1: which source record belongs to which enterprise patient (and so to which golden IIN).
 * A merge or unmerge revokes the certificates of every person it touches with IDENTITY_CHANGED; so does any other
 * link event that changes an enterprise patient's golden IIN (a reviewer's GOLDEN_OVERRIDDEN, or survivorship choosing
 * another IIN), for the certificates issued under the former IIN.
 * A polled batch is applied at once and event by event: the link rows its events can read or change are read in one
 * statement, each event is applied to them in memory in order (as if one after the other on the table), and the rows
 * that changed are written in one statement; the revocations follow: first what the stored records of a source now
 * linked to another person revoke for that person ({@link RecordRevocations}), then the identity changes in the
 * events' order.
 * Plain JDBC on the consumer's transaction, not entities: the batch's hot path, measured by CertificateStreamBench
 * (docs/benchmarks/certificate-service.md).
 */
@ApplicationScoped
public class MpiLinks {
    @Inject
    AgroalDataSource dataSource;
    @Inject
    CertificateRevoker revoker;
    @Inject
    CertificatesConfig config;
    @Inject
    RecordRevocations recordRevocations;

    @Transactional
    public void apply(List<Delivery<MpiLinkEvent>> batch) throws SQLException {
        if (batch.isEmpty()) {
            return;
        }
        List<Revocation> revocations = new ArrayList<>();
        List<RecordRevocations.Relinked> relinked;
        try (Connection c = dataSource.getConnection()) {
            List<String> ids = new ArrayList<>(batch.size());
            for (Delivery<MpiLinkEvent> d : batch) {
                ids.add(d.value().getEnvelope().getEventId());
            }
            // a redelivered event: its links were written and its revocations done the first time
            Set<String> first = revoker.firstApplications(c, ids);
            List<MpiLinkEvent> events = new ArrayList<>(batch.size());
            for (Delivery<MpiLinkEvent> d : batch) {
                if (first.remove(d.value().getEnvelope().getEventId())) {
                    events.add(d.value());
                }
            }
            if (events.isEmpty()) {
                return;
            }
            LinkState links = LinkState.load(c, events);
            for (MpiLinkEvent e : events) {
                apply(e, links, revocations);
            }
            links.write(c);
            // what the records of a source now linked to another person revoke is revoked for that person too: a death
            // filed without the IIN, stored before the patient index linked its record, was nobody's until now
            relinked = recordRevocations.storedFor(c, links.newlyGolden());
        }
        for (RecordRevocations.Relinked r : relinked) {
            recordRevocations.apply(r.event(), r.golden(), r.event().getEnvelope().getEventId());
        }
        for (Revocation r : revocations) {
            revoker.revoke(r.iins(), RevocationRules.identityChanged(), r.eventId());
        }
    }

    /** One event, in batch order, on the batch's link rows in memory; its revocation (if any) joins the list. */
    private void apply(MpiLinkEvent e, LinkState links, List<Revocation> revocations) {
        String eventId = e.getEnvelope().getEventId();
        String golden = e.getGolden() == null ? null : e.getGolden().getIin();
        Set<String> touched = new LinkedHashSet<>();
        if (golden != null) {
            touched.add(golden);
        }
        if (e.getSourceIin() != null) {
            touched.add(e.getSourceIin());
        }
        Set<String> formerGolden = links.goldenIins(List.of(e.getEnterpriseId()));
        if (!e.getLinkedSources().isEmpty()) {
            touched.addAll(links.goldenIins(enterprises(e)));
            for (SourceRef s : e.getLinkedSources()) {
                LinkState.Row row = links.row(s.getProviderId(), s.getLocalId());
                if (row != null && row.golden != null) {
                    touched.add(row.golden);
                }
                if (s.getIin() != null) {
                    touched.add(s.getIin());
                }
            }
        }
        // every link event names all the enterprise's sources, nearly all as they were: a row that does not change is not
        // rewritten (a dead tuple and three index entries each, and autovacuum may be off); event_id and updated_at tell
        // which event last changed the link
        for (SourceRef s : e.getLinkedSources()) {
            links.link(s.getProviderId(), s.getLocalId(), e.getEnterpriseId(), golden, s.getIin(), eventId);
        }
        // the golden record's IIN may itself have been repaired: every source of the enterprise follows it
        links.follow(e.getEnterpriseId(), golden);
        if (config.identityChangeLinkTypes().contains(e.getLinkEventType())) {
            if (!touched.isEmpty()) {
                revocations.add(new Revocation(touched, eventId));
            }
        } else if (golden != null) {
            // the patient's IIN itself changed (a reviewer corrected it, or better sources outvoted it): what was
            // certified under the former IIN no longer names this person
            formerGolden.remove(golden);
            if (!formerGolden.isEmpty()) {
                revocations.add(new Revocation(formerGolden, eventId));
            }
        }
    }

    private record Revocation(Set<String> iins, String eventId) {
    }

    private static List<String> enterprises(MpiLinkEvent e) {
        return e.getPreviousEnterpriseId() == null ? List.of(e.getEnterpriseId()) : List.of(e.getEnterpriseId(), e.getPreviousEnterpriseId());
    }

    public Optional<String> goldenIinOf(String providerId, String localId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT golden_iin FROM mpi_link WHERE provider_id = ? AND local_id = ?")) {
            ps.setString(1, providerId);
            ps.setString(2, localId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
            }
        }
    }
}
