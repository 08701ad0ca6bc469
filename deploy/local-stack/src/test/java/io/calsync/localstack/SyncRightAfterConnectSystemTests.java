package io.calsync.localstack;

import static io.calsync.localstack.SystemClient.connectWithoutWaiting;
import static io.calsync.localstack.SystemClient.gateway;
import static io.calsync.localstack.SystemClient.json;
import static io.calsync.localstack.SystemClient.newGoogleAccount;
import static io.calsync.localstack.SystemClient.send;
import static io.calsync.localstack.SystemClient.userToken;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Read-your-writes across services: a user who clicks "Sync now" the moment the callback redirected
 * them is never told the connection does not exist, whether or not sync-service has consumed its
 * {@code connection.connected} yet (it asks oauth-service about an id it has not heard of).
 */
@Order(35)
@ExtendWith(SystemStack.class)
class SyncRightAfterConnectSystemTests {

  @RepeatedTest(6)
  void syncNowRightAfterTheCallbackIsAccepted() throws Exception {
    String user = userToken("eager-" + UUID.randomUUID());
    String connectionId = connectWithoutWaiting(user, newGoogleAccount());

    HttpResponse<String> sync =
        send(
            "POST",
            gateway("/api/calendar/sync/"),
            user,
            "{\"connection_id\":\"" + connectionId + "\"}");

    assertThat(sync.statusCode()).as(sync.body()).isEqualTo(202);
    assertThat(json(sync).get("requested").get(0).get("connection_id").asString())
        .isEqualTo(connectionId);
  }
}
