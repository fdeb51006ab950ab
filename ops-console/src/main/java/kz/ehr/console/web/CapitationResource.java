package kz.ehr.console.web;

import java.net.URI;
import java.time.YearMonth;
import java.time.ZoneId;
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
import kz.ehr.console.session.StaffSession;

/**
 * Capitation: run a month, its totals per polyclinic and the corrections against the previous version, a
 * polyclinic's statement with persons by factor as a chart, its lines page by page (personal data: with a purpose),
 * the CSV of the whole statement, and closing the month.
 */
@Path("/capitation")
public class CapitationResource {
    static final int LINES_PER_PAGE = 50;
    static final int POLYCLINICS_PER_PAGE = 50;

    /** A page's first index from the query; anything unreadable or past the end starts at the top. */
    static int offset(String from, int size) {
        try {
            int n = Integer.parseInt(from == null ? "0" : from.strip());
            return n >= 0 && n < size ? n : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Inject
    Pages pages;
    @Inject
    Services services;

    @GET
    public Response show(@CookieParam(StaffSession.COOKIE) String cookie, @QueryParam("month") String month,
                         @QueryParam("bin") String bin, @QueryParam("purpose") String purpose, @QueryParam("after") String after,
                         @QueryParam("message") String message, @QueryParam("polyclinicsFrom") String polyclinicsFrom) {
        StaffSession session = pages.require(cookie, Page.CAPITATION);
        String m = month == null || month.isBlank() ? YearMonth.now(ZoneId.of("Asia/Almaty")).minusMonths(1).toString() : month.strip();
        TemplateInstance page = pages.page("capitation.html", session, Page.CAPITATION).data("month", m).data("message", message)
                .data("bin", bin).data("purpose", purpose == null ? "" : purpose);
        Answer run = services.get(Service.BILLING, "/api/v1/capitation/" + Services.segment(m), session.token(), null);
        if (!run.ok()) {
            return Pages.html(page.data(run.status() == 404 ? "notice" : "error", run.problem()));
        }
        page.data("run", services.plain(run.json()));
        // a month of the whole country holds thousands of polyclinics: a page of them at a time
        List<Object> all = new java.util.ArrayList<>();
        run.json().path("polyclinics").forEach(p -> all.add(services.plain(p)));
        int from = offset(polyclinicsFrom, all.size());
        int to = Math.min(all.size(), from + POLYCLINICS_PER_PAGE);
        page.data("polyclinics", all.subList(from, to)).data("polyclinicsShown", all.isEmpty() ? "0" : (from + 1) + "–" + to)
                .data("polyclinicsTotal", all.size())
                .data("polyclinicsPrev", from > 0 ? String.valueOf(Math.max(0, from - POLYCLINICS_PER_PAGE)) : null)
                .data("polyclinicsNext", to < all.size() ? String.valueOf(to) : null);
        if (bin == null || bin.isBlank()) {
            return Pages.html(page);
        }
        String base = "/api/v1/capitation/" + Services.segment(m) + "/polyclinics/" + Services.segment(bin);
        Answer statement = services.get(Service.BILLING, base, session.token(), null);
        if (!statement.ok()) {
            return Pages.html(page.data("error", statement.problem()));
        }
        Map<String, Long> byFactor = new LinkedHashMap<>();
        statement.json().path("personsByFactor").fields().forEachRemaining(e -> byFactor.put(label(e.getKey()), e.getValue().asLong()));
        page.data("statement", services.plain(statement.json()))
                .data("factorChart", Charts.bars("Persons by the factor applied to their payment", byFactor));
        if (purpose != null && !purpose.isBlank()) {
            Answer lines = services.get(Service.BILLING, base + "/lines" + Services.query("limit", String.valueOf(LINES_PER_PAGE),
                    "after", after), session.token(), purpose);
            if (lines.ok()) {
                JsonNode next = lines.json().path("nextCursor");
                page.data("lines", services.plain(lines.json().path("items"))).data("next", next.isNull() ? null : next.asText());
            } else {
                page.data("linesError", lines.problem());
            }
        }
        return Pages.html(page);
    }

    /** The whole statement as the billing service writes it (RFC 4180 CSV), under a file name from the month and BIN. */
    @GET
    @Path("/{month}/polyclinics/{bin}/lines.csv")
    public Response csv(@CookieParam(StaffSession.COOKIE) String cookie, @PathParam("month") String month, @PathParam("bin") String bin,
                        @QueryParam("purpose") String purpose) {
        StaffSession session = Pages.signedIn(cookie);
        Answer a = services.get(Service.BILLING, "/api/v1/capitation/" + Services.segment(month) + "/polyclinics/" + Services.segment(bin)
                + "/lines?format=csv", session.token(), purpose, "text/csv");
        if (!a.ok()) {
            return Response.status(a.status()).type("text/plain;charset=UTF-8").entity(a.problem()).build();
        }
        return Response.ok(a.bytes()).type("text/csv;charset=UTF-8").header("Content-Disposition", "attachment; filename=\"capitation-"
                + month.replaceAll("[^0-9-]", "") + "-" + bin.replaceAll("[^0-9]", "") + ".csv\"").build();
    }

    @POST
    @Path("/run")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response run(@CookieParam(StaffSession.COOKIE) String cookie, @FormParam("month") String month) {
        return act(cookie, month, "run");
    }

    @POST
    @Path("/close")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response close(@CookieParam(StaffSession.COOKIE) String cookie, @FormParam("month") String month) {
        return act(cookie, month, "close");
    }

    private Response act(String cookie, String month, String action) {
        StaffSession session = Pages.signedIn(cookie);
        String m = month == null ? "" : month.strip();
        Answer a = services.post(Service.BILLING, "/api/v1/capitation/" + Services.segment(m) + "/" + action, session.token(), null, null);
        String message = a.ok() ? (action.equals("run") ? "Month " + m + " computed: version " + a.json().path("version").asText()
                + ", " + a.json().path("persons").asText() + " persons, " + a.json().path("amount").asText() + " ₸"
                : "Month " + m + " closed (version " + a.json().path("version").asText() + ")") : a.problem();
        return Response.seeOther(URI.create("/capitation" + Services.query("month", m, "message", message))).build();
    }

    static String label(String factor) {
        return factor.matches("\\d+") ? factor + " %" : factor;
    }
}
