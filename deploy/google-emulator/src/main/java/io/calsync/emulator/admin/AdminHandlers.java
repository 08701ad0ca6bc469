package io.calsync.emulator.admin;

import io.calsync.emulator.calendar.CalendarData;
import io.calsync.emulator.calendar.CalendarStore;
import io.calsync.emulator.calendar.Seeder;
import io.calsync.emulator.fault.Fault;
import io.calsync.emulator.fault.FaultInjector;
import io.calsync.emulator.oauth.Account;
import io.calsync.emulator.oauth.OAuthStore;
import io.calsync.emulator.oauth.Scopes;
import io.calsync.emulator.support.Json;
import io.calsync.emulator.support.Requests;
import java.time.ZoneId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The emulator's own admin API under {@code /emulator/v1} (snake_case JSON). */
public final class AdminHandlers {

  /** Operation names faults may target. */
  public static final Set<String> OPERATIONS =
      Set.of(
          "*",
          "calendarList.list",
          "calendarList.get",
          "calendars.insert",
          "calendars.get",
          "calendars.patch",
          "calendars.delete",
          "events.list",
          "events.get",
          "events.instances",
          "events.insert",
          "events.patch",
          "events.update",
          "events.delete",
          "events.watch",
          "channels.stop",
          "token",
          "revoke",
          "userinfo",
          "authorize");

  private static final Set<String> FULL_SCOPES =
      new LinkedHashSet<>(List.of("openid", Scopes.EMAIL, Scopes.PROFILE, Scopes.CALENDAR));

  private final OAuthStore oauth;
  private final CalendarStore calendars;
  private final FaultInjector faults;
  private final Stats stats;
  private final String clientId;
  private final Scheduler seedScheduler;

  public AdminHandlers(
      OAuthStore oauth,
      CalendarStore calendars,
      FaultInjector faults,
      Stats stats,
      String clientId,
      Scheduler seedScheduler) {
    this.oauth = oauth;
    this.calendars = calendars;
    this.faults = faults;
    this.stats = stats;
    this.clientId = clientId;
    this.seedScheduler = seedScheduler;
  }

  private static Mono<ServerResponse> problem(int status, String message) {
    ObjectNode body = Json.object();
    body.put("error", message);
    return Json.respond(status, body);
  }

  private ObjectNode accountJson(Account account) {
    ObjectNode body = Json.object();
    body.put("email", account.email());
    body.put("sub", account.sub());
    body.put("primary_calendar_id", account.email());
    calendars
        .find(account.email(), "primary")
        .ifPresent(primary -> body.put("time_zone", primary.timeZone()));
    return body;
  }

  /**
   * Creates an account (or finds it); {@code time_zone} (an IANA name) sets its primary calendar's
   * zone, UTC otherwise.
   */
  public Mono<ServerResponse> createAccount(ServerRequest request) {
    return Requests.json(request)
        .flatMap(
            body -> {
              String email = Json.text(body, "email");
              if (!OAuthStore.isEmail(email == null ? null : email.trim())) {
                return problem(400, "email: a valid e-mail address is required");
              }
              String timeZone = Json.text(body, "time_zone");
              if (timeZone != null && !ZoneId.getAvailableZoneIds().contains(timeZone)) {
                return problem(400, "time_zone: an IANA time zone name, e.g. Europe/Berlin");
              }
              Map.Entry<Account, Boolean> account = oauth.ensureAccount(email);
              if (timeZone != null) {
                calendars
                    .find(account.getKey().email(), "primary")
                    .orElseThrow()
                    .patchCalendar(null, null, timeZone, calendars.clock().instant());
              }
              return Json.respond(account.getValue() ? 201 : 200, accountJson(account.getKey()));
            });
  }

  /**
   * Subscribes the account to another account's calendar (a colleague's, a shared or a public one,
   * e.g. holidays) with {@code access_role} {@code freeBusyReader}, {@code reader} or {@code
   * writer}; {@code refuses_push: true} makes events.watch on that calendar answer 400
   * pushNotSupportedForRequestedResource, for every account (as Google's holiday calendars do).
   */
  public Mono<ServerResponse> subscribe(ServerRequest request) {
    return Requests.json(request)
        .flatMap(
            body -> {
              String email = request.pathVariable("email");
              if (oauth.account(email).isEmpty()) {
                return problem(404, "email: no such account");
              }
              String calendarId = Json.text(body, "calendar_id");
              var calendar =
                  calendarId == null ? Optional.<CalendarData>empty() : calendars.byId(calendarId);
              if (calendar.isEmpty()) {
                return problem(404, "calendar_id: no such calendar");
              }
              String role = Json.text(body, "access_role");
              JsonNode refuses = body.get("refuses_push");
              if (refuses != null && !refuses.isBoolean()) {
                return problem(400, "refuses_push: true or false");
              }
              try {
                calendars.subscribe(
                    OAuthStore.normalizeEmail(email), calendar.get(), role == null ? "" : role);
              } catch (IllegalArgumentException e) {
                return problem(400, e.getMessage());
              }
              if (refuses != null) {
                calendar.get().refusesPush(refuses.asBoolean());
              }
              ObjectNode result = Json.object();
              result.put("email", OAuthStore.normalizeEmail(email));
              result.put("calendar_id", calendar.get().id());
              result.put("access_role", role);
              result.put("refuses_push", calendar.get().refusesPush());
              return Json.respond(201, result);
            });
  }

  private Account pathAccount(ServerRequest request) {
    String email = request.pathVariable("email");
    if (!OAuthStore.isEmail(email)) {
      throw new IllegalArgumentException("email: a valid e-mail address is required");
    }
    return oauth.ensureAccount(email).getKey();
  }

  public Mono<ServerResponse> accessToken(ServerRequest request) {
    return Mono.fromCallable(() -> pathAccount(request))
        .flatMap(
            account -> {
              OAuthStore.AccessToken token =
                  oauth.issueAccess(account.email(), clientId, FULL_SCOPES, null);
              ObjectNode body = Json.object();
              body.put("access_token", token.token());
              body.put("expires_in", OAuthStore.ACCESS_TOKEN_SECONDS);
              body.put("token_type", "Bearer");
              body.put("scope", Scopes.format(token.scopes()));
              return Json.ok(body);
            })
        .onErrorResume(IllegalArgumentException.class, e -> problem(400, e.getMessage()));
  }

  public Mono<ServerResponse> seed(ServerRequest request) {
    return Requests.json(request)
        .flatMap(
            body -> {
              Account account;
              try {
                account = pathAccount(request);
              } catch (IllegalArgumentException e) {
                return problem(400, e.getMessage());
              }
              String calendarId = Json.text(body, "calendar_id");
              int count = intField(body, "events", 100);
              int days = intField(body, "days", 30);
              if (count < 0 || count > 100_000) {
                return problem(400, "events: must be between 0 and 100000");
              }
              if (days < 1 || days > 3660) {
                return problem(400, "days: must be between 1 and 3660");
              }
              var calendar =
                  calendars.find(account.email(), calendarId == null ? "primary" : calendarId);
              if (calendar.isEmpty()) {
                return problem(404, "calendar_id: no such calendar of " + account.email());
              }
              CalendarData target = calendar.get();
              return Mono.fromCallable(
                      () -> Seeder.seed(calendars, target, account.email(), count, days))
                  .subscribeOn(seedScheduler)
                  .flatMap(
                      created -> {
                        ObjectNode result = Json.object();
                        result.put("created", created);
                        result.put("calendar_id", target.id());
                        return Json.respond(201, result);
                      });
            });
  }

  private static int intField(JsonNode body, String name, int defaultValue) {
    JsonNode node = body.get(name);
    if (node == null || node.isNull()) {
      return defaultValue;
    }
    if (!node.isNumber() && !(node.isString() && node.asString().matches("-?\\d+"))) {
      return Integer.MIN_VALUE;
    }
    return node.asInt();
  }

  public Mono<ServerResponse> addFault(ServerRequest request) {
    return Requests.json(request)
        .flatMap(
            body -> {
              String operation = Json.text(body, "operation");
              if (operation == null || !OPERATIONS.contains(operation)) {
                return problem(400, "operation: one of " + new java.util.TreeSet<>(OPERATIONS));
              }
              int status = intField(body, "status", 0);
              if (status != 0 && (status < 400 || status > 599)) {
                return problem(
                    400, "status: an HTTP error status (4xx/5xx), or 0 for latency only");
              }
              int times = intField(body, "times", 1);
              if (times < 1) {
                return problem(400, "times: must be at least 1");
              }
              int delay = intField(body, "delay_ms", 0);
              if (delay < 0 || delay > 120_000) {
                return problem(400, "delay_ms: must be between 0 and 120000");
              }
              String reason = Json.text(body, "reason");
              faults.add(new Fault(operation, status, reason, times, delay));
              ObjectNode result = Json.object();
              result.put("operation", operation);
              result.put("status", status);
              if (reason != null) {
                result.put("reason", reason);
              }
              result.put("times", times);
              result.put("delay_ms", delay);
              return Json.respond(201, result);
            });
  }

  public Mono<ServerResponse> clearFaults(ServerRequest request) {
    faults.clear();
    return ServerResponse.noContent().build();
  }

  public Mono<ServerResponse> invalidateSyncTokens(ServerRequest request) {
    String calendarId = request.pathVariable("calendarId");
    var calendar = calendars.byId(calendarId);
    if (calendar.isEmpty()) {
      return problem(404, "calendar_id: no such calendar");
    }
    calendar.get().invalidateSyncTokens();
    return ServerResponse.noContent().build();
  }

  public Mono<ServerResponse> revokeGrants(ServerRequest request) {
    String email = request.pathVariable("email");
    if (oauth.account(email).isEmpty()) {
      return problem(404, "email: no such account");
    }
    oauth.revokeAllGrants(email);
    return ServerResponse.noContent().build();
  }

  private ObjectNode settingsJson() {
    OAuthStore.Settings settings = oauth.settings();
    ObjectNode body = Json.object();
    if (settings.refreshTokenLifetime() == null) {
      body.putNull("refresh_token_lifetime_seconds");
    } else {
      body.put("refresh_token_lifetime_seconds", settings.refreshTokenLifetime().toSeconds());
    }
    body.put("max_refresh_tokens", settings.maxRefreshTokens());
    return body;
  }

  public Mono<ServerResponse> getOAuthSettings(ServerRequest request) {
    return Json.ok(settingsJson());
  }

  /**
   * Optional OAuth modes: {@code refresh_token_lifetime_seconds} (604800 simulates the 7-day expiry
   * of apps in Testing; null = never) and {@code max_refresh_tokens} (e.g. 100; 0 = no cap).
   */
  public Mono<ServerResponse> putOAuthSettings(ServerRequest request) {
    return Requests.json(request)
        .flatMap(
            body -> {
              JsonNode lifetime = body.get("refresh_token_lifetime_seconds");
              java.time.Duration duration = null;
              if (lifetime != null && !lifetime.isNull()) {
                if (!lifetime.isIntegralNumber() || lifetime.asLong() < 1) {
                  return problem(
                      400, "refresh_token_lifetime_seconds: a positive number of seconds or null");
                }
                duration = java.time.Duration.ofSeconds(lifetime.asLong());
              }
              int max = intField(body, "max_refresh_tokens", 0);
              if (max < 0) {
                return problem(400, "max_refresh_tokens: 0 (no cap) or more");
              }
              oauth.settings(new OAuthStore.Settings(duration, max));
              return Json.ok(settingsJson());
            });
  }

  public Mono<ServerResponse> stats(ServerRequest request) {
    ObjectNode body = Json.object();
    ObjectNode requests = body.putObject("requests");
    stats.snapshot().forEach(requests::put);
    return Json.ok(body);
  }

  public Mono<ServerResponse> resetStats(ServerRequest request) {
    stats.reset();
    return ServerResponse.noContent().build();
  }

  public Mono<ServerResponse> health(ServerRequest request) {
    ObjectNode body = Json.object();
    body.put("status", "UP");
    return Json.ok(body);
  }
}
