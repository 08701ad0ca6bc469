package io.calsync.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One local stack on free ports for every system test class of the test run, Jupiter's and jqwik's:
 * started by the first class that needs it, stopped when the launcher session ends (its store
 * closes it, after every engine ran) or, when no Jupiter class ran, when the JVM exits. It runs two
 * instances of each service ({@link #INSTANCES} lanes sharing the database and the broker), so
 * every system test meets partitions spread over two consumers, leases contended by two sync
 * workers and streams fed by another instance's writes; the tests talk to lane 1's gateway unless
 * they say otherwise.
 */
final class SystemStack implements BeforeAllCallback {

  static final int INSTANCES = 2;

  private static volatile Running running;

  @Override
  public void beforeAll(ExtensionContext context) {
    context
        .getStore(ExtensionContext.StoreScope.LAUNCHER_SESSION, ExtensionContext.Namespace.GLOBAL)
        .computeIfAbsent(SystemStack.class, key -> shared(), Running.class);
  }

  /**
   * The one stack of this JVM, started on first use. jqwik runs no Jupiter extension, so its
   * properties call this from a {@code @BeforeContainer} hook.
   */
  static synchronized Running shared() {
    if (running == null) {
      running = start();
      Runtime.getRuntime().addShutdownHook(new Thread(running::close, "system-stack-stop"));
    }
    return running;
  }

  static LocalStackSettings settings() {
    return running.settings();
  }

  static LocalStack stack() {
    return running.stack();
  }

  private static Running start() {
    Map<String, String> env = new HashMap<>();
    List<String> perInstance =
        List.of(
            "GATEWAY_PORT",
            "OAUTH_SERVICE_PORT",
            "SYNC_SERVICE_PORT",
            "QUERY_SERVICE_PORT",
            "GATEWAY_MANAGEMENT_PORT",
            "OAUTH_MANAGEMENT_PORT",
            "SYNC_MANAGEMENT_PORT",
            "QUERY_MANAGEMENT_PORT");
    for (String name : perInstance) {
      env.put(name, String.valueOf(freePort()));
      for (int lane = 2; lane <= INSTANCES; lane++) {
        env.put(name + "_" + lane, String.valueOf(freePort()));
      }
    }
    for (String name : List.of("GOOGLE_EMULATOR_PORT", "OIDC_PORT", "POSTGRES_PORT")) {
      env.put(name, String.valueOf(freePort()));
    }
    env.put("LOCAL_STACK_INSTANCES", String.valueOf(INSTANCES));
    Path root = Path.of("../..").toAbsolutePath().normalize();
    env.put("LOCAL_STACK_DIR", root.resolve("deploy/local-stack/target/local-stack").toString());
    LocalStackSettings settings = LocalStackSettings.from(env, root);
    LocalStack stack = new LocalStack(settings);
    try {
      stack.start();
    } catch (Exception e) {
      stack.close();
      throw new IllegalStateException("The local stack did not start", e);
    }
    return new Running(stack, settings);
  }

  private static final Set<Integer> TAKEN = new HashSet<>();

  /**
   * A port nothing listens on now, and not handed out before in this run: the kernel may offer a
   * port it just gave back, and the stack asks for more than twenty.
   */
  private static synchronized int freePort() {
    while (true) {
      try (ServerSocket socket = new ServerSocket(0)) {
        if (TAKEN.add(socket.getLocalPort())) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  record Running(LocalStack stack, LocalStackSettings settings) implements AutoCloseable {
    @Override
    public void close() {
      stack.close();
    }
  }
}
