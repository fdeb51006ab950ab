package kz.ehr.billing.capitation.service;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One polyclinic's totals in one version of a month (table {@code capitation_statement}, owned by Flyway). */
@Entity
@Table(name = "capitation_statement")
@IdClass(CapitationStatementEntity.Key.class)
public class CapitationStatementEntity extends PanacheEntityBase {
    @Id
    @Column(name = "month")
    public String month;
    @Id
    @Column(name = "version")
    public int version;
    @Id
    @Column(name = "polyclinic_bin")
    public String polyclinicBin;
    @Column(name = "persons", nullable = false)
    public long persons;
    @Column(name = "paid_persons", nullable = false)
    public long paidPersons;
    @Column(name = "persons_100", nullable = false)
    public long persons100;
    @Column(name = "persons_90", nullable = false)
    public long persons90;
    @Column(name = "persons_80", nullable = false)
    public long persons80;
    @Column(name = "persons_72", nullable = false)
    public long persons72;
    @Column(name = "persons_unpaid", nullable = false)
    public long personsUnpaid;
    @Column(name = "persons_no_visit_12m", nullable = false)
    public long personsNoVisit12m;
    @Column(name = "full_amount", nullable = false, precision = 16, scale = 2)
    public BigDecimal fullAmount;
    @Column(name = "amount", nullable = false, precision = 16, scale = 2)
    public BigDecimal amount;
    @Column(name = "withheld_no_visit", nullable = false, precision = 16, scale = 2)
    public BigDecimal withheldNoVisit;
    @Column(name = "withheld_not_insured", nullable = false, precision = 16, scale = 2)
    public BigDecimal withheldNotInsured;
    @Column(name = "withheld_by_fraud", nullable = false, precision = 16, scale = 2)
    public BigDecimal withheldByFraud;

    /** The primary key, as Hibernate needs it for a composite id. */
    public static class Key implements Serializable {
        public String month;
        public int version;
        public String polyclinicBin;

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(month, k.month) && version == k.version && Objects.equals(polyclinicBin, k.polyclinicBin);
        }

        @Override
        public int hashCode() {
            return Objects.hash(month, version, polyclinicBin);
        }
    }
}
