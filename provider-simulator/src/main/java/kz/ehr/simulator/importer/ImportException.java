package kz.ehr.simulator.importer;

/** A failure the user can act on; its message is the whole explanation (printed without a stack trace). */
public final class ImportException extends RuntimeException {
    public ImportException(String message) {
        super(message);
    }
}
