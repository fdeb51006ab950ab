package kz.ehr.ingestion;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import io.restassured.response.ValidatableResponse;

/** Realistic provider records and a poster, shared by the integration tests. */
public final class TestRecords {
    public static final String DAMUMED = "Bearer test-key-damumed";
    public static final String KMIS = "Bearer test-key-kmis";
    /** A staff member with the ops role (signed with the test key the test profile trusts). */
    public static final String OPS = "Bearer " + kz.ehr.testsupport.TestTokens.of("aigerim", kz.ehr.security.Roles.OPS);

    private TestRecords() {
    }

    public static String id(String prefix) {
        return prefix + "-" + UUID.randomUUID();
    }

    public static String encounter(String recordId, String localId, String iin, String diagnosis) {
        return """
                {"recordId":"%s","type":"ENCOUNTER","occurredAt":"2025-03-01T10:15:00+05:00",\
                "patient":{"localId":"%s","iin":"%s","lastName":"Ахметов","firstName":"Ерлан","birthDate":"1985-03-15","sex":"M","phone":"87011234567"},\
                "encounter":{"polyclinicBin":"100140000013","doctorId":"D-1","start":"2025-03-01T10:15:00+05:00","kind":"VISIT","diagnoses":["%s"]}}"""
                .formatted(recordId, localId, iin, diagnosis);
    }

    public static String patient(String recordId, String localId, String iin) {
        return """
                {"recordId":"%s","type":"PATIENT","patient":{"localId":"%s","iin":"%s","lastName":"Сейткали","firstName":"Айгерим"}}"""
                .formatted(recordId, localId, iin);
    }

    public static ValidatableResponse post(String authorization, String... lines) {
        return post(authorization, String.join("\n", lines).getBytes(StandardCharsets.UTF_8));
    }

    public static ValidatableResponse post(String authorization, byte[] ndjson) {
        return given().header("Authorization", authorization).contentType("application/x-ndjson").body(ndjson)
                .when().post("/api/v1/records").then();
    }
}
