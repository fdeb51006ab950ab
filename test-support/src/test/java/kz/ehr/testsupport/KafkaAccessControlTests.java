package kz.ehr.testsupport;

import static kz.ehr.testsupport.KafkaProbes.catching;
import static kz.ehr.testsupport.KafkaProbes.pollFailure;
import static kz.ehr.testsupport.KafkaProbes.readFailure;
import static kz.ehr.testsupport.KafkaProbes.sendFailure;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

import kz.ehr.events.Topics;
import kz.ehr.events.kafka.KafkaClients;
import kz.ehr.events.kafka.KafkaPrincipals.Service;

/**
 * The test broker is the embedded broker of {@code ./ehr up}: these run against it what docs/security.md claims.
 * Every refusal is paired with the same call by a principal that is allowed, so a refusal for another reason
 * (a wrong address, a missing topic) would fail the test.
 */
class KafkaAccessControlTests {
    @Test
    void aClientWithoutCredentialsCanNeitherProduceNorConsume() {
        String bootstrap = TestPlatform.kafkaBootstrapServers();
        Map<String, Object> anonymous = Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000, CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        KafkaClients plaintext = KafkaClients.of(anonymous);

        assertThat(sendFailure(plaintext, Topics.REGISTRY.topic)).isInstanceOf(TimeoutException.class);
        try (KafkaConsumer<String, String> consumer = plaintext.consumer("ingestion-anonymous", 10,
                new StringDeserializer(), new StringDeserializer())) {
            Throwable refused = catching(() -> consumer.partitionsFor(Topics.PATIENTS.topic));
            assertThat(refused).isInstanceOf(TimeoutException.class);
        }
        // the same calls succeed with the admin's login
        assertThat(sendFailure(TestPlatform.kafkaAdmin(), Topics.REGISTRY.topic)).isNull();
    }

    @Test
    void aWrongPasswordIsRefusedByTheBroker() {
        KafkaClients impostor = KafkaClients.of(KafkaClients.scram(TestPlatform.kafkaBootstrapServers(),
                Service.INGESTION.principal, "not-the-password")).with(Map.of(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000));
        assertThat(sendFailure(impostor, Topics.REGISTRY.topic)).isInstanceOf(AuthenticationException.class);
        assertThat(sendFailure(TestPlatform.kafkaAs(Service.INGESTION.principal), Topics.REGISTRY.topic)).isNull();
    }

    @Test
    void aProviderWritesItsOwnTopicOnlyNotAPlatformTopicNorAnotherProvidersTopic() {
        KafkaClients alpha = TestPlatform.kafkaProvider("acl-alpha");
        TestPlatform.kafkaProvider("acl-beta");

        assertThat(sendFailure(alpha, Topics.providerTopic("acl-alpha"))).isNull();
        assertThat(sendFailure(alpha, Topics.REGISTRY.topic)).isInstanceOf(TopicAuthorizationException.class);
        assertThat(sendFailure(alpha, Topics.MPI_LINKS.topic)).isInstanceOf(TopicAuthorizationException.class);
        assertThat(sendFailure(alpha, Topics.providerTopic("acl-beta"))).isInstanceOf(TopicAuthorizationException.class);
        // the shared transitional topic has no writer but the admin
        assertThat(sendFailure(alpha, Topics.PROVIDER_RECORDS.topic)).isInstanceOf(TopicAuthorizationException.class);
        // and a provider reads nothing, its own topic included
        assertThat(pollFailure(alpha, "ingestion", Topics.providerTopic("acl-alpha")))
                .isInstanceOfAny(TopicAuthorizationException.class, GroupAuthorizationException.class);
    }

    @Test
    void aServiceWritesOnlyTheTopicsItOwns() {
        assertThat(sendFailure(TestPlatform.kafkaAs(Service.INGESTION.principal), Topics.REGISTRY.topic)).isNull();
        assertThat(sendFailure(TestPlatform.kafkaAs(Service.PATIENT_INDEX.principal), Topics.MPI_LINKS.topic)).isNull();

        assertThat(sendFailure(TestPlatform.kafkaAs(Service.PATIENT_INDEX.principal), Topics.REGISTRY.topic))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(sendFailure(TestPlatform.kafkaAs(Service.BILLING.principal), Topics.MPI_LINKS.topic))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(sendFailure(TestPlatform.kafkaAs(Service.CERTIFICATES.principal), Topics.INGEST_REJECTED.topic))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(sendFailure(TestPlatform.kafkaAs(Service.INGESTION.principal), Topics.MPI_LINKS.topic))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(sendFailure(TestPlatform.kafkaAs(Service.BILLING.principal), Topics.CERTIFICATE_EVENTS.topic))
                .isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void aServiceReadsOnlyWhatItConsumesInItsOwnConsumerGroups() {
        TestPlatform.kafkaProvider("acl-gamma");
        KafkaClients billing = TestPlatform.kafkaAs(Service.BILLING.principal);
        assertThat(pollFailure(billing, "billing-service-acl-" + UUID.randomUUID(), Topics.MPI_LINKS.topic)).isNull();

        assertThat(pollFailure(billing, "billing-service-acl-" + UUID.randomUUID(), Topics.providerTopic("acl-gamma")))
                .isInstanceOf(TopicAuthorizationException.class);
        assertThat(pollFailure(billing, "billing-service-acl-" + UUID.randomUUID(), Topics.INGEST_REJECTED.topic))
                .isInstanceOf(TopicAuthorizationException.class);
        // another service's group: billing cannot join (or move the offsets of) the patient index's consumers
        assertThat(pollFailure(billing, "patient-index", Topics.MPI_LINKS.topic)).isInstanceOf(GroupAuthorizationException.class);
        assertThat(pollFailure(TestPlatform.kafkaAs(Service.PATIENT_INDEX.principal), "patient-index-acl-" + UUID.randomUUID(),
                Topics.MPI_LINKS.topic)).isInstanceOf(TopicAuthorizationException.class);
    }

    @Test
    void aServiceWritesAndReadsItsOwnDeadLettersOnlyAndWritesNoTopicItConsumes() {
        KafkaClients billing = TestPlatform.kafkaAs(Service.BILLING.principal);
        assertThat(sendFailure(billing, Service.BILLING.deadLetterTopic())).isNull();
        assertThat(readFailure(billing, Service.BILLING.deadLetterTopic())).isNull();

        assertThat(sendFailure(billing, Service.PATIENT_INDEX.deadLetterTopic())).isInstanceOf(TopicAuthorizationException.class);
        assertThat(readFailure(billing, Service.CERTIFICATES.deadLetterTopic())).isInstanceOf(TopicAuthorizationException.class);
        assertThat(readFailure(billing, Service.INGESTION.deadLetterTopic())).isInstanceOf(TopicAuthorizationException.class);
        // the admin's shared topic is no service's, and a replay goes back to the loop, never onto a consumed topic
        assertThat(sendFailure(billing, Topics.DEAD_LETTER.topic)).isInstanceOf(TopicAuthorizationException.class);
        assertThat(sendFailure(billing, Topics.CARE.topic)).isInstanceOf(TopicAuthorizationException.class);
        assertThat(sendFailure(TestPlatform.kafkaAs(Service.INGESTION.principal), Topics.PROVIDER_RECORDS.topic))
                .isInstanceOf(TopicAuthorizationException.class);
        // and the same reads by the topic's own service pass
        assertThat(readFailure(TestPlatform.kafkaAs(Service.CERTIFICATES.principal), Service.CERTIFICATES.deadLetterTopic())).isNull();
    }
}
