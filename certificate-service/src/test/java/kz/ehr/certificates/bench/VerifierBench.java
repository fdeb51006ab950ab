package kz.ehr.certificates.bench;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import kz.ehr.certificates.verifier.CertificateJws;
import kz.ehr.certificates.verifier.EcJwk;
import kz.ehr.certificates.verifier.TokenVerifier;
import kz.ehr.certificates.verifier.VerificationStatus;

/**
 * The verifier without HTTP: how many tokens a second one JVM checks, with every check a full ES256 verification
 * (cache 0) and with the verified-signature cache warm. Shows what bounds the REST figure.
 * <pre>
 * mvn -B -q -o -pl certificate-service test-compile exec:java -Dexec.classpathScope=test \
 *     -Dexec.mainClass=kz.ehr.certificates.bench.VerifierBench
 * </pre>
 */
public final class VerifierBench {
    public static void main(String[] args) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        EcJwk jwk = EcJwk.of((ECPublicKey) kp.getPublic());
        List<String> tokens = new ArrayList<>();
        long signStart = System.nanoTime();
        for (int i = 0; i < 2000; i++) {
            tokens.add(CertificateJws.sign(Map.of("no", "KZC-20261128-" + i, "sub", "850315300019",
                    "name", "Ахметов Ерлан Серикович", "exp", Instant.now().plusSeconds(86400).getEpochSecond(),
                    "c", Map.of("notRegistered", List.of("PSYCHIATRIC"))), jwk.kid(), kp.getPrivate()));
        }
        System.out.printf("cores=%d date=%s%nsign: %.0f/s on 1 thread%n", Runtime.getRuntime().availableProcessors(), Instant.now(),
                2000 / ((System.nanoTime() - signStart) / 1e9));
        for (int cache : new int[] {0, 100_000}) {
            for (int threads : new int[] {1, 2}) {
                TokenVerifier v = new TokenVerifier(kid -> jwk, TokenVerifier.RevocationLookup.NONE, Clock.systemUTC(), cache);
                tokens.forEach(v::verify); // every token seen once: with a cache, later checks are hits
                run(v, tokens, threads, 2); // JIT warm-up
                double rate = run(v, tokens, threads, 5);
                System.out.printf("verify: cache=%d threads=%d %.0f/s%n", cache, threads, rate);
            }
        }
    }

    static double run(TokenVerifier v, List<String> tokens, int threads, int seconds) throws InterruptedException {
        long until = System.nanoTime() + seconds * 1_000_000_000L;
        long[] counts = new long[threads];
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int idx = t;
            Thread th = new Thread(() -> {
                while (System.nanoTime() < until) {
                    if (v.verify(tokens.get(ThreadLocalRandom.current().nextInt(tokens.size()))).status() != VerificationStatus.VALID) {
                        throw new IllegalStateException("not valid");
                    }
                    counts[idx]++;
                }
            });
            th.start();
            ts.add(th);
        }
        long total = 0;
        for (int t = 0; t < threads; t++) {
            ts.get(t).join();
            total += counts[t];
        }
        return total / (double) seconds;
    }
}
