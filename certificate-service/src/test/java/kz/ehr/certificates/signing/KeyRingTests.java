package kz.ehr.certificates.signing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import kz.ehr.certificates.verifier.TokenVerifier;
import kz.ehr.certificates.verifier.VerificationStatus;

class KeyRingTests {
    @Test
    void aKeystoreIsCreatedOnFirstOpenReadableOnlyByItsOwnerAndReopensWithTheSameKey(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys/signing-keys.p12");
        KeyRing first = KeyRing.open(file, null);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("keys/signing-keys.p12.password")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        KeyRing again = KeyRing.open(file, null);
        assertThat(again.current().jwk().kid()).isEqualTo(first.current().jwk().kid());
    }

    @Test
    void rotationSignsWithANewKeyAndKeepsTheOldOneForVerification(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("signing-keys.p12");
        KeyRing ring = KeyRing.open(file, "configured-secret");
        String before = ring.sign(Map.of("no", "A-1", "exp", Long.MAX_VALUE / 2000));
        String oldKid = ring.current().jwk().kid();
        ring.rotate();
        KeyRing reopened = KeyRing.open(file, "configured-secret");
        assertThat(reopened.all()).hasSize(2);
        assertThat(reopened.current().jwk().kid()).isNotEqualTo(oldKid);
        String after = reopened.sign(Map.of("no", "A-2", "exp", Long.MAX_VALUE / 2000));
        TokenVerifier v = new TokenVerifier(reopened::publicKey, TokenVerifier.RevocationLookup.NONE, Clock.systemUTC(), 0);
        assertThat(v.verify(before).status()).isEqualTo(VerificationStatus.VALID);
        assertThat(v.verify(before).kid()).isEqualTo(oldKid);
        assertThat(v.verify(after).status()).isEqualTo(VerificationStatus.VALID);
        assertThat(v.verify(after).kid()).isEqualTo(reopened.current().jwk().kid());
    }
}
