package io.calsync.oauth.connect;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReturnToTests {

  @ParameterizedTest
  @ValueSource(
      strings = {"/settings", "/", "/dashboard/week", "/settings?tab=calendar", "/a-b_c.d~e"})
  void shouldAcceptRelativePathsOfTheWebClient(String value) {
    assertThat(ReturnTo.validate(value)).contains(value);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "settings",
        "//evil.example.com",
        "//evil.example.com/settings",
        "https://evil.example.com",
        "http:/evil",
        "/\\evil.example.com",
        "\\\\evil",
        "/settings//x",
        "/settings#frag",
        "/set tings",
        "/settings\n",
        "javascript:alert(1)",
        " /settings"
      })
  void shouldRejectAnythingElse(String value) {
    assertThat(ReturnTo.validate(value)).isEmpty();
  }

  @org.junit.jupiter.api.Test
  void shouldRejectOverlongPaths() {
    assertThat(ReturnTo.validate("/" + "a".repeat(ReturnTo.MAX_LENGTH))).isEmpty();
  }
}
