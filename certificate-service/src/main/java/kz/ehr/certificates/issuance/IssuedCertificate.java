package kz.ehr.certificates.issuance;

import java.time.Instant;
import java.util.Map;

/** A certificate as stored: its signed token is the certificate, the other fields are for lookups. */
public record IssuedCertificate(String number, String type, String iin, String kid, Instant issuedAt, Instant expiresAt,
                                String conclusion, String token, Instant revokedAt, String revocationReason,
                                Map<String, Object> claims) {
}
