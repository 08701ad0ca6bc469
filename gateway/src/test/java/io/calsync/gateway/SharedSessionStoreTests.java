package io.calsync.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Sessions in Redis ({@code GATEWAY_SESSION_STORE=redis}) with a real {@code redis-server}: a
 * sign-in begun at one gateway instance completes at another, either instance serves the session,
 * and the session outlives the instance that made it.
 */
class SharedSessionStoreTests {

  static MockOAuth2Server issuer;
  static StubUpstream oauth;
  static RedisServerProcess redis;

  @BeforeAll
  static void start() throws IOException {
    redis = RedisServerProcess.start();
    issuer = new MockOAuth2Server();
    issuer.start();
    oauth = new StubUpstream("oauth-service");
  }

  @AfterAll
  static void stop() {
    if (oauth != null) {
      oauth.close();
      issuer.shutdown();
    }
    if (redis != null) {
      redis.close();
    }
  }

  static ConfigurableApplicationContext gateway() {
    return new SpringApplicationBuilder(GatewayApplication.class)
        .run(
            "--server.port=0",
            "--management.server.port=0",
            "--calsync.session.store=redis",
            "--spring.data.redis.port=" + redis.port,
            "--OIDC_ISSUER_URI=" + issuer.issuerUrl("dev"),
            "--OAUTH_SERVICE_URL=" + oauth.baseUrl());
  }

  static String url(ConfigurableApplicationContext gateway, String path) {
    int port = ((WebServerApplicationContext) gateway).getWebServer().getPort();
    return "http://localhost:" + port + path;
  }

  String signedInUser(TestBrowser browser, ConfigurableApplicationContext gateway) {
    oauth.reset();
    HttpResponse<String> answer = browser.get(url(gateway, "/api/calendar/connections/"));
    assertThat(answer.statusCode()).isEqualTo(200);
    return BackendForFrontendApplicationTests.subject(oauth.requests().get(0).authorization());
  }

  @Test
  void aSessionIsSharedByTwoInstancesAndOutlivesARestart() throws IOException {
    ConfigurableApplicationContext first = gateway();
    ConfigurableApplicationContext second = gateway();
    TestBrowser browser = new TestBrowser();
    try {
      issuer.enqueueCallback(
          new DefaultOAuth2TokenCallback(
              "dev", "henry", "JWT", List.of("calendar"), Map.of(), 3600));
      // the sign-in starts at the first instance...
      HttpResponse<String> start = browser.get(url(first, "/oauth2/authorization/calendar"));
      HttpResponse<String> atIssuer =
          browser.get(start.headers().firstValue("Location").orElseThrow());
      URI callback = URI.create(atIssuer.headers().firstValue("Location").orElseThrow());
      // ...and the issuer's answer reaches the second, as a load balancer may send it
      String atSecond = url(second, callback.getRawPath() + "?" + callback.getRawQuery());
      List<HttpResponse<String>> landed = browser.navigate(atSecond);
      assertThat(landed.get(landed.size() - 1).statusCode()).isEqualTo(200);
      assertThat(redis.command("DBSIZE")).isNotEqualTo(":0");

      assertThat(signedInUser(browser, first)).isEqualTo("henry");
      assertThat(signedInUser(browser, second)).isEqualTo("henry");
    } finally {
      second.close();
    }

    first.close();
    ConfigurableApplicationContext restarted = gateway();
    try {
      assertThat(signedInUser(browser, restarted)).isEqualTo("henry");
    } finally {
      restarted.close();
    }
  }
}
