package kz.ehr.console.web;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.TemplateInstance;
import kz.ehr.console.client.Answer;
import kz.ehr.console.client.Service;
import kz.ehr.console.client.Services;
import kz.ehr.console.session.StaffSession;

/**
 * Patients: search by IIN, name and birth date; a patient's golden record, its source records from every provider
 * and their records on one timeline; merge and unmerge with a comment. Every read carries the purpose the person typed
 * ({@code X-Purpose}), which the patient index audits with the person's name from the token.
 */
@Path("/patients")
public class PatientsResource {
    @Inject
    Pages pages;
    @Inject
    Services services;

    @GET
    public Response search(@CookieParam(StaffSession.COOKIE) String cookie, @QueryParam("iin") String iin,
                           @QueryParam("lastName") String lastName, @QueryParam("firstName") String firstName,
                           @QueryParam("birthDate") String birthDate, @QueryParam("purpose") String purpose) {
        StaffSession session = pages.require(cookie, Page.PATIENTS);
        Map<String, String> form = new LinkedHashMap<>();
        form.put("iin", blankToEmpty(iin));
        form.put("lastName", blankToEmpty(lastName));
        form.put("firstName", blankToEmpty(firstName));
        form.put("birthDate", blankToEmpty(birthDate));
        form.put("purpose", blankToEmpty(purpose));
        TemplateInstance page = pages.page("patients.html", session, Page.PATIENTS).data("form", form);
        boolean asked = form.entrySet().stream().anyMatch(e -> !e.getKey().equals("purpose") && !e.getValue().isBlank());
        if (!asked) {
            return Pages.html(page);
        }
        if (form.get("purpose").isBlank()) {
            return Pages.html(400, page.data("error", "Say why you are looking (purpose): the patient index records it with your name."));
        }
        boolean byIinOnly = !form.get("iin").isBlank() && form.get("lastName").isBlank() && form.get("firstName").isBlank()
                && form.get("birthDate").isBlank();
        Answer a = byIinOnly
                ? services.get(Service.PATIENT_INDEX, "/api/v1/patients" + Services.query("iin", iin), session.token(), purpose)
                : services.get(Service.PATIENT_INDEX, "/api/v1/patients/search" + Services.query("iin", iin, "lastName", lastName,
                        "firstName", firstName, "birthDate", birthDate, "limit", "50"), session.token(), purpose);
        if (!a.ok()) {
            return Pages.html(a.status() >= 500 ? 502 : 200, page.data("error", a.problem()));
        }
        // by IIN: patients {enterpriseId, golden…}; search: {candidates: [{enterpriseId, score, golden, sourceRecords}]}
        Object results = byIinOnly ? services.plain(a.json()) : services.plain(a.json().path("candidates"));
        return Pages.html(page.data("results", results).data("scored", !byIinOnly));
    }

    @GET
    @Path("/{id}")
    public Response patient(@CookieParam(StaffSession.COOKIE) String cookie, @PathParam("id") String id,
                            @QueryParam("purpose") String purpose, @QueryParam("cursor") String cursor,
                            @QueryParam("message") String message) {
        StaffSession session = pages.require(cookie, Page.PATIENTS);
        if (purpose == null || purpose.isBlank()) {
            return Pages.html(pages.page("purpose.html", session, Page.PATIENTS).data("action", "/patients/" + Services.segment(id)));
        }
        String base = "/api/v1/patients/" + Services.segment(id);
        Answer patient = services.get(Service.PATIENT_INDEX, base, session.token(), purpose);
        TemplateInstance page = pages.page("patient.html", session, Page.PATIENTS).data("id", id).data("purpose", purpose)
                .data("message", message);
        if (!patient.ok()) {
            return Pages.html(patient.status() == 404 ? 404 : 200, page.data("error", patient.problem()));
        }
        Answer records = services.get(Service.PATIENT_INDEX, base + "/records" + Services.query("limit", "25", "cursor", cursor),
                session.token(), purpose);
        Answer history = services.get(Service.PATIENT_INDEX, base + "/history", session.token(), purpose);
        return Pages.html(page.data("patient", services.plain(patient.json()))
                .data("records", records.ok() ? services.plain(records.json().path("records")) : List.of())
                .data("nextCursor", records.ok() ? records.json().path("nextCursor").asText(null) : null)
                .data("recordsError", records.ok() ? null : records.problem())
                .data("history", history.ok() ? services.plain(history.json()) : List.of()));
    }

    @POST
    @Path("/{id}/merge")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response merge(@CookieParam(StaffSession.COOKIE) String cookie, @PathParam("id") String id,
                          @FormParam("target") String target, @FormParam("reason") String reason, @FormParam("purpose") String purpose) {
        return decide(cookie, id, "merge", Map.of("targetEnterpriseId", blankToEmpty(target), "reason", blankToEmpty(reason)), purpose);
    }

    @POST
    @Path("/{id}/unmerge")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response unmerge(@CookieParam(StaffSession.COOKIE) String cookie, @PathParam("id") String id,
                            @FormParam("reason") String reason, @FormParam("purpose") String purpose) {
        return decide(cookie, id, "unmerge", Map.of("reason", blankToEmpty(reason)), purpose);
    }

    private Response decide(String cookie, String id, String action, Map<String, String> body, String purpose) {
        StaffSession session = Pages.signedIn(cookie);
        Answer a = services.post(Service.PATIENT_INDEX, "/api/v1/patients/" + Services.segment(id) + "/" + action, session.token(),
                null, body);
        String message = a.ok() ? action + " done" : a.problem();
        return Response.seeOther(URI.create("/patients/" + Services.segment(id)
                + Services.query("purpose", purpose == null || purpose.isBlank() ? "identity decision" : purpose, "message", message))).build();
    }

    static String blankToEmpty(String s) {
        return s == null ? "" : s.strip();
    }
}
