package kz.ehr.certificates.eligibility;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Which issued certificates a new fact about a person invalidates, and why. */
public final class RevocationRules {
    public static final String PATIENT_DECEASED = "PATIENT_DECEASED";
    public static final String IDENTITY_CHANGED = "IDENTITY_CHANGED";
    public static final String EXAM_UNFIT = "EXAM_UNFIT";
    public static final String FLUOROGRAPHY_ABNORMAL = "FLUOROGRAPHY_ABNORMAL";

    /** Revoke the listed types (every type when {@code types} holds all of them) with {@code reason}. */
    public record Revocation(Set<CertificateType> types, String reason) {
    }

    private RevocationRules() {
    }

    /** A death revokes every certificate of the person. */
    public static Revocation death() {
        return new Revocation(EnumSet.allOf(CertificateType.class), PATIENT_DECEASED);
    }

    /** A merge or unmerge touching the person makes every certificate's identity doubtful. */
    public static Revocation identityChanged() {
        return new Revocation(EnumSet.allOf(CertificateType.class), IDENTITY_CHANGED);
    }

    /**
     * A new registration revokes each type that this register blocks (for PSYCHIATRIC: 083/у and the
     * psychiatric clearance); a deregistration revokes nothing.
     */
    public static Optional<Revocation> dispensary(DispensaryRegister register, boolean registered) {
        if (!registered) {
            return Optional.empty();
        }
        EnumSet<CertificateType> types = EnumSet.noneOf(CertificateType.class);
        for (CertificateType t : CertificateType.values()) {
            if (t.blockingRegisters.contains(register)) {
                types.add(t);
            }
        }
        return types.isEmpty() ? Optional.empty() : Optional.of(new Revocation(types, register.registeredCode()));
    }

    /**
     * A result that overrules the evidence certificates were issued on: each exam-based type whose deciding exam (the
     * latest of its purposes) is now UNFIT, with {@code EXAM_UNFIT}; when the latest fluorography is abnormal, every
     * type that needs one, with {@code FLUOROGRAPHY_ABNORMAL}. Only the <em>latest</em> result counts, as for issuing:
     * an UNFIT exam already followed by a later FIT one, or an abnormal fluorography followed by a normal one, revokes
     * nothing. A certificate of such a type was issued on an exam or fluorography no later than the overruling one
     * (the one that decides is the latest known), so revoking the type's active certificates revokes exactly those that
     * relied on an earlier result. Results dated ahead count too: a certificate must not outlive them.
     */
    public static List<Revocation> overruledEvidence(PersonFacts person, EligibilityPolicy policy) {
        EnumSet<CertificateType> unfit = EnumSet.noneOf(CertificateType.class);
        for (CertificateType type : CertificateType.values()) {
            Set<String> purposes = policy.examPurposesOf(type);
            if (purposes.isEmpty()) {
                continue;
            }
            EligibilityRules.latestExam(person, purposes, LocalDate.MAX)
                    .filter(e -> "UNFIT".equals(e.conclusion()))
                    .ifPresent(e -> unfit.add(type));
        }
        List<Revocation> revocations = new ArrayList<>();
        if (!unfit.isEmpty()) {
            revocations.add(new Revocation(unfit, EXAM_UNFIT));
        }
        Optional<PersonFacts.Observation> fluorography = EligibilityRules.latestFluorography(person, LocalDate.MAX);
        if (fluorography.isPresent() && policy.abnormal(fluorography.get())) {
            EnumSet<CertificateType> types = EnumSet.noneOf(CertificateType.class);
            for (CertificateType type : CertificateType.values()) {
                if (policy.needsFluorography(type)) {
                    types.add(type);
                }
            }
            if (!types.isEmpty()) {
                revocations.add(new Revocation(types, FLUOROGRAPHY_ABNORMAL));
            }
        }
        return revocations;
    }

    public static List<String> typeNames(Revocation r) {
        return r.types().stream().map(Enum::name).sorted().toList();
    }
}
