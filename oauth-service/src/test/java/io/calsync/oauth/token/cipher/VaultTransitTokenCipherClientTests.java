package io.calsync.oauth.token.cipher;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.oauth.token.domain.SealedToken;
import io.calsync.oauth.token.domain.TokenCipherException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.vault.authentication.VaultTokenSupplier;
import org.springframework.vault.client.VaultEndpoint;
import org.springframework.vault.core.ReactiveVaultTemplate;
import org.springframework.vault.support.VaultToken;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Vault transit adapter over real HTTP against a small stand-in for Vault's transit API (the
 * same request and answer shapes), so it runs without Docker. {@code
 * VaultTransitContainerClientTests} runs the same against a real Vault where Docker exists.
 */
class VaultTransitTokenCipherClientTests {

  private static final String TOKEN = "root-token";
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final AtomicBoolean down = new AtomicBoolean();
  private DisposableServer vault;
  private VaultTransitTokenCipher cipher;

  @BeforeEach
  void startFakeVault() {
    vault =
        HttpServer.create()
            .port(0)
            .route(
                routes ->
                    routes.post(
                        "/v1/transit/{operation}/oauth-tokens",
                        (request, response) -> {
                          if (down.get()) {
                            return response.status(503).sendString(Mono.just("{\"errors\":[\"sealed\"]}"));
                          }
                          if (!TOKEN.equals(request.requestHeaders().get("X-Vault-Token"))) {
                            return response.status(403).sendString(Mono.just("{\"errors\":[\"permission denied\"]}"));
                          }
                          String operation = request.param("operation");
                          return response
                              .header("Content-Type", "application/json")
                              .sendString(
                                  request.receive().aggregate().asString().map(body -> answer(operation, body)));
                        }))
            .bindNow();
    ReactiveVaultTemplate template =
        new ReactiveVaultTemplate(
            VaultEndpoint.from(URI.create("http://localhost:" + vault.port())),
            new ReactorClientHttpConnector(),
            (VaultTokenSupplier) () -> Mono.just(VaultToken.of(TOKEN)));
    cipher = new VaultTransitTokenCipher(template.opsForTransit("transit"), "oauth-tokens", Duration.ofSeconds(5));
  }

  @AfterEach
  void stopFakeVault() {
    vault.disposeNow();
  }

  /** Encrypts by base64-reversing, labelled with key version 3, as Vault labels its ciphertexts. */
  private static String answer(String operation, String body) {
    JsonNode request = JSON.readTree(body);
    if ("encrypt".equals(operation)) {
      String plaintext = request.get("plaintext").asString();
      String sealed = new StringBuilder(plaintext).reverse().toString();
      return "{\"data\":{\"ciphertext\":\"vault:v3:" + sealed + "\",\"key_version\":3}}";
    }
    String sealed = request.get("ciphertext").asString().substring("vault:v3:".length());
    return "{\"data\":{\"plaintext\":\"" + new StringBuilder(sealed).reverse() + "\"}}";
  }

  @Test
  void shouldEncryptAndDecryptThroughTransitAndKeepTheKeyVersion() {
    String token = "1//refresh-token";

    cipher
        .encrypt(token)
        .doOnNext(
            sealed -> {
              assertThat(sealed.keyVersion()).isEqualTo(3);
              assertThat(sealed.ciphertext()).startsWith("vault:v3:").doesNotContain(token);
              String base64 = Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
              assertThat(sealed.ciphertext()).doesNotContain(base64);
            })
        .flatMap(cipher::decrypt)
        .as(StepVerifier::create)
        .expectNext(token)
        .verifyComplete();
  }

  @Test
  void whenVaultIsUnavailableThenTheFailureIsTransient() {
    down.set(true);

    cipher
        .decrypt(new SealedToken("vault:v3:abc", 3))
        .as(StepVerifier::create)
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(TokenCipherException.class);
              assertThat(((TokenCipherException) e).isTransient()).isTrue();
            })
        .verify();
  }

  @Test
  void whenVaultIsUnreachableThenTheFailureIsTransient() {
    vault.disposeNow();

    cipher
        .encrypt("x")
        .as(StepVerifier::create)
        .expectErrorSatisfies(e -> assertThat(((TokenCipherException) e).isTransient()).isTrue())
        .verify();
  }
}
