package io.calsync.sync.config;

import io.calsync.contract.json.CalendarJson;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Boot's JSON mapper (HTTP bodies, WebClient) follows the contract's one JSON configuration. */
@Configuration(proxyBeanMethods = false)
class JsonConfig {

  @Bean
  JsonMapperBuilderCustomizer calendarJsonCustomizer() {
    return CalendarJson::configure;
  }
}
