package io.calsync.query.support;

import io.calsync.contract.json.CalendarJson;
import java.time.Duration;
import org.springframework.http.codec.json.JacksonJsonDecoder;
import org.springframework.http.codec.json.JacksonJsonEncoder;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * A real HTTP client for the running service that reads bodies with the contract's JSON settings.
 */
public final class TestHttp {

  private TestHttp() {}

  public static WebTestClient client(int port) {
    return WebTestClient.bindToServer()
        .baseUrl("http://localhost:" + port)
        .responseTimeout(Duration.ofSeconds(20))
        .codecs(
            c -> {
              c.defaultCodecs().jacksonJsonDecoder(new JacksonJsonDecoder(CalendarJson.mapper()));
              c.defaultCodecs().jacksonJsonEncoder(new JacksonJsonEncoder(CalendarJson.mapper()));
            })
        .build();
  }
}
