package kz.ehr.mpi.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.testsupport.EndpointAccessContract;
import kz.ehr.testsupport.KafkaAndPostgresResource;

/** The shared endpoint-access checks (test-support's {@link EndpointAccessContract}) on this service. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_mpi_test"))
class EndpointAccessTests extends EndpointAccessContract {
    EndpointAccessTests() {
        super(PatientsResource.class,
                "GET /api/v1/reviews ReviewsResource.list [RolesAllowed]");
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
