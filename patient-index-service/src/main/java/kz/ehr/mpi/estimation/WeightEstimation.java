package kz.ehr.mpi.estimation;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import kz.ehr.mpi.matching.Demographics;
import kz.ehr.mpi.matching.EmEstimator;
import kz.ehr.mpi.matching.MatchField;
import kz.ehr.mpi.matching.MatchProfile;
import kz.ehr.mpi.matching.MatchWeights;
import kz.ehr.mpi.matching.Matcher;

/**
 * Re-estimates m and u with EM over pairs the linker itself would compare: a random sample of source records, each
 * paired with the records sharing its birth-date or surname blocking key. It only reports: applying new weights is
 * a configuration change (ehr.mpi.matching.m / u), made and reviewed by a person, never done by this call.
 * Plain JDBC, not entities: a random sample self-joined on blocking keys over many source records, for a report.
 */
@ApplicationScoped
public class WeightEstimation {
    /** Estimated against configured probabilities for one field. */
    public record FieldEstimate(String field, double[] configuredM, double[] estimatedM, double[] configuredU, double[] estimatedU) {
    }

    public record Result(int sampledRecords, int pairs, double matchProportion, int iterations, List<FieldEstimate> fields) {
    }

    private static final int MAX_PAIRS = 200_000;

    @Inject
    AgroalDataSource dataSource;
    @Inject
    Matcher matcher;

    public Result estimate(int sampleSize) throws SQLException {
        List<int[]> vectors = new ArrayList<>();
        int sampled;
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     WITH s AS (SELECT * FROM source_record ORDER BY random() LIMIT ?)
                     SELECT a.iin, a.last_name, a.first_name, a.middle_name, a.birth_date, a.sex, a.phone, a.address,
                            b.iin, b.last_name, b.first_name, b.middle_name, b.birth_date, b.sex, b.phone, b.address,
                            a.provider_id || '/' || a.local_id
                     FROM s a JOIN source_record b
                       ON (b.birth_key = a.birth_key OR b.name_key = a.name_key)
                      AND (b.provider_id, b.local_id) <> (a.provider_id, a.local_id)
                     LIMIT ?
                     """)) {
            ps.setInt(1, sampleSize);
            ps.setInt(2, MAX_PAIRS);
            java.util.Set<String> records = new java.util.HashSet<>();
            LocalDate today = LocalDate.now();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    MatchProfile a = MatchProfile.of(demographics(rs, 1), today);
                    MatchProfile b = MatchProfile.of(demographics(rs, 9), today);
                    vectors.add(matcher.scorer().compare(a, b));
                    records.add(rs.getString(17));
                }
            }
            sampled = records.size();
        }
        MatchWeights configured = matcher.scorer().weights();
        // blocked pairs are mostly non-matches: start from a small match proportion
        EmEstimator.Estimate e = EmEstimator.estimate(vectors, configured, 0.05, 200);
        List<FieldEstimate> fields = new ArrayList<>();
        for (MatchField f : MatchField.values()) {
            fields.add(new FieldEstimate(f.name(), configured.m(f), e.weights().m(f), configured.u(f), e.weights().u(f)));
        }
        return new Result(sampled, vectors.size(), e.matchProportion(), e.iterations(), fields);
    }

    private static Demographics demographics(ResultSet rs, int at) throws SQLException {
        Date birth = rs.getDate(at + 4);
        return new Demographics(rs.getString(at), rs.getString(at + 1), rs.getString(at + 2), rs.getString(at + 3),
                birth == null ? null : birth.toLocalDate(), rs.getString(at + 5), rs.getString(at + 6), rs.getString(at + 7));
    }

}
