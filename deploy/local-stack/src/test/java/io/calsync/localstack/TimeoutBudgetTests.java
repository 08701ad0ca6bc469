package io.calsync.localstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.io.FileSystemResource;

/**
 * The root README's *Timeout budget*, checked against the configuration the services ship: every
 * service's own {@code src/main/resources/application.yml}, its placeholders resolved to their
 * defaults (no environment), is read here, and for every hop the caller's timeout must be longer
 * than the callee's worst case. The worst case of a Google call is its attempts times (connect +
 * response timeout) plus the longest pause before each retry; a database step is allowed the pool's
 * {@code max-acquire-time} (the statements are single-row).
 */
class TimeoutBudgetTests {

  private static final Path ROOT = Path.of("../..").toAbsolutePath().normalize();
  private static final String ROUTES = "spring.cloud.gateway.server.webflux.routes";

  private final Binder oauth = binder("oauth-service");
  private final Binder sync = binder("sync-service");
  private final Binder gateway = binder("gateway");

  @Test
  void oauthServicesRefreshBudgetCoversGooglesWorstCaseAndTheDatabase() {
    // claim, Google, then the fenced store (or the reauth transaction)
    Duration callee = googleIdempotentCall().plus(databaseStep().multipliedBy(2));

    assertThat(duration(oauth, "calsync.token.refresh-timeout")).isGreaterThan(callee);
  }

  @Test
  void syncServiceWaitsLongerForATokenThanOauthServiceMayTake() {
    // the access-token API answers within refresh-timeout, waiting for another caller included
    Duration callee = duration(oauth, "calsync.token.refresh-timeout");

    assertThat(duration(sync, "calsync.token.timeout")).isGreaterThan(callee);
  }

  @Test
  void theGatewayWaitsForTheCallbackLongerThanItsGoogleCallsAndDatabaseSteps() {
    // consume the state; exchange the code (never retried); userinfo (retried); store in one
    // transaction
    Duration callee =
        googleAttempt().plus(googleIdempotentCall()).plus(databaseStep().multipliedBy(2));

    assertRouteBudget("oauth-service-callback", callee);
  }

  @Test
  void theGatewayWaitsForADisconnectLongerThanItsTransactionAndTheRevocation() {
    Duration callee = databaseStep().plus(googleIdempotentCall());

    assertRouteBudget("oauth-service-disconnect", callee);
  }

  @Test
  void theDefaultTimeLimiterIsAboveTheGlobalResponseTimeout() {
    assertThat(duration(gateway, "resilience4j.timelimiter.configs.default.timeout-duration"))
        .isGreaterThan(
            duration(gateway, "spring.cloud.gateway.server.webflux.httpclient.response-timeout"));
  }

  /** The route's response timeout beats the callee; its circuit breaker's time limit beats both. */
  private void assertRouteBudget(String routeId, Duration callee) {
    String route = route(routeId);
    Duration responseTimeout =
        Duration.ofMillis(gateway.bind(route + ".metadata.response-timeout", Long.class).get());
    String breaker = gateway.bind(route + ".filters[0].args.name", String.class).get();
    Duration timeLimit =
        duration(gateway, "resilience4j.timelimiter.instances." + breaker + ".timeout-duration");

    assertThat(responseTimeout).as(routeId + " response timeout").isGreaterThan(callee);
    assertThat(timeLimit).as(breaker + " time limit").isGreaterThan(responseTimeout);
  }

  private String route(String id) {
    for (int i = 0; ; i++) {
      String route = ROUTES + "[" + i + "]";
      String bound =
          gateway
              .bind(route + ".id", String.class)
              .orElseThrow(() -> new AssertionError("no gateway route " + id));
      if (bound.equals(id)) {
        return route;
      }
    }
  }

  /** One attempt at Google: connect plus response timeout. */
  private Duration googleAttempt() {
    return duration(oauth, "calsync.google.connect-timeout")
        .plus(duration(oauth, "calsync.google.response-timeout"));
  }

  /**
   * A retried call (refresh, userinfo, revoke): every attempt, and the longest pause before each.
   */
  private Duration googleIdempotentCall() {
    int retries = oauth.bind("calsync.google.retries", Integer.class).get();
    return googleAttempt()
        .multipliedBy(retries + 1L)
        .plus(duration(oauth, "calsync.google.retry-max-backoff").multipliedBy(retries));
  }

  private Duration databaseStep() {
    return duration(oauth, "spring.r2dbc.pool.max-acquire-time");
  }

  private static Duration duration(Binder binder, String name) {
    return binder
        .bind(name, Duration.class)
        .orElseThrow(() -> new AssertionError(name + " is not set"));
  }

  private static Binder binder(String module) {
    Path yml = ROOT.resolve(module).resolve("src/main/resources/application.yml");
    MutablePropertySources sources = new MutablePropertySources();
    try {
      new YamlPropertySourceLoader()
          .load(module, new FileSystemResource(yml))
          .forEach(sources::addLast);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Binder(
        ConfigurationPropertySources.from(sources),
        new PropertySourcesPlaceholdersResolver(sources));
  }
}
