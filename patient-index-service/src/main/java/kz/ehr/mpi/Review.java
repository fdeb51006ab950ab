package kz.ehr.mpi;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.DynamicUpdate;
import org.hibernate.annotations.Formula;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A pair the matcher would not decide alone, and a reviewer's decision on it (table {@code review}, owned by Flyway;
 * Hibernate validates this mapping at start). The linker opens reviews in its batch statement
 * ({@code IndexStore.insertReviews}); people decide them through this entity ({@code ManualDecisions.decideReview}).
 */
@Entity
@Table(name = "review")
@DynamicUpdate
public class Review extends PanacheEntityBase {
    @Id
    @Column(name = "review_id")
    public UUID reviewId;
    /** POSSIBLE_MATCH, IIN_CONFLICT, DIFFERENT_IIN. */
    @Column(name = "kind", nullable = false)
    public String kind;
    @Column(name = "provider_id", nullable = false)
    public String providerId;
    @Column(name = "local_id", nullable = false)
    public String localId;
    @Column(name = "candidate_enterprise_id", nullable = false)
    public UUID candidateEnterpriseId;
    @Column(name = "score")
    public Double score;
    @Column(name = "reason")
    public String reason;
    /** OPEN, ACCEPTED, REJECTED. */
    @Column(name = "status", nullable = false)
    public String status;
    @Column(name = "decided_by")
    public String decidedBy;
    @Column(name = "decided_at")
    public Instant decidedAt;
    @Column(name = "decision_reason")
    public String decisionReason;
    /** Set by the database when the linker opens the review. */
    @Column(name = "created_at", nullable = false, insertable = false, updatable = false)
    public Instant createdAt;
    /** The enterprise patient the review's source record is linked to now (read only). */
    @Formula("(select s.enterprise_id from source_record s where s.provider_id = provider_id and s.local_id = local_id)")
    public UUID sourceEnterpriseId;
}
