package io.calsync.emulator.oauth;

import io.calsync.emulator.EmulatorOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The OAuth clients the emulator knows, by client id. */
public final class OAuthClients {

  private final Map<String, EmulatorOptions.Client> byId = new LinkedHashMap<>();

  public OAuthClients(List<EmulatorOptions.Client> clients) {
    clients.forEach(client -> byId.put(client.id(), client));
  }

  public Optional<EmulatorOptions.Client> find(String clientId) {
    return clientId == null ? Optional.empty() : Optional.ofNullable(byId.get(clientId));
  }
}
