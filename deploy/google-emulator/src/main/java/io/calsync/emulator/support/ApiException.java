package io.calsync.emulator.support;

import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import tools.jackson.databind.node.ObjectNode;

/** A Google API (Calendar) error, rendered in Google's JSON error shape. */
public class ApiException extends RuntimeException {

  private final int status;
  private final String domain;
  private final String reason;
  private final String locationType;
  private final String location;
  private final String topMessage;

  public ApiException(
      int status,
      String domain,
      String reason,
      String message,
      String locationType,
      String location) {
    this(status, domain, reason, message, locationType, location, message);
  }

  public ApiException(
      int status,
      String domain,
      String reason,
      String message,
      String locationType,
      String location,
      String topMessage) {
    super(message);
    this.status = status;
    this.domain = domain;
    this.reason = reason;
    this.locationType = locationType;
    this.location = location;
    this.topMessage = topMessage;
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }

  public static ApiException badRequest(String reason, String message, String parameter) {
    return new ApiException(
        400, "global", reason, message, parameter == null ? null : "parameter", parameter);
  }

  public static ApiException invalidParameter(String parameter, String message) {
    return badRequest("invalid", message, parameter);
  }

  public static ApiException required(String field, String message) {
    return new ApiException(400, "global", "required", message, null, null);
  }

  public static ApiException notFound() {
    return new ApiException(404, "global", "notFound", "Not Found", null, null);
  }

  public static ApiException deleted() {
    return new ApiException(410, "global", "deleted", "Resource has been deleted", null, null);
  }

  public static ApiException fullSyncRequired() {
    return new ApiException(
        410,
        "calendar",
        "fullSyncRequired",
        "Sync token is no longer valid, a full sync is required.",
        "parameter",
        "syncToken");
  }

  public static ApiException authError() {
    return new ApiException(
        401,
        "global",
        "authError",
        "Invalid Credentials",
        "header",
        "Authorization",
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie"
            + " or other valid authentication credential.");
  }

  public static ApiException loginRequired() {
    return new ApiException(
        401,
        "global",
        "required",
        "Login Required.",
        "header",
        "Authorization",
        "Request is missing required authentication credential. Expected OAuth 2 access token,"
            + " login cookie or other valid authentication credential.");
  }

  public static ApiException insufficientPermissions() {
    return new ApiException(
        403,
        "global",
        "insufficientPermissions",
        "Insufficient Permission",
        null,
        null,
        "Request had insufficient authentication scopes.");
  }

  /**
   * 403 for a write the caller's role on the calendar does not allow (e.g. a {@code reader}
   * inserting an event).
   */
  public static ApiException requiredAccessLevel(String level) {
    return new ApiException(
        403,
        "calendar",
        "requiredAccessLevel",
        "You need to have " + level + " access to this calendar.",
        null,
        null);
  }

  /** 400 for events.watch on a calendar that sends no push notifications (e.g. holidays). */
  public static ApiException pushNotSupported() {
    return new ApiException(
        400,
        "global",
        "pushNotSupportedForRequestedResource",
        "Push notifications are not supported by this resource.",
        null,
        null);
  }

  public static ApiException conditionNotMet() {
    return new ApiException(
        412, "global", "conditionNotMet", "Precondition Failed", "header", "If-Match");
  }

  public static ApiException parseError() {
    return new ApiException(400, "global", "parseError", "Parse Error", null, null);
  }

  /** The google.rpc status name of an HTTP code, as newer Google errors carry it. */
  public static String statusName(int code) {
    return switch (code) {
      case 400 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 409 -> "ALREADY_EXISTS";
      case 410 -> "FAILED_PRECONDITION";
      case 412 -> "FAILED_PRECONDITION";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 500 -> "INTERNAL";
      case 503 -> "UNAVAILABLE";
      default -> "UNKNOWN";
    };
  }

  public ObjectNode body() {
    ObjectNode root = Json.object();
    ObjectNode error = root.putObject("error");
    error.put("code", status);
    error.put("message", topMessage);
    ObjectNode item = error.putArray("errors").addObject();
    item.put("domain", domain);
    item.put("reason", reason);
    item.put("message", getMessage());
    if (locationType != null) {
      item.put("locationType", locationType);
      item.put("location", location);
    }
    error.put("status", statusName(status));
    if ("insufficientPermissions".equals(reason)) {
      ObjectNode detail = error.putArray("details").addObject();
      detail.put("@type", "type.googleapis.com/google.rpc.ErrorInfo");
      detail.put("reason", "ACCESS_TOKEN_SCOPE_INSUFFICIENT");
      detail.put("domain", "googleapis.com");
      detail.putObject("metadata").put("service", "calendar-json.googleapis.com");
    }
    return root;
  }

  public Mono<ServerResponse> toResponse() {
    Mono<ServerResponse> response = Json.respond(status, body());
    if (status == 401) {
      // As at Google: error="invalid_token" makes the Java Credential refresh and retry.
      String challenge =
          "Bearer realm=\"https://accounts.google.com/\""
              + ("authError".equals(reason) ? ", error=\"invalid_token\"" : "");
      return ServerResponse.status(401)
          .header("WWW-Authenticate", challenge)
          .contentType(Json.CONTENT_TYPE)
          .bodyValue(Json.bytes(body()));
    }
    return response;
  }
}
