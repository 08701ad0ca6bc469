package io.calsync.query.upcoming.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.calsync.query.problem.ProblemException;
import io.calsync.query.upcoming.domain.UpcomingRequest;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.util.UriComponentsBuilder;

class UpcomingParametersTests {

  @Test
  void whenNothingIsGivenThenDefaultsApply() {
    assertThat(UpcomingParameters.parse(new LinkedMultiValueMap<>()))
        .isEqualTo(new UpcomingRequest(10, 7, ZoneId.of("UTC")));
  }

  @Test
  void whenValidValuesAreGivenThenTheyAreUsed() {
    assertThat(parse("limit=100&days=365&tz=America/Los_Angeles"))
        .isEqualTo(new UpcomingRequest(100, 365, ZoneId.of("America/Los_Angeles")));
    assertThat(parse("limit=1&days=1&tz=Europe/Berlin&other=x"))
        .isEqualTo(new UpcomingRequest(1, 1, ZoneId.of("Europe/Berlin")));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "limit=0|limit",
        "limit=101|limit",
        "limit=-1|limit",
        "limit=abc|limit",
        "limit=|limit",
        "limit=1.5|limit",
        "limit=+5|limit",
        "limit=99999999999|limit",
        "limit=5&limit=6|limit",
        "days=0|days",
        "days=366|days",
        "days=seven|days",
        "days=1&days=1|days",
        "tz=Mars/Olympus|tz",
        "tz=|tz",
        "tz=%2B02:00|tz",
        "tz=europe/berlin|tz",
        "tz=UTC&tz=UTC|tz"
      })
  void whenParameterIsBadThenItIsNamed(String query, String parameter) {
    assertThatThrownBy(() -> parse(query))
        .isInstanceOfSatisfying(
            ProblemException.class,
            e -> assertThat(e.getBody().getProperties()).containsEntry("parameter", parameter));
  }

  private static UpcomingRequest parse(String query) {
    return UpcomingParameters.parse(
        UriComponentsBuilder.fromUriString("/x?" + query).build(true).getQueryParams());
  }
}
