package kz.ehr.ingestion.fhir;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;

import ca.uhn.fhir.context.FhirContext;
import io.quarkus.runtime.StartupEvent;
import kz.ehr.fhir.validation.ProfileValidator;
import kz.ehr.ingestion.config.IngestionConfig;
import kz.ehr.ingestion.intake.RecordIntake;

/**
 * FHIR R4 intake: reads a batch/transaction Bundle, maps its entries to provider records and hands them to the
 * same {@link RecordIntake} as the JSON path (same validation, dedupe, topics, statistics), then answers a
 * batch-response. The FhirContext is built once, off the start-up path: HAPI scans each resource type's model on
 * first use, which takes seconds on a busy machine, so the types this intake reads are scanned in the background.
 * HAPI's profile validator is built once too, but on the first bundle that needs validating: loading the R4
 * specification takes tens of seconds on a busy machine and keeps about 300 MiB of heap (module README), which a
 * service that receives no FHIR should not pay.
 */
@ApplicationScoped
public class FhirIntake {
    private static final List<String> TYPES = List.of("Bundle", "Patient", "Encounter", "Condition", "Immunization",
            "Observation", "EpisodeOfCare", "Coverage", "Organization", "Practitioner", "OperationOutcome");

    @Inject
    RecordIntake intake;
    @Inject
    IngestionConfig config;

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(FhirIntake.class);

    /** Set in {@link #start()}: a field initialiser would also run in the bean's client proxy, building it twice. */
    private CompletableFuture<FhirContext> context;
    private volatile ProfileValidator validator;

    @PostConstruct
    void start() {
        context = CompletableFuture.supplyAsync(() -> {
            long begin = System.nanoTime();
            FhirContext fhir = FhirContext.forR4();
            TYPES.forEach(fhir::getResourceDefinition);
            LOG.infof("FHIR R4 model ready in %d ms", (System.nanoTime() - begin) / 1_000_000);
            return fhir;
        });
    }

    void warmUp(@Observes StartupEvent start) {
        // creating the bean at start-up starts the background scan
    }

    FhirContext fhir() {
        return context.join();
    }

    /** The profile validator, built and loaded on the first call (which takes that long); once per application. */
    ProfileValidator validator() {
        ProfileValidator v = validator;
        if (v == null) {
            synchronized (this) {
                if (validator == null) {
                    long begin = System.nanoTime();
                    ProfileValidator built = new ProfileValidator(fhir());
                    built.warmUp();
                    LOG.infof("FHIR R4 profile validator loaded in %d ms", (System.nanoTime() - begin) / 1_000_000);
                    validator = built;
                }
                v = validator;
            }
        }
        return v;
    }

    /**
     * @throws BundleReader.NotABundleException     the body is not a readable batch Bundle; nothing was processed
     * @throws BundleReader.TooManyEntriesException more entries than the JSON path's record limit
     */
    public Bundle submit(String providerId, byte[] body)
            throws BundleReader.NotABundleException, BundleReader.TooManyEntriesException {
        List<BundleReader.Entry> entries = new BundleReader(fhir(), this::validator, config.maxNestingDepth()).read(body, config.maxBatchRecords());
        BundleMapper.Plan plan = new BundleMapper(entries).map();
        RecordIntake.Submitted submitted = intake.submitEach(providerId, plan.incoming);
        return BatchResponses.answer(entries, plan, submitted);
    }

    public String encode(IBaseResource resource) {
        return fhir().newJsonParser().encodeResourceToString(resource);
    }
}
