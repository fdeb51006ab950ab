package kz.ehr.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a Quarkus test the real broker and a fresh database.
 * Use as {@code @WithTestResource(value = KafkaAndPostgresResource.class, initArgs = @ResourceArg(name = "database", value = "ehr_billing_test"))}.
 */
public class KafkaAndPostgresResource implements QuarkusTestResourceLifecycleManager {
    private String database = "ehr_test";

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
    }

    @Override
    public Map<String, String> start() {
        return Map.of(
                "kafka.bootstrap.servers", TestPlatform.kafkaBootstrapServers(),
                "quarkus.datasource.jdbc.url", TestPlatform.freshDatabase(database),
                "quarkus.datasource.username", TestPlatform.pgUser(),
                "quarkus.datasource.password", TestPlatform.pgPassword());
    }

    @Override
    public void stop() {
        // the broker and database live for the whole JVM and are shut down by its hooks
    }
}
