package io.calsync.localstack.oracle;

import io.calsync.contract.json.CalendarJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What Google says, read from the emulator through the Calendar API as any client would: the
 * instances of a calendar's events in a window, expanded by Google itself ({@code
 * singleEvents=true}), cancelled ones left out.
 */
final class GoogleTruth {

  private final HttpClient http = HttpClient.newHttpClient();
  private final JsonMapper json = CalendarJson.mapper();
  private final String emulatorUrl;

  GoogleTruth(String emulatorUrl) {
    this.emulatorUrl = emulatorUrl;
  }

  /** The ids of every calendar in {@code account}'s calendar list. */
  List<String> calendars(String account) throws IOException, InterruptedException {
    String token = accessToken(account);
    List<String> ids = new ArrayList<>();
    String pageToken = null;
    do {
      String url =
          emulatorUrl
              + "/calendar/v3/users/me/calendarList?maxResults=250"
              + (pageToken == null ? "" : "&pageToken=" + encode(pageToken));
      JsonNode page =
          call(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token));
      page.path("items").forEach(item -> ids.add(item.path("id").asString()));
      pageToken =
          page.path("nextPageToken").isMissingNode() ? null : page.get("nextPageToken").asString();
    } while (pageToken != null);
    return ids;
  }

  /** Every instance of {@code calendarId} of {@code account} overlapping {@code [from, to)}. */
  List<JsonNode> instances(
      String account, String calendarId, OffsetDateTime from, OffsetDateTime to)
      throws IOException, InterruptedException {
    String token = accessToken(account);
    List<JsonNode> items = new ArrayList<>();
    String pageToken = null;
    do {
      String url =
          emulatorUrl
              + "/calendar/v3/calendars/"
              + encode(calendarId)
              + "/events?singleEvents=true&maxResults=2500&timeZone=UTC&timeMin="
              + encode(from.toString())
              + "&timeMax="
              + encode(to.toString())
              + (pageToken == null ? "" : "&pageToken=" + encode(pageToken));
      JsonNode page =
          call(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token));
      page.path("items").forEach(items::add);
      pageToken =
          page.path("nextPageToken").isMissingNode() ? null : page.get("nextPageToken").asString();
    } while (pageToken != null);
    return items;
  }

  private String accessToken(String account) throws IOException, InterruptedException {
    return call(HttpRequest.newBuilder(
                URI.create(emulatorUrl + "/emulator/v1/accounts/" + account + "/access-token"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}")))
        .get("access_token")
        .asString();
  }

  private JsonNode call(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException(
          "the emulator answered " + response.statusCode() + " to " + request.build().uri());
    }
    return json.readTree(response.body());
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
