package io.calsync.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.r2dbc.postgresql.client.SSLMode;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.ConnectionFactoryOptions;
import io.r2dbc.spi.Option;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.Driver;
import org.postgresql.PGProperty;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.r2dbc.OptionsCapableConnectionFactory;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcAutoConfiguration;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The transport security settings of a service's {@code application.yml} as Boot applies them,
 * without a broker, a database or Vault: the service's own configuration file and its transport
 * security configuration class with Boot's Kafka and R2DBC auto-configuration, given the
 * environment variables an operator sets. Each of oauth-service, sync-service and
 * events-query-service runs these tests by extending this class with its name and configuration
 * class. It reads the effective producer, consumer and admin client configurations, the R2DBC
 * connection options and the Flyway JDBC URL, and lets Kafka's own client and pgjdbc's URL parser
 * check them. Vault is played by {@link VaultKvStandIn}.
 */
public abstract class TransportSecurityContract {

  private static final String SCRAM_PASSWORD = "scram-Pa55word-from-env";
  private static final String VAULT_TOKEN = "test-token";

  private final String service;
  private final ApplicationContextRunner runner;

  /**
   * @param service the service's {@code spring.application.name}, which is also its Vault KV path
   * @param configuration its class that drops blank Kafka and R2DBC properties
   */
  protected TransportSecurityContract(String service, Class<?> configuration) {
    this.service = service;
    this.runner =
        new ApplicationContextRunner()
            .withInitializer(new ConfigDataApplicationContextInitializer())
            .withConfiguration(
                AutoConfigurations.of(KafkaAutoConfiguration.class, R2dbcAutoConfiguration.class))
            .withUserConfiguration(configuration)
            // the driver's own connection factory instead of a pool: nothing here opens a
            // connection
            .withPropertyValues("spring.r2dbc.pool.enabled=false");
  }

  private VaultKvStandIn vault;
  private Path caCertificate;

  @BeforeEach
  public void startVaultStandIn() throws Exception {
    // a file, as operators give it; the resource may sit inside this module's jar
    caCertificate = Files.createTempFile("test-ca", ".pem");
    try (InputStream in = TransportSecurityContract.class.getResourceAsStream("/tls/test-ca.pem")) {
      Files.copy(in, caCertificate, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
    vault =
        new VaultKvStandIn(VAULT_TOKEN)
            .put(
                service,
                Map.of(
                    "spring.r2dbc.password", "db-password-from-vault",
                    "calsync.kafka.sasl.password", "scram-password-from-vault"));
  }

  @AfterEach
  public void stopVaultStandIn() throws Exception {
    vault.close();
    Files.deleteIfExists(caCertificate);
  }

  @Test
  public void defaultsArePlaintextKafkaAndPostgresWithoutTlsAndNeverAskVault() {
    runner
        .withPropertyValues("VAULT_URI=" + vault.uri())
        .run(
            context -> {
              everyKafkaClient(
                  context,
                  config -> {
                    assertThat(config)
                        .containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT")
                        .doesNotContainKeys(
                            SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG,
                            SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG,
                            SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG);
                    assertThat(config.values()).doesNotContain("");
                  });

              ConnectionFactoryOptions options = r2dbcOptions(context);
              assertThat(options.getValue(Option.valueOf("sslMode"))).isEqualTo("disable");
              assertThat(options.hasOption(Option.valueOf("sslRootCert"))).isFalse();
              assertThat(options.getValue(ConnectionFactoryOptions.PASSWORD))
                  .hasToString("postgres");

              assertThat(flywayUrl(context).getProperty(PGProperty.SSL_MODE.getName()))
                  .isEqualTo("disable");
              assertThat(context.getEnvironment().getProperty("spring.flyway.password"))
                  .isEqualTo("postgres");
            });
    assertThat(vault.requests()).as("requests that reached Vault").isEmpty();
  }

  @Test
  public void saslSslWithScramAndAPemTruststoreReachEveryKafkaClientAndThePasswordIsNeverLogged() {
    runner
        .withPropertyValues(
            "KAFKA_SECURITY_PROTOCOL=SASL_SSL",
            "KAFKA_SASL_USERNAME=" + service,
            "KAFKA_SASL_PASSWORD=" + SCRAM_PASSWORD,
            "KAFKA_SSL_TRUSTSTORE_LOCATION=" + caCertificate,
            "KAFKA_SSL_TRUSTSTORE_TYPE=PEM")
        .run(
            context -> {
              everyKafkaClient(
                  context,
                  config -> {
                    assertThat(config)
                        .containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL")
                        .containsEntry(SaslConfigs.SASL_MECHANISM, "SCRAM-SHA-512")
                        .containsEntry(
                            SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, caCertificate.toString())
                        .containsEntry(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM")
                        // a PEM truststore takes no password: the unset variable must not become ""
                        .doesNotContainKeys(
                            SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG,
                            SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG);
                    assertThat(config.get(SaslConfigs.SASL_JAAS_CONFIG))
                        .isEqualTo(
                            "org.apache.kafka.common.security.scram.ScramLoginModule required"
                                + " username=\""
                                + service
                                + "\" password=\""
                                + SCRAM_PASSWORD
                                + "\";");
                  });

              // Kafka's own client takes it: parses the JAAS line, logs in, loads the PEM
              // truststore
              Map<String, Object> consumer =
                  context.getBean(DefaultKafkaConsumerFactory.class).getConfigurationProperties();
              List<ILoggingEvent> logged = kafkaLogsOf(() -> openAndCloseConsumer(consumer));
              assertThat(
                      new ConsumerConfig(consumer)
                          .getString(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG))
                  .as("the broker's host name is verified")
                  .isEqualTo("https");
              assertThat(logged)
                  .anySatisfy(
                      event ->
                          assertThat(event.getFormattedMessage())
                              .contains("sasl.jaas.config = [hidden]"));
              assertThat(logged)
                  .noneSatisfy(
                      event -> assertThat(event.getFormattedMessage()).contains(SCRAM_PASSWORD));
            });
  }

  @Test
  public void aJksTruststoreWithItsPasswordReachesEveryKafkaClient(@TempDir Path directory)
      throws Exception {
    Path truststore = directory.resolve("truststore.jks");
    KeyStore store = KeyStore.getInstance("JKS");
    store.load(null, null);
    try (InputStream in = Files.newInputStream(caCertificate)) {
      store.setCertificateEntry(
          "calsync-test-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    try (OutputStream out = Files.newOutputStream(truststore)) {
      store.store(out, "truststore-secret".toCharArray());
    }
    runner
        .withPropertyValues(
            "KAFKA_SECURITY_PROTOCOL=SSL",
            "KAFKA_SSL_TRUSTSTORE_LOCATION=" + truststore,
            "KAFKA_SSL_TRUSTSTORE_PASSWORD=truststore-secret")
        .run(
            context -> {
              everyKafkaClient(
                  context,
                  config ->
                      assertThat(config)
                          .containsEntry(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SSL")
                          .containsEntry(
                              SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, truststore.toString())
                          .containsEntry(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "JKS")
                          .containsEntry(
                              SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, "truststore-secret"));
              openAndCloseConsumer(
                  context.getBean(DefaultKafkaConsumerFactory.class).getConfigurationProperties());
            });
  }

  @Test
  public void verifyFullReachesR2dbcAndFlywayWithTheRootCertificate() {
    runner
        .withPropertyValues(
            "DB_HOST=db.calsync.internal",
            "DB_SSL_MODE=verify-full",
            "DB_SSL_ROOT_CERT=" + caCertificate)
        .run(
            context -> {
              assertThat(context).hasNotFailed();
              // r2dbc-postgresql accepted both options (it reads the certificate when it builds its
              // factory)
              assertThat(context.getBean(ConnectionFactory.class).getMetadata().getName())
                  .isEqualTo("PostgreSQL");
              ConnectionFactoryOptions options = r2dbcOptions(context);
              assertThat(options.getValue(ConnectionFactoryOptions.HOST))
                  .isEqualTo("db.calsync.internal");
              assertThat(SSLMode.fromValue((String) options.getValue(Option.valueOf("sslMode"))))
                  .isEqualTo(SSLMode.VERIFY_FULL);
              assertThat(options.getValue(Option.valueOf("sslRootCert")))
                  .isEqualTo(caCertificate.toString());

              Properties jdbc = flywayUrl(context);
              assertThat(jdbc.getProperty(PGProperty.PG_HOST.getName()))
                  .isEqualTo("db.calsync.internal");
              assertThat(jdbc.getProperty(PGProperty.SSL_MODE.getName())).isEqualTo("verify-full");
              assertThat(jdbc.getProperty(PGProperty.SSL_ROOT_CERT.getName()))
                  .isEqualTo(caCertificate.toString());
            });
  }

  @Test
  public void withVaultOnThePasswordsComeFromTheServicesKvPath() {
    runner
        .withPropertyValues(
            "VAULT_ENABLED=true",
            "VAULT_URI=" + vault.uri(),
            "VAULT_TOKEN=" + VAULT_TOKEN,
            "KAFKA_SECURITY_PROTOCOL=SASL_SSL",
            "KAFKA_SASL_USERNAME=" + service)
        .run(
            context -> {
              everyKafkaClient(
                  context,
                  config ->
                      assertThat((String) config.get(SaslConfigs.SASL_JAAS_CONFIG))
                          .contains("username=\"" + service + "\"")
                          .contains("password=\"scram-password-from-vault\""));
              assertThat(r2dbcOptions(context).getValue(ConnectionFactoryOptions.PASSWORD))
                  .hasToString("db-password-from-vault");
              assertThat(context.getEnvironment().getProperty("spring.flyway.password"))
                  .isEqualTo("db-password-from-vault");
              // no truststore given: the JVM's default CAs, which Kafka accepts only without a
              // password
              openAndCloseConsumer(
                  context.getBean(DefaultKafkaConsumerFactory.class).getConfigurationProperties());
            });
    assertThat(vault.requests()).contains("/v1/secret/data/" + service + " token=accepted");
  }

  /**
   * The configuration of each Kafka client Boot builds: producer (and DLT publisher), consumer,
   * admin.
   */
  private static void everyKafkaClient(
      AssertableApplicationContext context, Consumer<Map<String, Object>> assertion) {
    assertThat(context).hasNotFailed();
    assertion.accept(
        context.getBean(DefaultKafkaProducerFactory.class).getConfigurationProperties());
    assertion.accept(
        context.getBean(DefaultKafkaConsumerFactory.class).getConfigurationProperties());
    assertion.accept(context.getBean(KafkaAdmin.class).getConfigurationProperties());
  }

  private static ConnectionFactoryOptions r2dbcOptions(AssertableApplicationContext context) {
    assertThat(context).hasNotFailed();
    return OptionsCapableConnectionFactory.unwrapFrom(context.getBean(ConnectionFactory.class))
        .getOptions();
  }

  private static Properties flywayUrl(AssertableApplicationContext context) {
    Properties parsed =
        Driver.parseURL(
            context.getEnvironment().getProperty("spring.flyway.url"), new Properties());
    assertThat(parsed).as("pgjdbc parses the Flyway URL").isNotNull();
    return parsed;
  }

  private static void openAndCloseConsumer(Map<String, Object> config) {
    new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer()).close();
  }

  private static List<ILoggingEvent> kafkaLogsOf(Runnable action) {
    Logger kafka = (Logger) LoggerFactory.getLogger("org.apache.kafka");
    Level level = kafka.getLevel();
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    kafka.addAppender(appender);
    kafka.setLevel(Level.INFO);
    try {
      action.run();
    } finally {
      kafka.detachAppender(appender);
      kafka.setLevel(level);
    }
    return appender.list;
  }
}
