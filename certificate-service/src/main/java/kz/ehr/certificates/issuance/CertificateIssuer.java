package kz.ehr.certificates.issuance;

import java.sql.Connection;
import java.sql.SQLException;
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
import io.quarkus.panache.common.Sort;
import kz.ehr.certificates.Certificate;
import kz.ehr.certificates.config.CertificatesConfig;
import kz.ehr.certificates.eligibility.CertificateType;
import kz.ehr.certificates.eligibility.Decision;
import kz.ehr.certificates.eligibility.EligibilityRules;
import kz.ehr.certificates.eligibility.PersonFacts;
import kz.ehr.certificates.outbox.Outbox;
import kz.ehr.certificates.projection.PersonFactsLoader;
import kz.ehr.certificates.revocation.CertificateRevoker;
import kz.ehr.certificates.signing.SigningKeys;
import kz.ehr.identity.IdentifierProblem;
import kz.ehr.identity.Iin;
import kz.ehr.certificates.verifier.CertificateJws;

/**
 * Issues certificates: rules over the projection, then sign, store and announce (outbox) in one transaction.
 * The certificate row is a Panache entity; the JDBC connection only carries the signing key's share lock and the shared outbox writer into the same transaction.
 */
@ApplicationScoped
public class CertificateIssuer {
    @Inject
    AgroalDataSource dataSource;
    @Inject
    PersonFactsLoader factsLoader;
    @Inject
    CertificateRevoker revoker;
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
        // a death, registration or identity change being applied now is committed before the facts are read, and one
        // that comes later waits for this certificate and then revokes it
        revoker.takeTurnsWithIssuing(List.of(iin));
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
            Certificate row = new Certificate();
            row.number = number;
            row.type = type.name();
            row.iin = iin;
            row.kid = kid;
            row.issuedAt = issued;
            row.expiresAt = expires;
            row.conclusion = decision.conclusion();
            row.token = token;
            row.persist();
            // now, not at commit: the outbox row below is plain JDBC on this same connection and transaction
            Certificate.flush();
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

    public Optional<IssuedCertificate> find(String number) {
        return Certificate.<Certificate>findByIdOptional(number).map(c -> new IssuedCertificate(c.number, c.type, c.iin,
                c.kid, c.issuedAt, c.expiresAt, c.conclusion, c.token, c.revokedAt, c.revocationReason,
                CertificateJws.unverifiedClaims(c.token)));
    }

    /**
     * Certificates revoked that were signed by one key, number and time only: the public revocation list verifiers
     * download. The reason is health data and is read only through the audited staff endpoint ({@link #find}).
     */
    public List<Map<String, Object>> revokedBy(String kid) {
        List<Map<String, Object>> out = new java.util.ArrayList<>();
        for (Certificate.Revoked r : Certificate.find("kid = ?1 and revokedAt is not null",
                Sort.by("revokedAt").and("number"), kid).project(Certificate.Revoked.class).list()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("no", r.number());
            m.put("revokedAt", r.revokedAt().toString());
            out.add(m);
        }
        return out;
    }
}
