package kz.ehr.billing.fraud.service;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Formula;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import kz.ehr.billing.fraud.FraudFlag;
import kz.ehr.billing.fraud.ReviewState;

/**
 * A stored fraud flag as reviewers read and decide it (table {@code fraud_flag}, owned by Flyway). The monitor raises
 * and withdraws flags in bulk with plain SQL ({@link FlagReconcile}); this entity never inserts one.
 */
@Entity
@Table(name = "fraud_flag")
public class FraudFlagEntity extends PanacheEntityBase {
    @Id
    @Column(name = "flag_id")
    public String flagId;
    @Column(name = "visit_key", nullable = false)
    public String visitKey;
    @Column(name = "rule_id", nullable = false)
    public String ruleId;
    @Column(name = "polyclinic_bin", nullable = false)
    public String polyclinicBin;
    @Column(name = "doctor_id")
    public String doctorId;
    @Column(name = "visit_date", nullable = false)
    public LocalDate visitDate;
    @Column(name = "reason", nullable = false)
    public String reason;
    @Column(name = "money_at_stake", nullable = false, precision = 14, scale = 2)
    public BigDecimal moneyAtStake;
    @Enumerated(EnumType.STRING)
    @Column(name = "state", nullable = false)
    public ReviewState state;
    @Column(name = "raised_at", nullable = false, updatable = false)
    public Instant raisedAt;
    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;
    /** Read as the flag is loaded, never stored: whether the visit's person key is shared right now ({@link FraudFlag}). */
    @Formula("(EXISTS (SELECT 1 FROM visit v JOIN shared_iin s ON s.person_key = v.person_key WHERE v.rec_key = visit_key))")
    public boolean identityInReview;

    public FraudFlag toFlag() {
        return new FraudFlag(flagId, visitKey, polyclinicBin, doctorId, visitDate, ruleId, reason, moneyAtStake, state, raisedAt,
                identityInReview);
    }
}
