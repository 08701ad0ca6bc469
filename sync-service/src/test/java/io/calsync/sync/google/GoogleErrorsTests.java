package io.calsync.sync.google;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.api.client.googleapis.json.GoogleJsonResponseException;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.LowLevelHttpRequest;
import com.google.api.client.http.LowLevelHttpResponse;
import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.testing.http.MockHttpTransport;
import com.google.api.client.testing.http.MockLowLevelHttpRequest;
import com.google.api.client.testing.http.MockLowLevelHttpResponse;
import io.calsync.sync.google.GoogleCallException.Kind;
import java.io.IOException;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Google's error shapes (status, and a 403's {@code reason}) → what the engine does. */
class GoogleErrorsTests {

  @ParameterizedTest
  @CsvSource({
    "410, fullSyncRequired, FULL_SYNC_REQUIRED",
    "401, authError, UNAUTHORIZED",
    "404, notFound, NOT_FOUND",
    "429, rateLimitExceeded, TRANSIENT",
    "403, rateLimitExceeded, TRANSIENT",
    "403, userRateLimitExceeded, TRANSIENT",
    "403, quotaExceeded, QUOTA_EXCEEDED",
    "403, insufficientPermissions, PERMANENT",
    "500, backendError, TRANSIENT",
    "503, backendError, TRANSIENT",
    "400, timeRangeEmpty, PERMANENT"
  })
  void mapsGoogleJsonErrors(int status, String reason, Kind expected) throws Exception {
    Throwable t = GoogleErrors.translate("events.list", googleError(status, reason));
    assertThat(t).isInstanceOf(GoogleCallException.class);
    GoogleCallException g = (GoogleCallException) t;
    assertThat(g.kind()).isEqualTo(expected);
    assertThat(g.status()).isEqualTo(status);
    assertThat(g.reason()).isEqualTo(reason);
  }

  @Test
  void ioErrorsAreTransient() {
    Throwable t =
        GoogleErrors.translate("events.list", new SocketTimeoutException("read timed out"));
    assertThat(((GoogleCallException) t).kind()).isEqualTo(Kind.TRANSIENT);
  }

  @Test
  void otherExceptionsPassThrough() {
    var e = new IllegalStateException("bug");
    assertThat(GoogleErrors.translate("events.list", e)).isSameAs(e);
  }

  /** A real {@link GoogleJsonResponseException} parsed from Google's JSON error body. */
  static GoogleJsonResponseException googleError(int status, String reason) throws IOException {
    String body =
        """
        {"error":{"code":%d,"message":"m","errors":[{"domain":"d","reason":"%s","message":"m"}]}}
        """
            .formatted(status, reason);
    HttpTransport transport =
        new MockHttpTransport() {
          @Override
          public LowLevelHttpRequest buildRequest(String method, String url) {
            return new MockLowLevelHttpRequest() {
              @Override
              public LowLevelHttpResponse execute() {
                return new MockLowLevelHttpResponse()
                    .setStatusCode(status)
                    .setContentType("application/json; charset=UTF-8")
                    .setContent(body);
              }
            };
          }
        };
    var response =
        transport
            .createRequestFactory()
            .buildGetRequest(new com.google.api.client.http.GenericUrl("http://localhost/x"))
            .setThrowExceptionOnExecuteError(false)
            .execute();
    return GoogleJsonResponseException.from(GsonFactory.getDefaultInstance(), response);
  }
}
