package kz.ehr.certificates.verification;

import java.time.Clock;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.annotation.Timed;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import kz.ehr.certificates.config.CertificatesConfig;
import kz.ehr.certificates.revocation.RevocationIndex;
import kz.ehr.certificates.signing.SigningKeys;
import kz.ehr.certificates.verifier.TokenVerifier;
import kz.ehr.certificates.verifier.VerificationResult;
import kz.ehr.certificates.verifier.VerificationStatus;

/**
 * Online verification: the offline verifier, with this service's keys and its live revocation index. Counts every
 * answer by status, {@code ehr_certificates_verifications_total{status}}, every status from the start (at 0) so that a
 * dashboard's rate has a series before the first of its kind.
 */
@ApplicationScoped
public class Verifications {
    @Inject
    SigningKeys keys;
    @Inject
    RevocationIndex revocations;
    @Inject
    CertificatesConfig config;
    @Inject
    MeterRegistry metrics;

    private TokenVerifier verifier;
    private final java.util.Map<VerificationStatus, Counter> answers = new java.util.EnumMap<>(VerificationStatus.class);

    @PostConstruct
    void init() {
        verifier = new TokenVerifier(keys::publicKey, keys::lifecycle, revocations, Clock.systemUTC(),
                config.verifiedSignatureCache());
        for (VerificationStatus status : VerificationStatus.values()) {
            answers.put(status, Counter.builder("ehr.certificates.verifications").tag("status", status.name())
                    .description("Verification answers by status").register(metrics));
        }
    }

    @Timed(value = "certificates.verify", percentiles = {0.5, 0.99}, description = "verification inside the service")
    public VerificationResult verify(String token) {
        VerificationResult result = verifier.verify(token);
        answers.get(result.status()).increment();
        return result;
    }
}
