package io.calsync.gateway.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.json.CalendarJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpStatus;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.netty.channel.AbortedException;
import reactor.test.StepVerifier;

/**
 * A client that closed the connection before the answer is no failure of the gateway: nothing is
 * written and nothing is logged at ERROR. Anything unknown stays an ERROR and a 500 problem.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProblemErrorWebExceptionHandlerTests {

  private final ProblemErrorWebExceptionHandler handler =
      new ProblemErrorWebExceptionHandler(new ProblemWriter(CalendarJson.mapper()));

  @Test
  void aClientThatLeftGetsNothingAndNoErrorLine(CapturedOutput output) {
    MockServerWebExchange exchange =
        MockServerWebExchange.from(MockServerHttpRequest.get("/api/calendar/events/stream/"));

    StepVerifier.create(handler.handle(exchange, AbortedException.beforeSend())).verifyComplete();

    assertThat(exchange.getResponse().getStatusCode()).isNull();
    assertThat(output.getAll()).doesNotContain("ERROR").doesNotContain("AbortedException");
  }

  @Test
  void anUnknownFailureIsStillAnErrorAndA500(CapturedOutput output) {
    MockServerWebExchange exchange =
        MockServerWebExchange.from(MockServerHttpRequest.get("/api/calendar/connections/"));

    StepVerifier.create(handler.handle(exchange, new IllegalStateException("a bug")))
        .verifyComplete();

    assertThat(exchange.getResponse().getStatusCode()).isEqualTo(HttpStatus.INTERNAL_SERVER_ERROR);
    assertThat(output.getAll()).contains("ERROR").contains("a bug");
  }
}
