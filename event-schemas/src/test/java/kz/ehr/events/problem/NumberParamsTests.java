package kz.ehr.events.problem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;

import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;

import org.junit.jupiter.api.Test;

class NumberParamsTests {
    /** What the service's problem hook was given (no Jakarta REST runtime here to build the answer). */
    static final class Refused extends RuntimeException {
        Refused(String code, String field, String detail) {
            super(code + "|" + field + "|" + detail);
        }
    }

    private final NumberParams params = new NumberParams() {
        @Override
        public Response problem(int status, String code, String field, String detail) {
            throw new Refused(code, field, detail);
        }
    };

    @Test
    void aWholeNumberIsReadAndAnythingElseIsTheServicesProblemNamingTheParameter() {
        var limit = params.getConverter(Integer.class, Integer.class, new Annotation[] {query("limit")});
        assertThat(limit.fromString(" 25 ")).isEqualTo(25);
        assertThat(limit.fromString(null)).isNull();
        assertThatThrownBy(() -> limit.fromString("ten")).isInstanceOf(Refused.class)
                .hasMessageStartingWith("INVALID_LIMIT|limit|").hasMessageContaining("\"ten\"");
        assertThatThrownBy(() -> limit.fromString("3000000000")).isInstanceOf(Refused.class);
        var offset = params.getConverter(long.class, long.class, new Annotation[] {query("fromOffset")});
        assertThat(offset.fromString("3000000000")).isEqualTo(3_000_000_000L);
        assertThatThrownBy(() -> offset.fromString("1.5")).isInstanceOf(Refused.class)
                .hasMessageStartingWith("INVALID_FROM_OFFSET|fromOffset|");
    }

    @Test
    void otherTypesAndPathParametersAreLeftToJakartaRest() {
        assertThat(params.getConverter(String.class, String.class, new Annotation[] {query("after")})).isNull();
        assertThat(params.getConverter(Long.class, Long.class, new Annotation[] {path("id")})).isNull();
        assertThat(params.getConverter(Integer.class, Integer.class, new Annotation[0])).isNull();
    }

    private static QueryParam query(String name) {
        return new QueryParam() {
            public String value() {
                return name;
            }

            public Class<? extends Annotation> annotationType() {
                return QueryParam.class;
            }
        };
    }

    private static PathParam path(String name) {
        return new PathParam() {
            public String value() {
                return name;
            }

            public Class<? extends Annotation> annotationType() {
                return PathParam.class;
            }
        };
    }
}
