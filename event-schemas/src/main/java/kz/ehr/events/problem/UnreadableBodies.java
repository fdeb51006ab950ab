package kz.ehr.events.problem;

import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * A body that is not JSON, answered with the service's problem ({@link JsonBodies#unreadable}); every other
 * WebApplicationException keeps its own answer. A service without a {@link JsonBodies.Problems} bean keeps them all.
 */
@Provider
public class UnreadableBodies implements ExceptionMapper<WebApplicationException> {
    @Inject
    Instance<JsonBodies.Problems> problems;

    @Override
    public Response toResponse(WebApplicationException e) {
        return problems.isResolvable() ? JsonBodies.unreadable(e, problems.get()) : e.getResponse();
    }
}
