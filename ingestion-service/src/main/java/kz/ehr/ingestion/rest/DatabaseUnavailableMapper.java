package kz.ehr.ingestion.rest;

import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import org.jboss.logging.Logger;

import kz.ehr.ingestion.config.IngestionConfig;

/** A failed database call on a read or ops endpoint answers 503 with Retry-After, as a problem, not a bare 500. */
@Provider
public class DatabaseUnavailableMapper implements ExceptionMapper<java.sql.SQLException> {
    private static final Logger LOG = Logger.getLogger(DatabaseUnavailableMapper.class);

    @Inject
    IngestionConfig config;

    @Override
    public Response toResponse(java.sql.SQLException e) {
        LOG.warnf("database call failed: SQLState %s", e.getSQLState());
        return Problems.unavailable(config, "DATABASE_UNAVAILABLE", "the service's database is unavailable; retry later");
    }
}
