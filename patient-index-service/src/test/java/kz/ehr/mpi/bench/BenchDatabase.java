package kz.ehr.mpi.bench;

import org.flywaydb.core.Flyway;
import org.postgresql.ds.PGSimpleDataSource;

import kz.ehr.local.Databases;

/** A fresh PostgreSQL database with the service's own Flyway migrations, outside Quarkus. */
public final class BenchDatabase {
    private BenchDatabase() {
    }

    /** {@code name} with the checkout's {@code EHR_TEST_DB_SUFFIX}, so two checkouts never drop each other's database. */
    public static PGSimpleDataSource fresh(String baseName, boolean recreate) {
        String name = baseName + kz.ehr.testsupport.TestPlatform.databaseSuffix();
        String host = env("EHR_PG_HOST", "127.0.0.1");
        int port = Integer.parseInt(env("EHR_PG_PORT", "5432"));
        String user = env("EHR_PG_USER", "postgres");
        String password = env("EHR_PG_PASSWORD", "");
        Databases.ensure(host, port, user, password, name, recreate);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL("jdbc:postgresql://" + host + ":" + port + "/" + name);
        ds.setUser(user);
        ds.setPassword(password);
        ds.setReWriteBatchedInserts(true);
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        return ds;
    }

    /** A small connection pool over the database, as the service has (Agroal), so latencies exclude connecting. */
    static javax.sql.DataSource pooled(PGSimpleDataSource ds) throws java.sql.SQLException {
        return io.agroal.api.AgroalDataSource.from(new io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(cp -> cp.maxSize(4).connectionFactoryConfiguration(cf -> cf
                        .jdbcUrl(ds.getURL())
                        .principal(new io.agroal.api.security.NamePrincipal(ds.getUser()))
                        .credential(new io.agroal.api.security.SimplePassword(ds.getPassword() == null ? "" : ds.getPassword())))));
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }
}
