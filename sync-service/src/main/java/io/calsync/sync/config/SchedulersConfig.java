package io.calsync.sync.config;

import io.calsync.sync.google.GoogleProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** Bounded schedulers for blocking work: the Google Java client and Kafka producer sends. */
@Configuration(proxyBeanMethods = false)
class SchedulersConfig {

  @Bean(destroyMethod = "dispose")
  Scheduler googleScheduler(GoogleProperties props) {
    return Schedulers.newBoundedElastic(props.schedulerThreads(), 10_000, "google-calendar");
  }

  @Bean(destroyMethod = "dispose")
  Scheduler kafkaSendScheduler() {
    return Schedulers.newBoundedElastic(4, 10_000, "kafka-send");
  }
}
