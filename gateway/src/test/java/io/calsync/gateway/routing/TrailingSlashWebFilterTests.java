package io.calsync.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

class TrailingSlashWebFilterTests {

  private final TrailingSlashWebFilter filter = new TrailingSlashWebFilter();

  @Test
  void shouldAppendTheSlashToApiPathsAndKeepTheQuery() {
    ServerWebExchange seen =
        filterAndCapture("/api/calendar/events/upcoming?days=3&tz=Europe/Berlin");
    assertThat(seen.getRequest().getPath().value()).isEqualTo("/api/calendar/events/upcoming/");
    assertThat(seen.getRequest().getURI().getRawQuery()).isEqualTo("days=3&tz=Europe/Berlin");
    assertThat((String) seen.getAttribute(TrailingSlashWebFilter.PUBLIC_PATH_ATTR))
        .isEqualTo("/api/calendar/events/upcoming/");
  }

  @Test
  void shouldLeaveCanonicalAndNonApiPathsAlone() {
    assertThat(filterAndCapture("/api/calendar/connections/").getRequest().getPath().value())
        .isEqualTo("/api/calendar/connections/");
    assertThat(filterAndCapture("/settings").getRequest().getPath().value()).isEqualTo("/settings");
    assertThat(filterAndCapture("/assets/app.css").getRequest().getPath().value())
        .isEqualTo("/assets/app.css");
  }

  @Test
  void shouldCanonicaliseIdPaths() {
    assertThat(TrailingSlashWebFilter.canonical("/api/calendar/connections/abc"))
        .isEqualTo("/api/calendar/connections/abc/");
    assertThat(TrailingSlashWebFilter.canonical("/api/calendar/calendars/abc/"))
        .isEqualTo("/api/calendar/calendars/abc/");
  }

  private ServerWebExchange filterAndCapture(String uri) {
    MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get(uri));
    AtomicReference<ServerWebExchange> seen = new AtomicReference<>();
    filter
        .filter(
            exchange,
            ex -> {
              seen.set(ex);
              return Mono.empty();
            })
        .as(StepVerifier::create)
        .verifyComplete();
    return seen.get();
  }
}
