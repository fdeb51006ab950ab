package kz.ehr.console.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.qute.TemplateInstance;
import kz.ehr.console.client.Answer;
import kz.ehr.console.client.Service;
import kz.ehr.console.client.Services;
import kz.ehr.console.session.StaffSession;

/** Outreach: a polyclinic's attached people nobody has seen in 12 months or 5 years, page by page and as CSV. */
@Path("/outreach")
public class OutreachResource {
    @Inject
    Pages pages;
    @Inject
    Services services;

    @GET
    public Response show(@CookieParam(StaffSession.COOKIE) String cookie, @QueryParam("polyclinic") String polyclinic,
                         @QueryParam("months") String months, @QueryParam("purpose") String purpose, @QueryParam("after") String after) {
        StaffSession session = pages.require(cookie, Page.OUTREACH);
        String m = "60".equals(months) ? "60" : "12";
        TemplateInstance page = pages.page("outreach.html", session, Page.OUTREACH).data("polyclinic", polyclinic == null ? "" : polyclinic)
                .data("months", m).data("purpose", purpose == null ? "" : purpose);
        if (polyclinic == null || polyclinic.isBlank() || purpose == null || purpose.isBlank()) {
            return Pages.html(page);
        }
        Answer a = services.get(Service.BILLING, "/api/v1/outreach" + Services.query("polyclinic", polyclinic, "noVisitMonths", m,
                "after", after, "limit", "50"), session.token(), purpose);
        if (!a.ok()) {
            return Pages.html(page.data("error", a.problem()));
        }
        JsonNode next = a.json().path("nextCursor");
        return Pages.html(page.data("list", services.plain(a.json())).data("next", next.isNull() || next.isMissingNode() ? null : next.asText()));
    }

    @GET
    @Path("/list.csv")
    public Response csv(@CookieParam(StaffSession.COOKIE) String cookie, @QueryParam("polyclinic") String polyclinic,
                        @QueryParam("months") String months, @QueryParam("purpose") String purpose) {
        StaffSession session = Pages.signedIn(cookie);
        String m = "60".equals(months) ? "60" : "12";
        Answer a = services.get(Service.BILLING, "/api/v1/outreach" + Services.query("polyclinic", polyclinic, "noVisitMonths", m,
                "format", "csv"), session.token(), purpose, "text/csv");
        if (!a.ok()) {
            return Response.status(a.status()).type("text/plain;charset=UTF-8").entity(a.problem()).build();
        }
        return Response.ok(a.bytes()).type("text/csv;charset=UTF-8").header("Content-Disposition",
                "attachment; filename=\"outreach-" + (polyclinic == null ? "" : polyclinic.replaceAll("[^0-9]", "")) + "-" + m + "m.csv\"").build();
    }
}
