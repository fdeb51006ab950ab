package kz.ehr.simulator;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import kz.ehr.events.kafka.KafkaCredentials;
import kz.ehr.events.kafka.KafkaPrincipals;
import kz.ehr.simulator.fraud.FraudRates;
import kz.ehr.simulator.fraud.FraudType;
import kz.ehr.simulator.output.FilesSink;
import kz.ehr.simulator.output.KafkaSink;
import kz.ehr.simulator.output.Progress;
import kz.ehr.simulator.output.RecordSink;
import kz.ehr.simulator.output.RestSink;
import kz.ehr.simulator.output.Simulation;
import kz.ehr.simulator.output.SourceRecord;
import kz.ehr.simulator.population.Person;
import kz.ehr.simulator.population.Window;

/**
 * Synthetic providers streaming a synthetic population with known truth.
 * <pre>
 * java -jar provider-simulator.jar --mode files --out DIR --persons 10000 --seed 42
 * java -jar provider-simulator.jar --mode rest --url http://127.0.0.1:8081 --keys damumed:K1,kmis:K2 --persons 200
 * java -jar provider-simulator.jar --mode kafka --kafka 127.0.0.1:9092 --persons 100000 --rate 5000
 * java -jar provider-simulator.jar bench …   (see kz.ehr.simulator.bench.Bench)
 * java -jar provider-simulator.jar import --provider P --key K FILE|DIR…   (see kz.ehr.simulator.importer.ImportCommand)
 * </pre>
 */
public final class Simulator {
    static final String USAGE = """
            usage: provider-simulator [--mode rest|kafka|files] [options]
              --persons N          population size (default 200)
              --seed S             everything is a function of the seed (default 42)
              --providers a,b,c    provider ids (default damumed,kmis,medelement; the --keys providers when given)
              --from / --to        simulated window, YYYY-MM-DD (default 2024-01-01 … 2026-10-31)
              --error-scale X      multiply every provider's error rates (default 1)
              --fraud-scale X      multiply every injected-fraud rate (default 1; 0 = no fraud)
              --rate R             records per second, 0 = as fast as possible (default 0)
              --no-progress        no progress bar
            files:  --out DIR      DIR/<provider>.ndjson, truth-persons.csv, truth-fraud.csv, truth-population.csv
            rest:   --url U (default http://127.0.0.1:8081), --keys p1:key1,p2:key2 or --provider P --key K,
                    --batch N (default 500), --concurrency C (default 2), --truth DIR (write the truth files too)
            kafka:  --kafka HOST:PORT (default 127.0.0.1:9092), --kafka-credentials DIR (default .ehr/kafka-credentials:
                    provider-<id>.password per provider), --truth DIR
            also:   provider-simulator import --help (a provider's historic NDJSON into ingestion, resumable)
                    provider-simulator bench …
            """;

    private Simulator() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("bench")) {
            kz.ehr.simulator.bench.Bench.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (args.length > 0 && args[0].equals("import")) {
            kz.ehr.simulator.importer.ImportCommand.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        if (has(args, "--help")) {
            System.out.print(USAGE);
            return;
        }
        System.exit(run(args));
    }

    static int run(String[] args) throws Exception {
        String mode = arg(args, "--mode", arg(args, "--out", null) != null ? "files" : "rest");
        Map<String, String> keys = keys(args);
        List<String> providers = providers(args, keys);
        long persons = Long.parseLong(arg(args, "--persons", "200"));
        long seed = Long.parseLong(arg(args, "--seed", "42"));
        Window window = new Window(LocalDate.parse(arg(args, "--from", Window.defaults().start().toString())),
                LocalDate.parse(arg(args, "--to", Window.defaults().end().toString())));
        double errorScale = Double.parseDouble(arg(args, "--error-scale", "1"));
        FraudRates fraud = FraudRates.defaults().scaled(Double.parseDouble(arg(args, "--fraud-scale", "1")));
        double rate = Double.parseDouble(arg(args, "--rate", "0"));
        Simulation simulation = new Simulation(new Simulation.Settings(persons, providers, seed, window, errorScale, fraud));

        RecordSink target;
        String truthDir = arg(args, "--truth", null);
        switch (mode) {
            case "files" -> {
                String out = arg(args, "--out", null);
                if (out == null) {
                    System.err.println("--out DIR is required in files mode\n" + USAGE);
                    return 2;
                }
                target = new FilesSink(Path.of(out), true);
                truthDir = null;
            }
            case "rest" -> {
                if (keys.isEmpty()) {
                    System.err.println("rest mode needs --keys provider:key,… or --provider P --key K\n" + USAGE);
                    return 2;
                }
                target = new RestSink(arg(args, "--url", "http://127.0.0.1:8081"), keys, Integer.parseInt(arg(args, "--batch", "500")),
                        Integer.parseInt(arg(args, "--concurrency", "2")), rate);
            }
            case "kafka" -> {
                // each provider logs in as its own principal (./ehr up made them and their topics)
                KafkaCredentials credentials = KafkaCredentials.in(Path.of(arg(args, "--kafka-credentials", ".ehr/kafka-credentials")));
                String bootstrap = arg(args, "--kafka", "127.0.0.1:9092");
                target = new KafkaSink(id -> credentials.clients(bootstrap, KafkaPrincipals.provider(id)), rate);
            }
            default -> {
                System.err.println("unknown --mode " + mode + "\n" + USAGE);
                return 2;
            }
        }
        Counting counting = new Counting(target, truthDir == null ? null : new FilesSink(Path.of(truthDir), false));
        Progress progress = has(args, "--no-progress") ? null : new Progress(persons, counting.records::get, System.err);
        long t0 = System.nanoTime();
        try (counting) {
            simulation.run(counting, progress == null ? n -> { } : progress);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        String outcome;
        if (target instanceof RestSink r) {
            outcome = String.format("; ingestion accepted %d, duplicates %d, rejected %d", r.accepted(), r.duplicates(), r.rejected());
        } else if (target instanceof KafkaSink k) {
            outcome = String.format("; Kafka acknowledged %d", k.acknowledged());
        } else {
            outcome = "; files in " + arg(args, "--out", "");
        }
        System.out.printf("%s: %d persons, %d records from %s (%d fraud-labelled) in %.1f s (%.0f records/s)%s%n", mode, persons,
                counting.records.get(), String.join(",", providers), counting.fraud.get(), seconds, counting.records.get() / seconds, outcome);
        return 0;
    }

    /** Counts what passes and tees the truth to a second sink when one is given. */
    private static final class Counting implements RecordSink {
        final AtomicLong records = new AtomicLong();
        final AtomicLong fraud = new AtomicLong();
        private final RecordSink target;
        private final RecordSink truth;

        Counting(RecordSink target, RecordSink truth) {
            this.target = target;
            this.truth = truth;
        }

        @Override
        public void record(SourceRecord r) throws Exception {
            target.record(r);
            records.incrementAndGet();
        }

        @Override
        public void truthPerson(String providerId, String localId, String personId) throws Exception {
            target.truthPerson(providerId, localId, personId);
            if (truth != null) {
                truth.truthPerson(providerId, localId, personId);
            }
        }

        @Override
        public void truthFraud(String providerId, String recordId, FraudType type) throws Exception {
            fraud.incrementAndGet();
            target.truthFraud(providerId, recordId, type);
            if (truth != null) {
                truth.truthFraud(providerId, recordId, type);
            }
        }

        @Override
        public void person(Person person) throws Exception {
            target.person(person);
            if (truth != null) {
                truth.person(person);
            }
        }

        @Override
        public void close() throws Exception {
            try {
                target.close();
            } finally {
                if (truth != null) {
                    truth.close();
                }
            }
        }
    }

    /** {@code --keys p:k,p:k}, or the single {@code --provider/--key} pair the launcher has always passed. */
    static Map<String, String> keys(String[] args) {
        Map<String, String> keys = parseKeys(arg(args, "--keys", ""));
        String provider = arg(args, "--provider", null);
        String key = arg(args, "--key", null);
        if (keys.isEmpty() && provider != null && key != null) {
            keys.put(provider, key);
        }
        return keys;
    }

    /** {@code providerId:key,providerId:key} (the EHR_PROVIDER_KEYS format) in the given order. */
    public static Map<String, String> parseKeys(String list) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (String pair : list.split(",")) {
            int colon = pair.indexOf(':');
            if (colon > 0) {
                keys.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
            }
        }
        return keys;
    }

    static List<String> providers(String[] args, Map<String, String> keys) {
        String list = arg(args, "--providers", null);
        if (list != null) {
            return new ArrayList<>(Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
        }
        if (!keys.isEmpty()) {
            return new ArrayList<>(keys.keySet());
        }
        String single = arg(args, "--provider", null);
        return single != null ? List.of(single) : List.of("damumed", "kmis", "medelement");
    }

    static boolean has(String[] args, String name) {
        return Arrays.asList(args).contains(name);
    }

    /** The value after the last occurrence of {@code name}: options given later (by the user) override the launcher's. */
    public static String arg(String[] args, String name, String fallback) {
        for (int i = args.length - 2; i >= 0; i--) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
