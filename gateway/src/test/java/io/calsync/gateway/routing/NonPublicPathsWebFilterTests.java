package io.calsync.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NonPublicPathsWebFilterTests {

  @Test
  void shouldHideInternalAndFallbackPaths() {
    assertThat(NonPublicPathsWebFilter.isNonPublic("/internal/v1/connections/x/access-token"))
        .isTrue();
    assertThat(NonPublicPathsWebFilter.isNonPublic("/internal")).isTrue();
    assertThat(NonPublicPathsWebFilter.isNonPublic("/fallback/oauth-service")).isTrue();
  }

  @Test
  void shouldLeaveOtherPathsAlone() {
    assertThat(NonPublicPathsWebFilter.isNonPublic("/internals.html")).isFalse();
    assertThat(NonPublicPathsWebFilter.isNonPublic("/api/calendar/connections/")).isFalse();
    assertThat(NonPublicPathsWebFilter.isNonPublic("/")).isFalse();
  }
}
