package kz.ehr.mpi;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;
import org.hibernate.annotations.DynamicUpdate;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A manual merge of one enterprise patient into another, and its undoing (table {@code merge}, owned by Flyway). */
@Entity
@Table(name = "merge")
@DynamicUpdate
public class Merge extends PanacheEntityBase {
    @Id
    @Column(name = "merge_id")
    public UUID mergeId;
    /** The patient merged away. */
    @Column(name = "source_id", nullable = false)
    public UUID sourceId;
    /** The surviving patient. */
    @Column(name = "target_id", nullable = false)
    public UUID targetId;
    /** {@code [[providerId, localId], …]}: the source records this merge moved, as JSON. */
    @Column(name = "moved", nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::jsonb")
    public String moved;
    @Column(name = "actor", nullable = false)
    public String actor;
    @Column(name = "reason")
    public String reason;
    /** Set by the database; the latest merge of a patient is the one an unmerge undoes. */
    @Column(name = "at", nullable = false, insertable = false, updatable = false)
    public Instant at;
    @Column(name = "unmerged_at")
    public Instant unmergedAt;
    @Column(name = "unmerged_by")
    public String unmergedBy;
}
