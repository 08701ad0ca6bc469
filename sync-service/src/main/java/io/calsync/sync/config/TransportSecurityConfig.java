package io.calsync.sync.config;

import java.util.Map;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.r2dbc.autoconfigure.R2dbcProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

/**
 * Transport security (Kafka TLS and SASL/SCRAM, PostgreSQL TLS) is plain configuration in {@code
 * application.yml}: {@code ${ENV_VAR:}} entries of {@code spring.kafka.properties} and {@code
 * spring.r2dbc.properties}. An unset variable leaves an empty value there, which both clients read
 * as set: Kafka refuses an empty truststore password beside a PEM truststore or the JVM's default
 * CAs, and r2dbc-postgresql resolves an empty {@code sslRootCert} as a path. So a blank entry of
 * either map means "not set" and is dropped before Boot builds the producer, consumer and admin
 * configurations and the R2DBC connection options from it. (A per-service copy: {@code
 * shared-model} holds only the contract.)
 */
@Configuration(proxyBeanMethods = false)
class TransportSecurityConfig {

  @Bean
  static BeanPostProcessor blankClientPropertiesAreUnset() {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof KafkaProperties kafka) {
          dropBlankValues(kafka.getProperties());
        } else if (bean instanceof R2dbcProperties r2dbc) {
          dropBlankValues(r2dbc.getProperties());
        }
        return bean;
      }
    };
  }

  private static void dropBlankValues(Map<String, String> properties) {
    properties.values().removeIf(value -> !StringUtils.hasText(value));
  }
}
