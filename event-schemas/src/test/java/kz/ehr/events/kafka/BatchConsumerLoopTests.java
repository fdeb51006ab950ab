package kz.ehr.events.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;

/** Which failures are an outage to wait out, and which mark a message as poison. */
class BatchConsumerLoopTests {

    @Test
    void lostConnectionsAreOutagesWhereverTheyAreWrapped() {
        assertThat(BatchConsumerLoop.isInfrastructureOutage(new RuntimeException(new SQLException("gone", "08006")))).isTrue();
        assertThat(BatchConsumerLoop.isInfrastructureOutage(new IllegalStateException(new ConnectException("refused")))).isTrue();
        assertThat(BatchConsumerLoop.isInfrastructureOutage(new SQLTransientConnectionException("pool timeout"))).isTrue();
        assertThat(BatchConsumerLoop.isInfrastructureOutage(new SQLException("shutting down", "57P01"))).isTrue();
        assertThat(BatchConsumerLoop.isInfrastructureOutage(new SQLException("too many connections", "53300"))).isTrue();
    }

    @Test
    void dataErrorsAreNotOutages() {
        assertThat(BatchConsumerLoop.isInfrastructureOutage(new SQLException("value too long", "22001"))).isFalse();
        assertThat(BatchConsumerLoop.isInfrastructureOutage(new SQLException("not null violation", "23502"))).isFalse();
        assertThat(BatchConsumerLoop.isInfrastructureOutage(new NullPointerException())).isFalse();
    }

    @Test
    void aTransactionThatCouldNotCommitIsTakenForALostConnectionOnlyWithoutADatabaseToAsk() {
        class RollbackException extends Exception {
        }
        assertThat(BatchConsumerLoop.failedAtCommit(new IllegalStateException(new RollbackException()))).isTrue();
        assertThat(BatchConsumerLoop.failedAtCommit(new IllegalStateException("bad value"))).isFalse();
    }
}
