package io.calsync.oauth.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.oauth.support.ApplicationTestSupport;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.r2dbc.OptionsCapableConnectionFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.vault.core.ReactiveVaultOperations;
import org.springframework.vault.core.VaultOperations;

/**
 * The running service with the default transport settings: every Kafka client plaintext and without
 * the blank TLS entries of {@code application.yml}, PostgreSQL without TLS, and Vault never consulted.
 * {@code TransportSecurityConfigurationTests} covers the settings switched on.
 */
class TransportSecurityApplicationTests extends ApplicationTestSupport {

  @Autowired ProducerFactory<?, ?> producers;
  @Autowired ConsumerFactory<?, ?> consumers;
  @Autowired KafkaAdmin admin;
  @Autowired ConnectionFactory connectionFactory;
  @Autowired ApplicationContext context;

  @Test
  void byDefaultKafkaIsPlaintextPostgresUnencryptedAndVaultUnused() {
    for (Map<String, Object> config :
        List.of(
            producers.getConfigurationProperties(),
            consumers.getConfigurationProperties(),
            admin.getConfigurationProperties())) {
      assertThat(config)
          .containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT")
          .doesNotContainKeys(
              SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG);
      assertThat(config.values()).doesNotContain("");
    }
    ConnectionFactoryOptions options =
        OptionsCapableConnectionFactory.unwrapFrom(connectionFactory).getOptions();
    assertThat(options.getValue(Option.valueOf("sslMode"))).isEqualTo("disable");
    assertThat(options.hasOption(Option.valueOf("sslRootCert"))).isFalse();
    // Vault is off: no client for it exists (TransportSecurityConfigurationTests: nor is KV read)
    assertThat(context.getBeanNamesForType(VaultOperations.class)).isEmpty();
    assertThat(context.getBeanNamesForType(ReactiveVaultOperations.class)).isEmpty();
  }
}
