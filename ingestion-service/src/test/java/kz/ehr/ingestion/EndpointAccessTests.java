package kz.ehr.ingestion;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.security.Roles;
import kz.ehr.testsupport.EndpointAnnotations;
import kz.ehr.testsupport.KafkaAndPostgresResource;
import kz.ehr.testsupport.TestTokens;

/**
 * Every endpoint of the service says who may call it, and one that does not is denied
 * (quarkus.security.jaxrs.deny-unannotated-endpoints), even to a staff token with every role.
 */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_ingestion_test"))
class EndpointAccessTests {

    /** Compiled with the tests only: the kind of endpoint a developer might add and forget to annotate. */
    @Path("/test/unannotated")
    public static class Unannotated {
        @GET
        public String open() {
            return "open";
        }
    }

    @Test
    void everyEndpointOfTheServiceSaysWhoMayCallIt() {
        List<EndpointAnnotations.Endpoint> endpoints = EndpointAnnotations.endpoints(kz.ehr.ingestion.rest.RecordsResource.class);
        assertThat(endpoints).extracting(EndpointAnnotations.Endpoint::toString).contains(
                "POST /api/v1/records RecordsResource.submit [PermitAll]",
                "POST /fhir/r4 FhirIntakeResource.submit [PermitAll]",
                "GET /api/v1/audit AuditResource.find [RolesAllowed]");
        assertThat(EndpointAnnotations.unannotated(kz.ehr.ingestion.rest.RecordsResource.class)).as("all endpoints: %s", endpoints).isEmpty();
    }

    @Test
    void anEndpointWithoutARoleOrPermitAnnotationIsDenied() {
        given().get("/test/unannotated").then().statusCode(401);
        given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS, Roles.REVIEWER, Roles.AUDITOR, Roles.CLINICIAN))
                .get("/test/unannotated").then().statusCode(403);
    }
}
