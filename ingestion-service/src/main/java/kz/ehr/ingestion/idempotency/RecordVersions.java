package kz.ehr.ingestion.idempotency;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import kz.ehr.events.Envelopes;

/**
 * Idempotency per provider and {@code recordId}: the same content again is a duplicate (not republished);
 * different content is the next version, published as an update. Plain domain code.
 */
public final class RecordVersions {
    private RecordVersions() {
    }

    /** What is known about a recordId: the hash of its latest content and that content's version. */
    public record Known(byte[] contentHash, int version) {
    }

    /** One accepted record of a batch, in batch order. */
    public record Candidate(String recordId, byte[] contentHash) {
    }

    public enum Outcome { NEW, UPDATE, DUPLICATE }

    /** The fate of one candidate; for NEW and UPDATE, the version and event id to publish with. */
    public record Decision(Outcome outcome, int version, String eventId) {
    }

    /**
     * Decides every candidate against what the store knows, in batch order, so a recordId repeated within
     * one batch is a duplicate (same content) or the next version (changed content) of its earlier line.
     */
    public static List<Decision> decide(String providerId, List<Candidate> candidates, Map<String, Known> known) {
        Map<String, Known> latest = new HashMap<>(known);
        List<Decision> decisions = new ArrayList<>(candidates.size());
        for (Candidate c : candidates) {
            Known before = latest.get(c.recordId());
            if (before != null && Arrays.equals(before.contentHash(), c.contentHash())) {
                decisions.add(new Decision(Outcome.DUPLICATE, before.version(), null));
                continue;
            }
            int version = before == null ? 1 : before.version() + 1;
            latest.put(c.recordId(), new Known(c.contentHash(), version));
            decisions.add(new Decision(before == null ? Outcome.NEW : Outcome.UPDATE, version,
                    eventId(providerId, c.recordId(), version, c.contentHash())));
        }
        return decisions;
    }

    /**
     * Stable across retries (a resend after a crash between Kafka's ack and the database write republishes the
     * same id, which consumers dedupe) and distinct per version, so content that returns to an earlier value is
     * not mistaken downstream for the old event.
     */
    public static String eventId(String providerId, String recordId, int version, byte[] contentHash) {
        return Envelopes.stableEventId(providerId, recordId, Integer.toString(version), HexFormat.of().formatHex(contentHash));
    }
}
