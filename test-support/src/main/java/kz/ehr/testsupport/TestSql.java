package kz.ehr.testsupport;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.DataSource;

/** The services' tests count rows through their own database the same way: here, once. */
public final class TestSql {
    private TestSql() {
    }

    /** The single number {@code sql} (one text parameter) returns, e.g. a {@code count(*)}. */
    public static long count(DataSource dataSource, String sql, String parameter) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, parameter);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
