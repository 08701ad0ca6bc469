package io.calsync.emulator;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Options of an embedded {@link GoogleEmulator}.
 *
 * @param port TCP port to listen on; 0 picks a free port
 * @param clientId the main OAuth client (the one the admin API's access tokens belong to)
 * @param clientSecret that client's secret
 * @param clock the clock for token expiry, timestamps and channel expiration
 * @param redirectUris the redirect URIs registered for the main client: authorization accepts only
 *     these, compared exactly (scheme, host, port, path, trailing slash), as Google does
 * @param extraClients further OAuth clients, each with its own secret and redirect URIs; tokens and
 *     codes of one client do not work for another
 */
public record EmulatorOptions(
    int port,
    String clientId,
    String clientSecret,
    Clock clock,
    List<String> redirectUris,
    List<Client> extraClients) {

  public static final String DEFAULT_CLIENT_ID =
      "calendar-platform-local.apps.googleusercontent.com";
  public static final String DEFAULT_CLIENT_SECRET = "local-google-secret";

  /** A registered OAuth client: id, secret and the redirect URIs authorized for it. */
  public record Client(String id, String secret, List<String> redirectUris) {
    public Client {
      if (id == null || id.isBlank()) {
        throw new IllegalArgumentException("client id is blank");
      }
      if (secret == null || secret.isBlank()) {
        throw new IllegalArgumentException("client secret is blank for client " + id);
      }
      redirectUris = List.copyOf(redirectUris);
    }
  }

  public EmulatorOptions {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    Objects.requireNonNull(clientId, "clientId");
    Objects.requireNonNull(clientSecret, "clientSecret");
    Objects.requireNonNull(clock, "clock");
    redirectUris = List.copyOf(redirectUris);
    extraClients = List.copyOf(extraClients);
    Set<String> ids = new HashSet<>();
    ids.add(clientId);
    for (Client extra : extraClients) {
      if (!ids.add(extra.id())) {
        throw new IllegalArgumentException("client registered twice: " + extra.id());
      }
    }
  }

  /** Port 0, the default client, the system clock, no registered redirect URI, no other client. */
  public static EmulatorOptions defaults() {
    return new EmulatorOptions(
        0, DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, Clock.systemUTC(), List.of(), List.of());
  }

  public EmulatorOptions withPort(int newPort) {
    return new EmulatorOptions(newPort, clientId, clientSecret, clock, redirectUris, extraClients);
  }

  /** Replaces the main client's id and secret (its redirect URIs stay). */
  public EmulatorOptions withClient(String id, String secret) {
    return new EmulatorOptions(port, id, secret, clock, redirectUris, extraClients);
  }

  public EmulatorOptions withClock(Clock newClock) {
    return new EmulatorOptions(port, clientId, clientSecret, newClock, redirectUris, extraClients);
  }

  /** Registers these redirect URIs for the main client (replacing any registered before). */
  public EmulatorOptions withRedirectUris(String... uris) {
    return new EmulatorOptions(port, clientId, clientSecret, clock, List.of(uris), extraClients);
  }

  /** Registers one more OAuth client with its own secret and redirect URIs. */
  public EmulatorOptions withExtraClient(String id, String secret, String... uris) {
    List<Client> clients = new ArrayList<>(extraClients);
    clients.add(new Client(id, secret, List.of(uris)));
    return new EmulatorOptions(port, clientId, clientSecret, clock, redirectUris, clients);
  }

  /** Every registered client, the main one first. */
  public List<Client> clients() {
    List<Client> all = new ArrayList<>();
    all.add(new Client(clientId, clientSecret, redirectUris));
    all.addAll(extraClients);
    return List.copyOf(all);
  }
}
