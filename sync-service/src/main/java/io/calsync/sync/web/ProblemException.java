package io.calsync.sync.web;

import io.calsync.contract.problem.ProblemCodes;
import java.net.URI;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An expected failure of a request: Spring's {@link ErrorResponseException} whose {@link
 * ProblemDetail} carries the platform's members (root README, decision 23): {@code type} = {@link
 * ProblemCodes#type(String)}, {@code title} = the status' reason phrase, the stable {@code code}
 * and {@code parameter} (null unless {@code invalid_parameter}). {@link ProblemAdvice} answers it
 * from a controller, {@link ProblemWriter} from a filter; both set {@code instance}.
 */
class ProblemException extends ErrorResponseException {

  static final String CODE = "code";
  static final String PARAMETER = "parameter";

  private ProblemException(HttpStatus status, String code, String detail, String parameter) {
    super(status, problem(status, code, detail, parameter), null);
  }

  /** 400 {@code invalid_parameter} naming the path variable or body member. */
  static ProblemException invalidParameter(String parameter, String detail) {
    return new ProblemException(
        HttpStatus.BAD_REQUEST, ProblemCodes.INVALID_PARAMETER, detail, parameter);
  }

  /** 400 {@code invalid_body}: not JSON, or not a JSON object. */
  static ProblemException invalidBody(String detail) {
    return new ProblemException(HttpStatus.BAD_REQUEST, ProblemCodes.INVALID_BODY, detail, null);
  }

  /** 404 {@code not_found}: no such resource, or another user's. */
  static ProblemException notFound(String detail) {
    return new ProblemException(HttpStatus.NOT_FOUND, ProblemCodes.NOT_FOUND, detail, null);
  }

  /** 409 {@code conflict}: the request collides with one under way. */
  static ProblemException conflict(String detail) {
    return new ProblemException(HttpStatus.CONFLICT, ProblemCodes.CONFLICT, detail, null);
  }

  /** 503 {@code upstream_unavailable}: a dependency (here Kafka) cannot be reached. */
  static ProblemException unavailable(String detail) {
    return new ProblemException(
        HttpStatus.SERVICE_UNAVAILABLE, ProblemCodes.UPSTREAM_UNAVAILABLE, detail, null);
  }

  /** 409 {@code reauth_required}: the connection's Google grant is gone. */
  static ProblemException reauthRequired(String detail) {
    return new ProblemException(HttpStatus.CONFLICT, ProblemCodes.REAUTH_REQUIRED, detail, null);
  }

  /**
   * 429 {@code rate_limited} with {@code Retry-After} in whole seconds (rounded up, at least 1).
   */
  static ProblemException rateLimited(String detail, Duration retryAfter) {
    var e =
        new ProblemException(HttpStatus.TOO_MANY_REQUESTS, ProblemCodes.RATE_LIMITED, detail, null);
    long seconds = Math.max(1, retryAfter.plusNanos(999_999_999L).getSeconds());
    e.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
    return e;
  }

  /** 401 {@code unauthorized} with the bearer challenge (RFC 6750). */
  static ProblemException unauthorized(String detail) {
    var e = new ProblemException(HttpStatus.UNAUTHORIZED, ProblemCodes.UNAUTHORIZED, detail, null);
    e.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    return e;
  }

  static ProblemException forbidden(String detail) {
    return new ProblemException(HttpStatus.FORBIDDEN, ProblemCodes.FORBIDDEN, detail, null);
  }

  /**
   * A problem with the platform's members; {@code parameter} only for {@code invalid_parameter}.
   */
  static ProblemDetail problem(
      HttpStatusCode status, String code, String detail, String parameter) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(URI.create(ProblemCodes.type(code)));
    problem.setProperty(CODE, code);
    problem.setProperty(PARAMETER, parameter);
    return problem;
  }

  /** The code of a status when nothing more specific is known (Spring's own exceptions). */
  static String codeOf(HttpStatusCode status) {
    return switch (status.value()) {
      case 401 -> ProblemCodes.UNAUTHORIZED;
      case 403 -> ProblemCodes.FORBIDDEN;
      case 404 -> ProblemCodes.NOT_FOUND;
      case 405 -> ProblemCodes.METHOD_NOT_ALLOWED;
      case 409 -> ProblemCodes.CONFLICT;
      case 413 -> ProblemCodes.PAYLOAD_TOO_LARGE;
      case 429 -> ProblemCodes.RATE_LIMITED;
      case 503 -> ProblemCodes.UPSTREAM_UNAVAILABLE;
      case 504 -> ProblemCodes.UPSTREAM_TIMEOUT;
      default ->
          status.is4xxClientError() ? ProblemCodes.INVALID_BODY : ProblemCodes.INTERNAL_ERROR;
    };
  }
}
