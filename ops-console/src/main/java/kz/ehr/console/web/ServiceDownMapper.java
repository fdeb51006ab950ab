package kz.ehr.console.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import kz.ehr.console.client.ServiceDown;
import kz.ehr.console.session.StaffSession;

/** A service that does not answer becomes a plain sentence on the page (503), with the menu still there. */
@Provider
public class ServiceDownMapper implements ExceptionMapper<ServiceDown> {
    @Inject
    Pages pages;
    @Context
    HttpHeaders headers;

    @Override
    public Response toResponse(ServiceDown e) {
        Cookie c = headers.getCookies().get(StaffSession.COOKIE);
        StaffSession session = Pages.session(c == null ? null : c.getValue());
        return Pages.html(503, pages.page("error.html", session, null).data("message", e.getMessage()));
    }
}
