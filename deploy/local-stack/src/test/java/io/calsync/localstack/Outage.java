package io.calsync.localstack;

import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A piece of infrastructure kept away for a fixed time: the length is the fault itself, not a wait
 * for a result, so the scenario probes the public API through it, about once a second, and judges
 * the answers afterwards.
 */
final class Outage {

  static final Duration LENGTH = Duration.ofSeconds(30);

  private Outage() {}

  /** Calls {@code probe} until {@code end}, answering every answer it got. */
  static List<HttpResponse<String>> probeUntil(Instant end, Callable<HttpResponse<String>> probe) {
    List<HttpResponse<String>> answers = new CopyOnWriteArrayList<>();
    await()
        .atMost(Duration.between(Instant.now(), end).plus(LENGTH))
        .pollInterval(Duration.ofSeconds(1))
        .until(
            () -> {
              answers.add(probe.call());
              return !Instant.now().isBefore(end);
            });
    return answers;
  }
}
