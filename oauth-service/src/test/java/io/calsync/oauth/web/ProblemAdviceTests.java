package io.calsync.oauth.web;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.IOException;
import java.net.URI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import reactor.netty.channel.AbortedException;
import reactor.test.StepVerifier;

/**
 * The catch-all of {@link ProblemAdvice}: a caller that closed the connection before the answer is
 * a DEBUG line (path only) and nothing written; anything else stays an ERROR with its stack trace
 * and a 500 problem.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProblemAdviceTests {

  private final ProblemAdvice advice = new ProblemAdvice();
  private final MockServerWebExchange exchange =
      MockServerWebExchange.from(
          MockServerHttpRequest.get("/api/calendar/connections/?secret=query-value"));

  private final Logger log = (Logger) LoggerFactory.getLogger(ProblemAdvice.class);
  private Level level;

  @BeforeEach
  void logAtDebug() {
    level = log.getLevel();
    log.setLevel(Level.DEBUG);
  }

  @AfterEach
  void restoreLevel() {
    log.setLevel(level);
  }

  @Test
  void whenTheCallerClosedTheConnectionThenOneDebugLineAndNothingWritten(CapturedOutput output) {
    Mono<?> answer = advice.unexpected(AbortedException.beforeSend(), exchange);

    assertThat(output.getOut() + output.getErr())
        .doesNotContain("ERROR")
        .doesNotContain("AbortedException")
        .doesNotContain("\tat ")
        .contains("DEBUG")
        .contains("Client closed the connection before the answer on /api/calendar/connections/")
        .doesNotContain("query-value");
    StepVerifier.create(answer).verifyComplete();
    assertThat(exchange.getResponse().getStatusCode()).isNull();
  }

  @Test
  void whenTheConnectionWasResetUnderAWrapperThenNoErrorEither(CapturedOutput output) {
    Exception reset = new IllegalStateException(new IOException("Connection reset by peer"));

    Mono<?> answer = advice.unexpected(reset, exchange);

    assertThat(output.getOut() + output.getErr()).doesNotContain("ERROR").doesNotContain("\tat ");
    StepVerifier.create(answer).verifyComplete();
  }

  @Test
  void whenSomethingUnexpectedHappensThenAnErrorWithItsStackTraceAnd500(CapturedOutput output) {
    StepVerifier.create(advice.unexpected(new IllegalStateException("a bug"), exchange))
        .assertNext(
            answer -> {
              assertThat(answer.getStatusCode().value()).isEqualTo(500);
              assertThat(answer.getHeaders().getContentType())
                  .isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
              ProblemDetail problem = (ProblemDetail) answer.getBody();
              assertThat(problem.getProperties()).containsEntry("code", "internal_error");
              assertThat(problem.getDetail()).isEqualTo("An unexpected error occurred.");
            })
        .verifyComplete();

    assertThat(output.getOut() + output.getErr())
        .contains("ERROR")
        .contains("Unexpected error on /api/calendar/connections/")
        .contains("java.lang.IllegalStateException: a bug")
        .contains("\tat ");
  }

  @Test
  void aLostConnectionToADependencyIsNotTheCallerLeaving() {
    Exception toGoogle =
        new WebClientRequestException(
            new IOException("Connection reset by peer"),
            HttpMethod.GET,
            URI.create("https://oauth2.googleapis.com/token"),
            new HttpHeaders());

    assertThat(ProblemAdvice.isClientGone(toGoogle)).isFalse();
    assertThat(ProblemAdvice.isClientGone(new IOException("disk full"))).isFalse();
    assertThat(ProblemAdvice.isClientGone(new IOException("Broken pipe"))).isTrue();
    assertThat(ProblemAdvice.isClientGone(new AbortedException("Connection closed"))).isTrue();
  }
}
