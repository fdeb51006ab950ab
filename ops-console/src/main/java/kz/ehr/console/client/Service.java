package kz.ehr.console.client;

/** The four services the console talks to, with the names a person reads on the page. */
public enum Service {
    INGESTION("ingestion"),
    PATIENT_INDEX("patient index"),
    CERTIFICATES("certificates"),
    BILLING("billing");

    public final String label;

    Service(String label) {
        this.label = label;
    }
}
