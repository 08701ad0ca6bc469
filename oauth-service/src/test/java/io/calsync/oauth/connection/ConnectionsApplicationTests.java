package io.calsync.oauth.connection;

import static io.calsync.oauth.support.Browser.newGoogleAccount;
import static io.calsync.oauth.support.Browser.newUser;
import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.kafka.CloudEventHeaders;
import io.calsync.contract.kafka.ConnectionDisconnected;
import io.calsync.contract.kafka.ConnectionMessage;
import io.calsync.oauth.support.Browser;
import io.calsync.oauth.support.GoogleTestSupport;
import io.calsync.oauth.support.KafkaRecords;
import io.calsync.oauth.support.OAuthServiceTest;
import io.calsync.oauth.support.Tokens;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.test.StepVerifier;

@OAuthServiceTest
class ConnectionsApplicationTests {

  @Autowired WebTestClient web;
  @Autowired DatabaseClient db;
  private Browser browser;

  @BeforeEach
  void newBrowser() {
    browser = new Browser(web);
  }

  @AfterEach
  void clearFaults() {
    GoogleTestSupport.clearFaults();
  }

  @Test
  void shouldListOnlyTheCallersConnections() {
    String user = newUser();
    UUID first = browser.connect(user, newGoogleAccount());
    UUID second = browser.connect(user, newGoogleAccount());
    browser.connect(newUser(), newGoogleAccount());

    web.get()
        .uri("/api/calendar/connections/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.user(user))
        .exchange()
        .expectStatus()
        .isOk()
        .expectBody()
        .jsonPath("$.connections.length()")
        .isEqualTo(2)
        .jsonPath("$.connections[0].id")
        .isEqualTo(first.toString())
        .jsonPath("$.connections[1].id")
        .isEqualTo(second.toString())
        .jsonPath("$.connections[0].status")
        .isEqualTo("active")
        .jsonPath("$.connections[0].provider")
        .isEqualTo("google")
        .jsonPath("$.connections[0].created_at")
        .isNotEmpty()
        .jsonPath("$.connections[0].updated_at")
        .isNotEmpty();
  }

  @Test
  void whenDeletedThenTheGrantIsRevokedTheTokensDestroyedAndTheDisconnectAnnounced() {
    String user = newUser();
    UUID id = browser.connect(user, newGoogleAccount());
    String accessToken = browser.accessToken(id).accessToken();
    assertThat(GoogleTestSupport.userInfoStatus(accessToken)).isEqualTo(200);

    delete(user, id).expectStatus().isNoContent().expectBody().isEmpty();

    web.get()
        .uri("/api/calendar/connections/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.user(user))
        .exchange()
        .expectBody()
        .json("{\"connections\":[]}");
    assertThat(GoogleTestSupport.userInfoStatus(accessToken))
        .isEqualTo(401); // the grant is gone at Google
    tokenRows(id).as(StepVerifier::create).expectNext(0L).verifyComplete();
    browser.internalAccessToken(id).expectStatus().isNotFound();
    delete(user, id).expectStatus().isNotFound();

    List<ConsumerRecord<String, String>> records = KafkaRecords.await(id.toString(), 2);
    ConsumerRecord<String, String> last = records.get(records.size() - 1);
    assertThat(KafkaRecords.header(last, CloudEventHeaders.TYPE))
        .isEqualTo("connection.disconnected");
    ConnectionMessage message =
        CalendarJson.mapper().readValue(last.value(), ConnectionMessage.class);
    assertThat(message).isInstanceOf(ConnectionDisconnected.class);
    assertThat(message.connectionId()).isEqualTo(id);
    assertThat(message.userId()).isEqualTo(user);
  }

  @Test
  void whenDeletedInATraceThenTheDisconnectIsPublishedInThatTrace() {
    String user = newUser();
    UUID id = browser.connect(user, newGoogleAccount());
    String traceId = UUID.randomUUID().toString().replace("-", "");
    String callerSpanId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);

    web.delete()
        .uri("/api/calendar/connections/{id}/", id)
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.user(user))
        .header("traceparent", "00-" + traceId + "-" + callerSpanId + "-01")
        .exchange()
        .expectStatus()
        .isNoContent();

    // written with the request's trace, published later by the relay in that same trace
    db.sql("select traceparent from outbox where message_key = :key and type = :type")
        .bind("key", id.toString())
        .bind("type", "connection.disconnected")
        .map(row -> row.get("traceparent", String.class))
        .one()
        .as(StepVerifier::create)
        .assertNext(traceparent -> assertThat(traceparent).startsWith("00-" + traceId + "-"))
        .verifyComplete();
    List<ConsumerRecord<String, String>> records = KafkaRecords.await(id.toString(), 2);
    assertThat(KafkaRecords.header(records.get(0), "traceparent"))
        .doesNotContain(traceId); // the connect: another request, another trace
    ConsumerRecord<String, String> disconnected = records.get(1);
    assertThat(KafkaRecords.header(disconnected, CloudEventHeaders.TYPE))
        .isEqualTo("connection.disconnected");
    assertThat(KafkaRecords.header(disconnected, "traceparent"))
        .matches("00-" + traceId + "-[0-9a-f]{16}-01");
  }

  @Test
  void whenAnotherUserDeletesTheConnectionThen404AndNothingChanges() {
    String owner = newUser();
    UUID id = browser.connect(owner, newGoogleAccount());

    delete(newUser(), id)
        .expectStatus()
        .isNotFound()
        .expectBody()
        .jsonPath("$.code")
        .isEqualTo("not_found");

    web.get()
        .uri("/api/calendar/connections/")
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.user(owner))
        .exchange()
        .expectBody()
        .jsonPath("$.connections.length()")
        .isEqualTo(1);
    tokenRows(id).as(StepVerifier::create).expectNext(1L).verifyComplete();
  }

  @Test
  void whenGoogleCannotRevokeThenTheConnectionIsStillRemovedLocally() {
    String user = newUser();
    UUID id = browser.connect(user, newGoogleAccount());
    GoogleTestSupport.fault("revoke", 503, 10);

    delete(user, id).expectStatus().isNoContent();

    tokenRows(id).as(StepVerifier::create).expectNext(0L).verifyComplete();
    browser.internalAccessToken(id).expectStatus().isNotFound();
  }

  @Test
  void whenAccountIsConnectedAgainAfterADisconnectThenItIsANewConnection() {
    String user = newUser();
    String email = newGoogleAccount();
    UUID first = browser.connect(user, email);
    delete(user, first).expectStatus().isNoContent();

    UUID second = browser.connect(user, email);

    assertThat(second).isNotEqualTo(first);
    browser.accessToken(second);
  }

  private org.springframework.test.web.reactive.server.WebTestClient.ResponseSpec delete(
      String user, UUID id) {
    return web.delete()
        .uri("/api/calendar/connections/{id}/", id)
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.user(user))
        .exchange();
  }

  private reactor.core.publisher.Mono<Long> tokenRows(UUID id) {
    return db.sql("select count(*) as n from connection_tokens where connection_id = :id")
        .bind("id", id)
        .map(r -> r.get("n", Long.class))
        .one();
  }
}
