package kz.ehr.certificates.eligibility;

import java.util.EnumSet;
import java.util.Set;

/**
 * The nine digital certificates and the evidence each one needs. The structure (which exam purposes,
 * which registers) is fixed by the form; the periods are configuration ({@link EligibilityPolicy}).
 */
public enum CertificateType {
    /** 075/у: preliminary examination for work or study; a fit exam plus a recent fluorography. */
    F075("075/у", Set.of("EMPLOYMENT", "STUDY"), EnumSet.noneOf(DispensaryRegister.class), true, false, false),
    /** 083/у: driver's fitness; a fit DRIVER exam and no psychiatric or narcological registration. */
    F083("083/у", Set.of("DRIVER"), EnumSet.of(DispensaryRegister.PSYCHIATRIC, DispensaryRegister.NARCOLOGICAL), false, false, false),
    /** 086/у: applicant to college or university; a fit STUDY exam plus fluorography. */
    F086("086/у", Set.of("STUDY"), EnumSet.noneOf(DispensaryRegister.class), true, false, false),
    /** 026/у: child's card for kindergarten or school; a child with a fit SCHOOL/KINDERGARTEN exam. */
    F026("026/у", Set.of("SCHOOL", "KINDERGARTEN"), EnumSet.noneOf(DispensaryRegister.class), false, true, false),
    /** 063/у: vaccination card, the list of immunizations. */
    F063("063/у", Set.of(), EnumSet.noneOf(DispensaryRegister.class), false, false, true),
    PSYCHIATRIC_CLEARANCE("ПНД", Set.of(), EnumSet.of(DispensaryRegister.PSYCHIATRIC), false, false, false),
    NARCOLOGICAL_CLEARANCE("НД", Set.of(), EnumSet.of(DispensaryRegister.NARCOLOGICAL), false, false, false),
    /** TB dispensary "not registered"; a recent fluorography is the evidence that supports it. */
    TB_CLEARANCE("ПТД", Set.of(), EnumSet.of(DispensaryRegister.TB), true, false, false),
    /** 052-2/у: the child's health passport, a summary of the child's record. */
    F052("052-2/у", Set.of(), EnumSet.noneOf(DispensaryRegister.class), false, true, false);

    public final String form;
    public final Set<String> examPurposes;
    public final Set<DispensaryRegister> blockingRegisters;
    public final boolean needsFluorography;
    public final boolean childOnly;
    public final boolean needsImmunizations;

    CertificateType(String form, Set<String> examPurposes, EnumSet<DispensaryRegister> blockingRegisters,
                    boolean needsFluorography, boolean childOnly, boolean needsImmunizations) {
        this.form = form;
        this.examPurposes = examPurposes;
        this.blockingRegisters = java.util.Collections.unmodifiableSet(EnumSet.copyOf(blockingRegisters));
        this.needsFluorography = needsFluorography;
        this.childOnly = childOnly;
        this.needsImmunizations = needsImmunizations;
    }

    public boolean needsExam() {
        return !examPurposes.isEmpty();
    }

    /** The type for an API name, or null when there is none. */
    public static CertificateType parse(String name) {
        if (name == null) {
            return null;
        }
        for (CertificateType t : values()) {
            if (t.name().equals(name.trim())) {
                return t;
            }
        }
        return null;
    }
}
