package io.calsync.emulator;

import java.time.Clock;
import java.util.List;
import java.util.Objects;

/**
 * Options of an embedded {@link GoogleEmulator}.
 *
 * @param port TCP port to listen on; 0 picks a free port
 * @param clientId the one OAuth client the emulator knows
 * @param clientSecret that client's secret
 * @param clock the clock for token expiry, timestamps and channel expiration
 * @param redirectUris the redirect URIs registered for the client: authorization accepts only
 *     these, compared exactly (scheme, host, port, path, trailing slash), as Google does
 */
public record EmulatorOptions(
    int port, String clientId, String clientSecret, Clock clock, List<String> redirectUris) {

  public static final String DEFAULT_CLIENT_ID =
      "calendar-platform-local.apps.googleusercontent.com";
  public static final String DEFAULT_CLIENT_SECRET = "local-google-secret";

  public EmulatorOptions {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientSecret, "clientSecret");
    Objects.requireNonNull(clock, "clock");
    redirectUris = List.copyOf(redirectUris);
  }

  /** Port 0, the default client, the system clock and no registered redirect URI. */
  public static EmulatorOptions defaults() {
    return new EmulatorOptions(
        0, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Clock.systemUTC(), List.of());
  }

  public EmulatorOptions withPort(int newPort) {
    return new EmulatorOptions(newPort, clientId, clientSecret, clock, redirectUris);
  }

  public EmulatorOptions withClient(String id, String secret) {
    return new EmulatorOptions(port, id, secret, clock, redirectUris);
  }

  public EmulatorOptions withClock(Clock newClock) {
    return new EmulatorOptions(port, clientId, clientSecret, newClock, redirectUris);
  }

  /** Registers these redirect URIs for the client (replacing any registered before). */
  public EmulatorOptions withRedirectUris(String... uris) {
    return new EmulatorOptions(port, clientId, clientSecret, clock, List.of(uris));
  }
}
