package io.calsync.localstack;

import static io.calsync.localstack.FuzzInputs.headers;
import static io.calsync.localstack.SystemClient.JSON;
import static io.calsync.localstack.SystemClient.connect;
import static io.calsync.localstack.SystemClient.gateway;
import static io.calsync.localstack.SystemClient.get;
import static io.calsync.localstack.SystemClient.json;
import static io.calsync.localstack.SystemClient.newGoogleAccount;
import static io.calsync.localstack.SystemClient.send;
import static io.calsync.localstack.SystemClient.userToken;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.problem.ProblemCodes;
import io.calsync.localstack.FuzzHttp.Request;
import io.calsync.localstack.FuzzHttp.Response;
import io.calsync.localstack.FuzzInputs.Body;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import tools.jackson.databind.JsonNode;

/**
 * Issue 7, item 5: every public endpoint of the gateway fuzzed in its path, query, headers, body
 * and method with jqwik, as signed-in users who own nothing (and, for bodies, one who owns a
 * connection), while user B owns a connected Google account with events. Every answer must be below
 * 500, every 4xx a problem+json of the contract, and no answer may contain any identifier of B's
 * (connection, calendars, events, Google e-mail, event titles) that the request did not carry
 * itself. jqwik runs no Jupiter extension: the shared stack comes from {@link
 * SystemStack#shared()}. A failure prints its seed; root README, "Fuzzing", says how to replay it.
 */
class PublicApiFuzzSystemTests {

  private static final Set<String> CODES =
      Set.of(
          ProblemCodes.INVALID_PARAMETER,
          ProblemCodes.INVALID_BODY,
          ProblemCodes.UNAUTHORIZED,
          ProblemCodes.FORBIDDEN,
          ProblemCodes.NOT_FOUND,
          ProblemCodes.METHOD_NOT_ALLOWED,
          ProblemCodes.REAUTH_REQUIRED,
          ProblemCodes.CONFLICT,
          ProblemCodes.PAYLOAD_TOO_LARGE,
          ProblemCodes.RATE_LIMITED,
          ProblemCodes.LIMIT_EXCEEDED);

  /** Users who own nothing, taken in turn so that the gateway's per-user rate rarely answers. */
  private static final List<String> fuzzers = new ArrayList<>();

  private static final AtomicInteger turn = new AtomicInteger();

  private static Owner b;
  private static String ownerA;
  private static String calendarOfA;
  private static String baseUrl;

  /** B's data, and the identifiers no answer to anyone else may contain. */
  record Owner(
      String token,
      String email,
      String connectionId,
      List<String> calendarIds,
      List<String> eventIds,
      List<String> titles) {

    List<String> ids() {
      List<String> ids = new ArrayList<>(calendarIds);
      ids.add(connectionId);
      ids.addAll(eventIds);
      return ids;
    }

    List<String> secrets() {
      List<String> secrets = new ArrayList<>(ids());
      secrets.add(email);
      secrets.addAll(titles);
      return secrets;
    }
  }

  @BeforeContainer
  static void userBOwnsAConnectionWithEvents() throws Exception {
    SystemStack.shared();
    baseUrl = gateway("");
    String email = "fuzz-owner-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
    assertThat(
            send(
                    "POST",
                    FaultSuite.emulator("/emulator/v1/accounts"),
                    null,
                    "{\"email\":\"" + email + "\"}")
                .statusCode())
        .isIn(200, 201);
    List<String> titles = new ArrayList<>();
    for (int hours = 5; hours <= 45; hours += 20) {
      String title = "b-secret-" + UUID.randomUUID().toString().substring(0, 12);
      FaultSuite.insertEvent(email, title, hours);
      titles.add(title);
    }
    String token = userToken("fuzz-owner-" + UUID.randomUUID());
    String connectionId = connect(token, email);
    List<String> calendarIds = new ArrayList<>();
    json(get(gateway("/api/calendar/calendars/"), token))
        .get("calendars")
        .forEach(c -> calendarIds.add(c.get("id").asString()));
    AtomicReference<JsonNode> events = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(300))
        .until(() -> upcoming(token, events).size() == titles.size());
    List<String> eventIds = new ArrayList<>();
    events.get().forEach(e -> eventIds.add(e.get("id").asString()));
    // the leak check looks for exactly these strings: B's own answers carry them
    assertThat(events.get().toString()).contains(titles);
    assertThat(get(gateway("/api/calendar/connections/"), token).body()).contains(email);
    b = new Owner(token, email, connectionId, calendarIds, eventIds, titles);

    ownerA = userToken("fuzz-a-" + UUID.randomUUID());
    connect(ownerA, newGoogleAccount());
    calendarOfA =
        json(get(gateway("/api/calendar/calendars/"), ownerA))
            .get("calendars")
            .get(0)
            .get("id")
            .asString();
    for (int i = 0; i < 8; i++) {
      fuzzers.add(userToken("fuzz-" + i + "-" + UUID.randomUUID()));
    }
  }

  @AfterContainer
  static void userBStillHasAllOfIt() throws Exception {
    if (b == null) {
      return;
    }
    assertThat(json(get(gateway("/api/calendar/connections/"), b.token())).get("connections"))
        .extracting(c -> c.get("id").asString())
        .containsExactly(b.connectionId());
    assertThat(json(get(gateway("/api/calendar/calendars/"), b.token())).get("calendars"))
        .allSatisfy(c -> assertThat(c.get("selected").asBoolean()).isTrue());
    assertThat(upcoming(b.token(), new AtomicReference<>())).hasSize(b.titles().size());
  }

  private static JsonNode upcoming(String token, AtomicReference<JsonNode> into) throws Exception {
    JsonNode events =
        json(get(gateway("/api/calendar/events/upcoming/?limit=100&days=7"), token)).get("events");
    into.set(events);
    return events;
  }

  // --- the properties ------------------------------------------------------------------------

  @Property(tries = 300)
  void anyMethodOnAResourcePath(
      @ForAll("resourcePaths") String path,
      @ForAll("methods") String method,
      @ForAll("bodies") Body body,
      @ForAll("auth") String authorization) {
    exchangeAndCheck(request(method, path, authorization, body));
  }

  @Property(tries = 200)
  void anyPath(@ForAll("paths") String path, @ForAll("methods") String method) {
    exchangeAndCheck(request(method, path, "fuzzer", Body.none()));
  }

  @Property(tries = 200)
  void upcomingEventsQuery(@ForAll("upcomingQueries") String query) {
    Response response =
        exchangeAndCheck(
            request("GET", "/api/calendar/events/upcoming/?" + query, "fuzzer", Body.none()));
    if (response.status() == 400 && response.body().length > 0) {
      assertThat(JSON.readTree(response.body()).path("parameter").asString())
          .as(query)
          .isIn("limit", "days", "tz", "query");
    }
  }

  @Property(tries = 150)
  void queryOfEveryListAndPage(
      @ForAll("listPaths") String path,
      @ForAll("anyQueries") String query,
      @ForAll("auth") String authorization) {
    exchangeAndCheck(request("GET", path + "?" + query, authorization, Body.none()));
  }

  @Property(tries = 250)
  void bodiesOfSyncAndCalendarChanges(
      @ForAll("bodyTargets") Tuple.Tuple2<String, String> target, @ForAll("bodies") Body body) {
    if (target.get1().contains(calendarOfA)) {
      // A's own calendar: the body reaches the service's parsing past the ownership check
      exchangeAndCheckAtUserRate(request(target.get2(), target.get1(), bearer(ownerA), body));
    } else {
      exchangeAndCheck(request(target.get2(), target.get1(), "fuzzer", body));
    }
  }

  @Property(tries = 100)
  void oauthCallback(@ForAll("callbackQueries") String query, @ForAll("auth") String auth) {
    Response response =
        exchangeAndCheck(
            request("GET", "/api/calendar/google/callback/?" + query, auth, Body.none()));
    if (response.status() == 302) {
      assertThat(response.header("location")).as(query).contains("calendar=error");
    }
  }

  @Property(tries = 100)
  void googlePushWebhook(
      @ForAll("webhookHeaders") List<Map.Entry<String, String>> goog, @ForAll("bodies") Body body) {
    List<Map.Entry<String, String>> headers = new ArrayList<>(goog);
    if (body.contentType() != null) {
      headers.add(Map.entry("Content-Type", body.contentType()));
    }
    exchangeAndCheck(
        new Request("POST", "/api/calendar/google/notifications/", headers, body.bytes()));
  }

  /** No existence oracle: B's ids are answered exactly like ids that do not exist. */
  @Property(tries = 100)
  void otherUsersIdsAnswerLikeUnknownIds(
      @ForAll("idTemplates") Tuple.Tuple3<String, String, String> template,
      @ForAll("bIds") String id) {
    String fuzzer = bearer(nextFuzzer());
    Response theirs = exchangeAndCheckAtUserRate(templated(template, id, fuzzer));
    Response unknown =
        exchangeAndCheckAtUserRate(templated(template, UUID.randomUUID().toString(), fuzzer));
    assertThat(theirs.status()).as(template + " " + id).isEqualTo(unknown.status());
    if (theirs.status() >= 400) {
      assertThat(JSON.readTree(theirs.body()).path("code").asString())
          .isEqualTo(JSON.readTree(unknown.body()).path("code").asString());
    }
  }

  // --- the inputs ----------------------------------------------------------------------------

  @Provide
  Arbitrary<String> resourcePaths() {
    Arbitrary<String> template =
        Arbitraries.of(
            "/api/calendar/connections/%s/",
            "/api/calendar/connections/%s",
            "/api/calendar/connections/%s/calendars/",
            "/api/calendar/calendars/%s/",
            "/api/calendar/calendars/%s/events/",
            "/api/calendar/sync/%s/",
            "/api/calendar/sync/status/%s/",
            "/api/calendar/events/%s/",
            "/api/calendar/events/upcoming/%s/",
            "/api/calendar/google/authorize/%s/");
    return Combinators.combine(template, FuzzInputs.ids(b.ids()))
        .as((t, id) -> FuzzInputs.requestTargetSafe(t.formatted(id)));
  }

  @Provide
  Arbitrary<String> paths() {
    return FuzzInputs.paths(b.ids());
  }

  @Provide
  Arbitrary<String> methods() {
    return FuzzInputs.methods();
  }

  @Provide
  Arbitrary<Body> bodies() {
    return FuzzInputs.bodies(b.ids());
  }

  /** Mostly a signed-in user who owns nothing; sometimes no token, or one that is not valid. */
  @Provide
  Arbitrary<String> auth() {
    return Arbitraries.frequencyOf(
        Tuple.of(12, Arbitraries.just("fuzzer")),
        Tuple.of(1, Arbitraries.just((String) null)),
        Tuple.of(
            2,
            Arbitraries.of(
                "Bearer",
                "Bearer ",
                "Bearer x.y.z",
                "Basic Zm9vOmJhcg==",
                "bearer " + "a".repeat(5000),
                bearer(tampered(b.token())))));
  }

  @Provide
  Arbitrary<String> upcomingQueries() {
    return FuzzInputs.queries(List.of("limit", "days", "tz"), b.ids());
  }

  @Provide
  Arbitrary<String> anyQueries() {
    return FuzzInputs.queries(List.of("limit", "days", "tz", "return_to", "state"), b.ids());
  }

  @Provide
  Arbitrary<String> listPaths() {
    return Arbitraries.of(
        "/api/calendar/connections/",
        "/api/calendar/calendars/",
        "/api/calendar/sync/status/",
        "/api/calendar/google/authorize/",
        "/api/calendar/events/stream/",
        "/",
        "/settings",
        "/auth/session");
  }

  @Provide
  Arbitrary<Tuple.Tuple2<String, String>> bodyTargets() {
    Arbitrary<String> calendar =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.just(calendarOfA)),
            Tuple.of(2, Arbitraries.of(b.calendarIds())),
            Tuple.of(1, FuzzInputs.uuids().map(UUID::toString)));
    return Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.just(Tuple.of("/api/calendar/sync/", "POST"))),
        Tuple.of(3, calendar.map(id -> Tuple.of("/api/calendar/calendars/" + id + "/", "PATCH"))),
        Tuple.of(
            1,
            Arbitraries.just(
                Tuple.of("/api/calendar/connections/" + b.connectionId() + "/", "DELETE"))));
  }

  @Provide
  Arbitrary<String> callbackQueries() {
    return FuzzInputs.queries(List.of("state", "code", "error", "scope"), b.ids());
  }

  @Provide
  Arbitrary<List<Map.Entry<String, String>>> webhookHeaders() {
    Arbitrary<String> value =
        Arbitraries.oneOf(
            FuzzInputs.values(b.ids()),
            Arbitraries.of("sync", "exists", "not_exists", "", "EXISTS"),
            Arbitraries.strings().all().ofMaxLength(40));
    return Combinators.combine(
            value.injectNull(0.2),
            value.injectNull(0.2),
            value.injectNull(0.2),
            value.injectNull(0.2),
            value.injectNull(0.5),
            value.injectNull(0.5))
        .as(
            (channel, token, resource, state, number, expiration) ->
                headers(
                    "X-Goog-Channel-ID", headerSafe(channel),
                    "X-Goog-Channel-Token", headerSafe(token),
                    "X-Goog-Resource-ID", headerSafe(resource),
                    "X-Goog-Resource-State", headerSafe(state),
                    "X-Goog-Message-Number", headerSafe(number),
                    "X-Goog-Channel-Expiration", headerSafe(expiration)));
  }

  /** The id templates of the public paths that take an id: path, method, body with {@code %s}. */
  @Provide
  Arbitrary<Tuple.Tuple3<String, String, String>> idTemplates() {
    return Arbitraries.of(
        Tuple.of("/api/calendar/connections/%s/", "DELETE", null),
        Tuple.of("/api/calendar/connections/%s/", "GET", null),
        Tuple.of("/api/calendar/calendars/%s/", "PATCH", "{\"selected\":false}"),
        Tuple.of("/api/calendar/calendars/%s/", "PATCH", "{\"selected\":\"no\"}"),
        Tuple.of("/api/calendar/calendars/%s/", "PATCH", "{}"),
        Tuple.of("/api/calendar/calendars/%s/", "PUT", "{\"selected\":true}"),
        Tuple.of("/api/calendar/sync/", "POST", "{\"connection_id\":\"%s\"}"));
  }

  @Provide
  Arbitrary<String> bIds() {
    List<String> uuids = new ArrayList<>(b.calendarIds());
    uuids.add(b.connectionId());
    return Arbitraries.of(uuids).flatMap(id -> Arbitraries.of(id, id.toUpperCase(Locale.ROOT)));
  }

  // --- sending and judging -------------------------------------------------------------------

  private static Request templated(
      Tuple.Tuple3<String, String, String> template, String id, String auth) {
    String body = template.get3() == null ? null : template.get3().formatted(id);
    return request(
        template.get2(),
        template.get1().formatted(id),
        auth,
        body == null ? Body.none() : Body.json(body));
  }

  /**
   * {@code auth}: the Authorization header's value, or {@code "fuzzer"} for the next fuzzing user's
   * token.
   */
  private static Request request(String method, String target, String auth, Body body) {
    String authorization = "fuzzer".equals(auth) ? bearer(nextFuzzer()) : auth;
    return new Request(
        method,
        target,
        headers("Authorization", authorization, "Content-Type", body.contentType()),
        body.bytes());
  }

  private static String bearer(String token) {
    return "Bearer " + token;
  }

  private static String nextFuzzer() {
    return fuzzers.get(Math.floorMod(turn.getAndIncrement(), fuzzers.size()));
  }

  private static Response exchangeAndCheck(Request request) {
    Response response = FuzzHttp.exchange(baseUrl, request);
    check(request, response);
    return response;
  }

  /**
   * For a user who must stay the same (A on its own calendar, the no-oracle pairs): sends again
   * while the gateway's per-user rate answers 429 (its bucket refills every second).
   */
  private static Response exchangeAndCheckAtUserRate(Request request) {
    AtomicReference<Response> last = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              last.set(FuzzHttp.exchange(baseUrl, request));
              return last.get().status() != 429;
            });
    check(request, last.get());
    return last.get();
  }

  static void check(Request request, Response response) {
    String answer = response.text();
    String where =
        request.describe()
            + "\n-> "
            + response.status()
            + "\n"
            + (answer.length() > 1500 ? answer.substring(0, 1500) : answer);
    if (response.status() >= 500) {
      throw new AssertionError(
          "A " + response.status() + ":\n" + where + "\n" + warningsOfTheGateway());
    }
    if (response.status() >= 400
        && !"HEAD".equals(request.method())
        && !refusedBeforeTheApplication(request, response)) {
      assertThat(response.header("content-type")).as(where).startsWith("application/problem+json");
      JsonNode problem = JSON.readTree(response.body());
      String code = problem.path("code").asString();
      assertThat(code).as(where).isIn(CODES);
      assertThat(problem.path("status").asInt()).as(where).isEqualTo(response.status());
      assertThat(problem.path("type").asString()).as(where).isEqualTo(ProblemCodes.type(code));
      if (ProblemCodes.INVALID_PARAMETER.equals(code)) {
        assertThat(problem.path("parameter").asString()).as(where).isNotBlank();
      }
    }
    String sent = request.text();
    String sentDecoded = decode(sent);
    for (String secret : b.secrets()) {
      if (containsIgnoringCase(answer, secret)
          && !containsIgnoringCase(sent, secret)
          && !containsIgnoringCase(sentDecoded, secret)) {
        throw new AssertionError("B's " + secret + " leaked to another user:\n" + where);
      }
    }
  }

  /** The gateway's last warnings and errors, which say why an upstream call failed. */
  private static String warningsOfTheGateway() {
    Path log = SystemStack.settings().workDirectory().resolve("logs").resolve("gateway.log");
    try (Stream<String> lines = Files.lines(log)) {
      List<String> problems =
          lines.filter(line -> line.contains(" WARN ") || line.contains(" ERROR ")).toList();
      return "The gateway's last warnings ("
          + log
          + "):\n"
          + String.join("\n", problems.subList(Math.max(0, problems.size() - 10), problems.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(" + log + " unreadable: " + e.getMessage() + ")";
    }
  }

  /**
   * Refused by the HTTP server before any filter or handler of the application runs, with an empty
   * body: a request line over Reactor Netty's limit (414), headers over its limit (431), or a
   * request target that is no URI (RFC 3986: a bare {@code %}, {@code %ZZ}, <code>{</code>), which
   * Spring's HTTP adapter answers with a 400. The contract's problem+json starts where a request
   * reaches the application.
   */
  private static boolean refusedBeforeTheApplication(Request request, Response response) {
    if (response.body().length > 0) {
      return false;
    }
    if (response.status() == 414) {
      // Reactor Netty's limit on the request line (4,096 bytes), before Spring
      return request.method().length() + request.target().length() > 4000;
    }
    if (response.status() == 431) {
      // Reactor Netty's limit on the header block (8,192 bytes), before Spring
      int size =
          request.headers().stream()
              .mapToInt(h -> h.getKey().length() + h.getValue().length() + 4)
              .sum();
      return size > 8000;
    }
    if (response.status() != 400) {
      return false;
    }
    try {
      new URI(request.target());
      return false;
    } catch (URISyntaxException notAUri) {
      return true;
    }
  }

  private static boolean containsIgnoringCase(String text, String part) {
    return text.toLowerCase(Locale.ROOT).contains(part.toLowerCase(Locale.ROOT));
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      return text;
    }
  }

  private static String headerSafe(String value) {
    return value == null ? null : value.replaceAll("[\\x00-\\x1F\\x7F]", "");
  }

  /** A token with its signature changed: valid in shape, never accepted. */
  private static String tampered(String token) {
    char last = token.charAt(token.length() - 2);
    return token.substring(0, token.length() - 2)
        + (last == 'A' ? 'B' : 'A')
        + token.charAt(token.length() - 1);
  }
}
