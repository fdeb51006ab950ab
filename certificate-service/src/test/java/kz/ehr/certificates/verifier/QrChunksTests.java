package kz.ehr.certificates.verifier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

class QrChunksTests {
    static final String TEXT = "KZC1:" + "6BFOXN*TS0BI$ZD.P9UY5 7A9K1V2+-3$%".repeat(40);

    @Test
    void aTextThatFitsStaysOneCodeAndPassesJoinUnchanged() {
        assertThat(QrChunks.split("KZC1:ABC", 100)).containsExactly("KZC1:ABC");
        assertThat(QrChunks.join("KZC1:ABC")).isEqualTo("KZC1:ABC");
        assertThat(QrChunks.join("eyJhbGciOiJFUzI1NiJ9.e30.sig")).isEqualTo("eyJhbGciOiJFUzI1NiJ9.e30.sig");
    }

    @Test
    void partsOfEvenLengthJoinBackInAnyOrderEvenWhenAPartEndsWithASpace() {
        List<String> parts = QrChunks.split(TEXT, 500);
        assertThat(parts).hasSizeGreaterThan(2).allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(500));
        assertThat(parts.get(0)).startsWith("KZC1/1/" + parts.size() + ":");
        List<String> shuffled = new ArrayList<>(parts);
        Collections.reverse(shuffled);
        assertThat(QrChunks.join(String.join("\r\n", shuffled))).isEqualTo(TEXT);
        assertThat(QrChunks.join(String.join("\n", parts) + "\n" + parts.get(1))).as("a part scanned twice").isEqualTo(TEXT);
    }

    @Test
    void aMissingPartAForeignPartOrOtherTextIsRefusedSayingWhich() {
        List<String> parts = QrChunks.split(TEXT, 500);
        assertThatThrownBy(() -> QrChunks.join(parts.get(0))).hasMessageContaining("missing");
        assertThatThrownBy(() -> QrChunks.join(parts.get(0) + "\nKZC1/2/9:ABC")).hasMessageContaining("different sets");
        assertThatThrownBy(() -> QrChunks.join(parts.get(0) + "\nhello")).hasMessageContaining("not a QR part");
        assertThatThrownBy(() -> QrChunks.join(parts.get(0) + "\n" + parts.get(0).replace("KZC1/1/", "KZC1/1/").substring(0, 20)))
                .hasMessageContaining("two different QR parts");
    }

    @Test
    void theVerifierCallsAnIncompleteSetMalformed() {
        List<String> parts = QrChunks.split(TEXT, 500);
        VerificationResult r = new TokenVerifier(kid -> null, TokenVerifier.RevocationLookup.NONE, java.time.Clock.systemUTC(), 0)
                .verify(parts.get(0));
        assertThat(r.status()).isEqualTo(VerificationStatus.MALFORMED);
        assertThat(r.detail()).contains("missing");
    }
}
