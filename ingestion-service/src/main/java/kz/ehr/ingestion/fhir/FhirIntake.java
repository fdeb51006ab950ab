package kz.ehr.ingestion.fhir;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.runtime.StartupEvent;
import kz.ehr.ingestion.config.IngestionConfig;
import kz.ehr.ingestion.intake.RecordIntake;

/**
 * FHIR R4 intake: reads a batch/transaction Bundle, maps its entries to provider records and hands them to the
 * same {@link RecordIntake} as the JSON path (same validation, dedupe, topics, statistics), then answers a
 * batch-response. The FhirContext is built once, off the start-up path: HAPI scans each resource type's model on
 * first use, which takes seconds on a busy machine, so the types this intake reads are scanned in the background.
 */
@ApplicationScoped
public class FhirIntake {
    private static final List<String> TYPES = List.of("Bundle", "Patient", "Encounter", "Condition", "Immunization",
            "Observation", "EpisodeOfCare", "Coverage", "Organization", "Practitioner", "OperationOutcome");

    @Inject
    RecordIntake intake;
    @Inject
    IngestionConfig config;

    private final CompletableFuture<FhirContext> context = CompletableFuture.supplyAsync(() -> {
        FhirContext fhir = FhirContext.forR4();
        TYPES.forEach(fhir::getResourceDefinition);
        return fhir;
    });

    void warmUp(@Observes StartupEvent start) {
        // creating the bean starts the background scan
    }

    FhirContext fhir() {
        return context.join();
    }

    /**
     * @throws BundleReader.NotABundleException     the body is not a readable batch Bundle; nothing was processed
     * @throws BundleReader.TooManyEntriesException more entries than the JSON path's record limit
     */
    public Bundle submit(String providerId, byte[] body)
            throws BundleReader.NotABundleException, BundleReader.TooManyEntriesException {
        List<BundleReader.Entry> entries = new BundleReader(fhir(), config.maxNestingDepth()).read(body, config.maxBatchRecords());
        BundleMapper.Plan plan = new BundleMapper(entries).map();
        RecordIntake.Submitted submitted = intake.submitEach(providerId, plan.incoming);
        return BatchResponses.answer(entries, plan, submitted);
    }

    public String encode(IBaseResource resource) {
        return fhir().newJsonParser().encodeResourceToString(resource);
    }
}
