package kz.ehr.mpi.linking;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import kz.ehr.events.outbox.Outbox;
import kz.ehr.events.outbox.OutboxRow;
import kz.ehr.mpi.matching.Demographics;
import kz.ehr.mpi.matching.MatchDecision;
import kz.ehr.mpi.matching.MatchProfile;
import kz.ehr.mpi.matching.Matcher;

/**
 * Links a batch of source records in one transaction: deduplicate events, block (one set-based query for
 * the whole batch), decide each record in order against the index plus the records linked earlier in the
 * same batch, then write everything with batched SQL and the events to the outbox.
 * <p>
 * Writers to the index serialise on one advisory lock, so two batches (or a batch and a manual decision)
 * never decide against each other's half-written state; throughput comes from batch size, not parallelism.
 * Enterprise ids of new patients are name-based UUIDs of their first source record, so rebuilding the
 * index from the topic in the same order yields the same ids and links.
 * Plain JDBC, not Panache: batch linking is the hot path ScaleBenchmark and ServiceRateBench measure (docs/benchmarks/patient-index-service.md; the SQL is in {@link IndexStore}).
 */
public final class LinkingEngine {
    /** Advisory lock key taken by every writer of links. */
    public static final long WRITE_LOCK = 0x4d5049L;

    /** A PATIENT record from ehr.patients.v1: {@code recordId} and {@code recordVersion} say which version of which record. */
    public record Incoming(String eventId, String providerId, String localId, String iinStatus, Demographics demographics,
                           Instant occurredAt, String recordId, int recordVersion) {
        /** A record whose version is not known (benchmarks, replays of synthetic input): never superseded. */
        public Incoming(String eventId, String providerId, String localId, String iinStatus, Demographics demographics,
                        Instant occurredAt) {
            this(eventId, providerId, localId, iinStatus, demographics, occurredAt, null, 0);
        }

        IndexStore.RecordVersion version() {
            return new IndexStore.RecordVersion(eventId, providerId, recordId, recordVersion);
        }
    }

    /** What a batch did. */
    public record Result(int applied, int duplicates, int linkedToExisting, int newPatients, int reviewsOpened, int relinked) {
    }

    /** Records linked per step of a batch: the size whose statements the planner handles best (bigger were slower). */
    public static final int STEP = 1000;
    /** With read-ahead, the steps' writes also run behind the writer (false: in line; for benchmarks' A/B runs). */
    static final boolean WRITE_BEHIND = Boolean.parseBoolean(System.getProperty("mpi.write-behind", "true"));

    private final Matcher matcher;
    private final int step;

    public LinkingEngine(Matcher matcher) {
        this(matcher, STEP);
    }

    /** With another step size: tests use small steps to cross step boundaries with few records. */
    public LinkingEngine(Matcher matcher, int step) {
        this.matcher = matcher;
        this.step = step;
    }

    public static void lockForWriting(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            ps.setLong(1, WRITE_LOCK);
            ps.execute();
        }
    }

    public static UUID enterpriseIdFor(String providerId, String localId) {
        return UUID.nameUUIDFromBytes(("enterprise\u001f" + providerId + "\u001f" + localId).getBytes(StandardCharsets.UTF_8));
    }

    public Result link(Connection c, List<Incoming> batch) throws SQLException {
        return link(c, batch, null);
    }

    /**
     * Links a batch in steps of {@link #STEP} records; each step sees what the earlier ones read and changed. With
     * {@code readAhead} the candidates of the next steps are read on a second connection while this one decides and
     * writes the current step: that connection sees the index as it was when this transaction took the write lock,
     * and everything this batch has changed since is held in memory and wins over what it reads, so the links are
     * the same as when every step is read here, in line.
     */
    public Result link(Connection c, List<Incoming> batch, ReadAhead.Connections readAhead) throws SQLException {
        Timings timings = new Timings();
        // profiles first, outside the lock: they are the blocking keys the reader needs
        List<SourceState> profiled = new ArrayList<>(batch.size());
        for (Incoming in : batch) {
            SourceState s = new SourceState(in.providerId(), in.localId());
            s.setDemographics(in.demographics(), in.occurredAt());
            s.iinStatus = in.iinStatus();
            s.lastEventId = in.eventId();
            profiled.add(s);
        }
        List<List<SourceState>> steps = new ArrayList<>();
        for (int from = 0; from < profiled.size(); from += step) {
            steps.add(profiled.subList(from, Math.min(profiled.size(), from + step)));
        }
        timings.mark("profiles");
        lockForWriting(c);
        timings.mark("lock");
        // the first step is read while the writer records which events are new (a replayed one is read for nothing)
        try (ReadAhead reads = readAhead == null ? ReadAhead.inLine(c, steps) : ReadAhead.start(readAhead, steps);
             WriteBehind writes = readAhead == null || !WRITE_BEHIND ? WriteBehind.inLine(c) : WriteBehind.start(c)) {
            Set<String> fresh = IndexStore.firstTimeEvents(c, batch.stream().map(Incoming::eventId).toList());
            // an older version of a record delivered after a newer one is not applied: newer wins (issue #15)
            fresh.removeAll(IndexStore.supersededEvents(c, batch.stream().map(Incoming::version).toList()));
            timings.mark("dedupe");
            if (fresh.isEmpty()) {
                return new Result(0, batch.size(), 0, 0, 0, 0);
            }
            Batch state = new Batch(batch.size());
            int applied = 0;
            for (int k = 0; k < steps.size(); k++) {
                List<SourceState> todo = new ArrayList<>(steps.get(k).size());
                for (SourceState s : steps.get(k)) {
                    // an event twice in one batch is applied once
                    if (fresh.remove(s.lastEventId)) {
                        todo.add(s);
                    }
                }
                Blocks blocks = reads.get(k);
                timings.mark("candidates+load");
                int loaded = state.add(blocks.enterprises());
                timings.mark("index");
                decide(state, todo, blocks.nonMatches());
                applied += todo.size();
                timings.mark("decide");
                state.write(writes, timings);
                timings.report(loaded);
            }
            writes.finish();
            timings.mark("awaitWrites");
            timings.report(0);
            return new Result(applied, batch.size() - applied, state.linked, state.created, state.reviewCount, state.relinked);
        }
    }

    /** What the index holds around one step's records, read before the step is decided. */
    record Blocks(Map<String, Set<UUID>> nonMatches, Map<UUID, EnterpriseState> enterprises) {
    }

    /** Every enterprise patient sharing a blocking key with the records (or holding one of them already). */
    static Blocks block(Connection c, List<SourceState> records) throws SQLException {
        List<String[]> keys = IndexStore.keysOf(records);
        Map<String, UUID> current = IndexStore.currentLinks(c, keys);
        Map<String, Set<UUID>> nonMatches = IndexStore.nonMatches(c, keys);
        Set<String> iins = new HashSet<>();
        Set<String> births = new HashSet<>();
        Set<java.time.LocalDate> bareBirths = new HashSet<>();
        Set<String> nameKeys = new HashSet<>();
        Set<String> phones = new HashSet<>();
        Set<String> mothers = new HashSet<>();
        for (SourceState s : records) {
            MatchProfile p = s.profile;
            addIfPresent(iins, p.iin);
            addIfPresent(births, p.birthKey());
            addIfPresent(births, p.swappedBirthKey());
            if (p.birthDate != null) {
                // indexed records without a first name carry the key "date|?"
                births.add(p.birthDate + "|?");
                if (p.first == null) {
                    bareBirths.add(p.birthDate);
                }
            }
            addIfPresent(nameKeys, p.nameKey());
            addIfPresent(nameKeys, p.swappedNameKey());
            addIfPresent(phones, p.phone);
            addIfPresent(mothers, p.motherIin);
        }
        return new Blocks(nonMatches, IndexStore.loadCandidates(c, iins, births, nameKeys, phones, mothers, bareBirths,
                new HashSet<>(current.values())));
    }

    /** The patients a batch has read or changed so far, indexed by blocking key, and what is still to be written. */
    static final class Batch {
        final Map<UUID, EnterpriseState> enterprises = new LinkedHashMap<>();
        final Map<String, SourceState> sourcesByKey = new HashMap<>();
        final BatchIndex index;
        final List<LinkChange> changes = new ArrayList<>();
        final List<IndexStore.NewReview> reviews = new ArrayList<>();
        final Set<SourceState> dirtySources = new LinkedHashSet<>();
        int linked;
        int created;
        int relinked;
        int reviewCount;

        Batch(int records) {
            index = new BatchIndex(records * 4);
        }

        /** Adds the patients read for a step; one this batch already holds keeps its newer, in-memory state. */
        int add(Map<UUID, EnterpriseState> read) {
            for (EnterpriseState e : read.values()) {
                if (enterprises.putIfAbsent(e.id, e) == null) {
                    for (SourceState s : e.sources) {
                        sourcesByKey.putIfAbsent(s.key(), s);
                        index.add(s.profile, e.id);
                    }
                    index.addIin(e.golden.iin(), e.id);
                }
            }
            return read.size();
        }

        /**
         * Hands what the step changed to the writes, as it is now (they may run behind, while the next step is
         * decided); the patients stay in memory for the next steps.
         */
        void write(WriteBehind writes, Timings timings) throws SQLException {
            List<EnterpriseState> dirty = enterprises.values().stream().filter(e -> e.dirty || e.isNew).toList();
            writes.submit(IndexStore.enterprisesWrite(dirty));
            for (EnterpriseState e : dirty) {
                e.dirty = false;
                e.isNew = false;
            }
            timings.mark("upsertEnterprises");
            writes.submit(IndexStore.sourcesWrite(dirtySources));
            dirtySources.clear();
            timings.mark("upsertSources");
            List<IndexStore.HistoryEntry> history = changes.stream().map(LinkChange::history).toList();
            List<IndexStore.NewReview> newReviews = List.copyOf(reviews);
            Instant now = Instant.now();
            List<OutboxRow> outgoing = changes.stream().map(ch -> ch.outgoing(now)).toList();
            writes.submit(w -> {
                IndexStore.insertHistory(w, history);
                IndexStore.insertReviews(w, newReviews);
                Outbox.add(w, outgoing);
            });
            reviewCount += reviews.size();
            changes.clear();
            reviews.clear();
            timings.mark("history+reviews+outbox");
        }
    }

    private void decide(Batch b, List<SourceState> incoming, Map<String, Set<UUID>> nonMatches) {
        Map<UUID, EnterpriseState> enterprises = b.enterprises;
        BatchIndex index = b.index;
        for (int i = 0; i < incoming.size(); i++) {
            SourceState s = incoming.get(i);
            String cause = s.lastEventId;
            SourceState known = b.sourcesByKey.get(s.key());
            if (known != null) {
                known.setDemographics(s.demographics, s.occurredAt);
                known.iinStatus = s.iinStatus;
                known.lastEventId = s.lastEventId;
                b.dirtySources.add(known);
                EnterpriseState home = enterprises.get(known.enterpriseId);
                index.add(known.profile, home.id);
                if (!"MANUAL".equals(known.linkKind)) {
                    MatchDecision d = matcher.decide(known.profile, candidates(index, known, enterprises, nonMatches, home.id));
                    boolean homeHasThisIin = known.profile.iin != null && known.profile.iin.equals(home.golden.iin());
                    if (d.outcome() == MatchDecision.Outcome.LINK_DETERMINISTIC && !homeHasThisIin) {
                        // a corrected IIN now proves the record belongs to someone else
                        EnterpriseState target = enterprises.get(UUID.fromString(d.enterpriseId()));
                        move(known, home, target);
                        known.linkKind = "DETERMINISTIC";
                        known.linkScore = d.score();
                        b.changes.add(new LinkChange("RELINKED", target, home.id, known.providerId, known.localId,
                                known.demographics.iin(), d.score(), d.reason(), "matcher",
                                LinkChange.eventId(cause, "RELINKED", known.providerId, known.localId, target.id)));
                        b.relinked++;
                        continue;
                    }
                }
                home.recomputeGolden();
                continue;
            }
            MatchDecision d = matcher.decide(s.profile, candidates(index, s, enterprises, nonMatches, null));
            EnterpriseState target;
            if (d.links()) {
                target = enterprises.get(UUID.fromString(d.enterpriseId()));
                s.linkKind = d.outcome() == MatchDecision.Outcome.LINK_DETERMINISTIC ? "DETERMINISTIC" : "PROBABILISTIC";
                s.linkScore = d.score();
                b.linked++;
            } else {
                target = new EnterpriseState(enterpriseIdFor(s.providerId, s.localId));
                target.isNew = true;
                enterprises.put(target.id, target);
                s.linkKind = d.outcome() == MatchDecision.Outcome.REVIEW ? "REVIEW_PENDING" : "NEW";
                s.linkScore = d.score();
                b.created++;
            }
            s.enterpriseId = target.id;
            target.sources.add(s);
            target.recomputeGolden();
            b.sourcesByKey.put(s.key(), s);
            index.add(s.profile, target.id);
            index.addIin(target.golden.iin(), target.id);
            b.dirtySources.add(s);
            b.changes.add(new LinkChange("LINKED", target, null, s.providerId, s.localId, s.demographics.iin(), d.score(),
                    d.reason(), "matcher", LinkChange.eventId(cause, "LINKED", s.providerId, s.localId, target.id)));
            if (d.outcome() == MatchDecision.Outcome.REVIEW) {
                EnterpriseState candidate = enterprises.get(UUID.fromString(d.enterpriseId()));
                UUID reviewId = UUID.nameUUIDFromBytes(("review\u001f" + cause + "\u001f" + candidate.id)
                        .getBytes(StandardCharsets.UTF_8));
                b.reviews.add(new IndexStore.NewReview(reviewId, d.reviewKind().name(), s.providerId, s.localId,
                        candidate.id, d.score(), d.reason()));
                b.changes.add(new LinkChange("REVIEW_OPENED", candidate, target.id, s.providerId, s.localId,
                        s.demographics.iin(), d.score(), d.reason() + " (review " + reviewId + ")", "matcher",
                        LinkChange.eventId(cause, "REVIEW_OPENED", s.providerId, s.localId, candidate.id)));
            }
        }
    }

    static void move(SourceState s, EnterpriseState from, EnterpriseState to) {
        from.sources.remove(s);
        to.sources.add(s);
        s.enterpriseId = to.id;
        from.recomputeGolden();
        to.recomputeGolden();
    }

    private List<Matcher.Candidate> candidates(BatchIndex index, SourceState s, Map<UUID, EnterpriseState> enterprises,
                                               Map<String, Set<UUID>> nonMatches, UUID exclude) {
        // in id order: the matcher keeps the first of equal candidates, so the order must not depend on how the
        // batch was read (hash buckets fill in the order patients were added to the index)
        List<UUID> ids = new ArrayList<>(index.lookup(s.profile));
        ids.sort(null);
        Set<UUID> never = nonMatches.getOrDefault(s.key(), Set.of());
        List<Matcher.Candidate> out = new ArrayList<>(ids.size());
        for (UUID id : ids) {
            EnterpriseState e = enterprises.get(id);
            if (e == null || id.equals(exclude) || never.contains(id) || !"ACTIVE".equals(e.status) || e.sources.isEmpty()) {
                continue;
            }
            List<MatchProfile> profiles = new ArrayList<>(e.sources.size());
            for (SourceState src : e.sources) {
                if (src != s) {
                    profiles.add(src.profile);
                }
            }
            if (!profiles.isEmpty()) {
                out.add(new Matcher.Candidate(id.toString(), e.golden.iin(), profiles));
            }
        }
        return out;
    }

    private static void addIfPresent(Set<String> set, String value) {
        if (value != null) {
            set.add(value);
        }
    }

    /**
     * Phase timings of one batch, printed when the system property mpi.timings is set (benchmarks only): wall time
     * and, in brackets, this thread's CPU time — on a shared machine the wall time mostly measures the neighbours,
     * the CPU time what the phase itself costs in the JVM (the rest of the wall time is the database or waiting).
     */
    static final class Timings {
        private static final boolean ON = Boolean.getBoolean("mpi.timings");
        private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();
        private final StringBuilder sb = new StringBuilder();
        private long last = System.nanoTime();
        private long lastCpu = ON ? THREADS.getCurrentThreadCpuTime() : 0;

        void mark(String phase) {
            if (ON) {
                long now = System.nanoTime();
                long cpu = THREADS.getCurrentThreadCpuTime();
                sb.append(phase).append('=').append((now - last) / 1_000_000).append("ms(")
                        .append((cpu - lastCpu) / 1_000_000).append(") ");
                last = now;
                lastCpu = cpu;
            }
        }

        void report(int candidates) {
            if (ON) {
                System.err.println("step: " + sb + "candidates=" + candidates);
                sb.setLength(0);
            }
        }
    }

    /**
     * Blocking keys → enterprise ids, for the records loaded for one batch and those linked in it. One map per kind
     * of key and tiny id lists: it is filled with five keys of every loaded source record, rebuilt for each batch.
     */
    static final class BatchIndex {
        private final Map<String, List<UUID>> byIin;
        private final Map<String, List<UUID>> byBirthKey;
        private final Map<java.time.LocalDate, List<UUID>> byBirthDate;
        private final Map<String, List<UUID>> byNameKey;
        private final Map<String, List<UUID>> byPhone;
        private final Map<String, List<UUID>> byMother;

        BatchIndex(int expectedSources) {
            int capacity = Math.max(16, expectedSources * 2);
            byIin = new HashMap<>(capacity);
            byBirthKey = new HashMap<>(capacity);
            byBirthDate = new HashMap<>(capacity);
            byNameKey = new HashMap<>(capacity);
            byPhone = new HashMap<>(capacity);
            byMother = new HashMap<>();
        }

        void add(MatchProfile p, UUID enterprise) {
            put(byIin, p.iin, enterprise);
            put(byBirthKey, p.birthKey(), enterprise);
            put(byBirthDate, p.birthDate, enterprise);
            put(byNameKey, p.nameKey(), enterprise);
            put(byPhone, p.phone, enterprise);
            put(byMother, p.motherIin, enterprise);
        }

        void addIin(String iin, UUID enterprise) {
            put(byIin, iin, enterprise);
        }

        private static <K> void put(Map<K, List<UUID>> map, K key, UUID enterprise) {
            if (key != null) {
                List<UUID> ids = map.get(key);
                if (ids == null) {
                    ids = new ArrayList<>(2);
                    map.put(key, ids);
                }
                if (!ids.contains(enterprise)) {
                    ids.add(enterprise);
                }
            }
        }

        Set<UUID> lookup(MatchProfile p) {
            Set<UUID> out = new HashSet<>();
            get(out, byIin, p.iin);
            get(out, byBirthKey, p.birthKey());
            get(out, byBirthKey, p.swappedBirthKey());
            if (p.birthDate != null) {
                get(out, byBirthKey, p.birthDate + "|?");
                if (p.first == null) {
                    // without a first name the birth date alone is the block
                    get(out, byBirthDate, p.birthDate);
                }
            }
            get(out, byNameKey, p.nameKey());
            get(out, byNameKey, p.swappedNameKey());
            get(out, byPhone, p.phone);
            get(out, byMother, p.motherIin);
            return out;
        }

        private static <K> void get(Set<UUID> out, Map<K, List<UUID>> map, K key) {
            if (key != null) {
                List<UUID> ids = map.get(key);
                if (ids != null) {
                    out.addAll(ids);
                }
            }
        }
    }
}
