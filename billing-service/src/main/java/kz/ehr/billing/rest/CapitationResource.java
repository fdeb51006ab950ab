package kz.ehr.billing.rest;

import java.sql.SQLException;

import jakarta.annotation.security.RolesAllowed;
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

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import kz.ehr.billing.audit.AuditLog;
import kz.ehr.billing.capitation.service.CapitationRuns;
import kz.ehr.billing.capitation.service.CapitationStatements;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;

/**
 * Monthly capitation statements per polyclinic: run, read, close, export, compare versions. Ops runs and closes;
 * ops and auditors read. Per-person lines and differences name people, so they need X-Purpose and are audited.
 */
@Path("/api/v1/capitation/{month}")
@Blocking
@Produces("application/json")
public class CapitationResource {
    @Inject
    CapitationRuns runs;
    @Inject
    CapitationStatements statements;
    @Inject
    AuditLog audit;
    @Inject
    SecurityIdentity identity;

    /** Computes (or, while open, recomputes) the month; after close, creates the next version. */
    @POST
    @RolesAllowed(Roles.OPS)
    @Path("/run")
    public CapitationRuns.RunResult run(@PathParam("month") String month) {
        return runs.run(Params.month(month));
    }

    /** Makes the latest version immutable and announces STATEMENT_CLOSED per polyclinic. */
    @POST
    @RolesAllowed(Roles.OPS)
    @Path("/close")
    public CapitationRuns.RunResult close(@PathParam("month") String month) {
        return runs.close(Params.month(month));
    }

    @GET
    @RolesAllowed({Roles.OPS, Roles.AUDITOR})
    public CapitationStatements.Run get(@PathParam("month") String month, @QueryParam("version") Integer version) throws SQLException {
        return statements.run(Params.month(month), version);
    }

    /** Per-person differences between a version and the previous one. */
    @GET
    @RolesAllowed({Roles.OPS, Roles.AUDITOR})
    @Path("/changes")
    public CapitationStatements.Page<CapitationStatements.LineChange> changes(@PathParam("month") String month,
            @QueryParam("version") Integer version, @QueryParam("after") String after, @QueryParam("limit") Integer limit,
            @HeaderParam(Caller.PURPOSE_HEADER) String purpose) throws SQLException {
        Caller caller = Params.caller(identity, purpose);
        var m = Params.month(month);
        var page = statements.changes(m, version, after, Params.limit(limit));
        audit.record(caller, AuditLog.Action.READ_CHANGES, null, "capitation " + m + " version=" + version + " after=" + after,
                page.items().size());
        return page;
    }

    @GET
    @RolesAllowed({Roles.OPS, Roles.AUDITOR})
    @Path("/polyclinics/{bin}")
    public CapitationStatements.Statement statement(@PathParam("month") String month, @PathParam("bin") String bin,
            @QueryParam("version") Integer version) throws SQLException {
        return statements.statement(Params.month(month), bin, version);
    }

    /** Per-person lines, paged by IIN ({@code after} = the previous page's nextCursor), or the whole statement as CSV. */
    @GET
    @RolesAllowed({Roles.OPS, Roles.AUDITOR})
    @Path("/polyclinics/{bin}/lines")
    @Produces({"application/json", "text/csv"})
    public Response lines(@PathParam("month") String month, @PathParam("bin") String bin, @QueryParam("version") Integer version,
            @QueryParam("after") String after, @QueryParam("limit") Integer limit, @QueryParam("format") String format,
            @HeaderParam("Accept") String accept, @HeaderParam(Caller.PURPOSE_HEADER) String purpose) throws SQLException {
        Caller caller = Params.caller(identity, purpose);
        var m = Params.month(month);
        if (Params.wantsCsv(format, accept)) {
            Params.bin("bin", bin); // it names the download
            var st = statements.statement(m, bin, version); // 404 before the stream starts
            audit.record(caller, AuditLog.Action.EXPORT_LINES_CSV, null, "capitation " + m + " polyclinic=" + bin + " version=" + st.version(),
                    (int) st.persons());
            StreamingOutput body = out -> statements.exportCsv(m, bin, version, out);
            return Response.ok(body, "text/csv; charset=UTF-8")
                    .header("Content-Disposition", "attachment; filename=\"capitation-" + m + "-" + bin + ".csv\"").build();
        }
        var page = statements.lines(m, bin, version, after, Params.limit(limit));
        audit.record(caller, AuditLog.Action.READ_LINES, null, "capitation " + m + " polyclinic=" + bin + " version=" + version
                + " after=" + after, page.items().size());
        return Response.ok(page, "application/json").build();
    }
}
