package kz.ehr.ingestion;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.ingestion.rest.RecordsResource;
import kz.ehr.testsupport.EndpointAccessContract;
import kz.ehr.testsupport.KafkaAndPostgresResource;

/** The shared endpoint-access checks (test-support's {@link EndpointAccessContract}) on this service. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_ingestion_test"))
class EndpointAccessTests extends EndpointAccessContract {
    EndpointAccessTests() {
        super(RecordsResource.class,
                "POST /api/v1/records RecordsResource.submit [PermitAll]",
                "POST /fhir/r4 FhirIntakeResource.submit [PermitAll]",
                "GET /api/v1/audit AuditResource.find [RolesAllowed]");
    }

    /** Compiled with the tests only: the kind of endpoint a developer might add and forget to annotate. */
    @Path(UNANNOTATED)
    public static class Unannotated {
        @GET
        public String open() {
            return "open";
        }
    }
}
