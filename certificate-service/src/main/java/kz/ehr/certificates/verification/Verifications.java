package kz.ehr.certificates.verification;

import java.time.Clock;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.annotation.Timed;

import kz.ehr.certificates.config.CertificatesConfig;
import kz.ehr.certificates.revocation.RevocationIndex;
import kz.ehr.certificates.signing.SigningKeys;
import kz.ehr.certificates.verifier.TokenVerifier;
import kz.ehr.certificates.verifier.VerificationResult;

/** Online verification: the offline verifier, with this service's keys and its live revocation index. */
@ApplicationScoped
public class Verifications {
    @Inject
    SigningKeys keys;
    @Inject
    RevocationIndex revocations;
    @Inject
    CertificatesConfig config;

    private TokenVerifier verifier;

    @PostConstruct
    void init() {
        verifier = new TokenVerifier(keys::publicKey, keys::lifecycle, revocations, Clock.systemUTC(),
                config.verifiedSignatureCache());
    }

    @Timed(value = "certificates.verify", percentiles = {0.5, 0.99}, description = "verification inside the service")
    public VerificationResult verify(String token) {
        return verifier.verify(token);
    }
}
