package io.calsync.oauth.cipher;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.oauth.domain.AadFormat;
import io.calsync.oauth.domain.SealedToken;
import io.calsync.oauth.domain.TokenCipherException;
import io.calsync.oauth.domain.TokenSlot;
import io.calsync.oauth.support.LegacyCiphertexts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

class LocalAesGcmTokenCipherTests {

  private static final String TOKEN = "1//refresh-token-" + "x".repeat(100);
  private static final UUID CONNECTION = UUID.fromString("3f2c5a1e-8b4d-4c7a-9e2f-1a6b8c0d4e21");
  private static final TokenSlot ACCESS = TokenSlot.access(CONNECTION);
  private static final TokenSlot REFRESH = TokenSlot.refresh(CONNECTION);

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  @Test
  void whenEncryptedThenDecryptsToTheSameValue() {
    LocalAesGcmTokenCipher cipher = new LocalAesGcmTokenCipher(Map.of(1, randomKey()), 1);

    cipher
        .encrypt(TOKEN, REFRESH)
        .doOnNext(
            ciphertext -> {
              assertThat(ciphertext.keyVersion()).isEqualTo(1);
              assertThat(ciphertext.aadFormat()).isEqualTo(AadFormat.SLOT);
              assertThat(ciphertext.ciphertext()).doesNotContain("refresh-token");
            })
        .flatMap(ciphertext -> cipher.decrypt(ciphertext, REFRESH))
        .as(StepVerifier::create)
        .expectNext(TOKEN)
        .verifyComplete();
  }

  @Test
  void shouldBindTheCiphertextToConnectionColumnAndVersionAsCanonicalAssociatedData()
      throws Exception {
    byte[] key = randomKey();
    SealedToken sealed = new LocalAesGcmTokenCipher(Map.of(4, key), 4).seal(TOKEN, ACCESS);

    // Decrypted with plain JCE and the documented associated data: the format is pinned.
    byte[] in = Base64.getDecoder().decode(sealed.ciphertext());
    Cipher jce = Cipher.getInstance("AES/GCM/NoPadding");
    jce.init(
        Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, in, 0, 12));
    jce.updateAAD(
        "calsync:connection_tokens:3f2c5a1e-8b4d-4c7a-9e2f-1a6b8c0d4e21:access_token:v4"
            .getBytes(StandardCharsets.US_ASCII));
    assertThat(new String(jce.doFinal(in, 12, in.length - 12), StandardCharsets.UTF_8))
        .isEqualTo(TOKEN);
  }

  @Test
  void whenACiphertextIsCopiedToAnotherConnectionThenItDoesNotDecrypt() {
    LocalAesGcmTokenCipher cipher = new LocalAesGcmTokenCipher(Map.of(1, randomKey()), 1);
    SealedToken sealed = cipher.seal(TOKEN, REFRESH);

    cipher
        .decrypt(sealed, TokenSlot.refresh(UUID.randomUUID()))
        .as(StepVerifier::create)
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(TokenCipherException.class)
                    .hasMessageContaining("failed authentication")
                    .hasMessageNotContaining("refresh-token")
                    .hasMessageNotContaining(sealed.ciphertext())
                    .matches(t -> !((TokenCipherException) t).isTransient()))
        .verify();
  }

  @Test
  void whenACiphertextIsCopiedFromTheAccessToTheRefreshColumnThenItDoesNotDecrypt() {
    LocalAesGcmTokenCipher cipher = new LocalAesGcmTokenCipher(Map.of(1, randomKey()), 1);
    SealedToken access = cipher.seal(TOKEN, ACCESS);

    cipher
        .decrypt(access, REFRESH)
        .as(StepVerifier::create)
        .expectError(TokenCipherException.class)
        .verify();
    cipher.decrypt(access, ACCESS).as(StepVerifier::create).expectNext(TOKEN).verifyComplete();
  }

  @Test
  void shouldStillDecryptLegacyCiphertextsBoundOnlyToTheirKeyVersion() {
    byte[] key = randomKey();
    LocalAesGcmTokenCipher cipher = new LocalAesGcmTokenCipher(Map.of(1, key), 1);
    String legacy = LegacyCiphertexts.localAesGcm(key, 1, TOKEN);

    cipher
        .decrypt(new SealedToken(legacy, 1, AadFormat.LEGACY), REFRESH)
        .as(StepVerifier::create)
        .expectNext(TOKEN)
        .verifyComplete();
    // The format marker matters: a legacy ciphertext is not accepted as a slot-bound one.
    cipher
        .decrypt(SealedToken.bound(legacy, 1), REFRESH)
        .as(StepVerifier::create)
        .expectError(TokenCipherException.class)
        .verify();
  }

  @Test
  void whenASlotBoundCiphertextIsRelabelledLegacyThenItDoesNotDecrypt() {
    LocalAesGcmTokenCipher cipher = new LocalAesGcmTokenCipher(Map.of(1, randomKey()), 1);
    SealedToken sealed = cipher.seal(TOKEN, ACCESS);

    cipher
        .decrypt(new SealedToken(sealed.ciphertext(), 1, AadFormat.LEGACY), ACCESS)
        .as(StepVerifier::create)
        .expectError(TokenCipherException.class)
        .verify();
  }

  @Test
  void shouldUseAFreshIvForEveryValue() {
    LocalAesGcmTokenCipher cipher = new LocalAesGcmTokenCipher(Map.of(1, randomKey()), 1);

    SealedToken first = cipher.seal(TOKEN, ACCESS);
    SealedToken second = cipher.seal(TOKEN, ACCESS);

    assertThat(first.ciphertext()).isNotEqualTo(second.ciphertext());
    assertThat(Base64.getDecoder().decode(first.ciphertext()))
        .hasSize(12 + TOKEN.length() + 16); // iv + ciphertext + tag
  }

  @Test
  void whenCiphertextIsTamperedThenDecryptionFails() {
    LocalAesGcmTokenCipher cipher = new LocalAesGcmTokenCipher(Map.of(1, randomKey()), 1);
    SealedToken sealed = cipher.seal(TOKEN, REFRESH);
    byte[] bytes = Base64.getDecoder().decode(sealed.ciphertext());
    bytes[bytes.length / 2] ^= 0x01;
    SealedToken tampered = SealedToken.bound(Base64.getEncoder().encodeToString(bytes), 1);

    cipher
        .decrypt(tampered, REFRESH)
        .as(StepVerifier::create)
        .expectErrorSatisfies(
            e ->
                assertThat(e)
                    .isInstanceOf(TokenCipherException.class)
                    .hasMessageNotContaining("refresh-token")
                    .matches(t -> !((TokenCipherException) t).isTransient()))
        .verify();
  }

  @Test
  void whenDecryptedWithAnotherKeyThenDecryptionFails() {
    SealedToken sealed = new LocalAesGcmTokenCipher(Map.of(1, randomKey()), 1).seal(TOKEN, ACCESS);
    LocalAesGcmTokenCipher other = new LocalAesGcmTokenCipher(Map.of(1, randomKey()), 1);

    other
        .decrypt(sealed, ACCESS)
        .as(StepVerifier::create)
        .expectError(TokenCipherException.class)
        .verify();
  }

  @Test
  void whenKeyVersionIsUnknownThenDecryptionFails() {
    LocalAesGcmTokenCipher cipher = new LocalAesGcmTokenCipher(Map.of(1, randomKey()), 1);
    SealedToken sealed = cipher.seal(TOKEN, ACCESS);

    cipher
        .decrypt(SealedToken.bound(sealed.ciphertext(), 7), ACCESS)
        .as(StepVerifier::create)
        .expectErrorMatches(
            e -> e instanceof TokenCipherException && e.getMessage().contains("version 7"))
        .verify();
  }

  @Test
  void whenVersionIsRelabelledThenAuthenticationFails() {
    byte[] key = randomKey();
    // The same key registered under two versions: the version is bound as associated data.
    LocalAesGcmTokenCipher cipher = new LocalAesGcmTokenCipher(Map.of(1, key, 2, key), 2);
    SealedToken sealed = cipher.seal(TOKEN, ACCESS);

    cipher
        .decrypt(SealedToken.bound(sealed.ciphertext(), 1), ACCESS)
        .as(StepVerifier::create)
        .expectError(TokenCipherException.class)
        .verify();
  }

  @Test
  void whenKeyRotatesThenOldCiphertextsStayReadableAndNewOnesUseTheNewVersion() {
    byte[] oldKey = randomKey();
    SealedToken old = new LocalAesGcmTokenCipher(Map.of(1, oldKey), 1).seal(TOKEN, REFRESH);
    LocalAesGcmTokenCipher rotated =
        new LocalAesGcmTokenCipher(Map.of(1, oldKey, 2, randomKey()), 2);

    assertThat(rotated.seal("new", ACCESS).keyVersion()).isEqualTo(2);
    rotated.currentKeyVersion().as(StepVerifier::create).expectNext(2).verifyComplete();
    rotated.decrypt(old, REFRESH).as(StepVerifier::create).expectNext(TOKEN).verifyComplete();
  }

  @Test
  void shouldRejectKeysThatAreNot32Bytes() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> new LocalAesGcmTokenCipher(Map.of(1, new byte[16]), 1))
        .withMessageContaining("32 bytes");
  }

  @Test
  void whenNoKeyFileExistsThenOneIsGeneratedOwnerOnlyAndReusedAfterwards(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("nested").resolve("oauth-token.key");

    byte[] created = LocalKeyFile.loadOrCreate(file);
    byte[] reread = LocalKeyFile.loadOrCreate(file);

    assertThat(created).hasSize(32).isEqualTo(reread);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    LocalAesGcmTokenCipher first = new LocalAesGcmTokenCipher(Map.of(1, created), 1);
    LocalAesGcmTokenCipher second = new LocalAesGcmTokenCipher(Map.of(1, reread), 1);
    second
        .decrypt(first.seal(TOKEN, ACCESS), ACCESS)
        .as(StepVerifier::create)
        .expectNext(TOKEN)
        .verifyComplete();
  }
}
