package kz.ehr.billing.fraud.service;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.Generated;
import org.hibernate.annotations.Immutable;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A reviewer's decision on a flag: who, when, what, why (table {@code fraud_decision}, owned by Flyway). Append-only:
 * triggers refuse UPDATE and DELETE, so the entity is immutable and its time is the database's.
 */
@Entity
@Immutable
@Table(name = "fraud_decision")
public class FraudDecisionEntity extends PanacheEntityBase {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    @Column(name = "id")
    public Long id;
    @Column(name = "flag_id", nullable = false)
    public String flagId;
    @Column(name = "decision", nullable = false)
    public String decision;
    @Column(name = "reviewer", nullable = false)
    public String reviewer;
    @Column(name = "comment", nullable = false)
    public String comment;
    @Generated
    @Column(name = "decided_at", nullable = false, insertable = false, updatable = false)
    public Instant decidedAt;
}
