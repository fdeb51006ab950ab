package kz.ehr.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import kz.ehr.console.patients.FieldAgreement;
import kz.ehr.console.patients.FieldAgreement.Verdict;

class FieldAgreementTests {
    @Test
    void sameDiffersAndMissingFieldByFieldWithKazakhLettersComparedAsWritten() {
        Map<String, Object> left = new HashMap<>(Map.of("iin", "850315300019", "lastName", "Сейтқали", "firstName", "Арман",
                "birthDate", "1985-03-15", "sex", "M"));
        Map<String, Object> right = new HashMap<>(Map.of("iin", "850315300019", "lastName", "СЕЙТҚАЛИ ", "firstName", "Арман",
                "birthDate", "1985-05-13", "sex", "M", "phone", "+77011234567"));
        List<FieldAgreement.Row> rows = FieldAgreement.compare(left, right);
        assertThat(rows).extracting(FieldAgreement.Row::field).containsExactlyElementsOf(FieldAgreement.FIELDS);
        Map<String, Verdict> v = new HashMap<>();
        rows.forEach(r -> v.put(r.field(), r.verdict()));
        assertThat(v).containsEntry("iin", Verdict.SAME).containsEntry("lastName", Verdict.SAME)
                .containsEntry("birthDate", Verdict.DIFFERS).containsEntry("phone", Verdict.MISSING)
                .containsEntry("middleName", Verdict.MISSING);
        assertThat(FieldAgreement.compare(Map.of("lastName", "Сейтқали"), Map.of("lastName", "Сейткали")).get(1).verdict())
                .as("қ and к are different letters").isEqualTo(Verdict.DIFFERS);
    }
}
