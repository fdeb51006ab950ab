package kz.ehr.certificates.verifier;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * Offline verification: {@code java -cp … kz.ehr.certificates.verifier.VerifyCli --jwks jwks.json
 * [--revocations revocations.json] --token <JWS or KZC1:… QR text>}. Prints the result as JSON; exit code 0 for
 * VALID, 1 for any other status, 2 for bad usage or a revocation list whose signature does not hold.
 */
public final class VerifyCli {
    private VerifyCli() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    /** Runs the check and prints the result to {@code out}; returns the exit code. */
    public static int run(String[] args, java.io.PrintStream out) throws Exception {
        String jwks = null;
        String revocations = null;
        String token = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--jwks" -> jwks = args[i + 1];
                case "--revocations" -> revocations = args[i + 1];
                case "--token" -> token = args[i + 1];
                default -> {
                    return usage();
                }
            }
        }
        if (jwks == null || token == null) {
            return usage();
        }
        Map<String, EcJwk> keys = Jwks.parse(Files.readString(Path.of(jwks), StandardCharsets.UTF_8));
        Map<String, String> revoked;
        try {
            revoked = revocations == null ? Map.of()
                    : Jwks.parseRevocations(Files.readString(Path.of(revocations), StandardCharsets.UTF_8), keys::get);
        } catch (IllegalArgumentException e) {
            System.err.println("refusing the revocation list: " + e.getMessage());
            return 2;
        }
        TokenVerifier verifier = new TokenVerifier(keys::get,
                (kid, no) -> Optional.ofNullable(revoked.get(kid + "/" + no)), Clock.systemUTC(), 0);
        VerificationResult r = verifier.verify(token.startsWith("@") ? Files.readString(Path.of(token.substring(1))) : token);
        Map<String, Object> result = new java.util.LinkedHashMap<>();
        result.put("status", r.status().name());
        result.put("kid", r.kid());
        result.put("detail", r.detail());
        result.put("certificate", r.claims());
        out.println(CertificateJws.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(result));
        return r.status() == VerificationStatus.VALID ? 0 : 1;
    }

    private static int usage() {
        System.err.println("usage: VerifyCli --jwks jwks.json [--revocations revocations.json] --token <JWS | KZC1:… | @file>");
        return 2;
    }
}
