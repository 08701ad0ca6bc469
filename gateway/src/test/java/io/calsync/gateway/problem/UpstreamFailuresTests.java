package io.calsync.gateway.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

class UpstreamFailuresTests {

  @Test
  void shouldRecogniseTimeoutsOfTheLimiterAndOfTheHttpClient() {
    assertThat(UpstreamFailures.isTimeout(new TimeoutException("limiter"))).isTrue();
    assertThat(UpstreamFailures.isTimeout(new ResponseStatusException(HttpStatus.GATEWAY_TIMEOUT)))
        .isTrue();
    assertThat(UpstreamFailures.isTimeout(new IllegalStateException(new TimeoutException())))
        .isTrue();
  }

  @Test
  void shouldNotTakeOtherFailuresForTimeouts() {
    assertThat(UpstreamFailures.isTimeout(new ConnectException("refused"))).isFalse();
    assertThat(
            UpstreamFailures.isTimeout(new ResponseStatusException(HttpStatus.SERVICE_UNAVAILABLE)))
        .isFalse();
    assertThat(
            UpstreamFailures.hasCause(
                new IllegalStateException(new ConnectException()), java.io.IOException.class))
        .isTrue();
  }
}
