package io.calsync.query.problem;

/** A request parameter is missing, repeated or malformed: a 400 problem that names it. */
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
