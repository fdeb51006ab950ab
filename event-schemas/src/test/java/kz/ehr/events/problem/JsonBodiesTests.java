package kz.ehr.events.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

class JsonBodiesTests {
    record Reason(String code) {
    }

    record Request(String target, int count, List<Reason> reasons) {
    }

    private final List<String> said = new ArrayList<>();
    private final JsonBodies.Problems problems = (status, code, field, detail) -> {
        said.add(status + "|" + code + "|" + field + "|" + detail);
        return null; // no Jakarta REST runtime here to build the answer
    };

    private MismatchedInputException reading(String json) {
        return catchThrowableOfType(MismatchedInputException.class, () -> new ObjectMapper().readValue(json, Request.class));
    }

    @Test
    void jsonOfTheWrongShapeNamesTheMemberAtFaultAndWhatItMustBe() {
        JsonBodies.wrongShape(reading("{\"target\": {\"id\": 1}}"), problems);
        JsonBodies.wrongShape(reading("{\"reasons\": [{\"code\": [1]}]}"), problems);
        JsonBodies.wrongShape(reading("{\"count\": \"many\"}"), problems);
        assertThat(said).hasSize(3);
        assertThat(said.get(0)).startsWith("400|WRONG_TYPE|target|target must be a text (line 1");
        assertThat(said.get(1)).startsWith("400|WRONG_TYPE|reasons[0].code|reasons[0].code must be a text");
        assertThat(said.get(2)).startsWith("400|WRONG_TYPE|count|");
    }

    @Test
    void anEmptyBodyIsABodyRequired() {
        JsonBodies.wrongShape(reading(""), problems);
        assertThat(said).containsExactly("400|BODY_REQUIRED|null|the request needs a JSON body");
    }
}
