package io.calsync.oauth;

import static io.calsync.contract.testing.ContractAssertions.assertMatchesKafkaSchema;
import static io.calsync.contract.testing.ContractAssertions.assertMatchesOpenApi;
import static io.calsync.oauth.support.Browser.newGoogleAccount;
import static io.calsync.oauth.support.Browser.newUser;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.kafka.CloudEventHeaders;
import io.calsync.contract.testing.MutableClock;
import io.calsync.oauth.support.Browser;
import io.calsync.oauth.support.GoogleTestSupport;
import io.calsync.oauth.support.KafkaRecords;
import io.calsync.oauth.support.OAuthServiceTest;
import io.calsync.oauth.support.Tokens;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Real answers and real Kafka values of this service checked against the contract in shared-model:
 * the OpenAPI document for HTTP bodies, the JSON Schemas for Kafka messages.
 */
@OAuthServiceTest
class ContractApplicationTests {

  @Autowired WebTestClient web;
  @Autowired MutableClock clock;
  private Browser browser;

  @BeforeEach
  void newBrowser() {
    browser = new Browser(web);
  }

  @Test
  void httpAnswersMatchTheOpenApiDocument() {
    String user = newUser();
    String email = newGoogleAccount();
    UUID id = browser.connect(user, email);

    assertMatchesOpenApi(
        "GET", ApiPaths.AUTHORIZE, 200, body(asUser(user).get().uri(ApiPaths.AUTHORIZE), 200));
    assertMatchesOpenApi(
        "GET",
        ApiPaths.AUTHORIZE,
        400,
        body(asUser(user).get().uri(ApiPaths.AUTHORIZE + "?return_to=//evil"), 400));
    assertMatchesOpenApi(
        "GET", ApiPaths.CONNECTIONS, 200, body(asUser(user).get().uri(ApiPaths.CONNECTIONS), 200));
    assertMatchesOpenApi(
        "GET", ApiPaths.CONNECTIONS, 401, body(web.get().uri(ApiPaths.CONNECTIONS), 401));
    assertMatchesOpenApi(
        "DELETE",
        ApiPaths.CONNECTION,
        404,
        body(asUser(newUser()).delete().uri(ApiPaths.CONNECTION, id), 404));
    assertMatchesOpenApi(
        "POST",
        ApiPaths.INTERNAL_ACCESS_TOKEN,
        200,
        body(asService().post().uri(ApiPaths.INTERNAL_ACCESS_TOKEN, id), 200));
    assertMatchesOpenApi(
        "POST",
        ApiPaths.INTERNAL_ACCESS_TOKEN,
        404,
        body(asService().post().uri(ApiPaths.INTERNAL_ACCESS_TOKEN, UUID.randomUUID()), 404));

    GoogleTestSupport.revokeGrants(email);
    clock.advance(Duration.ofMinutes(59));
    assertMatchesOpenApi(
        "POST",
        ApiPaths.INTERNAL_ACCESS_TOKEN,
        409,
        body(asService().post().uri(ApiPaths.INTERNAL_ACCESS_TOKEN, id), 409));
  }

  @Test
  void kafkaValuesMatchTheirSchemas() {
    String user = newUser();
    String email = newGoogleAccount();
    UUID id = browser.connect(user, email);
    GoogleTestSupport.revokeGrants(email);
    clock.advance(Duration.ofMinutes(59));
    browser.internalAccessToken(id).expectStatus().isEqualTo(409);
    clock.reset();
    asUser(user).delete().uri(ApiPaths.CONNECTION, id).exchange().expectStatus().isNoContent();

    for (ConsumerRecord<String, String> record : KafkaRecords.await(id.toString(), 3)) {
      assertMatchesKafkaSchema(KafkaRecords.header(record, CloudEventHeaders.TYPE), record.value());
    }
  }

  private WebTestClient asUser(String user) {
    return web.mutate()
        .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.user(user))
        .build();
  }

  private WebTestClient asService() {
    return web.mutate()
        .defaultHeader(HttpHeaders.AUTHORIZATION, "Bearer " + Tokens.service("calendar.tokens"))
        .build();
  }

  private static String body(WebTestClient.RequestHeadersSpec<?> request, int status) {
    return request
        .exchange()
        .expectStatus()
        .isEqualTo(status)
        .expectBody(String.class)
        .returnResult()
        .getResponseBody();
  }
}
