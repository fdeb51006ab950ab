package kz.ehr.certificates.signing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.runtime.StartupEvent;
import kz.ehr.certificates.config.CertificatesConfig;
import kz.ehr.certificates.verifier.CertificateJws;
import kz.ehr.certificates.verifier.EcJwk;
import kz.ehr.certificates.verifier.KeyLifecycle;

/**
 * The signing keys: private halves in the keystore file ({@link KeyRing}), lifecycle in the database table
 * {@code signing_key}, which every instance of the service shares. The database says which key is current; an issuance
 * holds a share lock on that row until it commits, and a rotation takes the row for update, so no certificate is
 * signed with a key after the instant recorded as its retirement, whichever instance signs it.
 */
@ApplicationScoped
public class SigningKeys {
    private static final Logger LOG = Logger.getLogger(SigningKeys.class);
    /** pg_advisory_xact_lock key for importing the keystore into an empty registry ("ehrkeys"). */
    private static final long IMPORT_LOCK = 0x6568726b657973L;

    /** One key as the registry knows it. */
    public record KeyState(EcJwk jwk, Instant created, Instant retiredAt, Instant withdrawnAt) {
        KeyLifecycle lifecycle() {
            return new KeyLifecycle(retiredAt, withdrawnAt);
        }
    }

    /** A certificate's token, the instant it was issued at (its {@code iat}) and its claims. */
    public record SignedCertificate(KeyRing.Signed signed, Instant issuedAt, Map<String, Object> claims) {
    }

    @Inject
    CertificatesConfig config;
    @Inject
    AgroalDataSource dataSource;

    private final Clock clock = Clock.systemUTC();
    private volatile KeyRing ring;
    private volatile Map<String, KeyState> states = Map.of();

    void start(@Observes StartupEvent event) throws Exception {
        ring();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            importKeystoreIfEmpty(c);
            c.commit();
            c.setAutoCommit(true);
            refresh(c);
        }
        KeyState current = current();
        if (ring().key(current.jwk().kid()) == null) {
            ring().reload();
        }
        if (ring().key(current.jwk().kid()) == null) {
            throw new IllegalStateException("KEY_NOT_IN_KEYSTORE: the current signing key " + current.jwk().kid() + " is not in "
                    + config.keys().keystorePath() + " (is the key volume mounted?)");
        }
        // the key id is public; the path tells ops where the keys live
        LOG.infof("signing with key %s from %s (%d keys, %d withdrawn)", current.jwk().kid(), config.keys().keystorePath(),
                states.size(), states.values().stream().filter(s -> s.withdrawnAt() != null).count());
    }

    public KeyRing ring() {
        KeyRing r = ring;
        if (r == null) {
            synchronized (this) {
                if (ring == null) {
                    try {
                        ring = KeyRing.open(Path.of(config.keys().keystorePath()), config.keys().keystorePassword().orElse(null),
                                Path.of(config.keys().keystorePasswordFile()));
                    } catch (Exception e) {
                        throw new IllegalStateException("cannot open the signing keystore " + config.keys().keystorePath() + ": " + e.getMessage(), e);
                    }
                }
                r = ring;
            }
        }
        return r;
    }

    /**
     * A registry that has never seen a key takes the keystore's keys (a keystore from before the registry, or a fresh
     * test database): the newest is current, each older one retired after the last certificate it signed.
     */
    private void importKeystoreIfEmpty(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(" + IMPORT_LOCK + ")");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM signing_key")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    return;
                }
            }
        }
        List<KeyRing.SigningKey> keys = ring().all();
        for (int i = 0; i < keys.size(); i++) {
            KeyRing.SigningKey k = keys.get(i);
            Instant retired = i + 1 < keys.size() ? retirementInstant(c, k.jwk().kid(), keys.get(i + 1).created()) : null;
            insert(c, k, k.created(), retired);
        }
        LOG.infof("signing key registry: imported %d keys from the keystore", keys.size());
    }

    private static void insert(Connection c, KeyRing.SigningKey k, Instant created, Instant retired) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO signing_key (kid, jwk, created_at, retired_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, k.jwk().kid());
            ps.setString(2, json(k.jwk().toJson(null)));
            ps.setTimestamp(3, Timestamp.from(created));
            ps.setTimestamp(4, retired == null ? null : Timestamp.from(retired));
            ps.executeUpdate();
        }
    }

    /**
     * The instant a key stops signing: now, or just after the last certificate it signed if that reads later (two
     * instances' clocks may disagree by a little; iat must stay before the retirement for every certificate it signed).
     */
    private Instant retirementInstant(Connection c, String kid, Instant notBefore) throws SQLException {
        Instant at = notBefore;
        try (PreparedStatement ps = c.prepareStatement("SELECT max(issued_at) FROM certificate WHERE kid = ?")) {
            ps.setString(1, kid);
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next() && rs.getTimestamp(1) != null) {
                    // iat is in whole seconds: the retirement lies after the second the last certificate was issued in
                    Instant lastSecond = Instant.ofEpochSecond(rs.getTimestamp(1).toInstant().getEpochSecond() + 1);
                    at = lastSecond.isAfter(at) ? lastSecond : at;
                }
            }
        }
        return at;
    }

    /** Re-reads every key's lifecycle (a handful of rows) on the caller's connection; the revocation index calls it. */
    public void refresh(Connection c) throws SQLException {
        Map<String, KeyState> next = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT jwk, created_at, retired_at, withdrawn_at FROM signing_key ORDER BY created_at");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                EcJwk jwk = EcJwk.parse(json(rs.getString(1)));
                next.put(jwk.kid(), new KeyState(jwk, rs.getTimestamp(2).toInstant(), instant(rs.getTimestamp(3)), instant(rs.getTimestamp(4))));
            }
        }
        states = next;
    }

    /** The key that signs now, as last read from the registry. */
    public KeyState current() {
        return states.values().stream().filter(s -> s.retiredAt() == null).findFirst()
                .orElseThrow(() -> new IllegalStateException("no current signing key in the registry"));
    }

    /** A published (not withdrawn) key by kid, for verification; null when unknown or withdrawn. */
    public EcJwk publicKey(String kid) {
        KeyState s = states.get(kid);
        return s == null || s.withdrawnAt() != null ? null : s.jwk();
    }

    public KeyLifecycle lifecycle(String kid) {
        KeyState s = states.get(kid);
        return s == null ? KeyLifecycle.CURRENT : s.lifecycle();
    }

    /** Keys verifiers may use (every key but the withdrawn ones), oldest first. */
    public List<KeyState> published() {
        return states.values().stream().filter(s -> s.withdrawnAt() == null).toList();
    }

    /**
     * Signs a certificate inside the caller's transaction ({@code c}): takes a share lock on the current key's row, so a
     * rotation waits until this transaction ends, and only then reads the issue instant the claims carry.
     *
     * @param claims builds the claims from the issue instant
     */
    public SignedCertificate signCertificate(Connection c, java.util.function.Function<Instant, Map<String, Object>> claims)
            throws SQLException {
        String kid = null;
        // a rotation committing while this statement waited leaves it no row (the new key is not in its snapshot): ask again
        for (int attempt = 0; attempt < 5 && kid == null; attempt++) {
            try (PreparedStatement ps = c.prepareStatement("SELECT kid FROM signing_key WHERE retired_at IS NULL FOR KEY SHARE");
                 ResultSet rs = ps.executeQuery()) {
                kid = rs.next() ? rs.getString(1) : null;
            }
        }
        if (kid == null) {
            throw new IllegalStateException("no current signing key in the registry");
        }
        if (ring().key(kid) == null) {
            try {
                ring().reload(); // another instance rotated: its new key is in the shared file before it is in the table
            } catch (Exception e) {
                throw new IllegalStateException("cannot re-read the signing keystore", e);
            }
        }
        Instant now = clock.instant();
        Map<String, Object> signed = claims.apply(now);
        return new SignedCertificate(ring().sign(signed, CertificateJws.TYPE, kid), now, signed);
    }

    /** Signs a document (a revocation list) with the current key. */
    public KeyRing.Signed sign(Map<String, Object> document, String typ) {
        String kid = current().jwk().kid();
        if (ring().key(kid) == null) {
            try {
                ring().reload();
            } catch (Exception e) {
                throw new IllegalStateException("cannot re-read the signing keystore", e);
            }
        }
        return ring().sign(document, typ, kid);
    }

    /** JWKS document: every published key, current or retired (with when it stopped signing), and the withdrawn kids. */
    public Map<String, Object> jwks() {
        List<Map<String, Object>> keys = new ArrayList<>();
        List<Map<String, Object>> withdrawn = new ArrayList<>();
        for (KeyState k : states.values()) {
            if (k.withdrawnAt() != null) {
                withdrawn.add(Map.of("kid", k.jwk().kid(), "withdrawnAt", k.withdrawnAt().toString()));
                continue;
            }
            Map<String, Object> jwk = k.jwk().toJson(k.retiredAt() == null ? "current" : "retired");
            if (k.retiredAt() != null) {
                jwk.put("retiredAt", k.retiredAt().toString());
            }
            keys.add(jwk);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("generatedAt", clock.instant().toString());
        doc.put("keys", keys);
        doc.put("withdrawn", withdrawn);
        return doc;
    }

    /** A new key signs from now on; the previous one verifies what it signed before now. */
    public KeyState rotate() throws Exception {
        KeyRing.SigningKey fresh = ring().rotate(); // in the shared file first: an instance that sees the row can sign
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                retireCurrentAndAdd(c, fresh);
                c.commit();
            } catch (Exception e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            refresh(c);
        }
        LOG.infof("rotated signing key: now %s", fresh.jwk().kid());
        return states.get(fresh.jwk().kid());
    }

    private void retireCurrentAndAdd(Connection c, KeyRing.SigningKey fresh) throws SQLException {
        String old = null;
        // a rotation by another instance committing while this statement waited leaves it no row: ask again, then retire
        // that instance's new key in turn (an empty registry has no row to find at all)
        for (int attempt = 0; attempt < 5 && old == null; attempt++) {
            try (PreparedStatement ps = c.prepareStatement("SELECT kid FROM signing_key WHERE retired_at IS NULL FOR UPDATE");
                 ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    old = rs.getString(1);
                }
            }
        }
        Instant at = clock.instant();
        if (old != null) {
            at = retirementInstant(c, old, at);
            try (PreparedStatement ps = c.prepareStatement("UPDATE signing_key SET retired_at = ? WHERE kid = ?")) {
                ps.setTimestamp(1, Timestamp.from(at));
                ps.setString(2, old);
                ps.executeUpdate();
            }
        }
        insert(c, fresh, at, null);
    }

    /**
     * Withdraws a compromised key: every certificate it signed verifies as {@code KEY_WITHDRAWN} from now on and the key
     * leaves the JWKS. Withdrawing the current key first rotates to a new one. Empty when the kid is unknown.
     *
     * @return the key's state after the withdrawal (a second withdrawal changes nothing)
     */
    public Optional<KeyState> withdraw(String kid, String who) throws Exception {
        if (!states.containsKey(kid)) {
            try (Connection c = dataSource.getConnection()) {
                refresh(c);
            }
            if (!states.containsKey(kid)) {
                return Optional.empty();
            }
        }
        if (states.get(kid).retiredAt() == null) {
            rotate();
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     UPDATE signing_key SET withdrawn_at = ?, withdrawn_by = ?, retired_at = coalesce(retired_at, ?)
                     WHERE kid = ? AND withdrawn_at IS NULL""")) {
            Instant now = clock.instant();
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, who);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setString(4, kid);
            if (ps.executeUpdate() == 1) {
                LOG.warnf("withdrew signing key %s: every certificate it signed now verifies as KEY_WITHDRAWN", kid);
            }
            refresh(c);
        }
        return Optional.of(states.get(kid));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private static String json(Map<String, Object> m) throws SQLException {
        try {
            return JSON.writeValueAsString(m);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("cannot write a JWK", e);
        }
    }

    private static Map<String, Object> json(String s) throws SQLException {
        try {
            return JSON.readValue(s, new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {
            });
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SQLException("unreadable JWK in signing_key", e);
        }
    }
}
