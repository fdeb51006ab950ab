package kz.ehr.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Time;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.KafkaClients;
import kz.ehr.events.kafka.KafkaCredentials;
import kz.ehr.events.kafka.KafkaPrincipals;

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one process).
 * Used in its own JVM by {@code ./ehr up} and inside test JVMs by the test support.
 * <p>
 * Every connection authenticates and every request is authorised:
 * <ul>
 * <li>{@code CLIENT} (the only listener clients can use, loopback): SASL_PLAINTEXT with SCRAM-SHA-512, one user per
 * service, per Kafka-native provider adapter and {@code admin}; passwords in {@link KafkaCredentials} (mode 600).</li>
 * <li>{@code CONTROLLER} (loopback): SASL_PLAINTEXT with PLAIN for the broker's own connection to its controller,
 * as {@code controller} with a password made afresh at every start and known only to this process. KRaft needs a
 * controller listener; SCRAM cannot be used on it (its users live in the metadata the controller serves), and an
 * unauthenticated one would let any local process send controller requests as a super user.</li>
 * <li>The standard authorizer with {@code allow.everyone.if.no.acl.found=false}; super users are {@code admin} and
 * {@code controller}; everyone else gets exactly the ACLs of {@link KafkaAccess}.</li>
 * </ul>
 * Users are written at format time into a fresh data directory; principals added later (and all of them at every
 * start, in case a password file changed) are upserted by {@link KafkaAccess}.
 */
public final class LocalKafkaBroker implements AutoCloseable {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;
    private final KafkaCredentials credentials;

    private LocalKafkaBroker(KafkaRaftServer server, String bootstrapServers, Path dataDir, KafkaCredentials credentials) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
        this.credentials = credentials;
    }

    /** As {@link #start(Path, int, int, KafkaCredentials, Collection)} with the passwords in {@code dataDir/credentials}. */
    public static LocalKafkaBroker start(Path dataDir, int port, int controllerPort) {
        return start(dataDir, port, controllerPort, KafkaCredentials.in(dataDir.resolve("credentials")), List.of());
    }

    /**
     * Formats the data dir if needed, starts the broker, creates the platform topics (and one per provider in
     * {@code providerIds}), the users and ACLs of every service and of those providers, and proves a round trip.
     */
    public static LocalKafkaBroker start(Path dataDir, int port, int controllerPort, KafkaCredentials credentials,
                                         Collection<String> providerIds) {
        try {
            Files.createDirectories(dataDir);
            Path logs = dataDir.resolve("logs");
            String controllerPassword = HexFormat.of().formatHex(RANDOM.generateSeed(16));
            Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", "1");
            props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            props.put("listeners", "CLIENT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
            props.put("advertised.listeners", "CLIENT://127.0.0.1:" + port);
            props.put("controller.listener.names", "CONTROLLER");
            props.put("inter.broker.listener.name", "CLIENT");
            props.put("listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
            props.put("sasl.enabled.mechanisms", KafkaClients.SCRAM_MECHANISM);
            props.put("sasl.mechanism.inter.broker.protocol", KafkaClients.SCRAM_MECHANISM);
            props.put("listener.name.client.scram-sha-512.sasl.jaas.config",
                    KafkaClients.scram("", KafkaPrincipals.ADMIN, credentials.password(KafkaPrincipals.ADMIN))
                            .get("sasl.jaas.config"));
            props.put("listener.name.controller.sasl.enabled.mechanisms", "PLAIN");
            props.put("sasl.mechanism.controller.protocol", "PLAIN");
            props.put("listener.name.controller.plain.sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"controller\" password=\""
                            + controllerPassword + "\" user_controller=\"" + controllerPassword + "\";");
            props.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
            props.put("super.users", "User:" + KafkaPrincipals.ADMIN + ";User:controller");
            props.put("allow.everyone.if.no.acl.found", "false");
            props.put("log.dirs", logs.toString());
            props.put("offsets.topic.replication.factor", "1");
            props.put("offsets.topic.num.partitions", "6");
            props.put("transaction.state.log.replication.factor", "1");
            props.put("transaction.state.log.min.isr", "1");
            props.put("share.coordinator.state.topic.replication.factor", "1");
            props.put("share.coordinator.state.topic.min.isr", "1");
            props.put("group.initial.rebalance.delay.ms", "0");
            props.put("auto.create.topics.enable", "false");
            props.put("num.partitions", "3");
            props.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
            Path propsFile = dataDir.resolve("server.properties");
            // it holds passwords: readable by this user only
            Files.deleteIfExists(propsFile);
            Files.createFile(propsFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (var out = Files.newOutputStream(propsFile)) {
                props.store(out, "ehr-stream local broker");
            }
            Path clusterIdFile = dataDir.resolve("cluster.id");
            if (!Files.exists(clusterIdFile)) {
                Files.writeString(clusterIdFile, org.apache.kafka.common.Uuid.randomUuid().toString());
            }
            String clusterId = Files.readString(clusterIdFile).trim();
            List<String> principals = new ArrayList<>(List.of(KafkaPrincipals.ADMIN));
            for (KafkaPrincipals.Service s : KafkaPrincipals.Service.values()) {
                principals.add(s.principal);
            }
            providerIds.forEach(id -> principals.add(KafkaPrincipals.provider(id)));
            List<String> format = new ArrayList<>(List.of("format", "-t", clusterId, "-c", propsFile.toString(), "--ignore-formatted"));
            for (String principal : principals) {
                // only a fresh metadata log takes these; later users come through KafkaAccess
                format.addAll(List.of("-S", KafkaClients.SCRAM_MECHANISM + "=[name=" + principal + ",password="
                        + credentials.password(principal) + "]"));
            }
            // a log formatted before the broker required logins has no SCRAM users, and -S cannot add them to it
            Path scramMarker = dataDir.resolve("scram-users.formatted");
            if (Files.exists(logs.resolve("meta.properties")) && !Files.exists(scramMarker)) {
                throw new IllegalStateException("KAFKA_DATA_WITHOUT_USERS: " + dataDir + " was formatted before the broker "
                        + "required SCRAM logins; stop the platform and delete that directory (./ehr down; rm -rf " + dataDir + ")");
            }
            ByteArrayOutputStream formatOut = new ByteArrayOutputStream();
            int rc = kafka.tools.StorageTool.execute(format.toArray(String[]::new),
                    new PrintStream(formatOut, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IllegalStateException("kafka storage format failed: " + formatOut.toString(StandardCharsets.UTF_8));
            }
            if (!Files.exists(scramMarker)) {
                Files.writeString(scramMarker, "SCRAM users written at format time\n");
            }
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            LocalKafkaBroker broker = new LocalKafkaBroker(server, "127.0.0.1:" + port, dataDir, credentials);
            KafkaAccess.apply(broker.admin(), credentials, providerIds);
            broker.roundTrip();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Clients logged in as the super user. */
    public KafkaClients admin() {
        return credentials.clients(bootstrapServers, KafkaPrincipals.ADMIN);
    }

    /** Clients logged in as {@code principal} (a service's, a provider's, or the admin). */
    public KafkaClients clientsAs(String principal) {
        return credentials.clients(bootstrapServers, principal);
    }

    public KafkaCredentials credentials() {
        return credentials;
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Ready means a message really went through: produce to a probe topic and read it back. */
    private void roundTrip() {
        String probe = "ehr-probe-" + UUID.randomUUID();
        try (KafkaProducer<String, String> producer = admin().producer("probe", new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.DEAD_LETTER.topic, "probe", probe)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("broker did not accept a probe message", e);
        }
        try (KafkaConsumer<String, String> consumer = admin().consumer("probe-" + UUID.randomUUID(), 100,
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(Topics.DEAD_LETTER.topic));
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(200));
                for (var r : records) {
                    if (probe.equals(r.value())) {
                        return;
                    }
                }
            }
        }
        throw new IllegalStateException("probe message was not read back within 60 s");
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }

    /**
     * A port nothing listens on, for a process started a moment later. It is taken below the kernel's ephemeral range
     * where there is room: a port from {@code new ServerSocket(0)} lies inside that range, where every outgoing
     * connection (to the broker, to PostgreSQL) takes its local port, and in a fresh-clone CI run one of them took a
     * service's port in the seconds between the pick and the service's bind. No port is handed out twice by a JVM.
     */
    public static synchronized int freePort() {
        int ephemeralLow = ephemeralPortRangeStart();
        if (ephemeralLow - BELOW_EPHEMERAL_FROM >= 1_000) {
            for (int attempt = 0; attempt < 200; attempt++) {
                int port = BELOW_EPHEMERAL_FROM + PORT_PICKS.nextInt(ephemeralLow - BELOW_EPHEMERAL_FROM);
                if (!HANDED_OUT.contains(port) && bindable(port)) {
                    HANDED_OUT.add(port);
                    return port;
                }
            }
        }
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static final int BELOW_EPHEMERAL_FROM = 20_000;
    private static final SecureRandom PORT_PICKS = new SecureRandom();
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    /** Linux's first ephemeral port; elsewhere (no such file) 49152, the IANA start that macOS and Windows use. */
    private static int ephemeralPortRangeStart() {
        try {
            // not Files.readString: on a /proc/sys file (size 0) Java 17 reads one byte, then the file ends ("3")
            String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim();
            return Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 49_152;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * {@code java -cp 'local-platform.jar:lib/*' kz.ehr.local.LocalKafkaBroker [--port 9092] [--controller-port 9093]
     * [--data-dir .ehr/kafka] [--credentials .ehr/kafka-credentials] [--providers damumed,kmis]}: also writes a
     * {@code <principal>.properties} client file (mode 600) next to each password.
     */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        int port = Integer.parseInt(arg(args, "--port", "9092"));
        int controllerPort = Integer.parseInt(arg(args, "--controller-port", String.valueOf(port + 1)));
        Path dataDir = Path.of(arg(args, "--data-dir", ".ehr/kafka"));
        KafkaCredentials credentials = KafkaCredentials.in(Path.of(arg(args, "--credentials", ".ehr/kafka-credentials")));
        List<String> providers = List.of(arg(args, "--providers", "").split(",")).stream().map(String::trim)
                .filter(p -> !p.isEmpty()).toList();
        long t0 = System.nanoTime();
        LocalKafkaBroker broker = start(dataDir, port, controllerPort, credentials, providers);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-shutdown"));
        credentials.all().keySet().forEach(principal -> credentials.writeClientProperties(broker.bootstrapServers(), principal));
        System.out.printf("KAFKA READY bootstrap=%s in %d ms%n", broker.bootstrapServers(), (System.nanoTime() - t0) / 1_000_000);
        Thread.currentThread().join();
    }

    static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
