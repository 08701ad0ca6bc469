package io.calsync.query.upcoming;

import io.calsync.query.upcoming.domain.OccurrenceBuilder;
import io.calsync.query.upcoming.domain.RecurrenceExpander;
import io.calsync.query.upcoming.domain.UpcomingEventStore;
import io.calsync.query.upcoming.domain.UpcomingEventsAssembler;
import io.calsync.query.upcoming.domain.UpcomingEventsQuery;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wiring of the upcoming slice's plain domain objects over its store. */
@Configuration(proxyBeanMethods = false)
class UpcomingConfig {

  @Bean
  RecurrenceExpander recurrenceExpander(UpcomingProperties properties) {
    return new RecurrenceExpander(properties.maxInstancesPerSeries());
  }

  @Bean
  OccurrenceBuilder occurrenceBuilder(RecurrenceExpander expander) {
    return new OccurrenceBuilder(expander);
  }

  @Bean
  UpcomingEventsQuery upcomingEventsQuery(UpcomingEventStore store, Clock clock) {
    return new UpcomingEventsQuery(store, new UpcomingEventsAssembler(), clock);
  }
}
