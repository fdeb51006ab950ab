package kz.ehr.ingestion;

import static io.restassured.RestAssured.given;
import static kz.ehr.ingestion.TestRecords.DAMUMED;
import static kz.ehr.ingestion.TestRecords.KMIS;
import static kz.ehr.ingestion.TestRecords.OPS;
import static kz.ehr.ingestion.TestRecords.encounter;
import static kz.ehr.ingestion.TestRecords.id;
import static kz.ehr.ingestion.TestRecords.patient;
import static kz.ehr.ingestion.TestRecords.post;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import kz.ehr.testsupport.KafkaAndPostgresResource;

/** Statistics, rejection lists, key rotation and metrics, with real keys in the real database. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_ingestion_test"))
class ProvidersResourceTests {
    @Inject
    AgroalDataSource db;

    /** A provider of its own, so that counts are not shared with other tests. */
    static String[] newProvider() {
        String provider = "vendor-" + UUID.randomUUID().toString().substring(0, 8);
        JsonPath issued = given().header("Authorization", OPS).when().post("/api/v1/providers/" + provider + "/keys")
                .then().statusCode(201).body("keyId", notNullValue()).extract().jsonPath();
        return new String[] {provider, "Bearer " + issued.getString("key"), issued.getString("keyId")};
    }

    @Test
    void statisticsCountEveryOutcomeAndRejectionsByCode() {
        String[] p = newProvider();
        String a = id("a");
        post(p[1], patient(a, "P-1", "900101400013"), encounter(id("b"), "P-2", "850315300019", "I10")).statusCode(200);
        post(p[1], patient(a, "P-1", "900101400013"), "{broken", "{\"recordId\":\"x\",\"type\":\"NOPE\",\"patient\":{\"localId\":\"P\"}}")
                .statusCode(200).body("duplicates", equalTo(1));

        JsonPath stats = given().header("Authorization", p[1]).when().get("/api/v1/providers/" + p[0] + "/stats")
                .then().statusCode(200).extract().jsonPath();
        assertThat(stats.getLong("accepted")).isEqualTo(2);
        assertThat(stats.getLong("duplicates")).isEqualTo(1);
        assertThat(stats.getLong("rejected")).isEqualTo(2);
        assertThat(stats.getLong("batches")).isEqualTo(2);
        assertThat(stats.getMap("rejectedByCode")).containsEntry("MALFORMED_JSON", 1).containsEntry("UNKNOWN_TYPE", 1);
        assertThat(stats.getString("lastSeenAt")).isNotNull();
        assertThat(stats.getDouble("recordsPerMinute.last5Minutes") * 5).isEqualTo(5.0);
    }

    @Test
    void rejectionsPerCodePerHourAndRecordsPerMinuteAreReadBackForOneProvider() {
        String[] p = newProvider();
        post(p[1], patient(id("h1"), "P-1", "900101400013"), "{broken",
                "{\"recordId\":\"" + id("h2") + "\",\"type\":\"NOPE\",\"patient\":{\"localId\":\"P\"}}").statusCode(200);
        post(p[1], "{broken").statusCode(200);

        JsonPath hourly = given().header("Authorization", OPS).queryParam("provider", p[0]).queryParam("hours", 3)
                .when().get("/api/v1/providers/stats/rejections-by-hour").then().statusCode(200).extract().jsonPath();
        assertThat(hourly.getString("bucket")).isEqualTo("PT1H");
        assertThat(hourly.getList("buckets")).hasSize(3);
        java.util.Map<String, Integer> byCode = new java.util.TreeMap<>();
        for (java.util.Map<String, Object> series : hourly.<java.util.Map<String, Object>>getList("series")) {
            assertThat(series.get("providerId")).isEqualTo(p[0]);
            @SuppressWarnings("unchecked")
            java.util.List<Integer> counts = (java.util.List<Integer>) series.get("counts");
            // everything was just now: in the current hour (or the one before, had an hour begun between the two posts)
            assertThat(counts.get(0)).isZero();
            assertThat(counts.stream().mapToInt(Integer::intValue).sum()).isEqualTo(((Number) series.get("total")).intValue());
            byCode.put((String) series.get("code"), counts.get(1) + counts.get(2));
        }
        assertThat(byCode).isEqualTo(java.util.Map.of("MALFORMED_JSON", 2, "UNKNOWN_TYPE", 1));

        JsonPath minutes = given().header("Authorization", OPS).queryParam("provider", p[0]).queryParam("minutes", 5)
                .when().get("/api/v1/providers/stats/records-by-minute").then().statusCode(200).extract().jsonPath();
        assertThat(minutes.getList("buckets")).hasSize(5);
        assertThat(minutes.getList("series")).hasSize(1);
        assertThat(minutes.getLong("series[0].total")).isEqualTo(4);

        for (String bad : java.util.List.of("0", "169", "x")) {
            given().header("Authorization", OPS).queryParam("hours", bad).when().get("/api/v1/providers/stats/rejections-by-hour")
                    .then().statusCode(400).body("code", equalTo("INVALID_PARAMETER")).body("field", equalTo("hours"));
        }
        given().header("Authorization", OPS).queryParam("minutes", "1441").when().get("/api/v1/providers/stats/records-by-minute")
                .then().statusCode(400).body("code", equalTo("INVALID_PARAMETER")).body("field", equalTo("minutes"));
    }

    @Test
    void aProviderListsItsRecentRejectionsNewestFirstAndTheReadIsAudited() throws Exception {
        String[] p = newProvider();
        String first = id("r1");
        String second = id("r2");
        post(p[1], "{\"recordId\":\"" + first + "\",\"type\":\"PATIENT\"}").statusCode(200);
        post(p[1], "{\"recordId\":\"" + second + "\",\"type\":\"PATIENT\",\"patient\":{}}").statusCode(200);

        JsonPath page = given().header("Authorization", p[1]).queryParam("limit", 1)
                .when().get("/api/v1/providers/" + p[0] + "/rejections").then().statusCode(200).extract().jsonPath();
        assertThat(page.getString("items[0].recordId")).isEqualTo(second);
        assertThat(page.getString("items[0].errors[0].field")).isEqualTo("patient.localId");
        JsonPath next = given().header("Authorization", p[1]).queryParam("limit", 1).queryParam("before", page.getLong("nextCursor"))
                .when().get("/api/v1/providers/" + p[0] + "/rejections").then().statusCode(200).extract().jsonPath();
        assertThat(next.getString("items[0].recordId")).isEqualTo(first);
        assertThat(next.getString("items[0].errors[0].code")).isEqualTo("REQUIRED");
        assertThat(next.getString("items[0].payload")).contains(first);

        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM audit_log WHERE subject = ? AND actor = ?")) {
            ps.setString(1, p[0]);
            ps.setString(2, "provider:" + p[0]);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        }
    }

    @Test
    void aProviderCannotSeeAnotherProvidersDataNorUseOpsEndpoints() {
        given().header("Authorization", KMIS).when().get("/api/v1/providers/damumed/stats")
                .then().statusCode(403).contentType("application/problem+json").body("code", equalTo("FORBIDDEN"));
        given().header("Authorization", KMIS).when().get("/api/v1/providers/damumed/rejections").then().statusCode(403);
        // a provider key is not a staff token: ops-only endpoints do not know it
        given().header("Authorization", DAMUMED).when().get("/api/v1/providers/stats").then().statusCode(401);
        given().header("Authorization", DAMUMED).when().post("/api/v1/providers/damumed/keys").then().statusCode(401);
        given().when().get("/api/v1/providers/damumed/stats").then().statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        given().header("Authorization", "Bearer wrong").when().get("/api/v1/providers/stats").then().statusCode(401);
        given().header("Authorization", OPS).when().get("/api/v1/providers/damumed/stats").then().statusCode(200);
    }

    @Test
    void keysRotateARevokedKeyStopsWorkingWhileTheOtherStillDoes() {
        String[] p = newProvider();
        String second = "Bearer " + given().header("Authorization", OPS).when().post("/api/v1/providers/" + p[0] + "/keys")
                .then().statusCode(201).extract().jsonPath().getString("key");
        given().header("Authorization", OPS).when().delete("/api/v1/providers/" + p[0] + "/keys/" + p[2]).then().statusCode(204);
        given().header("Authorization", OPS).when().delete("/api/v1/providers/" + p[0] + "/keys/" + p[2]).then().statusCode(404);

        post(p[1], patient(id("k"), "P-1", "900101400013")).statusCode(401).body("code", equalTo("UNAUTHENTICATED"));
        post(second, patient(id("k"), "P-1", "900101400013")).statusCode(200).body("accepted", equalTo(1));
        given().header("Authorization", OPS).when().get("/api/v1/providers/" + p[0] + "/keys").then().statusCode(200)
                .body("size()", equalTo(2)).body("find { it.keyId == '" + p[2] + "' }.revokedAt", notNullValue());
    }

    @Test
    void keysAreStoredOnlyAsHashes() throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM provider_key WHERE key_hash = ? OR key_id = ?")) {
            ps.setString(1, "test-key-damumed");
            ps.setString(2, "test-key-damumed");
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    @Test
    void prometheusMetricsCountRecordsPerProviderAndOutcome() {
        String[] p = newProvider();
        post(p[1], patient(id("m"), "P-1", "900101400013"), "{nope").statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("ehr_ingestion_records_total{channel=\"REST\",outcome=\"accepted\",provider=\"" + p[0] + "\"} 1.0"))
                .body(containsString("ehr_ingestion_rejections_total{code=\"MALFORMED_JSON\",provider=\"" + p[0] + "\"} 1.0"))
                .body(containsString("ehr_ingestion_batch_seconds_count{channel=\"REST\",result=\"ok\"}"));
    }
}
