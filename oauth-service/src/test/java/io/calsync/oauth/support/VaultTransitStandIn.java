package io.calsync.oauth.support;

import io.calsync.oauth.cipher.VaultTransitTokenCipher;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.vault.authentication.VaultTokenSupplier;
import org.springframework.vault.client.VaultEndpoint;
import org.springframework.vault.core.ReactiveVaultTemplate;
import org.springframework.vault.support.VaultToken;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A stand-in for Vault's transit engine over real HTTP (mount {@code transit}, one {@code
 * aes256-gcm96} key {@code oauth-tokens}), so the transit adapter is tested without Docker. It
 * follows Vault's API and behaviour where the adapter depends on them: real AES-256-GCM per key
 * version, ciphertexts {@code vault:v<version>:base64(nonce || ciphertext || tag)}, base64
 * plaintext, {@code associated_data} (base64) authenticated with the ciphertext, so decrypting with
 * other (or no) associated data answers 400 {@code cipher: message authentication failed}; {@code
 * rotate} adds a version that new encryptions use while older versions keep decrypting; the key's
 * {@code latest_version} at {@code GET /v1/transit/keys/oauth-tokens}. Requests need the {@code
 * X-Vault-Token}; {@link #down(boolean)} makes every call a 503, as a sealed Vault answers.
 */
public final class VaultTransitStandIn implements AutoCloseable {

  public static final String TOKEN = "root-token";
  public static final String PATH = "transit";
  public static final String KEY = "oauth-tokens";

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern CIPHERTEXT = Pattern.compile("^vault:v(\\d+):(.+)$");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final List<SecretKey> versions = new CopyOnWriteArrayList<>();
  private final List<TransitRequest> requests = new CopyOnWriteArrayList<>();
  private final AtomicBoolean down = new AtomicBoolean();
  private final DisposableServer server;

  private VaultTransitStandIn() {
    rotate();
    server =
        HttpServer.create()
            .host("localhost")
            .port(0)
            .route(
                routes ->
                    routes
                        .post(
                            "/v1/" + PATH + "/{operation}/{key}",
                            (request, response) ->
                                guarded(
                                    request.requestHeaders().get("X-Vault-Token"),
                                    response,
                                    () ->
                                        request
                                            .receive()
                                            .aggregate()
                                            .asString()
                                            .defaultIfEmpty("{}")
                                            .flatMap(
                                                body ->
                                                    answer(
                                                        response,
                                                        operate(
                                                            request.param("operation"),
                                                            request.param("key"),
                                                            body)))))
                        .post(
                            "/v1/" + PATH + "/keys/{key}/rotate",
                            (request, response) ->
                                guarded(
                                    request.requestHeaders().get("X-Vault-Token"),
                                    response,
                                    () -> {
                                      if (!KEY.equals(request.param("key"))) {
                                        return answer(response, Answer.error(404));
                                      }
                                      rotate();
                                      return answer(response, new Answer(204, null));
                                    }))
                        .get(
                            "/v1/" + PATH + "/keys/{key}",
                            (request, response) ->
                                guarded(
                                    request.requestHeaders().get("X-Vault-Token"),
                                    response,
                                    () -> answer(response, keyInfo(request.param("key"))))))
            .bindNow();
  }

  public static VaultTransitStandIn start() {
    return new VaultTransitStandIn();
  }

  public URI uri() {
    return URI.create("http://localhost:" + server.port());
  }

  /** A reactive Vault client for this stand-in, authenticated with its root token. */
  public ReactiveVaultTemplate template() {
    return new ReactiveVaultTemplate(
        VaultEndpoint.from(uri()),
        new ReactorClientHttpConnector(),
        (VaultTokenSupplier) () -> Mono.just(VaultToken.of(TOKEN)));
  }

  /** The adapter under test, as the service configures it. */
  public VaultTransitTokenCipher cipher() {
    return new VaultTransitTokenCipher(template(), PATH, KEY, Duration.ofSeconds(5));
  }

  /** As {@code vault write -f transit/keys/oauth-tokens/rotate}. */
  public void rotate() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    versions.add(new SecretKeySpec(key, "AES"));
  }

  public int latestVersion() {
    return versions.size();
  }

  public void down(boolean isDown) {
    down.set(isDown);
  }

  /** The encrypt and decrypt requests so far. */
  public List<TransitRequest> requests() {
    return List.copyOf(requests);
  }

  /** An encrypt or decrypt request as received: the operation and the JSON body. */
  public record TransitRequest(String operation, JsonNode body) {

    /** The decoded {@code associated_data}, or null when the request had none. */
    public String associatedData() {
      return body.hasNonNull("associated_data")
          ? new String(
              Base64.getDecoder().decode(body.get("associated_data").asString()),
              java.nio.charset.StandardCharsets.UTF_8)
          : null;
    }
  }

  @Override
  public void close() {
    server.disposeNow();
  }

  private Mono<Void> guarded(
      String token, HttpServerResponse response, java.util.function.Supplier<Mono<Void>> work) {
    if (down.get()) {
      return answer(response, Answer.error(503, "Vault is sealed"));
    }
    if (!TOKEN.equals(token)) {
      return answer(response, Answer.error(403, "permission denied"));
    }
    return work.get();
  }

  private static Mono<Void> answer(HttpServerResponse response, Answer answer) {
    response.status(answer.status());
    if (answer.body() == null) {
      return response.send();
    }
    return response
        .header("Content-Type", "application/json")
        .sendString(Mono.just(JSON.writeValueAsString(answer.body())))
        .then();
  }

  private Answer operate(String operation, String key, String body) {
    if (!KEY.equals(key)) {
      return Answer.error(400, "encryption key not found");
    }
    JsonNode request = JSON.readTree(body);
    requests.add(new TransitRequest(operation, request));
    try {
      byte[] associatedData =
          request.hasNonNull("associated_data")
              ? Base64.getDecoder().decode(request.get("associated_data").asString())
              : new byte[0];
      return switch (operation) {
        case "encrypt" -> encrypt(request, associatedData);
        case "decrypt" -> decrypt(request, associatedData);
        default -> Answer.error(405, "unsupported operation");
      };
    } catch (IllegalArgumentException e) {
      return Answer.error(400, "failed to base64-decode input");
    }
  }

  private Answer encrypt(JsonNode request, byte[] associatedData) {
    if (!request.hasNonNull("plaintext")) {
      return Answer.error(400, "missing plaintext to encrypt");
    }
    byte[] plaintext = Base64.getDecoder().decode(request.get("plaintext").asString());
    int version = latestVersion();
    try {
      byte[] nonce = new byte[12];
      RANDOM.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, versions.get(version - 1), new GCMParameterSpec(128, nonce));
      cipher.updateAAD(associatedData);
      byte[] body = cipher.doFinal(plaintext);
      String ciphertext =
          "vault:v"
              + version
              + ":"
              + Base64.getEncoder()
                  .encodeToString(
                      ByteBuffer.allocate(12 + body.length).put(nonce).put(body).array());
      return Answer.data(Map.of("ciphertext", ciphertext, "key_version", version));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private Answer decrypt(JsonNode request, byte[] associatedData) {
    Matcher matcher =
        CIPHERTEXT.matcher(
            (request.hasNonNull("ciphertext") ? request.get("ciphertext").asString() : ""));
    if (!matcher.matches()) {
      return Answer.error(400, "invalid ciphertext: no prefix");
    }
    int version = Integer.parseInt(matcher.group(1));
    if (version < 1 || version > latestVersion()) {
      return Answer.error(400, "invalid key version");
    }
    byte[] in = Base64.getDecoder().decode(matcher.group(2));
    if (in.length < 12 + 16) {
      return Answer.error(400, "invalid ciphertext: too short");
    }
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(
          Cipher.DECRYPT_MODE, versions.get(version - 1), new GCMParameterSpec(128, in, 0, 12));
      cipher.updateAAD(associatedData);
      byte[] plaintext = cipher.doFinal(in, 12, in.length - 12);
      return Answer.data(Map.of("plaintext", Base64.getEncoder().encodeToString(plaintext)));
    } catch (AEADBadTagException e) {
      return Answer.error(400, "cipher: message authentication failed");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private Answer keyInfo(String key) {
    if (!KEY.equals(key)) {
      return Answer.error(404);
    }
    Map<String, Object> keys = new LinkedHashMap<>();
    for (int version = 1; version <= latestVersion(); version++) {
      keys.put(String.valueOf(version), Instant.now().getEpochSecond());
    }
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("name", KEY);
    data.put("type", "aes256-gcm96");
    data.put("keys", keys);
    data.put("latest_version", latestVersion());
    data.put("min_available_version", 0);
    data.put("min_decryption_version", 1);
    data.put("min_encryption_version", 0);
    data.put("deletion_allowed", false);
    data.put("derived", false);
    data.put("exportable", false);
    data.put("supports_encryption", true);
    data.put("supports_decryption", true);
    data.put("supports_derivation", true);
    data.put("supports_signing", false);
    return Answer.data(data);
  }

  private record Answer(int status, Map<String, Object> body) {

    static Answer data(Map<String, Object> data) {
      return new Answer(200, Map.of("data", data));
    }

    static Answer error(int status, String... errors) {
      return new Answer(status, Map.of("errors", List.of(errors)));
    }
  }
}
