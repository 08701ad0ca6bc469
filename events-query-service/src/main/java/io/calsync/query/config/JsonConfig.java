package io.calsync.query.config;

import io.calsync.contract.json.CalendarJson;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The contract's JSON settings for every mapper Boot builds. */
@Configuration(proxyBeanMethods = false)
class JsonConfig {

  @Bean
  JsonMapperBuilderCustomizer calendarJson() {
    return CalendarJson::configure;
  }
}
