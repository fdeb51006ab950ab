package kz.ehr.console.web;

import java.net.URI;
import java.util.ArrayList;
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

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.qute.TemplateInstance;
import kz.ehr.console.client.Answer;
import kz.ehr.console.client.Service;
import kz.ehr.console.client.Services;
import kz.ehr.console.patients.FieldAgreement;
import kz.ehr.console.session.StaffSession;

/**
 * The patient index's review queue: pairs it would not decide alone. A review shows both patients side by side with
 * field-by-field agreement and the matcher's score; accept (link) or reject with a comment, which the patient index
 * keeps in the link history and its audit.
 */
@Path("/reviews")
public class ReviewsResource {
    static final int PAGE_SIZE = 20;
    /** The queue endpoint answers at most this many per call (no cursor); the console pages through them. */
    static final int QUEUE_LIMIT = 1000;

    @Inject
    Pages pages;
    @Inject
    Services services;

    @GET
    public Response queue(@CookieParam(StaffSession.COOKIE) String cookie, @QueryParam("status") String status,
                          @QueryParam("page") Integer pageNo, @QueryParam("message") String message) {
        StaffSession session = pages.require(cookie, Page.REVIEWS);
        String st = status == null || status.isBlank() ? "OPEN" : status;
        int p = pageNo == null || pageNo < 0 ? 0 : pageNo;
        TemplateInstance page = pages.page("reviews.html", session, Page.REVIEWS).data("status", st).data("message", message);
        Answer a = services.get(Service.PATIENT_INDEX, "/api/v1/reviews" + Services.query("status", st, "limit", String.valueOf(QUEUE_LIMIT)),
                session.token(), null);
        if (!a.ok()) {
            return Pages.html(page.data("error", a.problem()).data("items", List.of()));
        }
        List<Object> all = new ArrayList<>();
        a.json().forEach(r -> all.add(services.plain(r)));
        int from = Math.min(all.size(), p * PAGE_SIZE);
        int to = Math.min(all.size(), from + PAGE_SIZE);
        return Pages.html(page.data("items", all.subList(from, to)).data("total", all.size()).data("page", p)
                .data("prev", p > 0 ? p - 1 : null).data("next", to < all.size() ? p + 1 : null)
                .data("from", all.isEmpty() ? 0 : from + 1).data("to", to));
    }

    @GET
    @Path("/{id}")
    public Response review(@CookieParam(StaffSession.COOKIE) String cookie, @PathParam("id") String id,
                           @QueryParam("purpose") String purpose) {
        StaffSession session = pages.require(cookie, Page.REVIEWS);
        if (purpose == null || purpose.isBlank()) {
            return Pages.html(pages.page("purpose.html", session, Page.REVIEWS).data("action", "/reviews/" + Services.segment(id)));
        }
        TemplateInstance page = pages.page("review.html", session, Page.REVIEWS).data("id", id).data("purpose", purpose);
        JsonNode review = find(session, id);
        if (review == null) {
            return Pages.html(404, page.data("error", "No review " + id + " in the queue (decided already, or never opened)."));
        }
        Map<String, Object> left = patient(session, review.path("sourceEnterpriseId").asText(), purpose);
        Map<String, Object> right = patient(session, review.path("candidateEnterpriseId").asText(), purpose);
        @SuppressWarnings("unchecked")
        List<FieldAgreement.Row> rows = FieldAgreement.compare((Map<String, Object>) left.get("golden"), (Map<String, Object>) right.get("golden"));
        List<Map<String, Object>> fields = new ArrayList<>();
        for (FieldAgreement.Row r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("field", r.field());
            m.put("left", r.left());
            m.put("right", r.right());
            m.put("verdict", r.verdict().name().toLowerCase());
            fields.add(m);
        }
        long same = rows.stream().filter(r -> r.verdict() == FieldAgreement.Verdict.SAME).count();
        return Pages.html(page.data("review", services.plain(review)).data("left", left).data("right", right).data("fields", fields)
                .data("same", same).data("compared", rows.stream().filter(r -> r.verdict() != FieldAgreement.Verdict.MISSING).count()));
    }

    @POST
    @Path("/{id}/decision")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response decide(@CookieParam(StaffSession.COOKIE) String cookie, @PathParam("id") String id,
                           @FormParam("decision") String decision, @FormParam("reason") String reason) {
        StaffSession session = Pages.signedIn(cookie);
        String action = "accept".equals(decision) ? "accept" : "reject".equals(decision) ? "reject" : null;
        String message;
        if (action == null) {
            message = "DECISION_REQUIRED: choose accept (same person) or reject (different people)";
        } else {
            Answer a = services.post(Service.PATIENT_INDEX, "/api/v1/reviews/" + Services.segment(id) + "/" + action, session.token(), null,
                    Map.of("reason", reason == null ? "" : reason.strip()));
            message = a.ok() ? "Review " + id + " " + (action.equals("accept") ? "accepted: linked" : "rejected: kept apart") : a.problem();
        }
        return Response.seeOther(URI.create("/reviews" + Services.query("message", message))).build();
    }

    private JsonNode find(StaffSession session, String id) {
        for (String status : List.of("OPEN", "ACCEPTED", "REJECTED")) {
            Answer a = services.get(Service.PATIENT_INDEX, "/api/v1/reviews" + Services.query("status", status, "limit", String.valueOf(QUEUE_LIMIT)),
                    session.token(), null);
            if (a.ok()) {
                for (JsonNode r : a.json()) {
                    if (id.equals(r.path("reviewId").asText())) {
                        return r;
                    }
                }
            }
        }
        return null;
    }

    private Map<String, Object> patient(StaffSession session, String enterpriseId, String purpose) {
        Answer a = services.get(Service.PATIENT_INDEX, "/api/v1/patients/" + Services.segment(enterpriseId), session.token(), purpose);
        Map<String, Object> m = new LinkedHashMap<>(a.ok() ? services.map(a.json()) : Map.of());
        m.put("enterpriseId", enterpriseId);
        if (!a.ok()) {
            m.put("error", a.problem());
        }
        return m;
    }
}
