package io.calsync.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.springframework.boot.r2dbc.OptionsCapableConnectionFactory;
import org.springframework.context.ApplicationContext;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.vault.core.ReactiveVaultOperations;
import org.springframework.vault.core.VaultOperations;

/**
 * What a running service's clients look like with the default transport settings, checked by each
 * service's {@code TransportSecurityApplicationTests} on its own application context: every Kafka
 * client plaintext and without the blank TLS entries of {@code application.yml}, PostgreSQL without
 * TLS, and no Vault client. {@link TransportSecurityContract} covers the settings switched on.
 */
public final class DefaultTransport {

  private DefaultTransport() {}

  public static void assertPlaintextAndNoVault(ApplicationContext context) {
    for (Map<String, Object> config :
        List.of(
            context.getBean(ProducerFactory.class).getConfigurationProperties(),
            context.getBean(ConsumerFactory.class).getConfigurationProperties(),
            context.getBean(KafkaAdmin.class).getConfigurationProperties())) {
      assertThat(config)
          .containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT")
          .doesNotContainKeys(
              SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG);
      assertThat(config.values()).doesNotContain("");
    }
    ConnectionFactoryOptions options =
        OptionsCapableConnectionFactory.unwrapFrom(context.getBean(ConnectionFactory.class))
            .getOptions();
    assertThat(options.getValue(Option.valueOf("sslMode"))).isEqualTo("disable");
    assertThat(options.hasOption(Option.valueOf("sslRootCert"))).isFalse();
    // Vault is off: no client for it exists (TransportSecurityContract: nor is KV read)
    assertThat(context.getBeanNamesForType(VaultOperations.class)).isEmpty();
    assertThat(context.getBeanNamesForType(ReactiveVaultOperations.class)).isEmpty();
  }
}
