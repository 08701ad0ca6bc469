package io.calsync.gateway.security;

import io.calsync.gateway.problem.ProblemException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.security.oauth2.client.autoconfigure.OAuth2ClientProperties;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.ClientRegistrations;
import org.springframework.security.oauth2.client.registration.ReactiveClientRegistrationRepository;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * The web client's OAuth client registration, with the provider's endpoints read from the issuer's
 * discovery document when a sign-in first needs them, not when the gateway starts (root README,
 * decision 47). Spring Boot's own repository reads the document at start, so a gateway started
 * while the issuer was away did not start at all, and API clients, the web client's files and
 * Google's notifications went down with the sign-in.
 *
 * <p>Until a read succeeds, each lookup tries again (concurrent lookups share one request) and
 * fails with a 503 problem {@code upstream_unavailable}; once read, the registration is kept. The
 * document must name the configured issuer (OpenID Connect Discovery 1.0, section 4.3). The
 * endpoints the browser is sent to (authorization and end of session) may be published at another
 * address than the one the gateway reads the document at: {@code publicIssuer} replaces {@code
 * issuer} at their start, as in a compose file where the gateway reaches the issuer by its service
 * name and the browser by {@code localhost}.
 */
final class DiscoveredClientRegistrations implements ReactiveClientRegistrationRepository {

  /** The browser-facing endpoints of the discovery document. */
  private static final Set<String> BROWSER_ENDPOINTS =
      Set.of("authorization_endpoint", "end_session_endpoint");

  private static final Logger log = LoggerFactory.getLogger(DiscoveredClientRegistrations.class);

  private final String registrationId;
  private final OAuth2ClientProperties.Registration client;
  private final String userNameAttribute;
  private final String issuer;
  private final String publicIssuer;
  private final AtomicReference<ClientRegistration> known = new AtomicReference<>();
  private final Mono<ClientRegistration> discovery;

  /**
   * @param registrationId the registration's id, {@code calendar}
   * @param client the registration's settings ({@code spring.security.oauth2.client.registration})
   * @param provider its provider's: the issuer and the user-name attribute
   */
  DiscoveredClientRegistrations(
      String registrationId,
      OAuth2ClientProperties.Registration client,
      OAuth2ClientProperties.Provider provider,
      String publicIssuer,
      WebClient http,
      Duration timeout) {
    this.registrationId = registrationId;
    this.client = client;
    this.userNameAttribute = provider.getUserNameAttribute();
    this.issuer = provider.getIssuerUri();
    this.publicIssuer = publicIssuer;
    this.discovery =
        http.get()
            .uri(URI.create(issuer + "/.well-known/openid-configuration"))
            .accept(MediaType.APPLICATION_JSON)
            .retrieve()
            .bodyToMono(new ParameterizedTypeReference<Map<String, Object>>() {})
            .timeout(timeout)
            .map(this::registration)
            .doOnNext(
                r -> {
                  if (known.compareAndSet(null, r)) {
                    log.info("Read the sign-in endpoints from {}", issuer);
                  }
                })
            .onErrorMap(
                e -> {
                  log.warn("The OIDC issuer {} could not be read: {}", issuer, e.toString());
                  return ProblemException.upstreamUnavailable(
                      "The sign-in service is unavailable; try again in a moment.");
                })
            // one request for concurrent lookups; nothing kept, so a failure is tried again
            .cache(r -> Duration.ZERO, e -> Duration.ZERO, () -> Duration.ZERO);
  }

  @Override
  public Mono<ClientRegistration> findByRegistrationId(String registrationId) {
    if (!this.registrationId.equals(registrationId)) {
      return Mono.empty();
    }
    ClientRegistration registration = known.get();
    return registration != null ? Mono.just(registration) : discovery;
  }

  private ClientRegistration registration(Map<String, Object> document) {
    Object named = document.get("issuer");
    if (!issuer.equals(named)) {
      throw new IllegalStateException("its discovery document names the issuer " + named);
    }
    Map<String, Object> published = new HashMap<>(document);
    for (String endpoint : BROWSER_ENDPOINTS) {
      if (published.get(endpoint) instanceof String uri && uri.startsWith(issuer)) {
        published.put(endpoint, publicIssuer + uri.substring(issuer.length()));
      }
    }
    return ClientRegistrations.fromOidcConfiguration(published)
        .registrationId(registrationId)
        .clientId(client.getClientId())
        .clientSecret(client.getClientSecret())
        .clientAuthenticationMethod(
            new ClientAuthenticationMethod(client.getClientAuthenticationMethod()))
        .authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
        .redirectUri(client.getRedirectUri())
        .scope(client.getScope())
        .userNameAttributeName(userNameAttribute)
        .build();
  }
}
