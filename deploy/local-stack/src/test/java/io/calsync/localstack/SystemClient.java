package io.calsync.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.json.CalendarJson;
import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What the system tests act with: browsers (each its own cookie jar), users' and services' tokens
 * from the development issuer, Google accounts at the emulator, and plain HTTP to the gateway.
 */
final class SystemClient {

  static final JsonMapper JSON = CalendarJson.mapper();

  /** The tests' default browser. */
  static final HttpClient HTTP = browser();

  /** Every token the tests handled; no service may ever log one (PersonalDataInLogsSystemTests). */
  static final List<String> SECRETS = new CopyOnWriteArrayList<>();

  private SystemClient() {}

  static LocalStackSettings settings() {
    return SystemStack.settings();
  }

  static String gateway(String path) {
    return settings().gatewayUrl() + path;
  }

  /** A browser of its own: a cookie jar, and redirects left to the test. */
  static HttpClient browser() {
    return HttpClient.newBuilder()
        .followRedirects(HttpClient.Redirect.NEVER)
        .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  static HttpResponse<String> get(String url, String token)
      throws IOException, InterruptedException {
    return get(HTTP, url, token);
  }

  static HttpResponse<String> get(HttpClient browser, String url, String token)
      throws IOException, InterruptedException {
    return send(browser, "GET", url, token, null);
  }

  static HttpResponse<String> post(String url, String token)
      throws IOException, InterruptedException {
    return send(HTTP, "POST", url, token, null);
  }

  static HttpResponse<String> send(String method, String url, String token, String json)
      throws IOException, InterruptedException {
    return send(HTTP, method, url, token, json);
  }

  static HttpResponse<String> send(
      HttpClient browser, String method, String url, String token, String json)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return browser.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  /** A user token of the web client, as the README's walk-through gets it. */
  static String userToken(String username) throws IOException, InterruptedException {
    return token(
        "grant_type=password&username="
            + username
            + "&password=x&client_id=calendar-web&scope="
            + encode("openid calendar"));
  }

  /** A token from the development issuer for the given form. */
  static String token(String form) throws IOException, InterruptedException {
    return tokenResponse(form, null);
  }

  /** A client-credentials token of {@code clientId} (the issuer authenticates no client). */
  static String clientCredentials(String clientId) throws IOException, InterruptedException {
    String basic =
        Base64.getEncoder().encodeToString((clientId + ":secret").getBytes(StandardCharsets.UTF_8));
    return tokenResponse("grant_type=client_credentials&scope=calendar.tokens", "Basic " + basic);
  }

  private static String tokenResponse(String form, String authorization)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(settings().issuerUri() + "/token"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<String> response =
        HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    String token = JSON.readTree(response.body()).get("access_token").asString();
    SECRETS.add(token);
    return token;
  }

  /**
   * {@code GET /api/calendar/google/authorize/} from {@code browser}, as the web client's fetch
   * does.
   */
  static String authorizationUrl(HttpClient browser, String token)
      throws IOException, InterruptedException {
    HttpResponse<String> authorize =
        get(browser, gateway("/api/calendar/google/authorize/?return_to=/settings"), token);
    assertThat(authorize.statusCode()).isEqualTo(200);
    String url = json(authorize).get("authorization_url").asString();
    assertThat(url).startsWith(settings().emulatorUrl());
    return url;
  }

  /**
   * Consent at the emulator as {@code account} in {@code browser}; answers Google's redirect back.
   */
  static String consent(HttpClient browser, String authorizationUrl, String account)
      throws IOException, InterruptedException {
    HttpResponse<String> consent =
        get(browser, authorizationUrl + "&login_hint=" + encode(account), null);
    assertThat(consent.statusCode()).isEqualTo(302);
    String callback = consent.headers().firstValue("Location").orElseThrow();
    assertThat(callback).startsWith(gateway("/api/calendar/google/callback/"));
    return callback;
  }

  /** A fresh Google account at the emulator with a few events in the next days. */
  static String newGoogleAccount() throws IOException, InterruptedException {
    String email = "user-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    String emulator = settings().emulatorUrl();
    assertThat(
            send("POST", emulator + "/emulator/v1/accounts", null, "{\"email\":\"" + email + "\"}")
                .statusCode())
        .isIn(200, 201);
    assertThat(
            send(
                    "POST",
                    emulator + "/emulator/v1/accounts/" + email + "/seed",
                    null,
                    "{\"events\":5,\"days\":7}")
                .statusCode())
        .isIn(200, 201);
    return email;
  }

  /**
   * The whole connect flow in a browser of its own, as the user with {@code token}; answers the
   * connection id once sync-service lists the connection's calendars.
   */
  static String connect(String token, String account) throws IOException, InterruptedException {
    String connectionId = connectWithoutWaiting(token, account);
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .until(
            () -> {
              // a 503 while a restarted instance's route recovers is "not yet", not a failure
              HttpResponse<String> calendars = get(gateway("/api/calendar/calendars/"), token);
              return calendars.statusCode() == 200 && json(calendars).path("calendars").size() > 0;
            });
    return connectionId;
  }

  /**
   * The consent and the callback, as a browser does them; returns the connection id from the
   * callback's redirect at once, without waiting for any service to have heard of it.
   */
  static String connectWithoutWaiting(String token, String account)
      throws IOException, InterruptedException {
    HttpClient browser = browser();
    String callback = consent(browser, authorizationUrl(browser, token), account);
    HttpResponse<String> back = get(browser, callback, null);
    String landing = back.headers().firstValue("Location").orElseThrow();
    assertThat(landing).contains("calendar=connected&connection_id=");
    return landing.substring(landing.indexOf("connection_id=") + "connection_id=".length());
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
