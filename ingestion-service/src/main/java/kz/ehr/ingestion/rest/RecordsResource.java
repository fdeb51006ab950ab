package kz.ehr.ingestion.rest;

import java.io.IOException;
import java.io.InputStream;
import java.sql.SQLException;
import java.util.List;

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

import io.smallrye.common.annotation.Blocking;
import kz.ehr.ingestion.config.IngestionConfig;
import kz.ehr.ingestion.intake.BatchParser;
import kz.ehr.ingestion.intake.IncomingRecord;
import kz.ehr.ingestion.intake.RecordIntake;
import kz.ehr.ingestion.providers.ProviderKeys;
import kz.ehr.ingestion.publish.RecordPublisher;

/** Provider batch submission: {@code POST /api/v1/records} (API.md). */
@Path("/api/v1/records")
@Blocking
public class RecordsResource {
    @Inject
    ProviderKeys keys;
    @Inject
    RecordIntake intake;
    @Inject
    IngestionConfig config;

    @POST
    @PermitAll // a provider key, checked below: not a staff role
    @Consumes({"application/x-ndjson", MediaType.APPLICATION_JSON})
    @Produces(MediaType.APPLICATION_JSON)
    public Response submit(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) throws IOException {
        String provider;
        try {
            provider = keys.providerFor(Problems.bearer(authorization)).orElse(null);
        } catch (SQLException e) {
            return Problems.unavailable(config, "DATABASE_UNAVAILABLE", "provider keys cannot be checked right now; resend the batch");
        }
        if (provider == null) {
            return Problems.response(401, "UNAUTHENTICATED", "Authorization",
                    "send Authorization: Bearer <provider key>; the key was missing, unknown or revoked").build();
        }
        byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, config.maxBatchBytes() + 1));
        if (bytes.length > config.maxBatchBytes()) {
            return Problems.response(413, "BATCH_TOO_LARGE", null,
                    "the body is larger than the limit of " + config.maxBatchBytes() + " bytes; split the batch").build();
        }
        List<IncomingRecord> records;
        try {
            boolean ndjson = contentType != null && contentType.startsWith("application/x-ndjson");
            records = ndjson ? intake.parser().ndjson(bytes, config.maxBatchRecords())
                    : intake.parser().array(bytes, config.maxBatchRecords());
        } catch (BatchParser.TooManyRecordsException e) {
            return Problems.response(413, "BATCH_TOO_LARGE", null,
                    "the batch has more than the limit of " + e.limit + " records; split the batch").build();
        } catch (BatchParser.MalformedBatchException e) {
            return Problems.response(400, "MALFORMED_BATCH", null, e.getMessage()).build();
        }
        try {
            return Response.ok(intake.submit(provider, records)).build();
        } catch (RecordPublisher.KafkaUnavailableException e) {
            return Problems.unavailable(config, "KAFKA_UNAVAILABLE",
                    "records could not be made durable in Kafka; nothing of this batch was accepted, resend it");
        } catch (RecordIntake.StateUnavailableException e) {
            return Problems.unavailable(config, "DATABASE_UNAVAILABLE",
                    "the batch could not be recorded; nothing of it is reported accepted, resend it (resending is safe)");
        }
    }
}
