package kz.ehr.simulator.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * One running service as the pipeline benchmark watches it: which consumer groups are its own, how many rows of its
 * transactional outbox are unsent, how much CPU its process has used ({@code /proc/<pid>/stat}) and how much heap it
 * uses now ({@code /q/metrics}).
 */
final class ServiceProbe implements AutoCloseable {
    /**
     * A service of ARCHITECTURE.md. {@code groupPrefixes}: the consumer group ids its {@code BatchConsumerLoop}s use
     * (a group belongs to it when it equals a prefix or starts with prefix + "-"); {@code database}: where its
     * outbox lives (every service's Flyway migrations name it {@code outbox}, unsent while {@code sent_at IS NULL AND failed_at IS NULL}: a set-aside row waits for ops, not for the relay;
     * ingestion publishes directly and has none).
     */
    record Service(String name, String baseUrl, String database, List<String> groupPrefixes) {
        boolean owns(String group) {
            for (String prefix : groupPrefixes) {
                if (group.equals(prefix) || group.startsWith(prefix + "-")) {
                    return true;
                }
            }
            return false;
        }
    }

    static List<Service> platform(Platform p) {
        return List.of(
                new Service("ingestion-service", p.ingestion, "ehr_ingestion", List.of("ingestion")),
                new Service("patient-index-service", p.patientIndex, "ehr_mpi", List.of("patient-index")),
                new Service("certificate-service", p.certificates, "ehr_certificates", List.of("certificate-service")),
                new Service("billing-service", p.billing, "ehr_billing", List.of("billing-service")));
    }

    final Service service;
    private final Platform platform;
    private final Path pidFile;
    private final Connection db;
    private final boolean hasOutbox;

    ServiceProbe(Service service, Platform platform, Path pidsDir, String pgHost, int pgPort, String pgUser, String pgPassword)
            throws SQLException {
        this.service = service;
        this.platform = platform;
        this.pidFile = pidsDir.resolve(service.name() + ".pid");
        this.db = DriverManager.getConnection("jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + service.database(), pgUser, pgPassword);
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT to_regclass('outbox') IS NOT NULL")) {
            rs.next();
            this.hasOutbox = rs.getBoolean(1);
        }
    }

    boolean hasOutbox() {
        return hasOutbox;
    }

    /** Rows of the outbox not yet relayed to Kafka (0 for a service without an outbox). */
    long unsentOutboxRows() throws SQLException {
        if (!hasOutbox) {
            return 0;
        }
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM outbox WHERE sent_at IS NULL AND failed_at IS NULL")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The service's process id as the launcher recorded it, if it did. */
    OptionalLong pid() {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(pidFile).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** utime + stime of {@code pid} in clock ticks, or empty when the process is gone or not readable. */
    static OptionalLong cpuTicks(long pid) {
        try {
            return OptionalLong.of(cpuTicks(Files.readString(Path.of("/proc/" + pid + "/stat"))));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** What a JVM thread works for, by its name: the JIT compilers, the garbage collector, or the application. */
    enum ThreadKind {
        JIT, GC, OTHER;

        /**
         * C1/C2 compiler threads are "C1 CompilerThre…"/"C2 CompilerThre…"; G1's and Parallel's are "GC Thread#n",
         * "G1 …"; the serial collector works in the "VM Thread" (which also runs the JVM's other safepoint operations,
         * little beside a collection).
         */
        static ThreadKind of(String threadName) {
            if (threadName.startsWith("C1 Compiler") || threadName.startsWith("C2 Compiler")) {
                return JIT;
            }
            return threadName.startsWith("GC Thread") || threadName.startsWith("G1 ") || threadName.equals("VM Thread") ? GC : OTHER;
        }
    }

    /**
     * utime + stime per {@link ThreadKind} of the threads of {@code pid} alive now ({@code /proc/<pid>/task/*});
     * a thread that has ended is no longer counted, so the kinds are a floor, not a split of the whole process.
     */
    static Map<ThreadKind, Long> threadTicks(long pid) {
        Map<ThreadKind, Long> ticks = new EnumMap<>(ThreadKind.class);
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks) {
                try {
                    ThreadKind kind = ThreadKind.of(Files.readString(task.resolve("comm")).trim());
                    ticks.merge(kind, cpuTicks(Files.readString(task.resolve("stat"))), Long::sum);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended between the listing and the read
                }
            }
        } catch (IOException | RuntimeException e) {
            return Map.of();
        }
        return ticks;
    }

    /**
     * utime + stime (fields 14 and 15 of proc(5)) from the text of {@code /proc/<pid>/stat}. The command name
     * (field 2) is in parentheses and may itself hold spaces and parentheses, so fields are counted after the last ')'.
     */
    static long cpuTicks(String stat) {
        int close = stat.lastIndexOf(')');
        if (close < 0) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: no ')' after the command name");
        }
        String[] f = stat.substring(close + 1).trim().split("\\s+");
        if (f.length < 13) {
            throw new IllegalArgumentException("not a /proc/<pid>/stat line: " + f.length + " fields after the command name");
        }
        // f[0] is field 3 (state), so field n is f[n - 3]
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    /**
     * The JVM's own options ({@code -X…}: heap, collector, compiler, recordings) the process {@code pid} was started
     * with, in order, from {@code /proc/<pid>/cmdline}; "unknown" when it cannot be read. The report shows what each
     * service really ran with, whoever started the platform.
     */
    static String jvmOptions(long pid) {
        try {
            return jvmOptions(Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\0"));
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    /** The {@code -X…} arguments before the jar or main class of a java command line (argv[0] is the launcher). */
    static String jvmOptions(String[] argv) {
        List<String> options = new ArrayList<>();
        for (int i = 1; i < argv.length && argv[i].startsWith("-") && !argv[i].equals("-jar"); i++) {
            if (argv[i].startsWith("-X")) {
                options.add(argv[i]);
            } else if (argv[i].equals("-cp") || argv[i].equals("-classpath")) {
                i++; // its value
            }
        }
        return String.join(" ", options);
    }

    /** Clock ticks per second for /proc times (getconf CLK_TCK; 100 on every Linux the platform targets). */
    static int clockTicksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            return p.waitFor() == 0 ? Integer.parseInt(out) : 100;
        } catch (IOException | RuntimeException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    /** Heap in use now, from the service's Prometheus metrics; empty when they cannot be read. */
    OptionalLong heapUsedBytes() {
        Platform.Answer a = platform.get(service.baseUrl() + "/q/metrics");
        if (a.status() != 200) {
            return OptionalLong.empty();
        }
        return heapUsedBytes(a.body());
    }

    /**
     * The sum of {@code jvm_memory_used_bytes} over the heap's pools ({@code area="heap"}) in Prometheus text format;
     * empty when there is no such sample.
     */
    static OptionalLong heapUsedBytes(String prometheusText) {
        double[] heap = series(prometheusText, "jvm_memory_used_bytes{").entrySet().stream()
                .filter(e -> e.getKey().contains("area=\"heap\"")).mapToDouble(Map.Entry::getValue).toArray();
        return heap.length == 0 ? OptionalLong.empty() : OptionalLong.of(Math.round(Arrays.stream(heap).sum()));
    }

    /**
     * The series the service exports now whose name starts with {@code prefix}, each by its name and labels as
     * exported; empty when {@code /q/metrics} cannot be read or has none.
     */
    Map<String, Double> series(String prefix) {
        Platform.Answer a = platform.get(service.baseUrl() + "/q/metrics");
        return a.status() == 200 ? series(a.body(), prefix) : Map.of();
    }

    /** The samples of Prometheus text whose line starts with {@code prefix}: value by series (name and labels). */
    static Map<String, Double> series(String prometheusText, String prefix) {
        Map<String, Double> out = new TreeMap<>();
        for (String line : prometheusText.split("\n")) {
            if (!line.startsWith(prefix) || line.startsWith("#")) {
                continue;
            }
            int labelsEnd = line.lastIndexOf('}');
            int split = labelsEnd >= 0 ? labelsEnd + 1 : line.indexOf(' ');
            out.put(line.substring(0, split).trim(), Double.parseDouble(line.substring(split).trim().split("\\s+")[0]));
        }
        return out;
    }

    @Override
    public void close() throws SQLException {
        db.close();
    }
}
