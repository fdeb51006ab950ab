package kz.ehr.console.web;

import java.net.URI;
import java.math.BigDecimal;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.LinkedHashMap;
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
 * Fraud: the monitor's flags by rule, polyclinic, doctor and state, page by page; a flag's evidence and decisions;
 * confirm or dismiss with a comment (reviewers); money protected over the last six months.
 */
@Path("/fraud")
public class FraudResource {
    static final int MONTHS = 6;
    /** The flag states, for the filter (the rules come from billing's {@code GET /api/v1/fraud/rules}). */
    static final java.util.List<String> STATES = java.util.List.of("OPEN", "CONFIRMED", "DISMISSED", "WITHDRAWN");

    @Inject
    Pages pages;
    @Inject
    Services services;

    @GET
    public Response list(@CookieParam(StaffSession.COOKIE) String cookie, @QueryParam("rule") String rule,
                         @QueryParam("polyclinic") String polyclinic, @QueryParam("doctor") String doctor,
                         @QueryParam("state") String state, @QueryParam("after") String after, @QueryParam("message") String message) {
        StaffSession session = pages.require(cookie, Page.FRAUD);
        Map<String, String> filter = new LinkedHashMap<>();
        filter.put("rule", PatientsResource.blankToEmpty(rule));
        filter.put("polyclinic", PatientsResource.blankToEmpty(polyclinic));
        filter.put("doctor", PatientsResource.blankToEmpty(doctor));
        filter.put("state", PatientsResource.blankToEmpty(state));
        TemplateInstance page = pages.page("fraud.html", session, Page.FRAUD).data("filter", filter).data("message", message)
                .data("states", STATES);
        // the rules the monitor runs, from billing itself: a rule billing adds shows up here without a console release
        Answer rules = services.get(Service.BILLING, "/api/v1/fraud/rules", session.token(), null);
        if (rules.ok()) {
            page.data("rules", services.plain(rules.json()));
        } else {
            page.data("rulesError", rules.problem());
        }
        Answer flags = services.get(Service.BILLING, "/api/v1/fraud/flags" + Services.query("rule", rule, "polyclinic", polyclinic,
                "doctor", doctor, "state", state, "after", after, "limit", "25"), session.token(), null);
        if (!flags.ok()) {
            return Pages.html(page.data("error", flags.problem()));
        }
        JsonNode next = flags.json().path("nextCursor");
        page.data("flags", services.plain(flags.json().path("items"))).data("next", next.isNull() || next.isMissingNode() ? null : next.asText())
                .data("nextQuery", Services.query("rule", rule, "polyclinic", polyclinic, "doctor", doctor, "state", state,
                        "after", next.asText(null)));
        Map<String, BigDecimal> protectedMoney = new LinkedHashMap<>();
        YearMonth now = YearMonth.now(ZoneId.of("Asia/Almaty"));
        for (int i = MONTHS - 1; i >= 0; i--) {
            YearMonth m = now.minusMonths(i);
            Answer p = services.get(Service.BILLING, "/api/v1/fraud/protected/" + m, session.token(), null);
            if (p.ok()) {
                protectedMoney.put(m.toString(), p.json().path("moneyAtStakeConfirmed").decimalValue());
            }
        }
        return Pages.html(page.data("protected", protectedMoney)
                .data("protectedChart", Charts.bars("Money at stake on confirmed flags per month (₸)", protectedMoney)));
    }

    @GET
    @Path("/{flagId}")
    public Response flag(@CookieParam(StaffSession.COOKIE) String cookie, @PathParam("flagId") String flagId) {
        StaffSession session = pages.require(cookie, Page.FRAUD);
        TemplateInstance page = pages.page("flag.html", session, Page.FRAUD).data("flagId", flagId);
        Answer a = services.get(Service.BILLING, "/api/v1/fraud/flags/" + Services.segment(flagId), session.token(), null);
        if (!a.ok()) {
            return Pages.html(a.status() == 404 ? 404 : 200, page.data("error", a.problem()));
        }
        return Pages.html(page.data("flag", services.plain(a.json().path("flag"))).data("decisions", services.plain(a.json().path("decisions"))));
    }

    @POST
    @Path("/{flagId}/decision")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response decide(@CookieParam(StaffSession.COOKIE) String cookie, @PathParam("flagId") String flagId,
                           @FormParam("decision") String decision, @FormParam("comment") String comment) {
        StaffSession session = Pages.signedIn(cookie);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("decision", decision == null ? "" : decision);
        body.put("comment", comment == null ? "" : comment.strip());
        Answer a = services.post(Service.BILLING, "/api/v1/fraud/flags/" + Services.segment(flagId) + "/decision", session.token(), null, body);
        String message = a.ok() ? "Flag " + a.json().path("flag").path("state").asText().toLowerCase() : a.problem();
        return Response.seeOther(URI.create("/fraud" + Services.query("message", message))).build();
    }
}
