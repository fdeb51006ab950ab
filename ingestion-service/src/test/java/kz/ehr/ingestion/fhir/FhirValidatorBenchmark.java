package kz.ehr.ingestion.fhir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.hl7.fhir.r4.model.Resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ca.uhn.fhir.context.FhirContext;

/**
 * What HAPI's profile validator costs the FHIR intake (docs/benchmarks/ingestion-service.md, "FHIR R4 validator"):
 * the time to build and load it, the heap it keeps, and the time per resource to parse and to validate the
 * resources of {@link FhirIntakeTests#everyRecordType} (one of each record type and the context they read), in
 * one thread after a warm-up. Not a test: run it with exec:java (command in the benchmarks doc).
 */
public final class FhirValidatorBenchmark {
    public static void main(String[] args) throws Exception {
        int warmupRounds = Integer.getInteger("bench.warmupRounds", 100);
        int rounds = Integer.getInteger("bench.rounds", 200);
        long t0 = System.nanoTime();
        FhirContext fhir = FhirContext.forR4();
        long t1 = System.nanoTime();
        ProfileValidator validator = new ProfileValidator(fhir);
        long t2 = System.nanoTime();
        validator.warmUp();
        long t3 = System.nanoTime();
        System.gc();
        long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();

        ObjectMapper mapper = new ObjectMapper();
        List<String> resources = new ArrayList<>();
        for (JsonNode entry : mapper.readTree(FhirIntakeTests.everyRecordType("bench")).get("entry")) {
            resources.add(entry.get("resource").toString());
        }
        for (int i = 0; i < warmupRounds; i++) {
            for (String json : resources) {
                validator.validate((Resource) fhir.newJsonParser().parseResource(json), "Bundle.entry[0].resource");
            }
        }
        long parseNanos = 0;
        long validateNanos = 0;
        int errors = 0;
        for (int i = 0; i < rounds; i++) {
            for (String json : resources) {
                long a = System.nanoTime();
                Resource r = (Resource) fhir.newJsonParser().parseResource(json);
                long b = System.nanoTime();
                errors += validator.validate(r, "Bundle.entry[0].resource").size();
                long c = System.nanoTime();
                parseNanos += b - a;
                validateNanos += c - b;
            }
        }
        int n = rounds * resources.size();
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        System.out.printf("FHIRBENCH context=%d ms, validator built=%d ms, first validations (loading R4)=%d ms, heap after load=%d MiB%n",
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, heap >> 20);
        System.out.printf("FHIRBENCH %d resources (%d rounds of %d, after %d warm-up rounds): parse %d us/resource, validate %d us/resource, errors %d%n",
                n, rounds, resources.size(), warmupRounds, parseNanos / n / 1000, validateNanos / n / 1000, errors);
        System.out.printf("FHIRBENCH loadavg %s, %d cpus%n", load, Runtime.getRuntime().availableProcessors());
    }

    private FhirValidatorBenchmark() {
    }
}
