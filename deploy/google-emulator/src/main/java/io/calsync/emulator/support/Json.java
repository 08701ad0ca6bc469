package io.calsync.emulator.support;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Google-shaped JSON helpers: one mapper, RFC 3339 timestamps with millis and Z. */
public final class Json {

  public static final JsonMapper MAPPER = JsonMapper.builder().build();

  /** What Google sends: {@code application/json; charset=UTF-8}. */
  public static final MediaType CONTENT_TYPE =
      new MediaType("application", "json", StandardCharsets.UTF_8);

  private static final DateTimeFormatter RFC3339_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  public static String timestamp(Instant instant) {
    return RFC3339_MILLIS.format(instant);
  }

  /** Text of a field, or null when missing, null or not a scalar. */
  public static String text(JsonNode node, String field) {
    if (node == null) {
      return null;
    }
    JsonNode value = node.get(field);
    if (value == null || value.isNull() || value.isContainer() || value.isMissingNode()) {
      return null;
    }
    return value.asString();
  }

  public static byte[] bytes(JsonNode node) {
    return MAPPER.writeValueAsBytes(node);
  }

  public static JsonNode parse(byte[] body) {
    if (body == null || body.length == 0) {
      return object();
    }
    return MAPPER.readTree(body);
  }

  public static Mono<ServerResponse> respond(int status, JsonNode body) {
    return ServerResponse.status(HttpStatusCode.valueOf(status))
        .contentType(CONTENT_TYPE)
        .bodyValue(bytes(body));
  }

  public static Mono<ServerResponse> ok(JsonNode body) {
    return respond(200, body);
  }

  /**
   * 200 with the resource, or 304 with no body when the request's {@code If-None-Match} names the
   * resource's current {@code etag} (a conditional GET, as Google answers it).
   */
  public static Mono<ServerResponse> okUnlessNotModified(
      org.springframework.web.reactive.function.server.ServerRequest request, JsonNode body) {
    String ifNoneMatch = request.headers().firstHeader("If-None-Match");
    String etag = text(body, "etag");
    if (ifNoneMatch != null && etag != null) {
      for (String candidate : ifNoneMatch.split(",")) {
        String tag = candidate.trim();
        if (tag.equals("*") || tag.equals(etag) || tag.equals("W/" + etag)) {
          return ServerResponse.status(304).header("ETag", etag).build();
        }
      }
    }
    return ok(body);
  }

  public static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
