package io.calsync.oauth.support;

import java.util.List;
import java.util.Map;

/** Real signed JWTs from the in-process issuer. */
public final class Tokens {

  private Tokens() {}

  /** A user token: {@code sub} is the user, audience {@code calendar}. */
  public static String user(String userId) {
    return TestInfrastructure.oidc()
        .issueToken(TestInfrastructure.ISSUER_ID, userId, "calendar", Map.of("scope", "openid calendar"), 3600)
        .serialize();
  }

  /** A user token for another audience, which every service must refuse. */
  public static String userWithAudience(String userId, String audience) {
    return TestInfrastructure.oidc()
        .issueToken(TestInfrastructure.ISSUER_ID, userId, audience, Map.of(), 3600)
        .serialize();
  }

  /** A service token as sync-service gets it from the client-credentials grant. */
  public static String service(String... scopes) {
    return TestInfrastructure.oidc()
        .issueToken(
            TestInfrastructure.ISSUER_ID,
            "sync-service",
            "calendar",
            Map.of("scope", String.join(" ", List.of(scopes))),
            3600)
        .serialize();
  }
}
