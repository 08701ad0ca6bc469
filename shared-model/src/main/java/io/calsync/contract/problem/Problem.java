package io.calsync.contract.problem;

/**
 * An {@code application/problem+json} body as the platform writes it: RFC 9457's members ({@code
 * type} = {@link ProblemCodes#type(String)}, {@code title} = the status' reason phrase, {@code
 * instance} = the request path) plus the stable {@code code} and, for {@code invalid_parameter},
 * the offending {@code parameter} (null otherwise).
 */
public record Problem(
    String type,
    String title,
    int status,
    String detail,
    String instance,
    String code,
    String parameter) {

  public static final String MEDIA_TYPE = "application/problem+json";
}
