package io.calsync.oauth.cipher;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.oauth.domain.AadFormat;
import io.calsync.oauth.domain.SealedToken;
import io.calsync.oauth.domain.TokenCipherException;
import io.calsync.oauth.domain.TokenSlot;
import java.net.URI;
import java.time.Duration;
import java.util.UUID;
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
        new VaultTransitTokenCipher(vault, "transit", "oauth-tokens", Duration.ofSeconds(10));
    String token = "1//refresh-token";
    TokenSlot slot = TokenSlot.refresh(UUID.randomUUID());

    SealedToken first = cipher.encrypt(token, slot).block();
    assertThat(first).isNotNull();
    assertThat(first.keyVersion()).isEqualTo(1);
    assertThat(first.ciphertext()).doesNotContain(token);
    cipher.currentKeyVersion().as(StepVerifier::create).expectNext(1).verifyComplete();

    vault.opsForTransit("transit").rotate("oauth-tokens").block();

    cipher.currentKeyVersion().as(StepVerifier::create).expectNext(2).verifyComplete();
    cipher
        .encrypt(token, slot)
        .as(StepVerifier::create)
        .assertNext(second -> assertThat(second.keyVersion()).isEqualTo(2))
        .verifyComplete();
    cipher.decrypt(first, slot).as(StepVerifier::create).expectNext(token).verifyComplete();
  }

  @Test
  void shouldBindCiphertextsToTheirSlotWithAssociatedData() {
    ReactiveVaultTemplate vault = template();
    VaultTransitTokenCipher cipher =
        new VaultTransitTokenCipher(vault, "transit", "oauth-tokens", Duration.ofSeconds(10));
    UUID connection = UUID.randomUUID();
    SealedToken access = cipher.encrypt("ya29.access", TokenSlot.access(connection)).block();

    cipher
        .decrypt(access, TokenSlot.refresh(connection))
        .as(StepVerifier::create)
        .expectError(TokenCipherException.class)
        .verify();
    cipher
        .decrypt(access, TokenSlot.access(UUID.randomUUID()))
        .as(StepVerifier::create)
        .expectError(TokenCipherException.class)
        .verify();
    // A ciphertext of the build before the slot binding (no associated data) still decrypts.
    String legacy = vault.opsForTransit("transit").encrypt("oauth-tokens", "ya29.legacy").block();
    cipher
        .decrypt(new SealedToken(legacy, 1, AadFormat.LEGACY), TokenSlot.access(connection))
        .as(StepVerifier::create)
        .expectNext("ya29.legacy")
        .verifyComplete();
  }
}
