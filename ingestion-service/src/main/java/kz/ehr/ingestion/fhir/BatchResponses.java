package kz.ehr.ingestion.fhir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.hl7.fhir.r4.model.Bundle;

import kz.ehr.ingestion.fhir.BundleReader.Entry;
import kz.ehr.ingestion.intake.BatchOutcome;
import kz.ehr.ingestion.intake.RecordIntake;
import kz.ehr.ingestion.validation.RecordError;

/**
 * The {@code batch-response}: one entry per request entry, in order. A record-making entry answers for its own
 * records ({@code 201} a new record or version, {@code 200} a duplicate, {@code 422} the validator rejected one,
 * {@code 400} the entry could not be read or made into a record); a context entry (Organization, Practitioner,
 * Condition) answers with what became of the records that read it, and {@code 422 NOT_REFERENCED} when none did.
 * Warnings ride along in {@code response.outcome} of an accepted entry.
 */
final class BatchResponses {
    private BatchResponses() {
    }

    private static final class Answer {
        int status;
        final Set<Issue> issues = new LinkedHashSet<>();

        void add(int other) {
            if (rank(other) > rank(status)) {
                status = other;
            }
        }

        private static int rank(int status) {
            return switch (status) {
                case 400 -> 4;
                case 422 -> 3;
                case 201 -> 2;
                case 200 -> 1;
                default -> 0;
            };
        }
    }

    static Bundle answer(List<Entry> entries, BundleMapper.Plan plan, RecordIntake.Submitted submitted) {
        Map<Integer, BatchOutcome.Rejection> rejected = new HashMap<>();
        submitted.outcome().rejected().forEach(r -> rejected.put(r.index(), r));
        Map<Integer, BatchOutcome.Warning> warned = new HashMap<>();
        submitted.outcome().warnings().forEach(w -> warned.put(w.index(), w));

        List<Answer> answers = new ArrayList<>(entries.size());
        entries.forEach(e -> answers.add(new Answer()));
        plan.failures.forEach((entry, issues) -> {
            answers.get(entry).add(400);
            answers.get(entry).issues.addAll(issues);
        });
        for (MappedRecord r : plan.records) {
            Answer a = answers.get(r.entry);
            BatchOutcome.Rejection rejection = rejected.get(r.index);
            if (rejection != null) {
                a.add(422);
                rejection.errors().forEach(err -> a.issues.add(issue(r, err, false)));
            } else {
                a.add(submitted.duplicateIndexes().contains(r.index) ? 200 : 201);
            }
            BatchOutcome.Warning w = warned.get(r.index);
            if (w != null) {
                w.warnings().forEach(warning -> a.issues.add(issue(r, warning, true)));
            }
        }
        for (Entry e : entries) {
            if (isContext(e)) {
                context(e, plan, answers);
            }
        }

        Bundle bundle = new Bundle();
        bundle.setType(Bundle.BundleType.BATCHRESPONSE);
        bundle.setId(submitted.outcome().batchId());
        bundle.getIdentifier().setSystem("urn:ietf:rfc:3986").setValue("urn:uuid:" + submitted.outcome().batchId());
        for (Answer a : answers) {
            Bundle.BundleEntryResponseComponent response = bundle.addEntry().getResponse().setStatus(statusLine(a.status));
            if (!a.issues.isEmpty()) {
                response.setOutcome(Outcomes.of(List.copyOf(a.issues)));
            }
        }
        return bundle;
    }

    private static boolean isContext(Entry e) {
        String type = e.resource() != null ? e.resource().fhirType()
                : e.json() == null ? null : e.json().path("resourceType").asText(null);
        return type != null && BundleMapper.CONTEXT.contains(type);
    }

    /** A context entry: its own reading problems, else the fate of the entries that read it. */
    private static void context(Entry e, BundleMapper.Plan plan, List<Answer> answers) {
        Answer a = answers.get(e.index());
        if (!e.problems().isEmpty()) {
            a.add(400);
            a.issues.addAll(e.problems());
            return;
        }
        Set<Integer> readers = plan.readers.getOrDefault(e.index(), Set.of());
        if (readers.isEmpty()) {
            a.add(422);
            a.issues.add(Issue.error("NOT_REFERENCED", e.path(), e.resource().fhirType() + " makes no record of its own and "
                    + "nothing in this bundle refers to it, so nothing of it was recorded; refer to it from the record it belongs to"));
            return;
        }
        String prefix = "Bundle.entry[" + e.index() + "]";
        for (int reader : readers) {
            Answer r = answers.get(reader);
            a.add(r.status == 400 || r.status == 422 ? 422 : r.status);
            for (Issue i : r.issues) {
                if (i.expression() != null && (i.expression().equals(prefix) || i.expression().startsWith(prefix + "."))) {
                    a.issues.add(i);
                }
            }
        }
    }

    private static Issue issue(MappedRecord r, RecordError e, boolean warning) {
        return new Issue(e.code(), e.field() == null ? "Bundle.entry[" + r.entry + "].resource" : r.expression(e.field()),
                e.message(), warning);
    }

    private static String statusLine(int status) {
        return switch (status) {
            case 201 -> "201 Created";
            case 200 -> "200 OK";
            case 422 -> "422 Unprocessable Entity";
            default -> "400 Bad Request";
        };
    }
}
