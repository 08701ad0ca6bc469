package io.calsync.localstack;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.concurrent.CountDownLatch;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;

/**
 * The development OIDC issuer (no.nav mock-oauth2-server) at {@code http://localhost:<port>/dev}.
 *
 * <ul>
 *   <li>Users: any username and password. The password grant (client {@code calendar-web}) and the
 *       browser login (the gateway's authorization code + PKCE) give a user token: {@code sub} is
 *       the username, audience {@code calendar} and the client (an ID token must name its client),
 *       scope {@code openid calendar} whatever was asked, and {@code client_id} the client.
 *   <li>Services: the client-credentials grant of client {@code sync-service} gives its service
 *       token: {@code sub} and {@code client_id} {@code sync-service}, audience {@code
 *       calendar-internal}, scope {@code calendar.tokens}. Any other client's client-credentials
 *       token has the internal audience but no scope.
 *   <li>Operators: the client-credentials grant of client {@code operator} gives an operator token:
 *       {@code sub} and {@code client_id} {@code operator}, scope {@code calendar.admin}
 *       (sync-service's actuator endpoints {@code resync} and {@code deadletters}), audience {@code
 *       calendar}: the only audience sync-service's resource server accepts ({@code
 *       calendar-internal} is oauth-service's, for the service token). Its other grants are a
 *       user's.
 * </ul>
 *
 * <p>Mappings are tried in order, first match wins; the user grants come first, so asking for
 * {@code calendar.tokens} or {@code calendar.admin} with a user grant never yields it. Like any
 * mock issuer it authenticates neither users nor clients: it is for development only, and a
 * production issuer must authenticate sync-service's and the operators' clients (a secret or a
 * private-key JWT).
 */
final class DevIssuer implements AutoCloseable {

  static final String ISSUER_ID = "dev";

  /** The client whose client-credentials grant gets scope {@code calendar.tokens}. */
  static final String SYNC_SERVICE_CLIENT = "sync-service";

  /** The client whose client-credentials grant gets scope {@code calendar.admin}. */
  static final String OPERATOR_CLIENT = "operator";

  private static final String USER_CLAIMS =
      """
      { "aud": ["calendar", "${clientId}"], "scope": "openid calendar", "client_id": "${clientId}", "azp": "${clientId}" }""";

  private static final String CONFIG =
      """
      {
        "interactiveLogin": true,
        "httpServer": "NettyWrapper",
        "tokenCallbacks": [
          {
            "issuerId": "dev",
            "tokenExpiry": 3600,
            "requestMappings": [
              { "requestParam": "grant_type", "match": "password", "claims": %1$s },
              { "requestParam": "grant_type", "match": "authorization_code", "claims": %1$s },
              { "requestParam": "grant_type", "match": "refresh_token", "claims": %1$s },
              {
                "requestParam": "client_id",
                "match": "%2$s",
                "claims": {
                  "sub": "${clientId}", "client_id": "${clientId}",
                  "aud": ["calendar-internal"], "scope": "calendar.tokens"
                }
              },
              {
                "requestParam": "client_id",
                "match": "%3$s",
                "claims": {
                  "sub": "${clientId}", "client_id": "${clientId}",
                  "aud": ["calendar"], "scope": "calendar.admin"
                }
              },
              {
                "requestParam": "grant_type",
                "match": "client_credentials",
                "claims": { "sub": "${clientId}", "client_id": "${clientId}", "aud": ["calendar-internal"] }
              },
              { "requestParam": "scope", "match": "*", "claims": %1$s }
            ]
          }
        ]
      }
      """
          .formatted(USER_CLAIMS, SYNC_SERVICE_CLIENT, OPERATOR_CLIENT);

  private final MockOAuth2Server server;

  private DevIssuer(MockOAuth2Server server) {
    this.server = server;
  }

  /** The local stack's issuer, on the loopback interface only. */
  static DevIssuer start(int port) {
    return start("127.0.0.1", port);
  }

  /** The issuer on one address: loopback for the local stack, every interface in a container. */
  static DevIssuer start(String address, int port) {
    MockOAuth2Server server = new MockOAuth2Server(OAuth2Config.Companion.fromJson(CONFIG));
    try {
      server.start(InetAddress.getByName(address), port);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    return new DevIssuer(server);
  }

  /**
   * Runs the issuer alone on every interface, port {@code OIDC_PORT} (default 8099), until killed:
   * docker-compose.yml's OIDC provider (image {@code calsync/dev-issuer}, Maven profile {@code
   * images}). Its tokens' {@code iss} is the address they were asked at, so callers and services
   * must use one name for it ({@code http://oidc:8099/dev} in compose).
   */
  public static void main(String[] args) throws InterruptedException {
    int port = Integer.parseInt(System.getenv().getOrDefault("OIDC_PORT", "8099").trim());
    DevIssuer issuer = start("0.0.0.0", port);
    Runtime.getRuntime().addShutdownHook(new Thread(issuer::close, "dev-issuer-shutdown"));
    new CountDownLatch(1).await();
  }

  @Override
  public void close() {
    server.shutdown();
  }
}
