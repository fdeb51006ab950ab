package kz.ehr.certificates.verifier;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

/**
 * Offline verification: {@code java -cp … kz.ehr.certificates.verifier.VerifyCli --jwks jwks.json
 * [--revocations revocations.json] [--now 2026-11-28T06:00:00Z] [--max-age PT24H] --token <JWS or KZC1:… QR text>}.
 * Prints the result as JSON; exit code 0 for VALID, 1 for any other status, 2 for bad usage, a revocation list whose
 * signature does not hold, or a JWKS or revocation list older than {@code --max-age} (default {@link #DEFAULT_MAX_AGE})
 * at the instant checked: a stale JWKS still lists a key withdrawn since, a stale list lacks recent revocations.
 * {@code --now} checks the certificate as of a past (or future) instant, e.g. "was it valid on the day it was shown";
 * without it the check is as of the system clock.
 */
public final class VerifyCli {
    /** How old a JWKS or revocation list may be (by its {@code generatedAt}) at the instant checked. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);

    private VerifyCli() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, Clock.systemUTC()));
    }

    /**
     * Runs the check as of {@code clock} (or of {@code --now} when given) and prints the result to {@code out}; returns
     * the exit code.
     */
    public static int run(String[] args, java.io.PrintStream out, Clock clock) throws Exception {
        String jwks = null;
        String now = null;
        String revocations = null;
        String token = null;
        String maxAgeText = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--jwks" -> jwks = args[i + 1];
                case "--revocations" -> revocations = args[i + 1];
                case "--token" -> token = args[i + 1];
                case "--now" -> now = args[i + 1];
                case "--max-age" -> maxAgeText = args[i + 1];
                default -> {
                    return usage();
                }
            }
        }
        if (jwks == null || token == null || args.length % 2 != 0) {
            return usage();
        }
        if (now != null) {
            try {
                clock = Clock.fixed(Instant.parse(now), ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                System.err.println("--now: \"" + now + "\" is not an ISO-8601 instant such as 2026-11-28T06:00:00Z");
                return 2;
            }
        }
        Duration maxAge;
        try {
            maxAge = maxAgeText == null ? DEFAULT_MAX_AGE : Duration.parse(maxAgeText);
        } catch (DateTimeParseException e) {
            System.err.println("--max-age: \"" + maxAgeText + "\" is not an ISO-8601 duration such as PT24H");
            return 2;
        }
        Instant oldestAccepted = clock.instant().minus(maxAge);
        Jwks.Document published;
        try {
            published = Jwks.read(Files.readString(Path.of(jwks), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            System.err.println("refusing the JWKS: " + e.getMessage());
            return 2;
        }
        if (published.generatedAt() == null || published.generatedAt().isBefore(oldestAccepted)) {
            System.err.println("refusing the JWKS: generated " + (published.generatedAt() == null ? "at an unknown time" : "at " + published.generatedAt())
                    + ", more than " + maxAge + " before " + clock.instant() + " (a key may have been withdrawn since); download it again");
            return 2;
        }
        Map<String, EcJwk> keys = published.keys();
        Map<String, Instant> revoked;
        try {
            Jwks.Revocations lists = revocations == null ? new Jwks.Revocations(Map.of(), null)
                    : Jwks.readRevocations(Files.readString(Path.of(revocations), StandardCharsets.UTF_8), keys::get);
            if (revocations != null && (lists.oldestGeneratedAt() == null || lists.oldestGeneratedAt().isBefore(oldestAccepted))) {
                throw new IllegalArgumentException("generated at " + lists.oldestGeneratedAt() + ", more than " + maxAge + " before "
                        + clock.instant() + "; download it again");
            }
            revoked = lists.revoked();
        } catch (IllegalArgumentException e) {
            System.err.println("refusing the revocation list: " + e.getMessage());
            return 2;
        }
        TokenVerifier verifier = new TokenVerifier(keys::get, published::lifecycle,
                (kid, no) -> Optional.ofNullable(revoked.get(kid + "/" + no)), clock, 0);
        VerificationResult r = verifier.verify(token.startsWith("@") ? Files.readString(Path.of(token.substring(1))) : token);
        Map<String, Object> result = new java.util.LinkedHashMap<>();
        result.put("status", r.status().name());
        result.put("kid", r.kid());
        result.put("detail", r.detail());
        if (r.revokedAt() != null) {
            result.put("revokedAt", r.revokedAt().toString());
        }
        result.put("certificate", r.claims());
        out.println(CertificateJws.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        return r.status() == VerificationStatus.VALID ? 0 : 1;
    }

    private static int usage() {
        System.err.println("usage: VerifyCli --jwks jwks.json [--revocations revocations.json] [--now <ISO instant>] [--max-age PT24H] --token <JWS | KZC1:… | @file>");
        return 2;
    }
}
