package kz.ehr.security;

/**
 * The staff roles a bearer token can carry (JWT claim {@code groups}). A provider system is not staff: it
 * authenticates with its own API key at ingestion. Certificate verification and the JWKS need no role at all.
 */
public final class Roles {
    /** Runs the platform: provider keys, dead letters, capitation runs, statements, outreach lists. */
    public static final String OPS = "ops";
    /** Decides what the machines could not: MPI review queue, manual link/merge, fraud flags. */
    public static final String REVIEWER = "reviewer";
    /** Reads the audit logs and every decision, changes nothing. */
    public static final String AUDITOR = "auditor";
    /** A clinician's system: reads a patient's data and issues certificates, always with a purpose. */
    public static final String CLINICIAN = "clinician";

    public static final java.util.List<String> ALL = java.util.List.of(OPS, REVIEWER, AUDITOR, CLINICIAN);

    private Roles() {
    }
}
