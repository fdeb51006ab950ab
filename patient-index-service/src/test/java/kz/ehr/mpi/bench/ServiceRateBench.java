package kz.ehr.mpi.bench;

import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.ds.PGSimpleDataSource;

import kz.ehr.events.EventCodec;
import kz.ehr.events.Envelopes;
import kz.ehr.events.HealthRecordEvent;
import kz.ehr.events.PatientInfo;
import kz.ehr.events.Topics;
import kz.ehr.events.kafka.KafkaClients;
import kz.ehr.events.kafka.KafkaCredentials;
import kz.ehr.events.kafka.KafkaPrincipals;
import kz.ehr.mpi.linking.LinkingEngine;

/**
 * The linking rate of the running service, through Kafka: the same records as {@link ScaleBenchmark} are produced to
 * ehr.patients.v1 as PATIENT events, and the service (started against the 1M-patient database ehr_mpi_bench, see
 * docs/benchmarks/patient-index-service.md) consumes, links, commits and relays its outbox as in production. The
 * rate is read off the database: source records of the measured part linked per second, after the warm-up part.
 * <pre>
 * java -cp "target/test-classes:target/classes:$(cat /tmp/mpi-cp.txt)" kz.ehr.mpi.bench.ServiceRateBench \
 *     --kafka 127.0.0.1:9092 --patients 1000000 --warmup 30000 --link 60000
 * </pre>
 */
public final class ServiceRateBench {
    private ServiceRateBench() {
    }

    public static void main(String[] args) throws Exception {
        String kafka = MatchingEvaluation.opt(args, "--kafka", "127.0.0.1:9092");
        int patients = Integer.parseInt(MatchingEvaluation.opt(args, "--patients", "1000000"));
        int warmup = Integer.parseInt(MatchingEvaluation.opt(args, "--warmup", "30000"));
        int link = Integer.parseInt(MatchingEvaluation.opt(args, "--link", "60000"));
        PGSimpleDataSource ds = BenchDatabase.fresh("ehr_mpi_bench", false);
        // a run starts from the loaded index, whatever the previous one linked (the service must not be consuming)
        if (!"false".equals(MatchingEvaluation.opt(args, "--reset", "true"))) {
            ScaleBenchmark.reset(ds);
        }
        List<LinkingEngine.Incoming> records = ScaleBenchmark.records(new Random(99), patients, warmup, link,
                "kbench" + System.currentTimeMillis() % 100_000);
        EventCodec<HealthRecordEvent> codec = EventCodec.of(HealthRecordEvent.class);
        // feeding ehr.patients.v1 directly is the admin's right alone (./ehr up keeps its password here)
        KafkaClients admin = KafkaCredentials.in(Path.of(MatchingEvaluation.opt(args, "--kafka-credentials", ".ehr/kafka-credentials")))
                .clients(kafka, KafkaPrincipals.ADMIN);
        try (KafkaProducer<String, byte[]> producer = admin.producer("mpi-service-bench", new StringSerializer(), new ByteArraySerializer())) {
            for (LinkingEngine.Incoming in : records) {
                var d = in.demographics();
                HealthRecordEvent e = HealthRecordEvent.newBuilder()
                        .setEnvelope(Envelopes.of(in.eventId(), "PATIENT", in.providerId(), in.localId(), in.occurredAt(), Instant.now(), null))
                        .setRecordType("PATIENT")
                        .setPatient(PatientInfo.newBuilder().setLocalId(in.localId()).setIin(d.iin()).setIinStatus(in.iinStatus())
                                .setLastName(d.lastName()).setFirstName(d.firstName()).setMiddleName(d.middleName())
                                .setBirthDate(d.birthDate()).setSex(d.sex()).setPhone(d.phone()).build())
                        .build();
                producer.send(new ProducerRecord<>(Topics.PATIENTS.topic, in.providerId() + ":" + in.localId(), codec.encode(e)));
            }
            producer.flush();
        }
        String warmProvider = records.get(0).providerId();
        String newProvider = records.get(records.size() - 1).providerId();
        System.out.printf("produced %,d PATIENT events to %s; waiting for the service to link them%n", records.size(), Topics.PATIENTS.topic);
        // the clock starts when the warm-up provider's records are all linked; the measured part may have begun by then
        long[] start = {0, 0}; // nanoTime, measured records linked at that moment
        int[] measured = {0};
        await("the service links every record").atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    int warm = count(ds, warmProvider);
                    measured[0] = count(ds, newProvider);
                    if (start[0] == 0 && warm >= warmup) {
                        start[0] = System.nanoTime();
                        start[1] = measured[0];
                    }
                    return measured[0] >= link;
                });
        double s = (System.nanoTime() - start[0]) / 1e9;
        long linked = link - start[1];
        System.out.printf("service linked %,d records in %.1f s = %,.0f records/s (after %,d warm-up records; index %,d patients)%n",
                linked, s, linked / s, warmup, patients);
    }

    private static int count(PGSimpleDataSource ds, String provider) throws Exception {
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM source_record WHERE provider_id = '" + provider + "'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
