package io.calsync.sync.support;

import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.calendar.Calendar;
import io.calsync.contract.json.CalendarJson;
import io.calsync.emulator.EmulatorOptions;
import io.calsync.emulator.GoogleEmulator;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The in-process Google emulator plus its admin API, as the tests use it. */
public final class Google implements AutoCloseable {

  private static final JsonMapper JSON = CalendarJson.mapper();

  private final GoogleEmulator emulator;
  private final HttpClient http = HttpClient.newHttpClient();

  private Google(GoogleEmulator emulator) {
    this.emulator = emulator;
  }

  static Google start() {
    return new Google(
        GoogleEmulator.start(
            EmulatorOptions.defaults().withRedirectUris(OAuthServiceStandIn.REDIRECT_URI)));
  }

  /** {@code http://localhost:<port>}, no trailing slash. */
  public String baseUrl() {
    return emulator.baseUrl();
  }

  public String rootUrl() {
    return baseUrl() + "/";
  }

  /** Creates the account (idempotent); its primary calendar id is the e-mail. */
  public void account(String email) {
    admin("POST", "/emulator/v1/accounts", Map.of("email", email));
  }

  public int seed(String email, String calendarId, int events, int days) {
    JsonNode n =
        admin(
            "POST",
            "/emulator/v1/accounts/" + enc(email) + "/seed",
            Map.of("calendar_id", calendarId, "events", events, "days", days));
    return n.get("created").asInt();
  }

  public String accessToken(String email) {
    return admin("POST", "/emulator/v1/accounts/" + enc(email) + "/access-token", null)
        .get("access_token")
        .asString();
  }

  public void fault(String operation, int status, String reason, int times) {
    admin(
        "POST",
        "/emulator/v1/faults",
        Map.of(
            "operation",
            operation,
            "status",
            status,
            "reason",
            reason,
            "times",
            times,
            "delay_ms",
            0));
  }

  public void slowFault(String operation, int status, String reason, int times, int delayMs) {
    admin(
        "POST",
        "/emulator/v1/faults",
        Map.of(
            "operation",
            operation,
            "status",
            status,
            "reason",
            reason,
            "times",
            times,
            "delay_ms",
            delayMs));
  }

  /**
   * Subscribes the account to another account's calendar with {@code accessRole} ({@code reader},
   * {@code freeBusyReader}, {@code writer}); {@code refusesPush}: Google answers {@code
   * events.watch} on that calendar with 400 {@code pushNotSupportedForRequestedResource}.
   */
  public void subscribe(String email, String calendarId, String accessRole, boolean refusesPush) {
    admin(
        "POST",
        "/emulator/v1/accounts/" + enc(email) + "/subscriptions",
        Map.of("calendar_id", calendarId, "access_role", accessRole, "refuses_push", refusesPush));
  }

  public void clearFaults() {
    admin("DELETE", "/emulator/v1/faults", null);
  }

  public void invalidateSyncTokens(String calendarId) {
    admin("POST", "/emulator/v1/calendars/" + enc(calendarId) + "/invalidate-sync-tokens", null);
  }

  /**
   * As when the user removes the app in their Google account: every token of the account stops
   * working.
   */
  public void revokeGrants(String email) {
    admin("POST", "/emulator/v1/accounts/" + enc(email) + "/revoke-grants", null);
  }

  public int requests(String operation) {
    JsonNode n = admin("GET", "/emulator/v1/stats", null).get("requests");
    return n == null || n.get(operation) == null ? 0 : n.get(operation).asInt();
  }

  /** The real Google client acting as the user (to create, change and delete events). */
  public Calendar calendarAs(String email) {
    String token = accessToken(email);
    return new Calendar.Builder(
            new NetHttpTransport(),
            GsonFactory.getDefaultInstance(),
            r -> r.getHeaders().setAuthorization("Bearer " + token))
        .setRootUrl(rootUrl())
        .setApplicationName("sync-service-tests")
        .build();
  }

  private JsonNode admin(String method, String path, Object body) {
    try {
      var builder =
          HttpRequest.newBuilder(URI.create(baseUrl() + path))
              .header("Content-Type", "application/json");
      builder.method(
          method,
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
      HttpResponse<String> res = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      if (res.statusCode() >= 300) {
        throw new IllegalStateException(
            method + " " + path + " → " + res.statusCode() + " " + res.body());
      }
      return res.body() == null || res.body().isBlank()
          ? JSON.createObjectNode()
          : JSON.readTree(res.body());
    } catch (java.io.IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("%40", "@");
  }

  @Override
  public void close() {
    emulator.close();
  }
}
