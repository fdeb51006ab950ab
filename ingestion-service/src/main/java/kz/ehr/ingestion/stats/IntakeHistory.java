package kz.ehr.ingestion.stats;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;

/**
 * Intake over time, read from what {@link ProviderStatistics} already writes (nothing more on the intake path):
 * records received per minute ({@code provider_minute}, kept a day) and rejections per code per hour (the
 * {@code rejection} list, kept {@code ehr.ingestion.rejection-retention}, 30 days by default).
 * Plain JDBC, not entities: per-minute and per-hour aggregates over the statistics rows, a report.
 */
@ApplicationScoped
public class IntakeHistory {
    public static final int MAX_MINUTES = 24 * 60;
    public static final int MAX_HOURS = 7 * 24;

    @Inject
    AgroalDataSource dataSource;

    /** One line of a chart: a provider's records with one code, per bucket, oldest first. */
    public record Series(String providerId, String code, long[] counts, long total) {
    }

    /** {@code buckets} are the start of each bucket, oldest first; the last one is the current (partial) bucket. */
    public record History(Instant from, Instant to, String bucket, List<Instant> buckets, List<Series> series) {
    }

    /** Records received per minute over the last {@code minutes} (the current minute last), one series per provider. */
    public History recordsByMinute(Instant now, int minutes, String providerId) throws SQLException {
        Instant from = now.truncatedTo(ChronoUnit.MINUTES).minus(Duration.ofMinutes(minutes - 1L));
        String sql = """
                SELECT provider_id, NULL, floor(extract(epoch FROM minute - ?) / 60)::int, records
                  FROM provider_minute WHERE minute >= ?""" + (providerId == null ? "" : " AND provider_id = ?");
        return read(sql, from, now, minutes, Duration.ofMinutes(1), providerId);
    }

    /**
     * Rejected records per code per hour over the last {@code hours} (the current hour last), one series per provider
     * and code; a record rejected for two codes counts once under each, as in the totals ({@code rejectedByCode}).
     */
    public History rejectionsByHour(Instant now, int hours, String providerId) throws SQLException {
        Instant from = now.truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(hours - 1L));
        String sql = """
                SELECT r.provider_id, c.code, floor(extract(epoch FROM r.rejected_at - ?) / 3600)::int, count(*)
                  FROM rejection r
                  CROSS JOIN LATERAL (SELECT DISTINCT e ->> 'code' AS code FROM jsonb_array_elements(r.errors) e) c
                 WHERE r.rejected_at >= ?""" + (providerId == null ? "" : " AND r.provider_id = ?") + """

                 GROUP BY 1, 2, 3""";
        return read(sql, from, now, hours, Duration.ofHours(1), providerId);
    }

    private History read(String sql, Instant from, Instant now, int n, Duration bucket, String providerId) throws SQLException {
        Map<List<String>, long[]> series = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql + " ORDER BY 1, 2")) {
            ps.setTimestamp(1, Timestamp.from(from));
            ps.setTimestamp(2, Timestamp.from(from));
            if (providerId != null) {
                ps.setString(3, providerId);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    int i = rs.getInt(3);
                    if (i >= 0 && i < n) { // a row stamped ahead of this clock stays out rather than in a wrong bucket
                        series.computeIfAbsent(java.util.Arrays.asList(rs.getString(1), rs.getString(2)), k -> new long[n])[i]
                                += rs.getLong(4);
                    }
                }
            }
        }
        List<Instant> buckets = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            buckets.add(from.plus(bucket.multipliedBy(i)));
        }
        List<Series> out = new ArrayList<>();
        series.forEach((k, counts) -> out.add(new Series(k.get(0), k.get(1), counts, java.util.Arrays.stream(counts).sum())));
        return new History(from, now, bucket.toString(), buckets, out);
    }
}
