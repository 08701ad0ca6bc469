package io.calsync.oauth.config;

import io.calsync.contract.json.CalendarJson;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Applies the contract's JSON conventions (snake_case, RFC 3339, nulls written) to Boot's mapper.
 */
@Configuration(proxyBeanMethods = false)
public class JsonConfig {

  @Bean
  JsonMapperBuilderCustomizer calendarJsonCustomizer() {
    return CalendarJson::configure;
  }
}
