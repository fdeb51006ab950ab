package kz.ehr.certificates;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * One issued certificate as stored (table {@code certificate}, owned by Flyway; Hibernate validates this mapping at
 * start). The column {@code revoked_xid} is deliberately not mapped: a trigger (V5) stamps it with the revoking
 * transaction's id, and the revocation index reads it with plain SQL. Updates write only the changed columns, so a
 * revocation is {@code UPDATE certificate SET revoked_at, revocation_reason, revoked_by_event}, as before.
 */
@Entity
@Table(name = "certificate")
@DynamicUpdate
public class Certificate extends PanacheEntityBase {
    /** e.g. {@code KZC-20261128-7KQ2M9XH4T}; see {@code CertificateIssuer.newNumber}. */
    @Id
    @Column(name = "number")
    public String number;
    @Column(name = "type", nullable = false)
    public String type;
    @Column(name = "iin", nullable = false)
    public String iin;
    /** The signing key's id (RFC 7638 thumbprint). */
    @Column(name = "kid", nullable = false)
    public String kid;
    @Column(name = "issued_at", nullable = false)
    public Instant issuedAt;
    @Column(name = "expires_at", nullable = false)
    public Instant expiresAt;
    @Column(name = "conclusion")
    public String conclusion;
    /** The compact JWS, byte for byte as signed. */
    @Column(name = "token", nullable = false)
    public String token;
    @Column(name = "revoked_at")
    public Instant revokedAt;
    /** Health data (a registration, a death): only the audited staff endpoints show it. */
    @Column(name = "revocation_reason")
    public String revocationReason;
    /** The event id that caused the revocation. */
    @Column(name = "revoked_by_event")
    public String revokedByEvent;

    /** A public revocation-list entry: number and time, never the reason. */
    public record Revoked(String number, Instant revokedAt) {
    }
}
