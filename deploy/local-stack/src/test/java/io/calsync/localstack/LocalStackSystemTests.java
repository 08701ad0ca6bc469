package io.calsync.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.json.CalendarJson;
import io.calsync.contract.kafka.CloudEventHeaders;
import io.calsync.contract.kafka.Topics;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The README's walk-through against the whole local stack, acting only as a user would (through
 * the gateway and the Google emulator's consent) and as a downstream Kafka consumer would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackSystemTests {

  private static final Logger log = LoggerFactory.getLogger(LocalStackSystemTests.class);
  private static final JsonMapper JSON = CalendarJson.mapper();
  private static final HttpClient HTTP = browser();

  private static LocalStack stack;
  private static LocalStackSettings settings;
  private static String userToken;
  private static String connectionId;
  /** Every secret the tests handled, which no service may ever log. */
  private static final List<String> secretsSeen = new ArrayList<>();

  @BeforeAll
  static void startStack() throws Exception {
    Map<String, String> env = new HashMap<>();
    for (String name :
        List.of(
            "GATEWAY_PORT",
            "OAUTH_SERVICE_PORT",
            "SYNC_SERVICE_PORT",
            "QUERY_SERVICE_PORT",
            "GATEWAY_MANAGEMENT_PORT",
            "OAUTH_MANAGEMENT_PORT",
            "SYNC_MANAGEMENT_PORT",
            "QUERY_MANAGEMENT_PORT",
            "GOOGLE_EMULATOR_PORT",
            "OIDC_PORT",
            "POSTGRES_PORT")) {
      env.put(name, String.valueOf(freePort()));
    }
    Path root = Path.of("../..").toAbsolutePath().normalize();
    env.put("LOCAL_STACK_DIR", root.resolve("deploy/local-stack/target/local-stack").toString());
    settings = LocalStackSettings.from(env, root);
    stack = new LocalStack(settings);
    stack.start();
  }

  @AfterAll
  static void stopStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Test
  @Order(1)
  void userConnectsGoogleThroughTheGatewayAndSeesUpcomingEvents() throws Exception {
    userToken = userToken("alice");

    // One browser (one cookie jar) does it all, as the web client does: authorize, consent, callback.
    String authorizationUrl = authorizationUrl(HTTP, userToken);
    String callback = consent(HTTP, authorizationUrl, LocalStack.DEMO_ACCOUNT);

    HttpResponse<String> back = get(HTTP, callback, null);
    long callbackAt = System.nanoTime();
    assertThat(back.statusCode()).isEqualTo(302);
    String landing = back.headers().firstValue("Location").orElseThrow();
    assertThat(landing).startsWith(settings.gatewayUrl() + "/settings?calendar=connected&connection_id=");
    connectionId = landing.substring(landing.indexOf("connection_id=") + "connection_id=".length());
    UUID.fromString(connectionId);

    JsonNode upcoming =
        await()
            .atMost(Duration.ofSeconds(90))
            .pollInterval(Duration.ofMillis(500))
            .until(
                () ->
                    JSON.readTree(
                        get(
                                settings.gatewayUrl()
                                    + "/api/calendar/events/upcoming/?limit=100&days=14&tz=Europe/Berlin",
                                userToken)
                            .body()),
                body -> body.has("events") && hasTitle(body.get("events"), "Team sync"));
    log.info(
        "Upcoming events visible {} ms after the callback", (System.nanoTime() - callbackAt) / 1_000_000);

    List<JsonNode> events = new ArrayList<>();
    upcoming.get("events").forEach(events::add);
    assertThat(events).allSatisfy(e -> assertThat(e.get("connection_id").asString()).isEqualTo(connectionId));
    assertThat(events).extracting(e -> e.get("status").asString()).doesNotContain("cancelled");
    List<JsonNode> teamSync = events.stream().filter(e -> "Team sync".equals(e.get("title").asString())).toList();
    // The next Monday's instance was moved to Tuesday 15:00 and the one after it was cancelled.
    LocalDate monday = LocalDate.now(DemoCalendar.ZONE).with(TemporalAdjusters.next(DayOfWeek.MONDAY));
    assertThat(teamSync)
        .anySatisfy(e -> assertThat(e.get("start").asString()).startsWith(monday.plusDays(1) + "T15:00:00+0"))
        .noneSatisfy(e -> assertThat(e.get("start").asString()).startsWith(monday.toString()))
        .noneSatisfy(e -> assertThat(e.get("start").asString()).startsWith(monday.plusWeeks(1).toString()));
    assertThat(teamSync).allSatisfy(e -> assertThat(e.get("recurring_event_id").isNull()).isFalse());
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.get("title").asString()).isEqualTo("Company offsite");
              assertThat(e.get("all_day").asBoolean()).isTrue();
              assertThat(e.get("start").asString()).matches("\\d{4}-\\d{2}-\\d{2}");
            });
  }

  @Test
  @Order(2)
  void theConnectionIsListedAndOtherUsersSeeNothing() throws Exception {
    JsonNode connections =
        JSON.readTree(get(settings.gatewayUrl() + "/api/calendar/connections/", userToken).body());
    assertThat(connections.get("connections")).hasSize(1);
    assertThat(connections.get("connections").get(0).get("status").asString()).isEqualTo("active");
    assertThat(connections.get("connections").get(0).get("account_email").asString())
        .isEqualTo(LocalStack.DEMO_ACCOUNT);

    JsonNode bobs =
        JSON.readTree(
            get(settings.gatewayUrl() + "/api/calendar/events/upcoming/?days=14", userToken("bob")).body());
    assertThat(bobs.get("events")).isEmpty();
  }

  @Test
  @Order(3)
  void downstreamConsumersReadTheChangesWithCloudEventsHeaders() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrapServers());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "system-test-" + UUID.randomUUID());
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    List<ConsumerRecord<String, String>> records = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
      consumer.subscribe(List.of(Topics.CONNECTIONS, Topics.EVENT_CHANGES));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
                return types(records).containsAll(
                    List.of("connection.connected", "calendar.upserted", "calendar.snapshot_started",
                        "event.upserted", "calendar.snapshot_completed"));
              });
    }
    assertThat(records)
        .allSatisfy(
            r -> {
              assertThat(r.key()).isEqualTo(connectionId);
              assertThat(header(r, CloudEventHeaders.SPEC_VERSION)).isEqualTo("1.0");
              assertThat(header(r, CloudEventHeaders.ID)).isNotBlank();
              assertThat(header(r, CloudEventHeaders.SOURCE)).isNotBlank();
              assertThat(header(r, CloudEventHeaders.TIME)).isNotBlank();
              assertThat(header(r, CloudEventHeaders.TYPE))
                  .isEqualTo(JSON.readTree(r.value()).get("type").asString());
              assertThat(r.value()).doesNotContain("ya29.").doesNotContain("1//");
            });
  }

  @Test
  @Order(4)
  void aFlowStartedByOneUserCannotAttachTheCalendarOfWhoeverConsentsInAnotherBrowser() throws Exception {
    // RFC 9700 §4.7 account-linking CSRF: mallory starts a flow and sends the Google link to a victim,
    // whose browser has no session here and none of mallory's cookies.
    String mallory = userToken("mallory");
    HttpClient mallorysBrowser = browser();
    HttpClient victimsBrowser = browser();
    String link = authorizationUrl(mallorysBrowser, mallory);

    String callback = consent(victimsBrowser, link, LocalStack.DEMO_ACCOUNT);
    HttpResponse<String> back = get(victimsBrowser, callback, null);

    assertThat(back.statusCode()).isEqualTo(302);
    assertThat(back.headers().firstValue("Location").orElseThrow())
        .isEqualTo(settings.gatewayUrl() + "/settings?calendar=error&reason=invalid_state");
    assertThat(back.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    // nor can mallory replay the victim's redirect from her own browser, which holds the cookie
    HttpResponse<String> replay = get(mallorysBrowser, callback, null);
    assertThat(replay.headers().firstValue("Location").orElseThrow()).contains("reason=invalid_state");
    JsonNode connections =
        JSON.readTree(get(settings.gatewayUrl() + "/api/calendar/connections/", mallory).body());
    assertThat(connections.get("connections")).isEmpty();
    JsonNode events =
        JSON.readTree(get(settings.gatewayUrl() + "/api/calendar/events/upcoming/?days=14", mallory).body());
    assertThat(events.get("events")).isEmpty();
  }

  @Test
  @Order(5)
  void onlySyncServicesOwnServiceTokenReadsGoogleTokens() throws Exception {
    String internal = "http://localhost:" + settings.oauthPort() + "/internal/v1/connections/" + connectionId
        + "/access-token";
    // a user of the web client asks the issuer for the internal scope
    String webToken = token("grant_type=password&username=mallory&password=x&client_id=calendar-web&scope="
        + encode("openid calendar calendar.tokens"));
    // a user named like the service, through the service's client id
    String lookalike = token("grant_type=password&username=sync-service&password=x&client_id=sync-service&scope="
        + encode("calendar.tokens"));
    String otherClient = clientCredentials("reporting-job");
    String syncService = clientCredentials("sync-service");

    assertThat(post(internal, webToken).statusCode()).isEqualTo(403);
    assertThat(post(internal, lookalike).statusCode()).isEqualTo(403);
    assertThat(post(internal, otherClient).statusCode()).isEqualTo(403);
    HttpResponse<String> granted = post(internal, syncService);
    assertThat(granted.statusCode()).isEqualTo(200);
    String googleAccessToken = JSON.readTree(granted.body()).get("access_token").asString();
    assertThat(googleAccessToken).isNotBlank();
    secretsSeen.addAll(List.of(googleAccessToken, webToken, lookalike, otherClient, syncService));
    // and the gateway never routes the internal API: a user's token finds nothing there, and the
    // gateway accepts no service token at all
    String throughGateway = settings.gatewayUrl() + "/internal/v1/connections/" + connectionId + "/access-token";
    assertThat(post(throughGateway, userToken).statusCode()).isEqualTo(404);
    HttpResponse<String> serviceThroughGateway = post(throughGateway, syncService);
    assertThat(serviceThroughGateway.statusCode()).isEqualTo(401);
    assertThat(serviceThroughGateway.body()).doesNotContain("access_token");
  }

  @Test
  @Order(100)
  void noServiceLogsPersonalDataOrSecrets() throws Exception {
    // Runs last, over everything the tests above made the services do. User ids (the token's sub) are
    // pseudonymous and may be logged; e-mail addresses, tokens and event text may not.
    Pattern email = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
    Pattern jwt = Pattern.compile("eyJ[A-Za-z0-9_-]{8,}\\.eyJ");
    List<String> forbidden = new ArrayList<>(secretsSeen);
    forbidden.add(userToken);
    forbidden.addAll(List.of("ya29.", "1//", "Team sync", "Weekly planning", "Company offsite", "Standup #"));
    int lines = 0;
    for (String service : List.of("gateway", "oauth-service", "sync-service", "events-query-service")) {
      Path log = settings.workDirectory().resolve("logs").resolve(service + ".log");
      for (String line : Files.readAllLines(log)) {
        lines++;
        assertThat(email.matcher(line).find()).as("e-mail address in %s: %s", service, line).isFalse();
        assertThat(jwt.matcher(line).find()).as("JWT in %s: %s", service, line).isFalse();
        for (String secret : forbidden) {
          assertThat(line).as("%s logged a secret or personal data", service).doesNotContain(secret);
        }
      }
    }
    log.info("Scanned {} log lines of the four services: no e-mail, token or event text", lines);
    assertThat(lines).isGreaterThan(100);
  }

  /** A browser of its own: a cookie jar, and redirects left to the test. */
  private static HttpClient browser() {
    return HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
        .build();
  }

  /** {@code GET /api/calendar/google/authorize/} from {@code browser}, as the web client's fetch does. */
  private static String authorizationUrl(HttpClient browser, String token) throws Exception {
    HttpResponse<String> authorize =
        get(browser, settings.gatewayUrl() + "/api/calendar/google/authorize/?return_to=/settings", token);
    assertThat(authorize.statusCode()).isEqualTo(200);
    String url = JSON.readTree(authorize.body()).get("authorization_url").asString();
    assertThat(url).startsWith(settings.emulatorUrl());
    return url;
  }

  /** Consent at the emulator as {@code account} in {@code browser}; answers Google's redirect back. */
  private static String consent(HttpClient browser, String authorizationUrl, String account) throws Exception {
    HttpResponse<String> consent = get(browser, authorizationUrl + "&login_hint=" + encode(account), null);
    assertThat(consent.statusCode()).isEqualTo(302);
    String callback = consent.headers().firstValue("Location").orElseThrow();
    assertThat(callback).startsWith(settings.gatewayUrl() + "/api/calendar/google/callback/");
    return callback;
  }

  private static String clientCredentials(String clientId) throws IOException, InterruptedException {
    String basic =
        Base64.getEncoder().encodeToString((clientId + ":secret").getBytes(StandardCharsets.UTF_8));
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(settings.issuerUri() + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=calendar.tokens"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return JSON.readTree(response.body()).get("access_token").asString();
  }

  private static HttpResponse<String> post(String url, String token) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + token)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> types(List<ConsumerRecord<String, String>> records) {
    return records.stream().map(r -> header(r, CloudEventHeaders.TYPE)).toList();
  }

  private static String header(ConsumerRecord<String, String> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static boolean hasTitle(JsonNode events, String title) {
    for (JsonNode event : events) {
      if (title.equals(event.get("title").asString())) {
        return true;
      }
    }
    return false;
  }

  private static String userToken(String username) throws IOException, InterruptedException {
    return token(
        "grant_type=password&username=" + username
            + "&password=x&client_id=calendar-web&scope=" + encode("openid calendar"));
  }

  private static String token(String form) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(settings.issuerUri() + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return JSON.readTree(response.body()).get("access_token").asString();
  }

  private static HttpResponse<String> get(String url, String token) throws IOException, InterruptedException {
    return get(HTTP, url, token);
  }

  private static HttpResponse<String> get(HttpClient browser, String url, String token)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).GET();
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
