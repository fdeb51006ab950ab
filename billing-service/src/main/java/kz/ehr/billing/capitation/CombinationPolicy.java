package kz.ehr.billing.capitation;

/** How the visit and insurance factors combine when both apply; the law does not say (DOMAIN.md). */
public enum CombinationPolicy {
    /** 0.8 × 0.9 = 0.72 — the documented default. */
    MULTIPLICATIVE,
    /** only the lowest factor applies: min(0.8, 0.9) = 0.8. */
    LOWEST_ONLY
}
