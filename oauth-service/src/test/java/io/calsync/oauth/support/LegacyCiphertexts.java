package io.calsync.oauth.support;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Ciphertexts as the build before the slot binding (migration V2) wrote them, made with plain JCE
 * so that the tests do not depend on the code they check.
 */
public final class LegacyCiphertexts {

  private static final SecureRandom RANDOM = new SecureRandom();

  private LegacyCiphertexts() {}

  /**
   * The local AES-256-GCM cipher's format: {@code base64(iv || ciphertext || tag)}, AAD {@code
   * calsync-oauth-token:v<version>}.
   */
  public static String localAesGcm(byte[] key, int version, String plaintext) {
    try {
      byte[] iv = new byte[12];
      RANDOM.nextBytes(iv);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
      cipher.updateAAD(("calsync-oauth-token:v" + version).getBytes(StandardCharsets.US_ASCII));
      byte[] body = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder()
          .encodeToString(ByteBuffer.allocate(12 + body.length).put(iv).put(body).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
