package io.calsync.query.config;

import io.calsync.contract.json.CalendarJson;
import io.calsync.query.QueryProperties;
import io.calsync.query.upcoming.domain.RecurrenceExpander;
import io.calsync.query.upcoming.domain.UpcomingEventStore;
import io.calsync.query.upcoming.domain.UpcomingEventsAssembler;
import io.calsync.query.upcoming.domain.UpcomingEventsQuery;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wiring of the plain domain objects, the clock and the contract's JSON settings. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(QueryProperties.class)
class ApplicationConfig {

  @Bean
  Clock clock() {
    return Clock.systemUTC();
  }

  @Bean
  JsonMapperBuilderCustomizer calendarJson() {
    return CalendarJson::configure;
  }

  @Bean
  RecurrenceExpander recurrenceExpander(QueryProperties properties) {
    return new RecurrenceExpander(properties.maxInstancesPerSeries());
  }

  @Bean
  UpcomingEventsQuery upcomingEventsQuery(UpcomingEventStore store, RecurrenceExpander expander, Clock clock) {
    return new UpcomingEventsQuery(store, new UpcomingEventsAssembler(expander), clock);
  }
}
