package kz.ehr.simulator.bench;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import kz.ehr.simulator.fraud.FraudType;
import kz.ehr.simulator.output.RecordSink;
import kz.ehr.simulator.output.SourceRecord;

/** Passes records on to the real sink and keeps the ground truth in memory for the accuracy figures. */
final class Truth implements RecordSink {
    /** (providerId, localId) of a source record and its true person. */
    record Source(String providerId, String localId, String personId) {
    }

    final List<Source> sources = new ArrayList<>();
    final Map<String, FraudType> fraud = new LinkedHashMap<>(); // providerId:recordId → label
    final Map<String, SourceRecord> lastRecordOfProvider = new HashMap<>();
    /** True IINs of some people whose records carry them uncorrupted (for certificate issuance). */
    final java.util.Set<String> cleanIins = new java.util.LinkedHashSet<>();
    /** providerId:recordId of every encounter sent, to judge only flags raised on this run's visits. */
    final java.util.Set<String> encounters = new java.util.HashSet<>();
    long records;
    private final RecordSink target;

    Truth(RecordSink target) {
        this.target = target;
    }

    @Override
    public void record(SourceRecord r) throws Exception {
        target.record(r);
        records++;
        lastRecordOfProvider.put(r.providerId(), r);
        if (cleanIins.size() < 200 && r.patient().applied().isEmpty() && r.patient().iin() != null) {
            cleanIins.add(r.patient().iin());
        }
        if (r.type() == kz.ehr.simulator.population.RecordType.ENCOUNTER) {
            encounters.add(r.providerId() + ":" + r.recordId());
        }
    }

    @Override
    public void truthPerson(String providerId, String localId, String personId) {
        sources.add(new Source(providerId, localId, personId));
    }

    @Override
    public void truthFraud(String providerId, String recordId, FraudType type) {
        fraud.put(providerId + ":" + recordId, type);
    }

    @Override
    public void close() throws Exception {
        target.close();
    }
}
