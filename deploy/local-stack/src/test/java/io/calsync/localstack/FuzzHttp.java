package io.calsync.localstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, one connection per request, for the fuzzer: unlike {@code
 * java.net.http}, it sends any method, any request target (malformed percent escapes, raw UTF-8,
 * dot segments) and any header value, byte for byte. A {@code text/event-stream} answer is read up
 * to its headers only.
 */
final class FuzzHttp {

  /** Bodies above this go with {@code Expect: 100-continue} (the platform's cap is 64 KiB). */
  private static final int EXPECT_CONTINUE_ABOVE = 16 * 1024;

  private FuzzHttp() {}

  /** A request as the fuzzer sends it; {@code body} null means no body and no Content-Length. */
  record Request(
      String method, String target, List<Map.Entry<String, String>> headers, byte[] body) {

    /** What the request says, to tell an echo of a value the caller sent from a leak. */
    String text() {
      StringBuilder text = new StringBuilder(method).append(' ').append(target);
      headers.forEach(h -> text.append('\n').append(h.getKey()).append(": ").append(h.getValue()));
      if (body != null) {
        text.append('\n').append(new String(body, StandardCharsets.UTF_8));
      }
      return text.toString();
    }

    /**
     * {@link #text()} with the Authorization header's credential left out, for failure messages.
     */
    String describe() {
      String shown = text().replaceAll("(?m)^(Authorization: \\S+ ?).*$", "$1<redacted>");
      return shown.length() > 600 ? shown.substring(0, 600) + "…(" + shown.length() + ")" : shown;
    }
  }

  /** The answer; header names in lower case. */
  record Response(int status, Map<String, List<String>> headers, byte[] body) {

    String header(String name) {
      List<String> values = headers.get(name);
      return values == null || values.isEmpty() ? null : values.get(0);
    }

    String text() {
      StringBuilder text = new StringBuilder();
      headers.forEach((name, values) -> values.forEach(v -> text.append(name + ": " + v + "\n")));
      return text.append(new String(body, StandardCharsets.UTF_8)).toString();
    }
  }

  static Response exchange(String baseUrl, Request request) {
    URI base = URI.create(baseUrl);
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      head.writeBytes(
          (request.method() + " " + request.target() + " HTTP/1.1\r\n")
              .getBytes(StandardCharsets.UTF_8));
      head.writeBytes(
          ("Host: " + base.getHost() + ":" + base.getPort() + "\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      for (Map.Entry<String, String> header : request.headers()) {
        head.writeBytes(
            (header.getKey() + ": " + header.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
      }
      boolean large = request.body() != null && request.body().length > EXPECT_CONTINUE_ABOVE;
      if (request.body() != null) {
        head.writeBytes(
            ("Content-Length: " + request.body().length + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
      }
      if (large) {
        // a server that refuses the body (413) answers before it and closes, which would reset a
        // connection still sending it
        head.writeBytes("Expect: 100-continue\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      head.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      if (request.body() != null && !large) {
        // in one write with the headers: a server that answers without reading a body that
        // arrives later resets the connection, and the answer with it
        head.writeBytes(request.body());
      }
      out.write(head.toByteArray());
      out.flush();
      InputStream in = socket.getInputStream();
      if (large) {
        Response first = read(in, request.method());
        if (first.status() != 100) {
          return first;
        }
        out.write(request.body());
        out.flush();
      }
      return read(in, request.method());
    } catch (IOException e) {
      throw new UncheckedIOException("No HTTP answer to " + request.describe(), e);
    }
  }

  /**
   * One answer, framed as HTTP/1.1 frames it (no body for HEAD, 1xx, 204, 304; Content-Length;
   * chunked; else up to the end of the connection). The connection is kept alive, as a browser's
   * is: a server that answers before it read a body discards the rest instead of resetting the
   * connection, which {@code Connection: close} would make it do.
   */
  private static Response read(InputStream in, String method) throws IOException {
    String statusLine = line(in);
    String[] parts = statusLine.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
      throw new IOException("Not an HTTP status line: " + statusLine);
    }
    int status = Integer.parseInt(parts[1]);
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String line = line(in); !line.isEmpty(); line = line(in)) {
      int colon = line.indexOf(':');
      headers
          .computeIfAbsent(
              line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
          .add(line.substring(colon + 1).trim());
    }
    Response head = new Response(status, headers, new byte[0]);
    String type = head.header("content-type");
    if (status / 100 == 1
        || status == 204
        || status == 304
        || "HEAD".equals(method)
        || (type != null && type.startsWith("text/event-stream"))) {
      return head;
    }
    byte[] body;
    if ("chunked".equalsIgnoreCase(head.header("transfer-encoding"))) {
      body = chunked(in);
    } else if (head.header("content-length") != null) {
      body = in.readNBytes(Integer.parseInt(head.header("content-length")));
    } else {
      body = in.readAllBytes();
    }
    return new Response(status, headers, body);
  }

  private static byte[] chunked(InputStream in) throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (int size = chunkSize(in); size > 0; size = chunkSize(in)) {
      body.write(in.readNBytes(size));
      line(in);
    }
    String trailer;
    do {
      trailer = line(in); // trailers, unused
    } while (!trailer.isEmpty());
    return body.toByteArray();
  }

  private static int chunkSize(InputStream in) throws IOException {
    return Integer.parseInt(line(in).split(";")[0].trim(), 16);
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b == -1) {
        throw new IOException("Connection closed in the headers");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }
}
