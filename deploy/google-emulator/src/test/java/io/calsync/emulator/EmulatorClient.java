package io.calsync.emulator;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.javanet.NetHttpTransport;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.services.calendar.Calendar;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Test helper: raw HTTP (JDK HttpClient) and the real Google Calendar client against an emulator.
 */
final class EmulatorClient {

  static final JsonMapper JSON = JsonMapper.builder().build();
  static final String REDIRECT = "http://localhost:8080/api/calendar/google/callback/";
  static final String CALENDAR_SCOPE = "https://www.googleapis.com/auth/calendar";
  static final String READONLY_SCOPE = "https://www.googleapis.com/auth/calendar.readonly";

  final GoogleEmulator emulator;
  final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  EmulatorClient(GoogleEmulator emulator) {
    this.emulator = emulator;
  }

  record Response(int status, JsonNode json, String body, HttpResponse<String> raw) {}

  Response send(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      String type = response.headers().firstValue("Content-Type").orElse("");
      if (type.startsWith("application/json") && !response.body().isEmpty()) {
        json = JSON.readTree(response.body());
      }
      return new Response(response.statusCode(), json, response.body(), response);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  URI uri(String path) {
    return URI.create(emulator.baseUrl() + path);
  }

  Response get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).GET().build());
  }

  Response get(String path, String bearer) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Authorization", "Bearer " + bearer)
            .GET()
            .build());
  }

  Response postJson(String path, String json) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
  }

  Response delete(String path) {
    return send(HttpRequest.newBuilder(uri(path)).DELETE().build());
  }

  Response postForm(String path, Map<String, String> form) {
    return send(
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(formEncode(form)))
            .build());
  }

  static String formEncode(Map<String, String> form) {
    StringBuilder body = new StringBuilder();
    form.forEach(
        (k, v) -> {
          if (body.length() > 0) {
            body.append('&');
          }
          body.append(URLEncoder.encode(k, StandardCharsets.UTF_8))
              .append('=')
              .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
        });
    return body.toString();
  }

  static Map<String, String> query(String location) {
    Map<String, String> params = new LinkedHashMap<>();
    String query = URI.create(location).getRawQuery();
    if (query == null) {
      return params;
    }
    for (String pair : query.split("&")) {
      int eq = pair.indexOf('=');
      params.put(
          URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
          URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }

  /** Creates an account through the admin API and returns a full-scope access token for it. */
  String accessToken(String email) {
    postJson("/emulator/v1/accounts", "{\"email\":\"" + email + "\"}");
    Response response =
        send(
            HttpRequest.newBuilder(
                    uri("/emulator/v1/accounts/" + pathSegment(email) + "/access-token"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
    return response.json().get("access_token").asString();
  }

  /** An e-mail as a path segment ({@code #} in public calendar ids would end the path). */
  static String pathSegment(String email) {
    return URLEncoder.encode(email, StandardCharsets.UTF_8);
  }

  Response seed(String email, String calendarId, int events, int days) {
    return postJson(
        "/emulator/v1/accounts/" + email + "/seed",
        "{\"calendar_id\":\"" + calendarId + "\",\"events\":" + events + ",\"days\":" + days + "}");
  }

  /** The real Google client with a fixed bearer token. */
  Calendar calendar(String accessToken) {
    return calendar(() -> accessToken);
  }

  Calendar calendar(Supplier<String> accessToken) {
    return new Calendar.Builder(
            new NetHttpTransport(),
            GsonFactory.getDefaultInstance(),
            request -> request.getHeaders().setAuthorization("Bearer " + accessToken.get()))
        .setRootUrl(emulator.baseUrl() + "/")
        .setApplicationName("emulator-tests")
        .build();
  }

  /** Authorizes with login_hint (auto-consent) and returns the redirect's query parameters. */
  Map<String, String> authorize(String email, String scope, Map<String, String> extra) {
    return authorize(EmulatorOptions.DEFAULT_CLIENT_ID, REDIRECT, email, scope, extra);
  }

  /** The same for a given client and redirect URI. */
  Map<String, String> authorize(
      String clientId, String redirectUri, String email, String scope, Map<String, String> extra) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("client_id", clientId);
    params.put("redirect_uri", redirectUri);
    params.put("response_type", "code");
    params.put("scope", scope);
    params.put("state", "st-" + email);
    params.put("login_hint", email);
    params.putAll(extra);
    Response response = get("/o/oauth2/v2/auth?" + formEncode(params));
    if (response.status() != 302) {
      throw new IllegalStateException(
          "authorize answered " + response.status() + ": " + response.body());
    }
    return query(response.raw().headers().firstValue("Location").orElseThrow());
  }

  Response exchange(String code, String redirectUri, String verifier) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", redirectUri);
    form.put("client_id", EmulatorOptions.DEFAULT_CLIENT_ID);
    form.put("client_secret", EmulatorOptions.DEFAULT_CLIENT_SECRET);
    if (verifier != null) {
      form.put("code_verifier", verifier);
    }
    return postForm("/token", form);
  }

  /** Exchanges a code as the given client ({@code client_secret_post}). */
  Response exchange(String clientId, String clientSecret, String code, String redirectUri) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "authorization_code");
    form.put("code", code);
    form.put("redirect_uri", redirectUri);
    form.put("client_id", clientId);
    form.put("client_secret", clientSecret);
    return postForm("/token", form);
  }

  Response refresh(String refreshToken) {
    return refresh(
        EmulatorOptions.DEFAULT_CLIENT_ID, EmulatorOptions.DEFAULT_CLIENT_SECRET, refreshToken);
  }

  /** The refresh grant as the given client. */
  Response refresh(String clientId, String clientSecret, String refreshToken) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("grant_type", "refresh_token");
    form.put("refresh_token", refreshToken);
    form.put("client_id", clientId);
    form.put("client_secret", clientSecret);
    return postForm("/token", form);
  }

  static int status(GoogleJsonResponseException e) {
    return e.getStatusCode();
  }

  static String reason(GoogleJsonResponseException e) {
    return e.getDetails().getErrors().get(0).getReason();
  }
}
