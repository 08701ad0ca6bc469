package io.calsync.gateway.session;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Where the browsers' sessions live, from {@code calsync.session.store} ({@code
 * GATEWAY_SESSION_STORE}):
 *
 * <ul>
 *   <li>{@code redis}: Spring Session in Redis ({@code spring.data.redis.*}), shared by every
 *       gateway instance and surviving restarts: compose and Kubernetes.
 *   <li>{@code memory} (the default): WebFlux's own in-memory store, for the local stack and a
 *       single instance. Redis is then switched off entirely, so no connection factory, health
 *       indicator or session repository points at a server that is not there.
 * </ul>
 *
 * <p>A post-processor rather than conditions on beans, since Boot's Redis auto-configurations
 * decide on their own classes being present, which they always are.
 */
public class SessionStoreEnvironment implements EnvironmentPostProcessor {

  static final String STORE_PROPERTY = "calsync.session.store";

  static final List<String> REDIS_AUTO_CONFIGURATIONS =
      List.of(
          "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration",
          "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
          "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration",
          "org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration");

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    String store =
        environment.getProperty(STORE_PROPERTY, "memory").trim().toLowerCase(Locale.ROOT);
    switch (store) {
      case "redis" -> {}
      case "memory" -> {
        Set<String> excluded = new LinkedHashSet<>();
        String already = environment.getProperty("spring.autoconfigure.exclude");
        if (StringUtils.hasText(already)) {
          excluded.addAll(StringUtils.commaDelimitedListToSet(already));
        }
        excluded.addAll(REDIS_AUTO_CONFIGURATIONS);
        environment
            .getPropertySources()
            .addFirst(
                new MapPropertySource(
                    "calsyncSessionStore",
                    Map.of("spring.autoconfigure.exclude", String.join(",", excluded))));
      }
      default ->
          throw new IllegalStateException(
              STORE_PROPERTY
                  + " (GATEWAY_SESSION_STORE) must be memory or redis, not '"
                  + store
                  + "'");
    }
  }
}
