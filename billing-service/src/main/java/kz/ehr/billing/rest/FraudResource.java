package kz.ehr.billing.rest;


import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import kz.ehr.billing.BillingProblem;
import kz.ehr.billing.fraud.ReviewState;
import kz.ehr.billing.fraud.service.FraudFlags;
import kz.ehr.security.Caller;
import kz.ehr.security.Roles;

/** The fraud monitor's flags, reviewers' decisions and the money it protected. Only a reviewer decides. */
@Path("/api/v1/fraud")
@Blocking
@Produces("application/json")
public class FraudResource {
    @Inject
    FraudFlags flags;
    @Inject
    SecurityIdentity identity;

    /** The reviewer is the token's principal; a {@code reviewer} field in the body is ignored. */
    public record DecisionRequest(String decision, String comment) {
    }

    @GET
    @RolesAllowed({Roles.REVIEWER, Roles.OPS, Roles.AUDITOR})
    @Path("/flags")
    public FraudFlags.Page list(@QueryParam("polyclinic") String polyclinic, @QueryParam("rule") String rule,
            @QueryParam("state") String state, @QueryParam("doctor") String doctor, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("after") String after, @QueryParam("limit") Integer limit) {
        if (state != null) {
            try {
                ReviewState.valueOf(state);
            } catch (IllegalArgumentException e) {
                throw BillingProblem.badRequest("INVALID_STATE", "state", "state must be OPEN, CONFIRMED, DISMISSED or WITHDRAWN");
            }
        }
        return flags.list(new FraudFlags.Filter(polyclinic, rule, state, doctor, Params.date("from", from), Params.date("to", to)),
                after, Params.limit(limit));
    }

    @GET
    @RolesAllowed({Roles.REVIEWER, Roles.OPS, Roles.AUDITOR})
    @Path("/flags/{flagId}")
    public FraudFlags.FlagDetail get(@PathParam("flagId") String flagId) {
        return flags.get(flagId);
    }

    /** Confirms or dismisses an open flag; the reviewer and comment are audited. */
    @POST
    @RolesAllowed(Roles.REVIEWER)
    @Path("/flags/{flagId}/decision")
    @Consumes("application/json")
    public FraudFlags.FlagDetail decide(@PathParam("flagId") String flagId, DecisionRequest body) {
        if (body == null || body.decision() == null) {
            throw BillingProblem.badRequest("MISSING_DECISION", "decision", "decision (CONFIRMED or DISMISSED) is required");
        }
        if (body.comment() == null || body.comment().isBlank()) {
            throw BillingProblem.badRequest("MISSING_COMMENT", "comment", "comment is required: say why the flag is confirmed or dismissed");
        }
        ReviewState decision;
        try {
            decision = ReviewState.valueOf(body.decision());
        } catch (IllegalArgumentException e) {
            throw BillingProblem.badRequest("INVALID_DECISION", "decision", "decision must be CONFIRMED or DISMISSED");
        }
        return flags.decide(flagId, decision, Caller.of(identity, null).who(), body.comment());
    }

    /** Money the monitor protected in a month: flags on its visits and what its latest statement withheld because of them. */
    @GET
    @RolesAllowed({Roles.REVIEWER, Roles.OPS, Roles.AUDITOR})
    @Path("/protected/{month}")
    public FraudFlags.MonthProtection protection(@PathParam("month") String month) {
        return flags.protection(Params.month(month));
    }
}
