package kz.ehr.mpi;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A person's decision that a source record is not this enterprise patient: automatic matching never links the pair
 * (table {@code non_match}, owned by Flyway). The linker reads these in its batch statement
 * ({@code IndexStore.nonMatches}); manual decisions write them here.
 */
@Entity
@Table(name = "non_match")
@IdClass(NonMatch.Key.class)
public class NonMatch extends PanacheEntityBase {
    @Id
    @Column(name = "provider_id")
    public String providerId;
    @Id
    @Column(name = "local_id")
    public String localId;
    @Id
    @Column(name = "enterprise_id")
    public UUID enterpriseId;
    @Column(name = "decided_by", nullable = false)
    public String decidedBy;
    /** Set by the database. */
    @Column(name = "at", nullable = false, insertable = false, updatable = false)
    public Instant at;

    /** The pair: a source record and the enterprise patient it is not. */
    public static class Key implements Serializable {
        public String providerId;
        public String localId;
        public UUID enterpriseId;

        public Key() {
        }

        public Key(String providerId, String localId, UUID enterpriseId) {
            this.providerId = providerId;
            this.localId = localId;
            this.enterpriseId = enterpriseId;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && providerId.equals(k.providerId) && localId.equals(k.localId)
                    && enterpriseId.equals(k.enterpriseId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(providerId, localId, enterpriseId);
        }
    }

    /** Records the pair unless it is recorded already; the caller holds the index write lock. */
    public static void remember(String providerId, String localId, UUID enterpriseId, String decidedBy) {
        if (findById(new Key(providerId, localId, enterpriseId)) == null) {
            NonMatch n = new NonMatch();
            n.providerId = providerId;
            n.localId = localId;
            n.enterpriseId = enterpriseId;
            n.decidedBy = decidedBy;
            n.persist();
        }
    }

    /** Forgets the pair (a person linked them after all). */
    public static void forget(String providerId, String localId, UUID enterpriseId) {
        delete("providerId = ?1 and localId = ?2 and enterpriseId = ?3", providerId, localId, enterpriseId);
    }
}
