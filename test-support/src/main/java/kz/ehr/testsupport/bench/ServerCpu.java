package kz.ehr.testsupport.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The CPU a bench's work costs the PostgreSQL server, read from /proc of its backend processes (the benches run on the
 * server's machine): what the server spends for a consumer, apart from what the rest of the machine does.
 */
public final class ServerCpu {
    private ServerCpu() {
    }

    /** The process id of the server backend behind this connection. */
    public static int backendPid(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** CPU seconds (user + system) the server backend behind this connection used so far; NaN off the server's machine. */
    public static double backendSeconds(Connection c) throws SQLException {
        return processSeconds(backendPid(c));
    }

    /** CPU seconds (user + system) of a process of this machine so far; NaN when it cannot be read (gone, another machine). */
    public static double processSeconds(int pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime + stime, in clock ticks of 1/100 s
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }
}
