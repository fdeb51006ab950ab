package kz.ehr.ingestion.providers;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** One provider API key as stored: its SHA-256 hash, never the key (table {@code provider_key}, owned by Flyway). */
@Entity
@Table(name = "provider_key")
public class ProviderKey extends PanacheEntityBase {
    /** The first 12 hex digits of the hash: how ops name a key. */
    @Id
    @Column(name = "key_id")
    public String keyId;
    @Column(name = "key_hash", nullable = false, unique = true)
    public String keyHash;
    @Column(name = "provider_id", nullable = false)
    public String providerId;
    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
    @Column(name = "revoked_at")
    public Instant revokedAt;
}
