package kz.ehr.events.problem;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * JSON of the wrong shape for the request, answered with the service's problem ({@link JsonBodies#wrongShape}) instead
 * of Quarkus REST's empty 400. A service without a {@link JsonBodies.Problems} bean gets a plain 400.
 */
@Provider
public class WrongShapedBodies implements ExceptionMapper<MismatchedInputException> {
    @Inject
    Instance<JsonBodies.Problems> problems;

    @Override
    public Response toResponse(MismatchedInputException e) {
        return problems.isResolvable() ? JsonBodies.wrongShape(e, problems.get()) : Response.status(400).build();
    }
}
