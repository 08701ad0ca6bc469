package io.calsync.emulator.support;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Request body helpers: gzip-aware raw bodies, JSON and form parsing. */
public final class Requests {

  private Requests() {}

  /** The raw body, gunzipped when {@code Content-Encoding: gzip}; empty array when absent. */
  public static Mono<byte[]> body(ServerRequest request) {
    boolean gzip =
        request.headers().header("Content-Encoding").stream()
            .anyMatch(v -> v.toLowerCase().contains("gzip"));
    return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()))
        .map(
            buffer -> {
              byte[] bytes = new byte[buffer.readableByteCount()];
              buffer.read(bytes);
              DataBufferUtils.release(buffer);
              return bytes;
            })
        .defaultIfEmpty(new byte[0])
        .publishOn(Schedulers.boundedElastic())
        .map(bytes -> gzip && bytes.length > 0 ? gunzip(bytes) : bytes);
  }

  private static byte[] gunzip(byte[] bytes) {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw ApiException.parseError();
    }
  }

  /** The body as JSON (an empty object when absent); 400 parseError when malformed. */
  public static Mono<JsonNode> json(ServerRequest request) {
    return body(request)
        .map(
            bytes -> {
              try {
                return Json.parse(bytes);
              } catch (JacksonException e) {
                throw ApiException.parseError();
              }
            });
  }

  /** The body as an x-www-form-urlencoded multimap. */
  public static Mono<Map<String, List<String>>> form(ServerRequest request) {
    return body(request).map(bytes -> parseForm(new String(bytes, StandardCharsets.UTF_8)));
  }

  public static Map<String, List<String>> parseForm(String encoded) {
    Map<String, List<String>> form = new LinkedHashMap<>();
    if (encoded == null || encoded.isBlank()) {
      return form;
    }
    for (String pair : encoded.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      form.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return form;
  }

  public static String first(Map<String, List<String>> form, String key) {
    List<String> values = form.get(key);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  private static String decode(String value) {
    try {
      return URLDecoder.decode(value, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new UncheckedIOException(new IOException("bad form encoding"));
    }
  }
}
