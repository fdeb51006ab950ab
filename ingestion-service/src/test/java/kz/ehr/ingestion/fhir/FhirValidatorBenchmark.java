package kz.ehr.ingestion.fhir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.hl7.fhir.r4.model.Resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ca.uhn.fhir.context.FhirContext;
import kz.ehr.fhir.validation.ProfileValidator;

/**
 * What HAPI's profile validator costs the FHIR intake (docs/benchmarks/ingestion-service.md, "FHIR R4 validator"):
 * the time to build and load it, the heap it keeps, and then, in one thread after a warm-up, the time per entry of
 * validating (1) each resource of {@link FhirIntakeTests#everyRecordType} alone, as the intake did before, and
 * (2) whole bundles in one call, as it does now: that 14-entry bundle, and one of {@code bench.bigCopies} copies of
 * it (≈1,000 entries). Not a test: run it with java on the test classpath (command in the benchmarks doc).
 */
public final class FhirValidatorBenchmark {
    public static void main(String[] args) throws Exception {
        int warmupRounds = Integer.getInteger("bench.warmupRounds", 20);
        int rounds = Integer.getInteger("bench.rounds", 40);
        int bigCopies = Integer.getInteger("bench.bigCopies", 70);
        int bigRounds = Integer.getInteger("bench.bigRounds", 5);
        long t0 = System.nanoTime();
        FhirContext fhir = FhirContext.forR4();
        long t1 = System.nanoTime();
        ProfileValidator validator = new ProfileValidator(fhir);
        long t2 = System.nanoTime();
        validator.warmUp();
        long t3 = System.nanoTime();
        System.gc();
        long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        System.out.printf("FHIRBENCH context=%d ms, validator built=%d ms, first validation (loading R4)=%d ms, heap after load=%d MiB%n",
                (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, heap >> 20);

        ObjectMapper mapper = new ObjectMapper();
        String small = FhirIntakeTests.everyRecordType("bench");
        List<String> resources = new ArrayList<>();
        for (JsonNode entry : mapper.readTree(small).get("entry")) {
            resources.add(entry.get("resource").toString());
        }
        int errors = 0;
        for (int i = 0; i < warmupRounds; i++) {
            for (String json : resources) {
                errors += validator.validate((Resource) fhir.newJsonParser().parseResource(json), "Bundle.entry[0].resource").size();
            }
            errors += validator.validateBundle(small).byEntry().size();
        }
        long perResource = 0;
        long perBundle = 0;
        for (int i = 0; i < rounds; i++) {
            long a = System.nanoTime();
            for (String json : resources) {
                errors += validator.validate((Resource) fhir.newJsonParser().parseResource(json), "Bundle.entry[0].resource").size();
            }
            long b = System.nanoTime();
            errors += validator.validateBundle(small).byEntry().size();
            perBundle += System.nanoTime() - b;
            perResource += b - a;
        }
        int n = rounds * resources.size();
        System.out.printf("FHIRBENCH %d-entry bundle, %d rounds after %d warm-up: one resource at a time %.1f ms/entry, whole bundle %.1f ms/entry (%.0f ms/bundle)%n",
                resources.size(), rounds, warmupRounds, perResource / 1e6 / n, perBundle / 1e6 / n, perBundle / 1e6 / rounds);

        String big = big(bigCopies);
        int bigEntries = bigCopies * resources.size();
        validator.validateBundle(big);
        long c = System.nanoTime();
        for (int i = 0; i < bigRounds; i++) {
            errors += validator.validateBundle(big).byEntry().size();
        }
        long bigNanos = System.nanoTime() - c;
        System.out.printf("FHIRBENCH %d-entry bundle, %d rounds after 1 warm-up: whole bundle %.1f ms/entry (%.1f s/bundle); errors %d%n",
                bigEntries, bigRounds, bigNanos / 1e6 / bigRounds / bigEntries, bigNanos / 1e9 / bigRounds, errors);
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        System.out.printf("FHIRBENCH loadavg %s, %d cpus%n", load, Runtime.getRuntime().availableProcessors());
    }

    /** {@code copies} copies of the bundle's entries in one bundle, each copy's ids and fullUrls its own. */
    private static String big(int copies) {
        StringBuilder b = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"batch\",\"entry\":[");
        for (int i = 0; i < copies; i++) {
            String one = FhirIntakeTests.everyRecordType("bench" + i);
            b.append(i == 0 ? "" : ",").append(one, one.indexOf('[') + 1, one.lastIndexOf(']'));
        }
        return b.append("]}").toString();
    }

    private FhirValidatorBenchmark() {
    }
}
