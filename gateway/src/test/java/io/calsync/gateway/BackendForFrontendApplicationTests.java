package io.calsync.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.OAuth2Error;
import com.nimbusds.oauth2.sdk.TokenRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Exception;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenCallback;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The web client's backend-for-frontend, as a browser meets it: sign-in at the issuer with PKCE,
 * the tokens kept at the gateway and relayed to the services, only an HttpOnly SameSite session
 * cookie in the browser, CSRF protection on state-changing requests, sign-out at the issuer, and
 * API clients' bearer tokens unchanged beside it.
 */
@GatewayTest
class BackendForFrontendApplicationTests {

  static final StubPlatform platform = StubPlatform.start();
  static final MockOAuth2Server issuer = platform.issuer;
  static final StubUpstream oauth = platform.oauth;
  static final StubUpstream sync = platform.sync;
  static final StubUpstream query = platform.query;

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry registry) {
    platform.register(registry);
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  @LocalServerPort int port;

  @BeforeEach
  void reset() {
    platform.reset();
  }

  String gateway(String path) {
    return "http://localhost:" + port + path;
  }

  /** Signs {@code user} in as a browser does; the access token lives {@code expiry} seconds. */
  List<HttpResponse<String>> signIn(TestBrowser browser, String user, long expiry) {
    issuer.enqueueCallback(
        new DefaultOAuth2TokenCallback("dev", user, "JWT", List.of("calendar"), Map.of(), expiry));
    return browser.navigate(gateway("/oauth2/authorization/calendar"));
  }

  static String subject(String authorization) {
    assertThat(authorization).startsWith("Bearer ");
    try {
      return SignedJWT.parse(authorization.substring("Bearer ".length()))
          .getJWTClaimsSet()
          .getSubject();
    } catch (ParseException e) {
      throw new AssertionError("not a JWT: " + e.getMessage());
    }
  }

  @Test
  void theSignInIsAnAuthorizationCodeFlowWithPkceAndLeavesOnlyAnHttpOnlySameSiteCookie() {
    TestBrowser browser = new TestBrowser();
    // an earlier visit: the session the sign-in starts in
    browser.get(gateway("/"));
    List<HttpResponse<String>> hops = signIn(browser, "alice", 3600);

    URI authorize = hops.get(1).uri();
    assertThat(authorize.toString()).startsWith(issuer.authorizationEndpointUrl("dev").toString());
    Map<String, String> query =
        UriComponentsBuilder.fromUri(authorize).build().getQueryParams().toSingleValueMap();
    assertThat(query)
        .containsEntry("response_type", "code")
        .containsEntry("client_id", "calendar-web")
        .containsEntry("code_challenge_method", "S256")
        .containsKeys("code_challenge", "state", "nonce");
    assertThat(query.get("scope")).contains("openid").contains("calendar");

    HttpResponse<String> landed = hops.get(hops.size() - 1);
    assertThat(landed.uri().getPath()).isEqualTo("/");
    assertThat(landed.statusCode()).isEqualTo(200);
    String sessionCookie =
        hops.stream()
            .flatMap(hop -> hop.headers().allValues("Set-Cookie").stream())
            .filter(c -> c.startsWith("CALSYNC_SESSION="))
            .reduce((first, last) -> last)
            .orElseThrow();
    assertThat(sessionCookie)
        .containsIgnoringCase("; HttpOnly")
        .contains("SameSite=Lax")
        .contains("Path=/");

    HttpResponse<String> me = browser.get(gateway("/auth/session"));
    assertThat(me.statusCode()).isEqualTo(200);
    assertThat(me.body()).contains("\"signed_in\":true").contains("\"sub\":\"alice\"");
    assertThat(me.headers().firstValue("Cache-Control"))
        .hasValueSatisfying(v -> assertThat(v).contains("no-store"));
  }

  @Test
  void theSignInGivesANewSessionIdSoAPlantedOneIsWorthless() {
    // the attacker starts a sign-in and so holds a session id...
    TestBrowser attacker = new TestBrowser();
    attacker.get(gateway("/oauth2/authorization/calendar"));
    String planted = attacker.cookie("CALSYNC_SESSION");
    assertThat(planted).isNotBlank();
    // ...which the victim's browser is made to use when it signs in
    TestBrowser victim = new TestBrowser();
    victim.setCookie(gateway("/"), "CALSYNC_SESSION", planted);
    signIn(victim, "victim", 3600);

    assertThat(victim.cookie("CALSYNC_SESSION")).isNotNull().isNotEqualTo(planted);
    assertThat(victim.get(gateway("/auth/session")).body()).contains("\"sub\":\"victim\"");
    assertThat(attacker.get(gateway("/auth/session")).body()).isEqualTo("{\"signed_in\":false}");
  }

  @Test
  void theServicesGetTheSessionsAccessTokenAndNeverTheGatewaysCookies() {
    TestBrowser browser = new TestBrowser();
    signIn(browser, "carol", 3600);
    browser.setCookie(gateway("/"), "calsync_oauth_flow", "binding-value");

    HttpResponse<String> connections = browser.get(gateway("/api/calendar/connections/"));
    assertThat(connections.statusCode()).isEqualTo(200);

    StubUpstream.Recorded reached = oauth.requests().get(0);
    assertThat(subject(reached.authorization())).isEqualTo("carol");
    assertThat(reached.cookie())
        .contains("calsync_oauth_flow=binding-value")
        .doesNotContain("CALSYNC_SESSION")
        .doesNotContain("XSRF-TOKEN");
    // the browser saw neither the access token nor the ID or refresh token
    String accessToken = reached.authorization().substring("Bearer ".length());
    browser.assertNeverSaw(accessToken);
    browser.assertNeverSaw(accessToken.substring(accessToken.lastIndexOf('.') + 1));
  }

  @Test
  void aStateChangingRequestWithoutTheCsrfTokenIsRefusedAndWithItGoesThrough() {
    TestBrowser browser = new TestBrowser();
    signIn(browser, "dave", 3600);
    String csrf = browser.cookie("XSRF-TOKEN");
    assertThat(csrf).isNotBlank();

    HttpResponse<String> without = browser.post(gateway("/api/calendar/sync/"), "{}");
    assertThat(without.statusCode()).isEqualTo(403);
    assertThat(without.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(without.body()).contains("X-XSRF-TOKEN");
    HttpResponse<String> forged =
        browser.post(gateway("/api/calendar/sync/"), "{}", "X-XSRF-TOKEN", "forged-" + csrf);
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(sync.requests()).isEmpty();

    HttpResponse<String> with =
        browser.post(gateway("/api/calendar/sync/"), "{}", "X-XSRF-TOKEN", csrf);
    assertThat(with.statusCode()).isEqualTo(200);
    assertThat(sync.requests()).singleElement();
  }

  @Test
  void googlesNotificationsNeedNoCsrfToken() {
    TestBrowser google = new TestBrowser();
    HttpResponse<String> notification =
        google.post(gateway("/api/calendar/google/notifications/"), "");
    assertThat(notification.statusCode()).isEqualTo(200);
    assertThat(sync.requests()).singleElement();
  }

  @Test
  void withoutASessionTheApiIsA401ProblemAndTheSessionSaysSignedOut() {
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> answer = browser.get(gateway("/api/calendar/connections/"));
    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(oauth.requests()).isEmpty();

    HttpResponse<String> session = browser.get(gateway("/auth/session"));
    assertThat(session.statusCode()).isEqualTo(200);
    assertThat(session.body()).isEqualTo("{\"signed_in\":false}");
  }

  @Test
  void apiClientsKeepTheirBearerTokensAndGetNoSession() {
    TestBrowser client = new TestBrowser();
    String token = issuer.issueToken("dev", "erin", "calendar", Map.of(), 3600).serialize();
    HttpResponse<String> answer =
        client.send(
            HttpRequest.newBuilder(URI.create(gateway("/api/calendar/sync/")))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .header("Authorization", "Bearer " + token));
    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(sync.requests().get(0).authorization()).isEqualTo("Bearer " + token);
    assertThat(answer.headers().allValues("Set-Cookie")).isEmpty();
  }

  @Test
  void anExpiredAccessTokenIsRefreshedBeforeItIsRelayed() {
    TestBrowser browser = new TestBrowser();
    // within Spring's 60 s clock skew: already expired as far as the gateway is concerned
    signIn(browser, "frank", 30);
    drain();
    issuer.enqueueCallback(
        new DefaultOAuth2TokenCallback("dev", "frank", "JWT", List.of("calendar"), Map.of(), 3600));

    assertThat(browser.get(gateway("/api/calendar/connections/")).statusCode()).isEqualTo(200);

    assertThat(subject(oauth.requests().get(0).authorization())).isEqualTo("frank");
    RecordedRequest refresh = issuer.takeRequest(5, TimeUnit.SECONDS);
    assertThat(refresh).isNotNull();
    assertThat(refresh.getPath()).endsWith("/token");
    assertThat(refresh.getBody().readUtf8()).contains("grant_type=refresh_token");
  }

  @Test
  void aSessionWhoseTokenCannotBeRenewedIsA401SoThePageSignsInAgain() {
    TestBrowser browser = new TestBrowser();
    signIn(browser, "ivan", 30);
    // the issuer refuses the refresh: the grant was revoked or the refresh token expired
    issuer.enqueueCallback(
        new FailingGrant(
            () -> new OAuth2Exception(OAuth2Error.INVALID_GRANT, "the grant was revoked")));

    HttpResponse<String> answer = browser.get(gateway("/api/calendar/connections/"));

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
    assertThat(answer.body()).contains("sign in again");
    assertThat(oauth.requests()).isEmpty();
  }

  @Test
  void anIssuerThatFailsToRenewATokenIsA503() {
    TestBrowser browser = new TestBrowser();
    signIn(browser, "judy", 30);
    issuer.enqueueCallback(new FailingGrant(() -> new IllegalStateException("issuer broken")));

    HttpResponse<String> answer = browser.get(gateway("/api/calendar/connections/"));

    assertThat(answer.statusCode()).isEqualTo(503);
    assertThat(answer.body()).contains("The sign-in service is unavailable.");
    assertThat(oauth.requests()).isEmpty();
  }

  @Test
  void aSignInThatCannotCompleteLandsOnTheDashboardWhichSaysSo() {
    TestBrowser browser = new TestBrowser();
    HttpResponse<String> answer =
        browser.get(gateway("/login/oauth2/code/calendar?code=stale&state=unknown"));
    assertThat(answer.statusCode()).isEqualTo(302);
    assertThat(answer.headers().firstValue("Location")).hasValue("/?sign_in=failed");
  }

  @Test
  void signingOutEndsTheSessionHereAndAtTheIssuer() {
    TestBrowser browser = new TestBrowser();
    signIn(browser, "grace", 3600);
    String session = browser.cookie("CALSYNC_SESSION");

    HttpResponse<String> withoutToken = browser.post(gateway("/logout"), "");
    assertThat(withoutToken.statusCode()).isEqualTo(403);

    HttpResponse<String> out =
        browser.send(
            HttpRequest.newBuilder(URI.create(gateway("/logout")))
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + browser.cookie("XSRF-TOKEN")))
                .header("Content-Type", "application/x-www-form-urlencoded"));
    assertThat(out.statusCode()).isEqualTo(302);
    String location = out.headers().firstValue("Location").orElseThrow();
    assertThat(location).startsWith(issuer.endSessionEndpointUrl("dev").toString());
    assertThat(location).contains("id_token_hint=").contains("post_logout_redirect_uri=");

    TestBrowser replay = new TestBrowser();
    replay.setCookie(gateway("/"), "CALSYNC_SESSION", session);
    assertThat(replay.get(gateway("/auth/session")).body()).isEqualTo("{\"signed_in\":false}");
    assertThat(replay.get(gateway("/api/calendar/connections/")).statusCode()).isEqualTo(401);
  }

  /**
   * The issuer failing a token request: an {@link OAuth2Exception} is its OAuth error answer (400
   * {@code invalid_grant} for a grant it no longer honours), anything else a 500.
   */
  static final class FailingGrant implements OAuth2TokenCallback {
    private final Supplier<RuntimeException> failure;

    FailingGrant(Supplier<RuntimeException> failure) {
      this.failure = failure;
    }

    @Override
    public String issuerId() {
      return "dev";
    }

    @Override
    public String subject(TokenRequest request) {
      throw failure.get();
    }

    @Override
    public String typeHeader(TokenRequest request) {
      return "JWT";
    }

    @Override
    public List<String> audience(TokenRequest request) {
      return List.of("calendar");
    }

    @Override
    public Map<String, Object> addClaims(TokenRequest request) {
      return Map.of();
    }

    @Override
    public long tokenExpiry() {
      return 3600;
    }
  }

  /** Forgets the requests the issuer has seen so far (it throws when there is none left). */
  private static void drain() {
    try {
      for (; ; ) {
        issuer.takeRequest(50, TimeUnit.MILLISECONDS);
      }
    } catch (RuntimeException none) {
      // no request left
    }
  }
}
