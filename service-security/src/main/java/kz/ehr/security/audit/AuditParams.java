package kz.ehr.security.audit;

import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.QueryParam;

import kz.ehr.security.Caller;

/**
 * The query parameters every service's {@code GET /api/v1/audit} takes, and the auditor's purpose. The subject
 * parameter is the service's own ({@code patient}, {@code provider}, {@code enterpriseId}), so it stays on the
 * resource method.
 */
public class AuditParams {
    @QueryParam("who")
    public String who;
    @QueryParam("action")
    public String action;
    @QueryParam("from")
    public String from;
    @QueryParam("to")
    public String to;
    @QueryParam("before")
    public Long before;
    @QueryParam("limit")
    public Integer limit;
    @HeaderParam(Caller.PURPOSE_HEADER)
    public String purpose;

    /** @throws AuditQuery.InvalidParameter naming the parameter the auditor got wrong */
    public AuditQuery query(String subject) {
        return AuditQuery.parse(who, action, subject, from, to, before, limit);
    }
}
