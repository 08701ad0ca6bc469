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
 * The web client's pages: {@code /} comes from Boot's welcome page ({@code index.html}), {@code
 * /settings} from here.
 */
@Configuration(proxyBeanMethods = false)
class WebAppRoutes {

  @Bean
  RouterFunction<ServerResponse> webAppRouter(
      @Value("classpath:/static/settings.html") Resource settingsPage) {
    return route(
        GET("/settings").or(GET("/settings/")),
        request ->
            ServerResponse.ok()
                .contentType(MediaType.TEXT_HTML)
                .cacheControl(CacheControl.noCache())
                .bodyValue(settingsPage));
  }
}
