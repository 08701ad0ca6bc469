package io.calsync.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The development issuer as docker-compose.yml runs it: on every interface, so other containers
 * reach it by name, and the {@code iss} of what it serves is the address it was asked at.
 */
class DevIssuerTests {

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @Test
  void standaloneIssuerAnswersOnANonLoopbackAddress() throws Exception {
    Optional<InetAddress> external = nonLoopbackAddress();
    assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address");
    int port = freePort();
    try (DevIssuer issuer = DevIssuer.start("0.0.0.0", port)) {
      String base = "http://" + external.get().getHostAddress() + ":" + port + "/dev";

      HttpResponse<String> discovery = get(base + "/.well-known/openid-configuration");

      assertThat(discovery.statusCode()).isEqualTo(200);
      assertThat(discovery.body())
          .containsPattern("\"issuer\"\\s*:\\s*\"" + Pattern.quote(base) + "\"");
    }
  }

  @Test
  void localStackIssuerStaysOnLoopback() throws Exception {
    Optional<InetAddress> external = nonLoopbackAddress();
    assumeTrue(external.isPresent(), "this machine has no non-loopback IPv4 address");
    int port = freePort();
    try (DevIssuer issuer = DevIssuer.start(port)) {
      assertThat(get("http://127.0.0.1:" + port + "/dev/jwks").statusCode()).isEqualTo(200);
      String outside = "http://" + external.get().getHostAddress() + ":" + port + "/dev/jwks";
      assertThatThrownBy(() -> get(outside)).isInstanceOf(IOException.class);
    }
  }

  @Test
  void onlyTheOperatorClientGetsScopeCalendarAdminWithTheAudienceSyncServiceAccepts()
      throws Exception {
    int port = freePort();
    try (DevIssuer issuer = DevIssuer.start(port)) {
      String token = "http://127.0.0.1:" + port + "/dev/token";

      String operator =
          claims(
              post(
                  token,
                  "grant_type=client_credentials&client_id=operator&client_secret=x"
                      + "&scope=calendar.admin"));
      assertThat(operator)
          .containsPattern("\"scope\"\\s*:\\s*\"calendar.admin\"")
          .containsPattern("\"aud\"\\s*:\\s*(\\[\\s*)?\"calendar\"(\\s*])?\\s*[,}]")
          .containsPattern("\"sub\"\\s*:\\s*\"operator\"");

      String otherClient =
          claims(
              post(
                  token,
                  "grant_type=client_credentials&client_id=someone&client_secret=x"
                      + "&scope=calendar.admin"));
      assertThat(otherClient).doesNotContain("calendar.admin");
      String syncService =
          claims(
              post(
                  token,
                  "grant_type=client_credentials&client_id=sync-service&client_secret=x"
                      + "&scope=calendar.admin"));
      assertThat(syncService).doesNotContain("calendar.admin").contains("calendar.tokens");
      String user =
          claims(
              post(
                  token,
                  "grant_type=password&client_id=operator&username=alice&password=x"
                      + "&scope=calendar.admin"));
      assertThat(user).doesNotContain("calendar.admin").contains("alice");
    }
  }

  /** The claims of the access token in a token response. */
  private static String claims(HttpResponse<String> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    var m = Pattern.compile("\"access_token\"\\s*:\\s*\"([^\"]+)\"").matcher(response.body());
    assertThat(m.find()).isTrue();
    return new String(
        java.util.Base64.getUrlDecoder().decode(m.group(1).split("\\.")[1]),
        java.nio.charset.StandardCharsets.UTF_8);
  }

  private HttpResponse<String> post(String url, String form)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
    for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!network.isUp() || network.isLoopback()) {
        continue;
      }
      for (InetAddress address : Collections.list(network.getInetAddresses())) {
        if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
          return Optional.of(address);
        }
      }
    }
    return Optional.empty();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
