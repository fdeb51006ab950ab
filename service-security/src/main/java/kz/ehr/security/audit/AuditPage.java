package kz.ehr.security.audit;

import java.util.List;
import java.util.function.ToLongFunction;

/** A page of audit rows, newest first; {@code nextCursor} (null on the last page) goes into {@code before}. */
public record AuditPage<T>(List<T> items, Long nextCursor) {
    static <T> AuditPage<T> of(List<T> items, int limit, ToLongFunction<T> idOf) {
        return new AuditPage<>(items, items.size() == limit ? idOf.applyAsLong(items.get(items.size() - 1)) : null);
    }
}
