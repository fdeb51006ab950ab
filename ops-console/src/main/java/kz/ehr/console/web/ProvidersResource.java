package kz.ehr.console.web;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

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
 * Providers: accepted / rejected / warned per provider and rejections by code (ingestion's statistics), one provider's
 * latest rejections with field and message (the originals hold patients' data: with a purpose), and key rotation
 * (issue a new key, shown once; revoke an old one).
 */
@Path("/providers")
public class ProvidersResource {
    static final int HOURS = 24;
    @Inject
    Pages pages;
    @Inject
    Services services;

    @GET
    public Response show(@CookieParam(StaffSession.COOKIE) String cookie, @QueryParam("provider") String provider,
                         @QueryParam("purpose") String purpose, @QueryParam("before") String before,
                         @QueryParam("message") String message) {
        StaffSession session = pages.require(cookie, Page.PROVIDERS);
        TemplateInstance page = pages.page("providers.html", session, Page.PROVIDERS).data("provider", provider)
                .data("purpose", purpose == null ? "" : purpose).data("message", message);
        Answer stats = services.get(Service.INGESTION, "/api/v1/providers/stats", session.token(), null);
        if (!stats.ok()) {
            return Pages.html(page.data("error", stats.problem()));
        }
        Map<String, Long> byCode = new TreeMap<>();
        for (JsonNode p : stats.json()) {
            p.path("rejectedByCode").fields().forEachRemaining(e -> byCode.merge(e.getKey(), e.getValue().asLong(), Long::sum));
        }
        page.data("stats", services.plain(stats.json())).data("codesChart", Charts.bars("Rejections by code, all providers", byCode));
        boolean one = provider != null && !provider.isBlank();
        Answer hourly = services.get(Service.INGESTION, "/api/v1/providers/stats/rejections-by-hour"
                + Services.query("hours", String.valueOf(HOURS), "provider", one ? provider.strip() : null), session.token(), null);
        if (hourly.ok()) {
            Map<String, long[]> byHour = byCode(hourly.json());
            List<String> labels = hourLabels(hourly.json());
            page.data("hoursChart", Charts.stackedColumns("Rejected records per code per hour, last " + HOURS + " h (UTC), "
                    + (one ? provider.strip() : "all providers"), labels, byHour, 3))
                    .data("hourLabels", labels).data("hourRows", rows(byHour));
        } else {
            page.data("hoursError", hourly.problem());
        }
        if (provider != null && !provider.isBlank()) {
            String base = "/api/v1/providers/" + Services.segment(provider);
            Answer keys = services.get(Service.INGESTION, base + "/keys", session.token(), null);
            page.data("keys", keys.ok() ? services.plain(keys.json()) : null).data("keysError", keys.ok() ? null : keys.problem());
            if (purpose != null && !purpose.isBlank()) {
                Answer rejections = services.get(Service.INGESTION, base + "/rejections" + Services.query("limit", "20", "before", before),
                        session.token(), purpose);
                if (rejections.ok()) {
                    JsonNode next = rejections.json().path("nextCursor");
                    page.data("rejections", services.plain(rejections.json().path("items")))
                            .data("next", next.isNull() || next.isMissingNode() ? null : next.asText());
                } else {
                    page.data("rejectionsError", rejections.problem());
                }
            }
        }
        return Pages.html(page);
    }

    /** Summed over providers: code → rejected records per hour, codes in order. */
    static Map<String, long[]> byCode(JsonNode history) {
        int n = history.path("buckets").size();
        Map<String, long[]> byCode = new TreeMap<>();
        for (JsonNode series : history.path("series")) {
            long[] sum = byCode.computeIfAbsent(series.path("code").asText(), k -> new long[n]);
            JsonNode counts = series.path("counts");
            for (int i = 0; i < n && i < counts.size(); i++) {
                sum[i] += counts.get(i).asLong();
            }
        }
        return byCode;
    }

    /** Each bucket's start as its hour of day in UTC ("14:00"). */
    static List<String> hourLabels(JsonNode history) {
        List<String> labels = new java.util.ArrayList<>();
        for (JsonNode b : history.path("buckets")) {
            labels.add(java.time.Instant.parse(b.asText()).atZone(java.time.ZoneOffset.UTC).toLocalTime().toString());
        }
        return labels;
    }

    static List<Map<String, Object>> rows(Map<String, long[]> byCode) {
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        byCode.forEach((code, counts) -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("code", code);
            row.put("counts", java.util.Arrays.stream(counts).boxed().toList());
            row.put("total", java.util.Arrays.stream(counts).sum());
            rows.add(row);
        });
        return rows;
    }

    @POST
    @Path("/{provider}/keys")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response issueKey(@CookieParam(StaffSession.COOKIE) String cookie, @PathParam("provider") String provider,
                             @FormParam("purpose") String purpose) {
        StaffSession session = Pages.signedIn(cookie);
        Answer a = services.post(Service.INGESTION, "/api/v1/providers/" + Services.segment(provider) + "/keys", session.token(),
                purpose, null);
        if (!a.ok()) {
            return Response.seeOther(URI.create("/providers" + Services.query("provider", provider, "message", a.problem()))).build();
        }
        // the key is shown once, on this answer only: never in a redirect's address
        Map<String, Object> issued = new LinkedHashMap<>(services.map(a.json()));
        return Pages.html(pages.page("key-issued.html", session, Page.PROVIDERS).data("provider", provider).data("issued", issued));
    }

    @POST
    @Path("/{provider}/keys/{keyId}/revoke")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response revokeKey(@CookieParam(StaffSession.COOKIE) String cookie, @PathParam("provider") String provider,
                              @PathParam("keyId") String keyId, @FormParam("purpose") String purpose) {
        StaffSession session = Pages.signedIn(cookie);
        Answer a = services.delete(Service.INGESTION, "/api/v1/providers/" + Services.segment(provider) + "/keys/" + Services.segment(keyId),
                session.token(), purpose);
        String message = a.ok() ? "Key " + keyId + " revoked" : a.problem();
        return Response.seeOther(URI.create("/providers" + Services.query("provider", provider, "message", message))).build();
    }
}
