package io.calsync.oauth.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.calsync.oauth.connect.ConnectService.Authorization;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.jwt.Jwt;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The binding cookie's attributes, which depend on how browsers reach the web client. */
class ConnectControllerTests {

  private final ConnectService connect = mock(ConnectService.class);
  private final Jwt jwt =
      Jwt.withTokenValue("t")
          .header("alg", "none")
          .subject("alice")
          .issuedAt(Instant.now())
          .build();

  @Test
  void whenTheWebClientIsServedOverHttpsThenTheBindingCookieIsSecure() {
    when(connect.authorize("alice", null))
        .thenReturn(
            Mono.just(new Authorization(URI.create("https://accounts.example/auth"), "binding")));

    StepVerifier.create(controller("https://calendar.example.com").authorize(jwt, null))
        .assertNext(
            answer ->
                assertThat(answer.getHeaders().getFirst(HttpHeaders.SET_COOKIE))
                    .startsWith("calsync_oauth_flow=binding;")
                    .contains(
                        "; Secure",
                        "; HttpOnly",
                        "; SameSite=Lax",
                        "; Path=/api/calendar/google/callback"))
        .verifyComplete();
  }

  @Test
  void whenTheWebClientIsServedOverHttpsThenTheClearingCookieIsSecureToo() {
    when(connect.complete(any(), any(), any(), isNull(), isNull()))
        .thenReturn(Mono.just(new CallbackResult.Connected(UUID.randomUUID(), null)));

    StepVerifier.create(
            controller("https://calendar.example.com")
                .callback("4/code", "state", null, null, "binding"))
        .assertNext(
            answer -> {
              assertThat(answer.getHeaders().getFirst(HttpHeaders.SET_COOKIE))
                  .startsWith("calsync_oauth_flow=;")
                  .contains("Max-Age=0", "; Secure");
              assertThat(answer.getHeaders().getFirst("Referrer-Policy")).isEqualTo("no-referrer");
              assertThat(answer.getHeaders().getLocation().toString())
                  .startsWith(
                      "https://calendar.example.com/settings?calendar=connected&connection_id=");
            })
        .verifyComplete();
  }

  private ConnectController controller(String webBaseUrl) {
    return new ConnectController(
        connect,
        new WebProperties(webBaseUrl, "/settings"),
        new ConnectProperties(Duration.ofMinutes(10), 5));
  }
}
