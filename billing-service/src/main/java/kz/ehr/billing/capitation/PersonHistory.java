package kz.ehr.billing.capitation;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A person's facts as billing knows them, and the derivation of the formula's input from them; the bulk run does
 * the same derivation in SQL (see {@code CapitationRun}).
 */
public record PersonHistory(String personKey, String sex, LocalDate birthDate, LocalDate deathDate,
                            List<Attachment> attachments, List<InsurancePeriod> insurance, List<Visit> visits) {

    /** One attachment record (РПН); a later attachment ends the previous one the day before it starts. */
    public record Attachment(String polyclinicBin, String region, LocalDate from, LocalDate to) {
    }

    /** An ОСМС status period; null bounds are open. */
    public record InsurancePeriod(boolean insured, LocalDate from, LocalDate to) {
        boolean covers(LocalDate d) {
            return (from == null || !from.isAfter(d)) && (to == null || !to.isBefore(d));
        }
    }

    public record Visit(LocalDate date, String kind, boolean flagged) {
    }

    /** The attachment in force on {@code date}, if any. */
    public Optional<Attachment> attachmentOn(LocalDate date) {
        List<Attachment> sorted = attachments.stream().sorted(Comparator.comparing(Attachment::from)).toList();
        for (int i = sorted.size() - 1; i >= 0; i--) {
            Attachment a = sorted.get(i);
            LocalDate end = a.to();
            if (i + 1 < sorted.size()) {
                LocalDate superseded = sorted.get(i + 1).from().minusDays(1);
                end = end == null || superseded.isBefore(end) ? superseded : end;
            }
            if (!a.from().isAfter(date) && (end == null || !end.isBefore(date))) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** ОСМС status on a date: the covering period that started last wins; null when none covers it. */
    public Boolean insuredOn(LocalDate date) {
        return insurance.stream().filter(p -> p.covers(date))
                .max(Comparator.comparing(p -> p.from() == null ? LocalDate.MIN : p.from()))
                .map(InsurancePeriod::insured).orElse(null);
    }

    /** The formula's input for the billing date, or empty when the person is not attached on it. */
    public Optional<CapitationInput> inputFor(LocalDate billingDate, Set<String> countedKinds) {
        return attachmentOn(billingDate).map(a -> new CapitationInput(personKey, a.polyclinicBin(), a.region(), a.from(),
                sex, birthDate, deathDate, insuredOn(billingDate),
                lastVisit(billingDate, countedKinds, false), lastVisit(billingDate, countedKinds, true)));
    }

    private LocalDate lastVisit(LocalDate billingDate, Set<String> countedKinds, boolean flagged) {
        return visits.stream().filter(v -> v.flagged() == flagged && countedKinds.contains(v.kind())
                        && !v.date().isAfter(billingDate))
                .map(Visit::date).max(Comparator.naturalOrder()).orElse(null);
    }
}
