package io.calsync.emulator.push;

import io.calsync.emulator.calendar.BearerAuth;
import io.calsync.emulator.calendar.CalendarData;
import io.calsync.emulator.calendar.CalendarStore;
import io.calsync.emulator.oauth.OAuthStore;
import io.calsync.emulator.oauth.Scopes;
import io.calsync.emulator.support.ApiException;
import io.calsync.emulator.support.Json;
import io.calsync.emulator.support.Requests;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.util.retry.Retry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** events.watch and channels.stop, and the notifications they cause. */
public final class PushService implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(PushService.class);
  static final long DEFAULT_TTL_SECONDS = 604800;
  static final long MAX_TTL_SECONDS = 604800;

  /**
   * As Google writes it: {@code Tue, 01 Dec 2026 10:00:00 GMT} (two-digit day, unlike RFC_1123).
   */
  static final DateTimeFormatter EXPIRATION_HEADER =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US);

  private final CalendarStore calendars;
  private final BearerAuth auth;
  private final Clock clock;
  private final String baseUrl;
  private final Map<String, Channel> channels = new ConcurrentHashMap<>();
  private final ConnectionProvider connections;
  private final HttpClient http;
  private final Disposable.Composite subscriptions = Disposables.composite();
  private final Duration firstBackoff;

  public PushService(
      CalendarStore calendars,
      BearerAuth auth,
      Clock clock,
      String baseUrl,
      Duration firstBackoff) {
    this.calendars = calendars;
    this.auth = auth;
    this.clock = clock;
    this.baseUrl = baseUrl;
    this.firstBackoff = firstBackoff;
    this.connections =
        ConnectionProvider.builder("google-emulator-push").maxConnections(50).build();
    this.http = HttpClient.create(connections).responseTimeout(Duration.ofSeconds(10));
    calendars.onEventsChanged(this::calendarChanged);
  }

  /** events.watch. */
  public Mono<ServerResponse> watch(ServerRequest request) {
    OAuthStore.AccessToken access = auth.authenticate(request, Scopes.EVENTS_READ);
    CalendarData calendar = calendars.resolve(access.email(), request.pathVariable("calendarId"));
    if (calendar.refusesPush()) {
      throw ApiException.pushNotSupported();
    }
    return Requests.json(request)
        .flatMap(
            body -> {
              Channel channel = register(calendar, access.email(), body);
              ObjectNode response = Json.object();
              response.put("kind", "api#channel");
              response.put("id", channel.id);
              response.put("resourceId", channel.resourceId);
              response.put("resourceUri", channel.resourceUri);
              if (channel.token != null) {
                response.put("token", channel.token);
              }
              response.put("expiration", Long.toString(channel.expirationMillis));
              return Json.ok(response);
            });
  }

  private Channel register(CalendarData calendar, String email, JsonNode body) {
    String id = Json.text(body, "id");
    if (id == null || id.isBlank()) {
      throw ApiException.required("id", "Required channel id.");
    }
    if (id.length() > 64 || !id.matches("[A-Za-z0-9\\-_+/=]+")) {
      throw ApiException.badRequest("invalid", "Invalid channel id.", null);
    }
    String type = Json.text(body, "type");
    if (type == null) {
      throw ApiException.required("type", "Required channel type.");
    }
    if (!type.equalsIgnoreCase("web_hook") && !type.equalsIgnoreCase("webhook")) {
      throw ApiException.badRequest("invalid", "Invalid channel type: " + type + ".", null);
    }
    String address = Json.text(body, "address");
    if (address == null || address.isBlank()) {
      throw ApiException.required("address", "Required channel address.");
    }
    URI uri;
    try {
      uri = URI.create(address);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("invalid", "Invalid channel address.", null);
    }
    // Real Google requires HTTPS with a valid certificate; the emulator allows http:// for tests.
    if (uri.getScheme() == null
        || uri.getHost() == null
        || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
      throw ApiException.badRequest(
          "push.webhookUrlNotHttps", "WebHook callback must be HTTPS: " + address, null);
    }
    String token = Json.text(body, "token");
    if (token != null && token.length() > 256) {
      throw ApiException.badRequest("invalid", "Channel token too long.", null);
    }
    long ttl = DEFAULT_TTL_SECONDS;
    JsonNode params = body.get("params");
    String ttlText = params == null ? null : Json.text(params, "ttl");
    if (ttlText != null) {
      try {
        ttl = Long.parseLong(ttlText.trim());
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("invalid", "Invalid ttl value: " + ttlText, null);
      }
      if (ttl <= 0) {
        throw ApiException.badRequest("invalid", "Invalid ttl value: " + ttlText, null);
      }
    }
    // Assumption (unconfirmed at Google): channels live at most 7 days.
    ttl = Math.min(ttl, MAX_TTL_SECONDS);
    long now = clock.millis();
    long expiration = now + ttl * 1000;
    String requested = Json.text(body, "expiration");
    if (requested != null) {
      try {
        long wanted = Long.parseLong(requested);
        if (wanted > now && wanted < expiration) {
          expiration = wanted;
        }
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("invalid", "Invalid expiration value.", null);
      }
    }
    String resourceId = resourceIdFor(calendar.id());
    String resourceUri =
        baseUrl
            + "/calendar/v3/calendars/"
            + URLEncoder.encode(calendar.id(), StandardCharsets.UTF_8).replace("%40", "@")
            + "/events?alt=json";
    Channel channel =
        new Channel(id, resourceId, resourceUri, calendar.id(), email, address, token, expiration);
    if (channels.putIfAbsent(id, channel) != null) {
      throw ApiException.badRequest("channelIdNotUnique", "Channel id " + id + " not unique", null);
    }
    subscriptions.add(
        channel
            .states
            .asFlux()
            .concatMap(state -> deliver(channel, state).onErrorResume(e -> Mono.empty()), 1)
            .subscribe());
    enqueue(channel, "sync");
    return channel;
  }

  /** A stable, version-independent id of a calendar's events collection. */
  static String resourceIdFor(String calendarId) {
    return java.util.Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(java.util.Arrays.copyOf(Sha256.sha256(calendarId), 20));
  }

  private void enqueue(Channel channel, String state) {
    synchronized (channel) {
      if (channel.stopped.get()) {
        return;
      }
      if (state.equals("sync")) {
        channel.messageNumber = 1;
      } else {
        channel.messageNumber += 1 + ThreadLocalRandom.current().nextInt(1, 4);
      }
      channel.states.tryEmitNext(state + ":" + channel.messageNumber);
    }
  }

  private void calendarChanged(CalendarData calendar) {
    long now = clock.millis();
    for (Channel channel : channels.values()) {
      if (!channel.calendarId.equals(calendar.id()) || channel.stopped.get()) {
        continue;
      }
      if (channel.expirationMillis <= now) {
        expire(channel);
        continue;
      }
      enqueue(channel, calendar.deleted() ? "not_exists" : "exists");
    }
  }

  private void expire(Channel channel) {
    if (channel.stopped.compareAndSet(false, true)) {
      channels.remove(channel.id, channel);
      channel.states.tryEmitComplete();
    }
  }

  private Mono<Void> deliver(Channel channel, String message) {
    int colon = message.indexOf(':');
    String state = message.substring(0, colon);
    String number = message.substring(colon + 1);
    if (!state.equals("sync") && channel.stopped.get()) {
      return Mono.empty();
    }
    String expiration =
        EXPIRATION_HEADER.format(
            Instant.ofEpochMilli(channel.expirationMillis).atOffset(ZoneOffset.UTC));
    return http.headers(
            h -> {
              h.set("X-Goog-Channel-ID", channel.id);
              h.set("X-Goog-Message-Number", number);
              h.set("X-Goog-Resource-ID", channel.resourceId);
              h.set("X-Goog-Resource-State", state);
              h.set("X-Goog-Resource-URI", channel.resourceUri);
              h.set("X-Goog-Channel-Expiration", expiration);
              if (channel.token != null) {
                h.set("X-Goog-Channel-Token", channel.token);
              }
              h.set(
                  "User-Agent",
                  "APIs-Google; (+https://developers.google.com/webmasters/APIs-Google.html)");
              h.set("Content-Length", "0");
              h.set("Accept", "*/*");
            })
        .post()
        .uri(channel.address)
        .responseSingle(
            (response, body) -> {
              int code = response.status().code();
              if (code == 500 || code == 502 || code == 503 || code == 504) {
                return Mono.error(new RetryableDelivery(code));
              }
              if (!(code >= 200 && code < 300) && code != 102) {
                log.debug("Push to channel {} answered {}; not retried", channel.id, code);
              }
              return Mono.<Void>empty();
            })
        .retryWhen(
            Retry.backoff(6, firstBackoff)
                .maxBackoff(Duration.ofSeconds(30))
                .filter(
                    e ->
                        e instanceof RetryableDelivery
                            || e instanceof java.io.IOException
                            || e instanceof reactor.netty.http.client.PrematureCloseException))
        .doOnError(e -> log.debug("Push to channel {} failed: {}", channel.id, e.toString()))
        .then();
  }

  /** channels.stop. */
  public Mono<ServerResponse> stop(ServerRequest request) {
    OAuthStore.AccessToken access = auth.authenticate(request, Scopes.EVENTS_READ);
    return Requests.json(request)
        .flatMap(
            body -> {
              String id = Json.text(body, "id");
              String resourceId = Json.text(body, "resourceId");
              if (id == null) {
                throw ApiException.required("id", "Required channel id.");
              }
              Channel channel = channels.get(id);
              if (channel == null
                  || (resourceId != null && !resourceId.equals(channel.resourceId))
                  || !channel.email.equals(access.email())) {
                throw new ApiException(
                    404,
                    "global",
                    "notFound",
                    "Channel '" + id + "' not found for project",
                    null,
                    null);
              }
              expire(channel);
              return ServerResponse.noContent().build();
            });
  }

  /** Number of live channels (for tests and the admin API). */
  public int activeChannels() {
    return (int) channels.values().stream().filter(c -> !c.stopped.get()).count();
  }

  @Override
  public void close() {
    channels.values().forEach(this::expire);
    subscriptions.dispose();
    connections.disposeLater().subscribe();
  }

  private static final class RetryableDelivery extends RuntimeException {
    RetryableDelivery(int code) {
      super("HTTP " + code, null, false, false);
    }
  }

  /** SHA-256 of a string. */
  private static final class Sha256 {
    static byte[] sha256(String value) {
      try {
        return java.security.MessageDigest.getInstance("SHA-256")
            .digest(value.getBytes(StandardCharsets.UTF_8));
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
