package kz.ehr.certificates.eligibility;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Which issued certificates a new fact about a person invalidates, and why. */
public final class RevocationRules {
    public static final String PATIENT_DECEASED = "PATIENT_DECEASED";
    public static final String IDENTITY_CHANGED = "IDENTITY_CHANGED";

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

    public static List<String> typeNames(Revocation r) {
        return r.types().stream().map(Enum::name).sorted().toList();
    }
}
