package kz.ehr.events.deadletter;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import io.smallrye.common.annotation.Blocking;
import kz.ehr.events.deadletter.DeadLetterQueue.Letter;
import kz.ehr.events.deadletter.DeadLetterQueue.Replayed;
import kz.ehr.events.kafka.BatchConsumerLoop;
import kz.ehr.events.kafka.ConsumerLoopsReadiness;
import kz.ehr.events.kafka.Failures;
import kz.ehr.events.ops.OpsAudit;
import kz.ehr.events.ops.OpsProblems;

/**
 * The dead letters of this service's own consumers, for ops (role {@code ops}); every service has it, the same code.
 * <ul>
 * <li>{@code GET /api/v1/ops/dead-letters?sourceTopic=&group=&code=&limit=} — newest first: id, when, consumer group,
 * source topic/partition/offset, error code and (redacted) reason, size, and whether and by whom it was replayed. No
 * key and no payload (they hold patient data), so not audited.</li>
 * <li>{@code GET /api/v1/ops/dead-letters/{id}} — one, with its key and payload (decoded as JSON when the
 * consumer's codec can read it, else base64): needs {@code X-Purpose}, audited ({@code READ_DEAD_LETTER}).</li>
 * <li>{@code POST /api/v1/ops/dead-letters/replay?id=…} (repeatable), or by selection {@code sourceTopic}, {@code group},
 * {@code code}, {@code sourcePartition}, {@code fromOffset}/{@code toOffset} (source offsets, inclusive), or
 * {@code all=true} — hands them back to their consumer loop after a fix; each message is applied once, however often
 * it is replayed ({@link DeadLetterQueue}); audited ({@code REPLAY_DEAD_LETTERS}).</li>
 * </ul>
 */
@Path("/api/v1/ops/dead-letters")
@Blocking
@Produces("application/json")
public class DeadLetterResource {
    @Inject
    DeadLetterOps ops;
    @Inject
    ConsumerLoopsReadiness loops;
    @Inject
    OpsAudit audit;

    @GET
    @RolesAllowed("ops")
    public Response list(@QueryParam("sourceTopic") String sourceTopic, @QueryParam("group") String group,
                         @QueryParam("code") String code, @QueryParam("limit") Integer limit) throws Exception {
        Integer n = OpsProblems.limit(limit, 100, 1000);
        if (n == null) {
            return OpsProblems.problem(400, "INVALID_LIMIT", "limit", "limit must be between 0 and 1000, got " + limit);
        }
        DeadLetterQueue queue = ops.queue();
        List<Letter> all = queue.read(selection(sourceTopic, group, code, null, null, null));
        List<Letter> newest = new ArrayList<>(all.subList(Math.max(0, all.size() - n), all.size()));
        java.util.Collections.reverse(newest);
        Map<String, Replayed> replays = queue.replays(newest);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("topic", queue.topic());
        body.put("total", all.size());
        body.put("deadLetters", newest.stream().map(l -> summary(l, replays.get(l.id()))).toList());
        return Response.ok(body).build();
    }

    @GET
    @Path("{id}")
    @RolesAllowed("ops")
    public Response show(@PathParam("id") String id, @HeaderParam("X-Purpose") String purpose,
                         @Context SecurityContext caller) throws Exception {
        if (!DeadLetterQueue.isId(id)) {
            return OpsProblems.problem(400, "INVALID_ID", "id", "a dead letter id is partition-offset, e.g. 2-17");
        }
        if (purpose == null || purpose.isBlank()) {
            return OpsProblems.problem(400, "PURPOSE_REQUIRED", "X-Purpose",
                    "a dead letter's payload holds patient data: say why you read it in X-Purpose");
        }
        DeadLetterQueue queue = ops.queue();
        Optional<Letter> found = queue.find(id);
        if (found.isEmpty()) {
            return OpsProblems.problem(404, "UNKNOWN_DEAD_LETTER", "id", "no dead letter " + id + " on " + queue.topic());
        }
        Letter l = found.get();
        audit.record(OpsAudit.who(caller), OpsAudit.READ_DEAD_LETTER, queue.topic() + "/" + id, purpose);
        Map<String, Object> body = summary(l, queue.replays(List.of(l)).get(id));
        body.put("key", l.key());
        Optional<BatchConsumerLoop<?>> loop = loops.loop(l.consumerGroup());
        try {
            if (loop.isEmpty()) {
                throw new IllegalStateException("no consumer loop of group " + l.consumerGroup());
            }
            body.put("payload", String.valueOf(loop.get().decode(l.sourceTopic(), l.value())));
        } catch (RuntimeException e) {
            body.put("payloadBase64", l.value() == null ? null : Base64.getEncoder().encodeToString(l.value()));
            body.put("decodeError", Failures.redact(e));
        }
        return Response.ok(body).build();
    }

    @POST
    @Path("replay")
    @RolesAllowed("ops")
    public Response replay(@QueryParam("id") List<String> ids, @QueryParam("sourceTopic") String sourceTopic,
                           @QueryParam("group") String group, @QueryParam("code") String code,
                           @QueryParam("sourcePartition") Integer sourcePartition, @QueryParam("fromOffset") Long fromOffset,
                           @QueryParam("toOffset") Long toOffset, @QueryParam("all") boolean all,
                           @HeaderParam("X-Purpose") String purpose, @Context SecurityContext caller) throws Exception {
        DeadLetterQueue queue = ops.queue();
        List<Letter> letters = new ArrayList<>();
        String subject;
        if (ids != null && !ids.isEmpty()) {
            for (String id : ids) {
                if (!DeadLetterQueue.isId(id)) {
                    return OpsProblems.problem(400, "INVALID_ID", "id", "a dead letter id is partition-offset, e.g. 2-17: " + id);
                }
                Optional<Letter> l = queue.find(id);
                if (l.isEmpty()) {
                    return OpsProblems.problem(404, "UNKNOWN_DEAD_LETTER", "id", "no dead letter " + id + " on " + queue.topic());
                }
                letters.add(l.get());
            }
            subject = queue.topic() + "/" + String.join(",", ids);
        } else {
            boolean selected = sourceTopic != null || group != null || code != null || sourcePartition != null
                    || fromOffset != null || toOffset != null;
            if (!selected && !all) {
                return OpsProblems.problem(400, "NOTHING_SELECTED", "id",
                        "name dead letters (id=…), a selection (sourceTopic, group, code, sourcePartition, fromOffset, toOffset) or all=true");
            }
            letters = queue.read(selection(sourceTopic, group, code, sourcePartition, fromOffset, toOffset));
            subject = queue.topic() + "?" + describe(sourceTopic, group, code, sourcePartition, fromOffset, toOffset);
        }
        String who = OpsAudit.who(caller);
        audit.record(who, OpsAudit.REPLAY_DEAD_LETTERS, subject, purpose);
        DeadLetterQueue.ReplayReport report = queue.replay(letters, who);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("topic", queue.topic());
        body.put("selected", letters.size());
        body.put("replayed", report.replayed());
        body.put("alreadyReplayed", report.alreadyReplayed());
        body.put("failed", report.failed());
        return Response.ok(body).build();
    }

    private static Predicate<Letter> selection(String sourceTopic, String group, String code, Integer partition,
                                               Long from, Long to) {
        return l -> (sourceTopic == null || sourceTopic.equals(l.sourceTopic()))
                && (group == null || group.equals(l.consumerGroup()))
                && (code == null || code.equals(l.errorCode()))
                && (partition == null || partition == l.sourcePartition())
                && (from == null || l.sourceOffset() >= from)
                && (to == null || l.sourceOffset() <= to);
    }

    private static String describe(String sourceTopic, String group, String code, Integer partition, Long from, Long to) {
        List<String> parts = new ArrayList<>();
        if (sourceTopic != null) {
            parts.add("sourceTopic=" + sourceTopic);
        }
        if (group != null) {
            parts.add("group=" + group);
        }
        if (code != null) {
            parts.add("code=" + code);
        }
        if (partition != null) {
            parts.add("sourcePartition=" + partition);
        }
        if (from != null) {
            parts.add("fromOffset=" + from);
        }
        if (to != null) {
            parts.add("toOffset=" + to);
        }
        return parts.isEmpty() ? "all" : String.join("&", parts);
    }

    private static Map<String, Object> summary(Letter l, Replayed replayed) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", l.id());
        m.put("deadLetteredAt", l.deadLetteredAt().toString());
        m.put("consumerGroup", l.consumerGroup());
        m.put("sourceTopic", l.sourceTopic());
        m.put("sourcePartition", l.sourcePartition());
        m.put("sourceOffset", l.sourceOffset());
        m.put("errorCode", l.errorCode());
        m.put("errorReason", l.errorReason());
        m.put("payloadBytes", l.value() == null ? 0 : l.value().length);
        m.put("replayedAt", replayed == null ? null : replayed.at().toString());
        m.put("replayedBy", replayed == null ? null : replayed.by());
        return m;
    }
}
