package kz.ehr.console.web;

import java.net.URI;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import kz.ehr.console.ConsoleConfig;
import kz.ehr.console.session.StaffSession;
import kz.ehr.console.session.TokenMinter;
import kz.ehr.security.Roles;

/**
 * Sign-in: a staff token pasted into a form (POST, so it never appears in a URL or a server log line), kept in an
 * HttpOnly, SameSite=Strict cookie that lives no longer than the token. On the embedded platform the same page also
 * mints a token for a chosen user and roles.
 */
@Path("/")
public class SignInResource {
    @Inject
    Pages pages;
    @Inject
    TokenMinter minter;
    @Inject
    ConsoleConfig config;

    @GET
    public Response home(@CookieParam(StaffSession.COOKIE) String cookie) {
        StaffSession session = Pages.signedIn(cookie);
        List<Page> visible = Page.visibleTo(session);
        return Response.seeOther(URI.create(visible.isEmpty() ? "/certificates" : visible.get(0).path)).build();
    }

    @GET
    @Path("signin")
    public Response form(@CookieParam(StaffSession.COOKIE) String cookie) {
        return Pages.html(signInPage(Pages.session(cookie), null));
    }

    @POST
    @Path("signin")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signIn(@FormParam("token") String token) {
        try {
            return start(StaffSession.of(token, Instant.now()));
        } catch (IllegalArgumentException e) {
            return Pages.html(400, signInPage(null, e.getMessage()));
        }
    }

    @POST
    @Path("signin/mint")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response mint(@FormParam("user") String user, @FormParam("role") List<String> roles) {
        if (!minter.enabled()) {
            return Pages.html(404, signInPage(null, "MINT_DISABLED: this console signs no tokens; paste one from your identity provider"));
        }
        try {
            List<String> chosen = roles == null ? List.of() : roles;
            if (chosen.isEmpty()) {
                throw new IllegalArgumentException("ROLES_REQUIRED: choose at least one role");
            }
            return start(StaffSession.of(minter.mint(user, chosen), Instant.now()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            return Pages.html(400, signInPage(null, e.getMessage()));
        }
    }

    @POST
    @Path("signout")
    public Response signOut() {
        return Response.seeOther(URI.create("/signin")).cookie(cookie("", 0)).build();
    }

    private Response start(StaffSession session) {
        int maxAge = (int) Math.max(1, session.expiresAt().getEpochSecond() - Instant.now().getEpochSecond());
        return Response.seeOther(URI.create("/")).cookie(cookie(session.token(), maxAge)).build();
    }

    private NewCookie cookie(String value, int maxAge) {
        return new NewCookie.Builder(StaffSession.COOKIE).value(value).path("/").httpOnly(true).secure(config.secureCookie())
                .sameSite(NewCookie.SameSite.STRICT).maxAge(maxAge).build();
    }

    private io.quarkus.qute.TemplateInstance signInPage(StaffSession session, String error) {
        return pages.page("signin.html", session, null).data("error", error).data("mint", minter.enabled())
                .data("roles", Arrays.asList(Roles.ALL.toArray()));
    }
}
