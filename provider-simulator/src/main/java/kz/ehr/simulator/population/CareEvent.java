package kz.ehr.simulator.population;

import java.time.OffsetDateTime;
import java.util.Map;

import kz.ehr.simulator.fraud.FraudType;

/**
 * One fact about a person as one provider records it: type, reporting provider, when, the type-specific
 * block (API.md field names) and, for injected fraud, its label.
 */
public record CareEvent(RecordType type, String providerId, OffsetDateTime at, Map<String, Object> block, FraudType fraud) {
    public CareEvent {
        block = block == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(block));
    }

    public CareEvent labelled(FraudType label) {
        return new CareEvent(type, providerId, at, block, label);
    }
}
