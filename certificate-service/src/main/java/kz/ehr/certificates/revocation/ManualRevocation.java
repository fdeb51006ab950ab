package kz.ehr.certificates.revocation;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A person's decision to revoke one certificate (table {@code manual_revocation}, V8, owned by Flyway): who, which
 * reason from {@link ManualRevocationReason}, their comment and stated purpose. Staff-only, like every reason.
 */
@Entity
@Table(name = "manual_revocation")
public class ManualRevocation extends PanacheEntityBase {
    @Id
    public String number;
    @Column(nullable = false)
    public String reason;
    @Column(nullable = false)
    public String comment;
    @Column(nullable = false)
    public String actor;
    @Column(nullable = false)
    public String purpose;
    @Column(name = "decided_at", nullable = false)
    public Instant decidedAt;
}
