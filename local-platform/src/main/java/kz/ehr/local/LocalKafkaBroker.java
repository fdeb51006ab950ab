package kz.ehr.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
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

/**
 * A real single-node Apache Kafka broker (KRaft, broker and controller in one process).
 * Used in its own JVM by {@code ./ehr up} and inside test JVMs by the test support.
 */
public final class LocalKafkaBroker implements AutoCloseable {
    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final Path dataDir;

    private LocalKafkaBroker(KafkaRaftServer server, String bootstrapServers, Path dataDir) {
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.dataDir = dataDir;
    }

    /** Formats the data dir if needed, starts the broker, creates the platform topics, proves a round trip. */
    public static LocalKafkaBroker start(Path dataDir, int port, int controllerPort) {
        try {
            Files.createDirectories(dataDir);
            Path logs = dataDir.resolve("logs");
            Properties props = new Properties();
            props.put("process.roles", "broker,controller");
            props.put("node.id", "1");
            props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
            props.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
            props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
            props.put("controller.listener.names", "CONTROLLER");
            props.put("inter.broker.listener.name", "PLAINTEXT");
            props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
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
            try (var out = Files.newOutputStream(propsFile)) {
                props.store(out, "ehr-stream local broker");
            }
            Path clusterIdFile = dataDir.resolve("cluster.id");
            if (!Files.exists(clusterIdFile)) {
                Files.writeString(clusterIdFile, org.apache.kafka.common.Uuid.randomUuid().toString());
            }
            String clusterId = Files.readString(clusterIdFile).trim();
            ByteArrayOutputStream formatOut = new ByteArrayOutputStream();
            int rc = kafka.tools.StorageTool.execute(new String[] {"format", "-t", clusterId, "-c", propsFile.toString(),
                    "--ignore-formatted"}, new PrintStream(formatOut, true, StandardCharsets.UTF_8));
            if (rc != 0) {
                throw new IllegalStateException("kafka storage format failed: " + formatOut.toString(StandardCharsets.UTF_8));
            }
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            server.startup();
            LocalKafkaBroker broker = new LocalKafkaBroker(server, "127.0.0.1:" + port, dataDir);
            Topics.ensureAll(broker.bootstrapServers());
            broker.roundTrip();
            return broker;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                KafkaClients.producer(bootstrapServers, "probe"), new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(Topics.DEAD_LETTER.topic, "probe", probe)).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("broker did not accept a probe message", e);
        }
        Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        cp.put(ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID());
        cp.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(cp, new StringDeserializer(), new StringDeserializer())) {
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

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code java -cp 'local-platform.jar:lib/*' kz.ehr.local.LocalKafkaBroker [--port 9092] [--controller-port 9093] [--data-dir .ehr/kafka]} */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        int port = Integer.parseInt(arg(args, "--port", "9092"));
        int controllerPort = Integer.parseInt(arg(args, "--controller-port", String.valueOf(port + 1)));
        Path dataDir = Path.of(arg(args, "--data-dir", ".ehr/kafka"));
        long t0 = System.nanoTime();
        LocalKafkaBroker broker = start(dataDir, port, controllerPort);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "kafka-shutdown"));
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
