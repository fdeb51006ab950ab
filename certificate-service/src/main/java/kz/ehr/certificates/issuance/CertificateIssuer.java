package kz.ehr.certificates.issuance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.annotation.Timed;
import kz.ehr.certificates.config.CertificatesConfig;
import kz.ehr.certificates.eligibility.CertificateType;
import kz.ehr.certificates.eligibility.Decision;
import kz.ehr.certificates.eligibility.EligibilityRules;
import kz.ehr.certificates.eligibility.PersonFacts;
import kz.ehr.certificates.outbox.Outbox;
import kz.ehr.certificates.projection.PersonFactsLoader;
import kz.ehr.certificates.signing.SigningKeys;
import kz.ehr.identity.IdentifierProblem;
import kz.ehr.identity.Iin;
import kz.ehr.certificates.verifier.CertificateJws;

/** Issues certificates: rules over the projection, then sign, store and announce (outbox) in one transaction. */
@ApplicationScoped
public class CertificateIssuer {
    @Inject
    AgroalDataSource dataSource;
    @Inject
    PersonFactsLoader factsLoader;
    @Inject
    SigningKeys keys;
    @Inject
    CertificatesConfig config;

    /** Every certificate number starts so, whatever its type (see {@link #newNumber}). */
    static final String NUMBER_PREFIX = "KZC-";
    private static final String CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private EligibilityRules rules;
    private ZoneId zone;
    private final Clock clock = Clock.systemUTC();

    @PostConstruct
    void init() {
        rules = new EligibilityRules(config.policy());
        zone = ZoneId.of(config.zone());
    }

    @Transactional
    @Timed(value = "certificates.issue", percentiles = {0.5, 0.99}, description = "issuance inside the service, rules to commit")
    public IssuedCertificate issue(String iin, String typeName) throws SQLException {
        CertificateType type = CertificateType.parse(typeName);
        if (type == null) {
            throw new IssuanceException(IssuanceException.Kind.INVALID_REQUEST, "UNKNOWN_CERTIFICATE_TYPE", "type",
                    "type \"" + typeName + "\" is not one of " + List.of(CertificateType.values()), null);
        }
        Instant now = clock.instant();
        LocalDate today = LocalDate.ofInstant(now, zone);
        Optional<IdentifierProblem> iinProblem = Iin.problem(iin, today);
        if (iinProblem.isPresent()) {
            throw new IssuanceException(IssuanceException.Kind.INVALID_REQUEST, iinProblem.get().code(), "iin",
                    "iin " + iinProblem.get().reason(), null);
        }
        PersonFacts facts = factsLoader.load(iin);
        Decision decision = rules.evaluate(type, facts, today);
        if (!decision.eligible()) {
            throw new IssuanceException(IssuanceException.Kind.NOT_ELIGIBLE, "NOT_ELIGIBLE", null,
                    "the person is not eligible for " + type + ": " + String.join(", ", decision.codes()), decision.reasons());
        }
        Instant expires = decision.expiresOn().atStartOfDay(zone).toInstant();
        String number = newNumber(today);
        try (Connection c = dataSource.getConnection()) {
            // the key row stays share-locked until this transaction commits: a rotation retires the key after it
            SigningKeys.SignedCertificate signed = keys.signCertificate(c, at -> claims(number, type, facts, decision, at, expires));
            String token = signed.signed().token();
            String kid = signed.signed().kid();
            Instant issued = signed.issuedAt();
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO certificate (number, type, iin, kid, issued_at, expires_at, conclusion, token)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)""")) {
                ps.setString(1, number);
                ps.setString(2, type.name());
                ps.setString(3, iin);
                ps.setString(4, kid);
                ps.setTimestamp(5, Timestamp.from(issued));
                ps.setTimestamp(6, Timestamp.from(expires));
                ps.setString(7, decision.conclusion());
                ps.setString(8, token);
                ps.executeUpdate();
            }
            Outbox.add(c, Outbox.event("ISSUED", number, type.name(), iin, issued, expires, null, null, kid, null));
            return new IssuedCertificate(number, type.name(), iin, kid, issued, expires, decision.conclusion(), token, null, null, signed.claims());
        }
    }

    /**
     * e.g. {@code KZC-20261128-7KQ2M9XH4T}: issue day, 50 random bits. Random rather than a sequence so that nobody can
     * walk the numbers to read other people's certificates, and no round trip is needed. The number does not name the
     * type: it stands alone in the public revocation lists, where {@code PSYCHIATRIC_CLEARANCE-…} would tell anyone
     * that somebody's psychiatric clearance was withdrawn.
     */
    static String newNumber(LocalDate today) {
        StringBuilder b = new StringBuilder(NUMBER_PREFIX).append(today.toString().replace("-", "")).append('-');
        long bits = RANDOM.nextLong();
        for (int i = 0; i < 10; i++) {
            b.append(CROCKFORD.charAt((int) (bits & 31)));
            bits >>>= 5;
        }
        return b.toString();
    }

    private Map<String, Object> claims(String number, CertificateType type, PersonFacts facts, Decision decision,
                                       Instant now, Instant expires) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("iss", config.issuer());
        c.put("no", number);
        c.put("typ", type.name());
        c.put("form", type.form);
        c.put("sub", facts.iin());
        c.put("name", facts.fullName());
        if (facts.birthDate() != null) {
            c.put("bd", facts.birthDate().toString());
        }
        c.put("bin", decision.facilityBin() != null ? decision.facilityBin() : config.issuerBin());
        if (decision.doctorId() != null) {
            c.put("doc", decision.doctorId());
        }
        c.put("iat", now.getEpochSecond());
        c.put("exp", expires.getEpochSecond());
        c.put("concl", decision.conclusion());
        if (!decision.content().isEmpty()) {
            c.put("c", decision.content());
        }
        return c;
    }

    public Optional<IssuedCertificate> find(String number) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT number, type, iin, kid, issued_at, expires_at, conclusion, token, revoked_at, revocation_reason
                     FROM certificate WHERE number = ?""")) {
            ps.setString(1, number);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                Timestamp revoked = rs.getTimestamp(9);
                String token = rs.getString(8);
                return Optional.of(new IssuedCertificate(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(), rs.getString(7), token,
                        revoked == null ? null : revoked.toInstant(), rs.getString(10), CertificateJws.unverifiedClaims(token)));
            }
        }
    }

    /**
     * Certificates revoked that were signed by one key, number and time only: the public revocation list verifiers
     * download. The reason is health data and is read only through the audited staff endpoint ({@link #find}).
     */
    public List<Map<String, Object>> revokedBy(String kid) throws SQLException {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT number, revoked_at FROM certificate
                     WHERE kid = ? AND revoked_at IS NOT NULL ORDER BY revoked_at, number""")) {
            ps.setString(1, kid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("no", rs.getString(1));
                    m.put("revokedAt", rs.getTimestamp(2).toInstant().toString());
                    out.add(m);
                }
            }
        }
        return out;
    }
}
