package io.calsync.localstack;

import static io.calsync.localstack.SystemClient.connect;
import static io.calsync.localstack.SystemClient.gateway;
import static io.calsync.localstack.SystemClient.get;
import static io.calsync.localstack.SystemClient.json;
import static io.calsync.localstack.SystemClient.newGoogleAccount;
import static io.calsync.localstack.SystemClient.send;
import static io.calsync.localstack.SystemClient.settings;
import static io.calsync.localstack.SystemClient.userToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * A grant revoked at Google, as a user who removes the app's access in their Google account: the
 * next sync meets Google's 401, sync-service asks oauth-service for a forced refresh, which meets
 * {@code invalid_grant}; the connection turns {@code reauth_required} within seconds, everywhere,
 * and "sync now" answers 409 instead of calling Google again.
 */
@Order(30)
@ExtendWith(SystemStack.class)
class RevokedGrantSystemTests {

  @Test
  void aRevokedGrantAsksTheUserToReconnectAndStopsSyncing() throws Exception {
    String user = userToken("revoker-" + UUID.randomUUID());
    String account = newGoogleAccount();
    String connectionId = connect(user, account);
    String body = "{\"connection_id\":\"" + connectionId + "\"}";

    assertThat(
            send(
                    "POST",
                    settings().emulatorUrl()
                        + "/emulator/v1/accounts/"
                        + account
                        + "/revoke-grants",
                    null,
                    "{}")
                .statusCode())
        .isBetween(200, 299);
    HttpResponse<String> sync = send("POST", gateway("/api/calendar/sync/"), user, body);
    assertThat(sync.statusCode()).isEqualTo(202);

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> state(get(gateway("/api/calendar/sync/status/"), user), "state"),
            "reauth_required"::equals);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () ->
                json(get(gateway("/api/calendar/connections/"), user))
                    .get("connections")
                    .get(0)
                    .get("status")
                    .asString(),
            "reauth_required"::equals);
    HttpResponse<String> again = send("POST", gateway("/api/calendar/sync/"), user, body);
    assertThat(again.statusCode()).isEqualTo(409);
    assertThat(json(again).get("code").asString()).isEqualTo("reauth_required");
  }

  private static String state(HttpResponse<String> status, String field) {
    JsonNode connections = json(status).get("connections");
    return connections.isEmpty() ? null : connections.get(0).get(field).asString();
  }
}
