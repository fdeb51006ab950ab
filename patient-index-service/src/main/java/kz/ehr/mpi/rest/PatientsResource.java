package kz.ehr.mpi.rest;

import java.net.URI;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import jakarta.annotation.security.RolesAllowed;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import kz.ehr.mpi.MpiProblem;
import kz.ehr.mpi.audit.AuditLog;
import kz.ehr.mpi.config.MpiConfig;
import kz.ehr.mpi.linking.ManualDecisions;
import kz.ehr.mpi.matching.Demographics;
import kz.ehr.mpi.patients.PatientQueries;
import kz.ehr.mpi.patients.PatientViews;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;

/**
 * Enterprise patients: golden record, lookup by IIN, fuzzy search, records, history, merge and unmerge. Reads are for
 * clinicians and reviewers, need a purpose and are audited; merge and unmerge are reviewers' decisions with a reason.
 */
@Path("/api/v1/patients")
@Blocking
@Produces(MediaType.APPLICATION_JSON)
public class PatientsResource {
    @Inject
    PatientQueries queries;
    @Inject
    ManualDecisions decisions;
    @Inject
    AuditLog audit;
    @Inject
    MpiConfig config;
    @Inject
    SecurityIdentity identity;

    private Caller reader(String purpose) {
        return Params.caller(identity, purpose);
    }

    /** Body of a merge: this patient disappears into the target. */
    public record MergeRequest(String targetEnterpriseId, String reason) {
    }

    /** Body of an unmerge. */
    public record ReasonRequest(String reason) {
    }

    /** Body of a golden-record override: the value that wins over survivorship, and why. */
    public record OverrideRequest(String value, String reason) {
    }

    @GET
    @RolesAllowed({Roles.CLINICIAN, Roles.REVIEWER})
    @Path("/{enterpriseId}")
    public Response patient(@PathParam("enterpriseId") String id, @HeaderParam("X-Purpose") String purpose) throws SQLException {
        Caller caller = reader(purpose);
        UUID enterpriseId = Params.uuid(id, "enterpriseId");
        audit.record(caller, "READ_PATIENT", enterpriseId, null);
        PatientViews.Patient p = queries.patient(enterpriseId);
        if ("MERGED".equals(p.status()) && p.mergedInto() != null) {
            // like a moved resource: the survivor is the patient now, the old id keeps resolving
            return Response.status(301).location(URI.create("/api/v1/patients/" + p.mergedInto())).entity(p).build();
        }
        return Response.ok(p).build();
    }

    @GET
    @RolesAllowed({Roles.CLINICIAN, Roles.REVIEWER})
    public List<PatientViews.Patient> byIin(@QueryParam("iin") String iin, @HeaderParam("X-Purpose") String purpose) throws SQLException {
        Caller caller = reader(purpose);
        if (iin == null || !iin.matches("\\d{12}")) {
            throw MpiProblem.badRequest("IIN_REQUIRED", "iin", "give iin as 12 digits");
        }
        List<PatientViews.Patient> found = queries.byIin(iin);
        if (found.isEmpty()) {
            audit.record(caller, "FIND_BY_IIN", null, "no match");
        }
        for (PatientViews.Patient p : found) {
            audit.record(caller, "FIND_BY_IIN", p.enterpriseId(), null);
        }
        return found;
    }

    @GET
    @RolesAllowed({Roles.CLINICIAN, Roles.REVIEWER})
    @Path("/search")
    public PatientViews.SearchResult search(@QueryParam("lastName") String lastName, @QueryParam("firstName") String firstName,
                                            @QueryParam("middleName") String middleName, @QueryParam("birthDate") String birthDate,
                                            @QueryParam("sex") String sex, @QueryParam("phone") String phone,
                                            @QueryParam("iin") String iin, @QueryParam("limit") Integer limit,
                                            @HeaderParam("X-Purpose") String purpose)
            throws SQLException {
        Caller caller = reader(purpose);
        Demographics query = new Demographics(iin, lastName, firstName, middleName, Params.date(birthDate, "birthDate"), sex,
                phone, null);
        PatientViews.SearchResult result = queries.search(query, Params.limit(limit, config.searchLimit(), 100));
        List<String> given = new ArrayList<>();
        for (String[] p : new String[][] {{"lastName", lastName}, {"firstName", firstName}, {"middleName", middleName},
                {"birthDate", birthDate}, {"sex", sex}, {"phone", phone}, {"iin", iin}}) {
            if (p[1] != null && !p[1].isBlank()) {
                given.add(p[0]);
            }
        }
        // the audit keeps which fields were searched and what was shown, never the searched values
        audit.record(caller, "SEARCH", null, "by " + String.join(",", given) + " → "
                + result.candidates().stream().map(c -> c.enterpriseId().toString()).toList());
        return result;
    }

    @GET
    @RolesAllowed({Roles.CLINICIAN, Roles.REVIEWER})
    @Path("/{enterpriseId}/records")
    public PatientViews.RecordsPage records(@PathParam("enterpriseId") String id, @QueryParam("cursor") String cursor,
                                            @QueryParam("limit") Integer limit, @HeaderParam("X-Purpose") String purpose) throws SQLException {
        Caller caller = reader(purpose);
        UUID enterpriseId = Params.uuid(id, "enterpriseId");
        audit.record(caller, "READ_RECORDS", enterpriseId, null);
        return queries.records(enterpriseId, cursor, Params.limit(limit, 100, 1000));
    }

    @GET
    @RolesAllowed({Roles.CLINICIAN, Roles.REVIEWER})
    @Path("/{enterpriseId}/history")
    public List<PatientViews.HistoryEntry> history(@PathParam("enterpriseId") String id,
                                                   @HeaderParam("X-Purpose") String purpose) throws SQLException {
        Caller caller = reader(purpose);
        UUID enterpriseId = Params.uuid(id, "enterpriseId");
        audit.record(caller, "READ_HISTORY", enterpriseId, null);
        return queries.history(enterpriseId);
    }

    @POST
    @RolesAllowed(Roles.REVIEWER)
    @Path("/{enterpriseId}/merge")
    @Consumes(MediaType.APPLICATION_JSON)
    public ManualDecisions.Outcome merge(@PathParam("enterpriseId") String id, MergeRequest body) throws SQLException {
        if (body == null || body.targetEnterpriseId() == null) {
            throw MpiProblem.badRequest("TARGET_REQUIRED", "targetEnterpriseId", "name the patient to merge into");
        }
        Caller caller = Caller.of(identity, Params.reason(body.reason()));
        ManualDecisions.Outcome o = decisions.merge(Params.uuid(id, "enterpriseId"),
                Params.uuid(body.targetEnterpriseId(), "targetEnterpriseId"), caller.who(), caller.purpose());
        audit.record(caller, "MERGE", o.enterpriseId(), "merged " + o.previousEnterpriseId());
        return o;
    }

    @POST
    @RolesAllowed(Roles.REVIEWER)
    @Path("/{enterpriseId}/unmerge")
    @Consumes(MediaType.APPLICATION_JSON)
    public ManualDecisions.Outcome unmerge(@PathParam("enterpriseId") String id, ReasonRequest body) throws SQLException {
        UUID enterpriseId = Params.uuid(id, "enterpriseId");
        Caller caller = Caller.of(identity, Params.reason(body == null ? null : body.reason()));
        ManualDecisions.Outcome o = decisions.unmerge(enterpriseId, caller.who(), caller.purpose());
        audit.record(caller, "UNMERGE", o.enterpriseId(), "from " + o.previousEnterpriseId());
        return o;
    }

    @PUT
    @RolesAllowed(Roles.REVIEWER)
    @Path("/{enterpriseId}/golden/{field}")
    @Consumes(MediaType.APPLICATION_JSON)
    public ManualDecisions.Outcome overrideGolden(@PathParam("enterpriseId") String id, @PathParam("field") String field,
                                                  OverrideRequest body) throws SQLException {
        UUID enterpriseId = Params.uuid(id, "enterpriseId");
        if (body == null || body.value() == null || body.value().isBlank()) {
            throw MpiProblem.badRequest("VALUE_REQUIRED", "value", "give the value the golden " + field + " must show");
        }
        Caller caller = Caller.of(identity, Params.reason(body.reason()));
        String value = GoldenValues.validated(field, body.value().strip());
        ManualDecisions.Outcome o = decisions.overrideGolden(enterpriseId, field, value, caller.who(), caller.purpose());
        audit.record(caller, "GOLDEN_OVERRIDE", enterpriseId, "field " + field + " set by hand");
        return o;
    }

    @DELETE
    @RolesAllowed(Roles.REVIEWER)
    @Path("/{enterpriseId}/golden/{field}")
    public ManualDecisions.Outcome removeOverride(@PathParam("enterpriseId") String id, @PathParam("field") String field,
                                                  @QueryParam("reason") String reason) throws SQLException {
        UUID enterpriseId = Params.uuid(id, "enterpriseId");
        Caller caller = Caller.of(identity, Params.reason(reason));
        ManualDecisions.Outcome o = decisions.overrideGolden(enterpriseId, field, null, caller.who(), caller.purpose());
        audit.record(caller, "GOLDEN_OVERRIDE_REMOVED", enterpriseId, "field " + field + " back to survivorship");
        return o;
    }
}
