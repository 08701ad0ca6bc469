package io.calsync.gateway.config;

import io.calsync.contract.json.CalendarJson;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Applies the contract's JSON settings (snake_case, RFC 3339, nulls written) to Boot's mapper. */
@Configuration(proxyBeanMethods = false)
class JsonConfig {

  @Bean
  JsonMapperBuilderCustomizer calendarJsonCustomizer() {
    return CalendarJson::configure;
  }
}
