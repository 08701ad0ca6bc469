package io.calsync.oauth.support;

import io.calsync.contract.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.WebTestClientBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/** Test-only beans of {@link OAuthServiceTest}: the settable clock and a patient test client. */
@TestConfiguration(proxyBeanMethods = false)
public class TestBeans {

  /** Primary over the system clock; every service that asks for the time gets it. */
  @Bean
  @Primary
  MutableClock testClock() {
    return new MutableClock();
  }

  /**
   * The first requests of a fresh JVM on a small machine (JIT, JWKS fetch, pool warm-up) can be
   * slow; and the client reads answers larger than the service's own request-body cap (Prometheus'
   * page).
   */
  @Bean
  WebTestClientBuilderCustomizer patientClient() {
    return builder ->
        builder
            .responseTimeout(Duration.ofSeconds(30))
            .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(4 * 1024 * 1024));
  }

  /** Puts the clock back to its start after every test, so that no test sees another's time. */
  public static class ResetClock implements AfterEachCallback {

    @Override
    public void afterEach(ExtensionContext context) {
      SpringExtension.getApplicationContext(context).getBean(MutableClock.class).reset();
    }
  }
}
