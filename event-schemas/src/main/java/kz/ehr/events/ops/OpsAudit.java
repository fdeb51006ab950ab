package kz.ehr.events.ops;

import java.sql.SQLException;

/**
 * Writes an ops action into the service's own append-only audit table (each service's table has its own shape, so
 * each service provides this bean). The shared ops endpoints (dead letters, outbox) call it before they answer.
 */
public interface OpsAudit {
    /** Stable action codes of the shared ops endpoints. */
    String READ_DEAD_LETTER = "READ_DEAD_LETTER";
    String REPLAY_DEAD_LETTERS = "REPLAY_DEAD_LETTERS";
    String REQUEUE_OUTBOX_ROW = "REQUEUE_OUTBOX_ROW";

    /**
     * @param who     the staff member, from the verified token
     * @param action  one of the codes above
     * @param subject what was acted on, e.g. {@code deadletter.v1.billing-service/2-17} or {@code outbox/42}; never
     *                patient data
     * @param purpose the caller's {@code X-Purpose} header as it came, or null: the service decodes and bounds it
     *                like every audit row's purpose ({@code kz.ehr.security.Purpose}, one agreed encoding)
     */
    void record(String who, String action, String subject, String purpose) throws SQLException;

    /** Who called, from the verified token (never from a header). */
    static String who(jakarta.ws.rs.core.SecurityContext caller) {
        return caller == null || caller.getUserPrincipal() == null ? "anonymous" : caller.getUserPrincipal().getName();
    }
}
