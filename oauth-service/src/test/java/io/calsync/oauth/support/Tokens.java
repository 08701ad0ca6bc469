package io.calsync.oauth.support;

import java.util.List;
import java.util.Map;

/** Real signed JWTs from the in-process issuer. */
public final class Tokens {

  private Tokens() {}

  /** The client the web client's user tokens are issued to. */
  public static final String WEB_CLIENT = "calendar-web";

  /** A user token as the web client gets it: {@code sub} is the user, audience {@code calendar}. */
  public static String user(String userId) {
    return userWithScope(userId, "openid calendar");
  }

  /**
   * A user token of the web client with the given scope, as an issuer that grants what is asked
   * gives.
   */
  public static String userWithScope(String userId, String scope) {
    return TestInfrastructure.oidc()
        .issueToken(
            TestInfrastructure.ISSUER_ID,
            userId,
            "calendar",
            Map.of("scope", scope, "client_id", WEB_CLIENT, "azp", WEB_CLIENT),
            3600)
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
    return serviceOf("sync-service", "calendar-internal", scopes);
  }

  /**
   * An operator's token as the dev issuer's {@code operator} client gets it: scope {@code
   * calendar.admin}, audience {@code calendar}.
   */
  public static String operator() {
    return serviceOf("operator", "calendar", "calendar.admin");
  }

  /** A client-credentials token of {@code clientId} for {@code audience}. */
  public static String serviceOf(String clientId, String audience, String... scopes) {
    return TestInfrastructure.oidc()
        .issueToken(
            TestInfrastructure.ISSUER_ID,
            clientId,
            audience,
            Map.of("scope", String.join(" ", List.of(scopes)), "client_id", clientId),
            3600)
        .serialize();
  }
}
