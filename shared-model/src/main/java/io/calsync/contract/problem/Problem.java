package io.calsync.contract.problem;

/**
 * An {@code application/problem+json} body as the platform writes it: RFC 9457's members plus the
 * stable {@code code} and, for {@code invalid_parameter}, the offending {@code parameter}.
 */
public record Problem(
    String type, String title, int status, String detail, String instance, String code, String parameter) {

  public static final String MEDIA_TYPE = "application/problem+json";
}
