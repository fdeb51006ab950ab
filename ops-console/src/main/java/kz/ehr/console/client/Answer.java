package kz.ehr.console.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A service's answer: status, the JSON body when there is one, the raw bytes (PDF, PNG, CSV) and the content type.
 * Errors from the services are RFC 9457 problems with a stable {@code code}; {@link #problem()} makes the sentence a
 * person reads.
 */
public record Answer(Service service, int status, JsonNode json, byte[] bytes, String contentType) {
    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** "patient index answered 403", or the problem's code and detail when the service sent one. */
    public String problem() {
        StringBuilder s = new StringBuilder(service.label).append(" answered ").append(status);
        if (status == 401) {
            s.append(": the token was refused (expired or not signed by the platform's key); sign in again");
        } else if (status == 403) {
            s.append(": your roles do not allow this");
        }
        if (json != null && json.hasNonNull("code")) {
            s.append(": ").append(json.get("code").asText());
            if (json.hasNonNull("detail")) {
                s.append(" — ").append(json.get("detail").asText());
            }
        }
        return s.toString();
    }
}
