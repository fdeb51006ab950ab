package kz.ehr.certificates.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
    void aKeystoreIsCreatedOnFirstOpenReadableOnlyByItsOwnerWithItsPasswordOutsideTheKeyDirectory(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys/signing-keys.p12");
        Path secret = dir.resolve("secrets/keystore.password");
        KeyRing first = KeyRing.open(file, null, secret);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        assertThat(Files.list(file.getParent()).map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("password"));
        KeyRing again = KeyRing.open(file, null, secret);
        assertThat(again.current().jwk().kid()).isEqualTo(first.current().jwk().kid());
        // a copy of the key directory alone opens nothing; a password file inside it is refused
        assertThatThrownBy(() -> KeyRing.open(file, null, dir.resolve("elsewhere.password")))
                .hasMessageContaining("KEYSTORE_PASSWORD_MISSING");
        assertThatThrownBy(() -> KeyRing.open(file, null, dir.resolve("keys/keystore.password")))
                .hasMessageContaining("KEYSTORE_PASSWORD_PLACEMENT");
    }

    @Test
    void aPasswordFileOfTheFormerKindNextToTheKeystoreIsTakenOverOutsideIt(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys/signing-keys.p12");
        KeyRing formerRing = KeyRing.open(file, "former-secret");
        Files.writeString(dir.resolve("keys/signing-keys.p12.password"), "former-secret");
        Path secret = dir.resolve("secrets/keystore.password");
        assertThat(KeyRing.open(file, null, secret).current().jwk().kid()).isEqualTo(formerRing.current().jwk().kid());
        assertThat(Files.readString(secret)).isEqualTo("former-secret");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
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
