package kz.ehr.billing.it;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import kz.ehr.billing.rest.CapitationResource;
import kz.ehr.testsupport.EndpointAccessContract;
import kz.ehr.testsupport.KafkaAndPostgresResource;

/** The shared endpoint-access checks (test-support's {@link EndpointAccessContract}) on this service. */
@QuarkusTest
@WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_billing_test"))
class EndpointAccessTests extends EndpointAccessContract {
    EndpointAccessTests() {
        super(CapitationResource.class,
                "POST /api/v1/capitation/{month}/run CapitationResource.run [RolesAllowed]");
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
