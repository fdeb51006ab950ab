package kz.ehr.simulator.bench;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;

import kz.ehr.events.kafka.KafkaClients;

/**
 * How far the platform's consumer groups are behind, from the broker's own bookkeeping (Kafka Admin): a group's lag
 * is, over the partitions it has committed offsets for or is assigned, the end offset minus its committed offset.
 * The pipeline bench and the patient index's MpiServiceBench wait on it.
 */
public final class ConsumerLag implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 30;
    private final Admin admin;

    public ConsumerLag(KafkaClients admin) {
        this.admin = admin.with(Map.of(AdminClientConfig.CLIENT_ID_CONFIG, "bench-pipeline-lag")).admin();
    }

    /**
     * Consumer groups with members now (a group left empty by an old version of a service would never catch up,
     * and is no part of the running pipeline), with their state.
     */
    Map<String, String> activeGroups() throws Exception {
        Map<String, String> out = new TreeMap<>();
        for (GroupListing g : admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            GroupState state = g.groupState().orElse(GroupState.UNKNOWN);
            if (state != GroupState.EMPTY && state != GroupState.DEAD) {
                out.put(g.groupId(), state.toString());
            }
        }
        return out;
    }

    /** Lag of each group (as {@link #lag(Map, Set, Map, Map)}). */
    public Map<String, Long> lagOf(Collection<String> groups) throws Exception {
        Map<String, Map<TopicPartition, Long>> committed = new LinkedHashMap<>();
        Map<String, Set<TopicPartition>> assigned = new HashMap<>();
        Set<TopicPartition> partitions = new HashSet<>();
        Map<String, ConsumerGroupDescription> descriptions = admin.describeConsumerGroups(groups).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        for (String group : groups) {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            Map<TopicPartition, OffsetAndMetadata> raw = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            raw.forEach((tp, om) -> {
                if (om != null) {
                    offsets.put(tp, om.offset());
                }
            });
            committed.put(group, offsets);
            Set<TopicPartition> mine = new HashSet<>();
            ConsumerGroupDescription d = descriptions.get(group);
            if (d != null) {
                for (MemberDescription m : d.members()) {
                    mine.addAll(m.assignment().topicPartitions());
                }
            }
            assigned.put(group, mine);
            partitions.addAll(offsets.keySet());
            partitions.addAll(mine);
        }
        Map<TopicPartition, Long> end = offsets(partitions, OffsetSpec.latest());
        Map<TopicPartition, Long> earliest = offsets(partitions, OffsetSpec.earliest());
        Map<String, Long> out = new LinkedHashMap<>();
        for (String group : groups) {
            out.put(group, lag(committed.get(group), assigned.get(group), end, earliest));
        }
        return out;
    }

    private Map<TopicPartition, Long> offsets(Set<TopicPartition> partitions, OffsetSpec spec) throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> out = new HashMap<>();
        if (request.isEmpty()) {
            return out;
        }
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> info = admin.listOffsets(request).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        info.forEach((tp, i) -> out.put(tp, i.offset()));
        return out;
    }

    /**
     * A group's lag: over the partitions it has committed offsets for and those assigned to its members, the end
     * offset minus the committed one; a partition assigned but never committed is read from its earliest offset
     * (the platform's consumers reset to earliest), so all of it counts. Partitions whose end is unknown (topic
     * deleted) count nothing; a committed offset past the end (records deleted) counts 0.
     */
    static <P> long lag(Map<P, Long> committed, Set<P> assigned, Map<P, Long> end, Map<P, Long> earliest) {
        Set<P> partitions = new HashSet<>(committed.keySet());
        partitions.addAll(assigned);
        long total = 0;
        for (P p : partitions) {
            Long last = end.get(p);
            if (last == null) {
                continue;
            }
            Long from = committed.containsKey(p) ? committed.get(p) : earliest.getOrDefault(p, 0L);
            total += Math.max(0, last - from);
        }
        return total;
    }

    @Override
    public void close() {
        admin.close();
    }
}
