package kz.ehr.billing.it;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import kz.ehr.billing.export.CsvRecords;
import kz.ehr.security.Roles;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestTokens;

/**
 * Issue #20 item 8: outreach lists and capitation statements carry names, addresses and codes that providers typed.
 * Exported as CSV they reach a call centre's spreadsheet as text, never as a formula, and read back as sent; the
 * download's file name is built from a checked BIN only.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_billing_test"))
class CsvExportTests {
    static final String BIN = "100140005558";

    /** person key → the last name, first name, middle name, phone and address a provider sent */
    static final Map<String, List<String>> PEOPLE = new LinkedHashMap<>();

    static {
        PEOPLE.put("990101300001", List.of("=HYPERLINK(\"http://x\",\"click\")", "+1", "-2+3", "@SUM(A1)", "\t=cmd|' /C calc'!A0"));
        PEOPLE.put("990101300002", List.of("Doe, \"Jr\"", "Иван", "\r=1+1", "+77011234567", "Абай даңғылы 10,\r\nкв. 5"));
        PEOPLE.put("990101300003", List.of("Ұлықбекова", "Әлия", "Қанатқызы", "8 701 000 00 00", "Алматы, Төле би 1"));
        PEOPLE.put("prov:=L-1", List.of("Smith=1", "-", "@", "=", "+"));
    }

    @Inject
    AgroalDataSource dataSource;

    static RequestSpecification ops() {
        return given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS)).header("X-Purpose", "call centre export test");
    }

    void store() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement person = c.prepareStatement("""
                     INSERT INTO person (person_key, sex, birth_date, last_name, first_name, middle_name, phone, address)
                     VALUES (?, 'F', date '1980-01-01', ?, ?, ?, ?, ?) ON CONFLICT (person_key) DO NOTHING""");
             PreparedStatement attachment = c.prepareStatement("""
                     INSERT INTO attachment (rec_key, person_key, source_key, polyclinic_bin, region, from_date, record_version)
                     VALUES (?, ?, ?, ?, ?, date '2020-01-01', 1) ON CONFLICT (rec_key) DO NOTHING""")) {
            for (var p : PEOPLE.entrySet()) {
                person.setString(1, p.getKey());
                for (int i = 0; i < 5; i++) {
                    person.setString(i + 2, p.getValue().get(i));
                }
                person.executeUpdate();
                attachment.setString(1, "csv:" + p.getKey());
                attachment.setString(2, p.getKey());
                attachment.setString(3, "csv:" + p.getKey());
                attachment.setString(4, BIN);
                attachment.setString(5, p.getValue().get(0)); // a region is provider text too
                attachment.executeUpdate();
            }
        }
    }

    @Test
    void theOutreachListReadsBackAsTheTextSentWithFormulasNeutralised() throws SQLException {
        store();
        var response = ops().get("/api/v1/outreach?polyclinic=" + BIN + "&noVisitMonths=12&asOf=2024-08-30&format=csv").then().statusCode(200)
                .header("Content-Disposition", "attachment; filename=\"outreach-" + BIN + "-12m.csv\"").extract();
        List<List<String>> rows = CsvRecords.parse(response.asString());
        assertThat(rows.get(0)).containsExactly("iin", "lastName", "firstName", "middleName", "phone", "address", "lastVisit", "attachedSince",
                "identityInReview");
        assertThat(rows).hasSize(PEOPLE.size() + 1);
        for (List<String> row : rows.subList(1, rows.size())) {
            String key = row.get(0).startsWith("'") ? row.get(0).substring(1) : row.get(0);
            List<String> sent = PEOPLE.get(key);
            assertThat(sent).as(row.get(0)).isNotNull();
            assertThat(row.subList(1, 6)).containsExactlyElementsOf(sent.stream().map(CsvRecords::neutralised).toList());
            assertThat(row.get(6)).isEmpty(); // never seen
            assertThat(row.get(7)).isEqualTo("2020-01-01");
            assertThat(row.get(8)).isEqualTo("false"); // one enterprise patient (or none yet) under the key
        }
        // no cell of the file starts as a formula: every one that could is behind a quote
        rows.stream().flatMap(List::stream).forEach(cell -> assertThat(cell).doesNotStartWith("=").doesNotStartWith("+").doesNotStartWith("@")
                .doesNotStartWith("\t").doesNotStartWith("\r"));
    }

    @Test
    void theCapitationStatementKeepsItsAmountsNumbersAndItsProviderTextInert() throws SQLException {
        store();
        ops().post("/api/v1/capitation/2024-08/run").then().statusCode(200);
        String csv = ops().accept("text/csv").get("/api/v1/capitation/2024-08/polyclinics/{bin}/lines", BIN).then().statusCode(200)
                .header("Content-Disposition", "attachment; filename=\"capitation-2024-08-" + BIN + ".csv\"").extract().asString();
        List<List<String>> rows = CsvRecords.parse(csv);
        assertThat(rows.get(0).get(2)).isEqualTo("region");
        assertThat(rows).hasSize(PEOPLE.size() + 1);
        for (List<String> row : rows.subList(1, rows.size())) {
            assertThat(row).hasSize(18);
            assertThat(row.get(17)).isEqualTo("false");
            String key = row.get(0).startsWith("'") ? row.get(0).substring(1) : row.get(0);
            assertThat(row.get(2)).isEqualTo(CsvRecords.neutralised(PEOPLE.get(key).get(0)));
            for (String amount : row.subList(5, 16)) {
                assertThat(amount).matches("-?[0-9]+(\\.[0-9]+)?");
            }
        }
        assertThat(csv).doesNotContain(",=").doesNotContain("\"=");
    }

    @ParameterizedTest(name = "polyclinic \"{0}\"")
    @ValueSource(strings = {"x\"; filename=evil.exe", "10014000055", "1001400005555", "abcdefghijkl", "100140000555%0d%0aSet-Cookie:a=b",
            "100140005557" /* check digit */, "850315300019" /* an IIN: no entity kind */})
    void anOutreachDownloadForSomethingThatIsNoBinIsRefusedBeforeAnythingIsNamed(String polyclinic) {
        ops().queryParam("polyclinic", polyclinic).get("/api/v1/outreach?format=csv").then().statusCode(400)
                .header("Content-Disposition", nullValue())
                .body("code", equalTo("INVALID_BIN")).body("field", equalTo("polyclinic"));
    }

    @Test
    void aStatementDownloadForSomethingThatIsNoBinIsRefusedToo() {
        ops().accept("text/csv").get("/api/v1/capitation/2024-08/polyclinics/{bin}/lines", "12345\"x").then().statusCode(400)
                .body("code", equalTo("INVALID_BIN")).body("field", equalTo("bin"));
    }
}
