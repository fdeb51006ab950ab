package kz.ehr.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;

import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import kz.ehr.events.EventCodec;

/**
 * The loop's decisions that need no broker: which failures are retried, which dead-letter a message and under
 * which code, how a failure is described without patient data, and when a loop counts as ready. The loop against
 * a real broker and database: test-support's {@code BatchConsumerLoopDeliveryTests}.
 */
class BatchConsumerLoopTests {
    /** PostgreSQL's text for a duplicate key, as pgjdbc puts it in the exception message. */
    static final String DUPLICATE_IIN = "ERROR: duplicate key value violates unique constraint \"person_iin_key\"\n"
            + "  Detail: Key (iin)=(850315300019) already exists.";

    @ParameterizedTest(name = "SQL state {0} is retried, never dead-lettered")
    @ValueSource(strings = {"08006", "08001", "40001", "40P01", "40003", "55P03", "55006", "57014", "57P01", "57P03",
            "53000", "53100", "53200", "53300", "53400", "58030", "25006", "25P03"})
    void passingDatabaseConditionsAreRetriedWhereverTheyAreWrapped(String state) {
        assertThat(Failures.isTransient(new IllegalStateException(new RuntimeException(new SQLException("x", state))))).isTrue();
        assertThat(Failures.isContentFailure(new SQLException("x", state))).isFalse();
    }

    @Test
    void lostConnectionsPoolTimeoutsAndRetriableKafkaErrorsAreRetried() {
        assertThat(Failures.isTransient(new IllegalStateException(new ConnectException("refused")))).isTrue();
        assertThat(Failures.isTransient(new SQLTransientConnectionException("pool timeout"))).isTrue();
        assertThat(Failures.isTransient(new RuntimeException(new TimeoutException("no ack")))).isTrue();
        class LockAcquisitionException extends RuntimeException {
        }
        assertThat(Failures.isTransient(new RuntimeException(new LockAcquisitionException()))).isTrue();
    }

    @Test
    void constraintAndDataErrorsAreTheMessagesFaultWithAStableCode() {
        assertThat(Failures.isTransient(new SQLException(DUPLICATE_IIN, "23505"))).isFalse();
        assertThat(Failures.deadLetterCode(new RuntimeException(new SQLException(DUPLICATE_IIN, "23505")))).isEqualTo("CONSTRAINT_VIOLATION");
        assertThat(Failures.deadLetterCode(new SQLException("not null", "23502"))).isEqualTo("CONSTRAINT_VIOLATION");
        assertThat(Failures.deadLetterCode(new SQLException("value too long", "22001"))).isEqualTo("INVALID_DATA");
        assertThat(Failures.deadLetterCode(new EventCodec.UndecodableEventException("UNDECODABLE", "bad bytes"))).isEqualTo("UNDECODABLE");
        assertThat(Failures.isContentFailure(new SQLException("value too long", "22001"))).isTrue();
    }

    @Test
    void aJdbcBatchFailureIsJudgedByTheErrorItCarriesInItsNextException() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT INTO person VALUES ('850315300019') was aborted",
                "23505", new int[0]);
        batch.setNextException(new SQLException(DUPLICATE_IIN, "23505"));
        assertThat(Failures.deadLetterCode(batch)).isEqualTo("CONSTRAINT_VIOLATION");
        assertThat(Failures.redact(batch)).contains("constraint=person_iin_key").doesNotContain("850315300019");
    }

    @Test
    void anUnrecognisedFailureIsNeitherTransientNorTheContentsFault() {
        assertThat(Failures.isTransient(new NullPointerException())).isFalse();
        assertThat(Failures.isContentFailure(new NullPointerException())).isFalse();
        assertThat(Failures.deadLetterCode(new IllegalArgumentException("IIN 850315300019 unknown"))).isEqualTo("PROCESSING_FAILED");
    }

    @Test
    void aRedactedFailureKeepsClassesStateAndConstraintButNoValue() {
        RuntimeException wrapped = new RuntimeException("could not execute statement [" + DUPLICATE_IIN + "]",
                new SQLException(DUPLICATE_IIN, "23505"));
        String reason = Failures.redact(wrapped);
        assertThat(reason).isEqualTo("RuntimeException < SQLException[23505 constraint=person_iin_key]");
        assertThat(Failures.redact(new IllegalStateException("Ахметова Айгерим, +77011234567"))).isEqualTo("IllegalStateException");
        assertThat(Failures.redact(new EventCodec.UndecodableEventException("UNKNOWN_SCHEMA", "fingerprint 42")))
                .isEqualTo("UndecodableEventException[UNKNOWN_SCHEMA]");
    }

    @Test
    void aConstraintNameThatIsNotAnIdentifierIsDropped() {
        assertThat(Failures.redact(new SQLException("violates constraint \"850315 300019\"", "23514"))).isEqualTo("SQLException[23514]");
    }

    @Test
    void aTransactionThatCouldNotCommitIsTakenForALostConnectionOnlyWithoutADatabaseToAsk() {
        class RollbackException extends Exception {
        }
        assertThat(BatchConsumerLoop.failedAtCommit(new IllegalStateException(new RollbackException()))).isTrue();
        assertThat(BatchConsumerLoop.failedAtCommit(new IllegalStateException("bad value"))).isFalse();
    }

    @Test
    void aLoopIsReadyWhileItKeepsUpAndNotWhenItDiedOrStalledWithLag() {
        Instant progress = Instant.parse("2026-03-02T10:00:00Z");
        Duration stallAfter = Duration.ofSeconds(120);
        Instant soon = progress.plusSeconds(120);
        Instant late = progress.plusSeconds(121);
        assertThat(new ConsumerLoopHealth("g", true, 5, progress, null).ready(soon, stallAfter)).isTrue();
        assertThat(new ConsumerLoopHealth("g", true, 5, progress, null).ready(late, stallAfter)).isFalse();
        assertThat(new ConsumerLoopHealth("g", true, -1, progress, null).ready(late, stallAfter)).as("lag unknown").isFalse();
        assertThat(new ConsumerLoopHealth("g", true, 0, progress, null).ready(late, stallAfter)).as("idle").isTrue();
        assertThat(new ConsumerLoopHealth("g", false, 0, progress, "Error").ready(soon, stallAfter)).as("dead").isFalse();
        assertThat(new ConsumerLoopHealth("g", true, 5, progress, null).secondsSinceProgress(late)).isEqualTo(121);
    }
}
