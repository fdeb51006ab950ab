package kz.ehr.ingestion.validation;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Record types that only named providers may send. A DEATH record revokes every certificate of the person and ends
 * their attachment; a DISPENSARY registration revokes their clearances. Any provider holding a key could otherwise do
 * that to any IIN, so these come only from the providers configured for them (a register, a dispensary's MIS).
 * <p>
 * A sender entry is a provider id, or a prefix ending in {@code *} ({@code registry-*}) for a family of adapters.
 * A restricted type with no senders is refused from everyone; {@value #NOBODY} (the configured default: an empty
 * value cannot stand for an empty list in the configuration) names no one.
 *
 * @param restricted the types that need a permission
 * @param senders    per type, the providers (or prefixes) permitted to send it
 */
public record TypePermissions(Set<String> restricted, Map<String, List<String>> senders) {
    public static final String CODE = "TYPE_NOT_PERMITTED";
    public static final String NOBODY = "none";

    public TypePermissions {
        restricted = Set.copyOf(restricted);
        java.util.Map<String, List<String>> named = new java.util.HashMap<>();
        senders.forEach((type, list) -> named.put(type, list.stream().map(String::trim)
                .filter(s -> !s.isEmpty() && !s.equals(NOBODY)).toList()));
        senders = Map.copyOf(named);
        for (String type : restricted) {
            if (!RecordValidator.TOPIC_BY_TYPE.containsKey(type)) {
                throw new IllegalArgumentException("restricted type \"" + type + "\" is not one of " + RecordValidator.TYPES);
            }
        }
        for (Map.Entry<String, List<String>> e : senders.entrySet()) {
            String type = e.getKey();
            if (e.getValue().stream().anyMatch(s -> s.trim().equals("*"))) {
                throw new IllegalArgumentException("a lone * would let every provider send " + type + ": leave " + type
                        + " out of the restricted types instead");
            }
            if (!restricted.contains(type)) {
                throw new IllegalArgumentException("senders are configured for " + type + ", which is not a restricted type "
                        + new TreeSet<>(restricted) + ": every provider may send it already");
            }
        }
    }

    /** Whether {@code providerId} may send records of {@code type}. */
    public boolean permits(String providerId, String type) {
        if (!restricted.contains(type)) {
            return true;
        }
        for (String sender : senders.getOrDefault(type, List.of())) {
            String s = sender.trim();
            if (s.endsWith("*") ? providerId.startsWith(s.substring(0, s.length() - 1)) : s.equals(providerId)) {
                return true;
            }
        }
        return false;
    }

    /** The rejection for a record {@code providerId} may not send, if it may not. */
    public Optional<RecordError> check(String providerId, String type) {
        if (type == null || permits(providerId, type)) {
            return Optional.empty();
        }
        return Optional.of(new RecordError(CODE, "type", "provider \"" + providerId + "\" is not permitted to send " + type
                + " records; the platform's operator grants that per provider (ehr.ingestion.permitted-senders." + type + ")"));
    }
}
