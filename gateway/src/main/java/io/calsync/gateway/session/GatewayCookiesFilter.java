package io.calsync.gateway.session;

import java.util.List;
import java.util.Set;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.core.Ordered;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * The gateway's own cookies (the browser's session and its CSRF token) stay at the gateway: a
 * session id is a credential, and the services authenticate by the relayed access token. Other
 * cookies (oauth-service's binding cookie of the Google connect flow) go on untouched.
 */
@Component
class GatewayCookiesFilter implements GlobalFilter, Ordered {

  private final Set<String> gatewayCookies;

  GatewayCookiesFilter(SessionCookies cookies) {
    this.gatewayCookies = cookies.all();
  }

  @Override
  public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
    List<String> cookieHeaders = exchange.getRequest().getHeaders().get(HttpHeaders.COOKIE);
    if (cookieHeaders == null
        || exchange.getRequest().getCookies().keySet().stream()
            .noneMatch(gatewayCookies::contains)) {
      return chain.filter(exchange);
    }
    String others =
        exchange.getRequest().getCookies().values().stream()
            .flatMap(List::stream)
            .filter(cookie -> !gatewayCookies.contains(cookie.getName()))
            .map(HttpCookie::toString)
            .reduce((a, b) -> a + "; " + b)
            .orElse(null);
    return chain.filter(
        exchange
            .mutate()
            .request(
                request ->
                    request.headers(
                        headers -> {
                          if (others == null) {
                            headers.remove(HttpHeaders.COOKIE);
                          } else {
                            headers.set(HttpHeaders.COOKIE, others);
                          }
                        }))
            .build());
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }
}
