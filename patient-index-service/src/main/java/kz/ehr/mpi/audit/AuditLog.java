package kz.ehr.mpi.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;

/** Who read or changed which patient, when and why. Rows hold ids and query shapes, never personal data. */
@ApplicationScoped
public class AuditLog {
    @Inject
    AgroalDataSource dataSource;

    /** The caller of an API request: who and for what purpose (headers X-User and X-Purpose). */
    public record Caller(String actor, String purpose) {
        public static Caller of(String actor, String purpose) {
            return new Caller(actor == null || actor.isBlank() ? "anonymous" : actor.trim(),
                    purpose == null || purpose.isBlank() ? null : purpose.trim());
        }
    }

    public void record(Caller caller, String action, UUID enterpriseId, String detail) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO audit_log (actor, action, enterprise_id, purpose, detail) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, caller.actor());
            ps.setString(2, action);
            ps.setObject(3, enterpriseId);
            ps.setString(4, caller.purpose());
            ps.setString(5, detail);
            ps.executeUpdate();
        } catch (SQLException e) {
            // a read that cannot be audited must not be served
            throw new IllegalStateException("audit log unavailable", e);
        }
    }
}
