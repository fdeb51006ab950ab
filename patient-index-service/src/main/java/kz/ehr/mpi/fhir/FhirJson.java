package kz.ehr.mpi.fhir;

import jakarta.enterprise.context.ApplicationScoped;

import org.hl7.fhir.instance.model.api.IBaseResource;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;

/**
 * HAPI's R4 context, made on first use: it scans the model of every resource type it meets, which costs seconds the
 * service's start should not pay for an endpoint most deployments call rarely. Thread-safe once built.
 */
@ApplicationScoped
public class FhirJson {
    private volatile FhirContext context;

    public String encode(IBaseResource resource) {
        return parser().encodeResourceToString(resource);
    }

    private IParser parser() {
        FhirContext c = context;
        if (c == null) {
            synchronized (this) {
                if (context == null) {
                    context = FhirContext.forR4();
                }
                c = context;
            }
        }
        return c.newJsonParser();
    }
}
