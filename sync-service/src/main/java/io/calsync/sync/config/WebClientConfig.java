package io.calsync.sync.config;

import io.calsync.contract.json.CalendarJson;
import io.calsync.sync.token.TokenProperties;
import io.netty.channel.ChannelOption;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import org.springframework.http.codec.json.JacksonJsonEncoder;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Boot 4 only auto-configures {@code WebClient.Builder} with its own webclient module, which this
 * service does not need: a prototype builder with the contract's JSON and explicit timeouts.
 */
@Configuration(proxyBeanMethods = false)
class WebClientConfig {

  @Bean
  @Scope(ConfigurableBeanFactory.SCOPE_PROTOTYPE)
  WebClient.Builder webClientBuilder(TokenProperties props) {
    JsonMapper json = CalendarJson.mapper();
    HttpClient http =
        HttpClient.create()
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) props.timeout().toMillis())
            .responseTimeout(props.timeout());
    return WebClient.builder()
        .clientConnector(new ReactorClientHttpConnector(http))
        .codecs(
            c -> {
              c.defaultCodecs().jacksonJsonDecoder(new JacksonJsonDecoder(json));
              c.defaultCodecs().jacksonJsonEncoder(new JacksonJsonEncoder(json));
              c.defaultCodecs().maxInMemorySize(256 * 1024);
            });
  }
}
