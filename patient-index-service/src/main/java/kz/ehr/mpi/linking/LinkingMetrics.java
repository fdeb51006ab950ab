package kz.ehr.mpi.linking;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * The patient index's Prometheus counters for the ops dashboard: {@code ehr_mpi_links_total{outcome}} (source records
 * linked to an existing patient, new patients, reviews opened, relinked, duplicates) and
 * {@code ehr_mpi_review_decisions_total{decision}} (accepted, rejected). Counted after the transaction committed;
 * every series exists from the start (at 0).
 */
@Startup // created at start, not on first use: the series are there (at 0) before the first batch or decision
@ApplicationScoped
public class LinkingMetrics {
    public static final String LINKS = "ehr.mpi.links";
    public static final String REVIEW_DECISIONS = "ehr.mpi.review.decisions";

    @Inject
    MeterRegistry registry;

    private Counter linked;
    private Counter created;
    private Counter reviewsOpened;
    private Counter relinked;
    private Counter duplicates;
    private Counter accepted;
    private Counter rejected;

    @PostConstruct
    void register() {
        linked = link("linked_existing");
        created = link("new_patient");
        reviewsOpened = link("review_opened");
        relinked = link("relinked");
        duplicates = link("duplicate");
        accepted = Counter.builder(REVIEW_DECISIONS).tag("decision", "accepted").description("Review decisions").register(registry);
        rejected = Counter.builder(REVIEW_DECISIONS).tag("decision", "rejected").description("Review decisions").register(registry);
    }

    private Counter link(String outcome) {
        return Counter.builder(LINKS).tag("outcome", outcome).description("Source records linked, by outcome").register(registry);
    }

    /** A committed linking batch. */
    public void linked(LinkingEngine.Result r) {
        linked.increment(r.linkedToExisting());
        created.increment(r.newPatients());
        reviewsOpened.increment(r.reviewsOpened());
        relinked.increment(r.relinked());
        duplicates.increment(r.duplicates());
    }

    /** A committed review decision. */
    public void reviewDecided(boolean accept) {
        (accept ? accepted : rejected).increment();
    }
}
