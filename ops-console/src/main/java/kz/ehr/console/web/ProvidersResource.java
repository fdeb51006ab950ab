package kz.ehr.console.web;

import java.net.URI;
import java.util.LinkedHashMap;
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
