package io.calsync.localstack;

import static io.calsync.localstack.SystemClient.clientCredentials;
import static io.calsync.localstack.SystemClient.connect;
import static io.calsync.localstack.SystemClient.encode;
import static io.calsync.localstack.SystemClient.gateway;
import static io.calsync.localstack.SystemClient.json;
import static io.calsync.localstack.SystemClient.newGoogleAccount;
import static io.calsync.localstack.SystemClient.post;
import static io.calsync.localstack.SystemClient.settings;
import static io.calsync.localstack.SystemClient.token;
import static io.calsync.localstack.SystemClient.userToken;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * OWASP API Security Top 10 (2023) API5, Broken Function Level Authorization: the internal token
 * API, which hands out Google access tokens, serves sync-service's own service token alone; no user
 * token reaches it, whatever scope it asked for, and the gateway never routes it.
 */
@Order(15)
@ExtendWith(SystemStack.class)
class Api5BrokenFunctionLevelAuthorizationSystemTests {

  private static String connectionId;
  private static String internal;

  @BeforeAll
  static void someoneHasAConnection() throws Exception {
    connectionId = connect(userToken("victim-" + UUID.randomUUID()), newGoogleAccount());
    internal =
        "http://localhost:"
            + settings().oauthPort()
            + "/internal/v1/connections/"
            + connectionId
            + "/access-token";
  }

  @Test
  void aWebClientUserTokenThatAskedForTheInternalScopeIs403() throws Exception {
    String webToken =
        token(
            "grant_type=password&username=mallory&password=x&client_id=calendar-web&scope="
                + encode("openid calendar calendar.tokens"));

    assertForbidden(post(internal, webToken));
  }

  @Test
  void aUserNamedLikeTheServiceThroughTheServicesClientIdIs403() throws Exception {
    String lookalike =
        token(
            "grant_type=password&username=sync-service&password=x&client_id=sync-service&scope="
                + encode("calendar.tokens"));

    assertForbidden(post(internal, lookalike));
  }

  @Test
  void anotherClientsServiceTokenIs403() throws Exception {
    assertForbidden(post(internal, clientCredentials("reporting-job")));
  }

  @Test
  void syncServicesOwnServiceTokenIs200() throws Exception {
    HttpResponse<String> granted = post(internal, clientCredentials("sync-service"));

    assertThat(granted.statusCode()).isEqualTo(200);
    String googleAccessToken = json(granted).get("access_token").asString();
    assertThat(googleAccessToken).isNotBlank();
    SystemClient.SECRETS.add(googleAccessToken);
  }

  @Test
  void theGatewayNeverRoutesTheInternalApi() throws Exception {
    String throughGateway = gateway("/internal/v1/connections/" + connectionId + "/access-token");

    // a user's token finds nothing there; the gateway accepts no service token at all
    assertThat(post(throughGateway, userToken("alice")).statusCode()).isEqualTo(404);
    HttpResponse<String> service = post(throughGateway, clientCredentials("sync-service"));
    assertThat(service.statusCode()).isEqualTo(401);
    assertThat(service.body()).doesNotContain("access_token");
  }

  private static void assertForbidden(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(json(response).get("code").asString()).isEqualTo("forbidden");
    assertThat(response.body()).doesNotContain("access_token");
  }
}
