package io.calsync.testsupport;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * A stand-in for Vault's KV version 2 engine (mount {@code secret}) over real HTTP, answering what
 * Spring Cloud Vault asks when it loads {@code vault://} at start: the token's own lookup ({@code
 * GET /v1/auth/token/lookup-self}), the mount's engine and version ({@code GET
 * /v1/sys/internal/ui/mounts/secret/<path>}), and a secret ({@code GET /v1/secret/data/<path>} as
 * {@code {"data": {"data": {...}, "metadata": {...}}}}). Every request needs the stand-in's token
 * in {@code X-Vault-Token}; any other token, or none, is answered 403 {@code permission denied}, as
 * Vault answers a token its policy does not allow. A path never written is a 404. The requests are
 * recorded (path and whether the token was the right one, never the token itself).
 */
public final class VaultKvStandIn implements AutoCloseable {

  private static final String DATA = "/v1/secret/data/";
  private static final String MOUNTS = "/v1/sys/internal/ui/mounts/secret/";

  private final String token;
  private final Map<String, Map<String, String>> secrets = new ConcurrentHashMap<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final DisposableServer server;

  /**
   * @param token the only token this Vault accepts
   */
  public VaultKvStandIn(String token) {
    this.token = token;
    this.server = HttpServer.create().host("127.0.0.1").port(0).handle(this::answer).bindNow();
  }

  /** Writes a secret at {@code secret/<path>}, as {@code vault kv put secret/<path> k=v…}. */
  public VaultKvStandIn put(String path, Map<String, String> values) {
    secrets.put(path, Map.copyOf(values));
    return this;
  }

  /** The address to give as {@code VAULT_URI}. */
  public String uri() {
    return "http://127.0.0.1:" + server.port();
  }

  /** The requests so far, each {@code <path> token=accepted} or {@code <path> token=refused}. */
  public List<String> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.disposeNow();
  }

  private Mono<Void> answer(HttpServerRequest request, HttpServerResponse response) {
    String uri = request.uri();
    boolean accepted = token.equals(request.requestHeaders().get("X-Vault-Token"));
    requests.add(uri + " token=" + (accepted ? "accepted" : "refused"));
    if (!accepted) {
      return json(response, 403, "{\"errors\": [\"permission denied\"]}");
    }
    if (uri.equals("/v1/auth/token/lookup-self")) {
      return json(response, 200, "{\"data\": {\"ttl\": 0, \"renewable\": false}}");
    }
    if (uri.startsWith(MOUNTS)) {
      // how Vault's client finds out that secret/ is a KV version 2 engine
      return json(
          response,
          200,
          "{\"data\": {\"type\": \"kv\", \"path\": \"secret/\", \"options\": {\"version\": \"2\"}}}");
    }
    Map<String, String> secret =
        uri.startsWith(DATA) ? secrets.get(uri.substring(DATA.length())) : null;
    if (secret == null) {
      return json(response, 404, "{\"errors\": []}");
    }
    return json(
        response,
        200,
        "{\"data\": {\"data\": "
            + object(secret)
            + ", \"metadata\": {\"version\": 1, \"destroyed\": false}}}");
  }

  private static Mono<Void> json(HttpServerResponse response, int status, String body) {
    return response
        .status(status)
        .header("Content-Type", "application/json")
        .sendString(Mono.just(body))
        .then();
  }

  private static String object(Map<String, String> values) {
    return values.entrySet().stream()
        .map(e -> string(e.getKey()) + ": " + string(e.getValue()))
        .collect(Collectors.joining(", ", "{", "}"));
  }

  private static String string(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20) {
        out.append(String.format("\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }
}
