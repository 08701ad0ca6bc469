package io.calsync.localstack;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * What the fuzzer sends: ids, path segments, query strings, bodies and content types, built from
 * jqwik arbitraries (so a failing seed replays the same requests). {@code otherUsersIds} are real
 * identifiers of another user's data, the ones no answer may ever reveal.
 */
final class FuzzInputs {

  private FuzzInputs() {}

  /** A body and the Content-Type it is sent with (null: no header). */
  record Body(String contentType, byte[] bytes) {

    static Body none() {
      return new Body(null, null);
    }

    static Body json(String json) {
      return new Body("application/json", json.getBytes(StandardCharsets.UTF_8));
    }
  }

  static Arbitrary<UUID> uuids() {
    return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as(UUID::new);
  }

  /** Ids as they appear in a path segment: another user's, unknown, malformed, encoded, huge. */
  static Arbitrary<String> ids(List<String> otherUsersIds) {
    Arbitrary<String> others = Arbitraries.of(otherUsersIds);
    return Arbitraries.frequencyOf(
        Tuple.of(6, others),
        Tuple.of(2, others.map(id -> id.toUpperCase(java.util.Locale.ROOT))),
        Tuple.of(1, others.map(id -> id.replace("-", ""))),
        Tuple.of(1, others.map(id -> "{" + id + "}")),
        Tuple.of(1, others.map(id -> id + "%00")),
        Tuple.of(1, others.map(id -> id + "/..")),
        Tuple.of(3, uuids().map(UUID::toString)),
        Tuple.of(2, Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(40)),
        Tuple.of(
            2, Arbitraries.strings().all().ofMinLength(1).ofMaxLength(30).map(FuzzInputs::enc)),
        Tuple.of(2, percentJunk()),
        Tuple.of(1, Arbitraries.integers().between(100, 9000).map("a"::repeat)),
        Tuple.of(
            2,
            Arbitraries.of(
                "00000000-0000-0000-0000-000000000000",
                "ffffffff-ffff-ffff-ffff-ffffffffffff",
                "-1",
                "0",
                "99999999999999999999999999",
                "1e10",
                ".",
                "..",
                "%2e%2e",
                "%2F",
                "%5C",
                "null",
                "undefined",
                "'%20OR%20'1'='1",
                "$%7Bjndi:ldap://x%7D",
                "%3Cscript%3E",
                "%00",
                "%",
                "%zz",
                ";jsessionid=1",
                "*")));
  }

  /** Percent escapes of random bytes, with malformed ones among them. */
  static Arbitrary<String> percentJunk() {
    Arbitrary<String> escape =
        Arbitraries.frequencyOf(
            Tuple.of(
                6, Arbitraries.integers().between(0, 255).map(b -> String.format("%%%02X", b))),
            Tuple.of(
                1, Arbitraries.of("%", "%g", "%zz", "%2", "%%", "%u2215", "%C0%AF", "%ED%A0%80")));
    return escape.list().ofMinSize(1).ofMaxSize(12).map(parts -> String.join("", parts));
  }

  /** A request target's path: the public ones, with junk segments, dots, slashes and escapes. */
  static Arbitrary<String> paths(List<String> otherUsersIds) {
    Arbitrary<String> prefix =
        Arbitraries.of(
            "/",
            "/api",
            "/api/",
            "/api/calendar/",
            "/api/calendar/google/",
            "/api/calendar/google/authorize/",
            "/api/calendar/google/callback/",
            "/api/calendar/google/notifications/",
            "/api/calendar/connections/",
            "/api/calendar/calendars/",
            "/api/calendar/sync/",
            "/api/calendar/sync/status/",
            "/api/calendar/events/",
            "/api/calendar/events/upcoming/",
            "/api/calendar/events/stream/",
            "/settings",
            "/settings/",
            "/auth/session",
            "/login/oauth2/code/calendar",
            "/oauth2/authorization/calendar",
            "/index.html",
            "/app.js",
            "/internal/v1/connections/",
            "/fallback/sync-service",
            "/actuator/",
            "//api/calendar/connections/",
            "/API/CALENDAR/CONNECTIONS/");
    Arbitrary<String> segment =
        Arbitraries.frequencyOf(
            Tuple.of(4, ids(otherUsersIds)),
            Tuple.of(
                2,
                Arbitraries.of(
                    "",
                    "/",
                    "..",
                    "../..",
                    "%2e%2e/",
                    "..%2f..%2finternal%2fv1%2fconnections",
                    "..;/internal/v1/connections/",
                    "./",
                    "%2F%2F",
                    "index.html",
                    "WEB-INF/web.xml",
                    "?",
                    "#frag",
                    "~",
                    "%20")));
    return Combinators.combine(prefix, segment.list().ofMaxSize(3))
        .as((p, segments) -> p + String.join("/", segments))
        .map(FuzzInputs::requestTargetSafe);
  }

  /** Spaces, tabs and line breaks would end the request line: they go percent-encoded. */
  static String requestTargetSafe(String target) {
    return target
        .replace(" ", "%20")
        .replace("\t", "%09")
        .replace("\r", "%0D")
        .replace("\n", "%0A");
  }

  /** A raw query string of fuzzed parameters; duplicates, empty names and values included. */
  static Arbitrary<String> queries(List<String> names, List<String> otherUsersIds) {
    Arbitrary<String> name =
        Arbitraries.frequencyOf(
            Tuple.of(6, Arbitraries.of(names)),
            Tuple.of(
                2,
                Arbitraries.of(
                    "cursor",
                    "page",
                    "page_token",
                    "offset",
                    "user_id",
                    "connection_id",
                    "sort",
                    "LIMIT",
                    "limit[]",
                    "",
                    "%00",
                    "a%ZZ")),
            Tuple.of(1, Arbitraries.strings().all().ofMaxLength(10).map(FuzzInputs::enc)));
    Arbitrary<String> pair =
        Combinators.combine(name, values(otherUsersIds), Arbitraries.of("=", "", "=="))
            .as((n, v, eq) -> eq.isEmpty() ? n : n + eq + v);
    return pair.list()
        .ofMinSize(1)
        .ofMaxSize(5)
        .map(pairs -> String.join("&", pairs))
        .map(FuzzInputs::requestTargetSafe);
  }

  /** Values of query parameters: numbers of every size and shape, time zones, ids, junk. */
  static Arbitrary<String> values(List<String> otherUsersIds) {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.integers().between(-10, 400).map(String::valueOf)),
        Tuple.of(
            2,
            Arbitraries.of(
                "",
                "0",
                "-0",
                "+5",
                "%205",
                "1.5",
                "1e3",
                "0x10",
                "2147483648",
                "-2147483649",
                "9223372036854775808",
                "99999999999999999999999999999999999999",
                "NaN",
                "Infinity",
                "true",
                "null",
                "%00")),
        Tuple.of(
            3,
            Arbitraries.of(
                "UTC",
                "Europe/Berlin",
                "America/New_York",
                "Asia/Kathmandu",
                "Pacific/Kiritimati",
                "Etc/GMT%2B12",
                "GMT%2B14:00",
                "%2B25:00",
                "UTC%2B5",
                "Z",
                "EST",
                "SystemV/AST4",
                "Europe/Nowhere",
                "../../etc/passwd",
                "europe/berlin")),
        Tuple.of(1, Arbitraries.of(otherUsersIds)),
        Tuple.of(2, Arbitraries.strings().all().ofMaxLength(20).map(FuzzInputs::enc)),
        Tuple.of(1, percentJunk()),
        Tuple.of(1, Arbitraries.integers().between(100, 5000).map("9"::repeat)));
  }

  /** Bodies: JSON of the right and wrong shapes, not JSON, invalid UTF-8, huge, nested, empty. */
  static Arbitrary<Body> bodies(List<String> otherUsersIds) {
    Arbitrary<byte[]> json = jsonValues(otherUsersIds, 3).map(FuzzInputs::utf8);
    Arbitrary<byte[]> special =
        Arbitraries.of(
                "",
                "{}",
                "[]",
                "null",
                "true",
                "1",
                "\"text\"",
                "{\"selected\":tru",
                "{}xyz",
                "{} {}",
                "{\"selected\":true,\"selected\":false}",
                "{\"selected\":NaN}",
                "/*x*/{\"selected\":true}",
                "{'selected':true}",
                "\uFEFF{\"selected\":true}",
                "selected=true",
                "<selected>true</selected>",
                "{\"selected\":1e999999}",
                "{\"selected\":" + "9".repeat(5000) + "}",
                "{\"connection_id\":\"" + "x".repeat(60_000) + "\"}",
                "{\"connection_id\":\"" + "x".repeat(70_000) + "\"}",
                "[".repeat(5000) + "]".repeat(5000),
                "{\"a\":".repeat(3000) + "1" + "}".repeat(3000),
                "{\"" + "k".repeat(60_000) + "\":true}")
            .map(FuzzInputs::utf8);
    Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(64);
    Arbitrary<byte[]> invalidUtf8 =
        Arbitraries.of(
            new byte[] {'{', '"', 's', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'},
            new byte[] {(byte) 0xFF, (byte) 0xFE, '{', '}'},
            new byte[] {'{', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', ':', '1', '}'},
            "{\"selected\":true}".getBytes(StandardCharsets.UTF_16));
    Arbitrary<byte[]> content =
        Arbitraries.frequencyOf(
            Tuple.of(6, json), Tuple.of(4, special), Tuple.of(1, bytes), Tuple.of(1, invalidUtf8));
    Arbitrary<String> type =
        Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.just("application/json")),
            Tuple.of(
                4,
                Arbitraries.of(
                    "application/json; charset=utf-8",
                    "application/json; charset=utf-16",
                    "application/json;charset=nope",
                    "application/json; charset=",
                    "text/plain",
                    "application/x-www-form-urlencoded",
                    "multipart/form-data",
                    "multipart/form-data; boundary=x",
                    "application/xml",
                    "application/problem+json",
                    "application/x-ndjson",
                    "application/*",
                    "*/*",
                    "garbage",
                    "application/json; foo",
                    "text/event-stream",
                    "application/cbor",
                    "application/octet-stream",
                    "")));
    Arbitrary<Body> some = Combinators.combine(type.injectNull(0.1), content).as(Body::new);
    return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(Body.none())), Tuple.of(9, some));
  }

  /** JSON values with the contract's member names among random ones, nested up to {@code depth}. */
  static Arbitrary<String> jsonValues(List<String> otherUsersIds, int depth) {
    Arbitrary<String> leaf =
        Arbitraries.frequencyOf(
            Tuple.of(2, Arbitraries.of("true", "false", "null", "0", "-1", "1.5", "1e400")),
            Tuple.of(1, Arbitraries.integers().map(String::valueOf)),
            Tuple.of(2, Arbitraries.strings().all().ofMaxLength(20).map(FuzzInputs::quote)),
            Tuple.of(2, Arbitraries.of(otherUsersIds).map(FuzzInputs::quote)),
            Tuple.of(1, uuids().map(u -> quote(u.toString()))));
    if (depth == 0) {
      return leaf;
    }
    Arbitrary<String> inner = jsonValues(otherUsersIds, depth - 1);
    Arbitrary<String> key =
        Arbitraries.frequencyOf(
            Tuple.of(
                4,
                Arbitraries.of(
                    "selected", "connection_id", "id", "user_id", "calendar_id", "state")),
            Tuple.of(1, Arbitraries.strings().all().ofMaxLength(10)));
    Arbitrary<String> object =
        Combinators.combine(key, inner)
            .as((k, v) -> quote(k) + ":" + v)
            .list()
            .ofMaxSize(4)
            .map(members -> "{" + String.join(",", members) + "}");
    Arbitrary<String> array =
        inner.list().ofMaxSize(4).map(items -> "[" + String.join(",", items) + "]");
    return Arbitraries.frequencyOf(Tuple.of(2, leaf), Tuple.of(4, object), Tuple.of(1, array));
  }

  /** HTTP methods, the usual ones and a few a client should never send. */
  static Arbitrary<String> methods() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.of("GET", "POST", "PUT", "PATCH", "DELETE")),
        Tuple.of(1, Arbitraries.of("HEAD", "OPTIONS", "TRACE", "FOO", "get", "PROPFIND")));
  }

  static String quote(String text) {
    return SystemClient.JSON.writeValueAsString(text);
  }

  static String enc(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  /** Header list helper: name and value pairs in order, nulls left out. */
  static List<Map.Entry<String, String>> headers(String... namesAndValues) {
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
      if (namesAndValues[i + 1] != null) {
        headers.add(Map.entry(namesAndValues[i], namesAndValues[i + 1]));
      }
    }
    return headers;
  }
}
