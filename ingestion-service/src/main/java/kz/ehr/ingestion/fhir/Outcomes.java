package kz.ehr.ingestion.fhir;

import java.util.List;

import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * OperationOutcomes whose issues carry the JSON path's stable code in {@code details.coding} (system
 * {@link FhirCodes#INGESTION_ERROR}), the sentence in {@code details.text}, the FHIRPath in {@code expression},
 * and the nearest FHIR issue type in {@code code} for generic FHIR clients.
 */
final class Outcomes {
    private Outcomes() {
    }

    static OperationOutcome of(List<Issue> issues) {
        OperationOutcome outcome = new OperationOutcome();
        for (Issue i : issues) {
            OperationOutcome.OperationOutcomeIssueComponent issue = outcome.addIssue()
                    .setSeverity(i.warning() ? IssueSeverity.WARNING : IssueSeverity.ERROR)
                    .setCode(type(i.code()));
            issue.getDetails().setText(i.message()).addCoding().setSystem(FhirCodes.INGESTION_ERROR).setCode(i.code());
            if (i.expression() != null) {
                issue.addExpression(i.expression());
            }
        }
        return outcome;
    }

    static OperationOutcome of(String code, String expression, String message) {
        return of(List.of(Issue.error(code, expression, message)));
    }

    static IssueType type(String code) {
        return switch (code) {
            case "REQUIRED" -> IssueType.REQUIRED;
            case "UNKNOWN_FIELD", "WRONG_TYPE", "MALFORMED_BATCH", "MALFORMED_JSON", "NOT_A_BUNDLE", "NOT_AN_OBJECT",
                 "TOO_DEEP", "INVALID_UTF8", "BUNDLE_TYPE" -> IssueType.STRUCTURE;
            case "TOO_LONG" -> IssueType.TOOLONG;
            case "INVALID_ENUM", "UNKNOWN_CODE", "UNKNOWN_TYPE" -> IssueType.CODEINVALID;
            case "UNSUPPORTED_RESOURCE", "UNSUPPORTED_METHOD" -> IssueType.NOTSUPPORTED;
            case "REFERENCE_NOT_FOUND" -> IssueType.NOTFOUND;
            case "FHIR_INVALID" -> IssueType.INVARIANT;
            case "FUTURE_DATE", "BEFORE_BIRTH", "PERIOD_ORDER", "SCREENING_WITHOUT_KIND", "NOT_REFERENCED" -> IssueType.BUSINESSRULE;
            case "BATCH_TOO_LARGE" -> IssueType.TOOCOSTLY;
            case "UNAUTHENTICATED" -> IssueType.LOGIN;
            case "KAFKA_UNAVAILABLE", "DATABASE_UNAVAILABLE" -> IssueType.TRANSIENT;
            default -> IssueType.VALUE; // IIN_*, BIN_*, ICD10_FORMAT, INVALID_DATE, OUT_OF_RANGE, PHONE_FORMAT, …
        };
    }
}
