package kz.ehr.certificates.rest;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.annotation.security.RolesAllowed;
import kz.ehr.security.Roles;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.common.annotation.Blocking;
import kz.ehr.certificates.audit.AccessAudit;
import kz.ehr.security.Caller;
import kz.ehr.certificates.issuance.CertificateIssuer;
import kz.ehr.certificates.issuance.IssuanceException;
import kz.ehr.certificates.signing.SigningKeys;
import kz.ehr.certificates.verifier.CertificateJws;

/** What verifiers download (JWKS, revocation lists per key; public) and the operator's key rotation (ops, audited). */
@Path("/")
@Blocking
public class KeysResource {
    @Inject
    SigningKeys keys;
    @Inject
    CertificateIssuer issuer;
    @Inject
    AccessAudit audit;
    @Inject
    SecurityIdentity identity;

    @GET
    @PermitAll // public keys, for offline verifiers
    @Path(".well-known/jwks.json")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> jwks() {
        return keys.jwks();
    }

    @GET
    @PermitAll // public, signed, without reasons
    @Path("api/v1/revocations/{kid}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> revocations(@PathParam("kid") String kid) throws SQLException {
        if (keys.publicKey(kid) == null) {
            throw new IssuanceException(IssuanceException.Kind.NOT_FOUND, "UNKNOWN_KEY", "kid", "no key " + kid, null);
        }
        return revocationList(kid);
    }

    /** Every key's revocation list in one document, the form {@code VerifyCli --revocations} reads. */
    @GET
    @PermitAll // public, signed, without reasons
    @Path("api/v1/revocations")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> allRevocations() throws SQLException {
        List<Map<String, Object>> lists = new ArrayList<>();
        for (SigningKeys.KeyState k : keys.published()) {
            lists.add(revocationList(k.jwk().kid()));
        }
        return Map.of("generatedAt", Instant.now().toString(), "lists", lists);
    }

    /** Ops only (keep it behind the internal network): a new key signs from now on, old certificates stay valid. */
    @POST
    @RolesAllowed(Roles.OPS)
    @Path("api/v1/keys/rotation")
    @Produces(MediaType.APPLICATION_JSON)
    public Response rotate(@HeaderParam(Caller.PURPOSE_HEADER) String purpose) throws Exception {
        SigningKeys.KeyState fresh = keys.rotate();
        audit.record(Caller.of(identity, purpose), AccessAudit.Action.KEY_ROTATION, null, null);
        return Response.status(201).entity(Map.of("kid", fresh.jwk().kid(), "created", fresh.created().toString())).build();
    }

    /**
     * Ops only: withdraws a compromised key. Every certificate it signed verifies as {@code KEY_WITHDRAWN} from then
     * on (at every instance within {@code revocation-refresh}), and the key leaves the JWKS; withdrawing the current key
     * rotates first. Audited ({@code KEY_WITHDRAWAL}, with the kid as what and {@code X-Purpose} as why). Not undone.
     */
    @POST
    @RolesAllowed(Roles.OPS)
    @Path("api/v1/keys/{kid}/withdrawal")
    @Produces(MediaType.APPLICATION_JSON)
    public Response withdraw(@PathParam("kid") String kid, @HeaderParam(Caller.PURPOSE_HEADER) String purpose) throws Exception {
        Caller caller = Caller.of(identity, purpose);
        SigningKeys.KeyState withdrawn = keys.withdraw(kid, caller.who()).orElseThrow(() ->
                new IssuanceException(IssuanceException.Kind.NOT_FOUND, "UNKNOWN_KEY", "kid", "no key " + kid, null));
        audit.record(caller, AccessAudit.Action.KEY_WITHDRAWAL, "key:" + kid, null);
        return Response.ok(Map.of("kid", kid, "withdrawnAt", withdrawn.withdrawnAt().toString(),
                "current", keys.current().jwk().kid())).build();
    }

    private Map<String, Object> revocationList(String kid) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kid", kid);
        m.put("generatedAt", Instant.now().toString());
        m.put("revoked", issuer.revokedBy(kid));
        // the signed copy is what offline verifiers believe: a list served from a mirror cannot be trimmed
        Map<String, Object> out = new LinkedHashMap<>(m);
        out.put("jws", keys.sign(m, CertificateJws.REVOCATIONS_TYPE).token());
        return out;
    }
}
