package kz.ehr.simulator.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where the machine's CPU went during a pipeline run, beyond the services' own JVMs: the PostgreSQL backends of each
 * database (and the server's background processes), the Kafka broker, this load generator, and the machine as a whole
 * ({@code /proc/stat}), so the report can give a CPU budget per record that adds up.
 * <p>
 * Backends come and go with connection pools, so {@link #sample()} runs every second: a backend seen at the start
 * counts from its CPU then, one first seen later counts from zero (a forked backend starts at zero), and one that
 * exits counts up to its last sample (at most a second lost).
 * <p>
 * {@link #markPhaseEnd} splits the run into phases (the load, the catch-up after it) for {@link #coresByPhase}: how many
 * cores the machine and the PostgreSQL server kept busy in each. A catch-up that left cores idle was bound by a serial
 * path (billing's one writer), not by the CPU.
 */
final class CpuBudget implements AutoCloseable {
    private record Backend(String owner, long baseline, long last) {
    }

    /** What the machine ({busy, total} jiffies) and the PostgreSQL server had used by one moment. */
    record Mark(long nanos, long[] machine, long postgres) {
    }

    private final Connection pg;
    private final Set<String> platformDatabases;
    private final Map<Long, Backend> backends = new LinkedHashMap<>();
    private final OptionalLong brokerPid;
    private final OptionalLong brokerBefore;
    private final long selfBefore;
    private final long[] machineBefore;
    private final List<Mark> marks = new ArrayList<>();
    private boolean started;

    CpuBudget(String pgHost, int pgPort, String pgUser, String pgPassword, Path pidsDir, Collection<String> platformDatabases)
            throws SQLException {
        this.platformDatabases = Set.copyOf(platformDatabases);
        this.pg = DriverManager.getConnection("jdbc:postgresql://" + pgHost + ":" + pgPort + "/postgres", pgUser, pgPassword);
        this.brokerPid = readPid(pidsDir.resolve("kafka.pid"));
        this.brokerBefore = brokerPid.isPresent() ? ServiceProbe.cpuTicks(brokerPid.getAsLong()) : OptionalLong.empty();
        this.selfBefore = ServiceProbe.cpuTicks(ProcessHandle.current().pid()).orElse(0);
        this.machineBefore = machineTicks();
        sample();
        started = true;
        marks.add(mark());
    }

    /** Ends a phase (and starts the next) now. */
    synchronized void markPhaseEnd() {
        sample();
        marks.add(mark());
    }

    /**
     * For each phase ended by {@link #markPhaseEnd}, in order and named by {@code names}: the cores in use on average,
     * the machine's of its capacity and the PostgreSQL server's (the backends of every database and the background
     * processes pg_stat_activity lists). Empty when /proc/stat is unreadable.
     */
    synchronized Map<String, Object> coresByPhase(int ticksPerSecond, String... names) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int i = 0; i + 1 < marks.size() && i < names.length; i++) {
            String phase = phase(marks.get(i), marks.get(i + 1), ticksPerSecond);
            if (phase != null) {
                out.put(names[i], phase);
            }
        }
        return out;
    }

    /** "1.45 of 2.00 cores busy (PostgreSQL 0.89) for 50.0 s": averages over the wall time between the marks. */
    static String phase(Mark from, Mark to, int ticksPerSecond) {
        double seconds = (to.nanos() - from.nanos()) / 1e9;
        if (seconds <= 0 || from.machine().length != 2 || to.machine().length != 2) {
            return null;
        }
        double perCore = ticksPerSecond * seconds;
        return String.format(Locale.ROOT, "%.2f of %.2f cores busy (PostgreSQL %.2f) for %.1f s",
                (to.machine()[0] - from.machine()[0]) / perCore, (to.machine()[1] - from.machine()[1]) / perCore,
                (to.postgres() - from.postgres()) / perCore, seconds);
    }

    private Mark mark() {
        long postgres = backends.values().stream().mapToLong(b -> b.last() - b.baseline()).sum();
        return new Mark(System.nanoTime(), machineTicks(), postgres);
    }

    /** Reads every PostgreSQL process's CPU now; safe to call from a sampler thread. */
    synchronized void sample() {
        try (Statement s = pg.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT pid, datname, backend_type FROM pg_stat_activity")) {
            while (rs.next()) {
                long pid = rs.getLong(1);
                String database = rs.getString(2);
                String owner = database == null ? "background " + rs.getString(3)
                        : platformDatabases.contains(database) ? database : "other databases (not this platform's)";
                OptionalLong ticks = ServiceProbe.cpuTicks(pid);
                if (ticks.isEmpty()) {
                    continue;
                }
                Backend known = backends.get(pid);
                long baseline = known != null ? known.baseline() : started ? 0 : ticks.getAsLong();
                backends.put(pid, new Backend(owner, baseline, ticks.getAsLong()));
            }
        } catch (SQLException e) {
            // a sample lost to a restarting server costs at most a second of accounting
        }
    }

    /**
     * CPU seconds per 1,000 records for every PostgreSQL database and background process, the broker, this load
     * generator, the whole machine, and what none of those (nor the services' JVMs, which the caller measures) explain.
     */
    synchronized Map<String, Object> per1000(long records, int ticksPerSecond, double servicesJvmSecondsPer1000) {
        sample();
        Map<String, Long> ticksByOwner = new TreeMap<>();
        backends.values().forEach(b -> ticksByOwner.merge("postgres: " + b.owner(), b.last() - b.baseline(), Long::sum));
        Map<String, Object> out = new LinkedHashMap<>();
        double accounted = servicesJvmSecondsPer1000;
        for (Map.Entry<String, Long> e : ticksByOwner.entrySet()) {
            double s = PipelineBench.cpuSecondsPer1000(e.getValue(), ticksPerSecond, records);
            accounted += s;
            out.put(e.getKey(), s);
        }
        if (brokerPid.isPresent() && brokerBefore.isPresent()) {
            OptionalLong after = ServiceProbe.cpuTicks(brokerPid.getAsLong());
            if (after.isPresent()) {
                double s = PipelineBench.cpuSecondsPer1000(after.getAsLong() - brokerBefore.getAsLong(), ticksPerSecond, records);
                accounted += s;
                out.put("kafka broker", s);
            }
        } else {
            out.put("kafka broker", "unknown (not started by ./ehr: no kafka.pid)");
        }
        double self = PipelineBench.cpuSecondsPer1000(
                ServiceProbe.cpuTicks(ProcessHandle.current().pid()).orElse(selfBefore) - selfBefore, ticksPerSecond, records);
        accounted += self;
        out.put("load generator (this bench: NDJSON over HTTP)", self);
        long[] machine = machineTicks();
        if (machine.length == 2 && machineBefore.length == 2) {
            double busy = PipelineBench.cpuSecondsPer1000(machine[0] - machineBefore[0], ticksPerSecond, records);
            double total = PipelineBench.cpuSecondsPer1000(machine[1] - machineBefore[1], ticksPerSecond, records);
            out.put("machine busy (all processes)", busy);
            out.put("machine capacity (all cores, idle included)", total);
            out.put("not accounted above (other processes, kernel, interrupts)", Math.round((busy - accounted) * 1000) / 1000.0);
        }
        return out;
    }

    /** {busy, total} jiffies of all cores from the first line of /proc/stat; empty when unreadable. */
    static long[] machineTicks() {
        try {
            String cpu = Files.readAllLines(Path.of("/proc/stat")).get(0);
            return machineTicks(cpu);
        } catch (IOException | RuntimeException e) {
            return new long[0];
        }
    }

    /** user nice system idle iowait irq softirq steal …: busy is everything but idle and iowait. */
    static long[] machineTicks(String cpuLine) {
        String[] f = cpuLine.trim().split("\\s+");
        if (!f[0].equals("cpu") || f.length < 8) {
            throw new IllegalArgumentException("not the aggregate cpu line of /proc/stat");
        }
        long total = 0;
        long idle = 0;
        for (int i = 1; i < Math.min(f.length, 9); i++) { // guest times are already inside user/nice
            long v = Long.parseLong(f[i]);
            total += v;
            if (i == 4 || i == 5) {
                idle += v;
            }
        }
        return new long[] {total - idle, total};
    }

    private static OptionalLong readPid(Path file) {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(file).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void close() throws SQLException {
        pg.close();
    }
}
