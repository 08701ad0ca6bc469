package io.calsync.query.problem;

import io.calsync.contract.problem.Problem;
import io.calsync.contract.problem.ProblemCodes;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/** Builds RFC 9457 bodies with the platform's codes. */
public final class Problems {

  public static final MediaType PROBLEM_JSON = MediaType.parseMediaType(Problem.MEDIA_TYPE);

  private Problems() {}

  public static Problem problem(HttpStatusCode status, String code, String detail, String parameter) {
    HttpStatus known = HttpStatus.resolve(status.value());
    String title = known != null ? known.getReasonPhrase() : "Error";
    return new Problem(ProblemCodes.type(code), title, status.value(), detail, null, code, parameter);
  }

  public static ResponseEntity<Problem> response(HttpStatusCode status, String code, String detail, String parameter) {
    return ResponseEntity.status(status).contentType(PROBLEM_JSON).body(problem(status, code, detail, parameter));
  }

  /** The stable code of a plain HTTP status. */
  public static String codeOf(HttpStatusCode status) {
    return switch (status.value()) {
      case 400 -> ProblemCodes.INVALID_PARAMETER;
      case 401 -> ProblemCodes.UNAUTHORIZED;
      case 403 -> ProblemCodes.FORBIDDEN;
      case 404 -> ProblemCodes.NOT_FOUND;
      case 405 -> ProblemCodes.METHOD_NOT_ALLOWED;
      case 409 -> ProblemCodes.CONFLICT;
      case 413 -> ProblemCodes.PAYLOAD_TOO_LARGE;
      case 429 -> ProblemCodes.RATE_LIMITED;
      case 503 -> ProblemCodes.UPSTREAM_UNAVAILABLE;
      case 504 -> ProblemCodes.UPSTREAM_TIMEOUT;
      default -> status.is4xxClientError() ? ProblemCodes.INVALID_BODY : ProblemCodes.INTERNAL_ERROR;
    };
  }

  /** Whether the failure means the database (or another dependency) cannot be reached right now. */
  public static boolean isUnavailable(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof DataAccessResourceFailureException
          || t instanceof TransientDataAccessException
          || t instanceof io.r2dbc.spi.R2dbcTransientResourceException
          || t instanceof io.r2dbc.spi.R2dbcNonTransientResourceException
          || t instanceof io.r2dbc.spi.R2dbcTimeoutException
          || t instanceof ConnectException
          || t instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }
}
