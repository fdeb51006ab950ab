package kz.ehr.events;

import java.util.List;

import org.apache.avro.Schema;

/** The top-level message schemas carried on the platform's topics. */
public final class EventSchemas {
    private EventSchemas() {
    }

    public static List<Schema> current() {
        return List.of(
                HealthRecordEvent.getClassSchema(),
                ProviderRecord.getClassSchema(),
                RejectedRecord.getClassSchema(),
                MpiLinkEvent.getClassSchema(),
                CertificateEvent.getClassSchema(),
                BillingEvent.getClassSchema());
    }
}
