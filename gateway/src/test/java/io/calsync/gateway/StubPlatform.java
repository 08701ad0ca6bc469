package io.calsync.gateway;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * What stands behind a gateway under test: a mock OIDC issuer minting real signed tokens and one
 * {@link StubUpstream} per service, each on its own port.
 */
final class StubPlatform implements AutoCloseable {

  final MockOAuth2Server issuer = new MockOAuth2Server();
  final StubUpstream oauth;
  final StubUpstream sync;
  final StubUpstream query;

  private StubPlatform() {
    issuer.start();
    oauth = new StubUpstream("oauth-service");
    sync = new StubUpstream("sync-service");
    query = new StubUpstream("events-query-service");
  }

  static StubPlatform start() {
    return new StubPlatform();
  }

  /** Points the gateway at the issuer and the three upstreams. */
  void register(DynamicPropertyRegistry registry) {
    registry.add("OIDC_ISSUER_URI", () -> issuer.issuerUrl("dev").toString());
    registry.add("OAUTH_SERVICE_URL", oauth::baseUrl);
    registry.add("SYNC_SERVICE_URL", sync::baseUrl);
    registry.add("QUERY_SERVICE_URL", query::baseUrl);
  }

  /** Forgets what the upstreams recorded. */
  void reset() {
    oauth.reset();
    sync.reset();
    query.reset();
  }

  @Override
  public void close() {
    oauth.close();
    sync.close();
    query.close();
    issuer.shutdown();
  }
}
