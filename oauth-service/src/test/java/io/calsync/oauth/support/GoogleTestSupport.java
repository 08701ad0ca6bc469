package io.calsync.oauth.support;

import io.calsync.emulator.EmulatorOptions;
import io.calsync.emulator.GoogleEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The in-process Google emulator, started once per test JVM, and the moves a browser and a Google
 * user make against it, over real HTTP (JDK client, redirects not followed).
 */
public final class GoogleTestSupport {

  private static GoogleEmulator emulator;
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private GoogleTestSupport() {}

  public static synchronized GoogleEmulator emulator() {
    if (emulator == null) {
      emulator =
          GoogleEmulator.start(
              EmulatorOptions.defaults().withRedirectUris(TestInfrastructure.REDIRECT_URI));
      Runtime.getRuntime().addShutdownHook(new Thread(emulator::close));
    }
    return emulator;
  }

  public static String baseUrl() {
    return emulator().baseUrl();
  }

  /**
   * Follows the authorization URL as the Google user {@code email} who consents at once, and
   * returns the query of Google's redirect back to the platform (code, state, scope, ...).
   */
  public static Map<String, String> consent(String authorizationUrl, String email) {
    HttpResponse<String> response =
        send(
            HttpRequest.newBuilder(URI.create(authorizationUrl + "&login_hint=" + encode(email)))
                .GET());
    if (response.statusCode() != 302) {
      throw new IllegalStateException(
          "Consent answered " + response.statusCode() + ": " + response.body());
    }
    String location = response.headers().firstValue("Location").orElseThrow();
    return UriComponentsBuilder.fromUriString(location)
        .build()
        .getQueryParams()
        .toSingleValueMap()
        .entrySet()
        .stream()
        .collect(
            java.util.stream.Collectors.toMap(
                Map.Entry::getKey,
                e -> java.net.URLDecoder.decode(e.getValue(), StandardCharsets.UTF_8)));
  }

  /**
   * As when the user removes the app in their Google account: refresh tokens answer invalid_grant.
   */
  public static void revokeGrants(String email) {
    expect(204, send(post("/emulator/v1/accounts/" + encode(email) + "/revoke-grants", "")));
  }

  public static void fault(String operation, int status, int times) {
    String body =
        "{\"operation\":\""
            + operation
            + "\",\"status\":"
            + status
            + ",\"reason\":\"backendError\",\"times\":"
            + times
            + ",\"delay_ms\":0}";
    expect(201, send(post("/emulator/v1/faults", body)));
  }

  /**
   * The next {@code times} calls of {@code operation} are answered normally, {@code millis} late.
   */
  public static void delay(String operation, int millis, int times) {
    String body =
        "{\"operation\":\""
            + operation
            + "\",\"status\":0,\"times\":"
            + times
            + ",\"delay_ms\":"
            + millis
            + "}";
    expect(201, send(post("/emulator/v1/faults", body)));
  }

  public static void clearFaults() {
    expect(
        204, send(HttpRequest.newBuilder(URI.create(baseUrl() + "/emulator/v1/faults")).DELETE()));
  }

  /**
   * The emulator's answer to a userinfo call with this access token (200 while the grant lives).
   */
  public static int userInfoStatus(String accessToken) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/userinfo"))
            .header("Authorization", "Bearer " + accessToken)
            .GET())
        .statusCode();
  }

  /** How many requests the emulator counted for an operation (token, revoke, userinfo, ...). */
  public static long requests(String operation) {
    String body =
        send(HttpRequest.newBuilder(URI.create(baseUrl() + "/emulator/v1/stats")).GET()).body();
    var json = tools.jackson.databind.json.JsonMapper.builder().build().readTree(body);
    var node = json.path("requests").path(operation);
    return node.isMissingNode() ? 0 : node.asLong();
  }

  private static HttpRequest.Builder post(String path, String json) {
    return HttpRequest.newBuilder(URI.create(baseUrl() + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
  }

  private static void expect(int status, HttpResponse<String> response) {
    if (response.statusCode() != status) {
      throw new IllegalStateException(
          "Emulator answered " + response.statusCode() + ": " + response.body());
    }
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return HTTP.send(
          request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
