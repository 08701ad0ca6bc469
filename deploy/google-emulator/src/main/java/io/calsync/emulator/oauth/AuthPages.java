package io.calsync.emulator.oauth;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.util.HtmlUtils;
import reactor.core.publisher.Mono;

/** What the authorization endpoint answers: redirects to the client, error and consent pages. */
final class AuthPages {

  private AuthPages() {}

  static Map<String, String> errorParams(String error, String state) {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("error", error);
    if (state != null) {
      params.put("state", state);
    }
    return params;
  }

  static Mono<ServerResponse> redirect(String redirectUri, Map<String, String> params) {
    StringBuilder location = new StringBuilder(redirectUri);
    char sep = redirectUri.contains("?") ? '&' : '?';
    for (Map.Entry<String, String> p : params.entrySet()) {
      location.append(sep).append(enc(p.getKey())).append('=').append(enc(p.getValue()));
      sep = '&';
    }
    return ServerResponse.status(HttpStatus.FOUND)
        .location(URI.create(location.toString()))
        .build();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  static Mono<ServerResponse> errorPage(int status, String error, String description) {
    String html =
        "<!doctype html><html><head><title>Error 400 (OAuth2 Error)</title></head><body>"
            + "<h1>Access blocked: Authorization Error</h1><p id=\"error\">Error "
            + status
            + ": "
            + HtmlUtils.htmlEscape(error)
            + "</p><p id=\"error_description\">"
            + HtmlUtils.htmlEscape(description)
            + "</p></body></html>";
    return ServerResponse.status(status).contentType(MediaType.TEXT_HTML).bodyValue(html);
  }

  static Mono<ServerResponse> consentPage(
      AuthRequest auth, Set<String> scopes, String message, int status) {
    StringBuilder html =
        new StringBuilder(
            "<!doctype html><html><head><meta charset=\"utf-8\">"
                + "<title>Sign in - Google Accounts (emulator)</title></head><body>"
                + "<h1>Google emulator: choose an account</h1>");
    if (message != null) {
      html.append("<p class=\"error\">").append(HtmlUtils.htmlEscape(message)).append("</p>");
    }
    html.append("<form method=\"post\" action=\"/o/oauth2/v2/auth/consent\">");
    for (Map.Entry<String, String> p : auth.asMap().entrySet()) {
      html.append("<input type=\"hidden\" name=\"")
          .append(HtmlUtils.htmlEscape(p.getKey()))
          .append("\" value=\"")
          .append(HtmlUtils.htmlEscape(p.getValue()))
          .append("\">");
    }
    html.append(
        "<p><label>Account e-mail <input type=\"email\" name=\"email\" required "
            + "autofocus></label></p><p>The application asks for:</p><ul>");
    for (String scope : scopes) {
      String s = HtmlUtils.htmlEscape(scope);
      html.append("<li><label><input type=\"checkbox\" name=\"granted_scopes\" value=\"")
          .append(s)
          .append("\" checked> ")
          .append(s)
          .append("</label></li>");
    }
    html.append(
        "</ul><button type=\"submit\" name=\"action\" value=\"allow\">Allow</button> "
            + "<button type=\"submit\" name=\"action\" value=\"deny\" formnovalidate>Deny</button>"
            + "</form></body></html>");
    return ServerResponse.status(status)
        .contentType(MediaType.TEXT_HTML)
        .bodyValue(html.toString());
  }
}
