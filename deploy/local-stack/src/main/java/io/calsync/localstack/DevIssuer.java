package io.calsync.localstack;

import java.net.InetAddress;
import java.net.UnknownHostException;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;

/**
 * The development OIDC issuer (no.nav mock-oauth2-server) at {@code http://localhost:<port>/dev}.
 *
 * <ul>
 *   <li>Users: any username and password. The password grant with {@code scope=openid calendar}
 *       and the browser login (authorization code + PKCE, client {@code calendar-web}) give a token
 *       whose {@code sub} is the username and whose audience is {@code calendar}.
 *   <li>Services: the client-credentials grant with {@code scope=calendar.tokens} gives a token
 *       whose {@code sub} is the client id, with scope {@code calendar.tokens}, audience {@code
 *       calendar}.
 * </ul>
 */
final class DevIssuer implements AutoCloseable {

  static final String ISSUER_ID = "dev";

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
              {
                "requestParam": "scope",
                "match": "calendar.tokens",
                "claims": { "sub": "${clientId}", "aud": ["calendar"], "scope": "calendar.tokens" }
              },
              {
                "requestParam": "grant_type",
                "match": "authorization_code",
                "claims": { "aud": ["calendar"], "scope": "openid calendar" }
              },
              {
                "requestParam": "scope",
                "match": "*",
                "claims": { "aud": ["calendar"], "scope": "${scope}" }
              }
            ]
          }
        ]
      }
      """;

  private final MockOAuth2Server server;

  private DevIssuer(MockOAuth2Server server) {
    this.server = server;
  }

  static DevIssuer start(int port) {
    MockOAuth2Server server = new MockOAuth2Server(OAuth2Config.Companion.fromJson(CONFIG));
    try {
      server.start(InetAddress.getByName("127.0.0.1"), port);
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
    return new DevIssuer(server);
  }

  @Override
  public void close() {
    server.shutdown();
  }
}
