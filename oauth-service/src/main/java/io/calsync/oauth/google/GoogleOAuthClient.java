package io.calsync.oauth.google;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.springframework.core.codec.CodecException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Google's OAuth2 endpoints over a non-blocking WebClient: code exchange (client_secret_post +
 * PKCE), refresh, userinfo and revocation. One shape for every call: a timeout, 4xx mapped to
 * {@link GoogleOAuthException} (e.g. {@code invalid_grant}), 5xx, I/O errors and timeouts mapped to
 * {@link GoogleUnavailableException}, and a short backoff retry on those only for idempotent calls
 * (not for the single-use code exchange). Tokens never appear in a log line or exception message.
 */
public class GoogleOAuthClient {

  private final WebClient webClient;
  private final GoogleOAuthProperties properties;
  private final Duration timeout;

  GoogleOAuthClient(WebClient webClient, GoogleOAuthProperties properties) {
    this.webClient = webClient;
    this.properties = properties;
    this.timeout = properties.connectTimeout().plus(properties.responseTimeout());
  }

  /**
   * Google's authorization URL for a flow: this client, the redirect URI and scopes, offline access
   * with consent, the state and the PKCE S256 challenge.
   */
  public URI authorizationUrl(String state, String challenge) {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("client_id", properties.clientId());
    query.put("redirect_uri", properties.redirectUri().toString());
    query.put("response_type", "code");
    query.put("scope", String.join(" ", properties.scopes()));
    query.put("access_type", "offline");
    query.put("prompt", "consent");
    query.put("include_granted_scopes", "true");
    query.put("state", state);
    query.put("code_challenge", challenge);
    query.put("code_challenge_method", "S256");
    String base = properties.authorizationUri().toString();
    String encoded =
        query.entrySet().stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
    return URI.create(base + (base.contains("?") ? "&" : "?") + encoded);
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /**
   * {@code grant_type=authorization_code} with the PKCE verifier. Not retried: codes are single
   * use.
   */
  public Mono<GoogleTokenResponse> exchangeCode(String code, String codeVerifier) {
    MultiValueMap<String, String> form = clientForm();
    form.add("grant_type", "authorization_code");
    form.add("code", code);
    form.add("redirect_uri", properties.redirectUri().toString());
    form.add("code_verifier", codeVerifier);
    return postForm("token", form);
  }

  /** {@code grant_type=refresh_token}. The answer normally carries no new refresh token. */
  public Mono<GoogleTokenResponse> refresh(String refreshToken) {
    MultiValueMap<String, String> form = clientForm();
    form.add("grant_type", "refresh_token");
    form.add("refresh_token", refreshToken);
    return postForm("token", form).retryWhen(transientRetry());
  }

  public Mono<GoogleUserInfo> userInfo(String accessToken) {
    return webClient
        .get()
        .uri(properties.userinfoUri())
        .header(HttpHeaders.AUTHORIZATION, "Bearer " + accessToken)
        .accept(MediaType.APPLICATION_JSON)
        .exchangeToMono(response -> read(response, "userinfo", GoogleUserInfo.class))
        .timeout(timeout)
        .onErrorMap(GoogleOAuthClient::isTransport, e -> unavailable("userinfo", e))
        .retryWhen(transientRetry());
  }

  /** Revokes the grant the token belongs to (refresh or access token). */
  public Mono<Void> revoke(String token) {
    MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
    form.add("token", token);
    return webClient
        .post()
        .uri(properties.revokeUri())
        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
        .body(BodyInserters.fromFormData(form))
        .exchangeToMono(
            response -> {
              if (response.statusCode().is2xxSuccessful()) {
                return response.releaseBody();
              }
              return error(response, "revoke").then();
            })
        .timeout(timeout)
        .onErrorMap(GoogleOAuthClient::isTransport, e -> unavailable("revoke", e))
        .retryWhen(transientRetry());
  }

  private Mono<GoogleTokenResponse> postForm(String operation, MultiValueMap<String, String> form) {
    return webClient
        .post()
        .uri(properties.tokenUri())
        .contentType(MediaType.APPLICATION_FORM_URLENCODED)
        .accept(MediaType.APPLICATION_JSON)
        .body(BodyInserters.fromFormData(form))
        .exchangeToMono(response -> read(response, operation, GoogleTokenResponse.class))
        .flatMap(
            tokens ->
                tokens.accessToken() == null
                    ? Mono.error(
                        new GoogleUnavailableException("Google token answer has no access_token"))
                    : Mono.just(tokens))
        .timeout(timeout)
        .onErrorMap(GoogleOAuthClient::isTransport, e -> unavailable(operation, e));
  }

  private MultiValueMap<String, String> clientForm() {
    MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
    form.add("client_id", properties.clientId());
    form.add("client_secret", properties.clientSecret());
    return form;
  }

  private static <T> Mono<T> read(ClientResponse response, String operation, Class<T> type) {
    if (response.statusCode().is2xxSuccessful()) {
      return response.bodyToMono(type);
    }
    return error(response, operation);
  }

  private static <T> Mono<T> error(ClientResponse response, String operation) {
    HttpStatusCode status = response.statusCode();
    if (status.is4xxClientError()) {
      return response
          .bodyToMono(GoogleError.class)
          .onErrorResume(e -> Mono.empty())
          .map(GoogleError::error)
          .defaultIfEmpty("unknown")
          .flatMap(code -> Mono.error(new GoogleOAuthException(operation, status.value(), code)));
    }
    return response
        .releaseBody()
        .then(
            Mono.error(
                new GoogleUnavailableException(
                    "Google " + operation + " answered " + status.value())));
  }

  private static boolean isTransport(Throwable e) {
    return e instanceof WebClientRequestException
        || e instanceof TimeoutException
        || e instanceof CodecException;
  }

  private static GoogleUnavailableException unavailable(String operation, Throwable e) {
    return new GoogleUnavailableException(
        "Google " + operation + " failed: " + e.getClass().getSimpleName());
  }

  private Retry transientRetry() {
    return Retry.backoff(properties.retries(), properties.retryBackoff())
        .maxBackoff(properties.retryMaxBackoff())
        .jitter(0.5)
        .filter(GoogleUnavailableException.class::isInstance)
        .onRetryExhaustedThrow((spec, signal) -> signal.failure());
  }

  /** Google's token endpoint error body: {@code {"error": "...", "error_description": "..."}}. */
  record GoogleError(String error, String errorDescription) {}
}
