package io.calsync.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real Redis server (Debian's {@code redis-server}) on a free loopback port, without persistence,
 * for as long as the test needs it. CI installs the package; without it the tests that need it say
 * they were skipped.
 */
final class RedisServerProcess implements AutoCloseable {

  static final Path BINARY = Path.of("/usr/bin/redis-server");

  final int port;
  private final Process process;

  private RedisServerProcess(int port, Process process) {
    this.port = port;
    this.process = process;
  }

  static RedisServerProcess start() throws IOException {
    assumeTrue(
        Files.isExecutable(BINARY), "redis-server is not installed (apt-get install redis-server)");
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Process process =
        new ProcessBuilder(
                BINARY.toString(),
                "--port",
                String.valueOf(port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    RedisServerProcess redis = new RedisServerProcess(port, process);
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .untilAsserted(() -> assertThat(redis.command("PING")).startsWith("+PONG"));
    return redis;
  }

  /** One inline command, answered in RESP: enough for PING and DBSIZE. */
  String command(String command) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      socket.setSoTimeout(2000);
      OutputStream out = socket.getOutputStream();
      out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder answer = new StringBuilder();
      int c;
      while ((c = in.read()) != -1 && c != '\n') {
        answer.append((char) c);
      }
      return answer.toString();
    }
  }

  @Override
  public void close() {
    process.destroy();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
