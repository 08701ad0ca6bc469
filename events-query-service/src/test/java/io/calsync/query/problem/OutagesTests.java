package io.calsync.query.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.kafka.listener.ListenerExecutionFailedException;

class OutagesTests {

  @Test
  void whenTheDatabaseCannotBeReachedThenItIsAnOutageEvenWhenWrapped() {
    assertThat(
            Outages.isOutage(
                new DataAccessResourceFailureException("Failed to obtain R2DBC Connection")))
        .isTrue();
    assertThat(
            Outages.isOutage(
                new ListenerExecutionFailedException(
                    "listener failed",
                    new IllegalStateException("Timeout on blocking read", new TimeoutException()))))
        .isTrue();
  }

  @Test
  void whenTheDataIsWrongThenItIsNotAnOutage() {
    assertThat(Outages.isOutage(new DataIntegrityViolationException("null value in column")))
        .isFalse();
    assertThat(Outages.isOutage(new IllegalArgumentException("event.upserted without event id")))
        .isFalse();
  }
}
