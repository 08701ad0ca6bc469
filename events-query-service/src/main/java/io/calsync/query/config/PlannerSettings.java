package io.calsync.query.config;

import io.r2dbc.postgresql.PostgresqlConnectionFactoryProvider;
import java.util.Map;
import org.springframework.boot.r2dbc.autoconfigure.ConnectionFactoryOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How PostgreSQL plans every statement of this service (module README, decision 9): each is a
 * look-up of a few keys or one ordered range of an index, so sequential and bitmap scans, sorts,
 * hash and merge joins are off on every connection of the pool. PostgreSQL still uses one where a
 * statement has no other plan; it no longer picks one because statistics that lag a growing table
 * say it holds a couple of rows.
 */
@Configuration(proxyBeanMethods = false)
public class PlannerSettings {

  /** The settings, sent as startup parameters of each connection. */
  public static final Map<String, String> SETTINGS =
      Map.of(
          "enable_seqscan", "off",
          "enable_bitmapscan", "off",
          "enable_sort", "off",
          "enable_hashjoin", "off",
          "enable_mergejoin", "off");

  @Bean
  ConnectionFactoryOptionsBuilderCustomizer plannerSettingsOnEveryConnection() {
    return options -> options.option(PostgresqlConnectionFactoryProvider.OPTIONS, SETTINGS);
  }
}
