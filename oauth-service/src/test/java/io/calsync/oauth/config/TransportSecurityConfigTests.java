package io.calsync.oauth.config;

import io.calsync.testsupport.TransportSecurityContract;

/**
 * This service's transport security settings (Kafka SASL_SSL/SCRAM, PostgreSQL TLS, passwords from
 * Vault KV) as Boot applies them: the shared checks of {@link TransportSecurityContract}.
 */
class TransportSecurityConfigTests extends TransportSecurityContract {

  TransportSecurityConfigTests() {
    super("oauth-service", TransportSecurityConfig.class);
  }
}
