package io.calsync.query.config;

import io.calsync.query.support.QueryServiceTest;
import io.calsync.testsupport.DefaultTransport;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * The running service with the default transport settings: every Kafka client plaintext and without
 * the blank TLS entries of {@code application.yml}, PostgreSQL without TLS, and Vault never
 * consulted ({@link DefaultTransport}). {@code TransportSecurityConfigTests} covers the settings
 * switched on.
 */
@QueryServiceTest
class TransportSecurityApplicationTests {

  @Autowired ApplicationContext context;

  @Test
  void byDefaultKafkaIsPlaintextPostgresUnencryptedAndVaultUnused() {
    DefaultTransport.assertPlaintextAndNoVault(context);
  }
}
