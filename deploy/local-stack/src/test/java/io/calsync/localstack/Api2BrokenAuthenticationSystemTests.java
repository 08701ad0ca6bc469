package io.calsync.localstack;

import static io.calsync.localstack.SystemClient.authorizationUrl;
import static io.calsync.localstack.SystemClient.browser;
import static io.calsync.localstack.SystemClient.consent;
import static io.calsync.localstack.SystemClient.gateway;
import static io.calsync.localstack.SystemClient.get;
import static io.calsync.localstack.SystemClient.json;
import static io.calsync.localstack.SystemClient.newGoogleAccount;
import static io.calsync.localstack.SystemClient.send;
import static io.calsync.localstack.SystemClient.settings;
import static io.calsync.localstack.SystemClient.userToken;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OWASP API Security Top 10 (2023) API2, Broken Authentication: every API request needs a valid
 * user JWT of our issuer and audience, and the open OAuth callback is bound to the browser that
 * started the flow (RFC 9700 §4.7, account-linking CSRF).
 */
@Order(12)
@ExtendWith(SystemStack.class)
class Api2BrokenAuthenticationSystemTests {

  private static final List<String> API =
      List.of(
          "/api/calendar/google/authorize/",
          "/api/calendar/connections/",
          "/api/calendar/calendars/",
          "/api/calendar/sync/status/",
          "/api/calendar/events/upcoming/",
          "/api/calendar/events/stream/");

  @Test
  void aFlowStartedByOneUserCannotAttachTheCalendarOfWhoeverConsentsInAnotherBrowser()
      throws Exception {
    // mallory starts a flow and sends the Google link to a victim, whose browser has no session
    // here
    // and none of mallory's cookies
    String mallory = userToken("mallory-" + UUID.randomUUID());
    HttpClient mallorysBrowser = browser();
    HttpClient victimsBrowser = browser();
    String link = authorizationUrl(mallorysBrowser, mallory);

    String callback = consent(victimsBrowser, link, newGoogleAccount());
    HttpResponse<String> back = get(victimsBrowser, callback, null);

    assertThat(back.statusCode()).isEqualTo(302);
    assertThat(back.headers().firstValue("Location").orElseThrow())
        .isEqualTo(settings().gatewayUrl() + "/settings?calendar=error&reason=invalid_state");
    assertThat(back.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    // nor can mallory replay the victim's redirect from her own browser, which holds the cookie
    HttpResponse<String> replay = get(mallorysBrowser, callback, null);
    assertThat(replay.headers().firstValue("Location").orElseThrow())
        .contains("reason=invalid_state");
    assertThat(json(get(gateway("/api/calendar/connections/"), mallory)).get("connections"))
        .isEmpty();
    assertThat(json(get(gateway("/api/calendar/events/upcoming/?days=14"), mallory)).get("events"))
        .isEmpty();
  }

  @Test
  void withoutATokenEveryApiAnswers401Problem() throws Exception {
    for (String path : API) {
      assertUnauthorized(get(gateway(path), null), path);
    }
    assertUnauthorized(send("POST", gateway("/api/calendar/sync/"), null, "{}"), "POST sync");
  }

  @Test
  void aGarbageForgedOrUnsignedTokenIs401() throws Exception {
    String real = userToken("alice");
    String[] parts = real.split("\\.");
    String forgedClaims =
        parts[0]
            + "."
            + base64Url(
                "{\"sub\":\"someone-else\",\"aud\":[\"calendar\"],\"iss\":\""
                    + settings().issuerUri()
                    + "\",\"exp\":4102444800}")
            + "."
            + parts[2];
    String unsigned = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".";
    String otherSignature = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();
    for (String token : List.of("garbage", forgedClaims, unsigned, otherSignature)) {
      for (String path : API) {
        assertUnauthorized(get(gateway(path), token), path);
      }
    }
  }

  @Test
  void aServiceTokenIsNoUserToken() throws Exception {
    String service = SystemClient.clientCredentials("sync-service");
    for (String path : API) {
      assertUnauthorized(get(gateway(path), service), path);
    }
  }

  @Test
  void aCallbackWithoutStateOrWithAnUnknownOneConnectsNothing() throws Exception {
    for (String query :
        List.of("", "?code=4/abc", "?code=4/abc&state=unknown", "?error=access_denied&state=x")) {
      HttpResponse<String> back = get(gateway("/api/calendar/google/callback/" + query), null);
      assertThat(back.statusCode()).as(query).isEqualTo(302);
      assertThat(back.headers().firstValue("Location").orElseThrow())
          .as(query)
          .contains("calendar=error");
    }
  }

  private static void assertUnauthorized(HttpResponse<String> response, String what) {
    assertThat(response.statusCode()).as(what).isEqualTo(401);
    assertThat(json(response).get("code").asString()).as(what).isEqualTo("unauthorized");
  }

  private static String base64Url(String json) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
