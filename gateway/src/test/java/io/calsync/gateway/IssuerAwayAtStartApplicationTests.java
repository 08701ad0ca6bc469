package io.calsync.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.testing.ContractAssertions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A gateway started while its OIDC issuer is away (root README, decision 47): it starts and serves
 * what needs no issuer, answers a sign-in with a 503 problem until the issuer is back, then signs
 * in. The gateway reaches the issuer at {@code 127.0.0.1} and the browser at {@code localhost}
 * ({@code OIDC_PUBLIC_ISSUER_URI}), as in the compose file, where the two names differ.
 */
@GatewayTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IssuerAwayAtStartApplicationTests {

  static final int issuerPort = freePort();
  static final String internalIssuer = "http://127.0.0.1:" + issuerPort + "/dev";
  static final String publicIssuer = "http://localhost:" + issuerPort + "/dev";
  static final StubUpstream oauth = new StubUpstream("oauth-service");
  static final StubUpstream sync = new StubUpstream("sync-service");
  static final StubUpstream query = new StubUpstream("events-query-service");
  static final MockOAuth2Server issuer = new MockOAuth2Server();

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    registry.add("OIDC_ISSUER_URI", () -> internalIssuer);
    registry.add("OIDC_PUBLIC_ISSUER_URI", () -> publicIssuer);
    registry.add("OAUTH_SERVICE_URL", oauth::baseUrl);
    registry.add("SYNC_SERVICE_URL", sync::baseUrl);
    registry.add("QUERY_SERVICE_URL", query::baseUrl);
  }

  @AfterAll
  static void stop() {
    oauth.close();
    sync.close();
    query.close();
    issuer.shutdown();
  }

  @LocalServerPort int port;

  String gateway(String path) {
    return "http://localhost:" + port + path;
  }

  @Test
  @Order(1)
  void whileTheIssuerIsAwayTheGatewayServesThePageAndAnswersASignInWith503() {
    TestBrowser browser = new TestBrowser();
    assertThat(browser.get(gateway("/")).statusCode()).isEqualTo(200);
    HttpResponse<String> session = browser.get(gateway("/auth/session"));
    assertThat(session.statusCode()).isEqualTo(200);
    assertThat(session.body()).isEqualTo("{\"signed_in\":false}");

    HttpResponse<String> signIn = browser.get(gateway("/oauth2/authorization/calendar"));
    assertThat(signIn.statusCode()).isEqualTo(503);
    ContractAssertions.assertProblem(
        signIn.body(), 503, "upstream_unavailable", "/oauth2/authorization/calendar");
  }

  @Test
  @Order(2)
  void onceTheIssuerIsBackTheBrowserSignsInAtItsPublicAddress() {
    issuer.start(InetAddress.getLoopbackAddress(), issuerPort);
    issuer.enqueueCallback(
        new DefaultOAuth2TokenCallback("dev", "alice", "JWT", List.of("calendar"), Map.of(), 3600));
    TestBrowser browser = new TestBrowser();

    List<HttpResponse<String>> hops = browser.navigate(gateway("/oauth2/authorization/calendar"));

    URI authorize = hops.get(1).uri();
    assertThat(authorize.toString()).startsWith(publicIssuer + "/authorize");
    HttpResponse<String> landed = hops.get(hops.size() - 1);
    assertThat(landed.uri().getPath()).isEqualTo("/");
    assertThat(landed.statusCode()).isEqualTo(200);
    assertThat(landed.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(
            csp -> assertThat(csp).contains("form-action 'self' http://localhost:" + issuerPort));
    assertThat(browser.get(gateway("/auth/session")).body()).contains("\"sub\":\"alice\"");

    // the session's token, obtained at the address the gateway reaches, goes on to the services
    assertThat(browser.get(gateway("/api/calendar/connections/")).statusCode()).isEqualTo(200);
    assertThat(oauth.requests())
        .singleElement()
        .satisfies(r -> assertThat(r.authorization()).startsWith("Bearer "));
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
