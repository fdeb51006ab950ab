package kz.ehr.events.kafka;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.common.errors.RetriableException;

import kz.ehr.events.EventCodec;

/**
 * What a handler's failure means for the message: retry it (the database or broker is briefly unable), or
 * dead-letter it because of its own content, and how to describe the failure without the patient data that
 * exception messages carry (PostgreSQL's {@code Key (iin)=(850315300019) already exists}).
 */
public final class Failures {
    /** Stable {@code x-error-code} values of dead letters the handler caused (decoding failures carry the codec's code). */
    public static final String CONSTRAINT_VIOLATION = "CONSTRAINT_VIOLATION";
    public static final String INVALID_DATA = "INVALID_DATA";
    public static final String PROCESSING_FAILED = "PROCESSING_FAILED";

    private static final int MAX_CHAIN = 12;
    private static final Pattern QUOTED_CONSTRAINT = Pattern.compile("constraint \"([A-Za-z_][A-Za-z0-9_.$]{0,62})\"");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.$]{0,62}");
    private static final Pattern SQL_STATE = Pattern.compile("[0-9A-Z]{5}");
    /** Client-side names of conditions that pass: lock waits, timeouts, lost or exhausted connections, stale versions. */
    private static final List<String> TRANSIENT_CLASS_SUFFIXES = List.of("JDBCConnectionException",
            "AcquisitionTimeoutException", "LockAcquisitionException", "LockTimeoutException", "PessimisticLockException",
            "QueryTimeoutException", "OptimisticLockException", "StaleObjectStateException", "StaleStateException");

    private Failures() {
    }

    /**
     * True when retrying the same messages later can succeed: a lost or refused connection, a deadlock (40P01), a
     * serialization failure (40001), a lock or statement timeout (55P03, 57014), too few resources (class 53: disk
     * full, out of memory, too many connections), an operator's shutdown (57P*), an I/O error (58*), a standby after
     * failover (25006), or a retriable Kafka error. Such a failure never dead-letters a message.
     */
    public static boolean isTransient(Throwable e) {
        for (Throwable t : chain(e)) {
            if (t instanceof ConnectException || t instanceof SocketException || t instanceof SocketTimeoutException
                    || t instanceof EOFException || t instanceof SQLTransientException || t instanceof SQLRecoverableException
                    || t instanceof RetriableException) {
                return true;
            }
            if (t instanceof SQLException sql && isTransientState(sql.getSQLState())) {
                return true;
            }
            String name = t.getClass().getName();
            if (TRANSIENT_CLASS_SUFFIXES.stream().anyMatch(name::endsWith)) {
                return true;
            }
        }
        return false;
    }

    static boolean isTransientState(String state) {
        if (state == null || state.length() != 5) {
            return false;
        }
        String cls = state.substring(0, 2);
        return switch (cls) {
            case "08", "53", "57", "58" -> true;
            // 40001 serialization failure, 40P01 deadlock, 40003 completion unknown; 40002 is a constraint at commit
            case "40" -> !state.equals("40002");
            default -> state.equals("55P03") || state.equals("55006") || state.equals("25P03") || state.equals("25006");
        };
    }

    /** True when the message itself is at fault: it cannot be decoded, or breaks a rule or constraint (23xxx) or a data rule (22xxx). */
    public static boolean isContentFailure(Throwable e) {
        return !isTransient(e) && !deadLetterCode(e).equals(PROCESSING_FAILED);
    }

    /** The stable {@code x-error-code} for a message that failed on its own. */
    public static String deadLetterCode(Throwable e) {
        for (Throwable t : chain(e)) {
            if (t instanceof EventCodec.UndecodableEventException u) {
                return u.code;
            }
            String state = t instanceof SQLException sql ? sql.getSQLState() : null;
            if (state != null && state.startsWith("23")) {
                return CONSTRAINT_VIOLATION;
            }
            if (state != null && state.startsWith("22")) {
                return INVALID_DATA;
            }
            if (t.getClass().getSimpleName().equals("ConstraintViolationException")) {
                return CONSTRAINT_VIOLATION;
            }
        }
        return PROCESSING_FAILED;
    }

    /**
     * The failure for logs and dead-letter headers: exception classes, SQL state, constraint name, codec code — never
     * an exception message, since those quote the values (IINs, names) that broke the rule. For example
     * {@code ConstraintViolationException < PSQLException[23505 constraint=person_iin_key]}.
     */
    public static String redact(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t : chain(e)) {
            if (out.length() > 0) {
                out.append(" < ");
            }
            out.append(t.getClass().getSimpleName().isEmpty() ? t.getClass().getName() : t.getClass().getSimpleName());
            String detail = safeDetail(t);
            if (!detail.isEmpty()) {
                out.append('[').append(detail).append(']');
            }
        }
        return out.toString();
    }

    private static String safeDetail(Throwable t) {
        if (t instanceof EventCodec.UndecodableEventException u) {
            return u.code;
        }
        List<String> parts = new ArrayList<>(2);
        if (t instanceof SQLException sql && sql.getSQLState() != null && SQL_STATE.matcher(sql.getSQLState()).matches()) {
            parts.add(sql.getSQLState());
        }
        String constraint = constraintName(t);
        if (constraint != null) {
            parts.add("constraint=" + constraint);
        }
        return String.join(" ", parts);
    }

    /** The violated constraint's name (a schema identifier, never a value), when the driver or ORM tells it. */
    static String constraintName(Throwable t) {
        String name = null;
        if (t instanceof SQLException) {
            // org.postgresql.util.PSQLException#getServerErrorMessage().getConstraint(), without depending on the driver
            Object server = invoke(t, "getServerErrorMessage");
            name = server == null ? null : (String) invoke(server, "getConstraint");
            if (name == null && t.getMessage() != null) {
                Matcher m = QUOTED_CONSTRAINT.matcher(t.getMessage());
                name = m.find() ? m.group(1) : null;
            }
        } else if (t.getClass().getSimpleName().equals("ConstraintViolationException")) {
            Object hibernate = invoke(t, "getConstraintName");
            name = hibernate instanceof String s ? s : null;
        }
        return name != null && IDENTIFIER.matcher(name).matches() ? name : null;
    }

    private static Object invoke(Object target, String method) {
        try {
            Object value = target.getClass().getMethod(method).invoke(target);
            return value instanceof String || method.equals("getServerErrorMessage") ? value : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** The exception, its causes and the next exceptions of a JDBC batch failure, each once. */
    static List<Throwable> chain(Throwable e) {
        List<Throwable> all = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> todo = new ArrayList<>();
        todo.add(e);
        while (!todo.isEmpty() && all.size() < MAX_CHAIN) {
            Throwable t = todo.remove(0);
            if (t == null || !seen.add(t)) {
                continue;
            }
            all.add(t);
            todo.add(t.getCause());
            if (t instanceof SQLException sql) {
                todo.add(sql.getNextException());
            }
        }
        return all;
    }
}
