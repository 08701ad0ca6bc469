package io.calsync.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What a browser does that matters to the backend-for-frontend: it keeps cookies per host, follows
 * redirects across hosts (the gateway and the issuer), and sees every answer, which is how the
 * tests check that no token ever reaches it.
 */
final class TestBrowser {

  private final CookieManager cookies = new CookieManager(null, CookiePolicy.ACCEPT_ALL);
  private final HttpClient http =
      HttpClient.newBuilder()
          .cookieHandler(cookies)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  /** Every answer this browser received: status line, headers and body. */
  final List<String> seen = new CopyOnWriteArrayList<>();

  HttpResponse<String> get(String url) {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  /** A GET that follows redirects; returns every answer on the way, the last one last. */
  List<HttpResponse<String>> navigate(String url) {
    List<HttpResponse<String>> hops = new ArrayList<>();
    URI next = URI.create(url);
    for (int i = 0; i < 10; i++) {
      HttpResponse<String> answer = get(next.toString());
      hops.add(answer);
      Optional<String> location = answer.headers().firstValue("Location");
      if (answer.statusCode() / 100 != 3 || location.isEmpty()) {
        return hops;
      }
      next = next.resolve(location.get());
    }
    throw new AssertionError("more than 10 redirects from " + url);
  }

  HttpResponse<String> post(String url, String body, String... headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json");
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(request);
  }

  HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> answer =
          http.send(
              request.timeout(Duration.ofSeconds(20)).build(),
              HttpResponse.BodyHandlers.ofString());
      seen.add(answer.statusCode() + " " + answer.headers().map() + "\n" + answer.body());
      return answer;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The value of the cookie {@code name} this browser holds, or null. */
  String cookie(String name) {
    List<String> values =
        cookies.getCookieStore().getCookies().stream()
            .filter(c -> c.getName().equals(name))
            .map(HttpCookie::getValue)
            .toList();
    assertThat(values).as("cookies named " + name).hasSizeLessThan(2);
    return values.isEmpty() ? null : values.get(0);
  }

  /** Stores a cookie as if {@code url} had set it, so a later answer replaces it as usual. */
  void setCookie(String url, String name, String value) {
    try {
      cookies.put(URI.create(url), Map.of("Set-Cookie", List.of(name + "=" + value + "; Path=/")));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  void forgetCookies() {
    cookies.getCookieStore().removeAll();
  }

  /** Asserts that nothing this browser received contains {@code secret}. */
  void assertNeverSaw(String secret) {
    assertThat(secret).isNotBlank();
    assertThat(seen).noneMatch(answer -> answer.contains(secret));
  }
}
