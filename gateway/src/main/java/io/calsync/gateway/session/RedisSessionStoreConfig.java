package io.calsync.gateway.session;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Sessions in Redis: Boot's auto-configuration does the work; this only makes the connection at
 * start. Lettuce opens its shared connection lazily and waits for it, which on the first request
 * would block an event loop; made at start it is never waited for again (Lettuce reconnects on its
 * own). So a gateway is ready only once it has reached Redis.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = SessionStoreEnvironment.STORE_PROPERTY, havingValue = "redis")
class RedisSessionStoreConfig {

  @Bean
  static BeanPostProcessor eagerRedisConnection() {
    return new BeanPostProcessor() {
      @Override
      public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof LettuceConnectionFactory factory) {
          factory.setEagerInitialization(true);
        }
        return bean;
      }
    };
  }
}
