package io.calsync.emulator.oauth;

import io.calsync.emulator.support.Json;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import tools.jackson.databind.node.ObjectNode;

/**
 * RS256 ID tokens signed with a per-emulator key, published as JWKS at {@code /oauth2/v3/certs}.
 */
public final class IdTokens {

  private KeyPair keyPair;
  private final String keyId;
  private final Clock clock;

  public IdTokens(Clock clock) {
    this.keyId = io.calsync.emulator.support.Ids.base32hex(40);
    this.clock = clock;
  }

  /** The signing key, generated on first use (keeps emulator start-up fast). */
  private synchronized KeyPair keys() {
    if (keyPair == null) {
      try {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        keyPair = generator.generateKeyPair();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
    return keyPair;
  }

  /** An ID token for the client the access token was issued to ({@code aud} and {@code azp}). */
  public String mint(Account account, OAuthStore.AccessToken access) {
    long now = clock.instant().getEpochSecond();
    ObjectNode header = Json.object();
    header.put("alg", "RS256");
    header.put("kid", keyId);
    header.put("typ", "JWT");
    ObjectNode claims = Json.object();
    claims.put("iss", OAuthHandlers.ISSUER);
    claims.put("azp", access.clientId());
    claims.put("aud", access.clientId());
    claims.put("sub", account.sub());
    if (access.scopes().contains(Scopes.EMAIL)) {
      claims.put("email", account.email());
      claims.put("email_verified", true);
    }
    claims.put("at_hash", atHash(access.token()));
    claims.put("iat", now);
    claims.put("exp", now + OAuthStore.ACCESS_TOKEN_SECONDS + 1);
    String signingInput = b64(Json.bytes(header)) + "." + b64(Json.bytes(claims));
    try {
      Signature signature = Signature.getInstance("SHA256withRSA");
      signature.initSign(keys().getPrivate());
      signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return signingInput + "." + b64(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  public ObjectNode jwks() {
    RSAPublicKey key = (RSAPublicKey) keys().getPublic();
    ObjectNode jwks = Json.object();
    ObjectNode jwk = jwks.putArray("keys").addObject();
    jwk.put("kty", "RSA");
    jwk.put("alg", "RS256");
    jwk.put("use", "sig");
    jwk.put("kid", keyId);
    jwk.put("n", b64(unsigned(key.getModulus())));
    jwk.put("e", b64(unsigned(key.getPublicExponent())));
    return jwks;
  }

  private static byte[] unsigned(BigInteger value) {
    byte[] bytes = value.toByteArray();
    return bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
  }

  private static String atHash(String accessToken) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(accessToken.getBytes(StandardCharsets.US_ASCII));
      return b64(Arrays.copyOf(digest, 16));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
