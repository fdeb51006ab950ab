package kz.ehr.testsupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import kz.ehr.security.Roles;

/**
 * Every service's EndpointAccessTests: every endpoint says who may call it, and one that does not is denied
 * (quarkus.security.jaxrs.deny-unannotated-endpoints), even to a staff token with every role. A service's test is a
 * {@code @QuarkusTest} subclass naming a few of its endpoints (so the scan is known to see the service) and
 * compiling, with its tests only, a resource at {@value #UNANNOTATED} without an access annotation (Quarkus serves
 * only the test's own classes, not this module's).
 */
public abstract class EndpointAccessContract {
    /** Where the service's test puts the endpoint a developer might add and forget to annotate. */
    public static final String UNANNOTATED = "/test/unannotated";

    private final Class<?> anyResourceOfTheService;
    private final String[] someEndpoints;

    /** @param someEndpoints as {@link EndpointAnnotations.Endpoint#toString()} writes them */
    protected EndpointAccessContract(Class<?> anyResourceOfTheService, String... someEndpoints) {
        this.anyResourceOfTheService = anyResourceOfTheService;
        this.someEndpoints = someEndpoints;
    }

    @Test
    void everyEndpointOfTheServiceSaysWhoMayCallIt() {
        List<EndpointAnnotations.Endpoint> endpoints = EndpointAnnotations.endpoints(anyResourceOfTheService);
        assertThat(endpoints).extracting(EndpointAnnotations.Endpoint::toString).contains(someEndpoints);
        assertThat(EndpointAnnotations.unannotated(anyResourceOfTheService)).as("all endpoints: %s", endpoints).isEmpty();
    }

    @Test
    void anEndpointWithoutARoleOrPermitAnnotationIsDenied() {
        given().get(UNANNOTATED).then().statusCode(401);
        given().auth().oauth2(TestTokens.of("aigerim", Roles.OPS, Roles.REVIEWER, Roles.AUDITOR, Roles.CLINICIAN))
                .get(UNANNOTATED).then().statusCode(403);
    }
}
