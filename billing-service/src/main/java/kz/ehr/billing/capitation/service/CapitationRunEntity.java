package kz.ehr.billing.capitation.service;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * The header of one computed version of a month's capitation (table {@code capitation_run}, owned by Flyway): OPEN
 * while it may be recomputed in place, CLOSED for good; a run after close makes the next version (the correction).
 * Its lines are a partition of {@code capitation_line}, written by COPY ({@link LineWriter}).
 */
@Entity
@Table(name = "capitation_run")
@IdClass(CapitationRunEntity.Key.class)
public class CapitationRunEntity extends PanacheEntityBase {
    public static final String OPEN = "OPEN", CLOSED = "CLOSED";

    @Id
    @Column(name = "month")
    public String month;
    @Id
    @Column(name = "version")
    public int version;
    @Column(name = "status", nullable = false)
    public String status;
    @Column(name = "policy_id", nullable = false)
    public String policyId;
    @Column(name = "billing_date", nullable = false)
    public LocalDate billingDate;
    @Column(name = "computed_at", nullable = false)
    public Instant computedAt;
    @Column(name = "closed_at")
    public Instant closedAt;
    @Column(name = "persons", nullable = false)
    public long persons;
    @Column(name = "amount", nullable = false, precision = 16, scale = 2)
    public BigDecimal amount;
    @Column(name = "full_amount", nullable = false, precision = 16, scale = 2)
    public BigDecimal fullAmount;

    /** The primary key, as Hibernate needs it for a composite id. */
    public static class Key implements Serializable {
        public String month;
        public int version;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(month, k.month) && version == k.version;
        }

        @Override
        public int hashCode() {
            return Objects.hash(month, version);
        }
    }

    /** The month's latest version, or null before its first run. */
    public static CapitationRunEntity latest(YearMonth month) {
        return CapitationRunEntity.<CapitationRunEntity>find("month = ?1 order by version desc", month.toString()).firstResult();
    }

    /** The month's latest version number, or null before its first run. */
    public static Integer latestVersion(YearMonth month) {
        return getEntityManager().createQuery("select max(version) from CapitationRunEntity where month = :month", Integer.class)
                .setParameter("month", month.toString()).getSingleResult();
    }

    public boolean closed() {
        return CLOSED.equals(status);
    }
}
