package kz.ehr.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import kz.ehr.events.kafka.KafkaPrincipals;
import kz.ehr.local.Databases;

/**
 * Gives a Quarkus test the real broker, logged in as the service's own Kafka principal (so its ACLs hold in the
 * tests as in production), and a fresh database, opened as its login role and migrated as its owner.
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
        Map<String, String> config = new HashMap<>(TestPlatform.kafkaServiceConfig(service()));
        String url = TestPlatform.freshDatabase(database);
        Databases.ServiceRoles roles = TestPlatform.roles(database);
        // as in production: the service connects as its login role (DML only) and migrates as the owner
        config.putAll(Map.of(
                "quarkus.datasource.jdbc.url", url,
                "quarkus.datasource.username", roles.login(),
                "quarkus.datasource.password", roles.loginPassword(),
                "quarkus.flyway.username", roles.owner(),
                "quarkus.flyway.password", roles.ownerPassword()));
        // staff tokens: the service trusts this JVM's generated test key
        config.put("mp.jwt.verify.publickey.location", TestTokens.publicKeyFile().toString());
        return config;
    }

    /** The service under test, by the {@code quarkus.application.name} of the application.properties on the class path. */
    private static KafkaPrincipals.Service service() {
        Properties app = new Properties();
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream("application.properties")) {
            if (in == null) {
                throw new IllegalStateException("no application.properties on the test class path");
            }
            app.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return KafkaPrincipals.Service.ofApplication(app.getProperty("quarkus.application.name"));
    }

    @Override
    public void stop() {
        // the broker and database live for the whole JVM and are shut down by its hooks
    }
}
