package kz.ehr.billing.capitation;

/** Why a line has the amount it has; stored as codes, rendered as sentences by {@link CapitationLine#explanation()}. */
public enum Reason {
    DEMOGRAPHICS_UNKNOWN, DIED, VISITED, EXEMPT_INFANT, EXEMPT_NEWLY_ATTACHED, NO_VISIT_12M, FRAUD_FLAG_HOLDS_VISIT, NOT_INSURED
}
