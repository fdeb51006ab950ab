package kz.ehr.simulator.output;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import kz.ehr.simulator.fraud.FraudType;
import kz.ehr.simulator.population.Person;

/**
 * The files contract other engineers evaluate against: {@code DIR/<providerId>.ndjson} (API.md records with each
 * provider's errors applied), {@code DIR/truth-persons.csv} ({@code providerId,localId,personId}) and
 * {@code DIR/truth-fraud.csv} ({@code providerId,recordId,fraudType}); plus {@code truth-population.csv}, the true
 * persons themselves. With {@code recordsToo = false} only the truth files are written (REST/Kafka modes).
 */
public final class FilesSink implements RecordSink {
    private final Path dir;
    private final boolean recordsToo;
    private final Map<String, BufferedWriter> providers = new LinkedHashMap<>();
    private final BufferedWriter persons;
    private final BufferedWriter fraud;
    private final BufferedWriter population;

    public FilesSink(Path dir, boolean recordsToo) throws IOException {
        this.dir = dir;
        this.recordsToo = recordsToo;
        Files.createDirectories(dir);
        persons = open("truth-persons.csv");
        persons.write("providerId,localId,personId\n");
        fraud = open("truth-fraud.csv");
        fraud.write("providerId,recordId,fraudType\n");
        population = open("truth-population.csv");
        population.write("personId,iin,sex,birthDate,deathDate,region,householdId,twin\n");
    }

    private BufferedWriter open(String name) throws IOException {
        return Files.newBufferedWriter(dir.resolve(name), StandardCharsets.UTF_8);
    }

    @Override
    public void record(SourceRecord r) throws IOException {
        if (!recordsToo) {
            return;
        }
        BufferedWriter w = providers.get(r.providerId());
        if (w == null) {
            w = new BufferedWriter(open(r.providerId() + ".ndjson"), 1 << 16);
            providers.put(r.providerId(), w);
        }
        w.write(RecordJson.render(r));
        w.write('\n');
    }

    @Override
    public void truthPerson(String providerId, String localId, String personId) throws IOException {
        persons.write(providerId + "," + localId + "," + personId + "\n");
    }

    @Override
    public void truthFraud(String providerId, String recordId, FraudType type) throws IOException {
        fraud.write(providerId + "," + recordId + "," + type.name() + "\n");
    }

    @Override
    public void person(Person p) throws IOException {
        population.write(p.personId + "," + p.iin + "," + p.sex + "," + p.birthDate + "," + (p.deathDate == null ? "" : p.deathDate)
                + "," + p.household.region.name() + "," + p.household.id + "," + p.twin + "\n");
    }

    @Override
    public void close() throws IOException {
        for (BufferedWriter w : providers.values()) {
            w.close();
        }
        persons.close();
        fraud.close();
        population.close();
    }
}
