package kz.ehr.billing.rest;

import java.sql.SQLException;
import java.time.LocalDate;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import kz.ehr.billing.BillingProblem;
import kz.ehr.billing.config.Policies;
import kz.ehr.billing.outreach.OutreachList;
import kz.ehr.billing.outreach.ScreeningOutreach;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;

/** Attached people nobody has seen, with contact data for the call centre: ops only, X-Purpose required, audited. */
@Path("/api/v1/outreach")
@Blocking
public class OutreachResource {
    @Inject
    OutreachList outreach;
    @Inject
    SecurityIdentity identity;
    @Inject
    Policies policies;
    @Inject
    ScreeningOutreach screenings;

    @GET
    @RolesAllowed(Roles.OPS)
    @Produces({"application/json", "text/csv"})
    public Response list(@QueryParam("polyclinic") String polyclinic, @QueryParam("noVisitMonths") Integer months,
            @QueryParam("asOf") String asOf, @QueryParam("after") String after, @QueryParam("limit") Integer limit,
            @QueryParam("format") String format, @HeaderParam("Accept") String accept,
            @HeaderParam(Caller.PURPOSE_HEADER) String purpose) throws SQLException {
        Caller caller = Params.caller(identity, purpose);
        String bin = Params.bin("polyclinic", polyclinic);
        int m = months == null ? 12 : months;
        if (m < 1 || m > 120) {
            throw BillingProblem.badRequest("INVALID_MONTHS", "noVisitMonths", "noVisitMonths must be between 1 and 120");
        }
        // today on the billing calendar (billing.zone, Asia/Almaty), not the JVM's or UTC's: between 19:00 and 24:00 UTC
        // they are already the next day in Almaty
        LocalDate on = asOf == null ? policies.today() : Params.date("asOf", asOf);
        if (Params.wantsCsv(format, accept)) {
            return csv("outreach-" + bin + "-" + m + "m.csv", out -> outreach.csv(bin, m, on, caller, out));
        }
        return Response.ok(outreach.page(bin, m, on, after, Params.limit(limit), caller), "application/json").build();
    }

    /**
     * Attached people due a screening on {@code asOf} by their programme's target group and interval, the children's
     * annual preventive exam included; {@code programme} narrows the list to one.
     */
    @GET
    @Path("/screenings")
    @RolesAllowed(Roles.OPS)
    @Produces({"application/json", "text/csv"})
    public Response dueScreenings(@QueryParam("polyclinic") String polyclinic, @QueryParam("programme") String programme,
            @QueryParam("asOf") String asOf, @QueryParam("after") String after, @QueryParam("limit") Integer limit,
            @QueryParam("format") String format, @HeaderParam("Accept") String accept,
            @HeaderParam(Caller.PURPOSE_HEADER) String purpose) throws SQLException {
        Caller caller = Params.caller(identity, purpose);
        String bin = Params.bin("polyclinic", polyclinic);
        LocalDate on = asOf == null ? policies.today() : Params.date("asOf", asOf);
        java.util.List<String> known = screenings.programmesOn(on);
        if (programme != null && !known.contains(programme)) {
            throw BillingProblem.badRequest("INVALID_PROGRAMME", "programme",
                    "programme must be one of " + known + " (the programmes with an interval on " + on + ")");
        }
        if (Params.wantsCsv(format, accept)) {
            return csv("screenings-due-" + bin + ".csv", out -> screenings.csv(bin, programme, on, caller, out));
        }
        return Response.ok(screenings.page(bin, programme, on, after, Params.limit(limit), caller), "application/json").build();
    }

    /** What writes a CSV download. */
    interface CsvBody {
        void write(java.io.OutputStream out) throws SQLException, java.io.IOException;
    }

    /** A CSV download; {@code fileName} is built only from validated values (a BIN that passed its rule, a number). */
    private static Response csv(String fileName, CsvBody writer) {
        StreamingOutput body = out -> {
            try {
                writer.write(out);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        };
        return Response.ok(body, "text/csv; charset=UTF-8").header("Content-Disposition", "attachment; filename=\"" + fileName + "\"").build();
    }
}
