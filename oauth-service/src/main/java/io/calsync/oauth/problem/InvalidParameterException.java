package io.calsync.oauth.problem;

/** A request parameter (query, path or body field) is missing or malformed: a 400 naming it. */
public class InvalidParameterException extends RuntimeException {

  private final String parameter;

  public InvalidParameterException(String parameter, String detail) {
    super(detail);
    this.parameter = parameter;
  }

  public String parameter() {
    return parameter;
  }
}
