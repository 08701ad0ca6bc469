package io.calsync.query.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.calsync.contract.http.ApiPaths;
import io.calsync.contract.kafka.CalendarUpserted;
import io.calsync.query.EventsQueryServiceApplication;
import io.calsync.query.support.Messages;
import io.calsync.query.support.TestHttp;
import io.calsync.query.support.TestInfrastructure;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.core.KafkaTemplate;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/**
 * Two instances of the service, started here as two application contexts against the one database
 * and the one broker, in one consumer group of their own. Once the three partitions of {@code
 * calendar.event-changes.v1} are split between them, a user's stream on instance A carries a change
 * that instance B consumed and applied; and A listens again after its listening connection is
 * terminated by the database, ending the streams that may have missed changes meanwhile.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoInstancesApplicationTests {

  private static final String EVENT_CHANGES_LISTENER = "events-query-event-changes";
  private static final int PARTITIONS = 3;
  private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
      new ParameterizedTypeReference<>() {};
  private static final OffsetDateTime T0 = OffsetDateTime.parse("2026-11-20T09:00:00Z");

  private ConfigurableApplicationContext a;
  private ConfigurableApplicationContext b;
  private Messages messages;

  @BeforeAll
  void startTwoInstancesAndWaitForTheSplit() {
    String group = "events-query-two-instances-" + UUID.randomUUID();
    a = start(group);
    b = start(group);
    messages = new Messages(a.getBean(KafkaTemplate.class));
    // the first request of a fresh instance (the issuer's keys, cold code) can be slow on a busy
    // machine: answer one before the tests' requests are timed
    warmUp(a);
    warmUp(b);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              Set<Integer> ofA = partitions(a);
              Set<Integer> ofB = partitions(b);
              Set<Integer> all = new HashSet<>(ofA);
              all.addAll(ofB);
              return !ofA.isEmpty()
                  && !ofB.isEmpty()
                  && all.size() == PARTITIONS
                  && ofA.size() + ofB.size() == PARTITIONS;
            });
  }

  @AfterAll
  void stopBoth() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
  }

  @Test
  void whenInstanceBAppliesAChangeThenTheUsersStreamOnInstanceACarriesIt() {
    String user = "user-" + UUID.randomUUID();
    UUID connection = connectionConsumedBy(b);

    StepVerifier.create(stream(a, user))
        .expectNextMatches(e -> "connected".equals(e.comment()))
        .then(() -> calendarUpserted(user, connection))
        .thenConsumeWhile(e -> e.comment() != null)
        .assertNext(
            e -> {
              assertThat(e.event()).isEqualTo("calendar.upserted");
              assertThat(e.data()).contains("\"connection_id\":\"" + connection + "\"");
            })
        .thenCancel()
        .verify(Duration.ofSeconds(30));
    assertThat(partitions(b)).contains(partitionOf(connection)); // B consumed it, not A
  }

  @Test
  void whenTheListeningConnectionIsTerminatedThenOpenStreamsEndAndTheInstanceListensAgain() {
    NotificationListener listener = a.getBean(NotificationListener.class);
    await().atMost(Duration.ofSeconds(30)).until(() -> listener.backendPid() != null);
    int killed = listener.backendPid();
    double disconnects = disconnects(a);
    String user = "user-" + UUID.randomUUID();

    StepVerifier.create(stream(a, user))
        .expectNextMatches(e -> "connected".equals(e.comment()))
        .then(() -> terminate(killed))
        .thenConsumeWhile(e -> e.comment() != null)
        .expectComplete()
        .verify(Duration.ofSeconds(30));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> listener.backendPid() != null && listener.backendPid() != killed);
    assertThat(disconnects(a)).isEqualTo(disconnects + 1);
    UUID connection = connectionConsumedBy(b);
    StepVerifier.create(stream(a, user))
        .expectNextMatches(e -> "connected".equals(e.comment()))
        .then(() -> calendarUpserted(user, connection))
        .thenConsumeWhile(e -> e.comment() != null)
        .assertNext(e -> assertThat(e.event()).isEqualTo("calendar.upserted"))
        .thenCancel()
        .verify(Duration.ofSeconds(30));
  }

  private static ConfigurableApplicationContext start(String group) {
    return new SpringApplicationBuilder(EventsQueryServiceApplication.class)
        .initializers(
            new TestInfrastructure(),
            // as Spring Boot does for test contexts: closing this instance must not dispose the
            // JVM's global Reactor Netty resources, which other servers in this JVM still use
            context ->
                context
                    .getBeanFactory()
                    .addBeanPostProcessor(
                        new BeanPostProcessor() {
                          @Override
                          public Object postProcessBeforeInitialization(Object bean, String name) {
                            if (bean instanceof ReactorResourceFactory factory) {
                              factory.setUseGlobalResources(false);
                            }
                            return bean;
                          }
                        }))
        .run(
            "--server.port=0",
            "--management.server.port=0",
            "--spring.kafka.consumer.group-id=" + group,
            // one consumer per instance (not one per partition), so the range assignor splits the
            // three partitions between the two instances instead of handing all to one of them
            "--calsync.query.read-model.concurrency=1",
            "--calsync.query.stream.listener.reconnect-min-backoff=100ms",
            "--calsync.query.stream.listener.reconnect-max-backoff=1s");
  }

  private static void warmUp(ConfigurableApplicationContext instance) {
    int port = Integer.parseInt(instance.getEnvironment().getProperty("local.server.port"));
    await()
        .atMost(Duration.ofSeconds(120))
        .ignoreExceptions()
        .untilAsserted(
            () ->
                TestHttp.client(port)
                    .get()
                    .uri(ApiPaths.UPCOMING_EVENTS)
                    .headers(h -> h.setBearerAuth(TestInfrastructure.tokenFor("warm-up")))
                    .exchange()
                    .expectStatus()
                    .isOk());
  }

  private void calendarUpserted(String user, UUID connection) {
    messages.publish(
        new CalendarUpserted(
            connection,
            user,
            T0,
            UUID.randomUUID(),
            "a@example.com",
            "Work",
            null,
            "UTC",
            true,
            "owner",
            true));
  }

  private static Flux<ServerSentEvent<String>> stream(
      ConfigurableApplicationContext instance, String user) {
    int port = Integer.parseInt(instance.getEnvironment().getProperty("local.server.port"));
    return TestHttp.client(port)
        .get()
        .uri(ApiPaths.EVENT_STREAM)
        .accept(MediaType.TEXT_EVENT_STREAM)
        .headers(h -> h.setBearerAuth(TestInfrastructure.tokenFor(user)))
        .exchange()
        .expectStatus()
        .isOk()
        .returnResult(SSE)
        .getResponseBody();
  }

  private static Set<Integer> partitions(ConfigurableApplicationContext instance) {
    Collection<TopicPartition> assigned =
        instance
            .getBean(KafkaListenerEndpointRegistry.class)
            .getListenerContainer(EVENT_CHANGES_LISTENER)
            .getAssignedPartitions();
    return assigned == null
        ? Set.of()
        : assigned.stream().map(TopicPartition::partition).collect(Collectors.toSet());
  }

  /** A fresh connection id whose records land on a partition the instance consumes. */
  private static UUID connectionConsumedBy(ConfigurableApplicationContext instance) {
    Set<Integer> mine = partitions(instance);
    UUID id = UUID.randomUUID();
    while (!mine.contains(partitionOf(id))) {
      id = UUID.randomUUID();
    }
    return id;
  }

  /** The producer's default partitioner for a keyed record. */
  private static int partitionOf(UUID connection) {
    return Utils.toPositive(Utils.murmur2(connection.toString().getBytes(StandardCharsets.UTF_8)))
        % PARTITIONS;
  }

  private static double disconnects(ConfigurableApplicationContext instance) {
    return instance
        .getBean(MeterRegistry.class)
        .counter("calsync.query.stream.listener.disconnects")
        .count();
  }

  private void terminate(int backendPid) {
    String url = a.getEnvironment().getProperty("spring.flyway.url");
    try (Connection c = DriverManager.getConnection(url, "postgres", "postgres");
        PreparedStatement s = c.prepareStatement("select pg_terminate_backend(?)")) {
      s.setInt(1, backendPid);
      s.execute();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }
}
