package kz.ehr.simulator.importer;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code provider-simulator import}: a provider's historic records (NDJSON, or gzip-compressed NDJSON) streamed into
 * ingestion through the same REST path as its MIS, resumable per file. Exit 0 when every file is imported (rejected
 * records are data, reported and written out), 1 when it stopped on an error it names, 2 on bad usage, 3 when
 * {@code --stop-after} stopped it.
 */
public final class ImportCommand {
    static final String USAGE = """
            usage: provider-simulator import --provider ID --key KEY FILE|DIR…
                   provider-simulator import --keys ID:KEY,… FILE|DIR…    (provider from each file's name: ID.ndjson[.gz], ID.*.ndjson)
              FILE                 NDJSON, one record per line (API.md); gzip when the name ends in .gz
              DIR                  every *.ndjson and *.ndjson.gz file in it (not recursive, not *.rejected.ndjson), by name
              --url U              ingestion (default http://127.0.0.1:8081)
              --batch N            records per batch (default 1000; at most 8 MiB a batch)
              --concurrency C      batches in flight (default 2)
              --state DIR          checkpoints and rejected records here instead of beside each input file
              --retry-for SECONDS  how long one batch is retried while ingestion is unreachable or answers 503 (default 600)
              --stop-after N       stop after N batches were acknowledged in this run (to try a resume)
              --no-progress        no progress line on stderr
            Beside each FILE (or in --state DIR): FILE.import-checkpoint (how far it got: run the same command again
            to carry on) and FILE.rejected.ndjson (each rejected record with its line number and errors).
            """;
    private static final Set<String> VALUED = Set.of("--url", "--provider", "--key", "--keys", "--batch", "--concurrency",
            "--state", "--retry-for", "--stop-after");
    private static final int BATCH_BYTES = 8 << 20;

    private ImportCommand() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.console() != null));
    }

    /** Runs an import; returns the exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err, boolean terminal) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> paths = new ArrayList<>();
        boolean progressOn = true;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                out.print(USAGE);
                return 0;
            } else if (a.equals("--no-progress")) {
                progressOn = false;
            } else if (VALUED.contains(a)) {
                if (i + 1 >= args.length) {
                    return usage(err, a + " needs a value");
                }
                options.put(a, args[++i]); // the last one wins: the user's options override the launcher's
            } else if (a.startsWith("--")) {
                return usage(err, "unknown option " + a);
            } else {
                paths.add(a);
            }
        }
        try {
            List<FileImport.Input> inputs = inputs(options, paths);
            int batch = positive(options, "--batch", 1000);
            int concurrency = positive(options, "--concurrency", 2);
            long retryFor = positive(options, "--retry-for", 600);
            long stopAfter = options.containsKey("--stop-after") ? positive(options, "--stop-after", 0) : 0;
            return importAll(inputs, new IngestionClient(options.getOrDefault("--url", "http://127.0.0.1:8081"),
                    Duration.ofSeconds(retryFor)), batch, concurrency, stopAfter, progressOn, terminal, out, err);
        } catch (UsageException e) {
            return usage(err, e.getMessage());
        } catch (ImportException e) {
            err.println("import: " + e.getMessage());
            return 1;
        }
    }

    private static int importAll(List<FileImport.Input> inputs, IngestionClient client, int batch, int concurrency,
                                 long stopAfter, boolean progressOn, boolean terminal, PrintStream out, PrintStream err) {
        ExecutorService senders = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "import-sender");
            t.setDaemon(true);
            return t;
        });
        AtomicLong acknowledged = new AtomicLong();
        AtomicBoolean finished = new AtomicBoolean();
        Thread onInterrupt = new Thread(() -> {
            if (!finished.get()) {
                err.println("\nimport interrupted: every acknowledged batch is in the checkpoints; run the same command again to carry on");
            }
        });
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        List<Checkpoint> done = new ArrayList<>();
        long t0 = System.nanoTime();
        ImportProgress progress = new ImportProgress(progressOn ? err : null, terminal);
        int code = 0;
        try (progress) {
            FileImport.Settings settings = new FileImport.Settings(client, senders, concurrency, batch, BATCH_BYTES, stopAfter, progress);
            for (FileImport.Input input : inputs) {
                FileImport file = new FileImport(input, settings, acknowledged);
                boolean complete = file.run();
                progress.endFile();
                done.add(file.checkpoint());
                report(out, input, file.checkpoint());
                if (!complete) {
                    out.printf("stopped after %d acknowledged batches (--stop-after); run the same command again to carry on%n", acknowledged.get());
                    code = 3;
                    break;
                }
            }
        } catch (ImportException e) {
            err.println("\nimport: " + e.getMessage());
            code = 1;
        } catch (IOException e) {
            err.println("\nimport: " + e);
            code = 1;
        } catch (Exception e) {
            err.println("\nimport failed: " + e);
            code = 1;
        } finally {
            finished.set(true);
            senders.shutdownNow();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException shuttingDown) {
                // the JVM is exiting already
            }
        }
        total(out, done, progress.recordsThisRun(), acknowledged.get(), (System.nanoTime() - t0) / 1e9);
        return code;
    }

    private static void report(PrintStream out, FileImport.Input input, Checkpoint c) {
        out.printf("%s (%s): %s%s%n", input.file(), input.provider(), counts(List.of(c)),
                c.rejected > 0 ? " → rejected records in " + input.rejected() : "");
    }

    private static void total(PrintStream out, List<Checkpoint> done, long records, long batches, double seconds) {
        if (done.size() > 1) {
            out.printf("total (%d files): %s%n", done.size(), counts(done));
        }
        out.printf("this run: %,d records in %,d batches in %.1f s (%,.0f records/s)%n", records, batches, seconds, records / Math.max(1e-3, seconds));
    }

    /** "N records · accepted … · duplicates … · rejected … (CODE n, …)": whole files, across every run. */
    static String counts(List<Checkpoint> checkpoints) {
        long records = 0, accepted = 0, duplicates = 0, rejected = 0;
        Map<String, Long> byCode = new TreeMap<>();
        for (Checkpoint c : checkpoints) {
            records += c.records;
            accepted += c.accepted;
            duplicates += c.duplicates;
            rejected += c.rejected;
            c.rejectedByCode.forEach((k, v) -> byCode.merge(k, v, Long::sum));
        }
        String codes = byCode.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "));
        return String.format("%,d records · accepted %,d · duplicates %,d · rejected %,d%s", records, accepted, duplicates, rejected,
                codes.isEmpty() ? "" : " (" + codes + ")");
    }

    /** The files to import with their provider, key and state files; refuses what cannot work before anything is sent. */
    static List<FileImport.Input> inputs(Map<String, String> options, List<String> paths) {
        if (paths.isEmpty()) {
            throw new UsageException("name at least one FILE or DIR to import");
        }
        String provider = options.get("--provider");
        String key = options.get("--key");
        Map<String, String> keys = kz.ehr.simulator.Simulator.parseKeys(options.getOrDefault("--keys", ""));
        if (key != null && provider == null) {
            throw new UsageException("--key needs --provider ID: the provider the key belongs to (it names the checkpoint's owner)");
        }
        if (provider != null && key == null) {
            key = keys.get(provider);
            if (key == null) {
                throw new UsageException("no key for provider " + provider + ": give --key KEY");
            }
        }
        if (provider == null && keys.isEmpty()) {
            throw new UsageException("give --provider ID --key KEY (or --keys ID:KEY,… with files named after their provider)");
        }
        Path stateDir = options.containsKey("--state") ? Path.of(options.get("--state")) : null;
        if (stateDir != null) {
            try {
                Files.createDirectories(stateDir);
            } catch (IOException e) {
                throw new ImportException("cannot create --state " + stateDir + ": " + e);
            }
        }
        List<FileImport.Input> inputs = new ArrayList<>();
        Set<Path> checkpoints = new HashSet<>();
        for (Path file : files(paths)) {
            String owner = provider != null ? provider : providerOf(file);
            String ownerKey = provider != null ? key : keys.get(owner);
            if (ownerKey == null) {
                throw new UsageException("no key for provider " + owner + " (taken from the name of " + file
                        + "); give --keys " + owner + ":KEY, or --provider ID --key KEY for every file");
            }
            Path dir = stateDir != null ? stateDir : file.toAbsolutePath().getParent();
            if (!Files.isWritable(dir)) {
                throw new ImportException("cannot write the checkpoint of " + file + " into " + dir + ": give --state DIR");
            }
            Path checkpoint = dir.resolve(file.getFileName() + ".import-checkpoint");
            if (!checkpoints.add(checkpoint.toAbsolutePath().normalize())) {
                throw new UsageException(file.getFileName() + " is named twice (or twice in --state " + stateDir + ")");
            }
            inputs.add(new FileImport.Input(file, owner, ownerKey, checkpoint, dir.resolve(file.getFileName() + ".rejected.ndjson")));
        }
        return inputs;
    }

    private static List<Path> files(List<String> paths) {
        List<Path> files = new ArrayList<>();
        for (String p : paths) {
            Path path = Path.of(p);
            if (Files.isDirectory(path)) {
                try (Stream<Path> list = Files.list(path)) {
                    List<Path> found = list.filter(f -> importable(f.getFileName().toString()) && Files.isRegularFile(f))
                            .sorted().toList();
                    if (found.isEmpty()) {
                        throw new UsageException(path + " holds no *.ndjson or *.ndjson.gz file");
                    }
                    found.forEach(f -> checkReadable(f));
                    files.addAll(found);
                } catch (IOException e) {
                    throw new ImportException("cannot read the directory " + path + ": " + e);
                }
            } else {
                checkReadable(path);
                files.add(path);
            }
        }
        return files;
    }

    /** *.ndjson and *.ndjson.gz, but not the importer's own *.rejected.ndjson. */
    static boolean importable(String name) {
        return (name.endsWith(".ndjson") || name.endsWith(".ndjson.gz")) && !name.endsWith(".rejected.ndjson");
    }

    private static void checkReadable(Path file) {
        if (!Files.exists(file)) {
            throw new ImportException("cannot read " + file + ": no such file");
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new ImportException("cannot read " + file + ": not a readable file");
        }
    }

    /** damumed.ndjson, damumed.ndjson.gz, damumed.2019-01.ndjson → damumed (how ./ehr simulate --out names them). */
    static String providerOf(Path file) {
        String name = file.getFileName().toString();
        int dot = name.indexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static int positive(Map<String, String> options, String name, int fallback) {
        String v = options.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v);
            if (n > 0) {
                return n;
            }
        } catch (NumberFormatException notANumber) {
            // falls through
        }
        throw new UsageException(name + " takes a whole number above 0, not \"" + v + "\"");
    }

    private static int usage(PrintStream err, String problem) {
        err.println("import: " + problem);
        err.print(USAGE);
        return 2;
    }

    /** Bad usage: exit 2 with the usage. */
    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
