package kz.ehr.console.web;

import java.util.LinkedHashMap;
import java.util.Map;

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

/** Audit: who read what, when and why, from one service's {@code GET /api/v1/audit} at a time, newest first, paged. */
@Path("/audit")
public class AuditResource {
    @Inject
    Pages pages;
    @Inject
    Services services;

    @GET
    public Response show(@CookieParam(StaffSession.COOKIE) String cookie, @QueryParam("service") String service,
                         @QueryParam("who") String who, @QueryParam("action") String action, @QueryParam("from") String from,
                         @QueryParam("to") String to, @QueryParam("before") String before) {
        StaffSession session = pages.require(cookie, Page.AUDIT);
        Service s;
        try {
            s = service == null || service.isBlank() ? Service.PATIENT_INDEX : Service.valueOf(service);
        } catch (IllegalArgumentException e) {
            s = Service.PATIENT_INDEX;
        }
        Map<String, String> serviceNames = new LinkedHashMap<>();
        for (Service each : Service.values()) {
            serviceNames.put(each.name(), each.label);
        }
        Map<String, String> filter = new LinkedHashMap<>();
        filter.put("who", PatientsResource.blankToEmpty(who));
        filter.put("action", PatientsResource.blankToEmpty(action));
        filter.put("from", PatientsResource.blankToEmpty(from));
        filter.put("to", PatientsResource.blankToEmpty(to));
        TemplateInstance page = pages.page("audit.html", session, Page.AUDIT).data("service", s.name()).data("services", serviceNames)
                .data("filter", filter);
        Answer a = services.get(s, "/api/v1/audit" + Services.query("who", who, "action", action, "from", from, "to", to,
                "before", before, "limit", "50"), session.token(), "audit review");
        if (!a.ok()) {
            return Pages.html(page.data("error", a.problem()));
        }
        JsonNode next = a.json().path("nextCursor");
        return Pages.html(page.data("items", services.plain(a.json().path("items")))
                .data("nextQuery", next.isNull() || next.isMissingNode() ? null : Services.query("service", s.name(), "who", who,
                        "action", action, "from", from, "to", to, "before", next.asText())));
    }
}
