package kz.ehr.billing.rest;

import java.sql.SQLException;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import io.smallrye.common.annotation.Blocking;
import kz.ehr.billing.capitation.service.CapitationRuns;
import kz.ehr.billing.capitation.service.CapitationStatements;

/** Monthly capitation statements per polyclinic: run, read, close, export, compare versions. */
@Path("/api/v1/capitation/{month}")
@Blocking
@Produces("application/json")
public class CapitationResource {
    @Inject
    CapitationRuns runs;
    @Inject
    CapitationStatements statements;

    /** Computes (or, while open, recomputes) the month; after close, creates the next version. */
    @POST
    @Path("/run")
    public CapitationRuns.RunResult run(@PathParam("month") String month) {
        return runs.run(Params.month(month));
    }

    /** Makes the latest version immutable and announces STATEMENT_CLOSED per polyclinic. */
    @POST
    @Path("/close")
    public CapitationRuns.RunResult close(@PathParam("month") String month) {
        return runs.close(Params.month(month));
    }

    @GET
    public CapitationStatements.Run get(@PathParam("month") String month, @QueryParam("version") Integer version) throws SQLException {
        return statements.run(Params.month(month), version);
    }

    /** Per-person differences between a version and the previous one. */
    @GET
    @Path("/changes")
    public CapitationStatements.Page<CapitationStatements.LineChange> changes(@PathParam("month") String month,
            @QueryParam("version") Integer version, @QueryParam("after") String after, @QueryParam("limit") Integer limit)
            throws SQLException {
        return statements.changes(Params.month(month), version, after, Params.limit(limit));
    }

    @GET
    @Path("/polyclinics/{bin}")
    public CapitationStatements.Statement statement(@PathParam("month") String month, @PathParam("bin") String bin,
            @QueryParam("version") Integer version) throws SQLException {
        return statements.statement(Params.month(month), bin, version);
    }

    /** Per-person lines, paged by IIN ({@code after} = the previous page's nextCursor), or the whole statement as CSV. */
    @GET
    @Path("/polyclinics/{bin}/lines")
    @Produces({"application/json", "text/csv"})
    public Response lines(@PathParam("month") String month, @PathParam("bin") String bin, @QueryParam("version") Integer version,
            @QueryParam("after") String after, @QueryParam("limit") Integer limit, @QueryParam("format") String format,
            @HeaderParam("Accept") String accept) throws SQLException {
        var m = Params.month(month);
        if (Params.wantsCsv(format, accept)) {
            statements.statement(m, bin, version); // 404 before the stream starts
            StreamingOutput body = out -> statements.exportCsv(m, bin, version, out);
            return Response.ok(body, "text/csv; charset=UTF-8")
                    .header("Content-Disposition", "attachment; filename=\"capitation-" + m + "-" + bin + ".csv\"").build();
        }
        return Response.ok(statements.lines(m, bin, version, after, Params.limit(limit)), "application/json").build();
    }
}
