package kz.ehr.certificates.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 * Plain JDBC on the consumer's transaction, not entities: upserts keyed by source record and set updates over an enterprise patient's rows; no benchmark measures it.
 */
@ApplicationScoped
public class MpiLinks {
    @Inject
    AgroalDataSource dataSource;
    @Inject
    CertificateRevoker revoker;
    @Inject
    CertificatesConfig config;

    @Transactional
    public void apply(List<Delivery<MpiLinkEvent>> batch) throws SQLException {
        for (Delivery<MpiLinkEvent> d : batch) {
            MpiLinkEvent e = d.value();
            String eventId = e.getEnvelope().getEventId();
            if (!revoker.firstApplication(eventId)) {
                continue; // redelivered: links were upserted and revocations done the first time
            }
            String golden = e.getGolden() == null ? null : e.getGolden().getIin();
            Set<String> touched = new LinkedHashSet<>();
            if (golden != null) {
                touched.add(golden);
            }
            if (e.getSourceIin() != null) {
                touched.add(e.getSourceIin());
            }
            Set<String> formerGolden = new LinkedHashSet<>();
            try (Connection c = dataSource.getConnection()) {
                try (PreparedStatement was = c.prepareStatement(
                        "SELECT DISTINCT golden_iin FROM mpi_link WHERE enterprise_id = ? AND golden_iin IS NOT NULL")) {
                    was.setString(1, e.getEnterpriseId());
                    try (ResultSet rs = was.executeQuery()) {
                        while (rs.next()) {
                            formerGolden.add(rs.getString(1));
                        }
                    }
                }
                try (PreparedStatement before = c.prepareStatement(
                        "SELECT golden_iin FROM mpi_link WHERE (provider_id = ? AND local_id = ?) OR enterprise_id = ANY (?)")) {
                    for (SourceRef s : e.getLinkedSources()) {
                        before.setString(1, s.getProviderId());
                        before.setString(2, s.getLocalId());
                        before.setArray(3, c.createArrayOf("text", enterprises(e)));
                        try (ResultSet rs = before.executeQuery()) {
                            while (rs.next()) {
                                if (rs.getString(1) != null) {
                                    touched.add(rs.getString(1));
                                }
                            }
                        }
                        if (s.getIin() != null) {
                            touched.add(s.getIin());
                        }
                    }
                }
                try (PreparedStatement up = c.prepareStatement("""
                        INSERT INTO mpi_link (provider_id, local_id, enterprise_id, golden_iin, source_iin, event_id)
                        VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT (provider_id, local_id) DO UPDATE SET enterprise_id = excluded.enterprise_id,
                          golden_iin = excluded.golden_iin, source_iin = excluded.source_iin, event_id = excluded.event_id,
                          updated_at = now()
                        WHERE (mpi_link.enterprise_id, mpi_link.golden_iin, mpi_link.source_iin)
                              IS DISTINCT FROM (excluded.enterprise_id, excluded.golden_iin, excluded.source_iin)""")) {
                    // every link event names all the enterprise's sources, nearly all as they were: a row that does not
                    // change is not rewritten (a dead tuple and three index entries each, and autovacuum may be off);
                    // event_id and updated_at tell which event last changed the link
                    for (SourceRef s : e.getLinkedSources()) {
                        up.setString(1, s.getProviderId());
                        up.setString(2, s.getLocalId());
                        up.setString(3, e.getEnterpriseId());
                        up.setString(4, golden);
                        up.setString(5, s.getIin());
                        up.setString(6, eventId);
                        up.addBatch();
                    }
                    up.executeBatch();
                }
                // the golden record's IIN may itself have been repaired: every source of the enterprise follows it
                try (PreparedStatement follow = c.prepareStatement(
                        "UPDATE mpi_link SET golden_iin = ? WHERE enterprise_id = ? AND golden_iin IS DISTINCT FROM ?")) {
                    follow.setString(1, golden);
                    follow.setString(2, e.getEnterpriseId());
                    follow.setString(3, golden);
                    follow.executeUpdate();
                }
            }
            if (config.identityChangeLinkTypes().contains(e.getLinkEventType())) {
                revoker.revoke(touched, RevocationRules.identityChanged(), eventId);
            } else if (golden != null) {
                // the patient's IIN itself changed (a reviewer corrected it, or better sources outvoted it): what was
                // certified under the former IIN no longer names this person
                formerGolden.remove(golden);
                if (!formerGolden.isEmpty()) {
                    revoker.revoke(formerGolden, RevocationRules.identityChanged(), eventId);
                }
            }
        }
    }

    private static String[] enterprises(MpiLinkEvent e) {
        return e.getPreviousEnterpriseId() == null ? new String[] {e.getEnterpriseId()}
                : new String[] {e.getEnterpriseId(), e.getPreviousEnterpriseId()};
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
