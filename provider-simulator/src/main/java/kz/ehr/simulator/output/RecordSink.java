package kz.ehr.simulator.output;

import kz.ehr.simulator.fraud.FraudType;
import kz.ehr.simulator.population.Person;

/** Where a simulation goes: files, the REST API or Kafka. Called from one thread, in generation order. */
public interface RecordSink extends AutoCloseable {
    void record(SourceRecord record) throws Exception;

    /** A provider holds this person under this local id (first time only). */
    default void truthPerson(String providerId, String localId, String personId) throws Exception {
    }

    default void truthFraud(String providerId, String recordId, FraudType type) throws Exception {
    }

    /** The true person (after all their records), for exports of the population itself. */
    default void person(Person person) throws Exception {
    }

    @Override
    default void close() throws Exception {
    }
}
