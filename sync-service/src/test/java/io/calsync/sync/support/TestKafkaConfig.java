package io.calsync.sync.support;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.ProducerFactory;
import org.springframework.kafka.support.SendResult;

/**
 * The application's {@link KafkaTemplate}, able to fail chosen sends the way a broker that never
 * acknowledges does (a failed future). Used to prove a sync token is stored only after Kafka
 * acknowledged every message of the run; and able to hold chosen sends' acknowledgements back, the
 * way a slow broker does.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestKafkaConfig {

  /** Sends whose record matches fail; {@code r -> false} (the default) lets everything through. */
  public static volatile Predicate<ProducerRecord<String, String>> failWhen = r -> false;

  /**
   * Called with every record as it is handed to the producer (on the sending thread, where blocking
   * is allowed): lets a test act at a precise point of a run. {@code r -> {}} by default.
   */
  public static volatile Consumer<ProducerRecord<String, String>> onSend = r -> {};

  /**
   * Sends whose record matches go to Kafka at once, but their acknowledgement reaches the caller
   * only after {@link #releaseHeld()}: a broker that is slow to acknowledge. {@code r -> false} by
   * default.
   */
  public static volatile Predicate<ProducerRecord<String, String>> holdAckWhen = r -> false;

  private static volatile CompletableFuture<Void> held = new CompletableFuture<>();

  /** Lets every held acknowledgement through; later matching sends are held again. */
  public static void releaseHeld() {
    CompletableFuture<Void> release = held;
    held = new CompletableFuture<>();
    release.complete(null);
  }

  @Bean
  ProducerFactory<String, String> testKafkaProducerFactory(KafkaProperties props) {
    return new DefaultKafkaProducerFactory<>(props.buildProducerProperties());
  }

  @Bean
  KafkaTemplate<String, String> testKafkaTemplate(ProducerFactory<String, String> factory) {
    var template =
        new KafkaTemplate<String, String>(factory) {
          @Override
          public CompletableFuture<SendResult<String, String>> send(
              ProducerRecord<String, String> record) {
            onSend.accept(record);
            if (failWhen.test(record)) {
              return CompletableFuture.failedFuture(
                  new org.apache.kafka.common.errors.TimeoutException("test: no acknowledgement"));
            }
            if (holdAckWhen.test(record)) {
              return super.send(record).thenCombine(held, (result, released) -> result);
            }
            return super.send(record);
          }
        };
    template.setObservationEnabled(true);
    return template;
  }
}
