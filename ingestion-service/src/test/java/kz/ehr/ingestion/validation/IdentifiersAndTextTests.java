package kz.ehr.ingestion.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IdentifiersAndTextTests {

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "+7 701 123 45 67   | +77011234567",
            "8 (701) 123-45-67  | +77011234567",
            "87011234567        | +77011234567",
            "77011234567        | +77011234567",
            "7011234567         | +77011234567",
            "+7 (7172) 55-12-34 | +77172551234",
            "+49 30 1234567     | +49301234567",
            "+7 701 123 45      | <none>",
            "12345              | <none>",
            "+77011234567 ext 5 | <none>",
            "701-123-45-67      | +77011234567",
    })
    void phonesBecomeE164(String raw, String expected) {
        assertThat(PhoneNumbers.toE164(raw).orElse("<none>")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} folds to {1}")
    @CsvSource(delimiter = '|', value = {
            "'  АХМЕТОВ  '        | ахметов",
            "Әлібек               | әлібек",
            "'Нұр   Сұлтан'       | нұр сұлтан",
            "STRAßE               | strasse",
    })
    void namesAreTrimmedAndCaseFolded(String raw, String folded) {
        assertThat(Names.fold(Names.nfc(raw))).isEqualTo(folded);
    }

    @ParameterizedTest
    @CsvSource({"e\u0301", "Й"})
    void namesAreNfc(String raw) {
        assertThat(Names.nfc("И\u0306")).isEqualTo("Й");
        assertThat(Names.nfc(raw)).isEqualTo(java.text.Normalizer.normalize(raw, java.text.Normalizer.Form.NFC));
    }

    @ParameterizedTest(name = "{0} is a valid ICD-10 shape: {1}")
    @CsvSource({"I10, true", "A15.0, true", "C50.9, true", "i21.4, true", "I1, false", "110, false", "I10., false", "A15.00000, false"})
    void icd10Shape(String code, boolean valid) {
        assertThat(Icd10.hasValidShape(Icd10.normalise(code))).isEqualTo(valid);
    }

    @ParameterizedTest(name = "{0} first invalid byte at {1}")
    @CsvSource({
            "7b7d, -1",               // {}
            "d0b0d0b1, -1",           // аб
            "f09f9880, -1",           // emoji
            "41ff42, 1",              // 0xFF never valid
            "41c0af, 1",              // overlong '/'
            "41eda080, 1",            // encoded surrogate U+D800
            "41d0, 1",                // truncated
            "41e282, 1",              // truncated 3-byte
            "f4908080, 0",            // above U+10FFFF
    })
    void utf8IsCheckedStrictly(String hex, int firstInvalid) {
        byte[] b = HexFormat.of().parseHex(hex);
        assertThat(Utf8.firstInvalidByte(b, 0, b.length)).isEqualTo(firstInvalid);
        if (firstInvalid < 0) {
            assertThat(new String(b, StandardCharsets.UTF_8)).doesNotContain("\uFFFD");
        }
    }
}
