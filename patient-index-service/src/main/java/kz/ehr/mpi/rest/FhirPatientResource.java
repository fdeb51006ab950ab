package kz.ehr.mpi.rest;

import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import kz.ehr.identity.Iin;
import kz.ehr.mpi.MpiProblem;
import kz.ehr.mpi.audit.AuditLog;
import kz.ehr.mpi.fhir.FhirJson;
import kz.ehr.mpi.fhir.FhirPatients;
import kz.ehr.mpi.patients.PatientQueries;
import kz.ehr.mpi.patients.PatientViews;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;

/**
 * FHIR R4 read and search of golden records: {@code GET /fhir/r4/Patient/{enterpriseId}} and
 * {@code GET /fhir/r4/Patient?identifier=http://ehr.kz/fhir/sid/iin|{iin}}. Same access as the JSON reads (clinician
 * or reviewer, {@code X-Purpose}, audited); every refusal is an OperationOutcome with the JSON API's code.
 */
@Path("/fhir/r4/Patient")
@Blocking
@Produces(FhirPatientResource.FHIR_JSON)
@RolesAllowed({Roles.CLINICIAN, Roles.REVIEWER})
public class FhirPatientResource {
    static final String FHIR_JSON = "application/fhir+json";

    @Inject
    PatientQueries queries;
    @Inject
    AuditLog audit;
    @Inject
    SecurityIdentity identity;
    @Inject
    FhirJson json;

    @GET
    @Path("/{enterpriseId}")
    public Response read(@PathParam("enterpriseId") String id, @HeaderParam(Caller.PURPOSE_HEADER) String purpose)
            throws SQLException {
        try {
            Caller caller = reader(purpose);
            UUID enterpriseId = enterpriseId(id);
            audit.record(caller, "READ_PATIENT", enterpriseId, "FHIR");
            PatientViews.Patient patient = queries.patient(enterpriseId);
            return ok(FhirPatients.patient(patient, mother(caller, patient)));
        } catch (MpiProblem p) {
            return refused(p);
        }
    }

    @GET
    public Response search(@QueryParam("identifier") String identifier, @HeaderParam(Caller.PURPOSE_HEADER) String purpose,
                           @Context UriInfo uri) throws SQLException {
        try {
            Caller caller = reader(purpose);
            String iin = iinOf(identifier);
            List<PatientViews.Patient> found = queries.byIin(iin);
            if (found.isEmpty()) {
                audit.record(caller, "FIND_BY_IIN", null, "FHIR; no match");
            }
            for (PatientViews.Patient p : found) {
                audit.record(caller, "FIND_BY_IIN", p.enterpriseId(), "FHIR");
            }
            Map<UUID, PatientViews.Patient> mothers = new HashMap<>();
            for (PatientViews.Patient p : found) {
                PatientViews.Patient mother = mother(caller, p);
                if (mother != null) {
                    mothers.put(p.enterpriseId(), mother);
                }
            }
            String base = uri.getBaseUri().resolve("fhir/r4").toString();
            return ok(FhirPatients.searchset(found, mothers, base, uri.getRequestUri().toString()));
        } catch (MpiProblem p) {
            return refused(p);
        }
    }

    /**
     * The golden record of the mother a newborn was recorded under, whose name its Patient.contact carries; null if
     * it is no such newborn or she is not in the index (one active patient whose golden IIN is hers). Her record is
     * read within the newborn's request, so it is audited as a read of hers that names the newborn's.
     */
    private PatientViews.Patient mother(Caller caller, PatientViews.Patient child) throws SQLException {
        String iin = FhirPatients.motherIin(child).orElse(null);
        if (iin == null) {
            return null;
        }
        List<PatientViews.Patient> mothers = queries.byIin(iin).stream()
                .filter(m -> m.golden() != null && iin.equals(m.golden().iin())).toList();
        if (mothers.size() != 1) {
            return null;
        }
        PatientViews.Patient mother = mothers.get(0);
        audit.record(caller, "READ_PATIENT", mother.enterpriseId(),
                "FHIR; mother's name for Patient/" + child.enterpriseId() + " contact");
        return mother;
    }

    private Caller reader(String purpose) {
        return Params.caller(identity, purpose);
    }

    private static UUID enterpriseId(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            // no resource can have this id
            throw MpiProblem.notFound("PATIENT_NOT_FOUND", "no Patient with id \"" + id + "\": ids are enterprise ids (UUIDs)");
        }
    }

    /** The IIN of a token {@code system|value}; the system must be the IIN's, the one identifier the index is searched by. */
    static String iinOf(String identifier) {
        if (identifier == null || identifier.isBlank()) {
            throw MpiProblem.badRequest("IDENTIFIER_REQUIRED", "identifier",
                    "search Patients by identifier=" + Iin.FHIR_SYSTEM + "|{iin}");
        }
        int bar = identifier.indexOf('|');
        if (bar < 0 || !identifier.substring(0, bar).equals(Iin.FHIR_SYSTEM)) {
            throw MpiProblem.badRequest("UNKNOWN_IDENTIFIER_SYSTEM", "identifier",
                    "the identifier system must be " + Iin.FHIR_SYSTEM + " (identifier=" + Iin.FHIR_SYSTEM + "|{iin})");
        }
        String iin = identifier.substring(bar + 1);
        if (!Iin.hasValidShape(iin)) {
            // a stored IIN may fail its check digit (kept so identity can be repaired): only the shape is required here
            throw MpiProblem.badRequest("IIN_FORMAT", "identifier", "the IIN in identifier is not 12 digits");
        }
        return iin;
    }

    private Response ok(IBaseResource resource) {
        return Response.ok(json.encode(resource), FHIR_JSON).build();
    }

    private Response refused(MpiProblem p) {
        IssueType type = switch (p.status) {
            case 404 -> IssueType.NOTFOUND;
            case 409 -> IssueType.CONFLICT;
            default -> "PURPOSE_REQUIRED".equals(p.code) || "IDENTIFIER_REQUIRED".equals(p.code) ? IssueType.REQUIRED
                    : IssueType.INVALID;
        };
        return Response.status(p.status).type(FHIR_JSON).entity(json.encode(FhirPatients.outcome(type, p.code, p.getMessage())))
                .build();
    }
}
