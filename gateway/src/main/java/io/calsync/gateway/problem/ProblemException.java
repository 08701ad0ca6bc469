package io.calsync.gateway.problem;

import io.calsync.contract.problem.ProblemCodes;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * An error the gateway itself answers: Spring's {@link ErrorResponseException} whose {@link
 * ProblemDetail} carries the platform's members (root README, decision 23): {@code type} = {@link
 * ProblemCodes#type(String)}, {@code title} = the status' reason phrase, the stable {@code code}
 * and {@code parameter} (null but for a request its firewall refused). {@link ProblemWriter} writes
 * it, with {@code instance} = the path the client asked for.
 */
public class ProblemException extends ErrorResponseException {

  ProblemException(HttpStatus status, String code, String detail) {
    this(status, code, detail, null);
  }

  private ProblemException(HttpStatus status, String code, String detail, String parameter) {
    super(status, problem(status, code, detail, parameter), null);
  }

  /**
   * A request Spring Security's firewall refused ({@code StrictServerWebExchangeFirewall}): 405
   * {@code method_not_allowed} for a method outside its list, otherwise 400 {@code
   * invalid_parameter} naming the refused part ({@link FirewallRejections}).
   */
  public static ProblemException rejected(String reason) {
    if (FirewallRejections.isMethod(reason)) {
      return new ProblemException(
          HttpStatus.METHOD_NOT_ALLOWED,
          ProblemCodes.METHOD_NOT_ALLOWED,
          "This method is not supported.");
    }
    String parameter = FirewallRejections.parameterOf(reason);
    return new ProblemException(
        HttpStatus.BAD_REQUEST,
        ProblemCodes.INVALID_PARAMETER,
        "The request's " + parameter + " is not allowed.",
        parameter);
  }

  /** 401 {@code unauthorized} with the bearer challenge (RFC 6750) {@code challenge}. */
  public static ProblemException unauthorized(String detail, String challenge) {
    var e = new ProblemException(HttpStatus.UNAUTHORIZED, ProblemCodes.UNAUTHORIZED, detail);
    e.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, challenge);
    return e;
  }

  /**
   * 403 {@code forbidden} for a browser's state-changing request without the session's CSRF token:
   * no bearer challenge, since no token would help.
   */
  public static ProblemException csrfRejected() {
    return new ProblemException(
        HttpStatus.FORBIDDEN,
        ProblemCodes.FORBIDDEN,
        "This request needs the CSRF token: send the XSRF-TOKEN cookie's value in the X-XSRF-TOKEN"
            + " header.");
  }

  /** 403 {@code forbidden} with the bearer challenge {@code insufficient_scope}. */
  public static ProblemException forbidden(String detail) {
    var e = new ProblemException(HttpStatus.FORBIDDEN, ProblemCodes.FORBIDDEN, detail);
    e.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"insufficient_scope\"");
    return e;
  }

  public static ProblemException notFound(String detail) {
    return new ProblemException(HttpStatus.NOT_FOUND, ProblemCodes.NOT_FOUND, detail);
  }

  public static ProblemException payloadTooLarge(String detail) {
    return new ProblemException(
        HttpStatus.CONTENT_TOO_LARGE, ProblemCodes.PAYLOAD_TOO_LARGE, detail);
  }

  /** 429 {@code rate_limited} with {@code Retry-After} in whole seconds. */
  public static ProblemException rateLimited(String detail, long retryAfterSeconds) {
    var e = new ProblemException(HttpStatus.TOO_MANY_REQUESTS, ProblemCodes.RATE_LIMITED, detail);
    e.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
    return e;
  }

  public static ProblemException upstreamUnavailable(String detail) {
    return new ProblemException(
        HttpStatus.SERVICE_UNAVAILABLE, ProblemCodes.UPSTREAM_UNAVAILABLE, detail);
  }

  public static ProblemException upstreamTimeout(String detail) {
    return new ProblemException(HttpStatus.GATEWAY_TIMEOUT, ProblemCodes.UPSTREAM_TIMEOUT, detail);
  }

  /** The path the client asked for, where it differs from the request's (an internal forward). */
  public ProblemException at(String path) {
    getBody().setInstance(URI.create(path));
    return this;
  }

  private static ProblemDetail problem(
      HttpStatus status, String code, String detail, String parameter) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(URI.create(ProblemCodes.type(code)));
    problem.setProperty("code", code);
    problem.setProperty("parameter", parameter);
    return problem;
  }
}
