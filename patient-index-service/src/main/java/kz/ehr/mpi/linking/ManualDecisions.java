package kz.ehr.mpi.linking;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.quarkus.panache.common.Sort;
import kz.ehr.events.outbox.Outbox;
import kz.ehr.mpi.Merge;
import kz.ehr.mpi.MpiProblem;
import kz.ehr.mpi.NonMatch;
import kz.ehr.mpi.Review;

/**
 * Decisions people make: link, unlink, merge, unmerge, accept or reject a review. A manual decision pins the
 * source record (link kind MANUAL) or records a non-match, and automatic matching never overrides either.
 * Every decision takes the index write lock and is one transaction with its history rows and outbox events.
 * JDBC because a decision changes the index through {@link IndexStore} under linking's write lock; its own rows (review, non-match, merge) are Panache.
 */
@ApplicationScoped
public class ManualDecisions {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    AgroalDataSource dataSource;

    /** The outcome of a decision, for the API. */
    public record Outcome(String action, UUID enterpriseId, UUID previousEnterpriseId, UUID mergeId, List<String> events) {
    }

    @Transactional
    public Outcome link(String providerId, String localId, UUID targetId, String actor, String reason) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            LinkingEngine.lockForWriting(c);
            UUID current = currentLink(c, providerId, localId);
            Map<UUID, EnterpriseState> es = IndexStore.loadEnterprises(c, ids(current, targetId), true);
            EnterpriseState target = es.get(targetId);
            if (target == null) {
                throw MpiProblem.notFound("PATIENT_NOT_FOUND", "no enterprise patient " + targetId);
            }
            if (!"ACTIVE".equals(target.status) && !"RETIRED".equals(target.status)) {
                throw MpiProblem.conflict("PATIENT_NOT_ACTIVE", "enterprise patient " + targetId + " is " + target.status);
            }
            EnterpriseState from = es.get(current);
            SourceState s = find(from, providerId, localId);
            List<LinkChange> changes = new ArrayList<>();
            if (!current.equals(targetId)) {
                LinkingEngine.move(s, from, target);
                changes.add(new LinkChange("RELINKED", target, from.id, providerId, localId, s.demographics.iin(), null,
                        reasonOr(reason, "MANUAL_LINK"), actor, UUID.randomUUID().toString()));
            }
            s.linkKind = "MANUAL";
            s.linkScore = null;
            NonMatch.forget(providerId, localId, targetId);
            persist(c, es.values(), List.of(s), changes);
            return new Outcome("LINK", targetId, current, null, changes.stream().map(LinkChange::type).toList());
        }
    }

    /** Moves the source record to a patient of its own and remembers that it is not the old patient. */
    @Transactional
    public Outcome unlink(String providerId, String localId, String actor, String reason) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            LinkingEngine.lockForWriting(c);
            UUID current = currentLink(c, providerId, localId);
            Map<UUID, EnterpriseState> es = IndexStore.loadEnterprises(c, ids(current), true);
            EnterpriseState from = es.get(current);
            SourceState s = find(from, providerId, localId);
            if (from.sources.size() == 1) {
                throw MpiProblem.conflict("NOTHING_TO_UNLINK", "source record " + providerId + "/" + localId
                        + " is the only record of its enterprise patient");
            }
            EnterpriseState alone = new EnterpriseState(UUID.randomUUID());
            alone.isNew = true;
            es.put(alone.id, alone);
            LinkingEngine.move(s, from, alone);
            s.linkKind = "MANUAL";
            s.linkScore = null;
            NonMatch.remember(providerId, localId, from.id, actor);
            NonMatch.flush();
            LinkChange change = new LinkChange("RELINKED", alone, from.id, providerId, localId, s.demographics.iin(), null,
                    reasonOr(reason, "MANUAL_UNLINK"), actor, UUID.randomUUID().toString());
            persist(c, es.values(), List.of(s), List.of(change));
            return new Outcome("UNLINK", alone.id, from.id, null, List.of("RELINKED"));
        }
    }

    @Transactional
    public Outcome merge(UUID sourceId, UUID targetId, String actor, String reason) throws SQLException {
        if (sourceId.equals(targetId)) {
            throw MpiProblem.badRequest("MERGE_INTO_SELF", "targetEnterpriseId", "a patient cannot be merged into itself");
        }
        try (Connection c = dataSource.getConnection()) {
            LinkingEngine.lockForWriting(c);
            Map<UUID, EnterpriseState> es = IndexStore.loadEnterprises(c, ids(sourceId, targetId), true);
            EnterpriseState from = requireActive(es, sourceId);
            EnterpriseState into = requireActive(es, targetId);
            List<SourceState> moved = new ArrayList<>(from.sources);
            List<String[]> movedKeys = new ArrayList<>();
            for (SourceState s : moved) {
                from.sources.remove(s);
                into.sources.add(s);
                s.enterpriseId = into.id;
                movedKeys.add(new String[] {s.providerId, s.localId});
            }
            into.recomputeGolden();
            from.recomputeGolden();
            from.status = "MERGED";
            from.mergedInto = into.id;
            UUID mergeId = UUID.randomUUID();
            Merge m = new Merge();
            m.mergeId = mergeId;
            m.sourceId = from.id;
            m.targetId = into.id;
            m.moved = json(movedKeys);
            m.actor = actor;
            m.reason = reason;
            m.persist();
            Merge.flush();
            LinkChange change = new LinkChange("MERGED", into, from.id, null, null, null, null,
                    reasonOr(reason, "MANUAL_MERGE") + " (merge " + mergeId + ")", actor, UUID.randomUUID().toString());
            persist(c, es.values(), moved, List.of(change));
            return new Outcome("MERGE", into.id, from.id, mergeId, List.of("MERGED"));
        }
    }

    /** Undoes the latest merge of {@code sourceId}: its records that are still on the survivor move back. */
    @Transactional
    public Outcome unmerge(UUID sourceId, String actor, String reason) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            LinkingEngine.lockForWriting(c);
            Merge merge = Merge.<Merge>find("sourceId = ?1 and unmergedAt is null", Sort.descending("at"), sourceId)
                    .withLock(LockModeType.PESSIMISTIC_WRITE).firstResult();
            if (merge == null) {
                throw MpiProblem.conflict("NOT_MERGED", "enterprise patient " + sourceId + " has no merge to undo");
            }
            UUID mergeId = merge.mergeId;
            UUID targetId = merge.targetId;
            List<String[]> movedKeys = parseKeys(merge.moved);
            Map<UUID, EnterpriseState> es = IndexStore.loadEnterprises(c, ids(sourceId, targetId), true);
            EnterpriseState restored = es.get(sourceId);
            EnterpriseState survivor = es.get(targetId);
            if (!"MERGED".equals(restored.status)) {
                throw MpiProblem.conflict("NOT_MERGED", "enterprise patient " + sourceId + " is " + restored.status);
            }
            Set<String> wanted = new LinkedHashSet<>();
            movedKeys.forEach(k -> wanted.add(SourceState.key(k[0], k[1])));
            List<SourceState> back = survivor.sources.stream().filter(s -> wanted.contains(s.key())).toList();
            for (SourceState s : back) {
                survivor.sources.remove(s);
                restored.sources.add(s);
                s.enterpriseId = restored.id;
            }
            restored.status = "ACTIVE";
            restored.mergedInto = null;
            restored.recomputeGolden();
            survivor.recomputeGolden();
            merge.unmergedAt = Instant.now();
            merge.unmergedBy = actor;
            Merge.flush();
            String why = reasonOr(reason, "MANUAL_UNMERGE") + " (merge " + mergeId + ")";
            List<LinkChange> changes = List.of(
                    new LinkChange("UNMERGED", restored, survivor.id, null, null, null, null, why, actor, UUID.randomUUID().toString()));
            persist(c, es.values(), back, changes);
            return new Outcome("UNMERGE", restored.id, survivor.id, mergeId, List.of("UNMERGED"));
        }
    }

    /** Golden-record fields a person may set by hand (the keys of {@code enterprise_patient.overrides}). */
    public static final List<String> OVERRIDABLE = List.of("iin", "lastName", "firstName", "middleName", "birthDate", "sex",
            "phone", "address");

    /**
     * Sets ({@code value} given) or removes ({@code value} null) a manual golden-record value: it wins over
     * survivorship until removed, the change is in the link history and on mpi.links.v1 with the new golden record.
     */
    @Transactional
    public Outcome overrideGolden(UUID enterpriseId, String field, String value, String actor, String reason) throws SQLException {
        if (!OVERRIDABLE.contains(field)) {
            throw MpiProblem.badRequest("UNKNOWN_FIELD", "field", "golden field is one of " + String.join(", ", OVERRIDABLE));
        }
        try (Connection c = dataSource.getConnection()) {
            LinkingEngine.lockForWriting(c);
            Map<UUID, EnterpriseState> es = IndexStore.loadEnterprises(c, ids(enterpriseId), true);
            EnterpriseState e = requireActive(es, enterpriseId);
            if (value == null && !e.overrides.containsKey(field)) {
                throw MpiProblem.conflict("NOT_OVERRIDDEN", "golden " + field + " of " + enterpriseId + " has no manual value");
            }
            Map<String, String> overrides = new java.util.TreeMap<>(e.overrides);
            String type;
            if (value == null) {
                overrides.remove(field);
                type = "GOLDEN_OVERRIDE_REMOVED";
            } else {
                overrides.put(field, value);
                type = "GOLDEN_OVERRIDDEN";
            }
            e.overrides = overrides;
            e.recomputeGolden();
            // the value itself travels in the golden snapshot, never in the history's reason text
            LinkChange change = new LinkChange(type, e, null, null, null, null, null, reasonOr(reason, type) + " (" + field + ")",
                    actor, UUID.randomUUID().toString());
            persist(c, es.values(), List.of(), List.of(change));
            return new Outcome(value == null ? "REMOVE_OVERRIDE" : "OVERRIDE", e.id, null, null, List.of(type));
        }
    }

    /**
     * Accept links the review's source record to the candidate (pinned as MANUAL); reject records a non-match.
     * Only one decision wins: the loser finds the review no longer OPEN and gets 409.
     */
    @Transactional
    public Outcome decideReview(UUID reviewId, boolean accept, String actor, String reason) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            // locked as read: of two decisions, the second waits here, then reads the review decided and gets 409
            Review review = Review.findById(reviewId, LockModeType.PESSIMISTIC_WRITE);
            if (review == null) {
                throw MpiProblem.notFound("REVIEW_NOT_FOUND", "no review " + reviewId);
            }
            if (!"OPEN".equals(review.status)) {
                throw MpiProblem.conflict("REVIEW_ALREADY_DECIDED", "review " + reviewId + " was already "
                        + review.status.toLowerCase() + " by " + review.decidedBy);
            }
            review.status = accept ? "ACCEPTED" : "REJECTED";
            review.decidedBy = actor;
            review.decidedAt = Instant.now();
            review.decisionReason = reason;
            Review.flush();
            String providerId = review.providerId;
            String localId = review.localId;
            UUID candidate = review.candidateEnterpriseId;
            Double score = review.score;
            LinkingEngine.lockForWriting(c);
            UUID current = currentLink(c, providerId, localId);
            Map<UUID, EnterpriseState> es = IndexStore.loadEnterprises(c, ids(current, candidate), true);
            EnterpriseState cand = es.get(candidate);
            EnterpriseState from = es.get(current);
            SourceState s = find(from, providerId, localId);
            List<LinkChange> changes = new ArrayList<>();
            String why = (accept ? "REVIEW_ACCEPTED" : "REVIEW_REJECTED") + " (review " + reviewId + ")"
                    + (reason == null || reason.isBlank() ? "" : ": " + reason);
            if (accept) {
                if (!"ACTIVE".equals(cand.status)) {
                    throw MpiProblem.conflict("PATIENT_NOT_ACTIVE", "candidate " + candidate + " is " + cand.status);
                }
                if (!current.equals(candidate)) {
                    LinkingEngine.move(s, from, cand);
                    changes.add(new LinkChange("RELINKED", cand, from.id, providerId, localId, s.demographics.iin(), score, why,
                            actor, UUID.randomUUID().toString()));
                }
            } else {
                NonMatch.remember(providerId, localId, candidate, actor);
                NonMatch.flush();
            }
            s.linkKind = "MANUAL";
            changes.add(new LinkChange("REVIEW_RESOLVED", cand, s.enterpriseId.equals(cand.id) ? null : s.enterpriseId,
                    providerId, localId, s.demographics.iin(), score, why, actor, UUID.randomUUID().toString()));
            persist(c, es.values(), List.of(s), changes);
            return new Outcome(accept ? "ACCEPT" : "REJECT", s.enterpriseId, from.id, null,
                    changes.stream().map(LinkChange::type).toList());
        }
    }

    private static void persist(Connection c, java.util.Collection<EnterpriseState> es, List<SourceState> sources,
                                List<LinkChange> changes) throws SQLException {
        IndexStore.upsertEnterprises(c, es);
        IndexStore.upsertSources(c, sources);
        IndexStore.insertHistory(c, changes.stream().map(LinkChange::history).toList());
        Instant now = Instant.now();
        Outbox.add(c, changes.stream().map(ch -> ch.outgoing(now)).toList());
    }

    private static UUID currentLink(Connection c, String providerId, String localId) throws SQLException {
        UUID id = IndexStore.currentLinks(c, List.<String[]>of(new String[] {providerId, localId}))
                .get(SourceState.key(providerId, localId));
        if (id == null) {
            throw MpiProblem.notFound("SOURCE_RECORD_NOT_FOUND", "no record " + localId + " from provider " + providerId
                    + " has been linked yet");
        }
        return id;
    }

    private static SourceState find(EnterpriseState e, String providerId, String localId) {
        return e.sources.stream().filter(s -> s.providerId.equals(providerId) && s.localId.equals(localId)).findFirst()
                .orElseThrow(() -> new IllegalStateException("source record not on its enterprise patient"));
    }

    private static EnterpriseState requireActive(Map<UUID, EnterpriseState> es, UUID id) {
        EnterpriseState e = es.get(id);
        if (e == null) {
            throw MpiProblem.notFound("PATIENT_NOT_FOUND", "no enterprise patient " + id);
        }
        if (!"ACTIVE".equals(e.status)) {
            throw MpiProblem.conflict("PATIENT_NOT_ACTIVE", "enterprise patient " + id + " is " + e.status);
        }
        return e;
    }

    private static Set<UUID> ids(UUID... ids) {
        return new LinkedHashSet<>(List.of(ids));
    }

    private static String reasonOr(String reason, String code) {
        return reason == null || reason.isBlank() ? code : code + ": " + reason;
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String[]> parseKeys(String json) {
        try {
            return List.of(JSON.readValue(json, String[][].class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt merge record", e);
        }
    }
}
