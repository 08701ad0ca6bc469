package io.calsync.sync.support;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

/**
 * The public front of the tests' sync-service, what {@code PUBLIC_WEBHOOK_BASE_URL} names in
 * production (the address Google pushes to, in front of the service). A real HTTP server on a free
 * port that passes each request on, method, path, headers and body, to the port the service's web
 * server took at random ({@link #forwardTo}, set when it started), and the answer back. Until then
 * it answers 503.
 */
public final class PublicFront implements AutoCloseable {

  private final DisposableServer server;
  private final HttpClient client = HttpClient.create();
  private volatile int target = -1;

  PublicFront() {
    this.server = HttpServer.create().host("localhost").port(0).handle(this::forward).bindNow();
  }

  /** {@code http://localhost:<port>}, no trailing slash. */
  public String baseUrl() {
    return "http://localhost:" + server.port();
  }

  /** The service listens on {@code port} now. */
  public void forwardTo(int port) {
    this.target = port;
  }

  private Mono<Void> forward(HttpServerRequest req, HttpServerResponse res) {
    int port = target;
    if (port < 0) {
      return res.status(HttpResponseStatus.SERVICE_UNAVAILABLE).send();
    }
    return req.receive()
        .aggregate()
        .asString()
        .defaultIfEmpty("")
        .flatMap(
            body ->
                client
                    .headers(h -> h.set(req.requestHeaders()).remove(HttpHeaderNames.HOST))
                    .request(req.method())
                    .uri("http://localhost:" + port + req.uri())
                    .send((r, out) -> out.sendString(Mono.just(body)))
                    .responseSingle(
                        (answer, content) ->
                            content
                                .asString()
                                .defaultIfEmpty("")
                                .flatMap(
                                    text ->
                                        res.status(answer.status())
                                            .headers(answer.responseHeaders())
                                            .sendString(Mono.just(text))
                                            .then())));
  }

  @Override
  public void close() {
    server.disposeNow();
  }
}
