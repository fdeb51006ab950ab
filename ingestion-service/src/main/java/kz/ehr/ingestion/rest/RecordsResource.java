package kz.ehr.ingestion.rest;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.common.annotation.Blocking;
import kz.ehr.ingestion.config.IngestionConfig;
import kz.ehr.ingestion.providers.ProviderKeys;
import kz.ehr.ingestion.publish.RecordPublisher;
import kz.ehr.ingestion.validation.RecordError;
import kz.ehr.ingestion.validation.RecordValidator;
import kz.ehr.ingestion.validation.ValidatedRecord;

/** Provider batch submission: {@code POST /api/v1/records} (API.md). */
@Path("/api/v1/records")
@Blocking
public class RecordsResource {
    @Inject
    ProviderKeys keys;
    @Inject
    RecordPublisher publisher;
    @Inject
    IngestionConfig config;
    @Inject
    ObjectMapper mapper;

    public record Rejection(int index, String recordId, List<RecordError> errors) {
    }

    public record BatchResult(String batchId, int accepted, int duplicates, List<Rejection> rejected) {
    }

    @POST
    @Consumes({"application/x-ndjson", MediaType.APPLICATION_JSON})
    @Produces(MediaType.APPLICATION_JSON)
    public Response submit(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
                           @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) throws IOException {
        String provider = keys.providerFor(bearer(authorization)).orElse(null);
        if (provider == null) {
            return Problems.response(401, "UNAUTHENTICATED", "Authorization",
                    "send Authorization: Bearer <provider key>; the key was missing or is not known").build();
        }
        byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, config.maxBatchBytes() + 1));
        if (bytes.length > config.maxBatchBytes()) {
            return Problems.response(413, "BATCH_TOO_LARGE", null,
                    "the body is larger than " + config.maxBatchBytes() + " bytes; split the batch").build();
        }
        List<JsonNode> records = new ArrayList<>();
        List<Rejection> rejected = new ArrayList<>();
        boolean ndjson = contentType != null && contentType.startsWith("application/x-ndjson");
        if (ndjson) {
            String[] lines = new String(bytes, java.nio.charset.StandardCharsets.UTF_8).split("\n");
            for (String line : lines) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    records.add(mapper.readTree(line));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    rejected.add(new Rejection(records.size() + rejected.size(), null,
                            List.of(new RecordError("MALFORMED_JSON", null, "line is not a JSON object: " + e.getOriginalMessage()))));
                    records.add(null);
                }
            }
        } else {
            JsonNode root = mapper.readTree(bytes);
            if (root == null || !root.isArray()) {
                return Problems.response(400, "MALFORMED_BATCH", null, "a JSON body must be an array of records").build();
            }
            root.forEach(records::add);
        }
        if (records.size() > config.maxBatchRecords()) {
            return Problems.response(413, "BATCH_TOO_LARGE", null,
                    "the batch has " + records.size() + " records; the limit is " + config.maxBatchRecords()).build();
        }
        Instant now = Instant.now();
        List<ValidatedRecord> accepted = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode node = records.get(i);
            if (node == null) {
                continue;
            }
            if (!node.isObject()) {
                rejected.add(new Rejection(i, null, List.of(new RecordError("MALFORMED_JSON", null, "record is not a JSON object"))));
                continue;
            }
            ValidatedRecord v = RecordValidator.validate(provider, node, now);
            if (v.accepted()) {
                accepted.add(v);
            } else {
                rejected.add(new Rejection(i, v.recordId(), v.errors()));
            }
        }
        try {
            publisher.publishAll(accepted);
        } catch (RecordPublisher.KafkaUnavailableException e) {
            return Problems.response(503, "KAFKA_UNAVAILABLE", null,
                            "records could not be made durable; nothing of this batch was accepted, resend it")
                    .header("Retry-After", config.retryAfterSeconds()).build();
        }
        rejected.sort(java.util.Comparator.comparingInt(Rejection::index));
        return Response.ok(new BatchResult(UUID.randomUUID().toString(), accepted.size(), 0, rejected)).build();
    }

    private static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).trim();
    }
}
