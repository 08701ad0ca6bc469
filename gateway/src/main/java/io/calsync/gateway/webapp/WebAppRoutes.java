package io.calsync.gateway.webapp;

import static org.springframework.web.reactive.function.server.RequestPredicates.GET;
import static org.springframework.web.reactive.function.server.RouterFunctions.route;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The web client's pages ({@code /} comes from Boot's welcome page, {@code index.html}) and the
 * browser's configuration, {@code /config.json}.
 */
@Configuration(proxyBeanMethods = false)
class WebAppRoutes {

  @Bean
  RouterFunction<ServerResponse> webAppRouter(
      WebAppProperties properties,
      @Value("classpath:/static/settings.html") Resource settingsPage) {
    WebAppConfigResponse config =
        new WebAppConfigResponse(properties.issuer(), properties.clientId(), properties.scope());
    return route(
            GET("/config.json"),
            request ->
                ServerResponse.ok()
                    .contentType(MediaType.APPLICATION_JSON)
                    .cacheControl(CacheControl.noCache())
                    .bodyValue(config))
        .andRoute(
            GET("/settings").or(GET("/settings/")),
            request ->
                ServerResponse.ok()
                    .contentType(MediaType.TEXT_HTML)
                    .cacheControl(CacheControl.noCache())
                    .bodyValue(settingsPage));
  }

  /** What the browser needs to sign in: {@code {"issuer", "client_id", "scope"}}. */
  record WebAppConfigResponse(String issuer, String clientId, String scope) {}
}
