package kz.ehr.ingestion.fhir;

import kz.ehr.ingestion.validation.RecordError;

/**
 * One problem with an element of a bundle: the JSON path's stable code, the FHIRPath of the element at fault
 * (e.g. {@code Bundle.entry[2].resource.identifier[0].value}) and a sentence a vendor's engineer can act on.
 * A warning leaves its record accepted, as on the JSON path.
 */
record Issue(String code, String expression, String message, boolean warning) {

    static Issue error(String code, String expression, String message) {
        return new Issue(code, expression, message, false);
    }

    /** The rejection as the intake records it (rejection list, rejected topic): the field is the FHIRPath. */
    RecordError asRecordError() {
        return new RecordError(code, expression, message);
    }
}
