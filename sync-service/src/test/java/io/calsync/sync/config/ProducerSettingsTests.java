package io.calsync.sync.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.test.context.ConfigDataApplicationContextInitializer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;

/**
 * The producer's settings from {@code application.yml} as Boot applies them (module README,
 * decision "Producer batching"): batching and compression by default, each overridable by its
 * environment variable, with {@code acks=all} and idempotence whatever they are set to.
 */
class ProducerSettingsTests {

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner()
          .withInitializer(new ConfigDataApplicationContextInitializer())
          .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class));

  private static Map<String, Object> producer(
      org.springframework.context.ApplicationContext context) {
    return context.getBean(DefaultKafkaProducerFactory.class).getConfigurationProperties();
  }

  @Test
  void theProducerBatchesAndCompressesByDefault() {
    runner.run(
        context -> {
          Map<String, Object> config = producer(context);
          assertThat(config)
              .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
              .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true")
              .containsEntry(ProducerConfig.LINGER_MS_CONFIG, "10")
              .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, 16384)
              .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        });
  }

  @Test
  void eachBatchingSettingIsOverriddenByItsEnvironmentVariable() {
    runner
        .withPropertyValues(
            "KAFKA_PRODUCER_LINGER_MS=25",
            "KAFKA_PRODUCER_BATCH_SIZE=64KB",
            "KAFKA_PRODUCER_COMPRESSION_TYPE=zstd")
        .run(
            context -> {
              Map<String, Object> config = producer(context);
              assertThat(config)
                  .containsEntry(ProducerConfig.LINGER_MS_CONFIG, "25")
                  .containsEntry(ProducerConfig.BATCH_SIZE_CONFIG, 65536)
                  .containsEntry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd")
                  .containsEntry(ProducerConfig.ACKS_CONFIG, "all")
                  .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            });
  }
}
