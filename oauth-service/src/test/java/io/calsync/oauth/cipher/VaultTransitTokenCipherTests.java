package io.calsync.oauth.cipher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calsync.oauth.domain.TokenCipherException;
import org.junit.jupiter.api.Test;

class VaultTransitTokenCipherTests {

  @Test
  void shouldReadTheKeyVersionFromVaultCiphertexts() {
    assertThat(VaultTransitTokenCipher.versionOf("vault:v1:abcd")).isEqualTo(1);
    assertThat(VaultTransitTokenCipher.versionOf("vault:v12:abcd")).isEqualTo(12);
  }

  @Test
  void whenCiphertextIsNotVaultsThenItIsRejected() {
    assertThatThrownBy(() -> VaultTransitTokenCipher.versionOf("abcd"))
        .isInstanceOf(TokenCipherException.class);
  }
}
