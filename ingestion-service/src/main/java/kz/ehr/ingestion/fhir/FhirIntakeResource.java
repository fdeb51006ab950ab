package kz.ehr.ingestion.fhir;

import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.hl7.fhir.r4.model.OperationOutcome;

import io.smallrye.common.annotation.Blocking;
import kz.ehr.ingestion.config.IngestionConfig;
import kz.ehr.ingestion.intake.RecordIntake;
import kz.ehr.ingestion.providers.ProviderKeys;
import kz.ehr.ingestion.publish.RecordPublisher;

/**
 * {@code POST /fhir/r4} (API.md "FHIR R4 intake"): a batch or transaction Bundle from the provider whose key is the
 * bearer, with the JSON path's authentication and limits; every answer is FHIR (a batch-response Bundle, or an
 * OperationOutcome when the body as a whole cannot be taken).
 */
@Path("/fhir/r4")
@Blocking
public class FhirIntakeResource {
    static final String FHIR_JSON = "application/fhir+json";

    @Inject
    ProviderKeys keys;
    @Inject
    FhirIntake fhir;
    @Inject
    IngestionConfig config;

    @POST
    @PermitAll // a provider key, checked below: not a staff role
    @Consumes({FHIR_JSON, MediaType.APPLICATION_JSON})
    @Produces(FHIR_JSON)
    public Response submit(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, InputStream body) throws IOException {
        String provider;
        try {
            provider = keys.providerFor(bearer(authorization)).orElse(null);
        } catch (SQLException e) {
            return unavailable("DATABASE_UNAVAILABLE", "provider keys cannot be checked right now; resend the bundle");
        }
        if (provider == null) {
            return outcome(401, Outcomes.of("UNAUTHENTICATED", null,
                    "send Authorization: Bearer <provider key>; the key was missing, unknown or revoked"));
        }
        byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, config.maxBatchBytes() + 1));
        if (bytes.length > config.maxBatchBytes()) {
            return outcome(413, Outcomes.of("BATCH_TOO_LARGE", null,
                    "the body is larger than the limit of " + config.maxBatchBytes() + " bytes; split the bundle"));
        }
        try {
            return Response.ok(fhir.encode(fhir.submit(provider, bytes)), FHIR_JSON).build();
        } catch (BundleReader.NotABundleException e) {
            return outcome(400, Outcomes.of(e.issues));
        } catch (BundleReader.TooManyEntriesException e) {
            return outcome(413, Outcomes.of("BATCH_TOO_LARGE", "Bundle.entry",
                    "the bundle has more than the limit of " + e.limit + " entries; split it"));
        } catch (RecordPublisher.KafkaUnavailableException e) {
            return unavailable("KAFKA_UNAVAILABLE",
                    "records could not be made durable in Kafka; nothing of this bundle was accepted, resend it");
        } catch (RecordIntake.StateUnavailableException e) {
            return unavailable("DATABASE_UNAVAILABLE",
                    "the bundle could not be recorded; nothing of it is reported accepted, resend it (resending is safe)");
        }
    }

    private Response outcome(int status, OperationOutcome outcome) {
        return Response.status(status).type(FHIR_JSON).entity(fhir.encode(outcome)).build();
    }

    private Response unavailable(String code, String message) {
        return Response.status(503).type(FHIR_JSON).header("Retry-After", config.retryAfterSeconds())
                .entity(fhir.encode(Outcomes.of(code, null, message))).build();
    }

    private static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).trim();
    }
}
