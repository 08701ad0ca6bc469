package io.calsync.oauth.cipher;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.oauth.domain.AadFormat;
import io.calsync.oauth.domain.SealedToken;
import io.calsync.oauth.domain.TokenCipherException;
import io.calsync.oauth.domain.TokenSlot;
import io.calsync.oauth.support.VaultTransitStandIn;
import io.calsync.oauth.support.VaultTransitStandIn.TransitRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/**
 * The Vault transit adapter over real HTTP against {@link VaultTransitStandIn}, a stand-in for
 * Vault's transit API (the same requests, answers and associated-data checks), so it runs without
 * Docker. {@code VaultTransitContainerClientTests} runs against a real Vault where Docker exists.
 */
class VaultTransitTokenCipherClientTests {

  private static final String TOKEN = "1//refresh-token";
  private static final UUID CONNECTION = UUID.fromString("3f2c5a1e-8b4d-4c7a-9e2f-1a6b8c0d4e21");
  private static final TokenSlot ACCESS = TokenSlot.access(CONNECTION);
  private static final TokenSlot REFRESH = TokenSlot.refresh(CONNECTION);

  private VaultTransitStandIn vault;
  private VaultTransitTokenCipher cipher;

  @BeforeEach
  void startVault() {
    vault = VaultTransitStandIn.start();
    cipher = vault.cipher();
  }

  @AfterEach
  void stopVault() {
    vault.close();
  }

  @Test
  void shouldEncryptAndDecryptThroughTransitAndKeepTheKeyVersion() {
    vault.rotate();
    vault.rotate();

    cipher
        .encrypt(TOKEN, REFRESH)
        .doOnNext(
            ciphertext -> {
              assertThat(ciphertext.keyVersion()).isEqualTo(3);
              assertThat(ciphertext.aadFormat()).isEqualTo(AadFormat.SLOT);
              assertThat(ciphertext.ciphertext()).startsWith("vault:v3:").doesNotContain(TOKEN);
              String base64 =
                  Base64.getEncoder().encodeToString(TOKEN.getBytes(StandardCharsets.UTF_8));
              assertThat(ciphertext.ciphertext()).doesNotContain(base64);
            })
        .flatMap(ciphertext -> cipher.decrypt(ciphertext, REFRESH))
        .as(StepVerifier::create)
        .expectNext(TOKEN)
        .verifyComplete();
  }

  @Test
  void shouldSendTheSlotAsAssociatedDataOnEncryptAndDecrypt() {
    cipher.encrypt(TOKEN, ACCESS).flatMap(ciphertext -> cipher.decrypt(ciphertext, ACCESS)).block();

    assertThat(vault.requests())
        .extracting(TransitRequest::operation, TransitRequest::associatedData)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "encrypt",
                "calsync:connection_tokens:3f2c5a1e-8b4d-4c7a-9e2f-1a6b8c0d4e21:access_token"),
            org.assertj.core.groups.Tuple.tuple(
                "decrypt",
                "calsync:connection_tokens:3f2c5a1e-8b4d-4c7a-9e2f-1a6b8c0d4e21:access_token"));
  }

  @Test
  void whenACiphertextIsCopiedToAnotherConnectionThenVaultRefusesToDecryptIt() {
    SealedToken sealed = cipher.encrypt(TOKEN, REFRESH).block();

    cipher
        .decrypt(sealed, TokenSlot.refresh(UUID.randomUUID()))
        .as(StepVerifier::create)
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(TokenCipherException.class).hasMessageNotContaining(TOKEN);
              assertThat(((TokenCipherException) e).isTransient()).isFalse();
            })
        .verify();
  }

  @Test
  void whenACiphertextIsCopiedFromTheAccessToTheRefreshColumnThenVaultRefusesToDecryptIt() {
    SealedToken access = cipher.encrypt(TOKEN, ACCESS).block();

    cipher
        .decrypt(access, REFRESH)
        .as(StepVerifier::create)
        .expectError(TokenCipherException.class)
        .verify();
  }

  @Test
  void shouldStillDecryptLegacyCiphertextsMadeWithoutAssociatedData() {
    // As the build before the slot binding encrypted: Spring Vault's transit template, no
    // associated data.
    String legacy =
        vault.template().opsForTransit("transit").encrypt("oauth-tokens", TOKEN).block();

    cipher
        .decrypt(new SealedToken(legacy, 1, AadFormat.LEGACY), REFRESH)
        .as(StepVerifier::create)
        .expectNext(TOKEN)
        .verifyComplete();
    cipher
        .decrypt(SealedToken.bound(legacy, 1), REFRESH)
        .as(StepVerifier::create)
        .expectError(TokenCipherException.class)
        .verify();
  }

  @Test
  void shouldReportTheTransitKeysLatestVersionAndKeepDecryptingOlderOnes() {
    SealedToken first = cipher.encrypt(TOKEN, ACCESS).block();
    cipher.currentKeyVersion().as(StepVerifier::create).expectNext(1).verifyComplete();

    vault.template().opsForTransit("transit").rotate("oauth-tokens").block();

    cipher.currentKeyVersion().as(StepVerifier::create).expectNext(2).verifyComplete();
    cipher
        .encrypt(TOKEN, ACCESS)
        .as(StepVerifier::create)
        .assertNext(second -> assertThat(second.keyVersion()).isEqualTo(2))
        .verifyComplete();
    cipher.decrypt(first, ACCESS).as(StepVerifier::create).expectNext(TOKEN).verifyComplete();
  }

  @Test
  void whenTheTransitKeyDoesNotExistThenTheCurrentVersionIsAnError() {
    new VaultTransitTokenCipher(vault.template(), "transit", "no-such-key", Duration.ofSeconds(5))
        .currentKeyVersion()
        .as(StepVerifier::create)
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(TokenCipherException.class)
                    .hasMessageContaining("no-such-key"))
        .verify();
  }

  @Test
  void whenVaultIsUnavailableThenTheFailureIsTransient() {
    SealedToken sealed = cipher.encrypt(TOKEN, ACCESS).block();
    vault.down(true);

    cipher
        .decrypt(sealed, ACCESS)
        .as(StepVerifier::create)
        .expectErrorSatisfies(
            e -> {
              assertThat(e).isInstanceOf(TokenCipherException.class);
              assertThat(((TokenCipherException) e).isTransient()).isTrue();
            })
        .verify();
    cipher
        .currentKeyVersion()
        .as(StepVerifier::create)
        .expectErrorSatisfies(e -> assertThat(((TokenCipherException) e).isTransient()).isTrue())
        .verify();
  }

  @Test
  void whenVaultIsUnreachableThenTheFailureIsTransient() {
    vault.close();

    cipher
        .encrypt("x", ACCESS)
        .as(StepVerifier::create)
        .expectErrorSatisfies(e -> assertThat(((TokenCipherException) e).isTransient()).isTrue())
        .verify();
  }
}
