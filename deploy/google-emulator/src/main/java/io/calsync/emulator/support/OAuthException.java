package io.calsync.emulator.support;

import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/** An OAuth endpoint error: {@code {"error","error_description"}}. */
public class OAuthException extends RuntimeException {

  private final int status;
  private final String error;

  public OAuthException(int status, String error, String description) {
    super(description);
    this.status = status;
    this.error = error;
  }

  public int status() {
    return status;
  }

  public String error() {
    return error;
  }

  public static OAuthException invalidRequest(String description) {
    return new OAuthException(400, "invalid_request", description);
  }

  public static OAuthException invalidGrant(String description) {
    return new OAuthException(400, "invalid_grant", description);
  }

  public ObjectNode body() {
    ObjectNode body = Json.object();
    body.put("error", error);
    if (getMessage() != null) {
      body.put("error_description", getMessage());
    }
    return body;
  }

  public Mono<ServerResponse> toResponse() {
    return Json.respond(status, body());
  }
}
