package io.calsync.gateway.problem;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What part of a request Spring Security's {@code StrictServerWebExchangeFirewall} refused, read
 * from its message (it names no part otherwise): a header or query parameter by its name when the
 * name is printable, {@code header} or {@code query} when the name itself was refused, and {@code
 * path} for the request target (encoded slashes, dot segments, {@code //}, control characters).
 */
final class FirewallRejections {

  private static final Pattern NAMED = Pattern.compile("(header|parameter): \"([^\"]*)\"");
  private static final Pattern PRINTABLE_NAME = Pattern.compile("[A-Za-z0-9_.\\[\\]-]{1,64}");

  private FirewallRejections() {}

  static boolean isMethod(String reason) {
    return reason != null && reason.contains("HTTP method");
  }

  static String parameterOf(String reason) {
    String message = reason == null ? "" : reason;
    Matcher named = NAMED.matcher(message);
    if (named.find()) {
      String name = named.group(2).trim();
      if (PRINTABLE_NAME.matcher(name).matches()) {
        return name;
      }
      return named.group(1).equals("header") ? "header" : "query";
    }
    if (message.contains("header name")) {
      return "header";
    }
    if (message.contains("parameter name")) {
      return "query";
    }
    return message.contains("domain") ? "host" : "path";
  }
}
