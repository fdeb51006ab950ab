package kz.ehr.mpi.rest;

import java.sql.SQLException;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.common.annotation.Blocking;
import kz.ehr.mpi.linking.SourceRecordLinker;

/** Source record → enterprise id (API.md). */
@Path("/api/v1/source-records")
@Blocking
public class SourceRecordsResource {
    @Inject
    SourceRecordLinker linker;

    @GET
    @Path("/{providerId}/{localId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("providerId") String providerId, @PathParam("localId") String localId) throws SQLException {
        return linker.find(providerId, localId)
                .map(link -> Response.ok(link).build())
                .orElseGet(() -> Response.status(404).type("application/problem+json")
                        .entity(Map.of("type", "urn:ehr:problem:source-record-not-found", "title", "SOURCE_RECORD_NOT_FOUND",
                                "status", 404, "code", "SOURCE_RECORD_NOT_FOUND",
                                "detail", "no record " + localId + " from provider " + providerId + " has been linked yet"))
                        .build());
    }
}
