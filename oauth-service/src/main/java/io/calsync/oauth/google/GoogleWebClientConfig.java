package io.calsync.oauth.google;

import io.netty.channel.ChannelOption;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.http.codec.CodecCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/** The HTTP client for Google's OAuth endpoints, with connect and response timeouts. */
@Configuration(proxyBeanMethods = false)
class GoogleWebClientConfig {

  @Bean
  GoogleOAuthClient googleOAuthClient(
      ObjectProvider<CodecCustomizer> codecCustomizers, GoogleOAuthProperties properties) {
    ConnectionProvider pool =
        ConnectionProvider.builder("google-oauth")
            .maxConnections(50)
            .pendingAcquireTimeout(properties.connectTimeout().plus(properties.responseTimeout()))
            .maxIdleTime(java.time.Duration.ofSeconds(30))
            .build();
    HttpClient http =
        HttpClient.create(pool)
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis())
            .responseTimeout(properties.responseTimeout());
    // Boot's codec customizers carry the contract's JSON settings (snake_case) to this client.
    WebClient webClient =
        WebClient.builder()
            .codecs(codecs -> codecCustomizers.orderedStream().forEach(c -> c.customize(codecs)))
            .clientConnector(new ReactorClientHttpConnector(http))
            .build();
    return new GoogleOAuthClient(webClient, properties);
  }
}
