package io.calsync.gateway;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.LoopResources;

/**
 * A stand-in for one upstream service: a real Reactor Netty server that records every request and
 * answers {@code {"service": name, "path": ...}}. A few paths behave specially: the OAuth callback
 * answers a 302 to the web client, the event stream answers a short {@code text/event-stream} (with
 * a pause longer than the tests' response timeout), a request with {@code slow=} in its query (the
 * callback's too) answers after 3 seconds, and one with {@code unavailable=} answers the service's
 * own 503 problem.
 */
final class StubUpstream implements AutoCloseable {

  record Recorded(
      String method,
      String uri,
      String authorization,
      String body,
      String cookie,
      String traceparent) {}

  static final String CALLBACK_LOCATION =
      "http://localhost:8080/settings?calendar=connected&connection_id=c1";

  private final String name;
  private final LoopResources loops;
  private final List<Recorded> requests = new CopyOnWriteArrayList<>();
  private final DisposableServer server;

  StubUpstream(String name) {
    this.name = name;
    // its own event loops: a gateway context that closes disposes Reactor Netty's global ones
    this.loops = LoopResources.create("stub-" + name, 1, true);
    this.server =
        HttpServer.create().runOn(loops).host("127.0.0.1").port(0).handle(this::handle).bindNow();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.port();
  }

  List<Recorded> requests() {
    return requests;
  }

  void reset() {
    requests.clear();
  }

  private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
    return request
        .receive()
        .aggregate()
        .asString(StandardCharsets.UTF_8)
        .defaultIfEmpty("")
        .flatMap(
            body -> {
              String uri = request.uri();
              requests.add(
                  new Recorded(
                      request.method().name(),
                      uri,
                      request.requestHeaders().get("Authorization"),
                      body,
                      request.requestHeaders().get("Cookie"),
                      request.requestHeaders().get("traceparent")));
              if (uri.startsWith("/api/calendar/google/callback/")
                  && uri.contains("unavailable=")) {
                return response.status(503).send();
              }
              if (uri.startsWith("/api/calendar/google/callback/")) {
                Mono<Void> redirect =
                    response.status(302).header("Location", CALLBACK_LOCATION).send();
                return uri.contains("slow=")
                    ? Mono.delay(Duration.ofSeconds(3)).then(redirect)
                    : redirect;
              }
              if (uri.startsWith("/api/calendar/events/stream/")) {
                return response
                    .header("Content-Type", "text/event-stream")
                    .sendString(
                        Flux.concat(
                            Mono.just("event: changed\ndata: {\"n\":1}\n\n"),
                            // longer than the response timeout the tests configure: the stream must
                            // survive it
                            Mono.delay(Duration.ofMillis(1500))
                                .thenReturn(": heartbeat\n\nevent: changed\ndata: {\"n\":2}\n\n")))
                    .then();
              }
              if (uri.contains("unavailable=")) {
                return response
                    .status(503)
                    .header("Content-Type", "application/problem+json")
                    .sendString(
                        Mono.just(
                            "{\"status\":503,\"code\":\"upstream_unavailable\",\"detail\":\"database down\"}"))
                    .then();
              }
              Mono<Void> answer =
                  response
                      .header("Content-Type", "application/json")
                      .sendString(
                          Mono.just(
                              "{\"service\":\"" + name + "\",\"path\":\"" + request.path() + "\"}"))
                      .then();
              return uri.contains("slow=")
                  ? Mono.delay(Duration.ofSeconds(3)).then(answer)
                  : answer;
            });
  }

  @Override
  public void close() {
    server.disposeNow();
    loops.dispose();
  }
}
