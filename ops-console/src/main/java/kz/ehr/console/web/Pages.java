package kz.ehr.console.web;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.Engine;
import io.quarkus.qute.TemplateInstance;
import kz.ehr.console.session.StaffSession;

/** What every page needs: who is signed in, the menu their roles open, and the answer when they may not see a page. */
@ApplicationScoped
public class Pages {
    @Inject
    Engine engine;

    /** The session in the cookie, or null when there is none or it no longer reads as a live token. */
    public static StaffSession session(String cookie) {
        if (cookie == null || cookie.isBlank()) {
            return null;
        }
        try {
            return StaffSession.of(cookie, Instant.now());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The template {@code name} with the layout's data; {@code current} marks the menu entry. */
    public TemplateInstance page(String name, StaffSession session, Page current) {
        List<Map<String, Object>> nav = new ArrayList<>();
        for (Page p : Page.visibleTo(session)) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("path", p.path);
            item.put("title", p.title);
            item.put("current", p == current);
            nav.add(item);
        }
        Map<String, Object> user = new LinkedHashMap<>();
        if (session != null) {
            user.put("name", session.user());
            user.put("roles", String.join(", ", session.roles()));
            user.put("expiresAt", session.expiresAt().toString());
        }
        return engine.getTemplate(name).data("nav", nav).data("user", session == null ? null : user)
                .data("title", current == null ? "Ops console" : current.title)
                .data("can", can(session));
    }

    /** Role flags the templates ask: {@code {#if can.reviewer}}. */
    static Map<String, Boolean> can(StaffSession session) {
        Map<String, Boolean> can = new LinkedHashMap<>();
        for (String role : kz.ehr.security.Roles.ALL) {
            can.put(role, session != null && session.has(role));
        }
        return can;
    }

    /** To sign in first, coming back here afterwards. */
    /** The signed-in person; with no valid session the answer is the way to the sign-in page. */
    public static StaffSession signedIn(String cookie) {
        StaffSession session = session(cookie);
        if (session == null) {
            throw new WebApplicationException(signIn());
        }
        return session;
    }

    /** The signed-in person whose roles open {@code page}; otherwise the sign-in page or this page's 403 is the answer. */
    public StaffSession require(String cookie, Page page) {
        StaffSession session = signedIn(cookie);
        if (!page.opensFor(session)) {
            throw new WebApplicationException(forbidden(session, page));
        }
        return session;
    }

    public static Response signIn() {
        return Response.seeOther(URI.create("/signin")).build();
    }

    public Response forbidden(StaffSession session, Page page) {
        return html(403, page("error.html", session, page)
                .data("message", "Your roles (" + String.join(", ", session.roles()) + ") do not open " + page.title
                        + "; it needs one of " + page.roles + "."));
    }

    public static Response html(TemplateInstance t) {
        return html(200, t);
    }

    public static Response html(int status, TemplateInstance t) {
        return Response.status(status).entity(t.render()).type("text/html;charset=UTF-8").build();
    }
}
