package io.calsync.sync.support;

import io.calsync.contract.testing.MutableClock;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerInitializedEvent;
import org.springframework.boot.webtestclient.autoconfigure.WebTestClientBuilderCustomizer;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * Test-only beans of a {@link SyncServiceTest} context: the service's clock, the system's moved on
 * by tests that need time to pass (reset after each test by {@link ResetClock}); the fixtures; the
 * public front pointed at the service's random port; a test client that reads large answers.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestBeans {

  @Bean
  @Primary
  MutableClock testClock() {
    return new MutableClock();
  }

  @Bean
  SyncFixtures syncFixtures(KafkaTemplate<String, String> kafka, DatabaseClient db) {
    return new SyncFixtures(kafka, db);
  }

  /**
   * The service's own web server (not the management server) took its port: Google's pushes go
   * there.
   */
  @Bean
  ApplicationListener<ReactiveWebServerInitializedEvent> publicFrontForwardsToTheService() {
    return event -> {
      if (event.getApplicationContext().getServerNamespace() == null) {
        TestInfra.PUBLIC_FRONT.forwardTo(event.getWebServer().getPort());
      }
    };
  }

  /**
   * Boot's codec settings cap the service's request bodies, and the test client's reads with them;
   * the test client reads answers larger than that (Prometheus' page).
   */
  @Bean
  WebTestClientBuilderCustomizer readLargeAnswers() {
    return builder -> builder.codecs(c -> c.defaultCodecs().maxInMemorySize(4 * 1024 * 1024));
  }

  /** Puts the service's clock back to the system's after each test. */
  static final class ResetClock implements AfterEachCallback {
    @Override
    public void afterEach(ExtensionContext context) {
      SpringExtension.getApplicationContext(context).getBean(MutableClock.class).reset();
    }
  }
}
