package kz.ehr.events.problem;

import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.Locale;

import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ParamConverter;
import jakarta.ws.rs.ext.ParamConverterProvider;

/**
 * Whole-number query parameters ({@code ?limit=}, {@code ?version=}, {@code ?fromOffset=} …) read once for every
 * service: a value that is not a whole number is refused with 400 and the service's problem, code
 * {@code INVALID_<NAME>} ({@code limit} → {@code INVALID_LIMIT}, {@code fromOffset} → {@code INVALID_FROM_OFFSET}) and
 * the parameter as the field. Without it Jakarta REST answers such a query parameter with an empty 404, as if the
 * resource did not exist. Each service registers a {@code @Provider} subclass that gives its problem; ranges stay with
 * the endpoints that know them. The same subclass is the service's {@link JsonBodies.Problems}, which the body mappers
 * ({@link UnreadableBodies}, {@link WrongShapedBodies}) find by CDI.
 */
public abstract class NumberParams implements ParamConverterProvider, JsonBodies.Problems {
    @Override
    @SuppressWarnings("unchecked")
    public <T> ParamConverter<T> getConverter(Class<T> rawType, Type genericType, Annotation[] annotations) {
        boolean isInt = rawType == Integer.class || rawType == int.class;
        boolean isLong = rawType == Long.class || rawType == long.class;
        String name = queryParam(annotations);
        if ((!isInt && !isLong) || name == null) {
            return null;
        }
        return new ParamConverter<>() {
            @Override
            public T fromString(String value) {
                if (value == null) {
                    return null;
                }
                try {
                    return (T) (isInt ? (Object) Integer.valueOf(value.strip()) : (Object) Long.valueOf(value.strip()));
                } catch (NumberFormatException e) {
                    throw new WebApplicationException(problem("INVALID_" + constantCase(name), name, "query parameter "
                            + name + " must be a whole number" + (isInt ? " (at most " + Integer.MAX_VALUE + ")" : "")
                            + ", got \"" + value + "\""));
                }
            }

            @Override
            public String toString(T value) {
                return String.valueOf(value);
            }
        };
    }

    /**
     * The service's problem answer for a request it cannot read (here a query parameter, 400; {@link JsonBodies} a
     * body, 400, 415 or 406). An answer, not the service's problem exception: Jakarta REST passes on only a
     * WebApplicationException thrown by a converter (anything else becomes the empty 404).
     */
    @Override
    public abstract Response problem(int status, String code, String field, String detail);

    static String constantCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    private static String queryParam(Annotation[] annotations) {
        if (annotations != null) {
            for (Annotation a : annotations) {
                if (a instanceof QueryParam q) {
                    return q.value();
                }
            }
        }
        return null;
    }
}
