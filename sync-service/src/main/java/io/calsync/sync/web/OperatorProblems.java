package io.calsync.sync.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * The problem+json answers of the operator endpoints ({@link ResyncEndpoint}, {@link
 * DeadLettersEndpoint}): actuator operations answer a {@link WebEndpointResponse}, not through
 * {@link ProblemAdvice}, so the same members ({@link ProblemException#problem}) are written here as
 * a plain map (the actuator's JSON mapper knows nothing of {@link ProblemDetail}).
 */
final class OperatorProblems {

  private OperatorProblems() {}

  static WebEndpointResponse<Object> problem(
      HttpStatus status, String code, String detail, String parameter, String instance) {
    ProblemDetail p = ProblemException.problem(status, code, detail, parameter);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", p.getType().toString());
    body.put("title", p.getTitle());
    body.put("status", p.getStatus());
    body.put("detail", p.getDetail());
    body.put("instance", instance);
    if (p.getProperties() != null) {
      body.putAll(p.getProperties());
    }
    return new WebEndpointResponse<>(body, status.value(), MediaType.APPLICATION_PROBLEM_JSON);
  }
}
