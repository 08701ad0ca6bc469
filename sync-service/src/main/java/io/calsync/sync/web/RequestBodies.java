package io.calsync.sync.web;

import io.calsync.contract.json.CalendarJson;
import java.util.UUID;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads small JSON bodies by hand, so a bad field is a 400 that names it. */
final class RequestBodies {

  private static final JsonMapper JSON = CalendarJson.mapper();

  private RequestBodies() {}

  /** The body as a JSON object; an absent or empty body is {@code {}}. */
  static Mono<JsonNode> json(Mono<String> body) {
    return body.defaultIfEmpty("")
        .map(
            text -> {
              if (text.isBlank()) {
                return JSON.createObjectNode();
              }
              JsonNode node;
              try {
                node = JSON.readTree(text);
              } catch (JacksonException e) {
                throw ProblemException.invalidBody("The body is not valid JSON.");
              }
              if (node == null || !node.isObject()) {
                throw ProblemException.invalidBody("The body must be a JSON object.");
              }
              return node;
            });
  }

  static UUID uuid(String parameter, String value) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw ProblemException.invalidParameter(parameter, "'" + parameter + "' must be a UUID.");
    }
  }
}
