package kz.ehr.billing.capitation;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;

/** The dated versions of the capitation rules; the one in force on a billing date applies. */
public record CapitationPolicies(List<CapitationPolicy> versions) {
    public CapitationPolicies {
        versions = versions.stream().sorted(Comparator.comparing(CapitationPolicy::effectiveFrom)).toList();
        if (versions.isEmpty()) {
            throw new IllegalArgumentException("at least one capitation policy version is required");
        }
    }

    public CapitationPolicy inForceOn(LocalDate billingDate) {
        CapitationPolicy found = null;
        for (CapitationPolicy p : versions) {
            if (!p.effectiveFrom().isAfter(billingDate)) {
                found = p;
            }
        }
        if (found == null) {
            throw new IllegalArgumentException("no capitation policy in force on " + billingDate
                    + "; the earliest version starts " + versions.get(0).effectiveFrom());
        }
        return found;
    }
}
