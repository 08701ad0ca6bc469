package io.calsync.oauth.cipher;

import io.calsync.oauth.domain.AadFormat;
import io.calsync.oauth.domain.SealedToken;
import io.calsync.oauth.domain.TokenCipher;
import io.calsync.oauth.domain.TokenCipherException;
import io.calsync.oauth.domain.TokenSlot;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import reactor.core.publisher.Mono;

/**
 * AES-256-GCM with a random 12-byte IV per value. The ciphertext is {@code base64(iv || ciphertext
 * || tag)}. The associated data is the ciphertext's slot and key version, {@code
 * calsync:connection_tokens:<connection id>:<column>:v<version>} ({@link
 * TokenSlot#canonical(int)}), so a ciphertext presented for another connection, another column or
 * under another version fails authentication instead of decrypting. Ciphertexts of the {@link
 * AadFormat#LEGACY legacy} format (written before the slot binding) were bound to {@code
 * calsync-oauth-token:v<version>} only and are still read that way. Older keys stay available by
 * version for reading after a rotation; new values always use the current key.
 */
public final class LocalAesGcmTokenCipher implements TokenCipher {

  static final int KEY_BYTES = 32;
  private static final int IV_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private final Map<Integer, SecretKey> keys;
  private final int currentVersion;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param keys raw 32-byte keys by version
   * @param currentVersion the version used to encrypt; must be among {@code keys}
   */
  public LocalAesGcmTokenCipher(Map<Integer, byte[]> keys, int currentVersion) {
    if (!keys.containsKey(currentVersion)) {
      throw new IllegalArgumentException("No key for the current version " + currentVersion);
    }
    this.keys =
        Map.copyOf(
            keys.entrySet().stream()
                .collect(
                    java.util.stream.Collectors.toMap(
                        Map.Entry::getKey, e -> toKey(e.getKey(), e.getValue()))));
    this.currentVersion = currentVersion;
  }

  private static SecretKey toKey(int version, byte[] raw) {
    if (raw == null || raw.length != KEY_BYTES) {
      throw new IllegalArgumentException(
          "Token key version "
              + version
              + " must be "
              + KEY_BYTES
              + " bytes (base64 of 32 random bytes)");
    }
    return new SecretKeySpec(raw.clone(), "AES");
  }

  /** Decodes a base64 key as configured in {@code TOKEN_ENCRYPTION_KEY}. */
  public static byte[] decodeKey(String base64) {
    try {
      return Base64.getDecoder().decode(base64.trim());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("The token encryption key is not valid base64", e);
    }
  }

  @Override
  public Mono<SealedToken> encrypt(String plaintext, TokenSlot slot) {
    return Mono.fromCallable(() -> seal(plaintext, slot));
  }

  @Override
  public Mono<String> decrypt(SealedToken sealed, TokenSlot slot) {
    return Mono.fromCallable(() -> open(sealed, slot));
  }

  @Override
  public Mono<Integer> currentKeyVersion() {
    return Mono.just(currentVersion);
  }

  SealedToken seal(String plaintext, TokenSlot slot) {
    try {
      byte[] iv = new byte[IV_BYTES];
      random.nextBytes(iv);
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(
          Cipher.ENCRYPT_MODE, keys.get(currentVersion), new GCMParameterSpec(TAG_BITS, iv));
      cipher.updateAAD(associatedData(AadFormat.SLOT, slot, currentVersion));
      byte[] body = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
      byte[] out = ByteBuffer.allocate(iv.length + body.length).put(iv).put(body).array();
      return SealedToken.bound(Base64.getEncoder().encodeToString(out), currentVersion);
    } catch (GeneralSecurityException e) {
      throw new TokenCipherException("AES-GCM encryption failed", false, e);
    }
  }

  String open(SealedToken sealed, TokenSlot slot) {
    SecretKey key = keys.get(sealed.keyVersion());
    if (key == null) {
      throw new TokenCipherException(
          "No local key with version " + sealed.keyVersion() + " is configured", false, null);
    }
    byte[] in;
    try {
      in = Base64.getDecoder().decode(sealed.ciphertext());
    } catch (IllegalArgumentException e) {
      throw new TokenCipherException("Ciphertext is not base64", false, null);
    }
    if (in.length < IV_BYTES + TAG_BITS / 8) {
      throw new TokenCipherException("Ciphertext is too short", false, null);
    }
    try {
      Cipher cipher = Cipher.getInstance(TRANSFORMATION);
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
      cipher.updateAAD(associatedData(sealed.aadFormat(), slot, sealed.keyVersion()));
      byte[] plain = cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES);
      return new String(plain, StandardCharsets.UTF_8);
    } catch (GeneralSecurityException e) {
      // AEADBadTagException: tampered, or made with another key. The message never holds the value.
      throw new TokenCipherException(
          "Ciphertext failed authentication in "
              + slot.canonical()
              + " (tampered, made with another key, or stored in another slot)",
          false,
          null);
    }
  }

  static byte[] associatedData(AadFormat format, TokenSlot slot, int version) {
    String text =
        switch (format) {
          case LEGACY -> "calsync-oauth-token:v" + version;
          case SLOT -> slot.canonical(version);
        };
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  @Override
  public String toString() {
    return "LocalAesGcmTokenCipher[currentVersion="
        + currentVersion
        + ", versions="
        + keys.keySet()
        + "]";
  }
}
