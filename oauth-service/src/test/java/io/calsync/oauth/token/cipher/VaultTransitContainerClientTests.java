package io.calsync.oauth.token.cipher;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.oauth.token.domain.SealedToken;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.vault.authentication.VaultTokenSupplier;
import org.springframework.vault.client.VaultEndpoint;
import org.springframework.vault.core.ReactiveVaultTemplate;
import org.springframework.vault.support.VaultToken;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.vault.VaultContainer;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** The Vault transit adapter against a real Vault; runs only where Docker is available. */
@Testcontainers(disabledWithoutDocker = true)
class VaultTransitContainerClientTests {

  private static final String ROOT_TOKEN = "root-token";

  @Container
  static final VaultContainer<?> VAULT =
      new VaultContainer<>("hashicorp/vault:1.18.1")
          .withVaultToken(ROOT_TOKEN)
          .withInitCommand("secrets enable transit", "write -f transit/keys/oauth-tokens");

  private static ReactiveVaultTemplate template() {
    return new ReactiveVaultTemplate(
        VaultEndpoint.from(URI.create(VAULT.getHttpHostAddress())),
        new ReactorClientHttpConnector(),
        (VaultTokenSupplier) () -> Mono.just(VaultToken.of(ROOT_TOKEN)));
  }

  @Test
  void shouldRoundTripAndStillDecryptOlderVersionsAfterARotation() {
    ReactiveVaultTemplate vault = template();
    VaultTransitTokenCipher cipher =
        new VaultTransitTokenCipher(vault.opsForTransit("transit"), "oauth-tokens", Duration.ofSeconds(10));
    String token = "1//refresh-token";

    SealedToken first = cipher.encrypt(token).block();
    assertThat(first).isNotNull();
    assertThat(first.keyVersion()).isEqualTo(1);
    assertThat(first.ciphertext()).doesNotContain(token);

    vault.opsForTransit("transit").rotate("oauth-tokens").block();

    cipher
        .encrypt(token)
        .as(StepVerifier::create)
        .assertNext(second -> assertThat(second.keyVersion()).isEqualTo(2))
        .verifyComplete();
    cipher.decrypt(first).as(StepVerifier::create).expectNext(token).verifyComplete();
  }
}
