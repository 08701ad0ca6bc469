package io.calsync.oauth.google;

/**
 * The OIDC userinfo of the connected Google account. {@code sub} is the stable key, not the e-mail.
 */
public record GoogleUserInfo(String sub, String email, Boolean emailVerified) {}
