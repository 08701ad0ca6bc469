package io.calsync.oauth.token.cipher;

import static org.assertj.core.api.Assertions.assertThat;

import io.calsync.oauth.token.domain.SealedToken;
import io.calsync.oauth.token.domain.TokenCipherException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;

class LocalAesGcmTokenCipherTests {

  private static final String TOKEN = "1//refresh-token-" + "x".repeat(100);

  private static byte[] randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  @Test
  void whenEncryptedThenDecryptsToTheSameValue() {
    LocalAesGcmTokenCipher cipher = new LocalAesGcmTokenCipher(Map.of(1, randomKey()), 1);

    cipher
        .encrypt(TOKEN)
        .doOnNext(
            sealed -> {
              assertThat(sealed.keyVersion()).isEqualTo(1);
              assertThat(sealed.ciphertext()).doesNotContain("refresh-token");
            })
        .flatMap(cipher::decrypt)
        .as(StepVerifier::create)
        .expectNext(TOKEN)
        .verifyComplete();
  }

  @Test
  void shouldUseAFreshIvForEveryValue() {
    LocalAesGcmTokenCipher cipher = new LocalAesGcmTokenCipher(Map.of(1, randomKey()), 1);

    SealedToken first = cipher.seal(TOKEN);
    SealedToken second = cipher.seal(TOKEN);

    assertThat(first.ciphertext()).isNotEqualTo(second.ciphertext());
    assertThat(Base64.getDecoder().decode(first.ciphertext()))
        .hasSize(12 + TOKEN.length() + 16); // iv + ciphertext + tag
  }

  @Test
  void whenCiphertextIsTamperedThenDecryptionFails() {
    LocalAesGcmTokenCipher cipher = new LocalAesGcmTokenCipher(Map.of(1, randomKey()), 1);
    SealedToken sealed = cipher.seal(TOKEN);
    byte[] bytes = Base64.getDecoder().decode(sealed.ciphertext());
    bytes[bytes.length / 2] ^= 0x01;
    SealedToken tampered = new SealedToken(Base64.getEncoder().encodeToString(bytes), 1);

    cipher
        .decrypt(tampered)
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
    SealedToken sealed = new LocalAesGcmTokenCipher(Map.of(1, randomKey()), 1).seal(TOKEN);
    LocalAesGcmTokenCipher other = new LocalAesGcmTokenCipher(Map.of(1, randomKey()), 1);

    other.decrypt(sealed).as(StepVerifier::create).expectError(TokenCipherException.class).verify();
  }

  @Test
  void whenKeyVersionIsUnknownThenDecryptionFails() {
    LocalAesGcmTokenCipher cipher = new LocalAesGcmTokenCipher(Map.of(1, randomKey()), 1);
    SealedToken sealed = cipher.seal(TOKEN);

    cipher
        .decrypt(new SealedToken(sealed.ciphertext(), 7))
        .as(StepVerifier::create)
        .expectErrorMatches(e -> e instanceof TokenCipherException && e.getMessage().contains("version 7"))
        .verify();
  }

  @Test
  void whenVersionIsRelabelledThenAuthenticationFails() {
    byte[] key = randomKey();
    // The same key registered under two versions: the version is bound as associated data.
    LocalAesGcmTokenCipher cipher = new LocalAesGcmTokenCipher(Map.of(1, key, 2, key), 2);
    SealedToken sealed = cipher.seal(TOKEN);

    cipher
        .decrypt(new SealedToken(sealed.ciphertext(), 1))
        .as(StepVerifier::create)
        .expectError(TokenCipherException.class)
        .verify();
  }

  @Test
  void whenKeyRotatesThenOldCiphertextsStayReadableAndNewOnesUseTheNewVersion() {
    byte[] oldKey = randomKey();
    SealedToken old = new LocalAesGcmTokenCipher(Map.of(1, oldKey), 1).seal(TOKEN);
    LocalAesGcmTokenCipher rotated = new LocalAesGcmTokenCipher(Map.of(1, oldKey, 2, randomKey()), 2);

    assertThat(rotated.seal("new").keyVersion()).isEqualTo(2);
    rotated.decrypt(old).as(StepVerifier::create).expectNext(TOKEN).verifyComplete();
  }

  @Test
  void shouldRejectKeysThatAreNot32Bytes() {
    org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
        .isThrownBy(() -> new LocalAesGcmTokenCipher(Map.of(1, new byte[16]), 1))
        .withMessageContaining("32 bytes");
  }

  @Test
  void whenNoKeyFileExistsThenOneIsGeneratedOwnerOnlyAndReusedAfterwards(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("nested").resolve("oauth-token.key");

    byte[] created = LocalKeyFile.loadOrCreate(file);
    byte[] reread = LocalKeyFile.loadOrCreate(file);

    assertThat(created).hasSize(32).isEqualTo(reread);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    LocalAesGcmTokenCipher first = new LocalAesGcmTokenCipher(Map.of(1, created), 1);
    LocalAesGcmTokenCipher second = new LocalAesGcmTokenCipher(Map.of(1, reread), 1);
    second.decrypt(first.seal(TOKEN)).as(StepVerifier::create).expectNext(TOKEN).verifyComplete();
  }
}
