package io.calsync.localstack;

import static io.calsync.localstack.FaultSuite.emulator;
import static io.calsync.localstack.FaultSuite.googleToken;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.GZIPInputStream;
import tools.jackson.databind.JsonNode;

/**
 * The emulator's paging alone, the ceiling of sync-service's reading: every page of the given
 * accounts' primary calendars over HTTP, asked for as sync-service's full sync asks (maxResults
 * 2500, Google's maximum, {@code timeMin} 30 days back, {@code singleEvents=false}, {@code
 * showDeleted=false}, gzip accepted as the Java client does), each page parsed for its items and
 * next page token, nothing published. As many calendars at a time as the stack's sync workers take.
 */
final class PagingCeiling {

  /** sync-service's {@code calsync.sync.events-page-size}: Google's maximum for events.list. */
  static final int PAGE_SIZE = 2500;

  /** sync-service's {@code worker-concurrency} (4) on each of the stack's instances. */
  static final int CONCURRENCY = 4 * SystemStack.INSTANCES;

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private PagingCeiling() {}

  record Result(long events, long pages, Duration elapsed) {
    double perSecond() {
      return events / (elapsed.toNanos() / 1e9);
    }
  }

  static Result measure(List<String> accounts) throws Exception {
    Map<String, String> tokens = new LinkedHashMap<>();
    for (String account : accounts) {
      tokens.put(account, googleToken(account));
    }
    String timeMin =
        DateTimeFormatter.ISO_INSTANT.format(
            Instant.now().minus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MILLIS));
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(accounts.size(), CONCURRENCY));
    try {
      long start = System.nanoTime();
      List<Future<long[]>> calendars = new ArrayList<>();
      tokens.forEach(
          (account, token) -> calendars.add(pool.submit(() -> pageAll(account, token, timeMin))));
      long events = 0;
      long pages = 0;
      for (Future<long[]> calendar : calendars) {
        long[] counted = calendar.get();
        events += counted[0];
        pages += counted[1];
      }
      return new Result(events, pages, Duration.ofNanos(System.nanoTime() - start));
    } finally {
      pool.shutdownNow();
    }
  }

  /** Every page of one calendar: its item and page counts. */
  private static long[] pageAll(String account, String token, String timeMin) {
    long events = 0;
    long pages = 0;
    String pageToken = null;
    do {
      String url =
          emulator(
              "/calendar/v3/calendars/"
                  + SystemClient.encode(account)
                  + "/events?maxResults="
                  + PAGE_SIZE
                  + "&showDeleted=false&singleEvents=false&timeMin="
                  + timeMin
                  + (pageToken == null ? "" : "&pageToken=" + SystemClient.encode(pageToken)));
      JsonNode page = get(url, token);
      events += page.path("items").size();
      pages++;
      pageToken = page.path("nextPageToken").asString(null);
    } while (pageToken != null && !pageToken.isBlank());
    return new long[] {events, pages};
  }

  private static JsonNode get(String url, String token) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .header("Authorization", "Bearer " + token)
            .header("Accept-Encoding", "gzip")
            .timeout(Duration.ofSeconds(30))
            .GET()
            .build();
    try {
      HttpResponse<InputStream> response =
          HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        throw new IllegalStateException("events.list answered " + response.statusCode());
      }
      boolean gzip = response.headers().firstValue("Content-Encoding").orElse("").contains("gzip");
      try (InputStream body = gzip ? new GZIPInputStream(response.body()) : response.body()) {
        return SystemClient.JSON.readTree(body);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
