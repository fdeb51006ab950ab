package kz.ehr.events.problem;

import java.util.List;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/**
 * A JSON request body the service could not read, answered as the service's 400 problem instead of Quarkus REST's
 * empty 400: {@code MALFORMED_JSON} (not JSON: where it broke), {@code WRONG_TYPE} with the member at fault as
 * {@code field} (JSON of the wrong shape, e.g. a list where a text goes), and {@code BODY_REQUIRED} (no body). The same
 * codes as ingestion's records. {@link UnreadableBodies} and {@link WrongShapedBodies} map the two exceptions for every
 * service, with the service's problem body (its {@link NumberParams} subclass).
 */
public final class JsonBodies {
    /** The service's problem answer. */
    @FunctionalInterface
    public interface Problems {
        Response problem(int status, String code, String field, String detail);

        /** The title of a refused request's problem by its status (400, 415 or 406). */
        static String title(int status) {
            return switch (status) {
                case 415 -> "Unsupported media type";
                case 406 -> "Not acceptable";
                default -> "Invalid request";
            };
        }

        /** The usual one: 400, the request could not be read. */
        default Response problem(String code, String field, String detail) {
            return problem(400, code, field, detail);
        }
    }

    private JsonBodies() {
    }

    /**
     * A body that is not JSON: the JSON reader's 400 carries the parse error as its cause and no answer. A body in a
     * media type the endpoint does not read (415) or an answer in one the caller does not accept (406), which Quarkus
     * REST answers empty, gets the service's problem with that status: {@code UNSUPPORTED_MEDIA_TYPE} (field
     * {@code Content-Type}) and {@code NOT_ACCEPTABLE} (field {@code Accept}). Any other WebApplicationException keeps its
     * own answer.
     */
    public static Response unreadable(WebApplicationException e, Problems problems) {
        Response own = e.getResponse();
        if (own.getStatus() == 415 && !own.hasEntity()) {
            return problems.problem(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type",
                    "this endpoint does not read a body of this Content-Type"
                            + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")")
                            + "; each endpoint's media types are in the service's OpenAPI document, /q/openapi");
        }
        if (own.getStatus() == 406 && !own.hasEntity()) {
            return problems.problem(406, "NOT_ACCEPTABLE", "Accept",
                    "this endpoint cannot answer in a media type the Accept header allows; the media types each endpoint"
                            + " answers in (JSON, and for some a PNG or PDF) are in the service's OpenAPI document, /q/openapi");
        }
        if (own.getStatus() == 400 && !own.hasEntity() && e.getCause() instanceof JsonProcessingException cause
                && !(cause instanceof JsonMappingException)) {
            return problems.problem("MALFORMED_JSON", null, "the body is not JSON" + where(cause.getLocation()) + ": "
                    + cause.getOriginalMessage());
        }
        if (own.getStatus() == 400 && !own.hasEntity() && e.getCause() instanceof MismatchedInputException m) {
            return wrongShape(m, problems);
        }
        return own;
    }

    /** JSON that does not fit the request: the member at fault, as a path ({@code reasons[0].code}). */
    public static Response wrongShape(MismatchedInputException e, Problems problems) {
        String field = path(e.getPath());
        if (field == null && e.getMessage() != null && e.getMessage().startsWith("No content to map")) {
            return problems.problem("BODY_REQUIRED", null, "the request needs a JSON body");
        }
        String expected = e.getTargetType() == null ? "another type" : describe(e.getTargetType());
        return problems.problem("WRONG_TYPE", field, (field == null ? "the body" : field) + " must be " + expected
                + where(e.getLocation()));
    }

    static String path(List<JsonMappingException.Reference> path) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            if (r.getFieldName() != null) {
                out.append(out.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                out.append('[').append(r.getIndex()).append(']');
            }
        }
        return out.length() == 0 ? null : out.toString();
    }

    private static String describe(Class<?> type) {
        if (CharSequence.class.isAssignableFrom(type)) {
            return "a text";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type.isArray() || Iterable.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object";
    }

    private static String where(JsonLocation at) {
        return at == null || at.getLineNr() < 0 ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
    }
}
