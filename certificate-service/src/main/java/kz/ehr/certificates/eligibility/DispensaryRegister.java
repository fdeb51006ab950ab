package kz.ehr.certificates.eligibility;

/** The dispensary registers a certificate can depend on ("not registered" clearances, driver fitness). */
public enum DispensaryRegister {
    PSYCHIATRIC, NARCOLOGICAL, TB;

    /** The ineligibility / revocation code for an active registration on this register. */
    public String registeredCode() {
        return "REGISTERED_" + name();
    }
}
